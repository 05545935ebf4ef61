// Command isolint-vet runs isolint's Go analyzer, subprocenv (rule
// subprocess-inherits-env), with full type information from the go
// command:
//
//	go install github.com/isolint/isolint/cmd/isolint-vet@latest
//	go vet -vettool=$(which isolint-vet) ./...
//
// or standalone, `isolint-vet ./...` (flags: `isolint-vet -help`). Unlike
// `isolint scan`, it loads packages through the go command, so it sees
// helpers in other packages of the module and needs the module to build.
package main

import (
	"github.com/isolint/isolint/scanners/golang/subprocenv"
	"golang.org/x/tools/go/analysis/singlechecker"
)

func main() { singlechecker.Main(subprocenv.Analyzer) }
