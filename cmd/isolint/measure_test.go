package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/isolint/isolint/engine/enginetest"
)

// TestMeasure reports wall time, CPU time (user+sys) and peak RSS of the
// built binary on generated trees that mix every format (half Kubernetes,
// half repositories of Terraform, GitHub workflows, GitLab pipelines,
// Compose, dev container / MCP configs and Go), in text and SARIF, and on
// five files of five formats (a pre-commit run). Each figure is the median
// of ISOLINT_MEASURE_RUNS runs (default 5). It asserts nothing about speed;
// it is the measurement behind the README's Performance section:
//
//	ISOLINT_MEASURE=1000,10000,50000,100000 go test ./cmd/isolint -run TestMeasure -v -timeout 2h
//
// ISOLINT_MEASURE_DIR keeps the generated trees there, to measure again
// without generating them again; ISOLINT_MEASURE_ENV adds environment
// variables to the binary's (e.g. "GOGC=100 GOMEMLIMIT=512MiB").
func TestMeasure(t *testing.T) {
	var sizes []int
	for _, s := range strings.Split(os.Getenv("ISOLINT_MEASURE"), ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n > 0 {
			sizes = append(sizes, n)
		}
	}
	if len(sizes) == 0 {
		t.Skip("set ISOLINT_MEASURE=<files>[,<files>…] to measure")
	}
	if _, err := os.Stat("/usr/bin/time"); err != nil {
		t.Skip("needs /usr/bin/time")
	}
	runs, _ := strconv.Atoi(os.Getenv("ISOLINT_MEASURE_RUNS"))
	if runs <= 0 {
		runs = 5
	}
	env := strings.Fields(os.Getenv("ISOLINT_MEASURE_ENV"))
	bin := binary(t)
	t.Logf("| files | MB | output | wall (median of %d) | CPU user+sys | peak RSS | load |", runs)
	for i, files := range sizes {
		dir := treeFor(t, files)
		st := treeStats(t, dir)
		what := fmt.Sprintf("%d | %.1f", st.Files, float64(st.Bytes)/1e6)
		out := filepath.Join(t.TempDir(), "out")
		runMeasured(t, bin, dir, env, runs, what+" | text", "scan", ".", "-o", out)
		findings := countLines(out)
		runMeasured(t, bin, dir, env, runs, what+" | sarif", "scan", ".", "-f", "sarif", "-o", out)
		t.Logf("  (%d text lines of findings and notices)", findings)
		if i == 0 {
			five := fiveFormats(dir)
			runMeasured(t, bin, dir, env, max(runs, 15), "5 files, 5 formats (pre-commit) | — | text", append([]string{"scan"}, five...)...)
			runMeasured(t, bin, dir, env, max(runs, 15), "5 files, 5 formats (pre-commit) | — | sarif", append([]string{"scan", "-f", "sarif"}, five...)...)
		}
	}
}

// treeFor generates (or reuses, under ISOLINT_MEASURE_DIR) an all-format
// tree of n files.
func treeFor(t *testing.T, n int) string {
	t.Helper()
	keep := os.Getenv("ISOLINT_MEASURE_DIR")
	dir := filepath.Join(keep, fmt.Sprintf("tree-%d", n))
	if keep == "" {
		dir = filepath.Join(t.TempDir(), "tree")
	} else if _, err := os.Stat(filepath.Join(dir, ".done")); err == nil {
		return dir
	}
	if _, err := enginetest.GenerateTree(dir, enginetest.TreeOptions{Files: n, Seed: 1, Pad: 2048, AllFormats: true}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".done"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func treeStats(t *testing.T, dir string) enginetest.TreeStats {
	var st enginetest.TreeStats
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != ".done" {
			if info, err := d.Info(); err == nil {
				st.Files++
				st.Bytes += info.Size()
			}
		}
		return nil
	})
	return st
}

// fiveFormats picks one file of each of five formats, as a pre-commit hook
// on a mixed commit would pass them.
func fiveFormats(dir string) []string {
	var five []string
	for _, suffix := range []string{"deployment.yaml", ".tf", "workflows/ci.yml", ".gitlab-ci.yml", "docker-compose.yml"} {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(filepath.ToSlash(p), suffix) {
				return nil
			}
			rel, _ := filepath.Rel(dir, p)
			five = append(five, rel)
			return filepath.SkipAll
		})
	}
	return five
}

func countLines(p string) int {
	b, _ := os.ReadFile(p)
	return bytes.Count(b, []byte("\n"))
}

var (
	rssRe  = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)
	userRe = regexp.MustCompile(`User time \(seconds\): ([\d.]+)`)
	sysRe  = regexp.MustCompile(`System time \(seconds\): ([\d.]+)`)
)

func runMeasured(t *testing.T, bin, dir string, env []string, runs int, what string, args ...string) {
	t.Helper()
	var walls, cpus, rss []float64
	for range runs {
		cmd := exec.Command("/usr/bin/time", append([]string{"-v", bin}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		start := time.Now()
		_ = cmd.Run() // exit 1: findings
		walls = append(walls, time.Since(start).Seconds())
		stderr := errb.String()
		if strings.Contains(stderr, "panic") {
			t.Fatalf("the binary panicked:\n%s", stderr)
		}
		num := func(re *regexp.Regexp) float64 {
			m := re.FindStringSubmatch(stderr)
			if m == nil {
				t.Fatalf("no %s in /usr/bin/time output:\n%s", re, stderr)
			}
			f, _ := strconv.ParseFloat(m[1], 64)
			return f
		}
		cpus = append(cpus, num(userRe)+num(sysRe))
		rss = append(rss, num(rssRe)/1024)
	}
	load, _ := os.ReadFile("/proc/loadavg")
	t.Logf("| %s | %s (min %s) | %.2f s | %.0f MiB | load %s", what, secs(median(walls)), secs(slices.Min(walls)),
		median(cpus), median(rss), strings.Join(strings.Fields(string(load))[:min(3, len(strings.Fields(string(load))))], " "))
}

func secs(s float64) string {
	if s < 1 {
		return fmt.Sprintf("%.1f ms", s*1000)
	}
	return fmt.Sprintf("%.2f s", s)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
