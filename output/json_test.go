package output_test

import (
	"encoding/json"
	"testing"

	"github.com/isolint/isolint/output"
)

const jsonSchema = "schema/json-output.schema.json"

// TestJSONValidatesAgainstSchema checks the JSON report against the schema
// docs/json-output.md documents.
func TestJSONValidatesAgainstSchema(t *testing.T) {
	for name, res := range sarifScenarios(t) {
		t.Run(name, func(t *testing.T) {
			b := render(t, output.JSON, res, output.Options{Version: "v1.0.0"})
			validate(t, jsonSchema, b)
			var rep struct {
				SchemaVersion string            `json:"schemaVersion"`
				Findings      []json.RawMessage `json:"findings"`
				Summary       struct {
					Findings   int `json:"findings"`
					Suppressed int `json:"suppressed"`
				} `json:"summary"`
			}
			if err := json.Unmarshal(b, &rep); err != nil {
				t.Fatal(err)
			}
			if rep.SchemaVersion != output.JSONSchemaVersion {
				t.Errorf("schemaVersion %q, want %q", rep.SchemaVersion, output.JSONSchemaVersion)
			}
			if len(rep.Findings) != rep.Summary.Findings+rep.Summary.Suppressed {
				t.Errorf("%d findings listed, summary counts %d + %d suppressed", len(rep.Findings), rep.Summary.Findings, rep.Summary.Suppressed)
			}
		})
	}
}

// TestJSONSchemaRejects makes sure the schema is strict enough to catch
// drift: an unknown field or a wrong type fails it.
func TestJSONSchemaRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"unknown field": `{"schemaVersion":"1","tool":{"name":"isolint","version":"x"},"findings":[],"notices":[],"summary":{"findings":0,"suppressed":0,"bySeverity":{"critical":0,"high":0,"medium":0,"low":0},"formats":{},"unrecognisedFiles":0},"extra":1}`,
		"line zero":     `{"schemaVersion":"1","tool":{"name":"isolint","version":"x"},"findings":[],"notices":[{"level":"error","location":{"file":"a.yaml","line":0},"message":"m"}],"summary":{"findings":0,"suppressed":0,"bySeverity":{"critical":0,"high":0,"medium":0,"low":0},"formats":{},"unrecognisedFiles":0}}`,
		"absolute path": `{"schemaVersion":"1","tool":{"name":"isolint","version":"x"},"findings":[],"notices":[{"level":"error","location":{"file":"/etc/a.yaml"},"message":"m"}],"summary":{"findings":0,"suppressed":0,"bySeverity":{"critical":0,"high":0,"medium":0,"low":0},"formats":{},"unrecognisedFiles":0}}`,
	} {
		t.Run(name, func(t *testing.T) {
			ft := &failRecorder{TB: t}
			validate(ft, jsonSchema, []byte(doc))
			if !ft.failed {
				t.Error("the schema accepted an invalid report")
			}
		})
	}
}

// failRecorder records Errorf instead of failing the test.
type failRecorder struct {
	testing.TB
	failed bool
}

func (f *failRecorder) Errorf(string, ...any) { f.failed = true }
