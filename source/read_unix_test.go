//go:build unix

package source_test

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/isolint/isolint/source"
)

func TestReadRegularRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]string{"directory": dir}
	{
		// a FIFO blocks an open for reading until a writer comes: for ever
		fifo := filepath.Join(dir, "pipe.yaml")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		cases["fifo"] = fifo
		cases["device"] = "/dev/zero" // never ends
		link := filepath.Join(dir, "zero.yaml")
		if err := os.Symlink("/dev/zero", link); err != nil {
			t.Fatal(err)
		}
		cases["symlink to a device"] = link
	}
	for name, p := range cases {
		if _, err := source.ReadRegular(p, 1<<20); !errors.Is(err, source.ErrNotRegular) {
			t.Errorf("%s: err = %v, want ErrNotRegular", name, err)
		}
	}
}

// ReadFound refuses what ReadRegular refuses, without blocking on a FIFO,
// and reads a regular file whole; errors name what the OS said.
func TestReadFound(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "zero.yaml")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]string{"directory": dir, "fifo": fifo, "device": "/dev/zero", "symlink to a device": link} {
		if _, err := source.ReadFound(p, 1<<20); !errors.Is(err, source.ErrNotRegular) {
			t.Errorf("%s: err = %v, want ErrNotRegular", name, err)
		}
	}
	file := filepath.Join(dir, "a.yaml")
	want := []byte("kind: Pod\nmetadata:\n  name: p\n")
	if err := os.WriteFile(file, want, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := source.ReadFound(file, 1<<20); err != nil || string(got) != string(want) {
		t.Errorf("ReadFound = %q, %v; want the file", got, err)
	}
	var tl *source.TooLargeError
	if _, err := source.ReadFound(file, 10); !errors.As(err, &tl) || tl.Size != int64(len(want)) {
		t.Errorf("over the limit: err = %v, want a TooLargeError with the size", err)
	}
	if got, err := source.ReadFound(filepath.Join(dir, "empty"), 0); err == nil || source.ErrText(err) != "no such file or directory" {
		t.Errorf("missing file: %q, %v", got, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "empty"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := source.ReadFound(filepath.Join(dir, "empty"), 0); err != nil || len(got) != 0 {
		t.Errorf("empty file: %q, %v", got, err)
	}
	if err := os.Chmod(file, 0); err == nil && os.Geteuid() != 0 {
		if _, err := source.ReadFound(file, 0); source.ErrText(err) != "permission denied" {
			t.Errorf("unreadable file: err = %v", err)
		}
	}
}

// A file whose size says less than it holds (a /proc file says 0) is read
// to its end, as ReadRegular reads it, not cut at its size.
func TestReadFoundReadsPastTheSize(t *testing.T) {
	want, err := source.ReadRegular("/proc/self/status", 0)
	if err != nil || len(want) == 0 {
		t.Skipf("no /proc here: %v", err)
	}
	got, err := source.ReadFound("/proc/self/status", 0)
	if err != nil || len(got) == 0 {
		t.Fatalf("ReadFound(/proc/self/status) = %d bytes, %v; want the file's %d bytes", len(got), err, len(want))
	}
	var tl *source.TooLargeError
	if _, err := source.ReadFound("/proc/self/status", 16); !errors.As(err, &tl) {
		t.Errorf("a size-0 file over the limit: err = %v, want a TooLargeError", err)
	}
}
