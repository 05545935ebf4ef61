package rules

import (
	"cmp"
	"slices"
	"sync"

	"github.com/isolint/isolint/model"
)

// Fault is a check that stopped with a panic: an internal error, not a
// finding. File and Line are where the workload or pipeline it was
// checking begins (the first such place, when the rule stopped on several
// of one file); empty for a project-wide check, which reads every file.
type Fault struct {
	Rule   string
	File   string
	Line   int
	Format model.Format
}

// Faults collects the checks of a scan that panicked, from every
// goroutine that runs them. A check that panics on one workload keeps the
// findings it reported before, and the rule goes on with the next
// workload: one bad input costs that rule's check of that input, not the
// scan (a CI gate runs on pull requests anyone can open).
type Faults struct {
	mu   sync.Mutex
	seen map[Fault]int // line 0, by rule, file and format → first line
}

func (fs *Faults) add(f Fault) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.seen == nil {
		fs.seen = map[Fault]int{}
	}
	line := f.Line
	f.Line = 0
	if l, ok := fs.seen[f]; !ok || line < l {
		fs.seen[f] = line
	}
}

// List returns the faults, once each, by file then rule.
func (fs *Faults) List() []Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]Fault, 0, len(fs.seen))
	for f, line := range fs.seen {
		f.Line = line
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b Fault) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Format, b.Format))
	})
	return out
}

// recoverFault is deferred around one check of what begins at at: a panic becomes a
// Fault when the options collect them, and goes on up when they do not
// (tests that call the rules directly see it).
func (p *Pass) recoverFault(at model.Location, format model.Format) {
	if p.Options.Faults == nil {
		return
	}
	if r := recover(); r != nil {
		p.Options.Faults.add(Fault{Rule: p.Rule.ID, File: at.File, Line: at.Line, Format: format})
	}
}
