package k8s

import (
	"strconv"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// ScanDocs lowers documents that were built rather than read (the objects
// of a Kustomize overlay). display names the unit they were built in (the
// overlay's folder): every object lowered carries it as its Unit, so that
// project-wide rules join it only with objects deployed alongside. When
// origin is set, origin(i) places the lines of document i on the files
// users edit; every location lowering hands out passes through it.
func (s *Scanner) ScanDocs(display string, docs [][]byte, origin func(doc int) yamldoc.Origin) *model.Project {
	p := &model.Project{}
	for i, b := range docs {
		var o yamldoc.Origin
		if origin != nil {
			o = origin(i)
		}
		for _, raw := range yamldoc.Split(b) {
			if kind, ok := yamldoc.TopLevelScalar(raw.Bytes, "kind"); ok {
				if api, ok := yamldoc.TopLevelScalar(raw.Bytes, "apiVersion"); ok && !s.kinds.wantedIn(api, kind) || !s.kinds.wanted(kind) {
					continue
				}
			}
			doc, err := yamldoc.Parse(display, raw)
			if err != nil {
				n := yamldoc.ParseNotice(display, raw, err, "built object "+strconv.Itoa(i+1)+" is not valid YAML: ", "built object "+strconv.Itoa(i+1)+" could not be read: ")
				if o != nil {
					n.Loc, _ = o.Locate(n.Loc)
				}
				p.Notices = append(p.Notices, n)
				continue
			}
			doc.Origin = o
			l := lowerer{kinds: s.kinds, p: p}
			l.object(doc.Value(), 0)
			p.Notices = append(p.Notices, doc.Notices...)
		}
	}
	p.SetUnit(display)
	return p
}
