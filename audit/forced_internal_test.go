package audit

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// TestReplayForcedExits: the auditor judges each forced exit itself (as
// the circuit and protocol.Ledger.ApplyForcedExit do) and refuses pubdata
// that records another outcome, another amount or another request.
func TestReplayForcedExits(t *testing.T) {
	cfg := protocol.Config{Depth: 4, Deposits: 1, ForcedExits: 2, Transfers: 1, Withdrawals: 1}
	contract := common.HexToAddress("0x5eaf")
	const chainID = 1337
	k := protocoltest.Keys(41, 2)
	genesis := []protocol.Account{
		{PubKey: k[0].Public(), Balance: protocoltest.U(1000)},
		{PubKey: k[1].Public(), Balance: protocoltest.U(5000), Nonce: 3},
	}
	domain := protocol.DomainState(chainID, contract)
	to, badTo := [20]byte{0xaa}, [20]byte{0xbb}
	// Queue 0: account 2's valid request; queue 1: account 1's request
	// signed by account 2's key (invalid).
	valid := protocol.ForcedExit{QueueIndex: 0, Index: 2, Recipient: to, Nonce: 3, PrevChain: protocol.TagForcedExitChain}
	if err := valid.Sign(k[1], domain); err != nil {
		t.Fatal(err)
	}
	invalid := protocol.ForcedExit{QueueIndex: 1, Index: 1, Recipient: badTo, Nonce: 0, PrevChain: valid.Chain()}
	if err := invalid.Sign(k[1], domain); err != nil {
		t.Fatal(err)
	}
	// What the sequencer's ledger decides is what the auditor must accept.
	led, err := protocol.LoadLedger(cfg, chainID, contract, genesis, 0)
	if err != nil {
		t.Fatal(err)
	}
	o1, err1 := led.ApplyForcedExit(&valid)
	o2, err2 := led.ApplyForcedExit(&invalid)
	if err1 != nil || err2 != nil || !o1.Valid || o2.Valid || o1.Amount != protocoltest.U(5000) {
		t.Fatalf("ledger: %+v %v, %+v %v", o1, err1, o2, err2)
	}

	withdraw := func(index uint32, r [20]byte, amount uint64) protocol.DecodedOp {
		return protocol.DecodedOp{Type: protocol.OpForcedExit, Index: index, L1Address: r, Amount: protocoltest.U(amount), Withdrawn: true}
	}
	noop := func(index uint32, r [20]byte) protocol.DecodedOp {
		return protocol.DecodedOp{Type: protocol.OpForcedExit, Index: index, L1Address: r}
	}
	cases := []struct {
		name string
		ops  []protocol.DecodedOp
		err  string // "" = accepted
	}{
		{"honest: valid withdraws all, invalid is a no-op", []protocol.DecodedOp{withdraw(2, to, 5000), noop(1, badTo)}, ""},
		{"valid request recorded as a no-op", []protocol.DecodedOp{noop(2, to), noop(1, badTo)}, "recorded as a no-op"},
		{"invalid request recorded as a withdrawal", []protocol.DecodedOp{withdraw(2, to, 5000), withdraw(1, badTo, 1000)}, "recorded as a withdrawal"},
		{"less than the whole balance", []protocol.DecodedOp{withdraw(2, to, 4999), noop(1, badTo)}, "whole balance"},
		{"more than the whole balance", []protocol.DecodedOp{withdraw(2, to, 5001), noop(1, badTo)}, "whole balance"},
		{"another recipient", []protocol.DecodedOp{withdraw(2, badTo, 5000), noop(1, badTo)}, "recipient"},
		{"another account", []protocol.DecodedOp{withdraw(1, to, 1000), noop(1, badTo)}, "names account"},
		{"skips the forced exit with a deposit slot", []protocol.DecodedOp{{Type: protocol.OpDeposit, Index: 3}}, "not a deposit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, err := newState(cfg, chainID, contract, genesis)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []protocol.ForcedExit{valid, invalid} {
				if err := st.enqueue(Entry{Forced: &f}); err != nil {
					t.Fatal(err)
				}
			}
			err = st.applyOps(tc.ops, 1)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for i := uint32(1); i <= 2; i++ {
				got, _ := st.Account(i)
				want, _ := led.Account(i)
				if got != want {
					t.Fatalf("account %d: replayed %+v, ledger %+v", i, got, want)
				}
			}
			if s := st.Stats(); st.DepositHead() != 2 || s.ForcedExits != 2 || s.ForcedValid != 1 || s.Withdrawn != protocoltest.U(5000) {
				t.Fatalf("head %d, stats %+v", st.DepositHead(), s)
			}
		})
	}

	// A request whose previous chain value is not the chain so far.
	st, err := newState(cfg, chainID, contract, genesis)
	if err != nil {
		t.Fatal(err)
	}
	bad := invalid
	bad.QueueIndex = 0
	if err := st.enqueue(Entry{Forced: &bad}); err == nil || !strings.Contains(err.Error(), "chain") {
		t.Fatalf("a request out of the chain: %v", err)
	}
}
