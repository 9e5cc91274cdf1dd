package cputime

import "time"

// rusageThread is Linux's RUSAGE_THREAD.
const rusageThread = 1

// Thread returns the calling OS thread's CPU time; the caller holds
// runtime.LockOSThread across the two reads it subtracts.
func Thread() time.Duration { return rusage(rusageThread) }

// ThreadSupported reports whether Thread measures anything here.
const ThreadSupported = true
