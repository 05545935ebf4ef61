// Package engine runs a scan: discover → read and classify → lower to the
// model → check → filter → one sorted, fingerprinted result list. It holds
// the pipeline, not the analysis: scanners lower, rules judge.
package engine

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/isolint/isolint/baseline"
	"github.com/isolint/isolint/config"
	"github.com/isolint/isolint/discover"
	"github.com/isolint/isolint/filter"
	"github.com/isolint/isolint/fix"
	"github.com/isolint/isolint/internal/safetext"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
	"github.com/isolint/isolint/scanners"
	"github.com/isolint/isolint/scanners/golang"
	"github.com/isolint/isolint/scanners/k8s"
	"github.com/isolint/isolint/source"
	yaml "go.yaml.in/yaml/v3"
)

// DefaultMaxFileSize is the default --max-file-size: 10 MiB.
const DefaultMaxFileSize = 10 << 20

// Options configure a scan.
type Options struct {
	// Paths are the files and directories to scan (default ".").
	Paths []string
	// Type forces every file to be read as this format ("" to classify).
	Type model.Format
	// Config is the loaded configuration (may be nil).
	Config *config.Config
	// MaxFileSize skips larger files (0: DefaultMaxFileSize).
	MaxFileSize int64
	// RequireEgressPolicy: see rules.Options.
	RequireEgressPolicy bool
	// NoInlineIgnores disregards inline isolint:ignore directives.
	NoInlineIgnores bool
	// Now decides ignore expiry (zero: the current time).
	Now time.Time
	// Workers bounds parallel file reads (0: GOMAXPROCS).
	Workers int
	// Base is the directory display paths are relative to ("": the
	// repository root around the first path, else the working directory).
	Base string
	// GoTests includes Go test files and testdata directories, which the
	// go format leaves out by default.
	GoTests bool
	// Overlay holds content to scan instead of a file's own, by display
	// path: the edits `isolint fix` has made in memory but not written.
	Overlay map[string][]byte
	// Baseline marks the findings it records as Baselined (nil: none).
	Baseline *baseline.File
	// Helm are the --values and --set of the command line, for every chart.
	Helm HelmOptions
	// Stdin, when set, is read as one file named "<stdin>" for the path
	// "-", as Type (default k8s).
	Stdin io.Reader
	// KeepDetails keeps every workload's containers and volumes after its
	// checks and returns the merged model in Result.Project, for views of
	// the whole model (isolint reach); memory then grows with the scan.
	// The model then also holds each Helm release's objects, labelled with
	// their unit (see releaseModel); findings do not change.
	KeepDetails bool
}

// StdinName is how standard input is shown.
const StdinName = "<stdin>"

// FormatStats counts the files of one format.
type FormatStats struct {
	Seen    int `json:"seen"`    // files classified as the format
	Scanned int `json:"scanned"` // read and lowered (possibly with notices)
	Skipped int `json:"skipped"` // not read: too large, binary, unreadable
	Errors  int `json:"errors"`  // scanned, but part of the file could not be parsed
}

// Stats describe what a scan covered.
type Stats struct {
	Formats map[model.Format]*FormatStats
	// Unrecognised counts YAML/JSON files no format claimed.
	Unrecognised int
	// Files and Bytes count what was read.
	Files int
	Bytes int64
	// Workloads counts the workloads lowered per format and kind, and
	// Objects everything lowered per format (workloads, identities, roles,
	// bindings, policies, cloud roles, firewall rules, instance metadata,
	// Go subprocesses):
	// what rules had to check, for the compliance report.
	Workloads map[model.Format]map[string]int
	Objects   map[model.Format]int
	// Renderings counts the Helm charts and Kustomize overlays seen,
	// rendered and failed (not checked).
	Renderings map[model.RenderKind]*RenderStats
}

// ScannedFile is a file that was read and lowered.
type ScannedFile struct {
	Path   string
	Format model.Format
}

func (s *Stats) count(f model.Format, p *model.Project) {
	if p == nil || f == "" {
		return
	}
	n := len(p.Workloads) + len(p.ServiceAccounts) + len(p.Roles) + len(p.RoleBindings) + len(p.NetworkPolicies) +
		len(p.CloudRoles) + len(p.Firewalls) + len(p.Metadata) + len(p.Subprocesses) +
		len(p.StaticCredentials) + len(p.TrustPolicies)
	if n == 0 {
		return
	}
	s.Objects[f] += n
	for _, w := range p.Workloads {
		if s.Workloads[w.Format] == nil {
			s.Workloads[w.Format] = map[string]int{}
		}
		s.Workloads[w.Format][w.Kind]++
	}
}

// Covered reports whether the scan read at least one supported file (or
// found a chart or overlay).
func (s Stats) Covered() bool {
	for _, f := range s.Formats {
		if f.Seen > 0 {
			return true
		}
	}
	for _, r := range s.Renderings {
		if r.Seen > 0 {
			return true
		}
	}
	return false
}

// countRenderings counts units (chart or overlay folders) by kind: a unit
// is rendered when any of its renderings succeeded, else failed.
func (s *Stats) countRenderings(rs []model.Rendering) {
	type unit struct {
		kind model.RenderKind
		path string
	}
	ok := map[unit]bool{}
	var order []unit
	for _, r := range rs {
		u := unit{r.Kind, r.Path}
		if _, seen := ok[u]; !seen {
			order = append(order, u)
			ok[u] = false
		}
		if !r.Failed {
			ok[u] = true
		}
	}
	for _, u := range order {
		st := s.Renderings[u.kind]
		if st == nil {
			st = &RenderStats{}
			s.Renderings[u.kind] = st
		}
		st.Seen++
		if ok[u] {
			st.Rendered++
		} else {
			st.Failed++
		}
	}
}

// Unrendered returns the renderings that failed: charts and overlays (or
// their dependencies) whose workloads were not checked.
func (r *Result) Unrendered() []model.Rendering {
	var out []model.Rendering
	for _, x := range r.Renderings {
		if x.Failed {
			out = append(out, x)
		}
	}
	return out
}

// Result is a finished scan.
type Result struct {
	Base     string // absolute directory display paths are relative to
	Roots    []string
	Findings []rules.Finding // sorted; suppressed ones included
	Notices  []model.Notice  // sorted
	Stats    Stats
	Rules    []*rules.Rule // the rules that ran
	Config   *config.Config
	// Files are the files read and lowered, in path order.
	Files []ScannedFile
	// Baseline describes the baseline in force (nil: none).
	Baseline *baseline.Summary
	// Now is the time the scan judged expiry dates against.
	Now time.Time
	// Inventory is what the scan held by kind of input, and what it saw
	// but did not check: the compliance report's evidence (see
	// model.Inventory).
	Inventory *model.Inventory
	// Unread lists, in path order, the files that were not checked in
	// full: unreadable (not a regular file, no permission), skipped files
	// of a supported format (too large, binary), and files with an error
	// notice (a part that does not parse). A scan that passes says nothing
	// about them. A skipped file no format claims (a large lock file, an
	// image named .json) is not among them.
	Unread []string
	// Incomplete lists, sorted, the checks across files that stopped on an
	// internal error: rules by ID (shared identities, network policies …),
	// whose findings across files were not checked, and "inventory", when
	// the evidence the compliance reports read is short.
	Incomplete []string
	// Renderings are the charts (per value set) and overlays found,
	// sorted by path and release; failed ones were not checked.
	Renderings []model.Rendering
	// Project is the merged model, with workload details (only with
	// Options.KeepDetails; nil otherwise).
	Project *model.Project
}

// Run performs a scan.
func Run(opts Options) (*Result, error) {
	if len(opts.Paths) == 0 {
		opts.Paths = []string{"."}
	}
	if opts.MaxFileSize == 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	cfg := opts.Config
	if cfg == nil {
		cfg = &config.Config{}
	}
	var stdin []string
	for i := 0; i < len(opts.Paths); i++ {
		if opts.Paths[i] == "-" && opts.Stdin != nil {
			stdin = append(stdin, "-")
			opts.Paths = append(opts.Paths[:i:i], opts.Paths[i+1:]...)
			i--
		}
	}
	if len(stdin) > 1 {
		return nil, fmt.Errorf("standard input (-) can be named once")
	}
	base := opts.Base
	if base == "" {
		base = SourceRoot(opts.Paths)
		if len(opts.Paths) == 0 {
			base, _ = os.Getwd()
		}
	}

	reg := scanners.New(scanners.Options{K8s: k8s.Options{CustomKinds: customKinds(cfg)}, Go: golang.Options{Tests: opts.GoTests}})
	kscan := k8s.New(k8s.Options{CustomKinds: customKinds(cfg)})
	var charts *chartIndex
	if opts.Type == "" || opts.Type == model.FormatK8s {
		charts = newChartIndex()
	}
	wanted := reg.Wanted
	if opts.Type != "" {
		s := reg.ByFormat(opts.Type)
		if s == nil {
			return nil, fmt.Errorf("unknown --type %q", opts.Type)
		}
		wanted = func(p string) bool { return s.MayHold != nil && s.MayHold(p) || s.ClaimPath != nil && s.ClaimPath(p) }
	}
	// the rules to run, chosen before reading so that workers can check as they go
	disabled := map[string]bool{}
	for i, id := range cfg.Disable {
		if rules.ByID(id) == nil {
			return nil, cfg.Errorf(fmt.Sprintf("disable[%d]", i), "disable names unknown rule %q (see `isolint rules`)", id)
		}
		disabled[id] = true
	}
	for i, id := range cfg.Unwaivable {
		if rules.ByID(id) == nil {
			return nil, cfg.Errorf(fmt.Sprintf("unwaivable[%d]", i), "unwaivable names unknown rule %q (see `isolint rules`)", id)
		}
	}
	var enabled []*rules.Rule
	for _, r := range rules.All() {
		if !disabled[r.ID] && r.Checks() {
			enabled = append(enabled, r)
		}
	}
	// a check that panics costs that rule's check of that input, not the
	// scan: faults become notices at the end
	faults := &rules.Faults{}
	ropts := rules.Options{RequireEgressPolicy: opts.RequireEgressPolicy || cfg.RequireEgressPolicy,
		SelfHostedLabels: cfg.RunnerLabels.SelfHosted, GitHubHostedLabels: cfg.RunnerLabels.GitHubHosted,
		Faults: faults}

	// the per-workload checks of the formats lowered together (Terraform
	// modules, workflows, pipelines, Go packages), run on each unit as soon
	// as it is lowered, and the per-pipeline checks of the pipelines whose
	// jobs are all lowered; the report's inventory takes what it needs
	// before details are dropped
	checkSettled := func(ws []*model.Workload, pipes []*model.Pipeline) ([]rules.Finding, *model.Details) {
		fs := rules.CheckWorkloads(enabled, ws, ropts)
		fs = append(fs, rules.CheckPipelines(enabled, pipes, ropts)...)
		details := model.NewDetails(ws)
		if !opts.KeepDetails {
			for _, w := range ws {
				w.DropDetails()
			}
			for _, pipe := range pipes {
				pipe.DropDetails()
			}
		}
		return fs, details
	}
	// the workloads and pipelines the file workers checked
	// (Scanner.Settled): those of a file are recorded before its format's
	// tail starts
	var (
		settledMu    sync.Mutex
		settled      = map[*model.Workload]bool{}
		settledPipes = map[*model.Pipeline]bool{}
	)
	checkTail := func(ws []*model.Workload, pipes []*model.Pipeline) ([]rules.Finding, *model.Details) {
		settledMu.Lock()
		if len(settled) > 0 {
			ws = slices.DeleteFunc(slices.Clone(ws), func(w *model.Workload) bool { return settled[w] })
		}
		if len(settledPipes) > 0 {
			pipes = slices.DeleteFunc(slices.Clone(pipes), func(p *model.Pipeline) bool { return settledPipes[p] })
		}
		settledMu.Unlock()
		return checkSettled(ws, pipes)
	}

	// read, classify and lower every file in parallel as the walk finds it
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		scanned = map[string]*fileOut{}
		planned = map[fixKey]*rules.FixNote{} // fixes the workers planned for project findings, nil for findings they surveyed and found none for
		walk    *discover.Result
	)
	// the early formats are lowered while the workers read the rest (see queue)
	var (
		tailWG sync.WaitGroup
		tailMu sync.Mutex
		tails  = map[model.Format]tailOut{}
	)
	var forced *scanners.Scanner
	if opts.Type != "" {
		forced = reg.ByFormat(opts.Type)
	}
	early := map[model.Format]bool{}
	if len(stdin) == 0 { // standard input is lowered with its format's files
		early = earlyFormats(reg, forced)
	}
	next := newQueue(func(c discover.Candidate) model.Format {
		if s := formatByPath(reg, forced, c.Path); s != nil && early[s.Format] {
			return s.Format
		}
		return ""
	}, func(f model.Format) {
		mu.Lock()
		if walk == nil { // the walk failed: the scan stops
			mu.Unlock()
			return
		}
		var files []*source.File
		for _, c := range walk.Files { // set before the queue is closed
			if o, ok := scanned[c.Path]; ok && o.format == f && o.file != nil {
				files = append(files, o.file)
			}
		}
		mu.Unlock()
		tailWG.Add(1)
		go func() {
			defer tailWG.Done()
			t := scanAllFormats(reg, map[model.Format][]*source.File{f: files}, 1, checkTail)
			tailMu.Lock()
			maps.Copy(tails, t)
			tailMu.Unlock()
		}()
	})
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c, ok := next.pop()
				if !ok {
					return
				}
				o := scanFile(reg, c, opts)
				if o.project != nil && len(o.project.Workloads) > 0 {
					// check each workload while the file's model is at hand,
					// then keep only what project-wide checks read
					o.findings = rules.CheckWorkloads(enabled, o.project.Workloads, ropts)
					o.details = model.NewDetails(o.project.Workloads)
					var cands []rules.Finding
					if fix.Editable(o.format, o.path) {
						cands = fixCandidates(o.project.Workloads)
					}
					for _, w := range o.project.Workloads {
						if !opts.KeepDetails {
							w.DropDetails()
						}
					}
					if len(o.findings)+len(cands) > 0 && fix.Editable(o.format, o.path) {
						// what `isolint fix` can do, while the bytes (and the
						// scanner's YAML trees) are at hand
						n := len(o.findings)
						all := append(o.findings, cands...)
						if !annotateHeld(all, o.path, o.content, o.docs) {
							o.notices = append(o.notices, fixFailed(o.path, 0))
						}
						o.findings, cands = all[:n:n], all[n:]
					}
					for _, f := range cands {
						if f.Fix != nil {
							o.planned = append(o.planned, f)
						}
					}
				}
				var done *model.Project
				if o.settled != nil {
					// a workflow no other calls: checked now, as a file is
					done, o.settled = o.settled, nil
					o.findings, o.details = checkSettled(done.Workloads, done.Pipelines)
					if len(o.findings) > 0 && fix.Editable(o.format, o.path) {
						// what `isolint fix` can do, while the bytes are at
						// hand, instead of reading the file again at the end
						if !annotateHeld(o.findings, o.path, o.file.Content, o.docs) {
							o.notices = append(o.notices, fixFailed(o.path, 0))
						}
						for _, f := range o.findings {
							if f.Fix == nil && f.Loc.File == o.path {
								// surveyed, with no fix: not to be read again
								o.planned = append(o.planned, f)
							}
						}
					}
				}
				o.content, o.docs = nil, nil
				// kept until every file is read: in an array of their size,
				// not the one they grew in (up to twice as large, and with
				// the fix candidates after them)
				o.findings = slices.Clone(o.findings)
				if done != nil {
					// ScanAll reads a settled file's lowering, never its bytes
					o.file.Content = nil
					settledMu.Lock()
					for _, w := range done.Workloads {
						settled[w] = true
					}
					for _, p := range done.Pipelines {
						settledPipes[p] = true
					}
					settledMu.Unlock()
				}
				mu.Lock()
				for _, f := range o.planned {
					planned[fixKeyOf(f)] = f.Fix
				}
				o.planned = nil
				scanned[c.Path] = &o
				mu.Unlock()
				next.done(c)
			}
		}()
	}
	var listed func(string, []fs.DirEntry)
	if charts != nil {
		listed = charts.listed
	}
	w, err := discover.Walk(discover.Options{
		Roots: opts.Paths, Base: base, Exclude: cfg.Exclude, ExcludeRel: cfg.Rel, MaxFileSize: opts.MaxFileSize,
		Wanted: wanted, Workers: opts.Workers,
		Found: func(c discover.Candidate) {
			if charts != nil && charts.claim(c) {
				return // a chart's files are rendered together, never read as raw YAML
			}
			next.push(c)
		},
		Listed: listed,
	})
	mu.Lock()
	walk = w
	mu.Unlock()
	next.close()
	wg.Wait()
	tailWG.Wait()

	if err != nil {
		return nil, err
	}

	res := &Result{Base: base, Roots: append(opts.Paths, stdin...), Config: cfg, Now: opts.Now, Stats: Stats{
		Formats: map[model.Format]*FormatStats{}, Workloads: map[model.Format]map[string]int{}, Objects: map[model.Format]int{},
		Renderings: map[model.RenderKind]*RenderStats{},
	}}
	for _, f := range reg.Formats() {
		res.Stats.Formats[f] = &FormatStats{}
	}
	res.Notices = append(res.Notices, walk.Notices...)
	inv := model.NewInventory()
	res.Inventory = inv
	for _, n := range walk.Notices {
		if n.Level == model.NoticeError {
			inv.NotChecked(model.Unchecked{File: n.Loc.File, Reason: n.Message})
		}
	}
	var oversize []string
	for _, c := range walk.Oversize {
		f, skip := oversizeFormat(reg, c, opts)
		if f != "" && !skip {
			oversize = append(oversize, c.Path)
		}
		switch {
		case skip:
		case f != "":
			inv.NotChecked(model.Unchecked{File: c.Path, Format: f, Reason: "skipped: larger than the size limit"})
			res.Stats.Formats[f].Seen++
			res.Stats.Formats[f].Skipped++
		default:
			res.Stats.Unrecognised++
		}
	}
	// merge in path order, one output per file the walk kept
	outs := make([]*fileOut, 0, len(walk.Files)+1)
	if len(stdin) > 0 {
		o := scanStdin(reg, opts)
		if o.project != nil && len(o.project.Workloads) > 0 {
			o.findings = rules.CheckWorkloads(enabled, o.project.Workloads, ropts)
			for _, w := range o.project.Workloads {
				if !opts.KeepDetails {
					w.DropDetails()
				}
			}
		}
		outs = append(outs, &o)
	}
	for _, c := range walk.Files {
		if o, ok := scanned[c.Path]; ok {
			outs = append(outs, o)
		}
	}

	// Kustomize overlays are built before anything is merged: the files an
	// overlay reads are reported through the build only
	built := buildOverlays(reg, walk.Files, scanned, opts, enabled, ropts)

	res.Rules = enabled
	proj := &model.Project{}
	directives := map[string][]filter.Directive{}
	grouped := map[model.Format][]*source.File{}
	// the findings of each file, format, overlay, chart and of the project
	// rules, joined in this order once their number is known: one
	// allocation and one copy of each finding, not a slice grown and
	// copied as it fills (300,000 findings of 272 bytes)
	var parts [][]rules.Finding
	for _, o := range outs {
		if built.consumed[o.path] {
			o.project, o.findings, o.details = nil, nil, nil
		}
		proj.Merge(o.project)
		inv.MergeDetails(o.details)
		inv.AddCloudRoles(o.format, o.project)
		if o.format != "" && (o.skipped || o.errors) {
			inv.NotChecked(model.Unchecked{File: o.path, Format: o.format, Reason: uncheckedReason(o)})
		}
		parts = append(parts, o.findings)
		if o.file != nil {
			grouped[o.format] = append(grouped[o.format], o.file)
		}
		res.Notices = append(res.Notices, o.notices...)
		res.Stats.Files += o.read
		res.Stats.Bytes += o.bytes
		if o.format == "" {
			if o.unrecognised {
				res.Stats.Unrecognised++
			}
			continue
		}
		st := res.Stats.Formats[o.format]
		st.Seen++
		switch {
		case o.skipped:
			st.Skipped++
		default:
			st.Scanned++
			res.Stats.count(o.format, o.project)
			res.Files = append(res.Files, ScannedFile{Path: o.path, Format: o.format})
			if o.errors {
				st.Errors++
			}
		}
		if len(o.directives) > 0 && !opts.NoInlineIgnores && !cfg.NoInlineIgnores {
			directives[o.path] = o.directives
		}
	}
	// every file's output is merged: keep only what unread needs, not a
	// second copy of each file's findings, inventory and model, nor the
	// outputs themselves (264 bytes a file)
	var skipped []string
	for _, o := range outs {
		if o.skipped && o.format != "" {
			skipped = append(skipped, o.path)
		}
	}
	outs, scanned = nil, nil
	// the other formats whose files are lowered together are lowered now,
	// each on its own worker, largest first; all are merged in format order
	late := map[model.Format][]*source.File{}
	for f, files := range grouped {
		if !early[f] {
			late[f] = files
		}
	}
	maps.Copy(tails, scanAllFormats(reg, late, opts.Workers, checkTail))

	for _, f := range reg.Formats() {
		if t, ok := tails[f]; ok {
			p := t.project
			parts = append(parts, t.findings)
			inv.Merge(t.details)
			inv.AddCloudRoles(f, p)
			proj.Merge(p)
			res.Stats.count(f, p)
			errs := map[string]bool{}
			for _, n := range p.Notices {
				if n.Level == model.NoticeError {
					if !errs[n.Loc.File] {
						inv.NotChecked(model.Unchecked{File: n.Loc.File, Line: n.Loc.Line, Format: f, Reason: n.Message})
					}
					errs[n.Loc.File] = true
				}
			}
			res.Stats.Formats[f].Errors += len(errs)
		}
	}
	// nothing reads the files lowered together again (fixes read the disk)
	for _, files := range grouped {
		for _, f := range files {
			f.Content, f.Prepared = nil, nil
		}
	}
	inv.Merge(built.inventory)
	for _, p := range built.projects {
		proj.Merge(p)
		res.Stats.count(model.FormatK8s, p)
	}
	parts = append(parts, built.findings)
	built.findings = nil
	// charts: rendered per value set, each release checked on its own
	var chartUnits []string
	var couts []chartOut
	if charts != nil {
		list := charts.list()
		couts = make([]chartOut, len(list))
		var cwg sync.WaitGroup
		sem := make(chan struct{}, opts.Workers)
		for i, c := range list {
			chartUnits = append(chartUnits, c.Display)
			cwg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; cwg.Done() }()
				couts[i] = renderChart(c, list, valueSets(c, opts.Helm, base, cfg), opts.MaxFileSize, kscan, enabled, ropts, opts.KeepDetails)
			}()
		}
		cwg.Wait()

		for _, co := range couts {
			res.Notices = append(res.Notices, co.notices...)
			proj.Renderings = append(proj.Renderings, co.renderings...)
			inv.Merge(co.inventory)
			parts = append(parts, mergeReleases(co.findings, co.rendered))
			if !opts.NoInlineIgnores && !cfg.NoInlineIgnores {
				for f, d := range co.directives {
					directives[f] = d
				}
			}
			if co.objects > 0 {
				res.Stats.Objects[model.FormatK8s] += co.objects
				if res.Stats.Workloads[model.FormatK8s] == nil {
					res.Stats.Workloads[model.FormatK8s] = map[string]int{}
				}
				for k, n := range co.workloads {
					res.Stats.Workloads[model.FormatK8s][k] += n
				}
			}
		}
	}
	res.Notices = append(res.Notices, proj.Notices...)
	res.Renderings = append(res.Renderings, proj.Renderings...)
	sort.SliceStable(res.Renderings, func(i, j int) bool {
		a, b := res.Renderings[i], res.Renderings[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Release < b.Release
	})
	res.Stats.countRenderings(res.Renderings)

	// units first: the inventory's open-egress pass joins policies and pods
	// as the rules do, not a prod policy with staging's copy
	proj.InferEnvUnits()

	// the inventory reads the project as the project rules do, beside them:
	// they seldom keep both cores busy to the end
	var (
		invWG    sync.WaitGroup
		invPanic any
	)
	invWG.Go(func() {
		defer func() { invPanic = recover() }()
		addProject(inv, proj)
	})
	projFindings := rules.RunProject(enabled, proj, ropts)

	invWG.Wait()

	if invPanic != nil {
		// the findings stand; the inventory, the evidence reports read, is
		// short: no control may pass on it
		msg := "internal error while taking the inventory of what the scan read (please report it): " + safetext.Panic(invPanic) +
			"; the findings stand, and no control of a compliance report passes"
		res.Notices = append(res.Notices, model.Notice{Level: model.NoticeError, Message: msg})
		inv.NotChecked(model.Unchecked{Object: "the inventory", Reason: msg})
		res.Incomplete = append(res.Incomplete, "inventory")
	}
	if opts.KeepDetails {
		// the releases were checked on their own; views read them too
		for _, co := range couts {
			for _, p := range co.releases {
				proj.Merge(p)
			}
		}
		res.Project = proj
	}
	// nothing else reads the project: its workloads, jobs and roles are let
	// go of before the findings are joined, filtered and fingerprinted
	// (about 200 MB on a 100,000-file tree)
	proj = nil
	clearEnvUnits(projFindings)
	parts = append(parts, projFindings)
	// with room for what the filter adds: 300,000 findings are copied once
	room := filter.Room(directives, cfg)
	for _, p := range parts {
		room += len(p)
	}
	findings := make([]rules.Finding, 0, room)
	for i, p := range parts {
		findings = append(findings, p...)
		parts[i] = nil // let go of as copied
	}

	findings = nameUnits(findings, built.files)
	if err := overrideSeverity(findings, cfg); err != nil {
		return nil, err
	}

	// filter
	findings = filter.Apply(filter.Input{
		Findings: findings, Directives: directives, Config: cfg, Today: opts.Now, Base: base,
		Enabled: func(id string) bool { return !disabled[id] },
	})
	res.Findings = finish(findings, chartUnits)

	if opts.Baseline != nil {
		// after finish: matching needs the fingerprints
		s := opts.Baseline.Apply(res.Findings)
		res.Baseline = &s
	}
	// a waived or baselined finding is one `isolint fix` leaves alone: the
	// workers planned fixes before they knew of waivers
	for i := range res.Findings {
		if f := &res.Findings[i]; f.Suppression != nil || f.Baselined {
			f.Fix = nil
		}
	}
	// what `isolint fix` can do for the findings the workers did not see:
	// those of formats lowered at once (workflows) and of project rules
	editable := map[string]bool{}
	for _, f := range res.Files {
		if fix.Editable(f.Format, f.Path) {
			editable[f.Path] = true
		}
	}
	var idx []int
	for i, f := range res.Findings {
		if r := rules.ByID(f.RuleID); f.Fix == nil && editable[f.Loc.File] && r != nil && (grouped[f.Format] != nil || r.Pipeline != nil || r.Project != nil) {
			if note, ok := planned[fixKeyOf(f)]; ok && f.Suppression == nil && !f.Baselined {
				res.Findings[i].Fix = note
				continue
			}
			idx = append(idx, i)
		}
	}
	some := make([]rules.Finding, len(idx))
	for j, i := range idx {
		some[j] = res.Findings[i]
	}
	if len(some) > 0 {
		disk := tailReader(base, editable, "", nil)
		if !surveySafely(some, func() {
			fix.Annotate(some, func(p string) ([]byte, error) {
				if b, ok := opts.Overlay[p]; ok && editable[p] {
					return b, nil
				}
				return disk(p)
			})
		}) {
			files := map[string]bool{}
			for _, f := range some {
				files[f.Loc.File] = true
			}
			res.Notices = append(res.Notices, fixFailed(some[0].Loc.File, len(files)-1))
		}
		for j, i := range idx {
			res.Findings[i].Fix = some[j].Fix
		}
	}
	for _, f := range faults.List() {
		n := faultNotice(f)
		res.Notices = append(res.Notices, n)
		// no control the check informs passes (one across files informs all)
		u := model.Unchecked{File: f.File, Line: f.Line, Format: f.Format, Reason: n.Message}
		if f.File == "" {
			u.Object = f.Rule + "'s checks across files"
		}
		inv.NotChecked(u)
		if f.File == "" {
			res.Incomplete = append(res.Incomplete, f.Rule)
		}
	}
	sort.Strings(res.Incomplete)
	sortNotices(res.Notices)
	res.Unread = unread(oversize, skipped, res.Notices, res.Unrendered())
	return res, nil
}

// faultNotice is the notice of a check that panicked. It names no value:
// the panic's text may quote the file.
func faultNotice(f rules.Fault) model.Notice {
	if f.File == "" {
		return model.Notice{Level: model.NoticeError,
			Message: "internal error in " + f.Rule + "'s checks across files (please report it): what it reports across files was not checked"}
	}
	return model.Notice{Level: model.NoticeError, Loc: model.Location{File: f.File, Line: f.Line},
		Message: "internal error in " + f.Rule + " while checking this file (please report it): that rule's checks of this file did not finish; its findings before the error and the other rules' stand"}
}

// unread collects Result.Unread.
// The files of a chart or overlay that failed to render are left to
// Unrendered (exit 4, --allow-unrendered), which already says that what
// they deploy was not checked.
func unread(oversize, skipped []string, notices []model.Notice, failed []model.Rendering) []string {
	seen := map[string]bool{}
	for _, p := range slices.Concat(oversize, skipped) {
		seen[p] = true
	}
	for _, n := range notices {
		if n.Level == model.NoticeError && n.Loc.File != "" {
			seen[n.Loc.File] = true
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		if !inRendering(p, failed) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// inRendering reports whether the display path p lies in the folder of one
// of the renderings.
func inRendering(p string, rs []model.Rendering) bool {
	for _, r := range rs {
		if r.Path == "." || p == r.Path || strings.HasPrefix(p, strings.TrimSuffix(r.Path, "/")+"/") {
			return true
		}
	}
	return false
}

func customKinds(cfg *config.Config) []k8s.CustomKind {
	var out []k8s.CustomKind
	for _, c := range cfg.CustomKinds {
		out = append(out, k8s.CustomKind{APIVersion: c.APIVersion, Kind: c.Kind, PodSpec: c.PodSpec})
	}
	return out
}

func overrideSeverity(fs []rules.Finding, cfg *config.Config) error {
	if len(cfg.Severity) == 0 {
		return nil
	}
	over := map[string]rules.Severity{}
	for id, s := range cfg.Severity {
		if rules.ByID(id) == nil {
			return cfg.Errorf("severity."+id, "severity names unknown rule %q (see `isolint rules`)", id)
		}
		sev, err := rules.ParseSeverity(s)
		if err != nil {
			return cfg.Errorf("severity."+id, "severity of %s: %v", id, err)
		}
		over[id] = sev
	}
	for i := range fs {
		if s, ok := over[fs[i].RuleID]; ok {
			fs[i].Severity = s
		}
	}
	return nil
}

type fileOut struct {
	path         string
	details      *model.Details  // what the workloads' details held, taken before they were dropped
	findings     []rules.Finding // of the per-workload checks, run by the worker
	file         *source.File    // kept for scanners that read all their files at once
	settled      *model.Project  // of file, final once prepared (Scanner.Settled): checked by the worker
	content      []byte          // the file's bytes, while its findings are annotated with fixes
	docs         []fix.Doc       // the YAML documents the scanner parsed, likewise
	planned      []rules.Finding // fixCandidates with a fix
	format       model.Format
	project      *model.Project
	notices      []model.Notice
	directives   []filter.Directive
	read         int
	bytes        int64
	skipped      bool
	errors       bool
	unrecognised bool
}

// uncheckedReason says why a file's content was not (fully) checked: its
// first error notice, or why it was skipped.
func uncheckedReason(o *fileOut) string {
	notices := o.notices
	if o.project != nil {
		notices = append(append([]model.Notice(nil), o.project.Notices...), notices...)
	}
	for _, n := range notices {
		if n.Level == model.NoticeError {
			if n.Loc.Line > 0 {
				return fmt.Sprintf("line %d: %s", n.Loc.Line, n.Message)
			}
			return n.Message
		}
	}
	for _, n := range notices {
		if n.Level == model.NoticeError {
			return n.Message
		}
	}
	for _, n := range o.notices {
		return n.Message
	}
	if o.skipped {
		return "skipped"
	}
	return "could not be parsed in full"
}

// binarySniffLen is how much of a file is checked for NUL bytes, as git does.
const binarySniffLen = 8000

func scanFile(reg *scanners.Registry, c discover.Candidate, opts Options) fileOut {
	out := fileOut{path: c.Path}
	note := func(level model.NoticeLevel, msg string) {
		out.notices = append(out.notices, model.Notice{Level: level, Loc: model.Location{File: c.Path}, Message: msg})
	}
	var forced *scanners.Scanner
	if opts.Type != "" {
		forced = reg.ByFormat(opts.Type)
	}
	if s := formatByPath(reg, forced, c.Path); s != nil && s.Skip != nil && s.Skip(rootRel(c)) {
		return out // left out by design (Go tests): counted nowhere
	}
	content, err := source.ReadFound(c.Real, opts.MaxFileSize)
	if b, ok := opts.Overlay[c.Path]; ok && err == nil {
		content = b
	}
	if err != nil {
		out.format = formatOf(reg, forced, c.Path)
		out.skipped = true
		note(model.NoticeError, "could not be read: "+source.ErrText(err))
		return out
	}
	out.read, out.bytes = 1, int64(len(content))
	if bytes.IndexByte(content[:min(len(content), binarySniffLen)], 0) >= 0 {
		out.format = formatOf(reg, forced, c.Path)
		out.skipped = true
		note(model.NoticeNote, "skipped: binary file")
		return out
	}
	s := forced
	if s == nil {
		s = reg.Classify(c.Path, content)
	}
	if s == nil {
		out.unrecognised = true
		return out
	}
	out.format = s.Format
	f := &source.File{Path: c.Path, Abs: c.Abs, Root: c.Root, Content: content, Format: s.Format}
	if (s.ScanAll == nil || s.Settled != nil) && fix.Editable(s.Format, c.Path) {
		// the fix survey reuses the trees instead of parsing the file again
		// (a workflow's, if it settles on this worker)
		f.KeepYAML = func(line int, root *yaml.Node) { out.docs = append(out.docs, fix.Doc{Line: line, Root: root}) }
	}
	out.directives = filter.ParseDirectives(c.Path, content)
	if s.ScanAll != nil {
		if prepareSafely(s, f) && s.Settled != nil {
			out.settled = s.Settled(f)
		}
		// the file waits for its format's tail: neither it nor its output
		// holds the trees of a file that did not settle
		f.KeepYAML = nil
		if out.settled == nil {
			out.docs = nil
		}
		out.file = f
		return out
	}
	p := scanSafely(s, f)
	out.project = p
	out.content = content
	for _, n := range p.Notices {
		if n.Level == model.NoticeError {
			out.errors = true
			break
		}
	}
	return out
}

// scanSafely turns a scanner panic into a notice: a bug in one scanner must
// not lose the findings of every other file.
func scanSafely(s *scanners.Scanner, f *source.File) (p *model.Project) {
	defer func() {
		if r := recover(); r != nil {
			p = &model.Project{Notices: []model.Notice{{Level: model.NoticeError, Loc: model.Location{File: f.Path},
				Message: fmt.Sprintf("internal error while scanning this file (please report it): %v", safetext.Panic(r))}}}
		}
	}()
	p = s.Scan(f)
	if p == nil {
		p = &model.Project{}
	}
	return p
}

// prepareSafely runs a scanner's per-file preparation; a panic leaves the
// file unprepared, for ScanAll to do the work (and report the problem).
func prepareSafely(s *scanners.Scanner, f *source.File) (ok bool) {
	if s.Prepare == nil {
		return false
	}
	defer func() {
		if recover() != nil {
			f.Prepared = nil
			ok = false
		}
	}()
	s.Prepare(f)
	return true
}

// tailOut is what one format lowered at once gives.
type tailOut struct {
	project  *model.Project
	findings []rules.Finding
	details  *model.Inventory // what the workloads' details held, taken before they were dropped
}

// scanAllFormats lowers the files of each format whose scanner takes them
// all at once, the formats in parallel on up to workers goroutines, the
// format with the most bytes first (it bounds the wall time). check runs
// the per-workload rules on workloads whose lowering is final and drops
// their details: on each unit (a root module, a pipeline) as soon as the
// scanner has lowered it, so that a format's details are not all held at
// once, and on the rest at the end. Each format's result depends only on
// its own files, so the output does not depend on the order they finish
// in; checking a format's workloads in consecutive runs gives the same
// findings, in the same order per rule, as checking them all at once.
func scanAllFormats(reg *scanners.Registry, grouped map[model.Format][]*source.File, workers int, check func([]*model.Workload, []*model.Pipeline) ([]rules.Finding, *model.Details)) map[model.Format]tailOut {
	type job struct {
		format model.Format
		bytes  int
	}
	var jobs []job
	for _, f := range reg.Formats() {
		if files := grouped[f]; len(files) > 0 {
			n := 0
			for _, file := range files {
				n += len(file.Content)
			}
			jobs = append(jobs, job{f, n})
		}
	}
	sort.SliceStable(jobs, func(i, j int) bool { return jobs[i].bytes > jobs[j].bytes })
	out := make(map[model.Format]tailOut, len(jobs))
	var mu sync.Mutex
	next := make(chan job, len(jobs))
	for _, j := range jobs {
		next <- j
	}
	close(next)
	var wg sync.WaitGroup
	for range min(workers, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				t := tailOut{details: model.NewInventory()}
				checked := 0
				var pipes pipelineTracker
				done := func(ws []*model.Workload) {
					fs, details := check(ws, pipes.ready(ws))
					t.findings = append(t.findings, fs...)
					t.details.MergeDetails(details)
					checked += len(ws)
				}
				p, ok := scanAllSafely(reg.ByFormat(j.format), grouped[j.format], done)
				if !ok {
					// what was checked before the panic is not in p
					t = tailOut{details: model.NewInventory()}
					checked = 0
					pipes = pipelineTracker{}
				}
				t.project = p
				if checked < len(p.Workloads) {
					done(p.Workloads[checked:])
				}
				if rest := pipes.rest(p.Pipelines); len(rest) > 0 {
					// pipelines without jobs (or with jobs ScanAll did not
					// list): their own keys are still checked
					fs, details := check(nil, rest)
					t.findings = append(t.findings, fs...)
					t.details.MergeDetails(details)
				}
				mu.Lock()
				out[j.format] = t
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return out
}

// pipelineTracker says when a pipeline lowered in a format's tail can be
// checked: once every one of its jobs has been handed to done.
type pipelineTracker struct {
	jobs    map[*model.Workload]bool
	seen    map[*model.Pipeline]bool
	pending []*model.Pipeline // seen, some job not yet done
}

// ready records ws as done and returns the pipelines, in the order their
// first job came, whose jobs are now all done.
func (t *pipelineTracker) ready(ws []*model.Workload) []*model.Pipeline {
	if t.jobs == nil {
		t.jobs, t.seen = map[*model.Workload]bool{}, map[*model.Pipeline]bool{}
	}
	for _, w := range ws {
		t.jobs[w] = true
		if w.CI != nil && w.CI.Pipeline != nil && !t.seen[w.CI.Pipeline] {
			t.seen[w.CI.Pipeline] = true
			t.pending = append(t.pending, w.CI.Pipeline)
		}
	}
	var out []*model.Pipeline
	keep := t.pending[:0]
	for _, p := range t.pending {
		if slices.ContainsFunc(p.Jobs, func(w *model.Workload) bool { return !t.jobs[w] }) {
			keep = append(keep, p)
		} else {
			out = append(out, p)
		}
	}
	clear(t.pending[len(keep):])
	t.pending = keep
	return out
}

// rest returns the pipelines of all not yet checked: those no done job
// belongs to, and those whose jobs were not all done.
func (t *pipelineTracker) rest(all []*model.Pipeline) []*model.Pipeline {
	var out []*model.Pipeline
	for _, p := range all {
		if !t.seen[p] || slices.Contains(t.pending, p) {
			out = append(out, p)
		}
	}
	return out
}

// scanAllSafely is scanSafely for scanners that take all their files.
// ok is false after a panic.
func scanAllSafely(s *scanners.Scanner, files []*source.File, done func([]*model.Workload)) (p *model.Project, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			p = &model.Project{Notices: []model.Notice{{Level: model.NoticeError, Loc: model.Location{File: files[0].Path},
				Message: fmt.Sprintf("internal error while scanning %s files (please report it): %v", s.Format, safetext.Panic(r))}}}
			ok = false
		}
	}()
	p = s.ScanAll(files, done)
	if p == nil {
		p = &model.Project{}
	}
	return p, true
}

func formatByPath(reg *scanners.Registry, forced *scanners.Scanner, p string) *scanners.Scanner {
	if forced != nil {
		return forced
	}
	return reg.ClaimByPath(p)
}

// rootRel is a candidate's path relative to its scan root.
func rootRel(c discover.Candidate) string {
	if rel, err := filepath.Rel(c.Root, c.Real); err == nil {
		return filepath.ToSlash(rel)
	}
	return c.Path
}

func formatOf(reg *scanners.Registry, forced *scanners.Scanner, p string) model.Format {
	if forced != nil {
		return forced.Format
	}
	if s := reg.ClaimByPath(p); s != nil {
		return s.Format
	}
	return ""
}

// sniffLen is how much of a file too large to read is read to tell its
// format by content: enough for the first documents of a manifest.
const sniffLen = 64 << 10

// oversizeFormat is the format of a file skipped for its size, so that the
// summary counts it as a skipped file of that format rather than as a file
// of no supported format: --type, else its path, else the head of its
// content (up to its last whole line). skip reports a file its format
// leaves out by design (Go tests), which is counted nowhere.
func oversizeFormat(reg *scanners.Registry, c discover.Candidate, opts Options) (f model.Format, skip bool) {
	var forced *scanners.Scanner
	if opts.Type != "" {
		forced = reg.ByFormat(opts.Type)
	}
	s := formatByPath(reg, forced, c.Path)
	if s != nil && s.Skip != nil && s.Skip(rootRel(c)) {
		return "", true
	}
	if s == nil {
		head, err := source.ReadHead(c.Real, sniffLen)
		if err != nil || bytes.IndexByte(head[:min(len(head), binarySniffLen)], 0) >= 0 {
			return "", false
		}
		if i := bytes.LastIndexByte(head, '\n'); i >= 0 {
			head = head[:i+1]
		}
		s = reg.Classify(c.Path, head)
	}
	if s == nil {
		return "", false
	}
	return s.Format, false
}

// finish sorts findings, drops exact duplicates and sets fingerprints.
// units are chart folders: a finding in one is fingerprinted by the chart,
// not the file, so that it keeps its fingerprint whichever value set (and
// values file) it comes from.
func finish(fs []rules.Finding, units []string) []rules.Finding {
	sortFindings(fs)
	out := fs[:0]
	for i, f := range fs {
		if i > 0 && same(fs[i-1], f) {
			// the same finding from another evaluation of one definition
			// (a Terraform module called twice): one result, listing the
			// related places of each
			last := &out[len(out)-1]
			last.Related = mergeRelated(last.Related, f.Related)
			last.RelatedLeftOut = max(last.RelatedLeftOut, f.RelatedLeftOut)
			continue
		}
		if len(out) > 0 && sharedKey(out[len(out)-1], f) {
			// one key inherited by several workloads (a YAML anchor, a
			// GitLab or Compose `extends` base): one result on that key,
			// naming each workload that inherits it (DESIGN, Positions)
			last := &out[len(out)-1]
			if !strings.Contains(last.Message, "; also inherited by ") {
				last.Message += "; also inherited by " + f.Object
			} else {
				last.Message += ", " + f.Object
			}
			last.Related = mergeRelated(last.Related, f.Related)
			if f.Severity > last.Severity {
				last.Severity = f.Severity
			}
			continue
		}
		out = append(out, f)
	}
	seen := map[string]int{}
	for i := range out {
		fp := fingerprint(out[i], unitOf(out[i].Loc.File, units))
		if n := seen[fp]; n > 0 {
			seen[fp] = n + 1
			fp += ":" + strconv.Itoa(n)
		} else {
			seen[fp] = 1
		}
		out[i].Fingerprint = fp
	}
	return out
}

// sharedKey reports whether b is a's rule reported at a's exact key for
// another object: the key is shared by both.
func sharedKey(a, b rules.Finding) bool {
	return a.RuleID == b.RuleID && a.Object != b.Object && a.Object != "" && b.Object != "" &&
		a.Loc.File == b.Loc.File && a.Loc.Line == b.Loc.Line && a.Loc.Col == b.Loc.Col && !a.Loc.Synthetic
}

// mergeRelated appends the related places of b that a lacks.
func mergeRelated(a, b []model.Related) []model.Related {
	a = append([]model.Related(nil), a...) // never write into a rule's shared slice
	for _, r := range b {
		dup := false
		for _, x := range a {
			if x.Loc == r.Loc && x.Message == r.Message {
				dup = true
				break
			}
		}
		if !dup {
			a = append(a, r)
		}
	}
	return a
}

// sortFindings sorts fs by compare, keeping the order of equal ones. It
// sorts their indexes, equal findings by index, and then moves each
// finding once: a stable sort of the findings themselves compares and
// swaps them O(n log² n) times, and a Finding is 272 bytes.
func sortFindings(fs []rules.Finding) {
	idx := make([]int32, len(fs))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int {
		if c := compare(&fs[a], &fs[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b) // equal findings keep their order
	})
	// idx[i] is the finding that belongs at i: follow each cycle of the
	// permutation, moving its findings one place each
	for i := range idx {
		if idx[i] < 0 || int(idx[i]) == i {
			continue
		}
		tmp := fs[i]
		j := i
		for {
			k := int(idx[j])
			idx[j] = -1
			if k == i {
				fs[j] = tmp
				break
			}
			fs[j] = fs[k]
			j = k
		}
	}
}

// compare orders findings by file, line, column, rule and message.
func compare(a, b *rules.Finding) int {
	if c := a.Loc.Compare(&b.Loc); c != 0 {
		return c
	}
	if c := strings.Compare(a.RuleID, b.RuleID); c != 0 {
		return c
	}
	return strings.Compare(a.Message, b.Message)
}

func same(a, b rules.Finding) bool {
	return a.RuleID == b.RuleID && a.Loc.File == b.Loc.File && a.Loc.Line == b.Loc.Line && a.Loc.Col == b.Loc.Col && a.Message == b.Message
}

// fingerprint identifies a finding by rule, file, object and key path, not
// by line, so that an edit elsewhere in the file does not make a dismissed
// alert or a baselined finding new again.
func fingerprint(f rules.Finding, unit string) string {
	where := f.Loc.Path
	if where == "" {
		where = "line:" + strconv.Itoa(f.Loc.Line)
	}
	file := f.Loc.File
	if unit != "" && f.Loc.Path != "" {
		file = unit
	}
	h := sha256.Sum256([]byte(f.RuleID + "\x00" + file + "\x00" + f.Loc.Object + "\x00" + f.Object + "\x00" + where))
	return hex.EncodeToString(h[:16])
}

// unitOf returns the chart folder a file lies in, or "".
func unitOf(file string, units []string) string {
	best := ""
	for _, u := range units {
		if (u == "." || strings.HasPrefix(file, u+"/")) && len(u) > len(best) {
			best = u
		}
	}
	return best
}

// scanStdin reads standard input as one file of the forced type (k8s by
// default), shown as <stdin> with its own line numbers.
func scanStdin(reg *scanners.Registry, opts Options) fileOut {
	out := fileOut{path: StdinName}
	f := opts.Type
	if f == "" {
		f = model.FormatK8s
	}
	s := reg.ByFormat(f)
	out.format = s.Format
	content, err := io.ReadAll(io.LimitReader(opts.Stdin, opts.MaxFileSize+1))
	switch {
	case err != nil:
		out.skipped = true
		out.notices = append(out.notices, model.Notice{Level: model.NoticeError, Loc: model.Location{File: StdinName}, Message: "could not be read: " + err.Error()})
		return out
	case int64(len(content)) > opts.MaxFileSize:
		out.skipped = true
		out.notices = append(out.notices, model.Notice{Level: model.NoticeError, Loc: model.Location{File: StdinName}, Message: fmt.Sprintf("skipped: larger than the %d-byte size limit", opts.MaxFileSize)})
		return out
	}
	out.read, out.bytes = 1, int64(len(content))
	// no Abs and no Root: nothing beside standard input is ever read
	file := &source.File{Path: StdinName, Content: content, Format: s.Format}
	out.directives = filter.ParseDirectives(StdinName, content)
	if s.ScanAll != nil {
		out.file = file
		return out
	}
	out.project = scanSafely(s, file)
	for _, n := range out.project.Notices {
		if n.Level == model.NoticeError {
			out.errors = true
			break
		}
	}
	return out
}

func sortNotices(ns []model.Notice) {
	sort.SliceStable(ns, func(i, j int) bool {
		a, b := ns[i].Loc, ns[j].Loc
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return ns[i].Message < ns[j].Message
	})
}

// SourceRoot picks the directory display paths are relative to: the
// repository (a directory holding .git) around the first path when every
// path lies inside it, else the working directory when every path lies
// inside that, else the first path's directory. Only the existence of .git
// is checked; nothing outside the roots is read.
func SourceRoot(paths []string) string {
	cwd, _ := os.Getwd()
	abs := make([]string, 0, len(paths))
	for _, p := range paths {
		a, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		if r, err := filepath.EvalSymlinks(a); err == nil {
			a = r
		}
		abs = append(abs, a)
	}
	if len(abs) == 0 {
		return cwd
	}
	if realCwd, err := filepath.EvalSymlinks(cwd); err == nil {
		cwd = realCwd
	}
	inside := func(dir string) bool {
		for _, a := range abs {
			if !source.Within(a, dir) {
				return false
			}
		}
		return true
	}
	start := abs[0]
	if info, err := os.Stat(start); err == nil && !info.IsDir() {
		start = filepath.Dir(start)
	}
	for d := start; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			if inside(d) {
				return d
			}
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if inside(cwd) {
		return cwd
	}
	return start
}

// fixKey identifies a finding's place for a fix planned in advance.
type fixKey struct {
	rule, file string
	line, col  int
}

// annotateHeld records on a file's findings what `isolint fix` can do,
// from the file's bytes (and the YAML documents its scanner parsed, when
// it kept them) while a file worker holds them; false when the survey
// failed (see surveySafely).
func annotateHeld(fs []rules.Finding, path string, content []byte, docs []fix.Doc) bool {
	return surveySafely(fs, func() {
		if len(docs) > 0 {
			fix.AnnotateParsed(fs, path, content, docs)
		} else {
			fix.Annotate(fs, heldReader("", nil, path, content))
		}
	})
}

// surveySafely runs a fix survey of fs. A panic in it (a bug in a fixer,
// on input nobody foresaw) leaves fs without fixes instead of ending the
// scan on a file worker: the findings stand, only what `isolint fix`
// would do for them goes unsaid.
func surveySafely(fs []rules.Finding, survey func()) (ok bool) {
	defer func() {
		if recover() != nil {
			for i := range fs {
				fs[i].Fix = nil
			}
			ok = false
		}
	}()
	survey()
	return true
}

// fixFailed is the notice of a fix survey that failed for file and others
// more. It names no value: the panic's text may quote the file.
func fixFailed(file string, others int) model.Notice {
	what := "this file"
	if others > 0 {
		what += " and " + strconv.Itoa(others) + " other(s)"
	}
	return model.Notice{Level: model.NoticeWarning, Loc: model.Location{File: file},
		Message: "internal error while planning the edits `isolint fix` would make for " + what + " (please report it): their findings stand, without fixes"}
}

// heldReader hands the fix survey on a file worker the bytes of a file
// whose YAML trees its scanner did not keep, to parse again (a test seam,
// like tailReader).
var heldReader = fix.Reader

// tailReader reads the files whose findings no worker could plan fixes
// for, at the end of the scan; tests count what it reads.
var tailReader = fix.Reader

func fixKeyOf(f rules.Finding) fixKey {
	return fixKey{f.RuleID, f.Loc.File, f.Loc.Line, f.Loc.Col}
}

// fixCandidates are the findings a project rule may report on these
// workloads that have a fix: service-account-token-automount's, at the
// pod spec whose automountServiceAccountToken is not false. Their fixes
// are planned while the file's trees are at hand, so that the project
// phase need not read and parse every manifest again; a candidate the
// rule does not report is never used.
func fixCandidates(ws []*model.Workload) []rules.Finding {
	var out []rules.Finding
	for _, w := range ws {
		at := w.AutomountToken
		if w.Identity.Kind != model.IdentityK8sServiceAccount || at.Unknown || at.IsFalse() || at.Loc.File == "" {
			continue
		}
		out = append(out, rules.Finding{RuleID: "service-account-token-automount", Format: w.Format, Loc: at.Loc})
	}
	return out
}

// addProject takes the inventory of the project (a test seam: tests make
// it panic).
var addProject = (*model.Inventory).AddProject
