//go:build unix

package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// runAs is the unprivileged OS user that runs initdb and the server when
// this process is root (both refuse to run as root).
type runAs struct {
	name     string
	uid, gid uint32
	groups   []uint32
}

func isRoot() bool { return os.Geteuid() == 0 }

func lookupRunAs(name string) (*runAs, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: running as root, and initdb and postgres refuse to run as root; "+
			"they run as OS user %q, which cannot be looked up (%v): install the postgresql package "+
			"(it creates that user), create it with `useradd --system %s`, set Options.RunAs, or run as an ordinary user",
			name, err, name)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: user %q: uid %q: %w", name, u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: user %q: gid %q: %w", name, u.Gid, err)
	}
	if uid == 0 {
		return nil, fmt.Errorf("pgcluster: Options.RunAs user %q is root; initdb and postgres refuse to run as root", name)
	}
	r := &runAs{name: name, uid: uint32(uid), gid: uint32(gid)}
	if ids, err := u.GroupIds(); err == nil {
		for _, s := range ids {
			if g, err := strconv.ParseUint(s, 10, 32); err == nil {
				r.groups = append(r.groups, uint32(g))
			}
		}
	}
	return r, nil
}

func (r *runAs) sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: r.uid, Gid: r.gid, Groups: r.groups}}
}

func (r *runAs) chown(path string) error {
	if err := os.Chown(path, int(r.uid), int(r.gid)); err != nil {
		return fmt.Errorf("pgcluster: chown %s to %s: %w", path, r.name, err)
	}
	return nil
}

func (r *runAs) inGroup(gid uint32) bool {
	if gid == r.gid {
		return true
	}
	for _, g := range r.groups {
		if g == gid {
			return true
		}
	}
	return false
}

// checkTraversable reports whether r may reach dir: search (x) permission
// on every directory from / down to dir itself. It reads mode bits only
// (no ACLs), which is what a throw-away cluster under /tmp or a devnet
// directory needs.
func (r *runAs) checkTraversable(dir string) error {
	dir = filepath.Clean(dir)
	var chain []string
	for d := dir; ; d = filepath.Dir(d) {
		chain = append(chain, d)
		if d == filepath.Dir(d) {
			break
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		d := chain[i]
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return nil
		}
		mode := uint32(fi.Mode().Perm())
		var need uint32
		switch {
		case st.Uid == r.uid:
			need = 0o100
		case r.inGroup(st.Gid):
			need = 0o010
		default:
			need = 0o001
		}
		if mode&need == 0 {
			return fmt.Errorf("pgcluster: %s is not reachable by OS user %s, which runs the server "+
				"because this process is root: %s has mode %04o and owner %d:%d; "+
				"choose a directory whose parents are all searchable (e.g. chmod o+x %s) or leave Options.Dir empty",
				dir, r.name, d, mode, st.Uid, st.Gid, d)
		}
	}
	return nil
}

// processAlive reports whether a process with this id exists (a zombie
// counts as alive here; see serverPID).
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
