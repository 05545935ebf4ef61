package report

import (
	"bytes"
	"fmt"
	"html/template"
	"path"
	"strings"
	"sync"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/reach"
)

// blastRadiusTop is how many workloads the HTML report's blast-radius
// section shows; `isolint reach` lists them all.
const blastRadiusTop = 10

// blastRadiusSection renders the HTML report's blast-radius section: the
// workloads with the largest blast radius as an inline SVG bar chart (no
// script, nothing fetched) and a table of what each reaches at its worst.
// It renders nothing when the report was built without workload details.
func blastRadiusSection(r *Report) (template.HTML, error) {
	if r.reach == nil {
		return "", nil
	}
	type bar struct {
		Y, Width, TextY, ScoreX int
		Label, Tier             string
		Score                   int
	}
	type row struct {
		*reach.Workload
		Worst []string
	}
	v := struct {
		Total, Shown, Height int
		Bars                 []bar
		Rows                 []row
	}{Total: len(r.reach.Workloads)}
	ws := r.reach.Workloads
	if len(ws) > blastRadiusTop {
		ws = ws[:blastRadiusTop]
	}
	v.Shown = len(ws)
	most := 1
	for _, w := range ws {
		most = max(most, w.Score)
	}
	for i, w := range ws {
		name := w.ID
		if w.Unit != "" {
			// alternative builds of one object: tell the bars apart by
			// value set or overlay folder
			unit := path.Base(w.Unit)
			if i := strings.Index(w.Unit, " (values "); i >= 0 {
				unit = strings.TrimSuffix(w.Unit[i+len(" (values "):], ")")
			}
			name = unit + ": " + name
		}
		label := []rune(reach.Clean(name))
		if len(label) > 44 {
			label = append(label[:43], '…')
		}
		width := 4 + 326*w.Score/most
		v.Bars = append(v.Bars, bar{Y: 8 + i*26, TextY: 8 + i*26 + 14, Width: width, ScoreX: 336 + width,
			Label: string(label), Tier: string(w.Tier), Score: w.Score})
		var worst []string
		add := func(t reach.Tier, what string) {
			if len(worst) < 3 && t == w.Tier {
				worst = append(worst, reach.Clean(what))
			}
		}
		for _, it := range w.Host {
			add(it.Tier, it.What)
		}
		for _, id := range w.Identities {
			for _, it := range id.Rights {
				add(it.Tier, it.What)
			}
		}
		for _, it := range w.Transitive {
			add(it.Tier, it.What)
		}
		for _, s := range w.Secrets {
			add(s.Tier, s.How+" "+s.Name)
		}
		for _, it := range w.Network {
			add(it.Tier, it.What)
		}
		v.Rows = append(v.Rows, row{Workload: w, Worst: worst})
	}
	v.Height = 16 + 26*len(ws)
	var b bytes.Buffer
	if err := blastRadiusHTML().Execute(&b, v); err != nil {
		return "", fmt.Errorf("blast-radius section: %w", err)
	}
	return template.HTML(b.String()), nil // html/template escaped every input string above
}

var blastRadiusHTML = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("reach").Funcs(template.FuncMap{
		// plain manifests copied per environment: nothing built them
		"copy": model.IsEnvUnit,
	}).Parse(`<h2 id="blast-radius">Blast radius</h2>
<p class="reason">What an attacker who controls each workload reaches: its secrets, its identities' rights, the host and the network, and what those rights reach in turn. Tier: the worst item; score: critical 100, high 20, medium 5, low 1 per item. Full view: <code>isolint reach</code>.</p>
{{if .Rows}}<svg class="reach" width="760" height="{{.Height}}" viewBox="0 0 760 {{.Height}}" role="img" aria-label="Blast-radius score of the top {{.Shown}} of {{.Total}} workloads">
{{range .Bars}}<text x="0" y="{{.TextY}}" font-size="12" font-family="ui-monospace, DejaVu Sans Mono, monospace">{{.Label}}</text>
<rect x="330" y="{{.Y}}" width="{{.Width}}" height="18" rx="3" class="reach-{{.Tier}}"></rect>
<text x="{{.ScoreX}}" y="{{.TextY}}" font-size="12">{{.Score}} · {{.Tier}}</text>
{{end}}</svg>
<style>.reach-critical { fill: #8e0000; } .reach-high { fill: var(--fail); } .reach-medium { fill: #d4a72c; } .reach-low, .reach-none { fill: var(--nottested); }</style>
<table class="ev">
<colgroup><col style="width: 9%"><col style="width: 34%"><col style="width: 7%"><col></colgroup>
<thead><tr><th>Tier</th><th>Workload</th><th class="num">Score</th><th>Worst reach</th></tr></thead>
<tbody>
{{range .Rows}}<tr><td><span class="sev {{.Tier}}">{{.Tier}}</span></td><td><code>{{.ID}}</code>{{with .Instance}} ({{.}}){{end}}{{with .Unit}}<br><span class="reason">{{if copy .}}the copy in {{.}}{{else}}built in {{.}}{{end}}</span>{{end}}{{with .Loc}}<br><span class="reason">{{.String}}</span>{{end}}</td><td class="num">{{.Score}}</td><td>{{range $i, $w := .Worst}}{{if $i}}<br>{{end}}{{$w}}{{end}}</td></tr>
{{end}}</tbody>
</table>
{{if gt .Total .Shown}}<p class="reason">{{.Shown}} of {{.Total}} workloads shown.</p>{{end}}{{else}}<p>No workload in the scan.</p>{{end}}
`))
})
