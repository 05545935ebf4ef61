package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isolint/isolint/baseline"
	"github.com/isolint/isolint/config"
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/internal/golden"
	"github.com/isolint/isolint/internal/testfiles"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/report"
	"github.com/isolint/isolint/rules"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

var (
	fixedNow    = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	reportTime  = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	repoRoot, _ = filepath.Abs("..")
)

const (
	reportSchema = "schema/report.schema.json"
	oscalSchema  = "../testdata/schemas/oscal-1.0.6-assessment-results-schema.json"
)

func scanDir(t testing.TB, base string, opts engine.Options) *engine.Result {
	t.Helper()
	opts.Base, opts.Now = base, fixedNow
	res, err := engine.Run(opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func goldenInput(t testing.TB) *engine.Result {
	dir := filepath.Join(repoRoot, "testdata/golden/input")
	cfg, err := config.Load(filepath.Join(dir, ".isolint.yaml"), ".isolint.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return scanDir(t, repoRoot, engine.Options{Paths: []string{dir}, Config: cfg})
}

func build(t testing.TB, res *engine.Result, f controls.Framework) *report.Report {
	t.Helper()
	r, err := report.Build(res, report.Options{Framework: f, Version: "test", Time: reportTime, NoRepository: true})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func render(t testing.TB, w report.Writer, r *report.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := w(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func writeTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	testfiles.WriteTree(t, dir, files)
	return dir
}

func control(t *testing.T, r *report.Report, id string) *report.Control {
	t.Helper()
	for _, c := range r.Controls {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("control %s not in the %s report", id, r.Framework.ID)
	return nil
}

// TestGoldenPass pins the evidence of examination of passing controls in
// every format, over a tree that gives every Kubernetes control's rules
// their input (testdata/pass).
func TestGoldenPass(t *testing.T) {
	dir := filepath.Join(repoRoot, "report/testdata/pass")
	res := scanDir(t, repoRoot, engine.Options{Paths: []string{dir}})
	for _, c := range []struct {
		framework controls.Framework
		formats   []string
	}{
		{controls.PSS, []string{"json", "md", "html", "oscal"}},
		{controls.SP800207, []string{"md"}},
	} {
		r := build(t, res, c.framework)
		if r.Totals.Pass == 0 {
			t.Fatalf("%s: nothing passes over testdata/pass", c.framework)
		}
		for _, f := range c.formats {
			name := fmt.Sprintf("pass.%s.%s", c.framework, f)
			if f == "oscal" {
				name += ".json"
			}
			t.Run(name, func(t *testing.T) {
				golden.Check(t, filepath.Join("testdata", "golden", name), render(t, report.Writers[f], r))
			})
		}
	}
}

// TestGolden pins every report format for the golden input (waivers, a
// broken document, a path with a space) and one framework, and the
// Markdown for another.
func TestGolden(t *testing.T) {
	res := goldenInput(t)
	for _, c := range []struct {
		framework controls.Framework
		formats   []string
	}{
		{controls.NHI, []string{"json", "md", "html", "oscal"}},
		{controls.CIS, []string{"md"}},
	} {
		r := build(t, res, c.framework)
		for _, f := range c.formats {
			name := fmt.Sprintf("input.%s.%s", c.framework, f)
			if f == "oscal" {
				name += ".json"
			}
			t.Run(name, func(t *testing.T) {
				golden.Check(t, filepath.Join("testdata", "golden", name), render(t, report.Writers[f], r))
			})
		}
	}
}

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: %s
  namespace: apps
spec:
  serviceAccountName: %s
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: app
      image: app:1
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
%s`

// TestStatus: fail when findings in force map to a control, pass when a
// rule that tests it ran on relevant input and found nothing in force (a
// waived finding does not fail it), not-tested with the reason otherwise.
func TestStatus(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"clean.yaml":      fmt.Sprintf(pod, "clean", "clean", ""),
		"privileged.yaml": fmt.Sprintf(pod, "priv", "priv", "        privileged: true\n"),
		"waived.yaml":     fmt.Sprintf(pod, "net", "net", "") + "  hostNetwork: true # isolint:ignore host-network -- reads node interfaces (SEC-1)\n",
	})
	cis := build(t, scanDir(t, dir, engine.Options{Paths: []string{dir}}), controls.CIS)
	for id, want := range map[string]report.Status{
		"5.2.2": report.Fail,      // privileged-container
		"5.2.5": report.Pass,      // host-network: waived only
		"5.2.3": report.Pass,      // host-namespace: nothing
		"5.1.7": report.NotTested, // no rule
	} {
		if c := control(t, cis, id); c.Status != want {
			t.Errorf("CIS %s: %s (%s), want %s", id, c.Status, c.Reason, want)
		}
	}
	if c := control(t, cis, "5.2.5"); c.Suppressed != 1 || c.Findings != 0 || len(c.Evidence) != 1 || c.Evidence[0].Suppression == nil {
		t.Errorf("CIS 5.2.5: %d in force, %d waived, evidence %+v; want the waived finding as evidence", c.Findings, c.Suppressed, c.Evidence)
	}
	if c := control(t, cis, "5.1.7"); c.NotTested != report.NoRule {
		t.Errorf("CIS 5.1.7 not tested because %q, want %q", c.NotTested, report.NoRule)
	}
	if len(cis.Suppressed) != 1 || cis.Suppressed[0].Suppression.Justification != "reads node interfaces (SEC-1)" || cis.Suppressed[0].Suppression.Waiver == "" {
		t.Errorf("suppressed list %+v, want the waiver with its reason and place", cis.Suppressed)
	}

	// a rule disabled by the configuration leaves its controls not tested
	cfg := &config.Config{Disable: []string{"privileged-container"}}
	off := build(t, scanDir(t, dir, engine.Options{Paths: []string{dir}, Config: cfg}), controls.CIS)
	if c := control(t, off, "5.2.2"); c.Status != report.NotTested || c.NotTested != report.RulesDisabled {
		t.Errorf("CIS 5.2.2 with its rule disabled: %s/%s, want not-tested/%s", c.Status, c.NotTested, report.RulesDisabled)
	}
	if len(off.Scan.DisabledRules) != 1 {
		t.Errorf("disabled rules %v not recorded", off.Scan.DisabledRules)
	}
}

// TestScope: CIS and PSS controls apply to Kubernetes results and to
// Terraform kubernetes_* resources only; Terraform input of another kind
// leaves them not tested, with no relevant input.
func TestScope(t *testing.T) {
	ecs := writeTree(t, map[string]string{"main.tf": `resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([{ name = "app", image = "app:1", privileged = true }])
}
`})
	r := build(t, scanDir(t, ecs, engine.Options{Paths: []string{ecs}}), controls.CIS)
	if c := control(t, r, "5.2.2"); c.Status != report.NotTested || c.NotTested != report.NoInput || c.Findings != 0 {
		t.Errorf("CIS 5.2.2 on ECS only: %s/%s (%d findings), want not-tested/%s", c.Status, c.NotTested, c.Findings, report.NoInput)
	}
	nist := build(t, scanDir(t, ecs, engine.Options{Paths: []string{ecs}}), controls.NIST80053)
	if c := control(t, nist, "AC-6"); c.Status != report.Fail {
		t.Errorf("AC-6 on a privileged ECS task: %s (%s), want fail", c.Status, c.Reason)
	}

	k8s := writeTree(t, map[string]string{"main.tf": `resource "kubernetes_pod" "app" {
  metadata { name = "app" }
  spec {
    container {
      name  = "app"
      image = "app:1"
      security_context { privileged = true }
    }
  }
}
`})
	r = build(t, scanDir(t, k8s, engine.Options{Paths: []string{k8s}}), controls.CIS)
	c := control(t, r, "5.2.2")
	if c.Status != report.Fail || len(c.Evidence) == 0 || c.Evidence[0].Format != "tf" {
		t.Errorf("CIS 5.2.2 on a privileged kubernetes_pod: %s (%s), want fail with Terraform evidence", c.Status, c.Reason)
	}
	for _, rr := range c.Rules {
		if rr.ID == "privileged-container" && strings.Join(rr.Tested, ",") != "tf:kubernetes" {
			t.Errorf("privileged-container tested CIS 5.2.2 in %v, want [tf:kubernetes]", rr.Tested)
		}
	}
}

// TestNoInput: a scan that found nothing tests nothing.
func TestNoInput(t *testing.T) {
	res := scanDir(t, t.TempDir(), engine.Options{Paths: []string{t.TempDir()}})
	for _, f := range report.Frameworks() {
		r := build(t, res, f)
		if r.Totals.Fail+r.Totals.Pass != 0 || r.Totals.NotTested != r.Totals.Controls || r.Totals.Controls == 0 {
			t.Errorf("%s on an empty tree: %+v", f, r.Totals)
		}
		for _, c := range r.Controls {
			if c.Status != report.NotTested || c.NotTested == "" || c.Reason == "" {
				t.Errorf("%s %s: %s/%q on an empty tree", f, c.ID, c.Status, c.NotTested)
			}
		}
	}
}

// TestBaselinedFindingsStillFail: the baseline keeps old findings from
// failing a CI gate; in the report they still fail their controls, marked
// unchanged, and new ones are marked new.
func TestBaselinedFindingsStillFail(t *testing.T) {
	dir := writeTree(t, map[string]string{"p.yaml": fmt.Sprintf(pod, "priv", "priv", "        privileged: true\n")})
	first := scanDir(t, dir, engine.Options{Paths: []string{dir}})
	b := baseline.Build(first.Findings)
	r := build(t, scanDir(t, dir, engine.Options{Paths: []string{dir}, Baseline: b}), controls.CIS)
	c := control(t, r, "5.2.2")
	if c.Status != report.Fail || len(c.Evidence) != 1 || c.Evidence[0].Baseline != "unchanged" {
		t.Errorf("baselined privileged pod: %s, evidence %+v; want fail with baseline unchanged", c.Status, c.Evidence)
	}
	if r.Scan.Baseline == nil || r.Scan.Baseline.Entries != len(b.Findings) || r.Totals.Baselined == 0 {
		t.Errorf("baseline not recorded: %+v, totals %+v", r.Scan.Baseline, r.Totals)
	}
}

// TestTitlesFromCatalogue: every control's ID and title are the
// catalogue's, in catalogue order, and every control a rule maps to is
// listed with that rule.
func TestTitlesFromCatalogue(t *testing.T) {
	res := goldenInput(t)
	for _, f := range report.Frameworks() {
		r := build(t, res, f)
		cat := controls.Get(f)
		last := -1
		listed := map[string]*report.Control{}
		for _, c := range r.Controls {
			listed[c.ID] = c
			ctl, ok := cat.Lookup(c.ID)
			if !ok || ctl.Title != c.Title {
				t.Errorf("%s %s: title %q, catalogue says %q", f, c.ID, c.Title, ctl.Title)
			}
			i := indexOf(cat, c.ID)
			if i < last {
				t.Errorf("%s %s is out of catalogue order", f, c.ID)
			}
			last = i
		}
		for _, rule := range rules.All() {
			for _, ref := range rule.Controls {
				if ref.Framework != f {
					continue
				}
				c := listed[ref.ID]
				if c == nil {
					t.Errorf("%s: %s maps to %s, which the report leaves out", f, rule.ID, ref.ID)
					continue
				}
				found := false
				for _, rr := range c.Rules {
					found = found || rr.ID == rule.ID
				}
				applies := false
				for _, rf := range rule.Formats {
					for _, s := range ref.Scope() {
						applies = applies || s == string(rf) || s == "tf:kubernetes" && rf == model.FormatTerraform
					}
				}
				if ref.Scope() == nil {
					applies = true
				}
				if found != applies {
					t.Errorf("%s %s: rule %s listed %v, applies in some format it reads: %v", f, ref.ID, rule.ID, found, applies)
				}
			}
		}
	}
}

func indexOf(cat *controls.Catalog, id string) int {
	for i, c := range cat.Controls {
		if c.ID == id {
			return i
		}
	}
	return -1
}

// TestMappingVersionTracksMapping: the mapping version changes when a
// rule's control references change, and only then.
func TestMappingVersionTracksMapping(t *testing.T) {
	v := report.MappingVersion()
	if v != report.MappingVersion() || !regexp.MustCompile(`^sha256:[0-9a-f]{16}$`).MatchString(v) {
		t.Fatalf("mapping version %q is not stable or not a short digest", v)
	}
	r := rules.ByID("host-network")
	saved := r.Controls
	r.Controls = append(append([]controls.Ref(nil), saved...), controls.Ref{Framework: controls.NIST80053, ID: "AC-3"})
	changed := report.MappingVersion()
	r.Controls = saved
	if changed == v {
		t.Error("adding a control reference did not change the mapping version")
	}
	if report.MappingVersion() != v {
		t.Error("restoring the mapping did not restore its version")
	}
}

var (
	schemaMu sync.Mutex
	schemas  = map[string]*jsonschema.Schema{}
)

func validate(t testing.TB, schemaPath string, doc []byte) error {
	t.Helper()
	schemaMu.Lock()
	s, ok := schemas[schemaPath]
	if !ok {
		abs, err := filepath.Abs(schemaPath)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(abs); err != nil {
			schemaMu.Unlock()
			t.Fatalf("schema missing: %v", err)
		}
		// compiled under its own $id, so that references to it resolve
		f, err := os.Open(abs)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		id := "file://" + abs
		if m, ok := doc.(map[string]any); ok {
			if s, ok := m["$id"].(string); ok && s != "" {
				id = s
			}
			fixSiblingAnchors(m)
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource(id, doc); err != nil {
			t.Fatal(err)
		}
		if s, err = c.Compile(id); err != nil {
			schemaMu.Unlock()
			t.Fatal(err)
		}
		schemas[schemaPath] = s
	}
	schemaMu.Unlock()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	return s.Validate(v)
}

// fixSiblingAnchors rewrites references to a plain-name anchor declared
// by an "$id": "#name" that sits beside a "$ref" (NIST's OSCAL schemas do
// this for json-schema-directive) into JSON pointers to the same
// definition: draft-07 ignores every keyword beside "$ref", so a strict
// validator finds no such anchor. The rewritten reference has the same
// target.
func fixSiblingAnchors(root map[string]any) {
	defs, _ := root["definitions"].(map[string]any)
	anchors := map[string]string{}
	for name, d := range defs {
		if m, ok := d.(map[string]any); ok {
			if id, ok := m["$id"].(string); ok && strings.HasPrefix(id, "#") && m["$ref"] != nil {
				anchors[id] = "#/definitions/" + name
			}
		}
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok && anchors[ref] != "" {
				x["$ref"] = anchors[ref]
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(root)
}

// scenarios are the inputs every schema property is checked on.
func scenarios(t *testing.T) map[string]*engine.Result {
	dir := writeTree(t, map[string]string{"p.yaml": fmt.Sprintf(pod, "priv", "priv", "        privileged: true\n")})
	first := scanDir(t, dir, engine.Options{Paths: []string{dir}})
	var buf bytes.Buffer
	if err := baseline.Build(first.Findings).Write(&buf); err != nil {
		t.Fatal(err)
	}
	b, err := baseline.Parse(buf.Bytes(), ".isolint-baseline.json")
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*engine.Result{
		"golden":    goldenInput(t),
		"examples":  scanDir(t, repoRoot, engine.Options{Paths: []string{filepath.Join(repoRoot, "examples")}}),
		"terraform": scanDir(t, repoRoot, engine.Options{Paths: []string{filepath.Join(repoRoot, "testdata/terraform")}}),
		// charts, one of which does not render
		"helm":     scanDir(t, repoRoot, engine.Options{Paths: []string{filepath.Join(repoRoot, "testdata/helm")}}),
		"empty":    scanDir(t, t.TempDir(), engine.Options{Paths: []string{t.TempDir()}}),
		"baseline": scanDir(t, dir, engine.Options{Paths: []string{dir}, Baseline: b}),
	}
}

// TestJSONSchema checks every JSON report against the schema
// docs/report-json.md documents, and that the schema catches drift.
func TestJSONSchema(t *testing.T) {
	for name, res := range scenarios(t) {
		for _, f := range report.Frameworks() {
			if err := validate(t, reportSchema, render(t, report.JSON, build(t, res, f))); err != nil {
				t.Errorf("%s/%s: %v", name, f, err)
			}
		}
	}
	good := render(t, report.JSON, build(t, goldenInput(t), controls.NHI))
	for name, edit := range map[string]func(map[string]any){
		"unknown field":    func(m map[string]any) { m["extra"] = 1 },
		"unknown status":   func(m map[string]any) { m["controls"].([]any)[0].(map[string]any)["status"] = "partial" },
		"absolute root":    func(m map[string]any) { m["scan"].(map[string]any)["roots"] = []any{"/home/me/repo"} },
		"local time":       func(m map[string]any) { m["generatedAt"] = "2026-06-01T14:00:00+02:00" },
		"pass with reason": func(m map[string]any) { m["controls"].([]any)[0].(map[string]any)["status"] = "pass" },
	} {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		b, _ := json.Marshal(m)
		if validate(t, reportSchema, b) == nil {
			t.Errorf("%s: the schema accepted a drifted report", name)
		}
	}
}

// TestOSCALValidates validates every OSCAL document against NIST's OSCAL
// 1.0.6 assessment-results schema.
func TestOSCALValidates(t *testing.T) {
	for name, res := range scenarios(t) {
		for _, f := range report.Frameworks() {
			doc := render(t, report.OSCAL, build(t, res, f))
			if err := validate(t, oscalSchema, doc); err != nil {
				t.Errorf("%s/%s: %v", name, f, err)
			}
		}
	}
	// the schema is strict enough to catch a broken document
	doc := render(t, report.OSCAL, build(t, goldenInput(t), controls.NIST80053))
	broken := bytes.Replace(doc, []byte(`"state": "not-satisfied"`), []byte(`"state": "failed"`), 1)
	if bytes.Equal(doc, broken) || validate(t, oscalSchema, broken) == nil {
		t.Error("the OSCAL schema accepted an unknown finding state (or the document has no failing control)")
	}
}

// TestOSCALContent: findings are tied to the reviewed controls and to the
// observations of their evidence, and UUIDs are unique and stable.
func TestOSCALContent(t *testing.T) {
	r := build(t, goldenInput(t), controls.NIST80053)
	doc := render(t, report.OSCAL, r)
	if !bytes.Equal(doc, render(t, report.OSCAL, build(t, goldenInput(t), controls.NIST80053))) {
		t.Fatal("the same report gave two OSCAL documents")
	}
	var d struct {
		AR struct {
			Results []struct {
				Reviewed struct {
					Selections []struct {
						Include []struct {
							ControlID string `json:"control-id"`
						} `json:"include-controls"`
					} `json:"control-selections"`
				} `json:"reviewed-controls"`
				Observations []struct {
					UUID     string `json:"uuid"`
					Evidence []struct {
						Href string `json:"href"`
					} `json:"relevant-evidence"`
				} `json:"observations"`
				Findings []struct {
					UUID   string `json:"uuid"`
					Target struct {
						TargetID string `json:"target-id"`
						Status   struct {
							State string `json:"state"`
						} `json:"status"`
					} `json:"target"`
					Related []struct {
						UUID string `json:"observation-uuid"`
					} `json:"related-observations"`
				} `json:"findings"`
			} `json:"results"`
		} `json:"assessment-results"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	res := d.AR.Results[0]
	reviewed := map[string]bool{}
	for _, c := range res.Reviewed.Selections[0].Include {
		reviewed[c.ControlID] = true
	}
	obs := map[string]bool{}
	for _, o := range res.Observations {
		if obs[o.UUID] {
			t.Errorf("observation UUID %s repeated", o.UUID)
		}
		obs[o.UUID] = true
		if len(o.Evidence) != 1 || strings.Contains(o.Evidence[0].Href, " ") {
			t.Errorf("observation %s evidence %+v", o.UUID, o.Evidence)
		}
	}
	failing := 0
	for _, f := range res.Findings {
		id := strings.TrimSuffix(f.Target.TargetID, "_obj")
		if !reviewed[id] {
			t.Errorf("finding for %s, which is not a reviewed control", id)
		}
		if f.Target.Status.State == "not-satisfied" {
			failing++
			if len(f.Related) == 0 {
				t.Errorf("failing %s has no observation", id)
			}
		}
		for _, o := range f.Related {
			if !obs[o.UUID] {
				t.Errorf("%s points at unknown observation %s", id, o.UUID)
			}
		}
	}
	if failing != r.Totals.Fail || len(res.Findings) != r.Totals.Fail+r.Totals.Pass {
		t.Errorf("%d findings (%d failing), report says %d fail, %d pass", len(res.Findings), failing, r.Totals.Fail, r.Totals.Pass)
	}
	if !reviewed["ac-6"] || !reviewed["ac-6.10"] {
		t.Errorf("reviewed controls %v lack NIST's OSCAL IDs ac-6 and ac-6.10", reviewed)
	}
}

// TestOSCALControlIDs: every control of every catalogue gets a valid,
// unique OSCAL token.
func TestOSCALControlIDs(t *testing.T) {
	token := regexp.MustCompile(`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`)
	for _, f := range report.Frameworks() {
		seen := map[string]string{}
		for _, c := range controls.Get(f).Controls {
			id := report.OSCALControlID(f, c.ID)
			if !token.MatchString(id) {
				t.Errorf("%s %s → %q is not an OSCAL token", f, c.ID, id)
			}
			if other, dup := seen[id]; dup {
				t.Errorf("%s: %s and %s both become %q", f, other, c.ID, id)
			}
			seen[id] = c.ID
		}
	}
	for in, want := range map[string]string{"AC-6(10)": "ac-6.10", "SC-7": "sc-7"} {
		if got := report.OSCALControlID(controls.NIST80053, in); got != want {
			t.Errorf("%s → %s, want %s", in, got, want)
		}
	}
	for f, c := range map[controls.Framework][2]string{
		controls.NHI: {"NHI2:2025", "nhi2-2025"}, controls.CIS: {"5.2.2", "cis-5.2.2"},
		controls.PSS: {"restricted:Capabilities (v1.22+)", "restricted-capabilities-v1.22"}, controls.CSF: {"PR.AA-05", "PR.AA-05"},
	} {
		if got := report.OSCALControlID(f, c[0]); got != c[1] {
			t.Errorf("%s %s → %s, want %s", f, c[0], got, c[1])
		}
	}
}

// TestHTMLSelfContained: the page loads nothing: no script, no external
// stylesheet, image or font, and every scanned text is escaped.
func TestHTMLSelfContained(t *testing.T) {
	for name, res := range scenarios(t) {
		page := string(render(t, report.HTML, build(t, res, controls.NIST80053)))
		for _, bad := range []string{"<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "http://"} {
			if strings.Contains(page, bad) {
				t.Errorf("%s: the page contains %q", name, bad)
			}
		}
		if n := strings.Count(page, "https://"); n > 0 {
			t.Errorf("%s: the page refers to %d https URL(s)", name, n)
		}
	}
	res := goldenInput(t)
	res.Findings = append(res.Findings, rules.Finding{RuleID: "privileged-container", Severity: rules.Critical, Confidence: rules.ConfidenceHigh,
		Message: `container "<script>alert(1)</script>" runs privileged`, Object: "Pod/x/<i>evil</i>", Fingerprint: "00000000000000000000000000000000",
		Loc: model.Location{File: "a<b>.yaml", Line: 1, Col: 1}, Format: model.FormatK8s})
	page := string(render(t, report.HTML, build(t, res, controls.NIST80053)))
	if strings.Contains(page, "<script>") || strings.Contains(page, "<i>evil") || !strings.Contains(page, "&lt;script&gt;") {
		t.Error("scanned text reached the page unescaped")
	}
}

// TestMarkdownFitsAComment: a report with very many findings still fits
// a GitHub comment, and says that it left evidence out.
func TestMarkdownFitsAComment(t *testing.T) {
	res := goldenInput(t)
	for i := range 3000 {
		res.Findings = append(res.Findings, rules.Finding{RuleID: "privileged-container", Severity: rules.Critical, Confidence: rules.ConfidenceHigh,
			Message: strings.Repeat("long message ", 8), Object: fmt.Sprintf("Pod/x/p%d", i), Fingerprint: fmt.Sprintf("%032x", i),
			Loc: model.Location{File: "big.yaml", Line: i + 1, Col: 1}, Format: model.FormatK8s})
	}
	for _, f := range report.Frameworks() {
		r := build(t, res, f)
		md := render(t, report.Markdown, r)
		if len(md) > 65536 {
			t.Errorf("%s: %d characters; a GitHub comment holds 65536", f, len(md))
		}
		// privileged-container maps to a control of every framework but
		// OWASP CI/CD, NHI, and the agentic and zero-trust ones (tool
		// servers only, or not at all)
		if r.Totals.Findings > 3000 && !bytes.Contains(md, []byte("left out to fit a comment")) {
			t.Errorf("%s: evidence was cut without saying so", f)
		}
	}
	// a small report keeps every row
	small := render(t, report.Markdown, build(t, goldenInput(t), controls.NIST80053))
	if bytes.Contains(small, []byte("left out")) {
		t.Error("a small report lost evidence")
	}
}

// TestUnknownFramework names the frameworks there are.
func TestUnknownFramework(t *testing.T) {
	_, err := report.Build(goldenInput(t), report.Options{Framework: "iso-27001", Time: reportTime})
	if err == nil || !strings.Contains(err.Error(), "nist-800-53") {
		t.Errorf("err = %v, want one listing the frameworks", err)
	}
}
