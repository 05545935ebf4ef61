package engine

import (
	"sync"

	"github.com/isolint/isolint/discover"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners"
)

// queue hands the walk's candidates to the file workers, the files of the
// early formats first.
//
// An early format is one whose files are lowered together (ScanAll) and
// are known by their path alone (no content sniffing claims one): once
// the walk has ended and the workers have read every file of the format,
// nothing can add another, and the format can be lowered while the
// workers go on with the files of other formats. Terraform is the largest
// such format and was a serial tail of the scan; started early it
// overlaps the rest of the reading. The queue does not bound what the
// walk finds (a candidate is a few paths, and the walk keeps them all in
// its result anyway), so that the walk ends early and the early formats'
// files, wherever they lie in the tree, are read first.
type queue struct {
	mu          sync.Mutex
	cond        *sync.Cond
	early, rest []discover.Candidate
	closed      bool // the walk has ended
	// pending counts, per early format, the files found and not yet read.
	pending map[model.Format]int
	// ready is called once for each early format whose files are all
	// read after the walk ended, outside the lock.
	ready func(model.Format)
	// started holds the early formats handed to ready.
	started map[model.Format]bool
	// formatOf is a candidate's early format, or "".
	formatOf func(discover.Candidate) model.Format
}

// earlyFormats lists the formats that may start before the workers end
// (see queue), given the scan's --type (nil: none may).
func earlyFormats(reg *scanners.Registry, forced *scanners.Scanner) map[model.Format]bool {
	out := map[model.Format]bool{}
	for _, f := range reg.Formats() {
		s := reg.ByFormat(f)
		if s.ScanAll != nil && s.Sniff == nil && s.SniffFile == nil && (forced == nil || forced == s) {
			out[f] = true
		}
	}
	return out
}

func newQueue(formatOf func(discover.Candidate) model.Format, ready func(model.Format)) *queue {
	q := &queue{pending: map[model.Format]int{}, started: map[model.Format]bool{}, formatOf: formatOf, ready: ready}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// push adds a candidate the walk found.
func (q *queue) push(c discover.Candidate) {
	f := q.formatOf(c)
	q.mu.Lock()
	if f != "" {
		q.early = append(q.early, c)
		q.pending[f]++
	} else {
		q.rest = append(q.rest, c)
	}
	q.mu.Unlock()
	q.cond.Signal()
}

// pop returns the next candidate, early ones first; ok is false once the
// walk has ended and every candidate was handed out.
func (q *queue) pop() (c discover.Candidate, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for {
		switch {
		case len(q.early) > 0:
			c, q.early[0] = q.early[0], discover.Candidate{}
			q.early = q.early[1:]
			return c, true
		case len(q.rest) > 0:
			c, q.rest[0] = q.rest[0], discover.Candidate{}
			q.rest = q.rest[1:]
			return c, true
		case q.closed:
			return c, false
		}
		q.cond.Wait()
	}
}

// done records that a worker has read a candidate.
func (q *queue) done(c discover.Candidate) {
	f := q.formatOf(c)
	if f == "" {
		return
	}
	q.mu.Lock()
	q.pending[f]--
	start := q.startable()
	q.mu.Unlock()
	q.start(start)
}

// close records that the walk has ended: the early formats whose files
// are all read start now, the others when their last file is read.
func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	start := q.startable()
	q.mu.Unlock()
	q.cond.Broadcast()
	q.start(start)
}

// startable marks and returns the early formats that may start; under mu.
func (q *queue) startable() []model.Format {
	if !q.closed {
		return nil
	}
	var out []model.Format
	for f, n := range q.pending {
		if n == 0 && !q.started[f] {
			q.started[f] = true
			out = append(out, f)
		}
	}
	return out
}

func (q *queue) start(fs []model.Format) {
	for _, f := range fs {
		q.ready(f)
	}
}
