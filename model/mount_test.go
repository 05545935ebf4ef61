package model

import "testing"

// TestClassifySocketParents: the socket, its directory and the directories
// above it under /run reach the runtime, /var/run read as /run; /var does
// not, since its run entry is a symlink that resolves inside the
// container; / is the whole filesystem, a sensitive path (WholeFilesystem).
func TestClassifySocketParents(t *testing.T) {
	for _, c := range []struct {
		path   string
		reach  HostReach
		parent bool // HoldsRuntimeSocket
	}{
		{"/", ReachSensitive, false},
		{"/run", ReachRuntimeSocket, false},
		{"/run/", ReachRuntimeSocket, false},
		{"/var/run", ReachRuntimeSocket, false},
		{"/var/run/docker.sock", ReachRuntimeSocket, false},
		{"/run/containerd", ReachRuntimeSocket, false},
		{"/run/user", ReachRuntimeSocket, true},
		{"/var/run/user/1000", ReachRuntimeSocket, true},
		{"/run/k3s", ReachRuntimeSocket, true},
		{"/var", ReachSensitive, false},
		{"/var/lib", ReachSensitive, false},
		{"/run/lock", ReachOther, false},
		{"/var/run/datadog", ReachOther, false},
		{"/runner", ReachOther, false},
		{"/var/runtime", ReachOther, false},
	} {
		if got := ClassifyHostPath(c.path, ""); got != c.reach {
			t.Errorf("ClassifyHostPath(%q) = %d, want %d", c.path, got, c.reach)
		}
		if got := HoldsRuntimeSocket(c.path); got != c.parent {
			t.Errorf("HoldsRuntimeSocket(%q) = %v, want %v", c.path, got, c.parent)
		}
		if got := WholeFilesystem(c.path); got != (c.path == "/") {
			t.Errorf("WholeFilesystem(%q) = %v", c.path, got)
		}
	}
}
