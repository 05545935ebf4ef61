package gitutil

import (
	"os"
	"os/exec"
)

// Repo runs git in a work tree.
type Repo struct{ dir string }

// git makes a git command; its callers decide the environment.
func (r *Repo) git(args ...string) *exec.Cmd {
	cmd := exec.Command("git", args...) // want: subprocess-inherits-env
	cmd.Dir = r.dir
	cmd.Stderr = os.Stderr
	return cmd
}
