package main

import "os/exec"

// Session is an interactive session.
type Session struct{ file string }

// openEditor is waived in .isolint.yaml by function name.
func (s *Session) openEditor() error {
	return exec.Command("vi", s.file).Run()
}

// pager is not waived: the waiver names openEditor.
func (s *Session) pager() error {
	return exec.Command("less", s.file).Run() // want: subprocess-inherits-env
}
