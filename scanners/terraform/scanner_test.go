package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
)

// scan writes files (path → content) to a temporary root and lowers them.
func scan(t testing.TB, files map[string]string) *model.Project {
	t.Helper()
	root := t.TempDir()
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var fs []*source.File
	for _, n := range names {
		p := filepath.Join(root, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(files[n]), 0o644); err != nil {
			t.Fatal(err)
		}
		if ClaimPath(n) {
			fs = append(fs, &source.File{Path: n, Abs: p, Root: root, Content: []byte(files[n]), Format: model.FormatTerraform})
		}
	}
	return ScanAll(fs)
}

func TestFirewallRules(t *testing.T) {
	p := scan(t, map[string]string{"net.tf": `
resource "aws_security_group" "open" {
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    ipv6_cidr_blocks = ["::/0"]
  }
}

resource "aws_security_group_rule" "all_out" {
  type              = "egress"
  from_port         = 0
  to_port           = 65535
  protocol          = "all"
  cidr_blocks       = ["10.0.0.0/8", "0.0.0.0/0"]
  security_group_id = "sg-123"
}

resource "aws_security_group_rule" "ingress" {
  type        = "ingress"
  protocol    = "-1"
  from_port   = 0
  to_port     = 0
  cidr_blocks = ["0.0.0.0/0"]
  security_group_id = "sg-123"
}

resource "aws_vpc_security_group_egress_rule" "v6" {
  security_group_id = "sg-123"
  ip_protocol       = "-1"
  cidr_ipv6         = "::/0"
}

resource "google_compute_firewall" "egress" {
  name               = "egress"
  network            = "default"
  direction          = "EGRESS"
  destination_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "all"
  }
}

resource "google_compute_firewall" "ingress" {
  name          = "ingress"
  network       = "default"
  source_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "all"
  }
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "out"
    priority                   = 100
    direction                  = "Outbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "Internet"
  }
}

resource "azurerm_network_security_rule" "deny" {
  name                        = "deny"
  direction                   = "Outbound"
  access                      = "Deny"
  protocol                    = "*"
  destination_port_range      = "*"
  destination_address_prefix  = "*"
  priority                    = 200
  resource_group_name         = "rg"
  network_security_group_name = "nsg"
}
`})
	got := map[string]int{}
	for _, f := range p.Firewalls {
		if d, ok := f.Unrestricted(); ok {
			got[f.Resource] = d.Loc.Line
		}
	}
	want := map[string]int{
		"aws_security_group.open":               7,
		"aws_security_group_rule.all_out":       22,
		"aws_vpc_security_group_egress_rule.v6": 38,
		"google_compute_firewall.egress":        45,
		"azurerm_network_security_group.nsg":    73,
	}
	if len(got) != len(want) {
		t.Errorf("unrestricted rules = %v, want %v", got, want)
	}
	for k, line := range want {
		if got[k] != line {
			t.Errorf("%s: unrestricted at line %d, want %d", k, got[k], line)
		}
	}
	if len(p.Notices) > 0 {
		t.Errorf("notices: %v", p.Notices)
	}
}

func TestInstanceMetadata(t *testing.T) {
	p := scan(t, map[string]string{"ec2.tf": `
variable "tokens" {
  default = "optional"
}

resource "aws_instance" "v1" {
  ami = "ami-123"
  metadata_options {
    http_tokens = var.tokens
  }
}

resource "aws_launch_template" "hops" {
  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }
}

resource "aws_instance" "unset" {
  ami = "ami-123"
}
`})
	if len(p.Metadata) != 3 {
		t.Fatalf("got %d metadata settings, want 3", len(p.Metadata))
	}
	v1, hops, unset := p.Metadata[0], p.Metadata[1], p.Metadata[2]
	if !v1.Tokens.Known() || v1.Tokens.Value != "optional" || v1.Tokens.Loc.Line != 9 {
		t.Errorf("v1 tokens = %+v", v1.Tokens)
	}
	if len(v1.Tokens.Via) != 1 || v1.Tokens.Via[0].Loc.Line != 3 {
		t.Errorf("v1 tokens should name the variable default as its source: %+v", v1.Tokens.Via)
	}
	if !hops.HopLimit.Known() || hops.HopLimit.Value != 2 || hops.HopLimit.Loc.Line != 16 {
		t.Errorf("hop limit = %+v", hops.HopLimit)
	}
	if unset.Tokens.Set || !unset.Tokens.Loc.Synthetic || unset.Tokens.Loc.Line != 20 {
		t.Errorf("unset tokens = %+v", unset.Tokens)
	}
}

func TestIAMGrants(t *testing.T) {
	p := scan(t, map[string]string{"iam.tf": `
resource "aws_iam_role" "task" {
  name = "task"
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.task.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role" "deployer" {
  name = "deployer"
}

data "aws_iam_policy_document" "pass" {
  statement {
    actions   = ["iam:PassRole"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "pass" {
  role   = "deployer"
  policy = data.aws_iam_policy_document.pass.json
}

resource "aws_iam_role" "reader" {
  name = "reader"
  inline_policy {
    name = "read"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = "*"
      }]
    })
  }
}

resource "aws_iam_policy" "star" {
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": "*", "Resource": "*" }
  ]
}
EOF
}

resource "aws_iam_role_policy_attachment" "star" {
  role       = aws_iam_role.reader.id
  policy_arn = aws_iam_policy.star.arn
}
`})
	type grant struct {
		all, pass bool
		line      int
	}
	got := map[string][]grant{}
	for _, r := range p.CloudRoles {
		for _, st := range r.Statements {
			g := grant{}
			if l, ok := st.GrantsAllActions(); ok {
				g.all, g.line = true, l.Loc.Line
			}
			if l, ok := st.GrantsPassRoleOnAll(); ok {
				g.pass, g.line = true, l.Loc.Line
			}
			got[model.TerraformAddr(r.Key)] = append(got[model.TerraformAddr(r.Key)], g)
		}
	}
	task := p.CloudRoles[slices.IndexFunc(p.CloudRoles, func(r *model.CloudRole) bool { return r.Key == model.TerraformKey(".", "aws_iam_role.task") })]
	if len(task.ManagedPolicies) != 1 || task.ManagedPolicies[0].Name != "AdministratorAccess" || task.ManagedPolicies[0].Loc.Line != 8 {
		t.Errorf("aws_iam_role.task managed policies = %+v, want AdministratorAccess at line 8", task.ManagedPolicies)
	}
	want := map[string][]grant{
		"aws_iam_role.task":     nil,
		"aws_iam_role.deployer": {{pass: true, line: 17}},
		"aws_iam_role.reader":   {{}, {all: true, line: 47}},
	}
	for k, w := range want {
		g := got[k]
		if len(g) != len(w) {
			t.Errorf("%s: statements %+v, want %+v", k, g, w)
			continue
		}
		for i := range w {
			if g[i] != w[i] {
				t.Errorf("%s statement %d: %+v, want %+v", k, i, g[i], w[i])
			}
		}
	}
}

func TestModuleCallsEvaluateOncePerCall(t *testing.T) {
	p := scan(t, map[string]string{
		"main.tf": `
module "a" {
  source = "./mod"
  mode   = "host"
}
module "b" {
  source = "./mod"
  mode   = "awsvpc"
}
module "loop" {
  source = "./loop"
}
`,
		"mod/main.tf": `
variable "mode" {
  default = "host"
}
resource "aws_ecs_task_definition" "t" {
  family       = "t"
  network_mode = var.mode
}
`,
		"loop/main.tf": `
module "self" {
  source = "../loop"
}
`,
	})
	var hosts []string
	for _, w := range p.Workloads {
		if w.HostNetwork.IsTrue() {
			hosts = append(hosts, w.Instance)
		}
	}
	if strings.Join(hosts, ",") != "module.a.aws_ecs_task_definition.t" {
		t.Errorf("host network in %v, want only module.a's instance", hosts)
	}
	if len(p.Workloads) != 2 {
		t.Errorf("got %d workloads, want one per call (2)", len(p.Workloads))
	}
	var cycle bool
	for _, n := range p.Notices {
		cycle = cycle || strings.Contains(n.Message, "already being evaluated")
	}
	if !cycle {
		t.Errorf("a module calling itself should be noticed: %v", p.Notices)
	}
}

func TestReadsNothingOutsideRoot(t *testing.T) {
	p := scan(t, map[string]string{"main.tf": `
resource "aws_ecs_task_definition" "t" {
  family                = "t"
  container_definitions = file("/etc/passwd")
}
resource "aws_ecs_task_definition" "u" {
  family                = "u"
  container_definitions = file("../../../../../../../../etc/hostname")
}
`})
	for _, w := range p.Workloads {
		if len(w.Containers) != 0 {
			t.Errorf("%s: read a file outside the root", w.ID())
		}
	}
}

// FuzzScanAll checks that no input makes the scanner panic.
func FuzzScanAll(f *testing.F) {
	for _, s := range []string{
		`resource "aws_ecs_task_definition" "x" { container_definitions = jsonencode([{ privileged = true }]) }`,
		`locals { a = local.b
 b = local.a }`,
		`module "m" { source = "./" }`,
		`resource "kubernetes_pod" "p" { spec { dynamic "container" { for_each = [1]
 content { name = "c" } } } }`,
		"variable \"v\" { type = list(object({a = optional(string, \"x\")})) }",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		root := t.TempDir()
		p := filepath.Join(root, "main.tf")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		ScanAll([]*source.File{{Path: "main.tf", Abs: p, Root: root, Content: []byte(src)}})
	})
}

func TestModuleInstancesAreBounded(t *testing.T) {
	p := scan(t, map[string]string{
		"main.tf":   "module \"a\" {\n  source = \"./a\"\n  count  = 1000\n}\n",
		"a/main.tf": "module \"b\" {\n  source = \"../b\"\n  count  = 1000\n}\n",
		"b/main.tf": "resource \"aws_ecs_task_definition\" \"t\" {\n  family       = \"t\"\n  network_mode = \"host\"\n}\n",
	})
	if len(p.Workloads) > maxInstances {
		t.Errorf("%d workloads: module instances were not bounded", len(p.Workloads))
	}
	var bounded bool
	for _, n := range p.Notices {
		if strings.Contains(n.Message, "module instances") {
			bounded = true
			// what the call defines was not checked: the scan must not pass
			if n.Level != model.NoticeError {
				t.Errorf("%s: a %s, want an error (the file is not checked in full)", n.Message, n.Level)
			}
		}
	}
	if !bounded {
		t.Error("no notice says that module calls were left out")
	}
}

// The bound is per root module: in a monorepo of many roots each is
// evaluated in full (100 roots of 50 instances are more than one root may
// evaluate), while the scan as a whole stays bounded.
func TestModuleInstancesAreBoundedPerRoot(t *testing.T) {
	const task = "resource \"aws_ecs_task_definition\" \"t\" {\n  family       = \"t\"\n  network_mode = \"host\"\n}\n"
	files := map[string]string{"m/main.tf": task}
	for i := range 100 {
		files[fmt.Sprintf("r%03d/main.tf", i)] = "module \"m\" {\n  source = \"../m\"\n  count  = 50\n}\n"
	}
	p := scan(t, files)
	if got := len(p.Workloads); got != 100*50 {
		t.Errorf("%d workloads, want 50 for each of 100 roots", got)
	}
	for _, n := range p.Notices {
		t.Errorf("notice %s: %s", n.Loc.File, n.Message)
	}

	// three roots of 3000 instances: the scan's budget (4096 and 64 for
	// each root) takes the first and a third of the second
	files = map[string]string{"m/main.tf": task}
	for _, r := range []string{"a", "b", "c"} {
		files[r+"/main.tf"] = "module \"x\" {\n  source = \"../m\"\n  count  = 1000\n}\nmodule \"y\" {\n  source = \"../m\"\n  count  = 1000\n}\nmodule \"z\" {\n  source = \"../m\"\n  count  = 1000\n}\n"
	}
	p = scan(t, files)
	if got := len(p.Workloads); got != 4000 {
		t.Errorf("%d workloads, want 4000", got)
	}
	var left []string
	for _, n := range p.Notices {
		if strings.Contains(n.Message, "at most 4288 for its root modules") {
			left = append(left, n.Loc.File)
			if n.Level != model.NoticeError {
				t.Errorf("%s: a %s, want an error", n.Message, n.Level)
			}
		}
	}
	if want := []string{"b/main.tf", "b/main.tf", "c/main.tf", "c/main.tf", "c/main.tf"}; !slices.Equal(left, want) {
		t.Errorf("budget notices on %q, want %q", left, want)
	}
}

// A count over 1,024 is cut there, and a warning on the count says so:
// what the instances past it would do is not checked.
func TestCountOverTheBoundIsNoticed(t *testing.T) {
	p := scan(t, map[string]string{
		"main.tf": "resource \"aws_ecs_task_definition\" \"t\" {\n  count        = 5000\n  family       = \"t\"\n  network_mode = \"host\"\n}\n" +
			"module \"m\" {\n  source = \"./m\"\n  count  = 2000\n}\n",
		"m/main.tf": "resource \"aws_ecs_task_definition\" \"u\" {\n  family = \"u\"\n}\n",
	})
	var got []string
	for _, n := range p.Notices {
		if strings.Contains(n.Message, "instances were evaluated") {
			got = append(got, fmt.Sprintf("%s:%d %s", n.Loc.File, n.Loc.Line, n.Message))
		}
	}
	want := []string{
		"main.tf:2 aws_ecs_task_definition.t has count = 5000: only its first 1024 instances were evaluated",
		"main.tf:8 module m has count = 2000: only its first 1024 instances were evaluated",
	}
	if !slices.Equal(got, want) {
		t.Errorf("notices %q, want %q", got, want)
	}
}

func TestMergeAndConcatKeepPositions(t *testing.T) {
	p := scan(t, map[string]string{"main.tf": `
locals {
  base = {
    image      = "example/app:1.0"
    privileged = true
  }
  sidecars = [{ name = "log", image = "example/log:1.0", user = "root" }]
}

resource "aws_ecs_task_definition" "t" {
  family = "t"
  container_definitions = jsonencode(concat([
    merge(local.base, { name = "app" }),
    merge(local.base, { name = "safe", privileged = false }),
  ], local.sidecars))
}
`})
	if len(p.Workloads) != 1 || len(p.Workloads[0].Containers) != 3 {
		t.Fatalf("want one workload with 3 containers, got %+v", p.Workloads)
	}
	cs := p.Workloads[0].Containers
	if b := cs[0].Security.Privileged; !b.IsTrue() || b.Loc.Line != 5 {
		t.Errorf("app: privileged %+v, want true at the local's line 5", b)
	}
	if b := cs[1].Security.Privileged; !b.IsFalse() || b.Loc.Line != 14 {
		t.Errorf("safe: privileged %+v, want false at line 14", b)
	}
	if u := cs[2].Security.User; !u.Known() || u.Value != "root" || u.Loc.Line != 7 {
		t.Errorf("log: user %+v, want root at line 7", u)
	}
}

// FuzzScanAllFiles is FuzzScanAll for the other Terraform files: JSON
// syntax (.tf.json), variable files (.tfvars, .tfvars.json), and a
// template that templatefile() reads, with the nesting bound in front.
func FuzzScanAllFiles(f *testing.F) {
	for _, s := range []struct {
		kind uint8
		src  string
	}{
		{0, `{"resource":{"aws_ecs_task_definition":{"x":{"container_definitions":"${jsonencode([{privileged=true}])}"}}}}`},
		{0, `{"variable": {"password": {"default": CorrectHorseBatteryStaple}}}`},
		{1, "x = [[[1]]]\ny = \"${a}\"\nz = <<EOT\n${b}\nEOT\n"},
		{2, `{"x": {"y": ["${[1]}"]}}`},
		{3, `[{"name": "${name}", "privileged": ${priv}}]`},
	} {
		f.Add(s.kind, s.src)
	}
	f.Fuzz(func(t *testing.T, kind uint8, src string) {
		root := t.TempDir()
		name := []string{"main.tf.json", "terraform.tfvars", "x.auto.tfvars.json", "defs.json.tpl"}[kind%4]
		files := map[string]string{name: src}
		if name == "defs.json.tpl" {
			files["main.tf"] = "resource \"aws_ecs_task_definition\" \"t\" {\n  family = \"t\"\n  container_definitions = templatefile(\"defs.json.tpl\", {name = \"n\", priv = true})\n}\n"
		}
		var in []*source.File
		for n, c := range files {
			p := filepath.Join(root, n)
			if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
				t.Fatal(err)
			}
			if n != "defs.json.tpl" {
				in = append(in, &source.File{Path: n, Abs: p, Root: root, Content: []byte(c)})
			}
		}
		ScanAll(in)
	})
}

// A local module call whose folder is not in the scan (missing, excluded,
// or left out of a pre-commit file list) says so on its source; a
// registry module, never fetched, is known to be remote and says nothing.
func TestUnscannedLocalModuleIsNoticed(t *testing.T) {
	p := scan(t, map[string]string{
		"root/main.tf":   "module \"m\" {\n  source = \"./m\"\n}\nmodule \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\nmodule \"shared\" {\n  source = \"../shared\"\n}\n",
		"shared/main.tf": "resource \"aws_ecs_task_definition\" \"t\" {\n  family       = \"t\"\n  network_mode = \"host\"\n}\n",
	})
	var got []string
	for _, n := range p.Notices {
		got = append(got, fmt.Sprintf("%s:%d:%d %s: %s", n.Loc.File, n.Loc.Line, n.Loc.Col, n.Level, n.Message))
	}
	want := `root/main.tf:2:12 warning: module "m" calls "./m", which is not a scanned folder of .tf files (missing, excluded, or not named on the command line); what this call defines was not checked`
	if strings.Join(got, "\n") != want {
		t.Errorf("notices:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
	if len(p.Workloads) != 1 {
		t.Errorf("%d workloads, want the shared module's task", len(p.Workloads))
	}
}
