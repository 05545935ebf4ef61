package a

import (
	. "os/exec"
	osexec "os/exec"
)

func renamed() {
	osexec.Command("x").Run() // want `exec.Command in renamed starts`
}

func dotImport() {
	Command("x").Run() // want `exec.Command in dotImport starts`
}
