// Package execabs stands in for golang.org/x/sys/execabs, which re-exports
// os/exec's Cmd and constructors.
package execabs

import "os/exec"

type Cmd = exec.Cmd

func Command(name string, arg ...string) *exec.Cmd {
	return &exec.Cmd{Path: name, Args: append([]string{name}, arg...)}
}
