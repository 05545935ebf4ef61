package cloudformation

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/isolint/isolint/source"
)

// FuzzScan feeds arbitrary bytes to the scanner as a template, a JSON
// template and a Serverless service: it must never panic, every workload
// it returns has a location in the file, and every notice names the file.
func FuzzScan(f *testing.F) {
	for _, pat := range []string{"../../testdata/cfn/*.yaml", "../../testdata/cfn/*/serverless.yml", "../../testdata/cfn/cdk/cdk.out/*.json"} {
		seeds, _ := filepath.Glob(pat)
		for _, s := range seeds {
			if b, err := os.ReadFile(s); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(intrinsics))
	f.Add([]byte("Conditions:\n  A: !Condition A\nResources:\n  X:\n    Type: AWS::Lambda::Function\n    Properties: !If [A, {}, {}]\n"))
	f.Add([]byte("Resources:\n  X:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: !Sub [\"${A}\", {A: !Sub [\"${A}\", {}]}]\n"))
	f.Fuzz(func(t *testing.T, content []byte) {
		for _, path := range []string{"template.yaml", "cdk.out/S.template.json", "serverless.yml"} {
			p := Scan(&source.File{Path: path, Content: content})
			for _, w := range p.Workloads {
				if w.Loc.File != path || w.Loc.Line < 1 {
					t.Fatalf("%s: workload %s at %+v", path, w.Name, w.Loc)
				}
			}
			for _, n := range p.Notices {
				if n.Loc.File != path {
					t.Fatalf("%s: notice without the file: %+v", path, n)
				}
			}
			SniffFile(path, content)
		}
	})
}
