package cloudformation

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
)

func scan(t *testing.T, path, content string) *model.Project {
	t.Helper()
	return Scan(&source.File{Path: path, Content: []byte(content)})
}

func workload(t *testing.T, p *model.Project, name string) *model.Workload {
	t.Helper()
	for _, w := range p.Workloads {
		if w.Name == name {
			return w
		}
	}
	t.Fatalf("no workload %q (have %d)", name, len(p.Workloads))
	return nil
}

func env(t *testing.T, w *model.Workload, name string) *model.EnvVar {
	t.Helper()
	for _, e := range w.Containers[0].Env {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("%s: no env %q", w.Name, name)
	return nil
}

const intrinsics = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Stage: {Type: String, Default: prod}
  Zones: {Type: CommaDelimitedList, Default: "a, b,c"}
  Secret: {Type: String, NoEcho: true}
  Ssm: {Type: "AWS::SSM::Parameter::Value<String>", Default: /x/y}
Mappings:
  Cfg:
    prod: {Level: warn, Mode: host}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, {"Fn::Equals": ["a", "a"]}]
  Either: !Or [!Condition IsDev, !Equals [!Ref Secret, x]]
  Loop1: !Condition Loop2
  Loop2: !Condition Loop1
Resources:
  Role:
    Type: AWS::IAM::Role
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt [Role, Arn]
      Environment:
        Variables:
          SUB: !Sub "${Stage}-${AWS::Region}-${!Literal}"
          SUB_VARS: !Sub ["${A}/${Stage}", {A: !Select [1, !Ref Zones]}]
          JOIN: !Join ["-", [x, !Ref Stage, !FindInMap [Cfg, !Ref Stage, Level]]]
          SPLIT: !Select [2, !Split [",", "p,q,r"]]
          LONG: {"Fn::Join": ["", ["a", {"Ref": "Stage"}]]}
          IF_TRUE: !If [IsProd, on, off]
          IF_DEV: !If [IsDev, on, off]
          BOTH: !If [Both, yes, no]
          EITHER: !If [Either, yes, no]
          LOOP: !If [Loop1, yes, no]
          SECRET: !Ref Secret
          SSM: !Ref Ssm
          IMPORT: !ImportValue other
          REGION: !Ref AWS::Region
          B64: !Base64 x
          GONE: !If [IsProd, !Ref AWS::NoValue, x]
          ROLE: !GetAtt Role.Arn
`

func TestIntrinsics(t *testing.T) {
	p := scan(t, "t.yaml", intrinsics)
	w := workload(t, p, "Fn")
	for name, want := range map[string]string{
		"JOIN": "x-prod-warn", "SPLIT": "r", "LONG": "aprod", "IF_TRUE": "on", "IF_DEV": "off",
		"BOTH": "yes", "SUB_VARS": "b/prod",
	} {
		if got := env(t, w, name).Value; !got.Known() || got.Value != want {
			t.Errorf("%s = %+v, want %q", name, got, want)
		}
	}
	for _, name := range []string{"SUB", "EITHER", "LOOP", "SECRET", "SSM", "IMPORT", "REGION", "B64", "ROLE"} {
		if got := env(t, w, name).Value; !got.Set || !got.Unknown {
			t.Errorf("%s = %+v, want set and unknown", name, got)
		}
	}
	for _, e := range w.Containers[0].Env {
		if e.Name == "GONE" {
			t.Errorf("GONE is AWS::NoValue and should be absent, got %+v", e.Value)
		}
	}
	if e := env(t, w, "SECRET"); e.FromVar != "Secret" {
		t.Errorf("SECRET FromVar = %q, want the parameter name", e.FromVar)
	}
	if e := env(t, w, "SSM"); e.FromVar != "" {
		t.Errorf("an SSM-typed parameter is a reference, not a variable: FromVar = %q", e.FromVar)
	}
	if w.Identity.Key != "t.yaml#Role" || w.Identity.Unknown {
		t.Errorf("identity = %+v, want the template's role", w.Identity)
	}
	// a parameter default is related to the value it gives
	if e := env(t, w, "JOIN"); len(e.Value.Via) == 0 {
		t.Errorf("JOIN has no related places; want the parameter default and the mapping entry")
	}
}

// TestUnknownNeverConfident: settings that come from what is known only at
// deploy time are unknown, never true.
func TestUnknownNeverConfident(t *testing.T) {
	p := scan(t, "t.yaml", `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Priv: {Type: String}
  Mode: {Type: String}
Conditions:
  P: !Equals [!Ref Priv, "true"]
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      NetworkMode: !Ref Mode
      PidMode: !If [P, host, task]
      TaskRoleArn: !ImportValue role
      ContainerDefinitions:
        - Name: a
          Image: x
          Privileged: !Ref Priv
          LinuxParameters: !If [P, {Capabilities: {Add: [SYS_ADMIN]}}, !Ref AWS::NoValue]
`)
	w := workload(t, p, "Task")
	c := w.Containers[0]
	if w.HostNetwork.IsTrue() || !w.HostNetwork.Unknown || w.Host().PID.IsTrue() || !w.Host().PID.Unknown {
		t.Errorf("host settings = %+v / %+v, want unknown", w.HostNetwork, w.Host().PID)
	}
	if c.Security.Privileged.IsTrue() || !c.Security.Privileged.Unknown {
		t.Errorf("privileged = %+v, want unknown", c.Security.Privileged)
	}
	for _, cp := range c.Security.CapAdd {
		if cp.Known() {
			t.Errorf("a capability under an unknown condition was read as known: %+v", cp)
		}
	}
	if !w.Identity.Unknown {
		t.Errorf("identity = %+v, want unknown", w.Identity)
	}
}

func TestSharedRoleKeys(t *testing.T) {
	p := scan(t, "app/template.yaml", `Transform: AWS::Serverless-2016-10-31
Resources:
  Shared:
    Type: AWS::IAM::Role
    Properties: {RoleName: shared}
  A:
    Type: AWS::Serverless::Function
    Properties: {Role: !GetAtt Shared.Arn}
  B:
    Type: AWS::Serverless::Function
    Properties: {Role: "arn:aws:iam::123456789012:role/shared"}
  C:
    Type: AWS::Serverless::Function
    Properties: {Handler: c.handler}
  D:
    Type: AWS::Serverless::Function
  E:
    Type: AWS::Lambda::Function
    Properties: {Role: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/shared"}
  F:
    Type: AWS::Lambda::Function
    Properties: {Role: !Sub "arn:aws:iam::${AWS::AccountId}:role/other"}
  G:
    Type: AWS::Lambda::Function
    Properties: {Role: !Sub "arn:aws:iam::${AWS::AccountId}:role/${AWS::StackName}"}
`)
	a, b, c, d := workload(t, p, "A"), workload(t, p, "B"), workload(t, p, "C"), workload(t, p, "D")
	if a.Identity.Key != b.Identity.Key || a.Identity.Key == "" {
		t.Errorf("A and B run as the same role: %q vs %q", a.Identity.Key, b.Identity.Key)
	}
	if e := workload(t, p, "E"); e.Identity.Key != a.Identity.Key {
		t.Errorf("E names the shared role by ARN in the stack's account: %+v", e.Identity)
	}
	if f := workload(t, p, "F"); f.Identity.Key != "arn:aws:iam::*:role/other" || f.Identity.Unknown {
		t.Errorf("F = %+v", f.Identity)
	}
	if g := workload(t, p, "G"); !g.Identity.Unknown {
		t.Errorf("G's role name is unknown: %+v", g.Identity)
	}
	if c.Identity.Key == a.Identity.Key || c.Identity.Key == d.Identity.Key || !c.Identity.Loc.Synthetic {
		t.Errorf("C gets its own SAM role: %+v (D: %q)", c.Identity, d.Identity.Key)
	}
}

func TestServerlessRoles(t *testing.T) {
	p := scan(t, "serverless.yml", `service: s
provider:
  name: aws
  iamRoleStatements:
    - {Effect: Allow, Action: "s3:*", Resource: "*"}
  environment:
    A: ${ssm:/a}
    B_TOKEN: ${env:GH_TOKEN}
functions:
  one: {handler: h.one}
  two: {handler: h.two, environment: {A: literal}}
  three: {handler: h.three, role: arn:aws:iam::1:role/x}
`)
	one, two, three := workload(t, p, "one"), workload(t, p, "two"), workload(t, p, "three")
	if one.Identity.Key != two.Identity.Key || one.Identity.Key == three.Identity.Key {
		t.Errorf("functions without a role share the service's: %q %q %q", one.Identity.Key, two.Identity.Key, three.Identity.Key)
	}
	if a := env(t, one, "A"); !a.Value.Unknown {
		t.Errorf("${ssm:…} must be unknown, got %+v", a.Value)
	}
	if a := env(t, two, "A"); !a.Value.Known() || a.Value.Value != "literal" {
		t.Errorf("a function's own variable wins: %+v", a.Value)
	}
	if b := env(t, one, "B_TOKEN"); b.FromVar != "GH_TOKEN" || !b.Value.Unknown {
		t.Errorf("${env:GH_TOKEN} = %+v", b)
	}
	var roles int
	for _, r := range p.CloudRoles {
		if r.Key == one.Identity.Key {
			roles++
			if len(r.Statements) != 1 {
				t.Errorf("service role statements = %d, want 1", len(r.Statements))
			}
		}
	}
	if roles != 1 {
		t.Errorf("service role not in the project")
	}
}

func TestNotices(t *testing.T) {
	for _, c := range []struct {
		name, path, content, want string
		line                      int
	}{
		{"syntax", "t.yaml", "AWSTemplateFormatVersion: x\nResources:\n  A: [\n", "not valid YAML", 0},
		{"json", "t.json", "{\"Resources\": {\n", "not valid JSON", 0},
		{"root", "t.yaml", "- a\n- b\n", "must be a mapping", 1},
		{"resources", "t.yaml", "AWSTemplateFormatVersion: x\nResources: [a]\n", "Resources must be a mapping", 2},
		{"bool", "t.yaml", "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: a\n          Privileged: maybe\n", "must be true or false", 7},
		{"template", "t.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies:\n        - NoSuchPolicyTemplate: {}\n", "not a SAM policy template", 7},
	} {
		p := scan(t, c.path, c.content)
		found := false
		for _, n := range p.Notices {
			if strings.Contains(n.Message, c.want) && (c.line == 0 || n.Loc.Line == c.line) && n.Loc.File == c.path {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no notice %q at line %d in %+v", c.name, c.want, c.line, p.Notices)
		}
	}
}

func TestSniff(t *testing.T) {
	for _, c := range []struct {
		path, content string
		want          bool
	}{
		{"a.yaml", "AWSTemplateFormatVersion: 2010-09-09\n", true},
		{"a.yaml", "Transform: [AWS::Serverless-2016-10-31]\nResources:\n  F: {Type: AWS::Serverless::Function}\n", true},
		{"a.yaml", "Resources:\n  requests: {cpu: 1}\n", false},
		{"a.yaml", "kind: Pod\napiVersion: v1\nmetadata: {annotations: {x: AWS::S3::Bucket}}\n", false},
		{"serverless.yml", "service: x\nprovider: {name: aws}\n", true},
		{"serverless.yml", "service: x\n", false},
		{"a.json", `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}`, true},
		{"a.json", `{"Resources": {"A": {"Type": "AWS::SNS::Topic"}}}`, true},
		{"a.json", `{"tree": {"type": "AWS::SNS::Topic"}}`, false},
		{"a.json", `{"Resources": {`, false},
	} {
		if got := SniffFile(c.path, []byte(c.content)); got != c.want {
			t.Errorf("SniffFile(%q, %q) = %v, want %v", c.path, c.content, got, c.want)
		}
	}
}

// TestAliasBomb: lists repeated through YAML aliases are evaluated within
// a budget, with a notice, instead of once per path to them.
func TestAliasBomb(t *testing.T) {
	b, err := os.ReadFile("../../testdata/hostile/cfn-alias-bomb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := Scan(&source.File{Path: "bomb.yaml", Content: b})
	found := false
	for _, n := range p.Notices {
		found = found || strings.Contains(n.Message, "too large to evaluate")
	}
	if !found {
		t.Errorf("no budget notice: %+v", p.Notices)
	}
}

func TestNotExpanded(t *testing.T) {
	p := scan(t, "t.yaml", "Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31, MyMacro]\nResources:\n  Fn::ForEach::Topics:\n    - T\n    - [a, b]\n    - Topic${T}: {Type: AWS::SNS::Topic}\n")
	var msgs []string
	for _, n := range p.Notices {
		msgs = append(msgs, n.Message)
	}
	all := strings.Join(msgs, "\n")
	if !strings.Contains(all, "transform MyMacro") || !strings.Contains(all, "Fn::ForEach::Topics repeats") || strings.Contains(all, "transform AWS::") {
		t.Errorf("notices = %q", all)
	}
}

func TestTrustAndKeys(t *testing.T) {
	p := scan(t, "t.yaml", `Resources:
  Gh:
    Type: AWS::IAM::OIDCProvider
    Properties:
      Url: https://token.actions.githubusercontent.com
  Deploy:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Action: sts:AssumeRoleWithWebIdentity
            Principal:
              Federated: !Ref Gh
            Condition:
              StringEquals:
                token.actions.githubusercontent.com:aud: sts.amazonaws.com
  Open:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          Effect: Allow
          Action: sts:AssumeRole
          Principal: "*"
  Key:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: !Ref Ci
  Old:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: ci
      Status: Inactive
  Ci:
    Type: AWS::IAM::User
`)
	if len(p.StaticCredentials) != 1 || p.StaticCredentials[0].Principal.Value != "Ci" || p.StaticCredentials[0].Loc.Line != 26 {
		t.Errorf("static credentials = %+v", p.StaticCredentials)
	}
	if len(p.TrustPolicies) != 2 {
		t.Fatalf("trust policies = %d", len(p.TrustPolicies))
	}
	deploy, open := p.TrustPolicies[0], p.TrustPolicies[1]
	if s := deploy.Statements[0]; s.Issuer() != "token.actions.githubusercontent.com" || len(s.SubjectConditions()) != 0 || s.Narrowed() {
		t.Errorf("deploy: issuer %q, subject conditions %v", s.Issuer(), s.SubjectConditions())
	}
	if _, ok := open.Statements[0].AnyPrincipal(); !ok || open.Statements[0].Loc.Line != 25 {
		t.Errorf("open: %+v", open.Statements[0])
	}
}

func TestEKSNodegroupLaunchTemplate(t *testing.T) {
	p := scan(t, "t.yaml", `Resources:
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 2}
  Ng:
    Type: AWS::EKS::Nodegroup
    Properties:
      LaunchTemplate: {Id: !Ref Lt}
`)
	if len(p.Metadata) != 1 || len(p.Metadata[0].UsedBy) != 1 || p.Metadata[0].Format != model.FormatCFN {
		t.Errorf("metadata = %+v", p.Metadata)
	}
}

// TestSniffLarge: a template larger than the sniffed head is still read
// whole to be recognised.
func TestSniffLarge(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Resources": {`)
	for i := range 3000 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"Topic` + strings.Repeat("x", 10) + string(rune('a'+i%26)) + itoa(i) + `": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "a topic with a long display name"}}`)
	}
	b.WriteString("}}")
	if b.Len() <= maxSniff {
		t.Fatalf("test template too small: %d", b.Len())
	}
	if !SniffFile("stack.json", []byte(b.String())) {
		t.Error("a large JSON template is not recognised")
	}
	y := "Resources:\n" + strings.Repeat("  T"+"x:\n    Type: AWS::SNS::Topic\n", 1)
	for i := range 4000 {
		y += "  Topic" + itoa(i) + ":\n    Type: AWS::SNS::Topic\n"
	}
	if !SniffFile("stack.yaml", []byte(y)) {
		t.Error("a large YAML template is not recognised")
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestDynamicSecretNames checks that a dynamic reference names its secret:
// a full ARN (whose colons are part of the id, not separators), the
// template's secret a `!Sub` refers to, and the JSON key, so that two
// functions reading different secrets never share one.
func TestDynamicSecretNames(t *testing.T) {
	p := scan(t, "template.yaml", `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  SecretArn: {Type: String}
Resources:
  DbSecret:
    Type: AWS::SecretsManager::Secret
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          ARN: "{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:one-AbCdEf:SecretString:password}}"
          PARTIAL: !Sub "{{resolve:secretsmanager:arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:two}}"
          RES: !Sub "{{resolve:secretsmanager:${DbSecret}}}"
          RES_KEY: !Sub "{{resolve:secretsmanager:${DbSecret}:SecretString:user}}"
          VARS: !Sub ["{{resolve:secretsmanager:${S}:SecretString:k}}", {S: !Ref DbSecret}]
          PARAM: !Sub "{{resolve:secretsmanager:${SecretArn}}}"
          NAME: "{{resolve:secretsmanager:plain-name:SecretString:k}}"
          SSM: "{{resolve:ssm-secure:arn:aws:ssm:us-east-1:123456789012:parameter/app/db:3}}"
          SSM_NAME: "{{resolve:ssm-secure:/app/db}}"
`)
	w := workload(t, p, "Fn")
	for _, c := range []struct {
		env   string
		store model.SecretStore
		name  string
		key   string
	}{
		{"ARN", model.StoreAWSSecrets, "arn:aws:secretsmanager:us-east-1:123456789012:secret:one-AbCdEf", "password"},
		{"PARTIAL", model.StoreAWSSecrets, "arn:*:secretsmanager:*:*:secret:two", ""},
		{"RES", model.StoreAWSSecrets, "DbSecret", ""},
		{"RES_KEY", model.StoreAWSSecrets, "DbSecret", "user"},
		{"VARS", model.StoreAWSSecrets, "DbSecret", "k"},
		{"PARAM", model.StoreAWSSecrets, "(unknown)", ""},
		{"NAME", model.StoreAWSSecrets, "plain-name", "k"},
		{"SSM", model.StoreAWSParameter, "arn:aws:ssm:us-east-1:123456789012:parameter/app/db", ""},
		{"SSM_NAME", model.StoreAWSParameter, "/app/db", ""},
	} {
		s := env(t, w, c.env).Secret
		if s == nil {
			t.Errorf("%s: no secret", c.env)
			continue
		}
		if s.Store != c.store || s.Name != c.name || s.Key != c.key {
			t.Errorf("%s: got %s %q key %q, want %s %q key %q", c.env, s.Store, s.Name, s.Key, c.store, c.name, c.key)
		}
	}
}
