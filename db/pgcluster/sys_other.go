//go:build !unix

package pgcluster

import (
	"errors"
	"syscall"
)

type runAs struct{ name string }

func isRoot() bool { return false }

func lookupRunAs(name string) (*runAs, error) {
	return nil, errors.New("pgcluster: running the server as another user is only supported on Unix")
}

func (r *runAs) sysProcAttr() *syscall.SysProcAttr { return nil }
func (r *runAs) chown(string) error                { return nil }
func (r *runAs) checkTraversable(string) error     { return nil }
func processAlive(pid int) bool                    { return false }

type watchdog struct{}

func startWatchdog(string, ...string) (*watchdog, error) { return nil, nil }
func (d *watchdog) release()                             {}
