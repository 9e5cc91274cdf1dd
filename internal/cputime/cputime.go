//go:build unix

// Package cputime reads CPU time (user + system) of the calling thread and
// of the process, for measurements that must not count wall time a busy
// machine's neighbours take.
package cputime

import (
	"syscall"
	"time"
)

// Process returns the CPU time the whole process has used.
func Process() time.Duration { return rusage(syscall.RUSAGE_SELF) }

func rusage(who int) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
