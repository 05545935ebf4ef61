package discover

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	_ "github.com/isolint/isolint/internal/golden" // accepts -update, so `go test ./... -update` runs everywhere
	"github.com/isolint/isolint/internal/testfiles"
)

func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	testfiles.WriteTree(t, dir, files)
	return dir
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func yamlOnly(p string) bool { return strings.HasSuffix(p, ".yaml") }

func walk(t *testing.T, opts Options) *Result {
	t.Helper()
	if opts.Wanted == nil {
		opts.Wanted = yamlOnly
	}
	res, err := Walk(opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func paths(res *Result) string {
	var out []string
	for _, c := range res.Files {
		out = append(out, c.Path)
	}
	return strings.Join(out, " ")
}

func notices(res *Result) string {
	var out []string
	for _, n := range res.Notices {
		out = append(out, n.Loc.File+": "+n.Message)
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

func TestGitignore(t *testing.T) {
	dir := tree(t, map[string]string{
		".gitignore":             "# generated\n*.gen.yaml\nbuild/\n/top.yaml\n!keep.gen.yaml\n",
		"a.yaml":                 "",
		"x.gen.yaml":             "",
		"keep.gen.yaml":          "",
		"top.yaml":               "",
		"build/out.yaml":         "",
		"sub/build":              "", // a file named build: dir-only pattern does not match it
		"sub/top.yaml":           "", // /top.yaml is anchored to the root
		"sub/y.gen.yaml":         "",
		"sub/.gitignore":         "local.yaml\n!x.gen.yaml\ndeep/\n",
		"sub/local.yaml":         "",
		"sub/x.gen.yaml":         "", // re-included by the nested negation
		"sub/deep/z.yaml":        "",
		"other/local.yaml":       "", // the nested file's patterns apply only below sub/
		"sub/inner/.gitignore":   "*.yaml\n!wanted.yaml\n",
		"sub/inner/wanted.yaml":  "",
		"sub/inner/dropped.yaml": "",
	})
	got := paths(walk(t, Options{Roots: []string{dir}, Base: dir}))
	want := "a.yaml keep.gen.yaml other/local.yaml sub/inner/wanted.yaml sub/top.yaml sub/x.gen.yaml"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestConfigExcludes(t *testing.T) {
	dir := tree(t, map[string]string{
		"deploy/app.yaml":           "",
		"deploy/test/fixture.yaml":  "",
		"charts/x/templates/a.yaml": "",
		"charts/x/values.yaml":      "",
		"docs/example.yaml":         "",
	})
	res := walk(t, Options{Roots: []string{dir}, Base: dir, Exclude: []string{"**/test/**", "charts/*/templates", "docs/*.yaml"}})
	if got, want := paths(res), "charts/x/values.yaml deploy/app.yaml"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// globs also match relative to the config file's directory
	res = walk(t, Options{Roots: []string{filepath.Join(dir, "deploy")}, Base: dir, Exclude: []string{"test/**"},
		ExcludeRel: func(abs string) string {
			rel, _ := filepath.Rel(filepath.Join(dir, "deploy"), abs)
			return filepath.ToSlash(rel)
		}})
	if got, want := paths(res), "deploy/app.yaml"; got != want {
		t.Errorf("config-relative: got %s, want %s", got, want)
	}
}

// TestPrunedDirsNeverEntered: a broken symlink inside each pruned
// directory would be noticed if the walk went in.
func TestPrunedDirsNeverEntered(t *testing.T) {
	files := map[string]string{"app.yaml": ""}
	for _, d := range []string{".git", "node_modules", ".terraform", "vendor", "sub/node_modules", "sub/vendor"} {
		files[d+"/inside.yaml"] = ""
	}
	dir := tree(t, files)
	for _, d := range []string{".git", "node_modules", ".terraform", "vendor", "sub/node_modules", "sub/vendor"} {
		symlink(t, "/nonexistent/target", filepath.Join(dir, d, "broken.yaml"))
	}
	res := walk(t, Options{Roots: []string{dir}, Base: dir})
	if got := paths(res); got != "app.yaml" {
		t.Errorf("got %s, want app.yaml", got)
	}
	if n := notices(res); n != "" {
		t.Errorf("the walk entered a pruned directory:\n%s", n)
	}
}

func TestSymlinks(t *testing.T) {
	outside := tree(t, map[string]string{"secret.yaml": "", "dir/x.yaml": ""})
	dir := tree(t, map[string]string{"real/app.yaml": "", "real/more/b.yaml": ""})
	symlink(t, "real", filepath.Join(dir, "alias"))                                 // dir symlink inside the root
	symlink(t, "real/app.yaml", filepath.Join(dir, "link.yaml"))                    // file symlink inside the root
	symlink(t, filepath.Join(outside, "secret.yaml"), filepath.Join(dir, "s.yaml")) // leaves the root
	symlink(t, filepath.Join(outside, "dir"), filepath.Join(dir, "escape"))         // leaves the root
	symlink(t, "../../real", filepath.Join(dir, "real/more/up"))                    // a loop back up
	symlink(t, ".", filepath.Join(dir, "self"))                                     // a loop to itself
	symlink(t, "loop2", filepath.Join(dir, "loop1.yaml"))                           // a cycle of links
	symlink(t, "loop1.yaml", filepath.Join(dir, "loop2"))

	symlink(t, filepath.Join(dir, "real/more"), filepath.Join(dir, "only-link/m")) // a linked dir reached first through a link
	res := walk(t, Options{Roots: []string{dir}, Base: dir})
	// each real file once, under its own path rather than a link's
	if got, want := paths(res), "real/app.yaml real/more/b.yaml"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for _, c := range res.Files {
		if !strings.HasPrefix(c.Real, dir) {
			t.Errorf("%s resolves outside the root: %s", c.Path, c.Real)
		}
	}
	n := notices(res)
	for _, want := range []string{
		"escape: symlink points outside the scanned root; not followed",
		"s.yaml: symlink points outside the scanned root; not followed",
		"loop1.yaml: symlink is broken or loops; not followed",
	} {
		if !strings.Contains(n, want) {
			t.Errorf("notices lack %q:\n%s", want, n)
		}
	}
	if strings.Contains(n, outside) {
		t.Errorf("a notice names the outside target:\n%s", n)
	}
}

func TestExplicitFiles(t *testing.T) {
	dir := tree(t, map[string]string{
		".gitignore":       "ignored.yaml\n",
		"ignored.yaml":     "",
		"notes.txt":        "",
		"deploy/app.yaml":  "",
		"deploy/test.yaml": "",
	})
	res := walk(t, Options{
		Roots:   []string{filepath.Join(dir, "notes.txt"), filepath.Join(dir, "ignored.yaml"), filepath.Join(dir, "deploy"), filepath.Join(dir, "deploy/app.yaml")},
		Base:    dir,
		Exclude: []string{"deploy/test.yaml"},
	})
	// named files are read whatever their name; a file named and also
	// found in a directory is read once
	if got, want := paths(res), "deploy/app.yaml ignored.yaml notes.txt"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for _, c := range res.Files {
		if c.Path == "deploy/app.yaml" && !c.Explicit {
			t.Error("deploy/app.yaml was named, but is not marked explicit")
		}
	}
	if _, err := Walk(Options{Roots: []string{filepath.Join(dir, "missing.yaml")}}); err == nil || !strings.Contains(err.Error(), "no such file or directory") {
		t.Errorf("missing root: err = %v", err)
	}
}

func TestOversizeSkipped(t *testing.T) {
	dir := tree(t, map[string]string{"small.yaml": "a: 1\n", "big.yaml": strings.Repeat("a: 1\n", 100)})
	res := walk(t, Options{Roots: []string{dir}, Base: dir, MaxFileSize: 100})
	if got := paths(res); got != "small.yaml" {
		t.Errorf("got %s, want small.yaml", got)
	}
	if len(res.Oversize) != 1 || res.Oversize[0].Path != "big.yaml" || res.Oversize[0].Size != 500 {
		t.Errorf("oversize = %v", res.Oversize)
	}
	if n := notices(res); !strings.Contains(n, "big.yaml: skipped: 500 bytes is over the 100-byte size limit (--max-file-size)") {
		t.Errorf("notices: %s", n)
	}
}

// TestManyDirectoriesTerminates: a wide and deep tree with symlink loops
// at every level finishes, each file found once.
func TestManyDirectoriesTerminates(t *testing.T) {
	files := map[string]string{}
	for i := range 50 {
		files[filepath.ToSlash(filepath.Join("d"+string(rune('a'+i%26)), "e"+string(rune('a'+i/26)), "f.yaml"))] = ""
	}
	dir := tree(t, files)
	for _, d := range []string{"da", "db/ea", "dc"} {
		symlink(t, "..", filepath.Join(dir, d, "parent"))
		symlink(t, dir, filepath.Join(dir, d, "root"))
	}
	res := walk(t, Options{Roots: []string{dir, dir, filepath.Join(dir, "da")}, Base: dir, Workers: 8})
	if len(res.Files) != 50 {
		t.Errorf("%d files, want 50", len(res.Files))
	}
}

// TestSymlinkChoiceDeterministic: a directory reached only through links
// is always shown under the same one, however the walk is scheduled.
func TestSymlinkChoiceDeterministic(t *testing.T) {
	dir := tree(t, map[string]string{"vendor/x.yaml": "", "vendor/sub/y.yaml": ""}) // pruned: reached only through links
	for _, l := range []string{"z/l", "a/b/c/l", "m/l"} {
		symlink(t, filepath.Join(dir, "vendor"), filepath.Join(dir, l))
	}
	symlink(t, filepath.Join(dir, "vendor/sub"), filepath.Join(dir, "a/sub"))
	for i := range 30 {
		if got, want := paths(walk(t, Options{Roots: []string{dir}, Base: dir, Workers: 8})), "a/b/c/l/sub/y.yaml a/b/c/l/x.yaml"; got != want {
			t.Fatalf("run %d: got %s, want %s", i, got, want)
		}
	}
}
