// Package gcpace sets the garbage collector's pace for the isolint command.
//
// A scan allocates mostly short-lived YAML trees; collecting at two and a
// half times the live heap (GOGC=150) rather than twice does a third less
// GC work. Higher paces cost more than they save: on the 10,000-file tree
// (2 cores, six runs each, 2026-12-05) GOGC=150, 175 and 200 took the same
// wall time (2.47-2.48 s median, the machine's noise) with 3.49, 3.37 and
// 3.31 s of user time, and peaked at 303, 325 and 337 MiB: the pages a
// larger heap makes the kernel map cost, in a virtual machine, about the
// CPU time the collections it avoids would. For the same reason the pace
// is capped on large heaps: after every collection the soft memory limit
// is set to twice the live heap plus 128 MiB. Heaps up to about 256 MiB
// live (a 10,000-file tree holds under 100) keep GOGC=150, since the cap
// lies above it; larger ones are collected at twice what they hold. On a
// 100,000-file tree, the cap (at GOGC=200) made the peak 2.1 GiB instead
// of 3.1 in the same time (28.7 s against 29.5); a cap of 1.7 times the
// live heap saved 0.3 GiB more for 13% more time. The limit follows the
// live heap, so it never falls below what the scan holds: the runtime does
// not thrash, it collects at most one cycle early before the limit is
// raised. GOGC or GOMEMLIMIT in the environment still rules: either turns
// this package off.
//
// In a container, the limit never exceeds nine tenths of the memory limit
// of the process's cgroup (a CI job's pod, a `docker run --memory`): a scan
// whose heap would outgrow its container is collected harder and finishes,
// instead of being killed by the kernel while it still had garbage to
// collect. A 100,000-file scan (peak 1.5 GiB as paced above) in a cgroup
// v1 of 1.2 GiB was killed after 30 s; with the ceiling it finished, with
// the same output, in 62 s at 1.1 GiB, against 50 s without the cgroup
// (measured 2026-12-06). The cgroup's files (/proc/self/cgroup,
// /proc/self/mountinfo, the limit under /sys/fs/cgroup) are read once, by
// automemlimit's memlimit package, which knows cgroup v1 and v2.
//
// It is set from a package's init rather than from main: Go initialises
// packages in import-path order as their dependencies allow, so this one
// (which needs only the runtime packages) runs before Helm's, client-go's
// and jsonschema's, whose initialisation allocates several megabytes. Set
// in main, the default pace made the runtime collect once during package
// initialisation, on every run: 3 ms of CPU of a 23 ms pre-commit run.
package gcpace

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"

	"github.com/KimMachineGun/automemlimit/memlimit"
)

// Percent is the GC's pace below the cap.
const Percent = 150

// slack is what the cap allows above twice the live heap.
const slack = 128 << 20

// ceiling is the highest soft limit: nine tenths of the cgroup's memory
// limit; 0 when there is none (or it is not known).
var ceiling int64

func init() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(Percent)
	ceiling = containerCeiling(memlimit.FromCgroup)
	if ceiling > 0 {
		debug.SetMemoryLimit(ceiling)
	}
	arm()
}

// containerCeiling is the ceiling under the cgroup limit read reports. A
// limit that cannot be read, or a reader that panics on a /proc it did not
// expect, leaves no ceiling: this runs before main, on every command, so
// nothing in it may stop isolint from starting.
func containerCeiling(read func() (uint64, error)) (c int64) {
	defer func() {
		if recover() != nil {
			c = 0
		}
	}()
	limit, err := read()
	if err != nil {
		return 0
	}
	return Ceiling(limit)
}

// Ceiling is the highest soft limit under a cgroup memory limit of
// cgroup bytes (0: none).
func Ceiling(cgroup uint64) int64 {
	if cgroup == 0 || cgroup >= math.MaxInt64/2 {
		return 0 // no limit, or cgroup v1's "unlimited" (a page short of MaxInt64)
	}
	return int64(cgroup / 10 * 9)
}

// Limit is the soft memory limit for a live heap of live bytes under a
// ceiling (0: none).
func Limit(live uint64, ceiling int64) int64 {
	l := int64(live*2) + slack
	if ceiling > 0 {
		return min(l, ceiling)
	}
	return l
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
		debug.SetMemoryLimit(Limit(live[0].Value.Uint64(), ceiling))
	}
}
