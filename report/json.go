package report

import (
	"bytes"
	"encoding/json"
	"io"
)

// JSON writes the report as the documented JSON schema
// (docs/report-json.md, report/schema/report.schema.json).
func JSON(w io.Writer, r *Report) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}
