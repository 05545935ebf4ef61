package terraform

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// lookup is Terraform's: a null default, or none, is allowed.
func TestLookup(t *testing.T) {
	m := cty.MapVal(map[string]cty.Value{"http_tokens": cty.StringVal("optional")})
	obj := cty.ObjectVal(map[string]cty.Value{"hop": cty.NumberIntVal(1)})
	cases := []struct {
		name string
		args []cty.Value
		want cty.Value // cty.NilVal: an error
	}{
		{"found, no default", []cty.Value{m, cty.StringVal("http_tokens")}, cty.StringVal("optional")},
		{"found, null default", []cty.Value{m, cty.StringVal("http_tokens"), cty.NullVal(cty.DynamicPseudoType)}, cty.StringVal("optional")},
		{"missing, null default", []cty.Value{m, cty.StringVal("x"), cty.NullVal(cty.DynamicPseudoType)}, cty.NullVal(cty.String)},
		{"missing, default", []cty.Value{m, cty.StringVal("x"), cty.StringVal("required")}, cty.StringVal("required")},
		{"missing, no default", []cty.Value{m, cty.StringVal("x")}, cty.NilVal},
		{"object attribute", []cty.Value{obj, cty.StringVal("hop")}, cty.NumberIntVal(1)},
		{"object, default", []cty.Value{obj, cty.StringVal("x"), cty.StringVal("d")}, cty.StringVal("d")},
		{"unknown map", []cty.Value{cty.UnknownVal(cty.Map(cty.String)), cty.StringVal("x"), cty.NullVal(cty.DynamicPseudoType)}, cty.UnknownVal(cty.String)},
		{"four arguments", []cty.Value{m, cty.StringVal("x"), cty.StringVal("a"), cty.StringVal("b")}, cty.NilVal},
		{"not a map", []cty.Value{cty.StringVal("s"), cty.StringVal("x")}, cty.NilVal},
	}
	for _, c := range cases {
		got, err := lookupFunc.Call(c.args)
		if c.want == cty.NilVal {
			if err == nil {
				t.Errorf("%s: %#v, want an error", c.name, got)
			}
			continue
		}
		if err != nil || !got.RawEquals(c.want) {
			t.Errorf("%s: %#v, %v; want %#v", c.name, got, err, c.want)
		}
	}
}

// A dynamic block iterates over any collection: a list's key is its
// index, a map's its key, a set's its element (here an object).
func TestDynamicIterations(t *testing.T) {
	p := scan(t, map[string]string{"main.tf": `
variable "opts" {
  default = { a = "optional", b = "required" }
}
resource "aws_instance" "list" {
  dynamic "metadata_options" {
    for_each = ["optional", "required"]
    content {
      http_tokens = "${metadata_options.key}:${metadata_options.value}"
    }
  }
}
resource "aws_instance" "map" {
  dynamic "metadata_options" {
    for_each = var.opts
    content {
      http_tokens = "${metadata_options.key}:${metadata_options.value}"
    }
  }
}
resource "aws_instance" "objects" {
  dynamic "metadata_options" {
    for_each = toset([{ t = "optional" }])
    iterator = o
    content {
      http_tokens = o.key.t
    }
  }
}
`})
	got := map[string]string{}
	for _, m := range p.Metadata {
		got[m.Name] = m.Tokens.Value
	}
	// the first block of each: metadata_options is read once
	want := map[string]string{"list": "0:optional", "map": "a:optional", "objects": "optional"}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: http_tokens %q, want %q", name, got[name], w)
		}
	}
}

func TestOneAllAny(t *testing.T) {
	str := cty.StringVal("arn")
	cases := []struct {
		name string
		f    func() (cty.Value, error)
		want cty.Value // cty.NilVal: an error
	}{
		{"one of one", func() (cty.Value, error) { return oneFunc.Call([]cty.Value{cty.TupleVal([]cty.Value{str})}) }, str},
		{"one of a list", func() (cty.Value, error) { return oneFunc.Call([]cty.Value{cty.ListVal([]cty.Value{str})}) }, str},
		{"one of none", func() (cty.Value, error) { return oneFunc.Call([]cty.Value{cty.ListValEmpty(cty.String)}) }, cty.NullVal(cty.String)},
		{"one of two", func() (cty.Value, error) { return oneFunc.Call([]cty.Value{cty.ListVal([]cty.Value{str, str})}) }, cty.NilVal},
		{"one of unknown", func() (cty.Value, error) { return oneFunc.Call([]cty.Value{cty.UnknownVal(cty.List(cty.String))}) }, cty.UnknownVal(cty.String)},
		{"alltrue", func() (cty.Value, error) {
			return allFunc(true).Call([]cty.Value{cty.ListVal([]cty.Value{cty.True, cty.True})})
		}, cty.True},
		{"alltrue, one false", func() (cty.Value, error) {
			return allFunc(true).Call([]cty.Value{cty.ListVal([]cty.Value{cty.UnknownVal(cty.Bool), cty.False})})
		}, cty.False},
		{"alltrue, one unknown", func() (cty.Value, error) {
			return allFunc(true).Call([]cty.Value{cty.ListVal([]cty.Value{cty.True, cty.UnknownVal(cty.Bool)})})
		}, cty.UnknownVal(cty.Bool)},
		{"alltrue of none", func() (cty.Value, error) { return allFunc(true).Call([]cty.Value{cty.ListValEmpty(cty.Bool)}) }, cty.True},
		{"anytrue", func() (cty.Value, error) {
			return allFunc(false).Call([]cty.Value{cty.ListVal([]cty.Value{cty.False, cty.True})})
		}, cty.True},
		{"anytrue, none true", func() (cty.Value, error) {
			return allFunc(false).Call([]cty.Value{cty.ListVal([]cty.Value{cty.False, cty.NullVal(cty.Bool)})})
		}, cty.False},
		{"anytrue of none", func() (cty.Value, error) { return allFunc(false).Call([]cty.Value{cty.ListValEmpty(cty.Bool)}) }, cty.False},
	}
	for _, c := range cases {
		got, err := c.f()
		if c.want == cty.NilVal {
			if err == nil {
				t.Errorf("%s: %#v, want an error", c.name, got)
			}
			continue
		}
		if err != nil || !got.RawEquals(c.want) {
			t.Errorf("%s: %#v, %v; want %#v", c.name, got, err, c.want)
		}
	}
}
