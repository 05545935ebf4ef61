// Package scanners knows every format scanner: which files each one claims
// (by path first, then by content) and how to lower a claimed file.
package scanners

import (
	"path"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/ci/github"
	"github.com/isolint/isolint/scanners/ci/gitlab"
	"github.com/isolint/isolint/scanners/cloudformation"
	"github.com/isolint/isolint/scanners/compose"
	"github.com/isolint/isolint/scanners/dev"
	"github.com/isolint/isolint/scanners/golang"
	"github.com/isolint/isolint/scanners/k8s"
	"github.com/isolint/isolint/scanners/terraform"
	"github.com/isolint/isolint/source"
)

// Scanner is one input format.
type Scanner struct {
	Format model.Format
	// ClaimPath claims a file by its path alone (a well-known file name or
	// directory); such files are never sniffed, unless Disclaim says
	// otherwise.
	ClaimPath func(p string) bool
	// Disclaim, when set, reports that a file ClaimPath claimed is not of
	// the format after all (a Kubernetes manifest kept in
	// .github/workflows): another format's sniffer may then claim it; if
	// none does, the path's claim stands, so that a file of the format
	// the sniffers cannot read (a broken one) is still reported as such.
	Disclaim func(content []byte) bool
	// MayHold reports whether a file with this path could hold the format
	// (its extension), so that its content is worth sniffing.
	MayHold func(p string) bool
	// Sniff claims a file by its content.
	Sniff func(content []byte) bool
	// SniffFile, when set instead of Sniff, claims a file by its name and
	// content together (a serverless.yml is a Serverless service only if
	// its content says so).
	SniffFile func(p string, content []byte) bool
	// Scan lowers one file.
	Scan func(f *source.File) *model.Project
	// ScanAll, when set instead of Scan, lowers all of the format's files at
	// once, for formats whose units span files (a Terraform module). Files
	// come in path order. done, when not nil, may be called with the
	// project's workloads in order, a run at a time, as soon as a unit (a
	// root module with the modules it calls, a pipeline with its includes)
	// has lowered them for good, so that the caller can check them and
	// drop their details before the next unit; the workloads it has not
	// been given when ScanAll returns are the caller's to check. ScanAll
	// may set a file's Content and Prepared to nil once no unit still to
	// be lowered reads it (Terraform does, module by module), so that a
	// unit's memory is let go of before the next: the caller reads
	// neither after ScanAll.
	ScanAll func(files []*source.File, done func([]*model.Workload)) *model.Project
	// Prepare, when set beside ScanAll, does the part of the work that
	// needs one file alone (parsing it) on the parallel file workers, as
	// each file is read, keeping its result in f.Prepared for ScanAll. It
	// must give ScanAll exactly what ScanAll would compute itself.
	Prepare func(f *source.File)
	// Settled, when set beside Prepare, returns the lowering of a prepared
	// file that ScanAll will not change (a workflow no other can call):
	// the caller checks its workloads and pipelines and drops their
	// details on the file worker, and ScanAll includes them, the same
	// pointers, in its project, as already the caller's.
	Settled func(f *source.File) *model.Project
	// Skip, when set, leaves out files the format claims but does not
	// check by default (Go tests and testdata); rel is the file's path
	// relative to its scan root.
	Skip func(rel string) bool
}

// Options configure the scanners.
type Options struct {
	K8s k8s.Options
	Go  golang.Options
}

// Registry is the ordered set of scanners. Path claims are tried in order
// before any content sniffing, so a compose file or a workflow is never
// mistaken for a Kubernetes manifest.
type Registry struct {
	list []*Scanner
	k8s  *k8s.Scanner
}

// K8s is the Kubernetes scanner, which also lowers built overlays.
func (r *Registry) K8s() *k8s.Scanner { return r.k8s }

// New builds the registry.
func New(opts Options) *Registry {
	k := k8s.New(opts.K8s)
	return &Registry{k8s: k, list: []*Scanner{
		{
			Format:    model.FormatK8s,
			ClaimPath: k8s.IsKustomization,
			MayHold:   isYAMLOrJSON,
			Sniff:     k8s.Sniff,
			Scan: func(f *source.File) *model.Project {
				if k8s.IsKustomization(f.Path) {
					return &model.Project{} // built by the engine (render/kustomize)
				}
				return k.ScanKeep(f.Path, f.Content, f.KeepYAML)
			},
		},
		{
			// before the CI and Compose sniffers: a template's top-level
			// keys (AWSTemplateFormatVersion, Resources of AWS:: types, the
			// SAM transform) or a serverless.yml's (service, provider) are
			// no other format's, so the order only guards against theirs
			// reading too much into a key
			Format:    model.FormatCFN,
			ClaimPath: cloudformation.ClaimPath,
			MayHold:   cloudformation.MayHold,
			SniffFile: cloudformation.SniffFile,
			Scan:      cloudformation.Scan,
		},
		{
			Format:    model.FormatGHA,
			ClaimPath: github.ClaimPath,
			Disclaim:  github.Disclaim,
			MayHold:   isYAML,
			Sniff:     github.Sniff,
			// a reusable workflow is read with the trust of its callers
			ScanAll: whole(github.ScanAll),
			Prepare: github.Prepare,
			Settled: github.Settled,
		},
		{
			// GitLab's include: local and extends span files: the format's
			// files are composed together.
			Format:    model.FormatGitLab,
			ClaimPath: gitlab.ClaimPath,
			MayHold:   isYAML,
			Sniff:     gitlab.Sniff,
			ScanAll:   gitlab.ScanUnits,
		},
		{
			// after the CI formats, whose directory claims are more specific
			// (.github/workflows/docker-compose.yml is a workflow)
			Format:    model.FormatCompose,
			ClaimPath: compose.ClaimPath,
			MayHold:   compose.MayHold,
			Sniff:     compose.Sniff,
			Scan:      compose.Scan,
		},
		{
			// dev containers and MCP configurations: JSON with comments,
			// claimed by name; other JSON is sniffed for `mcpServers`
			Format:    model.FormatDev,
			ClaimPath: dev.ClaimPath,
			MayHold:   dev.MayHold,
			Sniff:     dev.Sniff,
			Scan:      dev.Scan,
		},
		{
			// a module spans the files of its directory, and calls others
			Format:    model.FormatTerraform,
			ClaimPath: terraform.ClaimPath,
			ScanAll:   terraform.ScanUnits,
			Prepare:   terraform.Prepare,
		},
		{
			// a Cmd made in one file of a package may start in another
			Format:    model.FormatGo,
			ClaimPath: golang.ClaimPath,
			Skip:      goSkip(opts.Go),
			ScanAll:   whole(golang.ScanAll),
		},
	}}
}

// whole adapts a ScanAll that finishes every workload only at its end.
func whole(scan func([]*source.File) *model.Project) func([]*source.File, func([]*model.Workload)) *model.Project {
	return func(files []*source.File, _ func([]*model.Workload)) *model.Project { return scan(files) }
}

func goSkip(o golang.Options) func(string) bool {
	if o.Tests {
		return nil
	}
	return golang.Skip
}

func isYAML(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".yaml", ".yml":
		return true
	}
	return false
}

func isYAMLOrJSON(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// Formats lists the formats the registry reads.
func (r *Registry) Formats() []model.Format {
	var out []model.Format
	for _, s := range r.list {
		out = append(out, s.Format)
	}
	return out
}

// ByFormat returns the scanner of a format, or nil.
func (r *Registry) ByFormat(f model.Format) *Scanner {
	for _, s := range r.list {
		if s.Format == f {
			return s
		}
	}
	return nil
}

// Wanted reports whether a file found in a directory walk is worth reading.
func (r *Registry) Wanted(p string) bool {
	for _, s := range r.list {
		if (s.ClaimPath != nil && s.ClaimPath(p)) || (s.MayHold != nil && s.MayHold(p)) {
			return true
		}
	}
	return false
}

// ClaimByPath returns the scanner that claims p by path alone, or nil.
func (r *Registry) ClaimByPath(p string) *Scanner {
	for _, s := range r.list {
		if s.ClaimPath != nil && s.ClaimPath(p) {
			return s
		}
	}
	return nil
}

// Classify returns the scanner for a file: by path, then by content.
// It returns nil for a file no format claims.
func (r *Registry) Classify(p string, content []byte) *Scanner {
	claimed := r.ClaimByPath(p)
	if claimed != nil && (claimed.Disclaim == nil || !claimed.Disclaim(content)) {
		return claimed
	}
	for _, s := range r.list {
		if s == claimed || s.MayHold == nil || !s.MayHold(p) {
			continue
		}
		if (s.SniffFile != nil && s.SniffFile(p, content)) || (s.Sniff != nil && s.Sniff(content)) {
			return s
		}
	}
	return claimed
}
