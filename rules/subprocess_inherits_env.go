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
	Controls:   []controls.Ref{nhi(2), nist("SC-4"), nist("AC-6"), csf("PR.DS-10"), asi(3), asi(5)},
	Needs:      []model.InputKind{model.InputSubprocesses},
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
			loc := s.Loc
			var related []model.Related
			if s.EnvSet {
				loc = s.EnvLoc
				if s.EnvLoc.File != s.Loc.File || s.EnvLoc.Line != s.Loc.Line {
					related = append(related, model.Related{Loc: s.Loc, Message: "the process is made here"})
				}
			}
			p.Report(Finding{
				Message:  s.Summary() + ", with every secret in it",
				Loc:      loc,
				Related:  append(related, s.Via...),
				Format:   model.FormatGo,
				Object:   s.Loc.Object,
				Workload: s.Func,
			})
		}
	},
})
