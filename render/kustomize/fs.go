package kustomize

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	isource "github.com/isolint/isolint/source"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// errOutside is what kustomize sees for a path that leaves the scanned root
// (through "..", an absolute path or a symlink).
var errOutside = errors.New("outside the scanned root: not read")

// errReadOnly refuses every write: a build never writes.
var errReadOnly = errors.New("isolint builds read only")

// confinedFS is the file system krusty builds on: the disk, read only,
// below one real (symlink-resolved) root. A path that resolves outside the
// root is refused as if it did not exist, a file over the size limit is
// refused, and every file read is recorded so that the scan knows which
// files a build consumed.
type confinedFS struct {
	root  string // absolute, symlink-resolved
	limit int64
	// override serves these contents instead of the disk's (the overlay's
	// kustomization with origin annotations switched on), by real path.
	override map[string][]byte

	mu   sync.Mutex
	read map[string]bool // real paths of files read
}

func newConfinedFS(root string, limit int64) *confinedFS {
	return &confinedFS{root: root, limit: limit, override: map[string][]byte{}, read: map[string]bool{}}
}

// real resolves p (absolute, or relative to the root) and checks that it
// stays inside the root. A path that does not exist is returned cleaned
// when its parent resolves inside the root.
func (f *confinedFS) real(p string) (string, error) {
	if !filepath.IsAbs(p) {
		p = filepath.Join(f.root, p)
	}
	p = filepath.Clean(p)
	if !isource.Within(p, f.root) {
		return "", fmt.Errorf("%s: %w", p, errOutside)
	}
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		// a missing file: its parent must still resolve inside
		parent, perr := filepath.EvalSymlinks(filepath.Dir(p))
		if perr == nil && !isource.Within(parent, f.root) {
			return "", fmt.Errorf("%s: %w", p, errOutside)
		}
		return p, nil
	}
	if !isource.Within(r, f.root) {
		return "", fmt.Errorf("%s: %w", p, errOutside)
	}
	return r, nil
}

// Consumed returns the real paths of the files read, sorted.
func (f *confinedFS) Consumed() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, len(f.read))
	for p := range f.read {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func (f *confinedFS) Create(string) (filesys.File, error) { return nil, errReadOnly }
func (f *confinedFS) Mkdir(string) error                  { return errReadOnly }
func (f *confinedFS) MkdirAll(string) error               { return errReadOnly }
func (f *confinedFS) RemoveAll(string) error              { return errReadOnly }
func (f *confinedFS) WriteFile(string, []byte) error      { return errReadOnly }

// Open is only used by kustomize to read files; it is served from ReadFile
// so that the confinement and the size limit hold.
func (f *confinedFS) Open(p string) (filesys.File, error) {
	b, err := f.ReadFile(p)
	if err != nil {
		return nil, err
	}
	r, _ := f.real(p)
	return &memFile{name: filepath.Base(r), r: strings.NewReader(string(b)), size: int64(len(b))}, nil
}

func (f *confinedFS) IsDir(p string) bool {
	r, err := f.real(p)
	if err != nil {
		return false
	}
	info, err := os.Stat(r)
	return err == nil && info.IsDir()
}

func (f *confinedFS) Exists(p string) bool {
	r, err := f.real(p)
	if err != nil {
		return false
	}
	if _, ok := f.override[r]; ok {
		return true
	}
	_, err = os.Stat(r)
	return err == nil
}

func (f *confinedFS) ReadDir(p string) ([]string, error) {
	r, err := f.real(p)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(r)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out, nil
}

// CleanedAbs is kyaml's, without its log.Fatalf on surprising paths.
func (f *confinedFS) CleanedAbs(p string) (filesys.ConfirmedDir, string, error) {
	r, err := f.real(p)
	if err != nil {
		return "", "", err
	}
	info, err := os.Stat(r)
	if err != nil {
		if _, ok := f.override[r]; !ok {
			return "", "", err
		}
	} else if info.IsDir() {
		return filesys.ConfirmedDir(r), "", nil
	}
	d := filepath.Dir(r)
	if d == r {
		return "", "", fmt.Errorf("%s: not a file or directory", p)
	}
	return filesys.ConfirmedDir(d), filepath.Base(r), nil
}

func (f *confinedFS) Glob(pattern string) ([]string, error) {
	if !filepath.IsAbs(pattern) {
		pattern = filepath.Join(f.root, pattern)
	}
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range matches {
		if _, err := f.real(m); err == nil {
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out, nil
}

func (f *confinedFS) ReadFile(p string) ([]byte, error) {
	r, err := f.real(p)
	if err != nil {
		return nil, err
	}
	if b, ok := f.override[r]; ok {
		f.record(r)
		return b, nil
	}
	// regular files only, opened without blocking, read through the limit
	b, err := isource.ReadRegular(r, f.limit)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", p, isource.ErrText(err))
	}
	f.record(r)
	return b, nil
}

func (f *confinedFS) record(r string) {
	f.mu.Lock()
	f.read[r] = true
	f.mu.Unlock()
}

// Walk visits the files below p that stay inside the root.
func (f *confinedFS) Walk(p string, fn filepath.WalkFunc) error {
	r, err := f.real(p)
	if err != nil {
		return err
	}
	return filepath.Walk(r, func(q string, info os.FileInfo, err error) error {
		if _, rerr := f.real(q); rerr != nil {
			if info != nil && info.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		return fn(q, info, err)
	})
}

// memFile is a read-only file served from memory.
type memFile struct {
	name string
	r    io.Reader
	size int64
}

func (m *memFile) Read(b []byte) (int, error) { return m.r.Read(b) }
func (m *memFile) Write([]byte) (int, error)  { return 0, errReadOnly }
func (m *memFile) Close() error               { return nil }
func (m *memFile) Stat() (os.FileInfo, error) { return memInfo{m}, nil }

type memInfo struct{ m *memFile }

func (i memInfo) Name() string       { return i.m.name }
func (i memInfo) Size() int64        { return i.m.size }
func (i memInfo) Mode() os.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }
