package protocol_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"math/rand"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
	"github.com/sheafrollup/sheaf/protocol/smt"
)

var stateCfg = protocol.Config{Depth: 8, Deposits: 2, Transfers: 4, Withdrawals: 2}

const worldBalance = 1_000_000

func newWorld(t testing.TB, cfg protocol.Config) *protocoltest.World {
	t.Helper()
	w, err := protocoltest.NewWorld(cfg, 3, worldBalance)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// strangers are keys that own no account in a fresh world.
var strangers = protocoltest.Keys(77, 4)

var u = protocoltest.U

func big128Minus(n uint64) uint256.Int {
	var v uint256.Int
	v.Sub(protocol.MaxBalance, uint256.NewInt(n))
	return v
}

// snapshot is everything observable about a state.
type snapshot struct {
	root     fr.Element
	n        int
	accounts []protocol.Account
	next     uint64
	batch    uint64
	indexOf  map[[32]byte]uint32
	proofs   []smt.Proof
}

func allKeys(w *protocoltest.World) []protocol.PublicKey {
	var ks []protocol.PublicKey
	for _, k := range w.Keys {
		ks = append(ks, k.Public())
	}
	for _, k := range strangers {
		ks = append(ks, k.Public())
	}
	return ks
}

func takeSnapshot(t testing.TB, st *protocol.State, keys []protocol.PublicKey) snapshot {
	t.Helper()
	s := snapshot{root: st.Root(), n: st.NumAccounts(), next: st.NextDeposit(), batch: st.BatchNumber(), indexOf: map[[32]byte]uint32{}}
	for i := 0; i <= s.n+1; i++ {
		a, ok := st.Account(uint32(i))
		if ok != (i >= 1 && i <= s.n) {
			t.Fatalf("Account(%d) ok=%v with %d accounts", i, ok, s.n)
		}
		s.accounts = append(s.accounts, a)
		if uint64(i) >= st.Config().MaxAccounts() {
			continue
		}
		p, err := st.Proof(uint32(i))
		if err != nil {
			t.Fatal(err)
		}
		s.proofs = append(s.proofs, p)
	}
	for _, k := range keys {
		if i, ok := st.IndexOf(k); ok {
			s.indexOf[k.Bytes()] = i
		}
	}
	return s
}

func diffSnapshots(a, b snapshot) error {
	switch {
	case a.root != b.root:
		return errors.New("root changed")
	case a.n != b.n:
		return fmt.Errorf("NumAccounts %d -> %d", a.n, b.n)
	case a.next != b.next:
		return fmt.Errorf("NextDeposit %d -> %d", a.next, b.next)
	case a.batch != b.batch:
		return fmt.Errorf("BatchNumber %d -> %d", a.batch, b.batch)
	case len(a.indexOf) != len(b.indexOf):
		return fmt.Errorf("IndexOf knows %d keys -> %d", len(a.indexOf), len(b.indexOf))
	}
	if len(a.proofs) != len(b.proofs) {
		return fmt.Errorf("%d proofs -> %d", len(a.proofs), len(b.proofs))
	}
	for i := range a.accounts {
		if a.accounts[i] != b.accounts[i] {
			return fmt.Errorf("account %d changed: %+v -> %+v", i, a.accounts[i], b.accounts[i])
		}
	}
	for i := range a.proofs {
		pa, pb := a.proofs[i], b.proofs[i]
		if pa.Leaf != pb.Leaf || len(pa.Siblings) != len(pb.Siblings) {
			return fmt.Errorf("proof of %d changed", i)
		}
		for l := range pa.Siblings {
			if pa.Siblings[l] != pb.Siblings[l] {
				return fmt.Errorf("proof of %d changed at level %d", i, l)
			}
		}
	}
	for k, i := range a.indexOf {
		if j, ok := b.indexOf[k]; !ok || j != i {
			return fmt.Errorf("IndexOf(%x) %d -> %d (%v)", k[:4], i, j, ok)
		}
	}
	return nil
}

// checkConsistent recomputes the tree from scratch out of the accounts and
// compares the root and every account's Merkle path.
func checkConsistent(t testing.TB, st *protocol.State) {
	t.Helper()
	tr, err := smt.New(st.Config().Depth)
	if err != nil {
		t.Fatal(err)
	}
	leaves := make([]fr.Element, st.NumAccounts()+1)
	for i := 1; i < len(leaves); i++ {
		a, ok := st.Account(uint32(i))
		if !ok {
			t.Fatalf("Account(%d) missing", i)
		}
		leaves[i] = protocol.LeafHash(a)
	}
	if err := tr.Load(leaves); err != nil {
		t.Fatal(err)
	}
	if tr.Root() != st.Root() {
		t.Fatalf("state root differs from a tree rebuilt from the accounts")
	}
	for i := range leaves {
		want, _ := tr.Proof(uint64(i))
		got, err := st.Proof(uint32(i))
		if err != nil {
			t.Fatal(err)
		}
		if got.Leaf != want.Leaf {
			t.Fatalf("leaf %d differs from rebuilt tree", i)
		}
		for l := range want.Siblings {
			if got.Siblings[l] != want.Siblings[l] {
				t.Fatalf("proof of %d differs from rebuilt tree at level %d", i, l)
			}
		}
	}
}

// signedTransfer signs tr; amounts Sign refuses (≥ 2^128) are signed over
// the raw message, as a hostile wallet would, so the state's own check is tested.
func signedTransfer(t testing.TB, st *protocol.State, k protocol.PrivateKey, tr protocol.Transfer) protocol.Transfer {
	t.Helper()
	err := tr.Sign(k, st.DomainState())
	if errors.Is(err, protocol.ErrAmountTooLarge) {
		tr.Sig, err = k.Sign(tr.Message(st.DomainState()))
	}
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func signedWithdrawal(t testing.TB, st *protocol.State, k protocol.PrivateKey, wd protocol.Withdrawal) protocol.Withdrawal {
	t.Helper()
	err := wd.Sign(k, st.DomainState())
	if errors.Is(err, protocol.ErrAmountTooLarge) {
		wd.Sig, err = k.Sign(wd.Message(st.DomainState()))
	}
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

var l1Addr = [20]byte{0xaa, 0xbb, 0xcc}

// TestStateRejects: every named error, each from a fresh world; a failing
// operation leaves the state exactly as it was.
func TestStateRejects(t *testing.T) {
	type action func() error
	tests := []struct {
		name    string
		cfg     *protocol.Config
		prepare func(t *testing.T, w *protocoltest.World) action
		want    error
	}{
		// --- signatures ---
		{"transfer signed by another key", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := signedTransfer(t, w.State, w.Keys[1], protocol.Transfer{From: 1, To: 2, Amount: u(100), Fee: u(1)})
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrBadSignature},
		{"transfer signature over a different amount", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(1, 2, 100, 1, 0)
			tr.Amount = u(200)
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrBadSignature},
		{"transfer signature over a different fee", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(1, 2, 100, 1, 0)
			tr.Fee = u(2)
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrBadSignature},
		{"transfer signature over a different recipient", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(1, 2, 100, 1, 0)
			tr.To = 3
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrBadSignature},
		{"transfer with a zero signature", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(1, 2, 100, 1, 0)
			tr.Sig = protocol.Signature{}
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrBadSignature},
		{"transfer signed for another deployment", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := protocol.Transfer{From: 1, To: 2, Amount: u(100), Fee: u(1)}
			if err := tr.Sign(w.Keys[0], protocol.DomainState(protocoltest.ChainID+1, protocoltest.Contract)); err != nil {
				t.Fatal(err)
			}
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrBadSignature},
		{"withdrawal carrying a transfer's signature (op type bound)", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(1, 2, 100, 1, 0)
			var to [20]byte
			to[19] = 2 // same recipient integer as the transfer
			wd := protocol.Withdrawal{From: 1, To: to, Amount: u(100), Fee: u(1), Sig: tr.Sig}
			return func() error { _, err := w.State.ApplyWithdrawal(wd); return err }
		}, protocol.ErrBadSignature},
		{"withdrawal signed by another key", nil, func(t *testing.T, w *protocoltest.World) action {
			wd := signedWithdrawal(t, w.State, w.Keys[2], protocol.Withdrawal{From: 1, To: l1Addr, Amount: u(100), Fee: u(1)})
			return func() error { _, err := w.State.ApplyWithdrawal(wd); return err }
		}, protocol.ErrBadSignature},
		{"withdrawal signature over a different address", nil, func(t *testing.T, w *protocoltest.World) action {
			wd := w.Withdrawal(1, l1Addr, 100, 1, 0)
			wd.To[0] ^= 1
			return func() error { _, err := w.State.ApplyWithdrawal(wd); return err }
		}, protocol.ErrBadSignature},
		{"withdrawal signature over a different amount", nil, func(t *testing.T, w *protocoltest.World) action {
			wd := w.Withdrawal(1, l1Addr, 100, 1, 0)
			wd.Amount = u(10)
			return func() error { _, err := w.State.ApplyWithdrawal(wd); return err }
		}, protocol.ErrBadSignature},

		// --- nonces ---
		{"replayed transfer (nonce too low)", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(1, 2, 100, 1, 0)
			if _, err := w.State.ApplyTransfer(tr); err != nil {
				t.Fatal(err)
			}
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrWrongNonce},
		{"replayed transfer in a later batch", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(1, 2, 100, 1, 0)
			if _, err := w.State.ApplyBatch(protocol.BatchInput{FeeAccount: 3, Transfers: []protocol.Transfer{tr}}); err != nil {
				t.Fatal(err)
			}
			return func() error {
				_, err := w.State.ApplyBatch(protocol.BatchInput{FeeAccount: 3, Transfers: []protocol.Transfer{tr}})
				return err
			}
		}, protocol.ErrWrongNonce},
		{"replayed transfer within one batch", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(1, 2, 100, 1, 0)
			return func() error {
				_, err := w.State.ApplyBatch(protocol.BatchInput{FeeAccount: 3, Transfers: []protocol.Transfer{tr, tr}})
				return err
			}
		}, protocol.ErrWrongNonce},
		{"transfer nonce too high", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(1, 2, 100, 1, 1)
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrWrongNonce},
		{"replayed withdrawal", nil, func(t *testing.T, w *protocoltest.World) action {
			wd := w.Withdrawal(1, l1Addr, 100, 1, 0)
			if _, err := w.State.ApplyWithdrawal(wd); err != nil {
				t.Fatal(err)
			}
			return func() error { _, err := w.State.ApplyWithdrawal(wd); return err }
		}, protocol.ErrWrongNonce},
		{"withdrawal nonce too high", nil, func(t *testing.T, w *protocoltest.World) action {
			wd := w.Withdrawal(1, l1Addr, 100, 1, 5)
			return func() error { _, err := w.State.ApplyWithdrawal(wd); return err }
		}, protocol.ErrWrongNonce},

		// --- balances ---
		{"transfer overdraft by one (amount+fee = balance+1)", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(1, 2, worldBalance-10, 11, 0)
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrInsufficientBalance},
		{"transfer amount alone above balance", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(1, 2, worldBalance+1, 0, 0)
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrInsufficientBalance},
		{"self-transfer overdraft by one", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(2, 2, worldBalance, 1, 0)
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrInsufficientBalance},
		{"withdrawal overdraft by one", nil, func(t *testing.T, w *protocoltest.World) action {
			wd := w.Withdrawal(1, l1Addr, worldBalance, 1, 0)
			return func() error { _, err := w.State.ApplyWithdrawal(wd); return err }
		}, protocol.ErrInsufficientBalance},
		{"transfer overflows the recipient", nil, func(t *testing.T, w *protocoltest.World) action {
			d := protocol.Deposit{QueueIndex: w.State.NextDeposit(), PubKey: strangers[0].Public(), Amount: big128Minus(1000)}
			dw, err := w.State.ApplyDeposit(d)
			if err != nil || dw.Index != 4 {
				t.Fatalf("big deposit: %v, index %d", err, dw.Index)
			}
			// 999 still fits (sum 2^128-1), 1000 does not.
			if err := w.State.CheckTransfer(ptr(w.Transfer(1, 4, 999, 0, 0))); err != nil {
				t.Fatalf("transfer to 2^128-1 rejected: %v", err)
			}
			tr := w.Transfer(1, 4, 1000, 0, 0)
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrBalanceOverflow},
		{"transfer overflows the recipient inside a batch", nil, func(t *testing.T, w *protocoltest.World) action {
			d := protocol.Deposit{QueueIndex: w.State.NextDeposit(), PubKey: strangers[0].Public(), Amount: big128Minus(1000)}
			if _, err := w.State.ApplyDeposit(d); err != nil {
				t.Fatal(err)
			}
			in := protocol.BatchInput{FeeAccount: 2, Transfers: []protocol.Transfer{w.Transfer(1, 4, 500, 1, 0), w.Transfer(1, 4, 500, 1, 1)}}
			return func() error { _, err := w.State.ApplyBatch(in); return err }
		}, protocol.ErrBalanceOverflow},

		// --- accounts ---
		{"transfer from an unknown sender", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := signedTransfer(t, w.State, w.Keys[0], protocol.Transfer{From: 9, To: 2, Amount: u(100), Fee: u(1)})
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrUnknownAccount},
		{"transfer to an unknown recipient", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(1, 9, 100, 1, 0)
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrUnknownAccount},
		{"transfer to an index beyond the tree", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(1, 1<<20, 100, 1, 0)
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrUnknownAccount},
		{"transfer to the next free index", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(1, uint32(w.State.NumAccounts()+1), 100, 1, 0)
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrUnknownAccount},
		{"withdrawal from an unknown sender", nil, func(t *testing.T, w *protocoltest.World) action {
			wd := signedWithdrawal(t, w.State, w.Keys[0], protocol.Withdrawal{From: 4, To: l1Addr, Amount: u(100), Fee: u(1)})
			return func() error { _, err := w.State.ApplyWithdrawal(wd); return err }
		}, protocol.ErrUnknownAccount},
		{"transfer from account 0", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := signedTransfer(t, w.State, w.Keys[0], protocol.Transfer{From: 0, To: 2, Amount: u(100), Fee: u(1)})
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrReservedAccount},
		{"transfer to account 0", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(1, 0, 100, 1, 0)
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrReservedAccount},
		{"withdrawal from account 0", nil, func(t *testing.T, w *protocoltest.World) action {
			wd := signedWithdrawal(t, w.State, w.Keys[0], protocol.Withdrawal{From: 0, To: l1Addr, Amount: u(100), Fee: u(1)})
			return func() error { _, err := w.State.ApplyWithdrawal(wd); return err }
		}, protocol.ErrReservedAccount},

		// --- encodings ---
		{"transfer amount not encodable", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(1, 2, 1<<32+1, 1, 0)
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrNotEncodable},
		{"transfer fee not encodable", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := w.Transfer(1, 2, 100, 65, 0)
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrNotEncodable},
		{"withdrawal amount not encodable", nil, func(t *testing.T, w *protocoltest.World) action {
			wd := w.Withdrawal(1, l1Addr, 12345678901, 0, 0)
			return func() error { _, err := w.State.ApplyWithdrawal(wd); return err }
		}, protocol.ErrNotEncodable},
		{"withdrawal fee not encodable", nil, func(t *testing.T, w *protocoltest.World) action {
			wd := w.Withdrawal(1, l1Addr, 100, 1234567, 0)
			return func() error { _, err := w.State.ApplyWithdrawal(wd); return err }
		}, protocol.ErrNotEncodable},
		{"transfer amount 10^39 (encodable, above 2^128)", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := signedTransfer(t, w.State, w.Keys[0], protocol.Transfer{From: 1, To: 2, Amount: *pow10(39), Fee: u(1)})
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrAmountTooLarge},
		{"transfer amount exactly 2^128", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := signedTransfer(t, w.State, w.Keys[0], protocol.Transfer{From: 1, To: 2, Amount: *protocol.MaxBalance, Fee: u(1)})
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrAmountTooLarge},
		{"transfer fee 2^128", nil, func(t *testing.T, w *protocoltest.World) action {
			tr := signedTransfer(t, w.State, w.Keys[0], protocol.Transfer{From: 1, To: 2, Amount: u(1), Fee: *protocol.MaxBalance})
			return func() error { _, err := w.State.ApplyTransfer(tr); return err }
		}, protocol.ErrAmountTooLarge},
		{"withdrawal amount 10^39", nil, func(t *testing.T, w *protocoltest.World) action {
			wd := signedWithdrawal(t, w.State, w.Keys[0], protocol.Withdrawal{From: 1, To: l1Addr, Amount: *pow10(39)})
			return func() error { _, err := w.State.ApplyWithdrawal(wd); return err }
		}, protocol.ErrAmountTooLarge},

		// --- deposits ---
		{"deposit skipping a queue entry", nil, func(t *testing.T, w *protocoltest.World) action {
			d := protocol.Deposit{QueueIndex: w.State.NextDeposit() + 1, PubKey: strangers[0].Public(), Amount: u(5)}
			return func() error { _, err := w.State.ApplyDeposit(d); return err }
		}, protocol.ErrDepositOrder},
		{"deposit replaying a consumed queue entry", nil, func(t *testing.T, w *protocoltest.World) action {
			d := protocol.Deposit{QueueIndex: w.State.NextDeposit() - 1, PubKey: w.Keys[2].Public(), Amount: u(worldBalance)}
			return func() error { _, err := w.State.ApplyDeposit(d); return err }
		}, protocol.ErrDepositOrder},
		{"deposit with a small-order key (0,-1)", nil, func(t *testing.T, w *protocoltest.World) action {
			var pk protocol.PublicKey
			pk.Y.SetOne().Neg(&pk.Y)
			d := protocol.Deposit{QueueIndex: w.State.NextDeposit(), PubKey: pk, Amount: u(5)}
			return func() error { _, err := w.State.ApplyDeposit(d); return err }
		}, protocol.ErrBadPublicKey},
		{"deposit with the identity key", nil, func(t *testing.T, w *protocoltest.World) action {
			var pk protocol.PublicKey
			pk.Y.SetOne()
			d := protocol.Deposit{QueueIndex: w.State.NextDeposit(), PubKey: pk, Amount: u(5)}
			return func() error { _, err := w.State.ApplyDeposit(d); return err }
		}, protocol.ErrBadPublicKey},
		{"deposit with an off-curve key", nil, func(t *testing.T, w *protocoltest.World) action {
			pk := strangers[0].Public()
			pk.X.Add(&pk.X, new(fr.Element).SetOne())
			d := protocol.Deposit{QueueIndex: w.State.NextDeposit(), PubKey: pk, Amount: u(5)}
			return func() error { _, err := w.State.ApplyDeposit(d); return err }
		}, protocol.ErrBadPublicKey},
		{"deposit amount 2^128", nil, func(t *testing.T, w *protocoltest.World) action {
			d := protocol.Deposit{QueueIndex: w.State.NextDeposit(), PubKey: strangers[0].Public(), Amount: *protocol.MaxBalance}
			return func() error { _, err := w.State.ApplyDeposit(d); return err }
		}, protocol.ErrAmountTooLarge},
		{"deposit of a new key into a full tree", &protocol.Config{Depth: 2, Deposits: 2, Transfers: 1, Withdrawals: 1}, func(t *testing.T, w *protocoltest.World) action {
			d := protocol.Deposit{QueueIndex: w.State.NextDeposit(), PubKey: strangers[0].Public(), Amount: u(5)}
			return func() error { _, err := w.State.ApplyDeposit(d); return err }
		}, protocol.ErrTreeFull},
		{"overflowing deposit into a full tree", &protocol.Config{Depth: 2, Deposits: 2, Transfers: 1, Withdrawals: 1}, func(t *testing.T, w *protocoltest.World) action {
			d := protocol.Deposit{QueueIndex: w.State.NextDeposit(), PubKey: w.Keys[0].Public(), Amount: big128Minus(1)}
			return func() error { _, err := w.State.ApplyDeposit(d); return err }
		}, protocol.ErrTreeFull},

		// --- batches ---
		{"batch with fee account 0", nil, func(t *testing.T, w *protocoltest.World) action {
			in := protocol.BatchInput{FeeAccount: 0, Transfers: []protocol.Transfer{w.Transfer(1, 2, 100, 5, 0)}}
			return func() error { _, err := w.State.ApplyBatch(in); return err }
		}, protocol.ErrNoFeeAccount},
		{"batch with a fee account beyond the accounts", nil, func(t *testing.T, w *protocoltest.World) action {
			in := protocol.BatchInput{FeeAccount: 9, Transfers: []protocol.Transfer{w.Transfer(1, 2, 100, 5, 0)}}
			return func() error { _, err := w.State.ApplyBatch(in); return err }
		}, protocol.ErrNoFeeAccount},
		{"empty batch with a missing fee account", nil, func(t *testing.T, w *protocoltest.World) action {
			return func() error { _, err := w.State.ApplyBatch(protocol.BatchInput{FeeAccount: 4}); return err }
		}, protocol.ErrNoFeeAccount},
		{"batch with too many deposits", nil, func(t *testing.T, w *protocoltest.World) action {
			var in protocol.BatchInput
			in.FeeAccount = 1
			for i := range 3 {
				in.Deposits = append(in.Deposits, w.QueueDeposit(strangers[i].Public(), 10))
			}
			return func() error { _, err := w.State.ApplyBatch(in); return err }
		}, protocol.ErrBatchFull},
		{"batch with too many transfers", nil, func(t *testing.T, w *protocoltest.World) action {
			in := protocol.BatchInput{FeeAccount: 1}
			for i := range 5 {
				in.Transfers = append(in.Transfers, w.Transfer(2, 3, 10, 0, uint32(i)))
			}
			return func() error { _, err := w.State.ApplyBatch(in); return err }
		}, protocol.ErrBatchFull},
		{"batch with too many withdrawals", nil, func(t *testing.T, w *protocoltest.World) action {
			in := protocol.BatchInput{FeeAccount: 1}
			for i := range 3 {
				in.Withdrawals = append(in.Withdrawals, w.Withdrawal(2, l1Addr, 10, 0, uint32(i)))
			}
			return func() error { _, err := w.State.ApplyBatch(in); return err }
		}, protocol.ErrBatchFull},
		{"batch whose second deposit is out of order", nil, func(t *testing.T, w *protocoltest.World) action {
			d0 := w.QueueDeposit(strangers[0].Public(), 10)
			w.QueueDeposit(strangers[1].Public(), 10)
			d2 := w.QueueDeposit(strangers[2].Public(), 10)
			in := protocol.BatchInput{FeeAccount: 1, Deposits: []protocol.Deposit{d0, d2}}
			return func() error { _, err := w.State.ApplyBatch(in); return err }
		}, protocol.ErrDepositOrder},
		{"batch whose last deposit has a small-order key", nil, func(t *testing.T, w *protocoltest.World) action {
			var pk protocol.PublicKey
			pk.Y.SetOne().Neg(&pk.Y)
			in := protocol.BatchInput{FeeAccount: 1, Deposits: []protocol.Deposit{
				w.QueueDeposit(strangers[0].Public(), 10), w.QueueDeposit(pk, 10)}}
			return func() error { _, err := w.State.ApplyBatch(in); return err }
		}, protocol.ErrBadPublicKey},
		{"batch whose last withdrawal fails after everything else succeeded", nil, func(t *testing.T, w *protocoltest.World) action {
			in := protocol.BatchInput{FeeAccount: 1}
			in.Deposits = []protocol.Deposit{
				w.QueueDeposit(strangers[0].Public(), 5000), // new account 4
				w.QueueDeposit(w.Keys[1].Public(), 7000),    // top-up of 2
			}
			in.Transfers = []protocol.Transfer{
				w.Transfer(2, 3, 1200, 10, 0),
				w.Transfer(3, 3, 500, 20, 0), // self-transfer
				w.Transfer(1, 2, 300, 1, 0),
				signedTransfer(t, w.State, w.Keys[1], protocol.Transfer{From: 2, To: 4, Amount: u(40), Fee: u(3), Nonce: 1}),
			}
			in.Withdrawals = []protocol.Withdrawal{
				w.Withdrawal(1, l1Addr, 300, 30, 1),
				w.Withdrawal(3, l1Addr, 1, 0, 5), // wrong nonce
			}
			return func() error { _, err := w.State.ApplyBatch(in); return err }
		}, protocol.ErrWrongNonce},
		{"batch whose last transfer overdraws", nil, func(t *testing.T, w *protocoltest.World) action {
			in := protocol.BatchInput{FeeAccount: 2}
			in.Deposits = []protocol.Deposit{w.QueueDeposit(strangers[0].Public(), 5000)}
			in.Transfers = []protocol.Transfer{
				w.Transfer(1, 4, 100, 1, 0),
				w.Transfer(1, 2, worldBalance-101, 1, 1), // one too many
			}
			return func() error { _, err := w.State.ApplyBatch(in); return err }
		}, protocol.ErrInsufficientBalance},
		{"batch whose fee credit overflows the fee account", nil, func(t *testing.T, w *protocoltest.World) action {
			d := protocol.Deposit{QueueIndex: w.State.NextDeposit(), PubKey: strangers[0].Public(), Amount: big128Minus(10)}
			if _, err := w.State.ApplyDeposit(d); err != nil {
				t.Fatal(err)
			}
			in := protocol.BatchInput{FeeAccount: 4,
				Deposits:    []protocol.Deposit{w.QueueDeposit(strangers[1].Public(), 1)},
				Transfers:   []protocol.Transfer{w.Transfer(1, 2, 100, 5, 0)},
				Withdrawals: []protocol.Withdrawal{w.Withdrawal(2, l1Addr, 100, 6, 0)},
			}
			return func() error { _, err := w.State.ApplyBatch(in); return err }
		}, protocol.ErrBalanceOverflow},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := stateCfg
			if tc.cfg != nil {
				cfg = *tc.cfg
			}
			w := newWorld(t, cfg)
			act := tc.prepare(t, w)
			keys := allKeys(w)
			before := takeSnapshot(t, w.State, keys)
			err := act()
			if !errors.Is(err, tc.want) {
				t.Fatalf("got error %v, want %v", err, tc.want)
			}
			t.Logf("error: %v", err)
			after := takeSnapshot(t, w.State, keys)
			if d := diffSnapshots(before, after); d != nil {
				t.Fatalf("state changed by a failed operation: %v", d)
			}
			checkConsistent(t, w.State)
			// The state stays usable: a valid batch applies on top.
			acc, _ := w.State.Account(3)
			tr := signedTransfer(t, w.State, w.Keys[2], protocol.Transfer{From: 3, To: 2, Amount: u(1), Fee: u(1), Nonce: acc.Nonce})
			if _, err := w.State.ApplyBatch(protocol.BatchInput{FeeAccount: 2, Transfers: []protocol.Transfer{tr}}); err != nil {
				t.Fatalf("valid batch after the failure: %v", err)
			}
			checkConsistent(t, w.State)
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestCheckDoesNotMutate: Check* validate without applying.
func TestCheckDoesNotMutate(t *testing.T) {
	w := newWorld(t, stateCfg)
	keys := allKeys(w)
	before := takeSnapshot(t, w.State, keys)
	if err := w.State.CheckTransfer(ptr(w.Transfer(1, 2, 100, 1, 0))); err != nil {
		t.Fatal(err)
	}
	if err := w.State.CheckWithdrawal(ptr(w.Withdrawal(1, l1Addr, 100, 1, 0))); err != nil {
		t.Fatal(err)
	}
	if err := w.State.CheckTransfer(ptr(w.Transfer(1, 2, 100, 1, 1))); !errors.Is(err, protocol.ErrWrongNonce) {
		t.Fatalf("CheckTransfer with a wrong nonce: %v", err)
	}
	if d := diffSnapshots(before, takeSnapshot(t, w.State, keys)); d != nil {
		t.Fatal(d)
	}
}

func TestDepositAssignsIndexes(t *testing.T) {
	w := newWorld(t, stateCfg)
	st := w.State
	n := st.NumAccounts()
	if n != 3 {
		t.Fatalf("fresh world has %d accounts", n)
	}
	pk := strangers[0].Public()
	if _, ok := st.IndexOf(pk); ok {
		t.Fatal("stranger already known")
	}

	// New key: next index.
	dw, err := st.ApplyDeposit(protocol.Deposit{QueueIndex: st.NextDeposit(), PubKey: pk, Amount: u(500)})
	if err != nil {
		t.Fatal(err)
	}
	if dw.Index != 4 || !dw.IsNew || st.NumAccounts() != 4 {
		t.Fatalf("new key: index %d new %v, %d accounts", dw.Index, dw.IsNew, st.NumAccounts())
	}
	if !dw.Before.Account.PubKey.IsZero() || dw.Before.Index != 4 {
		t.Fatalf("new key: witness Before is not the empty leaf: %+v", dw.Before)
	}
	if i, ok := st.IndexOf(pk); !ok || i != 4 {
		t.Fatalf("IndexOf(new key) = %d, %v", i, ok)
	}
	if a, _ := st.Account(4); a.PubKey != pk || a.Balance != u(500) || a.Nonce != 0 {
		t.Fatalf("new account = %+v", a)
	}

	// Same key again: same index, credited.
	dw, err = st.ApplyDeposit(protocol.Deposit{QueueIndex: st.NextDeposit(), PubKey: pk, Amount: u(250)})
	if err != nil {
		t.Fatal(err)
	}
	if dw.Index != 4 || dw.IsNew || st.NumAccounts() != 4 {
		t.Fatalf("same key: index %d new %v, %d accounts", dw.Index, dw.IsNew, st.NumAccounts())
	}
	if dw.Before.Account.Balance != u(500) {
		t.Fatalf("same key: witness Before balance %s", dw.Before.Account.Balance.Dec())
	}
	if a, _ := st.Account(4); a.Balance != u(750) {
		t.Fatalf("balance after top-up = %s", a.Balance.Dec())
	}

	// A deposit that would overflow opens a fresh index for the same key;
	// IndexOf keeps naming the first one.
	dw, err = st.ApplyDeposit(protocol.Deposit{QueueIndex: st.NextDeposit(), PubKey: pk, Amount: big128Minus(750)})
	if err != nil {
		t.Fatalf("overflowing deposit refused: %v", err)
	}
	if dw.Index != 5 || !dw.IsNew || st.NumAccounts() != 5 {
		t.Fatalf("overflow: index %d new %v, %d accounts", dw.Index, dw.IsNew, st.NumAccounts())
	}
	if a, _ := st.Account(4); a.Balance != u(750) {
		t.Fatalf("first account changed to %s", a.Balance.Dec())
	}
	if a, _ := st.Account(5); a.PubKey != pk || a.Balance != big128Minus(750) {
		t.Fatalf("fresh account = %+v", a)
	}
	if i, _ := st.IndexOf(pk); i != 4 {
		t.Fatalf("IndexOf after overflow = %d, want the first index 4", i)
	}
	// One below the limit is still credited in place.
	dw, err = st.ApplyDeposit(protocol.Deposit{QueueIndex: st.NextDeposit(), PubKey: pk, Amount: big128Minus(751)})
	if err != nil || dw.Index != 4 || dw.IsNew {
		t.Fatalf("deposit to exactly 2^128-1: index %d new %v err %v", dw.Index, dw.IsNew, err)
	}
	if a, _ := st.Account(4); a.Balance != big128Minus(1) {
		t.Fatalf("balance = %s, want 2^128-1", a.Balance.Dec())
	}
	if st.NextDeposit() != 7 {
		t.Fatalf("NextDeposit = %d, want 7", st.NextDeposit())
	}
	checkConsistent(t, st)
}

func TestSelfTransferCostsOnlyTheFee(t *testing.T) {
	w := newWorld(t, stateCfg)
	st := w.State
	tw, err := st.ApplyTransfer(w.Transfer(2, 2, 400_000, 30, 0))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := st.Account(2)
	if a.Balance != u(worldBalance-30) || a.Nonce != 1 {
		t.Fatalf("after self-transfer: balance %s nonce %d", a.Balance.Dec(), a.Nonce)
	}
	// The receiver witness reads back the sender's new leaf.
	if tw.Receiver.Account.Balance != u(worldBalance-400_030) || tw.Receiver.Account.Nonce != 1 {
		t.Fatalf("receiver witness = %+v", tw.Receiver.Account)
	}
	if tw.Sender.Account.Balance != u(worldBalance) || tw.Sender.Account.Nonce != 0 {
		t.Fatalf("sender witness = %+v", tw.Sender.Account)
	}
	// The whole balance can be moved to oneself.
	if _, err := st.ApplyTransfer(w.Transfer(2, 2, worldBalance-30, 0, 0)); err != nil {
		t.Fatalf("self-transfer of the whole balance: %v", err)
	}
	checkConsistent(t, st)
}

func sumBalances(st *protocol.State) *big.Int {
	s := new(big.Int)
	for i := 1; i <= st.NumAccounts(); i++ {
		a, _ := st.Account(uint32(i))
		s.Add(s, a.Balance.ToBig())
	}
	return s
}

func TestBatchFeesAndConservation(t *testing.T) {
	w := newWorld(t, stateCfg)
	st := w.State
	before := sumBalances(st)
	feeBefore, _ := st.Account(1)
	in := protocol.BatchInput{FeeAccount: 1}
	in.Deposits = []protocol.Deposit{
		w.QueueDeposit(strangers[0].Public(), 5000),
		w.QueueDeposit(w.Keys[1].Public(), 7000),
	}
	in.Transfers = []protocol.Transfer{
		w.Transfer(2, 3, 1200, 10, 0),
		w.Transfer(3, 3, 500, 20, 0),
		w.Transfer(1, 4, 100, 40, 0), // the fee account pays a fee too
		w.Transfer(2, 1, 1000, 0, 1),
	}
	in.Withdrawals = []protocol.Withdrawal{
		w.Withdrawal(2, l1Addr, 300, 30, 2),
		w.Withdrawal(1, [20]byte{1}, 2000, 50, 1),
	}
	b, err := st.ApplyBatch(in)
	if err != nil {
		t.Fatal(err)
	}
	const fees = 10 + 20 + 40 + 0 + 30 + 50
	if b.Fee.Total != u(fees) {
		t.Fatalf("fee witness total = %s, want %d", b.Fee.Total.Dec(), fees)
	}
	feeAfter, _ := st.Account(1)
	// Account 1: +fees, -(100+40), +1000, -(2000+50).
	want := feeBefore.Balance.Uint64() + fees - 140 + 1000 - 2050
	if feeAfter.Balance != u(want) {
		t.Fatalf("fee account balance %s, want %d", feeAfter.Balance.Dec(), want)
	}
	if b.Fee.Before.Index != 1 || b.Fee.Before.Account.Balance != u(feeBefore.Balance.Uint64()-140+1000-2050) {
		t.Fatalf("fee witness Before = %+v", b.Fee.Before)
	}
	after := sumBalances(st)
	wantSum := new(big.Int).Add(before, big.NewInt(5000+7000))
	wantSum.Sub(wantSum, big.NewInt(300+2000))
	if after.Cmp(wantSum) != 0 {
		t.Fatalf("sum of balances %s, want %s (before %s + deposits − withdrawals)", after, wantSum, before)
	}
	if st.BatchNumber() != 1 || b.Header.Number != 1 {
		t.Fatalf("batch number %d / header %d", st.BatchNumber(), b.Header.Number)
	}
	if b.Header.DepositStart != 3 || b.Header.DepositCount != 2 || st.NextDeposit() != 5 {
		t.Fatalf("deposit range %d+%d, next %d", b.Header.DepositStart, b.Header.DepositCount, st.NextDeposit())
	}
	if b.Header.NewRoot != st.Root() {
		t.Fatal("header new root is not the state root")
	}
	checkConsistent(t, st)
	// Nonces.
	for i, want := range map[uint32]uint32{1: 2, 2: 3, 3: 1, 4: 0} {
		if a, _ := st.Account(i); a.Nonce != want {
			t.Errorf("account %d nonce %d, want %d", i, a.Nonce, want)
		}
	}
	// Next batch starts from this root.
	b2, err := st.ApplyBatch(protocol.BatchInput{FeeAccount: 4})
	if err != nil {
		t.Fatal(err)
	}
	if b2.Header.OldRoot != b.Header.NewRoot || b2.Header.Number != 2 || b2.Header.DepositStart != 5 {
		t.Fatalf("second header = %+v", b2.Header)
	}
}

// --- randomized test against an independent model ---

type modelAcc struct {
	pk    protocol.PublicKey
	key   protocol.PrivateKey
	bal   *big.Int
	nonce uint32
}

type model struct {
	accs     []*modelAcc // [0] unused
	first    map[[32]byte]uint32
	next     uint64
	batch    uint64
	deposits *big.Int
	withdr   *big.Int
}

var two128 = new(big.Int).Lsh(big.NewInt(1), 128)

func (m *model) deposit(k protocol.PrivateKey, amount *big.Int) uint32 {
	pk := k.Public()
	m.next++
	m.deposits.Add(m.deposits, amount)
	if i, ok := m.first[pk.Bytes()]; ok {
		if s := new(big.Int).Add(m.accs[i].bal, amount); s.Cmp(two128) < 0 {
			m.accs[i].bal = s
			return i
		}
	} else {
		m.first[pk.Bytes()] = uint32(len(m.accs))
	}
	m.accs = append(m.accs, &modelAcc{pk: pk, key: k, bal: new(big.Int).Set(amount)})
	return uint32(len(m.accs) - 1)
}

// randEncodable returns a random exactly-encodable value ≤ limit (or 0).
func randEncodable(r *rand.Rand, f protocol.Float, limit *big.Int) *big.Int {
	for range 20 {
		m := r.Int63n(1<<uint(f.MantBits-1)) + 1
		if r.Intn(3) == 0 {
			m = r.Int63n(min(int64(100), int64(1)<<uint(f.MantBits)))
		}
		e := r.Intn(4)
		v := new(big.Int).Mul(big.NewInt(m), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(e)), nil))
		if v.Cmp(limit) <= 0 {
			return v
		}
	}
	return new(big.Int)
}

func toU(v *big.Int) uint256.Int {
	var x uint256.Int
	if x.SetFromBig(v) {
		panic("overflow")
	}
	return x
}

func TestRandomBatchesAgainstModel(t *testing.T) {
	cfg := stateCfg
	w := newWorld(t, cfg)
	st := w.State
	m := &model{first: map[[32]byte]uint32{}, deposits: new(big.Int), withdr: new(big.Int), accs: []*modelAcc{nil}}
	for _, k := range w.Keys {
		m.deposit(k, big.NewInt(worldBalance))
	}
	pool := append(append([]protocol.PrivateKey(nil), w.Keys...), protocoltest.Keys(1000, 6)...)
	r := rand.New(rand.NewSource(2024))
	nBatches := 40
	if testing.Short() {
		nBatches = 10
	}
	failures, nOps, nNew := 0, 0, 0
	for bn := 0; bn < nBatches; bn++ {
		// Sometimes a standalone operation first (outside any batch): a
		// later failed batch must not undo it.
		if r.Intn(3) == 0 {
			from := uint32(r.Intn(len(m.accs)-1) + 1)
			a := m.accs[from]
			amt := randEncodable(r, protocol.AmountFloat, a.bal)
			wd := signedWithdrawal(t, st, a.key, protocol.Withdrawal{From: from, To: l1Addr, Amount: toU(amt), Nonce: a.nonce})
			if _, err := st.ApplyWithdrawal(wd); err != nil {
				t.Fatalf("standalone withdrawal: %v", err)
			}
			a.bal.Sub(a.bal, amt)
			a.nonce++
			m.withdr.Add(m.withdr, amt)
			if _, err := st.ApplyWithdrawal(wd); !errors.Is(err, protocol.ErrWrongNonce) {
				t.Fatalf("standalone replay: %v", err)
			}
		}
		// Build a valid batch, applying it to the model as we go.
		in := protocol.BatchInput{}
		var wantOps []protocol.DecodedOp
		for range r.Intn(cfg.Deposits + 1) {
			k := pool[r.Intn(len(pool))]
			amt := big.NewInt(r.Int63n(1_000_000_000))
			if r.Intn(6) == 0 { // huge: overflows an existing account
				amt = new(big.Int).Sub(two128, big.NewInt(r.Int63n(1000)+1))
			}
			d := protocol.Deposit{QueueIndex: m.next, PubKey: k.Public(), Amount: toU(amt)}
			idx := m.deposit(k, amt)
			in.Deposits = append(in.Deposits, d)
			wantOps = append(wantOps, protocol.DecodedOp{Type: protocol.OpDeposit, Index: idx, PubKey: k.Public().Bytes(), Amount: d.Amount})
		}
		n := len(m.accs) - 1
		for range r.Intn(cfg.Transfers + 1) {
			from := uint32(r.Intn(n) + 1)
			to := uint32(r.Intn(n) + 1)
			a := m.accs[from]
			fee := randEncodable(r, protocol.FeeFloat, new(big.Int).Div(a.bal, big.NewInt(10)))
			limit := new(big.Int).Sub(a.bal, fee)
			if room := new(big.Int).Sub(two128, big.NewInt(1)); from != to {
				room.Sub(room, m.accs[to].bal)
				if room.Cmp(limit) < 0 {
					limit = room
				}
			}
			amt := randEncodable(r, protocol.AmountFloat, limit)
			tr := signedTransfer(t, st, a.key, protocol.Transfer{From: from, To: to, Amount: toU(amt), Fee: toU(fee), Nonce: a.nonce})
			a.bal.Sub(a.bal, new(big.Int).Add(amt, fee))
			a.nonce++
			m.accs[to].bal.Add(m.accs[to].bal, amt)
			in.Transfers = append(in.Transfers, tr)
			wantOps = append(wantOps, protocol.DecodedOp{Type: protocol.OpTransfer, Index: from, To: to, Amount: tr.Amount, Fee: tr.Fee})
		}
		for range r.Intn(cfg.Withdrawals + 1) {
			from := uint32(r.Intn(n) + 1)
			a := m.accs[from]
			fee := randEncodable(r, protocol.FeeFloat, new(big.Int).Div(a.bal, big.NewInt(10)))
			amt := randEncodable(r, protocol.AmountFloat, new(big.Int).Sub(a.bal, fee))
			var to [20]byte
			r.Read(to[:])
			wd := signedWithdrawal(t, st, a.key, protocol.Withdrawal{From: from, To: to, Amount: toU(amt), Fee: toU(fee), Nonce: a.nonce})
			a.bal.Sub(a.bal, new(big.Int).Add(amt, fee))
			a.nonce++
			m.withdr.Add(m.withdr, amt)
			in.Withdrawals = append(in.Withdrawals, wd)
			wantOps = append(wantOps, protocol.DecodedOp{Type: protocol.OpWithdraw, Index: from, L1Address: to, Amount: wd.Amount, Fee: wd.Fee})
		}
		var fees big.Int
		for _, tr := range in.Transfers {
			fees.Add(&fees, tr.Fee.ToBig())
		}
		for _, wd := range in.Withdrawals {
			fees.Add(&fees, wd.Fee.ToBig())
		}
		for {
			in.FeeAccount = uint32(r.Intn(n) + 1)
			if new(big.Int).Add(m.accs[in.FeeAccount].bal, &fees).Cmp(two128) < 0 {
				break
			}
		}
		m.accs[in.FeeAccount].bal.Add(m.accs[in.FeeAccount].bal, &fees)

		// First try a corrupted copy: it must fail and change nothing.
		for range 2 {
			bad, allowed := corrupt(t, r, st, in, n, m.accs[1])
			keys := allKeys(w)
			for _, k := range pool {
				keys = append(keys, k.Public())
			}
			before := takeSnapshot(t, st, keys)
			_, err := st.ApplyBatch(bad)
			ok := false
			for _, e := range allowed {
				ok = ok || errors.Is(err, e)
			}
			if !ok {
				t.Fatalf("batch %d: corrupted batch gave %v, want one of %v", bn, err, allowed)
			}
			failures++
			if d := diffSnapshots(before, takeSnapshot(t, st, keys)); d != nil {
				t.Fatalf("batch %d: failed batch changed the state: %v", bn, d)
			}
		}

		b, err := st.ApplyBatch(in)
		if err != nil {
			t.Fatalf("batch %d: valid batch rejected: %v", bn, err)
		}
		nOps += len(in.Deposits) + len(in.Transfers) + len(in.Withdrawals)
		for _, d := range b.Deposits {
			if d.IsNew {
				nNew++
			}
		}
		m.batch++
		compareModel(t, st, m)
		checkConsistent(t, st)

		ops, err := protocol.DecodePubdata(cfg, b.Pubdata)
		if err != nil {
			t.Fatal(err)
		}
		if len(ops) != len(wantOps) {
			t.Fatalf("batch %d: decoded %d ops, want %d", bn, len(ops), len(wantOps))
		}
		for i := range ops {
			if ops[i] != wantOps[i] {
				t.Fatalf("batch %d op %d: decoded %+v, want %+v", bn, i, ops[i], wantOps[i])
			}
		}
	}
	if failures == 0 {
		t.Fatal("no corrupted batch tried")
	}
	checkRestart(t, st, allKeys(w))
	t.Logf("%d batches, %d operations, %d new accounts, %d corrupted batches refused", nBatches, nOps, nNew, failures)
}

func compareModel(t *testing.T, st *protocol.State, m *model) {
	t.Helper()
	if st.NumAccounts() != len(m.accs)-1 {
		t.Fatalf("NumAccounts %d, model %d", st.NumAccounts(), len(m.accs)-1)
	}
	if st.NextDeposit() != m.next || st.BatchNumber() != m.batch {
		t.Fatalf("next deposit %d/%d, batch %d/%d", st.NextDeposit(), m.next, st.BatchNumber(), m.batch)
	}
	sum := new(big.Int)
	for i := 1; i < len(m.accs); i++ {
		a, ok := st.Account(uint32(i))
		ma := m.accs[i]
		if !ok || a.PubKey != ma.pk || a.Balance.ToBig().Cmp(ma.bal) != 0 || a.Nonce != ma.nonce {
			t.Fatalf("account %d = %+v (balance %s), model balance %s nonce %d", i, a, a.Balance.Dec(), ma.bal, ma.nonce)
		}
		sum.Add(sum, ma.bal)
	}
	for k, i := range m.first {
		var pk protocol.PublicKey
		for j := 1; j < len(m.accs); j++ {
			if m.accs[j].pk.Bytes() == k {
				pk = m.accs[j].pk
				break
			}
		}
		if got, ok := st.IndexOf(pk); !ok || got != i {
			t.Fatalf("IndexOf = %d, %v; model %d", got, ok, i)
		}
	}
	if want := new(big.Int).Sub(m.deposits, m.withdr); sum.Cmp(want) != 0 || sumBalances(st).Cmp(want) != 0 {
		t.Fatalf("sum of balances %s (state %s), deposits − withdrawals %s", sum, sumBalances(st), want)
	}
}

// corrupt returns a copy of a valid batch input with one operation made
// invalid, and the errors that may name the failure.
// acc1 is account 1 in the model after the batch.
func corrupt(t *testing.T, r *rand.Rand, st *protocol.State, in protocol.BatchInput, n int, acc1 *modelAcc) (protocol.BatchInput, []error) {
	t.Helper()
	out := in
	out.Deposits = append([]protocol.Deposit(nil), in.Deposits...)
	out.Transfers = append([]protocol.Transfer(nil), in.Transfers...)
	out.Withdrawals = append([]protocol.Withdrawal(nil), in.Withdrawals...)
	for {
		switch r.Intn(8) {
		case 0:
			out.FeeAccount = uint32([]int{0, n + 1, 200}[r.Intn(3)])
			return out, []error{protocol.ErrNoFeeAccount}
		case 1:
			if len(out.Deposits) == 0 {
				continue
			}
			i := r.Intn(len(out.Deposits))
			out.Deposits[i].QueueIndex += uint64(r.Intn(3)) + 1
			return out, []error{protocol.ErrDepositOrder}
		case 2:
			if len(out.Transfers) == 0 {
				continue
			}
			i := r.Intn(len(out.Transfers))
			out.Transfers[i].Sig.S.Add(&out.Transfers[i].Sig.S, new(fr.Element).SetOne())
			return out, []error{protocol.ErrBadSignature}
		case 3:
			if len(out.Transfers) == 0 {
				continue
			}
			i := r.Intn(len(out.Transfers))
			out.Transfers[i].Nonce++ // signature no longer matches either; the nonce is checked first
			return out, []error{protocol.ErrWrongNonce}
		case 4:
			if len(out.Withdrawals) == 0 {
				continue
			}
			i := r.Intn(len(out.Withdrawals))
			out.Withdrawals[i].To[r.Intn(20)] ^= 0x40
			return out, []error{protocol.ErrBadSignature}
		case 5:
			if len(out.Transfers) == 0 {
				continue
			}
			i := r.Intn(len(out.Transfers))
			out.Transfers[i].To = uint32(n + 1 + r.Intn(10))
			return out, []error{protocol.ErrUnknownAccount}
		case 6:
			// One transfer too many for the slots.
			for len(out.Transfers) <= st.Config().Transfers {
				out.Transfers = append(out.Transfers, protocol.Transfer{From: 1, To: 2})
			}
			return out, []error{protocol.ErrBatchFull}
		case 7:
			// An extra withdrawal at the end, from account 1, that overdraws.
			if len(out.Withdrawals) == st.Config().Withdrawals {
				out.Withdrawals = append(out.Withdrawals, protocol.Withdrawal{From: 1})
				return out, []error{protocol.ErrBatchFull}
			}
			// Account 1's balance when the withdrawal runs is at most its
			// final balance in the model (fees are credited after it).
			amount, want := new(big.Int).Set(two128), error(protocol.ErrAmountTooLarge)
			for p := big.NewInt(1); p.Cmp(two128) < 0; p.Mul(p, big.NewInt(10)) {
				if p.Cmp(acc1.bal) > 0 {
					amount, want = p, protocol.ErrInsufficientBalance
					break
				}
			}
			wd := signedWithdrawal(t, st, acc1.key, protocol.Withdrawal{From: 1, To: l1Addr, Amount: toU(amount), Nonce: acc1.nonce})
			out.Withdrawals = append(out.Withdrawals, wd)
			return out, []error{want}
		}
	}
}

// TestSignedMessageLanesDoNotAlias: e2 = fee·2^128 + amount is injective only
// for amount < 2^128. Transfer.Sign does not check the range, so a wallet
// signing an out-of-range amount signs another, valid, transfer.
func TestSignedMessageLanesDoNotAlias(t *testing.T) {
	ds := protocol.DomainState(protocoltest.ChainID, protocoltest.Contract)
	over := new(uint256.Int).AddUint64(protocol.MaxBalance, 5) // 2^128 + 5
	a := protocol.Transfer{From: 1, To: 2, Amount: *over, Fee: u(0)}
	b := protocol.Transfer{From: 1, To: 2, Amount: u(5), Fee: u(1)}
	if a.Message(ds) != b.Message(ds) {
		return
	}
	k := protocoltest.Keys(1, 1)[0]
	if err := a.Sign(k, ds); !errors.Is(err, protocol.ErrAmountTooLarge) {
		t.Fatalf("signing an amount ≥ 2^128 whose message aliases another: got %v, want ErrAmountTooLarge", err)
	}
}

// checkRestart rebuilds a state from its accounts (the restart path) and
// compares everything observable, then applies the same batch to both.
func checkRestart(t *testing.T, st *protocol.State, keys []protocol.PublicKey) {
	t.Helper()
	var accs []protocol.Account
	for i := 1; i <= st.NumAccounts(); i++ {
		a, _ := st.Account(uint32(i))
		accs = append(accs, a)
		keys = append(keys, a.PubKey)
	}
	re, err := protocol.LoadState(st.Config(), st.ChainID(), st.Contract(), accs, st.NextDeposit(), st.BatchNumber())
	if err != nil {
		t.Fatal(err)
	}
	if d := diffSnapshots(takeSnapshot(t, st, keys), takeSnapshot(t, re, keys)); d != nil {
		t.Fatalf("restored state differs: %v", d)
	}
	// The same batch on both gives the same header and pubdata.
	from := uint32(1)
	a, _ := st.Account(from)
	k := protocoltest.Keys(1, 1)[0] // account 1's key
	tr := protocol.Transfer{From: from, To: uint32(st.NumAccounts()), Amount: u(0), Fee: u(0), Nonce: a.Nonce}
	tr = signedTransfer(t, st, k, tr)
	in := protocol.BatchInput{FeeAccount: 1, Transfers: []protocol.Transfer{tr}}
	b1, err1 := st.ApplyBatch(in)
	b2, err2 := re.ApplyBatch(in)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if !bytes.Equal(b1.Header.Bytes(), b2.Header.Bytes()) || !bytes.Equal(b1.Pubdata, b2.Pubdata) {
		t.Fatal("restored state produced a different batch")
	}
}

func TestNonceExhausted(t *testing.T) {
	keys := protocoltest.Keys(1, 2)
	accs := []protocol.Account{
		{PubKey: keys[0].Public(), Balance: u(1000), Nonce: ^uint32(0)},
		{PubKey: keys[1].Public(), Balance: u(1000), Nonce: ^uint32(0) - 1},
	}
	st, err := protocol.LoadState(stateCfg, protocoltest.ChainID, protocoltest.Contract, accs, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	pks := []protocol.PublicKey{keys[0].Public(), keys[1].Public()}
	before := takeSnapshot(t, st, pks)
	tr := signedTransfer(t, st, keys[0], protocol.Transfer{From: 1, To: 2, Amount: u(1), Nonce: ^uint32(0)})
	if _, err := st.ApplyTransfer(tr); !errors.Is(err, protocol.ErrNonceExhausted) {
		t.Fatalf("transfer at the last nonce: %v", err)
	}
	wd := signedWithdrawal(t, st, keys[0], protocol.Withdrawal{From: 1, To: l1Addr, Amount: u(1), Nonce: ^uint32(0)})
	if _, err := st.ApplyBatch(protocol.BatchInput{FeeAccount: 2, Withdrawals: []protocol.Withdrawal{wd}}); !errors.Is(err, protocol.ErrNonceExhausted) {
		t.Fatalf("withdrawal at the last nonce: %v", err)
	}
	if d := diffSnapshots(before, takeSnapshot(t, st, pks)); d != nil {
		t.Fatal(d)
	}
	// One below the limit still works, and then the account is exhausted.
	tr = signedTransfer(t, st, keys[1], protocol.Transfer{From: 2, To: 1, Amount: u(1), Nonce: ^uint32(0) - 1})
	if _, err := st.ApplyTransfer(tr); err != nil {
		t.Fatalf("transfer at nonce 2^32-2: %v", err)
	}
	if a, _ := st.Account(2); a.Nonce != ^uint32(0) {
		t.Fatalf("nonce = %d", a.Nonce)
	}
	checkConsistent(t, st)
}
