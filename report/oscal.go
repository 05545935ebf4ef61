package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/isolint/isolint/controls"
)

// OSCALVersion is the OSCAL model version the assessment results conform
// to (validated in the tests against NIST's schema for it).
const OSCALVersion = "1.0.6"

// oscalNS qualifies isolint's own property names.
const oscalNS = "https://github.com/isolint/isolint/ns/oscal"

// OSCAL writes the report as an OSCAL assessment-results document: one
// result whose reviewed controls are the controls isolint tested, one
// observation per finding (with its file and line as relevant evidence and
// its waiver, if any, in remarks), and one finding per tested control,
// satisfied or not, tied to the observations behind it. Control IDs are
// NIST's OSCAL IDs for SP 800-53 (ac-6.10) and CSF 2.0, and a token made
// from the published ID elsewhere (NHI2:2025 → nhi2-2025, CIS 5.2.2 →
// cis-5.2.2), with the published ID in a "label" property. There is no
// separate assessment plan: import-ap points at a back-matter resource
// that names isolint's rule set and mapping version. Every UUID is derived
// from the content, so the same report gives the same document.
func OSCAL(w io.Writer, r *Report) error {
	doc := oscalDocument(r)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

type oscalProp struct {
	Name  string `json:"name"`
	NS    string `json:"ns,omitempty"`
	Value string `json:"value"`
	Class string `json:"class,omitempty"`
}

type oscalLink struct {
	Href string `json:"href"`
	Rel  string `json:"rel,omitempty"`
	Text string `json:"text,omitempty"`
}

type oscalDoc struct {
	AR oscalAR `json:"assessment-results"`
}

type oscalAR struct {
	UUID       string          `json:"uuid"`
	Metadata   oscalMetadata   `json:"metadata"`
	ImportAP   oscalImportAP   `json:"import-ap"`
	Results    []oscalResult   `json:"results"`
	BackMatter oscalBackMatter `json:"back-matter"`
}

type oscalMetadata struct {
	Title        string      `json:"title"`
	LastModified string      `json:"last-modified"`
	Version      string      `json:"version"`
	OSCALVersion string      `json:"oscal-version"`
	Props        []oscalProp `json:"props,omitempty"`
	Remarks      string      `json:"remarks,omitempty"`
}

type oscalImportAP struct {
	Href    string `json:"href"`
	Remarks string `json:"remarks,omitempty"`
}

type oscalResult struct {
	UUID             string                `json:"uuid"`
	Title            string                `json:"title"`
	Description      string                `json:"description"`
	Start            string                `json:"start"`
	End              string                `json:"end"`
	Props            []oscalProp           `json:"props,omitempty"`
	LocalDefinitions oscalLocalDefinitions `json:"local-definitions"`
	ReviewedControls oscalReviewed         `json:"reviewed-controls"`
	Observations     []oscalObservation    `json:"observations,omitempty"`
	Findings         []oscalFinding        `json:"findings,omitempty"`
	Remarks          string                `json:"remarks,omitempty"`
}

type oscalLocalDefinitions struct {
	AssessmentAssets oscalAssets `json:"assessment-assets"`
}

type oscalAssets struct {
	Components []oscalComponent `json:"components"`
	Platforms  []oscalPlatform  `json:"assessment-platforms"`
}

type oscalComponent struct {
	UUID        string      `json:"uuid"`
	Type        string      `json:"type"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Props       []oscalProp `json:"props,omitempty"`
	Links       []oscalLink `json:"links,omitempty"`
	Status      struct {
		State string `json:"state"`
	} `json:"status"`
}

type oscalPlatform struct {
	UUID           string `json:"uuid"`
	Title          string `json:"title"`
	UsesComponents []struct {
		ComponentUUID string `json:"component-uuid"`
	} `json:"uses-components"`
}

type oscalReviewed struct {
	Description       string                  `json:"description,omitempty"`
	ControlSelections []oscalControlSelection `json:"control-selections"`
}

type oscalControlSelection struct {
	Description     string               `json:"description,omitempty"`
	IncludeControls []oscalSelectControl `json:"include-controls,omitempty"`
}

type oscalSelectControl struct {
	ControlID string `json:"control-id"`
}

type oscalObservation struct {
	UUID             string          `json:"uuid"`
	Title            string          `json:"title"`
	Description      string          `json:"description"`
	Props            []oscalProp     `json:"props,omitempty"`
	Methods          []string        `json:"methods"`
	Types            []string        `json:"types"`
	Origins          []oscalOrigin   `json:"origins"`
	RelevantEvidence []oscalEvidence `json:"relevant-evidence"`
	Collected        string          `json:"collected"`
	Remarks          string          `json:"remarks,omitempty"`
}

type oscalOrigin struct {
	Actors []oscalActor `json:"actors"`
}

type oscalActor struct {
	Type      string `json:"type"`
	ActorUUID string `json:"actor-uuid"`
}

type oscalEvidence struct {
	Href        string `json:"href"`
	Description string `json:"description"`
}

type oscalFinding struct {
	UUID                string            `json:"uuid"`
	Title               string            `json:"title"`
	Description         string            `json:"description"`
	Props               []oscalProp       `json:"props,omitempty"`
	Target              oscalTarget       `json:"target"`
	RelatedObservations []oscalRelatedObs `json:"related-observations,omitempty"`
}

type oscalTarget struct {
	Type     string      `json:"type"`
	TargetID string      `json:"target-id"`
	Title    string      `json:"title,omitempty"`
	Status   oscalStatus `json:"status"`
}

type oscalStatus struct {
	State  string `json:"state"`
	Reason string `json:"reason,omitempty"`
}

type oscalRelatedObs struct {
	ObservationUUID string `json:"observation-uuid"`
}

type oscalBackMatter struct {
	Resources []oscalResource `json:"resources"`
}

type oscalResource struct {
	UUID        string       `json:"uuid"`
	Title       string       `json:"title"`
	Description string       `json:"description,omitempty"`
	Props       []oscalProp  `json:"props,omitempty"`
	Rlinks      []oscalRlink `json:"rlinks,omitempty"`
}

type oscalRlink struct {
	Href string `json:"href"`
}

func oscalDocument(r *Report) oscalDoc {
	seed := identity(r)
	id := func(parts ...string) string { return uuid5(append([]string{seed}, parts...)...) }

	fw := r.Framework
	isolintProp := func(name, value string) oscalProp {
		return oscalProp{Name: name, NS: oscalNS, Value: oscalString(value)}
	}

	tool := oscalComponent{
		UUID: uuid5("isolint-component", r.Tool.Version), Type: "software", Title: "isolint " + r.Tool.Version,
		Description: "Static analysis of the files that define where code runs (Kubernetes, Terraform, Compose, CI pipelines): inherited secrets, broad egress, host reach and shared identities.",
		Props:       []oscalProp{{Name: "version", Value: oscalString(r.Tool.Version)}},
		Links:       []oscalLink{{Href: "https://github.com/isolint/isolint", Rel: "homepage"}},
	}
	tool.Status.State = "operational"
	platform := oscalPlatform{UUID: uuid5("isolint-platform", r.Tool.Version), Title: "isolint"}
	platform.UsesComponents = append(platform.UsesComponents, struct {
		ComponentUUID string `json:"component-uuid"`
	}{tool.UUID})
	origins := []oscalOrigin{{Actors: []oscalActor{{Type: "tool", ActorUUID: tool.UUID}}}}

	// one observation per finding, shared by every control it maps to
	observations := []oscalObservation{}
	obsUUID := map[string]string{}
	observe := func(e Evidence) string {
		if u, ok := obsUUID[e.Fingerprint]; ok {
			return u
		}
		u := id("observation", e.Fingerprint)
		obsUUID[e.Fingerprint] = u
		props := []oscalProp{
			isolintProp("rule-id", e.RuleID), isolintProp("severity", e.Severity),
			isolintProp("confidence", e.Confidence), isolintProp("fingerprint", e.Fingerprint),
		}
		if e.Format != "" {
			props = append(props, isolintProp("format", e.Format))
		}
		if e.Object != "" {
			props = append(props, isolintProp("object", e.Object))
		}
		if e.Baseline != "" {
			props = append(props, isolintProp("baseline", e.Baseline))
		}
		where := e.File
		if e.Line > 0 {
			where = fmt.Sprintf("%s:%d:%d", e.File, e.Line, max(e.Column, 1))
		}
		if e.Object != "" {
			where += " (" + e.Object + ")"
		}
		o := oscalObservation{
			UUID: u, Title: e.RuleID, Description: e.Message, Props: props,
			Methods: []string{"TEST"}, Types: []string{"finding"}, Origins: origins,
			RelevantEvidence: []oscalEvidence{{Href: evidenceHref(e), Description: where}},
			Collected:        r.GeneratedAt,
		}
		if s := e.Suppression; s != nil {
			props = append(props, isolintProp("waived", s.Kind))
			o.Props = props
			o.Remarks = fmt.Sprintf("Waived (%s, %s): %s", s.Kind, s.Waiver, s.Justification)
			if s.Expires != "" {
				o.Remarks += "; the waiver expires on " + s.Expires
			}
			o.Remarks += ". A waived finding does not fail its controls."
		}
		observations = append(observations, o)
		return u
	}

	// one observation per rule, format and kind of input a pass rests on
	examine := func(e Examined) string {
		key := "examined\x00" + e.RuleID + "\x00" + e.Format + "\x00" + e.Input
		if u, ok := obsUUID[key]; ok {
			return u
		}
		u := id("examined", e.RuleID, e.Format, e.Input)
		obsUUID[key] = u
		first := e.Sample[0]
		where := first.File
		if first.Line > 0 {
			where = fmt.Sprintf("%s:%d", first.File, first.Line)
		}
		var sample []string
		for _, s := range e.Sample {
			sample = append(sample, s.Object)
		}
		observations = append(observations, oscalObservation{
			UUID: u, Title: e.RuleID + " examined " + e.Input + " (" + e.Format + ")",
			Description: fmt.Sprintf("%s read %d %s object(s) of kind %s and found nothing in force: %s", e.RuleID, e.Count, e.Format, e.Input, strings.Join(sample, ", ")),
			Props: []oscalProp{isolintProp("rule-id", e.RuleID), isolintProp("format", e.Format), isolintProp("input", e.Input),
				isolintProp("count", fmt.Sprint(e.Count))},
			Methods: []string{"EXAMINE"}, Types: []string{"control-objective"}, Origins: origins,
			RelevantEvidence: []oscalEvidence{{Href: pathEscape(first.File) + lineFragment(first.Line), Description: where + " (" + first.Object + ")"}},
			Collected:        r.GeneratedAt,
		})
		return u
	}

	var include []oscalSelectControl
	findings := []oscalFinding{}
	var notTested []string
	for _, c := range r.Controls {
		if c.Status == NotTested {
			if c.NotTested != NoRule {
				notTested = append(notTested, fmt.Sprintf("%s (%s)", c.ID, c.Reason))
			}
			continue
		}
		cid := OSCALControlID(controls.Framework(fw.ID), c.ID)
		include = append(include, oscalSelectControl{ControlID: cid})
		f := oscalFinding{
			UUID: id("finding", c.ID), Title: c.ID + " " + c.Title, Description: c.Reason,
			Props: []oscalProp{{Name: "label", Value: oscalString(c.ID)}, isolintProp("rules", ruleIDs(c))},
			Target: oscalTarget{Type: "objective-id", TargetID: cid + "_obj", Title: c.Title,
				Status: oscalStatus{State: "satisfied", Reason: "pass"}},
		}
		if c.Status == Fail {
			f.Target.Status = oscalStatus{State: "not-satisfied", Reason: "fail"}
		}
		for _, e := range c.Evidence {
			f.RelatedObservations = append(f.RelatedObservations, oscalRelatedObs{ObservationUUID: observe(e)})
		}
		if c.Status == Pass {
			for _, e := range c.Examined {
				f.RelatedObservations = append(f.RelatedObservations, oscalRelatedObs{ObservationUUID: examine(e)})
			}
		}
		findings = append(findings, f)
	}

	selection := oscalControlSelection{IncludeControls: include,
		Description: fmt.Sprintf("The controls of %s that isolint's rules tested on this scan's input.", fw.Name)}
	if len(include) == 0 {
		selection.Description = "No control was tested: no rule that maps to this framework ran on relevant input."
	}

	var remarks []string
	if len(notTested) > 0 {
		remarks = append(remarks, "Not tested although isolint has rules for them: "+strings.Join(notTested, "; ")+".")
	}
	if n := r.Totals.NotTestedBy[NoRule]; n > 0 {
		remarks = append(remarks, fmt.Sprintf("%d other control(s) of the catalogue have no isolint rule and were not assessed.", n))
	}
	if len(r.NotChecked) > 0 {
		var items []string
		for _, u := range r.NotChecked {
			what := u.File
			if u.Object != "" {
				what += " (" + u.Object + ")"
			}
			items = append(items, what+": "+u.Reason)
		}
		remarks = append(remarks, "Seen but not checked; no control they would have informed was assessed as satisfied: "+strings.Join(items, "; ")+".")
	}
	if len(r.Scan.FilesWithErrors) > 0 {
		remarks = append(remarks, "Files that could not be read or parsed in full (what they define was not fully checked): "+strings.Join(r.Scan.FilesWithErrors, ", ")+".")
	}

	resultProps := []oscalProp{isolintProp("mapping-version", r.MappingVersion), isolintProp("catalogue-digest", fw.Digest)}
	for _, root := range r.Scan.Roots {
		resultProps = append(resultProps, isolintProp("scanned-root", root))
	}
	for _, f := range sortedKeys(r.Scan.Formats) {
		c := r.Scan.Formats[f]
		if c.Seen > 0 {
			p := isolintProp("files-scanned", fmt.Sprint(c.Scanned))
			p.Class = oscalToken(f)
			resultProps = append(resultProps, p)
		}
	}
	if c := r.Scan.Config; c != nil && c.SHA256 != "" {
		resultProps = append(resultProps, isolintProp("config-sha256", c.SHA256))
	}
	if b := r.Scan.Baseline; b != nil {
		resultProps = append(resultProps, isolintProp("baseline-sha256", b.SHA256))
	}
	if d := r.Tool.Digest; d != "" {
		resultProps = append(resultProps, isolintProp("isolint-binary-sha256", strings.TrimPrefix(d, "sha256:")))
	}
	if g := r.Scan.Repository; g != nil {
		if g.Remote != "" {
			resultProps = append(resultProps, isolintProp("repository", g.Remote))
		}
		if g.Commit != "" {
			resultProps = append(resultProps, isolintProp("commit", g.Commit))
		}
		if g.Clean != nil {
			resultProps = append(resultProps, isolintProp("work-tree-clean", fmt.Sprint(*g.Clean)))
		}
	}

	planUUID := uuid5("isolint-plan", r.Tool.Version, r.MappingVersion)
	catalogueUUID := uuid5("isolint-catalogue", fw.ID, fw.Digest)
	result := oscalResult{
		UUID:  id("result"),
		Title: "isolint scan of " + strings.Join(r.Scan.Roots, ", "),
		Description: fmt.Sprintf("isolint %s read %s and checked it with %d rule(s) against %s (%s). %d control(s) fail, %d pass, %d were not tested.",
			r.Tool.Version, coverage(r), len(r.Scan.Rules), fw.Name, fw.Version, r.Totals.Fail, r.Totals.Pass, r.Totals.NotTested),
		Start: r.GeneratedAt, End: r.GeneratedAt, Props: resultProps,
		LocalDefinitions: oscalLocalDefinitions{AssessmentAssets: oscalAssets{Components: []oscalComponent{tool}, Platforms: []oscalPlatform{platform}}},
		ReviewedControls: oscalReviewed{ControlSelections: []oscalControlSelection{selection}},
		Observations:     observations,
		Findings:         findings,
		Remarks:          strings.Join(remarks, "\n\n"),
	}

	return oscalDoc{AR: oscalAR{
		UUID: id("assessment-results"),
		Metadata: oscalMetadata{
			Title:        fmt.Sprintf("isolint assessment against %s (%s)", fw.Name, fw.Version),
			LastModified: r.GeneratedAt, Version: r.GeneratedAt, OSCALVersion: OSCALVersion,
			Props: []oscalProp{isolintProp("isolint-version", r.Tool.Version), isolintProp("framework", fw.ID),
				isolintProp("mapping-version", r.MappingVersion), isolintProp("catalogue-digest", fw.Digest)},
		},
		ImportAP: oscalImportAP{Href: "#" + planUUID,
			Remarks: "isolint assesses with its built-in rules; there is no separate assessment plan document. The back-matter resource this points at names the rule set and mapping version that stand for the plan."},
		Results: []oscalResult{result},
		BackMatter: oscalBackMatter{Resources: []oscalResource{
			{UUID: planUUID, Title: fmt.Sprintf("isolint %s rules and control mapping %s", r.Tool.Version, r.MappingVersion),
				Description: "The rules that ran: " + strings.Join(r.Scan.Rules, ", ") + ". `isolint rules` lists each rule's controls; `isolint explain RULE` describes it.",
				Props:       []oscalProp{isolintProp("mapping-version", r.MappingVersion)}},
			catalogueResource(catalogueUUID, fw, isolintProp("catalogue-digest", fw.Digest)),
		}},
	}}
}

// catalogueResource describes where the catalogue's IDs and titles come
// from: a file of a repository at a commit (linked), or a publication.
func catalogueResource(uuid string, fw Framework, digest oscalProp) oscalResource {
	res := oscalResource{UUID: uuid, Title: fmt.Sprintf("%s (%s), %s", fw.Name, fw.Version, fw.Publisher), Props: []oscalProp{digest}}
	if src := fw.Source; src.Repo != "" {
		res.Description = fmt.Sprintf("Control IDs and titles as isolint embeds them (digest %s), copied from %s@%s %s.", fw.Digest, src.Repo, src.Commit, src.Path)
		res.Rlinks = []oscalRlink{{Href: fmt.Sprintf("https://github.com/%s/blob/%s/%s", src.Repo, src.Commit, pathEscape(src.Path))}}
	} else {
		res.Description = fmt.Sprintf("Control IDs and titles as isolint embeds them (digest %s), taken from %s.", fw.Digest, src.Document)
		if src.Note != "" {
			res.Description += " " + src.Note
		}
	}
	return res
}

func lineFragment(line int) string {
	if line > 0 {
		return fmt.Sprintf("#L%d", line)
	}
	return ""
}

var (
	nistID      = regexp.MustCompile(`^([A-Z]{2})-([0-9]+)(?:\(([0-9]+)\))?$`)
	tokenUnsafe = regexp.MustCompile(`[^a-z0-9._-]+`)
)

// OSCALControlID returns the OSCAL control-id of a control: NIST's own ID
// for SP 800-53 ("AC-6(10)" → "ac-6.10") and CSF 2.0 (its catalog's IDs,
// e.g. "PR.AA-05"), and a token made from the published ID for catalogues
// with no OSCAL rendition.
func OSCALControlID(f controls.Framework, id string) string {
	switch f {
	case controls.NIST80053:
		if m := nistID.FindStringSubmatch(id); m != nil {
			out := strings.ToLower(m[1]) + "-" + m[2]
			if m[3] != "" {
				out += "." + m[3]
			}
			return out
		}
	case controls.CSF:
		if oscalTokenRe.MatchString(id) {
			return id
		}
	}
	t := oscalToken(id)
	if t == "" || !(t[0] >= 'a' && t[0] <= 'z') {
		prefix := map[controls.Framework]string{controls.CIS: "cis", controls.SP800190: "sp800-190"}[f]
		if prefix == "" {
			prefix = oscalToken(string(f))
		}
		t = prefix + "-" + t
	}
	return t
}

var oscalTokenRe = regexp.MustCompile(`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`)

// oscalToken lowercases s and turns every run of other characters into "-".
func oscalToken(s string) string {
	return strings.Trim(tokenUnsafe.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// oscalString makes a value fit OSCAL's string type: no leading or
// trailing white space, never empty.
func oscalString(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "-"
	}
	return s
}

// evidenceHref is the finding's file as a relative URI reference, with the
// line as a fragment.
func evidenceHref(e Evidence) string {
	h := pathEscape(e.File)
	if e.Line > 0 {
		h += fmt.Sprintf("#L%d", e.Line)
	}
	return h
}

// pathEscape percent-encodes a slash-separated path for a URI reference:
// everything but unreserved characters and slashes (a colon too, which in
// a first segment would read as a scheme).
func pathEscape(p string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("-._~/", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

// identity digests what makes a report this report: framework, catalogue,
// mapping, tool, time, roots, configuration, baseline, and each control's
// status with the fingerprints (and waivers and baseline states) of its
// evidence.
func identity(r *Report) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s\n", r.Framework.ID, r.Framework.Digest, r.MappingVersion, r.Tool.Version, r.GeneratedAt, strings.Join(r.Scan.Roots, "\x00"))
	if c := r.Scan.Config; c != nil {
		fmt.Fprintf(h, "config %s %s\n", c.File, c.SHA256)
	}
	if b := r.Scan.Baseline; b != nil {
		fmt.Fprintf(h, "baseline %s %s\n", b.File, b.SHA256)
	}
	for _, c := range r.Controls {
		fmt.Fprintf(h, "%s %s\n", c.ID, c.Status)
		for _, e := range c.Evidence {
			fmt.Fprintf(h, " %s %s %s:%d", e.Fingerprint, e.Baseline, e.File, e.Line)
			if s := e.Suppression; s != nil {
				fmt.Fprintf(h, " waived %s %s %s", s.Kind, s.Waiver, s.Expires)
			}
			h.Write([]byte("\n"))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// uuid5 derives a version-5-shaped UUID from its parts, so the same
// content always gets the same UUID.
func uuid5(parts ...string) string {
	h := sha256.Sum256([]byte("isolint-oscal\x00" + strings.Join(parts, "\x00")))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	x := hex.EncodeToString(h[:16])
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}
