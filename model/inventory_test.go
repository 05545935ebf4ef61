package model

import (
	"fmt"
	"reflect"
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

// TestDetailsMergeAsAddDetails: a file's details, kept as sightings and
// merged after other files', leave the inventory AddDetails would have
// made: counts, samples in order (past SampleSize too) and the
// tf:kubernetes scope.
func TestDetailsMergeAsAddDetails(t *testing.T) {
	var files [][]*Workload
	for f := range 4 {
		var ws []*Workload
		for i := range 3 {
			loc := Location{File: fmt.Sprintf("f%d.yaml", f), Line: 10 * (i + 1)}
			ws = append(ws, &Workload{Format: FormatK8s, Kind: "Deployment", Name: fmt.Sprintf("w%d", i), Namespace: "ns", Loc: loc,
				Volumes: []*Volume{{Name: "h", Kind: VolumeHostPath, Loc: loc}, {Name: "s", Kind: VolumeSecret, Loc: loc}},
				Containers: []*Container{{Name: "c", Env: []*EnvVar{{Name: "API_TOKEN", Loc: loc}, {Name: "MODE", Loc: loc}},
					EnvSources: []*EnvSource{{Kind: EnvFromSecret, Name: "x", Loc: loc}}}}})
		}
		ws = append(ws, &Workload{Format: FormatTerraform, Kind: "kubernetes_deployment", Name: "tf", Loc: Location{File: fmt.Sprintf("f%d.tf", f), Line: 1},
			Volumes: []*Volume{{Name: "h", Kind: VolumeHostPath, Loc: Location{File: fmt.Sprintf("f%d.tf", f), Line: 2}}}})
		ws = append(ws, &Workload{Format: FormatCompose, Kind: "service", Name: "none"}) // shows nothing
		files = append(files, ws)
	}
	want, got := NewInventory(), NewInventory()
	for _, ws := range files {
		want.AddDetails(&Project{Workloads: ws})
		got.MergeDetails(NewDetails(ws))
	}
	if NewDetails([]*Workload{{Format: FormatCompose, Kind: "service"}}) != nil {
		t.Error("a workload whose details show nothing gave details")
	}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("merged details\n%+v\nwant what AddDetails makes\n%+v", got.Inputs, want.Inputs)
	}
	if tl := got.Tally(InputCredentials, "k8s"); tl == nil || tl.Count != 4*3*3 || len(tl.Sample) != SampleSize || tl.Sample[3].Object != "Deployment/ns/w1" {
		t.Errorf("credential tally %+v, want 36 with the first five in order", tl)
	}
	if tl := got.Tally(InputHostPaths, ScopeKubernetes); tl == nil || tl.Count != 4 {
		t.Errorf("tf:kubernetes host paths %+v, want 4", tl)
	}
}
