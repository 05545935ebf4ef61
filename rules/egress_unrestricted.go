package rules

import (
	"strconv"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "egress-unrestricted",
	Title:      "Egress to anywhere",
	Severity:   Medium,
	Confidence: ConfidenceHigh,
	Axis:       AxisEgress,
	Formats:    []model.Format{model.FormatK8s, model.FormatTerraform, model.FormatCFN},
	Controls: []controls.Ref{
		nist("SC-7"), nist("SC-7(5)"), nist("AC-4"), csf("PR.IR-01"), cis("5.3.2"), sp190("4.4.2"), zt(2),
	},
	Needs:   []model.InputKind{model.InputNetwork},
	Against: []model.InputKind{model.InputOpenEgress, model.InputUnlinkedEgress},
	Description: "A workload that can open connections to any address can send whatever it reads — " +
		"secrets, source code, customer data — anywhere, and fetch and run anything. Kubernetes allows all " +
		"egress from a pod until a NetworkPolicy with `policyTypes: [Egress]` selects it. Reported: a " +
		"NetworkPolicy egress rule that allows every destination (`- {}`, no `to`, or an ipBlock of " +
		"0.0.0.0/0 or ::/0) on every port; and a workload that no egress NetworkPolicy selects, when the scan " +
		"holds NetworkPolicies for its namespace (so policies are evidently managed here) or when " +
		"`--require-egress-policy` (config `require-egress-policy: true`) asks for every workload. Pods on " +
		"the host network are not subject to NetworkPolicy and are reported by host-network instead. " +
		"In Terraform and CloudFormation: security group, firewall and NSG rules that allow every protocol to " +
		"0.0.0.0/0 or ::/0; a function or task whose traffic leaves through such a security group (Lambda " +
		"`vpc_config`/`VpcConfig`, SAM `Globals`, Serverless `vpc`, an ECS service's awsvpc groups), including a " +
		"CloudFormation group with no egress rule of its own, which keeps AWS's default allow-all rule; and a " +
		"function that reaches the internet directly (a Lambda outside any VPC, a Cloud Function without a VPC " +
		"connector or whose connector carries private ranges only, a Function App without VNet integration of all " +
		"its traffic) when other functions of the same module or stack are attached to a network, or when " +
		"`--require-egress-policy` asks for every workload. A group not in the scan or a computed value is not " +
		"checked (the inventory counts it as unlinked egress), never reported.",
	Fix: "Add a NetworkPolicy with `policyTypes: [Egress]` that selects the workload's pods and allows only " +
		"the destinations and ports it needs (DNS, its database, the APIs it calls); start from a namespace-" +
		"wide default deny (`podSelector: {}` with no egress rules). For a function or task, attach it to a VPC " +
		"(Cloud Functions: a connector with `ALL_TRAFFIC`; Function Apps: `vnet_route_all_enabled`) and give it " +
		"security groups or firewall rules that allow only the ports and networks it calls.",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "netpol.yaml",
		Bad: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
spec:
  podSelector:
    matchLabels: {app: web}
  policyTypes: [Egress]
  egress:
    - {}`,
		Good: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
spec:
  podSelector:
    matchLabels: {app: web}
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector:
            matchLabels: {app: db}
      ports:
        - port: 5432`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_security_group" "app" {
  name = "app"
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}`,
		Good: `resource "aws_security_group" "app" {
  name = "app"
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.20.0.0/16"]
  }
}`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AppSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
      VpcId: vpc-0123456789abcdef0
      SecurityGroupEgress:
        - IpProtocol: "-1"
          CidrIp: 0.0.0.0/0`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AppSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
      VpcId: vpc-0123456789abcdef0
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 10.0.0.0/8`,
	}, {
		Format: model.FormatTerraform, Path: "functions.tf",
		Bad: `resource "aws_security_group" "fn" {
  name = "fn"
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.20.0.0/16"]
  }
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  vpc_config {
    subnet_ids         = ["subnet-0123456789abcdef0"]
    security_group_ids = [aws_security_group.fn.id]
  }
}

# outside the VPC: Lambda sends its traffic to the internet itself
resource "aws_lambda_function" "thumbnails" {
  function_name = "thumbnails"
  role          = "arn:aws:iam::123456789012:role/thumbnails"
}`,
		Good: `resource "aws_security_group" "fn" {
  name = "fn"
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.20.0.0/16"]
  }
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  vpc_config {
    subnet_ids         = ["subnet-0123456789abcdef0"]
    security_group_ids = [aws_security_group.fn.id]
  }
}

resource "aws_lambda_function" "thumbnails" {
  function_name = "thumbnails"
  role          = "arn:aws:iam::123456789012:role/thumbnails"
  vpc_config {
    subnet_ids         = ["subnet-0123456789abcdef0"]
    security_group_ids = [aws_security_group.fn.id]
  }
}`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  FunctionGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: functions
      VpcId: vpc-0123456789abcdef0
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Role: arn:aws:iam::123456789012:role/orders
      VpcConfig:
        SubnetIds: [subnet-0123456789abcdef0]
        SecurityGroupIds: [!Ref FunctionGroup]`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  FunctionGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: functions
      VpcId: vpc-0123456789abcdef0
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 10.0.0.0/8
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Role: arn:aws:iam::123456789012:role/orders
      VpcConfig:
        SubnetIds: [subnet-0123456789abcdef0]
        SecurityGroupIds: [!Ref FunctionGroup]`,
	}, {
		Format: model.FormatCFN, Path: "serverless.yml",
		Bad: `service: billing
provider:
  name: aws
  runtime: nodejs20.x
  iam:
    role: arn:aws:iam::123456789012:role/billing
  vpc:
    securityGroupIds: [!Ref BillingGroup]
    subnetIds: [subnet-0123456789abcdef0]
functions:
  charge:
    handler: src/charge.handler
resources:
  Resources:
    BillingGroup:
      Type: AWS::EC2::SecurityGroup
      Properties:
        GroupDescription: billing
        VpcId: vpc-0123456789abcdef0
        SecurityGroupEgress:
          - IpProtocol: "-1"
            CidrIp: 0.0.0.0/0`,
		Good: `service: billing
provider:
  name: aws
  runtime: nodejs20.x
  iam:
    role: arn:aws:iam::123456789012:role/billing
  vpc:
    securityGroupIds: [!Ref BillingGroup]
    subnetIds: [subnet-0123456789abcdef0]
functions:
  charge:
    handler: src/charge.handler
resources:
  Resources:
    BillingGroup:
      Type: AWS::EC2::SecurityGroup
      Properties:
        GroupDescription: billing
        VpcId: vpc-0123456789abcdef0
        SecurityGroupEgress:
          - IpProtocol: tcp
            FromPort: 443
            ToPort: 443
            CidrIp: 0.0.0.0/0`,
	}},
	Project: func(p *Pass, proj *model.Project) {
		checkFirewalls(p, proj)
		checkWorkloadEgress(p, proj)

		// policies that allow every destination on every port
		for _, np := range proj.NetworkPolicies {
			if !np.HasEgress() {
				continue
			}
			for _, r := range np.Egress {
				if len(r.Ports) > 0 {
					continue
				}
				if len(r.To) == 0 {
					reportPolicy(p, np, r.Loc, "NetworkPolicy "+strconv.Quote(np.Name)+" lets the pods it selects connect to any address on any port: this egress rule has no `to`")
					continue
				}
				for _, peer := range r.To {
					if b := peer.IPBlock; b != nil && b.CIDR.Known() && b.IsAnywhere() {
						reportPolicy(p, np, b.CIDR.Loc, "NetworkPolicy "+strconv.Quote(np.Name)+" lets the pods it selects connect to any address on any port: ipBlock "+b.CIDR.Value)
					}
				}
			}
		}

		// workloads no egress policy selects
		byNS := map[string][]*model.NetworkPolicy{}
		for _, np := range proj.NetworkPolicies {
			byNS[np.Namespace] = append(byNS[np.Namespace], np)
		}
		egress := model.NewEgressPolicies(proj.NetworkPolicies)
		// the policies a workload's namespace and unit hold, and the related
		// places its finding lists, are the same for all its workloads: made
		// once, the list shared by their findings (never written to)
		type nsUnit struct{ ns, unit string }
		type peers struct {
			policies []*model.NetworkPolicy
			related  []model.Related
		}
		byNSUnit := map[nsUnit]*peers{}
		for _, w := range proj.Workloads {
			if w.Format != model.FormatK8s {
				continue // NetworkPolicies select Kubernetes pods only
			}
			key := nsUnit{w.Namespace, w.Unit}
			known := byNSUnit[key]
			if known == nil {
				known = &peers{policies: sameUnit(byNS[w.Namespace], w.Unit)}
				byNSUnit[key] = known
			}
			policies := known.policies
			if len(policies) == 0 && !p.Options.RequireEgressPolicy {
				continue
			}
			if w.HostNetwork.IsTrue() || w.HostNetwork.Unknown || unresolvedLabels(w) {
				continue
			}
			if egress.Selected(w) {
				continue
			}
			if known.related == nil && len(policies) > 0 {
				for _, np := range policies {
					if len(known.related) == maxRelatedUses {
						break
					}
					why := "does not select its pods"
					if !np.HasEgress() {
						why = "does not restrict egress (policyTypes has no Egress)"
					}
					known.related = append(known.related, model.Related{Loc: np.Loc, Message: "NetworkPolicy " + strconv.Quote(np.Name) + " " + why})
				}
				known.related = known.related[:len(known.related):len(known.related)]
			}
			related := known.related
			msg := w.Display() + " can connect to any address: no NetworkPolicy with policyTypes Egress selects its pods"
			if len(policies) > 0 {
				msg += " (namespace " + strconv.Quote(w.Namespace) + " has " + strconv.Itoa(len(policies)) + " NetworkPolicy object(s) in the scan)"
			}
			p.Report(Finding{
				Confidence: ConfidenceMedium,
				Message:    msg, Loc: w.Loc, Related: related, Format: w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit,
			})
		}
	},
})

// sameUnit keeps the policies deployed with a workload of unit u: those of
// its overlay and plain manifests, never those of an alternative overlay.
func sameUnit(nps []*model.NetworkPolicy, u string) []*model.NetworkPolicy {
	var out []*model.NetworkPolicy
	for _, np := range nps {
		if model.SameUnit(np.Unit, u) {
			out = append(out, np)
		}
	}
	return out
}

// unresolvedLabels reports a pod label whose value is a template: which
// policies select the pod is then unknown.
func unresolvedLabels(w *model.Workload) bool {
	for k, v := range w.Labels {
		if model.Unresolved(k) || model.Unresolved(v) {
			return true
		}
	}
	return false
}
