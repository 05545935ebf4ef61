// Package main uses x/sys/execabs, and an exported field that only package
// main can set.
package main

import (
	"os"
	"os/exec"

	execabs "golang.org/x/sys/execabs"
)

// Exported fields of package main are used only here.
type Worker struct{ Cmd *exec.Cmd }

func main() {
	w := &Worker{Cmd: exec.Command("worker")} // want `exec.Command in main starts`
	w.Cmd.Stderr = os.Stderr
	_ = w.Cmd.Run()
	execabs.Command("git", "gc").Run() // want `exec.Command in main starts`
}
