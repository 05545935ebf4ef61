package gitlab

import (
	"path/filepath"
	"reflect"
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
