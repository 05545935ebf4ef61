package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/fix"
	"github.com/isolint/isolint/internal/safetext"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
	"github.com/spf13/cobra"
)

type fixFlags struct {
	write      bool
	unsafe     bool
	rules      []string
	configPath string
}

func newFixCmd(stdout, stderr io.Writer) *cobra.Command {
	var f fixFlags
	cmd := &cobra.Command{
		Use:   "fix [PATH...]",
		Short: "Make the mechanical edits that resolve findings (a diff unless --write)",
		Long: "Scan, then compute minimal text edits for the findings that have a mechanical fix: a key\n" +
			"inserted with the indentation around it, or one value changed; comments, key order, anchors,\n" +
			"blank lines and line endings stay as they were. Without --write the edits are printed as a\n" +
			"unified diff and nothing is changed. Safe fixes change nothing the workload can depend on;\n" +
			"--unsafe adds fixes that can (see `isolint explain RULE` for each rule's fix).\n\n" +
			"Exit codes: 0 nothing to change (or, with --write, every edit made); 1 a dry run has edits\n" +
			"to show; 2 usage or fatal error, or a file could not be written.",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFix(args, f, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.write, "write", false, "apply the edits to the files (default: print a diff, change nothing)")
	fl.BoolVar(&f.unsafe, "unsafe", false, "also make the fixes that can change what a workload does")
	fl.StringSliceVar(&f.rules, "rule", nil, "only fix findings of this `RULE` (repeatable)")
	fl.StringVar(&f.configPath, "config", "", "read the config from `FILE` (default: .isolint.yaml in the working directory, else in the first path)")
	return cmd
}

func runFix(args []string, f fixFlags, stdout, stderr io.Writer) error {
	usage := func(err error) error { return &exitError{code: exitUsage, err: err} }
	if len(args) == 0 {
		args = []string{"."}
	}
	var only map[string]bool
	for _, id := range f.rules {
		if rules.ByID(id) == nil {
			return usage(fmt.Errorf("--rule: no rule %q (see `isolint rules`)", id))
		}
		if fix.Describe(id) == "" {
			return usage(fmt.Errorf("--rule: rule %q has no mechanical fix", id))
		}
		if only == nil {
			only = map[string]bool{}
		}
		only[id] = true
	}
	cfg, err := loadConfig(f.configPath, args)
	if err != nil {
		return usage(err)
	}
	var (
		base    string
		notices []model.Notice
		unread  int
	)
	// Fixing one finding can make another fixable (a removed SYS_ADMIN lets
	// allowPrivilegeEscalation be set): plan again over the edited text, in
	// memory, until nothing is left, so that a second run changes nothing.
	overlay := map[string][]byte{}
	original := map[string][]byte{}
	var order []string
	fixed, unsafeLeft := 0, 0
	for round := 0; round < maxFixRounds; round++ {
		res, err := engine.Run(engine.Options{Paths: args, Config: cfg, Now: now(), Overlay: overlay})
		if err != nil {
			return usage(err)
		}
		base = res.Base
		unread = 0
		for _, n := range res.Notices {
			if n.Level == model.NoticeError {
				unread++
			}
		}
		plan, ok := planSafely(res.Findings, readerOf(res, overlay), fix.Options{Unsafe: f.unsafe, Rules: only})
		if !ok {
			// files are written only once every round is planned
			return usage(errors.New("internal error while planning the edits (please report it): no file was changed"))
		}
		notices = plan.Notices
		made := map[int]bool{}
		changed := false
		for _, file := range plan.Files {
			if file.New == nil {
				continue
			}
			changed = true
			fixed += len(file.Fixed)
			for _, i := range file.Fixed {
				made[i] = true
			}
			if _, ok := original[file.Path]; !ok {
				original[file.Path] = file.Old
				order = append(order, file.Path)
			}
			overlay[file.Path] = file.New
		}
		unsafeLeft = 0
		for i, s := range plan.Available {
			if s == fix.Unsafe && !made[i] && (only == nil || only[res.Findings[i].RuleID]) {
				unsafeLeft++
			}
		}
		if !changed {
			break
		}
	}
	sort.Strings(order)
	files := len(order)
	var failed []string
	for _, p := range order {
		if !f.write {
			if err := fix.Diff(stdout, safeText(p), original[p], overlay[p]); err != nil {
				return usage(err)
			}
			continue
		}
		if err := writeInPlace(filepath.Join(base, filepath.FromSlash(p)), overlay[p]); err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", safeText(p), err))
		}
	}
	for _, n := range notices {
		fmt.Fprintf(stderr, "%s: %s\n", safeText(n.Loc.String()), safeText(n.Message))
	}
	verb := "would fix"
	if f.write {
		verb = "fixed"
	}
	fmt.Fprintf(stderr, "isolint: %s %d finding(s) in %d file(s)", verb, fixed, files)
	if unread > 0 {
		// nothing to change is no claim that those files are clean
		fmt.Fprintf(stderr, "; %d file(s) or part(s) could not be read or rendered and were not considered (see `isolint scan`)", unread)
	}
	if unsafeLeft > 0 {
		fmt.Fprintf(stderr, "; %d more with --unsafe", unsafeLeft)
	}
	fmt.Fprintln(stderr)
	if len(failed) > 0 {
		sort.Strings(failed)
		return usage(fmt.Errorf("could not write: %s", strings.Join(failed, "; ")))
	}
	if !f.write && files > 0 {
		return &exitError{code: exitFindings}
	}
	return nil
}

// readerOf is reader; tests make it panic.
var readerOf = reader

// planSafely is fix.Plan, with a panic (an isolint bug the input found)
// reported as not ok. The panic's text is not kept: it may quote the file.
func planSafely(findings []rules.Finding, read func(string) ([]byte, error), opts fix.Options) (plan *fix.Result, ok bool) {
	defer func() {
		if recover() != nil {
			plan, ok = nil, false
		}
	}()
	return fix.Plan(findings, read, opts), true
}

// writeInPlace replaces a file's content, keeping its mode.
func writeInPlace(path string, b []byte) error {
	info, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("not a regular file")
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".isolint-fix-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// safeText escapes text taken from input (see internal/safetext), so that
// it cannot start a line of its own in a CI log. A path that would begin a
// line with ':' is written './:'.
func safeText(s string) string { return safetext.Path(s) }

// maxFixRounds bounds the rounds of planning over edited text.
const maxFixRounds = 4

// reader reads the files of a scan that isolint edits, with the edits of
// earlier rounds.
func reader(res *engine.Result, overlay map[string][]byte) func(string) ([]byte, error) {
	editable := map[string]bool{}
	for _, f := range res.Files {
		if fix.Editable(f.Format, f.Path) {
			editable[f.Path] = true
		}
	}
	disk := fix.Reader(res.Base, editable, "", nil)
	return func(p string) ([]byte, error) {
		if b, ok := overlay[p]; ok && editable[p] {
			return b, nil
		}
		return disk(p)
	}
}
