package scanners

import (
	"testing"

	"github.com/isolint/isolint/model"
)

// TestClassifyCloudFormation: templates are recognised by their top-level
// keys under any name, CDK stacks by path, Serverless services by name and
// content; no other format's file is taken, and theirs do not take these.
func TestClassifyCloudFormation(t *testing.T) {
	checkClassify(t, []classifyCase{
		{"template.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nResources: {}\n", model.FormatCFN},
		{"infra/app.yml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n", model.FormatCFN},
		{"infra/bare.yaml", "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n", model.FormatCFN},
		{"infra/stack.template", "AWSTemplateFormatVersion: 2010-09-09\n", model.FormatCFN},
		{"infra/stack.json", `{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}`, model.FormatCFN},
		{"cdk.out/Stack.template.json", "", model.FormatCFN},
		{"app/cdk.out/assembly-Prod/ProdStack.template.json", "", model.FormatCFN},
		{"cdk.out/tree.json", `{"tree": {"children": {"R": {"attributes": {"aws:cdk:cloudformation:type": "AWS::IAM::Role"}}}}}`, ""},
		{"cdk.out/manifest.json", `{"version": "36.0.0", "artifacts": {"Stack": {"type": "aws:cloudformation:stack"}}}`, ""},
		{"serverless.yml", "service: orders\nprovider:\n  name: aws\nfunctions: {}\n", model.FormatCFN},
		{"svc/serverless.yaml", "service: orders\nprovider: {name: aws}\n", model.FormatCFN},
		{"serverless.yml", "# not a service\nname: x\n", ""},
		{"config.yml", "service: orders\nprovider:\n  name: aws\n", ""}, // not named as the framework reads it
		{"k8s/web.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n", model.FormatK8s},
		{"docker-compose.yml", "services:\n  web:\n    image: nginx\n", model.FormatCompose},
		{"stack/app.yml", "services:\n  web:\n    image: nginx\n", model.FormatCompose},
		{".gitlab-ci.yml", "Resources:\n  script: [make]\n", model.FormatGitLab},
		{".github/workflows/deploy.yml", "on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: aws cloudformation deploy --template-file template.yaml\n", model.FormatGHA},
		{"ci/build.yml", "build:\n  script:\n    - sam deploy # Type: AWS::Serverless::Function\n", model.FormatGitLab},
		{"chart/values.yaml", "resources:\n  limits:\n    cpu: 1\ntype: AWS::S3::Bucket\n", ""},
	})
}
