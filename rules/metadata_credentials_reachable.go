package rules

import (
	"strconv"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "metadata-credentials-reachable",
	Title:      "Cloud metadata credentials reachable",
	Severity:   High,
	Confidence: ConfidenceHigh,
	Axis:       AxisSecrets,
	Formats:    []model.Format{model.FormatK8s, model.FormatTerraform, model.FormatCFN},
	Controls: []controls.Ref{
		nhi(5), nhi(2), nist("AC-6"), nist("AC-4"), nist("SC-7"), csf("PR.AA-05"), csf("PR.IR-01"),
	},
	Description: "The instance metadata service (169.254.169.254, and fd00:ec2::254 on AWS) hands the node's " +
		"cloud credentials to anything that can open a connection to it on port 80. A NetworkPolicy that " +
		"restricts egress but still lets the selected pods reach that address (an egress rule `- {}`, a rule " +
		"without `to`, or an ipBlock whose cidr contains the address and whose `except` does not) lets any of " +
		"those pods act as the node's cloud identity.",
	Fix: "Exclude the metadata address from broad ipBlocks (`except: [169.254.169.254/32]`, and " +
		"`fd00:ec2::254/128` for IPv6), or allow only the destinations and ports the workload needs. On the " +
		"node side, require IMDSv2 with a hop limit of 1 (AWS) or use workload identity (GKE, AKS).",
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
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0`,
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
        - ipBlock:
            cidr: 0.0.0.0/0
            except: [169.254.169.254/32]`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_instance" "web" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  metadata_options {
    http_tokens = "optional"
  }
}`,
		Good: `resource "aws_instance" "web" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
}`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Nodes:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ami-0123456789abcdef0
        MetadataOptions:
          HttpTokens: optional`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Nodes:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ami-0123456789abcdef0
        MetadataOptions:
          HttpTokens: required
          HttpPutResponseHopLimit: 1`,
	}},
	Project: func(p *Pass, proj *model.Project) {
		checkInstanceMetadata(p, proj)

		for _, np := range proj.NetworkPolicies {
			if !np.HasEgress() {
				continue // it does not restrict egress; egress-unrestricted reports the pods it leaves open
			}
			for _, r := range np.Egress {
				if !admitsPort(r.Ports, 80) {
					continue
				}
				if len(r.To) == 0 {
					reportPolicy(p, np, r.Loc, "NetworkPolicy "+strconv.Quote(np.Name)+" lets the pods it selects reach the cloud metadata endpoint "+model.MetadataAddrs[0].String()+": this egress rule allows every destination")
					continue
				}
				for _, peer := range r.To {
					b := peer.IPBlock
					if b == nil || !b.CIDR.Known() {
						continue
					}
					for _, addr := range model.MetadataAddrs {
						if b.Allows(addr) {
							reportPolicy(p, np, b.CIDR.Loc, "NetworkPolicy "+strconv.Quote(np.Name)+" lets the pods it selects reach the cloud metadata endpoint "+addr.String()+": ipBlock "+b.CIDR.Value+" contains it and no except excludes it")
							break
						}
					}
				}
			}
		}
	},
})

// admitsPort reports whether an egress rule's ports admit TCP port n (an
// empty list admits every port).
func admitsPort(ports []model.NetworkPort, n int) bool {
	if len(ports) == 0 {
		return true
	}
	for _, pt := range ports {
		if pt.AllowsPort(n) {
			return true
		}
	}
	return false
}

// reportPolicy records a finding about a NetworkPolicy.
func reportPolicy(p *Pass, np *model.NetworkPolicy, loc model.Location, msg string) {
	p.Report(Finding{
		Message: msg, Loc: loc, Format: model.FormatK8s,
		Object: "NetworkPolicy/" + np.Namespace + "/" + np.Name, Unit: np.Unit,
	})
}
