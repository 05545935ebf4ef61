package a

import (
	"os/exec"
	"testing"
)

// Test helpers start fake children: skipped unless -include-tests.
func TestHelper(t *testing.T) {
	exec.Command("x").Run()
}
