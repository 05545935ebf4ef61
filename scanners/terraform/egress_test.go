package terraform

import (
	"slices"
	"testing"

	"github.com/isolint/isolint/model"
)

// TestEgressLowering: functions and tasks say which way their traffic
// leaves, naming security groups by address across a module call, and
// rules belong to the group their security_group_id names.
func TestEgressLowering(t *testing.T) {
	p := scan(t, map[string]string{
		"main.tf": `
variable "sg" { type = string }
module "net" { source = "./net" }
resource "aws_lambda_function" "in_vpc" {
  function_name = "a"
  role          = "arn:aws:iam::1:role/a"
  vpc_config {
    subnet_ids         = ["subnet-1"]
    security_group_ids = [module.net.sg_id, var.sg, "sg-0123"]
  }
}
resource "aws_lambda_function" "outside" {
  function_name = "b"
  role          = "arn:aws:iam::1:role/b"
}
resource "google_cloudfunctions_function" "all" {
  name                          = "c"
  vpc_connector                 = "projects/p/locations/l/connectors/c"
  vpc_connector_egress_settings = "ALL_TRAFFIC"
}
resource "aws_ecs_task_definition" "bridge" {
  family = "d"
  container_definitions = jsonencode([{ name = "d", image = "d" }])
}
resource "aws_ecs_service" "bridge" {
  name            = "d"
  task_definition = aws_ecs_task_definition.bridge.arn
  network_configuration {
    subnets         = ["subnet-1"]
    security_groups = ["sg-0123"]
  }
}`,
		"net/main.tf": `
resource "aws_security_group" "fn" {
  name = "fn"
}
resource "aws_security_group_rule" "out" {
  type              = "egress"
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = aws_security_group.fn.id
}
output "sg_id" { value = aws_security_group.fn.id }`,
	})
	byName := map[string]*model.Workload{}
	for _, w := range p.Workloads {
		byName[w.Name] = w
	}
	e := byName["in_vpc"].Egress
	var groups []string
	for _, g := range e.Groups {
		if g.Known() {
			groups = append(groups, model.TerraformAddr(g.Value))
		} else {
			groups = append(groups, "?")
		}
	}
	if e.Path != model.EgressSecurityGroups || !slices.Equal(groups, []string{"module.net.aws_security_group.fn", "?", "sg-0123"}) {
		t.Errorf("in_vpc: %s %v", e.Path, groups)
	}
	var rule *model.FirewallRule
	for _, f := range p.Firewalls {
		if f.Resource == "module.net.aws_security_group_rule.out" {
			rule = f
		}
	}
	if rule == nil || rule.Group != model.TerraformKey(".", "module.net.aws_security_group.fn") {
		t.Errorf("the module's rule is not tied to its group: %+v", rule)
	}
	if e := byName["outside"].Egress; e.Path != model.EgressDirect || !e.Loc.Synthetic {
		t.Errorf("outside: %+v, want direct egress where vpc_config belongs", e)
	}
	if e := byName["all"].Egress; e.Path != model.EgressNetwork {
		t.Errorf("all: %+v, want egress through the connector's network", e)
	}
	if e := byName["bridge"].Egress; e != nil {
		t.Errorf("bridge: %+v, want no egress fact for a task not in awsvpc mode", e)
	}
}
