package harness

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/isolint/isolint/internal/golden"
	"github.com/isolint/isolint/output"
)

// TestGolden pins the whole text, JSON and SARIF output for the bundled
// example and for a small dedicated input (testdata/golden/input: waivers,
// a broken document, a binary file, a path with a space). Rule changes
// change these files: regenerate with `go test ./... -update` and review
// the diff.
func TestGolden(t *testing.T) {
	root := moduleRoot(t)
	for _, c := range []struct{ name, path string }{
		{"examples", "examples"},
		{"input", "testdata/golden/input"},
		{"kustomize", "testdata/k8s/projects/kustomize-overlay"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := scanUnit(t, root, Unit{Path: filepath.Join(root, c.path)})
			opts := output.Options{Version: "test", Cwd: root, SARIFCategory: "isolint"}
			for _, f := range []struct {
				ext   string
				write output.Writer
			}{{"txt", output.Text}, {"json", output.JSON}, {"sarif", output.SARIF}} {
				var b bytes.Buffer
				if err := f.write(&b, res, opts); err != nil {
					t.Fatal(err)
				}
				if f.ext == "txt" {
					b.WriteString("--- stderr ---\n")
					output.TextSummary(&b, res, opts)
				}
				golden.Check(t, filepath.Join(root, "testdata/golden", c.name+"."+f.ext), b.Bytes())
			}
		})
	}
}
