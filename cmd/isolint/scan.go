package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/isolint/isolint/baseline"
	"github.com/isolint/isolint/config"
	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/internal/version"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/output"
	"github.com/isolint/isolint/rules"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

type scanFlags struct {
	format              string
	outFile             string
	typ                 string
	configPath          string
	failOn              string
	maxFileSize         string
	requireEgressPolicy bool
	noInlineIgnores     bool
	allowEmpty          bool
	sarifCategory       string
	goTests             bool
	baseline            string
	allowUnread         bool
	values              []string
	set                 []string
	allowUnrendered     bool
	quiet               bool
	color               string
}

func newScanCmd(stdout, stderr io.Writer) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "Scan files and directories (default: the current directory)",
		Long: "Scan files and directories for inherited secrets, broad egress, host reach and shared identities.\n\n" +
			"Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 usage or fatal error;\n" +
			"3 no supported file was found (use --allow-empty to accept that);\n" +
			"4 a Helm chart or Kustomize overlay did not render, so what it deploys was not checked (use --allow-unrendered);\n" +
			"5 a file could not be read or parsed in full, or was skipped, so it was not checked (use --allow-unread).\n\n" +
			"A folder with Chart.yaml is a Helm chart: it is rendered offline with values.yaml (and each ci/*-values.yaml,\n" +
			"or the value sets of .isolint.yaml, or --values/--set). PATH - reads standard input (as --type, default k8s).",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd, args, f, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	// a word in backquotes names the flag's argument in --help (pflag)
	fl.StringVarP(&f.format, "format", "f", "text", "write the output as `FORMAT`: "+strings.Join(output.FormatNames(), ", "))
	fl.StringVarP(&f.outFile, "output", "o", "", "write the report to `FILE` instead of standard output")
	fl.StringVar(&f.typ, "type", "", "read every file as `FORMAT` (k8s, compose, tf, cfn, gha, gitlab, dev, go) instead of classifying it")
	fl.StringVar(&f.configPath, "config", "", "read the config from `FILE` (default: .isolint.yaml in the working directory, else in the first path)")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 1 on findings of `SEVERITY` or above: low (default), medium, high, critical; never: report without failing")
	fl.StringVar(&f.maxFileSize, "max-file-size", "10MiB", "skip files larger than `SIZE` (bytes, or with KiB/MiB/GiB)")
	fl.BoolVar(&f.requireEgressPolicy, "require-egress-policy", false, "report every workload no egress restriction covers (a pod no egress NetworkPolicy selects, a function outside a VPC), even where the scan holds no policies for it")
	fl.BoolVar(&f.noInlineIgnores, "no-inline-ignores", false, "disregard inline isolint:ignore directives (config waivers still apply)")
	fl.BoolVar(&f.allowEmpty, "allow-empty", false, "exit 0 rather than 3 when no supported file is found")
	fl.BoolVar(&f.goTests, "go-tests", false, "also check Go _test.go files and testdata directories")
	fl.StringVar(&f.sarifCategory, "sarif-category", "", "set SARIF runAutomationDetails.id to `ID`, to tell several uploads apart in code scanning")
	fl.StringVar(&f.baseline, "baseline", "", "report only findings the baseline `FILE` (written by isolint baseline) does not record")
	fl.BoolVar(&f.allowUnread, "allow-unread", false, "exit 0 rather than 5 when a file could not be read or parsed, or was skipped (it is still reported as not checked)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no summary and no notes on standard error, only errors")
	fl.StringVar(&f.color, "color", "auto", "colour the text output: `WHEN` is auto (a terminal and NO_COLOR unset), always or never")
	fl.StringArrayVar(&f.values, "values", nil, "render every Helm chart with the values `FILE` (repeatable; later files win) instead of its default value sets")
	fl.StringArrayVar(&f.set, "set", nil, "render every Helm chart with `VALUE`, a key=value as helm --set takes (repeatable)")
	fl.BoolVar(&f.allowUnrendered, "allow-unrendered", false, "exit 0 rather than 4 when a chart or overlay could not be rendered (it is still reported as not checked)")
	return cmd
}

func runScan(cmd *cobra.Command, args []string, f scanFlags, stdout, stderr io.Writer) error {
	usage := func(err error) error { return &exitError{code: exitUsage, err: err} }
	write, ok := output.Formats[f.format]
	if !ok {
		return usage(fmt.Errorf("unknown --format %q (want %s)", f.format, strings.Join(output.FormatNames(), ", ")))
	}
	maxSize, err := parseSize(f.maxFileSize)
	if err != nil {
		return usage(fmt.Errorf("--max-file-size: %w", err))
	}
	if len(args) == 0 {
		args = []string{"."}
	}
	cfg, err := loadConfig(f.configPath, args)
	if err != nil {
		return usage(err)
	}
	color, err := parseColor(f.color)
	if err != nil {
		return usage(err)
	}
	failOn, never := rules.Low, false
	switch {
	case f.failOn != "":
		if failOn, never, err = parseFailOn(f.failOn); err != nil {
			return usage(fmt.Errorf("--fail-on: %w", err))
		}
	case cfg.FailOn != "":
		if failOn, never, err = parseFailOn(cfg.FailOn); err != nil {
			return usage(cfg.Errorf("fail-on", "fail-on: %v", err))
		}
	}
	var base *baseline.File
	if f.baseline != "" {
		if base, err = baseline.Load(f.baseline, filepath.ToSlash(f.baseline)); err != nil {
			return usage(err)
		}
	}
	var in io.Reader
	for _, a := range args {
		if a == "-" {
			in = stdin
		}
	}
	for _, v := range f.values {
		if info, err := os.Stat(v); err != nil || !info.Mode().IsRegular() {
			return usage(fmt.Errorf("--values %s: no such file", v))
		}
	}
	res, err := engine.Run(engine.Options{
		Stdin:               in,
		Helm:                engine.HelmOptions{Values: f.values, Set: f.set},
		Paths:               args,
		Type:                model.Format(f.typ),
		Config:              cfg,
		MaxFileSize:         maxSize,
		RequireEgressPolicy: f.requireEgressPolicy,
		NoInlineIgnores:     f.noInlineIgnores,
		Now:                 now(),
		GoTests:             f.goTests,
		Baseline:            base,
	})
	if err != nil {
		return usage(err)
	}

	cwd, _ := os.Getwd()
	if real, err := filepath.EvalSymlinks(cwd); err == nil {
		cwd = real
	}
	opts := output.Options{Version: version.String(), Cwd: cwd, SARIFCategory: f.sarifCategory}
	var out io.Writer = stdout
	if f.outFile != "" {
		file, err := os.Create(f.outFile)
		if err != nil {
			return usage(err)
		}
		defer file.Close()
		out = file
	}
	if f.format == "text" {
		opts.Color = color.use(out)
	}
	if err := write(out, res, opts); err != nil {
		return usage(err)
	}
	summary := opts
	summary.Color = color.use(stderr)
	summary.Quiet = f.quiet
	output.TextSummary(stderr, res, summary)

	for _, fd := range res.Findings {
		if !never && output.Reported(fd) && fd.Severity >= failOn {
			return &exitError{code: exitFindings}
		}
	}
	if un := res.Unrendered(); len(un) > 0 && !f.allowUnrendered {
		units := map[string]bool{}
		for _, r := range un {
			units[string(r.Kind)+"\x00"+r.Path] = true
		}
		return &exitError{code: exitUnrendered, err: fmt.Errorf("%d chart(s) or overlay(s) did not render in full (%d failed rendering(s), value sets and dependencies counted) and what they deploy was not checked (use --allow-unrendered to accept that)", len(units), len(un))}
	}
	if len(res.Unread) > 0 && !f.allowUnread {
		// a pass is a claim that isolint looked: it makes none for a file
		// it could not read (DESIGN, "Never pass what was not seen")
		return &exitError{code: exitUnread, err: fmt.Errorf("%d file(s) not checked in full: %s (see the notices above; use --allow-unread to accept that)",
			len(res.Unread), listSome(res.Unread, 5))}
	}
	if len(res.Incomplete) > 0 && !f.allowUnread {
		return &exitError{code: exitUnread, err: fmt.Errorf("%d check(s) across files did not finish: %s (an internal error; see the notices above; use --allow-unread to accept that)",
			len(res.Incomplete), listSome(res.Incomplete, 5))}
	}
	if !res.Stats.Covered() && !f.allowEmpty {
		return &exitError{code: exitEmpty, err: fmt.Errorf("no supported file found in %s (use --allow-empty to accept that)", strings.Join(args, " "))}
	}
	return nil
}

// listSome lists the first n paths and how many more there are.
func listSome(paths []string, n int) string {
	if len(paths) <= n {
		return strings.Join(paths, ", ")
	}
	return strings.Join(paths[:n], ", ") + fmt.Sprintf(" and %d more", len(paths)-n)
}

// loadConfig reads --config, else .isolint.yaml from the working directory,
// else from the first path when it is a directory.
func loadConfig(path string, args []string) (*config.Config, error) {
	if path != "" {
		return config.Load(path, path)
	}
	dirs := []string{"."}
	if info, err := os.Stat(args[0]); err == nil && info.IsDir() {
		dirs = append(dirs, args[0])
	}
	for _, d := range dirs {
		if p, err := config.Find(d); err != nil || p != "" {
			if err != nil {
				return nil, err
			}
			return config.Load(p, filepath.ToSlash(p))
		}
	}
	return &config.Config{}, nil
}

// now is the time expiry dates are judged against: SOURCE_DATE_EPOCH when
// set (reproducible runs), else the clock.
func now() time.Time {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(n, 0).UTC()
		}
	}
	return time.Now()
}

// parseFailOn reads --fail-on (or the config's fail-on): a severity, or
// never, for a report-only run whose exit code says nothing of findings.
func parseFailOn(s string) (sev rules.Severity, never bool, err error) {
	if strings.EqualFold(strings.TrimSpace(s), "never") {
		return 0, true, nil
	}
	sev, err = rules.ParseSeverity(s)
	if err != nil {
		return 0, false, fmt.Errorf("unknown severity %q (want low, medium, high, critical or never)", s)
	}
	return sev, false, nil
}

// colorMode is --color: when text output is coloured.
type colorMode string

func parseColor(s string) (colorMode, error) {
	switch m := colorMode(strings.ToLower(strings.TrimSpace(s))); m {
	case "auto", "always", "never":
		return m, nil
	}
	return "", fmt.Errorf("unknown --color %q (want auto, always or never)", s)
}

// use reports whether to colour what goes to w: always, never, or (auto)
// only on a terminal and when NO_COLOR is unset (https://no-color.org: a
// flag the user passed wins over the environment).
func (m colorMode) use(w io.Writer) bool {
	switch m {
	case "always":
		return true
	case "never":
		return false
	}
	return isTerminal(w)
}

func isTerminal(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a positive size", s)
	}
	return n * mult, nil
}
