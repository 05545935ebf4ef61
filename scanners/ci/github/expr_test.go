package github

import (
	"reflect"
	"testing"
)

func TestParseExprRefs(t *testing.T) {
	for _, c := range []struct {
		src  string
		name string
		bulk bool
	}{
		{"secrets.DEPLOY_TOKEN", "DEPLOY_TOKEN", false},
		{"secrets['NPM_TOKEN']", "NPM_TOKEN", false},
		{"toJSON(secrets)", "", true},
		{"secrets[format('{0}_KEY', matrix.env)]", "", true},
		{"github.event.pull_request.head.sha", "", false},
		{"inputs.token || secrets.FALLBACK", "FALLBACK", false},
		{"fromJSON(needs.x.outputs.y)['z']", "", false},
	} {
		n, err := parseExpr(c.src)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		name, bulk := secretRef(n)
		if name != c.name || bulk != c.bulk {
			t.Errorf("%s: secretRef = %q, %v; want %q, %v", c.src, name, bulk, c.name, c.bulk)
		}
	}
}

func TestParseExprRejects(t *testing.T) {
	for _, src := range []string{"a ==", "(a", "'unterminated", "a.", "f(a,", "a ? b : c"} {
		if _, err := parseExpr(src); err == nil {
			t.Errorf("%q parsed", src)
		}
	}
}

func TestFindExprs(t *testing.T) {
	s := "echo ${{ secrets.A }} and ${{ 'x}}y' }} ${{ unterminated"
	got := findExprs(s)
	if len(got) != 2 {
		t.Fatalf("found %d expressions, want 2", len(got))
	}
	if s[got[0].start:got[0].end] != "${{ secrets.A }}" || s[got[1].start:got[1].end] != "${{ 'x}}y' }}" {
		t.Errorf("spans %q %q", s[got[0].start:got[0].end], s[got[1].start:got[1].end])
	}
}

func TestEvalCondition(t *testing.T) {
	yes, no := true, false
	fork := world{event: "pull_request", ref: "refs/pull/1/merge", fromFork: &yes}
	same := world{event: "pull_request", ref: "refs/pull/1/merge", fromFork: &no}
	push := world{event: "push", ref: topicRef}
	for _, c := range []struct {
		cond string
		w    world
		want any // true, false or nil for unknown
	}{
		{"github.event_name == 'push'", push, true},
		{"github.event_name == 'PUSH'", push, true},
		{"github.event_name == 'push'", fork, false},
		{"github.event_name != 'pull_request' && github.ref == 'refs/heads/main'", push, false},
		{"${{ github.event.pull_request.head.repo.full_name == github.repository }}", fork, false},
		{"github.event.pull_request.head.repo.full_name == github.repository", same, true},
		{"!github.event.pull_request.head.repo.fork", fork, false},
		{"startsWith(github.ref, 'refs/tags/')", push, false},
		{"contains(github.event.pull_request.labels.*.name, 'safe')", fork, nil},
		{"github.actor == 'dependabot[bot]'", fork, nil},
		{"always() && github.event_name == 'push'", push, true},
		{"github.actor == 'x' || github.event_name == 'push'", push, true},
		{"github.actor == 'x' && github.event_name == 'push'", fork, false},
		{"github.event.pull_request", push, false},
		{"github.repository == 'octo/repo'", push, nil},
		{"github.repository != 'octo/repo' && github.event_name == 'push'", push, nil},
		{"github.event.pull_request.head.repo.full_name != github.repository", fork, true},
		{"startsWith(github.repository, 'octo/')", push, nil},
	} {
		n, ok := condition(c.cond)
		if !ok {
			t.Fatalf("%s: does not parse", c.cond)
		}
		v := eval(n, c.w.lookup)
		var got any
		if v.known {
			got = truthy(v.val)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s in %s/%v: got %v, want %v", c.cond, c.w.event, c.w.fromFork != nil && *c.w.fromFork, got, c.want)
		}
	}
}

func TestCompareLoose(t *testing.T) {
	for _, c := range []struct {
		op   string
		l, r any
		want bool
	}{
		{"==", "1", 1.0, true},
		{"==", "", 0.0, true},
		{"==", nil, false, true}, // both coerce to 0
		{"==", nil, nil, true},
		{"!=", "abc", 0.0, true},
		{"<", 1.0, 2.0, true},
	} {
		if got := compare(c.op, c.l, c.r); got != c.want {
			t.Errorf("%v %s %v = %v", c.l, c.op, c.r, got)
		}
	}
}
