package compose

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/isolint/isolint/source"
)

// FuzzScan feeds arbitrary bytes to the scanner, with a .env and an extends
// file beside it: it must never panic, and every workload it returns must
// have its one container.
func FuzzScan(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/compose/*.yaml")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(realistic(2)))
	f.Add([]byte("services:\n  a:\n    extends: {file: base.yml, service: b}\n    volumes: ['${X:-${Y}}:/z', {type: bind, source: ~/x}]\n"))
	root := f.TempDir()
	_ = os.WriteFile(filepath.Join(root, ".env"), []byte("X=/var/run\nY=${X}\n"), 0o644)
	_ = os.WriteFile(filepath.Join(root, "base.yml"), []byte("services:\n  b:\n    image: x\n    extends: b\n"), 0o644)
	f.Fuzz(func(t *testing.T, content []byte) {
		file := &source.File{Path: "compose.yaml", Abs: filepath.Join(root, "compose.yaml"), Root: root, Content: content}
		p := Scan(file)
		for _, w := range p.Workloads {
			if len(w.Containers) != 1 {
				t.Fatalf("workload %s has %d containers", w.Name, len(w.Containers))
			}
		}
		Sniff(content)
	})
}

// FuzzExpand checks that interpolation never panics and that a string
// without a dollar sign is its own value.
func FuzzExpand(f *testing.F) {
	for _, s := range []string{"${A:-${B:+x}}", "$$", "${", "$A$B", "${A?}", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x := testEnv().expand(s)
		if !x.invalid && !x.unknown && len(x.via) == 0 && x.value != s && !containsDollar(s) {
			t.Fatalf("expand(%q) = %q", s, x.value)
		}
	})
}

func containsDollar(s string) bool {
	for i := range len(s) {
		if s[i] == '$' {
			return true
		}
	}
	return false
}

// FuzzParseEnvFile checks that env files of any shape parse without a
// panic and with lines inside the file.
func FuzzParseEnvFile(f *testing.F) {
	for _, s := range []string{"A=1\n", "export B='x'\n", "C=\"a\nb\"\n", "bad key\n", "D=${A}\n#c\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, problems := parseEnvFile(b, ".env", nil)
		lines := 1
		for _, c := range b {
			if c == '\n' {
				lines++
			}
		}
		for _, e := range entries {
			if e.line < 1 || e.line > lines {
				t.Fatalf("entry %q on line %d of %d", e.key, e.line, lines)
			}
		}
		for _, p := range problems {
			if p.line < 1 || p.line > lines {
				t.Fatalf("problem on line %d of %d", p.line, lines)
			}
		}
	})
}
