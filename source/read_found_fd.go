//go:build linux || darwin

package source

import (
	"io"
	"io/fs"
	"syscall"
)

// ReadFound reads a file the walk has just found to be a regular file (its
// directory entry or a stat said so) of at most limit bytes (limit <= 0:
// DefaultLimit). It is ReadRegular without the check before the open,
// which the walk made, and on the descriptor alone: the file is opened
// without blocking (a FIFO swapped in since cannot block the open),
// checked through the descriptor (a FIFO, a device or a socket is refused,
// as is a file over the limit), and read to its end by readAtMost, as
// ReadRegular reads, so that a file whose size says less than it holds (a
// file that grew, a /proc file of size 0) is read whole or refused as too
// large. Five system calls instead of ReadRegular's seven: no stat before
// the open, no poller registration; reading files is about a tenth of a
// scan's CPU time, most of it in the kernel.
func ReadFound(path string, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	var fd int
	err := retry(func() (err error) {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		return err
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := retry(func() error { return syscall.Fstat(fd, &st) }); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, ErrNotRegular
	}
	if st.Size > limit {
		return nil, &TooLargeError{Size: st.Size, Limit: limit}
	}
	b, err := readAtMost(fdReader(fd), st.Size, limit)
	if pe, ok := err.(*fs.PathError); ok {
		pe.Path = path
	}
	return b, err
}

// fdReader reads a descriptor with read(2), without Go's poller.
type fdReader int

func (fd fdReader) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	var n int
	if err := retry(func() (err error) {
		n, err = syscall.Read(int(fd), b)
		return err
	}); err != nil {
		return 0, &fs.PathError{Op: "read", Err: err}
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// retry calls f again while a signal interrupts it.
func retry(f func() error) error {
	for {
		if err := f(); err != syscall.EINTR {
			return err
		}
	}
}
