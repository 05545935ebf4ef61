package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Repository identifies the git work tree a scan ran in, as an auditor
// needs it to check out the same tree again.
type Repository struct {
	// Remote is the URL of the remote "origin" (else the first remote, by
	// name), with any user name, password or token removed.
	Remote string `json:"remote,omitempty"`
	// Commit is the commit HEAD points at; Ref the branch HEAD names (""
	// when HEAD is detached).
	Commit string `json:"commit,omitempty"`
	Ref    string `json:"ref,omitempty"`
	// Clean is true when the work tree and the index match the commit
	// (files .gitignore ignores aside); nil when it could not be told.
	Clean *bool `json:"clean"`
	// Note says what could not be read, and why.
	Note string `json:"note,omitempty"`
}

// maxProvenanceBlob bounds the size of a tracked file hashed to tell
// whether the tree is clean; a larger changed file is judged by its size.
const maxProvenanceBlob = 64 << 20

// readRepository reads the git metadata of the work tree rooted at base
// (the scan's source root: the directory holding .git around the scanned
// paths). It reads .git through go-git's storage bound to that directory
// (HEAD, refs, packed-refs, config, index and the objects of the HEAD
// tree), never runs git, and opens nothing outside the work tree: no
// global or system git config, no alternates, no linked worktree's common
// directory. It returns nil when base holds no .git.
func readRepository(base string) *Repository {
	if base == "" {
		return nil
	}
	dotGit := filepath.Join(base, ".git")
	info, err := os.Lstat(dotGit)
	if err != nil {
		return nil
	}
	if !info.IsDir() {
		return &Repository{Note: ".git is not a directory (a linked worktree or a submodule keeps its git directory outside the work tree): not read"}
	}
	gitFS := osfs.New(dotGit, osfs.WithBoundOS())
	st := filesystem.NewStorageWithOptions(gitFS, cache.NewObjectLRU(8<<20), filesystem.Options{AlternatesFS: gitFS})
	out := &Repository{}
	if cfg, err := st.Config(); err == nil {
		names := make([]string, 0, len(cfg.Remotes))
		for name := range cfg.Remotes {
			names = append(names, name)
		}
		sort.Strings(names)
		pick := ""
		for _, n := range names {
			if n == "origin" {
				pick = n
			}
		}
		if pick == "" && len(names) > 0 {
			pick = names[0]
		}
		if pick != "" && len(cfg.Remotes[pick].URLs) > 0 {
			out.Remote = StripCredentials(cfg.Remotes[pick].URLs[0])
		}
	}
	head, err := st.Reference(plumbing.HEAD)
	if err != nil {
		out.Note = "HEAD could not be read: " + err.Error()
		return out
	}
	if head.Type() == plumbing.SymbolicReference && head.Target().IsBranch() {
		out.Ref = head.Target().String()
	}
	resolved, err := storer.ResolveReference(st, plumbing.HEAD)
	if err != nil {
		out.Note = "HEAD names no commit yet"
		return out
	}
	out.Commit = resolved.Hash().String()
	clean, why := isClean(st, base, resolved.Hash())
	if why != "" {
		out.Note = "whether the work tree is clean could not be told: " + why
		return out
	}
	out.Clean = &clean
	return out
}

// isClean compares the HEAD tree with the index, and the index with the
// work tree (size and modification time first, then content), and looks
// for untracked files that .gitignore does not ignore. A non-empty string
// says why it could not tell.
func isClean(st *filesystem.Storage, base string, commit plumbing.Hash) (bool, string) {
	tree, err := commitTree(st, commit)
	if err != nil {
		return false, err.Error()
	}
	headFiles := map[string]plumbing.Hash{}
	if err := readTree(st, tree, "", headFiles, 0); err != nil {
		return false, err.Error()
	}
	idx, err := st.Index()
	if err != nil {
		return false, "the index could not be read: " + err.Error()
	}
	tracked := make(map[string]bool, len(idx.Entries))
	for _, e := range idx.Entries {
		if e.Stage != 0 {
			return false, "" // a merge in progress
		}
		tracked[e.Name] = true
		if h, ok := headFiles[e.Name]; !ok || h != e.Hash {
			return false, "" // staged, not committed
		}
		if e.SkipWorktree || e.Mode == filemode.Submodule {
			continue
		}
		if !sameInWorkTree(base, e) {
			return false, ""
		}
	}
	if len(tracked) != len(headFiles) {
		return false, "" // a staged deletion
	}
	return !hasUntracked(base, tracked), ""
}

func commitTree(st *filesystem.Storage, commit plumbing.Hash) (plumbing.Hash, error) {
	obj, err := st.EncodedObject(plumbing.CommitObject, commit)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("commit %s could not be read: %w", commit, err)
	}
	r, err := obj.Reader()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer r.Close()
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "tree ") {
		return plumbing.ZeroHash, fmt.Errorf("commit %s has no tree", commit)
	}
	return plumbing.NewHash(strings.TrimSpace(strings.TrimPrefix(line, "tree "))), nil
}

// readTree lists the blobs of a tree object by path.
func readTree(st *filesystem.Storage, h plumbing.Hash, prefix string, out map[string]plumbing.Hash, depth int) error {
	if depth > 256 {
		return fmt.Errorf("tree %s is nested too deeply", h)
	}
	obj, err := st.EncodedObject(plumbing.TreeObject, h)
	if err != nil {
		return fmt.Errorf("tree %s could not be read: %w", h, err)
	}
	r, err := obj.Reader()
	if err != nil {
		return err
	}
	data, err := io.ReadAll(r)
	r.Close()
	if err != nil {
		return err
	}
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		nul := bytes.IndexByte(data, 0)
		if sp < 0 || nul < sp || len(data) < nul+1+20 {
			return fmt.Errorf("tree %s is malformed", h)
		}
		mode, name := string(data[:sp]), string(data[sp+1:nul])
		var child plumbing.Hash
		copy(child[:], data[nul+1:nul+21])
		data = data[nul+21:]
		p := prefix + name
		switch mode {
		case "40000":
			if err := readTree(st, child, p+"/", out, depth+1); err != nil {
				return err
			}
		default: // a blob, a symlink, or a submodule's commit
			out[p] = child
		}
	}
	return nil
}

// sameInWorkTree reports whether the work tree's file matches an index
// entry. The file is read only when it lies inside base.
func sameInWorkTree(base string, e *index.Entry) bool {
	if !filepath.IsLocal(filepath.FromSlash(e.Name)) {
		return false
	}
	full := filepath.Join(base, filepath.FromSlash(e.Name))
	if dir, err := filepath.EvalSymlinks(filepath.Dir(full)); err != nil || !within(dir, base) {
		return false
	}
	fi, err := os.Lstat(full)
	if err != nil {
		return false
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		target, err := os.Readlink(full)
		return err == nil && plumbing.ComputeHash(plumbing.BlobObject, []byte(filepath.ToSlash(target))) == e.Hash
	}
	if !fi.Mode().IsRegular() {
		return false
	}
	if uint32(fi.Size()) == e.Size && fi.ModTime().Equal(e.ModifiedAt) {
		return true // git's own stat check
	}
	if fi.Size() > maxProvenanceBlob {
		return false
	}
	b, err := os.ReadFile(full)
	return err == nil && plumbing.ComputeHash(plumbing.BlobObject, b) == e.Hash
}

func within(path, base string) bool {
	if real, err := filepath.EvalSymlinks(base); err == nil {
		base = real
	}
	rel, err := filepath.Rel(base, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// hasUntracked walks the work tree for a file neither tracked nor ignored
// (by .gitignore files and .git/info/exclude); it follows no symlink.
func hasUntracked(base string, tracked map[string]bool) bool {
	patterns, _ := gitignore.ReadPatterns(osfs.New(base, osfs.WithBoundOS()), nil)
	m := gitignore.NewMatcher(patterns)
	found := false
	_ = filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil || found {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(base, p)
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		parts := strings.Split(rel, "/")
		if d.IsDir() {
			// .git, an ignored folder, or a submodule (its own repository)
			if rel == ".git" || tracked[rel] || m.Match(parts, true) {
				return filepath.SkipDir
			}
			return nil
		}
		if !tracked[rel] && !m.Match(parts, false) {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// scpLike is git's user@host:path form of an SSH URL.
var scpLike = regexp.MustCompile(`^([^@/]+)@([^/:@]+):(.*)$`)

// StripCredentials removes the user information of a remote URL (a token
// in https://x-access-token:TOKEN@github.com/…, a password) and its query:
// a report never carries a credential. The SSH account of user@host:path
// is kept only when it is "git", the usual account name.
func StripCredentials(raw string) string {
	raw = strings.TrimSpace(raw)
	if strings.HasPrefix(raw, "/") || strings.HasPrefix(raw, "file:") || strings.HasPrefix(raw, ".") || filepath.IsAbs(raw) {
		return "(a local path, not recorded)" // it would name a directory of the machine
	}
	if m := scpLike.FindStringSubmatch(raw); m != nil && !strings.Contains(raw, "://") {
		if m[1] == "git" {
			return raw
		}
		return m[2] + ":" + m[3]
	}
	u, err := url.Parse(raw)
	if err != nil {
		// unparseable: keep nothing up to the last @ of the authority
		if i := strings.Index(raw, "://"); i >= 0 {
			rest := raw[i+3:]
			authority := strings.SplitN(rest, "/", 2)[0]
			if at := strings.LastIndex(authority, "@"); at >= 0 {
				return raw[:i+3] + rest[at+1:]
			}
		}
		return raw
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	return u.String()
}
