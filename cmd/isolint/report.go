package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/internal/version"
	"github.com/isolint/isolint/report"
	"github.com/spf13/cobra"
)

func newReportCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		f            inputFlags
		framework    string
		format       string
		outFile      string
		timestamp    string
		baselinePath string
	)
	var names []string
	for _, fw := range report.Frameworks() {
		names = append(names, string(fw))
	}
	cmd := &cobra.Command{
		Use:   "report --framework FRAMEWORK [PATH...]",
		Short: "Write a compliance report: each control of a framework with its status and evidence",
		Long: "Scan like `isolint scan` and report, for each control of one framework, whether it fails (findings\n" +
			"in force map to it), passes (a rule that tests it ran on relevant input and found nothing) or was\n" +
			"not tested, with the rules that test it, the evidence for each finding (file, line, object,\n" +
			"rule, message), waived findings with their reasons and expiry, and the scan's metadata.\n\n" +
			"Formats: json (docs/report-json.md), html (one self-contained page), md (for a pull-request\n" +
			"comment), oscal (an OSCAL 1.0.6 assessment-results document).\n" +
			"The time recorded is --timestamp, else SOURCE_DATE_EPOCH, else now: fix it for reproducible reports.\n\n" +
			"Exit codes: 0 the report was written (whatever it says); 2 usage or fatal error;\n" +
			"3 no supported file was found (the report is still written; use --allow-empty to accept that).",
		Example: "  isolint report --framework nist-800-53 --format html -o report.html .\n" +
			"  isolint report --framework owasp-nhi --format json .\n" +
			"  isolint report --framework nist-800-53 --format oscal -o assessment-results.json .",
		RunE: func(cmd *cobra.Command, args []string) error {
			usage := func(err error) error { return &exitError{code: exitUsage, err: err} }
			if framework == "" {
				return usage(fmt.Errorf("--framework is required (one of %s)", strings.Join(names, ", ")))
			}
			if format == "" {
				format = formatFromName(outFile)
			}
			write, ok := report.Writers[format]
			if !ok {
				return usage(fmt.Errorf("unknown --format %q (want %s)", format, strings.Join(report.WriterNames(), ", ")))
			}
			at, err := reportTime(timestamp)
			if err != nil {
				return usage(err)
			}
			base, err := loadBaseline(baselinePath)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				args = []string{"."}
			}
			f.keepDetails = format == "html" // for the blast-radius section
			res, err := f.scan(args, at, base)
			if err != nil {
				return err
			}
			rep, err := report.Build(res, report.Options{Framework: controls.Framework(framework), Version: version.String(), Time: at})
			if err != nil {
				return usage(err)
			}
			var buf bytes.Buffer
			if err := write(&buf, rep); err != nil {
				return usage(err)
			}
			if outFile != "" {
				if err := os.WriteFile(outFile, buf.Bytes(), 0o644); err != nil {
					return usage(err)
				}
			} else if _, err := stdout.Write(buf.Bytes()); err != nil {
				return usage(err)
			}
			if t := rep.Totals; !f.quiet {
				fmt.Fprintf(stderr, "isolint: %s: %d control(s): %d fail, %d pass, %d not tested (%d with no isolint rule); %d finding(s), %d waived\n",
					rep.Framework.ID, t.Controls, t.Fail, t.Pass, t.NotTested, t.NotTestedBy[report.NoRule], t.Findings, t.Suppressed)
			}
			if len(rep.Scan.FilesWithErrors) > 0 {
				fmt.Fprintf(stderr, "isolint: %d file(s) could not be read or parsed in full; the report lists them\n", len(rep.Scan.FilesWithErrors))
			}
			return f.emptyError(res, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&framework, "framework", "", "report on `FRAMEWORK`: "+strings.Join(names, ", "))
	fl.StringVarP(&format, "format", "f", "", "write the report as `FORMAT`: "+strings.Join(report.WriterNames(), ", ")+" (default: from the -o file's extension, else json)")
	fl.StringVarP(&outFile, "output", "o", "", "write the report to `FILE` instead of standard output")
	fl.StringVar(&timestamp, "timestamp", "", "record `TIME`, RFC 3339 or Unix seconds (default: SOURCE_DATE_EPOCH, else now)")
	fl.StringVar(&baselinePath, "baseline", "", "mark the findings the baseline `FILE` records as unchanged, the others new (they still fail their controls)")
	f.register(fl)
	return cmd
}

// formatFromName picks a report format from an output file's extension.
func formatFromName(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm":
		return "html"
	case ".md", ".markdown":
		return "md"
	}
	return "json"
}

// reportTime is --timestamp, else SOURCE_DATE_EPOCH, else the clock, in UTC
// to the second.
func reportTime(flag string) (time.Time, error) {
	if flag == "" {
		return now().UTC().Truncate(time.Second), nil
	}
	if n, err := strconv.ParseInt(flag, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, flag)
	if err != nil {
		return time.Time{}, fmt.Errorf("--timestamp %q is neither RFC 3339 (2026-01-02T15:04:05Z) nor Unix seconds", flag)
	}
	return t.UTC(), nil
}
