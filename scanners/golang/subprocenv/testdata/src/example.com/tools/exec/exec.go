// Package exec is a package named exec that is not os/exec.
package exec

type Cmd struct{ Env []string }

func Command(name string, args ...string) *Cmd { return &Cmd{} }

func (c *Cmd) Run() error { return nil }
