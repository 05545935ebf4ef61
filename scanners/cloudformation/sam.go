package cloudformation

import (
	"strings"

	"github.com/isolint/isolint/model"
)

// lowerSAMFunction lowers an AWS::Serverless::Function: its environment
// (Globals.Function.Environment.Variables merged in, the function's own
// variables winning, as SAM merges maps), and its role: the one named by
// Role, or else the role SAM creates for the function alone
// (`<Function>Role`) with the function's Policies.
func lowerSAMFunction(t *template, r *resource) {
	w := t.workload(r)
	p := r.props
	c := &model.Container{Name: r.id, Kind: model.ContainerRegular, Loc: w.Loc, Image: p.Get("ImageUri").Str()}
	vars := p.Get("Environment").Get("Variables")
	own := map[string]bool{}
	for _, v := range vars.Pairs() {
		own[v.Key] = true
	}
	for _, v := range t.samGlobals.Get("Environment").Get("Variables").Pairs() {
		if own[v.Key] {
			continue
		}
		ev := t.envVar(v.Key, v.Val.KeyLoc(), v.Val)
		ev.Value.Via = append(ev.Value.Via, model.Related{Loc: w.Loc, Message: "Globals.Function sets it for " + r.id})
		c.Env = append(c.Env, ev)
	}
	c.Env = append(c.Env, t.envMap(vars)...)
	w.Containers = []*model.Container{c}
	// where a VpcConfig belongs when none applies: the function's own, also
	// when the one of Globals turns out to be AWS::NoValue
	missing := t.missing(r, "VpcConfig")
	if vc := p.Get("VpcConfig"); vc.Exists() || !t.samGlobals.Get("VpcConfig").Exists() {
		w.Egress = t.vpcEgress(vc, missing, "SecurityGroupIds", "SubnetIds")
	} else {
		// Globals.Function.VpcConfig applies to every function without its own
		w.Egress = t.vpcEgress(t.samGlobals.Get("VpcConfig"), missing, "SecurityGroupIds", "SubnetIds")
		w.Egress.Via = append(w.Egress.Via, model.Related{Loc: w.Loc, Message: "Globals.Function sets it for " + r.id})
	}

	if role := p.Get("Role"); role.Exists() {
		w.Identity = t.identity(role) // SAM then ignores Policies
	} else {
		name := r.id + "Role"
		w.Identity = model.Identity{Kind: model.IdentityAWSRole, Key: t.roleKey(name), Name: name, Loc: p.Synthetic("Role")}
		if !p.Exists() {
			w.Identity.Loc = w.Loc
			w.Identity.Loc.Synthetic = true
		}
		role := t.iam.role(t.roleKey(name), name, w.Loc)
		t.samPolicies(role, p.Get("Policies"), r.id)
		t.trust(t.roleKey(name), name, r.typ+"/"+r.id, p.Get("AssumeRolePolicyDocument"))
	}
	t.add(w)
}

// samPolicies reads a SAM function's Policies: a managed policy name or
// ARN, an inline policy document, a SAM policy template, or a list of
// these.
func (t *template) samPolicies(role *model.CloudRole, pol node, fn string) {
	if !pol.Exists() {
		return
	}
	items := pol.Items()
	if !pol.resolve().v.IsSeq() {
		items = []node{pol}
	}
	for _, it := range items {
		via := model.Related{Loc: it.Loc(), Message: "granted to " + fn + "'s role by its Policies"}
		switch {
		case it.Unknown() && !it.resolve().v.IsMap():
			// a reference to a managed policy of the template, or an ARN
			// partly known (`!Sub arn:${AWS::Partition}:iam::aws:policy/X`)
			t.attachManaged(role, it, via)
		case it.resolve().v.IsScalar():
			s := it.Str()
			if !s.Known() {
				continue
			}
			if strings.HasPrefix(s.Value, "arn:") {
				t.attachManaged(role, it, via)
				continue
			}
			// SAM reads a bare name as an AWS managed policy
			role.ManagedPolicies = append(role.ManagedPolicies, model.ManagedPolicy{Name: s.Value, ARN: s, Loc: s.Loc, Via: append([]model.Related{via}, s.Via...)})
		case it.Get("Statement").Exists():
			grant(role, t.document(it, fn+" Policies"), via)
		default:
			for _, p := range it.Pairs() {
				if !samTemplates[p.Key] {
					t.notice(p.Val.v, "%s is not a SAM policy template isolint knows; the permissions it grants were not checked", p.Key)
				}
				// a policy template grants a fixed set of actions on the
				// resource its parameters name: never every action, nor
				// iam:PassRole on every role
			}
		}
	}
}

// samTemplates are the SAM policy templates
// (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html).
var samTemplates = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`AcmGetCertificatePolicy AMIDescribePolicy AthenaQueryPolicy
	AWSSecretsManagerGetSecretValuePolicy AWSSecretsManagerRotationPolicy CloudFormationDescribeStacksPolicy
	CloudWatchDashboardPolicy CloudWatchDescribeAlarmHistoryPolicy CloudWatchPutMetricPolicy
	CodeCommitCrudPolicy CodeCommitReadPolicy CodePipelineLambdaExecutionPolicy CodePipelineReadOnlyPolicy
	ComprehendBasicAccessPolicy CostExplorerReadOnlyPolicy DynamoDBBackupFullAccessPolicy DynamoDBCrudPolicy
	DynamoDBReadPolicy DynamoDBReconfigurePolicy DynamoDBRestoreFromBackupPolicy DynamoDBStreamReadPolicy
	DynamoDBWritePolicy EC2CopyImagePolicy EC2DescribePolicy EcsRunTaskPolicy EFSWriteAccessPolicy
	EKSDescribePolicy ElasticMapReduceAddJobFlowStepsPolicy ElasticMapReduceCancelStepsPolicy
	ElasticMapReduceModifyInstanceFleetPolicy ElasticMapReduceModifyInstanceGroupsPolicy
	ElasticMapReduceSetTerminationProtectionPolicy ElasticMapReduceTerminateJobFlowsPolicy
	ElasticsearchHttpPostPolicy EventBridgePutEventsPolicy FilterLogEventsPolicy FirehoseCrudPolicy
	FirehoseWritePolicy KinesisCrudPolicy KinesisStreamReadPolicy KMSDecryptPolicy KMSEncryptPolicy
	LambdaInvokePolicy MobileAnalyticsWriteOnlyAccessPolicy OrganizationsListAccountsPolicy
	PinpointEndpointAccessPolicy PollyFullAccessPolicy RekognitionDetectOnlyPolicy
	RekognitionFacesManagementPolicy RekognitionFacesPolicy RekognitionLabelsPolicy
	RekognitionNoDataAccessPolicy RekognitionReadPolicy RekognitionWriteOnlyAccessPolicy
	Route53ChangeResourceRecordSetsPolicy S3CrudPolicy S3FullAccessPolicy S3ReadPolicy S3WritePolicy
	SageMakerCreateEndpointConfigPolicy SageMakerCreateEndpointPolicy ServerlessRepoReadWriteAccessPolicy
	SESBulkTemplatedCrudPolicy SESBulkTemplatedCrudPolicy_v2 SESCrudPolicy SESEmailTemplateCrudPolicy
	SESSendBouncePolicy SNSCrudPolicy SNSPublishMessagePolicy SQSPollerPolicy SQSSendMessagePolicy
	SSMParameterReadPolicy SSMParameterWithSlashPrefixReadPolicy StepFunctionsCallbackPolicy
	StepFunctionsExecutionPolicy TextractDetectAnalyzePolicy TextractGetResultPolicy TextractPolicy
	VPCAccessPolicy`) {
		samTemplates[n] = true
	}
}
