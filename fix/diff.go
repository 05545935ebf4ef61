package fix

import (
	"bytes"
	"fmt"
	"io"
)

// Diff writes a unified diff of old and new (as `diff -u` and `git diff`
// print it, with three lines of context) for the file at path.
func Diff(w io.Writer, path string, old, new []byte) error {
	a, b := splitLines(old), splitLines(new)
	ops := diffLines(a, b)
	if len(ops) == 0 {
		return nil
	}
	if _, err := fmt.Fprintf(w, "--- a/%s\n+++ b/%s\n", path, path); err != nil {
		return err
	}
	const context = 3
	// group the changed runs into hunks
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := i - context
		if start < 0 {
			start = 0
		}
		end := i
		for j := i; j < len(ops); j++ {
			if ops[j].kind != ' ' {
				end = j
				continue
			}
			if j-end > 2*context {
				break
			}
		}
		stop := end + context + 1
		if stop > len(ops) {
			stop = len(ops)
		}
		oldStart, newStart, oldN, newN := ops[start].a+1, ops[start].b+1, 0, 0
		for _, op := range ops[start:stop] {
			if op.kind != '+' {
				oldN++
			}
			if op.kind != '-' {
				newN++
			}
		}
		if oldN == 0 {
			oldStart--
		}
		if newN == 0 {
			newStart--
		}
		fmt.Fprintf(w, "@@ -%d,%d +%d,%d @@\n", oldStart, oldN, newStart, newN)
		for _, op := range ops[start:stop] {
			line := op.text
			nl := bytes.HasSuffix(line, []byte("\n"))
			line = bytes.TrimSuffix(line, []byte("\n"))
			fmt.Fprintf(w, "%c%s\n", op.kind, line)
			if !nl {
				fmt.Fprint(w, "\\ No newline at end of file\n")
			}
		}
		i = stop
	}
	return nil
}

func splitLines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, b)
			break
		}
		out = append(out, b[:i+1])
		b = b[i+1:]
	}
	return out
}

type diffOp struct {
	kind byte // ' ', '-', '+'
	a, b int  // line index in old and new at this op
	text []byte
}

// diffLines is Myers' O((N+M)·D) diff; fixes change few lines, so D is
// small whatever the file's size.
func diffLines(a, b [][]byte) []diffOp {
	n, m := len(a), len(b)
	max := n + m
	v := make([]int, 2*max+2)
	var trace [][]int
	for d := 0; d <= max; d++ {
		trace = append(trace, append([]int(nil), v...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[max+k-1] < v[max+k+1] {
				x = v[max+k+1]
			} else {
				x = v[max+k-1] + 1
			}
			y := x - k
			for x < n && y < m && bytes.Equal(a[x], b[y]) {
				x, y = x+1, y+1
			}
			v[max+k] = x
			if x >= n && y >= m {
				return backtrack(a, b, trace, d, max)
			}
		}
	}
	return nil
}

func backtrack(a, b [][]byte, trace [][]int, d, max int) []diffOp {
	x, y := len(a), len(b)
	var ops []diffOp
	changed := false
	for ; d >= 0; d-- {
		v := trace[d]
		k := x - y
		var pk int
		if k == -d || k != d && v[max+k-1] < v[max+k+1] {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := v[max+pk]
		py := px - pk
		for x > px && y > py {
			x, y = x-1, y-1
			ops = append(ops, diffOp{kind: ' ', a: x, b: y, text: a[x]})
		}
		if d > 0 {
			changed = true
			if x == px {
				y--
				ops = append(ops, diffOp{kind: '+', a: x, b: y, text: b[y]})
			} else {
				x--
				ops = append(ops, diffOp{kind: '-', a: x, b: y, text: a[x]})
			}
		}
	}
	if !changed {
		return nil
	}
	for i, j := 0, len(ops)-1; i < j; i, j = i+1, j-1 {
		ops[i], ops[j] = ops[j], ops[i]
	}
	return ops
}
