package main

import (
	"fmt"
	"io"
	"runtime"

	"github.com/isolint/isolint/internal/version"
	"github.com/spf13/cobra"
)

func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintln(stdout, versionLine())
			return nil
		},
	}
}

// versionLine is what `isolint version` and `isolint --version` print.
func versionLine() string {
	return fmt.Sprintf("isolint %s (%s, %s/%s)", version.String(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
