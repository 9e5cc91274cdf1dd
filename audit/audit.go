// Package audit rebuilds Sheaf's L2 state from L1 alone and re-checks every
// accepted batch: it reads the rollup contract's Deposit and BatchSubmitted
// events and each batch's submitBatch calldata (in blob mode the
// submitBlobBatch calldata and the transaction's blob, from a blob source;
// in auto mode either, by function selector),
// recomputes the public input(s) natively, verifies the Groth16 proof off-chain with the verifying key,
// replays the pubdata on its own copy of the account tree and compares each
// new root with the one posted, and the final state with the contract's.
// It needs no access to the operator's database. See docs/auditor.md.
package audit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/l1/blobs"
	"github.com/sheafrollup/sheaf/protocol"
)

// Client is what the auditor needs from an L1 node; *ethclient.Client and
// the simulated backend's client implement it.
type Client interface {
	ChainID(ctx context.Context) (*big.Int, error)
	FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error)
	TransactionByHash(ctx context.Context, hash common.Hash) (*types.Transaction, bool, error)
	CallContract(ctx context.Context, msg ethereum.CallMsg, block *big.Int) ([]byte, error)
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
}

// Config of one audit run.
type Config struct {
	Contract common.Address // the rollup
	// FromBlock is where a fresh audit starts scanning (the rollup's
	// deployment block; 0 scans from genesis).
	FromBlock uint64
	// Finality: the audit stops at the block it names when it starts
	// (default: the node's finalized block; Finality{} is the head).
	Finality l1.Finality
	// BatchBlocks is the most blocks one eth_getLogs covers.
	BatchBlocks uint64
	// UpTo stops after this batch (0: every batch) and skips the final
	// comparison with the contract's current state.
	UpTo uint64
	// StatePath, if set, is loaded to resume and rewritten after every
	// SaveEvery batches and at the end.
	StatePath string
	SaveEvery uint64
	// Genesis accounts (indexes 1..len) for a rollup deployed on custom
	// genesis accounts; nil for the standard genesis (only the fee
	// account, protocol.GenesisState of the contract's fee key).
	Genesis []protocol.Account
	// Blobs is where a blob batch's blobs are read from (L1 nodes do
	// not serve the blobs of included transactions): a blobs.Chain of the
	// --blobs.dir directory and the --l1.beacon node, each blob verified
	// against the versioned hash on L1. nil: no source (enough for a
	// calldata-mode rollup; a blob-mode batch then fails naming its blob).
	// Fetch a batch's blobs with blobs.Fetch(ctx, cfg.Blobs, refs) and
	// report a failure as that batch's: the *blobs.Error names the batch
	// and the versioned hash, and wraps blobs.ErrMissing or
	// blobs.ErrMismatch.
	Blobs blobs.Source
	// BlobVerifyingKey is the blob twin's verifying key of an auto
	// deployment (protocol.DAAuto), whose blob batches it verifies; New's
	// vk is then the calldata twin's. Required for an auto deployment when
	// vk is set, refused for any other.
	BlobVerifyingKey groth16.VerifyingKey
}

// DefaultConfig: Contract must be set.
var DefaultConfig = Config{Finality: l1.DefaultFinality, BatchBlocks: 2000, SaveEvery: 1}

// Check validates the configuration.
func (c Config) Check() error {
	switch {
	case c.Contract == (common.Address{}):
		return errors.New("audit: no contract address")
	case c.BatchBlocks == 0:
		return errors.New("audit: batch blocks must be positive")
	case c.StatePath != "" && c.SaveEvery == 0:
		return errors.New("audit: save-every must be positive with a state file")
	}
	return nil
}

// BatchError is the first batch that does not check out.
type BatchError struct {
	Batch  uint64
	Reason string
	Err    error
}

func (e *BatchError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("batch %d does not check out: %s: %v", e.Batch, e.Reason, e.Err)
	}
	return fmt.Sprintf("batch %d does not check out: %s", e.Batch, e.Reason)
}

func (e *BatchError) Unwrap() error { return e.Err }

func failf(batch uint64, err error, format string, args ...any) *BatchError {
	return &BatchError{Batch: batch, Reason: fmt.Sprintf(format, args...), Err: err}
}

// Report summarises a run.
type Report struct {
	OK             bool            `json:"ok"`
	ChainID        uint64          `json:"chain_id"`
	Contract       common.Address  `json:"contract"`
	Circuit        protocol.Config `json:"circuit"`
	Block          uint64          `json:"block"`        // L1 block the audit stopped at
	ResumedFrom    uint64          `json:"resumed_from"` // last batch of the saved point (0: from genesis)
	FirstBatch     uint64          `json:"first_batch"`  // first batch checked in this run (0: none)
	LastBatch      uint64          `json:"last_batch"`   // last batch checked
	Checked        uint64          `json:"batches_checked"`
	Root           string          `json:"root"`
	ContractRoot   string          `json:"contract_root,omitempty"`
	ContractBatch  uint64          `json:"contract_batch"`
	Accounts       int             `json:"accounts"`
	DepositHead    uint64          `json:"deposit_head"`
	DepositsQueued uint64          `json:"deposits_queued"`
	Deposits       uint64          `json:"deposits"`
	Transfers      uint64          `json:"transfers"`
	Withdrawals    uint64          `json:"withdrawals"`
	Deposited      string          `json:"deposited"`
	Withdrawn      string          `json:"withdrawn"`
	Fees           string          `json:"fees"`
	TotalBalance   string          `json:"total_balance"`
	ForcedExits    uint64          `json:"forced_exits"`       // consumed by batches
	ForcedValid    uint64          `json:"forced_exits_valid"` // of which withdrew (the rest: no-ops)
	Frozen         bool            `json:"exodus"`             // exodus mode is active
	Exits          uint64          `json:"exits,omitempty"`
	Exited         string          `json:"exited,omitempty"`
	Refunds        uint64          `json:"refunds,omitempty"`
	Refunded       string          `json:"refunded,omitempty"`
	Seconds        float64         `json:"seconds"`
	Error          string          `json:"error,omitempty"`
	FailedBatch    uint64          `json:"failed_batch,omitempty"`
}

// Auditor runs audits against one rollup.
type Auditor struct {
	cfg    Config
	client Client
	vk     groth16.VerifyingKey
	log    *slog.Logger

	abi        *abi.ABI
	rollup     *bindings.Rollup
	submit     abi.Method // submitBatch (calldata mode)
	submitBlob abi.Method // submitBlobBatch (blob mode)
	batchID    common.Hash
	depositID  common.Hash
	forcedID   common.Hash
	exodusID   common.Hash
	exitedID   common.Hash
	refundID   common.Hash

	state *State
}

// New returns an auditor; vk is the verifying key of the contract's
// circuit configuration (`sheaf setup` writes it). A nil vk skips the
// off-chain proof verification and trusts the contract's (the public input
// is still rebuilt and compared with the one the contract emitted): enough
// to rebuild the state for an exit, not an audit.
func New(cfg Config, client Client, vk groth16.VerifyingKey, log *slog.Logger) (*Auditor, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := bindings.NewRollup()
	a := r.GetABI()
	m, ok := a.Methods["submitBatch"]
	mb, okb := a.Methods["submitBlobBatch"]
	if !ok || !okb {
		return nil, errors.New("audit: the rollup ABI has no submitBatch or submitBlobBatch")
	}
	return &Auditor{cfg: cfg, client: client, vk: vk, log: log, abi: &a, rollup: r, submit: m, submitBlob: mb,
		batchID: a.Events["BatchSubmitted"].ID, depositID: a.Events["Deposit"].ID,
		forcedID: a.Events["ForcedExitRequested"].ID, exodusID: a.Events["ExodusActivated"].ID,
		exitedID: a.Events["Exited"].ID, refundID: a.Events["DepositRefunded"].ID}, nil
}

// State is the rebuilt state after Run (nil before).
func (a *Auditor) State() *State { return a.state }

func (a *Auditor) call(ctx context.Context, block uint64, data []byte) ([]byte, error) {
	return a.client.CallContract(ctx, ethereum.CallMsg{To: &a.cfg.Contract, Data: data}, new(big.Int).SetUint64(block))
}

// onchain is the contract's view at a block.
type onchain struct {
	cfg         protocol.Config
	root        [32]byte
	lastBatch   uint64
	depositHead uint64
	depositTail uint64
	nextIndex   uint32
	genesisRoot [32]byte
	feeKey      protocol.PublicKey
	frozen      bool
}

func (a *Auditor) readContract(ctx context.Context, block uint64) (*onchain, error) {
	var o onchain
	r := a.rollup
	steps := []struct {
		name string
		data []byte
		set  func([]byte) error
	}{
		{"depth", r.PackDepth(), func(b []byte) error { v, err := r.UnpackDepth(b); o.cfg.Depth = int(v); return err }},
		{"depositSlots", r.PackDepositSlots(), func(b []byte) error { v, err := r.UnpackDepositSlots(b); o.cfg.Deposits = int(v); return err }},
		{"transferSlots", r.PackTransferSlots(), func(b []byte) error { v, err := r.UnpackTransferSlots(b); o.cfg.Transfers = int(v); return err }},
		{"withdrawalSlots", r.PackWithdrawalSlots(), func(b []byte) error {
			v, err := r.UnpackWithdrawalSlots(b)
			o.cfg.Withdrawals = int(v)
			return err
		}},
		{"forcedExitSlots", r.PackForcedExitSlots(), func(b []byte) error {
			v, err := r.UnpackForcedExitSlots(b)
			o.cfg.ForcedExits = int(v)
			return err
		}},
		// The data-availability mode is part of the circuit configuration
		// (blob mode has another circuit, binding and submission path;
		// auto takes batches of both, each by its own path).
		{"daMode", r.PackDaMode(), func(b []byte) error {
			v, err := r.UnpackDaMode(b)
			switch {
			case err != nil:
			case int(v) < len(daModes):
				o.cfg.DA = daModes[v]
			default:
				err = fmt.Errorf("unknown data-availability mode %d", v)
			}
			return err
		}},
		{"frozen", r.PackFrozen(), func(b []byte) error { v, err := r.UnpackFrozen(b); o.frozen = v; return err }},
		{"stateRoot", r.PackStateRoot(), func(b []byte) error { v, err := r.UnpackStateRoot(b); o.root = v; return err }},
		{"lastBatch", r.PackLastBatch(), func(b []byte) error { v, err := r.UnpackLastBatch(b); o.lastBatch = v; return err }},
		{"depositHead", r.PackDepositHead(), func(b []byte) error { v, err := r.UnpackDepositHead(b); o.depositHead = v; return err }},
		{"depositTail", r.PackDepositTail(), func(b []byte) error { v, err := r.UnpackDepositTail(b); o.depositTail = v; return err }},
		{"nextIndex", r.PackNextIndex(), func(b []byte) error { v, err := r.UnpackNextIndex(b); o.nextIndex = v; return err }},
		{"genesisRoot", r.PackGenesisRoot(), func(b []byte) error { v, err := r.UnpackGenesisRoot(b); o.genesisRoot = v; return err }},
		{"genesisFeeKeyX", r.PackGenesisFeeKeyX(), func(b []byte) error {
			v, err := r.UnpackGenesisFeeKeyX(b)
			if err == nil {
				err = o.feeKey.X.SetBytesCanonical(common.LeftPadBytes(v.Bytes(), 32))
			}
			return err
		}},
		{"genesisFeeKeyY", r.PackGenesisFeeKeyY(), func(b []byte) error {
			v, err := r.UnpackGenesisFeeKeyY(b)
			if err == nil {
				err = o.feeKey.Y.SetBytesCanonical(common.LeftPadBytes(v.Bytes(), 32))
			}
			return err
		}},
	}
	for _, s := range steps {
		out, err := a.call(ctx, block, s.data)
		if err != nil {
			return nil, fmt.Errorf("read %s from the rollup at block %d: %w", s.name, block, err)
		}
		if err := s.set(out); err != nil {
			return nil, fmt.Errorf("read %s from the rollup at block %d: %w (is %s a Sheaf rollup?)", s.name, block, err, a.cfg.Contract)
		}
	}
	if err := o.cfg.Check(); err != nil {
		return nil, fmt.Errorf("the rollup's circuit configuration: %w", err)
	}
	return &o, nil
}

// daModes are the contract's daMode values, as the configuration's DA.
var daModes = []string{"", protocol.DABlob, protocol.DAAuto}

// Run audits every batch accepted up to the head (less Confirmations), or
// up to Config.UpTo. It returns a report and, when a batch does not check
// out, a *BatchError naming it (the report then says how far it got).
func (a *Auditor) Run(ctx context.Context) (*Report, error) {
	start := time.Now()
	chainID, err := a.client.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("chain id: %w", err)
	}
	if !chainID.IsUint64() {
		return nil, fmt.Errorf("chain id %s does not fit 64 bits", chainID)
	}
	final, err := l1.FinalHeader(ctx, a.client, a.cfg.Finality)
	if err != nil {
		return nil, fmt.Errorf("final L1 block (%s): %w", a.cfg.Finality, err)
	}
	head := final.Number.Uint64()
	if head < a.cfg.FromBlock {
		return nil, fmt.Errorf("the final L1 block (%s) is %d, before the rollup's deployment block %d: nothing to audit yet (--audit.confirmations 0 audits at the head)",
			a.cfg.Finality, head, a.cfg.FromBlock)
	}
	oc, err := a.readContract(ctx, head)
	if err != nil {
		return nil, err
	}
	switch {
	case a.vk != nil && oc.cfg.Auto() && a.cfg.BlobVerifyingKey == nil:
		return nil, fmt.Errorf("the rollup %s is an auto deployment (circuit %s): its blob batches need the blob twin's verifying key too", a.cfg.Contract, oc.cfg)
	case !oc.cfg.Auto() && a.cfg.BlobVerifyingKey != nil:
		return nil, fmt.Errorf("a blob verifying key is for auto deployments; the rollup %s has circuit %s (one key)", a.cfg.Contract, oc.cfg)
	}
	a.log.Info("auditing rollup", "contract", a.cfg.Contract, "chain_id", chainID, "circuit", oc.cfg.String(),
		"to_block", head, "batches_on_chain", oc.lastBatch, "deposits_queued", oc.depositTail)

	st, err := a.startState(chainID.Uint64(), oc)
	if err != nil {
		return nil, err
	}
	a.state = st
	rep := &Report{ChainID: chainID.Uint64(), Contract: a.cfg.Contract, Circuit: oc.cfg, Block: head,
		ResumedFrom: st.batch, ContractBatch: oc.lastBatch}
	root := oc.root
	rep.ContractRoot = fmt.Sprintf("0x%x", root[:])

	runErr := a.scan(ctx, head, rep)
	if runErr == nil && a.cfg.UpTo == 0 {
		runErr = a.final(oc)
	}
	if runErr == nil && a.cfg.UpTo != 0 && st.batch < a.cfg.UpTo {
		runErr = fmt.Errorf("batch %d is not on L1 yet (the last accepted batch is %d)", a.cfg.UpTo, st.batch)
	}
	if a.cfg.StatePath != "" && runErr == nil && st.batch >= rep.ResumedFrom && a.cfg.UpTo == 0 {
		if err := st.Save(a.cfg.StatePath); err != nil {
			return nil, err
		}
	}
	a.fill(rep, start)
	if runErr != nil {
		rep.Error = runErr.Error()
		var be *BatchError
		if errors.As(runErr, &be) {
			rep.FailedBatch = be.Batch
		}
		a.log.Error("audit failed", "err", runErr)
		return rep, runErr
	}
	rep.OK = true
	a.log.Info("audit passed", "batches", rep.LastBatch, "checked_now", rep.Checked, "root", rep.Root,
		"accounts", rep.Accounts, "seconds", rep.Seconds)
	return rep, nil
}

func (a *Auditor) fill(rep *Report, start time.Time) {
	st := a.state
	r := st.rootBytes()
	rep.LastBatch = st.batch
	rep.Root = fmt.Sprintf("0x%x", r[:])
	rep.Accounts = st.NumAccounts()
	rep.DepositHead = st.depositHead
	rep.DepositsQueued = st.DepositTail()
	s := st.Stats()
	rep.Deposits, rep.Transfers, rep.Withdrawals = s.Deposits, s.Transfers, s.Withdrawals
	rep.Deposited, rep.Withdrawn, rep.Fees = s.Deposited.Dec(), s.Withdrawn.Dec(), s.Fees.Dec()
	rep.ForcedExits, rep.ForcedValid = s.ForcedExits, s.ForcedValid
	if st.exodus != nil {
		rep.Frozen = true
		rep.Exits, rep.Exited, rep.Refunds, rep.Refunded = s.Exits, s.Exited.Dec(), s.Refunds, s.Refunded.Dec()
	}
	tb := st.TotalBalance()
	rep.TotalBalance = tb.Dec()
	rep.Seconds = time.Since(start).Seconds()
}

// startState loads the saved point or builds the genesis state.
func (a *Auditor) startState(chainID uint64, oc *onchain) (*State, error) {
	cfg := oc.cfg
	if a.cfg.StatePath != "" {
		st, err := LoadState(a.cfg.StatePath)
		if err != nil {
			return nil, err
		}
		switch {
		case st == nil:
		case st.chainID != chainID || st.contract != a.cfg.Contract || st.cfg != cfg:
			return nil, fmt.Errorf("%s is the audit of chain %d, rollup %s, circuit %s, not chain %d, rollup %s, circuit %s",
				a.cfg.StatePath, st.chainID, st.contract, st.cfg, chainID, a.cfg.Contract, cfg)
		case a.cfg.UpTo != 0 && st.batch > a.cfg.UpTo:
			a.log.Info("saved point is past the batch asked for: replaying from genesis", "saved", st.batch, "up_to", a.cfg.UpTo)
		default:
			a.log.Info("resuming from saved point", "file", a.cfg.StatePath, "batch", st.batch, "block", st.block, "accounts", st.NumAccounts())
			return st, nil
		}
	}
	genesis := a.cfg.Genesis
	if genesis == nil {
		if err := oc.feeKey.ValidateDepositKey(); err != nil {
			return nil, fmt.Errorf("the rollup's genesis fee key: %w", err)
		}
		genesis = protocol.GenesisAccounts(oc.feeKey)
	}
	st, err := newState(cfg, chainID, a.cfg.Contract, genesis)
	if err != nil {
		return nil, err
	}
	if r := st.rootBytes(); r != oc.genesisRoot {
		if a.cfg.Genesis == nil {
			return nil, fmt.Errorf("the rollup's genesis root %x is not the genesis state of its fee key (%x): a rollup deployed on other genesis accounts needs them (--audit.genesis)", oc.genesisRoot, r)
		}
		return nil, fmt.Errorf("the genesis accounts give root %x, the rollup's genesis root is %x", r, oc.genesisRoot)
	}
	return st, nil
}

// scan reads Deposit and BatchSubmitted logs in order up to block head.
func (a *Auditor) scan(ctx context.Context, head uint64, rep *Report) error {
	st := a.state
	from := a.cfg.FromBlock
	if st.scanned {
		from = st.block
	}
	lastLog := time.Now()
	for lo := from; lo <= head; {
		hi := min(head, lo+a.cfg.BatchBlocks-1)
		logs, err := a.client.FilterLogs(ctx, ethereum.FilterQuery{
			FromBlock: new(big.Int).SetUint64(lo), ToBlock: new(big.Int).SetUint64(hi),
			Addresses: []common.Address{a.cfg.Contract},
			Topics:    [][]common.Hash{{a.depositID, a.batchID, a.forcedID, a.exodusID, a.exitedID, a.refundID}},
		})
		if err != nil {
			return fmt.Errorf("logs of blocks %d-%d: %w", lo, hi, err)
		}
		for i := range logs {
			l := &logs[i]
			if l.Removed {
				continue
			}
			if st.scanned && (l.BlockNumber < st.block || l.BlockNumber == st.block && l.Index <= st.logIndex) {
				continue // consumed before the saved point
			}
			switch l.Topics[0] {
			case a.depositID:
				if err := a.onDeposit(l); err != nil {
					return err
				}
			case a.forcedID:
				if err := a.onForcedExit(l); err != nil {
					return err
				}
			case a.exodusID, a.exitedID, a.refundID:
				if a.cfg.UpTo != 0 && st.batch >= a.cfg.UpTo {
					return nil
				}
				if err := a.onExodus(ctx, l); err != nil {
					return err
				}
			case a.batchID:
				if a.cfg.UpTo != 0 && st.batch >= a.cfg.UpTo {
					return nil
				}
				if err := a.onBatch(ctx, l); err != nil {
					return err
				}
				rep.Checked++
				if rep.FirstBatch == 0 {
					rep.FirstBatch = st.batch
				}
				if a.cfg.StatePath != "" && a.cfg.UpTo == 0 && st.batch%a.cfg.SaveEvery == 0 {
					if err := st.Save(a.cfg.StatePath); err != nil {
						return err
					}
				}
				if time.Since(lastLog) > 5*time.Second {
					a.log.Info("progress", "batch", st.batch, "of", rep.ContractBatch, "block", l.BlockNumber, "accounts", st.NumAccounts())
					lastLog = time.Now()
				}
			}
			st.block, st.logIndex, st.scanned = l.BlockNumber, l.Index, true
		}
		lo = hi + 1
	}
	return nil
}

func (a *Auditor) onDeposit(l *types.Log) error {
	ev, err := a.rollup.UnpackDepositEvent(l)
	if err != nil {
		return fmt.Errorf("deposit event in tx %s: %w", l.TxHash, err)
	}
	pk, err := protocol.PublicKeyFromParts(ev.PubKey[:], common.LeftPadBytes(ev.PubKeyX.Bytes(), 32))
	if err != nil {
		return fmt.Errorf("deposit %d: %w", ev.QueueIndex, err)
	}
	amt, ok := bigU256(ev.Amount)
	if !ok {
		return fmt.Errorf("deposit %d: bad amount %s", ev.QueueIndex, ev.Amount)
	}
	return a.state.enqueue(Entry{Deposit: &protocol.Deposit{QueueIndex: ev.QueueIndex, PubKey: pk, Amount: amt}, Depositor: ev.Sender})
}

func (a *Auditor) onForcedExit(l *types.Log) error {
	ev, err := a.rollup.UnpackForcedExitRequestedEvent(l)
	if err != nil {
		return fmt.Errorf("forced-exit event in tx %s: %w", l.TxHash, err)
	}
	f := protocol.ForcedExit{QueueIndex: ev.QueueIndex, Index: ev.Index, Recipient: ev.Recipient, Nonce: ev.Nonce}
	for _, p := range []struct {
		dst *fr.Element
		src *big.Int
	}{{&f.Sig.R.X, ev.Rx}, {&f.Sig.R.Y, ev.Ry}, {&f.Sig.S, ev.S}, {&f.PrevChain, ev.PrevChain}} {
		if err := p.dst.SetBytesCanonical(common.LeftPadBytes(p.src.Bytes(), 32)); err != nil {
			return fmt.Errorf("forced exit %d: %w", ev.QueueIndex, err)
		}
	}
	// The contract computed the chain with Poseidon2 on L1; the auditor
	// recomputes it from the logged fields (the batch header binds it).
	if c := f.Chain(); protocol.FrToBig(c).Cmp(ev.Chain) != 0 {
		return fmt.Errorf("forced exit %d: the contract's chain value %#x is not the hash of the logged request (%#x)", ev.QueueIndex, ev.Chain, protocol.FrToBig(c))
	}
	if err := f.Check(a.state.cfg); err != nil {
		return fmt.Errorf("forced exit %d: the contract queued a request it must refuse: %w", ev.QueueIndex, err)
	}
	return a.state.enqueue(Entry{Forced: &f})
}

// submission is a decoded submitBatch or submitBlobBatch call. For a blob
// batch NTransfers is 0 (the transfers are in the blob, their count is not
// in calldata), OldRoot is unset (the contract uses its own) and DataHash,
// V and Kzg are set.
type submission struct {
	Number                     uint64
	OldRoot, NewRoot           [32]byte
	NDeposits, NForcedExits    uint16
	NTransfers, NWithdrawals   uint16
	Pubdata, Depositors, Proof []byte
	DataHash                   [32]byte
	V                          *big.Int
	Kzg                        []byte
}

// decodeCall decodes a batch's calldata and returns it with the batch's
// concrete configuration. The deployment's configuration dep fixes the
// submission path: submitBlobBatch in blob mode, submitBatch in calldata
// mode (the contract refuses the other one); an auto deployment takes
// both, and the function selector says which twin the batch is in
// (submitBatch: calldata, submitBlobBatch: blob).
func (a *Auditor) decodeCall(input []byte, dep protocol.Config) (*submission, protocol.Config, error) {
	m := a.submit
	switch {
	case dep.Blob():
		m = a.submitBlob
	case dep.Auto() && len(input) >= 4 && string(input[:4]) == string(a.submitBlob.ID):
		m = a.submitBlob
	}
	cfg := dep
	if dep.Auto() {
		cfg = dep.WithDA(protocol.DACalldata)
		if m.Name == a.submitBlob.Name {
			cfg = dep.WithDA(protocol.DABlob)
		}
	}
	if len(input) < 4 || string(input[:4]) != string(m.ID) {
		want := m.Name
		if dep.Auto() {
			want = a.submit.Name + " or " + a.submitBlob.Name
		}
		return nil, cfg, fmt.Errorf("the transaction is not a direct %s call (batches submitted through another contract are not supported)", want)
	}
	if cfg.Blob() {
		c, err := l1.DecodeBlobBatchCall(cfg, input)
		if err != nil {
			return nil, cfg, err
		}
		return &submission{Number: c.Number, NewRoot: c.NewRoot, NDeposits: c.Deposits, NForcedExits: c.ForcedExits,
			NWithdrawals: c.Withdrawals, Pubdata: c.Pubdata, Depositors: c.Depositors, Proof: c.Proof, DataHash: c.DataHash,
			V: c.V, Kzg: c.KZG}, cfg, nil
	}
	vals, err := m.Inputs.Unpack(input[4:])
	if err != nil {
		return nil, cfg, fmt.Errorf("decode %s calldata: %w", m.Name, err)
	}
	var s submission
	if err := m.Inputs.Copy(&s, vals); err != nil {
		return nil, cfg, fmt.Errorf("decode %s calldata: %w", m.Name, err)
	}
	return &s, cfg, nil
}

// vkFor is the verifying key of batches in concrete configuration cfg
// (nil: proofs are not re-checked).
func (a *Auditor) vkFor(cfg protocol.Config) groth16.VerifyingKey {
	if a.vk != nil && a.state.cfg.Auto() && cfg.Blob() {
		return a.cfg.BlobVerifyingKey
	}
	return a.vk
}

func rootElement(b [32]byte) (fr.Element, error) {
	var e fr.Element
	err := e.SetBytesCanonical(b[:])
	return e, err
}

// onBatch checks one accepted batch and applies it.
func (a *Auditor) onBatch(ctx context.Context, l *types.Log) error {
	st := a.state
	ev, err := a.rollup.UnpackBatchSubmittedEvent(l)
	if err != nil {
		return failf(st.batch+1, err, "BatchSubmitted event in tx %s", l.TxHash)
	}
	n := ev.Number
	if n != st.batch+1 {
		return failf(st.batch+1, nil, "next BatchSubmitted event is for batch %d", n)
	}
	tx, _, err := a.client.TransactionByHash(ctx, l.TxHash)
	if err != nil {
		return fmt.Errorf("batch %d: fetch transaction %s: %w", n, l.TxHash, err)
	}
	if tx.To() == nil || *tx.To() != a.cfg.Contract {
		return failf(n, nil, "transaction %s does not call the rollup directly (batches submitted through another contract are not supported)", l.TxHash)
	}
	// cfg is the batch's own (concrete) configuration: the deployment's,
	// or in an auto deployment the twin its submission path names.
	sub, cfg, err := a.decodeCall(tx.Data(), st.cfg)
	if err != nil {
		return failf(n, err, "transaction %s", l.TxHash)
	}
	// The calldata, the event and the replayed state must tell one story.
	// (The event carries the number, the fee account and the public input;
	// the public input check below binds the header the contract built.)
	ourRoot := st.rootBytes()
	if cfg.Blob() {
		// submitBlobBatch names no old root: the contract takes its own,
		// which the replay must reach.
		sub.OldRoot = ourRoot
	}
	switch {
	case sub.Number != n:
		return failf(n, nil, "calldata names batch %d", sub.Number)
	case sub.OldRoot != ourRoot:
		if n == 1 {
			return failf(n, nil, "old root %x is not the genesis root %x", sub.OldRoot, ourRoot)
		}
		return failf(n, nil, "old root %x in calldata is not the replayed root %x", sub.OldRoot, ourRoot)
	case st.exodus != nil:
		return failf(n, nil, "batch accepted after exodus started (the contract refuses batches once frozen)")
	case int(sub.NForcedExits) > st.cfg.ForcedExits:
		return failf(n, nil, "calldata consumes %d forced exits, the configuration has %d slots", sub.NForcedExits, st.cfg.ForcedExits)
	}
	// The contract's rule for the counts (every counted slot a real
	// operation): it refuses every batch that breaks it, so one that got
	// through would be a contract bug.
	counts := protocol.Counts{Deposits: int(sub.NDeposits), ForcedExits: int(sub.NForcedExits), Transfers: int(sub.NTransfers), Withdrawals: int(sub.NWithdrawals)}
	if err := checkCompact(cfg, sub.Pubdata, counts); err != nil {
		return failf(n, err, "calldata breaks the contract's rule for counts and pubdata")
	}
	newRoot, err := rootElement(sub.NewRoot)
	if err != nil {
		return failf(n, err, "new root is not a field element")
	}
	pubdata, err := protocol.ExpandPubdata(cfg, sub.Pubdata, counts)
	if err != nil {
		return failf(n, err, "pubdata")
	}
	// The public input as the contract builds it: chain id, its address,
	// the batch number, its stored root, the new root, its queue head, the
	// deposit count, its next index and its fee account.
	h := protocol.Header{
		ChainID: st.chainID, Contract: st.contract, Number: n, OldRoot: st.Root(), NewRoot: newRoot,
		DepositStart: st.depositHead, DepositCount: sub.NDeposits, NextIndex: st.NextIndex(), FeeAccount: ev.FeeAccount,
	}
	if st.cfg.ForcedExits > 0 {
		// The count and the chain value stored with the last forced exit
		// consumed (0 when none): the contract's, from the logged requests.
		fh := &protocol.ForcedExitHeader{Count: sub.NForcedExits}
		if nf := int(sub.NForcedExits); nf > 0 {
			last := int(sub.NDeposits) + nf - 1
			if last >= len(st.queue) || st.queue[last].Forced == nil {
				return failf(n, nil, "queue entry %d is not a queued forced exit", st.depositHead+uint64(last))
			}
			fh.Chain = st.queue[last].Forced.Chain()
		}
		h.ForcedExits = fh
	}
	if cfg.Blob() {
		// The transfers come from the blob; their count from its real slots.
		nt, err := a.checkBlobBatch(ctx, cfg, l, tx, sub, ev.PublicInput, h, pubdata)
		if err != nil {
			return err
		}
		counts.Transfers = nt
	} else {
		pi := protocol.PublicInput(h, pubdata)
		if vk := a.vkFor(cfg); vk != nil {
			if err := verifyProof(vk, sub.Proof, pi); err != nil {
				return failf(n, err, "proof does not verify against the public input rebuilt from calldata")
			}
		}
		if got := protocol.FrToBig(pi); got.Cmp(ev.PublicInput) != 0 {
			return failf(n, nil, "public input %#x differs from the one the contract emitted %#x", got, ev.PublicInput)
		}
	}
	ops, err := protocol.DecodePubdata(cfg, pubdata)
	if err != nil {
		return failf(n, err, "decode pubdata")
	}
	if total := counts.Deposits + counts.ForcedExits + counts.Transfers + counts.Withdrawals; len(ops) != total {
		return failf(n, nil, "pubdata decodes to %d operations, counts say %d", len(ops), total)
	}
	if err := st.applyOps(ops, ev.FeeAccount); err != nil {
		return failf(n, err, "replay")
	}
	got := st.rootBytes()
	if got != sub.NewRoot {
		return failf(n, nil, "replayed root %x differs from the posted new root %x", got, sub.NewRoot)
	}
	st.batch = n
	a.log.Debug("batch checked", "batch", n, "da", daName(cfg), "block", l.BlockNumber, "deposits", sub.NDeposits, "forced_exits", sub.NForcedExits, "transfers", counts.Transfers,
		"withdrawals", sub.NWithdrawals, "root", fmt.Sprintf("%x", got))
	return nil
}

// daName names a concrete configuration's data-availability mode.
func daName(cfg protocol.Config) string {
	if cfg.Blob() {
		return protocol.DABlob
	}
	return protocol.DACalldata
}

// final compares the rebuilt state with the contract's.
func (a *Auditor) final(oc *onchain) error {
	st := a.state
	root := st.rootBytes()
	switch {
	case oc.lastBatch != st.batch:
		return failf(st.batch+1, nil, "the contract has accepted %d batches, the logs show %d", oc.lastBatch, st.batch)
	case oc.root != root:
		return failf(st.batch, nil, "the contract's state root %x differs from the rebuilt root %x", oc.root, root)
	case oc.depositHead != st.depositHead:
		return failf(st.batch, nil, "the contract's deposit head %d differs from the replayed %d", oc.depositHead, st.depositHead)
	case oc.nextIndex != st.NextIndex():
		return failf(st.batch, nil, "the contract's next index %d differs from the replayed %d", oc.nextIndex, st.NextIndex())
	case oc.depositTail != st.DepositTail():
		return fmt.Errorf("the contract has queued %d entries, the logs show %d", oc.depositTail, st.DepositTail())
	case oc.frozen != (st.exodus != nil):
		return fmt.Errorf("the contract's frozen flag is %v, the logs show exodus activated: %v", oc.frozen, st.exodus != nil)
	}
	return nil
}

// Query is an individual's question: an account at a batch.
type Query struct {
	Batch uint64              // 0: the latest accepted batch
	Index uint32              // the account's index, or
	Key   *protocol.PublicKey // its key (the lowest index it owns)
}

// Account rebuilds (and checks) the state up to the batch asked for and
// returns the account with its Merkle proof, verified against that batch's
// root, which the audit has checked against the root posted on L1.
func (a *Auditor) Account(ctx context.Context, q Query) (*AccountProof, error) {
	a.cfg.UpTo = q.Batch
	if _, err := a.Run(ctx); err != nil {
		return nil, err
	}
	st := a.state
	idx := q.Index
	if q.Key != nil {
		i, ok := st.IndexOf(*q.Key)
		if !ok {
			return nil, fmt.Errorf("no account holds key %x at batch %d", q.Key.Bytes(), st.batch)
		}
		idx = i
	}
	if idx == 0 {
		return nil, errors.New("account index 0 is reserved")
	}
	p, err := st.Prove(idx)
	if err != nil {
		return nil, err
	}
	if err := p.Verify(st.cfg.Depth); err != nil {
		return nil, fmt.Errorf("account %d at batch %d: %w", idx, st.batch, err)
	}
	return p, nil
}

// checkCompact is the contract's rule for counts and compact pubdata
// (protocol.CheckCompact) with the forced-exit section, which sits between
// the deposits and the transfers: its length must be what the count needs;
// the rest is checked without it. (An all-zero counted forced-exit slot is
// caught when the pubdata decodes to fewer operations than counted.)
func checkCompact(cfg protocol.Config, compact []byte, c protocol.Counts) error {
	if c.ForcedExits == 0 {
		return protocol.CheckCompact(cfg, compact, c.Deposits, c.Transfers, c.Withdrawals)
	}
	fOff := c.Deposits * cfg.DepositBytes()
	tOff := fOff + c.ForcedExits*cfg.ForcedExitBytes()
	if len(compact) < tOff {
		return fmt.Errorf("%w: compact pubdata is %d bytes, its deposits and forced exits alone need %d", protocol.ErrBadBatch, len(compact), tOff)
	}
	rest := append(append([]byte(nil), compact[:fOff]...), compact[tOff:]...)
	return protocol.CheckCompact(cfg, rest, c.Deposits, c.Transfers, c.Withdrawals)
}

// ExodusError is an exodus-mode event (activation, exit, refund) that does
// not agree with the rebuilt state.
type ExodusError struct {
	Block  uint64
	TxHash common.Hash
	Reason string
}

func (e *ExodusError) Error() string {
	return fmt.Sprintf("exodus event in L1 block %d (tx %s) does not check out: %s", e.Block, e.TxHash, e.Reason)
}

// onExodus checks ExodusActivated, Exited and DepositRefunded against the
// rebuilt state: exodus starts at the replayed queue head with the replayed
// root, each account exits once with exactly its balance in that state, and
// each unconsumed deposit is refunded once, to its depositor, in full.
func (a *Auditor) onExodus(ctx context.Context, l *types.Log) error {
	st := a.state
	bad := func(format string, args ...any) error {
		return &ExodusError{Block: l.BlockNumber, TxHash: l.TxHash, Reason: fmt.Sprintf(format, args...)}
	}
	switch l.Topics[0] {
	case a.exodusID:
		ev, err := a.rollup.UnpackExodusActivatedEvent(l)
		if err != nil {
			return bad("ExodusActivated: %v", err)
		}
		root := st.rootBytes()
		switch {
		case st.exodus != nil:
			return bad("exodus activated twice")
		case ev.QueueIndex != st.depositHead || len(st.queue) == 0:
			return bad("activated at queue entry %d, the replayed queue head is %d with %d entries unconsumed", ev.QueueIndex, st.depositHead, len(st.queue))
		case ev.StateRoot != root:
			return bad("frozen root %x, the replayed root is %x", ev.StateRoot, root)
		}
		h, err := a.client.HeaderByNumber(ctx, new(big.Int).SetUint64(l.BlockNumber))
		if err != nil {
			return fmt.Errorf("header of block %d: %w", l.BlockNumber, err)
		}
		if h.Time <= ev.Expiry {
			return bad("activated at L1 time %d, not after the entry's expiry %d", h.Time, ev.Expiry)
		}
		st.exodus = &Exodus{Head: ev.QueueIndex, Root: root, Exited: map[uint32]ExitRecord{}, Refunded: map[uint64]bool{}}
		a.log.Info("exodus mode", "block", l.BlockNumber, "queue_head", ev.QueueIndex, "root", fmt.Sprintf("%x", root))
	case a.exitedID:
		ev, err := a.rollup.UnpackExitedEvent(l)
		if err != nil {
			return bad("Exited: %v", err)
		}
		if st.exodus == nil {
			return bad("account %d exited before exodus started", ev.Index)
		}
		acc, ok := st.Account(ev.Index)
		bal, okb := bigU256(ev.Balance)
		_, dup := st.exodus.Exited[ev.Index]
		switch {
		case !ok:
			return bad("account %d exited, it does not exist in the frozen state", ev.Index)
		case dup:
			return bad("account %d exited twice", ev.Index)
		case !okb || bal != acc.Balance:
			return bad("account %d exited with %s, its balance in the frozen state is %s", ev.Index, ev.Balance, acc.Balance.Dec())
		}
		st.exodus.Exited[ev.Index] = ExitRecord{Recipient: ev.Recipient, Balance: bal}
		st.stats.Exits++
		st.stats.Exited.Add(&st.stats.Exited, &bal)
	case a.refundID:
		ev, err := a.rollup.UnpackDepositRefundedEvent(l)
		if err != nil {
			return bad("DepositRefunded: %v", err)
		}
		if st.exodus == nil {
			return bad("deposit %d refunded before exodus started", ev.QueueIndex)
		}
		q := ev.QueueIndex
		if q < st.depositHead || q >= st.DepositTail() || st.queue[q-st.depositHead].Deposit == nil {
			return bad("refund of queue entry %d, which is not an unconsumed deposit (head %d, tail %d)", q, st.depositHead, st.DepositTail())
		}
		e := st.queue[q-st.depositHead]
		amt, ok := bigU256(ev.Amount)
		switch {
		case st.exodus.Refunded[q]:
			return bad("deposit %d refunded twice", q)
		case ev.Depositor != e.Depositor:
			return bad("deposit %d refunded to %s, it was made by %s", q, ev.Depositor, e.Depositor)
		case !ok || amt != e.Deposit.Amount:
			return bad("deposit %d refunded %s, it was %s", q, ev.Amount, e.Deposit.Amount.Dec())
		}
		st.exodus.Refunded[q] = true
		st.stats.Refunds++
		st.stats.Refunded.Add(&st.stats.Refunded, &amt)
	}
	return nil
}
