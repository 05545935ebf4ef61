package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isolint/isolint/engine"
)

const unfixedWorkflow = `on: pull_request
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4 # keep this comment
      - run: make test
`

const unfixedPod = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  serviceAccountName: web
  containers:
    - name: web
      image: example/web:1
`

func TestFixDryRunWritesNothing(t *testing.T) {
	dir := tree(t, map[string]string{".github/workflows/ci.yml": unfixedWorkflow, "pod.yaml": unfixedPod})
	snapshot := func() map[string]string {
		out := map[string]string{}
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := os.ReadFile(p)
				info, _ := d.Info()
				out[p] = string(b) + info.ModTime().String()
			}
			return nil
		})
		return out
	}
	before := snapshot()
	code, stdout, stderr := cli(t, dir, "fix", ".")
	if code != exitFindings {
		t.Fatalf("dry run with edits exited %d, want %d; stderr:\n%s", code, exitFindings, stderr)
	}
	for _, want := range []string{"--- a/.github/workflows/ci.yml", "+        with:", "+          persist-credentials: false", "+        allowPrivilegeEscalation: false"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("diff lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "automountServiceAccountToken") {
		t.Errorf("an unsafe fix was shown without --unsafe:\n%s", stdout)
	}
	if !strings.Contains(stderr, "would fix 2 finding(s) in 2 file(s)") || !strings.Contains(stderr, "more with --unsafe") {
		t.Errorf("summary: %s", stderr)
	}
	after := snapshot()
	if len(after) != len(before) {
		t.Fatalf("the dry run created or removed files: %d → %d", len(before), len(after))
	}
	for p, s := range before {
		if after[p] != s {
			t.Errorf("the dry run changed %s", p)
		}
	}
}

func TestFixWriteThenNothingLeft(t *testing.T) {
	dir := tree(t, map[string]string{".github/workflows/ci.yml": unfixedWorkflow, "pod.yaml": unfixedPod})
	if code, _, stderr := cli(t, dir, "fix", "--write", "--unsafe", "."); code != exitOK {
		t.Fatalf("fix --write exited %d: %s", code, stderr)
	}
	wf, _ := os.ReadFile(filepath.Join(dir, ".github/workflows/ci.yml"))
	if !strings.Contains(string(wf), "- uses: actions/checkout@v4 # keep this comment\n        with:\n          persist-credentials: false\n") {
		t.Errorf("workflow after the fix:\n%s", wf)
	}
	pod, _ := os.ReadFile(filepath.Join(dir, "pod.yaml"))
	for _, want := range []string{"  automountServiceAccountToken: false\n", "      securityContext:\n        allowPrivilegeEscalation: false\n        runAsNonRoot: true\n        readOnlyRootFilesystem: true\n"} {
		if !strings.Contains(string(pod), want) {
			t.Errorf("pod lacks %q:\n%s", want, pod)
		}
	}
	code, stdout, _ := cli(t, dir, "fix", "--unsafe", ".")
	if code != exitOK || stdout != "" {
		t.Errorf("a second run still has edits (exit %d):\n%s", code, stdout)
	}
}

func TestFixRuleFilter(t *testing.T) {
	dir := tree(t, map[string]string{".github/workflows/ci.yml": unfixedWorkflow, "pod.yaml": unfixedPod})
	code, stdout, _ := cli(t, dir, "fix", "--rule", "privilege-escalation", ".")
	if code != exitFindings || strings.Contains(stdout, "persist-credentials") || !strings.Contains(stdout, "allowPrivilegeEscalation") {
		t.Errorf("--rule privilege-escalation (exit %d):\n%s", code, stdout)
	}
	if code, _, stderr := cli(t, dir, "fix", "--rule", "host-network", "."); code != exitUsage || !strings.Contains(stderr, "no mechanical fix") {
		t.Errorf("--rule without a fix: exit %d, %s", code, stderr)
	}
}

// Removing SYS_ADMIN makes allowPrivilegeEscalation: false possible: one
// run makes both edits, the dry run shows both, and a second run has none.
func TestFixChainsInOneRun(t *testing.T) {
	pod := `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  serviceAccountName: web
  automountServiceAccountToken: false
  containers:
    - name: web
      image: example/web:1
      securityContext:
        runAsNonRoot: true
        readOnlyRootFilesystem: true
        capabilities:
          add:
            - SYS_ADMIN
`
	dir := tree(t, map[string]string{"pod.yaml": pod})
	code, stdout, _ := cli(t, dir, "fix", "--unsafe", ".")
	if code != exitFindings || !strings.Contains(stdout, "-            - SYS_ADMIN") || !strings.Contains(stdout, "+        allowPrivilegeEscalation: false") {
		t.Fatalf("dry run (exit %d):\n%s", code, stdout)
	}
	if code, _, stderr := cli(t, dir, "fix", "--unsafe", "--write", "."); code != exitOK {
		t.Fatalf("write: exit %d %s", code, stderr)
	}
	if code, stdout, _ := cli(t, dir, "fix", "--unsafe", "."); code != exitOK || stdout != "" {
		t.Errorf("second run (exit %d):\n%s", code, stdout)
	}
}

// A file the scan could not read is said to be unconsidered: "nothing to
// fix" must not read as "clean".
func TestFixSaysWhatItCouldNotRead(t *testing.T) {
	dir := tree(t, map[string]string{"pod.yaml": unfixedPod, "broken.yaml": "apiVersion: v1\nkind: Pod\nspec: [\n"})
	code, _, stderr := cli(t, dir, "fix", "--rule", "runs-as-root", ".")
	if code != exitOK || !strings.Contains(stderr, "1 file(s) or part(s) could not be read or rendered and were not considered") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// TestFixPanicChangesNothing: a panic while the edits are planned (an
// isolint bug the input found) ends `isolint fix` with exit 2 and no file
// changed, whichever goroutine planned the file.
func TestFixPanicChangesNothing(t *testing.T) {
	defer func(r func(*engine.Result, map[string][]byte) func(string) ([]byte, error)) { readerOf = r }(readerOf)
	readerOf = func(*engine.Result, map[string][]byte) func(string) ([]byte, error) {
		return func(string) ([]byte, error) { panic("fixer bug") }
	}
	dir := tree(t, map[string]string{".github/workflows/ci.yml": unfixedWorkflow, "pod.yaml": unfixedPod})
	code, _, stderr := cli(t, dir, "fix", "--write", ".")
	if code != exitUsage || !strings.Contains(stderr, "internal error while planning the edits (please report it): no file was changed") || strings.Contains(stderr, "fixer bug") {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitUsage, stderr)
	}
	for p, want := range map[string]string{".github/workflows/ci.yml": unfixedWorkflow, "pod.yaml": unfixedPod} {
		if b, _ := os.ReadFile(filepath.Join(dir, p)); string(b) != want {
			t.Errorf("%s changed:\n%s", p, b)
		}
	}
}
