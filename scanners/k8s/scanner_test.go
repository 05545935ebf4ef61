package k8s

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/isolint/isolint/model"
)

func scan(t *testing.T, src string, opts Options) *model.Project {
	t.Helper()
	return New(opts).Scan("m.yaml", []byte(src))
}

func noNotices(t *testing.T, p *model.Project) {
	t.Helper()
	for _, n := range p.Notices {
		t.Errorf("unexpected notice %s: %s", n.Loc, n.Message)
	}
}

func TestWorkloadLowering(t *testing.T) {
	p := scan(t, `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  namespace: jobs
spec:
  jobTemplate:
    spec:
      template:
        metadata:
          labels: {app: nightly}
          annotations:
            seccomp.security.alpha.kubernetes.io/pod: unconfined
            container.apparmor.security.beta.kubernetes.io/run: localhost/strict
        spec:
          os: {name: linux}
          serviceAccountName: nightly
          automountServiceAccountToken: false
          securityContext:
            runAsUser: 1000
          initContainers:
            - name: init
              image: busybox
          containers:
            - name: run
              image: example/run:1
              command: [/bin/run]
              args: ["--token", "$(TOKEN)"]
              env:
                - {name: A, value: "1"}
                - name: B
                  valueFrom: {secretKeyRef: {name: s, key: k}}
              envFrom:
                - secretRef: {name: bulk}
                - configMapRef: {name: cm}
              volumeMounts:
                - {name: host, mountPath: /h, readOnly: true}
              securityContext:
                capabilities: {add: [NET_RAW], drop: [ALL]}
          volumes:
            - name: host
              hostPath: {path: /var/log, type: Directory}
`, Options{})
	noNotices(t, p)
	if len(p.Workloads) != 1 {
		t.Fatalf("%d workloads, want 1", len(p.Workloads))
	}
	w := p.Workloads[0]
	if w.ID() != "CronJob/jobs/nightly" || w.Labels["app"] != "nightly" || w.OS != "linux" {
		t.Errorf("identity %s, labels %v, os %q", w.ID(), w.Labels, w.OS)
	}
	if w.Identity.Key != "jobs/nightly" || w.Identity.Default || !w.AutomountToken.IsFalse() {
		t.Errorf("identity %+v, automount %+v", w.Identity, w.AutomountToken)
	}
	if w.SpecLoc.Line != 15 || w.Loc.Line != 4 {
		t.Errorf("spec at line %d, name at %d; want 15 and 4", w.SpecLoc.Line, w.Loc.Line)
	}
	if s := w.Security.Seccomp; s.Value != "Unconfined" || s.Loc.Line != 13 {
		t.Errorf("pod seccomp from the annotation: %+v", s)
	}
	if len(w.Containers) != 2 || w.Containers[0].Kind != model.ContainerInit || w.Containers[1].Name != "run" {
		t.Fatalf("containers %v", w.Containers)
	}
	c := w.Containers[1]
	if c.Security.AppArmor.Value != "Localhost" {
		t.Errorf("container AppArmor from the annotation: %+v", c.Security.AppArmor)
	}
	var args []string
	for _, a := range c.Args {
		args = append(args, a.Value)
	}
	if strings.Join(args, " ") != "/bin/run --token $(TOKEN)" || !c.Args[2].Unknown {
		t.Errorf("args %q (last unknown: %v)", args, c.Args[2].Unknown)
	}
	if len(c.Env) != 2 || c.Env[0].Value.Value != "1" || c.Env[1].Secret == nil || c.Env[1].Secret.ID() != "kubernetes-secret/s/k" {
		t.Errorf("env %+v", c.Env)
	}
	if len(c.EnvSources) != 2 || c.EnvSources[0].Kind != model.EnvFromSecret || c.EnvSources[0].Loc.Line != 34 {
		t.Errorf("envFrom %+v", c.EnvSources)
	}
	if len(c.Mounts) != 1 || c.Mounts[0].Volume == nil || !c.Mounts[0].ReadOnly.IsTrue() {
		t.Errorf("mounts %+v", c.Mounts)
	}
	if v := w.Volumes[0]; v.Kind != model.VolumeHostPath || v.HostPath.Value != "/var/log" || v.HostPathType != "Directory" || v.HostPath.Loc.Line != 42 {
		t.Errorf("volume %+v", v)
	}
	if e := model.Effective(w, c); e.RunAsUser.Value != 1000 || e.RunAsUser.Loc.Line != 20 || len(e.CapAdd) != 1 {
		t.Errorf("effective %+v", e)
	}
}

// TestPodSpecPaths checks that every kind the scanner knows finds its pod
// spec, and that kinds it does not know are left alone.
func TestPodSpecPaths(t *testing.T) {
	nest := func(path string) string {
		var b strings.Builder
		parts := strings.Split(path, ".")
		for i, k := range parts {
			fmt.Fprintf(&b, "%s%s:\n", strings.Repeat("  ", i), k)
		}
		ind := strings.Repeat("  ", len(parts))
		fmt.Fprintf(&b, "%scontainers: [{name: c, image: x}]\n", ind)
		return b.String()
	}
	for gk, path := range podKinds {
		g, kind, _ := strings.Cut(gk, "/")
		api := "v1"
		if g != "" {
			api = g + "/v1"
		}
		src := "apiVersion: " + api + "\nkind: " + kind + "\nmetadata: {name: n}\n" + nest(path)
		p := scan(t, src, Options{})
		if len(p.Workloads) != 1 || len(p.Workloads[0].Containers) != 1 {
			t.Errorf("%s: %d workloads from\n%s", gk, len(p.Workloads), src)
		}
	}
	for _, src := range []string{
		"apiVersion: v1\nkind: Service\nmetadata: {name: n}\n" + nest("spec.template.spec"),
		"apiVersion: example.com/v1\nkind: Deployment\nmetadata: {name: n}\n" + nest("spec.template.spec"),
		"apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: n}\nspec:\n  workloadRef: {kind: Deployment, name: web}\n",
	} {
		if p := scan(t, src, Options{}); len(p.Workloads) != 0 || len(p.Notices) != 0 {
			t.Errorf("want nothing from\n%s\ngot %d workloads, notices %v", src, len(p.Workloads), p.Notices)
		}
	}
	custom := Options{CustomKinds: []CustomKind{{APIVersion: "example.com/v2", Kind: "Runner", PodSpec: "spec.pod"}}}
	if p := scan(t, "apiVersion: example.com/v1\nkind: Runner\nmetadata: {name: n}\n"+nest("spec.pod"), custom); len(p.Workloads) != 1 {
		t.Errorf("custom kind: %d workloads, want 1 (the version does not matter)", len(p.Workloads))
	}
}

func TestNetworkPolicyDefaults(t *testing.T) {
	p := scan(t, `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a}
spec:
  podSelector: {}
  egress:
    - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
      ports: [{port: 80}, {protocol: UDP, port: 53, endPort: 60}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b, namespace: x}
spec:
  podSelector:
    matchLabels: {app: b}
  egress: []
`, Options{})
	noNotices(t, p)
	if len(p.NetworkPolicies) != 2 {
		t.Fatalf("%d policies", len(p.NetworkPolicies))
	}
	a, b := p.NetworkPolicies[0], p.NetworkPolicies[1]
	if !a.HasEgress() || b.HasEgress() {
		t.Errorf("defaulted policyTypes: a %v, b %v; want Egress only where egress rules exist", a.PolicyTypes, b.PolicyTypes)
	}
	if a.Namespace != "default" || len(a.Egress) != 1 || len(a.Egress[0].Ports) != 2 || a.Egress[0].Ports[1].EndPort != 60 {
		t.Errorf("policy a: %+v", a)
	}
	if blk := a.Egress[0].To[0].IPBlock; blk == nil || blk.CIDR.Value != "10.0.0.0/8" || len(blk.Except) != 1 {
		t.Errorf("ipBlock %+v", blk)
	}
	if !b.PodSelector.Matches(map[string]string{"app": "b"}) || b.PodSelector.Matches(nil) {
		t.Errorf("selector of b")
	}
}

func TestRBACLowering(t *testing.T) {
	p := scan(t, `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: agg, namespace: ignored, labels: {tier: ops}}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {a: b}}, {matchExpressions: [{key: c, operator: In, values: [d]}]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects:
  - {kind: ServiceAccount, name: sa}
  - {kind: ServiceAccount, name: other, namespace: elsewhere}
`, Options{})
	noNotices(t, p)
	if len(p.Roles) != 1 || !p.Roles[0].Aggregated || p.Roles[0].Namespace != "" || p.Roles[0].Labels["tier"] != "ops" {
		t.Errorf("roles %+v", p.Roles)
	}
	if sels := p.Roles[0].AggregationSelectors; len(sels) != 2 || !sels[0].Matches(map[string]string{"a": "b"}) ||
		sels[0].Matches(map[string]string{"a": "x"}) || !sels[1].Matches(map[string]string{"c": "d"}) || sels[1].Matches(nil) {
		t.Errorf("aggregation selectors %+v", sels)
	}
	b := p.RoleBindings[0]
	if b.RoleRef.Loc.Line != 10 || b.Subjects[0].Namespace != "team" || b.Subjects[1].Namespace != "elsewhere" {
		t.Errorf("binding %+v", b)
	}
}

func TestTemplateSkipped(t *testing.T) {
	p := scan(t, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  {{- if .Values.host }}\n  hostPID: true\n  {{- end }}\n  containers: []\n", Options{})
	if len(p.Workloads) != 0 || len(p.Notices) != 1 || p.Notices[0].Level != model.NoticeError || p.Notices[0].Loc.Line != 6 {
		t.Errorf("workloads %d, notices %+v; want one error (not checked) on line 6", len(p.Workloads), p.Notices)
	}
	p = scan(t, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  hostPID: \"{{ .Values.hostPID }}\"\n  containers: []\n", Options{})
	if len(p.Workloads) != 1 || !p.Workloads[0].Host().PID.Unknown {
		t.Errorf("a templated value is read as unknown, not skipped")
	}
}

// FuzzScan: no input makes the scanner panic.
func FuzzScan(f *testing.F) {
	for _, s := range []string{
		"apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{name: a, image: b, securityContext: {privileged: true}}]\n",
		"apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    spec: {volumes: [{hostPath: {path: /}}]}\n",
		`{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","spec":{"egress":[{"to":[{"ipBlock":{"cidr":"0.0.0.0/0"}}]}]}}`,
		"apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nroleRef: &r {name: x}\nsubjects: [*r, *r]\n",
		"a: &a [*a]\n",
	} {
		f.Add([]byte(s))
	}
	s := New(Options{CustomKinds: []CustomKind{{APIVersion: "x/v1", Kind: "X", PodSpec: "spec"}}})
	f.Fuzz(func(t *testing.T, b []byte) {
		s.Scan("f.yaml", b)
		Sniff(b)
	})
}

// BenchmarkScan lowers a 1,000-document stream of Deployments.
func BenchmarkScan(b *testing.B) {
	var buf bytes.Buffer
	for i := range 1000 {
		fmt.Fprintf(&buf, `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-%d
  namespace: ns-%d
spec:
  template:
    metadata:
      labels: {app: app-%d}
    spec:
      serviceAccountName: app-%d
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: app
          image: example/app:1
          env:
            - {name: A, value: b}
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: db, key: password}}
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
          volumeMounts: [{name: tmp, mountPath: /tmp}]
      volumes: [{name: tmp, emptyDir: {}}]
`, i, i%10, i, i)
	}
	s := New(Options{})
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		s.Scan("bench.yaml", buf.Bytes())
	}
}

// TestMergeBomb: mappings merged into each other many times over (8^12
// paths to the root) are searched once each; without that, this scan does
// not finish.
func TestMergeBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: Pod\nmetadata: &m0 {name: bomb}\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&b, "x%d: &m%d {<<: [", i, i)
		for j := range 8 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*m%d", i-1)
		}
		b.WriteString("]}\n")
	}
	b.WriteString("spec:\n  <<: *m12\n  containers: [{<<: *m12, name: c, image: x}]\n  volumes: [{<<: *m12, name: v}]\n")
	p := scan(t, b.String(), Options{})
	if len(p.Workloads) != 1 || p.Workloads[0].Name != "bomb" {
		t.Errorf("want the Pod lowered, got %d workloads", len(p.Workloads))
	}
}

// An unnamed container gets the name messages can show: Knative's
// user-container for a Knative Service, else its image.
func TestUnnamedContainer(t *testing.T) {
	p := scan(t, `apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: ks}
spec:
  template:
    spec:
      containers:
        - image: example/app:1
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - image: example/tool:2
`, Options{})
	noNotices(t, p)
	if len(p.Workloads) != 2 || p.Workloads[0].Containers[0].Name != "user-container" || p.Workloads[1].Containers[0].Name != "example/tool:2" {
		for _, w := range p.Workloads {
			t.Errorf("%s: container %q", w.Kind, w.Containers[0].Name)
		}
	}
}
