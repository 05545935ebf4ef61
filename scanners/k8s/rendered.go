package k8s

import (
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// ScanRendered lowers rendered text (a Helm chart's template output, a
// built Kustomize overlay) as Scan lowers a file, with each document's
// locations passed through the origin that origin returns for it, so that
// findings and notices point at the lines a user edits. file names the
// text in locations the origin cannot map; origin may return nil.
func (s *Scanner) ScanRendered(file string, text []byte, origin func(yamldoc.RawDoc) yamldoc.Origin) *model.Project {
	p := &model.Project{}
	for _, raw := range yamldoc.Split(text) {
		if kind, ok := yamldoc.TopLevelScalar(raw.Bytes, "kind"); ok {
			if api, ok := yamldoc.TopLevelScalar(raw.Bytes, "apiVersion"); ok && !s.kinds.wantedIn(api, kind) || !s.kinds.wanted(kind) {
				continue
			}
		}
		var o yamldoc.Origin
		if origin != nil {
			o = origin(raw)
		}
		doc, err := yamldoc.Parse(file, raw)
		if err != nil {
			n := parseNotice(file, raw, err)
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
	return p
}
