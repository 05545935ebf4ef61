package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// baseFuncs are Terraform's built-in functions that need no file access,
// by their Terraform names. They come from go-cty's stdlib (the library
// Terraform's own functions are built on) and HCL's try/can. Functions not
// listed evaluate to unknown (see stubFuncs), never to an error.
var baseFuncs = map[string]function.Function{
	"abs":             stdlib.AbsoluteFunc,
	"can":             tryfunc.CanFunc,
	"ceil":            stdlib.CeilFunc,
	"chomp":           stdlib.ChompFunc,
	"chunklist":       stdlib.ChunklistFunc,
	"coalesce":        stdlib.CoalesceFunc,
	"coalescelist":    stdlib.CoalesceListFunc,
	"compact":         stdlib.CompactFunc,
	"concat":          stdlib.ConcatFunc,
	"contains":        stdlib.ContainsFunc,
	"csvdecode":       stdlib.CSVDecodeFunc,
	"distinct":        stdlib.DistinctFunc,
	"element":         stdlib.ElementFunc,
	"flatten":         stdlib.FlattenFunc,
	"floor":           stdlib.FloorFunc,
	"format":          stdlib.FormatFunc,
	"formatdate":      stdlib.FormatDateFunc,
	"formatlist":      stdlib.FormatListFunc,
	"indent":          stdlib.IndentFunc,
	"index":           stdlib.IndexFunc,
	"join":            stdlib.JoinFunc,
	"jsondecode":      stdlib.JSONDecodeFunc,
	"jsonencode":      stdlib.JSONEncodeFunc,
	"keys":            stdlib.KeysFunc,
	"length":          lengthFunc,
	"log":             stdlib.LogFunc,
	"lookup":          lookupFunc,
	"lower":           stdlib.LowerFunc,
	"max":             stdlib.MaxFunc,
	"merge":           stdlib.MergeFunc,
	"min":             stdlib.MinFunc,
	"parseint":        stdlib.ParseIntFunc,
	"pow":             stdlib.PowFunc,
	"range":           stdlib.RangeFunc,
	"regex":           stdlib.RegexFunc,
	"regexall":        stdlib.RegexAllFunc,
	"replace":         stdlib.ReplaceFunc,
	"reverse":         stdlib.ReverseListFunc,
	"setintersection": stdlib.SetIntersectionFunc,
	"setproduct":      stdlib.SetProductFunc,
	"setsubtract":     stdlib.SetSubtractFunc,
	"setunion":        stdlib.SetUnionFunc,
	"signum":          stdlib.SignumFunc,
	"slice":           stdlib.SliceFunc,
	"sort":            stdlib.SortFunc,
	"split":           stdlib.SplitFunc,
	"strrev":          stdlib.ReverseFunc,
	"substr":          stdlib.SubstrFunc,
	"timeadd":         stdlib.TimeAddFunc,
	"title":           stdlib.TitleFunc,
	"tobool":          stdlib.MakeToFunc(cty.Bool),
	"tolist":          stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
	"tomap":           stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
	"tonumber":        stdlib.MakeToFunc(cty.Number),
	"toset":           stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
	"tostring":        stdlib.MakeToFunc(cty.String),
	"trim":            stdlib.TrimFunc,
	"trimprefix":      stdlib.TrimPrefixFunc,
	"trimspace":       stdlib.TrimSpaceFunc,
	"trimsuffix":      stdlib.TrimSuffixFunc,
	"try":             tryfunc.TryFunc,
	"upper":           stdlib.UpperFunc,
	"values":          stdlib.ValuesFunc,
	"zipmap":          stdlib.ZipmapFunc,
	"startswith":      prefixFunc(strings.HasPrefix),
	"endswith":        prefixFunc(strings.HasSuffix),
	"strcontains":     prefixFunc(strings.Contains),
	"sensitive":       identityFunc,
	"nonsensitive":    identityFunc,
	"one":             oneFunc,
	"alltrue":         allFunc(true),
	"anytrue":         allFunc(false),
}

// lookupFunc is Terraform's lookup: an element of a map or object by key,
// else the default, which may be null or left out (go-cty's stdlib lookup
// requires a default and refuses a null one, the common
// `lookup(var.options, "key", null)` of registry modules). A missing key
// without a default is an error, as in Terraform.
var lookupFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "inputMap", Type: cty.DynamicPseudoType, AllowMarked: true},
		{Name: "key", Type: cty.String, AllowMarked: true},
	},
	VarParam: &function.Parameter{Name: "default", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true,
		AllowDynamicType: true, AllowMarked: true},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) > 3 {
			return cty.NilType, function.NewArgErrorf(3, "lookup takes at most three arguments")
		}
		ty := args[0].Type()
		switch {
		case ty.IsObjectType():
			key, _ := args[1].Unmark()
			if !key.IsKnown() {
				return cty.DynamicPseudoType, nil
			}
			if ty.HasAttribute(key.AsString()) {
				return ty.AttributeType(key.AsString()), nil
			}
			if len(args) == 3 {
				return args[2].Type(), nil
			}
			return cty.NilType, function.NewArgErrorf(0, "the given object has no attribute %q", key.AsString())
		case ty.IsMapType():
			if len(args) == 3 {
				if _, err := convert.Convert(args[2], ty.ElementType()); err != nil {
					return cty.NilType, function.NewArgErrorf(2, "the default value must have the same type as the map elements")
				}
			}
			return ty.ElementType(), nil
		}
		return cty.NilType, function.NewArgErrorf(0, "lookup() requires a map as the first argument")
	},
	Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
		m, mapMarks := args[0].Unmark()
		key, keyMarks := args[1].Unmark()
		if !m.IsKnown() || !key.IsKnown() {
			return cty.UnknownVal(ret).WithMarks(mapMarks, keyMarks), nil
		}
		k := key.AsString()
		switch {
		case m.Type().IsObjectType() && m.Type().HasAttribute(k):
			return m.GetAttr(k).WithMarks(mapMarks, keyMarks), nil
		case m.Type().IsMapType() && m.HasIndex(cty.StringVal(k)) == cty.True:
			return m.Index(cty.StringVal(k)).WithMarks(mapMarks, keyMarks), nil
		case len(args) == 3:
			d, err := convert.Convert(args[2], ret)
			if err != nil {
				return cty.NilVal, err
			}
			return d.WithMarks(mapMarks, keyMarks), nil
		}
		return cty.NilVal, function.NewArgErrorf(1, "the map has no element %q", k)
	},
})

// oneFunc is Terraform's one: the element of a list, set or tuple of one
// element, null for none (`one(aws_iam_role.this[*].arn)`).
var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType, AllowMarked: true}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType() && ty.Length() == 0:
			return cty.DynamicPseudoType, nil
		case ty.IsTupleType() && ty.Length() == 1:
			return ty.TupleElementType(0), nil
		}
		return cty.NilType, function.NewArgErrorf(0, "must be a list, set, or tuple value with either zero or one elements")
	},
	Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
		v, marks := args[0].Unmark()
		if !v.IsKnown() {
			return cty.UnknownVal(ret).WithMarks(marks), nil
		}
		switch v.LengthInt() {
		case 0:
			return cty.NullVal(ret).WithMarks(marks), nil
		case 1:
			it := v.ElementIterator()
			it.Next()
			_, e := it.Element()
			return e.WithMarks(marks), nil
		}
		return cty.NilVal, function.NewArgErrorf(0, "must be a list, set, or tuple value with either zero or one elements")
	},
})

// allFunc makes Terraform's alltrue (all true) and anytrue (all false
// false): whether every element of a collection of bools is true, or any
// is; unknown when an element it needs is unknown.
func allFunc(all bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			unknown := false
			for it := args[0].ElementIterator(); it.Next(); {
				_, e := it.Element()
				switch {
				case !e.IsKnown():
					unknown = true
				case e.IsNull():
					if all {
						return cty.False, nil
					}
				case e.True() != all:
					return cty.BoolVal(!all), nil
				}
			}
			if unknown {
				return cty.UnknownVal(cty.Bool), nil
			}
			return cty.BoolVal(all), nil
		},
	})
}

// identityFunc returns its argument: sensitive() and nonsensitive() change
// how Terraform displays a value, not the value.
var identityFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true, AllowNull: true, AllowMarked: true}},
	Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return args[0], nil
	},
})

// lengthFunc is Terraform's length: of a string (in characters), a
// collection, a tuple or an object (go-cty's stdlib length takes no
// strings or objects).
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		ty := v.Type()
		switch {
		case ty.IsTupleType() || ty.IsObjectType():
			if ty.IsTupleType() {
				return cty.NumberIntVal(int64(ty.Length())), nil
			}
			return cty.NumberIntVal(int64(len(ty.AttributeTypes()))), nil
		case !v.IsKnown():
			return cty.UnknownVal(cty.Number), nil
		case ty == cty.String:
			return stdlib.Strlen(v)
		case ty.IsListType() || ty.IsSetType() || ty.IsMapType():
			return v.Length(), nil
		}
		return cty.UnknownVal(cty.Number), function.NewArgErrorf(0, "argument must be a string, a collection type, or a structural type")
	},
})

// prefixFunc makes a (string, string) → bool function.
func prefixFunc(f func(s, x string) bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "x", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(f(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

// unknownFunc stands for a function isolint does not evaluate (timestamp,
// uuid, cidrsubnet, provider functions): its result is unknown, so nothing
// built from it gives a confident finding. Marks of the arguments are kept.
var unknownFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true},
	Type:     function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.DynamicVal, nil
	},
})

// calledFuncs lists the names of the functions an expression calls.
func calledFuncs(expr hcl.Expression) []string {
	se, ok := expr.(hclsyntax.Expression)
	if !ok {
		return nil // JSON expressions call functions only inside templates, parsed later
	}
	var names []string
	_ = hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
		if c, ok := n.(*hclsyntax.FunctionCallExpr); ok {
			names = append(names, c.Name)
		}
		return nil
	})
	return names
}

// funcTable is the function table of one scope: the base functions, file
// and templatefile reading inside the scanned root, and unknown stubs for
// every other function the expression calls.
func (s *scope) funcTable(expr hcl.Expression) map[string]function.Function {
	in := s.inst
	if in.funcs == nil {
		in.funcs = make(map[string]function.Function, len(baseFuncs)+3)
		for k, v := range baseFuncs {
			in.funcs[k] = v
		}
		root := &scope{inst: in}
		in.funcs["file"] = root.fileFunc()
		in.funcs["fileexists"] = root.fileExistsFunc()
		in.funcs["templatefile"] = root.templateFileFunc()
	}
	t, copied := in.funcs, false
	for _, n := range calledFuncs(expr) {
		if _, ok := t[n]; ok {
			continue
		}
		if !copied {
			t, copied = make(map[string]function.Function, len(in.funcs)+1), true
			for k, v := range in.funcs {
				t[k] = v
			}
		}
		t[n] = unknownFunc
	}
	return t
}

func (s *scope) fileFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			f, ok := s.inst.run.readFile(s.inst, args[0].AsString())
			if !ok {
				return cty.UnknownVal(cty.String), nil
			}
			return cty.StringVal(string(f.content)), nil
		},
	})
}

func (s *scope) fileExistsFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			_, ok := s.inst.run.readFile(s.inst, args[0].AsString())
			return cty.BoolVal(ok), nil
		},
	})
}

func (s *scope) templateFileFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType, AllowDynamicType: true},
		},
		Type: function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			f, ok := s.inst.run.readFile(s.inst, args[0].AsString())
			if !ok {
				return cty.UnknownVal(cty.String), nil
			}
			tmpl, diags := hclsyntax.ParseTemplate(f.content, f.display, hcl.InitialPos)
			if diags.HasErrors() {
				return cty.UnknownVal(cty.String), nil
			}
			ctx := &hcl.EvalContext{Variables: templateVars(args[1]), Functions: baseFuncs}
			v, diags := tmpl.Value(ctx)
			if diags.HasErrors() || !v.Type().Equals(cty.String) {
				return cty.UnknownVal(cty.String), nil
			}
			return v, nil
		},
	})
}

// templateVars turns templatefile's vars argument into template variables.
func templateVars(v cty.Value) map[string]cty.Value {
	out := map[string]cty.Value{}
	if v.IsNull() || !v.IsKnown() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
		return out
	}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if k.Type() == cty.String && k.IsKnown() {
			out[k.AsString()] = e
		}
	}
	return out
}
