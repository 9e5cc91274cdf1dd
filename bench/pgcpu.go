package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTick is Linux's USER_HZ, the unit of /proc/<pid>/stat's times: 100
// on every architecture Go supports (the kernel's HZ may differ; USER_HZ
// does not).
const clockTick = 10 * time.Millisecond

// clusterCPU returns the CPU time a local PostgreSQL server has used: the
// postmaster's own and that of its exited children (reaped: cutime and
// cstime), plus every live child's (backends, WAL writer, checkpointer,
// autovacuum). A child that exits between two readings moves from one sum
// to the other, so differences over a run are right to a tick or so per
// exited process. Linux only; elsewhere it reports an error.
func clusterCPU(postmaster int) (time.Duration, error) {
	f, err := procStat(postmaster)
	if err != nil {
		return 0, err
	}
	total := f[11] + f[12] + f[13] + f[14] // utime stime cutime cstime
	dirs, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		return 0, err
	}
	for _, d := range dirs {
		pid, err := strconv.Atoi(filepath.Base(filepath.Dir(d)))
		if err != nil || pid == postmaster {
			continue
		}
		c, err := procStat(pid)
		if err != nil || c[1] != int64(postmaster) { // gone, or not a child
			continue
		}
		total += c[11] + c[12]
	}
	return time.Duration(total) * clockTick, nil
}

// procStat returns /proc/<pid>/stat's numeric fields after the command
// name, as numbers: index 0 is the state (0), 1 the parent pid, 11 utime
// and so on (proc(5)'s field n is index n-3).
func procStat(pid int) ([]int64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, err
	}
	s := string(raw)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	fields := strings.Fields(s[i+1:])
	if len(fields) < 15 {
		return nil, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields))
	}
	out := make([]int64, len(fields))
	for k, v := range fields {
		out[k], _ = strconv.ParseInt(v, 10, 64) // the state letter reads as 0
	}
	return out, nil
}
