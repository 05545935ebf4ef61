package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isolint/isolint/config"
)

func TestParseRefuses(t *testing.T) {
	for name, tc := range map[string]struct{ doc, want string }{
		// a second document was silently ignored: its waivers looked applied
		"second document":                  {"disable: [host-network]\n---\nfail-on: critical\n", "c.yaml:2: a second YAML document"},
		"empty second document after text": {"fail-on: high\n---\n# nothing\nexclude: [a]\n", "c.yaml:2: a second YAML document"},
		// a malformed glob matched nothing, so the waiver was "unused"
		"bad waiver glob":  {"ignore:\n  - rule: host-network\n    path: \"deploy/[a-z\"\n    reason: r\n", "c.yaml:2: ignore path is not a valid glob"},
		"bad exclude glob": {"exclude:\n  - ok/**\n  - \"{a,b\"\n", "c.yaml:3: exclude[1] is not a valid glob"},
	} {
		_, err := config.Parse([]byte(tc.doc), "", "c.yaml")
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", name, err, tc.want)
		}
	}
	for name, doc := range map[string]string{
		"document start marker": "---\nfail-on: high\n",
		"document end marker":   "fail-on: high\n...\n",
		"valid globs":           "exclude: [\"**/testdata/**\", \"a/{b,c}/*.yaml\", \"x/[a-z]*\"]\n",
	} {
		if _, err := config.Parse([]byte(doc), "", "c.yaml"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestFindIsConfinedToItsDirectory(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secrets.yaml")
	if err := os.WriteFile(outside, []byte("CorrectHorseBatteryStaple: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, ".isolint.yaml")); err != nil {
		t.Skip("no symlinks:", err)
	}
	p, err := config.Find(root)
	var ce *config.Error
	if p != "" || !errors.As(err, &ce) || !strings.Contains(err.Error(), "outside") {
		t.Fatalf("Find = %q, %v; want an error, nothing read", p, err)
	}
	if strings.Contains(err.Error(), "CorrectHorse") {
		t.Errorf("error quotes the file: %v", err)
	}

	// a symlink that stays in the directory is followed
	inside := t.TempDir()
	if err := os.WriteFile(filepath.Join(inside, "isolint.yaml"), []byte("fail-on: high\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("isolint.yaml", filepath.Join(inside, ".isolint.yml")); err != nil {
		t.Fatal(err)
	}
	if p, err := config.Find(inside); err != nil || p == "" {
		t.Errorf("Find = %q, %v; want the linked config", p, err)
	}
}

func TestLoadRefusesSpecialFiles(t *testing.T) {
	for _, p := range []string{"/dev/zero", t.TempDir()} {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		if _, err := config.Load(p, p); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("%s: err = %v, want not a regular file", p, err)
		}
	}
}

// FuzzParse: no config makes Parse panic, and every rejection is a
// positioned *Error naming the file.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"exclude: [\"**/testdata/**\"]\ndisable: [host-network]\nseverity: {runs-as-root: low}\nfail-on: high\n",
		"ignore:\n  - rule: host-network\n    path: deploy/**\n    workload: w\n    reason: r\n    expires: 2026-12-31\n",
		"custom-kinds:\n  - {apiVersion: example.com/v1, kind: Runner, podSpec: spec.template.spec}\n",
		"a: 1\n---\nb: 2\n",
		"exclude: [\"{a,b\"]\n",
		"&a [*a]",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := config.Parse(b, "", "c.yaml")
		if err != nil {
			var ce *config.Error
			if !errors.As(err, &ce) || ce.File != "c.yaml" {
				t.Fatalf("error %v is not a *config.Error naming the file", err)
			}
			return
		}
		if c == nil {
			t.Fatal("nil config and no error")
		}
	})
}
