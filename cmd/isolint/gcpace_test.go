package main

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestGCPaceBeforeDependencies checks that the binary sets the GC's pace
// before the dependencies that allocate megabytes when they initialise
// (jsonschema's meta-schemas, client-go's scheme): set after them, the
// runtime collects once during initialisation on every run.
func TestGCPaceBeforeDependencies(t *testing.T) {
	cmd := exec.Command(binary(t), "version")
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "GOGC=") && !strings.HasPrefix(e, "GODEBUG=") {
			env = append(env, e)
		}
	}
	cmd.Env = append(env, "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("isolint version: %v\n%s", err, out)
	}
	var order []string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "init" {
			order = append(order, f[1])
		}
	}
	pace := slices.Index(order, "github.com/isolint/isolint/internal/gcpace")
	if pace < 0 {
		t.Fatalf("internal/gcpace is not initialised:\n%s", out)
	}
	for _, dep := range []string{"github.com/santhosh-tekuri/jsonschema/v6", "k8s.io/client-go/kubernetes/scheme"} {
		if i := slices.Index(order, dep); i >= 0 && i < pace {
			t.Errorf("%s is initialised before internal/gcpace", dep)
		}
	}
}
