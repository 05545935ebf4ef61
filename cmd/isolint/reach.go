package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/isolint/isolint/reach"
	"github.com/spf13/cobra"
)

func newReachCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		f        inputFlags
		format   string
		outFile  string
		workload string
	)
	cmd := &cobra.Command{
		Use:   "reach [PATH...]",
		Short: "Show the blast radius of each workload: what it can reach if compromised",
		Long: "Scan like `isolint scan` and show, per workload, what an attacker who controls it gets: the\n" +
			"secrets it receives and how, the identities it runs as and what each may do (RBAC, cloud\n" +
			"grants, CI token permissions), its host and network reach, what its rights reach in turn, and\n" +
			"the workloads that share an identity or secret with it. Worst first (see README, Blast radius).\n\n" +
			"Formats: text (a tree per workload), json (docs/reach-json.md), dot (Graphviz), mermaid.\n\n" +
			"Exit codes: 0 the view was written; 2 usage or fatal error; 3 no supported file was found.",
		Example: "  isolint reach .\n" +
			"  isolint reach . --workload payments/ledger\n" +
			"  isolint reach . --format json -o reach.json\n" +
			"  isolint reach . --format dot | dot -Tsvg > reach.svg",
		RunE: func(cmd *cobra.Command, args []string) error {
			usage := func(err error) error { return &exitError{code: exitUsage, err: err} }
			write, ok := reach.Writers[format]
			if !ok {
				return usage(fmt.Errorf("unknown --format %q (want %s)", format, strings.Join(reach.WriterNames(), ", ")))
			}
			if len(args) == 0 {
				args = []string{"."}
			}
			f.keepDetails = true
			res, err := f.scan(args, now(), nil)
			if err != nil {
				return err
			}
			view := reach.Compute(res.Project)
			if workload != "" {
				view = view.Filter(workload)
				if len(view.Workloads) == 0 {
					return usage(fmt.Errorf("--workload %q names no workload of the scan (give namespace/name, kind/name or name)", workload))
				}
			}
			var buf bytes.Buffer
			if err := write(&buf, view); err != nil {
				return usage(err)
			}
			if outFile != "" {
				if err := os.WriteFile(outFile, buf.Bytes(), 0o644); err != nil {
					return usage(err)
				}
			} else if _, err := stdout.Write(buf.Bytes()); err != nil {
				return usage(err)
			}
			if !f.quiet {
				fmt.Fprintln(stderr, "isolint: reach: "+view.Summary())
			}
			if n := len(res.Notices); n > 0 && !f.quiet {
				fmt.Fprintf(stderr, "isolint: %d notice(s): some input was not read in full, and what it defines is not in this view (see `isolint scan`)\n", n)
			}
			return f.emptyError(res, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&format, "format", "f", "text", "write the view as `FORMAT`: "+strings.Join(reach.WriterNames(), ", "))
	fl.StringVarP(&outFile, "output", "o", "", "write the view to `FILE` instead of standard output")
	fl.StringVar(&workload, "workload", "", "show only the workload `NAME` (namespace/name, kind/name, name or its full ID)")
	f.register(fl)
	return cmd
}
