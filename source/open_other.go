//go:build !unix

package source

import "os"

func openNonBlocking(path string) (*os.File, error) {
	return os.Open(path)
}
