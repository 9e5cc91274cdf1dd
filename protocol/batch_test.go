package protocol_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

func TestConfigSizes(t *testing.T) {
	prod := protocol.Config{Depth: 24, Deposits: 4, Transfers: 32, Withdrawals: 4}
	if got := prod.TransferBytes(); got != 12 {
		t.Errorf("TransferBytes at depth 24 = %d, want 12", got)
	}
	if got := prod.IndexBytes(); got != 3 {
		t.Errorf("IndexBytes at depth 24 = %d", got)
	}
	if got := prod.DepositBytes(); got != 3+32+16 {
		t.Errorf("DepositBytes at depth 24 = %d", got)
	}
	if got := prod.WithdrawalBytes(); got != 3+20+6 {
		t.Errorf("WithdrawalBytes at depth 24 = %d", got)
	}
	if got, want := prod.PubdataSize(), 4*51+32*12+4*29; got != want {
		t.Errorf("PubdataSize = %d, want %d", got, want)
	}
	for d, want := range map[int]int{2: 1, 8: 1, 9: 2, 16: 2, 17: 3, 24: 3, 25: 4, 32: 4} {
		if got := (protocol.Config{Depth: d, Transfers: 1}).IndexBytes(); got != want {
			t.Errorf("IndexBytes(depth %d) = %d, want %d", d, got, want)
		}
	}
	if protocol.HeaderSize != 118 {
		t.Errorf("HeaderSize = %d, want 118", protocol.HeaderSize)
	}
	for _, c := range []protocol.Config{
		{Depth: 1, Transfers: 1}, {Depth: 33, Transfers: 1}, {Depth: 8}, {Depth: 8, Deposits: -1, Transfers: 2},
	} {
		if c.Check() == nil {
			t.Errorf("Check(%+v) accepted", c)
		}
	}
	if err := prod.Check(); err != nil {
		t.Error(err)
	}
	if s := prod.String(); s != "d24-dep4-tx32-wd4" {
		t.Errorf("String() = %q", s)
	}
}

func TestHeaderBytesLayout(t *testing.T) {
	var h protocol.Header
	h.ChainID = 0x0102030405060708
	for i := range h.Contract {
		h.Contract[i] = byte(0x11 + i)
	}
	h.Number = 0x1112131415161718
	h.OldRoot.SetString("0x090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728")
	h.NewRoot.SetOne().Neg(&h.NewRoot) // r-1: the largest canonical value
	h.DepositStart = 0x2122232425262728
	h.DepositCount = 0x3132
	h.NextIndex = 0x51525354
	h.FeeAccount = 0x41424344
	b := h.Bytes()
	if len(b) != protocol.HeaderSize {
		t.Fatalf("len = %d, want %d", len(b), protocol.HeaderSize)
	}
	or, nr := h.OldRoot.Bytes(), h.NewRoot.Bytes()
	for _, f := range []struct {
		name     string
		off, end int
		want     []byte
	}{
		{"chainID", 0, 8, binary.BigEndian.AppendUint64(nil, h.ChainID)},
		{"contract", 8, 28, h.Contract[:]},
		{"number", 28, 36, binary.BigEndian.AppendUint64(nil, h.Number)},
		{"oldRoot", 36, 68, or[:]},
		{"newRoot", 68, 100, nr[:]},
		{"depositStart", 100, 108, binary.BigEndian.AppendUint64(nil, h.DepositStart)},
		{"depositCount", 108, 110, binary.BigEndian.AppendUint16(nil, h.DepositCount)},
		{"nextIndex", 110, 114, binary.BigEndian.AppendUint32(nil, h.NextIndex)},
		{"feeAccount", 114, 118, binary.BigEndian.AppendUint32(nil, h.FeeAccount)},
	} {
		if !bytes.Equal(b[f.off:f.end], f.want) {
			t.Errorf("%s at [%d:%d] = %x, want %x", f.name, f.off, f.end, b[f.off:f.end], f.want)
		}
	}
	// ParseHeader reads every field back.
	if back, err := protocol.ParseHeader(b); err != nil || back != h {
		t.Errorf("ParseHeader = %+v, %v; want %+v", back, err, h)
	}
	if _, err := protocol.ParseHeader(b[:len(b)-1]); !errors.Is(err, protocol.ErrBadBatch) {
		t.Errorf("short header: %v", err)
	}
	bad := bytes.Clone(b)
	copy(bad[36:68], bytes.Repeat([]byte{0xff}, 32)) // old root above the modulus
	if _, err := protocol.ParseHeader(bad); !errors.Is(err, protocol.ErrBadBatch) {
		t.Errorf("non-canonical root: %v", err)
	}
	// Spot-check the big-endian encodings by hand.
	if b[0] != 0x01 || b[7] != 0x08 || b[36] != 0x09 || b[67] != 0x28 || b[117] != 0x44 {
		t.Errorf("unexpected bytes: %x", b)
	}
	if hex.EncodeToString(b[68:100]) != "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000000" {
		t.Errorf("newRoot r-1 = %x", b[68:100])
	}
}

func TestPublicInput(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	mod := fr.Modulus()
	for i := range 500 {
		var h protocol.Header
		h.ChainID = r.Uint64()
		r.Read(h.Contract[:])
		h.Number = r.Uint64()
		h.OldRoot = randElem(r)
		h.NewRoot = randElem(r)
		h.DepositStart, h.DepositCount, h.NextIndex, h.FeeAccount = r.Uint64(), uint16(r.Uint32()), r.Uint32(), r.Uint32()
		pd := make([]byte, r.Intn(300))
		r.Read(pd)
		got := protocol.PublicInput(h, pd)

		d := sha256.Sum256(append(h.Bytes(), pd...))
		v := new(big.Int).SetBytes(d[:])
		v.And(v, new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 253), big.NewInt(1)))
		if v.Cmp(mod) >= 0 {
			t.Fatalf("masked digest ≥ modulus")
		}
		if gb := protocol.FrToBig(got); gb.Cmp(v) != 0 {
			t.Fatalf("case %d: PublicInput = %x, want sha256 & (2^253-1) = %x", i, gb, v)
		}
		// Top 3 bits cleared, nothing else.
		pb := got.Bytes()
		if pb[0]&0xe0 != 0 || pb[0] != d[0]&0x1f || !bytes.Equal(pb[1:], d[1:]) {
			t.Fatalf("case %d: public input bytes %x vs digest %x", i, pb, d)
		}
	}
	// The Batch method is the same function.
	w := newWorld(t, stateCfg)
	b, err := w.State.ApplyBatch(protocol.BatchInput{FeeAccount: 1, Transfers: []protocol.Transfer{w.Transfer(1, 2, 5, 1, 0)}})
	if err != nil {
		t.Fatal(err)
	}
	if b.PublicInput() != protocol.PublicInput(b.Header, b.Pubdata) {
		t.Fatal("Batch.PublicInput differs")
	}
	if protocol.PublicInputBits != 253 {
		t.Fatalf("PublicInputBits = %d", protocol.PublicInputBits)
	}
}

// decodeBatch applies a batch with every kind of operation, some slots left
// empty, and returns it with the ops it should decode to.
func decodeBatch(t *testing.T) (*protocol.Batch, []protocol.DecodedOp) {
	t.Helper()
	w := newWorld(t, stateCfg) // 2 deposit, 4 transfer, 2 withdrawal slots
	newKey := strangers[0]
	in := protocol.BatchInput{FeeAccount: 2}
	in.Deposits = []protocol.Deposit{w.QueueDeposit(newKey.Public(), 123_000_000_000)}
	in.Transfers = []protocol.Transfer{
		w.Transfer(1, 4, 900_000, 63, 0), // to the account the deposit opens
		w.Transfer(3, 3, 7, 0, 0),
	}
	addr := [20]byte{0xde, 0xad, 0xbe, 0xef, 19: 0x01}
	in.Withdrawals = []protocol.Withdrawal{w.Withdrawal(2, addr, 990_000, 50, 0)}
	b, err := w.State.ApplyBatch(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []protocol.DecodedOp{
		{Type: protocol.OpDeposit, Index: 4, PubKey: newKey.Public().Bytes(), Amount: u(123_000_000_000)},
		{Type: protocol.OpTransfer, Index: 1, To: 4, Amount: u(900_000), Fee: u(63)},
		{Type: protocol.OpTransfer, Index: 3, To: 3, Amount: u(7)},
		{Type: protocol.OpWithdraw, Index: 2, L1Address: addr, Amount: u(990_000), Fee: u(50)},
	}
	return b, want
}

func TestDecodePubdata(t *testing.T) {
	b, want := decodeBatch(t)
	cfg := b.Config
	if len(b.Pubdata) != cfg.PubdataSize() {
		t.Fatalf("pubdata %d bytes, want %d", len(b.Pubdata), cfg.PubdataSize())
	}
	ops, err := protocol.DecodePubdata(cfg, b.Pubdata)
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != len(want) {
		t.Fatalf("decoded %d ops, want %d: %+v", len(ops), len(want), ops)
	}
	for i := range ops {
		if ops[i] != want[i] {
			t.Errorf("op %d = %+v, want %+v", i, ops[i], want[i])
		}
	}
	// Unused slots are zero bytes.
	dB, tB, wB := cfg.DepositBytes(), cfg.TransferBytes(), cfg.WithdrawalBytes()
	zero := func(from, to int) {
		t.Helper()
		for i := from; i < to; i++ {
			if b.Pubdata[i] != 0 {
				t.Fatalf("padding byte %d = %#x", i, b.Pubdata[i])
			}
		}
	}
	zero(1*dB, 2*dB)
	zero(2*dB+2*tB, 2*dB+4*tB)
	zero(2*dB+4*tB+1*wB, 2*dB+4*tB+2*wB)

	// Decoding stops at the first no-op slot of each section: a stray
	// operation after a zero slot is not read.
	pd := append([]byte(nil), b.Pubdata...)
	copy(pd[2*dB+3*tB:], pd[2*dB:2*dB+tB]) // a copy of transfer 0 in slot 3
	ops2, err := protocol.DecodePubdata(cfg, pd)
	if err != nil || len(ops2) != len(want) {
		t.Fatalf("with a stray op after a no-op slot: %d ops, %v", len(ops2), err)
	}
	// Wrong lengths.
	for _, n := range []int{0, len(b.Pubdata) - 1, len(b.Pubdata) + 1} {
		if _, err := protocol.DecodePubdata(cfg, make([]byte, n)); !errors.Is(err, protocol.ErrBadBatch) {
			t.Errorf("DecodePubdata(%d bytes): %v", n, err)
		}
	}
	// A deposit's pubdata is index ‖ key ‖ 16-byte amount.
	pk := strangers[0].Public().Bytes()
	if b.Pubdata[0] != 4 || !bytes.Equal(b.Pubdata[1:33], pk[:]) {
		t.Fatalf("deposit slot = %x", b.Pubdata[:dB])
	}
	amt := make([]byte, 16)
	big.NewInt(123_000_000_000).FillBytes(amt)
	if !bytes.Equal(b.Pubdata[33:49], amt) {
		t.Fatalf("deposit amount bytes = %x", b.Pubdata[33:49])
	}
	// A transfer's pubdata is from ‖ to ‖ packed floats.
	tr := b.Pubdata[2*dB : 2*dB+tB]
	ac, _ := protocol.AmountFloat.Encode(uint256.NewInt(900_000))
	fc, _ := protocol.FeeFloat.Encode(uint256.NewInt(63))
	p := protocol.PackAmountFee(ac, fc)
	if tr[0] != 1 || tr[1] != 4 || !bytes.Equal(tr[2:], p[:]) {
		t.Fatalf("transfer slot = %x", tr)
	}
}

func TestCompactExpandPubdata(t *testing.T) {
	b, _ := decodeBatch(t)
	cfg := b.Config
	c := b.Compact()
	if len(c) != cfg.DepositBytes()+2*cfg.TransferBytes()+cfg.WithdrawalBytes() {
		t.Fatalf("compact is %d bytes", len(c))
	}
	if !bytes.Equal(c, protocol.CompactPubdata(cfg, b.Pubdata, protocol.Counts{Deposits: 1, Transfers: 2, Withdrawals: 1})) {
		t.Fatal("Batch.Compact differs from CompactPubdata")
	}
	e, err := protocol.ExpandPubdata(cfg, c, protocol.Counts{Deposits: 1, Transfers: 2, Withdrawals: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(e, b.Pubdata) {
		t.Fatalf("Expand(Compact(p)) != p\n%x\n%x", e, b.Pubdata)
	}
	// Random round trips over every count combination.
	r := rand.New(rand.NewSource(4))
	for nd := 0; nd <= cfg.Deposits; nd++ {
		for nt := 0; nt <= cfg.Transfers; nt++ {
			for nw := 0; nw <= cfg.Withdrawals; nw++ {
				comp := make([]byte, nd*cfg.DepositBytes()+nt*cfg.TransferBytes()+nw*cfg.WithdrawalBytes())
				r.Read(comp)
				full, err := protocol.ExpandPubdata(cfg, comp, protocol.Counts{Deposits: nd, Transfers: nt, Withdrawals: nw})
				if err != nil {
					t.Fatal(err)
				}
				if len(full) != cfg.PubdataSize() {
					t.Fatalf("expanded %d bytes", len(full))
				}
				if back := protocol.CompactPubdata(cfg, full, protocol.Counts{Deposits: nd, Transfers: nt, Withdrawals: nw}); !bytes.Equal(back, comp) {
					t.Fatalf("Compact(Expand(c)) != c for %d/%d/%d", nd, nt, nw)
				}
			}
		}
	}
	for _, tc := range []struct {
		name       string
		n          int
		nd, nt, nw int
	}{
		{"too short", len(c) - 1, 1, 2, 1},
		{"too long", len(c) + 1, 1, 2, 1},
		{"counts say fewer", len(c), 1, 1, 1},
		{"too many deposits", len(c), 3, 0, 0},
		{"too many transfers", len(c), 0, 5, 0},
		{"too many withdrawals", len(c), 0, 0, 3},
		{"negative count", len(c), -1, 2, 1},
	} {
		if _, err := protocol.ExpandPubdata(cfg, make([]byte, tc.n), protocol.Counts{Deposits: tc.nd, Transfers: tc.nt, Withdrawals: tc.nw}); !errors.Is(err, protocol.ErrBadBatch) {
			t.Errorf("%s: ExpandPubdata error %v, want ErrBadBatch", tc.name, err)
		}
	}
}

func TestEmptyBatchPubdata(t *testing.T) {
	w := newWorld(t, stateCfg)
	old := w.State.Root()
	b, err := w.State.ApplyBatch(protocol.BatchInput{FeeAccount: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Pubdata) != stateCfg.PubdataSize() {
		t.Fatalf("pubdata %d bytes", len(b.Pubdata))
	}
	if !bytes.Equal(b.Pubdata, make([]byte, len(b.Pubdata))) {
		t.Fatalf("empty batch pubdata is not all zero: %x", b.Pubdata)
	}
	if len(b.Compact()) != 0 {
		t.Fatalf("empty batch compact pubdata is %d bytes", len(b.Compact()))
	}
	if ops, err := protocol.DecodePubdata(stateCfg, b.Pubdata); err != nil || len(ops) != 0 {
		t.Fatalf("DecodePubdata(empty) = %v, %v", ops, err)
	}
	// The fee credit of zero rewrites the fee leaf with the same value.
	if b.Header.NewRoot != old || b.Header.OldRoot != old {
		t.Fatal("empty batch moved the root")
	}
	if b.Header.DepositCount != 0 || b.Header.DepositStart != 3 || b.Header.FeeAccount != 1 {
		t.Fatalf("header = %+v", b.Header)
	}
}

// --- golden vectors ---

// Regenerate with: go test ./protocol -run TestGoldenVectors -update
// Only for an intended change of an encoding: wallets and the contract are
// checked against this file.
var update = flag.Bool("update", false, "rewrite testdata/vectors.json from the current implementation")

const goldenPath = "testdata/vectors.json"

type goldenKey struct {
	Private    string // hex of PrivateKey.Bytes (test key!)
	X, Y       string
	Compressed string
}

type goldenFloat struct {
	Value      string
	AmountCode *uint64 `json:",omitempty"`
	FeeCode    *uint64 `json:",omitempty"`
}

type goldenMessage struct {
	Type      int
	From      uint32
	Nonce     uint32
	Recipient string // transfer: index (decimal); withdrawal: L1 address (hex)
	Amount    string
	Fee       string
	E1, E2    string
	Hash      string
	Signature string
}

type goldenVectors struct {
	Comment string
	Tags    struct{ Leaf, Message string }
	Keys    []goldenKey
	Leaf    struct {
		Key              int
		Balance          string
		Nonce            uint32
		KeyHash          string
		PackedLane       string
		LeafHash         string
		EmptyTreeRootD24 string
	}
	Domain struct {
		ChainID  uint64
		Contract string
		Element  string
		State    string
	}
	Transfer   goldenMessage
	Withdrawal goldenMessage
	Floats     []goldenFloat
	Batch      goldenBatch
	// Exits (issue 11): the forced-exit request and chain step, the exodus
	// message and exit public inputs, a deposit queue entry, and a batch
	// with forced-exit slots (152-byte header).
	ForcedExit struct {
		Index     uint32
		Recipient string
		Nonce     uint32
		E1        string
		Hash      string
		Signature string
		RX, RY, S string // the signature as requestForcedExit takes it
		PrevChain string
		Chain     string
	}
	Exodus struct {
		Index        uint32
		Recipient    string
		Hash         string
		Signature    string
		Balance      string
		PublicInputs []string // as the contract passes them to the exit verifier
	}
	DepositEntry struct {
		Key, Amount, Depositor string
		Hash                   string
	}
	ForcedExitBatch goldenBatch
}

type goldenBatch struct {
	Config      protocol.Config
	Header      string
	Pubdata     string
	Compact     string
	OldRoot     string
	NewRoot     string
	PublicInput string
}

func hexE(e fr.Element) string {
	b := e.Bytes()
	return "0x" + hex.EncodeToString(b[:])
}

func hexB(b []byte) string { return "0x" + hex.EncodeToString(b) }

func buildVectors(t *testing.T) *goldenVectors {
	t.Helper()
	var v goldenVectors
	v.Comment = "Sheaf protocol test vectors. Field elements are 32-byte big-endian hex. Regenerate only for an intended encoding change: go test ./protocol -run TestGoldenVectors -update"
	v.Tags.Leaf, v.Tags.Message = hexE(protocol.TagLeaf), hexE(protocol.TagMessage)

	keys := protocoltest.Keys(1, 3) // the keys of protocoltest.NewWorld's accounts 1..3
	keys = append(keys, protocoltest.Keys(42, 1)...)
	for _, k := range keys {
		pk := k.Public()
		c := pk.Bytes()
		v.Keys = append(v.Keys, goldenKey{Private: hexB(k.Bytes()), X: hexE(pk.X), Y: hexE(pk.Y), Compressed: hexB(c[:])})
	}

	acc := protocol.Account{PubKey: keys[0].Public(), Balance: *u256("123456789012345678901234567890"), Nonce: 7}
	v.Leaf.Key = 0
	v.Leaf.Balance = acc.Balance.Dec()
	v.Leaf.Nonce = acc.Nonce
	v.Leaf.KeyHash = hexE(protocol.KeyHash(acc.PubKey))
	v.Leaf.PackedLane = hexE(protocol.PackBalanceNonce(&acc.Balance, acc.Nonce))
	v.Leaf.LeafHash = hexE(protocol.LeafHash(acc))
	st24, err := protocol.NewState(protocol.Config{Depth: 24, Transfers: 1}, protocoltest.ChainID, protocoltest.Contract)
	if err != nil {
		t.Fatal(err)
	}
	v.Leaf.EmptyTreeRootD24 = hexE(st24.Root())

	v.Domain.ChainID = protocoltest.ChainID
	v.Domain.Contract = hexB(protocoltest.Contract[:])
	v.Domain.Element = hexE(protocol.DomainElement(protocoltest.ChainID, protocoltest.Contract))
	ds := protocol.DomainState(protocoltest.ChainID, protocoltest.Contract)
	v.Domain.State = hexE(ds)

	tr := protocol.Transfer{From: 2, To: 3, Amount: *mulU(pow10(15), 1234567), Fee: *mulU(pow10(12), 45), Nonce: 9}
	if err := tr.Sign(keys[1], ds); err != nil {
		t.Fatal(err)
	}
	e1, e2 := protocol.MessageFields(protocol.OpTransfer, tr.From, tr.Nonce, big.NewInt(int64(tr.To)), &tr.Amount, &tr.Fee)
	sb := tr.Sig.Bytes()
	v.Transfer = goldenMessage{Type: protocol.OpTransfer, From: tr.From, Nonce: tr.Nonce, Recipient: fmt.Sprint(tr.To),
		Amount: tr.Amount.Dec(), Fee: tr.Fee.Dec(), E1: hexE(e1), E2: hexE(e2), Hash: hexE(tr.Message(ds)), Signature: hexB(sb[:])}
	if protocol.MessageHash(ds, e1, e2) != tr.Message(ds) {
		t.Fatal("Transfer.Message != MessageHash(MessageFields)")
	}

	to := [20]byte{0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00, 0x12, 0x34, 0x56, 0x78}
	wd := protocol.Withdrawal{From: 3, To: to, Amount: *uint256.NewInt(4294967295), Fee: *uint256.NewInt(63), Nonce: 0xfffffffe}
	if err := wd.Sign(keys[2], ds); err != nil {
		t.Fatal(err)
	}
	e1, e2 = protocol.MessageFields(protocol.OpWithdraw, wd.From, wd.Nonce, new(big.Int).SetBytes(to[:]), &wd.Amount, &wd.Fee)
	sb = wd.Sig.Bytes()
	v.Withdrawal = goldenMessage{Type: protocol.OpWithdraw, From: wd.From, Nonce: wd.Nonce, Recipient: hexB(to[:]),
		Amount: wd.Amount.Dec(), Fee: wd.Fee.Dec(), E1: hexE(e1), E2: hexE(e2), Hash: hexE(wd.Message(ds)), Signature: hexB(sb[:])}
	if protocol.MessageHash(ds, e1, e2) != wd.Message(ds) {
		t.Fatal("Withdrawal.Message != MessageHash(MessageFields)")
	}

	for _, s := range []string{"0", "1", "63", "64", "100", "630", "4294967295", "4294967296", "42949672950",
		"1000000000000000000", "123456789000000000", "340282366920938463463374607431768211455",
		"340282366000000000000000000000000000000", "42949672950000000000000000000000000000000", "630000000000000000000000000000000"} {
		gf := goldenFloat{Value: s}
		if c, err := protocol.AmountFloat.Encode(u256(s)); err == nil {
			gf.AmountCode = &c
		}
		if c, err := protocol.FeeFloat.Encode(u256(s)); err == nil {
			gf.FeeCode = &c
		}
		v.Floats = append(v.Floats, gf)
	}

	// A deterministic batch on protocoltest.NewWorld.
	cfg := protocol.Config{Depth: 24, Deposits: 2, Transfers: 3, Withdrawals: 2}
	w, err := protocoltest.NewWorld(cfg, 3, 1_000_000_000)
	if err != nil {
		t.Fatal(err)
	}
	in := protocol.BatchInput{FeeAccount: 1}
	in.Deposits = []protocol.Deposit{w.QueueDeposit(keys[3].Public(), 5_000_000)}
	in.Transfers = []protocol.Transfer{
		w.Transfer(2, 3, 120_000_000, 10, 0),
		w.Transfer(3, 4, 1_000_000, 0, 0),
	}
	in.Withdrawals = []protocol.Withdrawal{w.Withdrawal(2, to, 300_000_000, 30, 1)}
	b, err := w.State.ApplyBatch(in)
	if err != nil {
		t.Fatal(err)
	}
	v.Batch.Config = cfg
	v.Batch.Header = hexB(b.Header.Bytes())
	v.Batch.Pubdata = hexB(b.Pubdata)
	v.Batch.Compact = hexB(b.Compact())
	v.Batch.OldRoot = hexE(b.Header.OldRoot)
	v.Batch.NewRoot = hexE(b.Header.NewRoot)
	v.Batch.PublicInput = hexE(b.PublicInput())

	// Forced exit of account 3 (nonce 0), the first request of the chain.
	fxTo := [20]byte{0x70, 0x0f, 0xe1, 0x17, 19: 0x01}
	fx := protocol.ForcedExit{Index: 3, Recipient: fxTo, Nonce: 0, PrevChain: protocol.TagForcedExitChain}
	if err := fx.Sign(keys[2], ds); err != nil {
		t.Fatal(err)
	}
	var zero uint256.Int
	fe1, _ := protocol.MessageFields(protocol.OpForcedExit, fx.Index, fx.Nonce, new(big.Int).SetBytes(fxTo[:]), &zero, &zero)
	sb = fx.Sig.Bytes()
	v.ForcedExit.Index, v.ForcedExit.Recipient, v.ForcedExit.Nonce = fx.Index, hexB(fxTo[:]), fx.Nonce
	v.ForcedExit.E1, v.ForcedExit.Hash, v.ForcedExit.Signature = hexE(fe1), hexE(fx.Message(ds)), hexB(sb[:])
	v.ForcedExit.RX, v.ForcedExit.RY, v.ForcedExit.S = hexE(fx.Sig.R.X), hexE(fx.Sig.R.Y), hexE(fx.Sig.S)
	v.ForcedExit.PrevChain, v.ForcedExit.Chain = hexE(fx.PrevChain), hexE(fx.Chain())

	exSig, err := protocol.SignExodus(keys[1], ds, 2, fxTo)
	if err != nil {
		t.Fatal(err)
	}
	sb = exSig.Bytes()
	bal := uint256.NewInt(987_654_321)
	v.Exodus.Index, v.Exodus.Recipient = 2, hexB(fxTo[:])
	v.Exodus.Hash, v.Exodus.Signature, v.Exodus.Balance = hexE(protocol.ExodusMessage(ds, 2, fxTo)), hexB(sb[:]), bal.Dec()
	var exRoot fr.Element
	exRoot.SetString("0x1234567890abcdef")
	for _, x := range protocol.ExitPublicInputs(exRoot, protocoltest.ChainID, protocoltest.Contract, 2, fxTo, bal.ToBig()) {
		var e fr.Element
		e.SetBigInt(x)
		v.Exodus.PublicInputs = append(v.Exodus.PublicInputs, hexE(e))
	}

	depositor := [20]byte{0xde, 0x90, 0x51, 0x70, 19: 0x02}
	damount := uint256.NewInt(1_000_000_000_000_000)
	dh := protocol.DepositEntryHash(keys[3].Public(), damount, depositor)
	kb := keys[3].Public().Bytes()
	v.DepositEntry.Key, v.DepositEntry.Amount, v.DepositEntry.Depositor, v.DepositEntry.Hash = hexB(kb[:]), damount.Dec(), hexB(depositor[:]), hexB(dh[:])

	// A batch with forced-exit slots: a deposit, a valid forced exit of
	// account 2 and a no-op (account 3 signed by account 1's key), a transfer.
	fcfg := protocol.Config{Depth: 24, Deposits: 1, ForcedExits: 2, Transfers: 2, Withdrawals: 1}
	fw, err := protocoltest.NewWorld(fcfg, 3, 1_000_000_000)
	if err != nil {
		t.Fatal(err)
	}
	fin := protocol.BatchInput{FeeAccount: 1}
	fin.Deposits = []protocol.Deposit{fw.QueueDeposit(keys[3].Public(), 5_000_000)}
	fin.ForcedExits = []protocol.ForcedExit{fw.QueueForcedExit(2, keys[1], fxTo, 0), fw.QueueForcedExit(3, keys[0], fxTo, 0)}
	fin.Transfers = []protocol.Transfer{fw.Transfer(3, 1, 120_000_000, 10, 0)}
	fb, err := fw.State.ApplyBatch(fin)
	if err != nil {
		t.Fatal(err)
	}
	v.ForcedExitBatch = goldenBatch{Config: fcfg, Header: hexB(fb.Header.Bytes()), Pubdata: hexB(fb.Pubdata), Compact: hexB(fb.Compact()),
		OldRoot: hexE(fb.Header.OldRoot), NewRoot: hexE(fb.Header.NewRoot), PublicInput: hexE(fb.PublicInput())}
	return &v
}

// flatten turns JSON into path → scalar so a mismatch names its field.
func flatten(prefix string, x any, out map[string]string) {
	switch x := x.(type) {
	case map[string]any:
		for k, v := range x {
			flatten(prefix+"."+k, v, out)
		}
	case []any:
		out[prefix+".len"] = fmt.Sprint(len(x))
		for i, v := range x {
			flatten(fmt.Sprintf("%s[%d]", prefix, i), v, out)
		}
	default:
		out[prefix] = fmt.Sprint(x)
	}
}

func TestGoldenVectors(t *testing.T) {
	got := buildVectors(t)
	gotJSON, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	gotJSON = append(gotJSON, '\n')
	if *update {
		if err := os.MkdirAll(filepath.Dir(goldenPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenPath, gotJSON, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", goldenPath)
		return
	}
	wantJSON, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v (generate with -update)", err)
	}
	var gm, wm any
	if err := json.Unmarshal(gotJSON, &gm); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(wantJSON, &wm); err != nil {
		t.Fatalf("%s: %v", goldenPath, err)
	}
	gf, wf := map[string]string{}, map[string]string{}
	flatten("", gm, gf)
	flatten("", wm, wf)
	var diffs []string
	for k, wv := range wf {
		if gv, ok := gf[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: missing (want %s)", k, wv))
		} else if gv != wv {
			diffs = append(diffs, fmt.Sprintf("%s:\n\tgot  %s\n\twant %s", k, gv, wv))
		}
	}
	for k, gv := range gf {
		if _, ok := wf[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: not in %s (got %s)", k, goldenPath, gv))
		}
	}
	sort.Strings(diffs)
	for _, d := range diffs {
		t.Error(d)
	}
	if len(diffs) == 0 && !bytes.Equal(gotJSON, wantJSON) {
		t.Errorf("%s differs in formatting only; regenerate with -update", goldenPath)
	}
}

// TestGoldenVectorsSelfConsistent re-derives the batch values in the
// vector file from its own parts, the way a third party would.
func TestGoldenVectorsSelfConsistent(t *testing.T) {
	raw, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Skipf("%v", err)
	}
	var v goldenVectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	dec := func(s string) []byte {
		b, err := hex.DecodeString(s[2:])
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	header, pubdata := dec(v.Batch.Header), dec(v.Batch.Pubdata)
	if len(header) != protocol.HeaderSize || len(pubdata) != v.Batch.Config.PubdataSize() {
		t.Fatalf("header %d / pubdata %d bytes", len(header), len(pubdata))
	}
	d := sha256.Sum256(append(header, pubdata...))
	d[0] &= 0x1f
	if hexB(d[:]) != v.Batch.PublicInput {
		t.Fatalf("public input %s != sha256(header‖pubdata) masked %x", v.Batch.PublicInput, d)
	}
	if hexB(header[36:68]) != v.Batch.OldRoot || hexB(header[68:100]) != v.Batch.NewRoot {
		t.Fatal("roots in header differ from the recorded ones")
	}
	cfg := v.Batch.Config
	full, err := protocol.ExpandPubdata(cfg, dec(v.Batch.Compact), protocol.Counts{Deposits: 1, Transfers: 2, Withdrawals: 1})
	if err != nil || !bytes.Equal(full, pubdata) {
		t.Fatalf("compact does not expand to pubdata: %v", err)
	}
	// The forced-exit batch: 152-byte header, the same public-input rule.
	fh, fp := dec(v.ForcedExitBatch.Header), dec(v.ForcedExitBatch.Pubdata)
	fcfg := v.ForcedExitBatch.Config
	if len(fh) != fcfg.HeaderSize() || len(fh) != 152 || len(fp) != fcfg.PubdataSize() {
		t.Fatalf("forced-exit batch: header %d / pubdata %d bytes", len(fh), len(fp))
	}
	d = sha256.Sum256(append(fh, fp...))
	d[0] &= 0x1f
	if hexB(d[:]) != v.ForcedExitBatch.PublicInput {
		t.Fatal("forced-exit batch public input != sha256(header‖pubdata) masked")
	}
	if fh[118] != 0 || fh[119] != 2 {
		t.Fatalf("forced-exit count bytes %x, want 0002", fh[118:120])
	}
	full, err = protocol.ExpandPubdata(fcfg, dec(v.ForcedExitBatch.Compact), protocol.Counts{Deposits: 1, ForcedExits: 2, Transfers: 1})
	if err != nil || !bytes.Equal(full, fp) {
		t.Fatalf("forced-exit compact does not expand to pubdata: %v", err)
	}
	// The forced-exit chain step from the recorded parts.
	el := func(s string) fr.Element {
		var e fr.Element
		if err := e.SetBytesCanonical(dec(s)); err != nil {
			t.Fatal(err)
		}
		return e
	}
	c := protocol.Compress
	if got := c(c(c(c(el(v.ForcedExit.PrevChain), el(v.ForcedExit.E1)), el(v.ForcedExit.RX)), el(v.ForcedExit.RY)), el(v.ForcedExit.S)); hexE(got) != v.ForcedExit.Chain {
		t.Fatal("recorded forced-exit chain value is not C(C(C(C(prev, e1), Rx), Ry), S)")
	}
	// Signatures verify under the recorded keys and message hashes.
	for _, m := range []goldenMessage{v.Transfer, v.Withdrawal} {
		pkb := dec(v.Keys[m.From-1].Compressed)
		pk, err := protocol.ParsePublicKey(pkb)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := protocol.ParseSignature(dec(m.Signature))
		if err != nil {
			t.Fatal(err)
		}
		var h fr.Element
		if err := h.SetBytesCanonical(dec(m.Hash)); err != nil {
			t.Fatal(err)
		}
		if !protocol.Verify(pk, h, sig) {
			t.Fatalf("recorded signature of op type %d does not verify", m.Type)
		}
	}
}

// TestConfigDA: the data-availability mode leaves calldata configurations'
// JSON and names as they were, and Check bounds blob mode to one blob.
func TestConfigDA(t *testing.T) {
	base := protocol.Config{Depth: 24, Deposits: 4, Transfers: 32, Withdrawals: 4}
	js, err := json.Marshal(base)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"depth":24,"deposits":4,"transfers":32,"withdrawals":4}`; string(js) != want {
		t.Errorf("calldata JSON = %s, want %s", js, want)
	}
	blobCfg := base
	blobCfg.DA = protocol.DABlob
	if s := blobCfg.String(); s != "d24-dep4-tx32-wd4-blob" {
		t.Errorf("String() = %q", s)
	}
	if n := blobCfg.BlobChunks(); n != (32*12+30)/31 {
		t.Errorf("BlobChunks = %d", n)
	}
	for _, tc := range []struct {
		cfg protocol.Config
		ok  bool
	}{
		{base, true},
		{protocol.Config{Depth: 24, Transfers: 32, DA: protocol.DACalldata}, true},
		{blobCfg, true},
		{protocol.Config{Depth: 24, Transfers: 10581, DA: protocol.DABlob}, true}, // 126,972 bytes: one blob
		{protocol.Config{Depth: 24, Transfers: 10582, DA: protocol.DABlob}, false},
		{protocol.Config{Depth: 24, Deposits: 2, DA: protocol.DABlob}, false}, // nothing for the blob
		{protocol.Config{Depth: 24, Transfers: 1, DA: protocol.DAAuto}, true},
		{protocol.Config{Depth: 24, Deposits: 2, DA: protocol.DAAuto}, false}, // nothing for a blob
		{protocol.Config{Depth: 24, Transfers: 10582, DA: protocol.DAAuto}, false},
		{protocol.Config{Depth: 24, Transfers: 1, DA: "cheapest"}, false},
	} {
		if err := tc.cfg.Check(); (err == nil) != tc.ok {
			t.Errorf("Check(%+v) = %v, want ok %v", tc.cfg, err, tc.ok)
		}
	}
	// An auto deployment proves with its two concrete twins; a batch of
	// either belongs to it, a batch of another shape does not.
	auto := base.WithDA(protocol.DAAuto)
	modes := auto.Modes()
	if len(modes) != 2 || modes[0] != base || modes[1] != blobCfg || auto.Concrete() || !modes[1].Concrete() {
		t.Fatalf("Modes() = %+v", modes)
	}
	if !auto.Deployment(base) || !auto.Deployment(blobCfg) || auto.Deployment(auto) || base.Deployment(blobCfg) || !blobCfg.Deployment(blobCfg) {
		t.Error("Deployment: wrong membership")
	}
	if base.WithDA(protocol.DACalldata) != base || auto.String() != "d24-dep4-tx32-wd4-auto" {
		t.Errorf("WithDA(calldata) or String: %+v %s", base.WithDA(protocol.DACalldata), auto)
	}
}
