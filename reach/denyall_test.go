package reach

import (
	"strings"
	"testing"

	"github.com/isolint/isolint/model"
)

// A role that denies every action without condition can do nothing: its
// Allow * and AdministratorAccess reach nothing, and are shown as such.
func TestRoleRightsDenyAll(t *testing.T) {
	all := []model.String{{Value: "*", Set: true}}
	allow := &model.PolicyStatement{Policy: "inline", Effect: "Allow", Actions: all, Resources: all}
	deny := &model.PolicyStatement{Policy: "quarantine", Effect: "Deny", Actions: all, Resources: all}
	admin := model.ManagedPolicy{Name: "AdministratorAccess"}

	open := roleRights(&model.CloudRole{Statements: []*model.PolicyStatement{allow}, ManagedPolicies: []model.ManagedPolicy{admin}})
	for _, it := range open {
		if it.Tier != Critical {
			t.Errorf("without the deny: %q is %s, want critical", it.What, it.Tier)
		}
	}
	denied := roleRights(&model.CloudRole{Statements: []*model.PolicyStatement{allow, deny}, ManagedPolicies: []model.ManagedPolicy{admin}})
	if len(denied) != 3 {
		t.Fatalf("got %d items, want the allow, the deny and the managed policy", len(denied))
	}
	for _, it := range denied {
		if it.Tier.Rank() > Low.Rank() {
			t.Errorf("with the deny: %q is %s, want low at most", it.What, it.Tier)
		}
	}
	if !strings.Contains(denied[0].What, "denies every action") {
		t.Errorf("the allow does not say it is denied: %q", denied[0].What)
	}
}
