// golang.org/x/sys/execabs re-exports os/exec's constructors.
package main

import exec "golang.org/x/sys/execabs"

func main() {
	exec.Command("git", "gc").Run() // want: subprocess-inherits-env
}
