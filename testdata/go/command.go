// Child processes started with the whole parent environment, and near
// misses that stay quiet.
package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
)

func main() {
	exec.Command("git", "fetch").Run() // want: subprocess-inherits-env
}

func build(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, "make", "all") // want: subprocess-inherits-env
	cmd.Dir = "/src"
	cmd.Stdout = os.Stdout
	return cmd.Run()
}

func deploy() error {
	cmd := exec.Command("kubectl", "apply", "-f", "-")
	cmd.Env = os.Environ() // want: subprocess-inherits-env
	return cmd.Run()
}

func release() ([]byte, error) {
	cmd := exec.Command("goreleaser")
	cmd.Env = append(os.Environ(), "GORELEASER_CURRENT_TAG=v1.2.3") // want: subprocess-inherits-env
	return cmd.CombinedOutput()
}

func shell() {
	p, err := os.StartProcess("/bin/sh", []string{"sh", "-c", "date"}, &os.ProcAttr{Dir: "/tmp"}) // want: subprocess-inherits-env
	if err == nil {
		p.Wait()
	}
}

func reexec() error {
	return syscall.Exec("/proc/self/exe", os.Args, os.Environ()) // want: subprocess-inherits-env
}

// Near misses.

func lint() error {
	cmd := exec.Command("golangci-lint", "run")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	return cmd.Run()
}

func test() error {
	cmd := exec.Command("go", "test", "./...")
	cmd.Env = allowlisted(os.Environ(), "PATH", "HOME", "GOPATH", "GOCACHE")
	return cmd.Run()
}

// allowlisted keeps the named variables of env.
func allowlisted(env []string, names ...string) []string {
	var out []string
	for _, kv := range env {
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				out = append(out, kv)
			}
		}
	}
	return out
}

func sandboxed() {
	os.StartProcess("/usr/bin/env", nil, &os.ProcAttr{Env: []string{"LANG=C"}})
	syscall.Exec("/usr/bin/env", []string{"env"}, nil) // nil is an empty environment for syscall
}

// Dead code in a comment runs nothing:
// exec.Command("curl", "https://example.com").Run()
