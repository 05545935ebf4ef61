// Package terraform reads Terraform configurations (.tf, .tf.json and the
// automatically loaded .tfvars files), evaluates what can be known offline
// (variables, tfvars, locals, references between resources, local module
// calls with their inputs, count/for_each, the functions that need no
// network) and lowers the runtimes they define onto the model: kubernetes_*
// workloads, ECS task definitions, Lambda functions, CodeBuild projects,
// Batch jobs, Cloud Run services, VMs and Azure container groups, with the
// IAM roles and service accounts they run as, the policies granted to those,
// firewall rules and instance metadata options.
//
// Nothing is fetched: remote modules and data sources are unknown, and an
// unknown value never gives a confident finding.
package terraform

import (
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
)

// maxFileSize bounds what file() and templatefile() read.
const maxFileSize = 10 << 20

// maxModuleDepth bounds nested local module calls.
const maxModuleDepth = 16

// maxInstances bounds the module instances of one root module (count and
// for_each on nested calls multiply), so that no input makes a scan run
// away. The scan as a whole may evaluate maxInstances more, and
// instancesPerRoot for each root module: a monorepo of thousands of roots
// is evaluated in full, and the work stays linear in the files read.
const (
	maxInstances     = 4096
	instancesPerRoot = 64
)

// ClaimPath claims Terraform files by name.
func ClaimPath(p string) bool {
	return isConfig(p) || isTfvars(p)
}

// run is one ScanAll: every module of the scan and what lowering found.
//
// Each root module is a Terraform state of its own, lowered as one unit
// with the local modules it calls: the joins that complete what one
// resource cannot say alone (roles with their policies and attachments,
// instance profiles, node groups, egress) see that unit only, and the keys
// it gives the model carry the root module's directory
// (model.TerraformKey), so that two roots' aws_iam_role.app stay two
// roles. The fields after the blank line are the unit's, reset for each.
type run struct {
	modules map[string]*module // by display directory, while calls are resolved
	absDirs map[string]*module // by absolute directory, likewise
	proj    *model.Project
	notices map[string]bool   // dedup: evaluations repeat for each module call
	src     map[string][]byte // file contents by display path, for heredoc JSON
	// instances counts the module instances of the unit against
	// maxInstances; total those of the scan against budget.
	instances, total, budget int
	// ahead are the files parsed ahead of their unit (parseAhead).
	ahead map[*source.File]*parsing
	// named are the cloud roles known by a name alone (no address of a
	// unit), shared by every unit that grants them something (iam.go).
	named map[string]*model.CloudRole

	// qual is the prefix of the unit's keys (model.TerraformRootPrefix).
	qual  string
	files map[string]*readFile
	iam   *iamIndex
	// nodeGroups are the EKS node groups started from each launch template.
	nodeGroups map[string][]model.Related
	// swift holds the Function Apps a swift connection attaches to a
	// subnet; attachedApps the egress of each app if attached; services
	// the egress an aws_ecs_service gives each task definition, used for
	// those in awsvpc network mode (see linkEgress).
	swift        map[string]model.Location
	attachedApps map[string]*model.Egress
	services     map[string][]*model.Egress
	awsvpc       map[string]bool
	// profiles are the aws_iam_instance_profile resources by key
	// (instance_profile.go).
	profiles map[string]*instanceProfile
	// launchedFrom are the instances that take their profile from a
	// launch template (instance_profile.go).
	launchedFrom map[*model.Workload]launch
}

// readFile is a file read through file(), templatefile() or a JSON
// container definition.
type readFile struct {
	display string
	content []byte
	json    hcl.Expression // parsed as JSON, when it is
}

// ScanAll lowers all Terraform files of a scan: each directory is a module;
// directories that no scanned module calls are root modules, evaluated with
// their variable defaults and tfvars; called modules are evaluated once per
// call with that call's inputs.
func ScanAll(files []*source.File) *model.Project {
	return ScanUnits(files, nil)
}

// ScanUnits is ScanAll, lowering one root module at a time with the local
// modules it calls and calling done (when not nil) with the unit's
// workloads once they and its joins are complete. As soon as the last root
// module that calls a module is lowered, the module's syntax trees are let
// go of, and the Content of its files with them: what a unit holds while
// it is lowered is gone before the next one starts.
func ScanUnits(files []*source.File, done func([]*model.Workload)) *model.Project {
	r := &run{
		modules: map[string]*module{}, absDirs: map[string]*module{},
		proj: &model.Project{}, notices: map[string]bool{}, src: map[string][]byte{},
	}
	byDir := map[string][]*source.File{}
	var dirs []string
	for _, f := range files {
		r.src[f.Path] = f.Content
		d := path.Dir(f.Path)
		if _, ok := byDir[d]; !ok {
			dirs = append(dirs, d)
		}
		byDir[d] = append(byDir[d], f)
	}
	sort.Strings(dirs)
	mods := make([]*module, len(dirs))
	for i, d := range dirs {
		m := r.plan(d, byDir[d])
		mods[i] = m
		r.modules[d] = m
		r.absDirs[m.absDir] = m
	}
	for _, m := range mods {
		for _, c := range m.callOrder {
			if t := r.localModule(m, c); t != nil {
				c.target = t
				if t != m {
					t.called = true
				}
			} else if isLocalSource(c.source) {
				// a warning, not an error: a pre-commit run names the
				// changed files only, and the module is checked where it is
				// scanned itself; but what this call makes of it is not
				r.notice(model.NoticeWarning, c.sourceRange, "module "+strconv.Quote(c.name)+" calls "+strconv.Quote(c.source)+
					", which is not a scanned folder of .tf files (missing, excluded, or not named on the command line); what this call defines was not checked")
			}
		}
	}
	r.modules, r.absDirs = nil, nil
	// the modules of each unit, and how many units need each module
	var roots []*module
	var units [][]*module
	callers := map[*module]int{}
	for i, m := range mods {
		if m.called || !hasConfig(byDir[dirs[i]]) {
			continue
		}
		u := unitModules(m)
		for _, x := range u {
			callers[x]++
		}
		roots = append(roots, m)
		units = append(units, u)
	}
	for _, m := range mods {
		if callers[m] == 0 {
			// no root module calls it: never lowered, but its syntax
			// errors are reported
			r.load(m)
			r.release(m)
		}
	}
	r.budget = maxInstances + instancesPerRoot*len(roots)
	next := r.parseAhead(units)
	defer close(next)
	given := 0 // workloads handed to done
	for i, root := range roots {
		r.lowerUnit(root, units[i])
		for _, m := range units[i] {
			if callers[m]--; callers[m] == 0 {
				r.release(m)
			}
		}
		if done != nil && len(r.proj.Workloads) > given {
			done(r.proj.Workloads[given:len(r.proj.Workloads):len(r.proj.Workloads)])
		}
		given = len(r.proj.Workloads)
		next <- struct{}{}
	}
	// roles in address order, as when every unit's were one list; two
	// roots' roles of one address in the order of their roots
	sort.SliceStable(r.proj.CloudRoles, func(i, j int) bool {
		return model.TerraformAddr(r.proj.CloudRoles[i].Key) < model.TerraformAddr(r.proj.CloudRoles[j].Key)
	})
	// every cloud fact this scanner lowers is Terraform's, whichever
	// lowering made it (rules pick them by format)
	for _, md := range r.proj.Metadata {
		md.Format = model.FormatTerraform
	}
	for _, f := range r.proj.Firewalls {
		f.Format = model.FormatTerraform
	}
	for _, g := range r.proj.SecurityGroups {
		g.Format = model.FormatTerraform
	}
	return r.proj
}

// parsing is a file parsed ahead of the unit that reads it.
type parsing struct {
	f     *source.File
	ready chan struct{} // closed once file and diags are set
	file  *hcl.File
	diags hcl.Diagnostics
	ok    bool // false when parsing panicked: load parses it again
}

// parseAhead parses, on GOMAXPROCS goroutines, the files that plan did not
// parse, in the order the units read them, so that lowering a unit does
// not wait for the parser: a file parsed on the file workers as each file
// is read costs no wall time of its own, one parsed while its unit is
// lowered would. Parsing stays at most lookahead units ahead of the unit
// being lowered, whose end the caller sends on the channel returned, and
// closes it when it is done (or stops).
func (r *run) parseAhead(units [][]*module) chan<- struct{} {
	workers := runtime.GOMAXPROCS(0)
	lookahead := 2 * workers
	var order [][]*parsing
	r.ahead = map[*source.File]*parsing{}
	for _, u := range units {
		var fs []*parsing
		for _, m := range u {
			for _, f := range m.files {
				if _, planned := m.planned[f]; planned || isTfvars(f.Path) || r.ahead[f] != nil {
					continue
				}
				p := &parsing{f: f, ready: make(chan struct{})}
				r.ahead[f] = p
				fs = append(fs, p)
			}
		}
		order = append(order, fs)
	}
	next := make(chan struct{}, len(units)+1)
	work := make(chan *parsing)
	go func() {
		defer close(work)
		for i, fs := range order {
			if i >= lookahead {
				if _, ok := <-next; !ok {
					return // the scan stopped
				}
			}
			for _, p := range fs {
				work <- p
			}
		}
	}()
	for range workers {
		go func() {
			for p := range work {
				func() {
					defer func() {
						recover() // load parses it again and reports the panic
						close(p.ready)
					}()
					p.file, p.diags = parseFile(p.f)
					p.ok = true
				}()
			}
		}()
	}
	return next
}

// parsed returns a file's syntax: parsed ahead when it was, else now.
func (r *run) parsed(f *source.File) (*hcl.File, hcl.Diagnostics) {
	if p := r.ahead[f]; p != nil {
		<-p.ready
		hf, diags, ok := p.file, p.diags, p.ok
		p.file, p.diags = nil, nil
		if ok {
			return hf, diags
		}
	}
	return parseOnce(f)
}

// unitModules lists a root module and every local module it calls,
// directly or through others, each once.
func unitModules(root *module) []*module {
	out := []*module{root}
	seen := map[*module]bool{root: true}
	for i := 0; i < len(out); i++ {
		for _, c := range out[i].callOrder {
			if t := c.target; t != nil && !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// resetUnit resets what one unit's joins gather, for the unit whose keys
// begin with qual ("": none, letting go of the last unit's indexes, which
// hold its syntax trees).
func (r *run) resetUnit(qual string) {
	r.qual = qual
	r.files = map[string]*readFile{}
	r.iam = newIAMIndex(r.qual)
	r.nodeGroups = map[string][]model.Related{}
	r.swift, r.attachedApps = map[string]model.Location{}, map[string]*model.Egress{}
	r.services, r.awsvpc = map[string][]*model.Egress{}, map[string]bool{}
	r.profiles, r.launchedFrom = nil, nil
}

// lowerUnit loads and lowers a root module with the modules it calls
// (mods), and joins what they define.
func (r *run) lowerUnit(root *module, mods []*module) {
	for _, m := range mods {
		r.load(m)
	}
	r.resetUnit(model.TerraformRootPrefix(root.dir))
	r.instances = 0
	w0, md0 := len(r.proj.Workloads), len(r.proj.Metadata)
	inst := newInstance(r, root, nil, "", nil)
	inst.useTfvars()
	inst.lower()
	ws := r.proj.Workloads[w0:]
	for _, md := range r.proj.Metadata[md0:] {
		md.UsedBy = append(md.UsedBy, r.nodeGroups[md.Resource]...)
	}
	r.linkInstanceProfiles(ws)
	r.iam.finish(r)
	r.linkEgress(ws)
	r.resetUnit("")
}

// key is the model's key for an address of the unit (model.TerraformKey).
func (r *run) key(addr string) string { return r.qual + addr }

// addr is the address a key of the unit stands for, for messages: any
// other key (a literal name or ARN) as it is. It is model.TerraformAddr,
// which strips the root module of whatever unit the key is of.
func (r *run) addr(key string) string { return model.TerraformAddr(key) }

// release lets go of a module that no unit still to be lowered calls: its
// syntax trees and the contents of its files (nothing reads them after
// ScanAll: fixes read the disk). Its directory stays, for the calls that
// name it.
func (r *run) release(m *module) {
	for _, f := range m.files {
		delete(r.src, f.Path)
		f.Content, f.Prepared = nil, nil
	}
	*m = module{dir: m.dir, absDir: m.absDir, root: m.root, called: m.called, loaded: true}
}

func hasConfig(fs []*source.File) bool {
	for _, f := range fs {
		if isConfig(f.Path) {
			return true
		}
	}
	return false
}

// localModule resolves a call's source to a scanned directory. Registry and
// remote sources, and local paths outside the scan, resolve to nil.
func (r *run) localModule(m *module, c *moduleCall) *module {
	src := c.source
	if !isLocalSource(src) {
		return nil
	}
	abs := filepath.Clean(filepath.Join(m.absDir, filepath.FromSlash(src)))
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if t := r.absDirs[abs]; t != nil {
		return t
	}
	// also match on the walked (not symlink-resolved) path
	for _, t := range r.modules {
		if filepath.Clean(t.absDir) == abs {
			return t
		}
	}
	return nil
}

// isLocalSource reports a module source that is a local path, as
// Terraform reads one: it begins with ./ or ../.
func isLocalSource(src string) bool {
	return strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../")
}

// notice records a problem with the input once, however many module
// instances evaluate the same expression.
func (r *run) notice(level model.NoticeLevel, rng hcl.Range, msg string) {
	loc := model.Location{File: rng.Filename, Line: rng.Start.Line, Col: rng.Start.Column}
	k := loc.String() + "\x00" + msg
	if r.notices[k] {
		return
	}
	r.notices[k] = true
	r.proj.Notices = append(r.proj.Notices, model.Notice{Level: level, Loc: loc, Message: msg})
}

// diagNotices turns parser diagnostics into notices.
func (r *run) diagNotices(diags hcl.Diagnostics) {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		rng := hcl.Range{}
		if d.Subject != nil {
			rng = *d.Subject
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + strings.TrimSuffix(d.Detail, ".")
		}
		r.notice(model.NoticeError, rng, "not valid Terraform: "+withholdQuoted(msg))
	}
}

// quoted matches what HCL's diagnostics quote from the input: an unquoted
// word in a .tf.json (`"default": CorrectHorseBatteryStaple`), a name,
// a value. A notice reaches every output, report and baseline, so it says
// where and what was expected, never what was written.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|` + "`[^`]*`")

func withholdQuoted(s string) string {
	return quoted.ReplaceAllString(s, `"…"`)
}

// readFile reads a file named by file(), templatefile() or the like, as
// Terraform resolves it: relative paths from the root module's directory.
// It refuses anything outside the scan root. ok is false when the file
// cannot be read; the value is then unknown.
func (r *run) readFile(inst *instance, p string) (*readFile, bool) {
	if p == "" {
		return nil, false
	}
	abs := filepath.FromSlash(p)
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(inst.rootMod.absDir, abs)
	}
	abs = filepath.Clean(abs)
	if f, ok := r.files[abs]; ok {
		return f, f != nil
	}
	f, err := r.read(inst.mod.root, abs, inst.rootMod)
	if err != nil {
		r.files[abs] = nil
		return nil, false
	}
	r.files[abs] = f
	return f, true
}

func (r *run) read(root, abs string, rel *module) (*readFile, error) {
	b, _, err := source.ReadWithin(abs, root, maxFileSize)
	if err != nil {
		return nil, err
	}
	// read as a template (templatefile) and as JSON (jsondecode, JSON
	// positions): either parser would overflow the stack on deep nesting
	if err := source.CheckNesting(b, source.HCLTemplate, 0); err != nil {
		return nil, err
	}
	if err := source.CheckNesting(b, source.JSON, 0); err != nil {
		return nil, err
	}
	relPath, err := filepath.Rel(rel.absDir, abs)
	if err != nil {
		return nil, err
	}
	display := path.Clean(path.Join(rel.dir, filepath.ToSlash(relPath)))
	f := &readFile{display: display, content: b}
	if e, diags := hcljson.ParseExpression(b, display); !diags.HasErrors() {
		f.json = e
	}
	return f, nil
}

// source returns the bytes of a scanned file between two positions.
func (r *run) source(start, end hcl.Pos, file string) []byte {
	b := r.src[file]
	if b == nil || start.Byte < 0 || end.Byte > len(b) || start.Byte > end.Byte {
		return nil
	}
	return b[start.Byte:end.Byte]
}

func itoa(n int) string { return strconv.Itoa(n) }
