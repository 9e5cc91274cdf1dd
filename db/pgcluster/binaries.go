package pgcluster

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// FallbackGlob is where FindBinaries looks when PATH lacks initdb or
// pg_ctl: where Debian and Ubuntu install the server binaries of each major
// version (not on an ordinary user's PATH there). Point it elsewhere for
// another layout (RHEL: /usr/pgsql-*/bin) or, in tests, at nothing.
var FallbackGlob = "/usr/lib/postgresql/*/bin"

// FindBinaries locates initdb and pg_ctl: on PATH first, then in the
// highest-versioned /usr/lib/postgresql/*/bin that holds both. Its error
// names the missing programs and how to install them.
func FindBinaries() (initdb, pgctl string, err error) {
	return findBinaries(FallbackGlob)
}

func findBinaries(glob string) (initdb, pgctl string, err error) {
	i, ierr := exec.LookPath("initdb")
	p, perr := exec.LookPath("pg_ctl")
	if ierr == nil && perr == nil {
		// Prefer the pg_ctl that sits next to initdb, so that the two
		// always come from one installation when PATH holds several.
		if sib := filepath.Join(filepath.Dir(i), "pg_ctl"); isExecutable(sib) {
			p = sib
		}
		return i, p, nil
	}
	if dir := bestFallbackDir(glob); dir != "" {
		return filepath.Join(dir, "initdb"), filepath.Join(dir, "pg_ctl"), nil
	}
	var missing []string
	if ierr != nil {
		missing = append(missing, "initdb")
	}
	if perr != nil {
		missing = append(missing, "pg_ctl")
	}
	if len(missing) == 0 { // unreachable, but keep the message honest
		missing = []string{"initdb", "pg_ctl"}
	}
	return "", "", fmt.Errorf("pgcluster: PostgreSQL server binaries not found: %s "+
		"(looked on PATH and in %s); install the PostgreSQL server "+
		"(Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql@15) "+
		"or put the directory holding initdb and pg_ctl on PATH",
		strings.Join(missing, ", "), glob)
}

// bestFallbackDir returns the directory matched by glob with the highest
// version number that holds both initdb and pg_ctl, or "".
func bestFallbackDir(glob string) string {
	dirs, _ := filepath.Glob(glob)
	type cand struct {
		dir string
		ver []int
	}
	var cands []cand
	for _, d := range dirs {
		if !isExecutable(filepath.Join(d, "initdb")) || !isExecutable(filepath.Join(d, "pg_ctl")) {
			continue
		}
		cands = append(cands, cand{d, versionOf(d)})
	}
	if len(cands) == 0 {
		return ""
	}
	sort.Slice(cands, func(a, b int) bool { return lessVersion(cands[b].ver, cands[a].ver) })
	return cands[0].dir
}

// fallbackDirForVersion returns the directory matched by glob for a major
// version ("15"), or "" if none holds both programs.
func fallbackDirForVersion(glob, major string) string {
	dirs, _ := filepath.Glob(glob)
	for _, d := range dirs {
		v := versionOf(d)
		if len(v) == 0 || (strconv.Itoa(v[0]) != major && joinVersion(v) != major) {
			continue
		}
		if isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "pg_ctl")) {
			return d
		}
	}
	return ""
}

// versionOf extracts the version from a path like /usr/lib/postgresql/9.6/bin:
// the first path element (from the end) that parses as dotted numbers.
func versionOf(dir string) []int {
	for d := dir; d != "/" && d != "." && d != ""; d = filepath.Dir(d) {
		base := filepath.Base(d)
		parts := strings.Split(base, ".")
		v := make([]int, 0, len(parts))
		for _, p := range parts {
			n, err := strconv.Atoi(p)
			if err != nil {
				v = nil
				break
			}
			v = append(v, n)
		}
		if len(v) > 0 {
			return v
		}
	}
	return nil
}

func joinVersion(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ".")
}

func lessVersion(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	if err != nil {
		return false
	}
	return !fi.IsDir() && fi.Mode().Perm()&0o111 != 0
}
