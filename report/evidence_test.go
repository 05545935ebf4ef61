package report_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isolint/isolint/config"
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/report"
	"github.com/isolint/isolint/rules"
)

// hardened is a Deployment that every container rule is quiet on.
const hardened = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
  labels: {app: web}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: web
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: web
          image: web:1
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
%s`

const denyEgress = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
  namespace: apps
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector: {matchLabels: {app: db}}
      ports:
        - {protocol: TCP, port: 5432}
`

func status(t *testing.T, r *report.Report, id string) (report.Status, string) {
	t.Helper()
	c := control(t, r, id)
	return c.Status, c.NotTested
}

// TestNoPassWithoutEvidence: over one hardened Deployment, the controls
// that need network, identity or credential objects are not tested, with
// the reason; the container controls pass, listing the Deployment as what
// their rules examined.
func TestNoPassWithoutEvidence(t *testing.T) {
	dir := writeTree(t, map[string]string{"deploy.yaml": fmt.Sprintf(hardened, "")})
	res := scanDir(t, dir, engine.Options{Paths: []string{dir}})
	nist := build(t, res, controls.NIST80053)
	for _, id := range []string{"SC-7", "SC-7(5)", "AC-6(5)", "AC-4", "IA-5", "AC-6"} {
		if st, why := status(t, nist, id); st == report.Pass {
			t.Errorf("NIST %s passes over one hardened Deployment (%s)", id, why)
		}
	}
	c := control(t, nist, "SC-7(5)")
	// a pod no egress policy selects has unrestricted egress: evidence
	// against deny-by-default, and the scan has no network object at all
	if c.NotTested != report.EvidenceAgainst || !strings.Contains(c.Reason, "no NetworkPolicy, security group") || !strings.Contains(c.Reason, "unrestricted egress") {
		t.Errorf("SC-7(5): %s/%s %q, want evidence-against naming the open workload and the missing network objects", c.Status, c.NotTested, c.Reason)
	}
	if c := control(t, nist, "AC-6(5)"); c.NotTested != report.NoEvidence || !strings.Contains(c.Reason, "RBAC role or binding") {
		t.Errorf("AC-6(5): %s/%s %q, want no-evidence naming RBAC", c.Status, c.NotTested, c.Reason)
	}
	nhi := build(t, res, controls.NHI)
	if c := control(t, nhi, "NHI7:2025"); c.Status == report.Pass || !strings.Contains(c.Reason, "credential source") {
		t.Errorf("NHI7: %s %q, want not tested for want of a credential source", c.Status, c.Reason)
	}
	// what the container rules did examine passes, with that evidence
	c = control(t, nist, "CM-7")
	if c.Status != report.Pass || len(c.Examined) == 0 {
		t.Fatalf("CM-7: %s %q, examined %v; want pass with evidence", c.Status, c.Reason, c.Examined)
	}
	for _, e := range c.Examined {
		if e.Input != "workloads" || e.Count != 1 || e.Sample[0].Object != "Deployment/apps/web" || e.Sample[0].File != "deploy.yaml" {
			t.Errorf("CM-7 examined %+v, want the Deployment", e)
		}
	}
	for _, f := range report.Frameworks() {
		for _, c := range build(t, res, f).Controls {
			if c.Status == report.Pass && (len(c.Examined) == 0 || len(c.Missing) > 0) {
				t.Errorf("%s %s passes with examined %v, missing %v", f, c.ID, c.Examined, c.Missing)
			}
		}
	}
}

// TestDenyByDefault: SC-7(5) passes when an egress policy selects every
// workload; a workload no egress policy selects is evidence against it
// (not tested, with that reason) and, with --require-egress-policy, a
// finding that fails it.
func TestDenyByDefault(t *testing.T) {
	covered := writeTree(t, map[string]string{"deploy.yaml": fmt.Sprintf(hardened, ""), "netpol.yaml": denyEgress})
	r := build(t, scanDir(t, covered, engine.Options{Paths: []string{covered}}), controls.NIST80053)
	if st, _ := status(t, r, "SC-7(5)"); st != report.Pass {
		c := control(t, r, "SC-7(5)")
		t.Errorf("SC-7(5) with an egress policy over the only workload: %s %q", c.Status, c.Reason)
	}
	open := writeTree(t, map[string]string{
		"deploy.yaml": fmt.Sprintf(hardened, ""), "netpol.yaml": denyEgress,
		"other.yaml": strings.ReplaceAll(fmt.Sprintf(hardened, ""), "namespace: apps", "namespace: tools"),
	})
	r = build(t, scanDir(t, open, engine.Options{Paths: []string{open}}), controls.NIST80053)
	c := control(t, r, "SC-7(5)")
	if c.Status != report.NotTested || c.NotTested != report.EvidenceAgainst || !strings.Contains(c.Reason, "Deployment/tools/web") || !strings.Contains(c.Reason, "--require-egress-policy") {
		t.Errorf("SC-7(5) with a workload of open egress: %s/%s %q", c.Status, c.NotTested, c.Reason)
	}
	r = build(t, scanDir(t, open, engine.Options{Paths: []string{open}, RequireEgressPolicy: true}), controls.NIST80053)
	if c := control(t, r, "SC-7(5)"); c.Status != report.Fail {
		t.Errorf("SC-7(5) with --require-egress-policy: %s %q, want fail", c.Status, c.Reason)
	}
	// Terraform: a restricted security group says nothing of a Lambda
	// function attached to none
	tf := writeTree(t, map[string]string{"main.tf": `resource "aws_security_group" "db" {
  name = "db"
  egress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}

resource "aws_lambda_function" "job" {
  function_name = "job"
  role          = "arn:aws:iam::123456789012:role/job"
}
`})
	r = build(t, scanDir(t, tf, engine.Options{Paths: []string{tf}}), controls.NIST80053)
	if c := control(t, r, "SC-7(5)"); c.Status == report.Pass || !strings.Contains(c.Reason, "aws_lambda_function/job") {
		t.Errorf("SC-7(5) over a restricted security group and an unattached Lambda: %s/%s %q", c.Status, c.NotTested, c.Reason)
	}
	cfn := writeTree(t, map[string]string{"template.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  DbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          CidrIp: 10.0.0.0/16
  Job:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: job
      Role: arn:aws:iam::123456789012:role/job
      Runtime: python3.12
      Handler: index.handler
      Code:
        ZipFile: "def handler(e, c): pass"
`})
	r = build(t, scanDir(t, cfn, engine.Options{Paths: []string{cfn}}), controls.NIST80053)
	if c := control(t, r, "SC-7(5)"); c.Status == report.Pass || !strings.Contains(c.Reason, "AWS::Lambda::Function/Job") {
		t.Errorf("SC-7(5) over a CloudFormation security group and an unattached Lambda: %s/%s %q", c.Status, c.NotTested, c.Reason)
	}
	zt := build(t, scanDir(t, open, engine.Options{Paths: []string{open}}), controls.SP800207)
	if st, why := status(t, zt, "ZT-T2"); st == report.Pass {
		t.Errorf("tenet 2 passes over a workload with open egress (%s)", why)
	}
}

// TestNotCheckedIsNotClean: a chart that failed to render leaves no
// Kubernetes control passing and is listed with the controls it would have
// informed; so is an unparseable file; an unresolved identity blocks the
// identity controls only.
func TestNotCheckedIsNotClean(t *testing.T) {
	dir := writeTree(t, map[string]string{"deploy.yaml": fmt.Sprintf(hardened, ""), "netpol.yaml": denyEgress})
	res := scanDir(t, dir, engine.Options{Paths: []string{dir}})
	if st, _ := status(t, build(t, res, controls.CIS), "5.2.2"); st != report.Pass {
		t.Fatalf("CIS 5.2.2 over a hardened Deployment: %s, want pass before the failed chart", st)
	}
	res.Inventory.AddProject(&model.Project{Renderings: []model.Rendering{{Kind: model.RenderHelm, Path: "charts/api", Release: "default", Failed: true,
		Err: "templates/deploy.yaml:12: function \"lookup\" not defined", Loc: model.Location{File: "charts/api/templates/deploy.yaml", Line: 12}}}})
	for _, f := range []controls.Framework{controls.CIS, controls.PSS} {
		r := build(t, res, f)
		if r.Totals.Pass != 0 {
			t.Errorf("%s: %d control(s) pass although a chart did not render", f, r.Totals.Pass)
		}
		if len(r.NotChecked) != 1 || r.NotChecked[0].Object != "helm charts/api (values default)" || len(r.NotChecked[0].Controls) == 0 {
			t.Errorf("%s not-checked list %+v", f, r.NotChecked)
		}
	}
	if c := control(t, build(t, res, controls.CIS), "5.2.2"); c.NotTested != report.InputNotChecked {
		t.Errorf("CIS 5.2.2: %s/%s, want %s", c.Status, c.NotTested, report.InputNotChecked)
	}

	// a Kustomize overlay that does not build, through the engine
	app, _ := os.ReadFile(filepath.Join(repoRoot, "report/testdata/pass/app.yaml"))
	policy, _ := os.ReadFile(filepath.Join(repoRoot, "report/testdata/pass/policy.yaml"))
	overlay := writeTree(t, map[string]string{
		"ov/kustomization.yaml": "resources:\n  - app.yaml\n  - policy.yaml\n  - missing.yaml\n",
		"ov/app.yaml":           string(app), "ov/policy.yaml": string(policy),
	})
	for _, f := range []controls.Framework{controls.CIS, controls.PSS} {
		r := build(t, scanDir(t, overlay, engine.Options{Paths: []string{overlay}}), f)
		if r.Totals.Pass != 0 || len(r.NotChecked) != 1 || r.NotChecked[0].Object != "kustomize ov" {
			t.Errorf("%s over an overlay that did not build: %d pass, not checked %+v", f, r.Totals.Pass, r.NotChecked)
		}
	}

	broken := writeTree(t, map[string]string{"deploy.yaml": fmt.Sprintf(hardened, ""), "bad.yaml": "apiVersion: v1\nkind: Pod\nmetadata: [\n"})
	r := build(t, scanDir(t, broken, engine.Options{Paths: []string{broken}}), controls.CIS)
	if r.Totals.Pass != 0 || len(r.NotChecked) != 1 || r.NotChecked[0].File != "bad.yaml" {
		t.Errorf("unparseable file: %d pass, not checked %+v", r.Totals.Pass, r.NotChecked)
	}

	inv := model.NewInventory()
	inv.AddProject(&model.Project{Workloads: []*model.Workload{{Format: model.FormatK8s, Kind: "Pod", Name: "x", Namespace: "a",
		Loc: model.Location{File: "x.yaml", Line: 1}, Identity: model.Identity{Unknown: true}}}})
	if len(inv.Unchecked) != 1 || inv.Unchecked[0].Input != model.InputIdentities {
		t.Fatalf("unresolved identity: %+v", inv.Unchecked)
	}
	res = scanDir(t, dir, engine.Options{Paths: []string{dir}})
	res.Inventory.Merge(inv)
	cis := build(t, res, controls.CIS)
	if c := control(t, cis, "5.1.5"); c.NotTested != report.InputNotChecked {
		t.Errorf("CIS 5.1.5 (default service account) with an unresolved identity: %s/%s", c.Status, c.NotTested)
	}
	if st, _ := status(t, cis, "5.2.2"); st != report.Pass {
		t.Errorf("CIS 5.2.2 (privileged) with an unresolved identity: %s, want pass", st)
	}
}

const rbac = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: %[1]s, namespace: apps}
rules:
  - apiGroups: ["%[2]s"]
    resources: [%[3]s]
    verbs: [%[4]s]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: %[1]s, namespace: apps}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: %[5]s, name: %[6]s}
subjects:
  - {kind: ServiceAccount, name: web, namespace: apps}
`

// TestMappingConditions: a finding fails a control only when it is that
// control's subject.
func TestMappingConditions(t *testing.T) {
	cases := []struct {
		name     string
		files    map[string]string
		fw       controls.Framework
		fail     []string
		notFail  []string
		wantPass []string
	}{
		{"cluster-admin binding", map[string]string{"rbac.yaml": fmt.Sprintf(rbac, "ops", "", "configmaps", "get", "ClusterRole", "cluster-admin")},
			controls.CIS, []string{"5.1.1", "5.1.2"}, []string{"5.1.3"}, nil},
		{"secret reader", map[string]string{"rbac.yaml": fmt.Sprintf(rbac, "reader", "", "secrets", "get, list", "Role", "reader")},
			controls.CIS, []string{"5.1.2"}, []string{"5.1.1", "5.1.3"}, nil},
		{"wildcard role", map[string]string{"rbac.yaml": fmt.Sprintf(rbac, "any", "apps", `"*"`, "get", "Role", "any")},
			controls.CIS, []string{"5.1.3"}, []string{"5.1.1"}, nil},
		{"exec only", map[string]string{"rbac.yaml": fmt.Sprintf(rbac, "exec", "", "pods/exec", "create", "Role", "exec")},
			controls.CIS, nil, []string{"5.1.1", "5.1.2", "5.1.3"}, nil},
		{"NET_RAW", map[string]string{"d.yaml": strings.Replace(fmt.Sprintf(hardened, ""), "drop: [ALL]", "drop: [ALL], add: [NET_RAW]", 1)},
			controls.CIS, []string{"5.2.8", "5.2.9"}, nil, nil},
		{"SYS_ADMIN", map[string]string{"d.yaml": strings.Replace(fmt.Sprintf(hardened, ""), "drop: [ALL]", "drop: [ALL], add: [SYS_ADMIN]", 1)},
			controls.CIS, []string{"5.2.9"}, []string{"5.2.8"}, nil},
		{"SELinux", map[string]string{"d.yaml": fmt.Sprintf(hardened, "            seLinuxOptions: {type: spc_t}\n")},
			controls.PSS, []string{"baseline:SELinux"}, []string{"baseline:AppArmor", "baseline:Seccomp", "restricted:Seccomp (v1.19+)"}, []string{"baseline:AppArmor", "baseline:Seccomp"}},
		{"seccomp", map[string]string{"d.yaml": strings.Replace(fmt.Sprintf(hardened, ""), "type: RuntimeDefault", "type: Unconfined", 1)},
			controls.PSS, []string{"baseline:Seccomp", "restricted:Seccomp (v1.19+)"}, []string{"baseline:SELinux", "baseline:AppArmor"}, nil},
		{"hostPID", map[string]string{"d.yaml": strings.Replace(fmt.Sprintf(hardened, ""), "      serviceAccountName: web\n", "      serviceAccountName: web\n      hostPID: true\n", 1)},
			controls.CIS, []string{"5.2.3"}, []string{"5.2.4"}, nil},
		{"read-only CA bundle", map[string]string{"d.yaml": fmt.Sprintf(hardened, `          volumeMounts:
            - {name: certs, mountPath: /etc/ssl/certs, readOnly: true}
      volumes:
        - name: certs
          hostPath: {path: /etc/ssl/certs}
`)}, controls.PSS, []string{"baseline:HostPath Volumes"}, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, tc.files)
			r := build(t, scanDir(t, dir, engine.Options{Paths: []string{dir}}), tc.fw)
			for _, id := range tc.fail {
				if c := control(t, r, id); c.Status != report.Fail {
					t.Errorf("%s: %s (%s), want fail", id, c.Status, c.Reason)
				}
			}
			for _, id := range tc.notFail {
				if c := control(t, r, id); c.Status == report.Fail {
					t.Errorf("%s fails on %s: %v", id, tc.name, c.Evidence)
				}
			}
			for _, id := range tc.wantPass {
				if c := control(t, r, id); c.Status != report.Pass {
					t.Errorf("%s: %s (%s), want pass", id, c.Status, c.Reason)
				}
			}
		})
	}
}

// TestObservedHostPath: the Pod Security Standards forbid every hostPath
// volume; where host-path-mount stays quiet (a read-only CA bundle), the
// report observes the volume itself, once, and a volume the rule reports is
// not observed twice.
func TestObservedHostPath(t *testing.T) {
	dir := writeTree(t, map[string]string{"d.yaml": fmt.Sprintf(hardened, `          volumeMounts:
            - {name: certs, mountPath: /etc/ssl/certs, readOnly: true}
            - {name: logs, mountPath: /host/log}
      volumes:
        - name: certs
          hostPath: {path: /etc/ssl/certs}
        - name: logs
          hostPath: {path: /var/log}
`)})
	res := scanDir(t, dir, engine.Options{Paths: []string{dir}})
	r := build(t, res, controls.PSS)
	c := control(t, r, "baseline:HostPath Volumes")
	var observed, found int
	for _, e := range c.Evidence {
		if e.Observed {
			observed++
			if !strings.Contains(e.Message, "hostPath volume") || e.RuleID != "host-path-mount" {
				t.Errorf("observation %+v", e)
			}
		} else {
			found++
		}
	}
	if observed != 1 || found != 1 || c.Findings != 2 || r.Totals.Observed != 1 {
		t.Errorf("HostPath Volumes: %d observed, %d found, %d findings; want 1, 1, 2", observed, found, c.Findings)
	}
	// the rule's own results are unchanged: one finding, on /var/log
	n := 0
	for _, f := range res.Findings {
		if f.RuleID == "host-path-mount" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("host-path-mount reported %d volume(s), want 1", n)
	}
	// NIST SC-39 is judged by the rule, not by the standard
	nist := build(t, res, controls.NIST80053)
	for _, e := range control(t, nist, "SC-39").Evidence {
		if e.Observed {
			t.Errorf("SC-39 carries an observation: %+v", e)
		}
	}
}

// TestNewFrameworks: the agentic and zero-trust frameworks report on the
// rules mapped to them, with the same evidence rules.
func TestNewFrameworks(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"a.yaml":    fmt.Sprintf(hardened, ""),
		"b.yaml":    strings.ReplaceAll(fmt.Sprintf(hardened, ""), "name: web\n  namespace", "name: api\n  namespace"),
		".mcp.json": `{"mcpServers": {"fs": {"command": "docker", "args": ["run", "-i", "--rm", "-v", "/var/run/docker.sock:/var/run/docker.sock", "mcp/fs:1"]}}}`,
	})
	res := scanDir(t, dir, engine.Options{Paths: []string{dir}})
	agentic := build(t, res, controls.Agentic)
	if c := control(t, agentic, "ASI08"); c.Status != report.Fail {
		t.Errorf("ASI08 with two Deployments sharing service account apps/web: %s %q", c.Status, c.Reason)
	}
	if c := control(t, agentic, "ASI05"); c.Status != report.Fail {
		t.Errorf("ASI05 with a tool server that mounts the Docker socket: %s %q", c.Status, c.Reason)
	}
	if c := control(t, agentic, "ASI01"); c.NotTested != report.NoRule {
		t.Errorf("ASI01: %s/%s, want no-rule", c.Status, c.NotTested)
	}
	zt := build(t, res, controls.SP800207)
	if c := control(t, zt, "ZT-T6"); c.Status != report.Fail {
		t.Errorf("tenet 6 with a shared identity: %s %q", c.Status, c.Reason)
	}
	if c := control(t, zt, "ZT-T3"); c.Status == report.Pass {
		t.Errorf("tenet 3 passes with no credential source: %q", c.Reason)
	}
	if len(zt.Coverage.NeverTestable) == 0 || len(zt.Coverage.Tested) == 0 {
		t.Errorf("zero-trust coverage %+v", zt.Coverage)
	}
	if zt.Framework.Source.Document == "" || zt.Framework.Source.Repo != "" {
		t.Errorf("zero-trust source %+v", zt.Framework.Source)
	}
}

// TestDisabledRuleBlocksPass: a control some of whose rules are disabled
// is not tested, not passed on the others' silence.
func TestDisabledRuleBlocksPass(t *testing.T) {
	dir := writeTree(t, map[string]string{"deploy.yaml": fmt.Sprintf(hardened, "")})
	cfg := &config.Config{Disable: []string{"runs-as-root"}}
	r := build(t, scanDir(t, dir, engine.Options{Paths: []string{dir}, Config: cfg}), controls.NIST80053)
	if c := control(t, r, "AC-6(10)"); c.Status != report.NotTested || c.NotTested != report.RulesDisabled {
		t.Errorf("AC-6(10) with runs-as-root disabled: %s/%s %q", c.Status, c.NotTested, c.Reason)
	}
}

// TestIdentityEvidence: the identity rules pass their controls only over
// the input they judge: trust policies for identity-trust-too-broad,
// credential sources for long-lived-credential.
func TestIdentityEvidence(t *testing.T) {
	var bad, good string
	for _, e := range rules.ByID("identity-trust-too-broad").Examples {
		if e.Format == model.FormatTerraform {
			bad, good = e.Bad, e.Good
		}
	}
	if bad == "" {
		t.Fatal("identity-trust-too-broad has no Terraform example")
	}
	for _, c := range []struct {
		name, tf string
		want     report.Status
	}{{"narrow trust", good, report.Pass}, {"trust of a whole organisation", bad, report.Fail}} {
		dir := writeTree(t, map[string]string{"main.tf": c.tf})
		r := build(t, scanDir(t, dir, engine.Options{Paths: []string{dir}}), controls.NHI)
		ctl := control(t, r, "NHI6:2025")
		if ctl.Status != c.want {
			t.Errorf("%s: NHI6 %s (%s), want %s", c.name, ctl.Status, ctl.Reason, c.want)
		}
		if c.want == report.Pass && (len(ctl.Examined) == 0 || ctl.Examined[0].Input != string(model.InputTrust)) {
			t.Errorf("%s: NHI6 examined %+v, want the trust policy", c.name, ctl.Examined)
		}
		// no static key and no secret anywhere: long-lived secrets are not tested
		if st, why := status(t, r, "NHI7:2025"); st == report.Pass {
			t.Errorf("%s: NHI7 passes without a credential source (%s)", c.name, why)
		}
	}
	dir := writeTree(t, map[string]string{"main.tf": `resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}
`})
	r := build(t, scanDir(t, dir, engine.Options{Paths: []string{dir}}), controls.SP800207)
	if c := control(t, r, "ZT-T3"); c.Status != report.Fail {
		t.Errorf("tenet 3 over an IAM access key: %s (%s), want fail", c.Status, c.Reason)
	}
}
