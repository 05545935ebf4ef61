package main

import "os/exec"

func main() {
	// isolint:ignore subprocess-inherits-env -- the wrapper must pass the user's environment to the editor
	exec.Command("vi").Run()
	exec.Command("less").Run() // want: subprocess-inherits-env
}
