package output

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/internal/version"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
	"github.com/owenrumney/go-sarif/v2/sarif"
)

// The SARIF log is built with github.com/owenrumney/go-sarif/v2. Its
// Suppression type writes null for every unset field, which the 2.1.0
// schema rejects, so suppressions always get every field: status,
// justification, a location and a guid derived from the fingerprint.

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

// SARIF writes a SARIF 2.1.0 log that GitHub code scanning accepts as is:
// full rule metadata with help and security-severity, regions, related
// locations linked from the message, partial fingerprints, suppressions
// with their justification, and one tool execution notification per file
// that could not be read or parsed. It keeps within GitHub's limits and
// says so in a notification when it has to leave results out.
func SARIF(w io.Writer, res *engine.Result, opts Options) error {
	all := rules.All()
	index := make(map[string]int, len(all))
	for i, r := range all {
		index[r.ID] = i
	}
	encRules := encodedRules

	notes := notifications(res.Notices)
	// skeleton encodes the log without its results ("results": null), with
	// the notification that left results out when some are
	skeleton := func(left int) ([]byte, error) {
		run := sarif.NewRunWithInformationURI("isolint", version.InformationURI)
		run.Tool.Driver.WithVersion(opts.Version)
		if v := strings.TrimPrefix(opts.Version, "v"); v != "" && v[0] >= '0' && v[0] <= '9' {
			// SARIF2005 (sarif-multitool): a version starts with an integer
			run.Tool.Driver.WithVersion(v)
			run.Tool.Driver.WithSemanticVersion(v)
		}
		run.Tool.Driver.Rules = nil // the hole the rule metadata fills
		run.WithColumnKind("unicodeCodePoints")
		if opts.SARIFCategory != "" {
			id := opts.SARIFCategory
			if !strings.HasSuffix(id, "/") {
				id += "/" // the whole id is the category; the run has no own id
			}
			run.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID(id))
		}
		run.Results = nil // the hole writeSARIF fills
		inv := sarif.NewInvocation().WithExecutionSuccess(true)
		inv.WithToolExecutionNotifications(append([]*sarif.Notification{}, notes...))
		if left > 0 {
			inv.AddTToolExecutionNotification(sarif.NewNotification().WithLevel("warning").WithTextMessage(
				fmt.Sprintf("%d of %d results were left out to stay within GitHub code scanning's limits "+
					"(%d results, %d bytes); the lowest-severity ones went first. Run with --format json to see all.",
					left, len(res.Findings), SARIFMaxResults, SARIFMaxBytes)))
		}
		run.AddInvocations(inv)
		log, err := sarif.New(sarif.Version210, true)
		if err != nil {
			return nil, err
		}
		log.AddRun(run)
		b, err := marshalSARIF(log)
		if err != nil {
			return nil, err
		}
		if bytes.Count(b, []byte(resultsHole)) != 1 || bytes.Count(b, []byte(rulesHole)) != 1 {
			return nil, fmt.Errorf("sarif: the log's results or rules array was not found")
		}
		return bytes.Replace(b, []byte(rulesHole), append([]byte(rulesHole[:len(rulesHole)-len("null")]), encRules...), 1), nil
	}

	// Each result is encoded once, as it sits in the log (at its depth,
	// with the log's indentation), and only when it is considered for the
	// log; the log's size is known from the sizes of its parts before it
	// is written.
	enc := newResultEncoder(res, index)
	order := priority(res.Findings)
	kept := sortedPrefix(order, SARIFMaxResults)
	if err := enc.encode(kept); err != nil {
		return err
	}
	skel, err := skeleton(len(res.Findings) - len(kept))
	if err != nil {
		return err
	}
	if size(skel, enc, kept) <= SARIFMaxBytes {
		return writeSARIF(w, skel, enc, kept)
	}
	// over the size limit: keep results in priority order while their
	// rendered size fits what the rest of the log leaves
	head, err := skeleton(len(res.Findings))
	if err != nil {
		return err
	}
	budget := SARIFMaxBytes - size(head, enc, nil) - 4096
	kept = kept[:0]
	for j, i := range order {
		if len(kept) == SARIFMaxResults || budget < 1024 {
			break
		}
		if j%overCapBatch == 0 {
			// encode ahead in parallel; at most one batch is encoded
			// and not considered
			if err := enc.encode(order[j:min(j+overCapBatch, len(order))]); err != nil {
				return err
			}
		}
		// the size json.MarshalIndent gives (it escapes <, > and &), the
		// indent, comma and newline around it: the measure isolint has
		// always used, so that the same results are kept
		if n := enc.htmlEscapedLen(i) + 10; n <= budget {
			budget -= n
			kept = append(kept, i)
		}
	}
	sort.Ints(kept)
	if skel, err = skeleton(len(res.Findings) - len(kept)); err != nil {
		return err
	}
	return writeSARIF(w, skel, enc, kept)
}

// rulesHole is where the rule metadata goes in an encoded skeleton (the
// driver's rules, at depth 5: log, runs, run, tool, driver).
const rulesHole = "\n          \"rules\": null"

// encodedRules is tool.driver.rules of every log, encoded at its depth in
// the log: every rule with its help, about 200 KB. It depends on the rule
// catalogue alone, so it is encoded when the catalogue changes (go test
// ./output -update writes it; TestEmbeddedSARIFRules fails while it is
// stale) rather than on every run: encoded at run time it was most of what
// a pre-commit SARIF log cost, about 15 ms of CPU in a cold process.
//
//go:embed sarif_rules.json
var encodedRules []byte

// encodeRules encodes tool.driver.rules (see encodedRules).
func encodeRules() ([]byte, error) {
	all := rules.All()
	descriptors := make([]*sarif.ReportingDescriptor, 0, len(all))
	for _, r := range all {
		descriptors = append(descriptors, sarifRuleOf(r))
	}
	b, err := newIndentEncoder(strings.TrimPrefix(rulesHole[:strings.IndexByte(rulesHole, '"')], "\n"), "  ").encode(descriptors)
	return bytes.Clone(b), err
}

// overCapBatch is how many results past the first 5,000 are encoded at a
// time when the log is over the size limit.
const overCapBatch = 512

// resultsHole is where the results go in an encoded skeleton (the run's
// results, at the depth the log's indentation puts them).
const resultsHole = "\n      \"results\": null"

// resultIndent is the prefix of every line of a result in the log: a
// result sits at depth 4 (log, runs, run, results) of a two-space indent.
const resultIndent = "        "

// resultEncoder encodes each result once, in parallel.
type resultEncoder struct {
	res   *engine.Result
	index map[string]int
	enc   [][]byte
}

func newResultEncoder(res *engine.Result, index map[string]int) *resultEncoder {
	return &resultEncoder{res: res, index: index, enc: make([][]byte, len(res.Findings))}
}

// encode encodes the results of the findings at idx not yet encoded.
func (e *resultEncoder) encode(idx []int) error {
	var todo []int
	for _, i := range idx {
		if e.enc[i] == nil {
			todo = append(todo, i)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	workers := min(runtime.GOMAXPROCS(0), len(todo)/64+1)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for wkr := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			je := newIndentEncoder(resultIndent, "  ")
			for j := wkr; j < len(todo); j += workers {
				i := todo[j]
				f := e.res.Findings[i]
				r := sarifResultOf(f, e.index[f.RuleID])
				if e.res.Baseline != nil {
					r.WithBaselineState(BaselineState(f))
				}
				b, err := je.encode(r)
				if err != nil {
					errs[wkr] = err
					return
				}
				e.enc[i] = bytes.Clone(b)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// htmlEscapedLen is the length of result i as json.MarshalIndent writes
// it: each <, > and & (only ever inside strings) becomes a six-byte escape.
func (e *resultEncoder) htmlEscapedLen(i int) int {
	b := e.enc[i]
	n := len(b)
	for _, c := range b {
		if c == '<' || c == '>' || c == '&' {
			n += 5
		}
	}
	return n
}

// size is the length of the log made of skel and the results kept.
func size(skel []byte, e *resultEncoder, kept []int) int {
	n := len(skel) - len(resultsHole) + len("\n      \"results\": []")
	for _, i := range kept {
		n += len(e.enc[i]) + len("\n"+resultIndent+",")
	}
	if len(kept) > 0 {
		n += len("\n      ") - 1 // the closing bracket's line, less the last comma
	}
	return n
}

// writeSARIF writes skel with the results kept in place of its hole,
// byte for byte what encoding the whole log at once gives.
func writeSARIF(w io.Writer, skel []byte, e *resultEncoder, kept []int) error {
	at := bytes.Index(skel, []byte(resultsHole))
	// written through a buffer, not assembled first: the log is up to
	// 10 MB and its results are already encoded
	b := bufio.NewWriterSize(w, 64<<10)
	b.Write(skel[:at])
	b.WriteString("\n      \"results\": [")
	for j, i := range kept {
		if j > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n" + resultIndent)
		b.Write(e.enc[i])
	}
	if len(kept) > 0 {
		b.WriteString("\n      ]")
	} else {
		b.WriteString("]")
	}
	b.Write(skel[at+len(resultsHole):])
	return b.Flush()
}

func marshalSARIF(l *sarif.Report) ([]byte, error) {
	b, err := newIndentEncoder("", "  ").encode(l)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// priority orders findings for keeping: unsuppressed before suppressed,
// then by severity, then by position.
func priority(fs []rules.Finding) []int {
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	// unstable sort with the position as the last key: a stable sort
	// compares O(n log² n) times
	slices.SortFunc(idx, func(a, b int) int {
		fa, fb := &fs[a], &fs[b]
		if (fa.Suppression == nil) != (fb.Suppression == nil) {
			if fa.Suppression == nil {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(fb.Severity, fa.Severity); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return idx
}

// sortedPrefix returns the first n of order, in position order.
func sortedPrefix(order []int, n int) []int {
	kept := append([]int(nil), order[:min(n, len(order))]...)
	sort.Ints(kept)
	return kept
}

func sarifRuleOf(r *rules.Rule) *sarif.ReportingDescriptor {
	tags := []string{"security", string(r.Axis)}
	var ctl []string
	for _, c := range r.Controls {
		ctl = append(ctl, c.Tag())
		if len(tags) < SARIFMaxTags {
			tags = append(tags, c.Tag())
		}
	}
	props := sarif.Properties{
		"security-severity": r.Severity.SecurityScore(),
		"tags":              tags,
		"precision":         precision(r.Confidence),
		"problem.severity":  problemSeverity(r.Severity),
	}
	if len(ctl) > 0 {
		props["controls"] = ctl
	}
	return sarif.NewRule(r.ID).
		WithName(ruleName(r.ID)).
		WithShortDescription(sarif.NewMultiformatMessageString(truncate(r.Title, sarifMaxDescription))).
		WithFullDescription(sarif.NewMultiformatMessageString(truncate(r.Description, sarifMaxDescription))).
		WithHelp(sarif.NewMultiformatMessageString(helpText(r)).WithMarkdown(r.Help())).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(r.Severity.SARIFLevel())).
		WithProperties(props)
}

func sarifResultOf(f rules.Finding, ruleIndex int) *sarif.Result {
	loc := sarifLoc(f.Loc)
	if f.Object != "" {
		loc.AddLogicalLocations(sarif.NewLogicalLocation().WithFullyQualifiedName(f.Object).WithKind("object"))
	}
	r := sarif.NewRuleResult(f.RuleID).
		WithRuleIndex(ruleIndex).
		WithLevel(f.Severity.SARIFLevel()).
		WithLocations([]*sarif.Location{loc}).
		WithPartialFingerPrints(map[string]interface{}{fingerprintKey: f.Fingerprint})
	// GitHub shows a related location only where the message links to it
	// as [text](id).
	text := f.Message
	var links []string
	for i, rel := range f.Related {
		if i == SARIFMaxRelated {
			break
		}
		id := i + 1
		r.AddRelatedLocation(sarifLoc(rel.Loc).WithId(id).WithMessage(sarif.NewTextMessage(rel.Message)))
		links = append(links, fmt.Sprintf("[%s](%d)", linkText(rel.Message, id), id))
	}
	if more := max(len(f.Related)-SARIFMaxRelated, 0) + f.RelatedLeftOut; more > 0 {
		links = append(links, fmt.Sprintf("%d more not shown", more))
	}
	if len(links) > 0 {
		text += "\nRelated: " + strings.Join(links, ", ")
	}
	r.WithMessage(sarif.NewTextMessage(text))
	if s := f.Suppression; s != nil {
		at := sarifLoc(s.Loc)
		if s.Loc.IsZero() {
			at = sarifLoc(f.Loc)
		}
		sup := sarif.NewSuppression(string(s.Kind)).WithStatus("accepted").WithJustifcation(s.Justification).
			WithLocation(at).WithGuid(suppressionGUID(f))
		if s.Expires != "" {
			sp := sarif.NewPropertyBag()
			sp.Add("expires", s.Expires)
			sup.AttachPropertyBag(sp)
		}
		r.AddSuppression(sup)
	}
	if fx := f.Fix; fx != nil && !fx.Unsafe && len(fx.Edits) > 0 {
		// a SARIF viewer may apply safe fixes; unsafe ones are for the
		// user to choose with `isolint fix --unsafe`
		change := sarif.NewArtifactChange(sarif.NewArtifactLocation().WithUri(uriEscape(f.Loc.File)).WithUriBaseId(srcRoot))
		for _, e := range fx.Edits {
			region := sarif.NewRegion().WithStartLine(e.Region.Line).WithStartColumn(e.Region.Col).
				WithEndLine(e.Region.EndLine).WithEndColumn(e.Region.EndCol)
			change.WithReplacement(sarif.NewReplacement(region).WithInsertedContent(sarif.NewArtifactContent().WithText(e.Text)))
		}
		r.AddFix(sarif.NewFix().WithDescriptionText(fx.Does).WithArtifactChanges([]*sarif.ArtifactChange{change}))
	}
	props := sarif.NewPropertyBag()
	props.Add("confidence", f.Confidence.String())
	props.Add("severity", f.Severity.String())
	if f.Format != "" {
		props.Add("format", string(f.Format))
	}
	r.AttachPropertyBag(props)
	return r
}

// suppressionGUID derives a stable version-5-shaped UUID from the finding's
// fingerprint, so that reruns give the same log.
func suppressionGUID(f rules.Finding) string {
	h := sha256.Sum256([]byte("isolint-suppression\x00" + f.Fingerprint))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	x := hex.EncodeToString(h[:16])
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// linkEscaper escapes link text. A Replacer builds its tables on first use,
// so it is made once: one per related location was three quarters of the
// SARIF writer's allocation.
var linkEscaper = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`)

// linkText escapes a related location's message for use as Markdown-style
// link text in a SARIF message.
func linkText(s string, id int) string {
	if s == "" {
		return fmt.Sprintf("location %d", id)
	}
	return linkEscaper.Replace(s)
}

// notifications turns notices into tool execution notifications: one per
// file whose notices include errors (the file could not be read or parsed,
// wholly or in part), and one per other notice.
func notifications(ns []model.Notice) []*sarif.Notification {
	out := []*sarif.Notification{}
	errs := map[string][]model.Notice{}
	for _, n := range ns {
		if n.Level == model.NoticeError {
			errs[n.Loc.File] = append(errs[n.Loc.File], n)
		}
	}
	done := map[string]bool{}
	for _, n := range ns {
		if n.Level != model.NoticeError {
			out = append(out, sarif.NewNotification().WithLevel(noticeLevel(n.Level)).WithTextMessage(n.Message).
				WithLocations([]*sarif.Location{sarifLoc(n.Loc)}))
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
		out = append(out, sarif.NewNotification().WithLevel("error").WithTextMessage(msg).
			WithLocations([]*sarif.Location{sarifLoc(n.Loc)}))
	}
	return out
}

// sarifLoc renders a model location; lines and columns are never below 1,
// and a region always ends after it starts.
func sarifLoc(l model.Location) *sarif.Location {
	pl := sarif.NewPhysicalLocation().WithArtifactLocation(
		sarif.NewArtifactLocation().WithUri(uriEscape(l.File)).WithUriBaseId(srcRoot))
	if l.Line > 0 {
		start := max(l.Col, 1)
		r := sarif.NewRegion().WithStartLine(l.Line).WithStartColumn(start)
		if l.EndLine >= l.Line && l.EndCol > 0 {
			end := l.EndCol
			if l.EndLine == l.Line && end <= start {
				end = start + 1
			}
			r.WithEndLine(l.EndLine).WithEndColumn(end)
		}
		pl.WithRegion(r)
	}
	return sarif.NewLocationWithPhysicalLocation(pl)
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
