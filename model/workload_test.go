package model

import "testing"

// Workload.DropDetails keeps what project checks read (identity, labels,
// host network, token automount) and drops the rest, the host namespaces
// it shares among them; Host reads a dropped or unset record as sharing
// nothing.
func TestWorkloadDropDetailsKeepsWhatProjectChecksRead(t *testing.T) {
	yes := Bool{Value: true, Set: true}
	w := &Workload{
		Identity: Identity{Kind: IdentityK8sServiceAccount, Key: "shop/web"}, Labels: map[string]string{"app": "web"},
		HostNetwork: yes, AutomountToken: yes,
		Containers: []*Container{{Name: "app"}}, Volumes: []*Volume{{Name: "data"}}, Security: &SecurityContext{},
	}
	if w.Host().PID.IsTrue() {
		t.Error("an unset record shares the host's PID namespace")
	}
	w.SetShares().PID = yes
	w.SetShares().IPC = yes
	if h := w.Host(); !h.PID.IsTrue() || !h.IPC.IsTrue() || h.UTS.IsTrue() {
		t.Errorf("host shares = %+v", h)
	}
	w.DropDetails()
	if w.Containers != nil || w.Volumes != nil || w.Security != nil || w.Shares != nil || w.Host().PID.IsTrue() {
		t.Errorf("details kept: %+v", w)
	}
	if w.Identity.Key != "shop/web" || w.Labels["app"] != "web" || !w.HostNetwork.IsTrue() || !w.AutomountToken.IsTrue() {
		t.Errorf("project facts dropped: %+v", w)
	}
}
