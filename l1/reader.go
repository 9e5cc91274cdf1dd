package l1

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"sync"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
)

// ReadBackend is what reading the rollup needs from an L1 client;
// *ethclient.Client and the simulated backend's client implement it.
type ReadBackend interface {
	ChainID(ctx context.Context) (*big.Int, error)
	CodeAt(ctx context.Context, account common.Address, block *big.Int) ([]byte, error)
	CallContract(ctx context.Context, msg ethereum.CallMsg, block *big.Int) ([]byte, error)
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
}

// Finality names the L1 block a service treats as final: the node's
// `finalized` block (Ethereum finality, ≈13 minutes), or head −
// Confirmations for a node without one (devnets) or when asked.
type Finality struct {
	Finalized bool
	// Confirmations: head − Confirmations is final when Finalized is off,
	// and the fallback when the node has no finalized block.
	Confirmations uint64
}

// FallbackConfirmations is head − 64 (two Ethereum epochs) for nodes
// without a `finalized` block.
const FallbackConfirmations = 64

// DefaultFinality is the node's finalized block.
var DefaultFinality = Finality{Finalized: true, Confirmations: FallbackConfirmations}

// ParseFinality reads a flag value: "finalized" or a number of
// confirmations (blocks on top; 0 is the head).
func ParseFinality(s string) (Finality, error) {
	if s == "finalized" {
		return DefaultFinality, nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return Finality{}, fmt.Errorf("%q is neither \"finalized\" nor a number of confirmations", s)
	}
	return Finality{Confirmations: n}, nil
}

func (f Finality) String() string {
	if f.Finalized {
		return "finalized"
	}
	return strconv.FormatUint(f.Confirmations, 10)
}

// FinalHeader returns the latest block f treats as final.
func FinalHeader(ctx context.Context, c interface {
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
}, f Finality) (*types.Header, error) {
	if f.Finalized {
		h, err := c.HeaderByNumber(ctx, big.NewInt(int64(rpc.FinalizedBlockNumber)))
		if err == nil && h != nil {
			return h, nil
		}
		// No finalized block (an older node, a devnet without a beacon
		// chain): fall back to a fixed depth below the head.
	}
	head, err := c.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("L1 head: %w", err)
	}
	if f.Confirmations == 0 {
		return head, nil
	}
	if head.Number.Uint64() <= f.Confirmations {
		return c.HeaderByNumber(ctx, big.NewInt(0))
	}
	return c.HeaderByNumber(ctx, new(big.Int).SetUint64(head.Number.Uint64()-f.Confirmations))
}

// Settings are the rollup contract's fixed settings, read from the chain.
type Settings struct {
	ChainID  uint64
	Rollup   common.Address
	Verifier common.Address
	// BlobVerifier verifies blob batches: Verifier in blob mode, the blob
	// twin's verifier in auto mode, zero in calldata mode.
	BlobVerifier common.Address
	// ExitVerifier verifies exit proofs in exodus mode.
	ExitVerifier common.Address
	// PriorityExpiry is how long, in seconds, a queue entry may wait.
	PriorityExpiry uint64
	Circuit        protocol.Config
	GenesisRoot    [32]byte
	FeeKey         protocol.PublicKey // account 1 of the genesis state
	ChangeDelay    uint64
}

// GenesisState is the protocol's genesis state for these settings; it
// fails when the contract's genesis root is not that state's (a rollup
// deployed on other genesis accounts).
func (s *Settings) GenesisState() (*protocol.State, error) {
	st, err := protocol.GenesisState(s.Circuit, s.ChainID, s.Rollup, s.FeeKey)
	if err != nil {
		return nil, err
	}
	if r := st.Root(); r.Bytes() != s.GenesisRoot {
		return nil, fmt.Errorf("%w: the rollup's genesis root %x is not the genesis state of fee key %x (%x)",
			ErrMismatch, s.GenesisRoot, s.FeeKey.Bytes(), r.Bytes())
	}
	return st, nil
}

// BatchParams are the contract's settings that a batch's header depends on
// (today the fee account), as of a final L1 block.
type BatchParams struct {
	Block              uint64 // the L1 block they were read at
	LastBatch          uint64
	FeeAccount         uint32 // in force before NextFeeAccountFrom
	NextFeeAccount     uint32
	NextFeeAccountFrom uint64 // 0: no change scheduled
	ChangeDelay        uint64
}

// FeeAccountAt is the fee account batch n must name (the contract's
// feeAccountAt). It is settled for n ≤ SealLimit: a change announced
// after Block takes effect later.
func (p BatchParams) FeeAccountAt(n uint64) uint32 {
	if p.NextFeeAccountFrom != 0 && n >= p.NextFeeAccountFrom {
		return p.NextFeeAccount
	}
	return p.FeeAccount
}

// SealLimit is the highest batch number whose parameters no later L1
// transaction can change: a change announced at or after Block (when at
// least LastBatch batches are accepted) takes effect from LastBatch + 1 +
// ChangeDelay on. The sequencer seals no batch above it.
func (p BatchParams) SealLimit() uint64 {
	if p.LastBatch > ^uint64(0)-p.ChangeDelay {
		return ^uint64(0)
	}
	return p.LastBatch + p.ChangeDelay
}

// ErrMismatch: a deployment file, a service's configuration and the
// contract disagree.
var ErrMismatch = errors.New("configuration does not match the rollup contract")

// Reader reads the rollup contract: its fixed settings and its batch
// parameters as of the final block.
type Reader struct {
	c        ReadBackend
	addr     common.Address
	from     uint64 // the deployment block: reads never go below it
	finality Finality
	r        *bindings.Rollup
}

// NewReader reads the rollup at addr, deployed in block deployBlock.
func NewReader(c ReadBackend, addr common.Address, deployBlock uint64, f Finality) *Reader {
	return &Reader{c: c, addr: addr, from: deployBlock, finality: f, r: bindings.NewRollup()}
}

// Address is the rollup's.
func (r *Reader) Address() common.Address { return r.addr }

// call makes one eth_call at block (nil: latest) and unpacks it.
func call[T any](ctx context.Context, r *Reader, block *big.Int, name string, data []byte, unpack func([]byte) (T, error)) (T, error) {
	var zero T
	out, err := r.c.CallContract(ctx, ethereum.CallMsg{To: &r.addr, Data: data}, block)
	if err != nil {
		return zero, fmt.Errorf("read %s from the rollup %s: %w", name, r.addr, err)
	}
	v, err := unpack(out)
	if err != nil {
		return zero, fmt.Errorf("read %s from %s: %w (is it a Sheaf rollup of this version?)", name, r.addr, err)
	}
	return v, nil
}

// Settings reads the fixed settings (at the latest block).
func (r *Reader) Settings(ctx context.Context) (*Settings, error) {
	id, err := r.c.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("L1 chain id: %w", err)
	}
	if !id.IsUint64() {
		return nil, fmt.Errorf("L1 chain id %s does not fit 64 bits", id)
	}
	code, err := r.c.CodeAt(ctx, r.addr, nil)
	if err != nil {
		return nil, fmt.Errorf("code of the rollup %s: %w", r.addr, err)
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("%w: no contract at %s on chain %d", ErrMismatch, r.addr, id)
	}
	s := &Settings{ChainID: id.Uint64(), Rollup: r.addr}
	b := r.r
	steps := []func() error{
		func() (err error) {
			s.Verifier, err = call(ctx, r, nil, "verifier", b.PackVerifier(), b.UnpackVerifier)
			return
		},
		func() error {
			v, err := call(ctx, r, nil, "depth", b.PackDepth(), b.UnpackDepth)
			s.Circuit.Depth = int(v)
			return err
		},
		func() error {
			v, err := call(ctx, r, nil, "depositSlots", b.PackDepositSlots(), b.UnpackDepositSlots)
			s.Circuit.Deposits = int(v)
			return err
		},
		func() error {
			v, err := call(ctx, r, nil, "transferSlots", b.PackTransferSlots(), b.UnpackTransferSlots)
			s.Circuit.Transfers = int(v)
			return err
		},
		func() error {
			v, err := call(ctx, r, nil, "withdrawalSlots", b.PackWithdrawalSlots(), b.UnpackWithdrawalSlots)
			s.Circuit.Withdrawals = int(v)
			return err
		},
		func() error {
			v, err := call(ctx, r, nil, "forcedExitSlots", b.PackForcedExitSlots(), b.UnpackForcedExitSlots)
			s.Circuit.ForcedExits = int(v)
			return err
		},
		func() error {
			m, err := call(ctx, r, nil, "daMode", b.PackDaMode(), b.UnpackDaMode)
			switch {
			case err != nil:
			case m == daModeBlob:
				s.Circuit.DA = protocol.DABlob
			case m == daModeAuto:
				s.Circuit.DA = protocol.DAAuto
			case m != daModeCalldata:
				err = fmt.Errorf("%w: the rollup %s has data-availability mode %d", ErrMismatch, r.addr, m)
			}
			return err
		},
		func() (err error) {
			s.BlobVerifier, err = call(ctx, r, nil, "blobVerifier", b.PackBlobVerifier(), b.UnpackBlobVerifier)
			return
		},
		func() (err error) {
			s.ExitVerifier, err = call(ctx, r, nil, "exitVerifier", b.PackExitVerifier(), b.UnpackExitVerifier)
			return
		},
		func() (err error) {
			s.PriorityExpiry, err = call(ctx, r, nil, "priorityExpiry", b.PackPriorityExpiry(), b.UnpackPriorityExpiry)
			return
		},
		func() (err error) {
			s.GenesisRoot, err = call(ctx, r, nil, "genesisRoot", b.PackGenesisRoot(), b.UnpackGenesisRoot)
			return
		},
		func() (err error) {
			s.ChangeDelay, err = call(ctx, r, nil, "changeDelay", b.PackChangeDelay(), b.UnpackChangeDelay)
			return
		},
		func() error {
			x, err := call(ctx, r, nil, "genesisFeeKeyX", b.PackGenesisFeeKeyX(), b.UnpackGenesisFeeKeyX)
			if err != nil {
				return err
			}
			y, err := call(ctx, r, nil, "genesisFeeKeyY", b.PackGenesisFeeKeyY(), b.UnpackGenesisFeeKeyY)
			if err != nil {
				return err
			}
			if s.FeeKey, err = publicKeyFromInts(x, y); err != nil {
				return fmt.Errorf("the rollup's genesis fee key: %w", err)
			}
			return nil
		},
	}
	for _, f := range steps {
		if err := f(); err != nil {
			return nil, err
		}
	}
	if err := s.Circuit.Check(); err != nil {
		return nil, fmt.Errorf("the rollup's circuit configuration: %w", err)
	}
	return s, nil
}

func publicKeyFromInts(x, y *big.Int) (protocol.PublicKey, error) {
	var pk protocol.PublicKey
	if x.BitLen() > 256 || y.BitLen() > 256 {
		return pk, errors.New("coordinate too large")
	}
	if err := pk.X.SetBytesCanonical(common.LeftPadBytes(x.Bytes(), 32)); err != nil {
		return pk, err
	}
	if err := pk.Y.SetBytesCanonical(common.LeftPadBytes(y.Bytes(), 32)); err != nil {
		return pk, err
	}
	return pk, pk.ValidateDepositKey()
}

// Sequencer is the address allowed to submit batches now.
func (r *Reader) Sequencer(ctx context.Context) (common.Address, error) {
	return call(ctx, r, nil, "sequencer", r.r.PackSequencer(), r.r.UnpackSequencer)
}

// BlobSequencer is the second address allowed to submit blob batches now
// (auto mode; zero otherwise).
func (r *Reader) BlobSequencer(ctx context.Context) (common.Address, error) {
	return call(ctx, r, nil, "blobSequencerAddress", r.r.PackBlobSequencerAddress(), r.r.UnpackBlobSequencerAddress)
}

// BatchParams reads the batch parameters at the final block (never below
// the deployment block: before it is final, the deployment's own values
// apply, and a reorg that removes the deployment removes the rollup).
func (r *Reader) BatchParams(ctx context.Context) (BatchParams, error) {
	h, err := FinalHeader(ctx, r.c, r.finality)
	if err != nil {
		return BatchParams{}, err
	}
	n := h.Number.Uint64()
	if n < r.from {
		n = r.from
	}
	block := new(big.Int).SetUint64(n)
	p := BatchParams{Block: n}
	b := r.r
	if p.LastBatch, err = call(ctx, r, block, "lastBatch", b.PackLastBatch(), b.UnpackLastBatch); err != nil {
		return p, err
	}
	if p.FeeAccount, err = call(ctx, r, block, "feeAccount", b.PackFeeAccount(), b.UnpackFeeAccount); err != nil {
		return p, err
	}
	if p.NextFeeAccount, err = call(ctx, r, block, "nextFeeAccount", b.PackNextFeeAccount(), b.UnpackNextFeeAccount); err != nil {
		return p, err
	}
	if p.NextFeeAccountFrom, err = call(ctx, r, block, "nextFeeAccountFrom", b.PackNextFeeAccountFrom(), b.UnpackNextFeeAccountFrom); err != nil {
		return p, err
	}
	if p.ChangeDelay, err = call(ctx, r, block, "changeDelay", b.PackChangeDelay(), b.UnpackChangeDelay); err != nil {
		return p, err
	}
	return p, nil
}

// Fixed is a rollup view that changes only when told: for tests and
// benchmarks that run a sequencer without an L1 chain.
type Fixed struct {
	mu       sync.Mutex
	settings Settings
	params   BatchParams
}

// NewFixed is the view of a fresh deployment on chainID at contract with
// fee key feeKey whose fee account never changes.
func NewFixed(cfg protocol.Config, chainID uint64, contract common.Address, feeKey protocol.PublicKey) (*Fixed, error) {
	root, err := protocol.GenesisRoot(cfg, feeKey)
	if err != nil {
		return nil, err
	}
	const never = 1 << 62 // no fee-account change can take effect: seal without a limit
	return &Fixed{
		settings: Settings{ChainID: chainID, Rollup: contract, Circuit: cfg, GenesisRoot: root.Bytes(), FeeKey: feeKey, ChangeDelay: never},
		params:   BatchParams{FeeAccount: protocol.FeeAccountIndex, ChangeDelay: never},
	}, nil
}

// SetGenesisRoot replaces the genesis root (a database seeded with other
// genesis accounts, as benchmarks do).
func (f *Fixed) SetGenesisRoot(root [32]byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settings.GenesisRoot = root
}

// Settings returns the fixed settings.
func (f *Fixed) Settings(context.Context) (*Settings, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.settings
	return &s, nil
}

// BatchParams returns the parameters last set.
func (f *Fixed) BatchParams(context.Context) (BatchParams, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.params, nil
}

// SetBatchParams replaces the parameters.
func (f *Fixed) SetBatchParams(p BatchParams) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.params = p
}
