package runner

import "os/exec"

// Run runs the tool with a minimal environment.
func Run() error {
	cmd := exec.Command("tool")
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	return cmd.Run()
}
