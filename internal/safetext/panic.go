package safetext

import (
	"fmt"
	"runtime"
)

// Panic describes a recovered panic for a notice. A runtime error's text
// names types, sizes and indexes, never data, and is kept; any other
// value is given by its type only: a library's panic message may quote
// the input it choked on, a secret value included, and notices never
// carry values.
func Panic(r any) string {
	if e, ok := r.(runtime.Error); ok {
		return e.Error()
	}
	return fmt.Sprintf("a panic (%T)", r)
}
