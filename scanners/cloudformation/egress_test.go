package cloudformation

import (
	"slices"
	"strings"
	"testing"

	"github.com/isolint/isolint/model"
)

const egressTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Group:
    Type: AWS::EC2::SecurityGroup::Id
Globals:
  Function:
    VpcConfig:
      SubnetIds: [subnet-1]
      SecurityGroupIds: [!Ref Bare]
Resources:
  Bare:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: bare}
  Ruled:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: ruled}
  RuledOut:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: {GroupId: !GetAtt Ruled.GroupId, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}
  FromGlobals:
    Type: AWS::Serverless::Function
    Properties: {Handler: a.h, CodeUri: src/, Role: arn:aws:iam::1:role/a}
  Own:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::1:role/b
      VpcConfig:
        SubnetIds: [subnet-1]
        SecurityGroupIds: [!Ref Ruled, !Ref Group, sg-0123]
  Outside:
    Type: AWS::Lambda::Function
    Properties: {Role: arn:aws:iam::1:role/c}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties: {NetworkMode: awsvpc, TaskRoleArn: arn:aws:iam::1:role/d}
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [subnet-1], SecurityGroups: [!Ref Ruled]}}
`

// TestEgressLowering: each function and task says which way its traffic
// leaves, naming the template's groups by key; a group with no egress rule
// of its own keeps AWS's default one, a group with a standalone rule does
// not.
func TestEgressLowering(t *testing.T) {
	p := scan(t, "t.yaml", egressTemplate)
	groups := map[string]*model.SecurityGroup{}
	for _, g := range p.SecurityGroups {
		groups[g.Name] = g
	}
	if g := groups["Bare"]; g == nil || !g.DefaultAllowAll {
		t.Errorf("Bare: %+v, want a group keeping the default allow-all rule", g)
	}
	if g := groups["Ruled"]; g == nil || g.DefaultAllowAll {
		t.Errorf("Ruled: %+v, want a group whose standalone rule replaced the default", g)
	}
	keys := func(e *model.Egress) []string {
		var out []string
		for _, g := range e.Groups {
			if g.Known() {
				out = append(out, g.Value)
			} else {
				out = append(out, "?")
			}
		}
		return out
	}
	for _, c := range []struct {
		name string
		path model.EgressPath
		want []string
	}{
		{"FromGlobals", model.EgressSecurityGroups, []string{"t.yaml#Bare"}},
		{"Own", model.EgressSecurityGroups, []string{"t.yaml#Ruled", "?", "sg-0123"}},
		{"Outside", model.EgressDirect, nil},
		{"Task", model.EgressSecurityGroups, []string{"t.yaml#Ruled"}},
	} {
		w := workload(t, p, c.name)
		if w.Egress == nil || w.Egress.Path != c.path || w.Egress.Unknown {
			t.Errorf("%s: egress %+v, want path %s", c.name, w.Egress, c.path)
			continue
		}
		if got := keys(w.Egress); !slices.Equal(got, c.want) {
			t.Errorf("%s: groups %v, want %v", c.name, got, c.want)
		}
	}
	if w := workload(t, p, "Outside"); !w.Egress.Loc.Synthetic || !strings.HasSuffix(w.Egress.Loc.Path, "VpcConfig") {
		t.Errorf("Outside: egress at %+v, want where VpcConfig belongs", w.Egress.Loc)
	}
}

// TestEgressGlobalsConditional: a Globals VpcConfig under a condition that
// may give no value leaves the function's egress unknown (never judged),
// at the Globals key that decides it; its detail still names the property.
func TestEgressGlobalsConditional(t *testing.T) {
	p := scan(t, "t.yaml", `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Conditions:
  InVpc: !Equals [!Ref AWS::Region, us-east-1]
Globals:
  Function:
    VpcConfig: !If [InVpc, !Ref AWS::NoValue, !Ref AWS::NoValue]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Handler: a.h, CodeUri: src/, Runtime: python3.12}
`)
	e := workload(t, p, "Fn").Egress
	if e == nil || !e.Unknown || e.Loc.Line != 7 || e.Detail != "it sets no VpcConfig" {
		t.Errorf("egress %+v, want unknown at Globals' VpcConfig (line 7), detail naming VpcConfig", e)
	}
}
