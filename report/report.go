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
	"strconv"
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
const SchemaVersion = "2"

// Status is a control's result.
type Status string

const (
	// Fail: at least one finding in force (not waived) maps to the control.
	// Findings the baseline records count: a baseline keeps old findings
	// from failing a CI gate, it does not make a control pass.
	Fail Status = "fail"
	// Pass: every rule that tests the control, in every format of the
	// scan it applies to, ran over the input that can show the problem
	// (Control.Examined lists it) and found nothing in force, and nothing
	// of those formats was seen but left unchecked.
	Pass Status = "pass"
	// NotTested: no rule tests the control, its rules are disabled, the
	// scan held no input they apply to or none of the input that makes
	// their silence meaningful, input they would have read was not
	// checked, or the scan holds evidence against the control that its
	// rules do not report by default.
	NotTested Status = "not-tested"
)

// Why a control was not tested.
const (
	NoRule        = "no-rule"
	NoInput       = "no-relevant-input"
	RulesDisabled = "rules-disabled"
	// NoEvidence: its rules ran over the scan's formats, but the scan held
	// none of the input that makes their silence meaningful (no
	// NetworkPolicy for an egress control).
	NoEvidence = "no-evidence"
	// InputNotChecked: files, charts or workloads its rules would have read
	// were seen but not checked (Report.NotChecked lists them).
	InputNotChecked = "input-not-checked"
	// EvidenceAgainst: the scan holds what the control forbids and its
	// rules do not report by default (workloads with unrestricted egress
	// without --require-egress-policy).
	EvidenceAgainst = "evidence-against"
)

// notTestedReasons are the NotTested values, in the order they are judged.
var notTestedReasons = []string{NoRule, NoInput, RulesDisabled, NoEvidence, InputNotChecked, EvidenceAgainst}

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
	// NotChecked lists what the scan saw but did not check, with the
	// controls of the framework it would have informed (none of which
	// passes).
	NotChecked []NotChecked `json:"notChecked"`
	// Coverage states isolint's reach over the framework.
	Coverage Coverage `json:"coverage"`

	// reach is the blast radius of each workload, for the HTML report;
	// nil when the scan kept no workload details.
	reach *reach.Result
}

// NotChecked is input seen but not checked.
type NotChecked struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Format string `json:"format,omitempty"`
	Object string `json:"object,omitempty"`
	Reason string `json:"reason"`
	// Input is the only kind of input not checked ("identities" for a
	// workload whose identity is unresolved); absent: everything.
	Input string `json:"input,omitempty"`
	// Controls are the framework's controls it would have informed.
	Controls []string `json:"controls"`
}

// Coverage is the framework's controls split by isolint's reach: those no
// isolint rule can test (organisational, procedural, or outside what
// runtime definitions express), those it can test but did not in this
// scan, and those it tested (pass or fail).
type Coverage struct {
	NeverTestable []string `json:"neverTestable"`
	NotTested     []string `json:"notTested"`
	Tested        []string `json:"tested"`
}

// Tool names the program that made the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// Digest is the sha256 of the isolint binary that ran, when it could be
	// read.
	Digest string `json:"digest,omitempty"`
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
	// Repository identifies the git work tree the scanned root lies in
	// (nil: none found).
	Repository *Repository `json:"repository"`
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
	// Observed counts objects the scan holds that a standard forbids
	// outright and that no finding reports (hostPath volumes a rule judged
	// harmless); they fail their controls like findings.
	Observed int `json:"observed"`
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
	// Findings counts the findings in force (observations included),
	// Suppressed the waived ones.
	Findings   int        `json:"findings"`
	Suppressed int        `json:"suppressed"`
	Evidence   []Evidence `json:"evidence"`
	// Examined is the evidence of examination: per rule, format and kind
	// of input, what the rule's silence rests on (count and a sample).
	Examined []Examined `json:"examined"`
	// Missing says, per rule and format, which input the scan lacked.
	Missing []Missing `json:"missing"`
	// NotChecked counts the entries of Report.NotChecked that inform the
	// control.
	NotChecked int `json:"notChecked"`
}

// Examined is the input one rule read in one format for a control.
type Examined struct {
	RuleID string           `json:"ruleId"`
	Format string           `json:"format"`
	Input  string           `json:"input"`
	Count  int              `json:"count"`
	Sample []model.Sighting `json:"sample"`
}

// Missing is input a rule needed in a format and the scan did not hold.
type Missing struct {
	RuleID string `json:"ruleId"`
	Format string `json:"format"`
	Input  string `json:"input"`
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
	// Observed marks an object the standard forbids that no finding
	// reports (see Totals.Observed): evidence from the model, not a rule.
	Observed bool `json:"observed,omitempty"`
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
	// Digest is the sha256 of the isolint binary ("" if unknown).
	Digest string
	// NoRepository leaves the git provenance out (tests of output that
	// must not depend on the checkout they run in).
	NoRepository bool
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
		NotChecked:     []NotChecked{},
		Totals:         Totals{NotTestedBy: map[string]int{}},
	}
	for _, why := range notTestedReasons {
		r.Totals.NotTestedBy[why] = 0
	}

	ran := map[string]bool{}
	for _, rule := range res.Rules {
		ran[rule.ID] = true
	}
	inv := res.Inventory
	if inv == nil {
		inv = model.NewInventory()
	}
	if !opts.NoRepository {
		r.Scan.Repository = readRepository(res.Base)
	}
	r.Tool.Digest = opts.Digest

	// the rules that test each control of the framework
	tests := map[string][]RuleRef{}
	refs := map[string][]ruleRef{}
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
					if present(f, res.Stats, inv) && hasInputs(rule, f, inv) {
						rr.Tested = append(rr.Tested, f)
					}
				}
			}
			tests[ref.ID] = append(tests[ref.ID], rr)
			refs[ref.ID] = append(refs[ref.ID], ruleRef{rule: rule, ref: ref, formats: formats})
		}
	}

	// the evidence for each control
	evidence := map[string][]Evidence{}
	found := map[string]bool{} // file:line:object of every finding, for observations
	for _, f := range res.Findings {
		rule := rules.ByID(f.RuleID)
		if rule == nil {
			continue
		}
		found[fmt.Sprintf("%s:%d:%s", f.Loc.File, f.Loc.Line, f.Object)] = true
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
	// objects a standard forbids outright, reported by no finding
	for _, ctl := range cat.Controls {
		for _, rr := range refs[ctl.ID] {
			if rr.ref.Every == "" || !ran[rr.rule.ID] {
				continue
			}
			for _, scope := range rr.formats {
				t := inv.Tally(model.InputKind(rr.ref.Every), scope)
				if t == nil {
					continue
				}
				for _, s := range t.Sample {
					key := fmt.Sprintf("%s:%d:%s", s.File, s.Line, s.Object)
					if found[key] {
						continue
					}
					found[key] = true
					evidence[ctl.ID] = append(evidence[ctl.ID], observation(rr, scope, ctl, cat, s))
					r.Totals.Observed++
				}
			}
		}
	}

	// what was seen but not checked, and the controls it would have informed
	for _, u := range inv.Unchecked {
		nc := NotChecked{File: u.File, Line: u.Line, Format: string(u.Format), Object: u.Object, Reason: u.Reason, Input: string(u.Input), Controls: []string{}}
		for _, ctl := range cat.Controls {
			for _, rr := range refs[ctl.ID] {
				if informs(u, rr) {
					nc.Controls = append(nc.Controls, ctl.ID)
					break
				}
			}
		}
		r.NotChecked = append(r.NotChecked, nc)
	}
	sort.SliceStable(r.NotChecked, func(i, j int) bool {
		a, b := r.NotChecked[i], r.NotChecked[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Object < b.Object
	})

	r.Coverage = Coverage{NeverTestable: []string{}, NotTested: []string{}, Tested: []string{}}
	for _, ctl := range cat.Controls {
		rs := tests[ctl.ID]
		if len(rs) == 0 && (ctl.Withdrawn || heading(ctl.Kind)) {
			continue
		}
		c := &Control{ID: ctl.ID, Title: ctl.Title, Rules: rs, Evidence: evidence[ctl.ID], Examined: []Examined{}, Missing: []Missing{}}
		if c.Rules == nil {
			c.Rules = []RuleRef{}
		}
		if c.Evidence == nil {
			c.Evidence = []Evidence{}
		}
		for _, nc := range r.NotChecked {
			for _, id := range nc.Controls {
				if id == ctl.ID {
					c.NotChecked++
				}
			}
		}
		judge(c, refs[ctl.ID], res, inv, ran)
		r.Controls = append(r.Controls, c)
		r.Totals.Controls++
		switch c.Status {
		case Fail:
			r.Totals.Fail++
			r.Coverage.Tested = append(r.Coverage.Tested, c.ID)
		case Pass:
			r.Totals.Pass++
			r.Coverage.Tested = append(r.Coverage.Tested, c.ID)
		default:
			r.Totals.NotTested++
			r.Totals.NotTestedBy[c.NotTested]++
			if c.NotTested == NoRule {
				r.Coverage.NeverTestable = append(r.Coverage.NeverTestable, c.ID)
			} else {
				r.Coverage.NotTested = append(r.Coverage.NotTested, c.ID)
			}
		}
	}
	return r, nil
}

// ruleRef is one rule's reference to a control, with the formats in which
// the rule tests it.
type ruleRef struct {
	rule    *rules.Rule
	ref     controls.Ref
	formats []string
}

// informs reports whether an unchecked item would have informed a rule's
// reference: it is of a format the reference covers (an unknown format
// covers all), and, when only one kind of input of it was not checked,
// the rule needs that kind.
func informs(u model.Unchecked, rr ruleRef) bool {
	if u.Input != "" {
		needed := false
		for _, in := range rr.rule.Inputs() {
			needed = needed || in == u.Input
		}
		if !needed {
			return false
		}
	}
	if u.Format == "" {
		return true
	}
	for _, f := range rr.formats {
		if f == string(u.Format) || f == model.ScopeKubernetes && u.Format == model.FormatTerraform {
			return true
		}
	}
	return false
}

// observation is the evidence of an object a standard forbids outright
// that no finding reports.
func observation(rr ruleRef, scope string, ctl controls.Control, cat *controls.Catalog, s model.Sighting) Evidence {
	what := model.InputText[model.InputKind(rr.ref.Every)]
	sum := sha256.Sum256([]byte("observed\x00" + string(cat.Framework) + "\x00" + ctl.ID + "\x00" + s.File + "\x00" + s.Object + "\x00" + strconv.Itoa(s.Line)))
	format := scope
	if scope == model.ScopeKubernetes {
		format = string(model.FormatTerraform)
	}
	return Evidence{
		RuleID: rr.rule.ID, Severity: rr.rule.Severity.String(), Confidence: rules.ConfidenceHigh.String(), Format: format,
		File: s.File, Line: s.Line, Object: s.Object, Observed: true, Fingerprint: hex.EncodeToString(sum[:16]),
		Message: fmt.Sprintf("%s has a %s: %s %s admits none, whatever its path, although %s does not report this one", s.Object, what, cat.Name, ctl.ID, rr.rule.ID),
	}
}

// present reports whether the scan held anything of a format scope.
func present(f string, st engine.Stats, inv *model.Inventory) bool {
	if f == model.ScopeKubernetes {
		return inv.Tally(model.InputWorkloads, f) != nil
	}
	format := model.Format(f)
	for _, n := range st.Workloads[format] {
		if n > 0 {
			return true
		}
	}
	return st.Objects[format] > 0
}

// hasInputs reports whether the scan held every kind of input the rule's
// silence needs in the format scope.
func hasInputs(r *rules.Rule, f string, inv *model.Inventory) bool {
	for _, in := range r.Inputs() {
		if inv.Tally(in, f) == nil {
			return false
		}
	}
	return true
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

// judge sets a control's status and reason from its rules, its evidence
// and what the scan held: fail on a finding in force; pass only when every
// rule that tests the control had, in every format of the scan it applies
// to, the input its silence needs, nothing of those formats went
// unchecked and nothing in the scan speaks against the control; else not
// tested, with the first reason that holds.
func judge(c *Control, refs []ruleRef, res *engine.Result, inv *model.Inventory, ran map[string]bool) {
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
	var (
		relevant, disabled, tested []string
		against                    []string
		formats                    []string
		fset                       = map[string]bool{}
	)
	addOnce := func(list []string, s string) []string {
		for _, x := range list {
			if x == s {
				return list
			}
		}
		return append(list, s)
	}
	for _, rr := range refs {
		for _, f := range rr.formats {
			if !fset[f] {
				fset[f] = true
				formats = append(formats, f)
			}
			if !present(f, res.Stats, inv) && !uncheckedIn(inv, f) {
				continue
			}
			relevant = addOnce(relevant, rr.rule.ID)
			if !ran[rr.rule.ID] {
				disabled = addOnce(disabled, rr.rule.ID)
				continue
			}
			complete := true
			for _, in := range rr.rule.Inputs() {
				t := inv.Tally(in, f)
				if t == nil {
					c.Missing = append(c.Missing, Missing{RuleID: rr.rule.ID, Format: f, Input: string(in)})
					complete = false
					continue
				}
				c.Examined = append(c.Examined, Examined{RuleID: rr.rule.ID, Format: f, Input: string(in), Count: t.Count, Sample: t.Sample})
			}
			if complete {
				tested = addOnce(tested, rr.rule.ID)
			}
			for _, in := range rr.rule.Against {
				if t := inv.Tally(in, f); t != nil {
					against = append(against, againstText(rr.rule, in, f, t))
				}
			}
		}
	}
	sort.Strings(formats)
	sup := ""
	if c.Suppressed > 0 {
		sup = fmt.Sprintf("; %d waived finding(s) not counted", c.Suppressed)
	}
	switch {
	case c.Findings > 0:
		c.Status = Fail
		c.Reason = fmt.Sprintf("%d finding(s) of %s%s", c.Findings, strings.Join(failing, ", "), sup)
		if c.NotChecked > 0 {
			c.Reason += fmt.Sprintf("; %d input(s) seen but not checked could hold more", c.NotChecked)
		}
	case len(c.Rules) == 0:
		c.Status, c.NotTested = NotTested, NoRule
		c.Reason = "no isolint rule tests this control"
	case allDisabled(c, ran):
		c.Status, c.NotTested = NotTested, RulesDisabled
		c.Reason = fmt.Sprintf("its rules (%s) are disabled by the configuration", ruleIDs(c))
	case len(relevant) == 0:
		c.Status, c.NotTested = NotTested, NoInput
		c.Reason = fmt.Sprintf("no relevant input: its rules test %s input, and the scan held none", describeFormats(formats))
	case c.NotChecked > 0:
		c.Status, c.NotTested = NotTested, InputNotChecked
		c.Reason = fmt.Sprintf("%d input(s) its rules would have read were seen but not checked (see the not-checked list)%s", c.NotChecked, sup)
	case len(against) > 0:
		c.Status, c.NotTested = NotTested, EvidenceAgainst
		c.Reason = strings.Join(against, "; ")
		if len(c.Missing) > 0 {
			c.Reason += "; and " + missingText(c.Missing)
		}
	case len(disabled) > 0:
		c.Status, c.NotTested = NotTested, RulesDisabled
		c.Reason = fmt.Sprintf("rules that test it over this scan's input are disabled by the configuration: %s", strings.Join(disabled, ", "))
	case len(c.Missing) > 0:
		c.Status, c.NotTested = NotTested, NoEvidence
		c.Reason = missingText(c.Missing)
	default:
		c.Status = Pass
		c.Reason = fmt.Sprintf("%s examined %s and found nothing in force%s", strings.Join(tested, ", "), examinedText(c.Examined), sup)
	}
}

func allDisabled(c *Control, ran map[string]bool) bool {
	for _, r := range c.Rules {
		if ran[r.ID] {
			return false
		}
	}
	return true
}

// uncheckedIn reports whether something of a format scope was seen but
// not checked: such a format counts as present even with no object left.
func uncheckedIn(inv *model.Inventory, f string) bool {
	for _, u := range inv.Unchecked {
		if u.Input == "" && (string(u.Format) == f || u.Format == "" || f == model.ScopeKubernetes && u.Format == model.FormatTerraform) {
			return true
		}
	}
	return false
}

func againstText(r *rules.Rule, in model.InputKind, f string, t *model.Tally) string {
	sample := ""
	if len(t.Sample) > 0 {
		s := t.Sample[0]
		sample = fmt.Sprintf(", e.g. %s (%s)", s.Object, s.File)
	}
	switch in {
	case model.InputUnlinkedEgress:
		return fmt.Sprintf("%d %s workload(s) have egress isolint cannot show restricted: they reach the internet directly (a function outside a VPC), or through security groups, firewall rules or networks that are not in the scan or that isolint does not link to them%s", t.Count, f, sample)
	case model.InputOpenEgress:
		return fmt.Sprintf("%d %s workload(s) have unrestricted egress: no NetworkPolicy with Egress in the scan selects them, and Kubernetes then allows every destination%s; %s reports each only with --require-egress-policy (a policy outside the scan may still apply)", t.Count, f, sample, r.ID)
	}
	return fmt.Sprintf("%d %s %s(s) in the scan speak against it%s", t.Count, f, model.InputText[in], sample)
}

// missingText says which input the scan lacked: "no NetworkPolicy,
// security group … in the scan (k8s; egress-unrestricted)".
func missingText(ms []Missing) string {
	var order []string
	by := map[string][]string{}
	for _, m := range ms {
		if _, ok := by[m.Input]; !ok {
			order = append(order, m.Input)
		}
		by[m.Input] = append(by[m.Input], m.RuleID+" in "+m.Format)
	}
	var parts []string
	for _, in := range order {
		parts = append(parts, fmt.Sprintf("no %s in the scan (%s)", model.InputText[model.InputKind(in)], strings.Join(dedupe(by[in]), ", ")))
	}
	return strings.Join(parts, "; ")
}

func examinedText(es []Examined) string {
	var parts []string
	seen := map[string]bool{}
	for _, e := range es {
		k := e.Input + "\x00" + e.Format
		if seen[k] {
			continue
		}
		seen[k] = true
		parts = append(parts, fmt.Sprintf("%d %s %s", e.Count, describeFormats([]string{e.Format}), inputNouns[model.InputKind(e.Input)]))
	}
	return strings.Join(parts, ", ")
}

// inputNouns name each kind of input in the plural, for counts.
var inputNouns = map[model.InputKind]string{
	model.InputWorkloads:      "workload(s)",
	model.InputNetwork:        "network object(s) (NetworkPolicies, firewall rules, metadata settings)",
	model.InputAccess:         "access grant(s) (RBAC roles and bindings, cloud role policies, CI token permissions)",
	model.InputCredentials:    "credential source(s)",
	model.InputIdentities:     "workload identity(ies)",
	model.InputTrust:          "trust policy(ies)",
	model.InputSubprocesses:   "subprocess(es)",
	model.InputHostPaths:      "hostPath volume(s)",
	model.InputOpenEgress:     "workload(s) with unrestricted egress",
	model.InputUnlinkedEgress: "workload(s) of unknown egress",
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
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

func sourceText(s controls.Source) string {
	if s.Repo != "" {
		return s.Repo + "@" + shortCommit(s.Commit)
	}
	return s.Document
}

// toolText names the isolint version and binary digest.
func toolText(r *Report, code func(string) string) string {
	s := code(r.Tool.Version)
	if r.Tool.Digest != "" {
		s += " (binary " + code(short(r.Tool.Digest)) + ")"
	}
	return s
}

// repositoryText names the git remote, ref, commit and whether the tree
// was clean.
func repositoryText(r *Report, code func(string) string) string {
	g := r.Scan.Repository
	if g == nil {
		return "no git work tree around the scanned root"
	}
	var parts []string
	if g.Remote != "" {
		parts = append(parts, code(g.Remote))
	}
	if g.Ref != "" {
		parts = append(parts, code(strings.TrimPrefix(g.Ref, "refs/heads/")))
	}
	if g.Commit != "" {
		parts = append(parts, "commit "+code(g.Commit))
	}
	switch {
	case g.Clean == nil:
	case *g.Clean:
		parts = append(parts, "clean tree")
	default:
		parts = append(parts, "uncommitted changes: the scan is of the work tree, not of the commit")
	}
	if g.Note != "" {
		parts = append(parts, g.Note)
	}
	return strings.Join(parts, ", ")
}

// notTestedSplit counts the testable controls not tested, by reason.
func notTestedSplit(r *Report) string {
	var parts []string
	for _, why := range notTestedReasons {
		if why == NoRule {
			continue
		}
		if n := r.Totals.NotTestedBy[why]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, why))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func where(file string, line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", file, line)
	}
	return file
}

func listCut(items []string, n int) string {
	if len(items) == 0 {
		return "none"
	}
	if len(items) > n {
		return strings.Join(items[:n], ", ") + fmt.Sprintf(" and %d more", len(items)-n)
	}
	return strings.Join(items, ", ")
}

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
