package gitlab

import (
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

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
// no goroutine waiting.
func TestComposeAheadPanicReachesTheCaller(t *testing.T) {
	roots := []*source.File{{Path: "a/.gitlab-ci.yml"}, {Path: "b/.gitlab-ci.yml"}}
	defer func() {
		if recover() == nil {
			t.Error("no panic reached the caller")
		}
	}()
	// a nil byPath and Content compose fine; a nil root does not
	roots[1] = nil
	take, stop := composeAhead(roots, map[string]*source.File{}, 2)
	defer stop()
	take(0)
	take(1)
}
