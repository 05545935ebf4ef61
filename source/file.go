// Package source holds what the walk hands to scanners: a file's display
// path and bytes, and a reader that never leaves the scanned roots.
package source

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/isolint/isolint/model"
	yaml "go.yaml.in/yaml/v3"
)

// File is one file to scan.
type File struct {
	// Path is the slash-separated path shown in every output, relative to
	// the source root (the repository, or the working directory).
	Path string
	// Abs is the absolute path on disk.
	Abs string
	// Root is the absolute, symlink-resolved scan root the file lies under.
	Root string
	// Content is the file's bytes; scanners must not keep it after Scan.
	Content []byte
	// Format is the format the file was classified as, or forced to.
	Format model.Format
	// Prepared is what the format's scanner computed from this file alone
	// while it was read on a parallel worker (a parsed syntax tree), for
	// the scanners that lower their files together; nil when nothing was.
	Prepared any
	// KeepYAML, when set, receives each YAML document a scanner parsed
	// (the line of the file it starts on, and its content node, whose
	// positions count from that line), so that a later reader of the same
	// file (the fix survey) need not parse it again. Scanners must not
	// use a node after handing it over.
	KeepYAML func(line int, root *yaml.Node)
}

// ErrOutsideRoot is returned for a path that resolves outside the scan root.
var ErrOutsideRoot = errors.New("path leaves the scanned root")

// ReadSibling reads a file named relative to f (a compose .env file, an
// included CI file). It refuses anything that resolves, through ".." or a
// symlink, outside f's scan root, and anything larger than limit bytes.
func (f *File) ReadSibling(rel string, limit int64) ([]byte, string, error) {
	if filepath.IsAbs(rel) {
		return nil, "", ErrOutsideRoot
	}
	abs := filepath.Join(filepath.Dir(f.Abs), filepath.FromSlash(rel))
	b, _, err := ReadWithin(abs, f.Root, limit)
	if err != nil {
		return nil, "", err
	}
	display := strings.TrimPrefix(filepath.ToSlash(filepath.Join(filepath.Dir(filepath.FromSlash(f.Path)), filepath.FromSlash(rel))), "./")
	return b, display, nil
}

// Within reports whether path p is root or lies below it (both absolute and
// clean).
func Within(p, root string) bool {
	if p == root {
		return true
	}
	if !strings.HasSuffix(root, string(filepath.Separator)) {
		root += string(filepath.Separator)
	}
	return strings.HasPrefix(p, root)
}

// WorkTree is the git work tree the file's display path is relative to
// (the CLI picks the one around the paths it is given), when that folder
// holds the scanned root; "" otherwise. It is the symlink-resolved folder;
// only the existence of .git is checked.
func (f *File) WorkTree() string {
	base, ok := strings.CutSuffix(filepath.ToSlash(f.Abs), "/"+f.Path)
	if !ok || f.Root == "" || strings.HasPrefix(f.Path, "../") {
		return ""
	}
	real, err := filepath.EvalSymlinks(filepath.FromSlash(base))
	if err != nil || !Within(f.Root, real) {
		return ""
	}
	if _, err := os.Lstat(filepath.Join(real, ".git")); err != nil {
		return ""
	}
	return real
}
