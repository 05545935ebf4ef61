package k8s

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/isolint/isolint/internal/golden" // accepts -update, so `go test ./... -update` runs everywhere
	"github.com/isolint/isolint/model"
)

// FuzzLower scans arbitrary bytes as a Kubernetes file: nothing may panic,
// every location must lie inside the file, and no notice may quote a
// value (a planted token must never come back in a message).
func FuzzLower(f *testing.F) {
	for _, glob := range []string{"../../testdata/k8s/*.yaml", "../../testdata/hostile/*", "../../examples/*/*/*.yaml"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      env:\n        - {name: TOKEN, value: ghp_PLANTEDPLANTED}\n"))
	s := New(Options{CustomKinds: []CustomKind{{APIVersion: "example.com/v1", Kind: "Runner", PodSpec: "spec.pod"}}})
	f.Fuzz(func(t *testing.T, b []byte) {
		p := s.Scan("f.yaml", b)
		lines := 1 + bytes.Count(b, []byte("\n"))
		check := func(what string, l model.Location) {
			if l.IsZero() {
				return
			}
			if l.File != "f.yaml" || l.Line < 1 || l.Line > lines || (l.Col < 1 && !l.Synthetic) {
				t.Fatalf("%s at %+v, outside the file (%d lines)", what, l, lines)
			}
		}
		for _, n := range p.Notices {
			check("notice", n.Loc)
			if strings.Contains(n.Message, "PLANTED") {
				t.Fatalf("notice quotes a value: %s", n.Message)
			}
		}
		for _, w := range p.Workloads {
			check("workload", w.Loc)
			check("workload spec", w.SpecLoc)
			check("hostNetwork", w.HostNetwork.Loc)
			for _, c := range w.Containers {
				check("container", c.Loc)
				for _, e := range c.Env {
					check("env", e.Loc)
				}
				for _, m := range c.Mounts {
					check("mount", m.Loc)
				}
			}
		}
	})
}
