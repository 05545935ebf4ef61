package c

import (
	"os/exec"
	"testing"
)

func TestChild(t *testing.T) {
	exec.Command("x").Run() // want `exec.Command in TestChild starts`
}
