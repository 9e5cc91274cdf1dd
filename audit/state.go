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

	depositHead uint64     // queue index of the next entry a batch consumes (deposit or forced exit)
	queue       []Entry    // queued on L1, not consumed yet (from depositHead)
	chain       fr.Element // forced-exit chain value of the last request queued

	exodus *Exodus // nil until ExodusActivated

	stats Stats
}

// Entry is a priority-queue entry as L1 logged it: a deposit (with the L1
// address that made it, which a refund pays) or a forced-exit request.
type Entry struct {
	Deposit   *protocol.Deposit
	Depositor common.Address
	Forced    *protocol.ForcedExit
}

// QueueIndex is the entry's position in the L1 priority queue.
func (e Entry) QueueIndex() uint64 {
	if e.Forced != nil {
		return e.Forced.QueueIndex
	}
	return e.Deposit.QueueIndex
}

// Exodus is what the auditor saw of exodus mode.
type Exodus struct {
	Head     uint64                // queue head when it started (the overdue entry)
	Root     [32]byte              // the frozen state root
	Exited   map[uint32]ExitRecord // by account index
	Refunded map[uint64]bool       // by queue index
}

// ExitRecord is one Exited event.
type ExitRecord struct {
	Recipient common.Address
	Balance   uint256.Int
}

// Stats are running totals over every batch applied.
type Stats struct {
	Deposits    uint64      `json:"deposits"`
	Transfers   uint64      `json:"transfers"`
	Withdrawals uint64      `json:"withdrawals"`
	Deposited   uint256.Int `json:"-"`
	Withdrawn   uint256.Int `json:"-"` // by withdrawals and valid forced exits
	Fees        uint256.Int `json:"-"`
	// Forced exits consumed, and those of them judged valid (the rest
	// were no-ops).
	ForcedExits, ForcedValid uint64
	// In exodus mode: exits and refunds seen, and what they paid.
	Exits, Refunds   uint64
	Exited, Refunded uint256.Int
}

func newState(cfg protocol.Config, chainID uint64, contract common.Address, genesis []protocol.Account) (*State, error) {
	t, err := smt.New(cfg.Depth)
	if err != nil {
		return nil, err
	}
	s := &State{cfg: cfg, chainID: chainID, contract: contract, tree: t, accounts: make([]protocol.Account, 1),
		chain: protocol.TagForcedExitChain}
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

// DepositTail is the number of priority-queue entries (deposits and forced
// exits) seen queued on L1.
func (s *State) DepositTail() uint64 { return s.depositHead + uint64(len(s.queue)) }

// Queue returns the entries queued on L1 and not consumed by any batch, in
// queue order (in exodus mode: the deposits to refund).
func (s *State) Queue() []Entry { return append([]Entry(nil), s.queue...) }

// Exodus is what the audit saw of exodus mode (nil: not active).
func (s *State) Exodus() *Exodus { return s.exodus }

// ChainID and Contract name the deployment the state is of.
func (s *State) ChainID() uint64          { return s.chainID }
func (s *State) Contract() common.Address { return s.contract }

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

// enqueue appends a Deposit or ForcedExitRequested event's entry; queue
// indexes must follow each other, and forced exits must extend the chain.
func (s *State) enqueue(e Entry) error {
	if want := s.DepositTail(); e.QueueIndex() != want {
		if e.QueueIndex() < want { // seen already (overlapping scans)
			return nil
		}
		return fmt.Errorf("queue event with queue index %d, expected %d (a Deposit or ForcedExitRequested event is missing)", e.QueueIndex(), want)
	}
	if s.exodus != nil {
		return fmt.Errorf("queue entry %d after exodus started: the contract refuses deposits and requests once frozen", e.QueueIndex())
	}
	if f := e.Forced; f != nil {
		if f.PrevChain != s.chain {
			return fmt.Errorf("forced exit %d: previous chain value %x, the requests before it give %x", f.QueueIndex, f.PrevChain.Bytes(), s.chain.Bytes())
		}
		s.chain = f.Chain()
	}
	s.queue = append(s.queue, e)
	return nil
}

// queueDeposit appends a deposit (for tests and older callers).
func (s *State) queueDeposit(d protocol.Deposit) error { return s.enqueue(Entry{Deposit: &d}) }

// applyOps replays a batch's decoded pubdata. It changes the state even
// when it fails: the caller stops at the first failure.
func (s *State) applyOps(ops []protocol.DecodedOp, feeAccount uint32) error {
	var fees uint256.Int
	nd, nf := 0, 0
	domain := protocol.DomainState(s.chainID, s.contract)
	for k, op := range ops {
		switch op.Type {
		case protocol.OpDeposit:
			if nd >= len(s.queue) || s.queue[nd].Deposit == nil {
				return fmt.Errorf("deposit slot %d: queue entry %d is not a deposit (or not queued)", nd, s.depositHead+uint64(nd))
			}
			q := *s.queue[nd].Deposit
			if q.PubKey.Bytes() != op.PubKey || q.Amount != op.Amount {
				return fmt.Errorf("deposit slot %d: pubdata differs from queue entry %d", nd, q.QueueIndex)
			}
			if err := s.deposit(op.Index, q); err != nil {
				return fmt.Errorf("deposit slot %d (queue %d): %w", nd, q.QueueIndex, err)
			}
			nd++
			s.stats.Deposits++
			s.stats.Deposited.Add(&s.stats.Deposited, &q.Amount)
		case protocol.OpForcedExit:
			if nd+nf >= len(s.queue) || s.queue[nd+nf].Forced == nil {
				return fmt.Errorf("forced-exit slot %d: queue entry %d is not a forced exit (or not queued)", nf, s.depositHead+uint64(nd+nf))
			}
			if err := s.forcedExit(op, s.queue[nd+nf].Forced, domain); err != nil {
				return fmt.Errorf("forced-exit slot %d (queue %d): %w", nf, s.queue[nd+nf].Forced.QueueIndex, err)
			}
			nf++
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
	s.depositHead += uint64(nd + nf)
	s.queue = append([]Entry(nil), s.queue[nd+nf:]...)
	return nil
}

// forcedExit replays a forced-exit slot against the request L1 queued. The
// outcome is not the pubdata's to choose: it is judged here as the circuit
// and protocol.Ledger.ApplyForcedExit judge it (the account exists, the
// request's nonce is its nonce and below 2^32 − 1, the signature verifies
// under its key by VerifyCofactored), and the slot must say exactly that:
// valid → the whole balance withdrawn to the request's recipient, flag 1,
// nonce advanced; otherwise a no-op (flag 0, amount 0, nothing changes).
func (s *State) forcedExit(op protocol.DecodedOp, f *protocol.ForcedExit, domain fr.Element) error {
	if op.Index != f.Index || op.L1Address != f.Recipient {
		return fmt.Errorf("pubdata names account %d and recipient %x, the request account %d and recipient %x",
			op.Index, op.L1Address, f.Index, f.Recipient)
	}
	acc, ok := s.Account(f.Index)
	valid := ok && f.Nonce == acc.Nonce && acc.Nonce != ^uint32(0) &&
		protocol.VerifyCofactored(acc.PubKey, f.Message(domain), f.Sig)
	s.stats.ForcedExits++
	switch {
	case valid && !op.Withdrawn:
		return fmt.Errorf("a valid request (nonce %d, signature verifies) recorded as a no-op", f.Nonce)
	case !valid && op.Withdrawn:
		return fmt.Errorf("an invalid request (account exists: %v, nonce %d, account nonce %d) recorded as a withdrawal of %s",
			ok, f.Nonce, acc.Nonce, op.Amount.Dec())
	case !valid:
		return nil
	case op.Amount != acc.Balance:
		return fmt.Errorf("withdraws %s, the account's whole balance is %s", op.Amount.Dec(), acc.Balance.Dec())
	}
	acc.Balance.Clear()
	acc.Nonce++
	s.put(f.Index, acc)
	s.stats.ForcedValid++
	s.stats.Withdrawn.Add(&s.stats.Withdrawn, &op.Amount)
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

// stateVersion 2: the queue holds forced exits and depositors; exodus.
const stateVersion = 2

type savedAccount struct {
	X       hexutil.Bytes `json:"x"`
	Y       hexutil.Bytes `json:"y"`
	Balance string        `json:"balance"`
	Nonce   uint32        `json:"nonce"`
}

type savedDeposit struct {
	QueueIndex uint64         `json:"queue_index"`
	X          hexutil.Bytes  `json:"x,omitempty"`
	Y          hexutil.Bytes  `json:"y,omitempty"`
	Amount     string         `json:"amount,omitempty"`
	Depositor  common.Address `json:"depositor"`
	Forced     *savedForced   `json:"forced_exit,omitempty"`
}

// savedForced is a forced-exit request (the ForcedExitRequested event).
type savedForced struct {
	Index     uint32         `json:"index"`
	Recipient common.Address `json:"recipient"`
	Nonce     uint32         `json:"nonce"`
	RX        hexutil.Bytes  `json:"rx"`
	RY        hexutil.Bytes  `json:"ry"`
	S         hexutil.Bytes  `json:"s"`
	PrevChain hexutil.Bytes  `json:"prev_chain"`
}

type savedExit struct {
	Index     uint32         `json:"index"`
	Recipient common.Address `json:"recipient"`
	Balance   string         `json:"balance"`
}

type savedExodus struct {
	Head     uint64        `json:"head"`
	Root     hexutil.Bytes `json:"root"`
	Exited   []savedExit   `json:"exited"`
	Refunded []uint64      `json:"refunded"`
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
	Chain       hexutil.Bytes   `json:"forced_exit_chain"`
	Exodus      *savedExodus    `json:"exodus,omitempty"`
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
	ForcedExits uint64 `json:"forced_exits"`
	ForcedValid uint64 `json:"forced_exits_valid"`
	Exits       uint64 `json:"exits"`
	Refunds     uint64 `json:"refunds"`
	Exited      string `json:"exited"`
	Refunded    string `json:"refunded"`
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
	chain := s.chain.Bytes()
	st := s.stats
	f := savedState{
		Version: stateVersion, ChainID: s.chainID, Contract: s.contract, Circuit: s.cfg,
		Batch: s.batch, Block: s.block, LogIndex: s.logIndex, Root: root[:], DepositHead: s.depositHead, Chain: chain[:],
		Stats: savedStats{Deposits: st.Deposits, Transfers: st.Transfers, Withdrawals: st.Withdrawals,
			Deposited: st.Deposited.Dec(), Withdrawn: st.Withdrawn.Dec(), Fees: st.Fees.Dec(),
			ForcedExits: st.ForcedExits, ForcedValid: st.ForcedValid, Exits: st.Exits, Refunds: st.Refunds,
			Exited: st.Exited.Dec(), Refunded: st.Refunded.Dec()},
		Queue:    make([]savedDeposit, len(s.queue)),
		Accounts: make([]savedAccount, len(s.accounts)-1),
	}
	for i, e := range s.queue {
		if fx := e.Forced; fx != nil {
			b := func(v fr.Element) hexutil.Bytes { x := v.Bytes(); return x[:] }
			f.Queue[i] = savedDeposit{QueueIndex: fx.QueueIndex, Forced: &savedForced{Index: fx.Index, Recipient: fx.Recipient,
				Nonce: fx.Nonce, RX: b(fx.Sig.R.X), RY: b(fx.Sig.R.Y), S: b(fx.Sig.S), PrevChain: b(fx.PrevChain)}}
			continue
		}
		d := e.Deposit
		x, y := keyParts(d.PubKey)
		f.Queue[i] = savedDeposit{QueueIndex: d.QueueIndex, X: x, Y: y, Amount: d.Amount.Dec(), Depositor: e.Depositor}
	}
	if x := s.exodus; x != nil {
		f.Exodus = &savedExodus{Head: x.Head, Root: x.Root[:], Exited: []savedExit{}, Refunded: []uint64{}}
		for i, r := range x.Exited {
			f.Exodus.Exited = append(f.Exodus.Exited, savedExit{Index: i, Recipient: r.Recipient, Balance: r.Balance.Dec()})
		}
		for q := range x.Refunded {
			f.Exodus.Refunded = append(f.Exodus.Refunded, q)
		}
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
	if err := s.chain.SetBytesCanonical(f.Chain); err != nil {
		return nil, fmt.Errorf("load audit state %s: forced-exit chain: %w", path, err)
	}
	for i, d := range f.Queue {
		if d.QueueIndex != f.DepositHead+uint64(i) {
			return nil, fmt.Errorf("load audit state %s: queue entry %d has index %d", path, i, d.QueueIndex)
		}
		if fx := d.Forced; fx != nil {
			e := protocol.ForcedExit{QueueIndex: d.QueueIndex, Index: fx.Index, Recipient: fx.Recipient, Nonce: fx.Nonce}
			for _, p := range []struct {
				dst *fr.Element
				src []byte
			}{{&e.Sig.R.X, fx.RX}, {&e.Sig.R.Y, fx.RY}, {&e.Sig.S, fx.S}, {&e.PrevChain, fx.PrevChain}} {
				if err := p.dst.SetBytesCanonical(p.src); err != nil {
					return nil, fmt.Errorf("load audit state %s: queue entry %d: %w", path, i, err)
				}
			}
			s.queue = append(s.queue, Entry{Forced: &e})
			continue
		}
		pk, err := keyFromParts(d.X, d.Y)
		if err != nil {
			return nil, fmt.Errorf("load audit state %s: queue entry %d: %w", path, i, err)
		}
		amt, err := parseU256(d.Amount)
		if err != nil {
			return nil, fmt.Errorf("load audit state %s: queue entry %d: amount %w", path, i, err)
		}
		s.queue = append(s.queue, Entry{Deposit: &protocol.Deposit{QueueIndex: d.QueueIndex, PubKey: pk, Amount: amt}, Depositor: d.Depositor})
	}
	if x := f.Exodus; x != nil {
		ex := &Exodus{Head: x.Head, Exited: map[uint32]ExitRecord{}, Refunded: map[uint64]bool{}}
		copy(ex.Root[:], x.Root)
		for _, e := range x.Exited {
			bal, err := parseU256(e.Balance)
			if err != nil {
				return nil, fmt.Errorf("load audit state %s: exit of %d: %w", path, e.Index, err)
			}
			ex.Exited[e.Index] = ExitRecord{Recipient: e.Recipient, Balance: bal}
		}
		for _, q := range x.Refunded {
			ex.Refunded[q] = true
		}
		s.exodus = ex
	}
	st := f.Stats
	s.stats = Stats{Deposits: st.Deposits, Transfers: st.Transfers, Withdrawals: st.Withdrawals,
		ForcedExits: st.ForcedExits, ForcedValid: st.ForcedValid, Exits: st.Exits, Refunds: st.Refunds}
	for _, p := range []struct {
		dst *uint256.Int
		src string
	}{{&s.stats.Deposited, st.Deposited}, {&s.stats.Withdrawn, st.Withdrawn}, {&s.stats.Fees, st.Fees},
		{&s.stats.Exited, st.Exited}, {&s.stats.Refunded, st.Refunded}} {
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
