package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	gitconfig "github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// TestStripCredentials: no user name, password, token or query survives.
func TestStripCredentials(t *testing.T) {
	for in, want := range map[string]string{
		"https://x-access-token:ghs_abcdefghijklmnopqrstuvwxyz0123456789@github.com/acme/app.git": "https://github.com/acme/app.git",
		"https://user:pa%40ss@gitlab.example.com/group/app":                                       "https://gitlab.example.com/group/app",
		"https://gitlab-ci-token@gitlab.example.com/group/app.git?private_token=xyz":              "https://gitlab.example.com/group/app.git",
		"ssh://git@github.com/acme/app.git":                                                       "ssh://github.com/acme/app.git",
		"git@github.com:acme/app.git":                                                             "git@github.com:acme/app.git",
		"deploy:s3cret@host.example.com:acme/app.git":                                             "host.example.com:acme/app.git",
		"https://github.com/acme/app.git":                                                         "https://github.com/acme/app.git",
		"/home/me/src/app":                                                                        "(a local path, not recorded)",
	} {
		if got := StripCredentials(in); got != want {
			t.Errorf("StripCredentials(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReadRepository: the remote (without credentials), branch, commit and
// whether the tree is clean are read from .git; a change, a staged file or
// an untracked file makes the tree unclean, an ignored file does not; a
// .git file (linked worktree) is not followed.
func TestReadRepository(t *testing.T) {
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.CreateRemote(&gitconfig.RemoteConfig{Name: "origin", URLs: []string{"https://bot:tok3n@github.com/acme/app.git"}}); err != nil {
		t.Fatal(err)
	}
	write := func(name, content string) {
		t.Helper()
		full := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("deploy/app.yaml", "kind: Pod\n")
	write(".gitignore", "*.log\n")
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"deploy/app.yaml", ".gitignore"} {
		if _, err := wt.Add(f); err != nil {
			t.Fatal(err)
		}
	}
	sig := &object.Signature{Name: "t", Email: "t@example.com", When: time.Unix(1700000000, 0)}
	hash, err := wt.Commit("first", &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		t.Fatal(err)
	}

	g := readRepository(dir)
	if g == nil || g.Remote != "https://github.com/acme/app.git" || g.Commit != hash.String() || g.Ref != "refs/heads/master" || g.Clean == nil || !*g.Clean {
		t.Fatalf("clean repository: %+v", g)
	}
	write("debug.log", "ignored\n")
	if g := readRepository(dir); g.Clean == nil || !*g.Clean {
		t.Errorf("an ignored file made the tree unclean: %+v", g)
	}
	write("new.yaml", "kind: Pod\n")
	if g := readRepository(dir); g.Clean == nil || *g.Clean {
		t.Errorf("an untracked file left the tree clean: %+v", g)
	}
	os.Remove(filepath.Join(dir, "new.yaml"))
	write("deploy/app.yaml", "kind: Deployment\n")
	if g := readRepository(dir); g.Clean == nil || *g.Clean {
		t.Errorf("a changed file left the tree clean: %+v", g)
	}
	if _, err := wt.Add("deploy/app.yaml"); err != nil {
		t.Fatal(err)
	}
	if g := readRepository(dir); g.Clean == nil || *g.Clean {
		t.Errorf("a staged change left the tree clean: %+v", g)
	}

	linked := t.TempDir()
	if err := os.WriteFile(filepath.Join(linked, ".git"), []byte("gitdir: "+filepath.Join(dir, ".git")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if g := readRepository(linked); g == nil || g.Commit != "" || !strings.Contains(g.Note, "not read") {
		t.Errorf("linked worktree: %+v, want a note and nothing read", g)
	}
	if g := readRepository(t.TempDir()); g != nil {
		t.Errorf("no repository: %+v", g)
	}
}
