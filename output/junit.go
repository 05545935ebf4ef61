package output

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/internal/safetext"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
)

// JUnit writes a JUnit XML report for CI test-report views (GitLab
// `artifacts:reports:junit`, Jenkins, Azure Pipelines): one test suite per
// rule, one test case per rule and file the rule checked. A test case fails
// when the rule has new findings in the file (each listed in the failure
// text as path:line:col); suppressed and baselined findings are named in
// its output and do not fail it. Files that could not be read or parsed are
// errors in a suite of their own, "isolint". There are no timings, so the
// report is the same on every run.
func JUnit(w io.Writer, res *engine.Result, opts Options) error {
	type key struct{ rule, file string }
	byCase := map[key][]rules.Finding{}
	for _, f := range res.Findings {
		k := key{f.RuleID, f.Loc.File}
		byCase[k] = append(byCase[k], f)
	}

	// the rules that ran, and any other rule with findings (the ignore
	// checks, which run in the filter)
	ruleSet := map[string]*rules.Rule{}
	for _, r := range res.Rules {
		ruleSet[r.ID] = r
	}
	for k := range byCase {
		if ruleSet[k.rule] == nil {
			if r := rules.ByID(k.rule); r != nil {
				ruleSet[k.rule] = r
			}
		}
	}
	ids := make([]string, 0, len(ruleSet))
	for id := range ruleSet {
		ids = append(ids, id)
	}
	sort.Strings(ids)

	type suite struct {
		name                  string
		tests, failures, errs int
		body                  strings.Builder
	}
	var suites []*suite
	total := &suite{}

	for _, id := range ids {
		r := ruleSet[id]
		s := &suite{name: id}
		files := map[string]bool{}
		if r.Checks() {
			for _, sf := range res.Files {
				if r.AppliesTo(sf.Format) {
					files[sf.Path] = true
				}
			}
		}
		for k := range byCase {
			if k.rule == id {
				files[k.file] = true
			}
		}
		paths := make([]string, 0, len(files))
		for p := range files {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			s.tests++
			fs := byCase[key{id, p}]
			var failed, quiet []string
			for _, f := range fs {
				line := fmt.Sprintf("%s:%d:%d: %s: %s", safetext.Line(f.Loc.File), max(f.Loc.Line, 1), max(f.Loc.Col, 1), f.Severity, safetext.Line(f.Message))
				switch {
				case f.Suppression != nil:
					quiet = append(quiet, line+" (suppressed: "+f.Suppression.Justification+")")
				case f.Baselined:
					quiet = append(quiet, line+" (baselined)")
				default:
					failed = append(failed, line)
				}
			}
			fmt.Fprintf(&s.body, "    <testcase classname=%s name=%s file=%s>", xmlAttr("isolint."+id), xmlAttr(p), xmlAttr(p))
			if len(failed) > 0 {
				s.failures++
				fmt.Fprintf(&s.body, "\n      <failure message=%s type=%s>%s</failure>",
					xmlAttr(fmt.Sprintf("%d finding(s) of %s", len(failed), id)), xmlAttr(worstSeverity(fs)), xmlText(strings.Join(failed, "\n")))
			}
			if len(quiet) > 0 {
				fmt.Fprintf(&s.body, "\n      <system-out>%s</system-out>", xmlText(strings.Join(quiet, "\n")))
			}
			if len(failed) > 0 || len(quiet) > 0 {
				s.body.WriteString("\n    ")
			}
			s.body.WriteString("</testcase>\n")
		}
		if s.tests > 0 { // a rule for formats the scan held none of has nothing to say
			suites = append(suites, s)
		}
	}

	// input problems
	in := &suite{name: "isolint"}
	errsByFile := map[string][]model.Notice{}
	var errFiles []string
	for _, n := range res.Notices {
		if n.Level != model.NoticeError {
			continue
		}
		if errsByFile[n.Loc.File] == nil {
			errFiles = append(errFiles, n.Loc.File)
		}
		errsByFile[n.Loc.File] = append(errsByFile[n.Loc.File], n)
	}
	sort.Strings(errFiles)
	for _, p := range errFiles {
		var lines []string
		for _, n := range errsByFile[p] {
			lines = append(lines, fmt.Sprintf("%s:%d: %s", safetext.Line(p), max(n.Loc.Line, 1), safetext.Line(n.Message)))
		}
		in.tests++
		in.errs++
		fmt.Fprintf(&in.body, "    <testcase classname=\"isolint.input\" name=%s file=%s>\n      <error message=%s type=\"input\">%s</error>\n    </testcase>\n",
			xmlAttr(p), xmlAttr(p), xmlAttr("could not be read or parsed"), xmlText(strings.Join(lines, "\n")))
	}
	if in.tests > 0 {
		suites = append(suites, in)
	}

	for _, s := range suites {
		total.tests += s.tests
		total.failures += s.failures
		total.errs += s.errs
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(xml.Header)
	fmt.Fprintf(bw, "<testsuites name=\"isolint\" tests=\"%d\" failures=\"%d\" errors=\"%d\">\n", total.tests, total.failures, total.errs)
	for _, s := range suites {
		fmt.Fprintf(bw, "  <testsuite name=%s tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"0\">\n", xmlAttr(s.name), s.tests, s.failures, s.errs)
		bw.WriteString(s.body.String())
		bw.WriteString("  </testsuite>\n")
	}
	bw.WriteString("</testsuites>\n")
	return bw.Flush()
}

func worstSeverity(fs []rules.Finding) string {
	var worst rules.Severity
	for _, f := range fs {
		if f.Suppression == nil && !f.Baselined && f.Severity > worst {
			worst = f.Severity
		}
	}
	return worst.String()
}

// xmlText escapes character data; characters XML 1.0 cannot hold become
// U+FFFD.
func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// xmlAttr quotes and escapes an attribute value.
func xmlAttr(s string) string {
	return "\"" + xmlText(s) + "\""
}
