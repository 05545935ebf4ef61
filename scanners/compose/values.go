package compose

import (
	"strings"

	"github.com/isolint/isolint/model"
)

// Scalar readers with Compose's semantics: every string is interpolated
// first; booleans are what Compose's loader casts (true/false, and
// y/yes/on, n/no/off in any case, quoted or not); the location is the key,
// and Via lists the anchors, extends and .env lines the value came through.

// loc is the field's location, marked Anchored when the key is shared
// through extends as well as through a YAML anchor.
func (f field) loc() model.Location {
	l := f.Loc()
	if f.l != nil && len(f.l.via) > 0 {
		l.Anchored = true
	}
	return l
}

// via joins the anchor use sites, the extends use sites and extra sources.
func (f field) via(extra []model.Related) []model.Related {
	var lv []model.Related
	if f.l != nil {
		lv = f.l.via
	}
	av := f.Via()
	if len(av)+len(lv)+len(extra) == 0 {
		return nil
	}
	out := make([]model.Related, 0, len(av)+len(lv)+len(extra))
	out = append(out, av...)
	out = append(out, lv...)
	return append(out, extra...)
}

// expand interpolates a scalar's text. ok is false for a non-scalar.
func (p *project) expand(f field) (expansion, bool) {
	text, ok := f.Str()
	if !ok {
		return expansion{}, false
	}
	if strings.IndexByte(text, '$') < 0 {
		return expansion{value: text}, true
	}
	x := p.scan.environment().expand(text)
	if x.invalid {
		p.doc.Notice(f.Value, model.NoticeWarning, "%s holds an invalid ${…} interpolation; docker compose would reject it, so it was not checked", f.Path())
	}
	return x, true
}

// str reads a string setting. Numbers are read as their text.
func (p *project) str(f field) model.String {
	s := model.String{Loc: f.loc()}
	if !f.Exists() || f.IsNull() {
		return s
	}
	if !f.IsScalar() {
		p.doc.Notice(f.Value, model.NoticeWarning, "%s must be a string, got %s; docker compose would reject it", f.Path(), f.KindName())
		return s
	}
	x, _ := p.expand(f)
	s.Value, s.Set = x.value, true
	s.Unknown = x.unknown || x.invalid || isTemplated(x.value)
	s.Via = f.via(x.via)
	return s
}

// isTemplated reports text a template engine fills in before Compose
// reads the file ({{ … }}): unknown here.
func isTemplated(s string) bool { return strings.Contains(s, "{{") }

// composeBools are the strings Compose's loader casts to a boolean
// (compared in lower case).
var composeBools = map[string]bool{
	"true": true, "y": true, "yes": true, "on": true,
	"false": false, "n": false, "no": false, "off": false,
}

// boolean reads a boolean setting; anything else is noticed and left
// unset.
func (p *project) boolean(f field) model.Bool {
	b := model.Bool{Loc: f.loc()}
	if !f.Exists() || f.IsNull() {
		return b
	}
	if f.IsScalar() {
		x, _ := p.expand(f)
		switch {
		case x.invalid:
			return b
		case x.unknown || isTemplated(x.value):
			b.Set, b.Unknown, b.Via = true, true, f.via(x.via)
			return b
		}
		if v, ok := composeBools[strings.ToLower(strings.TrimSpace(x.value))]; ok {
			b.Value, b.Set, b.Via = v, true, f.via(x.via)
			return b
		}
	}
	p.doc.Notice(f.Value, model.NoticeWarning, "%s must be a boolean (true or false), got %s; docker compose would reject it, so it was not checked", f.Path(), f.KindName())
	return b
}

// boolKey reads a service's boolean setting; when no layer sets it, the
// value is unset and located where the key belongs.
func (p *project) boolKey(sv *service, key string) model.Bool {
	f := sv.get(key)
	if !f.Exists() {
		return model.Bool{Loc: sv.missing(key)}
	}
	return p.boolean(f)
}

// strKey reads a service's string setting; see boolKey.
func (p *project) strKey(sv *service, key string) model.String {
	f := sv.get(key)
	if !f.Exists() {
		return model.String{Loc: sv.missing(key)}
	}
	return p.str(f)
}
