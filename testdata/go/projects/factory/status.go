package gitutil

// Status is started with whatever environment git() gave it: none of its own.
func (r *Repo) Status() ([]byte, error) {
	return r.git("status", "--porcelain").Output()
}

// Log sets an environment of its own.
func (r *Repo) Log() ([]byte, error) {
	cmd := r.git("log", "-1")
	cmd.Env = []string{"GIT_PAGER=cat", "LANG=C"}
	return cmd.Output()
}
