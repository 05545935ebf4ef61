package output_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/isolint/isolint/baseline"
	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/internal/golden"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/output"
	"github.com/isolint/isolint/rules"
)

// ciScenarios are the golden inputs of the CI formats: the golden input
// tree with its waivers and broken file, and the same tree with a baseline
// that records part of its findings.
func ciScenarios(t *testing.T) map[string]*engine.Result {
	root, _ := filepath.Abs("../")
	dir := filepath.Join(root, "testdata/golden/input")
	plain := scanWithConfig(t, root, dir)
	// a baseline of every finding of apps.yaml: the rest stays new
	var kept []rules.Finding
	for _, f := range plain.Findings {
		if strings.HasSuffix(f.Loc.File, "apps.yaml") {
			kept = append(kept, f)
		}
	}
	cfg := loadConfig(t, filepath.Join(dir, ".isolint.yaml"))
	withBaseline, err := engine.Run(engine.Options{Paths: []string{dir}, Base: root, Config: cfg, Now: fixedNow, Baseline: baseline.Build(kept)})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*engine.Result{"input": plain, "input-baseline": withBaseline}
}

var ciFormats = []struct {
	ext   string
	write output.Writer
}{{"github", output.GitHub}, {"gitlab", output.GitLab}, {"junit", output.JUnit}}

// TestCIGolden pins the github, gitlab and junit outputs.
func TestCIGolden(t *testing.T) {
	for name, res := range ciScenarios(t) {
		for _, f := range ciFormats {
			t.Run(name+"."+f.ext, func(t *testing.T) {
				golden.Check(t, filepath.Join("testdata", "golden", name+"."+f.ext), render(t, f.write, res, output.Options{Version: "test"}))
			})
		}
	}
}

// TestCIOutputsListOnlyNewFindings: suppressed and baselined findings never
// reach a CI gate output, and every new one does.
func TestCIOutputsListOnlyNewFindings(t *testing.T) {
	res := ciScenarios(t)["input-baseline"]
	var fresh, quiet int
	for _, f := range res.Findings {
		if output.Reported(f) {
			fresh++
		} else {
			quiet++
		}
	}
	if fresh == 0 || quiet == 0 || res.Baseline == nil || res.Baseline.Matched == 0 {
		t.Fatalf("scenario needs new and old findings: %d new, %d old, baseline %+v", fresh, quiet, res.Baseline)
	}
	gh := string(render(t, output.GitHub, res, output.Options{}))
	if n := strings.Count(gh, "title="+"") - countNoticeCommands(gh); n != fresh {
		t.Errorf("github: %d finding annotations, want %d", n, fresh)
	}
	var issues []map[string]any
	if err := json.Unmarshal(render(t, output.GitLab, res, output.Options{}), &issues); err != nil {
		t.Fatal(err)
	}
	if len(issues) != fresh {
		t.Errorf("gitlab: %d issues, want %d", len(issues), fresh)
	}
	j := parseJUnit(t, render(t, output.JUnit, res, output.Options{}))
	failing := 0
	for _, s := range j.Suites {
		for _, c := range s.Cases {
			if c.Failure != nil {
				failing += strings.Count(c.Failure.Text, "\n") + 1
			}
		}
	}
	if failing != fresh {
		t.Errorf("junit: %d failing findings, want %d", failing, fresh)
	}
}

// countNoticeCommands counts the annotations for input problems.
func countNoticeCommands(s string) int {
	return strings.Count(s, "title=isolint could not check") + strings.Count(s, "title=isolint::")
}

// TestGitHubEscaping: a message or path holding the characters that end a
// workflow command, a property or a line cannot break out of its
// annotation (docs.github.com, workflow commands; @actions/core).
func TestGitHubEscaping(t *testing.T) {
	res := &engine.Result{Stats: engine.Stats{Formats: map[model.Format]*engine.FormatStats{}}}
	res.Findings = []rules.Finding{{
		RuleID: "host-network", Severity: rules.High,
		Message: "100% bad\r\n::error::injected, really: yes",
		Loc:     model.Location{File: "a,b:c%.yaml", Line: 3, Col: 5, EndLine: 3, EndCol: 9},
	}}
	got := string(render(t, output.GitHub, res, output.Options{}))
	want := "::error file=a%2Cb%3Ac%25.yaml,line=3,col=5,endLine=3,endColumn=9,title=host-network%3A Workload shares the host's network namespace::" +
		`100%25 bad\r\n::error::injected, really: yes` + "\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if strings.Count(got, "\n") != 1 {
		t.Error("a finding spans more than one line")
	}
}

// TestGitLabCodeQuality checks what GitLab reads: every issue has a
// description, check_name, unique fingerprint, a known severity and a
// relative path with a begin line.
func TestGitLabCodeQuality(t *testing.T) {
	root, _ := filepath.Abs("../")
	for name, res := range map[string]*engine.Result{"examples": scan(t, root, filepath.Join(root, "examples")), "empty": scan(t, t.TempDir())} {
		b := render(t, output.GitLab, res, output.Options{})
		var issues []struct {
			Description string `json:"description"`
			CheckName   string `json:"check_name"`
			Fingerprint string `json:"fingerprint"`
			Severity    string `json:"severity"`
			Location    struct {
				Path  string `json:"path"`
				Lines struct {
					Begin int `json:"begin"`
				} `json:"lines"`
			} `json:"location"`
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		var raw []json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil || raw == nil {
			t.Fatalf("%s: not a JSON array: %v\n%s", name, err, b)
		}
		if err := json.Unmarshal(b, &issues); err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for i, is := range issues {
			if is.Description == "" || is.CheckName == "" || is.Fingerprint == "" || seen[is.Fingerprint] ||
				!regexp.MustCompile(`^(info|minor|major|critical|blocker)$`).MatchString(is.Severity) ||
				is.Location.Path == "" || strings.HasPrefix(is.Location.Path, "/") || is.Location.Lines.Begin < 1 {
				t.Errorf("%s: issue %d is not a valid Code Quality issue: %+v", name, i, is)
			}
			seen[is.Fingerprint] = true
		}
		if name == "examples" && len(issues) == 0 {
			t.Error("examples gave no issue")
		}
	}
}

type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Cases    []struct {
			Classname string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Text string `xml:",chardata"`
			} `xml:"error"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, b []byte) junitDoc {
	t.Helper()
	var d junitDoc
	if err := xml.Unmarshal(b, &d); err != nil {
		t.Fatalf("JUnit XML does not parse: %v", err)
	}
	return d
}

// TestJUnitCounts: the counts on testsuites and each testsuite agree with
// the test cases, one per rule and file of a format the rule reads, and
// control characters from a scanned key cannot make the XML invalid.
func TestJUnitCounts(t *testing.T) {
	res := ciScenarios(t)["input"]
	res.Findings = append(res.Findings, rules.Finding{RuleID: "host-network", Severity: rules.High,
		Message: "key \x01\x1b[31m <&> ]]>", Loc: model.Location{File: "x.yaml", Line: 1, Col: 1}})
	d := parseJUnit(t, render(t, output.JUnit, res, output.Options{}))
	tests, failures, errs := 0, 0, 0
	for _, s := range d.Suites {
		st, sf, se := 0, 0, 0
		for _, c := range s.Cases {
			st++
			if c.Failure != nil {
				sf++
			}
			if c.Error != nil {
				se++
			}
		}
		if st != s.Tests || sf != s.Failures || se != s.Errors {
			t.Errorf("suite %s says %d/%d/%d, has %d/%d/%d", s.Name, s.Tests, s.Failures, s.Errors, st, sf, se)
		}
		tests, failures, errs = tests+st, failures+sf, errs+se
	}
	if tests != d.Tests || failures != d.Failures || errs != d.Errors || errs != 1 {
		t.Errorf("testsuites says %d/%d/%d, has %d/%d/%d (want one error: the broken file)", d.Tests, d.Failures, d.Errors, tests, failures, errs)
	}
	// every rule that ran has a case per scanned file of a format it reads
	want := 0
	for _, r := range res.Rules {
		for _, f := range res.Files {
			if r.AppliesTo(f.Format) {
				want++
			}
		}
	}
	if want == 0 || tests < want {
		t.Errorf("%d test cases, want at least %d (rules × files)", tests, want)
	}
	for _, s := range d.Suites {
		if s.Tests == 0 {
			t.Errorf("empty suite %s", s.Name)
		}
	}
}
