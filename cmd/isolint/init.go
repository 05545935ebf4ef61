package main

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// starters are the files `isolint init` writes: the config, and the CI
// gates the README shows (TestInitMatchesReadme keeps them the same).
//
//go:embed init/isolint.yaml init/github.yml init/gitlab.yml
var starters embed.FS

// starter is one file init may write.
type starter struct {
	template string // in starters
	path     string // where it goes, relative to the target directory
}

var (
	starterConfig = starter{"init/isolint.yaml", ".isolint.yaml"}
	starterGitHub = starter{"init/github.yml", ".github/workflows/isolint.yml"}
	starterGitLab = starter{"init/gitlab.yml", ".gitlab-ci.yml"}
)

func newInitCmd(stderr io.Writer) *cobra.Command {
	var github, gitlab bool
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Write a commented starter .isolint.yaml and, with --github or --gitlab, a CI gate",
		Long: "Write a starter .isolint.yaml into DIR (default: the current directory) that sets every key\n" +
			"to its default, with commented examples. --github also writes .github/workflows/isolint.yml and\n" +
			"--gitlab a .gitlab-ci.yml, the CI gates the README describes.\n\n" +
			"An existing file is never overwritten: if any file to write exists, init names it, writes\n" +
			"nothing and exits 2 (add what you need from `isolint init` in an empty directory by hand).",
		Example: "  isolint init\n  isolint init --github\n  isolint init --gitlab path/to/repo",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			files := []starter{starterConfig}
			if github {
				files = append(files, starterGitHub)
			}
			if gitlab {
				files = append(files, starterGitLab)
			}
			written, err := writeStarters(dir, files)
			for _, p := range written {
				fmt.Fprintf(stderr, "isolint: wrote %s\n", p)
			}
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			fmt.Fprintln(stderr, "isolint: next, run `isolint scan`; `isolint baseline` records today's findings so that only new ones fail the gate")
			return nil
		},
	}
	cmd.Flags().BoolVar(&github, "github", false, "also write .github/workflows/isolint.yml: the GitHub Actions gate, SARIF to code scanning")
	cmd.Flags().BoolVar(&gitlab, "gitlab", false, "also write .gitlab-ci.yml: the GitLab CI gate, with Code Quality and JUnit reports")
	return cmd
}

// writeStarters writes each file under dir, none if any of them exists.
// It returns the display paths written.
func writeStarters(dir string, files []starter) ([]string, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	var exist []string
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.path))
		// Lstat: a symlink, even a dangling one, is a file not to write through
		if _, err := os.Lstat(p); err == nil {
			exist = append(exist, filepath.ToSlash(p))
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if len(exist) > 0 {
		return nil, fmt.Errorf("%s already exist(s); init never overwrites a file, so nothing was written", strings.Join(exist, ", "))
	}
	var written []string
	for _, f := range files {
		b, err := starters.ReadFile(f.template)
		if err != nil {
			return written, err
		}
		p := filepath.Join(dir, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return written, err
		}
		// O_EXCL: a file that appeared since the check is not overwritten
		out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return written, err
		}
		_, werr := out.Write(b)
		if cerr := out.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return written, werr
		}
		written = append(written, filepath.ToSlash(p))
	}
	return written, nil
}
