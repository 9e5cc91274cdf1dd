package blobs

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// Config selects the blob sources of `sheaf audit` and `sheaf exit`
// (--blobs.dir, --l1.beacon, --l1.beacon-slot-seconds).
type Config struct {
	Dir            string // exported blobs (FileName layout); tried first
	Beacon         string // beacon node API URL; tried next
	SecondsPerSlot uint64 // 0: the node's SECONDS_PER_SLOT, else 12
	Timeout        time.Duration
}

// Check validates the configuration.
func (c Config) Check() error {
	if c.Beacon != "" {
		if err := (BeaconConfig{URL: c.Beacon, SecondsPerSlot: c.SecondsPerSlot, Timeout: c.Timeout}).Check(); err != nil {
			return err
		}
	} else if c.SecondsPerSlot != 0 {
		return errors.New("blobs: seconds per slot without a beacon URL")
	}
	if c.Dir != "" {
		fi, err := os.Stat(c.Dir)
		if err != nil {
			return fmt.Errorf("blobs: directory: %w", err)
		}
		if !fi.IsDir() {
			return fmt.Errorf("blobs: %s is not a directory", c.Dir)
		}
	}
	return nil
}

// Open returns the configured sources as a Chain: the directory first
// (local, and it outlives the beacon node's ~18-day window), then the
// beacon node. No source configured: nil (calldata-mode rollups need none).
func Open(c Config) (Source, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	var chain Chain
	if c.Dir != "" {
		d, err := NewDir(c.Dir)
		if err != nil {
			return nil, err
		}
		chain = append(chain, d)
	}
	if c.Beacon != "" {
		b, err := NewBeacon(BeaconConfig{URL: c.Beacon, SecondsPerSlot: c.SecondsPerSlot, Timeout: c.Timeout})
		if err != nil {
			return nil, err
		}
		chain = append(chain, b)
	}
	if len(chain) == 0 {
		return nil, nil
	}
	return chain, nil
}
