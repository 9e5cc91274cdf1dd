// Package dafee chooses the data-availability mode of each batch of an
// `auto` deployment (docs/sequencer.md, "Data availability: auto"): it
// reads the L1 base fee and blob base fee and compares what the batch would
// cost as calldata (submitBatch) and as a blob (submitBlobBatch). The
// sequencer calls it at every seal through its DAChooser interface.
package dafee

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/sheafrollup/sheaf/protocol"
)

// Source reads the L1 fees: *ethclient.Client is one (the latest header's
// base fee and eth_blobBaseFee).
type Source interface {
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	BlobBaseFee(ctx context.Context) (*big.Int, error)
}

var _ Source = (*ethclient.Client)(nil)

// Fees are the L1 prices a choice is made with, in wei per gas and per blob
// gas.
type Fees struct {
	BaseFee     *big.Int
	BlobBaseFee *big.Int
}

// GasPerBlob is EIP-4844's blob gas per blob (2^17). A blob-mode batch
// posts exactly one blob (protocol.Config.Check).
const GasPerBlob = 131_072

// Model is the L1 gas of a batch in either mode. Both transactions also
// carry the batch's deposit, forced-exit and withdrawal sections and pay
// for their effects (a withdrawal's storage slot, the deposit queue) the
// same way, so only what differs is modelled: the transfer section's bytes
// in calldata, the fixed cost of each transaction, and one blob.
//
// The defaults are docs/benchmarks.md's "L1 gas in blob mode" run
// (2026-12-03, `sheaf bench l1 --da blob --depth 24`, real proofs, transfer
// slots only, both modes in one run, with the packed submitBlobBatch and
// the three-field BatchSubmitted). They are
// depth-24 figures of transfer-only batches on purpose: the ≈272k of
// submitBatch in docs/contracts.md is a depth-4 batch with a deposit and a
// withdrawal (a fresh pendingWithdrawals slot), costs blob mode would pay
// as well, so it would overstate calldata's fixed part against the blob
// figure by ≈30k.
type Model struct {
	// CalldataFixedGas is submitBatch's gas without its transfers: the
	// calldata fit's fixed part, 240,148 (intrinsic gas, proof and header
	// calldata, the Groth16 verification, storage, the event).
	CalldataFixedGas uint64
	// CalldataFixedTokens are the EIP-7623 tokens of that transaction's
	// calldata without the transfer section (fit: 1,692.13), for the floor.
	CalldataFixedTokens uint64
	// CalldataExecGasPerTransfer is execution gas per transfer beyond its
	// bytes' calldata gas (the copy into the hashed buffer, SHA-256's 12 gas
	// per word): the fit's execution gas per transfer, 6.55.
	CalldataExecGasPerTransfer uint64
	// BlobFixedGas is submitBlobBatch's gas, the same at every transfer
	// count (the contract never reads a transfer): 297,602 mean
	// (297,584–297,620; docs/contracts.md "Blob mode", gas per part).
	BlobFixedGas uint64
	// FloorGasPerToken is EIP-7623's TOTAL_COST_FLOOR_PER_TOKEN (10): a
	// transaction pays at least 21,000 + this × its calldata tokens.
	// EIP-7976 would raise it to 16.
	FloorGasPerToken uint64
}

// DefaultModel holds the measured figures (see Model).
var DefaultModel = Model{
	CalldataFixedGas:           240_148,
	CalldataFixedTokens:        1_692,
	CalldataExecGasPerTransfer: 7,
	BlobFixedGas:               297_602,
	FloorGasPerToken:           10,
}

// EIP-2028/7623 calldata pricing.
const (
	intrinsicGas      = 21_000
	standardTokenCost = 4 // gas per token: a zero byte is 1 token, another byte 4
	nonZeroTokens     = 4
)

// Tokens are the EIP-7623 calldata tokens of data.
func Tokens(data []byte) uint64 {
	var n uint64
	for _, b := range data {
		if b == 0 {
			n++
		} else {
			n += nonZeroTokens
		}
	}
	return n
}

// CalldataGas is submitBatch's gas for a batch whose transfer section
// (compact: the used slots, as the transaction carries it) is section,
// holding transfers transfers: the larger of the standard cost and the
// EIP-7623 floor.
func (m Model) CalldataGas(transfers int, section []byte) uint64 {
	tok := Tokens(section)
	standard := m.CalldataFixedGas + standardTokenCost*tok + m.CalldataExecGasPerTransfer*uint64(transfers)
	floor := intrinsicGas + m.FloorGasPerToken*(m.CalldataFixedTokens+tok)
	return max(standard, floor)
}

// Costs are what the batch would cost in wei as calldata (base fee ×
// CalldataGas) and as a blob (base fee × BlobFixedGas + blob base fee ×
// GasPerBlob). Priority fees are left out: per gas they are the same in
// both modes and small beside the difference that decides.
func (m Model) Costs(f Fees, transfers int, section []byte) (calldata, blob *big.Int) {
	calldata = new(big.Int).Mul(f.BaseFee, new(big.Int).SetUint64(m.CalldataGas(transfers, section)))
	blob = new(big.Int).Mul(f.BaseFee, new(big.Int).SetUint64(m.BlobFixedGas))
	blob.Add(blob, new(big.Int).Mul(f.BlobBaseFee, big.NewInt(GasPerBlob)))
	return calldata, blob
}

// Config of a Chooser.
type Config struct {
	Model
	// TTL is how long fees read from L1 are used before they are read
	// again (a failed read waits as long before the next try). Default
	// 12 s, one L1 slot: the base fee changes at most once per block.
	TTL time.Duration
	// Timeout bounds one read of both fees (it runs in the sealer's path).
	// Default 5 s.
	Timeout time.Duration
	// SwitchMarginPercent is how much cheaper the other mode must be before
	// the chooser leaves the mode of its previous batch. A switch is not
	// free: the two modes are sent by two keys, and a batch sent by the
	// other key waits for its predecessor's receipt (docs/l1.md, "Auto
	// mode"), so near the crossover a plain comparison would flap between
	// modes and stall the submitter at every flip. Default 10.
	SwitchMarginPercent uint64
}

// DefaultConfig is the production configuration.
var DefaultConfig = Config{Model: DefaultModel, TTL: 12 * time.Second, Timeout: 5 * time.Second, SwitchMarginPercent: 10}

// Check validates the configuration.
func (c Config) Check() error {
	switch {
	case c.TTL < 0:
		return errors.New("dafee: TTL must not be negative")
	case c.Timeout <= 0:
		return errors.New("dafee: timeout must be positive")
	case c.CalldataFixedGas < intrinsicGas || c.BlobFixedGas < intrinsicGas:
		return fmt.Errorf("dafee: fixed gas below the %d of any transaction (calldata %d, blob %d)", intrinsicGas, c.CalldataFixedGas, c.BlobFixedGas)
	case c.FloorGasPerToken == 0:
		return errors.New("dafee: floor gas per token must be positive (EIP-7623: 10)")
	case c.SwitchMarginPercent > 100:
		return fmt.Errorf("dafee: switch margin %d%% above 100%%", c.SwitchMarginPercent)
	}
	return nil
}

// Chooser picks the cheaper data-availability mode at the current L1
// fees. It is safe for concurrent use.
type Chooser struct {
	src Source
	cfg Config
	log *slog.Logger
	now func() time.Time

	mu      sync.Mutex
	fees    *Fees     // last fees read, nil before the first success
	readAt  time.Time // when fees were read
	triedAt time.Time // last read attempt, successful or not
	last    string    // the previous answer ("" before the first)
}

// New returns a chooser reading src. log may be nil.
func New(src Source, cfg Config, log *slog.Logger) (*Chooser, error) {
	if src == nil {
		return nil, errors.New("dafee: no fee source")
	}
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Chooser{src: src, cfg: cfg, log: log, now: time.Now}, nil
}

// ChooseDA returns protocol.DACalldata or protocol.DABlob for a batch of
// the auto deployment cfg with transfers transfers whose compact transfer
// section is section: the cheaper at the L1 fees (calldata on a tie). When
// the fees cannot be read it uses the last ones read; with none at all it
// answers calldata (logged), which every auto deployment accepts.
func (c *Chooser) ChooseDA(ctx context.Context, cfg protocol.Config, transfers int, section []byte) (string, error) {
	if !cfg.Auto() {
		return "", fmt.Errorf("dafee: %s is not an auto deployment", cfg)
	}
	f, age, ok := c.current(ctx)
	if !ok {
		return protocol.DACalldata, nil
	}
	cd, bl := c.cfg.Costs(f, transfers, section)
	c.mu.Lock()
	mode := c.cfg.choose(c.last, cd, bl)
	c.last = mode
	c.mu.Unlock()
	c.log.Debug("data-availability choice", "da", mode, "transfers", transfers, "section_bytes", len(section),
		"calldata_wei", cd, "blob_wei", bl, "calldata_gas", c.cfg.CalldataGas(transfers, section),
		"base_fee", f.BaseFee, "blob_base_fee", f.BlobBaseFee, "fees_age", age)
	return mode, nil
}

// choose picks the mode from both costs: the cheaper, except that leaving
// the previous mode last needs the other to be cheaper by the switch
// margin (ties go to calldata when nothing came before).
func (c Config) choose(last string, calldata, blob *big.Int) string {
	scaled := func(x *big.Int, pct uint64) *big.Int {
		return new(big.Int).Mul(x, new(big.Int).SetUint64(pct))
	}
	keep, other := uint64(100), 100+c.SwitchMarginPercent
	switch last {
	case protocol.DABlob: // calldata must beat blob by the margin
		if scaled(calldata, other).Cmp(scaled(blob, keep)) < 0 {
			return protocol.DACalldata
		}
		return protocol.DABlob
	case protocol.DACalldata:
		if scaled(blob, other).Cmp(scaled(calldata, keep)) < 0 {
			return protocol.DABlob
		}
		return protocol.DACalldata
	}
	if blob.Cmp(calldata) < 0 {
		return protocol.DABlob
	}
	return protocol.DACalldata
}

// Costs returns both modes' costs of the batch at the fees ChooseDA would
// use now (for logs and tests); ok is false when no fees are known.
func (c *Chooser) Costs(ctx context.Context, transfers int, section []byte) (calldata, blob *big.Int, ok bool) {
	f, _, ok := c.current(ctx)
	if !ok {
		return nil, nil, false
	}
	calldata, blob = c.cfg.Costs(f, transfers, section)
	return calldata, blob, true
}

// current returns the fees to use and their age: cached ones while younger
// than the TTL, else freshly read; on a read error the last ones read.
func (c *Chooser) current(ctx context.Context) (Fees, time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if c.triedAt.IsZero() || now.Sub(c.triedAt) >= c.cfg.TTL {
		c.triedAt = now
		f, err := c.read(ctx)
		switch {
		case err == nil:
			c.fees, c.readAt = &f, now
		case c.fees != nil:
			c.log.Warn("reading the L1 fees failed; choosing the data-availability mode with the last ones read",
				"err", err, "fees_age", now.Sub(c.readAt), "base_fee", c.fees.BaseFee, "blob_base_fee", c.fees.BlobBaseFee)
		default:
			c.log.Warn("reading the L1 fees failed and none are known: sealing in calldata mode", "err", err)
		}
	}
	if c.fees == nil {
		return Fees{}, 0, false
	}
	return *c.fees, now.Sub(c.readAt), true
}

// read fetches the latest header's base fee and the blob base fee.
func (c *Chooser) read(ctx context.Context) (Fees, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	h, err := c.src.HeaderByNumber(ctx, nil)
	if err != nil {
		return Fees{}, fmt.Errorf("latest header: %w", err)
	}
	if h.BaseFee == nil {
		return Fees{}, errors.New("latest header has no base fee (pre-London chain)")
	}
	bf, err := c.src.BlobBaseFee(ctx)
	if err != nil {
		return Fees{}, fmt.Errorf("eth_blobBaseFee: %w", err)
	}
	if bf == nil || bf.Sign() < 0 || h.BaseFee.Sign() < 0 {
		return Fees{}, fmt.Errorf("negative or missing fees (base fee %v, blob base fee %v)", h.BaseFee, bf)
	}
	return Fees{BaseFee: new(big.Int).Set(h.BaseFee), BlobBaseFee: new(big.Int).Set(bf)}, nil
}
