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
