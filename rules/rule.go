// Package rules holds every rule: one file per rule, each a Rule value that
// carries its documentation, its control mappings and its check. The CLI's
// `rules` and `explain`, the SARIF rule metadata, the README table and the
// compliance report are all generated from these values.
package rules

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

// Severity grades a finding. The order is Low < Medium < High < Critical.
type Severity int

const (
	Low Severity = iota + 1
	Medium
	High
	Critical
)

func (s Severity) String() string {
	switch s {
	case Low:
		return "low"
	case Medium:
		return "medium"
	case High:
		return "high"
	case Critical:
		return "critical"
	}
	return "unknown"
}

// ParseSeverity reads a severity name.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "low", "note":
		return Low, nil
	case "medium", "warning":
		return Medium, nil
	case "high", "error":
		return High, nil
	case "critical":
		return Critical, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want low, medium, high or critical)", s)
}

// SARIFLevel maps a severity to a SARIF result level.
func (s Severity) SARIFLevel() string {
	switch s {
	case Critical, High:
		return "error"
	case Medium:
		return "warning"
	}
	return "note"
}

// SecurityScore is GitHub code scanning's security-severity for the level.
func (s Severity) SecurityScore() string {
	switch s {
	case Critical:
		return "9.5"
	case High:
		return "8.0"
	case Medium:
		return "5.5"
	}
	return "2.5"
}

// Confidence says how sure a finding is, apart from how bad it would be.
type Confidence int

const (
	ConfidenceLow Confidence = iota + 1
	ConfidenceMedium
	ConfidenceHigh
)

func (c Confidence) String() string {
	switch c {
	case ConfidenceLow:
		return "low"
	case ConfidenceMedium:
		return "medium"
	case ConfidenceHigh:
		return "high"
	}
	return "unknown"
}

// Axis is the question a rule answers.
type Axis string

const (
	AxisSecrets  Axis = "inherited-secrets"
	AxisEgress   Axis = "broad-egress"
	AxisHost     Axis = "host-reach"
	AxisIdentity Axis = "shared-identity"
	// AxisMeta is for findings about isolint's own directives.
	AxisMeta Axis = "meta"
)

// Example is a compliant and a non-compliant snippet of one format. Both
// are scanned by the tests: Bad must give the rule's finding, Good none.
type Example struct {
	Format model.Format
	// Path is a file name that makes the snippet classify as Format.
	Path string
	Bad  string
	Good string
}

// Rule is one check and its documentation.
type Rule struct {
	ID       string
	Title    string // one line, also SARIF shortDescription
	Severity Severity
	// Confidence is the default; a finding may lower it.
	Confidence Confidence
	Axis       Axis
	Formats    []model.Format
	Controls   []controls.Ref
	// Needs declares the evidence of examination: the kinds of input whose
	// presence in a format makes the rule's silence there meaningful (an
	// egress rule over workloads and no network object says nothing). The
	// compliance report passes a control only where every rule that tests
	// it had its input, and lists that input. Nil: workloads.
	Needs []model.InputKind
	// Against are kinds of input that are evidence against the rule's
	// controls where the rule, by default, stays quiet on them (workloads
	// with unrestricted egress in namespaces without any policy): its
	// controls cannot pass while the scan holds any.
	Against []model.InputKind

	// Description is one paragraph: what is flagged and why it matters
	// (SARIF fullDescription).
	Description string
	// Fix says how to resolve a finding.
	Fix      string
	Examples []Example

	// Workload checks one workload of a format in Formats.
	Workload func(p *Pass, w *model.Workload)
	// Pipeline checks one CI pipeline (a workflow, action or GitLab
	// pipeline) with its jobs, once every job is lowered and before their
	// steps are dropped: what reads more than one job but never another
	// pipeline, so that a workflow is checked, and let go of, on the
	// worker that lowered it.
	Pipeline func(p *Pass, pipe *model.Pipeline)
	// Project checks the whole project (shared identities, policies).
	Project func(p *Pass, proj *model.Project)
}

// Checks reports whether the rule checks anything: a workload, a
// pipeline or the project.
func (r *Rule) Checks() bool { return r.Workload != nil || r.Pipeline != nil || r.Project != nil }

// Inputs returns the kinds of input the rule's silence needs (Needs, or
// workloads).
func (r *Rule) Inputs() []model.InputKind {
	if len(r.Needs) > 0 {
		return r.Needs
	}
	return []model.InputKind{model.InputWorkloads}
}

// AppliesTo reports whether the rule checks the format.
func (r *Rule) AppliesTo(f model.Format) bool {
	for _, x := range r.Formats {
		if x == f {
			return true
		}
	}
	return false
}

// Help renders the rule's Markdown help: description, fix, examples and
// the controls it maps to.
func (r *Rule) Help() string {
	// written piece by piece, not through fmt: every SARIF log holds every
	// rule's help, so it is rendered on every pre-commit run
	var b strings.Builder
	b.Grow(4096)
	w := b.WriteString
	w("# " + r.Title + "\n\n" + r.Description + "\n\n")
	w("**Severity:** " + r.Severity.String() + " · **Confidence:** " + r.Confidence.String() + " · **Axis:** " + string(r.Axis) + " · **Formats:** " + formatList(r.Formats) + "\n\n")
	if r.Fix != "" {
		w("## How to fix\n\n" + r.Fix + "\n\n")
	}
	for _, e := range r.Examples {
		lang := "yaml"
		if e.Format == model.FormatTerraform {
			lang = "hcl"
		} else if e.Format == model.FormatGo {
			lang = "go"
		} else if e.Format == model.FormatDev {
			lang = "jsonc"
		}
		w("## Non-compliant (" + string(e.Format) + ")\n\n```" + lang + "\n" + strings.TrimRight(e.Bad, "\n") + "\n```\n\n")
		w("## Compliant (" + string(e.Format) + ")\n\n```" + lang + "\n" + strings.TrimRight(e.Good, "\n") + "\n```\n\n")
	}
	if len(r.Controls) > 0 {
		w("## Controls\n\n")
		var needs []string
		for _, in := range r.Inputs() {
			needs = append(needs, model.InputText[in])
		}
		w("A compliance report passes these controls only over a scan holding, in each format, at least one " + strings.Join(needs, " and one ") + " for this rule to examine.")
		for _, in := range r.Against {
			w(" Any " + model.InputText[in] + " in the scan keeps them from passing, even where this rule does not report it by default.")
		}
		w("\n\n")
		for _, c := range r.Controls {
			scope := ""
			if s := c.Scope(); s != nil {
				scope = " (" + strings.Join(s, ", ") + " results)"
			}
			if c.When != nil {
				scope += " (only " + c.When.Subject + ")"
			}
			if c.Every != "" {
				scope += " (also every " + model.InputText[model.InputKind(c.Every)] + " in the scan, reported or not)"
			}
			w("- " + frameworkLabel(c.Framework) + " " + c.ID + " — " + c.Title() + scope + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// ControlsFor returns the controls that apply to a finding: all of the
// rule's, less those whose scope (CIS and PSS: Kubernetes results; OWASP
// CI/CD: CI results) does not cover the finding's format, and those whose
// condition says the finding is not their subject (CIS 5.2.8 is about
// NET_RAW only).
func (r *Rule) ControlsFor(f Finding) []controls.Ref {
	var out []controls.Ref
	for _, c := range r.Controls {
		if !c.When.Holds(f.Message) {
			continue
		}
		scope := c.Scope()
		if scope == nil || f.Format == "" {
			out = append(out, c)
			continue
		}
		for _, s := range scope {
			if s == string(f.Format) || (s == "tf:kubernetes" && f.Format == model.FormatTerraform && strings.HasPrefix(f.Object, "kubernetes_")) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

func formatList(fs []model.Format) string {
	if len(fs) == len(allFormats) {
		return "all"
	}
	var s []string
	for _, f := range fs {
		s = append(s, string(f))
	}
	return strings.Join(s, ", ")
}

func frameworkLabel(f controls.Framework) string {
	switch f {
	case controls.NHI:
		return "OWASP NHI"
	case controls.NIST80053:
		return "NIST SP 800-53"
	case controls.CSF:
		return "NIST CSF 2.0"
	case controls.SP800190:
		return "NIST SP 800-190"
	case controls.CIS:
		return "CIS Kubernetes"
	case controls.PSS:
		return "Pod Security Standards"
	case controls.CICD:
		return "OWASP CI/CD"
	case controls.Agentic:
		return "OWASP Agentic Top 10"
	case controls.SP800207:
		return "NIST SP 800-207 tenet"
	}
	return string(f)
}

// Finding is one result of a rule.
// MaxRelated bounds the related places a project rule lists in one
// finding: what GitHub code scanning shows of a result. Listing every other
// user of an identity that n workloads share in each of their n findings
// would cost n² (see shared-execution-identity).
const MaxRelated = 100

type Finding struct {
	RuleID     string
	Severity   Severity
	Confidence Confidence
	Message    string
	Loc        model.Location
	Related    []model.Related
	// RelatedLeftOut counts the related places a project rule left out of
	// Related beyond MaxRelated (the other users of a widely shared
	// identity): the message gives the full count.
	RelatedLeftOut int
	Format         model.Format
	// Object identifies what the finding is about (a workload, a binding),
	// e.g. "Deployment/shop/web"; fingerprints and workload-scoped ignores
	// use it.
	Object string
	// Workload is the workload's name, for config ignores keyed by workload.
	Workload string
	// Unit is the deployment unit (a Kustomize overlay) of the object the
	// finding is about; empty for plain files. The engine names it in the
	// message and merges the findings that several units share.
	Unit string

	// Suppression is set by the filter when a waiver covers the finding.
	Suppression *Suppression
	// Baselined is set when the baseline in force (scan --baseline)
	// records the finding: it is old, not new, and does not fail the gate.
	Baselined bool
	// Fingerprint identifies the finding across edits that do not touch it
	// (set by the engine; see engine.fingerprint).
	Fingerprint string
	// Fix is the edit `isolint fix` makes for the finding, set after the
	// scan by the fix stage (nil: no mechanical fix).
	Fix *FixNote
}

// FixNote says what `isolint fix` does for a finding.
type FixNote struct {
	// Unsafe: the fix can change what the workload does (`--unsafe`).
	Unsafe bool
	Does   string
	Edits  []TextEdit
}

// TextEdit replaces the text of Region with Text; an empty region (Line:Col
// equal to EndLine:EndCol) inserts before that position.
type TextEdit struct {
	Region model.Location
	Text   string
}

// SuppressionKind says where a waiver was written, in SARIF's terms.
type SuppressionKind string

const (
	SuppressedInSource SuppressionKind = "inSource" // an inline directive
	SuppressedExternal SuppressionKind = "external" // .isolint.yaml
)

// Suppression is the waiver that covers a finding.
type Suppression struct {
	Kind          SuppressionKind
	Justification string
	Expires       string
	Loc           model.Location
}

// Options tune rules from the command line or config.
type Options struct {
	// RequireEgressPolicy makes egress-unrestricted report every workload
	// no egress NetworkPolicy selects, even in namespaces without policies.
	RequireEgressPolicy bool
	// SelfHostedLabels and GitHubHostedLabels are the organisation's
	// runner labels and group names (globs) from .isolint.yaml
	// runner-labels: they settle a label GitHub does not define.
	SelfHostedLabels, GitHubHostedLabels []string
	// Faults, when set, collects the checks that panic instead of letting
	// the panic end the scan (see Faults).
	Faults *Faults
}

// Pass is one rule's view of a check run.
type Pass struct {
	Rule     *Rule
	Options  Options
	findings []Finding
}

// Report records a finding. Severity and Confidence default to the rule's.
func (p *Pass) Report(f Finding) {
	f.RuleID = p.Rule.ID
	if f.Severity == 0 {
		f.Severity = p.Rule.Severity
	}
	if f.Confidence == 0 {
		f.Confidence = p.Rule.Confidence
	}
	p.findings = append(p.findings, f)
}

// ReportAt records a finding about workload w at loc. Related places where
// the value came from (loc's anchors and variable sources) are passed in via.
func (p *Pass) ReportAt(w *model.Workload, loc model.Location, via []model.Related, format string, args ...any) {
	p.Report(Finding{
		Message:  fmt.Sprintf(format, args...),
		Loc:      loc,
		Related:  via,
		Format:   w.Format,
		Object:   w.ID(),
		Workload: w.Name,
		Unit:     w.Unit,
	})
}

var registry = map[string]*Rule{}

// register adds a rule; each rule file calls it from init.
func register(r *Rule) *Rule {
	if _, dup := registry[r.ID]; dup {
		panic("rules: duplicate rule " + r.ID)
	}
	registry[r.ID] = r
	return r
}

// All returns every rule, sorted by ID.
func All() []*Rule {
	out := make([]*Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ByID returns the rule with the given ID, or nil.
func ByID(id string) *Rule { return registry[id] }

// Run checks the project with the given rules, per-workload checks and
// project-wide checks alike, and returns their findings in rule order (the
// caller sorts). Rules only read the model, each through its own Pass, so
// they run in parallel; the result does not depend on scheduling.
func Run(rs []*Rule, proj *model.Project, opts Options) []Finding {
	return parallel(rs, func(r *Rule) *Pass {
		p := &Pass{Rule: r, Options: opts}
		checkWorkloads(p, proj.Workloads)
		checkPipelines(p, proj.Pipelines)
		if r.Project != nil {
			p.checkProject(proj)
		}
		return p
	})
}

// RunProject runs only the project-wide checks (shared identities, network
// policies, RBAC …), for a caller that ran CheckWorkloads as it lowered.
// Project checks read a workload's identity, labels, namespace, host
// network, token automount and CI facts, never its containers, volumes or
// security context, which a caller may have dropped.
func RunProject(rs []*Rule, proj *model.Project, opts Options) []Finding {
	return parallel(rs, func(r *Rule) *Pass {
		p := &Pass{Rule: r, Options: opts}
		if r.Project != nil {
			p.checkProject(proj)
		}
		return p
	})
}

// CheckWorkloads runs the per-workload checks of rs over ws, one rule after
// another; callers run it for many files at once.
func CheckWorkloads(rs []*Rule, ws []*model.Workload, opts Options) []Finding {
	if len(ws) == 0 {
		return nil
	}
	// one Pass for every rule, its findings gathered in rule order: a Pass
	// per rule and copying each one's findings out cost two allocations
	// per rule and file
	p := &Pass{Options: opts}
	for _, r := range rs {
		if r.Workload == nil {
			continue
		}
		p.Rule = r
		checkWorkloads(p, ws)
	}
	return p.findings
}

// CheckPipelines runs the per-pipeline checks of rs over pipes, one rule
// after another, as CheckWorkloads does for workloads.
func CheckPipelines(rs []*Rule, pipes []*model.Pipeline, opts Options) []Finding {
	if len(pipes) == 0 {
		return nil
	}
	p := &Pass{Options: opts}
	for _, r := range rs {
		p.Rule = r
		checkPipelines(p, pipes)
	}
	return p.findings
}

func checkPipelines(p *Pass, pipes []*model.Pipeline) {
	if p.Rule.Pipeline == nil {
		return
	}
	for _, pipe := range pipes {
		if p.Rule.AppliesTo(pipe.Format) {
			p.checkPipeline(pipe)
		}
	}
}

func (p *Pass) checkPipeline(pipe *model.Pipeline) {
	defer p.recoverFault(pipe.Loc, pipe.Format)
	p.Rule.Pipeline(p, pipe)
}

func checkWorkloads(p *Pass, ws []*model.Workload) {
	if p.Rule.Workload == nil {
		return
	}
	for _, w := range ws {
		if p.Rule.AppliesTo(w.Format) {
			p.checkWorkload(w)
		}
	}
}

func (p *Pass) checkWorkload(w *model.Workload) {
	defer p.recoverFault(w.Loc, w.Format)
	p.Rule.Workload(p, w)
}

func (p *Pass) checkProject(proj *model.Project) {
	defer p.recoverFault(model.Location{}, "")
	p.Rule.Project(p, proj)
}

// parallel runs one function per rule on GOMAXPROCS goroutines and joins
// their findings in rule order.
func parallel(rs []*Rule, run func(*Rule) *Pass) []Finding {
	passes := make([]*Pass, len(rs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(rs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				passes[i] = run(rs[i])
			}
		}()
	}
	for i := range rs {
		next <- i
	}
	close(next)
	wg.Wait()
	var n int
	for _, p := range passes {
		n += len(p.findings)
	}
	out := make([]Finding, 0, n)
	for _, p := range passes {
		out = append(out, p.findings...)
	}
	return out
}
