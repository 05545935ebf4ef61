package reach

import (
	"encoding/json"
	"io"
)

// JSON writes the view as one JSON document (docs/reach-json.md,
// reach/schema/reach.schema.json).
func JSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
