package harness

import (
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/isolint/isolint/rules"
)

// TestTerraformRelatedLocations checks what the fixture comments cannot:
// a finding inside a module called twice is one result listing the calls
// that make it true, and a value from a variable names its source.
func TestTerraformRelatedLocations(t *testing.T) {
	root := moduleRoot(t)
	related := func(dir string, file string, line int, rule string) []string {
		t.Helper()
		res := scanUnit(t, root, Unit{Path: filepath.Join(root, "testdata/terraform/projects", dir)})
		var out []string
		var n int
		for _, f := range res.Findings {
			if f.RuleID == rule && f.Loc.Line == line && strings.HasSuffix(f.Loc.File, file) {
				n++
				out = relatedOf(f)
			}
		}
		if n != 1 {
			t.Fatalf("%s %s:%d: %d %s findings, want 1", dir, file, line, n, rule)
		}
		return out
	}
	check := func(got []string, want ...string) {
		t.Helper()
		sort.Strings(want)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("related locations:\n got %q\nwant %q", got, want)
		}
	}

	// privileged only where module.api passes true
	check(related("module_twice", "modules/service/main.tf", 9, "privileged-container"),
		"main.tf:5 module.api calls this module here",
		"main.tf:8 value of privileged given by module.api")
	// a literal in the module: every call makes it true
	check(related("module_twice", "modules/service/main.tf", 16, "host-namespace"),
		"main.tf:13 module.web calls this module here",
		"main.tf:5 module.api calls this module here")
	// a tfvars value overrides the variable's default
	check(related("ecs_variables", "main.tf", 22, "privileged-container"),
		"terraform.tfvars:1 value of var.worker_privileged set in testdata/terraform/projects/ecs_variables/terraform.tfvars")
	// each root module is a state of its own: prod's role is used by
	// prod's function alone, not by staging's of the same address
	check(related("root_modules", "envs/prod/main.tf", 16, "overprivileged-identity"),
		"main.tf:16 aws_iam_role_policy_attachment.admin attaches the policy here",
		`main.tf:31 aws_lambda_function "api" runs as this identity`)
	// the module both roots call grants every action through prod's call
	// only, to the worker of prod's call only; the finding shows where
	// prod's call gives the actions, the value to change
	check(related("root_modules", "modules/app/main.tf", 29, "overprivileged-identity"),
		"main.tf:26 module.app.aws_iam_role_policy.this attaches the policy here",
		`main.tf:39 aws_lambda_function "worker" (module.app.aws_lambda_function.worker[0]) runs as this identity`,
		"main.tf:42 module.app calls this module here",
		"main.tf:45 value of actions given by module.app")
}

func relatedOf(f rules.Finding) []string {
	var out []string
	for _, r := range f.Related {
		out = append(out, filepath.Base(filepath.Dir(r.Loc.File))+"/"+filepath.Base(r.Loc.File)+":"+strconv.Itoa(r.Loc.Line)+" "+r.Message)
	}
	for i := range out {
		// keep the file name only: the module fixtures' root files are main.tf
		if j := strings.Index(out[i], "/"); j >= 0 {
			out[i] = out[i][j+1:]
		}
	}
	sort.Strings(out)
	return out
}

// TestTerraformInstancesMerged checks that the instances of one for_each or
// count resource that grant a role too much are one result, naming every
// workload that runs as one of the roles, as a module called twice is.
func TestTerraformInstancesMerged(t *testing.T) {
	root := moduleRoot(t)
	res := scanUnit(t, root, Unit{Path: filepath.Join(root, "testdata/terraform/projects/iam_instances")})
	var got []rules.Finding
	for _, f := range res.Findings {
		if f.RuleID == "overprivileged-identity" && f.Loc.Line == 20 {
			got = append(got, f)
		}
	}
	if len(got) != 1 {
		t.Fatalf("main.tf:20: %d overprivileged-identity findings, want 1", len(got))
	}
	f := got[0]
	if want := `IAM role aws_iam_role.fn, which aws_lambda_function "fn" runs as, is granted every action on every resource by aws_iam_role_policy.fn`; f.Message != want {
		t.Errorf("message:\n got %q\nwant %q", f.Message, want)
	}
	rel := strings.Join(relatedOf(f), "\n")
	for _, want := range []string{`aws_lambda_function.fn["ingest"]) runs as this identity`, `aws_lambda_function.fn["export"]) runs as this identity`} {
		if !strings.Contains(rel, want) {
			t.Errorf("related locations lack %q:\n%s", want, rel)
		}
	}
}
