package k8s

import (
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
)

func (l *lowerer) role(v yamldoc.Value, kind, ns, name string, loc model.Location) {
	r := &model.Role{Kind: kind, Namespace: ns, Name: name, Loc: loc, Labels: textMap(v.Get("metadata").Get("labels"))}
	if agg := v.Get("aggregationRule"); kind == "ClusterRole" && agg.IsMap() {
		r.Aggregated = true
		if sels := agg.Get("clusterRoleSelectors"); sels.ExpectSeq() {
			for _, it := range sels.Items() {
				r.AggregationSelectors = append(r.AggregationSelectors, selector(it))
			}
		}
	}
	if rules := v.Get("rules"); rules.ExpectSeq() {
		for _, it := range rules.Items() {
			if !it.ExpectMap() {
				continue
			}
			pr := model.PolicyRule{
				Loc:           it.Loc(),
				APIGroups:     it.Get("apiGroups").TextList(),
				Resources:     it.Get("resources").TextList(),
				ResourcesLoc:  it.Get("resources").KeyLoc(),
				Verbs:         it.Get("verbs").TextList(),
				VerbsLoc:      it.Get("verbs").KeyLoc(),
				ResourceNames: it.Get("resourceNames").TextList(),

				NonResourceURLs: it.Get("nonResourceURLs").TextList(),
			}
			r.Rules = append(r.Rules, pr)
		}
	}
	l.p.Roles = append(l.p.Roles, r)
}

func (l *lowerer) binding(v yamldoc.Value, kind, ns, name string, loc model.Location) {
	b := &model.RoleBinding{Kind: kind, Namespace: ns, Name: name, Loc: loc}
	ref := v.Get("roleRef")
	if ref.ExpectMap() {
		b.RoleRef = model.RoleRef{Kind: ref.Get("kind").Text(), Name: ref.Get("name").Text(), Loc: ref.Get("name").Loc()}
		if b.RoleRef.Loc.IsZero() {
			b.RoleRef.Loc = ref.KeyLoc()
		}
	}
	if subs := v.Get("subjects"); subs.ExpectSeq() {
		for _, it := range subs.Items() {
			if !it.ExpectMap() {
				continue
			}
			s := model.Subject{Kind: it.Get("kind").Text(), Name: it.Get("name").Text(), Namespace: it.Get("namespace").Text(), Loc: it.Loc()}
			if s.Kind == "ServiceAccount" && s.Namespace == "" {
				s.Namespace = ns // a RoleBinding's own namespace; empty for a ClusterRoleBinding
			}
			b.Subjects = append(b.Subjects, s)
		}
	}
	l.p.RoleBindings = append(l.p.RoleBindings, b)
}
