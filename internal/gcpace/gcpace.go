// Package gcpace sets the garbage collector's pace for the isolint command.
//
// A scan allocates mostly short-lived YAML trees; collecting at three times
// the live heap (GOGC=200) instead of twice cuts GC work by about a third
// (~8% of wall time on a 20,000-file tree). On a large tree the same pace
// costs more than it saves: what a scan keeps (models, findings) grows with
// the tree, and a heap allowed three times that size makes the kernel map
// pages it never needed, which in a virtual machine costs about as much
// CPU as the collections avoided. So the pace is capped: after every
// collection the soft memory limit is set to twice the live heap plus
// 128 MiB. Heaps up to about 128 MiB live (a 10,000-file tree holds 95)
// keep GOGC=200, since the cap lies above it; larger ones are collected at
// twice what they hold. Measured on 2 cores, a 100,000-file tree peaks at
// 2.1 GiB instead of 3.1 in the same time (28.7 s against 29.5); a cap of
// 1.7 times the live heap saved 0.3 GiB more for 13% more time. The limit
// follows the live heap, so it never falls below what the scan holds: the
// runtime does not thrash, it collects at most one cycle early before the
// limit is raised. GOGC or GOMEMLIMIT in the environment still rules:
// either turns this package off.
//
// It is set from a package's init rather than from main: Go initialises
// packages in import-path order as their dependencies allow, so this one
// (which needs only the runtime packages) runs before Helm's, client-go's
// and jsonschema's, whose initialisation allocates several megabytes. Set
// in main, the default pace made the runtime collect once during package
// initialisation, on every run: 3 ms of CPU of a 23 ms pre-commit run.
package gcpace

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// Percent is the GC's pace below the cap.
const Percent = 200

// slack is what the cap allows above twice the live heap.
const slack = 128 << 20

func init() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(Percent)
	arm()
}

// Limit is the soft memory limit for a live heap of live bytes.
func Limit(live uint64) int64 {
	return int64(live*2) + slack
}

// sentinel is allocated once per GC cycle: its finalizer runs after the
// collection that found it unreachable, sets the limit from the live heap
// that collection measured, and allocates the next sentinel. It holds a
// pointer so that it is not batched with other tiny objects, whose
// finalizers may never run.
type sentinel struct{ _ *byte }

func arm() {
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
		follow()
		arm()
	})
}

var live = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}

// follow sets the limit from the live heap the last collection measured.
func follow() {
	metrics.Read(live)
	if live[0].Value.Kind() == metrics.KindUint64 {
		debug.SetMemoryLimit(Limit(live[0].Value.Uint64()))
	}
}
