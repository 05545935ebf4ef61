// Command isolint reports where a runtime can reach more than its task
// needs: inherited secrets, broad egress, host reach and shared identities,
// in Kubernetes manifests and the other formats it reads.
package main

import (
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"

	"github.com/isolint/isolint/config"
	// sets the GC's pace (GOGC=150, capped at twice the live heap) before the dependencies initialise
	_ "github.com/isolint/isolint/internal/gcpace"
	"github.com/isolint/isolint/internal/safetext"
	"github.com/isolint/isolint/internal/version"
	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitOK       = 0 // nothing at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitUsage    = 2 // usage or fatal error
	exitEmpty    = 3 // no supported file found (see --allow-empty)
	// exitUnrendered: a Helm chart or Kustomize overlay (or a chart's
	// dependency) did not render, so what it deploys was not checked (see
	// --allow-unrendered). Findings at or above --fail-on take precedence.
	exitUnrendered = 4
	// exitUnread: a file could not be read or parsed in full, or was
	// skipped, so it was not checked (see --allow-unread). Findings at or
	// above --fail-on take precedence.
	exitUnread = 5
)

// stdin is what `isolint scan -` reads; tests replace it.
var stdin io.Reader = os.Stdin

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func main() {
	// Helm's packages log warnings through log and log/slog, and some quote
	// values from the charts they read: nothing isolint did not compose
	// itself reaches the terminal.
	log.SetOutput(io.Discard)
	slog.SetDefault(slog.New(slog.DiscardHandler))
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the CLI and returns the exit code; tests call it directly.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		var ce *config.Error
		switch {
		case errors.As(ee.err, &ce):
			fmt.Fprintln(stderr, safetext.Path(ce.Error())) // file:line: message, as editors read it
		case ee.err != nil:
			fmt.Fprintln(stderr, "isolint:", safetext.Line(ee.err.Error()))
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "isolint:", safetext.Line(err.Error()))
	return exitUsage
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "isolint",
		Short: "Find where a runtime can reach more than its task needs",
		Long: "isolint statically reads the files that define where code runs (Kubernetes manifests and more)\n" +
			"and reports inherited secrets, broad egress, host reach and shared execution identities.",
		SilenceUsage:  true,
		SilenceErrors: true,
		// --version (and -v), as trivy, checkov and kube-linter take it
		Version: version.String(),
	}
	root.SetVersionTemplate(versionLine() + "\n")
	root.Flags().BoolP("version", "v", false, "print the version (as the version command does)")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: fmt.Errorf("%w (see `%s --help`)", err, c.CommandPath())}
	})
	root.AddCommand(newScanCmd(stdout, stderr), newBaselineCmd(stdout, stderr), newReportCmd(stdout, stderr),
		newRulesCmd(stdout), newExplainCmd(stdout), newVersionCmd(stdout), newFixCmd(stdout, stderr), newInitCmd(stderr),
		newReachCmd(stdout, stderr))
	return root
}
