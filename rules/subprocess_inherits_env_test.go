package rules

import (
	"strings"
	"testing"

	"github.com/isolint/isolint/scanners/golang"
	"github.com/isolint/isolint/source"
)

// Go files lowered by the real Go scanner: what the fixture harness does
// not see (related locations, objects, values kept out of messages).
func scanGo(t *testing.T, kv ...string) []Finding {
	t.Helper()
	var files []*source.File
	for i := 0; i+1 < len(kv); i += 2 {
		files = append(files, &source.File{Path: kv[i], Content: []byte(kv[i+1])})
	}
	proj := golang.ScanAll(files)
	for _, n := range proj.Notices {
		t.Fatalf("unexpected notice %s: %s", n.Loc, n.Message)
	}
	return Run([]*Rule{ByID("subprocess-inherits-env")}, proj, Options{})
}

func TestSubprocessFindings(t *testing.T) {
	fs := scanGo(t,
		"tool/git.go", `package tool

import (
	"os"
	"os/exec"
)

func git(args ...string) *exec.Cmd {
	return exec.Command("git", args...)
}

func Fetch() error {
	return git("fetch").Run()
}

func Push(token string) error {
	c := git("push")
	c.Env = append(os.Environ(), "GIT_TOKEN=ghp_notinanymessage")
	return c.Run()
}

func Explicit() error {
	c := git("status")
	c.Env = []string{"PATH=/usr/bin"}
	return c.Run()
}

func Unknown(env []string) error {
	c := git("log")
	c.Env = env
	return c.Run()
}
`)
	if len(fs) != 2 {
		t.Fatalf("%d findings, want 2: %+v", len(fs), fs)
	}
	unset, environ := fs[0], fs[1]
	if unset.Loc.Line == environ.Loc.Line {
		unset, environ = environ, unset
	}
	if unset.Loc.Line != 9 || unset.Object != "tool.git" || unset.Workload != "git" ||
		len(unset.Related) != 1 || unset.Related[0].Loc.Line != 13 {
		t.Errorf("factory finding: %+v", unset)
	}
	if environ.Loc.Line != 18 || environ.Loc.Col != 10 || environ.Object != "tool.git" ||
		len(environ.Related) < 1 || environ.Related[0].Loc.Line != 9 || environ.Related[0].Message != "the process is made here" {
		t.Errorf("os.Environ() finding: %+v", environ)
	}
	if !strings.Contains(environ.Message, "set from os.Environ()") {
		t.Errorf("message %q", environ.Message)
	}
	for _, f := range fs {
		if strings.Contains(f.Message, "ghp_") || strings.Contains(f.Message, "GIT_TOKEN") {
			t.Errorf("message quotes the source: %s", f.Message)
		}
		if f.Loc.Path == "" || f.Confidence != ConfidenceHigh || f.Severity != Medium {
			t.Errorf("finding %+v", f)
		}
	}
}
