package gitlab

import (
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/isolint/isolint/internal/testfiles"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
)

// Handing over each pipeline's workloads as soon as it is lowered
// (ScanUnits) must lower exactly what ScanAll lowers, and hand over every
// workload of the project, in its order.
func TestScanUnitsLowersAsScanAll(t *testing.T) {
	read := func() []*source.File {
		return testfiles.Read(t, filepath.Join("..", "..", "..", "testdata", "gitlab"), model.FormatGitLab, func(rel string, b []byte) bool {
			return (strings.HasSuffix(rel, ".yml") || strings.HasSuffix(rel, ".yaml")) && (ClaimPath(rel) || Sniff(b))
		})
	}
	want := ScanAll(read())
	var runs [][]*model.Workload
	got := ScanUnits(read(), func(ws []*model.Workload) {
		if len(ws) == 0 {
			t.Error("done called with no workloads")
		}
		runs = append(runs, ws)
	})
	if !reflect.DeepEqual(got, want) {
		t.Fatal("ScanUnits lowered something other than ScanAll")
	}
	testfiles.CheckHandedOver(t, runs, got)
}

// Composing the root files' pipelines ahead, in parallel, lowers what
// composing them one after another does: the same project, the same
// workloads handed over in the same runs, and a nested root file that an
// earlier pipeline includes still no pipeline of its own.
func TestScanUnitsInParallelLowersAsInSequence(t *testing.T) {
	files := map[string]string{}
	for i := range 40 {
		dir := fmt.Sprintf("r%02d/", i)
		include := "include:\n  - local: ci/build.yml\n"
		if i%7 == 0 {
			// a service's own pipeline, which the repository's includes
			include += "  - local: svc/.gitlab-ci.yml\n"
			files[dir+"svc/.gitlab-ci.yml"] = "svc:\n  script: [./run]\n"
		}
		files[dir+".gitlab-ci.yml"] = include + "variables:\n  TOKEN: $DEPLOY_TOKEN\ndeploy:\n  image: docker:24\n  services: [docker:24-dind]\n  script: [docker push app]\n"
		files[dir+"ci/build.yml"] = "build:\n  script: [make]\n  variables:\n    GIT_STRATEGY: clone\n"
	}
	read := func() []*source.File {
		var out []*source.File
		for _, p := range slices.Sorted(maps.Keys(files)) {
			out = append(out, &source.File{Path: p, Content: []byte(files[p]), Format: model.FormatGitLab})
		}
		return out
	}
	for name, fs := range map[string]func() []*source.File{
		"testdata": func() []*source.File {
			return testfiles.Read(t, filepath.Join("..", "..", "..", "testdata", "gitlab"), model.FormatGitLab, func(rel string, b []byte) bool {
				return (strings.HasSuffix(rel, ".yml") || strings.HasSuffix(rel, ".yaml")) && (ClaimPath(rel) || Sniff(b))
			})
		},
		"40 repositories": read,
	} {
		var seqRuns, parRuns []int
		want := scanUnits(fs(), func(ws []*model.Workload) { seqRuns = append(seqRuns, len(ws)) }, 1)
		got := scanUnits(fs(), func(ws []*model.Workload) { parRuns = append(parRuns, len(ws)) }, 3)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: composed in parallel, the project differs", name)
		}
		if !slices.Equal(seqRuns, parRuns) {
			t.Errorf("%s: handed over in runs of %v, in sequence %v", name, parRuns, seqRuns)
		}
		if len(want.Pipelines) < 2 {
			t.Errorf("%s: %d pipelines: nothing to compose in parallel", name, len(want.Pipelines))
		}
		if name == "40 repositories" && len(want.Pipelines) != 40 {
			t.Errorf("%d pipelines, want 40: an included service's file is part of its repository's", len(want.Pipelines))
		}
	}
}

// A panic while composing a pipeline ahead reaches the caller of
// ScanUnits, as it would in sequence (the engine reports it), and leaves
// no goroutine behind; a pipeline composed in vain (a root an earlier
// pipeline includes, which in sequence is never composed on its own)
// panics for nobody.
func TestComposeAheadPanics(t *testing.T) {
	files := map[string]string{
		"r/.gitlab-ci.yml":     "include:\n  - local: svc/.gitlab-ci.yml\nbuild:\n  script: [make]\n",
		"r/svc/.gitlab-ci.yml": "svc:\n  script: [./run]\n",
	}
	for i := range 12 {
		files[fmt.Sprintf("o%02d/.gitlab-ci.yml", i)] = "job:\n  script: [make]\n"
	}
	read := func() []*source.File {
		var out []*source.File
		for _, p := range slices.Sorted(maps.Keys(files)) {
			out = append(out, &source.File{Path: p, Content: []byte(files[p]), Format: model.FormatGitLab})
		}
		return out
	}
	want := scanUnits(read(), nil, 1)
	defer func(f func(*scan)) { composeOne = f }(composeOne)
	panicOn := func(path string) {
		composeOne = func(s *scan) {
			if s.root.Path == path {
				panic("planted")
			}
			s.pipeline()
		}
	}

	panicOn("r/svc/.gitlab-ci.yml") // included by r/.gitlab-ci.yml
	if got := scanUnits(read(), nil, 2); !reflect.DeepEqual(got, want) {
		t.Error("a panic in a pipeline composed in vain changed the result")
	}

	before := runtime.NumGoroutine()
	panicOn("o00/.gitlab-ci.yml") // first of 13 roots, more than 2×2 ahead
	func() {
		defer func() {
			if r := recover(); r != "planted" {
				t.Errorf("recovered %v, want the planted panic", r)
			}
		}()
		scanUnits(read(), nil, 2)
	}()
	for range 100 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("%d goroutines after the panic, %d before: composing goroutines were left behind", runtime.NumGoroutine(), before)
}
