package circuits

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

var smallCfg = protocol.Config{Depth: 4, Deposits: 2, Transfers: 3, Withdrawals: 1}

// validBatch applies a batch with a new-key deposit, a top-up deposit,
// transfers (one a self-transfer) and a withdrawal.
func validBatch(t testing.TB, cfg protocol.Config) *protocol.Batch {
	t.Helper()
	w, err := protocoltest.NewWorld(cfg, 3, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	newKey := protocoltest.Keys(99, 1)[0]
	in := protocol.BatchInput{FeeAccount: 1}
	in.Deposits = append(in.Deposits, w.QueueDeposit(newKey.Public(), 5000))
	if cfg.Deposits > 1 {
		in.Deposits = append(in.Deposits, w.QueueDeposit(w.Keys[1].Public(), 7000))
	}
	in.Transfers = append(in.Transfers, w.Transfer(2, 3, 1200, 10, 0))
	if cfg.Transfers > 1 {
		in.Transfers = append(in.Transfers, w.Transfer(3, 3, 500, 20, 0)) // self-transfer
	}
	if cfg.Withdrawals > 0 {
		in.Withdrawals = append(in.Withdrawals, w.Withdrawal(2, [20]byte{0xaa, 0xbb}, 300, 30, 1))
	}
	b, err := w.State.ApplyBatch(in)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBatchSolved(t *testing.T) {
	b := validBatch(t, smallCfg)
	a, err := Assign(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := solved(t, smallCfg, a); err != nil {
		t.Fatal(err)
	}
}

// TestPreimageMatchesNative checks, bit by bit, that the circuit builds the
// same header ‖ pubdata bytes as protocol.Header.Bytes and the encoders.
func TestPreimageMatchesNative(t *testing.T) {
	b := validBatch(t, smallCfg)
	want := append(b.Header.Bytes(), b.Pubdata...)
	a, err := Assign(b)
	if err != nil {
		t.Fatal(err)
	}
	c := New(smallCfg)
	hook := func(api frontend.API, bits []frontend.Variable) {
		if len(bits) != 8*len(want) {
			t.Fatalf("preimage has %d bits, want %d", len(bits), 8*len(want))
		}
		for i, bit := range bits {
			wb := (want[i/8] >> (7 - uint(i%8))) & 1
			api.AssertIsEqual(bit, int(wb))
		}
	}
	c.preimageHook = &hook
	if err := test.IsSolved(c, a, ecc.BN254.ScalarField()); err != nil {
		t.Fatal(err)
	}
}
