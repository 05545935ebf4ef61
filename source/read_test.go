package source_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isolint/isolint/source"
)

func TestReadRegularLimit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(p, []byte(strings.Repeat("a: b\n", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	var tl *source.TooLargeError
	if _, err := source.ReadRegular(p, 4999); !errors.As(err, &tl) {
		t.Errorf("err = %v, want TooLargeError", err)
	}
	b, err := source.ReadRegular(p, 5000)
	if err != nil || len(b) != 5000 {
		t.Errorf("at the limit: %d bytes, %v", len(b), err)
	}
}

func TestReadWithinStaysInRoot(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.env")
	if err := os.WriteFile(outside, []byte("TOKEN=x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	root, _ = filepath.EvalSymlinks(root)
	link := filepath.Join(root, ".env")
	if err := os.Symlink(outside, link); err != nil {
		t.Skip("no symlinks:", err)
	}
	if _, _, err := source.ReadWithin(link, root, 1<<20); !errors.Is(err, source.ErrOutsideRoot) {
		t.Errorf("err = %v, want ErrOutsideRoot", err)
	}
	if _, _, err := source.ReadWithin(filepath.Join(root, "..", filepath.Base(filepath.Dir(outside)), "secret.env"), root, 1<<20); err == nil {
		t.Errorf("a path through .. was read")
	}
}

func TestErrTextDropsTheAbsolutePath(t *testing.T) {
	_, err := source.ReadRegular(filepath.Join(t.TempDir(), "missing.yaml"), 0)
	if s := source.ErrText(err); strings.Contains(s, string(filepath.Separator)) {
		t.Errorf("ErrText = %q, names a path", s)
	}
}
