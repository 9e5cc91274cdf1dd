// Package childtest re-executes the running test binary as a child
// process, so tests can SIGKILL a real process (a sequencer, a prover) and
// watch what the survivors do. The child's test binary must divert to its
// own main from an init function when it sees its environment variable.
package childtest

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Child is a running child process; Lines carries its stdout, line by line.
type Child struct {
	cmd   *exec.Cmd
	Lines chan string
}

// Start runs the test binary with no tests selected and the extra
// environment ("KEY=value"); it is killed when the test ends.
func Start(t *testing.T, env ...string) *Child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &Child{cmd: cmd, Lines: make(chan string, 16)}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			c.Lines <- sc.Text()
		}
		close(c.Lines)
	}()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() }) //nolint:errcheck
	return c
}

// Await returns the first line starting with prefix; a line starting with
// "error" or the child's exit fails the test.
func (c *Child) Await(t *testing.T, prefix string, within time.Duration) string {
	t.Helper()
	timeout := time.After(within)
	for {
		select {
		case l, ok := <-c.Lines:
			if !ok {
				t.Fatalf("child exited before %q", prefix)
			}
			if strings.HasPrefix(l, "error") {
				t.Fatalf("child: %s", l)
			}
			if strings.HasPrefix(l, prefix) {
				return l
			}
		case <-timeout:
			t.Fatalf("child did not print %q within %s", prefix, within)
		}
	}
}

// Kill sends SIGKILL (no graceful shutdown) and waits for the exit.
func (c *Child) Kill() {
	c.cmd.Process.Signal(syscall.SIGKILL) //nolint:errcheck
	c.cmd.Wait()                          //nolint:errcheck
}
