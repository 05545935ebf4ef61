package engine

import (
	"path"
	"slices"
	"sync"
	"testing"

	"github.com/isolint/isolint/discover"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners"
	"github.com/isolint/isolint/scanners/golang"
	"github.com/isolint/isolint/scanners/k8s"
)

func TestQueueHandsOutEarlyFormatsFirst(t *testing.T) {
	var mu sync.Mutex
	var started []model.Format
	q := newQueue(func(c discover.Candidate) model.Format {
		if path.Ext(c.Path) == ".tf" {
			return model.FormatTerraform
		}
		return ""
	}, func(f model.Format) {
		mu.Lock()
		started = append(started, f)
		mu.Unlock()
	})
	for _, p := range []string{"a.yaml", "b/main.tf", "c.yaml", "d/main.tf"} {
		q.push(discover.Candidate{Path: p})
	}
	var order []string
	for range 2 {
		c, _ := q.pop()
		order = append(order, c.Path)
		q.done(c)
	}
	if want := []string{"b/main.tf", "d/main.tf"}; !slices.Equal(order, want) {
		t.Fatalf("handed out %q first, want the Terraform files %q", order, want)
	}
	if len(started) != 0 {
		t.Fatalf("%v started before the walk ended: another file may still come", started)
	}
	q.close()
	if !slices.Equal(started, []model.Format{model.FormatTerraform}) {
		t.Fatalf("started %v once the walk ended, want terraform once", started)
	}
	for {
		c, ok := q.pop()
		if !ok {
			break
		}
		order = append(order, c.Path)
		q.done(c)
	}
	if want := []string{"b/main.tf", "d/main.tf", "a.yaml", "c.yaml"}; !slices.Equal(order, want) {
		t.Errorf("order %q, want %q", order, want)
	}
	if len(started) != 1 {
		t.Errorf("started %v, want terraform once", started)
	}
}

// A format starts when its last file is read, if the walk ended before.
func TestQueueStartsFormatAtItsLastFile(t *testing.T) {
	var started []model.Format
	q := newQueue(func(c discover.Candidate) model.Format {
		if path.Ext(c.Path) == ".go" {
			return model.FormatGo
		}
		return ""
	}, func(f model.Format) { started = append(started, f) })
	q.push(discover.Candidate{Path: "a.go"})
	q.push(discover.Candidate{Path: "b.go"})
	q.close()
	a, _ := q.pop()
	q.done(a)
	if len(started) != 0 {
		t.Fatalf("started %v with b.go unread", started)
	}
	b, _ := q.pop()
	q.done(b)
	if !slices.Equal(started, []model.Format{model.FormatGo}) {
		t.Fatalf("started %v, want go", started)
	}
	if _, ok := q.pop(); ok {
		t.Error("pop handed out a candidate after the last")
	}
}

// Only formats known by path alone start early: a workflow or a pipeline
// may be claimed by its content, so theirs wait for every file.
func TestEarlyFormats(t *testing.T) {
	reg := scanners.New(scanners.Options{K8s: k8s.Options{}, Go: golang.Options{}})
	got := earlyFormats(reg, nil)
	want := map[model.Format]bool{model.FormatTerraform: true, model.FormatGo: true}
	if len(got) != len(want) || !got[model.FormatTerraform] || !got[model.FormatGo] {
		t.Errorf("early formats %v, want %v", got, want)
	}
	if got := earlyFormats(reg, reg.ByFormat(model.FormatK8s)); len(got) != 0 {
		t.Errorf("--type k8s: early formats %v, want none", got)
	}
	if got := earlyFormats(reg, reg.ByFormat(model.FormatTerraform)); len(got) != 1 || !got[model.FormatTerraform] {
		t.Errorf("--type tf: early formats %v, want terraform", got)
	}
}
