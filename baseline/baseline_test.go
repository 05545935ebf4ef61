package baseline_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/isolint/isolint/baseline"
	"github.com/isolint/isolint/engine"
	_ "github.com/isolint/isolint/internal/golden" // accepts -update, so `go test ./... -update` runs everywhere
	"github.com/isolint/isolint/rules"
)

const apps = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: web:1
          securityContext:
            privileged: true # isolint:ignore host-network
---
apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: shop
spec:
  hostPID: true
  containers:
    - name: sh
      image: busybox
`

// newWorkload is an unrelated addition: its findings are new.
const newWorkload = `---
apiVersion: v1
kind: Pod
metadata:
  name: intruder
  namespace: shop
spec:
  hostNetwork: true
  containers:
    - name: sh
      image: busybox
`

func scan(t *testing.T, dir string, b *baseline.File) *engine.Result {
	t.Helper()
	res, err := engine.Run(engine.Options{Paths: []string{dir}, Base: dir, Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Baseline: b})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func write(t *testing.T, dir, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "apps.yaml"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func roundTrip(t *testing.T, fs []rules.Finding) *baseline.File {
	t.Helper()
	var buf bytes.Buffer
	if err := baseline.Build(fs).Write(&buf); err != nil {
		t.Fatal(err)
	}
	b, err := baseline.Parse(buf.Bytes(), "b.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMovedLinesAndUnrelatedEditsStayBaselined: after lines are inserted
// above every finding, an unrelated field is edited and a new workload is
// added, every recorded finding is still baselined (the ignore directive's
// invalid-ignore finding too, though its fingerprint holds its line), and
// only the new workload's findings are new.
func TestMovedLinesAndUnrelatedEditsStayBaselined(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, apps)
	before := scan(t, dir, nil)
	b := roundTrip(t, before.Findings)
	if len(b.Findings) < 5 {
		t.Fatalf("want several findings to baseline, got %d", len(b.Findings))
	}
	hasMeta := false
	for _, e := range b.Findings {
		hasMeta = hasMeta || e.RuleID == "invalid-ignore"
	}
	if !hasMeta {
		t.Fatal("the fixture should baseline an invalid-ignore finding (no key path)")
	}

	edited := "# moved\n# down\n" + strings.Replace(apps, "image: web:1", "image: web:2\n          ports: [{containerPort: 80}]", 1) + newWorkload
	write(t, dir, edited)
	after := scan(t, dir, b)
	if after.Baseline == nil || after.Baseline.Matched != len(b.Findings) || after.Baseline.Entries != len(b.Findings) {
		t.Fatalf("baseline summary %+v, want all %d entries matched", after.Baseline, len(b.Findings))
	}
	newCount := 0
	for _, f := range after.Findings {
		movedLine := false
		for _, old := range before.Findings {
			if old.RuleID == f.RuleID && old.Object == f.Object && old.Loc.Path == f.Loc.Path && old.Loc.Line != f.Loc.Line {
				movedLine = true
			}
		}
		switch {
		case f.Object == "Pod/shop/intruder":
			newCount++
			if f.Baselined {
				t.Errorf("new workload's finding %s marked baselined", f.RuleID)
			}
		case !f.Baselined:
			t.Errorf("%s %s at line %d resurrected by an unrelated edit", f.RuleID, f.Object, f.Loc.Line)
		case f.RuleID != "invalid-ignore" && !movedLine:
			t.Errorf("%s %s did not move; the test does not exercise what it names", f.RuleID, f.Object)
		}
	}
	if newCount == 0 {
		t.Fatal("the added workload gave no finding")
	}
}

// TestSecondCopyIsNew: each entry covers one finding, so a duplicate of a
// baselined problem elsewhere is reported.
func TestSecondCopyIsNew(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, apps)
	b := roundTrip(t, scan(t, dir, nil).Findings)
	write(t, dir, apps+"---\n"+strings.SplitN(apps, "---\n", 2)[1])
	res := scan(t, dir, b)
	fresh := 0
	for _, f := range res.Findings {
		if !f.Baselined && f.Suppression == nil {
			fresh++
		}
	}
	if fresh == 0 {
		t.Error("a second copy of a baselined pod was entirely absorbed by the baseline")
	}
}

func TestSuppressedFindingsAreNotRecorded(t *testing.T) {
	fs := []rules.Finding{
		{RuleID: "host-network", Fingerprint: "aa", Message: "m"},
		{RuleID: "host-network", Fingerprint: "bb", Message: "m", Suppression: &rules.Suppression{Justification: "r"}},
	}
	b := baseline.Build(fs)
	if len(b.Findings) != 1 || b.Findings[0].Fingerprint != "aa" {
		t.Errorf("baseline = %+v, want only the unsuppressed finding", b.Findings)
	}
	// a waived finding is never marked baselined: its waiver covers it
	b.Findings = append(b.Findings, baseline.Entry{Fingerprint: "bb", RuleID: "host-network"})
	b.Apply(fs)
	if fs[1].Baselined || !fs[0].Baselined {
		t.Errorf("Apply marked %v, %v; want only the unsuppressed one", fs[0].Baselined, fs[1].Baselined)
	}
}

// TestWriteIsStableAndSorted: the same findings in another order give the
// same bytes, and suffixes the engine adds to repeated fingerprints are
// dropped.
func TestWriteIsStableAndSorted(t *testing.T) {
	fs := []rules.Finding{
		{RuleID: "b-rule", Fingerprint: "22", Message: "two"},
		{RuleID: "a-rule", Fingerprint: "11:1", Message: "one"},
	}
	var x, y bytes.Buffer
	if err := baseline.Build(fs).Write(&x); err != nil {
		t.Fatal(err)
	}
	if err := baseline.Build([]rules.Finding{fs[1], fs[0]}).Write(&y); err != nil {
		t.Fatal(err)
	}
	if x.String() != y.String() {
		t.Errorf("order changed the baseline:\n%s\n%s", x.String(), y.String())
	}
	if strings.Contains(x.String(), "11:1") || !strings.Contains(x.String(), `"fingerprint": "11"`) {
		t.Errorf("fingerprint suffix kept:\n%s", x.String())
	}
}

func TestParseRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"not json":      "fingerprint,rule\n",
		"unknown field": `{"version":1,"findings":[],"extra":true}`,
		"version":       `{"version":2,"findings":[]}`,
		"no rule":       `{"version":1,"findings":[{"fingerprint":"aa","file":"x","message":"m"}]}`,
	} {
		if _, err := baseline.Parse([]byte(doc), "b.json"); err == nil || !strings.Contains(err.Error(), "b.json") {
			t.Errorf("%s: err = %v, want an error naming the file", name, err)
		}
	}
}

func TestTrailingBytesAreAnError(t *testing.T) {
	for name, tc := range map[string]struct{ doc, want string }{
		"second object":   {"{\"version\":1,\"findings\":[]}\n{\"version\":1,\"findings\":[]}\n", "b.json:2: text after"},
		"conflict marker": {"{\"version\":1,\n\"findings\":[]}\n>>>>>>> theirs\n", "b.json:3: text after"},
		"garbage":         {`{"version":1,"findings":[]}x`, "b.json:1: text after"},
	} {
		_, err := baseline.Parse([]byte(tc.doc), "b.json")
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", name, err, tc.want)
		}
	}
	if _, err := baseline.Parse([]byte("{\"version\":1,\"findings\":[]}\n\n  \t\n"), "b.json"); err != nil {
		t.Errorf("trailing whitespace: %v", err)
	}
}

func TestSyntaxErrorNamesTheLine(t *testing.T) {
	_, err := baseline.Parse([]byte("{\"version\":1,\n\"findings\":[\n}\n"), "b.json")
	if err == nil || !strings.HasPrefix(err.Error(), "b.json:3: ") {
		t.Errorf("err = %v, want b.json:3: …", err)
	}
}

func TestLoadRefusesSpecialFiles(t *testing.T) {
	// /dev/zero never ends: once it was read until the process was killed
	if _, err := os.Stat("/dev/zero"); err == nil {
		_, err := baseline.Load("/dev/zero", "/dev/zero")
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("/dev/zero: err = %v, want not a regular file", err)
		}
	}
	_, err := baseline.Load(t.TempDir(), "dir")
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory: err = %v, want not a regular file", err)
	}
}

// FuzzParse: no input makes Parse panic, and an accepted baseline
// survives Write and Parse again with the same findings.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"version":1,"findings":[{"fingerprint":"aa","ruleId":"host-network","file":"x.yaml","message":"m"}]}`,
		`{"version":1,"findings":[]}` + "\n",
		`{"version":1,"findings":[]} {}`,
		`[]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := baseline.Parse(data, "b.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "b.json") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		var out bytes.Buffer
		if err := b.Write(&out); err != nil {
			t.Fatal(err)
		}
		again, err := baseline.Parse(out.Bytes(), "b.json")
		if err != nil {
			t.Fatalf("a written baseline does not parse: %v\n%s", err, out.Bytes())
		}
		if len(again.Findings) != len(b.Findings) {
			t.Fatalf("%d findings after a round trip, want %d", len(again.Findings), len(b.Findings))
		}
	})
}
