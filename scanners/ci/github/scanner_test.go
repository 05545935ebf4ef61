package github

import (
	"fmt"
	"strings"
	"testing"

	"github.com/isolint/isolint/model"
)

const sample = `name: ci
on:
  pull_request:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
env:
  GLOBAL: ${{ secrets.GLOBAL_TOKEN }}
jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest]
    steps:
      - uses: actions/checkout@v4
      - run: go test ./...
  deploy:
    if: github.event_name == 'push' && github.ref == 'refs/heads/main'
    runs-on: [self-hosted, linux]
    environment: production
    permissions:
      id-token: write
    container:
      image: example/deployer:1
      options: --cap-add SYS_ADMIN
      credentials:
        username: bot
        password: ${{ secrets.REGISTRY_PASSWORD }}
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::1:role/deploy
      - name: ship
        run: |
          docker run --rm -e TOKEN=${{ secrets.SHIP }} -v "$HOME/.aws:/root/.aws:ro" example/ship:2
        env:
          SHIP_ENV: $GLOBAL
  call:
    uses: ./.github/workflows/reuse.yml
    secrets: inherit
`

func jobNamed(p *model.Project, name string) *model.Workload {
	for _, w := range p.Workloads {
		if w.Name == name {
			return w
		}
	}
	return nil
}

func TestScanWorkflow(t *testing.T) {
	p := Scan(".github/workflows/ci.yml", []byte(sample))
	for _, n := range p.Notices {
		if n.Level != model.NoticeNote { // the Windows matrix entry runs pwsh: a note
			t.Errorf("notice %s: %s", n.Loc, n.Message)
		}
	}
	if len(p.Pipelines) != 1 || len(p.Workloads) != 3 {
		t.Fatalf("%d pipelines, %d workloads", len(p.Pipelines), len(p.Workloads))
	}
	pipe := p.Pipelines[0]
	if got := len(pipe.Triggers); got != 3 {
		t.Errorf("triggers %d", got)
	}
	if pipe.Permissions.Level("contents") != "read" || pipe.Permissions.Level("issues") != "none" {
		t.Errorf("workflow permissions %+v", pipe.Permissions)
	}
	if len(pipe.Env) != 1 || pipe.Env[0].Secret == nil || pipe.Env[0].Secret.Name != "secrets.GLOBAL_TOKEN" {
		t.Errorf("workflow env %+v", pipe.Env)
	}

	test := jobNamed(p, "test").CI
	if test.Trust != model.TrustUntrusted || test.Why != "pull_request from a fork" {
		t.Errorf("test trust %s (%s)", test.Trust, test.Why)
	}
	if test.Runner.SelfHosted || !test.Runner.Hosted || !test.Runner.Windows || len(test.Runner.Labels) != 2 {
		t.Errorf("test runner %+v", test.Runner)
	}

	dw := jobNamed(p, "deploy")
	deploy := dw.CI
	if deploy.Trust != model.TrustProtected || len(deploy.Events) != 1 || deploy.Events[0].Event != "push" {
		t.Errorf("deploy trust %s, events %+v", deploy.Trust, deploy.Events)
	}
	if !deploy.Runner.SelfHosted || deploy.Runner.Hosted {
		t.Errorf("deploy runner %+v", deploy.Runner)
	}
	if len(deploy.CloudRoles) != 1 || deploy.CloudRoles[0].Key != "aws:arn:aws:iam::1:role/deploy" || dw.Identity.Key != deploy.CloudRoles[0].Key {
		t.Errorf("deploy roles %+v", deploy.CloudRoles)
	}
	if len(deploy.Credentials) != 2 || deploy.Credentials[1].Secret == nil {
		t.Errorf("credentials %+v", deploy.Credentials)
	}
	if len(dw.Containers) != 2 {
		t.Fatalf("deploy containers %d", len(dw.Containers))
	}
	job, ship := dw.Containers[0], dw.Containers[1]
	if len(job.Security.CapAdd) != 1 || job.Security.CapAdd[0].Value != "SYS_ADMIN" || job.Security.CapAdd[0].Loc.Line != 28 {
		t.Errorf("job container caps %+v", job.Security.CapAdd)
	}
	if ship.Kind != model.ContainerScripted || ship.Image.Value != "example/ship:2" {
		t.Errorf("scripted container %+v", ship)
	}
	if len(ship.Env) != 1 || ship.Env[0].Secret == nil || ship.Env[0].Secret.Name != "secrets.SHIP" {
		t.Errorf("scripted env %+v", ship.Env)
	}
	if len(ship.Mounts) != 1 || ship.Mounts[0].Volume.HostPath.Value != "~/.aws" || !ship.Mounts[0].ReadOnly.IsTrue() {
		t.Errorf("scripted mounts %+v", ship.Mounts[0].Volume)
	}
	if loc := ship.Loc; loc.Line != 38 || loc.Col != 11 {
		t.Errorf("scripted container at %s", loc)
	}
	uses := map[string]bool{}
	for _, s := range deploy.SecretUses {
		uses[s.Name] = true
	}
	if !uses["REGISTRY_PASSWORD"] || !uses["SHIP"] {
		t.Errorf("secret uses %+v", deploy.SecretUses)
	}

	call := jobNamed(p, "call").CI.Call
	if call == nil || !call.SecretsInherit.IsTrue() || call.SecretsInherit.Loc.Line != 43 {
		t.Errorf("call %+v", call)
	}
}

func TestScanBadInput(t *testing.T) {
	for _, src := range []string{
		"on: push\njobs:\n  a: [\n",
		"on: push\njobs: 3\n",
		"on: push\njobs:\n  a:\n    steps: x\n    runs-on: {group: 3}\n    permissions: maybe\n",
		"- a\n- b\n",
		"on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: 'if then fi ((('\n",
	} {
		p := Scan("w.yml", []byte(src))
		if len(p.Notices) == 0 {
			t.Errorf("%q: no notice", src)
		}
		for _, n := range p.Notices {
			if n.Loc.File != "w.yml" || n.Loc.Line == 0 {
				t.Errorf("%q: notice without file and line: %+v", src, n)
			}
		}
	}
}

func TestClaimPath(t *testing.T) {
	for p, want := range map[string]bool{
		".github/workflows/ci.yml":     true,
		"x/.github/workflows/ci.yaml":  true,
		".github/workflows/sub/ci.yml": false,
		"actions/setup/action.yml":     true,
		"action.yaml":                  true,
		".github/workflows/README.md":  false,
		"deploy/.github/workflows.yml": false,
	} {
		if got := ClaimPath(p); got != want {
			t.Errorf("%s: %v", p, got)
		}
	}
}

// bigWorkflow builds a workflow of n jobs with scripts and containers.
func bigWorkflow(n int) []byte {
	var b strings.Builder
	b.WriteString("on: [push, pull_request]\npermissions:\n  contents: read\njobs:\n")
	for i := range n {
		fmt.Fprintf(&b, `  job%d:
    runs-on: ubuntu-latest
    env:
      TOKEN: ${{ secrets.TOKEN_%d }}
    container:
      image: node:20
      options: --cpus 2 --network bridge
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: |
          npm ci
          docker run --rm -e CI=1 -v "$PWD:/src" node:20 npm test
          if [ -n "$TOKEN" ]; then echo ok; fi
`, i, i)
	}
	return []byte(b.String())
}

func BenchmarkScan(b *testing.B) {
	src := bigWorkflow(50)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		Scan(".github/workflows/ci.yml", src)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "files/s")
}

func FuzzScan(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: docker run --privileged ${{ x }}\n"))
	f.Add([]byte("runs:\n  using: composite\n  steps:\n    - run: echo\n      shell: bash\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		Scan("fuzz.yml", b)
	})
}

func TestLocalWorkflow(t *testing.T) {
	for _, c := range []struct{ file, uses, want string }{
		{".github/workflows/ci.yml", "./.github/workflows/build.yml", ".github/workflows/build.yml"},
		{"repo/.github/workflows/ci.yml", "./.github/workflows/build.yml", "repo/.github/workflows/build.yml"},
		{".github/workflows/ci.yml", "org/repo/.github/workflows/build.yml@v1", ""},
		{"ci/workflow.yml", "./.github/workflows/build.yml", ""},
	} {
		if got := localWorkflow(c.file, c.uses); got != c.want {
			t.Errorf("%s %s: %q", c.file, c.uses, got)
		}
	}
}

// TestEnvironmentMapping: environment: {name, url} names the environment
// as the short form does, with no notice.
func TestEnvironmentMapping(t *testing.T) {
	p := Scan("w.yml", []byte(`on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment:
      name: production
      url: https://example.com
    steps:
      - run: ./deploy.sh
`))
	for _, n := range p.Notices {
		t.Errorf("notice %s: %s", n.Loc, n.Message)
	}
	if env := jobNamed(p, "deploy").CI.Environment; env.Value != "production" || env.Loc.Line != 6 {
		t.Errorf("environment %q at line %d, want production at 6", env.Value, env.Loc.Line)
	}
}

// A matrix value that is a list of labels is one runner with all of them;
// the labels of every combination are the job's. A value that is not a
// literal leaves the runner unknown.
func TestMatrixRunnerLabelSets(t *testing.T) {
	for _, tc := range []struct {
		matrix       string
		want         []string
		self, hosted bool
	}{
		{"runner: [ubuntu-latest, [self-hosted, linux]]", []string{"ubuntu-latest", "self-hosted", "linux"}, true, false},
		{"runner: [[ubuntu-latest], macos-14]", []string{"ubuntu-latest", "macos-14"}, false, true},
		{"include: [{runner: [self-hosted, gpu]}, {runner: ubuntu-latest}]", []string{"self-hosted", "gpu", "ubuntu-latest"}, true, false},
		{"runner: [ubuntu-latest, [self-hosted, '${{ inputs.pool }}']]", []string{"${{ matrix.runner }}"}, false, false},
		{"runner: ${{ fromJSON(inputs.runners) }}", []string{"${{ matrix.runner }}"}, false, false},
		// an exclude entry naming only the key removes the value everywhere
		{"{runner: [self-hosted, ubuntu-latest], exclude: [{runner: self-hosted}]}", []string{"ubuntu-latest"}, false, true},
		{"{runner: [[self-hosted, gpu], ubuntu-latest], exclude: [{runner: [self-hosted, gpu]}]}", []string{"ubuntu-latest"}, false, true},
		// one naming other keys too removes only some combinations
		{"{runner: [self-hosted, ubuntu-latest], go: [a, b], exclude: [{runner: self-hosted, go: a}]}", []string{"self-hosted", "ubuntu-latest"}, true, false},
		// include entries are added after exclusion
		{"{runner: [self-hosted, ubuntu-latest], exclude: [{runner: self-hosted}], include: [{runner: self-hosted}]}", []string{"ubuntu-latest", "self-hosted"}, true, false},
	} {
		src := "on: push\njobs:\n  a:\n    strategy:\n      matrix:\n        " + tc.matrix + "\n    runs-on: ${{ matrix.runner }}\n    steps: [{run: make}]\n"
		r := Scan(".github/workflows/ci.yml", []byte(src)).Workloads[0].CI.Runner
		var got []string
		for _, l := range r.Labels {
			got = append(got, l.Value)
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") || r.SelfHosted != tc.self || r.Hosted != tc.hosted {
			t.Errorf("%s: labels %q self-hosted %v hosted %v, want %q %v %v", tc.matrix, got, r.SelfHosted, r.Hosted, tc.want, tc.self, tc.hosted)
		}
		if tc.self && r.Labels[0].Loc.Line != 7 {
			t.Errorf("%s: label at line %d, want the runs-on line 7", tc.matrix, r.Labels[0].Loc.Line)
		}
	}
}
