package gcpace

import (
	"errors"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestLimit(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int64
	}{
		{0, 128 << 20},
		{100 << 20, 200<<20 + 128<<20},
		{1 << 30, 2<<30 + 128<<20},
	} {
		if got := Limit(c.live, 0); got != c.want {
			t.Errorf("Limit(%d) = %d, want %d", c.live, got, c.want)
		}
	}
}

// Under a cgroup memory limit the soft limit stays at nine tenths of it;
// cgroup v1's "unlimited" is no limit.
func TestCeiling(t *testing.T) {
	for _, c := range []struct {
		cgroup uint64
		want   int64
	}{
		{0, 0},
		{9223372036854771712, 0},
		{math.MaxUint64, 0},
		{1 << 30, 1 << 30 / 10 * 9},
	} {
		if got := Ceiling(c.cgroup); got != c.want {
			t.Errorf("Ceiling(%d) = %d, want %d", c.cgroup, got, c.want)
		}
	}
	if c := containerCeiling(func() (uint64, error) { return 1 << 30, nil }); c != Ceiling(1<<30) {
		t.Errorf("ceiling under a 1 GiB cgroup = %d", c)
	}
	if c := containerCeiling(func() (uint64, error) { return 0, errors.New("no cgroup") }); c != 0 {
		t.Errorf("ceiling with no readable cgroup = %d, want none", c)
	}
	if c := containerCeiling(func() (uint64, error) { panic("odd mountinfo") }); c != 0 {
		t.Errorf("ceiling after a panicking reader = %d, want none", c)
	}
	ceiling := Ceiling(1 << 30)
	if got := Limit(100<<20, ceiling); got != 200<<20+128<<20 {
		t.Errorf("Limit below the ceiling = %d, want twice the live heap and the slack", got)
	}
	if got := Limit(600<<20, ceiling); got != ceiling {
		t.Errorf("Limit above the ceiling = %d, want the ceiling %d", got, ceiling)
	}
}

// The limit follows the live heap from one collection to the next, above
// it at every size.
func TestLimitFollowsLiveHeap(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT is set: the pace is the environment's")
	}
	if ceiling > 0 && ceiling < 3*128<<20 {
		t.Skip("the container's memory limit is below what the test holds")
	}
	defer debug.SetMemoryLimit(math.MaxInt64)
	held := make([]byte, 128<<20)
	for i := range held {
		held[i] = 1
	}
	limit := waitLimit(t, func(l int64) bool { return l > 2*128<<20 })
	runtime.KeepAlive(held)
	held = nil
	waitLimit(t, func(l int64) bool { return l < limit-100<<20 })
}

// waitLimit collects until the memory limit satisfies ok (finalizers run
// after the collection, on their own goroutine) and returns it.
func waitLimit(t *testing.T, ok func(int64) bool) int64 {
	t.Helper()
	for range 50 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		if l := debug.SetMemoryLimit(-1); ok(l) {
			return l
		}
	}
	t.Fatalf("memory limit %d after 50 collections", debug.SetMemoryLimit(-1))
	return 0
}
