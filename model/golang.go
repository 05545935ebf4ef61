package model

// The Go part of the model: places in Go source that start a child process,
// and where the child's environment comes from. The go scanner fills it;
// rules about subprocess environments read it.

// Subprocess is one child process a Go program starts: an exec.Cmd made by
// exec.Command, exec.CommandContext or a Cmd literal and then started
// (Run, Start, Output, CombinedOutput), os.StartProcess, or syscall.Exec,
// ForkExec or StartProcess.
//
// A Cmd whose Env is nil, and an os.ProcAttr whose Env is nil, give the
// child the parent's whole environment (os/exec: "If Env is nil, the new
// process uses the current process's environment"). syscall's functions
// give a nil environment as empty.
type Subprocess struct {
	// Loc is the call that makes the process: the `exec.Command` of
	// exec.Command(…), the type of a Cmd literal, the `os.StartProcess` of
	// the call. Loc.Object is the enclosing function (Package.Func) and
	// Loc.Path a key that survives edits elsewhere in the file
	// ("run/exec.Command#2": the second exec.Command call in run).
	Loc Location
	// Call names the API: "exec.Command", "exec.CommandContext", "exec.Cmd"
	// (a literal), "os.StartProcess", "syscall.Exec", "syscall.ForkExec",
	// "syscall.StartProcess", "unix.Exec".
	Call string
	// Package is the Go package name; Func the enclosing function as Go
	// writes it: "run", "(*Runner).Start", or "var name" for a package-level
	// variable's initializer.
	Package string
	Func    string

	// EnvSet reports that the child's environment is given a value: Cmd.Env
	// assigned or written in the literal, ProcAttr.Env written, syscall's
	// envv argument. EnvLoc is that value (for an inheriting process, the
	// value that passes the parent's environment on).
	EnvSet bool
	EnvLoc Location
	// EnvInherits reports that the child receives the parent's whole
	// environment: Env never set, or set from os.Environ() (or
	// append(os.Environ(), …), cmd.Environ(), syscall.Environ()).
	EnvInherits bool
	// EnvFrom names the call that reads the parent's environment when Env
	// is set from it: "os.Environ()", "cmd.Environ()".
	EnvFrom string
	// Unknown reports an environment that cannot be judged offline: the Cmd
	// is handed to code in another package or stored where other code may
	// set Env, or Env comes from a value the analysis cannot see through.
	// Unknown subprocesses never give a confident finding.
	Unknown bool
	// Via are the places the process passes through between where it is
	// made and where it starts: the call sites of a function that returns
	// the Cmd, where it is started without an Env.
	Via []Related
}

// Summary says in one sentence why the child inherits the parent's
// environment (for an EnvInherits subprocess). It names APIs and
// functions, never a value. Both the rule and the go/analysis analyzer
// print it.
func (s *Subprocess) Summary() string {
	what := s.Call
	if s.Func != "" {
		what += " in " + s.Func
	}
	const inherits = ": the child inherits the whole parent environment"
	field := "Cmd.Env"
	switch s.Call {
	case "os.StartProcess", "syscall.ForkExec", "syscall.StartProcess":
		field = "ProcAttr.Env"
	case "syscall.Exec", "unix.Exec":
		return what + " is given " + s.EnvFrom + " as the new program's environment: the program inherits the whole environment of the one it replaces"
	}
	switch {
	case !s.EnvSet:
		return what + " starts a process with " + field + " unset" + inherits
	case s.EnvFrom != "":
		return field + " of " + what + " is set from " + s.EnvFrom + inherits
	}
	return field + " of " + what + " is set to nil" + inherits
}
