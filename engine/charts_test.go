package engine

import (
	"os"
	"path/filepath"
	"testing"
)

// The walk's listing of a directory says whether it holds a chart, as a
// stat of its Chart.yaml would: a regular file or a link to one is a
// chart; a directory of that name, a broken link or another case is not.
func TestChartIndexReadsTheWalksListing(t *testing.T) {
	dir := t.TempDir()
	mk := func(p string, file bool) string {
		p = filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if file {
			if err := os.WriteFile(p, []byte("apiVersion: v2\nname: x\nversion: 0.1.0\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		} else if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		return filepath.Dir(p)
	}
	plain := mk("plain/Chart.yaml", true)
	asDir := mk("asdir/Chart.yaml", false)
	lower := mk("lower/chart.yaml", true)
	linked := mk("linked/x", false)
	target := mk("target/Chart.yaml", true) // not a case: flipping one leaves it be
	if err := os.Symlink(filepath.Join(target, "Chart.yaml"), filepath.Join(linked, "Chart.yaml")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	broken := mk("broken/x", false)
	if err := os.Symlink(filepath.Join(dir, "missing"), filepath.Join(broken, "Chart.yaml")); err != nil {
		t.Fatal(err)
	}
	none := mk("none/x", false)
	for d, want := range map[string]bool{plain: true, asDir: false, lower: false, linked: true, broken: false, none: false} {
		if got := newChartIndex().hasChart(d); got != want && filepath.Base(d) != "lower" {
			// a stat agrees, but on a case-insensitive file system (lower)
			t.Errorf("%s: stat says %v, want %v", filepath.Base(d), got, want)
		}
		entries, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		x := newChartIndex()
		x.listed(d, entries)
		// the folder changes after the walk read it: the index answers
		// from the listing, not from a stat of its own
		flip(t, d)
		if got := x.hasChart(d); got != want {
			t.Errorf("%s: listed as a chart: %v, want %v", filepath.Base(d), got, want)
		}
	}
}

// flip makes a folder say the opposite of what it said: its Chart.yaml
// removed, or one written where there was none.
func flip(t *testing.T, dir string) {
	t.Helper()
	p := filepath.Join(dir, "Chart.yaml")
	if _, err := os.Lstat(p); err == nil {
		if err := os.RemoveAll(p); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err := os.WriteFile(p, []byte("apiVersion: v2\nname: x\nversion: 0.1.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
