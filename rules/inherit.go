package rules

import (
	"strconv"
	"strings"

	"github.com/isolint/isolint/model"
)

// A container rule often finds that the same key decides for several
// containers: a pod-level setting they all inherit (pod `runAsUser: 0`,
// a pod seccomp profile) or a YAML anchor they share. Such a key is
// reported once, at that key, naming every container it decides for, with
// the containers as related locations.

// decision is what a container rule found for one container: the key that
// decides, what it means, and how the finding is graded. Decisions at the
// same key with the same What merge.
type decision struct {
	Loc model.Location
	Via []model.Related
	// What is the rule's part of the message, phrased for any number of
	// containers ("adds capability SYS_ADMIN").
	What string
	// Severity and Confidence override the rule's defaults when set.
	Severity   Severity
	Confidence Confidence
}

// byDecidingKey collects the decisions of one workload's containers.
type byDecidingKey struct {
	groups []*decisionGroup
	index  map[string]*decisionGroup
}

type decisionGroup struct {
	decision
	containers []*model.Container
}

// add records that d decides for container c.
func (g *byDecidingKey) add(c *model.Container, d decision) {
	k := d.Loc.File + ":" + strconv.Itoa(d.Loc.Line) + ":" + strconv.Itoa(d.Loc.Col) + ":" + strconv.FormatBool(d.Loc.Synthetic) + "|" + d.What
	if g.index == nil {
		g.index = map[string]*decisionGroup{}
	}
	if dg, ok := g.index[k]; ok {
		dg.containers = append(dg.containers, c)
		return
	}
	dg := &decisionGroup{decision: d, containers: []*model.Container{c}}
	g.index[k] = dg
	g.groups = append(g.groups, dg)
}

// report emits one finding per deciding key. message builds the text from
// who ("container \"a\" of Pod \"x\"", or for several containers
// "containers \"a\" and \"b\" of Pod \"x\"", with many set) and d.What.
func (g *byDecidingKey) report(p *Pass, w *model.Workload, message func(who string, many bool, d decision) string) {
	for _, dg := range g.groups {
		related := dg.Via
		if len(dg.containers) > 1 {
			related = make([]model.Related, 0, len(dg.Via)+len(dg.containers))
			for _, c := range dg.containers {
				related = append(related, model.Related{Loc: c.Loc, Message: c.Display() + " inherits this setting"})
			}
			related = append(related, dg.Via...)
		}
		who := containerList(dg.containers) + " of " + w.Display()
		p.Report(Finding{
			Severity:   dg.Severity,
			Confidence: dg.Confidence,
			Message:    message(who, len(dg.containers) > 1, dg.decision),
			Loc:        dg.Loc,
			Related:    related,
			Format:     w.Format,
			Object:     w.ID(),
			Workload:   w.Name, Unit: w.Unit,
		})
	}
}

// containerList names containers for a message: `container "a"`,
// `containers "a" and "b"`, `initContainer "setup" and container "app"`.
func containerList(cs []*model.Container) string {
	if len(cs) == 1 {
		return cs[0].Display()
	}
	sameKind := true
	for _, c := range cs[1:] {
		if c.Kind != cs[0].Kind {
			sameKind = false
		}
	}
	names := make([]string, len(cs))
	for i, c := range cs {
		if sameKind {
			names[i] = strconv.Quote(c.Name)
		} else {
			names[i] = c.Display()
		}
	}
	list := strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	if sameKind {
		return string(cs[0].Kind) + "s " + list
	}
	return list
}

// verb picks the singular or plural form for a message.
func verb(many bool, one, several string) string {
	if many {
		return several
	}
	return one
}

// missingAt marks a decision's location as the place where a missing key
// belongs (the securityContext, the container): the finding is about the
// key's absence, so the engine never folds it into another workload's
// finding at the same place (engine.sharedKey).
func missingAt(loc model.Location) model.Location {
	loc.Synthetic = true
	return loc
}
