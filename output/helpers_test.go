package output_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/isolint/isolint/config"
	"github.com/isolint/isolint/engine"
	_ "github.com/isolint/isolint/internal/golden" // accepts -update, so `go test ./... -update` runs everywhere
	"github.com/isolint/isolint/internal/testfiles"
	"github.com/isolint/isolint/output"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// fixedNow keeps expiry decisions stable.
var fixedNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// writeTree writes files (slash paths → content) under dir.
func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	testfiles.WriteTree(t, dir, files)
}

// scan runs the engine over paths with display paths relative to base.
func scan(t testing.TB, base string, paths ...string) *engine.Result {
	t.Helper()
	res, err := engine.Run(engine.Options{Paths: paths, Base: base, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func render(t testing.TB, w output.Writer, res *engine.Result, opts output.Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := w(&b, res, opts); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var (
	schemaMu sync.Mutex
	schemas  = map[string]*jsonschema.Schema{}
)

// validate checks doc against the JSON schema file at path.
func validate(t testing.TB, schemaPath string, doc []byte) {
	t.Helper()
	schemaMu.Lock()
	s, ok := schemas[schemaPath]
	if !ok {
		abs, err := filepath.Abs(schemaPath)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(abs); err != nil {
			schemaMu.Unlock()
			t.Fatalf("schema missing: %v", err)
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if s, err = c.Compile(abs); err != nil {
			schemaMu.Unlock()
			t.Fatal(err)
		}
		schemas[schemaPath] = s
	}
	schemaMu.Unlock()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("output does not match %s:\n%v", schemaPath, err)
	}
}

const sarifSchema = "../testdata/schemas/sarif-schema-2.1.0.json"

func loadConfig(t testing.TB, path string) *config.Config {
	t.Helper()
	c, err := config.Load(path, filepath.Base(path))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
