package compose

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/isolint/isolint/internal/testfiles"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
)

// scanFiles writes files into a temporary root and scans the first one.
func scanFiles(t *testing.T, files ...string) *model.Project {
	t.Helper()
	root := t.TempDir()
	root, _ = filepath.EvalSymlinks(root)
	for i := 0; i+1 < len(files); i += 2 {
		testfiles.WriteTree(t, root, map[string]string{files[i]: files[i+1]})
	}
	f := &source.File{Path: files[0], Abs: filepath.Join(root, filepath.FromSlash(files[0])), Root: root, Content: []byte(files[1])}
	return Scan(f)
}

func workload(t *testing.T, p *model.Project, name string) *model.Workload {
	t.Helper()
	for _, w := range p.Workloads {
		if w.Name == name {
			return w
		}
	}
	t.Fatalf("no workload %q in %d workloads", name, len(p.Workloads))
	return nil
}

// noticeLines renders the notices in line order.
func noticeLines(p *model.Project) []string {
	ns := append([]model.Notice(nil), p.Notices...)
	sort.SliceStable(ns, func(i, j int) bool { return ns[i].Loc.Before(ns[j].Loc) })
	var out []string
	for _, n := range ns {
		out = append(out, n.Loc.String()+" "+n.Message)
	}
	return out
}

func noNotices(t *testing.T, p *model.Project) {
	t.Helper()
	for _, n := range p.Notices {
		t.Errorf("unexpected notice %s: %s", n.Loc, n.Message)
	}
}

func TestClaimPath(t *testing.T) {
	for p, want := range map[string]bool{
		"compose.yaml": true, "compose.yml": true, "docker-compose.yml": true, "docker-compose.yaml": true,
		"deploy/compose.override.yaml": true, "docker-compose.override.yml": true,
		"docker-compose.prod.yml": true, "compose.dev.yaml": true, "docker-compose.ci.override.yaml": true,
		"Docker-Compose.yml":    true,
		"docker-compose.yml.j2": false, "compose.json": false, "my-compose.yml": false, "composer.yaml": false, "compose-spec.yaml": false,
		"kustomization.yaml": false,
	} {
		if got := ClaimPath(p); got != want {
			t.Errorf("ClaimPath(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestSniff(t *testing.T) {
	yes := map[string]string{
		"plain":          "services:\n  web:\n    image: nginx\n",
		"build":          "name: x\nservices:\n  app:\n    build: .\n    x-note: 1\nvolumes:\n  data: {}\n",
		"flow":           `{"services": {"web": {"image": "nginx"}}}`,
		"later document": "---\nfoo: 1\n---\nservices:\n  web:\n    extends:\n      file: base.yml\n      service: web\n",
		// a lone \r ends a line for the YAML parser, so for the sniff too
		"lone carriage returns": "name: x\rservices:\r  web:\r    image: nginx\r",
	}
	no := map[string]string{
		"kubernetes":                     "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nservices:\n  web:\n    image: nginx\n",
		"gitlab ci":                      "services:\n  - docker:dind\nbuild:\n  script: [make]\n",
		"helm values":                    "replicaCount: 1\nservices:\n  api:\n    image:\n      repository: x\n      tag: 1\n",
		"helm values with only services": "services:\n  api:\n    image: x\n    replicas: 2\n    enabled: true\n",
		"ansible vars":                   "services:\n  web:\n    state: started\n    image: nginx\n",
		"no runnable service":            "services:\n  web:\n    ports: ['80:80']\n",
		"not yaml":                       "services: [\n",
		"services nested":                "spec:\n  services:\n    web:\n      image: nginx\n",
	}
	for name, src := range yes {
		if !Sniff([]byte(src)) {
			t.Errorf("%s: not sniffed as compose", name)
		}
	}
	for name, src := range no {
		if Sniff([]byte(src)) {
			t.Errorf("%s: sniffed as compose", name)
		}
	}
	if MayHold("chart/values.yaml") || MayHold("inventory/group_vars/all.yml") || !MayHold("stack/app.yml") {
		t.Error("MayHold: values files and Ansible variables are never compose; other YAML may be")
	}
}

func TestServiceSettings(t *testing.T) {
	p := scanFiles(t, "compose.yaml", `services:
  web:
    image: nginx:1.27
    platform: linux/amd64
    privileged: "yes"
    read_only: false
    user: "0:0"
    network_mode: host
    pid: host
    ipc: host
    uts: host
    userns_mode: host
    cap_add: [sys_admin, CAP_NET_ADMIN]
    cap_drop: [ALL]
    security_opt:
      - seccomp=unconfined
      - apparmor:unconfined
      - label=disable
      - label:type:spc_t
      - no-new-privileges:false
      - no-new-privileges
  quiet:
    image: nginx:1.27
    ipc: shareable
    security_opt: ["seccomp:profile.json", "apparmor=my-profile"]
`)
	noNotices(t, p)
	w := workload(t, p, "web")
	c := w.Containers[0]
	s := c.Security
	if w.Format != model.FormatCompose || w.Kind != "service" || w.OS != "linux" || c.Image.Value != "nginx:1.27" {
		t.Errorf("workload = %+v", w)
	}
	for what, b := range map[string]model.Bool{
		"privileged": s.Privileged, "network": w.HostNetwork, "pid": w.Host().PID, "ipc": w.Host().IPC,
		"uts": w.Host().UTS, "userns": w.Host().Userns, "label disable": s.SELinuxDisabled, "no-new-privileges": s.NoNewPrivileges,
	} {
		if !b.IsTrue() {
			t.Errorf("%s = %+v, want true", what, b)
		}
	}
	if !s.ReadOnlyRootFS.IsFalse() {
		t.Errorf("read_only = %+v", s.ReadOnlyRootFS)
	}
	if st, loc := s.Root(); st != model.RootExplicit || loc.Line != 7 {
		t.Errorf("root = %v at %v", st, loc)
	}
	if len(s.CapAdd) != 2 || model.Capability(s.CapAdd[0].Value) != "SYS_ADMIN" || s.CapAdd[1].Loc.Line != 13 {
		t.Errorf("cap_add = %+v", s.CapAdd)
	}
	if s.Seccomp.Value != "Unconfined" || s.AppArmor.Value != "Unconfined" || s.SELinuxType.Value != "spc_t" || s.Seccomp.Loc.Line != 16 {
		t.Errorf("profiles = %+v %+v %+v", s.Seccomp, s.AppArmor, s.SELinuxType)
	}
	if s.NoNewPrivileges.Loc.Line != 21 {
		t.Errorf("the later no-new-privileges wins, got line %d", s.NoNewPrivileges.Loc.Line)
	}

	q := workload(t, p, "quiet")
	qs := q.Containers[0].Security
	if q.Host().IPC.IsTrue() || qs.Seccomp.Value != "Localhost" || qs.AppArmor.Value != "Localhost" {
		t.Errorf("quiet = %+v %+v", q.Host().IPC, qs)
	}
	for what, b := range map[string]model.Bool{"privileged": qs.Privileged, "read_only": qs.ReadOnlyRootFS, "network": q.HostNetwork} {
		if b.Set || !b.Loc.Synthetic || b.Loc.Line != 22 {
			t.Errorf("unset %s = %+v, want a synthetic location on the service key", what, b)
		}
	}
	if nnp := qs.NoNewPrivileges; nnp.Set || !nnp.Loc.Synthetic || nnp.Loc.Line != 25 || nnp.Loc.Path != "services.quiet.security_opt.no-new-privileges" {
		t.Errorf("missing no-new-privileges belongs in security_opt, got %q", qs.NoNewPrivileges.Loc.Path)
	}
	if st, _ := qs.Root(); st != model.RootUnknown {
		t.Errorf("no user: root state %v, want unknown", st)
	}
}

func TestVolumes(t *testing.T) {
	p := scanFiles(t, "app/compose.yaml", `services:
  web:
    image: nginx
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
      - ./html:/usr/share/nginx/html:ro
      - .:/src
      - ../../shared:/shared
      - ~/.aws:/root/.aws:ro
      - $HOME/.kube:/root/.kube
      - ${DATA_DIR}:/data
      - ${CACHE_DIR:-./cache}:/cache
      - logs:/var/log/nginx
      - hostdata:/host
      - persisted:/persisted
      - /anonymous
      - C:\Users\me:/win
      - type: bind
        source: /etc
        target: /host-etc
        read_only: true
      - type: volume
        source: logs
        target: /logs2
      - type: tmpfs
        target: /tmp
      - type: npipe
        source: \\.\pipe\docker_engine
        target: \\.\pipe\docker_engine
    devices:
      - /dev/ttyUSB0:/dev/ttyUSB0:rwm
      - nvidia.com/gpu=all
      - source: /dev/sda
        target: /dev/xvda
    secrets: [db_password]
    configs:
      - source: nginx_conf
        target: /etc/nginx/nginx.conf
volumes:
  logs: {}
  hostdata:
    driver: local
    driver_opts:
      type: none
      o: bind
      device: /srv/data
  persisted:
    driver: local-persist
    driver_opts:
      mountpoint: /var/lib/docker/persisted
`)
	noNotices(t, p)
	w := workload(t, p, "web")
	type vol struct {
		kind   model.VolumeKind
		host   string
		target string
		ro     bool
		line   int
	}
	var got []vol
	for _, m := range w.Containers[0].Mounts {
		v := vol{kind: m.Volume.Kind, target: m.Target, ro: m.ReadOnly.Value, line: m.Loc.Line}
		if m.Volume.Kind == model.VolumeHostPath {
			v.host = m.Volume.HostPath.Value
			if !m.Volume.HostPath.Known() {
				v.host = "?"
			}
		}
		got = append(got, v)
	}
	want := []vol{
		{model.VolumeHostPath, "/var/run/docker.sock", "/var/run/docker.sock", false, 5},
		{model.VolumeProjectPath, "", "/usr/share/nginx/html", true, 6},
		{model.VolumeProjectPath, "", "/src", false, 7},
		{model.VolumeHostPath, "../../shared", "/shared", false, 8},
		{model.VolumeHostPath, "~/.aws", "/root/.aws", true, 9},
		{model.VolumeHostPath, "~/.kube", "/root/.kube", false, 10},
		{model.VolumeHostPath, "?", "/data", false, 11},
		{model.VolumeProjectPath, "", "/cache", false, 12},
		{model.VolumeNamed, "", "/var/log/nginx", false, 13},
		{model.VolumeHostPath, "/srv/data", "/host", false, 14},
		{model.VolumeHostPath, "/var/lib/docker/persisted", "/persisted", false, 15},
		{model.VolumeEmpty, "", "/anonymous", false, 16},
		{model.VolumeHostPath, `C:\Users\me`, "/win", false, 17},
		{model.VolumeHostPath, "/etc", "/host-etc", true, 19},
		{model.VolumeNamed, "", "/logs2", false, 23},
		{model.VolumeEmpty, "", "/tmp", false, 25},
		{model.VolumeHostPath, `\\.\pipe\docker_engine`, `\\.\pipe\docker_engine`, false, 28},
		{model.VolumeHostPath, "/dev/ttyUSB0", "/dev/ttyUSB0", false, 31},
		{model.VolumeHostPath, "nvidia.com/gpu=all", "nvidia.com/gpu=all", false, 32},
		{model.VolumeHostPath, "/dev/sda", "/dev/xvda", false, 33},
		{model.VolumeSecret, "", "/run/secrets/db_password", true, 35},
		{model.VolumeConfig, "", "/etc/nginx/nginx.conf", true, 37},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d mounts, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("mount %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	hd := w.Containers[0].Mounts[9].Volume
	if hd.HostPath.Loc.Line != 46 || len(hd.HostPath.Via) != 1 || hd.HostPath.Via[0].Loc.Line != 14 {
		t.Errorf("a named volume's host device points at its device key with the mount as related: %+v", hd.HostPath)
	}
	if model.ClassifyHostPath(`\\.\pipe\docker_engine`, "") != model.ReachRuntimeSocket {
		t.Error("Docker's Windows pipe is its API socket")
	}
	for i, d := range w.Containers[0].Mounts[17:20] {
		if !d.Volume.Device {
			t.Errorf("device %d not marked as a device", i)
		}
	}
}

func TestSplitVolume(t *testing.T) {
	for spec, want := range map[string][3]string{
		"/data":                {"", "/data", ""},
		"a":                    {"", "a", ""},
		"./x:/y":               {"./x", "/y", ""},
		"vol:/y:ro,z":          {"vol", "/y", "ro,z"},
		"x:/y":                 {"", "x:/y", ""}, // a drive letter, as compose-go reads it
		`C:\data:/data`:        {`C:\data`, "/data", ""},
		"${A:-/a}:/b":          {"${A:-/a}", "/b", ""},
		"${A:-${B:-/c}}:/b:rw": {"${A:-${B:-/c}}", "/b", "rw"},
		`c:\a:d:\b`:            {`c:\a`, `d:\b`, ""},
		"/var/run/docker.sock:/var/run/docker.sock": {"/var/run/docker.sock", "/var/run/docker.sock", ""},
	} {
		s, d, m, ok := splitVolume(spec)
		if !ok || [3]string{s, d, m} != want {
			t.Errorf("splitVolume(%q) = %q %q %q %v, want %q", spec, s, d, m, ok, want)
		}
	}
	for _, bad := range []string{"", "ab::c", ":/x", "ab:cd:ef:gh", "/x:"} {
		if _, _, _, ok := splitVolume(bad); ok {
			t.Errorf("splitVolume(%q) should fail", bad)
		}
	}
}

func TestEnvironment(t *testing.T) {
	p := scanFiles(t,
		"compose.yaml", `services:
  api:
    image: api
    environment:
      DB_PASSWORD: ${DB_PASSWORD}
      API_TOKEN:
      LITERAL: "s3cr3t-v4lue"
      ESCAPED: $$notavar
      URL: postgres://u:${PW}@db/x
      PORT: 8080
    env_file:
      - secrets.env
      - path: ./optional.env
        required: false
      - ../outside.env
  worker:
    image: w
    environment:
      - TOKEN=${GH_TOKEN:-none}
      - PASSTHROUGH
    env_file: common.env
`,
		"secrets.env", "# db\nDB_USER=app\nDB_PASSWORD=hunter2\n",
		"common.env", "LOG_LEVEL=info\nSTRIPE_SECRET_KEY=x\n",
	)
	noNotices(t, p)
	api := workload(t, p, "api").Containers[0]
	byName := map[string]*model.EnvVar{}
	for _, e := range api.Env {
		byName[e.Name] = e
	}
	if e := byName["DB_PASSWORD"]; e.FromVar != "DB_PASSWORD" || !e.Value.Unknown || e.Loc.Line != 5 {
		t.Errorf("DB_PASSWORD = %+v", e)
	}
	if e := byName["API_TOKEN"]; e.FromVar != "API_TOKEN" || e.Value.Set {
		t.Errorf("API_TOKEN (passed through) = %+v", e)
	}
	if e := byName["LITERAL"]; e.Value.Value != "s3cr3t-v4lue" || e.Value.Unknown || e.FromVar != "" {
		t.Errorf("LITERAL = %+v", e)
	}
	if e := byName["ESCAPED"]; e.Value.Value != "$notavar" || e.Value.Unknown {
		t.Errorf("ESCAPED = %+v", e)
	}
	if e := byName["URL"]; !e.Value.Unknown || e.FromVar != "" {
		t.Errorf("URL = %+v", e)
	}
	if e := byName["PORT"]; e.Value.Value != "8080" {
		t.Errorf("PORT = %+v", e)
	}
	if len(api.EnvSources) != 3 {
		t.Fatalf("env sources = %+v", api.EnvSources)
	}
	s := api.EnvSources[0]
	if s.Kind != model.EnvFromFile || s.Name != "secrets.env" || strings.Join(s.Keys, ",") != "DB_USER,DB_PASSWORD" || strings.Join(s.SecretKeys(), ",") != "DB_PASSWORD" || s.Loc.Line != 12 {
		t.Errorf("secrets.env = %+v", s)
	}
	if s := api.EnvSources[1]; s.Name != "./optional.env" || s.Keys != nil || s.Loc.Line != 13 {
		t.Errorf("optional.env = %+v", s)
	}
	if s := api.EnvSources[2]; s.Name != "../outside.env" || s.Keys != nil {
		t.Errorf("outside.env = %+v", s)
	}
	wk := workload(t, p, "worker").Containers[0]
	if e := wk.Env[0]; e.Name != "TOKEN" || e.FromVar != "GH_TOKEN" || !e.Value.Unknown || e.Loc.Line != 19 {
		t.Errorf("TOKEN = %+v", e)
	}
	if e := wk.Env[1]; e.Name != "PASSTHROUGH" || e.FromVar != "PASSTHROUGH" {
		t.Errorf("PASSTHROUGH = %+v", e)
	}
	if s := wk.EnvSources[0]; strings.Join(s.SecretKeys(), ",") != "STRIPE_SECRET_KEY" || s.Loc.Line != 21 {
		t.Errorf("common.env = %+v", s)
	}
}

func TestInterpolationFromDotEnv(t *testing.T) {
	p := scanFiles(t,
		"compose.yaml", `services:
  web:
    image: nginx
    privileged: ${PRIVILEGED}
    read_only: ${READ_ONLY:-true}
    network_mode: ${NET_MODE}
    user: ${UID}:${GID}
    volumes:
      - ${DATA}:/data
`,
		".env", "PRIVILEGED=true\nDATA=/var/lib/docker\n",
	)
	noNotices(t, p)
	w := workload(t, p, "web")
	s := w.Containers[0].Security
	if !s.Privileged.IsTrue() || len(s.Privileged.Via) != 1 || s.Privileged.Via[0].Loc.File != ".env" || s.Privileged.Via[0].Loc.Line != 1 || s.Privileged.Loc.Line != 4 {
		t.Errorf("privileged from .env = %+v", s.Privileged)
	}
	if !s.ReadOnlyRootFS.IsTrue() || s.ReadOnlyRootFS.Via != nil {
		t.Errorf("read_only from its default = %+v", s.ReadOnlyRootFS)
	}
	if !w.HostNetwork.Unknown || w.HostNetwork.IsTrue() {
		t.Errorf("network_mode from an unset variable = %+v", w.HostNetwork)
	}
	if s.User.Known() {
		t.Errorf("user from unset variables = %+v", s.User)
	}
	hp := w.Containers[0].Mounts[0].Volume.HostPath
	if !hp.Known() || hp.Value != "/var/lib/docker" || len(hp.Via) != 1 || hp.Via[0].Loc.Line != 2 {
		t.Errorf("volume source from .env = %+v", hp)
	}
	for _, r := range append(s.Privileged.Via, hp.Via...) {
		if strings.Contains(r.Message, "true") || strings.Contains(r.Message, "/var/lib") {
			t.Errorf("a related location prints a value: %q", r.Message)
		}
	}
}

func TestAnchorsAndMergeKeys(t *testing.T) {
	p := scanFiles(t, "compose.yaml", `x-common: &common
  privileged: true
  cap_add: [NET_ADMIN]
services:
  a:
    <<: *common
    image: a
  b:
    <<: *common
    image: b
    privileged: false
`)
	noNotices(t, p)
	a := workload(t, p, "a").Containers[0].Security
	if !a.Privileged.IsTrue() || a.Privileged.Loc.Line != 2 || !a.Privileged.Loc.Anchored || len(a.Privileged.Via) != 1 || a.Privileged.Via[0].Loc.Line != 6 {
		t.Errorf("a.privileged = %+v", a.Privileged)
	}
	b := workload(t, p, "b").Containers[0].Security
	if !b.Privileged.IsFalse() || b.Privileged.Loc.Line != 11 {
		t.Errorf("b overrides the anchor: %+v", b.Privileged)
	}
	if len(b.CapAdd) != 1 || b.CapAdd[0].Loc.Line != 3 {
		t.Errorf("b.cap_add = %+v", b.CapAdd)
	}
}

func TestExtends(t *testing.T) {
	p := scanFiles(t,
		"app/compose.yaml", `services:
  base:
    image: base
    privileged: true
    volumes:
      - ./data:/data
      - /srv:/srv
  web:
    extends: base
    volumes:
      - /opt:/data
  remote:
    extends:
      file: common/services.yml
      service: agent
    environment:
      MODE: x
  missing:
    extends:
      file: nowhere.yml
      service: x
  same-name:
    extends:
      file: common/services.yml
      service: same-name
  oci:
    extends:
      file: oci://registry.example.com/stacks/base:1
      service: web
  cycle:
    extends: cycle2
  cycle2:
    image: c
    extends: cycle
`,
		"app/common/services.yml", `services:
  same-name:
    image: s
    user: root
  agent:
    image: agent
    network_mode: host
    volumes:
      - ./conf:/conf
      - ../../../etc:/host-etc
    environment:
      TOKEN: ${AGENT_TOKEN}
`,
	)
	web := workload(t, p, "web")
	if s := web.Containers[0].Security.Privileged; !s.IsTrue() || s.Loc.Line != 4 || len(s.Via) != 1 || s.Via[0].Loc.Line != 9 || !s.Loc.Anchored {
		t.Errorf("web.privileged inherited = %+v", s)
	}
	ms := web.Containers[0].Mounts
	if len(ms) != 2 || ms[0].Target != "/data" || ms[0].Volume.HostPath.Value != "/opt" || ms[1].Target != "/srv" {
		t.Errorf("web mounts merged by target: %+v", ms)
	}
	r := workload(t, p, "remote")
	if !r.HostNetwork.IsTrue() || r.HostNetwork.Loc.File != "app/common/services.yml" || r.HostNetwork.Loc.Line != 7 {
		t.Errorf("remote.network_mode from the other file = %+v", r.HostNetwork)
	}
	rm := r.Containers[0].Mounts
	if rm[0].Volume.Kind != model.VolumeProjectPath || rm[1].Volume.Kind != model.VolumeHostPath {
		t.Errorf("paths of the other file resolve against its directory: %+v %+v", rm[0].Volume, rm[1].Volume)
	}
	if len(r.Containers[0].Env) != 2 || r.Partial {
		t.Errorf("remote env = %+v partial=%v", r.Containers[0].Env, r.Partial)
	}
	if s := workload(t, p, "same-name"); s.Partial || !s.Containers[0].Security.User.Known() {
		t.Error("a base of the same name in another file is no cycle")
	}
	if o := workload(t, p, "oci"); !o.Partial {
		t.Error("a remote base is not read: the service is partial")
	}
	if m := workload(t, p, "missing"); !m.Partial {
		t.Error("a service whose base cannot be read is partial")
	}
	msgs := noticeLines(p)
	want := []string{
		"app/compose.yaml:20:7 extends file nowhere.yml does not exist; docker compose would reject this service",
		"app/compose.yaml:28:7 extends file oci://registry.example.com/stacks/base:1 is remote and was not read; the service was checked without its base",
		`app/compose.yaml:31:5 services.cycle.extends leads back to service "cycle2", a cycle; docker compose would reject it`,
		`app/compose.yaml:34:5 services.cycle2.extends leads back to service "cycle", a cycle; docker compose would reject it`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("notices:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	// a service checked without its base is not checked in full: the scan
	// must not pass
	for _, n := range p.Notices {
		if strings.Contains(n.Message, "checked without its base") && n.Level != model.NoticeError {
			t.Errorf("%s: a %s, want an error", n.Message, n.Level)
		}
	}
}

// TestRemoteNoticesWithholdCredentials: a remote include or extends file
// is reported where it is written, named without its user information or
// query values, which may be tokens.
func TestRemoteNoticesWithholdCredentials(t *testing.T) {
	p := scanFiles(t, "compose.yaml", `include:
  - https://deploy:glpat-PLANTED1@gitlab.example.com/stacks/x.yml
  - path: oci://user:PLANTED2@registry.example.com/stack:1
  - https://gitlab.example.com/raw/y.yml?private_token=PLANTED4&ref=main
services:
  web:
    image: x:1
    extends:
      file: https://ci:PLANTED3@example.com/base.yml
      service: base
`)
	want := []string{
		`compose.yaml:2:5 included Compose file "https://…@gitlab.example.com/stacks/x.yml" is remote and was not read (isolint fetches nothing); the services it defines were not checked`,
		`compose.yaml:3:5 included Compose file "oci://…@registry.example.com/stack:1" is remote and was not read (isolint fetches nothing); the services it defines were not checked`,
		`compose.yaml:4:5 included Compose file "https://gitlab.example.com/raw/y.yml?private_token=…&ref=main" is remote and was not read (isolint fetches nothing); the services it defines were not checked`,
		`compose.yaml:9:7 extends file https://…@example.com/base.yml is remote and was not read; the service was checked without its base`,
	}
	got := strings.Join(noticeLines(p), "\n")
	if got != strings.Join(want, "\n") {
		t.Errorf("notices:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if strings.Contains(got, "PLANTED") {
		t.Errorf("a planted credential reached a notice:\n%s", got)
	}
}

func TestServiceReferences(t *testing.T) {
	p := scanFiles(t, "compose.yaml", `services:
  proxy:
    image: p
    network_mode: host
    pid: host
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
  sidecar:
    image: s
    network_mode: service:proxy
    pid: "service:proxy"
    volumes_from:
      - proxy:ro
  quiet:
    image: q
    network_mode: service:plain
  plain:
    image: p
  elsewhere:
    image: e
    network_mode: service:defined-in-an-override
  other:
    image: o
    network_mode: "container:abc"
    volumes_from: [container:abc, sidecar]
`)
	noNotices(t, p)
	s := workload(t, p, "sidecar")
	if !s.HostNetwork.IsTrue() || s.HostNetwork.Loc.Line != 10 || len(s.HostNetwork.Via) != 1 || s.HostNetwork.Via[0].Loc.Line != 4 {
		t.Errorf("sidecar network = %+v", s.HostNetwork)
	}
	if !s.Host().PID.IsTrue() || s.Host().PID.Loc.Line != 11 {
		t.Errorf("sidecar pid = %+v", s.Host().PID)
	}
	m := s.Containers[0].Mounts
	if len(m) != 1 || m[0].Loc.Line != 13 || !m[0].ReadOnly.IsTrue() || m[0].Volume.HostPath.Value != "/var/run/docker.sock" || m[0].Volume.HostPath.Via[0].Loc.Line != 7 {
		t.Errorf("sidecar volumes_from = %+v", m)
	}
	if q := workload(t, p, "quiet"); q.HostNetwork.Unknown || q.HostNetwork.IsTrue() || !workload(t, p, "elsewhere").HostNetwork.Unknown {
		t.Errorf("joining a service resolves to its namespace, unknown when the service is not in the file")
	}
	o := workload(t, p, "other")
	if o.HostNetwork.IsTrue() || !o.HostNetwork.Unknown {
		t.Errorf("a container's network is unknown: %+v", o.HostNetwork)
	}
	if m := o.Containers[0].Mounts; len(m) != 1 || m[0].Loc.Line != 25 {
		t.Errorf("volumes_from through two services = %+v", m)
	}
}

func TestMalformed(t *testing.T) {
	p := scanFiles(t, "compose.yaml", `services:
  web:
    image: nginx
    privileged: maybe
    cap_add: SYS_ADMIN
    volumes: /data:/data
    environment: FOO=bar
    security_opt:
      - seccomp: unconfined
    user: ${
  broken:
  list:
    - not a mapping
  ok:
    image: nginx
    privileged: true
`)
	got := noticeLines(p)
	want := []string{
		"compose.yaml:4:5 services.web.privileged must be a boolean (true or false), got a string; docker compose would reject it, so it was not checked",
		"compose.yaml:5:5 services.web.cap_add must be a list, got a string",
		"compose.yaml:6:5 services.web.volumes must be a list, got a string",
		"compose.yaml:7:5 services.web.environment must be a mapping or a list of KEY=VALUE strings, got a string; docker compose would reject it",
		"compose.yaml:9:9 services.web.security_opt[0] must be a string, got a mapping; docker compose would reject it",
		"compose.yaml:10:5 services.web.user holds an invalid ${…} interpolation; docker compose would reject it, so it was not checked",
		"compose.yaml:11:3 services.broken must be a mapping (a service definition), got null",
		"compose.yaml:12:3 services.list must be a mapping, got a list",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("notices:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !workload(t, p, "ok").Containers[0].Security.Privileged.IsTrue() {
		t.Error("the scan goes on after bad input")
	}
	for _, n := range p.Notices {
		if strings.Contains(n.Message, "maybe") || strings.Contains(n.Message, "FOO=bar") {
			t.Errorf("a notice prints a value: %s", n.Message)
		}
	}
}

func TestPartialAndTags(t *testing.T) {
	p := scanFiles(t, "compose.override.yaml", `services:
  web:
    volumes:
      - ./src:/src
  base:
    image: b
    cap_add: [SYS_ADMIN]
  derived:
    extends: base
    cap_add: !reset []
`)
	noNotices(t, p)
	if !workload(t, p, "web").Partial {
		t.Error("a service with neither image nor build is an override fragment")
	}
	if workload(t, p, "derived").Partial || len(workload(t, p, "derived").Containers[0].Security.CapAdd) != 0 {
		t.Error("!reset drops what the base sets")
	}
}

func TestTemplate(t *testing.T) {
	p := scanFiles(t, "templates/docker-compose.yml", "services:\n  web:\n    image: {{ image }}:{{ tag }}\n    {% if x %}privileged: true{% endif %}\n")
	if len(p.Notices) != 1 || p.Notices[0].Level != model.NoticeNote || !strings.Contains(p.Notices[0].Message, "template") {
		t.Errorf("a template is noted, not an error: %+v", p.Notices)
	}
}

func TestV1File(t *testing.T) {
	p := scanFiles(t, "docker-compose.yml", "web:\n  image: nginx\n  privileged: true\n")
	if len(p.Workloads) != 0 || len(p.Notices) != 1 || p.Notices[0].Level != model.NoticeNote {
		t.Errorf("a v1 file is noted and not checked: %+v", p)
	}
}

func TestCommand(t *testing.T) {
	p := scanFiles(t, "compose.yaml", `services:
  api:
    image: api
    entrypoint: ["/bin/api"]
    command: serve --token "a b" 'c d' --db=${DB_URL} e\ f $$HOME
  worker:
    image: w
    command:
      - --password
      - ${PW}
      - x
  base:
    image: b
    command: a b
  child:
    extends: base
    command: [c]
`)
	noNotices(t, p)
	var got []string
	for _, a := range workload(t, p, "api").Containers[0].Args {
		s := a.Value
		if a.Unknown {
			s = "?"
		}
		got = append(got, s)
	}
	if want := "/bin/api|serve|--token|a b|c d|?|e f|$HOME"; strings.Join(got, "|") != want {
		t.Errorf("args = %q, want %q", strings.Join(got, "|"), want)
	}
	w := workload(t, p, "worker").Containers[0].Args
	if len(w) != 3 || w[0].Loc.Line != 9 || !w[1].Unknown || w[2].Loc.Line != 11 {
		t.Errorf("worker args = %+v", w)
	}
	if c := workload(t, p, "child").Containers[0].Args; len(c) != 1 || c[0].Value != "c" {
		t.Errorf("a service's command replaces its base's: %+v", c)
	}
	for _, bad := range []string{`a "b`, `a 'b`} {
		if _, ok := shellSplit(bad); ok {
			t.Errorf("shellSplit(%q) should fail", bad)
		}
	}
}

func TestEnvFileProblemsOnce(t *testing.T) {
	p := scanFiles(t, "compose.yaml", "services:\n  a:\n    image: x\n    env_file: bad.env\n    user: ${U}\n",
		"bad.env", "A=1\nnot valid\nstill not\nB=2\n", ".env", "bad line\n")
	got := noticeLines(p)
	want := []string{
		".env:1:1 this .env line is not a KEY=VALUE line; docker compose would reject the file",
		"bad.env:2:1 this env_file line is not a KEY=VALUE line (and 1 more lines); docker compose would reject the file",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("notices:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if src := workload(t, p, "a").Containers[0].EnvSources[0]; strings.Join(src.Keys, ",") != "A,B" {
		t.Errorf("keys = %v", src.Keys)
	}
}

// A Compose file named alone (a pre-commit hook) whose extends file lies
// above its folder reads it from the git work tree around the scan; without
// a work tree the base is not read and the service is not checked in full
// (an error).
func TestExtendsFromWorkTree(t *testing.T) {
	for _, repo := range []bool{true, false} {
		root := t.TempDir()
		root, _ = filepath.EvalSymlinks(root)
		files := map[string]string{
			"common.yml":                "services:\n  base:\n    image: x:1\n    privileged: true\n",
			"services/api/compose.yaml": "services:\n  api:\n    extends:\n      file: ../../common.yml\n      service: base\n",
		}
		if repo {
			files[".git/HEAD"] = "ref: refs/heads/main\n"
		}
		testfiles.WriteTree(t, root, files)
		name := "services/api/compose.yaml"
		f := &source.File{Path: name, Abs: filepath.Join(root, filepath.FromSlash(name)), Root: filepath.Join(root, "services", "api"), Content: []byte(files[name])}
		p := Scan(f)
		api := workload(t, p, "api")
		if repo {
			noNotices(t, p)
			if !api.Containers[0].Security.Privileged.IsTrue() || api.Containers[0].Security.Privileged.Loc.File != "common.yml" {
				t.Errorf("in a work tree: privileged %+v, want true from common.yml", api.Containers[0].Security.Privileged)
			}
			continue
		}
		if len(p.Notices) != 1 || p.Notices[0].Level != model.NoticeError || !strings.Contains(p.Notices[0].Message, "was not read") {
			t.Errorf("without a work tree: notices %v, want one error", noticeLines(p))
		}
	}
}

// A side file of the scanned tree that cannot be read (here a folder where
// a file belongs) leaves what it sets unchecked, as a remote include leaves
// its services: each is an error, so the scan does not pass. An env_file
// that is not there is no notice: env files are often kept out of the
// repository, and secret-env-bulk still names it.
func TestUnreadSideFilesAreErrors(t *testing.T) {
	p := scanFiles(t, "compose.yaml", `include:
  - https://example.com/stack.yml
services:
  web:
    image: x:1
    env_file: [secrets.env, absent.env]
    extends:
      file: base.yml
      service: base
`, "secrets.env/README", "a folder", "base.yml/README", "a folder")
	var got []string
	for _, n := range p.Notices {
		got = append(got, fmt.Sprintf("%d:%d %s: %s", n.Loc.Line, n.Loc.Col, n.Level, n.Message))
	}
	want := []string{
		`2:5 error: included Compose file "https://example.com/stack.yml" is remote and was not read (isolint fetches nothing); the services it defines were not checked`,
		`6:16 error: env_file "secrets.env" could not be read (not a regular file); the variables it sets were not checked`,
		`8:7 error: extends file base.yml could not be read (not a regular file); the service was checked without its base`,
	}
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("notices:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
