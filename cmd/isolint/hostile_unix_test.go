//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestSpecialFilesAreRefused: a FIFO or a device is never opened for a
// read that could block for ever or never end.
func TestSpecialFilesAreRefused(t *testing.T) {
	dir := tree(t, map[string]string{"pod.yaml": privilegedPod})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.yaml")); err != nil {
		t.Fatal(err)
	}
	// --baseline /dev/zero was read until the process was killed at 24 GB;
	// --config /dev/zero never returned
	for _, args := range [][]string{
		{"scan", "pod.yaml", "--baseline", "/dev/zero"},
		{"scan", "pod.yaml", "--config", "/dev/zero"},
		{"scan", "pod.yaml", "--config", "pipe.yaml"},
		{"baseline", "--config", "pipe.yaml", "pod.yaml"},
	} {
		code, _, stderr := cli(t, dir, args...)
		if code != exitUsage || !strings.Contains(stderr, "not a regular file") {
			t.Errorf("%v: exit %d, stderr %q; want 2, not a regular file", args, code, stderr)
		}
	}
	// a FIFO named on the command line blocked for ever; found in a
	// directory, neither it nor the device is opened
	for _, args := range [][]string{{"scan", "pipe.yaml", "pod.yaml"}, {"scan", "zero.yaml", "pod.yaml"}, {"scan", "."}} {
		code, _, stderr := cli(t, dir, append(args, "--fail-on", "critical")...)
		if args[1] == "." {
			if code != exitFindings {
				t.Errorf("%v: exit %d, want 1; stderr:\n%s", args, code, stderr)
			}
			continue
		}
		if code != exitFindings || !strings.Contains(stderr, args[1]+": error: could not be read: not a regular file") {
			t.Errorf("%v: exit %d, stderr:\n%s", args, code, stderr)
		}
	}
	code, _, stderr := cli(t, dir, "scan", "pipe.yaml")
	if code != exitUnread {
		t.Errorf("a FIFO alone: exit %d, want %d; stderr:\n%s", code, exitUnread, stderr)
	}
}
