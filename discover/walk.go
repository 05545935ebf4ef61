// Package discover walks the scan roots: in parallel, honouring .gitignore
// and configured excludes, pruning vendored and generated trees before
// descending, following symlinks only while they stay inside a root, never
// looping, and skipping oversize files with a notice.
package discover

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
)

// Options configure a walk.
type Options struct {
	// Roots are the paths given on the command line (files or directories).
	Roots []string
	// Base is the absolute directory display paths are relative to.
	Base string
	// Exclude are doublestar globs matched against display paths and
	// root-relative paths; a matching directory is pruned.
	Exclude []string
	// ExcludeRel, when set, gives a third path Exclude globs match: the
	// path relative to the config file's directory ("" when outside it).
	ExcludeRel func(abs string) string
	// MaxFileSize skips larger files with a notice (0: no limit).
	MaxFileSize int64
	// Wanted reports whether a file found in a directory is worth reading
	// (its name or extension belongs to a supported format). Files named
	// on the command line are always candidates.
	Wanted func(path string) bool
	// Found, when set, is called with every candidate as soon as the walk
	// accepts it, from the walk's goroutines, so that reading can start
	// before the walk ends. A file reached twice (through a symlink) is
	// reported twice; Result.Files holds the one kept.
	Found func(Candidate)
	// Listed, when set, is called with the real path of every directory the
	// walk reads and its entries, before any file in or below it is Found,
	// from the walk's goroutines: what a caller would otherwise learn by a
	// stat per directory (whether it holds a Chart.yaml).
	Listed func(real string, entries []fs.DirEntry)
	// Workers is the number of directories read at once.
	Workers int
}

// Candidate is a file to read and classify.
type Candidate struct {
	Path     string // display path, slash-separated
	Abs      string // absolute path as walked
	Real     string // symlink-resolved path
	Root     string // the real root it lies under
	Size     int64
	Explicit bool // named on the command line

	linked bool // reached through a symlink
}

// Result is what a walk found.
type Result struct {
	Files   []Candidate // sorted by Path, one per real file
	Notices []model.Notice
	// Oversize lists files skipped for their size, sorted by Path, so that
	// they can still be counted as files of their format.
	Oversize []Candidate
}

// prunedDirs are never descended into: VCS metadata, dependency and build
// caches whose content is not the project's own definition of where code runs.
var prunedDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true, "node_modules": true, ".terraform": true,
	".terragrunt-cache": true, "vendor": true, ".venv": true, "__pycache__": true,
	".tox": true, ".idea": true, ".vscode-test": true, "bower_components": true,
}

// Walk walks the roots.
func Walk(opts Options) (*Result, error) {
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	w := &walker{opts: opts, visited: map[string]bool{}, byReal: map[string]Candidate{}}
	w.more = sync.NewCond(&w.mu)
	for _, r := range opts.Roots {
		if err := w.root(r); err != nil {
			return nil, err
		}
	}
	w.drain()
	// Directory symlinks are followed after the plain walk, one at a time
	// in path order, each walk recording the links it meets for the next
	// round: which path a directory reached twice is shown under never
	// depends on goroutine scheduling.
	for len(w.links) > 0 {
		links := w.links
		w.links = nil
		sort.Slice(links, func(i, j int) bool { return links[i].abs < links[j].abs })
		for _, l := range links {
			w.enter(l.abs, l.real, l.root, l.ignore, true)
			w.drain()
		}
	}
	res := &Result{Notices: w.notices, Oversize: w.oversize}
	for _, c := range w.byReal {
		res.Files = append(res.Files, c)
	}
	sort.Slice(res.Files, func(i, j int) bool { return res.Files[i].Path < res.Files[j].Path })
	sort.Slice(res.Oversize, func(i, j int) bool { return res.Oversize[i].Path < res.Oversize[j].Path })
	sort.Slice(res.Notices, func(i, j int) bool {
		if res.Notices[i].Loc.File != res.Notices[j].Loc.File {
			return res.Notices[i].Loc.File < res.Notices[j].Loc.File
		}
		return res.Notices[i].Message < res.Notices[j].Message
	})
	return res, nil
}

type walker struct {
	opts Options

	mu sync.Mutex
	// more is signalled when a directory is entered or one is read
	more *sync.Cond
	// dirs are the directories entered and not yet read; busy counts
	// those being read
	dirs     []func()
	busy     int
	visited  map[string]bool // real directories entered
	byReal   map[string]Candidate
	notices  []model.Notice
	oversize []Candidate
	links    []dirLink // directory symlinks inside a root, to follow later
}

// dirLink is a directory symlink whose target lies inside its root.
type dirLink struct {
	abs, real, root string
	ignore          []gitignore.Pattern
}

// root starts the walk of one command-line path.
func (w *walker) root(arg string) error {
	abs, err := filepath.Abs(arg)
	if err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: no such file or directory", arg)
		}
		return fmt.Errorf("%s: %w", arg, err)
	}
	info, err := os.Stat(real)
	if err != nil {
		return fmt.Errorf("%s: %w", arg, err)
	}
	if !info.IsDir() {
		w.file(abs, real, filepath.Dir(real), info, true, false)
		return nil
	}
	w.enter(abs, real, real, nil, false)
	return nil
}

// display returns the display path of abs: relative to Base, slash-separated.
func (w *walker) display(abs string) string {
	if w.opts.Base != "" {
		if rel, err := filepath.Rel(w.opts.Base, abs); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(abs)
}

func (w *walker) excluded(abs, root string, dir bool) bool {
	if len(w.opts.Exclude) == 0 {
		return false
	}
	paths := []string{w.display(abs)}
	if rel, err := filepath.Rel(root, abs); err == nil {
		paths = append(paths, filepath.ToSlash(rel))
	}
	if w.opts.ExcludeRel != nil {
		if rel := w.opts.ExcludeRel(abs); rel != "" {
			paths = append(paths, rel)
		}
	}
	for _, g := range w.opts.Exclude {
		for _, p := range paths {
			if ok, _ := doublestar.Match(g, p); ok {
				return true
			}
			if dir {
				if ok, _ := doublestar.Match(strings.TrimSuffix(g, "/**"), p); ok {
					return true
				}
			}
		}
	}
	return false
}

func (w *walker) notice(level model.NoticeLevel, path, msg string) {
	w.mu.Lock()
	w.notices = append(w.notices, model.Notice{Level: level, Loc: model.Location{File: path}, Message: msg})
	w.mu.Unlock()
}

// enter schedules the walk of a directory. abs is the path as walked (for
// display), real its resolved path, root the real root, and ignore the
// .gitignore patterns in force above it.
func (w *walker) enter(abs, real, root string, ignore []gitignore.Pattern, linked bool) {
	w.mu.Lock()
	seen := w.visited[real]
	w.visited[real] = true
	if !seen {
		w.dirs = append(w.dirs, func() { w.readDir(abs, real, root, ignore, linked) })
	}
	w.mu.Unlock()
	if !seen {
		w.more.Signal()
	}
	// else reached again through a symlink: a loop or a duplicate
}

// drain reads the directories entered, and those they hold, on
// opts.Workers goroutines, and returns when none is left. A fixed pool
// rather than a goroutine per directory: a tree of 10,000 directories
// otherwise holds thousands of goroutines and their stacks at once.
func (w *walker) drain() {
	var wg sync.WaitGroup
	for range w.opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				w.mu.Lock()
				for len(w.dirs) == 0 && w.busy > 0 {
					w.more.Wait()
				}
				if len(w.dirs) == 0 {
					w.mu.Unlock()
					w.more.Broadcast()
					return
				}
				// the last entered first: the walk goes deep before wide,
				// so that the pending directories stay few
				task := w.dirs[len(w.dirs)-1]
				w.dirs[len(w.dirs)-1] = nil
				w.dirs = w.dirs[:len(w.dirs)-1]
				w.busy++
				w.mu.Unlock()
				task()
				w.mu.Lock()
				w.busy--
				w.mu.Unlock()
				w.more.Broadcast()
			}
		}()
	}
	wg.Wait()
}

// readDir reads one directory: its files become candidates and its
// subdirectories are entered.
func (w *walker) readDir(abs, real, root string, ignore []gitignore.Pattern, linked bool) {
	entries, err := os.ReadDir(abs)
	if err != nil {
		w.notice(model.NoticeError, w.display(abs), "directory could not be read: "+errText(err))
		return
	}
	if w.opts.Listed != nil {
		w.opts.Listed(real, entries)
	}
	// only a directory listing .gitignore has one to read: resolving
	// the path of one that is not there costs a stat per path
	// component, in every directory (3% of a 10,000-file scan's CPU)
	if slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return e.Name() == ".gitignore" }) {
		ignore = append(ignore[:len(ignore):len(ignore)], readGitignore(abs, real, root)...)
	}
	matcher := gitignore.NewMatcher(ignore)
	for _, e := range entries {
		name := e.Name()
		childAbs := filepath.Join(abs, name)
		childReal := filepath.Join(real, name)
		rel, _ := filepath.Rel(root, childReal)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		typ := e.Type()
		if typ&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(childAbs)
			if err != nil {
				w.notice(model.NoticeNote, w.display(childAbs), "symlink is broken or loops; not followed")
				continue
			}
			if !source.Within(target, root) {
				w.notice(model.NoticeNote, w.display(childAbs), "symlink points outside the scanned root; not followed")
				continue
			}
			info, err := os.Stat(target)
			if err != nil {
				continue
			}
			if matcher.Match(parts, info.IsDir()) {
				continue
			}
			if info.IsDir() {
				if prunedDirs[name] || w.excluded(childAbs, root, true) {
					continue
				}
				w.mu.Lock()
				w.links = append(w.links, dirLink{abs: childAbs, real: target, root: root, ignore: ignore})
				w.mu.Unlock()
			} else if info.Mode().IsRegular() {
				w.file(childAbs, target, root, info, false, true)
			}
			continue
		}
		if e.IsDir() {
			if prunedDirs[name] || matcher.Match(parts, true) || w.excluded(childAbs, root, true) {
				continue
			}
			w.enter(childAbs, childReal, root, ignore, linked)
			continue
		}
		if !typ.IsRegular() || matcher.Match(parts, false) {
			continue
		}
		if w.opts.Wanted != nil && !w.opts.Wanted(w.display(childAbs)) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		w.file(childAbs, childReal, root, info, false, linked)
	}
}

// file records a candidate file.
func (w *walker) file(abs, real, root string, info fs.FileInfo, explicit, linked bool) {
	disp := w.display(abs)
	if !explicit && w.opts.Wanted != nil && !w.opts.Wanted(disp) {
		return
	}
	if w.excluded(abs, root, false) {
		return
	}
	if w.opts.MaxFileSize > 0 && info.Size() > w.opts.MaxFileSize {
		w.mu.Lock()
		w.oversize = append(w.oversize, Candidate{Path: disp, Abs: abs, Real: real, Root: root, Size: info.Size(), Explicit: explicit, linked: linked})
		w.notices = append(w.notices, model.Notice{Level: model.NoticeNote, Loc: model.Location{File: disp},
			Message: fmt.Sprintf("skipped: %d bytes is over the %d-byte size limit (--max-file-size)", info.Size(), w.opts.MaxFileSize)})
		w.mu.Unlock()
		return
	}
	c := Candidate{Path: disp, Abs: abs, Real: real, Root: root, Size: info.Size(), Explicit: explicit, linked: linked}
	w.mu.Lock()
	prev, ok := w.byReal[real]
	if ok && !better(c, prev) {
		w.mu.Unlock()
		return // the same file reached twice (a symlink to it, or named twice)
	}
	w.byReal[real] = c
	w.mu.Unlock()
	if w.opts.Found != nil {
		w.opts.Found(c)
	}
}

// better decides, deterministically, which of two paths to the same file
// to keep: one named on the command line, then one not reached through a
// symlink, then the lexically first.
func better(c, prev Candidate) bool {
	if c.Explicit != prev.Explicit {
		return c.Explicit
	}
	if c.linked != prev.linked {
		return !c.linked
	}
	return c.Path < prev.Path
}

// maxGitignoreSize bounds a .gitignore file.
const maxGitignoreSize = 1 << 20

// readGitignore reads a directory's .gitignore, if any. It is read only when
// it resolves to a regular file inside the root.
func readGitignore(abs, real, root string) []gitignore.Pattern {
	b, _, err := source.ReadWithin(filepath.Join(real, ".gitignore"), root, maxGitignoreSize)
	if err != nil {
		return nil
	}
	rel, _ := filepath.Rel(root, real)
	var domain []string
	if rel != "." {
		domain = strings.Split(filepath.ToSlash(rel), "/")
	}
	var ps []gitignore.Pattern
	s := bufio.NewScanner(bytes.NewReader(b))
	for s.Scan() {
		line := strings.TrimRight(s.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
