package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoVetVettool builds isolint-vet and runs it as `go vet -vettool` on
// a small module: the documented way to use the analyzer.
func TestGoVetVettool(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs go vet")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	tool := filepath.Join(dir, "isolint-vet")
	build := exec.Command(gobin, "build", "-o", tool, ".")
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false") // isolint:ignore subprocess-inherits-env -- the go command needs the toolchain environment
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	mod := filepath.Join(dir, "mod")
	for name, src := range map[string]string{
		"go.mod": "module example.com/vetme\n\ngo 1.22\n",
		"main.go": `package main

import (
	"os"
	"os/exec"
)

func main() {
	exec.Command("git", "fetch").Run()
	c := exec.Command("ls")
	c.Env = []string{"PATH=" + os.Getenv("PATH")}
	c.Run()
}
`,
		"main_test.go": "package main\n\nimport (\n\t\"os/exec\"\n\t\"testing\"\n)\n\nfunc TestX(t *testing.T) { exec.Command(\"true\").Run() }\n",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(mod, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(mod, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	vet := exec.Command(gobin, "vet", "-vettool="+tool, "./...")
	vet.Dir = mod
	vet.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false", "GOWORK=off") // isolint:ignore subprocess-inherits-env -- the go command needs the toolchain environment
	var out bytes.Buffer
	vet.Stdout, vet.Stderr = &out, &out
	if err := vet.Run(); err == nil {
		t.Fatalf("go vet succeeded; want a report:\n%s", out.String())
	}
	got := out.String()
	if !strings.Contains(got, "main.go:9:2: exec.Command in main starts a process with Cmd.Env unset") {
		t.Errorf("go vet output lacks the finding:\n%s", got)
	}
	if strings.Count(got, "starts a process") != 1 || strings.Contains(got, "main_test.go") {
		t.Errorf("want exactly one report, none in the test file:\n%s", got)
	}
}
