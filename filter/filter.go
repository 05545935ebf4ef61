package filter

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/isolint/isolint/config"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
)

// Input is what Apply needs.
type Input struct {
	Findings []rules.Finding
	// Directives are the inline directives by file (nil when inline ignores
	// are disabled).
	Directives map[string][]Directive
	Config     *config.Config
	// Today decides expiry.
	Today time.Time
	// Enabled reports whether a rule ran.
	Enabled func(id string) bool
	// Base is the absolute directory display paths are relative to; config
	// ignore paths also match relative to the config file's directory.
	Base string
}

// Apply marks suppressed findings, in place, and returns them followed by
// the meta findings about suppressions (invalid-ignore, unused-ignore).
// Suppressed findings stay in the list with their Suppression set. Give
// in.Findings Room spare capacity and the meta findings are added without
// copying the rest.
func Apply(in Input) []rules.Finding {
	out := in.Findings
	cfg := in.Config
	if cfg == nil {
		cfg = &config.Config{}
	}
	unwaivable := map[string]bool{}
	for _, id := range cfg.Unwaivable {
		unwaivable[id] = true
	}
	today := in.Today.Format("2006-01-02")
	var meta []rules.Finding
	report := func(r *rules.Rule, loc model.Location, msg string) {
		meta = append(meta, rules.Finding{RuleID: r.ID, Severity: r.Severity, Confidence: r.Confidence, Message: msg, Loc: loc})
	}

	// problem says why a waiver of rule id cannot take effect, or "".
	problem := func(id, until string) string {
		switch {
		case rules.ByID(id) == nil:
			return fmt.Sprintf("names unknown rule %q (see `isolint rules`)", id)
		case unwaivable[id]:
			return fmt.Sprintf("waives %s, which the configuration marks as unwaivable", id)
		case until != "" && until < today:
			return fmt.Sprintf("for %s expired on %s", id, until)
		}
		return ""
	}

	// inline directives, in file order; each reads the findings on its own
	// line and the next, found in an index rather than by going through
	// every finding (a tree of many files with directives and many
	// findings would cost their product)
	files := make([]string, 0, len(in.Directives))
	for f := range in.Directives {
		files = append(files, f)
	}
	sort.Strings(files)
	type fileLine struct {
		file string
		line int
	}
	at := map[fileLine][]int{}
	if len(files) > 0 {
		held := map[string]bool{}
		for _, ds := range in.Directives {
			for _, d := range ds {
				held[d.Loc.File] = true
			}
		}
		for i := range out {
			if held[out[i].Loc.File] {
				k := fileLine{out[i].Loc.File, out[i].Loc.Line}
				at[k] = append(at[k], i)
			}
		}
	}
	for _, file := range files {
		for _, d := range in.Directives[file] {
			if d.Problem != "" {
				report(rules.InvalidIgnore, d.Loc, "ignore directive "+d.Problem)
				continue
			}
			for _, id := range d.Rules {
				if p := problem(id, d.Until); p != "" {
					report(rules.InvalidIgnore, d.Loc, "ignore directive "+p)
					continue
				}
				if in.Enabled != nil && !in.Enabled(id) {
					continue // the rule is disabled: nothing to match
				}
				used := false
				for _, line := range []int{d.Loc.Line, d.Loc.Line + 1} {
					for _, i := range at[fileLine{d.Loc.File, line}] {
						f := &out[i]
						if f.RuleID != id || f.Suppression != nil {
							continue
						}
						f.Suppression = &rules.Suppression{Kind: rules.SuppressedInSource, Justification: d.Reason, Expires: d.Until, Loc: d.Loc}
						used = true
					}
				}
				if !used {
					report(rules.UnusedIgnore, d.Loc, fmt.Sprintf("ignore directive for %s matches no finding on this line or the next", id))
				}
			}
		}
	}

	// waivers from the config file
	for i, ig := range cfg.Ignore {
		loc := model.Location{File: cfg.File, Line: ig.Line, Col: ig.Col, EndLine: ig.Line, EndCol: ig.Col + 1, Path: fmt.Sprintf("ignore[%d]", i)}
		if strings.TrimSpace(ig.Reason) == "" {
			report(rules.InvalidIgnore, loc, fmt.Sprintf("config ignore for %s gives no reason", ig.Rule))
			continue
		}
		if p := problem(ig.Rule, ig.Expires); p != "" {
			report(rules.InvalidIgnore, loc, "config ignore "+p)
			continue
		}
		if in.Enabled != nil && !in.Enabled(ig.Rule) {
			continue
		}
		used := false
		for i := range out {
			f := &out[i]
			if f.RuleID != ig.Rule || f.Suppression != nil {
				continue
			}
			if ig.Path != "" && !pathMatches(ig.Path, f.Loc.File, cfg, in.Base) {
				continue
			}
			if ig.Workload != "" && f.Workload != ig.Workload {
				continue
			}
			f.Suppression = &rules.Suppression{Kind: rules.SuppressedExternal, Justification: ig.Reason, Expires: ig.Expires, Loc: loc}
			used = true
		}
		if !used {
			report(rules.UnusedIgnore, loc, fmt.Sprintf("config ignore for %s matches no finding", ig.Rule))
		}
	}
	return append(out, meta...)
}

// Room is the most meta findings Apply can add for these directives and
// this configuration: one per directive and rule it names, and one per
// config ignore.
func Room(directives map[string][]Directive, cfg *config.Config) int {
	n := 0
	for _, ds := range directives {
		for _, d := range ds {
			n += max(1, len(d.Rules))
		}
	}
	if cfg != nil {
		n += len(cfg.Ignore)
	}
	return n
}

// pathMatches reports whether a config glob matches a finding's file, given
// as a display path or relative to the config file's directory.
func pathMatches(glob, file string, cfg *config.Config, base string) bool {
	if ok, _ := doublestar.Match(glob, file); ok {
		return true
	}
	if base == "" {
		return false
	}
	if rel := cfg.Rel(filepath.Join(base, filepath.FromSlash(file))); rel != "" && rel != file {
		ok, _ := doublestar.Match(glob, rel)
		return ok
	}
	return false
}
