package golang

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
)

func files(kv ...string) []*source.File {
	var out []*source.File
	for i := 0; i < len(kv); i += 2 {
		out = append(out, &source.File{Path: kv[i], Content: []byte(kv[i+1])})
	}
	return out
}

func TestSkip(t *testing.T) {
	for rel, want := range map[string]bool{
		"main.go":                    false,
		"cmd/tool/main.go":           false,
		"main_test.go":               true,
		"pkg/x_test.go":              true,
		"testdata/fake.go":           true,
		"pkg/testdata/src/a/a.go":    true,
		"pkg/testdatax/a.go":         false,
		"pkg/mytestdata/a.go":        false,
		"testdata.go":                false,
		"internal/test_helpers.go":   false,
		"internal/tests/fixtures.go": false,
	} {
		if got := Skip(rel); got != want {
			t.Errorf("Skip(%q) = %v, want %v", rel, got, want)
		}
	}
}

func TestGuessName(t *testing.T) {
	for path, want := range map[string]string{
		"os/exec":                           "exec",
		"golang.org/x/sys/unix":             "unix",
		"gopkg.in/yaml.v3":                  "yaml",
		"github.com/spf13/cobra":            "cobra",
		"github.com/hashicorp/hcl/v2":       "hcl",
		"github.com/mattn/go-sqlite3":       "sqlite3",
		"github.com/owenrumney/go-sarif/v2": "sarif",
		"example.com/x/some-lib":            "some_lib",
	} {
		if got := guessName(path); got != want {
			t.Errorf("guessName(%q) = %q, want %q", path, got, want)
		}
	}
}

const launch = `package main

import "os/exec"

func main() {
	exec.Command("x").Run()
}
`

func TestColumnsCountRunes(t *testing.T) {
	src := "package main\n\nimport \"os/exec\"\n\nfunc main() {\n\t_ = \"héllo wörld\"; exec.Command(\"x\").Run()\n}\n"
	p := ScanAll(files("main.go", src))
	if len(p.Subprocesses) != 1 {
		t.Fatalf("%d subprocesses", len(p.Subprocesses))
	}
	l := p.Subprocesses[0].Loc
	// a tab and `_ = "héllo wörld"; ` are 20 code points (22 bytes)
	if l.Line != 6 || l.Col != 21 || l.EndCol != 33 {
		t.Errorf("location %d:%d-%d, want 6:21-33", l.Line, l.Col, l.EndCol)
	}
	if l.Object != "main.main" || l.Path != "main/exec.Command#1" {
		t.Errorf("object %q path %q", l.Object, l.Path)
	}
}

func TestLineDirectiveDoesNotMoveFindings(t *testing.T) {
	src := "package main\n\nimport \"os/exec\"\n\n//line parser.y:100\nfunc main() {\n\texec.Command(\"x\").Run()\n}\n"
	p := ScanAll(files("gen.go", src))
	if len(p.Subprocesses) != 1 {
		t.Fatalf("%d subprocesses", len(p.Subprocesses))
	}
	if l := p.Subprocesses[0].Loc; l.File != "gen.go" || l.Line != 7 {
		t.Errorf("location %s, want gen.go:7", l)
	}
}

func TestSyntaxErrorNoticeHidesLiterals(t *testing.T) {
	src := "package main\n\nimport \"os/exec\"\n\nfunc main() {\n\texec.Command(\"x\").Run()\n\tx := \"ghp_secretvalue\" \"second\"\n}\n"
	p := ScanAll(files("main.go", src))
	if len(p.Notices) != 1 {
		t.Fatalf("notices: %+v", p.Notices)
	}
	n := p.Notices[0]
	if n.Level != model.NoticeError || n.Loc.Line != 7 || n.Loc.Col != 25 {
		t.Errorf("notice %+v, want an error at 7:25", n)
	}
	if strings.Contains(n.Message, "secret") || strings.Contains(n.Message, "second") {
		t.Errorf("notice quotes the source: %s", n.Message)
	}
	// what parses is still checked
	if len(p.Subprocesses) != 1 {
		t.Errorf("%d subprocesses in the parsed part", len(p.Subprocesses))
	}
}

func TestPackagesWithoutLaunchesAreNotParsed(t *testing.T) {
	// a syntax error in a package that starts no process is not reported:
	// the package is never parsed
	p := ScanAll(files("util/util.go", "package util\n\nfunc f( {\n", "main.go", launch))
	if len(p.Notices) != 0 {
		t.Errorf("notices: %+v", p.Notices)
	}
	// database/sql's Exec is not a process
	if mayLaunch([]byte("package db\n\nimport \"database/sql\"\n\nfunc f(db *sql.DB) { db.Exec(\"x\") }\n")) {
		t.Error("db.Exec taken for a process start")
	}
	for _, src := range []string{
		`import "os/exec"`, `import x "golang.org/x/sys/execabs"`, `os.StartProcess(`, `syscall.ForkExec(`,
		"import \"syscall\"\nsyscall.Exec(", "import \"golang.org/x/sys/unix\"\nunix.Exec(",
	} {
		if !mayLaunch([]byte(src)) {
			t.Errorf("mayLaunch(%q) = false", src)
		}
	}
}

func TestFilesOfOnePackageAreCheckedTogether(t *testing.T) {
	p := ScanAll(files(
		"git/git.go", "package git\n\nimport \"os/exec\"\n\nfunc cmd(args ...string) *exec.Cmd { return exec.Command(\"git\", args...) }\n",
		"git/status.go", "package git\n\nfunc Status() ([]byte, error) { return cmd(\"status\").Output() }\n",
		// another package in the same directory (an external test
		// package, or a generator program) is checked on its own
		"git/gen.go", "//go:build ignore\n\npackage main\n\nimport \"os/exec\"\n\nfunc main() { exec.Command(\"go\", \"generate\").Run() }\n",
	))
	var got []string
	for _, s := range p.Subprocesses {
		got = append(got, fmt.Sprintf("%s:%d %s inherits=%v via=%d", s.Loc.File, s.Loc.Line, s.Func, s.EnvInherits, len(s.Via)))
	}
	want := []string{"git/git.go:5 cmd inherits=true via=1", "git/gen.go:7 main inherits=true via=0"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestBuildsArePlatformAware(t *testing.T) {
	// each platform declares its own factory; one package check would see
	// one of them, redeclared
	p := ScanAll(files(
		"run/cmd_unix.go", "//go:build unix\n\npackage run\n\nimport \"os/exec\"\n\nfunc shell(s string) *exec.Cmd { return exec.Command(\"sh\", \"-c\", s) }\n",
		"run/cmd_windows.go", "package run\n\nimport \"os/exec\"\n\nfunc shell(s string) *exec.Cmd {\n\tc := exec.Command(\"cmd\", \"/c\", s)\n\tc.Env = []string{\"SystemRoot=C:\\\\Windows\"}\n\treturn c\n}\n",
		"run/run.go", "package run\n\nfunc Run(s string) error { return shell(s).Run() }\n",
		"run/integration.go", "//go:build integration\n\npackage run\n\nimport \"os/exec\"\n\nfunc it() { exec.Command(\"it\").Run() }\n",
	))
	var got []string
	for _, s := range p.Subprocesses {
		got = append(got, fmt.Sprintf("%s inherits=%v unknown=%v", s.Loc.File, s.EnvInherits, s.Unknown))
	}
	want := []string{
		"run/cmd_unix.go inherits=true unknown=false",
		"run/cmd_windows.go inherits=false unknown=false",
		"run/integration.go inherits=true unknown=false",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestBuildSets(t *testing.T) {
	units := []unit{
		{"a.go", []byte("package p\n")},
		{"a_linux.go", []byte("package p\n")},
		{"a_windows.go", []byte("package p\n")},
		{"b.go", []byte("//go:build darwin || freebsd\n\npackage p\n")},
		{"gen.go", []byte("//go:build ignore\n\npackage p\n")},
		{"c.go", []byte("//go:build !nofancy\n\npackage p\n")},
		{"d.go", []byte("//go:build plan9\n\npackage p\n")},
	}
	got := buildSets(units)
	want := [][]int{{0, 1, 5}, {0, 1}, {0, 3, 5}, {0, 3}, {0, 2, 5}, {0, 2}, {4}, {6}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("buildSets = %v, want %v", got, want)
	}
}

func TestDeterministic(t *testing.T) {
	var fs []*source.File
	for i := range 30 {
		fs = append(fs, files(fmt.Sprintf("p%d/a.go", i), launching(fmt.Sprintf("p%d", i), i))...)
	}
	first := ScanAll(fs)
	for range 5 {
		if got := ScanAll(fs); !reflect.DeepEqual(got, first) {
			t.Fatal("ScanAll differs between runs")
		}
	}
}

// TestFactoryFanOutIsBounded: factories calling factories, each from many
// places (64,000 ways from exec.Command to Run here), are followed up to a
// bound and then unknown, not enumerated.
func TestFactoryFanOutIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("package fan\n\nimport \"os/exec\"\n\nfunc f0() *exec.Cmd { return exec.Command(\"x\") }\n")
	for level := 1; level <= 3; level++ {
		fmt.Fprintf(&b, "\nfunc f%d(n int) *exec.Cmd {\n\tswitch n {\n", level)
		for i := range 40 {
			fmt.Fprintf(&b, "\tcase %d:\n\t\treturn f%d(%s)\n", i, level-1, map[bool]string{true: "", false: "n"}[level == 1])
		}
		b.WriteString("\t}\n\treturn nil\n}\n")
	}
	b.WriteString("\nfunc Run() { f3(1).Run() }\n")
	p := ScanAll(files("fan/fan.go", b.String()))
	if len(p.Subprocesses) != 1 || !p.Subprocesses[0].Unknown {
		t.Errorf("subprocesses %+v, want one unknown", p.Subprocesses)
	}
}
