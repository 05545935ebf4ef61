package output_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/output"
	"github.com/isolint/isolint/rules"
)

// sarifDoc is the part of a SARIF log the tests read.
type sarifDoc struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID               string `json:"id"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					FullDescription struct {
						Text string `json:"text"`
					} `json:"fullDescription"`
					Help struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					Properties map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		AutomationDetails *struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		Invocations []struct {
			ExecutionSuccessful bool `json:"executionSuccessful"`
			Notifications       []struct {
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []sarifLoc `json:"locations"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations           []sarifLoc        `json:"locations"`
			RelatedLocations    []sarifLoc        `json:"relatedLocations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Suppressions        []struct {
				Kind          string `json:"kind"`
				Status        string `json:"status"`
				Justification string `json:"justification"`
			} `json:"suppressions"`
		} `json:"results"`
	} `json:"runs"`
}

type sarifLoc struct {
	ID               int `json:"id"`
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI       string `json:"uri"`
			URIBaseID string `json:"uriBaseId"`
		} `json:"artifactLocation"`
		Region *struct {
			StartLine   int `json:"startLine"`
			StartColumn int `json:"startColumn"`
			EndLine     int `json:"endLine"`
			EndColumn   int `json:"endColumn"`
		} `json:"region"`
	} `json:"physicalLocation"`
	Message *struct {
		Text string `json:"text"`
	} `json:"message"`
}

func parseSARIF(t testing.TB, b []byte) sarifDoc {
	t.Helper()
	var d sarifDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("SARIF does not parse: %v", err)
	}
	if len(d.Runs) != 1 {
		t.Fatalf("want 1 run, got %d", len(d.Runs))
	}
	return d
}

// sarifScenarios are the inputs every SARIF property is checked on.
func sarifScenarios(t *testing.T) map[string]*engine.Result {
	root, _ := filepath.Abs("../")
	return map[string]*engine.Result{
		"examples": scan(t, root, filepath.Join(root, "examples")),
		"golden":   scanWithConfig(t, root, filepath.Join(root, "testdata/golden/input")),
		"helm":     scan(t, root, filepath.Join(root, "testdata/helm")),
		"empty":    scan(t, t.TempDir()),
	}
}

func scanWithConfig(t testing.TB, base, dir string) *engine.Result {
	t.Helper()
	cfg := loadConfig(t, filepath.Join(dir, ".isolint.yaml"))
	res, err := engine.Run(engine.Options{Paths: []string{dir}, Base: base, Config: cfg, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	for name, res := range sarifScenarios(t) {
		t.Run(name, func(t *testing.T) {
			validate(t, sarifSchema, render(t, output.SARIF, res, output.Options{Version: "v1.2.3", SARIFCategory: "isolint/k8s"}))
		})
	}
}

// TestSARIFGitHubRules checks what GitHub code scanning needs beyond the
// schema (docs.github.com: "SARIF support for code scanning").
func TestSARIFGitHubRules(t *testing.T) {
	for name, res := range sarifScenarios(t) {
		t.Run(name, func(t *testing.T) {
			d := parseSARIF(t, render(t, output.SARIF, res, output.Options{Version: "dev"}))
			run := d.Runs[0]
			if len(run.Tool.Driver.Rules) != len(rules.All()) {
				t.Errorf("driver lists %d rules, want every rule (%d)", len(run.Tool.Driver.Rules), len(rules.All()))
			}
			for _, r := range run.Tool.Driver.Rules {
				if r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" || r.Help.Markdown == "" {
					t.Errorf("%s: short/full description and help text+markdown are all required", r.ID)
				}
				if n := len([]rune(r.FullDescription.Text)); n > 1024 {
					t.Errorf("%s: fullDescription has %d characters; GitHub keeps 1024", r.ID, n)
				}
				sev, ok := r.Properties["security-severity"].(string)
				score, err := strconv.ParseFloat(sev, 64)
				if !ok || err != nil || score <= 0 || score > 10 {
					t.Errorf("%s: security-severity %v is not a string holding a score in (0, 10]", r.ID, r.Properties["security-severity"])
				}
				tags, _ := r.Properties["tags"].([]any)
				if len(tags) == 0 || tags[0] != "security" {
					t.Errorf("%s: tags %v must start with \"security\"", r.ID, tags)
				}
				if len(tags) > output.SARIFMaxTags {
					t.Errorf("%s: %d tags; GitHub shows %d", r.ID, len(tags), output.SARIFMaxTags)
				}
			}
			fps := map[string]bool{}
			for i, r := range run.Results {
				if run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
					t.Errorf("result %d: ruleIndex %d does not point at %s", i, r.RuleIndex, r.RuleID)
				}
				if len(r.Locations) != 1 {
					t.Errorf("result %d: %d locations, want exactly 1", i, len(r.Locations))
					continue
				}
				checkLoc(t, fmt.Sprintf("result %d", i), r.Locations[0], true)
				fp := r.PartialFingerprints["isolint/v1"]
				if fp == "" || fps[fp] {
					t.Errorf("result %d: partial fingerprint %q is empty or not unique", i, fp)
				}
				fps[fp] = true
				for j, rel := range r.RelatedLocations {
					checkLoc(t, fmt.Sprintf("result %d related %d", i, j), rel, true)
					if rel.ID != j+1 || !strings.Contains(r.Message.Text, fmt.Sprintf("](%d)", rel.ID)) {
						t.Errorf("result %d: related location %d (id %d) is not linked from the message %q", i, j, rel.ID, r.Message.Text)
					}
				}
				for _, s := range r.Suppressions {
					if s.Justification == "" || s.Status != "accepted" || (s.Kind != "inSource" && s.Kind != "external") {
						t.Errorf("result %d: suppression %+v lacks a justification, status or kind", i, s)
					}
				}
			}
			for _, inv := range run.Invocations {
				for _, n := range inv.Notifications {
					for _, l := range n.Locations {
						checkLoc(t, "notification", l, false)
					}
				}
			}
		})
	}
}

// checkLoc checks a location is repo-relative under %SRCROOT% with a
// region no line or column of which is below 1.
func checkLoc(t *testing.T, what string, l sarifLoc, needRegion bool) {
	t.Helper()
	a := l.PhysicalLocation.ArtifactLocation
	if a.URIBaseID != "%SRCROOT%" || a.URI == "" || strings.HasPrefix(a.URI, "/") || strings.Contains(a.URI, "://") ||
		strings.HasPrefix(a.URI, "../") || strings.ContainsAny(a.URI, " \\") {
		t.Errorf("%s: uri %q (base %q) is not a clean path relative to %%SRCROOT%%", what, a.URI, a.URIBaseID)
	}
	r := l.PhysicalLocation.Region
	if r == nil {
		if needRegion {
			t.Errorf("%s: no region", what)
		}
		return
	}
	if r.StartLine < 1 || r.StartColumn < 1 || (r.EndLine != 0 && r.EndLine < r.StartLine) ||
		(r.EndLine == r.StartLine && r.EndColumn <= r.StartColumn) {
		t.Errorf("%s: bad region %+v", what, *r)
	}
}

// TestSARIFURIsRelativeToRepository: the same file gets the same URI
// whether the user names it relatively, absolutely, or from a
// subdirectory, and a path with a space is percent-encoded.
func TestSARIFURIsRelativeToRepository(t *testing.T) {
	repo := t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeTree(t, repo, map[string]string{"deploy/my app/pod.yaml": privilegedPod})
	const want = "deploy/my%20app/pod.yaml"
	for _, c := range []struct {
		name, cwd, arg string
	}{
		{"relative", repo, "deploy"},
		{"absolute", repo, filepath.Join(repo, "deploy")},
		{"absolute from elsewhere", t.TempDir(), filepath.Join(repo, "deploy")},
		{"dot in a subdirectory", filepath.Join(repo, "deploy", "my app"), "."},
		{"explicit file", repo, "deploy/my app/pod.yaml"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Chdir(c.cwd)
			res, err := engine.Run(engine.Options{Paths: []string{c.arg}, Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			d := parseSARIF(t, render(t, output.SARIF, res, output.Options{Version: "dev"}))
			if len(d.Runs[0].Results) == 0 {
				t.Fatal("no results")
			}
			for _, r := range d.Runs[0].Results {
				if got := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; got != want {
					t.Errorf("uri = %q, want %q", got, want)
				}
			}
		})
	}
}

const privilegedPod = `apiVersion: v1
kind: Pod
metadata:
  name: builder
spec:
  serviceAccountName: builder
  securityContext:
    runAsNonRoot: true
  containers:
    - name: dind
      image: docker:27-dind
      securityContext:
        privileged: true
`

// TestSARIFFingerprintsSurviveInsertedLines: inserting lines above a
// finding moves its region but keeps its partial fingerprint, so a
// dismissed alert stays dismissed.
func TestSARIFFingerprintsSurviveInsertedLines(t *testing.T) {
	dir := t.TempDir()
	root, _ := filepath.Abs("../")
	src, err := os.ReadFile(filepath.Join(root, "testdata/golden/input/deploy/apps.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fingerprints := func(content string) map[string]int {
		writeTree(t, dir, map[string]string{"apps.yaml": content})
		d := parseSARIF(t, render(t, output.SARIF, scan(t, dir, dir), output.Options{}))
		out := map[string]int{}
		for _, r := range d.Runs[0].Results {
			out[r.RuleID+" "+r.PartialFingerprints["isolint/v1"]] = r.Locations[0].PhysicalLocation.Region.StartLine
		}
		return out
	}
	before := fingerprints(string(src))
	edited := "# a new comment\n# and another\n" + strings.Replace(string(src), "  namespace: shop\n", "  namespace: shop\n  labels: {team: a}\n", 1)
	after := fingerprints(edited)
	if len(before) < 3 {
		t.Fatalf("want several results to compare, got %v", before)
	}
	for k, line := range before {
		moved, ok := after[k]
		if !ok {
			t.Errorf("fingerprint %s changed after inserting lines above it", k)
			continue
		}
		if moved <= line {
			t.Errorf("%s: line %d did not move (now %d); the test does not exercise what it names", k, line, moved)
		}
	}
}

// TestSARIFNotificationPerBadFile: one error notification per file that
// could not be read or parsed, however many problems it has.
func TestSARIFNotificationPerBadFile(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"good.yaml":  privilegedPod,
		"twice.yaml": "apiVersion: v1\nkind: Pod\nspec: [\n---\napiVersion: v1\nkind: Pod\nspec: {\n",
		"once.yaml":  "apiVersion: v1\nkind: Pod\nmetadata: {name: x\n",
	})
	d := parseSARIF(t, render(t, output.SARIF, scan(t, dir, dir), output.Options{}))
	perFile := map[string]int{}
	for _, n := range d.Runs[0].Invocations[0].Notifications {
		if n.Level == "error" {
			perFile[n.Locations[0].PhysicalLocation.ArtifactLocation.URI]++
		}
	}
	want := map[string]int{"twice.yaml": 1, "once.yaml": 1}
	if fmt.Sprint(perFile) != fmt.Sprint(want) {
		t.Errorf("error notifications per file = %v, want %v", perFile, want)
	}
	if len(d.Runs[0].Results) == 0 {
		t.Error("the good file's findings are missing")
	}
}

func TestSARIFCategory(t *testing.T) {
	res := scan(t, t.TempDir())
	for cat, want := range map[string]string{"k8s": "k8s/", "iac/k8s/": "iac/k8s/"} {
		d := parseSARIF(t, render(t, output.SARIF, res, output.Options{SARIFCategory: cat}))
		if ad := d.Runs[0].AutomationDetails; ad == nil || ad.ID != want {
			t.Errorf("--sarif-category %q: automationDetails = %+v, want id %q", cat, ad, want)
		}
	}
	if d := parseSARIF(t, render(t, output.SARIF, res, output.Options{})); d.Runs[0].AutomationDetails != nil {
		t.Error("automationDetails written without a category")
	}
}

// TestSARIFLimits: more results than GitHub shows, or a log over 10 MB,
// keeps the most severe results and says what it left out.
func TestSARIFLimits(t *testing.T) {
	mk := func(n int, msgLen int) *engine.Result {
		res := &engine.Result{Stats: engine.Stats{Formats: map[model.Format]*engine.FormatStats{}}}
		for i := range n {
			sev := rules.Low
			if i%7 == 0 {
				sev = rules.Critical
			}
			res.Findings = append(res.Findings, rules.Finding{
				RuleID: "privileged-container", Severity: sev, Confidence: rules.ConfidenceHigh,
				Message: strings.Repeat("m", msgLen), Fingerprint: strconv.Itoa(i),
				Loc: model.Location{File: "big.yaml", Line: i + 1, Col: 1, EndLine: i + 1, EndCol: 5},
			})
		}
		return res
	}
	t.Run("results", func(t *testing.T) {
		res := mk(output.SARIFMaxResults+1000, 10)
		b := render(t, output.SARIF, res, output.Options{})
		validate(t, sarifSchema, b)
		d := parseSARIF(t, b)
		if n := len(d.Runs[0].Results); n != output.SARIFMaxResults {
			t.Fatalf("%d results, want %d", n, output.SARIFMaxResults)
		}
		crit := 0
		for _, r := range d.Runs[0].Results {
			if r.Level == "error" {
				crit++
			}
		}
		if want := (output.SARIFMaxResults + 1000 + 6) / 7; crit != want {
			t.Errorf("%d critical results kept, want all %d", crit, want)
		}
		checkLeftOut(t, d, "1000 of 6000")
		checkEncodedAtOnce(t, b)
	})
	t.Run("bytes", func(t *testing.T) {
		res := mk(3000, 5000) // ~15 MB of messages
		b := render(t, output.SARIF, res, output.Options{})
		if len(b) > output.SARIFMaxBytes || len(b) < output.SARIFMaxBytes*9/10 {
			t.Fatalf("%d bytes; want at most the %d-byte limit, and not far below it", len(b), output.SARIFMaxBytes)
		}
		d := parseSARIF(t, b)
		if n := len(d.Runs[0].Results); n == 0 || n >= 3000 {
			t.Fatalf("%d results kept", n)
		}
		checkLeftOut(t, d, "of 3000")
		checkEncodedAtOnce(t, b)
	})
	t.Run("escaped", func(t *testing.T) {
		// results are measured as json.MarshalIndent writes them, < > &
		// escaped: the same results are kept as when the whole log was
		// encoded three times
		res := mk(3000, 5000)
		for i := range res.Findings {
			res.Findings[i].Message = strings.Repeat("<&>", 1700)
		}
		b := render(t, output.SARIF, res, output.Options{})
		if len(b) > output.SARIFMaxBytes {
			t.Fatalf("%d bytes, over the %d-byte limit", len(b), output.SARIFMaxBytes)
		}
		checkEncodedAtOnce(t, b)
	})
}

// checkEncodedAtOnce: the log, written from results encoded one by one,
// is byte for byte what indenting it as one document gives.
func checkEncodedAtOnce(t *testing.T, b []byte) {
	t.Helper()
	var compact, indented bytes.Buffer
	if err := json.Compact(&compact, b); err != nil {
		t.Fatal(err)
	}
	if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	indented.WriteByte('\n')
	if !bytes.Equal(indented.Bytes(), b) {
		t.Error("the log differs from the same log indented as one document")
	}
}

func checkLeftOut(t *testing.T, d sarifDoc, want string) {
	t.Helper()
	for _, n := range d.Runs[0].Invocations[0].Notifications {
		if strings.Contains(n.Message.Text, want) && strings.Contains(n.Message.Text, "left out") {
			return
		}
	}
	t.Errorf("no notification saying %q results were left out", want)
}

// TestSARIFRelatedLocationsLinked: the shared-identity finding links each
// other use from its message.
func TestSARIFRelatedLocationsLinked(t *testing.T) {
	root, _ := filepath.Abs("../")
	d := parseSARIF(t, render(t, output.SARIF, scan(t, root, filepath.Join(root, "testdata/golden/input/deploy/apps.yaml")), output.Options{}))
	link := regexp.MustCompile(`\[[^\]]+\]\(1\)`)
	found := false
	for _, r := range d.Runs[0].Results {
		if r.RuleID == "shared-execution-identity" {
			found = true
			if len(r.RelatedLocations) != 1 || !link.MatchString(r.Message.Text) {
				t.Errorf("related locations %d, message %q", len(r.RelatedLocations), r.Message.Text)
			}
		}
	}
	if !found {
		t.Fatal("no shared-execution-identity result")
	}
}
