package helm

import (
	"fmt"
	"maps"
	"strings"
	"text/template"
)

// A chart is code that anyone opening a pull request can write, and Helm's
// engine renders without bounds: `{{ range until 100000000 }}` would hold
// the CI gate for minutes and gigabytes. The functions that make large
// output from small input are replaced by bounded ones; a chart that asks
// for more does not render, and is reported as not checked.
const (
	maxRangeItems = 10000
	maxRepeatLen  = 1 << 20
)

// renderFuncs are the functions isolint gives templates in place of
// sprig's: bounded (limits.go) and deterministic (determinism.go).
func renderFuncs() template.FuncMap {
	fs := boundedFuncs()
	maps.Copy(fs, deterministicFuncs())
	return fs
}

func boundedFuncs() template.FuncMap {
	return template.FuncMap{
		"until": func(n int) ([]int, error) {
			return untilStep(0, n, 1)
		},
		"untilStep": untilStep,
		"seq": func(params ...int) (string, error) {
			start, stop, step := 1, 0, 1
			switch len(params) {
			case 1:
				stop = params[0]
			case 2:
				start, stop = params[0], params[1]
				if start > stop {
					step = -1
				}
			case 3:
				start, step, stop = params[0], params[1], params[2]
			default:
				return "", nil
			}
			if step == 0 {
				return "", nil
			}
			var end int
			if step > 0 {
				end = stop + 1
			} else {
				end = stop - 1
			}
			xs, err := untilStep(start, end, step)
			if err != nil {
				return "", err
			}
			parts := make([]string, len(xs))
			for i, x := range xs {
				parts[i] = fmt.Sprint(x)
			}
			return strings.Join(parts, " "), nil
		},
		"repeat": func(count int, s string) (string, error) {
			if count <= 0 {
				return "", nil
			}
			if count*len(s) > maxRepeatLen || count > maxRepeatLen {
				return "", fmt.Errorf("repeat of %d times exceeds isolint's limit of %d bytes", count, maxRepeatLen)
			}
			return strings.Repeat(s, count), nil
		},
	}
}

// untilStep is sprig's, bounded.
func untilStep(start, stop, step int) ([]int, error) {
	var v []int
	if step == 0 || (stop < start && step > 0) || (stop > start && step < 0) {
		return v, nil
	}
	n := (stop - start) / step
	if n < 0 {
		n = -n
	}
	if n > maxRangeItems {
		return nil, fmt.Errorf("a range of %d items exceeds isolint's limit of %d", n, maxRangeItems)
	}
	if step > 0 {
		for i := start; i < stop; i += step {
			v = append(v, i)
		}
	} else {
		for i := start; i > stop; i += step {
			v = append(v, i)
		}
	}
	return v, nil
}
