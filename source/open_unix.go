//go:build unix

package source

import (
	"os"
	"syscall"
)

// openNonBlocking opens a file for reading with O_NONBLOCK, so that a FIFO
// swapped in after the check cannot block the open; it has no effect on
// reading a regular file.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
