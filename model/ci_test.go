package model

import "testing"

// Pipeline.DropDetails keeps what project checks read of a job (trust,
// triggers, cloud roles, permissions, the call) and drops the rest.
func TestPipelineDropDetailsKeepsWhatProjectChecksRead(t *testing.T) {
	j := &CIJob{
		Trust: TrustUntrusted, Why: "pull_request", Events: []Trigger{{Event: "pull_request"}},
		CloudRoles:  []Identity{{Key: "arn:aws:iam::1:role/ci"}},
		Permissions: Permissions{Set: true, All: "write-all"},
		Steps:       []*Step{{}}, Env: []*EnvVar{{Name: "A"}}, EnvSources: []*EnvSource{{}},
		SecretUses: []SecretUse{{Name: "S"}}, TokenUses: []TokenUse{{}}, IDTokens: []IDToken{{}},
		Credentials: []Input{{Name: "password"}}, Refuses: map[string]bool{"A": true},
		Call: &WorkflowCall{With: []Input{{Name: "x"}}, Secrets: []Input{{Name: "y"}}},
	}
	w := &Workload{CI: j}
	p := &Pipeline{Env: []*EnvVar{{Name: "P"}}, Jobs: []*Workload{w}}
	j.Pipeline = p
	p.DropDetails()
	if j.Steps != nil || j.Env != nil || j.EnvSources != nil || j.SecretUses != nil || j.TokenUses != nil ||
		j.IDTokens != nil || j.Credentials != nil || j.Refuses != nil || j.Call.With != nil || j.Call.Secrets != nil {
		t.Errorf("details kept: %+v", j)
	}
	if j.Trust != TrustUntrusted || j.Why == "" || len(j.Events) != 1 || len(j.CloudRoles) != 1 || !j.Permissions.Set ||
		j.Call == nil || j.Pipeline != p || len(p.Env) != 1 {
		t.Errorf("project facts dropped: %+v", j)
	}
}
