package output

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
)

// rawWithSpace is a Marshaler whose output has whitespace, which
// encoding/json compacts before indenting.
type rawWithSpace struct{}

func (rawWithSpace) MarshalJSON() ([]byte, error) {
	return []byte(`{ "a" : [ 1 , 2 ] ,"b":{ } }`), nil
}

// stdIndent is what the writers used before indentEncoder.
func stdIndent(t testing.TB, v any, prefix, indent string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, indent)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func TestIndentEncoderMatchesEncodingJSON(t *testing.T) {
	values := []any{
		nil, true, 0, -1.5e300, "", `"`, `\`, `\"`, `\\"`, `a\\`, `"quoted, with: {braces} and [brackets]"`,
		"<script>&amp;</script>", "line\nbreak\ttab\r\x00\x1f", "\u2028\u2029", "é中文🙂", "\xff\xfe invalid UTF-8",
		[]any{}, map[string]any{}, []any{[]any{}, map[string]any{}, []any{[]any{}}},
		map[string]any{"k": []any{1, "two", nil, map[string]any{"x": map[string]any{}}}, `ke"y`: `va\lue`, "": ""},
		struct {
			A []string          `json:"a"`
			B map[string]string `json:"b,omitempty"`
			C *int              `json:"c"`
			R rawWithSpace      `json:"r"`
			S []rawWithSpace    `json:"s"`
		}{A: []string{"x", "", "}"}, S: []rawWithSpace{{}, {}}},
		jsonFindingOf(sampleFinding()),
	}
	for _, prefix := range []string{"", "  ", "        "} {
		enc := newIndentEncoder(prefix, "  ")
		for _, v := range values {
			got, err := enc.encode(v)
			if err != nil {
				t.Fatal(err)
			}
			if want := stdIndent(t, v, prefix, "  "); !bytes.Equal(got, want) {
				t.Errorf("prefix %q, %#v:\ngot  %s\nwant %s", prefix, v, got, want)
			}
		}
	}
}

func FuzzAppendIndented(f *testing.F) {
	for _, s := range []string{`{"a":[1,{},[]],"b":"\"\\"}`, `[]`, `"x\\\"y"`, `{"":{"":[null,true,false,-0.5e-3]}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v any
		if json.Unmarshal([]byte(s), &v) != nil {
			return
		}
		got, err := newIndentEncoder(">", "\t").encode(v)
		if err != nil {
			t.Fatal(err)
		}
		if want := stdIndent(t, v, ">", "\t"); !bytes.Equal(got, want) {
			t.Fatalf("got  %s\nwant %s", got, want)
		}
	})
}

// sampleFinding has every part a JSON finding can have.
func sampleFinding() rules.Finding {
	loc := model.Location{File: "deploy/a b.yaml", Line: 3, Col: 5, EndLine: 3, EndCol: 20, Path: `spec.containers[app].env[0]`}
	return rules.Finding{
		RuleID: "privileged-container", Severity: rules.High, Confidence: rules.ConfidenceHigh, Format: model.FormatK8s,
		Object: "Deployment/shop/web", Message: `runs "privileged" <with> & \ everything`, Loc: loc, Fingerprint: "abc",
		Related:     []model.Related{{Loc: loc, Message: "set [here]"}, {Loc: model.Location{File: "x"}}},
		Suppression: &rules.Suppression{Kind: "inSource", Justification: "needed: {really}", Loc: loc},
		Fix:         &rules.FixNote{Does: "sets privileged: false"},
	}
}
