package gitlab

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestSniffIsLinear: the sniff converted the rest of the file to a string
// for every line, so an unclaimed YAML file of many lines (a 1.4 MB Helm
// values.yaml: 94 s) cost the square of its size in copies. Bytes
// allocated, unlike time, do not depend on the machine: four times the
// lines must cost about four times the bytes, not sixteen.
func TestSniffIsLinear(t *testing.T) {
	alloc := func(lines int) uint64 {
		var b strings.Builder
		for i := range lines {
			fmt.Fprintf(&b, "key%d:\n  sub: value%d\n", i, i)
		}
		content := []byte(b.String())
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if Sniff(content) {
			t.Fatal("values.yaml claimed as GitLab CI")
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := alloc(5_000), alloc(20_000)
	if large > 6*small+1<<20 {
		t.Errorf("4x the lines allocated %d bytes, %.1fx the %d of 1x: not linear", large, float64(large)/float64(small), small)
	}
}
