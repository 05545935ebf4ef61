// Package baseline records the findings a project has today, so that a CI
// gate can fail on new findings only (`isolint baseline`, `scan --baseline`).
//
// A baseline holds each finding's fingerprint (rule, file, object and key
// path — never the line, never a value from the scanned file), so a finding
// stays baselined when lines move above it or something unrelated changes
// in its file. The format is documented in docs/baseline.md.
package baseline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/isolint/isolint/rules"
	"github.com/isolint/isolint/source"
)

// Version is the baseline file format version.
const Version = 1

// Entry is one recorded finding.
type Entry struct {
	Fingerprint string `json:"fingerprint"`
	RuleID      string `json:"ruleId"`
	File        string `json:"file"`
	Object      string `json:"object,omitempty"`
	KeyPath     string `json:"keyPath,omitempty"`
	// Message is recorded for people reading the file, and to recognise a
	// finding that has no key path (a finding about an ignore directive)
	// after its line moved. Messages never hold scanned values.
	Message string `json:"message"`
}

// File is a baseline file.
type File struct {
	Version  int     `json:"version"`
	Findings []Entry `json:"findings"`

	// Path is where it was read from ("" when built in memory); Digest is
	// the sha256 of its bytes.
	Path   string `json:"-"`
	Digest string `json:"-"`
}

// Build records the findings that are in force today: suppressed findings
// are left out (their waiver already covers them; when it expires they
// must surface as new).
func Build(fs []rules.Finding) *File {
	b := &File{Version: Version, Findings: []Entry{}}
	for _, f := range fs {
		if f.Suppression != nil {
			continue
		}
		b.Findings = append(b.Findings, Entry{
			Fingerprint: base(f.Fingerprint), RuleID: f.RuleID, File: f.Loc.File,
			Object: f.Object, KeyPath: f.Loc.Path, Message: f.Message,
		})
	}
	sort.SliceStable(b.Findings, func(i, j int) bool {
		x, y := b.Findings[i], b.Findings[j]
		if x.File != y.File {
			return x.File < y.File
		}
		if x.RuleID != y.RuleID {
			return x.RuleID < y.RuleID
		}
		if x.Fingerprint != y.Fingerprint {
			return x.Fingerprint < y.Fingerprint
		}
		return x.Message < y.Message
	})
	return b
}

// Write writes the baseline as indented JSON, byte-identical for the same
// findings.
func (b *File) Write(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// maxBaselineSize bounds a baseline file: a quarter of a million findings.
const maxBaselineSize = 64 << 20

// Load reads a baseline file; display is the path to show in errors.
func Load(path, display string) (*File, error) {
	data, err := source.ReadRegular(path, maxBaselineSize)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read baseline: %s", display, source.ErrText(err))
	}
	return Parse(data, display)
}

// Parse reads baseline bytes.
func Parse(data []byte, display string) (*File, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b File
	if err := dec.Decode(&b); err != nil {
		where := display
		var se *json.SyntaxError
		if errors.As(err, &se) {
			where += ":" + strconv.Itoa(1+bytes.Count(data[:min(max(se.Offset, 0), int64(len(data)))], []byte("\n")))
		}
		return nil, fmt.Errorf("%s: not an isolint baseline (%v); write one with `isolint baseline -o %s`", where, err, display)
	}
	// anything after the JSON value (a second object pasted in, a merge
	// conflict's markers) would be ignored: refuse it
	if off := dec.InputOffset(); len(bytes.TrimSpace(data[off:])) > 0 {
		rest := data[off:]
		at := off + int64(len(rest)-len(bytes.TrimLeft(rest, " \t\r\n")))
		line := 1 + bytes.Count(data[:at], []byte("\n"))
		return nil, fmt.Errorf("%s:%d: text after the baseline's JSON object; a baseline is one JSON object", display, line)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("%s: baseline version %d is not supported (want %d)", display, b.Version, Version)
	}
	for i, e := range b.Findings {
		if e.Fingerprint == "" || e.RuleID == "" {
			return nil, fmt.Errorf("%s: findings[%d] needs a fingerprint and a ruleId", display, i)
		}
	}
	sum := sha256.Sum256(data)
	b.Path = display
	b.Digest = "sha256:" + hex.EncodeToString(sum[:])
	return &b, nil
}

// Summary is what a scan reports about the baseline in force.
type Summary struct {
	File    string // display path
	Digest  string // sha256 of the file
	Entries int    // findings recorded in it
	Matched int    // findings of this scan it covers
}

// Apply marks the findings the baseline records as Baselined and returns
// how many it matched. A finding matches an entry with the same
// fingerprint; a finding without a key path (whose fingerprint holds its
// line) also matches an entry of the same rule, file, object and message,
// so that moving it does not make it new. Each entry covers one finding,
// so a second copy of a baselined problem is new. Suppressed findings are
// never marked: their waiver, not the baseline, covers them.
func (b *File) Apply(fs []rules.Finding) Summary {
	s := Summary{File: b.Path, Digest: b.Digest, Entries: len(b.Findings)}
	byFP := map[string][]int{}
	byText := map[string][]int{}
	for i, e := range b.Findings {
		byFP[e.Fingerprint] = append(byFP[e.Fingerprint], i)
		if e.KeyPath == "" {
			byText[textKey(e.RuleID, e.File, e.Object, e.Message)] = append(byText[textKey(e.RuleID, e.File, e.Object, e.Message)], i)
		}
	}
	used := make([]bool, len(b.Findings))
	take := func(idx []int) bool {
		for _, i := range idx {
			if !used[i] {
				used[i] = true
				return true
			}
		}
		return false
	}
	var pending []int
	for i := range fs {
		f := &fs[i]
		if f.Suppression != nil {
			continue
		}
		if take(byFP[base(f.Fingerprint)]) {
			f.Baselined = true
			s.Matched++
			continue
		}
		if f.Loc.Path == "" {
			pending = append(pending, i)
		}
	}
	// only after every exact match, so that a moved directive cannot take
	// the entry of one that stayed
	for _, i := range pending {
		f := &fs[i]
		if take(byText[textKey(f.RuleID, f.Loc.File, f.Object, f.Message)]) {
			f.Baselined = true
			s.Matched++
		}
	}
	return s
}

// base strips the ":N" the engine appends to tell apart findings with the
// same fingerprint; which copy gets which N depends on their order.
func base(fp string) string {
	if i := strings.IndexByte(fp, ':'); i >= 0 {
		return fp[:i]
	}
	return fp
}

func textKey(rule, file, object, msg string) string {
	return rule + "\x00" + file + "\x00" + object + "\x00" + msg
}
