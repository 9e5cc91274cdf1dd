package cputime

import (
	"runtime"
	"testing"
)

// TestThreadCountsWork: spinning on a locked thread advances both clocks
// (the loop runs until the thread clock moves).
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

// TestThreadResolution: a few microseconds of work already show on the
// thread clock, so short seals are never measured as zero CPU.
func TestThreadResolution(t *testing.T) {
	if !ThreadSupported {
		t.Skip("no per-thread CPU time on this platform")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0 := Thread()
	x := 0
	for i := 0; i < 20000; i++ {
		x += i * i
	}
	if d := Thread() - t0; d <= 0 || d > 50_000_000 {
		t.Fatalf("20,000 multiplications took %v of thread CPU", d)
	}
	_ = x
}
