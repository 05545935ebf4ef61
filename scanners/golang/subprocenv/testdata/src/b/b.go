// Package b uses a package named exec that is not os/exec.
package b

import "example.com/tools/exec"

func run() {
	exec.Command("x").Run()
}
