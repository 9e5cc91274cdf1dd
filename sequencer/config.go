// Package sequencer accepts signed transactions, keeps them durably in
// PostgreSQL and cuts them into batches carrying the full circuit witness.
// One sequencer is active per database: it holds a PostgreSQL advisory lock
// on the connection through which it makes every write, so a second
// instance waits as a hot standby and takes over when the first dies.
package sequencer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/dafee"
	"github.com/sheafrollup/sheaf/protocol"
)

// DAChooser picks the data-availability mode of each batch of an auto
// deployment (protocol.DAAuto) when it is sealed: protocol.DACalldata (or
// "") or protocol.DABlob, for a batch of cfg (the deployment's
// configuration) holding transfers transfers whose compact transfer
// section — what calldata mode puts in calldata and blob mode in the
// blob — is section (the batch's own bytes: read them, never change or
// keep them). The sealer calls it from one goroutine. An error, or
// any other answer, seals the batch as calldata (logged): every auto
// deployment accepts both, and sealing must not stop on an L1 price feed.
type DAChooser interface {
	ChooseDA(ctx context.Context, cfg protocol.Config, transfers int, section []byte) (string, error)
}

var _ DAChooser = (*dafee.Chooser)(nil)

// Rollup is the sequencer's view of the rollup contract, the source of
// truth for everything a batch header depends on besides the state: its
// fixed settings (checked against Config at start; the genesis fee key)
// and the batch parameters (the fee account) as of a final L1 block.
type Rollup interface {
	Settings(ctx context.Context) (*l1.Settings, error)
	BatchParams(ctx context.Context) (l1.BatchParams, error)
}

var (
	_ Rollup = (*l1.Reader)(nil)
	_ Rollup = (*l1.Fixed)(nil)
)

// Config of the sequencer.
type Config struct {
	// Circuit, ChainID and Contract must be the rollup contract's: Start
	// refuses to run otherwise. Circuit is the deployment's configuration:
	// with DA protocol.DAAuto each batch is sealed in one of its Modes,
	// the one DAChooser picks, and its row and witness carry that one.
	Circuit  protocol.Config
	ChainID  uint64
	Contract [20]byte
	// Rollup reads the contract (l1.NewReader); New requires it.
	Rollup Rollup
	// DAChooser picks each batch's mode in an auto deployment
	// (dafee.Chooser in production); New requires it there and ignores it
	// otherwise.
	DAChooser DAChooser
	// L1PollInterval is how often the batch parameters are re-read.
	L1PollInterval time.Duration

	BatchDelay time.Duration // seal a non-empty batch at most this long after its first operation
	// SealInterval is the least time between two batches (0: seal every
	// full batch at once). Sealing costs ≈40–90 µs of CPU per transfer;
	// setting this near the prover pool's pace spares even that for
	// batches no prover can take yet.
	SealInterval time.Duration
	GroupMax     int           // transactions per group commit
	GroupWait    time.Duration // how long the writer waits to fill a group
	PollInterval time.Duration // deposit table poll (LISTEN/NOTIFY also wakes it)
	MaxPending   int           // accepted but unsealed transactions before new ones are refused
	// ProofRewind bounds sheaf_getAccountProof at an older batch: served
	// while at most this many account states were written after it (the
	// work grows with them; docs/sequencer.md, Account history).
	ProofRewind int

	// PriorityMargin: a batch is sealed (an otherwise empty one too) once
	// the oldest unsealed priority-queue entry, deposit or forced exit, is
	// this close to its L1 expiry, after which anyone could start exodus
	// mode. 0: half the contract's priority expiry.
	PriorityMargin time.Duration
	// Clock tells the time the L1 expiries are compared with (nil:
	// time.Now; tests inject one).
	Clock func() time.Time

	MinTransferFee   uint256.Int
	MinWithdrawalFee uint256.Int

	// LockKey is the advisory lock that elects the active sequencer.
	LockKey int64
}

// DefaultConfig has production-like timing; Circuit, ChainID, Contract and
// Rollup must be set.
var DefaultConfig = Config{
	L1PollInterval: 2 * time.Second,
	BatchDelay:     5 * time.Second,
	GroupMax:       512,
	GroupWait:      2 * time.Millisecond,
	PollInterval:   time.Second,
	MaxPending:     1_000_000,
	ProofRewind:    16_384,
	LockKey:        0x5e4f_0001,
}

// Check validates the configuration.
func (c Config) Check() error {
	if err := c.Circuit.Check(); err != nil {
		return err
	}
	switch {
	case c.Circuit.Transfers == 0 && c.Circuit.Withdrawals == 0:
		return errors.New("sequencer: circuit has no transaction slots")
	case c.L1PollInterval <= 0:
		return errors.New("sequencer: L1 poll interval must be positive")
	case c.BatchDelay <= 0:
		return errors.New("sequencer: batch delay must be positive")
	case c.SealInterval < 0:
		return errors.New("sequencer: seal interval must not be negative")
	case c.GroupMax <= 0 || c.GroupWait < 0:
		return errors.New("sequencer: group commit needs GroupMax > 0 and GroupWait >= 0")
	case c.PollInterval <= 0:
		return errors.New("sequencer: poll interval must be positive")
	case c.MaxPending <= 0:
		return errors.New("sequencer: MaxPending must be positive")
	case c.ProofRewind < 0:
		return errors.New("sequencer: ProofRewind must not be negative")
	case c.PriorityMargin < 0:
		return errors.New("sequencer: priority margin must not be negative (0: half the contract's priority expiry)")
	}
	for _, f := range []*uint256.Int{&c.MinTransferFee, &c.MinWithdrawalFee} {
		if _, err := protocol.FeeFloat.Encode(f); err != nil {
			return fmt.Errorf("sequencer: minimum fee: %w", err)
		}
	}
	return nil
}
