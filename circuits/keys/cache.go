package keys

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/consensys/gnark/constraint"

	"github.com/sheafrollup/sheaf/protocol"
)

// CacheDir is where development keys are cached: $SHEAF_KEY_CACHE, else the
// user cache directory.
func CacheDir() string {
	if d := os.Getenv("SHEAF_KEY_CACHE"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		d = os.TempDir()
	}
	return filepath.Join(d, "sheaf", "keys")
}

// Cached returns development keys for ccs from the cache keyed by the
// circuit's hash, running the setup once. An exclusive file lock makes
// concurrent test processes wait instead of running the setup twice.
func Cached(ctx context.Context, cfg protocol.Config, ccs constraint.ConstraintSystem, opt SetupOptions) (*Set, error) {
	hash, err := CircuitHash(ccs)
	if err != nil {
		return nil, err
	}
	root := CacheDir()
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("key cache: %w", err)
	}
	dir := filepath.Join(root, hash)
	lock, err := os.OpenFile(dir+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("key cache lock: %w", err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return nil, fmt.Errorf("key cache lock: %w", err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) //nolint:errcheck
	if m, err := ReadMeta(dir); err == nil && m.CircuitHash == hash {
		return loadFiles(dir, m)
	}
	opt.Force = true // a partial set without meta.json is stale
	return Setup(ctx, cfg, ccs, dir, opt)
}
