//go:build unix

package pgcluster

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// watchdogScript waits for its stdin to close. "done" first means the
// owner stopped the cluster itself; EOF alone means the owner died (a
// panic, a test -timeout, SIGKILL): then it shuts the server down (SIGINT:
// fast shutdown) and removes the temporary directories. Paths come as
// arguments, so they need no quoting.
const watchdogScript = `
read -r msg
[ "$msg" = done ] && exit 0
data=$1; shift
i=0
while [ -f "$data/postmaster.pid" ] && [ $i -lt 300 ]; do
	pid=$(head -n 1 "$data/postmaster.pid")
	kill -INT "$pid" 2>/dev/null || break
	sleep 0.1
	i=$((i+1))
done
rm -rf "$@"
`

// watchdog stops a temporary cluster when this process ends without Stop.
// pg_ctl detaches the server, so without it every test binary that panics
// would leave a postgres and its temp directory behind.
type watchdog struct {
	w   *os.File
	cmd *exec.Cmd
}

func startWatchdog(dataDir string, remove ...string) (*watchdog, error) {
	r, w, err := os.Pipe() // close-on-exec: only the watchdog inherits r
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cmd := exec.Command("/bin/sh", append([]string{"-c", watchdogScript, "pgcluster-watchdog", dataDir}, remove...)...)
	cmd.Stdin = r
	// No stdout/stderr: `go test` waits for every holder of its pipes.
	// Own process group: ^C on the terminal reaches the owner, not this.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("pgcluster: start watchdog: %w", err)
	}
	go cmd.Wait() // reap it
	return &watchdog{w: w, cmd: cmd}, nil
}

// release tells the watchdog the owner cleaned up, and lets it exit.
func (d *watchdog) release() {
	if d == nil {
		return
	}
	d.w.Write([]byte("done\n"))
	d.w.Close()
}
