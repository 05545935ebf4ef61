// Package report turns a finished scan into a compliance report for one
// framework: the status of each control (fail, pass, not-tested), the rules
// that test it, the evidence for each finding, and the scan metadata an
// auditor needs to trust and compare reports. The report is computed from
// the engine's result, the rule values and the controls/ catalogues only;
// the writers (JSON, HTML, Markdown, OSCAL) render it and decide nothing.
package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/reach"
	"github.com/isolint/isolint/rules"
)

// SchemaVersion is the version of the JSON report (docs/report-json.md).
// Within a version, fields are only added.
const SchemaVersion = "1"

// Status is a control's result.
type Status string

const (
	// Fail: at least one finding in force (not waived) maps to the control.
	// Findings the baseline records count: a baseline keeps old findings
	// from failing a CI gate, it does not make a control pass.
	Fail Status = "fail"
	// Pass: a rule that tests the control ran on relevant input and found
	// nothing in force.
	Pass Status = "pass"
	// NotTested: no rule tests the control, its rules are disabled, or the
	// scan held no input they apply to.
	NotTested Status = "not-tested"
)

// Why a control was not tested.
const (
	NoRule        = "no-rule"
	NoInput       = "no-relevant-input"
	RulesDisabled = "rules-disabled"
	// Unrendered: the control's rules found nothing in the Kubernetes input
	// they read, but a Helm chart or Kustomize overlay of the scan did not
	// render, so what it deploys was never checked (DESIGN: never pass what
	// was not seen).
	Unrendered = "unrendered"
)

// Report is a compliance report for one framework.
type Report struct {
	SchemaVersion string    `json:"schemaVersion"`
	Tool          Tool      `json:"tool"`
	GeneratedAt   string    `json:"generatedAt"`
	Framework     Framework `json:"framework"`
	// MappingVersion identifies isolint's rule-to-control mapping (every
	// rule's formats and control references, with their scopes): two
	// reports with the same mapping and catalogue versions judged the
	// controls by the same rules.
	MappingVersion string     `json:"mappingVersion"`
	Scan           Scan       `json:"scan"`
	Totals         Totals     `json:"totals"`
	Controls       []*Control `json:"controls"`
	// Suppressed lists every waived finding that maps to a control of the
	// framework, with its waiver.
	Suppressed []Evidence `json:"suppressed"`

	// reach is the blast radius of each workload, for the HTML report;
	// nil when the scan kept no workload details.
	reach *reach.Result
}

// Tool names the program that made the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Framework describes the catalogue the report is for.
type Framework struct {
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Version   string          `json:"version"`
	Publisher string          `json:"publisher"`
	Source    controls.Source `json:"source"`
	// Digest is the sha256 of the catalogue's controls (IDs, titles,
	// kinds, withdrawn marks) as isolint embeds them.
	Digest string `json:"digest"`
}

// Scan is what the report was computed from.
type Scan struct {
	// Roots are the paths scanned, relative to the source root.
	Roots []string `json:"roots"`
	// Formats counts, per input format, the files seen, scanned, skipped
	// and parsed with errors, and what they defined.
	Formats           map[string]FormatCoverage `json:"formats"`
	UnrecognisedFiles int                       `json:"unrecognisedFiles"`
	// FilesWithErrors could not be read or parsed, wholly or in part: what
	// they define was not (fully) checked.
	FilesWithErrors []string `json:"filesWithErrors"`
	// Rules are the rules that ran; DisabledRules the configuration turned off.
	Rules         []string      `json:"rules"`
	DisabledRules []string      `json:"disabledRules"`
	Options       ScanOptions   `json:"options"`
	Config        *ConfigInfo   `json:"config"`
	Baseline      *BaselineInfo `json:"baseline"`
	// NotChecked are the charts and overlays (or chart dependencies) that
	// did not render: what they deploy was not checked.
	NotChecked []NotChecked `json:"notChecked,omitempty"`
}

// NotChecked is a rendering that failed.
type NotChecked struct {
	Kind    string `json:"kind"`
	Path    string `json:"path"`
	Release string `json:"release,omitempty"`
	Error   string `json:"error"`
}

// FormatCoverage is one format's part of the scan.
type FormatCoverage struct {
	Seen    int `json:"seen"`
	Scanned int `json:"scanned"`
	Skipped int `json:"skipped"`
	Errors  int `json:"errors"`
	// Workloads and Objects count what the files defined: runtime
	// definitions, and every object rules read (workloads, identities,
	// roles, bindings, policies, firewall rules …).
	Workloads int `json:"workloads"`
	Objects   int `json:"objects"`
}

// ScanOptions are the options that change what counts as a finding.
type ScanOptions struct {
	RequireEgressPolicy bool `json:"requireEgressPolicy"`
	NoInlineIgnores     bool `json:"noInlineIgnores"`
}

// ConfigInfo identifies the configuration in force.
type ConfigInfo struct {
	File              string            `json:"file"`
	SHA256            string            `json:"sha256,omitempty"`
	SeverityOverrides map[string]string `json:"severityOverrides"`
	Unwaivable        []string          `json:"unwaivable"`
	Waivers           int               `json:"waivers"`
}

// BaselineInfo identifies the baseline in force.
type BaselineInfo struct {
	File    string `json:"file"`
	SHA256  string `json:"sha256"`
	Entries int    `json:"entries"`
	Matched int    `json:"matched"`
}

// Totals count controls per status and the findings behind them.
type Totals struct {
	Controls  int `json:"controls"`
	Fail      int `json:"fail"`
	Pass      int `json:"pass"`
	NotTested int `json:"notTested"`
	// NotTestedBy splits NotTested by reason (no-rule, no-relevant-input,
	// rules-disabled).
	NotTestedBy map[string]int `json:"notTestedBy"`
	// Findings counts distinct findings in force that map to a control of
	// the framework, Baselined those of them the baseline records, and
	// Suppressed the waived ones.
	Findings   int `json:"findings"`
	Baselined  int `json:"baselined"`
	Suppressed int `json:"suppressed"`
}

// Control is one control's result.
type Control struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status Status `json:"status"`
	// NotTested says why the status is not-tested.
	NotTested string `json:"notTested,omitempty"`
	// Reason explains the status in a sentence.
	Reason string `json:"reason"`
	// Rules are the rules that test the control.
	Rules []RuleRef `json:"rules"`
	// Findings counts the findings in force, Suppressed the waived ones.
	Findings   int        `json:"findings"`
	Suppressed int        `json:"suppressed"`
	Evidence   []Evidence `json:"evidence"`
}

// RuleRef is a rule that tests a control.
type RuleRef struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	// Formats are the inputs in which the rule tests this control
	// ("tf:kubernetes": Terraform kubernetes_* resources only).
	Formats []string `json:"formats"`
	// Tested are those of Formats the scan held input for, when the rule ran.
	Tested []string `json:"tested"`
	Ran    bool     `json:"ran"`
}

// Evidence is one finding.
type Evidence struct {
	RuleID      string `json:"ruleId"`
	Severity    string `json:"severity"`
	Confidence  string `json:"confidence"`
	Format      string `json:"format,omitempty"`
	File        string `json:"file"`
	Line        int    `json:"line,omitempty"`
	Column      int    `json:"column,omitempty"`
	Object      string `json:"object,omitempty"`
	Workload    string `json:"workload,omitempty"`
	Message     string `json:"message"`
	Fingerprint string `json:"fingerprint"`
	// Baseline is "unchanged" when the baseline in force records the
	// finding and "new" when it does not (absent without a baseline).
	Baseline    string       `json:"baseline,omitempty"`
	Suppression *Suppression `json:"suppression,omitempty"`
	// Controls are the framework's controls the finding maps to (set in
	// the report's Suppressed list).
	Controls []string `json:"controls,omitempty"`
}

// Where renders the evidence's place as path:line.
func (e Evidence) Where() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	return e.File
}

// Suppression is the waiver covering a finding.
type Suppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
	Expires       string `json:"expires,omitempty"`
	// Waiver is where the waiver is written, as path:line.
	Waiver string `json:"waiver"`
}

// Options say which report to build.
type Options struct {
	Framework controls.Framework
	// Version is isolint's version.
	Version string
	// Time is when the report was made (UTC; --timestamp or
	// SOURCE_DATE_EPOCH make it reproducible).
	Time time.Time
}

// Frameworks are the frameworks a report can be made for, in order.
func Frameworks() []controls.Framework { return controls.Order }

// Build computes the report.
func Build(res *engine.Result, opts Options) (*Report, error) {
	cat := controls.Get(opts.Framework)
	if cat == nil || !known(opts.Framework) {
		var names []string
		for _, f := range Frameworks() {
			names = append(names, string(f))
		}
		return nil, fmt.Errorf("unknown framework %q (want %s)", opts.Framework, strings.Join(names, ", "))
	}
	r := &Report{
		SchemaVersion:  SchemaVersion,
		Tool:           Tool{Name: "isolint", Version: opts.Version},
		GeneratedAt:    opts.Time.UTC().Format(time.RFC3339),
		Framework:      frameworkOf(cat),
		MappingVersion: MappingVersion(),
		reach:          reachOf(res),
		Scan:           scanOf(res),
		Controls:       []*Control{},
		Suppressed:     []Evidence{},
		Totals:         Totals{NotTestedBy: map[string]int{NoRule: 0, NoInput: 0, RulesDisabled: 0}},
	}

	ran := map[string]bool{}
	for _, rule := range res.Rules {
		ran[rule.ID] = true
	}

	// the rules that test each control of the framework
	tests := map[string][]RuleRef{}
	for _, rule := range rules.All() {
		for _, ref := range rule.Controls {
			if ref.Framework != opts.Framework {
				continue
			}
			formats := refFormats(rule, ref)
			if len(formats) == 0 {
				continue // the rule tests the control only in a format it does not read yet
			}
			rr := RuleRef{ID: rule.ID, Title: rule.Title, Severity: rule.Severity.String(), Formats: formats, Tested: []string{}, Ran: ran[rule.ID]}
			if rr.Ran {
				for _, f := range formats {
					if relevant(rule, f, res.Stats) {
						rr.Tested = append(rr.Tested, f)
					}
				}
			}
			tests[ref.ID] = append(tests[ref.ID], rr)
		}
	}

	// the evidence for each control
	evidence := map[string][]Evidence{}
	for _, f := range res.Findings {
		rule := rules.ByID(f.RuleID)
		if rule == nil {
			continue
		}
		var ids []string
		for _, ref := range rule.ControlsFor(f) {
			if ref.Framework == opts.Framework {
				ids = append(ids, ref.ID)
			}
		}
		if len(ids) == 0 {
			continue
		}
		e := evidenceOf(f, res.Baseline != nil)
		for _, id := range ids {
			evidence[id] = append(evidence[id], e)
		}
		if f.Suppression != nil {
			r.Totals.Suppressed++
			w := e
			w.Controls = ids
			r.Suppressed = append(r.Suppressed, w)
			continue
		}
		r.Totals.Findings++
		if f.Baselined {
			r.Totals.Baselined++
		}
	}

	for _, ctl := range cat.Controls {
		rs := tests[ctl.ID]
		if len(rs) == 0 && (ctl.Withdrawn || heading(ctl.Kind)) {
			continue
		}
		c := &Control{ID: ctl.ID, Title: ctl.Title, Rules: rs, Evidence: evidence[ctl.ID]}
		if c.Rules == nil {
			c.Rules = []RuleRef{}
		}
		if c.Evidence == nil {
			c.Evidence = []Evidence{}
		}
		judge(c)
		if c.Status == Pass && len(r.Scan.NotChecked) > 0 && testsK8s(c) {
			c.Status, c.NotTested = NotTested, Unrendered
			c.Reason = fmt.Sprintf("%s; but %d chart or overlay rendering(s) failed (%s), so what they deploy was not checked", c.Reason, len(r.Scan.NotChecked), r.Scan.NotChecked[0].Path)
		}
		r.Controls = append(r.Controls, c)
		r.Totals.Controls++
		switch c.Status {
		case Fail:
			r.Totals.Fail++
		case Pass:
			r.Totals.Pass++
		default:
			r.Totals.NotTested++
			r.Totals.NotTestedBy[c.NotTested]++
		}
	}
	return r, nil
}

func known(f controls.Framework) bool {
	for _, x := range Frameworks() {
		if x == f {
			return true
		}
	}
	return false
}

// heading reports whether a catalogue entry only groups others (a CIS or
// SP 800-190 section, a CSF function or category) and is not assessed on
// its own.
func heading(kind string) bool {
	switch kind {
	case "section", "function", "category", "family":
		return true
	}
	return false
}

// testsK8s reports whether a control's rules read Kubernetes input, which
// a chart or overlay that did not render would have added to.
func testsK8s(c *Control) bool {
	for _, r := range c.Rules {
		for _, f := range r.Formats {
			if f == string(model.FormatK8s) {
				return true
			}
		}
	}
	return false
}

// judge sets a control's status and reason from its rules and evidence.
func judge(c *Control) {
	var failing []string
	seen := map[string]bool{}
	for _, e := range c.Evidence {
		if e.Suppression != nil {
			c.Suppressed++
			continue
		}
		c.Findings++
		if !seen[e.RuleID] {
			seen[e.RuleID] = true
			failing = append(failing, e.RuleID)
		}
	}
	var tested, testedFormats, disabled, formats []string
	fset, tset := map[string]bool{}, map[string]bool{}
	for _, r := range c.Rules {
		if !r.Ran {
			disabled = append(disabled, r.ID)
		}
		if len(r.Tested) > 0 {
			tested = append(tested, r.ID)
		}
		for _, f := range r.Tested {
			if !tset[f] {
				tset[f] = true
				testedFormats = append(testedFormats, f)
			}
		}
		for _, f := range r.Formats {
			if !fset[f] {
				fset[f] = true
				formats = append(formats, f)
			}
		}
	}
	sort.Strings(testedFormats)
	sort.Strings(formats)
	sup := ""
	if c.Suppressed > 0 {
		sup = fmt.Sprintf("; %d waived finding(s) not counted", c.Suppressed)
	}
	switch {
	case c.Findings > 0:
		c.Status = Fail
		c.Reason = fmt.Sprintf("%d finding(s) of %s%s", c.Findings, strings.Join(failing, ", "), sup)
	case len(tested) > 0 || c.Suppressed > 0:
		c.Status = Pass
		if len(tested) == 0 { // only waived findings: their rules did run on the input
			for _, e := range c.Evidence {
				if !seen[e.RuleID] {
					seen[e.RuleID] = true
					tested = append(tested, e.RuleID)
				}
			}
		}
		c.Reason = fmt.Sprintf("%s checked %s input and found nothing in force%s", strings.Join(tested, ", "), describeFormats(testedFormats), sup)
	case len(c.Rules) == 0:
		c.Status, c.NotTested = NotTested, NoRule
		c.Reason = "no isolint rule tests this control"
	case len(disabled) == len(c.Rules):
		c.Status, c.NotTested = NotTested, RulesDisabled
		c.Reason = fmt.Sprintf("its rules (%s) are disabled by the configuration", strings.Join(disabled, ", "))
	default:
		c.Status, c.NotTested = NotTested, NoInput
		c.Reason = fmt.Sprintf("no relevant input: its rules test %s input, and the scan held none", describeFormats(formats))
	}
}

func describeFormats(fs []string) string {
	var out []string
	for _, f := range fs {
		if f == "tf:kubernetes" {
			f = "Terraform kubernetes_*"
		}
		out = append(out, f)
	}
	return strings.Join(out, ", ")
}

// refFormats lists the formats in which a rule tests a control: the rule's
// formats within the reference's scope.
func refFormats(r *rules.Rule, ref controls.Ref) []string {
	scope := ref.Scope()
	var out []string
	for _, f := range r.Formats {
		if scope == nil {
			out = append(out, string(f))
			continue
		}
		for _, s := range scope {
			if s == string(f) {
				out = append(out, s)
				break
			}
			if s == "tf:kubernetes" && f == model.FormatTerraform {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// relevant reports whether the scan held input a rule checks in format f:
// workloads for a rule with a workload check, any object of the format
// for a project-wide rule, kubernetes_* resources for "tf:kubernetes".
func relevant(r *rules.Rule, f string, st engine.Stats) bool {
	if f == "tf:kubernetes" {
		for kind, n := range st.Workloads[model.FormatTerraform] {
			if n > 0 && strings.HasPrefix(kind, "kubernetes_") {
				return true
			}
		}
		return false
	}
	format := model.Format(f)
	workloads := 0
	for _, n := range st.Workloads[format] {
		workloads += n
	}
	return r.Workload != nil && workloads > 0 || r.Project != nil && st.Objects[format] > 0
}

func evidenceOf(f rules.Finding, withBaseline bool) Evidence {
	e := Evidence{
		RuleID: f.RuleID, Severity: f.Severity.String(), Confidence: f.Confidence.String(), Format: string(f.Format),
		File: f.Loc.File, Line: f.Loc.Line, Column: f.Loc.Col, Object: f.Object, Workload: f.Workload,
		Message: f.Message, Fingerprint: f.Fingerprint,
	}
	if withBaseline && f.Suppression == nil {
		e.Baseline = "new"
		if f.Baselined {
			e.Baseline = "unchanged"
		}
	}
	if s := f.Suppression; s != nil {
		e.Suppression = &Suppression{Kind: string(s.Kind), Justification: s.Justification, Expires: s.Expires, Waiver: s.Loc.File}
		if s.Loc.Line > 0 {
			e.Suppression.Waiver = fmt.Sprintf("%s:%d", s.Loc.File, s.Loc.Line)
		}
	}
	return e
}

func frameworkOf(cat *controls.Catalog) Framework {
	b, _ := json.Marshal(cat.Controls)
	sum := sha256.Sum256(b)
	return Framework{
		ID: string(cat.Framework), Name: cat.Name, Version: cat.Version, Publisher: cat.Publisher, Source: cat.Source,
		Digest: "sha256:" + hex.EncodeToString(sum[:]),
	}
}

// MappingVersion hashes every rule's ID, formats and control references
// (framework, ID and scope), so that it changes exactly when the mapping
// does.
func MappingVersion() string {
	h := sha256.New()
	for _, r := range rules.All() {
		fmt.Fprintf(h, "rule %s", r.ID)
		for _, f := range r.Formats {
			fmt.Fprintf(h, " %s", f)
		}
		h.Write([]byte("\n"))
		for _, c := range r.Controls {
			fmt.Fprintf(h, "  %s %s %s\n", c.Framework, c.ID, strings.Join(c.Scope(), ","))
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:16]
}

func scanOf(res *engine.Result) Scan {
	s := Scan{
		Roots: []string{}, Formats: map[string]FormatCoverage{}, UnrecognisedFiles: res.Stats.Unrecognised,
		FilesWithErrors: []string{}, Rules: []string{}, DisabledRules: []string{},
	}
	for _, root := range res.Roots {
		s.Roots = append(s.Roots, displayRoot(res.Base, root))
	}
	for f, st := range res.Stats.Formats {
		w := 0
		for _, n := range res.Stats.Workloads[f] {
			w += n
		}
		s.Formats[string(f)] = FormatCoverage{Seen: st.Seen, Scanned: st.Scanned, Skipped: st.Skipped, Errors: st.Errors,
			Workloads: w, Objects: res.Stats.Objects[f]}
	}
	for _, u := range res.Unrendered() {
		s.NotChecked = append(s.NotChecked, NotChecked{Kind: string(u.Kind), Path: u.Path, Release: u.Release, Error: u.Err})
	}
	bad := map[string]bool{}
	for _, n := range res.Notices {
		if n.Level == model.NoticeError && !bad[n.Loc.File] {
			bad[n.Loc.File] = true
			s.FilesWithErrors = append(s.FilesWithErrors, n.Loc.File)
		}
	}
	sort.Strings(s.FilesWithErrors)
	ran := map[string]bool{}
	for _, r := range res.Rules {
		s.Rules = append(s.Rules, r.ID)
		ran[r.ID] = true
	}
	sort.Strings(s.Rules)
	if cfg := res.Config; cfg != nil {
		s.DisabledRules = append(s.DisabledRules, cfg.Disable...)
		sort.Strings(s.DisabledRules)
		s.Options = ScanOptions{RequireEgressPolicy: cfg.RequireEgressPolicy, NoInlineIgnores: cfg.NoInlineIgnores}
		if cfg.File != "" {
			ci := &ConfigInfo{File: cfg.File, SeverityOverrides: map[string]string{}, Unwaivable: []string{}, Waivers: len(cfg.Ignore)}
			ci.SHA256 = cfg.SHA256
			for k, v := range cfg.Severity {
				ci.SeverityOverrides[k] = v
			}
			ci.Unwaivable = append(ci.Unwaivable, cfg.Unwaivable...)
			sort.Strings(ci.Unwaivable)
			s.Config = ci
		}
	}
	if b := res.Baseline; b != nil {
		s.Baseline = &BaselineInfo{File: b.File, SHA256: strings.TrimPrefix(b.Digest, "sha256:"), Entries: b.Entries, Matched: b.Matched}
	}
	return s
}

// displayRoot shows a scanned root relative to the source root, so that the
// report names no directory of the machine it ran on.
func displayRoot(base, root string) string {
	abs, err := filepath.Abs(root)
	if err != nil || base == "" {
		return filepath.ToSlash(root)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.Base(abs)
	}
	return filepath.ToSlash(rel)
}

// Writer renders a report.
type Writer func(w io.Writer, r *Report) error

// Writers maps --format names to writers.
var Writers = map[string]Writer{
	"json":  JSON,
	"md":    Markdown,
	"html":  HTML,
	"oscal": OSCAL,
}

// WriterNames lists the --format names, sorted.
func WriterNames() []string {
	var out []string
	for k := range Writers {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// coverage describes the files scanned per format.
func coverage(r *Report) string {
	var formats []string
	for f := range r.Scan.Formats {
		formats = append(formats, f)
	}
	sort.Strings(formats)
	var parts []string
	for _, f := range formats {
		c := r.Scan.Formats[f]
		if c.Seen == 0 {
			continue
		}
		p := fmt.Sprintf("%s: %d file(s) scanned", f, c.Scanned)
		if c.Skipped > 0 {
			p += fmt.Sprintf(", %d skipped", c.Skipped)
		}
		if c.Errors > 0 {
			p += fmt.Sprintf(", %d with errors", c.Errors)
		}
		p += fmt.Sprintf(", %d workload(s)", c.Workloads)
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return "no supported file found"
	}
	return strings.Join(parts, "; ")
}

func configText(r *Report, code func(string) string) string {
	c := r.Scan.Config
	if c == nil {
		return "none"
	}
	s := code(c.File)
	if c.SHA256 != "" {
		s += " (sha256 " + code(prefix(c.SHA256, 16)) + ")"
	}
	s += fmt.Sprintf(": %d waiver(s)", c.Waivers)
	if n := len(r.Scan.DisabledRules); n > 0 {
		s += fmt.Sprintf(", %d rule(s) disabled (%s)", n, strings.Join(r.Scan.DisabledRules, ", "))
	}
	if n := len(c.SeverityOverrides); n > 0 {
		s += fmt.Sprintf(", %d severity override(s)", n)
	}
	if r.Scan.Options.NoInlineIgnores {
		s += ", inline ignores disregarded"
	}
	if r.Scan.Options.RequireEgressPolicy {
		s += ", egress policy required"
	}
	return s
}

func baselineText(r *Report, code func(string) string) string {
	b := r.Scan.Baseline
	if b == nil {
		return "none"
	}
	return fmt.Sprintf("%s (sha256 %s): %d recorded, %d matched", code(b.File), code(prefix(b.SHA256, 16)), b.Entries, b.Matched)
}

// ruleIDs lists the IDs of the rules that test a control.
func ruleIDs(c *Control) string {
	var ids []string
	for _, r := range c.Rules {
		ids = append(ids, r.ID)
	}
	return strings.Join(ids, ", ")
}

// short shortens a "sha256:…" digest for display.
func short(d string) string {
	if len(d) > len("sha256:")+16 {
		return d[:len("sha256:")+16]
	}
	return d
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

func sortStrings(s []string) { sort.Strings(s) }

func prefix(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// reachOf computes the blast radius of the scan's workloads when the scan
// kept their details (engine.Options.KeepDetails).
func reachOf(res *engine.Result) *reach.Result {
	if res.Project == nil {
		return nil
	}
	return reach.Compute(res.Project)
}
