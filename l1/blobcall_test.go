package l1

import (
	"bytes"
	"math/big"
	"strings"
	"testing"

	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
)

// The packed submitBlobBatch call decodes to what was packed, with the
// contract's split of data by the counts; layouts the contract refuses are
// refused by the decoder too, and Pack refuses arguments the contract
// would split elsewhere than meant.
func TestBlobBatchCallRoundTrip(t *testing.T) {
	cfg := protocol.Config{Depth: 24, Deposits: 4, ForcedExits: 2, Transfers: 8, Withdrawals: 4, DA: protocol.DABlob}
	fill := func(n int, b byte) []byte { return bytes.Repeat([]byte{b}, n) }
	r := bindings.NewRollup()
	for _, c := range []BlobBatchCall{
		{Number: 1, Proof: fill(256, 9)},
		{Number: 1<<64 - 1, Deposits: 4, ForcedExits: 2, Withdrawals: 4, Proof: fill(256, 9)},
		{Number: 7, Deposits: 1, Withdrawals: 3, Proof: fill(256, 9)},
	} {
		c.NewRoot[0], c.DataHash[31] = 1, 2
		c.V = new(big.Int).Lsh(big.NewInt(3), 250)
		c.Pubdata = fill(int(c.Deposits)*cfg.DepositBytes()+int(c.ForcedExits)*cfg.ForcedExitBytes()+int(c.Withdrawals)*cfg.WithdrawalBytes(), 5)
		c.Depositors = fill(20*int(c.Deposits), 6)
		c.KZG = fill(96, 7)
		data, err := c.Pack(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeBlobBatchCall(cfg, data)
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		if got.Number != c.Number || got.Deposits != c.Deposits || got.ForcedExits != c.ForcedExits || got.Withdrawals != c.Withdrawals ||
			got.NewRoot != c.NewRoot || got.DataHash != c.DataHash || got.V.Cmp(c.V) != 0 || !bytes.Equal(got.Pubdata, c.Pubdata) ||
			!bytes.Equal(got.Depositors, c.Depositors) || !bytes.Equal(got.KZG, c.KZG) || !bytes.Equal(got.Proof, c.Proof) {
			t.Fatalf("decoded %+v, packed %+v", got, c)
		}

		bad := c
		bad.KZG = c.KZG[:95]
		if _, err := bad.Pack(r); err == nil || !strings.Contains(err.Error(), "96") {
			t.Fatalf("Pack with a 95-byte KZG field: %v", err)
		}
		bad = c
		bad.Depositors = append(c.Depositors, 0)
		if _, err := bad.Pack(r); err == nil || !strings.Contains(err.Error(), "depositor") {
			t.Fatalf("Pack with a depositor byte too many: %v", err)
		}
		d := c.Data()
		short := r.PackSubmitBlobBatch(c.Head(), c.NewRoot, c.DataHash, c.V, d[:len(c.Pubdata)+len(c.Depositors)+95])
		if _, err := DecodeBlobBatchCall(cfg, short); err == nil || !strings.Contains(err.Error(), "at least") {
			t.Fatalf("decode of data cut into the KZG words: %v", err)
		}
		high := r.PackSubmitBlobBatch(new(big.Int).SetBit(c.Head(), 112, 1), c.NewRoot, c.DataHash, c.V, d)
		if _, err := DecodeBlobBatchCall(cfg, high); err == nil || !strings.Contains(err.Error(), "above bit") {
			t.Fatalf("decode of a head with bit 112 set: %v", err)
		}
	}
	if _, err := DecodeBlobBatchCall(cfg, r.PackNextBatch()); err == nil {
		t.Fatal("decoded another function's call")
	}
}
