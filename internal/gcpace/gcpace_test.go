package gcpace

import (
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
		if got := Limit(c.live); got != c.want {
			t.Errorf("Limit(%d) = %d, want %d", c.live, got, c.want)
		}
	}
}

// The limit follows the live heap from one collection to the next, above
// it at every size.
func TestLimitFollowsLiveHeap(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT is set: the pace is the environment's")
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
