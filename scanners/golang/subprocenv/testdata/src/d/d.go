// Package d uses golang.org/x/sys/execabs-style re-exports and an exported
// field in package main.
package main

import (
	"os"
	"os/exec"
)

// Exported fields of package main are used only here.
type Worker struct{ Cmd *exec.Cmd }

func main() {
	w := &Worker{Cmd: exec.Command("worker")} // want `exec.Command in main starts`
	w.Cmd.Stderr = os.Stderr
	_ = w.Cmd.Run()
}
