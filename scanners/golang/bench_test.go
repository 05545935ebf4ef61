package golang

import (
	"fmt"
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isolint/isolint/source"
)

// launching is a package file that starts processes in the shapes real
// tools use (helpers, factories, fields), padded with ordinary code.
func launching(pkg string, i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `package %s

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

type runner%d struct {
	dir string
	cmd *exec.Cmd
}

func (r *runner%d) git(args ...string) *exec.Cmd {
	c := exec.Command("git", args...)
	c.Dir = r.dir
	return c
}

func (r *runner%d) status(ctx context.Context) (string, error) {
	out, err := r.git("status", "--porcelain").Output()
	if err != nil {
		return "", fmt.Errorf("git status in %%s: %%w", r.dir, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func (r *runner%d) build(ctx context.Context, env []string) error {
	cmd := exec.CommandContext(ctx, "make", "-C", r.dir)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

func (r *runner%d) start() error {
	r.cmd = exec.Command("server", "--dir", r.dir)
	r.cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	return r.cmd.Start()
}
`, pkg, i, i, i, i, i)
	for j := range 20 {
		fmt.Fprintf(&b, `
func helper%d_%d(xs []string) map[string]int {
	m := make(map[string]int, len(xs))
	for i, x := range xs {
		if strings.HasPrefix(x, "#") {
			continue
		}
		m[strings.ToLower(x)] = i
	}
	return m
}
`, i, j)
	}
	return b.String()
}

func corpus(pkgs, filesPer int) ([]*source.File, int64) {
	var files []*source.File
	var n int64
	for p := range pkgs {
		for f := range filesPer {
			c := []byte(launching(fmt.Sprintf("pkg%d", p), f))
			files = append(files, &source.File{Path: fmt.Sprintf("pkg%d/file%d.go", p, f), Content: c})
			n += int64(len(c))
		}
	}
	return files, n
}

// BenchmarkScanAllLaunching checks 200 files (40 packages of 5) that all
// start processes: every file is parsed and type-checked, the worst case.
func BenchmarkScanAllLaunching(b *testing.B) {
	files, n := corpus(40, 5)
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		if p := ScanAll(files); len(p.Subprocesses) != 3*200 {
			b.Fatalf("%d subprocesses", len(p.Subprocesses))
		}
	}
	b.ReportMetric(float64(len(files))*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkScanAllSmall is the pre-commit case: one package of two files.
func BenchmarkScanAllSmall(b *testing.B) {
	files, n := corpus(1, 2)
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		ScanAll(files)
	}
	b.ReportMetric(float64(len(files))*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkScanAllGOROOT scans the standard library and commands of the Go
// installation running the benchmark (tests and testdata left out, as the
// scan does by default, and vendor/ pruned as the walk does): a large real code base where most packages start
// no process.
func BenchmarkScanAllGOROOT(b *testing.B) {
	root := filepath.Join(build.Default.GOROOT, "src")
	var files []*source.File
	var n int64
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() && d.Name() == "vendor" {
			return filepath.SkipDir // the walk prunes vendored code
		}
		if d.IsDir() || !ClaimPath(rel) || Skip(rel) {
			return nil
		}
		c, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files = append(files, &source.File{Path: rel, Content: c})
		n += int64(len(c))
		return nil
	})
	if err != nil || len(files) == 0 {
		b.Skipf("no Go sources under %s: %v", root, err)
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		ScanAll(files)
	}
	b.ReportMetric(float64(len(files))*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
