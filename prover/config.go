// Package prover is Sheaf's proof worker pool: workers on any number of
// machines claim sealed batches from PostgreSQL's proof_jobs table under a
// lease, prove them with Groth16 (CPU, or GPU through ICICLE), verify every
// proof locally and store it. PostgreSQL is the only coordinator; see
// docs/prover.md.
package prover

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/sheafrollup/sheaf/protocol"
)

// Backends.
const (
	BackendCPU = "cpu"
	BackendGPU = "gpu"
)

// Config of a prover pool.
type Config struct {
	// Circuits this process proves; a worker claims only batches whose
	// configuration is listed here (and whose keys are loaded). Each is
	// concrete: for an auto deployment, list its Modes() (a batch's row
	// names the mode it was sealed in).
	Circuits []protocol.Config
	// KeysDir holds the keys of each configuration, either in KeysDir
	// itself (one configuration) or in KeysDir/<config> as `sheaf setup`
	// writes them. Empty: development keys from keys.Cached (single-party
	// setup, run once per machine).
	KeysDir string
	// Workers proving concurrently in this process. Default 1: one
	// Groth16 proof already uses every core.
	Workers int
	// Lease is how long a claim holds a job without renewal; RenewEvery
	// how often a worker renews it while proving (default Lease/3).
	Lease      time.Duration
	RenewEvery time.Duration
	// MaxAttempts caps the attempts of a job (together with the row's own
	// max_attempts, the lower wins); then the job and its batch are failed.
	MaxAttempts int
	// PollInterval: how often idle workers look for work without a
	// notification, and how often the queue gauges are refreshed.
	PollInterval time.Duration
	// Backend is "cpu" (default) or "gpu" (needs a binary built with -tags icicle).
	Backend string
	// GPUDevice is the CUDA device id for the gpu backend.
	GPUDevice int
	// Owner identifies this process in leases (default hostname-pid);
	// worker i adds "-w<i>".
	Owner string
}

// DefaultConfig has the production defaults.
var DefaultConfig = Config{
	Workers:      1,
	Lease:        2 * time.Minute,
	MaxAttempts:  3,
	PollInterval: 5 * time.Second,
	Backend:      BackendCPU,
}

// withDefaults fills zero fields.
func (c Config) withDefaults() Config {
	d := DefaultConfig
	if c.Workers == 0 {
		c.Workers = d.Workers
	}
	if c.Lease == 0 {
		c.Lease = d.Lease
	}
	if c.RenewEvery == 0 {
		c.RenewEvery = c.Lease / 3
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = d.MaxAttempts
	}
	if c.PollInterval == 0 {
		c.PollInterval = d.PollInterval
	}
	if c.Backend == "" {
		c.Backend = d.Backend
	}
	if c.Owner == "" {
		h, err := os.Hostname()
		if err != nil || h == "" {
			h = "unknown"
		}
		c.Owner = fmt.Sprintf("%s-%d", h, os.Getpid())
	}
	return c
}

// Check validates the configuration (after defaults).
func (c Config) Check() error {
	c = c.withDefaults()
	switch {
	case len(c.Circuits) == 0:
		return errors.New("prover: at least one circuit configuration is required")
	case c.Workers < 1:
		return fmt.Errorf("prover: workers must be at least 1 (got %d)", c.Workers)
	case c.Lease < time.Second:
		return fmt.Errorf("prover: lease %s is shorter than 1s", c.Lease)
	case c.RenewEvery <= 0 || c.RenewEvery >= c.Lease:
		return fmt.Errorf("prover: renew interval %s must be positive and below the lease %s", c.RenewEvery, c.Lease)
	case c.MaxAttempts < 1:
		return fmt.Errorf("prover: max attempts must be at least 1 (got %d)", c.MaxAttempts)
	case c.PollInterval <= 0:
		return errors.New("prover: poll interval must be positive")
	case c.Backend != BackendCPU && c.Backend != BackendGPU:
		return fmt.Errorf("prover: backend %q is not cpu or gpu", c.Backend)
	case c.GPUDevice < 0:
		return errors.New("prover: GPU device id must not be negative")
	}
	seen := map[protocol.Config]bool{}
	for _, cc := range c.Circuits {
		if err := cc.Check(); err != nil {
			return fmt.Errorf("prover: %w", err)
		}
		if !cc.Concrete() {
			return fmt.Errorf("prover: %s is a deployment, not a circuit: list its modes (protocol.Config.Modes)", cc)
		}
		if seen[cc] {
			return fmt.Errorf("prover: circuit %s listed twice", cc)
		}
		seen[cc] = true
	}
	return nil
}
