package protocol_test

import (
	"errors"
	"testing"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// TestGenesisState: account 1 holds the fee key with nothing in it, the
// next deposit to a new key opens account 2, a deposit to the fee key
// credits account 1, and the root matches GenesisRoot (chain-independent).
func TestGenesisState(t *testing.T) {
	cfg := protocol.Config{Depth: 4, Deposits: 2, Transfers: 1, Withdrawals: 1}
	keys := protocoltest.Keys(61, 2)
	st, err := protocol.GenesisState(cfg, protocoltest.ChainID, protocoltest.Contract, keys[0].Public())
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := st.Account(protocol.FeeAccountIndex); !ok || a.PubKey != keys[0].Public() || !a.Balance.IsZero() || a.Nonce != 0 || st.NumAccounts() != 1 {
		t.Fatalf("genesis account 1 %+v", a)
	}
	root, err := protocol.GenesisRoot(cfg, keys[0].Public())
	if err != nil {
		t.Fatal(err)
	}
	if st.Root() != root {
		t.Fatal("GenesisRoot differs from GenesisState's root")
	}
	empty, _ := protocol.NewState(cfg, 0, [20]byte{})
	if empty.Root() == root {
		t.Fatal("genesis root is the empty tree's")
	}
	b, err := st.ApplyBatch(protocol.BatchInput{FeeAccount: protocol.FeeAccountIndex, Deposits: []protocol.Deposit{
		{QueueIndex: 0, PubKey: keys[1].Public(), Amount: protocoltest.U(5)},
		{QueueIndex: 1, PubKey: keys[0].Public(), Amount: protocoltest.U(7)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if b.Header.NextIndex != protocol.GenesisNextIndex || b.Deposits[0].Index != 2 || !b.Deposits[0].IsNew || b.Deposits[1].Index != 1 || b.Deposits[1].IsNew {
		t.Fatalf("header next index %d, deposits to %d (new %v) and %d (new %v)", b.Header.NextIndex,
			b.Deposits[0].Index, b.Deposits[0].IsNew, b.Deposits[1].Index, b.Deposits[1].IsNew)
	}
	// A key no deposit could use is refused.
	if _, err := protocol.GenesisState(cfg, 1, [20]byte{}, protocol.PublicKey{}); err == nil {
		t.Fatal("a zero fee key was accepted")
	}
}

// TestCheckCompact: the contract's shape rule for submitted counts (the
// contract side is l1.TestLivenessCountRuleAgreesWithAuditor).
func TestCheckCompact(t *testing.T) {
	cfg := protocol.Config{Depth: 12, Deposits: 1, Transfers: 3, Withdrawals: 1}
	tr := func(from uint32) []byte {
		b := make([]byte, cfg.TransferBytes())
		x := protocol.Transfer{From: from, To: 1, Amount: protocoltest.U(1)}
		protocol.EncodeTransfer(cfg, b, &x)
		return b
	}
	cat := func(p ...[]byte) []byte {
		var b []byte
		for _, x := range p {
			b = append(b, x...)
		}
		return b
	}
	zero := func(n int) []byte { return make([]byte, n) }
	dep := make([]byte, cfg.DepositBytes())
	dep[1] = 2 // index 2 (two-byte indexes)
	for _, tc := range []struct {
		name       string
		compact    []byte
		nd, nt, nw int
		err        error
	}{
		{"empty batch", nil, 0, 0, 0, nil},
		{"two transfers", cat(tr(1), tr(2)), 0, 2, 0, nil},
		{"sender 256 (low byte zero)", tr(256), 0, 1, 0, nil},
		{"padded transfer", cat(tr(1), zero(cfg.TransferBytes())), 0, 2, 0, protocol.ErrEmptySlot},
		{"padded withdrawal", zero(cfg.WithdrawalBytes()), 0, 0, 1, protocol.ErrEmptySlot},
		{"padded deposit", zero(cfg.DepositBytes()), 1, 0, 0, protocol.ErrEmptySlot},
		{"deposit", dep, 1, 0, 0, nil},
		{"too many", cat(tr(1), tr(1), tr(1), tr(1)), 0, 4, 0, protocol.ErrBadBatch},
		{"short", tr(1), 0, 2, 0, protocol.ErrBadBatch},
		{"negative", nil, -1, 0, 0, protocol.ErrBadBatch},
	} {
		err := protocol.CheckCompact(cfg, tc.compact, tc.nd, tc.nt, tc.nw)
		if tc.err == nil && err != nil || tc.err != nil && !errors.Is(err, tc.err) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.err)
		}
	}
}
