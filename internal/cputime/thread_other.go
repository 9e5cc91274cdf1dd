//go:build !linux

package cputime

import "time"

// Thread is not measured outside Linux: it returns 0.
func Thread() time.Duration { return 0 }

// ThreadSupported reports whether Thread measures anything here.
const ThreadSupported = false
