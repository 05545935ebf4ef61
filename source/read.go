package source

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNotRegular is returned for a path that is not a regular file: a
// directory, a FIFO (which would block the read for ever), a device such as
// /dev/zero (which never ends) or a socket.
var ErrNotRegular = errors.New("not a regular file")

// DefaultLimit bounds the reads of callers that name no limit: 10 MiB, the
// default --max-file-size.
const DefaultLimit = 10 << 20

// TooLargeError is returned for a file over the size limit.
type TooLargeError struct {
	Size, Limit int64
}

func (e *TooLargeError) Error() string {
	if e.Size > 0 {
		return fmt.Sprintf("%d bytes is over the %d-byte size limit", e.Size, e.Limit)
	}
	return fmt.Sprintf("larger than the %d-byte size limit", e.Limit)
}

// ReadRegular is how isolint reads every file it opens: the scanned files,
// the config, the baseline, .gitignore files and the files scanners pull in
// (.env, included CI files, Compose extends, dev container features,
// Terraform templates). The path must name a regular file (symlinks
// followed; callers that must stay in a root use ReadWithin) of at most
// limit bytes (limit <= 0: DefaultLimit). The file is checked before it is
// opened, opened without blocking, and checked again through the open
// descriptor, so that a FIFO, a device or a file swapped in between is
// refused rather than read; the read itself stops at limit+1 bytes, so a
// file that grows while it is read is refused too.
func ReadRegular(path string, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	if limit > 0 && info.Size() > limit {
		return nil, &TooLargeError{Size: info.Size(), Limit: limit}
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	opened, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !opened.Mode().IsRegular() || !os.SameFile(info, opened) {
		return nil, ErrNotRegular
	}
	size := opened.Size()
	return readAtMost(f, size, limit)
}

// ReadHead reads at most n bytes from the start of the regular file at
// path (to sniff the format of a file too large to read whole), with the
// checks of ReadRegular.
func ReadHead(path string, n int) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if opened, err := f.Stat(); err != nil || !opened.Mode().IsRegular() || !os.SameFile(info, opened) {
		return nil, ErrNotRegular
	}
	buf := make([]byte, n)
	m, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	return buf[:m], nil
}

// readAtMost reads r to its end in one allocation of the expected size
// (io.ReadAll would grow a buffer from 512 bytes, copying as it goes), and
// refuses more than limit bytes.
func readAtMost(r io.Reader, size, limit int64) ([]byte, error) {
	buf := make([]byte, 0, min(max(size, 0), limit)+1)
	lr := io.LimitReader(r, limit+1)
	for {
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, &TooLargeError{Limit: limit}
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grew since it was seen: make room
		}
	}
}

// ErrText is err without the absolute path an *fs.PathError carries: the
// caller names the file as users see it.
func ErrText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// ReadWithin reads the file at path (absolute) when it resolves, through
// ".." and symlinks, to a regular file inside root (absolute, symlink
// resolved) of at most limit bytes. It returns the resolved path.
func ReadWithin(path, root string, limit int64) ([]byte, string, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, "", err
	}
	if !Within(real, root) {
		return nil, "", ErrOutsideRoot
	}
	b, err := ReadRegular(real, limit)
	return b, real, err
}
