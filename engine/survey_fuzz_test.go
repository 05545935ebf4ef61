package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzFileWorker runs arbitrary bytes through a file worker as a
// Kubernetes file, a settled workflow and a Compose file: scanner, checks
// and the fix survey on the scanner's trees. A panic anywhere is recovered
// into an "internal error" notice so that one file cannot end a scan; the
// fuzzer treats such a notice as the failure it is.
func FuzzFileWorker(f *testing.F) {
	for _, glob := range []string{"../testdata/k8s/*.yaml", "../testdata/gha/*.yml", "../testdata/compose/*.yml", "../examples/*/*/*.yaml"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil && len(b) < 32<<10 {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		for _, p := range []string{"deploy.yaml", ".github/workflows/ci.yml", "compose.yaml"} {
			full := filepath.Join(dir, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		res, err := Run(Options{Paths: []string{dir}, Base: dir, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range res.Notices {
			if strings.Contains(n.Message, "internal error") {
				t.Fatalf("%s: %s", n.Loc.File, n.Message)
			}
		}
	})
}
