package report

import (
	"fmt"
	"html/template"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// HTML writes the report as one self-contained page: inline CSS and SVG,
// no script, nothing fetched from the network. It shows the status counts
// as a chart, the scan metadata, a table of the controls isolint tests
// (failing ones link to their evidence, each finding as path:line), the
// controls no rule tests, and the waived findings.
func HTML(w io.Writer, r *Report) error {
	return htmlPage().Execute(w, htmlViewOf(r))
}

type htmlView struct {
	*Report
	Coverage, Config, Baseline   string
	ToolText, Repository, Source string
	NotTestedSplit               string
	Chart                        []htmlArc
	Bar                          []htmlSegment
	// InScope counts the controls some rule tests; the chart shows them.
	InScope, InScopeNotTested int
	Tested, NoRule            []*htmlControl
	Failing                   []*htmlControl
	Passing                   []*Control
}

type htmlArc struct {
	Class, Dash, Offset string
}

type htmlSegment struct {
	Class, Width, Label string
}

type htmlControl struct {
	*Control
	Anchor   string
	Evidence []Evidence // in force only
	Rules    []htmlRule
	Formats  string // the formats it was tested in
}

type htmlRule struct {
	ID      string
	Failing bool
}

var anchorUnsafe = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

func htmlViewOf(r *Report) htmlView {
	v := htmlView{Report: r, Coverage: coverage(r),
		Config:         configText(r, func(s string) string { return s }),
		Baseline:       baselineText(r, func(s string) string { return s }),
		ToolText:       toolText(r, func(s string) string { return s }),
		Repository:     repositoryText(r, func(s string) string { return s }),
		Source:         r.Framework.Source.String(),
		NotTestedSplit: notTestedSplit(r)}
	t := r.Totals
	v.InScopeNotTested = t.NotTested - t.NotTestedBy[NoRule]
	v.InScope = t.Fail + t.Pass + v.InScopeNotTested
	// a donut of circumference 100 (r = 15.9155): each status an arc
	offset := 25.0 // start at 12 o'clock
	for _, s := range []struct {
		class string
		n     int
	}{{"fail", t.Fail}, {"pass", t.Pass}, {"nottested", v.InScopeNotTested}} {
		if s.n == 0 || v.InScope == 0 {
			continue
		}
		p := 100 * float64(s.n) / float64(v.InScope)
		v.Chart = append(v.Chart, htmlArc{Class: s.class, Dash: fmt.Sprintf("%.3f %.3f", p, 100-p), Offset: fmt.Sprintf("%.3f", offset)})
		v.Bar = append(v.Bar, htmlSegment{Class: s.class, Width: fmt.Sprintf("%.3f%%", p), Label: fmt.Sprint(s.n)})
		offset -= p
	}
	for _, c := range r.Controls {
		hc := &htmlControl{Control: c, Anchor: "c-" + strings.Trim(anchorUnsafe.ReplaceAllString(c.ID, "-"), "-")}
		failing := map[string]bool{}
		for _, e := range c.Evidence {
			if e.Suppression == nil {
				hc.Evidence = append(hc.Evidence, e)
				failing[e.RuleID] = true
			}
		}
		seen := map[string]bool{}
		var formats []string
		for _, rr := range c.Rules {
			hc.Rules = append(hc.Rules, htmlRule{ID: rr.ID, Failing: failing[rr.ID]})
			for _, f := range rr.Tested {
				if !seen[f] {
					seen[f] = true
					formats = append(formats, f)
				}
			}
		}
		sort.Strings(formats)
		hc.Formats = describeFormats(formats)
		if c.NotTested == NoRule {
			v.NoRule = append(v.NoRule, hc)
			continue
		}
		v.Tested = append(v.Tested, hc)
		if c.Status == Fail {
			v.Failing = append(v.Failing, hc)
		}
		if c.Status == Pass {
			v.Passing = append(v.Passing, c)
		}
	}
	return v
}

// htmlPage is parsed on first use: parsing it when the package loads cost
// every run, a pre-commit scan included, about half a millisecond.
var htmlPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"label": func(s Status) string {
			switch s {
			case Fail:
				return "fail"
			case Pass:
				return "pass"
			}
			return "not tested"
		},
		"class":       func(s Status) string { return strings.ReplaceAll(string(s), "-", "") },
		"join":        strings.Join,
		"short":       short,
		"commit":      shortCommit,
		"blastRadius": blastRadiusSection,
	}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="isolint {{.Tool.Version}}">
<title>isolint compliance report — {{.Framework.Name}} ({{.Framework.Version}})</title>
<style>
:root { --fail: #c62828; --pass: #2e7d32; --nottested: #9aa0a6; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 24px; margin: 0 0 2px; }
h2 { font-size: 18px; margin: 34px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 22px 0 8px; }
.sub { color: var(--muted); margin: 0 0 22px; }
code, .mono { font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; }
.summary { display: flex; gap: 28px; align-items: center; flex-wrap: wrap; padding: 20px 24px; background: var(--bg); border: 1px solid var(--line); border-radius: 10px; }
.donut { width: 150px; height: 150px; flex: none; }
.donut circle { fill: none; stroke-width: 5.2; }
.donut .track { stroke: #e6e9ed; }
.donut .fail { stroke: var(--fail); } .donut .pass { stroke: var(--pass); } .donut .nottested { stroke: var(--nottested); }
.donut text { font: bold 7px sans-serif; fill: var(--ink); text-anchor: middle; }
.donut text.small { font: 3.4px sans-serif; fill: var(--muted); }
.cards { display: flex; gap: 14px; flex-wrap: wrap; }
.card { min-width: 128px; padding: 10px 16px; background: #fff; border: 1px solid var(--line); border-left: 6px solid var(--nottested); border-radius: 8px; }
.card.fail { border-left-color: var(--fail); } .card.pass { border-left-color: var(--pass); }
.card b { display: block; font-size: 26px; line-height: 1.2; }
.card span { color: var(--muted); }
.facts { flex: 1 1 260px; color: var(--muted); }
.facts b { color: var(--ink); }
.bar { display: flex; height: 10px; border-radius: 5px; overflow: hidden; margin-top: 10px; background: #e6e9ed; }
.bar div.fail { background: var(--fail); } .bar div.pass { background: var(--pass); } .bar div.nottested { background: var(--nottested); }
.warn { margin: 18px 0 0; padding: 10px 14px; border: 1px solid #d4a72c; background: #fff8c5; border-radius: 8px; }
table { width: 100%; border-collapse: collapse; }
table.ev { table-layout: fixed; }
table.ev td { overflow-wrap: anywhere; }
th, td { text-align: left; vertical-align: top; padding: 7px 10px; border-bottom: 1px solid var(--line); }
th { background: var(--bg); font-weight: 600; white-space: nowrap; }
table.meta th { width: 150px; background: none; color: var(--muted); font-weight: 500; }
td.num { text-align: right; white-space: nowrap; }
.pill { display: inline-block; min-width: 82px; padding: 1px 9px; border-radius: 11px; color: #fff; font-size: 12px; font-weight: 600; text-align: center; white-space: nowrap; }
.pill.fail { background: var(--fail); } .pill.pass { background: var(--pass); } .pill.nottested { background: var(--nottested); }
.reason { color: var(--muted); font-size: 13px; }
td.id, td.nowrap { white-space: nowrap; }
.rule { display: inline-block; margin: 1px 0; padding: 0 6px; border-radius: 4px; background: #eef1f4; font: 12px/1.6 ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; }
.rule.failing { background: #fde7e7; color: #8e0000; }
.sev { font-size: 12px; font-weight: 600; text-transform: uppercase; }
.sev.critical { color: #8e0000; } .sev.high { color: var(--fail); } .sev.medium { color: #9a6700; } .sev.low { color: var(--muted); }
.tag { font-size: 11px; padding: 0 6px; border: 1px solid var(--line); border-radius: 8px; color: var(--muted); white-space: nowrap; }
a { color: #0969da; text-decoration: none; } a:hover { text-decoration: underline; }
details { margin: 12px 0; } summary { cursor: pointer; font-weight: 600; }
ul.norule { columns: 2; column-gap: 32px; padding-left: 18px; color: var(--muted); }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print { main { padding: 0; } details { display: block; } .summary { break-inside: avoid; } tr { break-inside: avoid; } }
</style>
</head>
<body>
<main>
<h1>isolint compliance report</h1>
<p class="sub">{{.Framework.Name}} · generated {{.GeneratedAt}} · isolint {{.Tool.Version}}</p>

<section class="summary" aria-label="Summary">
<svg class="donut" viewBox="0 0 42 42" role="img" aria-label="{{.Totals.Fail}} fail, {{.Totals.Pass}} pass, {{.InScopeNotTested}} not tested">
<circle class="track" cx="21" cy="21" r="15.9155"></circle>
{{range .Chart}}<circle class="{{.Class}}" cx="21" cy="21" r="15.9155" stroke-dasharray="{{.Dash}}" stroke-dashoffset="{{.Offset}}"></circle>
{{end}}<text x="21" y="22.5">{{.InScope}}</text><text class="small" x="21" y="27.5">in scope</text>
</svg>
<div>
<div class="cards">
<div class="card fail"><b>{{.Totals.Fail}}</b><span>fail</span></div>
<div class="card pass"><b>{{.Totals.Pass}}</b><span>pass</span></div>
<div class="card"><b>{{.InScopeNotTested}}</b><span>not tested</span></div>
</div>
<div class="bar" aria-hidden="true">{{range .Bar}}<div class="{{.Class}}" style="width: {{.Width}}" title="{{.Label}}"></div>{{end}}</div>
</div>
<div class="facts">
<b>{{.Totals.Findings}}</b> finding(s) in force{{if .Scan.Baseline}} (<b>{{.Totals.Baselined}}</b> recorded in the baseline){{end}}, <b>{{.Totals.Suppressed}}</b> waived{{with .Totals.Observed}}, <b>{{.}}</b> forbidden object(s) observed{{end}}.<br>
{{.InScope}} of the catalogue's {{.Totals.Controls}} controls have an isolint rule{{if .InScopeNotTested}}; not tested: {{.NotTestedSplit}}{{end}}.<br>
{{.Coverage}}
</div>
</section>
{{with .Scan.FilesWithErrors}}<p class="warn"><b>{{len .}} file(s) could not be read or parsed in full</b>; what they define was not (fully) checked: {{range $i, $f := .}}{{if $i}}, {{end}}<code>{{$f}}</code>{{end}}</p>{{end}}
{{with .NotChecked}}<p class="warn"><b>{{len .}} input(s) were seen but not checked</b>; the controls they would have informed do not pass (see <a href="#not-checked">Not checked</a>).</p>{{end}}

{{blastRadius .Report}}<h2>Scan</h2>
<table class="meta">
<tr><th>Framework</th><td>{{.Framework.Name}} {{.Framework.Version}} — {{.Framework.Publisher}}<br><span class="reason">catalogue <code>{{short .Framework.Digest}}</code> from {{.Source}}</span></td></tr>
<tr><th>Control mapping</th><td><code>{{.MappingVersion}}</code></td></tr>
<tr><th>isolint</th><td>{{.ToolText}}</td></tr>
<tr><th>Repository</th><td>{{.Repository}}</td></tr>
<tr><th>Generated</th><td>{{.GeneratedAt}}</td></tr>
<tr><th>Scanned</th><td>{{range $i, $r := .Scan.Roots}}{{if $i}}, {{end}}<code>{{$r}}</code>{{end}}</td></tr>
<tr><th>Files</th><td>{{.Coverage}}{{with .Scan.UnrecognisedFiles}}; {{.}} YAML/JSON file(s) of no supported format{{end}}</td></tr>
<tr><th>Rules run</th><td>{{len .Scan.Rules}}{{with .Scan.DisabledRules}}; disabled: {{join . ", "}}{{end}}</td></tr>
<tr><th>Configuration</th><td>{{.Config}}</td></tr>
<tr><th>Baseline</th><td>{{.Baseline}}</td></tr>
</table>

<h2>Controls isolint tests</h2>
{{if .Tested}}<table>
<thead><tr><th>Status</th><th>Control</th><th>Title</th><th class="num">Findings</th><th>Rules</th><th>Tested in</th></tr></thead>
<tbody>
{{range .Tested}}<tr id="{{.Anchor}}-row">
<td><span class="pill {{class .Status}}">{{label .Status}}</span></td>
<td class="id"><code>{{.ID}}</code></td>
<td>{{.Title}}{{if ne .Status "fail"}}<br><span class="reason">{{.Reason}}</span>{{end}}</td>
<td class="num">{{if .Findings}}<a href="#{{.Anchor}}">{{.Findings}}</a>{{else}}0{{end}}{{with .Suppressed}}<br><span class="reason">+{{.}} waived</span>{{end}}</td>
<td class="rules">{{range .Rules}}<span class="rule{{if .Failing}} failing{{end}}">{{.ID}}</span> {{end}}</td>
<td>{{with .Formats}}{{.}}{{else}}—{{end}}</td>
</tr>
{{end}}</tbody>
</table>{{else}}<p>No rule of isolint maps to this framework.</p>{{end}}

{{if .Failing}}<h2>Evidence</h2>
{{range .Failing}}<h3 id="{{.Anchor}}"><span class="pill fail">fail</span> <code>{{.ID}}</code> {{.Title}}</h3>
<table class="ev">
<colgroup><col style="width: 24%"><col style="width: 16%"><col style="width: 17%"><col style="width: 12%"><col></colgroup>
<thead><tr><th>Where</th><th>Object</th><th>Rule</th><th>Severity</th><th>Message</th></tr></thead>
<tbody>
{{range .Evidence}}<tr><td><code>{{.Where}}</code></td><td>{{.Object}}</td><td>{{if .Observed}}observed, tested by {{end}}<code>{{.RuleID}}</code></td><td><span class="sev {{.Severity}}">{{.Severity}}</span>{{if eq .Baseline "unchanged"}}<br><span class="tag">baselined</span>{{end}}{{if ne .Confidence "high"}}<br><span class="tag">{{.Confidence}} confidence</span>{{end}}</td><td>{{.Message}}</td></tr>
{{end}}</tbody>
</table>
{{end}}{{end}}

{{with .Suppressed}}<h2>Waived findings</h2>
<table class="ev">
<colgroup><col style="width: 25%"><col style="width: 15%"><col style="width: 15%"><col style="width: 15%"><col><col style="width: 10%"></colgroup>
<thead><tr><th>Where</th><th>Object</th><th>Rule</th><th>Waiver</th><th>Reason</th><th>Expires</th></tr></thead>
<tbody>
{{range .}}<tr><td><code>{{.Where}}</code></td><td>{{.Object}}</td><td><code>{{.RuleID}}</code></td><td><code>{{.Suppression.Waiver}}</code><br><span class="reason">{{.Suppression.Kind}}</span></td><td>{{.Suppression.Justification}}</td><td>{{with .Suppression.Expires}}{{.}}{{else}}—{{end}}</td></tr>
{{end}}</tbody>
</table>{{end}}

{{if .Passing}}<h2>Evidence of examination</h2>
<p class="reason">What each passing control's rules read and found nothing in: per rule, format and kind of input, the number of objects and the first of them.</p>
<table class="ev">
<colgroup><col style="width: 14%"><col style="width: 20%"><col style="width: 8%"><col style="width: 14%"><col style="width: 6%"><col></colgroup>
<thead><tr><th>Control</th><th>Rule</th><th>Format</th><th>Input</th><th class="num">Count</th><th>Sample</th></tr></thead>
<tbody>
{{range .Passing}}{{$id := .ID}}{{range .Examined}}<tr><td><code>{{$id}}</code></td><td><code>{{.RuleID}}</code></td><td>{{.Format}}</td><td>{{.Input}}</td><td class="num">{{.Count}}</td><td>{{range $i, $s := .Sample}}{{if $i}}<br>{{end}}<code>{{$s.File}}{{with $s.Line}}:{{.}}{{end}}</code> {{$s.Object}}{{end}}</td></tr>
{{end}}{{end}}</tbody>
</table>{{end}}

{{with .NotChecked}}<h2 id="not-checked">Not checked</h2>
<p class="reason">Seen by the scan but not checked. No control they would have informed passes.</p>
<table class="ev">
<colgroup><col style="width: 24%"><col style="width: 18%"><col><col style="width: 24%"></colgroup>
<thead><tr><th>Where</th><th>What</th><th>Why</th><th>Controls it would inform</th></tr></thead>
<tbody>
{{range .}}<tr><td><code>{{.File}}{{with .Line}}:{{.}}{{end}}</code></td><td>{{.Object}}{{with .Input}} <span class="tag">{{.}} only</span>{{end}}</td><td>{{.Reason}}</td><td>{{join .Controls ", "}}</td></tr>
{{end}}</tbody>
</table>{{end}}

<h2>Coverage</h2>
<table class="meta">
<tr><th>Tested</th><td>{{len .Report.Coverage.Tested}} control(s): {{.Totals.Fail}} fail, {{.Totals.Pass}} pass</td></tr>
<tr><th>Testable, not tested here</th><td>{{len .Report.Coverage.NotTested}} control(s): {{.NotTestedSplit}}</td></tr>
<tr><th>Never tested by isolint</th><td>{{len .Report.Coverage.NeverTestable}} control(s): organisational or procedural, or not expressed in the files isolint reads (listed below)</td></tr>
</table>

{{with .NoRule}}<h2>Controls no isolint rule tests</h2>
<details><summary>{{len .}} control(s) of the catalogue are outside what isolint checks</summary>
<ul class="norule">
{{range .}}<li><code>{{.ID}}</code> {{.Title}}</li>
{{end}}</ul>
</details>{{end}}

<footer>
Made by isolint {{.Tool.Version}} from the files named above. Status: <b>fail</b> — findings in force (or objects the standard forbids outright) map to the control; <b>pass</b> — every rule that tests it ran, in every format of the scan it applies to, over the input that can show the problem (listed under "Evidence of examination") and found nothing in force, and nothing it would have read went unchecked; <b>not tested</b> — no rule tests it, its rules are disabled, the scan held no input they apply to or none of the input that makes their silence meaningful, input was seen but not checked, or the scan holds what the control forbids and its rules do not report by default. Two reports with the same catalogue digest and mapping version judged controls by the same rules.
</footer>
</main>
</body>
</html>
`))
})
