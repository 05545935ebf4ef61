package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/isolint/isolint/discover"
	"github.com/isolint/isolint/internal/safetext"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/render/kustomize"
	"github.com/isolint/isolint/rules"
	"github.com/isolint/isolint/scanners"
	"github.com/isolint/isolint/scanners/k8s"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// overlays is what the Kustomize stage adds to a scan.
type overlays struct {
	consumed map[string]bool // display paths reported through a build only
	projects []*model.Project
	findings []rules.Finding
	files    map[string]string // overlay folder → its kustomization file
	// inventory holds what the built workloads' details showed (for the
	// compliance report), taken before they were dropped.
	inventory *model.Inventory
}

// buildOverlays builds every overlay among the files the walk kept (a
// kustomization no other one uses), lowers the built objects and checks
// their workloads. Files an overlay reads are reported through it only.
func buildOverlays(reg *scanners.Registry, files []discover.Candidate, scanned map[string]*fileOut, opts Options, enabled []*rules.Rule, ropts rules.Options) *overlays {
	out := &overlays{consumed: map[string]bool{}, files: map[string]string{}, inventory: model.NewInventory()}
	if opts.Type != "" && opts.Type != model.FormatK8s {
		return out
	}
	var inputs []kustomize.Input
	for _, c := range files {
		if o := scanned[c.Path]; o == nil || o.format != model.FormatK8s || o.skipped || !k8s.IsKustomization(c.Path) {
			continue
		}
		inputs = append(inputs, kustomize.Input{Path: c.Path, Real: c.Real, Root: overlayRoot(c.Root)})
	}
	if len(inputs) == 0 {
		return out
	}
	res := kustomize.Render(inputs, kustomize.Options{MaxFileSize: opts.MaxFileSize})
	out.consumed = res.Consumed
	notes := &model.Project{Notices: res.Notices}
	out.projects = append(out.projects, notes)
	for _, ov := range res.Overlays {
		out.files[ov.Dir] = ov.File
		docs := make([][]byte, len(ov.Docs))
		for i, d := range ov.Docs {
			docs[i] = d.Text
		}
		p := lowerSafely(reg, ov, docs)
		fs := rules.CheckWorkloads(enabled, p.Workloads, ropts)
		for i := range fs {
			fs[i].Unit = ov.Dir
		}
		out.findings = append(out.findings, fs...)
		out.inventory.AddDetails(p)
		for _, w := range p.Workloads {
			if !opts.KeepDetails {
				w.DropDetails()
			}
		}
		p.Notices = append(p.Notices, ov.Notices...)
		p.Renderings = append(p.Renderings, ov.Result)
		out.projects = append(out.projects, p)
	}
	return out
}

// lowerSafely lowers an overlay's built objects, turning a lowering panic
// into a notice on the overlay, as scanSafely does for a file.
func lowerSafely(reg *scanners.Registry, ov *kustomize.Overlay, docs [][]byte) (p *model.Project) {
	defer func() {
		if r := recover(); r != nil {
			p = &model.Project{Notices: []model.Notice{{Level: model.NoticeError, Loc: model.Location{File: ov.File, Line: 1, Col: 1},
				Message: fmt.Sprintf("internal error while scanning overlay %s (please report it): %v", ov.Dir, safetext.Panic(r))}}}
		}
	}()
	return reg.K8s().ScanDocs(ov.Dir, docs, func(i int) yamldoc.Origin { return ov.Docs[i].Origin })
}

// nameUnits names the overlay of each finding about a built object in its
// message, and merges the findings that several overlays share (the same
// rule on the same base or patch key): one finding that names every
// overlay deploying it, each as a related location (DESIGN, Positions).
func nameUnits(fs []rules.Finding, kustomizations map[string]string) []rules.Finding {
	type group struct {
		at    int
		units []string
		objs  map[string]string // unit → object
	}
	// the findings before the first of an overlay stay where they are
	first := slices.IndexFunc(fs, func(f rules.Finding) bool { return f.Unit != "" })
	if first < 0 {
		return fs
	}
	groups := map[string][]*group{}
	var order []*group
	out := fs[:first]
	for _, f := range fs[first:] {
		if f.Unit == "" {
			out = append(out, f)
			continue
		}
		key := f.RuleID + "\x00" + f.Loc.File + "\x00" + f.Loc.Path + "\x00" + strconv.Itoa(f.Loc.Line) + ":" + strconv.Itoa(f.Loc.Col)
		// one group per overlay at most: two results of one overlay at one
		// key are two findings
		var g *group
		for _, c := range groups[key] {
			if _, ok := c.objs[f.Unit]; !ok {
				g = c
				break
			}
		}
		if g == nil {
			g = &group{at: len(out), objs: map[string]string{}}
			groups[key] = append(groups[key], g)
			order = append(order, g)
			out = append(out, f)
		} else {
			last := &out[g.at]
			last.Related = mergeRelated(last.Related, f.Related)
			if f.Severity > last.Severity {
				last.Severity = f.Severity
			}
			if f.Object < last.Object || f.Object == last.Object && f.Message < last.Message {
				// the same result whatever order the overlays were built in
				last.Object, last.Workload, last.Message = f.Object, f.Workload, f.Message
			}
		}
		if _, ok := g.objs[f.Unit]; !ok {
			g.units = append(g.units, f.Unit)
			g.objs[f.Unit] = f.Object
		}
	}
	for _, g := range order {
		f := &out[g.at]
		sort.Strings(g.units)
		word := "overlay "
		if len(g.units) > 1 {
			word = "overlays "
		}
		f.Message += " (built by " + word + strings.Join(g.units, ", ") + ")"
		for _, u := range g.units {
			msg := "overlay " + u + " deploys it"
			if obj := g.objs[u]; obj != "" {
				msg += " as " + obj
			}
			f.Related = mergeRelated(f.Related, []model.Related{{Loc: model.Location{File: kustomizations[u], Line: 1, Col: 1, EndLine: 1, EndCol: 2}, Message: msg}})
		}
		f.Unit = strings.Join(g.units, ",")
	}
	return out
}

// overlayRoot is the folder an overlay's build may read: the git work tree
// around the scan root when there is one, else the scan root. An overlay
// names its bases by relative path (`../../base`), and `isolint scan
// deploy/overlays/prod` must build it as `kustomize build` does; the work
// tree is what the scan's caller checked out, and nothing outside it is
// read. Only the existence of .git is checked, as SourceRoot does.
func overlayRoot(root string) string {
	for d := root; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return root
		}
	}
}
