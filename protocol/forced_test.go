package protocol_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math/big"
	"math/rand"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/holiman/uint256"
	"golang.org/x/crypto/sha3"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

var fxCfg = protocol.Config{Depth: 8, Deposits: 2, Transfers: 2, Withdrawals: 1, ForcedExits: 3}

var fxTo = [20]byte{0xf0, 0x0d, 19: 0x42}

// mixedOrder adds the order-2 point (0, −1) to pk.
func mixedOrder(pk protocol.PublicKey) protocol.PublicKey {
	var t2, p, m twistededwards.PointAffine
	t2.Y.SetOne()
	t2.Y.Neg(&t2.Y)
	p.X, p.Y = pk.X, pk.Y
	m.Add(&p, &t2)
	return protocol.PublicKey{X: m.X, Y: m.Y}
}

// TestVerifyCofactored: on prime-order keys the circuit's rule agrees with
// Verify on valid signatures and every tampering; it differs only where
// documented (mixed-order keys are served by their prime-order part).
func TestVerifyCofactored(t *testing.T) {
	keys := protocoltest.Keys(5, 4)
	r := rand.New(rand.NewSource(5))
	curve := twistededwards.GetEdwardsCurve()
	ell := new(fr.Element).SetBigInt(&curve.Order)
	for i := 0; i < 40; i++ {
		k := keys[i%len(keys)]
		pk := k.Public()
		msg := fr.NewElement(r.Uint64())
		sig, err := k.Sign(msg)
		if err != nil {
			t.Fatal(err)
		}
		other := keys[(i+1)%len(keys)].Public()
		var msg2 fr.Element
		msg2.Add(&msg, new(fr.Element).SetOne())
		badS, malleated, badR := sig, sig, sig
		badS.S.Add(&badS.S, new(fr.Element).SetOne())
		malleated.S.Add(&malleated.S, ell)
		badR.R = other
		offCurve := sig
		offCurve.R.X.Add(&offCurve.R.X, new(fr.Element).SetOne())
		for _, c := range []struct {
			name         string
			pk           protocol.PublicKey
			msg          fr.Element
			sig          protocol.Signature
			want, verify bool // VerifyCofactored, Verify
		}{
			{"valid", pk, msg, sig, true, true},
			{"other message", pk, msg2, sig, false, false},
			{"other key", other, msg, sig, false, false},
			{"S+1", pk, msg, badS, false, false},
			{"S+l (malleated)", pk, msg, malleated, false, false},
			{"other R", pk, msg, badR, false, false},
			{"R off the curve", pk, msg, offCurve, false, false},
		} {
			got := protocol.VerifyCofactored(c.pk, c.msg, c.sig)
			if got != c.want || protocol.Verify(c.pk, c.msg, c.sig) != c.verify {
				t.Fatalf("%s (round %d): VerifyCofactored %v want %v; Verify want %v", c.name, i, got, c.want, c.verify)
			}
		}
	}
}

// signRaw is EdDSA by hand with the scalar k and the key A as given (no
// subgroup assumption): R = [r]B, h = challenge(R, A, msg), S = r + h·k mod ℓ.
func signRaw(k, r *big.Int, a protocol.PublicKey, msg fr.Element) protocol.Signature {
	curve := twistededwards.GetEdwardsCurve()
	var rp twistededwards.PointAffine
	rp.ScalarMultiplicationBase(r)
	var zero fr.Element
	c := protocol.Compress
	h := c(c(c(c(c(zero, rp.X), rp.Y), a.X), a.Y), msg)
	hb := protocol.FrToBig(h)
	s := new(big.Int).Mul(hb, k)
	s.Add(s, r).Mod(s, &curve.Order)
	var sig protocol.Signature
	sig.R = protocol.PublicKey{X: rp.X, Y: rp.Y}
	sig.S.SetBigInt(s)
	return sig
}

// TestVerifyCofactoredMixedOrderKey: the documented difference from Verify.
// A key A+T (T of order 2) passes the deposit rule; the cofactored check
// accepts signatures by A's scalar (the torsion vanishes under [8]), Verify
// refuses every signature under it.
func TestVerifyCofactoredMixedOrderKey(t *testing.T) {
	k, r := big.NewInt(123456789), big.NewInt(987654321)
	var a twistededwards.PointAffine
	a.ScalarMultiplicationBase(k)
	mixed := mixedOrder(protocol.PublicKey{X: a.X, Y: a.Y})
	if err := mixed.ValidateDepositKey(); err != nil {
		t.Fatalf("the deposit rule refuses the mixed key: %v", err)
	}
	msg := fr.NewElement(77)
	sig := signRaw(k, r, mixed, msg)
	if !protocol.VerifyCofactored(mixed, msg, sig) {
		t.Fatal("cofactored check refuses the prime part's signature")
	}
	if protocol.Verify(mixed, msg, sig) {
		t.Fatal("Verify accepted a signature under a mixed-order key")
	}
	if protocol.VerifyCofactored(mixed, fr.NewElement(78), sig) {
		t.Fatal("cofactored check accepts another message")
	}
	// The same hand signer agrees with gnark-crypto on a prime-order key.
	pk := protocol.PublicKey{X: a.X, Y: a.Y}
	if s := signRaw(k, r, pk, msg); !protocol.Verify(pk, msg, s) || !protocol.VerifyCofactored(pk, msg, s) {
		t.Fatal("hand-made signature does not verify")
	}
}

func TestForcedExitMessages(t *testing.T) {
	ds := protocol.DomainState(protocoltest.ChainID, protocoltest.Contract)
	var zero uint256.Int
	e1, e2 := protocol.MessageFields(protocol.OpForcedExit, 7, 9, new(big.Int).SetBytes(fxTo[:]), &zero, &zero)
	if got := protocol.ForcedExitMessage(ds, 7, 9, fxTo); got != protocol.MessageHash(ds, e1, e2) {
		t.Fatal("ForcedExitMessage is not MessageHash of its lanes")
	}
	e1, e2 = protocol.MessageFields(protocol.OpExodus, 7, 0, new(big.Int).SetBytes(fxTo[:]), &zero, &zero)
	if got := protocol.ExodusMessage(ds, 7, fxTo); got != protocol.MessageHash(ds, e1, e2) {
		t.Fatal("ExodusMessage is not MessageHash of its lanes")
	}
	// Kinds never collide: same index and recipient, different types.
	msgs := map[fr.Element]string{
		protocol.ForcedExitMessage(ds, 7, 0, fxTo): "forced exit",
		protocol.ExodusMessage(ds, 7, fxTo):        "exodus",
	}
	wd := protocol.Withdrawal{From: 7, To: fxTo}
	msgs[wd.Message(ds)] = "withdrawal"
	if len(msgs) != 3 {
		t.Fatal("a forced-exit, exodus and withdrawal message coincide")
	}
	// Another deployment signs another message.
	other := protocol.DomainState(protocoltest.ChainID+1, protocoltest.Contract)
	if protocol.ExodusMessage(other, 7, fxTo) == protocol.ExodusMessage(ds, 7, fxTo) {
		t.Fatal("exodus message does not bind the chain id")
	}
}

func TestForcedExitChainStep(t *testing.T) {
	k := protocoltest.Keys(1, 1)[0]
	f := protocol.ForcedExit{Index: 3, Recipient: fxTo, Nonce: 5, PrevChain: protocol.TagForcedExitChain}
	if err := f.Sign(k, fr.NewElement(1)); err != nil {
		t.Fatal(err)
	}
	// By hand: C(C(C(C(prev, e1), Rx), Ry), S) with e1 = 3·2^224 + 3·2^192 + 5·2^160 + recipient.
	e1 := new(big.Int).Lsh(big.NewInt(3), 224)
	e1.Or(e1, new(big.Int).Lsh(big.NewInt(3), 192))
	e1.Or(e1, new(big.Int).Lsh(big.NewInt(5), 160))
	e1.Or(e1, new(big.Int).SetBytes(fxTo[:]))
	var e fr.Element
	e.SetBigInt(e1)
	c := protocol.Compress
	want := c(c(c(c(protocol.TagForcedExitChain, e), f.Sig.R.X), f.Sig.R.Y), f.Sig.S)
	if f.Chain() != want {
		t.Fatal("Chain differs from its definition")
	}
	// Every field moves the chain.
	for name, mut := range map[string]func(*protocol.ForcedExit){
		"index":     func(g *protocol.ForcedExit) { g.Index++ },
		"nonce":     func(g *protocol.ForcedExit) { g.Nonce++ },
		"recipient": func(g *protocol.ForcedExit) { g.Recipient[19]++ },
		"S":         func(g *protocol.ForcedExit) { g.Sig.S.SetUint64(1) },
		"R":         func(g *protocol.ForcedExit) { g.Sig.R.X.SetUint64(1) },
		"prev":      func(g *protocol.ForcedExit) { g.PrevChain.SetUint64(1) },
	} {
		g := f
		mut(&g)
		if g.Chain() == f.Chain() {
			t.Errorf("changing %s leaves the chain value", name)
		}
	}
}

func TestDepositEntryHash(t *testing.T) {
	pk := protocoltest.Keys(1, 1)[0].Public()
	amount := uint256.NewInt(1_000_000_007)
	sender := [20]byte{1, 2, 3, 19: 9}
	h := sha3.NewLegacyKeccak256()
	kb := pk.Bytes()
	h.Write(kb[:])
	var a [16]byte
	binary.BigEndian.PutUint64(a[8:], amount.Uint64())
	h.Write(a[:])
	h.Write(sender[:])
	if got := protocol.DepositEntryHash(pk, amount, sender); !bytes.Equal(got[:], h.Sum(nil)) {
		t.Fatal("DepositEntryHash differs from keccak256(key ‖ uint128 amount ‖ sender)")
	}
	other := sender
	other[0]++
	if protocol.DepositEntryHash(pk, amount, other) == protocol.DepositEntryHash(pk, amount, sender) {
		t.Fatal("the hash does not commit to the depositor")
	}
}

// TestApplyForcedExit: the native judgement, outcome by outcome.
func TestApplyForcedExit(t *testing.T) {
	strangerKey := strangers[0]
	cases := []struct {
		name string
		make func(w *protocoltest.World) protocol.ForcedExit
		want bool // valid (withdrawn)
	}{
		{"valid", func(w *protocoltest.World) protocol.ForcedExit { return w.QueueForcedExit(2, w.Keys[1], fxTo, 0) }, true},
		{"stale nonce", func(w *protocoltest.World) protocol.ForcedExit {
			bumpNonce(t, w, 2)
			return w.QueueForcedExit(2, w.Keys[1], fxTo, 0)
		}, false},
		{"future nonce", func(w *protocoltest.World) protocol.ForcedExit { return w.QueueForcedExit(2, w.Keys[1], fxTo, 1) }, false},
		{"signature by another key", func(w *protocoltest.World) protocol.ForcedExit {
			return w.QueueForcedExit(2, w.Keys[0], fxTo, 0)
		}, false},
		{"signature by a stranger", func(w *protocoltest.World) protocol.ForcedExit {
			return w.QueueForcedExit(2, strangerKey, fxTo, 0)
		}, false},
		{"signature over another recipient", func(w *protocoltest.World) protocol.ForcedExit {
			f := w.QueueForcedExit(2, w.Keys[1], [20]byte{0xba, 0xd0}, 0)
			f.Recipient = fxTo // the request names fxTo; the owner signed another address
			w.Forced[len(w.Forced)-1] = f
			return f
		}, false},
		{"signature over another account", func(w *protocoltest.World) protocol.ForcedExit {
			f := w.QueueForcedExit(3, w.Keys[1], fxTo, 0) // key 2 signs index 3: not its account
			return f
		}, false},
		{"no such account (empty leaf)", func(w *protocoltest.World) protocol.ForcedExit {
			return w.QueueForcedExit(9, strangerKey, fxTo, 0)
		}, false},
		{"S not below the group order", func(w *protocoltest.World) protocol.ForcedExit {
			f := w.QueueForcedExit(2, w.Keys[1], fxTo, 0)
			curve := twistededwards.GetEdwardsCurve()
			f.Sig.S.Add(&f.Sig.S, new(fr.Element).SetBigInt(&curve.Order))
			return f
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, fxCfg)
			f := tc.make(w)
			before, _ := w.State.Account(f.Index)
			head := w.State.NextDeposit()
			root := w.State.Root()
			wit, err := w.State.ApplyForcedExit(f)
			if err != nil {
				t.Fatal(err)
			}
			if wit.Outcome.Valid != tc.want {
				t.Fatalf("valid = %v, want %v", wit.Outcome.Valid, tc.want)
			}
			if w.State.NextDeposit() != head+1 {
				t.Fatalf("queue head %d → %d: the entry must be consumed either way", head, w.State.NextDeposit())
			}
			after, _ := w.State.Account(f.Index)
			if !tc.want {
				if !wit.Outcome.Amount.IsZero() || after != before || w.State.Root() != root {
					t.Fatalf("no-op changed the state: amount %s, %+v → %+v", wit.Outcome.Amount.Dec(), before, after)
				}
				return
			}
			if wit.Outcome.Amount != before.Balance || !after.Balance.IsZero() || after.Nonce != before.Nonce+1 {
				t.Fatalf("withdrew %s of %s; after %+v", wit.Outcome.Amount.Dec(), before.Balance.Dec(), after)
			}
			checkConsistent(t, w.State)
			// The same request again is stale (the nonce moved): a no-op.
			again := f
			again.QueueIndex = w.State.NextDeposit()
			wit2, err := w.State.ApplyForcedExit(again)
			if err != nil || wit2.Outcome.Valid {
				t.Fatalf("replayed forced exit: %+v, %v", wit2.Outcome, err)
			}
			// A transfer signed for the consumed nonce cannot run after it.
			tr := signedTransfer(t, w.State, w.Keys[1], protocol.Transfer{From: 2, To: 1, Amount: u(0), Nonce: before.Nonce})
			if _, err := w.State.ApplyTransfer(tr); !errors.Is(err, protocol.ErrWrongNonce) {
				t.Fatalf("transfer with the forced exit's nonce: %v", err)
			}
		})
	}
}

func bumpNonce(t *testing.T, w *protocoltest.World, from uint32) {
	t.Helper()
	if _, err := w.State.ApplyTransfer(w.Transfer(from, 1, 1, 0, 0)); err != nil {
		t.Fatal(err)
	}
}

// TestApplyForcedExitRejects: what the contract refuses, and queue order,
// are errors that leave the state untouched.
func TestApplyForcedExitRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		mut  func(f *protocol.ForcedExit)
		want error
	}{
		{"index 0", func(f *protocol.ForcedExit) { f.Index = 0 }, protocol.ErrBadForcedExit},
		{"index outside the tree", func(f *protocol.ForcedExit) { f.Index = 1 << fxCfg.Depth }, protocol.ErrBadForcedExit},
		{"R off the curve", func(f *protocol.ForcedExit) { f.Sig.R.X.SetUint64(5) }, protocol.ErrBadForcedExit},
		{"skips a queue entry", func(f *protocol.ForcedExit) { f.QueueIndex++ }, protocol.ErrQueueOrder},
		{"replays a consumed queue entry", func(f *protocol.ForcedExit) { f.QueueIndex-- }, protocol.ErrQueueOrder},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, fxCfg)
			f := w.QueueForcedExit(2, w.Keys[1], fxTo, 0)
			tc.mut(&f)
			before := takeSnapshot(t, w.State, allKeys(w))
			if _, err := w.State.ApplyForcedExit(f); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if d := diffSnapshots(before, takeSnapshot(t, w.State, allKeys(w))); d != nil {
				t.Fatal(d)
			}
		})
	}
	// What Check refuses beyond the circuit's needs: S ≥ ℓ.
	w := newWorld(t, fxCfg)
	f := w.QueueForcedExit(2, w.Keys[1], fxTo, 0)
	if err := f.Check(fxCfg); err != nil {
		t.Fatalf("Check refuses a good request: %v", err)
	}
	curve := twistededwards.GetEdwardsCurve()
	f.Sig.S.Add(&f.Sig.S, new(fr.Element).SetBigInt(&curve.Order))
	if err := f.Check(fxCfg); !errors.Is(err, protocol.ErrBadForcedExit) {
		t.Fatalf("Check(S+ℓ) = %v", err)
	}
}

// fxBatch: a deposit opening account 4, then forced exits (valid for
// account 2, no-op for account 3 signed by the wrong key, valid for the
// new account 4), then a transfer and a withdrawal.
func fxBatch(t *testing.T) (*protocoltest.World, *protocol.Batch, protocol.BatchInput) {
	t.Helper()
	w := newWorld(t, fxCfg)
	in := protocol.BatchInput{FeeAccount: 1}
	in.Deposits = []protocol.Deposit{w.QueueDeposit(strangers[0].Public(), 5000)}
	in.ForcedExits = []protocol.ForcedExit{
		w.QueueForcedExit(2, w.Keys[1], fxTo, 0),
		w.QueueForcedExit(3, w.Keys[0], fxTo, 0),
		w.QueueForcedExit(4, strangers[0], [20]byte{0x44}, 0),
	}
	in.Transfers = []protocol.Transfer{w.Transfer(3, 1, 100, 5, 0)}
	in.Withdrawals = []protocol.Withdrawal{w.Withdrawal(1, l1Addr, 300, 7, 0)}
	b, err := w.State.ApplyBatch(in)
	if err != nil {
		t.Fatal(err)
	}
	return w, b, in
}

func TestForcedExitBatch(t *testing.T) {
	w, b, in := fxBatch(t)
	cfg := fxCfg
	if b.Header.ForcedExits == nil || b.Header.ForcedExits.Count != 3 || b.Header.ForcedExits.Chain != in.ForcedExits[2].Chain() {
		t.Fatalf("forced-exit header = %+v", b.Header.ForcedExits)
	}
	if b.Header.DepositStart != 3 || b.Header.DepositCount != 1 || w.State.NextDeposit() != 3+1+3 {
		t.Fatalf("queue range: start %d, %d deposits; head now %d", b.Header.DepositStart, b.Header.DepositCount, w.State.NextDeposit())
	}
	hb := b.Header.Bytes()
	if len(hb) != cfg.HeaderSize() || len(hb) != 152 {
		t.Fatalf("header is %d bytes, config says %d", len(hb), cfg.HeaderSize())
	}
	c := b.Header.ForcedExits.Chain.Bytes()
	if binary.BigEndian.Uint16(hb[118:120]) != 3 || !bytes.Equal(hb[120:152], c[:]) {
		t.Fatalf("forced-exit header bytes = %x", hb[118:])
	}
	// Outcomes: 2 withdrawn (its whole balance), 3 no-op, 4 (opened by the
	// deposit in this batch) withdrawn.
	wantOut := []struct {
		valid  bool
		amount uint64
	}{{true, worldBalance}, {false, 0}, {true, 5000}}
	for i, o := range wantOut {
		got := b.ForcedExits[i].Outcome
		if got.Valid != o.valid || got.Amount != u(o.amount) {
			t.Fatalf("forced exit %d: %+v, want %+v", i, got, o)
		}
	}
	if b.ForcedExits[2].Empty || b.ForcedExits[0].Empty {
		t.Fatal("witness marks an existing leaf empty")
	}
	// Pubdata: deposits, forced exits, transfers, withdrawals.
	n, fB := cfg.IndexBytes(), cfg.ForcedExitBytes()
	if fB != n+37 {
		t.Fatalf("ForcedExitBytes = %d", fB)
	}
	fx := b.Pubdata[cfg.Deposits*cfg.DepositBytes():]
	slot := func(i int) []byte { return fx[i*fB : (i+1)*fB] }
	amt := make([]byte, 16)
	big.NewInt(worldBalance).FillBytes(amt)
	if want := append(append(append([]byte{2}, fxTo[:]...), amt...), 1); !bytes.Equal(slot(0), want) {
		t.Fatalf("slot 0 = %x\nwant     %x", slot(0), want)
	}
	if want := append(append([]byte{3}, fxTo[:]...), make([]byte, 17)...); !bytes.Equal(slot(1), want) {
		t.Fatalf("no-op slot 1 = %x\nwant         %x", slot(1), want)
	}
	ops, err := protocol.DecodePubdata(cfg, b.Pubdata)
	if err != nil {
		t.Fatal(err)
	}
	var got []protocol.DecodedOp
	for _, op := range ops {
		if op.Type == protocol.OpForcedExit {
			got = append(got, op)
		}
	}
	want := []protocol.DecodedOp{
		{Type: protocol.OpForcedExit, Index: 2, L1Address: fxTo, Amount: u(worldBalance), Withdrawn: true},
		{Type: protocol.OpForcedExit, Index: 3, L1Address: fxTo},
		{Type: protocol.OpForcedExit, Index: 4, L1Address: [20]byte{0x44}, Amount: u(5000), Withdrawn: true},
	}
	if len(got) != len(want) || len(ops) != 1+3+1+1 {
		t.Fatalf("decoded %d ops, %d forced: %+v", len(ops), len(got), ops)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("forced exit %d decodes to %+v, want %+v", i, got[i], want[i])
		}
	}
	// Compact form round trip, and the counts.
	cnt := b.Counts()
	if cnt != (protocol.Counts{Deposits: 1, ForcedExits: 3, Transfers: 1, Withdrawals: 1}) {
		t.Fatalf("counts %+v", cnt)
	}
	comp := b.Compact()
	if len(comp) != cfg.DepositBytes()+3*fB+cfg.TransferBytes()+cfg.WithdrawalBytes() {
		t.Fatalf("compact %d bytes", len(comp))
	}
	full, err := protocol.ExpandPubdata(cfg, comp, cnt)
	if err != nil || !bytes.Equal(full, b.Pubdata) {
		t.Fatalf("expand(compact) differs: %v", err)
	}
	checkConsistent(t, w.State)
}

// TestForcedExitBatchNoop: a configuration with forced-exit slots and no
// forced exit in the batch has a zero chain field; decoding reads none.
func TestForcedExitBatchEmpty(t *testing.T) {
	w := newWorld(t, fxCfg)
	b, err := w.State.ApplyBatch(protocol.BatchInput{FeeAccount: 1})
	if err != nil {
		t.Fatal(err)
	}
	if b.Header.ForcedExits == nil || b.Header.ForcedExits.Count != 0 || !b.Header.ForcedExits.Chain.IsZero() {
		t.Fatalf("forced-exit header = %+v", b.Header.ForcedExits)
	}
	if !bytes.Equal(b.Pubdata, make([]byte, fxCfg.PubdataSize())) {
		t.Fatal("empty batch has non-zero pubdata")
	}
	// Without forced-exit slots the header has no forced-exit part.
	w0 := newWorld(t, stateCfg)
	b0, err := w0.State.ApplyBatch(protocol.BatchInput{FeeAccount: 1})
	if err != nil {
		t.Fatal(err)
	}
	if b0.Header.ForcedExits != nil || len(b0.Header.Bytes()) != protocol.HeaderSize || stateCfg.HeaderSize() != protocol.HeaderSize {
		t.Fatal("a configuration without forced-exit slots grew its header")
	}
}

// TestForcedExitBatchRejects: a batch whose forced exits break the chain or
// the queue order fails as a whole and changes nothing.
func TestForcedExitBatchRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		make func(w *protocoltest.World) protocol.BatchInput
		want error
	}{
		{"chain not linked", func(w *protocoltest.World) protocol.BatchInput {
			a := w.QueueForcedExit(2, w.Keys[1], fxTo, 0)
			b := w.QueueForcedExit(3, w.Keys[2], fxTo, 0)
			b.PrevChain = a.PrevChain
			return protocol.BatchInput{FeeAccount: 1, ForcedExits: []protocol.ForcedExit{a, b}}
		}, protocol.ErrBadForcedExit},
		{"forced exit before a deposit of the same batch", func(w *protocoltest.World) protocol.BatchInput {
			f := w.QueueForcedExit(2, w.Keys[1], fxTo, 0)
			d := w.QueueDeposit(strangers[1].Public(), 10)
			return protocol.BatchInput{FeeAccount: 1, Deposits: []protocol.Deposit{d}, ForcedExits: []protocol.ForcedExit{f}}
		}, protocol.ErrDepositOrder},
		{"a later transfer fails after a no-op forced exit", func(w *protocoltest.World) protocol.BatchInput {
			f := w.QueueForcedExit(2, w.Keys[0], fxTo, 0) // no-op: wrong key
			tr := w.Transfer(3, 1, worldBalance+1, 0, 0)
			return protocol.BatchInput{FeeAccount: 1, ForcedExits: []protocol.ForcedExit{f}, Transfers: []protocol.Transfer{tr}}
		}, protocol.ErrInsufficientBalance},
		{"more forced exits than slots", func(w *protocoltest.World) protocol.BatchInput {
			var fs []protocol.ForcedExit
			for range fxCfg.ForcedExits + 1 {
				fs = append(fs, w.QueueForcedExit(2, w.Keys[1], fxTo, 0))
			}
			return protocol.BatchInput{FeeAccount: 1, ForcedExits: fs}
		}, protocol.ErrBatchFull},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, fxCfg)
			in := tc.make(w)
			before := takeSnapshot(t, w.State, allKeys(w))
			if _, err := w.State.ApplyBatch(in); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if d := diffSnapshots(before, takeSnapshot(t, w.State, allKeys(w))); d != nil {
				t.Fatal(d)
			}
		})
	}
}

// TestLedgerForcedExitRevert: a no-op moves only the queue head, and a
// revert to a checkpoint before it moves the head back.
func TestLedgerForcedExitRevert(t *testing.T) {
	w := newWorld(t, fxCfg)
	l := w.State.Ledger.Clone()
	f := w.QueueForcedExit(2, w.Keys[0], fxTo, 0) // no-op
	head := l.NextDeposit()
	cp := l.Checkpoint()
	if out, err := l.ApplyForcedExit(&f); err != nil || out.Valid {
		t.Fatalf("%+v, %v", out, err)
	}
	if l.NextDeposit() != head+1 {
		t.Fatal("no-op did not consume its entry")
	}
	l.RevertTo(cp)
	if l.NextDeposit() != head {
		t.Fatalf("revert left the head at %d, want %d", l.NextDeposit(), head)
	}
	l.Commit()
}

// TestForcedExitBatchJSON: the sequencer stores a batch's witness as JSON
// and the prover reads it back; forced exits must survive the trip.
func TestForcedExitBatchJSON(t *testing.T) {
	_, b, _ := fxBatch(t)
	raw, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var back protocol.Batch
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(&back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, again) || back.PublicInput() != b.PublicInput() || len(back.ForcedExits) != 3 ||
		back.ForcedExits[0].Exit.Chain() != b.ForcedExits[0].Exit.Chain() || back.Header.ForcedExits.Chain != b.Header.ForcedExits.Chain {
		t.Fatal("batch with forced exits changed through JSON")
	}
	// Without forced-exit slots the JSON has no forced-exit fields.
	w := newWorld(t, stateCfg)
	b0, err := w.State.ApplyBatch(protocol.BatchInput{FeeAccount: 1})
	if err != nil {
		t.Fatal(err)
	}
	raw0, _ := json.Marshal(b0)
	if bytes.Contains(raw0, []byte("ForcedExits")) {
		t.Fatalf("JSON of a batch without forced-exit slots mentions them: %s", raw0)
	}
}
