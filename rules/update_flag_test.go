package rules

// Accept -update, so that `go test ./... -update` (which regenerates the
// golden files elsewhere) runs in this package too.
import _ "github.com/isolint/isolint/internal/golden"
