package harness

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/isolint/isolint/config"
	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/output"
	"github.com/isolint/isolint/rules"
)

// fixedNow makes expiry dates in fixtures deterministic.
var fixedNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func moduleRoot(t testing.TB) string {
	t.Helper()
	abs, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// scanUnit runs the engine over one unit as the CLI would.
func scanUnit(t testing.TB, root string, u Unit) *engine.Result {
	t.Helper()
	var cfg *config.Config
	p, err := config.Find(u.Path)
	if err != nil {
		t.Fatal(err)
	}
	if p != "" {
		rel, _ := filepath.Rel(root, p)
		c, err := config.Load(p, filepath.ToSlash(rel))
		if err != nil {
			t.Fatal(err)
		}
		cfg = c
	}
	res, err := engine.Run(engine.Options{Paths: []string{u.Path}, Config: cfg, Base: root, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestFixtures(t *testing.T) {
	root := moduleRoot(t)
	units, err := Units(filepath.Join(root, "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	if len(units) == 0 {
		t.Fatal("no fixtures found")
	}
	for _, u := range units {
		t.Run(u.Name, func(t *testing.T) {
			res := scanUnit(t, root, u)
			var want []Expect
			for _, f := range u.Files {
				rel, _ := filepath.Rel(root, f)
				e, err := ParseExpectations(f, filepath.ToSlash(rel))
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, e...)
			}
			checkFindings(t, res, want)
			checkNotices(t, res, want)
			checkOutputsAgree(t, res)
		})
	}
}

func key(file string, line int, rule string) string {
	return fmt.Sprintf("%s:%d: %s", file, line, rule)
}

func checkFindings(t *testing.T, res *engine.Result, want []Expect) {
	t.Helper()
	wantCount := map[string]int{}
	for _, e := range want {
		if e.Rule != "" {
			wantCount[key(e.File, e.Line, e.Rule)]++
		}
	}
	got := map[string]int{}
	msgs := map[string]string{}
	for _, f := range res.Findings {
		if f.Suppression != nil {
			continue
		}
		k := key(f.Loc.File, f.Loc.Line, f.RuleID)
		got[k]++
		msgs[k] = f.Message
	}
	var problems []string
	for k, n := range wantCount {
		if got[k] < n {
			problems = append(problems, fmt.Sprintf("missing   %s (want %d, got %d)", k, n, got[k]))
		}
	}
	for k, n := range got {
		if n > wantCount[k] {
			problems = append(problems, fmt.Sprintf("unexpected %s (got %d, want %d): %s", k, n, wantCount[k], msgs[k]))
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

func checkNotices(t *testing.T, res *engine.Result, want []Expect) {
	t.Helper()
	matched := make([]bool, len(res.Notices))
	for _, e := range want {
		if e.Rule != "" {
			continue
		}
		ok := false
		for i, n := range res.Notices {
			if !matched[i] && n.Loc.File == e.File && n.Loc.Line == e.Line && strings.Contains(n.Message, e.Notice) {
				matched[i], ok = true, true
				break
			}
		}
		if !ok {
			t.Errorf("missing notice %s", e)
		}
	}
	for i, n := range res.Notices {
		if !matched[i] && n.Level != model.NoticeNote {
			t.Errorf("unexpected notice %s:%d: %s: %s", n.Loc.File, n.Loc.Line, n.Level, n.Message)
		}
	}
}

// checkOutputsAgree renders the result in every output format and checks
// that each reports the same unsuppressed findings at the same places.
func checkOutputsAgree(t *testing.T, res *engine.Result) {
	t.Helper()
	var want []string
	for _, f := range res.Findings {
		if f.Suppression == nil {
			want = append(want, key(f.Loc.File, f.Loc.Line, f.RuleID))
		}
	}
	sort.Strings(want)
	opts := output.Options{Version: "test"}

	var js bytes.Buffer
	if err := output.JSON(&js, res, opts); err != nil {
		t.Fatal(err)
	}
	var jr struct {
		Findings []struct {
			RuleID   string `json:"ruleId"`
			Location struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"location"`
			Suppression *struct{} `json:"suppression"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(js.Bytes(), &jr); err != nil {
		t.Fatalf("json output does not parse: %v", err)
	}
	var gotJSON []string
	for _, f := range jr.Findings {
		if f.Suppression == nil {
			gotJSON = append(gotJSON, key(f.Location.File, f.Location.Line, f.RuleID))
		}
	}
	sort.Strings(gotJSON)
	if strings.Join(gotJSON, "\n") != strings.Join(want, "\n") {
		t.Errorf("json findings differ:\n got %v\nwant %v", gotJSON, want)
	}

	var sb bytes.Buffer
	if err := output.SARIF(&sb, res, opts); err != nil {
		t.Fatal(err)
	}
	var sr struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				Suppressions []struct{} `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(sb.Bytes(), &sr); err != nil {
		t.Fatalf("sarif output does not parse: %v", err)
	}
	var gotSARIF []string
	for _, r := range sr.Runs[0].Results {
		if len(r.Suppressions) == 0 {
			pl := r.Locations[0].PhysicalLocation
			gotSARIF = append(gotSARIF, key(pl.ArtifactLocation.URI, pl.Region.StartLine, r.RuleID))
		}
	}
	sort.Strings(gotSARIF)
	if strings.Join(gotSARIF, "\n") != strings.Join(want, "\n") {
		t.Errorf("sarif findings differ:\n got %v\nwant %v", gotSARIF, want)
	}

	var tb bytes.Buffer
	if err := output.Text(&tb, res, opts); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(tb.String(), "\n"); n != len(want) {
		t.Errorf("text output has %d lines, want %d", n, len(want))
	}
}

// TestRuleExamples scans every rule's documented examples: the
// non-compliant one must give the rule's finding, the compliant one none.
func TestRuleExamples(t *testing.T) {
	for _, r := range rules.All() {
		if len(r.Examples) == 0 {
			t.Errorf("%s: no examples", r.ID)
		}
		for _, ex := range r.Examples {
			t.Run(r.ID+"/"+string(ex.Format), func(t *testing.T) {
				if ex.Bad == "" || ex.Good == "" {
					t.Fatal("an example needs both a compliant and a non-compliant snippet")
				}
				if !r.AppliesTo(ex.Format) {
					t.Fatalf("example for %s, which the rule does not list", ex.Format)
				}
				for _, c := range []struct {
					name, src string
					want      bool
				}{{"non-compliant", ex.Bad, true}, {"compliant", ex.Good, false}} {
					dir := t.TempDir()
					p := filepath.Join(dir, filepath.FromSlash(ex.Path))
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, []byte(c.src+"\n"), 0o644); err != nil {
						t.Fatal(err)
					}
					res, err := engine.Run(engine.Options{Paths: []string{dir}, Base: dir, Now: fixedNow})
					if err != nil {
						t.Fatal(err)
					}
					got := false
					for _, f := range res.Findings {
						if f.RuleID == r.ID && f.Suppression == nil {
							got = true
						}
					}
					if got != c.want {
						t.Errorf("%s example: finding = %v, want %v", c.name, got, c.want)
					}
					for _, n := range res.Notices {
						if n.Level != model.NoticeNote {
							t.Errorf("%s example: notice %s: %s", c.name, n.Loc, n.Message)
						}
					}
				}
			})
		}
	}
}
