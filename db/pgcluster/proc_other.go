//go:build !linux

package pgcluster

// processesInDir is only implemented on Linux; elsewhere the caller falls
// back to the pid in postmaster.pid and PostgreSQL's own checks.
func processesInDir(string) ([]int, bool) { return nil, false }
