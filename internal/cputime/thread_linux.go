package cputime

import (
	"time"

	"golang.org/x/sys/unix"
)

// Thread returns the calling OS thread's CPU time; the caller holds
// runtime.LockOSThread across the two reads it subtracts. It reads
// CLOCK_THREAD_CPUTIME_ID, which the scheduler keeps in nanoseconds:
// RUSAGE_THREAD advances in ticks, so work shorter than a tick (a tiny
// batch sealed on a fast machine) would read as zero.
func Thread() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// ThreadSupported reports whether Thread measures anything here.
const ThreadSupported = true
