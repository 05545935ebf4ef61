package golang

import (
	"bytes"
	"go/build"
	"go/build/constraint"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
)

// A directory's files are not all compiled together: exec_windows.go and
// exec_unix.go may each declare the same function. Checking them as one
// package would leave one declaration unresolved (and cost an error per
// redeclared name), so each package is checked once per build that
// compiles a distinct set of its files.

// targets are the platforms whose builds are checked.
var targets = [][2]string{{"linux", "amd64"}, {"darwin", "arm64"}, {"windows", "amd64"}}

// unit is a Go file of a package: base name, content, index in the
// package.
type unit struct {
	name    string
	content []byte
}

// buildSets returns the sets of files (indices into units) that builds for
// the targets compile, with the package's own build tags all set and all
// unset; a file no such build compiles (a `//go:build ignore` program, a
// file for another system) forms a set of its own.
func buildSets(units []unit) [][]int {
	tags := customTags(units)
	var sets [][]int
	seen := map[string]bool{}
	taken := make([]bool, len(units))
	for _, t := range targets {
		for _, on := range []bool{false, true} {
			if on && len(tags) == 0 {
				continue
			}
			ctxt := build.Default
			ctxt.GOOS, ctxt.GOARCH, ctxt.CgoEnabled = t[0], t[1], true
			ctxt.BuildTags = nil
			if on {
				ctxt.BuildTags = tags
			}
			byName := map[string][]byte{}
			for _, u := range units {
				byName[u.name] = u.content
			}
			ctxt.OpenFile = func(p string) (io.ReadCloser, error) {
				return io.NopCloser(bytes.NewReader(byName[path.Base(p)])), nil
			}
			ctxt.JoinPath = path.Join
			var set []int
			var key strings.Builder
			for i, u := range units {
				if ok, err := ctxt.MatchFile(".", u.name); ok && err == nil {
					set = append(set, i)
					key.WriteString(strconv.Itoa(i) + ",")
				}
			}
			if len(set) == 0 || seen[key.String()] {
				continue
			}
			seen[key.String()] = true
			sets = append(sets, set)
			for _, i := range set {
				taken[i] = true
			}
		}
	}
	for i := range units {
		if !taken[i] {
			sets = append(sets, []int{i})
		}
	}
	return sets
}

// customTags lists the build tags a package's constraints name besides
// systems, architectures, compilers and Go versions.
func customTags(units []unit) []string {
	set := map[string]bool{}
	for _, u := range units {
		for _, line := range headerLines(u.content) {
			if !constraint.IsGoBuild(line) {
				continue
			}
			expr, err := constraint.Parse(line)
			if err != nil {
				continue
			}
			expr.Eval(func(tag string) bool {
				if !knownTag(tag) {
					set[tag] = true
				}
				return true
			})
		}
	}
	tags := make([]string, 0, len(set))
	for t := range set {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	return tags
}

// headerLines returns the comment lines before the package clause, where
// build constraints live.
func headerLines(content []byte) []string {
	var out []string
	for len(content) > 0 {
		line := content
		if i := bytes.IndexByte(content, '\n'); i >= 0 {
			line, content = content[:i], content[i+1:]
		} else {
			content = nil
		}
		t := strings.TrimSpace(string(line))
		if strings.HasPrefix(t, "package ") {
			break
		}
		if strings.HasPrefix(t, "//") {
			out = append(out, t)
		}
	}
	return out
}

var known = strings.Fields(`aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos
386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm
unix cgo gc gccgo ignore`)

func knownTag(tag string) bool {
	if strings.HasPrefix(tag, "go1.") || strings.HasPrefix(tag, "goexperiment.") {
		return true
	}
	for _, k := range known {
		if k == tag {
			return true
		}
	}
	return false
}
