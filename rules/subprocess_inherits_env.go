package rules

import (
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "subprocess-inherits-env",
	Title:      "Child process inherits the whole parent environment",
	Severity:   Medium,
	Confidence: ConfidenceHigh,
	Axis:       AxisSecrets,
	Formats:    []model.Format{model.FormatGo},
	Controls:   []controls.Ref{nhi(2), nist("SC-4"), nist("AC-6"), csf("PR.DS-10")},
	Description: "A Go program that starts a child process with `exec.Command` (or `exec.CommandContext`, an " +
		"`exec.Cmd` literal, `os.StartProcess`) and leaves `Env` nil, or sets it from `os.Environ()`, hands the " +
		"child every variable of its own environment. The tokens an agent, a CI job or a service holds (cloud " +
		"credentials, `GITHUB_TOKEN`, database passwords) then reach a tool that never needed them, and anything " +
		"that tool runs. `syscall.Exec` and `syscall.ForkExec` given `os.Environ()` do the same. The Cmd is followed " +
		"through variables, unexported fields, in-package helpers and functions that return it; a Cmd handed to " +
		"another package, or an environment built by code the analysis cannot see, is not reported. Also available " +
		"as the go/analysis analyzer `subprocenv` (`go vet -vettool=$(which isolint-vet)`).",
	Fix: "Set `Env` to the variables the child needs, built explicitly: " +
		"`cmd.Env = []string{\"PATH=\" + os.Getenv(\"PATH\"), \"HOME=\" + home}`, or filter `os.Environ()` " +
		"through an allow-list helper.",
	Examples: []Example{{
		Format: model.FormatGo, Path: "main.go",
		Bad: `package main

import "os/exec"

func main() {
	cmd := exec.Command("terraform", "plan")
	_ = cmd.Run()
}`,
		Good: `package main

import (
	"os"
	"os/exec"
)

func main() {
	cmd := exec.Command("terraform", "plan")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "TF_IN_AUTOMATION=1"}
	_ = cmd.Run()
}`,
	}},
	Project: func(p *Pass, proj *model.Project) {
		for _, s := range proj.Subprocesses {
			if !s.EnvInherits || s.Unknown {
				continue
			}
			what := s.Call + " in " + s.Func
			var msg string
			tail := ": the child inherits the whole parent environment, with every secret in it"
			loc := s.Loc
			var related []model.Related
			switch {
			case s.EnvSet && envField(s.Call) == "":
				loc = s.EnvLoc
				msg = what + " is given " + s.EnvFrom + " as the new program's environment"
				tail = ": the program inherits the whole environment of the one it replaces, with every secret in it"
			case s.EnvSet:
				loc = s.EnvLoc
				field := envField(s.Call)
				if s.EnvFrom != "" {
					msg = field + " of " + what + " is set from " + s.EnvFrom
				} else {
					msg = field + " of " + what + " is set to nil"
				}
				if s.EnvLoc.File != s.Loc.File || s.EnvLoc.Line != s.Loc.Line {
					related = append(related, model.Related{Loc: s.Loc, Message: "the process is made here"})
				}
			default:
				msg = what + " starts a process with " + envField(s.Call) + " unset"
			}
			related = append(related, s.Via...)
			p.Report(Finding{
				Message:  msg + tail,
				Loc:      loc,
				Related:  related,
				Format:   model.FormatGo,
				Object:   s.Loc.Object,
				Workload: s.Func,
			})
		}
	},
})

// envField names where a launch's environment is written: a field, or ""
// for an argument.
func envField(call string) string {
	switch call {
	case "os.StartProcess", "syscall.ForkExec", "syscall.StartProcess":
		return "ProcAttr.Env"
	case "syscall.Exec", "unix.Exec":
		return "" // the environment is an argument
	}
	return "Cmd.Env"
}
