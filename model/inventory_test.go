package model

import (
	"fmt"
	"testing"
)

func TestInventory(t *testing.T) {
	loc := func(f string, l int) Location { return Location{File: f, Line: l} }
	w := &Workload{Format: FormatK8s, Kind: "Deployment", Name: "web", Namespace: "apps", Loc: loc("a.yaml", 1),
		Labels: map[string]string{"app": "web"},
		Volumes: []*Volume{
			{Name: "certs", Kind: VolumeHostPath, Loc: loc("a.yaml", 20), HostPath: String{Value: "/etc/ssl/certs", Loc: loc("a.yaml", 21)}},
			{Name: "db", Kind: VolumeSecret, Loc: loc("a.yaml", 22)},
			{Name: "tmp", Kind: VolumeEmpty, Loc: loc("a.yaml", 23)},
		},
		Containers: []*Container{{Name: "web", Env: []*EnvVar{
			{Name: "LOG_LEVEL", Value: String{Value: "info"}, Loc: loc("a.yaml", 10)},
			{Name: "DB_PASSWORD", Loc: loc("a.yaml", 11), Secret: &SecretRef{Store: StoreK8sSecret, Name: "db"}},
		}, EnvSources: []*EnvSource{
			{Kind: EnvFromConfigMap, Name: "settings", Loc: loc("a.yaml", 12)},
			{Kind: EnvFromSecret, Name: "api", Loc: loc("a.yaml", 13)},
		}}},
		Identity: Identity{Kind: IdentityK8sServiceAccount, Key: "apps/web"},
	}
	inv := NewInventory()
	inv.AddDetails(&Project{Workloads: []*Workload{w}})
	if got := inv.Tally(InputHostPaths, "k8s"); got == nil || got.Count != 1 || got.Sample[0].Line != 21 || got.Sample[0].Object != "Deployment/apps/web" {
		t.Errorf("host paths %+v, want the hostPath at its path key", got)
	}
	// the secret volume, the secret-fed variable and the secret env source;
	// not LOG_LEVEL nor the config map
	if got := inv.Tally(InputCredentials, "k8s"); got == nil || got.Count != 3 {
		t.Errorf("credential sources %+v, want 3", got)
	}

	// a policy in another namespace leaves the workload's egress open; one
	// that selects it closes it
	other := &NetworkPolicy{Namespace: "tools", Name: "deny", PolicyTypes: []string{"Egress"}, Loc: loc("np.yaml", 1)}
	inv.AddProject(&Project{Workloads: []*Workload{w}, NetworkPolicies: []*NetworkPolicy{other}})
	if inv.Tally(InputOpenEgress, "k8s") == nil || inv.Tally(InputNetwork, "k8s") == nil || inv.Tally(InputIdentities, "k8s") == nil {
		t.Errorf("open egress, network or identities missing: %+v", inv.Inputs)
	}
	mine := &NetworkPolicy{Namespace: "apps", Name: "deny", PolicyTypes: []string{"Egress"}, Loc: loc("np.yaml", 9)}
	closed := NewInventory()
	closed.AddProject(&Project{Workloads: []*Workload{w}, NetworkPolicies: []*NetworkPolicy{mine}})
	if closed.Tally(InputOpenEgress, "k8s") != nil {
		t.Error("a workload an egress policy selects counted as open egress")
	}

	// samples keep the first SampleSize objects, in order, across merges
	a, b := NewInventory(), NewInventory()
	for i := range 4 {
		a.add(InputWorkloads, FormatTerraform, "kubernetes_pod", Sighting{File: "a.tf", Line: i + 1, Object: fmt.Sprint("a", i)})
		b.add(InputWorkloads, FormatTerraform, "aws_lambda_function", Sighting{File: "b.tf", Line: i + 1, Object: fmt.Sprint("b", i)})
	}
	a.Merge(b)
	tf := a.Tally(InputWorkloads, "tf")
	if tf.Count != 8 || len(tf.Sample) != SampleSize || tf.Sample[3].Object != "a3" || tf.Sample[4].Object != "b0" {
		t.Errorf("merged tally %+v", tf)
	}
	if k := a.Tally(InputWorkloads, ScopeKubernetes); k == nil || k.Count != 4 {
		t.Errorf("tf:kubernetes tally %+v, want the 4 kubernetes_* objects only", k)
	}

	// a chart that did not render is not checked
	r := NewInventory()
	r.AddProject(&Project{Renderings: []Rendering{{Kind: RenderHelm, Path: "charts/api", Release: "prod", Failed: true, Err: "boom"}, {Kind: RenderKustomize, Path: "overlays/dev"}}})
	if len(r.Unchecked) != 1 || r.Unchecked[0].Format != FormatK8s || r.Unchecked[0].File != "charts/api" {
		t.Errorf("unchecked %+v, want the failed chart only", r.Unchecked)
	}
}
