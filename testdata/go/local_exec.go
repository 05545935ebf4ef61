// A package named exec that is not os/exec.
package tools

import "example.com/tools/exec"

func run() error {
	return exec.Command("lint").Run()
}
