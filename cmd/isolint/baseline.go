package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/isolint/isolint/baseline"
	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/internal/safetext"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/output"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// inputFlags are the flags that decide what a scan reads and how, shared
// by baseline and report (scan has its own copy of them).
type inputFlags struct {
	typ                 string
	configPath          string
	maxFileSize         string
	requireEgressPolicy bool
	noInlineIgnores     bool
	allowEmpty          bool
	values              []string
	set                 []string
	quiet               bool
	// keepDetails keeps workload details for views of the whole model
	// (reach, the report's blast-radius section).
	keepDetails bool
}

func (f *inputFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&f.typ, "type", "", "read every file as `FORMAT` (k8s, compose, tf, gha, gitlab, dev, go) instead of classifying it")
	fl.StringVar(&f.configPath, "config", "", "read the config from `FILE` (default: .isolint.yaml in the working directory, else in the first path)")
	fl.StringVar(&f.maxFileSize, "max-file-size", "10MiB", "skip files larger than `SIZE` (bytes, or with KiB/MiB/GiB)")
	fl.BoolVar(&f.requireEgressPolicy, "require-egress-policy", false, "report every workload no egress restriction covers (a pod no egress NetworkPolicy selects, a function outside a VPC), even where the scan holds no policies for it")
	fl.BoolVar(&f.noInlineIgnores, "no-inline-ignores", false, "disregard inline isolint:ignore directives (config waivers still apply)")
	fl.BoolVar(&f.allowEmpty, "allow-empty", false, "exit 0 rather than 3 when no supported file is found")
	fl.StringArrayVar(&f.values, "values", nil, "render every Helm chart with the values `FILE` (repeatable; later files win) instead of its default value sets")
	fl.StringArrayVar(&f.set, "set", nil, "render every Helm chart with `VALUE`, a key=value as helm --set takes (repeatable)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no summary on standard error, only errors")
}

// scan runs the engine as the flags say. args must not be empty.
func (f *inputFlags) scan(args []string, at time.Time, base *baseline.File) (*engine.Result, error) {
	usage := func(err error) error { return &exitError{code: exitUsage, err: err} }
	maxSize, err := parseSize(f.maxFileSize)
	if err != nil {
		return nil, usage(fmt.Errorf("--max-file-size: %w", err))
	}
	cfg, err := loadConfig(f.configPath, args)
	if err != nil {
		return nil, usage(err)
	}
	for _, v := range f.values {
		if info, err := os.Stat(v); err != nil || !info.Mode().IsRegular() {
			return nil, usage(fmt.Errorf("--values %s: no such file", v))
		}
	}
	res, err := engine.Run(engine.Options{
		Helm:                engine.HelmOptions{Values: f.values, Set: f.set},
		Paths:               args,
		Type:                model.Format(f.typ),
		Config:              cfg,
		MaxFileSize:         maxSize,
		RequireEgressPolicy: f.requireEgressPolicy,
		NoInlineIgnores:     f.noInlineIgnores,
		Now:                 at,
		Baseline:            base,
		KeepDetails:         f.keepDetails,
	})
	if err != nil {
		return nil, usage(err)
	}
	return res, nil
}

// emptyError is the exit-3 error for a scan that found no supported file.
func (f *inputFlags) emptyError(res *engine.Result, args []string) error {
	if res.Stats.Covered() || f.allowEmpty {
		return nil
	}
	return &exitError{code: exitEmpty, err: fmt.Errorf("no supported file found in %s (use --allow-empty to accept that)", strings.Join(args, " "))}
}

func newBaselineCmd(stdout, stderr io.Writer) *cobra.Command {
	var f inputFlags
	var outFile string
	cmd := &cobra.Command{
		Use:   "baseline [PATH...]",
		Short: "Record today's findings, so that `scan --baseline` reports only new ones",
		Long: "Scan like `isolint scan` and write every finding in force (not suppressed) to a baseline file,\n" +
			"by fingerprint: rule, file, object and key path, never the line and never a scanned value.\n" +
			"`isolint scan --baseline FILE` then reports only findings the file does not record; moving\n" +
			"lines or editing something else in a file does not make a recorded finding new.\n" +
			"See docs/baseline.md.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			res, err := f.scan(args, now(), nil)
			if err != nil {
				return err
			}
			b := baseline.Build(res.Findings)
			var buf bytes.Buffer
			if err := b.Write(&buf); err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			if outFile == "-" {
				if _, err := stdout.Write(buf.Bytes()); err != nil {
					return &exitError{code: exitUsage, err: err}
				}
			} else if err := os.WriteFile(outFile, buf.Bytes(), 0o644); err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			for _, n := range res.Notices {
				if n.Level == model.NoticeError {
					fmt.Fprintf(stderr, "%s:%d: %s: %s\n", safetext.Path(n.Loc.File), max(n.Loc.Line, 1), n.Level, safetext.Line(n.Message))
				}
			}
			where := filepath.ToSlash(outFile)
			if outFile == "-" {
				where = "standard output"
			}
			if !f.quiet {
				fmt.Fprintf(stderr, "isolint: recorded %d finding(s) in %s (%d suppressed finding(s) left out)\n",
					len(b.Findings), where, output.Summarize(res.Findings).Suppressed)
				fmt.Fprintf(stderr, "isolint: files: %s\n", output.CoverageLine(res))
			}
			return f.emptyError(res, args)
		},
	}
	f.register(cmd.Flags())
	cmd.Flags().StringVarP(&outFile, "output", "o", ".isolint-baseline.json", "write the baseline to `FILE` (- for standard output)")
	return cmd
}

// loadBaseline reads --baseline, or returns nil when it is not given.
func loadBaseline(path string) (*baseline.File, error) {
	if path == "" {
		return nil, nil
	}
	b, err := baseline.Load(path, filepath.ToSlash(path))
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	return b, nil
}
