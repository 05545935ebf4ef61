package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/k8s"
)

// These tests pin what the fixture harness does not see: severity and
// confidence per finding, related locations, and that messages never carry
// a value. The manifests are lowered by the real Kubernetes scanner.

func scanK8s(t *testing.T, manifest string, opts Options) []Finding {
	t.Helper()
	proj := k8s.New(k8s.Options{}).Scan("m.yaml", []byte(manifest))
	for _, n := range proj.Notices {
		t.Fatalf("unexpected notice %s: %s", n.Loc, n.Message)
	}
	return Run(All(), proj, opts)
}

func ofRule(fs []Finding, rule string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.RuleID == rule {
			out = append(out, f)
		}
	}
	return out
}

func atLine(t *testing.T, fs []Finding, rule string, line int) Finding {
	t.Helper()
	for _, f := range fs {
		if f.RuleID == rule && f.Loc.Line == line {
			return f
		}
	}
	t.Fatalf("no %s finding on line %d; got %v", rule, line, fs)
	return Finding{}
}

const hostMounts = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: a
      image: x
      volumeMounts:
        - {name: etc, mountPath: /h/etc}
        - {name: logs, mountPath: /h/logs, readOnly: true}
        - {name: data, mountPath: /data}
        - {name: sock, mountPath: /s, readOnly: true}
  volumes:
    - name: etc
      hostPath: {path: /etc}
    - name: logs
      hostPath: {path: /var/log}
    - name: data
      hostPath: {path: /srv/data}
    - name: sock
      hostPath: {path: /run/containerd/containerd.sock}
`

func TestHostPathSeverity(t *testing.T) {
	fs := scanK8s(t, hostMounts, Options{})
	for _, c := range []struct {
		line int
		sev  Severity
	}{{15, High}, {17, Medium}, {19, Medium}} {
		if f := atLine(t, fs, "host-path-mount", c.line); f.Severity != c.sev {
			t.Errorf("line %d: severity %s, want %s", c.line, f.Severity, c.sev)
		}
	}
	if n := len(ofRule(fs, "host-path-mount")); n != 3 {
		t.Errorf("%d host-path-mount findings, want 3 (the socket belongs to container-runtime-socket)", n)
	}
	sock := atLine(t, fs, "container-runtime-socket", 21)
	if sock.Severity != Critical || len(sock.Related) != 1 || sock.Related[0].Loc.Line != 12 {
		t.Errorf("socket finding: severity %s, related %v; want critical with the volumeMount on line 12", sock.Severity, sock.Related)
	}
}

// TestSocketParentSeverity: a read-only mount of / or /run is critical, as
// a read-only mount of the socket is, and says why read-only is no help;
// /var stays a medium sensitive path.
func TestSocketParentSeverity(t *testing.T) {
	fs := scanK8s(t, `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: a
      image: x
      volumeMounts:
        - {name: root, mountPath: /h, readOnly: true}
        - {name: run, mountPath: /r, readOnly: true}
        - {name: sock, mountPath: /s, readOnly: true}
        - {name: var, mountPath: /v, readOnly: true}
  volumes:
    - {name: root, hostPath: {path: /}}
    - {name: run, hostPath: {path: /run}}
    - {name: sock, hostPath: {path: /var/run/docker.sock}}
    - {name: var, hostPath: {path: /var}}
`, Options{})
	for line := 15; line <= 16; line++ {
		f := atLine(t, fs, "container-runtime-socket", line)
		if f.Severity != Critical || !strings.HasSuffix(f.Message, "; read-only does not stop a process connecting to a socket") {
			t.Errorf("line %d: %s %q", line, f.Severity, f.Message)
		}
	}
	// / is the whole filesystem: a host path, critical read-only or not
	if f := atLine(t, fs, "host-path-mount", 14); f.Severity != Critical || !strings.Contains(f.Message, "whole filesystem") {
		t.Errorf("/ read-only: %s %q", f.Severity, f.Message)
	}
	if f := atLine(t, fs, "host-path-mount", 17); f.Severity != Medium {
		t.Errorf("/var read-only: %s", f.Severity)
	}
	if n, m := len(ofRule(fs, "host-path-mount")), len(ofRule(fs, "container-runtime-socket")); n != 2 || m != 2 {
		t.Errorf("%d host-path-mount and %d container-runtime-socket findings, want 2 (/, /var) and 2 (/run, the socket)", n, m)
	}
}

func TestCapabilitySeverity(t *testing.T) {
	fs := scanK8s(t, `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: a
      image: x
      securityContext:
        capabilities:
          add: [NET_RAW, cap_sys_admin, MAC_OVERRIDE, SETFCAP]
`, Options{})
	got := ofRule(fs, "dangerous-capability")
	if len(got) != 3 || got[0].Severity != Medium || got[1].Severity != High || got[2].Severity != Medium {
		t.Fatalf("want NET_RAW medium, SYS_ADMIN high, MAC_OVERRIDE medium and SETFCAP (Baseline) quiet, got %v", got)
	}
	if got[0].Loc.Col != 17 || got[1].Loc.Col != 26 {
		t.Errorf("columns %d, %d; want each list item (17, 26)", got[0].Loc.Col, got[1].Loc.Col)
	}
}

func TestConfidence(t *testing.T) {
	fs := scanK8s(t, `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  serviceAccountName: p
  securityContext:
    runAsUser: 0
  containers:
    - name: a
      image: x
      env:
        - {name: GITHUB_TOKEN, value: ghp_0123456789abcdefghijABCDEFGHIJ012345}
        - {name: DB_PASSWORD, value: correct-horse-battery}
    - name: b
      image: x
      securityContext:
        runAsUser: 1000
---
apiVersion: v1
kind: Pod
metadata: {name: q}
spec:
  containers:
    - name: a
      image: x
`, Options{})
	for _, c := range []struct {
		rule string
		line int
		conf Confidence
	}{
		{"literal-credential", 12, ConfidenceHigh},
		{"literal-credential", 13, ConfidenceMedium},
		{"runs-as-root", 7, ConfidenceHigh},
		{"runs-as-root", 24, ConfidenceLow},
		{"service-account-token-automount", 4, ConfidenceMedium},
	} {
		if f := atLine(t, fs, c.rule, c.line); f.Confidence != c.conf {
			t.Errorf("%s line %d: confidence %s, want %s", c.rule, c.line, f.Confidence, c.conf)
		}
	}
}

// TestPodLevelKeyReportedOnce: a pod-level key several containers inherit
// gives one finding at that key, naming them and relating each container.
func TestPodLevelKeyReportedOnce(t *testing.T) {
	fs := scanK8s(t, `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext:
    runAsUser: 0
    seccompProfile: {type: Unconfined}
  initContainers:
    - name: init
      image: x
  containers:
    - name: a
      image: x
    - name: b
      image: x
      securityContext:
        runAsUser: 1000
        seccompProfile: {type: RuntimeDefault}
`, Options{})
	for _, rule := range []string{"runs-as-root", "unconfined-profile"} {
		got := ofRule(fs, rule)
		if len(got) != 1 {
			t.Fatalf("%s: %d findings, want 1: %v", rule, len(got), got)
		}
		f := got[0]
		if !strings.Contains(f.Message, `initContainer "init" and container "a"`) || strings.Contains(f.Message, `"b"`) {
			t.Errorf("%s message %q should name init and a, not b", rule, f.Message)
		}
		if len(f.Related) != 2 || f.Related[0].Loc.Line != 9 || f.Related[1].Loc.Line != 12 {
			t.Errorf("%s related %v, want the two inheriting containers (lines 9, 12)", rule, f.Related)
		}
	}
}

func TestSecretScopeRelated(t *testing.T) {
	fs := scanK8s(t, `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: a
      image: x
      env:
        - name: T
          valueFrom: {secretKeyRef: {name: s, key: k}}
    - name: b
      image: x
      env:
        - name: T2
          valueFrom: {secretKeyRef: {name: s, key: k}}
`, Options{})
	f := atLine(t, fs, "secret-scope-too-wide", 10)
	if len(f.Related) != 1 || f.Related[0].Loc.Line != 15 {
		t.Errorf("related %v, want the second binding (line 15)", f.Related)
	}
}

func TestOverprivilegedRelated(t *testing.T) {
	fs := scanK8s(t, `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: ns}
rules:
  - apiGroups: [""]
    resources: [pods]
    verbs: [get]
  - apiGroups: [""]
    resources: ["*"]
    verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: ns}
roleRef: {kind: Role, name: r}
subjects:
  - {kind: ServiceAccount, name: sa}
  - {kind: Group, name: system:masters}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: ns}
spec:
  template:
    spec:
      serviceAccountName: sa
      containers: [{name: c, image: x}]
`, Options{})
	got := ofRule(fs, "overprivileged-identity")
	if len(got) != 1 {
		t.Fatalf("%d findings, want 1 (the group is not a service-account subject): %v", len(got), got)
	}
	f := got[0]
	if f.Loc.Line != 15 || len(f.Related) != 2 || f.Related[0].Loc.Line != 8 || f.Related[1].Loc.Line != 26 {
		t.Errorf("at line %d with related %v; want line 15, the role rule (8) and the workload's serviceAccountName (26)", f.Loc.Line, f.Related)
	}
}

// TestOverprivilegedBroadSubjects: the groups every service account is in,
// and anonymous requests, which any pod can send, give the role to every
// workload; each finding names the subject and lists the workloads it
// reaches, a pod whose account is not known included for anonymous requests.
func TestOverprivilegedBroadSubjects(t *testing.T) {
	fs := scanK8s(t, `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: b}
roleRef: {kind: ClusterRole, name: cluster-admin}
subjects:
  - {kind: Group, name: system:authenticated}
  - {kind: User, name: system:anonymous}
  - {kind: Group, name: system:unauthenticated}
  - {kind: Group, name: system:serviceaccounts}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: ns}
spec:
  template:
    spec:
      serviceAccountName: sa
      containers: [{name: c, image: x}]
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: other}
spec:
  serviceAccountName: "{{ .Values.sa }}"
  containers: [{name: c, image: x}]
`, Options{})
	got := ofRule(fs, "overprivileged-identity")
	if len(got) != 4 {
		t.Fatalf("%d findings, want one per subject: %v", len(got), got)
	}
	for _, c := range []struct {
		who     string
		related []int // the lines of the workloads' serviceAccountName
	}{
		{"every service account and signed-in user (group system:authenticated)", []int{17}},
		{"every pod, through anonymous requests (User system:anonymous)", []int{17, 24}},
		{"every pod, through anonymous requests (Group system:unauthenticated)", []int{17, 24}},
		{"every service account (group system:serviceaccounts)", []int{17}},
	} {
		var f *Finding
		for i := range got {
			if strings.HasPrefix(got[i].Message, c.who+" is bound by") {
				f = &got[i]
			}
		}
		if f == nil {
			t.Errorf("no finding for %s: %v", c.who, got)
			continue
		}
		var lines []int
		for _, r := range f.Related {
			lines = append(lines, r.Loc.Line)
		}
		if f.Loc.Line != 4 || fmt.Sprint(lines) != fmt.Sprint(c.related) {
			t.Errorf("%s: at line %d with related lines %v, want line 4 and %v", c.who, f.Loc.Line, lines, c.related)
		}
	}
}

// TestNonResourceURLMessage: a rule over non-resource URLs names them.
func TestNonResourceURLMessage(t *testing.T) {
	fs := scanK8s(t, `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: metrics}
rules:
  - nonResourceURLs: ["/metrics", "/logs/*"]
    verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: b}
roleRef: {kind: ClusterRole, name: metrics}
subjects:
  - {kind: ServiceAccount, name: sa, namespace: ns}
`, Options{})
	got := ofRule(fs, "overprivileged-identity")
	if len(got) != 1 {
		t.Fatalf("%d findings, want 1: %v", len(got), got)
	}
	if m := got[0].Message; !strings.Contains(m, "use every verb on non-resource URLs /metrics, /logs/*") || strings.Contains(m, "  ") {
		t.Errorf("message %q does not name the URLs", m)
	}
}

// TestNoValueInMessages: literal values never reach a message or a related
// location's message, whatever rule reports on them.
func TestNoValueInMessages(t *testing.T) {
	secrets := []string{
		"ghp_0123456789abcdefghijABCDEFGHIJ012345", "Sup3rS3cretPw", "hunter2hunter2",
		"correct-horse-battery", "glpat-AbCdEfGhIjKlMnOpQrSt12", "s3cr3t-t0ken-value",
	}
	fs := scanK8s(t, `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: a
      image: x
      env:
        - {name: GITHUB_TOKEN, value: ghp_0123456789abcdefghijABCDEFGHIJ012345}
        - {name: DATABASE_URL, value: "postgres://u:Sup3rS3cretPw@db/app"}
        - {name: dbPassword, value: correct-horse-battery}
      args: [--db-password=hunter2hunter2, --token, s3cr3t-t0ken-value, "curl -H 'PRIVATE-TOKEN: glpat-AbCdEfGhIjKlMnOpQrSt12'"]
    - name: b
      image: x
      env:
        - {name: GITHUB_TOKEN, value: ghp_0123456789abcdefghijABCDEFGHIJ012345}
`, Options{})
	if n := len(ofRule(fs, "literal-credential")); n != 7 {
		t.Errorf("%d literal-credential findings, want 7", n)
	}
	for _, f := range fs {
		texts := []string{f.Message, f.Loc.Path, f.Object}
		for _, r := range f.Related {
			texts = append(texts, r.Message, r.Loc.Path)
		}
		for _, s := range texts {
			for _, v := range secrets {
				if strings.Contains(s, v) {
					t.Errorf("%s: %q contains a value", f.RuleID, s)
				}
			}
		}
	}
}

func TestArgCredential(t *testing.T) {
	args := func(ss ...string) []model.String {
		out := make([]model.String, len(ss))
		for i, s := range ss {
			out[i] = model.String{Value: s, Set: true}
		}
		return out
	}
	for _, c := range []struct {
		args   []string
		i      int
		ok     bool
		strong bool
		flag   string
	}{
		{[]string{"--password=hunter2hunter2"}, 0, true, false, "--password"},
		{[]string{"--api-key", "abcdef123456"}, 1, true, false, "--api-key"},
		{[]string{"-p", "hunter2hunter2"}, 1, false, false, ""},
		{[]string{"--password-file=/run/secrets/pw"}, 0, false, false, ""},
		{[]string{"--password", "--verbose"}, 1, false, false, ""},
		{[]string{"--token", "$(TOKEN)"}, 1, false, false, ""},
		{[]string{"--token=${TOKEN}"}, 0, false, false, ""},
		{[]string{"echo ghp_0123456789abcdefghijABCDEFGHIJ012345"}, 0, true, true, ""},
		{[]string{"--header", "x"}, 1, false, false, ""},
	} {
		kind, strong, flag, ok := argCredential(args(c.args...), c.i)
		if ok != c.ok || strong != c.strong || flag != c.flag || ok != (kind != "") {
			t.Errorf("%q[%d]: got ok=%v strong=%v flag=%q kind=%q; want ok=%v strong=%v flag=%q", c.args, c.i, ok, strong, flag, kind, c.ok, c.strong, c.flag)
		}
	}
}

func TestEgressRequired(t *testing.T) {
	m := `apiVersion: v1
kind: Pod
metadata: {name: p, labels: {app: p}}
spec:
  containers: [{name: a, image: x}]
`
	if n := len(ofRule(scanK8s(t, m, Options{}), "egress-unrestricted")); n != 0 {
		t.Errorf("without policies or the option: %d findings, want 0", n)
	}
	got := ofRule(scanK8s(t, m, Options{RequireEgressPolicy: true}), "egress-unrestricted")
	if len(got) != 1 || got[0].Loc.Line != 3 || got[0].Confidence != ConfidenceMedium {
		t.Errorf("with the option: %v, want one medium-confidence finding at metadata.name (line 3)", got)
	}
}

// BenchmarkKubernetesRules runs every rule over 2,000 workloads in 20
// namespaces with a NetworkPolicy and a RoleBinding each.
func BenchmarkKubernetesRules(b *testing.B) {
	var sb strings.Builder
	for i := range 2000 {
		ns := i % 20
		fmt.Fprintf(&sb, `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app-%d, namespace: ns-%d}
spec:
  template:
    metadata: {labels: {app: app-%d}}
    spec:
      serviceAccountName: sa-%d
      containers:
        - name: app
          image: x
          env: [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}, {name: TOKEN, value: abcdefghijkl}]
        - name: sidecar
          image: y
          env: [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}]
      volumes: [{name: h, hostPath: {path: /var/log}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np-%d, namespace: ns-%d}
spec:
  podSelector: {matchLabels: {app: app-%d}}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb-%d, namespace: ns-%d}
roleRef: {kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: sa-%d}]
`, i, ns, i, i%500, i, ns, i+1, i, ns, i)
	}
	proj := k8s.New(k8s.Options{}).Scan("bench.yaml", []byte(sb.String()))
	rs := All()
	b.ReportAllocs()
	for b.Loop() {
		Run(rs, proj, Options{})
	}
}

func TestArgFlagShape(t *testing.T) {
	args := []model.String{{Value: "--pass word=hunter2hunter2", Set: true}, {Value: "-ghp_0123456789abcdefghijABCDEFGHIJ012345", Set: true}, {Value: "hunter2hunter2", Set: true}}
	for i := range args {
		if _, _, flag, ok := argCredential(args, i); ok && flag != "" {
			t.Errorf("item %d: flag %q quoted from a value that is not a flag name", i, flag)
		}
	}
}

// A host volume no container mounts gives nothing and is not reported;
// one whose mounts could not all be read may be mounted, and is reported
// with medium confidence, saying so.
func TestUnmountedHostVolume(t *testing.T) {
	vol := func() *model.Volume {
		return &model.Volume{Name: "etc", Kind: model.VolumeHostPath, HostPath: model.String{Value: "/etc", Set: true, Loc: model.Location{File: "x", Line: 3, Col: 1}}}
	}
	workload := func(c ...*model.Container) *model.Workload {
		return &model.Workload{Format: model.FormatTerraform, Kind: "aws_ecs_task_definition", Name: "t", Volumes: []*model.Volume{vol()}, Containers: c}
	}
	for _, tc := range []struct {
		name string
		w    *model.Workload
		want bool
	}{
		{"no mount", workload(&model.Container{Name: "app", Mounts: []*model.Mount{{Name: "other", Target: "/o"}}}), false},
		{"containers unknown", workload(), true},
		{"mounts unknown", func() *model.Workload { w := workload(&model.Container{Name: "app"}); w.MountsUnknown = true; return w }(), true},
		{"templated name", workload(&model.Container{Name: "app", Mounts: []*model.Mount{{Name: "{{ .Values.vol }}", Target: "/h"}}}), true},
	} {
		fs := CheckWorkloads([]*Rule{ByID("host-path-mount")}, []*model.Workload{tc.w}, Options{})
		if got := len(fs) == 1; got != tc.want {
			t.Errorf("%s: findings %v, want reported=%v", tc.name, fs, tc.want)
			continue
		}
		if tc.want && (fs[0].Confidence != ConfidenceMedium || !strings.Contains(fs[0].Message, "which container mounts it is not known")) {
			t.Errorf("%s: %s confidence %s, want medium and saying the mounts are unknown", tc.name, fs[0].Message, fs[0].Confidence)
		}
	}
}

// TestHostProcess: a pod-level windowsOptions.hostProcess is one critical
// finding at that key, naming the containers that inherit it, mapped to the
// Pod Security Standards' HostProcess control and CIS 5.2.10, not to their
// privileged-container controls; a container that sets false stays quiet.
func TestHostProcess(t *testing.T) {
	fs := scanK8s(t, `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  os: {name: windows}
  securityContext:
    windowsOptions: {hostProcess: true}
  containers:
    - {name: a, image: x}
    - {name: b, image: x}
    - {name: c, image: x, securityContext: {windowsOptions: {hostProcess: false}}}
    - {name: d, image: x, securityContext: {privileged: true}}
`, Options{})
	got := ofRule(fs, "privileged-container")
	if len(got) != 2 {
		t.Fatalf("%d findings, want one for the pod-level key and one for privileged: %v", len(got), got)
	}
	f := atLine(t, got, "privileged-container", 7)
	if f.Severity != Critical || !strings.HasPrefix(f.Message, `containers "a", "b" and "d" of Pod "p" run as Windows HostProcess containers:`) || len(f.Related) != 3 {
		t.Errorf("pod-level hostProcess: %s %q, related %v", f.Severity, f.Message, f.Related)
	}
	mapped := func(f Finding) string {
		var ids []string
		for _, c := range ByID("privileged-container").ControlsFor(f) {
			if c.ID == "baseline:HostProcess" || c.ID == "baseline:Privileged Containers" || strings.HasPrefix(c.ID, "5.2.") {
				ids = append(ids, c.ID)
			}
		}
		return strings.Join(ids, ", ")
	}
	if m := mapped(f); m != "baseline:HostProcess, 5.2.10" {
		t.Errorf("hostProcess maps to %q", m)
	}
	if m := mapped(atLine(t, got, "privileged-container", 12)); m != "baseline:Privileged Containers, 5.2.2" {
		t.Errorf("privileged maps to %q", m)
	}
}

// TestOverprivilegedAggregated: a binding to an aggregated ClusterRole is
// reported at its roleRef, with the rule of the aggregated role that grants
// the access as the related location.
func TestOverprivilegedAggregated(t *testing.T) {
	fs := scanK8s(t, `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: agg}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {rbac.example.com/aggregate-to-agg: "true"}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: piece
  labels: {rbac.example.com/aggregate-to-agg: "true"}
rules:
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: agg}
subjects:
- {kind: ServiceAccount, name: app, namespace: prod}
`, Options{})
	got := ofRule(fs, "overprivileged-identity")
	if len(got) != 1 {
		t.Fatalf("%d findings, want 1: %v", len(got), got)
	}
	f := got[0]
	if f.Loc.Line != 22 || !strings.Contains(f.Message, `to ClusterRole "agg", which lets it read Secrets`) ||
		len(f.Related) != 1 || f.Related[0].Loc.Line != 15 || f.Related[0].Message != `ClusterRole "piece" grants read Secrets here, aggregated into ClusterRole "agg"` {
		t.Errorf("at line %d: %q, related %v", f.Loc.Line, f.Message, f.Related)
	}
}

// TestPodCreationControls: grants that create pods, directly, through a
// controller, by wildcard or through admin and edit, map to CIS 5.1.4;
// reading Secrets alone does not.
func TestPodCreationControls(t *testing.T) {
	r := ByID("overprivileged-identity")
	for msg, want := range map[string]bool{
		`ServiceAccount a/b is bound by RoleBinding "x" to Role "y", which lets it create pods in namespace "a"`:                                                    true,
		`ServiceAccount a/b is bound by RoleBinding "x" to Role "y", which lets it create pod controllers (jobs) in namespace "a"`:                                  true,
		`ServiceAccount a/b is bound by RoleBinding "x" to Role "y", which lets it use every verb on pods, configmaps in namespace "a"`:                             true,
		`ServiceAccount a/b is bound by RoleBinding "x" to Role "y", which lets it get, create every resource in namespace "a"`:                                     true,
		`ServiceAccount a/b is bound by ClusterRoleBinding "x" to ClusterRole "cluster-admin", which lets it use every verb on every resource in every namespace`:   true,
		`ServiceAccount a/b is bound by RoleBinding "x" to ClusterRole "edit", which lets it read Secrets, exec into pods and modify most objects in namespace "a"`: true,
		`ServiceAccount a/b is bound by RoleBinding "x" to Role "y", which lets it use every verb on configmaps, jobs in namespace "a"`:                             true,
		`ServiceAccount a/b is bound by RoleBinding "x" to Role "y", which lets it use every verb on pods/exec in namespace "a"`:                                    false,
		`ServiceAccount a/b is bound by RoleBinding "x" to Role "y", which lets it read Secrets in namespace "a"`:                                                   false,
		`ServiceAccount a/b is bound by RoleBinding "x" to Role "y", which lets it get, list every resource in namespace "a"`:                                       false,
	} {
		got := false
		for _, c := range r.ControlsFor(Finding{Message: msg, Format: model.FormatK8s}) {
			if c.ID == "5.1.4" {
				got = true
			}
		}
		if got != want {
			t.Errorf("%q: CIS 5.1.4 %v, want %v", msg, got, want)
		}
	}
}
