package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/internal/version"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
)

// The SARIF log is written from our own types rather than a SARIF library:
// the subset GitHub code scanning reads is small, and every field here is
// omitted when empty, so the log always passes the 2.1.0 schema (a library
// that writes `"guid": null` into suppressions does not).

// srcRoot is the uriBaseId of every location: GitHub code scanning resolves
// it to the repository checkout.
const srcRoot = "%SRCROOT%"

// fingerprintKey names isolint's partial fingerprint. Its value hashes rule,
// file, object and key path, never the line, so code scanning keeps an
// alert's identity when lines move.
const fingerprintKey = "isolint/v1"

// GitHub code scanning limits (docs.github.com, "SARIF support for code
// scanning" and "About code scanning limits on SARIF results"). isolint
// stays within what GitHub displays, not only what it accepts, so that what
// the log says is what users see.
const (
	// SARIFMaxResults: GitHub shows only the top 5,000 results of a run by
	// severity. isolint keeps the same 5,000 and says how many it left out.
	SARIFMaxResults = 5000
	// SARIFMaxRelated: GitHub shows 100 locations of a result.
	SARIFMaxRelated = 100
	// SARIFMaxTags: GitHub shows 10 tags of a rule; "security" comes first.
	SARIFMaxTags = 10
	// SARIFMaxBytes: an upload must be at most 10 MB (isolint applies the
	// limit before compression, which is stricter).
	SARIFMaxBytes = 10 << 20
	// sarifMaxDescription: GitHub truncates descriptions at 1,024 characters.
	sarifMaxDescription = 1024
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool         `json:"tool"`
	AutomationDetails *sarifAutomation  `json:"automationDetails,omitempty"`
	Invocations       []sarifInvocation `json:"invocations"`
	ColumnKind        string            `json:"columnKind"`
	Results           []sarifResult     `json:"results"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	HelpURI              string         `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	Suppressions        []sarifSupp       `json:"suppressions,omitempty"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type sarifLocation struct {
	ID               *int           `json:"id,omitempty"`
	PhysicalLocation sarifPhysical  `json:"physicalLocation"`
	Message          *sarifText     `json:"message,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArti    `json:"artifactLocation"`
	Region           *sarifRegion `json:"region,omitempty"`
}

type sarifArti struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifSupp struct {
	Kind          string         `json:"kind"`
	Status        string         `json:"status"`
	Justification string         `json:"justification"`
	Location      *sarifLocation `json:"location,omitempty"`
	Properties    map[string]any `json:"properties,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

// SARIF writes a SARIF 2.1.0 log that GitHub code scanning accepts as is:
// full rule metadata with help and security-severity, regions, related
// locations linked from the message, partial fingerprints, suppressions
// with their justification, and one tool execution notification per file
// that could not be read or parsed. It keeps within GitHub's limits and
// says so in a notification when it has to leave results out.
func SARIF(w io.Writer, res *engine.Result, opts Options) error {
	all := rules.All()
	index := make(map[string]int, len(all))
	driver := sarifDriver{Name: "isolint", Version: opts.Version, InformationURI: version.InformationURI, Rules: []sarifRule{}}
	if v := strings.TrimPrefix(opts.Version, "v"); v != "" && v[0] >= '0' && v[0] <= '9' {
		driver.SemanticVersion = v
	}
	for i, r := range all {
		index[r.ID] = i
		driver.Rules = append(driver.Rules, sarifRuleOf(r))
	}

	// results are built only for the findings considered for the log
	built := make([]*sarifResult, len(res.Findings))
	result := func(i int) sarifResult {
		if built[i] == nil {
			r := sarifResultOf(res.Findings[i], index[res.Findings[i].RuleID])
			built[i] = &r
		}
		return *built[i]
	}
	notes := notifications(res.Notices)
	run := sarifRun{
		Tool:        sarifTool{Driver: driver},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true}},
		ColumnKind:  "unicodeCodePoints",
	}
	if opts.SARIFCategory != "" {
		id := opts.SARIFCategory
		if !strings.HasSuffix(id, "/") {
			id += "/" // the whole id is the category; the run has no own id
		}
		run.AutomationDetails = &sarifAutomation{ID: id}
	}

	render := func(kept []int) ([]byte, error) {
		run.Results = make([]sarifResult, 0, len(kept))
		for _, i := range kept {
			run.Results = append(run.Results, result(i))
		}
		run.Invocations[0].Notifications = notes
		if left := len(res.Findings) - len(kept); left > 0 {
			run.Invocations[0].Notifications = append(append([]sarifNotification{}, notes...), sarifNotification{
				Level: "warning",
				Message: sarifText{Text: fmt.Sprintf("%d of %d results were left out to stay within GitHub code scanning's limits "+
					"(%d results, %d bytes); the lowest-severity ones went first. Run with --format json to see all.",
					left, len(res.Findings), SARIFMaxResults, SARIFMaxBytes)},
			})
		}
		return marshalSARIF(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
	}
	order := priority(res.Findings)
	kept := sortedPrefix(order, SARIFMaxResults)
	b, err := render(kept)
	if err != nil || len(b) <= SARIFMaxBytes {
		if err == nil {
			_, err = w.Write(b)
		}
		return err
	}
	// over the size limit: keep results in priority order while their
	// rendered size fits what the rest of the log leaves
	head, err := render(nil)
	if err != nil {
		return err
	}
	budget := SARIFMaxBytes - len(head) - 4096
	kept = kept[:0]
	for _, i := range order {
		if len(kept) == SARIFMaxResults || budget < 1024 {
			break
		}
		r, err := json.MarshalIndent(result(i), "        ", "  ")
		if err != nil {
			return err
		}
		if n := len(r) + 10; n <= budget { // the indent, comma and newline around it
			budget -= n
			kept = append(kept, i)
		}
	}
	sort.Ints(kept)
	if b, err = render(kept); err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func marshalSARIF(l sarifLog) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(l); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// priority orders findings for keeping: unsuppressed before suppressed,
// then by severity, then by position.
func priority(fs []rules.Finding) []int {
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		fa, fb := fs[idx[a]], fs[idx[b]]
		if (fa.Suppression == nil) != (fb.Suppression == nil) {
			return fa.Suppression == nil
		}
		return fa.Severity > fb.Severity
	})
	return idx
}

// sortedPrefix returns the first n of order, in position order.
func sortedPrefix(order []int, n int) []int {
	kept := append([]int(nil), order[:min(n, len(order))]...)
	sort.Ints(kept)
	return kept
}

func sarifRuleOf(r *rules.Rule) sarifRule {
	tags := []string{"security", string(r.Axis)}
	var ctl []string
	for _, c := range r.Controls {
		ctl = append(ctl, c.Tag())
		if len(tags) < SARIFMaxTags {
			tags = append(tags, c.Tag())
		}
	}
	props := map[string]any{
		"security-severity": r.Severity.SecurityScore(),
		"tags":              tags,
		"precision":         precision(r.Confidence),
		"problem.severity":  problemSeverity(r.Severity),
	}
	if len(ctl) > 0 {
		props["controls"] = ctl
	}
	return sarifRule{
		ID:                   r.ID,
		Name:                 ruleName(r.ID),
		ShortDescription:     sarifText{Text: truncate(r.Title, sarifMaxDescription)},
		FullDescription:      sarifText{Text: truncate(r.Description, sarifMaxDescription)},
		Help:                 sarifText{Text: helpText(r), Markdown: r.Help()},
		DefaultConfiguration: sarifConfig{Level: r.Severity.SARIFLevel()},
		Properties:           props,
	}
}

func sarifResultOf(f rules.Finding, ruleIndex int) sarifResult {
	r := sarifResult{
		RuleID:              f.RuleID,
		RuleIndex:           ruleIndex,
		Level:               f.Severity.SARIFLevel(),
		Message:             sarifText{Text: f.Message},
		Locations:           []sarifLocation{sarifLoc(f.Loc)},
		PartialFingerprints: map[string]string{fingerprintKey: f.Fingerprint},
	}
	if f.Object != "" {
		r.Locations[0].LogicalLocations = []sarifLogical{{FullyQualifiedName: f.Object, Kind: "object"}}
	}
	// GitHub shows a related location only where the message links to it
	// as [text](id).
	var links []string
	for i, rel := range f.Related {
		if i == SARIFMaxRelated {
			links = append(links, fmt.Sprintf("%d more not shown", len(f.Related)-i))
			break
		}
		id := i + 1
		l := sarifLoc(rel.Loc)
		l.ID = &id
		l.Message = &sarifText{Text: rel.Message}
		r.RelatedLocations = append(r.RelatedLocations, l)
		links = append(links, fmt.Sprintf("[%s](%d)", linkText(rel.Message, id), id))
	}
	if len(links) > 0 {
		r.Message.Text += "\nRelated: " + strings.Join(links, ", ")
	}
	if s := f.Suppression; s != nil {
		sup := sarifSupp{Kind: string(s.Kind), Status: "accepted", Justification: s.Justification}
		if !s.Loc.IsZero() {
			l := sarifLoc(s.Loc)
			sup.Location = &l
		}
		if s.Expires != "" {
			sup.Properties = map[string]any{"expires": s.Expires}
		}
		r.Suppressions = []sarifSupp{sup}
	}
	r.Properties = map[string]any{"confidence": f.Confidence.String(), "severity": f.Severity.String()}
	if f.Format != "" {
		r.Properties["format"] = string(f.Format)
	}
	return r
}

// linkText escapes a related location's message for use as Markdown-style
// link text in a SARIF message.
func linkText(s string, id int) string {
	if s == "" {
		return fmt.Sprintf("location %d", id)
	}
	return strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`).Replace(s)
}

// notifications turns notices into tool execution notifications: one per
// file whose notices include errors (the file could not be read or parsed,
// wholly or in part), and one per other notice.
func notifications(ns []model.Notice) []sarifNotification {
	out := []sarifNotification{}
	errs := map[string][]model.Notice{}
	for _, n := range ns {
		if n.Level == model.NoticeError {
			errs[n.Loc.File] = append(errs[n.Loc.File], n)
		}
	}
	done := map[string]bool{}
	for _, n := range ns {
		if n.Level != model.NoticeError {
			out = append(out, sarifNotification{Level: noticeLevel(n.Level), Message: sarifText{Text: n.Message}, Locations: []sarifLocation{sarifLoc(n.Loc)}})
			continue
		}
		if done[n.Loc.File] {
			continue
		}
		done[n.Loc.File] = true
		group := errs[n.Loc.File]
		msg := n.Message
		if len(group) > 1 {
			msg += fmt.Sprintf(" (and %d more problem(s) in this file)", len(group)-1)
		}
		out = append(out, sarifNotification{Level: "error", Message: sarifText{Text: msg}, Locations: []sarifLocation{sarifLoc(n.Loc)}})
	}
	return out
}

// sarifLoc renders a model location; lines and columns are never below 1,
// and a region always ends after it starts.
func sarifLoc(l model.Location) sarifLocation {
	loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArti{URI: uriEscape(l.File), URIBaseID: srcRoot}}}
	if l.Line > 0 {
		start := max(l.Col, 1)
		r := &sarifRegion{StartLine: l.Line, StartColumn: start}
		if l.EndLine >= l.Line && l.EndCol > 0 {
			end := l.EndCol
			if l.EndLine == l.Line && end <= start {
				end = start + 1
			}
			r.EndLine, r.EndColumn = l.EndLine, end
		}
		loc.PhysicalLocation.Region = r
	}
	return loc
}

// uriEscape makes a relative, slash-separated path a URI reference:
// percent-encodes what RFC 3986 does not allow in a path (spaces, %, #, ?,
// brackets, controls, non-ASCII bytes).
func uriEscape(p string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c <= ' ' || c >= 0x7f || strings.IndexByte(`%#?[]"<>\^`+"`{|}", c) >= 0:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// ruleName is the rule ID in PascalCase, as SARIF viewers show rule names.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func helpText(r *rules.Rule) string {
	s := r.Description
	if r.Fix != "" {
		s += "\n\nHow to fix: " + r.Fix
	}
	return s
}

func precision(c rules.Confidence) string {
	switch c {
	case rules.ConfidenceHigh:
		return "high"
	case rules.ConfidenceMedium:
		return "medium"
	}
	return "low"
}

func problemSeverity(s rules.Severity) string {
	switch s {
	case rules.Critical, rules.High:
		return "error"
	case rules.Medium:
		return "warning"
	}
	return "recommendation"
}

func noticeLevel(l model.NoticeLevel) string {
	switch l {
	case model.NoticeError:
		return "error"
	case model.NoticeWarning:
		return "warning"
	}
	return "note"
}
