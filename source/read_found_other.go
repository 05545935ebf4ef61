//go:build !(linux || darwin)

package source

// ReadFound reads a file the walk has just found to be a regular file:
// here, ReadRegular.
func ReadFound(path string, limit int64) ([]byte, error) {
	return ReadRegular(path, limit)
}
