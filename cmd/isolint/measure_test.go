package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/isolint/isolint/engine/enginetest"
)

// TestMeasure reports wall time, CPU time and peak RSS of the built binary
// on generated trees of growing size, and on five files (a pre-commit
// run). It asserts nothing about speed; it is the measurement behind the
// README's Performance section. Run it with:
//
//	ISOLINT_MEASURE=20000 go test ./cmd/isolint -run TestMeasure -v
func TestMeasure(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("ISOLINT_MEASURE"))
	if n == 0 {
		t.Skip("set ISOLINT_MEASURE=<files> to measure")
	}
	if _, err := os.Stat("/usr/bin/time"); err != nil {
		t.Skip("needs /usr/bin/time")
	}
	bin := binary(t)
	for _, files := range []int{n / 10, n} {
		dir := t.TempDir()
		st, err := enginetest.GenerateTree(dir, enginetest.TreeOptions{Files: files, Seed: 1, Pad: 2048})
		if err != nil {
			t.Fatal(err)
		}
		runMeasured(t, bin, dir, fmt.Sprintf("%d files, %.1f MB", st.Files, float64(st.Bytes)/1e6), st, "scan", ".", "-f", "sarif", "-o", filepath.Join(t.TempDir(), "out.sarif"))
		if files == n {
			var five []string
			filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() && len(five) < 5 {
					five = append(five, p)
				}
				return nil
			})
			runMeasured(t, bin, dir, "5 files (pre-commit)", enginetest.TreeStats{Files: 5}, append([]string{"scan"}, five...)...)
		}
	}
}

var (
	rssRe  = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)
	userRe = regexp.MustCompile(`User time \(seconds\): ([\d.]+)`)
	sysRe  = regexp.MustCompile(`System time \(seconds\): ([\d.]+)`)
)

func runMeasured(t *testing.T, bin, dir, what string, st enginetest.TreeStats, args ...string) {
	t.Helper()
	best := time.Duration(1 << 62)
	var stderr string
	for range 3 {
		cmd := exec.Command("/usr/bin/time", append([]string{"-v", bin}, args...)...)
		cmd.Dir = dir
		var errb bytes.Buffer
		cmd.Stderr = &errb
		start := time.Now()
		_ = cmd.Run() // exit 1: findings
		if d := time.Since(start); d < best {
			best, stderr = d, errb.String()
		}
	}
	num := func(re *regexp.Regexp) float64 {
		m := re.FindStringSubmatch(stderr)
		if m == nil {
			t.Fatalf("no %s in /usr/bin/time output:\n%s", re, stderr)
		}
		f, _ := strconv.ParseFloat(m[1], 64)
		return f
	}
	cpu := num(userRe) + num(sysRe)
	line := fmt.Sprintf("%s: wall %v (best of 3), CPU %.2fs, peak RSS %.0f MB", what, best.Round(time.Millisecond), cpu, num(rssRe)/1024)
	if st.Bytes > 0 {
		line += fmt.Sprintf(", %.0f files/s, %.1f MB/s wall, %.1f MB/s per CPU-second",
			float64(st.Files)/best.Seconds(), float64(st.Bytes)/1e6/best.Seconds(), float64(st.Bytes)/1e6/cpu)
	}
	t.Log(line)
	if strings.Contains(stderr, "panic") {
		t.Errorf("the binary panicked:\n%s", stderr)
	}
}
