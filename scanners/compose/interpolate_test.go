package compose

import (
	"testing"

	"github.com/isolint/isolint/model"
)

// testEnv is compose-go's template test environment: FOO set, BAR set and
// empty, JSON set; everything else unset.
func testEnv() *environment {
	at := func(line int) model.Location { return model.Location{File: ".env", Line: line} }
	return &environment{vars: map[string]variable{
		"FOO":  {value: "first", loc: at(1)},
		"BAR":  {value: "", loc: at(2)},
		"JSON": {value: `{"json":2}`, loc: at(3)},
		"LATE": {unknown: true, loc: at(4)}, // set from an unresolved variable
	}}
}

// The cases follow compose-go's template/template_test.go (Apache-2.0),
// with one difference by design: a variable .env does not set is unknown
// here (Compose would read the shell environment, then use "").
func TestExpand(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    string
		unknown bool
		invalid bool
		only    string
	}{
		{in: "foo", want: "foo"},
		{in: "$${foo}", want: "${foo}"},
		{in: "$$FOO", want: "$FOO"},
		{in: "a $ string", want: "a $ string"},
		{in: "^REGEX$", want: "^REGEX$"},
		{in: "$}", want: "$}"},
		{in: "$", want: "$"},
		{in: "$FOO-bar", want: "first-bar"},
		{in: "This $FOO var", want: "This first var"},
		{in: "This ${FOO} var", want: "This first var"},
		{in: "This ${BAR} var", want: "This  var"},
		{in: "This ${missing} var", want: "This  var", unknown: true},
		{in: "$missing", unknown: true, only: "missing"},
		{in: "${FOO}", want: "first", only: "FOO"},
		{in: "$FOO", want: "first", only: "FOO"},
		{in: "${FOO:-x}", want: "first", only: "FOO"},
		{in: "${FOO:?x}", want: "first", only: "FOO"},
		{in: "${FOO:+x}", want: "x"},
		{in: "${FOO}${BAR}", want: "first"},
		{in: "ok ${missing:-def}", want: "ok def"},
		{in: "ok ${missing-def}", want: "ok def"},
		{in: "${A:+${A},}B", want: "B"},
		{in: "${A:-${B}}", unknown: true, only: "A"},
		{in: "ok ${BAR:-def}", want: "ok def"},
		{in: "ok ${FOO:-def}", want: "ok first"},
		{in: "ok ${BAR-def}", want: "ok "},
		{in: "ok ${UNSET_VAR:+presence_value}", want: "ok "},
		{in: "ok ${UNSET_VAR+presence_value}", want: "ok "},
		{in: "ok ${FOO:+presence_value}", want: "ok presence_value"},
		{in: "ok ${FOO+presence_value}", want: "ok presence_value"},
		{in: "ok ${BAR+presence_value}", want: "ok presence_value"},
		{in: "ok ${BAR:+presence_value}", want: "ok "},
		{in: "ok ${BAR:-/non:-alphanumeric}", want: "ok /non:-alphanumeric"},
		{in: "+ok ${UNSET:-${BAR-defaultValue}}", want: "+ok "},
		{in: ":-ok ${UNSET-defaultValue}", want: ":-ok defaultValue"},
		{in: ":?ok ${BAR:-defaultValue}", want: ":?ok defaultValue"},
		{in: "ok ${UNSET_VAR-$FOO}", want: "ok first"},
		{in: "ok ${UNSET_VAR-${FOO} ${FOO}}", want: "ok first first"},
		{in: "ok ${BAR:-${FOO}}", want: "ok first"},
		{in: "ok ${BAR+$FOO ${FOO:+second}}", want: "ok first second"},
		{in: "ok ${FOO?err}", want: "ok first"},
		{in: "ok ${BAR?err}", want: "ok "},
		{in: "not ok ${UNSET_VAR:?Mandatory}", want: "not ok ", unknown: true},
		{in: "not ok ${BAR:?Mandatory}", want: "not ok ", unknown: true},
		{in: "not ok ${UNSET_VAR?}", want: "not ok ", unknown: true},
		{in: "${JSON}", want: `{"json":2}`, only: "JSON"},
		{in: "${LATE}", unknown: true, only: "LATE"},
		{in: "${LATE:-x}", unknown: true, only: "LATE"},
		{in: "${LATE-x}", unknown: true, only: "LATE"},
		{in: "${LATE+x}", want: "x"},
		{in: "${", invalid: true},
		{in: "${}", invalid: true},
		{in: "${ }", invalid: true},
		{in: "${ foo}", invalid: true},
		{in: "${foo }", invalid: true},
		{in: "${foo!}", invalid: true},
		{in: "${FOO:x}", invalid: true},
	} {
		x := testEnv().expand(tc.in)
		if x.invalid != tc.invalid {
			t.Errorf("expand(%q): invalid = %v, want %v", tc.in, x.invalid, tc.invalid)
			continue
		}
		if tc.invalid {
			continue
		}
		if x.unknown != tc.unknown || (!tc.unknown && x.value != tc.want) || x.only != tc.only {
			t.Errorf("expand(%q) = %q unknown=%v only=%q; want %q unknown=%v only=%q", tc.in, x.value, x.unknown, x.only, tc.want, tc.unknown, tc.only)
		}
	}
}

func TestExpandVia(t *testing.T) {
	x := testEnv().expand("${FOO}:${missing:-d}:$JSON")
	if len(x.via) != 2 || x.via[0].Loc.Line != 1 || x.via[1].Loc.Line != 3 {
		t.Fatalf("via = %+v, want the .env lines of FOO and JSON", x.via)
	}
	if x.via[0].Message != "FOO is set in .env" {
		t.Errorf("message = %q", x.via[0].Message)
	}
}

func TestExpandBounded(t *testing.T) {
	s := "x"
	for range 100 {
		s = "${U:-" + s + "}"
	}
	if x := testEnv().expand(s); !x.invalid {
		t.Errorf("a default nested 100 deep should be refused, got %q", x.value)
	}
}
