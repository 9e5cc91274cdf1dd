package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/internal/par"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/smt"
)

// State is the L2 state the auditor rebuilds from L1 data alone: every
// account, the account tree, the deposit queue as seen in Deposit events
// and where in the L1 log stream it stands. It applies pubdata as posted
// (no signatures exist on L1: a verified proof stands for them) with the
// rules of docs/protocol.md.
type State struct {
	cfg      protocol.Config
	chainID  uint64
	contract common.Address

	accounts []protocol.Account // [0] is the reserved null account
	tree     *smt.Tree

	batch    uint64 // last batch applied
	block    uint64 // L1 position of the last log consumed (batch or deposit)
	logIndex uint
	scanned  bool // block/logIndex are set

	depositHead uint64             // queue index of the next deposit a batch consumes
	queue       []protocol.Deposit // queued on L1, not consumed yet (from depositHead)

	stats Stats
}

// Stats are running totals over every batch applied.
type Stats struct {
	Deposits    uint64      `json:"deposits"`
	Transfers   uint64      `json:"transfers"`
	Withdrawals uint64      `json:"withdrawals"`
	Deposited   uint256.Int `json:"-"`
	Withdrawn   uint256.Int `json:"-"`
	Fees        uint256.Int `json:"-"`
}

func newState(cfg protocol.Config, chainID uint64, contract common.Address, genesis []protocol.Account) (*State, error) {
	t, err := smt.New(cfg.Depth)
	if err != nil {
		return nil, err
	}
	s := &State{cfg: cfg, chainID: chainID, contract: contract, tree: t, accounts: make([]protocol.Account, 1)}
	if err := s.load(genesis); err != nil {
		return nil, err
	}
	for _, a := range genesis {
		s.stats.Deposited.Add(&s.stats.Deposited, &a.Balance)
	}
	return s, nil
}

// load replaces the accounts (indexes 1..len) and rebuilds the tree.
func (s *State) load(accounts []protocol.Account) error {
	if uint64(len(accounts))+1 > s.cfg.MaxAccounts() {
		return fmt.Errorf("%d accounts do not fit depth %d", len(accounts), s.cfg.Depth)
	}
	s.accounts = append(make([]protocol.Account, 1, len(accounts)+1), accounts...)
	leaves := make([]fr.Element, len(s.accounts))
	par.For(len(accounts), func(i int) { leaves[i+1] = protocol.LeafHash(accounts[i]) })
	if len(accounts) == 0 {
		leaves = nil
	}
	return s.tree.Load(leaves)
}

// Config is the circuit configuration the state follows.
func (s *State) Config() protocol.Config { return s.cfg }

// Batch is the number of the last batch applied (0: genesis).
func (s *State) Batch() uint64 { return s.batch }

// Root is the current account-tree root.
func (s *State) Root() fr.Element { return s.tree.Root() }

// NextIndex is the first unassigned account index.
func (s *State) NextIndex() uint32 { return uint32(len(s.accounts)) }

// NumAccounts is the number of assigned accounts.
func (s *State) NumAccounts() int { return len(s.accounts) - 1 }

// DepositHead is the queue index of the next deposit to consume.
func (s *State) DepositHead() uint64 { return s.depositHead }

// DepositTail is the number of deposits seen queued on L1.
func (s *State) DepositTail() uint64 { return s.depositHead + uint64(len(s.queue)) }

// Stats returns the running totals.
func (s *State) Stats() Stats { return s.stats }

// Account returns the account at index i.
func (s *State) Account(i uint32) (protocol.Account, bool) {
	if i == 0 || int(i) >= len(s.accounts) {
		return protocol.Account{}, false
	}
	return s.accounts[i], true
}

// IndexOf returns the lowest index owned by the key (the one deposits credit
// by the sequencer's policy).
func (s *State) IndexOf(pk protocol.PublicKey) (uint32, bool) {
	for i := 1; i < len(s.accounts); i++ {
		if s.accounts[i].PubKey == pk {
			return uint32(i), true
		}
	}
	return 0, false
}

// TotalBalance is the sum of every account's balance.
func (s *State) TotalBalance() uint256.Int {
	var t uint256.Int
	for i := 1; i < len(s.accounts); i++ {
		t.Add(&t, &s.accounts[i].Balance)
	}
	return t
}

// AccountProof is an account at a batch with its Merkle path to that
// batch's root.
type AccountProof struct {
	Batch   uint64
	Root    fr.Element
	Index   uint32
	Account protocol.Account // zero for an empty leaf
	Exists  bool
	Proof   smt.Proof
}

// Verify checks the proof against the root it names, with the tree depth.
func (p *AccountProof) Verify(depth int) error {
	if len(p.Proof.Siblings) != depth {
		return fmt.Errorf("proof has %d siblings, depth is %d", len(p.Proof.Siblings), depth)
	}
	var leaf fr.Element
	if p.Exists {
		leaf = protocol.LeafHash(p.Account)
	}
	if !leaf.Equal(&p.Proof.Leaf) {
		return errors.New("leaf does not hash the account")
	}
	if p.Proof.Index != uint64(p.Index) || !p.Proof.Verify(p.Root) {
		return errors.New("Merkle proof does not open the root")
	}
	return nil
}

// Prove returns account i with its Merkle proof against the current root.
func (s *State) Prove(i uint32) (*AccountProof, error) {
	if uint64(i) >= s.cfg.MaxAccounts() {
		return nil, fmt.Errorf("index %d out of range for depth %d", i, s.cfg.Depth)
	}
	p, err := s.tree.Proof(uint64(i))
	if err != nil {
		return nil, err
	}
	acc, ok := s.Account(i)
	return &AccountProof{Batch: s.batch, Root: s.Root(), Index: i, Account: acc, Exists: ok, Proof: p}, nil
}

func (s *State) put(i uint32, a protocol.Account) {
	if int(i) == len(s.accounts) {
		s.accounts = append(s.accounts, a)
	} else {
		s.accounts[i] = a
	}
	if err := s.tree.Set(uint64(i), protocol.LeafHash(a)); err != nil {
		panic(err) // indexes are checked against the depth before
	}
}

// queueDeposit appends a Deposit event's entry; queue indexes must follow
// each other.
func (s *State) queueDeposit(d protocol.Deposit) error {
	if want := s.DepositTail(); d.QueueIndex != want {
		if d.QueueIndex < want { // seen already (overlapping scans)
			return nil
		}
		return fmt.Errorf("deposit event with queue index %d, expected %d (a Deposit event is missing)", d.QueueIndex, want)
	}
	s.queue = append(s.queue, d)
	return nil
}

// applyOps replays a batch's decoded pubdata. It changes the state even
// when it fails: the caller stops at the first failure.
func (s *State) applyOps(ops []protocol.DecodedOp, feeAccount uint32) error {
	var fees uint256.Int
	nd := 0
	for k, op := range ops {
		switch op.Type {
		case protocol.OpDeposit:
			if nd >= len(s.queue) {
				return fmt.Errorf("deposit slot %d: the queue holds only %d deposits", nd, len(s.queue))
			}
			q := s.queue[nd]
			if q.PubKey.Bytes() != op.PubKey || q.Amount != op.Amount {
				return fmt.Errorf("deposit slot %d: pubdata differs from queue entry %d", nd, q.QueueIndex)
			}
			if err := s.deposit(op.Index, q); err != nil {
				return fmt.Errorf("deposit slot %d (queue %d): %w", nd, q.QueueIndex, err)
			}
			nd++
			s.stats.Deposits++
			s.stats.Deposited.Add(&s.stats.Deposited, &q.Amount)
		case protocol.OpTransfer:
			if err := s.transfer(op); err != nil {
				return fmt.Errorf("op %d (transfer %d → %d): %w", k, op.Index, op.To, err)
			}
			fees.Add(&fees, &op.Fee)
			s.stats.Transfers++
		case protocol.OpWithdraw:
			if _, err := s.debit(op.Index, &op.Amount, &op.Fee); err != nil {
				return fmt.Errorf("op %d (withdrawal from %d): %w", k, op.Index, err)
			}
			fees.Add(&fees, &op.Fee)
			s.stats.Withdrawals++
			s.stats.Withdrawn.Add(&s.stats.Withdrawn, &op.Amount)
		default:
			return fmt.Errorf("op %d: unknown type %d", k, op.Type)
		}
	}
	acc, ok := s.Account(feeAccount)
	if !ok {
		return fmt.Errorf("%w: fee account %d", protocol.ErrNoFeeAccount, feeAccount)
	}
	if err := credit(&acc, &fees); err != nil {
		return fmt.Errorf("fee account %d: %w", feeAccount, err)
	}
	s.put(feeAccount, acc)
	s.stats.Fees.Add(&s.stats.Fees, &fees)
	s.depositHead += uint64(nd)
	s.queue = append([]protocol.Deposit(nil), s.queue[nd:]...)
	return nil
}

// deposit places a queued deposit at the index the pubdata names: the next
// free index (a new account) or an account owned by the same key.
func (s *State) deposit(index uint32, d protocol.Deposit) error {
	if !d.Amount.Lt(protocol.MaxBalance) {
		return protocol.ErrAmountTooLarge
	}
	switch {
	case index == 0:
		return protocol.ErrReservedAccount
	case index == s.NextIndex():
		if uint64(index) >= s.cfg.MaxAccounts() {
			return protocol.ErrTreeFull
		}
		s.put(index, protocol.Account{PubKey: d.PubKey, Balance: d.Amount})
		return nil
	case index > s.NextIndex():
		return fmt.Errorf("index %d skips the next free index %d", index, s.NextIndex())
	}
	acc := s.accounts[index]
	if acc.PubKey != d.PubKey {
		return fmt.Errorf("%w: index %d", protocol.ErrDepositKeyMismatch, index)
	}
	if err := credit(&acc, &d.Amount); err != nil {
		return err
	}
	s.put(index, acc)
	return nil
}

func credit(acc *protocol.Account, v *uint256.Int) error {
	var sum uint256.Int
	sum.Add(&acc.Balance, v)
	if !sum.Lt(protocol.MaxBalance) {
		return protocol.ErrBalanceOverflow
	}
	acc.Balance = sum
	return nil
}

// debit is the sender side of transfers and withdrawals: the nonce is not
// posted, it moves by one.
func (s *State) debit(from uint32, amount, fee *uint256.Int) (protocol.Account, error) {
	if from == 0 {
		return protocol.Account{}, protocol.ErrReservedAccount
	}
	acc, ok := s.Account(from)
	if !ok {
		return protocol.Account{}, fmt.Errorf("%w: sender %d", protocol.ErrUnknownAccount, from)
	}
	if acc.Nonce == ^uint32(0) {
		return protocol.Account{}, protocol.ErrNonceExhausted
	}
	var total uint256.Int
	total.Add(amount, fee)
	if acc.Balance.Lt(&total) {
		return protocol.Account{}, fmt.Errorf("%w: balance %s, needs %s", protocol.ErrInsufficientBalance, acc.Balance.Dec(), total.Dec())
	}
	acc.Balance.Sub(&acc.Balance, &total)
	acc.Nonce++
	s.put(from, acc)
	return acc, nil
}

func (s *State) transfer(op protocol.DecodedOp) error {
	if op.To == 0 {
		return protocol.ErrReservedAccount
	}
	if _, ok := s.Account(op.To); !ok {
		return fmt.Errorf("%w: recipient %d", protocol.ErrUnknownAccount, op.To)
	}
	if _, err := s.debit(op.Index, &op.Amount, &op.Fee); err != nil {
		return err
	}
	to := s.accounts[op.To] // after the debit: a self-transfer reads its new leaf
	if err := credit(&to, &op.Amount); err != nil {
		return err
	}
	s.put(op.To, to)
	return nil
}

// --- saved points -------------------------------------------------------

const stateVersion = 1

type savedAccount struct {
	X       hexutil.Bytes `json:"x"`
	Y       hexutil.Bytes `json:"y"`
	Balance string        `json:"balance"`
	Nonce   uint32        `json:"nonce"`
}

type savedDeposit struct {
	QueueIndex uint64        `json:"queue_index"`
	X          hexutil.Bytes `json:"x"`
	Y          hexutil.Bytes `json:"y"`
	Amount     string        `json:"amount"`
}

type savedState struct {
	Version     int             `json:"version"`
	ChainID     uint64          `json:"chain_id"`
	Contract    common.Address  `json:"contract"`
	Circuit     protocol.Config `json:"circuit"`
	Batch       uint64          `json:"batch"`
	Block       uint64          `json:"block"`
	LogIndex    uint            `json:"log_index"`
	Root        hexutil.Bytes   `json:"root"`
	DepositHead uint64          `json:"deposit_head"`
	Queue       []savedDeposit  `json:"queue"`
	Stats       savedStats      `json:"stats"`
	Accounts    []savedAccount  `json:"accounts"` // indexes 1..len
}

type savedStats struct {
	Deposits    uint64 `json:"deposits"`
	Transfers   uint64 `json:"transfers"`
	Withdrawals uint64 `json:"withdrawals"`
	Deposited   string `json:"deposited"`
	Withdrawn   string `json:"withdrawn"`
	Fees        string `json:"fees"`
}

func keyParts(pk protocol.PublicKey) (x, y hexutil.Bytes) {
	xb, yb := pk.X.Bytes(), pk.Y.Bytes()
	return xb[:], yb[:]
}

func keyFromParts(x, y []byte) (protocol.PublicKey, error) {
	var pk protocol.PublicKey
	if err := pk.X.SetBytesCanonical(x); err != nil {
		return pk, fmt.Errorf("key x: %w", err)
	}
	if err := pk.Y.SetBytesCanonical(y); err != nil {
		return pk, fmt.Errorf("key y: %w", err)
	}
	return pk, nil
}

func parseU256(s string) (uint256.Int, error) {
	var v uint256.Int
	if err := v.SetFromDecimal(s); err != nil {
		return v, fmt.Errorf("%q: %w", s, err)
	}
	return v, nil
}

// Save writes the state to path atomically (JSON).
func (s *State) Save(path string) error {
	root := s.rootBytes()
	f := savedState{
		Version: stateVersion, ChainID: s.chainID, Contract: s.contract, Circuit: s.cfg,
		Batch: s.batch, Block: s.block, LogIndex: s.logIndex, Root: root[:], DepositHead: s.depositHead,
		Stats: savedStats{Deposits: s.stats.Deposits, Transfers: s.stats.Transfers, Withdrawals: s.stats.Withdrawals,
			Deposited: s.stats.Deposited.Dec(), Withdrawn: s.stats.Withdrawn.Dec(), Fees: s.stats.Fees.Dec()},
		Queue:    make([]savedDeposit, len(s.queue)),
		Accounts: make([]savedAccount, len(s.accounts)-1),
	}
	for i, d := range s.queue {
		x, y := keyParts(d.PubKey)
		f.Queue[i] = savedDeposit{QueueIndex: d.QueueIndex, X: x, Y: y, Amount: d.Amount.Dec()}
	}
	for i, a := range s.accounts[1:] {
		x, y := keyParts(a.PubKey)
		f.Accounts[i] = savedAccount{X: x, Y: y, Balance: a.Balance.Dec(), Nonce: a.Nonce}
	}
	b, err := json.Marshal(&f)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("save audit state: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("save audit state: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("save audit state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save audit state: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save audit state: %w", err)
	}
	return nil
}

// LoadState reads a state saved by Save and checks that its accounts hash
// to the root it recorded. A missing file returns (nil, nil).
func LoadState(path string) (*State, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load audit state: %w", err)
	}
	var f savedState
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("load audit state %s: %w", path, err)
	}
	if f.Version != stateVersion {
		return nil, fmt.Errorf("load audit state %s: version %d, want %d", path, f.Version, stateVersion)
	}
	if err := f.Circuit.Check(); err != nil {
		return nil, fmt.Errorf("load audit state %s: %w", path, err)
	}
	accs := make([]protocol.Account, len(f.Accounts))
	for i, a := range f.Accounts {
		pk, err := keyFromParts(a.X, a.Y)
		if err != nil {
			return nil, fmt.Errorf("load audit state %s: account %d: %w", path, i+1, err)
		}
		bal, err := parseU256(a.Balance)
		if err != nil {
			return nil, fmt.Errorf("load audit state %s: account %d: balance %w", path, i+1, err)
		}
		accs[i] = protocol.Account{PubKey: pk, Balance: bal, Nonce: a.Nonce}
	}
	s, err := newState(f.Circuit, f.ChainID, f.Contract, accs)
	if err != nil {
		return nil, fmt.Errorf("load audit state %s: %w", path, err)
	}
	s.batch, s.block, s.logIndex, s.scanned, s.depositHead = f.Batch, f.Block, f.LogIndex, true, f.DepositHead
	for i, d := range f.Queue {
		pk, err := keyFromParts(d.X, d.Y)
		if err != nil {
			return nil, fmt.Errorf("load audit state %s: queue entry %d: %w", path, i, err)
		}
		amt, err := parseU256(d.Amount)
		if err != nil {
			return nil, fmt.Errorf("load audit state %s: queue entry %d: amount %w", path, i, err)
		}
		if d.QueueIndex != f.DepositHead+uint64(i) {
			return nil, fmt.Errorf("load audit state %s: queue entry %d has index %d", path, i, d.QueueIndex)
		}
		s.queue = append(s.queue, protocol.Deposit{QueueIndex: d.QueueIndex, PubKey: pk, Amount: amt})
	}
	st := f.Stats
	s.stats = Stats{Deposits: st.Deposits, Transfers: st.Transfers, Withdrawals: st.Withdrawals}
	for _, p := range []struct {
		dst *uint256.Int
		src string
	}{{&s.stats.Deposited, st.Deposited}, {&s.stats.Withdrawn, st.Withdrawn}, {&s.stats.Fees, st.Fees}} {
		v, err := parseU256(p.src)
		if err != nil {
			return nil, fmt.Errorf("load audit state %s: stats %w", path, err)
		}
		*p.dst = v
	}
	root := s.rootBytes()
	if !bytesEqual(root[:], f.Root) {
		return nil, fmt.Errorf("load audit state %s: accounts hash to %x, the file records root %x (corrupt or edited)", path, root, []byte(f.Root))
	}
	return s, nil
}

func bytesEqual(a, b []byte) bool { return string(a) == string(b) }

// bigU256 converts a non-negative big.Int below 2^256.
func bigU256(b *big.Int) (uint256.Int, bool) {
	var v uint256.Int
	overflow := v.SetFromBig(b)
	return v, !overflow && b.Sign() >= 0
}

func (s *State) rootBytes() [32]byte {
	r := s.Root()
	return r.Bytes()
}

// ReadGenesis reads the genesis accounts of a rollup deployed on a
// non-empty tree: a JSON array, index 1 first, of
// {"x": "0x…", "y": "0x…", "balance": "decimal", "nonce": n}.
func ReadGenesis(path string) ([]protocol.Account, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	}
	var in []savedAccount
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, fmt.Errorf("genesis %s: %w", path, err)
	}
	out := make([]protocol.Account, len(in))
	for i, a := range in {
		pk, err := keyFromParts(a.X, a.Y)
		if err != nil {
			return nil, fmt.Errorf("genesis %s: account %d: %w", path, i+1, err)
		}
		bal, err := parseU256(a.Balance)
		if err != nil {
			return nil, fmt.Errorf("genesis %s: account %d: balance %w", path, i+1, err)
		}
		out[i] = protocol.Account{PubKey: pk, Balance: bal, Nonce: a.Nonce}
	}
	return out, nil
}
