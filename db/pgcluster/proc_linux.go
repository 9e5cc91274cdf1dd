package pgcluster

import (
	"os"
	"path/filepath"
	"strconv"
)

// processesInDir lists the live processes whose working directory is dir.
// The postmaster and every backend chdir into the data directory, so this
// finds a running server (or the orphaned backends of a killed postmaster)
// exactly, where a pid from postmaster.pid alone may name a zombie or an
// unrelated process that reused the id. ok is false where /proc is
// unavailable. Processes of other users are invisible to an ordinary user,
// but those cannot serve a data directory this user owns.
func processesInDir(dir string) (pids []int, ok bool) {
	want, err := filepath.EvalSymlinks(dir)
	if err != nil {
		want = dir
	}
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil, false
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cwd, err := os.Readlink("/proc/" + e.Name() + "/cwd") // fails for zombies
		if err != nil || cwd != want {
			continue
		}
		pids = append(pids, pid)
	}
	return pids, true
}
