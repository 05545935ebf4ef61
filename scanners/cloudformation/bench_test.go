package cloudformation

import (
	"fmt"
	"strings"
	"testing"

	"github.com/isolint/isolint/source"
)

// realistic is a SAM template shaped like the ones teams commit: parameters,
// mappings, conditions, Globals, and n functions with roles, policies and
// environments using the intrinsic functions.
func realistic(n int) string {
	var b strings.Builder
	b.WriteString(`AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: prod}
  Subnets: {Type: CommaDelimitedList, Default: "subnet-a,subnet-b"}
Mappings:
  Cfg:
    prod: {Level: warn, Memory: 512}
    dev: {Level: debug, Memory: 256}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Globals:
  Function:
    Runtime: python3.12
    Environment:
      Variables:
        LOG_LEVEL: !FindInMap [Cfg, !Ref Stage, Level]
        STAGE: !Ref Stage
Resources:
`)
	for i := range n {
		fmt.Fprintf(&b, `  Role%d:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p%d
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [dynamodb:GetItem, dynamodb:PutItem]
                Resource: !Sub "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/t%d"
  Fn%d:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler%d
      Role: !GetAtt Role%d.Arn
      MemorySize: !FindInMap [Cfg, !Ref Stage, Memory]
      VpcConfig:
        SubnetIds: !Ref Subnets
      Environment:
        Variables:
          TABLE: !Sub "t%d-${Stage}"
          MODE: !If [IsProd, strict, loose]
          DB_PASSWORD: "{{resolve:secretsmanager:db%d:SecretString:password}}"
  Queue%d:
    Type: AWS::SQS::Queue
`, i, i, i, i, i, i, i, i, i)
	}
	return b.String()
}

// BenchmarkScan scans a 40-function SAM template (about 60 KB); the
// reported MB/s and ns/op give files/s (1e9 / ns/op).
func BenchmarkScan(b *testing.B) {
	content := []byte(realistic(40))
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		p := Scan(&source.File{Path: "template.yaml", Content: content})
		if len(p.Workloads) != 40 {
			b.Fatalf("%d workloads", len(p.Workloads))
		}
	}
}

// BenchmarkSniff classifies the same template.
func BenchmarkSniff(b *testing.B) {
	content := []byte(realistic(40))
	b.SetBytes(int64(len(content)))
	for b.Loop() {
		if !SniffFile("template.yaml", content) {
			b.Fatal("not claimed")
		}
	}
}
