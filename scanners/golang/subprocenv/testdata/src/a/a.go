// Package a holds the cases of the subprocenv analyzer.
package a

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
)

func unset() error {
	return exec.Command("git", "status").Run() // want `^exec.Command in unset starts a process with Cmd.Env unset: the child inherits the whole parent environment$`
}

func contextUnset(ctx context.Context) {
	cmd := exec.CommandContext(ctx, "make") // want `exec.CommandContext in contextUnset starts a process with Cmd.Env unset`
	cmd.Dir = "/src"
	_ = cmd.Run()
}

func environ() {
	cmd := exec.Command("deploy")
	cmd.Env = os.Environ() // want `^Cmd.Env of exec.Command in environ is set from os.Environ\(\): the child inherits`
	_ = cmd.Run()
}

func appendEnviron() {
	cmd := exec.Command("deploy")
	cmd.Env = append(os.Environ(), "MODE=prod") // want `set from os.Environ\(\)`
	_ = cmd.Start()
}

func throughVariable() {
	env := os.Environ()
	env = append(env, "A=1")
	cmd := exec.Command("x")
	cmd.Env = env // want `set from os.Environ\(\)`
	cmd.Run()
}

func setToNil() {
	cmd := exec.Command("x")
	cmd.Env = nil // want `Cmd.Env of exec.Command in setToNil is set to nil`
	cmd.Run()
}

func cmdEnviron() {
	cmd := exec.Command("x")
	cmd.Env = append(cmd.Environ(), "A=1") // want `set from cmd.Environ\(\)`
	cmd.Run()
}

func syscallEnviron() {
	cmd := exec.Command("x")
	cmd.Env = slices.Clone(syscall.Environ()) // want `set from syscall.Environ\(\)`
	cmd.Run()
}

func baseEnv() []string { return append(os.Environ(), "LANG=C") }

func throughHelperResult() {
	cmd := exec.Command("x")
	cmd.Env = baseEnv() // want `set from os.Environ\(\)`
	cmd.Run()
}

// Set only on one path, from os.Environ(): every path inherits.
func maybeExtra(extra []string) {
	cmd := exec.Command("x")
	if len(extra) > 0 {
		cmd.Env = append(os.Environ(), extra...) // want `set from os.Environ\(\)`
	}
	cmd.Run()
}

func laterInFunction() {
	cmd := exec.Command("x") // want `exec.Command in laterInFunction starts`
	cmd.Stdout = os.Stdout
	if err := cmd.Start(); err != nil {
		return
	}
	_ = cmd.Wait()
}

func inGoroutine() {
	cmd := exec.Command("x") // want `exec.Command in inGoroutine starts`
	go func() { _ = cmd.Run() }()
}

func methodValue(run func(func() error)) {
	cmd := exec.Command("x") // want `exec.Command in methodValue starts`
	run(cmd.Run)
}

func literal() {
	c := &exec.Cmd{Path: "/bin/true"} // want `exec.Cmd in literal starts a process with Cmd.Env unset`
	c.Run()
}

func literalEnviron() {
	c := exec.Cmd{Path: "/bin/true", Env: os.Environ()} // want `Cmd.Env of exec.Cmd in literalEnviron is set from os.Environ\(\)`
	c.Run()
}

var daemon = exec.Command("daemon") // want `exec.Command in var daemon starts`

var lazyEnv = func() []byte {
	var out bytes.Buffer
	cmd := exec.Command("go", "env") // want `exec.Command in var lazyEnv starts`
	cmd.Stdout = &out
	cmd.Run()
	return out.Bytes()
}()

func startDaemon() { daemon.Start() }

// Passed to a helper that starts it as it is.
func passedToRunner() {
	cmd := exec.Command("x") // want `exec.Command in passedToRunner starts`
	runIt(cmd)
}

func runIt(c *exec.Cmd) error {
	c.Stdout = os.Stdout
	return c.Run()
}

// A factory: its callers decide.
func gitCmd(args ...string) *exec.Cmd {
	cmd := exec.Command("git", args...) // want `exec.Command in gitCmd starts`
	cmd.Dir = "/repo"
	return cmd
}

func status() ([]byte, error) { return gitCmd("status").Output() }

// A factory with a named result and a bare return.
func shellCmd(script string) (cmd *exec.Cmd, err error) {
	cmd = exec.Command("sh", "-c", script) // want `exec.Command in shellCmd starts`
	return
}

func runScript() {
	c, _ := shellCmd("date")
	c.Run()
}

func gitLog() error {
	c := gitCmd("log")
	c.Env = []string{"GIT_PAGER=cat"}
	return c.Run()
}

func toolCmd(name string) (*exec.Cmd, error) {
	return exec.Command(name), nil
}

func inheritingCaller() {
	c, _ := toolCmd("y")
	c.Env = os.Environ() // want `Cmd.Env of exec.Command in toolCmd is set from os.Environ\(\)`
	c.Run()
}

func explicitCaller() {
	c, err := toolCmd("y")
	if err != nil {
		return
	}
	c.Env = []string{}
	c.Run()
}

type proc struct{ cmd *exec.Cmd }

func newProc() *proc { return &proc{cmd: exec.Command("server")} } // want `exec.Command in newProc starts`

func (p *proc) start() error { return p.cmd.Start() }

func startProcess() {
	os.StartProcess("/bin/sh", []string{"sh"}, &os.ProcAttr{Dir: "/"}) // want `os.StartProcess in startProcess starts a process with ProcAttr.Env unset`
}

func startProcessEnviron() {
	attr := &os.ProcAttr{}
	attr.Env = os.Environ() // want `ProcAttr.Env of os.StartProcess in startProcessEnviron is set from os.Environ\(\)`
	os.StartProcess("/bin/sh", nil, attr)
}

func syscallExec() {
	syscall.Exec("/bin/sh", []string{"sh"}, os.Environ()) // want `^syscall.Exec in syscallExec is given os.Environ\(\) as the new program's environment: the program inherits the whole environment of the one it replaces$`
}

func forkExec() {
	syscall.ForkExec("/bin/sh", nil, &syscall.ProcAttr{Env: os.Environ()}) // want `ProcAttr.Env of syscall.ForkExec in forkExec is set from os.Environ\(\)`
}

// Near misses: none of these is reported.

func explicit() {
	cmd := exec.Command("x")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	cmd.Run()
}

func explicitEmpty() {
	cmd := exec.Command("x")
	cmd.Env = []string{}
	cmd.Run()
}

func filtered() {
	cmd := exec.Command("x")
	cmd.Env = allowed(os.Environ())
	cmd.Run()
}

func allowed(env []string) []string {
	var out []string
	for _, kv := range env {
		if strings.HasPrefix(kv, "PATH=") || strings.HasPrefix(kv, "HOME=") {
			out = append(out, kv)
		}
	}
	return out
}

func filteredInPlace() {
	env := os.Environ()
	env = allowed(env)
	cmd := exec.Command("x")
	cmd.Env = env
	cmd.Run()
}

func deleteFunc() {
	cmd := exec.Command("x")
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "AWS_") })
	cmd.Run()
}

func builtFromMap(vars map[string]string) {
	cmd := exec.Command("x")
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Run()
}

type envSource interface{ Env() []string }

func fromInterface(s envSource) {
	cmd := exec.Command("x")
	cmd.Env = s.Env()
	cmd.Run()
}

func fromParameter(env []string) {
	cmd := exec.Command("x")
	cmd.Env = env
	cmd.Run()
}

func conditional(inherit bool) {
	cmd := exec.Command("x")
	if inherit {
		cmd.Env = os.Environ()
	} else {
		cmd.Env = []string{"A=1"}
	}
	cmd.Run()
}

func passedToSetter() {
	cmd := exec.Command("x")
	cleanEnv(cmd)
	cmd.Run()
}

func cleanEnv(c *exec.Cmd) { c.Env = []string{"PATH=/usr/bin"} }

type runner interface{ Run(*exec.Cmd) error }

func handedAway(r runner) {
	cmd := exec.Command("x")
	r.Run(cmd)
}

func intoSlice() []*exec.Cmd {
	var cmds []*exec.Cmd
	cmds = append(cmds, exec.Command("x"))
	return cmds
}

func neverStarted() {
	cmd := exec.Command("x")
	fmt.Println(cmd.String())
	_ = exec.Command("y")
}

// Exported and never called here: its callers elsewhere decide.
func NewCmd() *exec.Cmd { return exec.Command("z") }

type server struct{ cmd *exec.Cmd }

func (s *server) init() {
	s.cmd = exec.Command("srv")
	s.cmd.Env = []string{"PORT=8080"}
}

func (s *server) run() error { return s.cmd.Run() }

// Job is exported: other packages may set Job.Cmd.Env.
type Job struct{ Cmd *exec.Cmd }

func NewJob() *Job { return &Job{Cmd: exec.Command("job")} }

func (j *Job) Start() error { return j.Cmd.Start() }

func startProcessExplicit() {
	os.StartProcess("/bin/sh", nil, &os.ProcAttr{Env: []string{"A=1"}})
}

func syscallNil() {
	syscall.Exec("/bin/sh", []string{"sh"}, nil)
	syscall.ForkExec("/bin/sh", nil, nil)
	syscall.StartProcess("/bin/sh", nil, &syscall.ProcAttr{})
}

func shadowed() {
	exec := fakeExec{}
	exec.Command("x").Run()
}

type fakeExec struct{}

func (fakeExec) Command(string) fakeCmd { return fakeCmd{} }

type fakeCmd struct{}

func (fakeCmd) Run() error { return nil }

// In a comment, nothing runs: exec.Command("x").Run()
var _ = `exec.Command("x").Run()`
