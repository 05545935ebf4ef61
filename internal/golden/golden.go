// Package golden compares test output with checked-in golden files and
// rewrites them under `go test -update`. Every test package that pins an
// output imports it, so one flag regenerates all of them:
//
//	go test ./... -update
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Update is the -update flag: rewrite golden files instead of comparing.
var Update = flag.Bool("update", false, "rewrite golden files and generated docs instead of comparing")

// Check compares got with the golden file at path (rewriting it under
// -update) and reports the first differing lines.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./... -update` to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s is stale (review, then run `go test ./... -update`):\n%s", path, Diff(want, got))
	}
}

// Diff describes the first few differing lines of two texts.
func Diff(want, got []byte) string {
	wl := strings.Split(string(want), "\n")
	gl := strings.Split(string(got), "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(wl), len(gl)) && shown < 8; i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g || (i >= len(wl)) != (i >= len(gl)) {
			w, g = around(w, g)
			fmt.Fprintf(&b, "line %d:\n  want %q\n   got %q\n", i+1, w, g)
			shown++
		}
	}
	if len(wl) != len(gl) {
		fmt.Fprintf(&b, "want %d lines, got %d\n", len(wl), len(gl))
	}
	return b.String()
}

// around shortens two differing lines to the part around their first
// difference, so that a diff of long JSON strings stays readable.
func around(w, g string) (string, string) {
	const width = 60
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	cut := func(s string) string {
		start, end := max(i-width, 0), min(i+width, len(s))
		if start > len(s) {
			start = len(s)
		}
		out := s[start:end]
		if start > 0 {
			out = "…" + out
		}
		if end < len(s) {
			out += "…"
		}
		return out
	}
	return cut(w), cut(g)
}
