package gitlab

import (
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
)

// composed is a root file's pipeline, composed on its own.
type composed struct {
	ready    chan struct{} // closed once the fields are set
	p        *model.Project
	loaded   map[string]bool
	panicked any // what composing it panicked with
}

// composeAhead composes the pipelines of roots on workers goroutines,
// each into a project of its own, at most 2×workers ahead of the one the
// caller takes: take(i), called for i in order, waits for root i's (the
// caller re-raises what composing it panicked with, if it uses it). A
// pipeline's composition reads its files and nothing another writes, so
// merging the results in order gives what composing them one after
// another into one project does; the caller skips those an earlier
// pipeline included, as it would have skipped composing them. stop ends
// the goroutines (the caller defers it: it may stop early, on a panic).
func composeAhead(roots []*source.File, byPath map[string]*source.File, workers int) (take func(int) *composed, stop func()) {
	out := make([]*composed, len(roots))
	for i := range out {
		out[i] = &composed{ready: make(chan struct{})}
	}
	room := make(chan struct{}, 2*workers) // a token per pipeline composed and not yet taken
	quit := make(chan struct{})
	work := make(chan int)
	compose := composeOne
	go func() {
		defer close(work)
		for i := range roots {
			select {
			case room <- struct{}{}:
			case <-quit:
				return
			}
			select {
			case work <- i:
			case <-quit:
				return
			}
		}
	}()
	for range workers {
		go func() {
			for i := range work {
				c := out[i]
				func() {
					defer func() {
						c.panicked = recover()
						close(c.ready)
					}()
					c.p = &model.Project{}
					s := newScan(c.p, roots[i], byPath)
					compose(s)
					c.loaded = s.loaded
				}()
			}
		}()
	}
	take = func(i int) *composed {
		c := out[i]
		<-c.ready
		out[i] = nil
		<-room
		return c
	}
	return take, func() { close(quit) }
}

// composeOne composes one pipeline ahead; tests make it panic.
var composeOne = func(s *scan) { s.pipeline() }
