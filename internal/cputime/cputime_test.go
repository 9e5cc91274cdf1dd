package cputime

import (
	"runtime"
	"testing"
)

// TestThreadCountsWork: spinning on a locked thread advances both clocks
// (CPU time is counted in ticks, so the loop runs until it shows).
func TestThreadCountsWork(t *testing.T) {
	if !ThreadSupported {
		t.Skip("no per-thread CPU time on this platform")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0, p0 := Thread(), Process()
	x := 0
	for i := 0; Thread() == t0; i++ {
		x += i * i
	}
	if Process() <= p0 {
		t.Fatal("process CPU time did not advance")
	}
	_ = x
}
