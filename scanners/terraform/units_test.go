package terraform

import (
	"maps"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"weak"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/isolint/isolint/internal/testfiles"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
)

// testdataFiles reads every Terraform file under testdata/terraform, as
// the engine hands them to ScanAll: in path order, relative to the folder.
func testdataFiles(t *testing.T) []*source.File {
	t.Helper()
	out := readTerraform(t, filepath.Join("..", "..", "testdata", "terraform"))
	if len(out) < 10 {
		t.Fatalf("only %d Terraform files under testdata", len(out))
	}
	return out
}

// Parsing ahead on the file workers (Prepare) and handing over each root
// module's workloads as it is lowered (ScanUnits) must lower exactly what
// ScanAll lowers from the raw files: the engine relies on it for output
// that does not depend on how the work was split.
func TestPrepareAndUnitsLowerAsScanAll(t *testing.T) {
	want := ScanAll(testdataFiles(t))

	files := testdataFiles(t)
	trees := followSyntax(t)
	lazy := 0
	for _, f := range files {
		Prepare(f)
		if (f.Prepared != nil) != eager(f) {
			t.Fatalf("%s: Prepare kept %v, but eager is %v", f.Path, f.Prepared, eager(f))
		}
		if f.Prepared == nil {
			lazy++
		}
	}
	if lazy == 0 || lazy == len(files) {
		t.Fatalf("%d of %d files left to their unit to parse; testdata has both kinds", lazy, len(files))
	}
	var runs [][]*model.Workload
	got := ScanUnits(files, func(ws []*model.Workload) {
		if len(ws) == 0 {
			t.Error("done called with no workloads")
		}
		runs = append(runs, ws)
	})
	for _, f := range files {
		if f.Prepared != nil || f.Content != nil {
			t.Errorf("%s: ScanAll did not let go of the file", f.Path)
		}
	}
	runtime.GC()
	parsed := trees.parsed()
	for _, p := range parsed {
		if trees.held(p) {
			t.Errorf("%s: syntax still held once the project is lowered", p)
		}
	}
	if len(parsed) != len(files) {
		t.Errorf("%d of %d files parsed", len(parsed), len(files))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("Prepare + ScanUnits lowered something other than ScanAll")
	}
	testfiles.CheckHandedOver(t, runs, got)
}

// projectFiles reads the Terraform files of a fixture project, as the
// engine hands them to ScanAll.
func projectFiles(t *testing.T, dir string) []*source.File {
	t.Helper()
	return readTerraform(t, filepath.Join("..", "..", "testdata", "terraform", "projects", dir))
}

// readTerraform reads the Terraform files below dir in path order, with
// paths relative to it.
func readTerraform(t *testing.T, dir string) []*source.File {
	t.Helper()
	return testfiles.Read(t, dir, model.FormatTerraform, func(rel string, _ []byte) bool { return ClaimPath(rel) })
}

// Each root module is a state of its own: envs/prod and envs/staging both
// define aws_iam_role.app and aws_security_group.web, and both call
// modules/app. Every key the model joins on names its root module, the
// grants of one root reach its own roles only, and the shared module is
// lowered once per root, with that root's inputs, into roles of its own;
// names for messages stay the short addresses.
func TestRootModulesAreUnits(t *testing.T) {
	p := ScanAll(projectFiles(t, "root_modules"))
	prod := func(a string) string { return model.TerraformKey("envs/prod", a) }
	staging := func(a string) string { return model.TerraformKey("envs/staging", a) }

	roles := map[string]*model.CloudRole{}
	for _, r := range p.CloudRoles {
		if roles[r.Key] != nil {
			t.Errorf("role %s is in the project twice", r.Key)
		}
		roles[r.Key] = r
	}
	type rights struct {
		managed []string
		actions []string
	}
	of := func(key string) (rights, string) {
		r := roles[key]
		if r == nil {
			t.Fatalf("no role %s; have %v", key, slices.Sorted(maps.Keys(roles)))
		}
		var out rights
		for _, mp := range r.ManagedPolicies {
			out.managed = append(out.managed, mp.Name)
		}
		for _, st := range r.Statements {
			for _, a := range st.Actions {
				out.actions = append(out.actions, a.Value)
			}
		}
		return out, r.Name
	}
	for key, want := range map[string]rights{
		prod("aws_iam_role.app"):                {managed: []string{"AdministratorAccess"}},
		staging("aws_iam_role.app"):             {},
		prod("module.app.aws_iam_role.this"):    {actions: []string{"*"}},
		staging("module.app.aws_iam_role.this"): {actions: []string{"s3:GetObject"}},
	} {
		got, name := of(key)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s is granted %+v, want %+v", key, got, want)
		}
		if name != model.TerraformAddr(key) {
			t.Errorf("%s is named %q for messages, want %q", key, name, model.TerraformAddr(key))
		}
	}

	runsAs := map[string]string{}
	for _, w := range p.Workloads {
		runsAs[w.Loc.File+" "+w.Name] = w.Identity.Key
		if w.Identity.Name != model.TerraformAddr(w.Identity.Key) {
			t.Errorf("%s: identity named %q for messages, want %q", w.ID(), w.Identity.Name, model.TerraformAddr(w.Identity.Key))
		}
	}
	for k, v := range map[string]string{
		"envs/prod/main.tf api":   prod("aws_iam_role.app"),
		"envs/staging/main.tf fn": staging("aws_iam_role.app"),
	} {
		if runsAs[k] != v {
			t.Errorf("%s runs as %q, want %q", k, runsAs[k], v)
		}
	}
	var workers []string
	for _, w := range p.Workloads {
		if strings.HasPrefix(w.Name, "worker") {
			workers = append(workers, w.Instance+" "+w.Identity.Key+" "+w.Egress.Scope)
		}
	}
	if want := []string{
		"module.app.aws_lambda_function.worker[0] " + prod("module.app.aws_iam_role.this") + " tf:" + prod("modules/app:aws"),
		"module.app.aws_lambda_function.worker_outside[0] " + staging("module.app.aws_iam_role.this") + " tf:" + staging("modules/app:aws"),
	}; !slices.Equal(workers, want) {
		t.Errorf("the shared module's workers (instance, identity, egress scope):\n%s\nwant each in its own root module:\n%s", strings.Join(workers, "\n"), strings.Join(want, "\n"))
	}

	groups := map[string]bool{}
	for _, g := range p.SecurityGroups {
		groups[g.Key] = true
		if g.Name != "aws_security_group.web" {
			t.Errorf("security group %s named %q for messages", g.Key, g.Name)
		}
	}
	if !groups[prod("aws_security_group.web")] || !groups[staging("aws_security_group.web")] || len(groups) != 2 {
		t.Errorf("security groups %v, want prod's and staging's aws_security_group.web", groups)
	}
	for _, f := range p.Firewalls {
		if f.Group != prod("aws_security_group.web") && f.Group != staging("aws_security_group.web") {
			t.Errorf("egress rule %s belongs to %q, not to its root's group", f.Resource, f.Group)
		}
	}
	for _, tp := range p.TrustPolicies {
		if !strings.HasPrefix(tp.Role, model.TerraformRootPrefix("envs/prod")) && !strings.HasPrefix(tp.Role, model.TerraformRootPrefix("envs/staging")) {
			t.Errorf("trust policy of %q names no root module", tp.Role)
		}
	}
}

// A unit's syntax trees and file contents are let go of as soon as it is
// lowered, before done runs on its workloads; a module that two root
// modules call stays until the second is lowered; a file that calls no
// module is parsed only when its unit is lowered. Weak pointers to every
// body and expression of each file say whether anything (a module, an
// index of the unit, a value) still holds part of its tree.
func TestUnitsLetGoOfTheirTrees(t *testing.T) {
	files := projectFiles(t, "root_modules")
	trees := followSyntax(t)
	for _, f := range files {
		Prepare(f)
	}
	if slices.Contains(trees.parsed(), "envs/staging/network.tf") {
		t.Error("envs/staging/network.tf, which calls no module, was parsed ahead by Prepare")
	}
	type state struct{ content, tree bool }
	held := func() map[string]state {
		runtime.GC()
		out := map[string]state{}
		for _, f := range files {
			st := state{f.Content != nil, trees.held(f.Path)}
			if st.content || st.tree {
				out[f.Path] = st
			}
		}
		return out
	}
	var got []map[string]state
	p := ScanUnits(files, func(ws []*model.Workload) {
		got = append(got, held())
	})
	if len(got) == 2 {
		// parsed ahead while envs/prod was lowered, or not yet
		if !got[0]["envs/staging/network.tf"].content {
			t.Error("envs/staging/network.tf let go of before envs/staging is lowered")
		}
		delete(got[0], "envs/staging/network.tf")
	}
	want := []map[string]state{
		// envs/prod is lowered; envs/staging still calls modules/app
		{"envs/staging/main.tf": {true, true}, "modules/app/main.tf": {true, true}},
		{}, // envs/staging is lowered: nothing is left
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("files held (content, syntax) when each unit is done: %v, want %v", got, want)
	}
	if len(p.Workloads) != 4 {
		t.Errorf("%d workloads, want 4 (two functions and the module's worker once per root)", len(p.Workloads))
	}
}

// syntaxLog records, for each file parsed in native syntax, whether each
// body and expression of its tree is still reachable.
type syntaxLog struct {
	mu    sync.Mutex // files are parsed ahead on several goroutines
	trees map[string][]func() bool
}

// followSyntax wraps parseFile for the rest of the test.
func followSyntax(t *testing.T) *syntaxLog {
	log := &syntaxLog{trees: map[string][]func() bool{}}
	orig := parseFile
	t.Cleanup(func() { parseFile = orig })
	parseFile = func(f *source.File) (*hcl.File, hcl.Diagnostics) {
		hf, diags := orig(f)
		var nodes []func() bool
		if hf != nil {
			if body, ok := hf.Body.(*hclsyntax.Body); ok {
				hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
					if a := alive(n); a != nil {
						nodes = append(nodes, a)
					}
					return nil
				})
			}
		}
		log.mu.Lock()
		log.trees[f.Path] = nodes
		log.mu.Unlock()
		return hf, diags
	}
	return log
}

// parsed lists the files parsed so far.
func (l *syntaxLog) parsed() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Sorted(maps.Keys(l.trees))
}

// held reports whether part of a file's tree is still reachable (call
// runtime.GC first).
func (l *syntaxLog) held(p string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.ContainsFunc(l.trees[p], func(a func() bool) bool { return a() })
}

// alive returns whether a syntax node is still reachable, for the kinds of
// nodes a lowering could keep.
func alive(n hclsyntax.Node) func() bool {
	switch x := n.(type) {
	case *hclsyntax.Body:
		return weakly(x)
	case *hclsyntax.TemplateExpr:
		return weakly(x)
	case *hclsyntax.ScopeTraversalExpr:
		return weakly(x)
	case *hclsyntax.FunctionCallExpr:
		return weakly(x)
	case *hclsyntax.ObjectConsExpr:
		return weakly(x)
	case *hclsyntax.TupleConsExpr:
		return weakly(x)
	case *hclsyntax.LiteralValueExpr:
		return weakly(x)
	}
	return nil
}

func weakly[T any](p *T) func() bool {
	w := weak.Make(p)
	return func() bool { return w.Value() != nil }
}
