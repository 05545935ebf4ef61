package compose

import (
	"errors"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
)

// environment reads a service's environment (a mapping or a list of
// KEY=VALUE) from every layer; a variable a higher layer sets again wins.
//
// A value that interpolates a variable is not a literal of the compose
// file: it is kept as written and marked unknown, and FromVar names the
// variable when the value is only that. A key without a value
// (`- DB_PASSWORD`, `DB_PASSWORD:`) passes the variable of the same name
// through from the environment docker compose runs in.
func (p *project) environment(sv *service) []*model.EnvVar {
	var out []*model.EnvVar
	index := map[string]int{}
	add := func(e *model.EnvVar) {
		if i, ok := index[e.Name]; ok {
			out[i] = e
			return
		}
		index[e.Name] = len(out)
		out = append(out, e)
	}
	for _, f := range sv.each("environment") {
		switch {
		case f.IsMap():
			for _, pair := range f.Pairs() {
				e := &model.EnvVar{Name: pair.Key, Loc: pair.Value.KeyLoc()}
				v := field{pair.Value, f.l}
				switch {
				case v.IsNull():
					e.FromVar = pair.Key
					e.Value.Loc = v.Loc()
				case v.IsScalar():
					e.Value, e.FromVar = p.envValue(v, v.Text())
				default:
					p.doc.Notice(v.Value, model.NoticeWarning, "%s must be a string, got %s; docker compose would reject it", v.Path(), v.KindName())
					continue
				}
				add(e)
			}
		case f.IsSeq():
			for _, it := range f.Items() {
				text, ok := it.Str()
				if !ok || !it.IsScalar() {
					p.doc.Notice(it, model.NoticeWarning, "%s must be a KEY=VALUE string, got %s; docker compose would reject it", it.Path(), it.KindName())
					continue
				}
				name, val, hasValue := strings.Cut(text, "=")
				e := &model.EnvVar{Name: name, Loc: it.Loc()}
				if !hasValue {
					e.FromVar = name
					e.Value.Loc = it.Loc()
				} else {
					e.Value, e.FromVar = p.envValue(field{it, f.l}, val)
				}
				add(e)
			}
		case f.IsNull():
		default:
			p.doc.Notice(f.Value, model.NoticeWarning, "%s must be a mapping or a list of KEY=VALUE strings, got %s; docker compose would reject it", f.Path(), f.KindName())
		}
	}
	return out
}

// envValue reads one environment value written as text.
func (p *project) envValue(f field, text string) (model.String, string) {
	s := model.String{Value: text, Set: true, Loc: f.loc(), Via: f.via(nil)}
	if strings.IndexByte(text, '$') < 0 {
		s.Unknown = isTemplated(text)
		return s, ""
	}
	x := p.scan.environment().expand(text)
	if x.invalid {
		p.doc.Notice(f.Value, model.NoticeWarning, "%s holds an invalid ${…} interpolation; docker compose would reject it, so it was not checked", f.Path())
		s.Unknown = true
		return s, ""
	}
	if !hasReference(text) {
		s.Value = x.value // only $$ escapes
		return s, ""
	}
	s.Unknown = true
	s.Via = f.via(x.via)
	return s, x.only
}

// hasReference reports whether text refers to a variable ($$ is an escape).
func hasReference(text string) bool {
	for i := 0; i+1 < len(text); i++ {
		if text[i] != '$' {
			continue
		}
		if text[i+1] == '$' {
			i++
			continue
		}
		if text[i+1] == '{' || isNameStart(text[i+1]) {
			return true
		}
	}
	return false
}

// envFiles reads a service's env_file from every layer: a path, a list of
// paths, or a list of {path, required, format}. The keys of each file that
// can be read inside the scanned root are recorded, never its values.
func (p *project) envFiles(sv *service) []*model.EnvSource {
	var out []*model.EnvSource
	index := map[string]int{}
	for _, f := range sv.each("env_file") {
		var paths []field
		switch {
		case f.IsScalar() && !f.IsNull():
			paths = append(paths, f)
		case f.IsSeq():
			for _, it := range f.Items() {
				switch {
				case it.IsScalar() && !it.IsNull():
					paths = append(paths, field{it, f.l})
				case it.IsMap():
					pv := it.Get("path")
					if !pv.Exists() {
						p.doc.Notice(it, model.NoticeWarning, "%s needs a path; docker compose would reject it", it.Path())
						continue
					}
					p.boolean(field{it.Get("required"), f.l}) // must be a boolean
					paths = append(paths, field{pv, f.l})
				default:
					p.doc.Notice(it, model.NoticeWarning, "%s must be a path or a mapping with path, got %s; docker compose would reject it", it.Path(), it.KindName())
				}
			}
		case f.IsNull():
		default:
			p.doc.Notice(f.Value, model.NoticeWarning, "%s must be a path or a list, got %s; docker compose would reject it", f.Path(), f.KindName())
		}
		for _, pf := range paths {
			s := p.str(pf)
			if !s.Set {
				continue
			}
			src := &model.EnvSource{Kind: model.EnvFromFile, Name: s.Value, Loc: s.Loc}
			key := s.Value
			if s.Known() && !isHostPath(s.Value) {
				key = path.Join(pf.l.dir, s.Value)
				ef := p.scan.envFileKeys(key)
				if ef.err == nil {
					src.Keys, src.CredentialKeys = ef.keys, ef.credKeys
				} else {
					p.envFileNotice(s, ef.err)
				}
			}
			if i, ok := index[key]; ok {
				out[i] = src
				continue
			}
			index[key] = len(out)
			out = append(out, src)
		}
	}
	return out
}

// envFileNotice reports an env_file of the scanned tree that could not be
// read: the variables it sets were not checked. One that is not there
// (env files are often kept out of the repository, and required: false
// makes one optional) or lies outside the root is not part of the scan,
// as a variable or absolute path is not: secret-env-bulk still names it.
func (p *project) envFileNotice(s model.String, err error) {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, source.ErrOutsideRoot) {
		return
	}
	p.scan.note(model.NoticeError, s.Loc, "env_file "+strconv.Quote(s.Value)+" could not be read ("+source.ErrText(err)+"); the variables it sets were not checked")
}
