package main

import (
	"fmt"
	"github.com/isolint/isolint/fix"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
	"github.com/spf13/cobra"
)

func newRulesCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "List every rule: id, severity, axis, formats and controls",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tAXIS\tFORMATS\tCONTROLS")
			for _, r := range rules.All() {
				var ctl []string
				for _, c := range r.Controls {
					ctl = append(ctl, c.Tag())
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Axis, formats(r.Formats), strings.Join(ctl, " "))
			}
			return tw.Flush()
		},
	}
}

func formats(fs []model.Format) string {
	var s []string
	for _, f := range fs {
		s = append(s, string(f))
	}
	return strings.Join(s, ",")
}

func newExplainCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE-ID",
		Short: "Show a rule's help with a compliant and a non-compliant example",
		Args:  cobra.ExactArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			var ids []string
			for _, r := range rules.All() {
				ids = append(ids, r.ID)
			}
			return ids, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(_ *cobra.Command, args []string) error {
			r := rules.ByID(args[0])
			if r == nil {
				return &exitError{code: exitUsage, err: fmt.Errorf("no rule %q (see `isolint rules`)", args[0])}
			}
			fmt.Fprintf(stdout, "%s\n\n%s", r.ID, r.Help())
			if does := fix.Describe(r.ID); does != "" {
				fmt.Fprintf(stdout, "\n## Automatic fix\n\n`isolint fix` %s.\n", does)
			}
			return nil
		},
	}
}
