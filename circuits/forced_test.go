package circuits

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
	"github.com/sheafrollup/sheaf/protocol/smt"
)

// fxCfg is the smallest configuration with forced exits and every other
// slot kind; fxOnlyCfg has forced-exit slots only (the forgeries below).
var (
	fxCfg     = protocol.Config{Depth: 4, Deposits: 1, ForcedExits: 2, Transfers: 1, Withdrawals: 1}
	fxOnlyCfg = protocol.Config{Depth: 4, ForcedExits: 2}
)

var fxTo = [20]byte{0xf0, 0x0d, 19: 0x42}

// fxBatch applies a deposit opening account 4, forced exits of account 2
// (valid) and of account 4 (valid: opened earlier in the same batch), a
// transfer and a withdrawal.
func fxBatch(t testing.TB, cfg protocol.Config, forced func(w *protocoltest.World) []protocol.ForcedExit) *protocol.Batch {
	t.Helper()
	w, err := protocoltest.NewWorld(cfg, 3, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	newKey := protocoltest.Keys(99, 1)[0]
	in := protocol.BatchInput{FeeAccount: 1}
	if cfg.Deposits > 0 {
		in.Deposits = append(in.Deposits, w.QueueDeposit(newKey.Public(), 5000))
	}
	if forced == nil {
		forced = func(w *protocoltest.World) []protocol.ForcedExit {
			return []protocol.ForcedExit{
				w.QueueForcedExit(2, w.Keys[1], fxTo, 0),
				w.QueueForcedExit(4, newKey, [20]byte{0x44}, 0),
			}
		}
	}
	in.ForcedExits = forced(w)
	if cfg.Transfers > 0 {
		in.Transfers = append(in.Transfers, w.Transfer(3, 1, 1200, 10, 0))
	}
	if cfg.Withdrawals > 0 {
		in.Withdrawals = append(in.Withdrawals, w.Withdrawal(1, [20]byte{0xaa}, 300, 30, 0))
	}
	b, err := w.State.ApplyBatch(in)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestForcedExitBatchSolved(t *testing.T) {
	for _, tc := range []struct {
		name   string
		forced func(w *protocoltest.World) []protocol.ForcedExit
		valid  []bool
	}{
		{"two valid", nil, []bool{true, true}},
		{"no-ops: wrong key, empty leaf", func(w *protocoltest.World) []protocol.ForcedExit {
			return []protocol.ForcedExit{
				w.QueueForcedExit(3, w.Keys[0], fxTo, 0),
				w.QueueForcedExit(9, w.Keys[0], fxTo, 0),
			}
		}, []bool{false, false}},
		{"one slot used", func(w *protocoltest.World) []protocol.ForcedExit {
			return []protocol.ForcedExit{w.QueueForcedExit(2, w.Keys[1], fxTo, 1)} // signed for a future nonce: a no-op
		}, []bool{false}},
		{"none used", func(w *protocoltest.World) []protocol.ForcedExit { return nil }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := fxBatch(t, fxCfg, tc.forced)
			for i, v := range tc.valid {
				if b.ForcedExits[i].Outcome.Valid != v {
					t.Fatalf("native outcome %d: %v", i, b.ForcedExits[i].Outcome.Valid)
				}
			}
			a, err := Assign(b)
			if err != nil {
				t.Fatal(err)
			}
			if err := solved(t, fxCfg, a); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestForcedExitPreimageMatchesNative: the circuit hashes the same header
// (with its forced-exit count and chain) and pubdata bytes as package protocol.
func TestForcedExitPreimageMatchesNative(t *testing.T) {
	b := fxBatch(t, fxCfg, nil)
	want := append(b.Header.Bytes(), b.Pubdata...)
	if len(want) != fxCfg.HeaderSize()+fxCfg.PubdataSize() {
		t.Fatalf("native preimage %d bytes", len(want))
	}
	a, err := Assign(b)
	if err != nil {
		t.Fatal(err)
	}
	c := New(fxCfg)
	c.preimageHook = twinPreimageHook(want)
	if err := test.IsSolved(c, a, ecc.BN254.ScalarField()); err != nil {
		t.Fatal(err)
	}
}

// twinFx runs the forced-exit slot gadget alone and checks its new root,
// chain value and pubdata bytes against values computed natively.
type twinFx struct {
	cfg         protocol.Config
	Slot        ForcedExitSlot
	Root        frontend.Variable
	DomainState frontend.Variable
	WantRoot    frontend.Variable
	WantChain   frontend.Variable
	WantPubdata []frontend.Variable // bits, MSB first per byte
}

func (c *twinFx) Define(api frontend.API) error {
	b, err := twinBuilder(api, c.cfg)
	if err != nil {
		return err
	}
	root, chain := b.forcedExit(&c.Slot, c.Root, 1, 0, c.DomainState)
	api.AssertIsEqual(root, c.WantRoot)
	api.AssertIsEqual(chain, c.WantChain)
	for i, bit := range b.msg {
		api.AssertIsEqual(bit, c.WantPubdata[i])
	}
	return nil
}

func newTwinFx(cfg protocol.Config) *twinFx {
	return &twinFx{cfg: cfg, Slot: ForcedExitSlot{Account: Account{Siblings: make([]frontend.Variable, cfg.Depth)}},
		WantPubdata: make([]frontend.Variable, 8*cfg.ForcedExitBytes())}
}

func bitsOf(b []byte) []frontend.Variable {
	out := make([]frontend.Variable, 8*len(b))
	for i := range out {
		out[i] = int((b[i/8] >> (7 - uint(i%8))) & 1)
	}
	return out
}

// TestTwinForcedExit: for requests of every outcome, the gadget's root,
// chain and pubdata equal protocol.State.ApplyForcedExit's; the other
// outcome's root is refused.
func TestTwinForcedExit(t *testing.T) {
	cfg := fxOnlyCfg
	ccs := twinCompile(t, newTwinFx(cfg))
	stranger := protocoltest.Keys(77, 1)[0]
	for _, tc := range []struct {
		name  string
		make  func(w *protocoltest.World) protocol.ForcedExit
		valid bool
	}{
		{"valid", func(w *protocoltest.World) protocol.ForcedExit { return w.QueueForcedExit(2, w.Keys[1], fxTo, 0) }, true},
		{"stale nonce", func(w *protocoltest.World) protocol.ForcedExit {
			if _, err := w.State.ApplyTransfer(w.Transfer(2, 1, 1, 0, 0)); err != nil {
				t.Fatal(err)
			}
			return w.QueueForcedExit(2, w.Keys[1], fxTo, 0)
		}, false},
		{"future nonce", func(w *protocoltest.World) protocol.ForcedExit { return w.QueueForcedExit(2, w.Keys[1], fxTo, 1) }, false},
		{"another key", func(w *protocoltest.World) protocol.ForcedExit { return w.QueueForcedExit(2, stranger, fxTo, 0) }, false},
		{"another recipient", func(w *protocoltest.World) protocol.ForcedExit {
			f := w.QueueForcedExit(2, w.Keys[1], [20]byte{0xba, 0xd0}, 0)
			f.Recipient = fxTo
			return f
		}, false},
		{"empty leaf", func(w *protocoltest.World) protocol.ForcedExit { return w.QueueForcedExit(7, stranger, fxTo, 0) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := protocoltest.NewWorld(cfg, 3, 1_000_000)
			if err != nil {
				t.Fatal(err)
			}
			f := tc.make(w)
			root := w.State.Root()
			wit, err := w.State.ApplyForcedExit(f)
			if err != nil {
				t.Fatal(err)
			}
			if wit.Outcome.Valid != tc.valid {
				t.Fatalf("native outcome %v", wit.Outcome.Valid)
			}
			pd := make([]byte, cfg.ForcedExitBytes())
			protocol.EncodeForcedExit(cfg, pd, &wit)
			a := newTwinFx(cfg)
			a.Slot = forcedExitSlot(wit, cfg.Depth)
			a.Root, a.DomainState = frBig(root), frBig(w.State.DomainState())
			a.WantRoot, a.WantChain = frBig(w.State.Root()), frBig(f.Chain())
			a.WantPubdata = bitsOf(pd)
			twinMustSolve(t, newTwinFx(cfg), ccs, a)

			// The other outcome's root: the leaf updated for a no-op, kept for a valid one.
			other := *a
			if tc.valid {
				other.WantRoot = frBig(root)
			} else if !wit.Empty {
				acc := wit.Before.Account
				acc.Nonce++
				acc.Balance.Clear()
				other.WantRoot = frBig(twinFold(protocol.LeafHash(acc), f.Index, wit.Before.Siblings))
			} else {
				return
			}
			twinMustFail(t, "the other outcome's root", newTwinFx(cfg), ccs, &other)
		})
	}
}

// --- forgeries: a cheating prover's full assignments ---

// fxClaim is what a forger puts into one slot: the L1 request (bound by
// the header's chain value, which the contract supplies) and the witness
// and outcome it claims.
type fxClaim struct {
	req       protocol.ForcedExit // as queued on L1
	witNonce  *uint32             // nonce witnessed instead of req.Nonce
	witSig    *protocol.Signature // signature witnessed instead of req.Sig
	witPrev   *fr.Element         // chain value witnessed instead of req.PrevChain
	leafOf    uint32              // account whose key and lane are witnessed (default req.Index)
	empty     bool                // claim the leaf is empty
	withdraw  bool                // claimed outcome: flag 1
	amount    *uint256.Int        // claimed amount (default: the whole balance when withdrawing, else 0)
	sameNonce bool                // when withdrawing, leave the nonce as it was
	keepBal   uint64              // balance left in the leaf when withdrawing
}

// forgeFx builds every root, path, pubdata byte, header field and the
// public input consistently with the claims, so only the circuit's rules
// can refuse the assignment. The header's chain value is always the L1
// one (the last request's Chain), as the contract computes it.
func forgeFx(t *testing.T, w *protocoltest.World, claims []fxClaim) *Batch {
	t.Helper()
	st := w.State
	cfg := st.Config()
	tree, err := smt.New(cfg.Depth)
	if err != nil {
		t.Fatal(err)
	}
	for i := uint32(1); i <= uint32(st.NumAccounts()); i++ {
		acc, _ := st.Account(i)
		tree.Set(uint64(i), protocol.LeafHash(acc))
	}
	a := New(cfg)
	h := protocol.Header{ChainID: st.ChainID(), Contract: st.Contract(), Number: st.BatchNumber() + 1,
		OldRoot: tree.Root(), DepositStart: st.NextDeposit(), FeeAccount: 1, NextIndex: uint32(st.NumAccounts() + 1)}
	pubdata := make([]byte, cfg.PubdataSize())
	for i := range a.ForcedExits {
		a.ForcedExits[i] = ForcedExitSlot{Index: 0, Recipient: 0, Nonce: 0, Sig: Sig{RX: 0, RY: 1, S: 0}, PrevChain: 0, Empty: 0, Account: noopAccount(cfg.Depth)}
	}
	accounts := map[uint32]protocol.Account{}
	for i := uint32(1); i <= uint32(st.NumAccounts()); i++ {
		accounts[i], _ = st.Account(i)
	}
	for i, c := range claims {
		f := c.req
		p, _ := tree.Proof(uint64(f.Index))
		leafOf := c.leafOf
		if leafOf == 0 {
			leafOf = f.Index
		}
		acc := accounts[leafOf]
		slot := ForcedExitSlot{Index: f.Index, Recipient: new(big.Int).SetBytes(f.Recipient[:]), Nonce: f.Nonce,
			Sig: sig(f.Sig), PrevChain: frBig(f.PrevChain), Empty: 0,
			Account: account(protocol.AccountProof{Index: f.Index, Account: acc, Siblings: p.Siblings}, cfg.Depth)}
		if c.witNonce != nil {
			slot.Nonce = *c.witNonce
		}
		if c.witSig != nil {
			slot.Sig = sig(*c.witSig)
		}
		if c.witPrev != nil {
			slot.PrevChain = frBig(*c.witPrev)
		}
		if c.empty {
			slot.Empty = 1
			slot.Account = noopAccount(cfg.Depth)
			slot.Account.Siblings = siblings(p.Siblings, cfg.Depth)
		}
		wit := protocol.ForcedExitWitness{Exit: f}
		wit.Outcome.Valid = c.withdraw
		if c.amount != nil {
			wit.Outcome.Amount = *c.amount
		} else if c.withdraw {
			wit.Outcome.Amount = acc.Balance
		}
		if c.withdraw {
			na := acc
			if !c.sameNonce {
				na.Nonce++
			}
			na.Balance = *uint256.NewInt(c.keepBal)
			accounts[f.Index] = na
			tree.Set(uint64(f.Index), protocol.LeafHash(na))
		}
		a.ForcedExits[i] = slot
		protocol.EncodeForcedExit(cfg, pubdata[cfg.Deposits*cfg.DepositBytes()+i*cfg.ForcedExitBytes():], &wit)
	}
	fp, _ := tree.Proof(1)
	a.FeeAccount = account(protocol.AccountProof{Index: 1, Account: accounts[1], Siblings: fp.Siblings}, cfg.Depth)
	h.NewRoot = tree.Root() // a zero fee credit leaves the fee leaf as it is
	h.ForcedExits = &protocol.ForcedExitHeader{Count: uint16(len(claims))}
	if len(claims) > 0 {
		h.ForcedExits.Chain = claims[len(claims)-1].req.Chain()
	}
	a.ChainID, a.Contract, a.Number = h.ChainID, new(big.Int).SetBytes(h.Contract[:]), h.Number
	a.OldRoot, a.NewRoot, a.DepositStart, a.FeeAccountIndex = frBig(h.OldRoot), frBig(h.NewRoot), h.DepositStart, h.FeeAccount
	a.NextIndex = h.NextIndex
	withPI(a, h, pubdata)
	return a
}

func u32p(v uint32) *uint32 { return &v }

// TestSoundnessForcedExit: each forgery is unsatisfiable; the honest forged
// assignments (the first cases) are satisfiable, which shows the forge
// builds what the circuit checks and that the others fail on their rule.
func TestSoundnessForcedExit(t *testing.T) {
	cfg := fxOnlyCfg
	stranger := protocoltest.Keys(77, 1)[0]
	type mk func(w *protocoltest.World) []fxClaim
	one := func(c fxClaim) []fxClaim { return []fxClaim{c} }
	// world: accounts 1..3 with 1,000,000 each; account 2 has nonce 1
	// (stale requests sign nonce 0).
	cases := []struct {
		name  string
		make  mk
		valid bool
	}{
		{"honest withdrawal", func(w *protocoltest.World) []fxClaim {
			return one(fxClaim{req: w.QueueForcedExit(3, w.Keys[2], fxTo, 0), withdraw: true})
		}, true},
		{"honest no-op (stale nonce)", func(w *protocoltest.World) []fxClaim {
			return one(fxClaim{req: w.QueueForcedExit(2, w.Keys[1], fxTo, 0)})
		}, true},
		{"honest no-op (empty leaf)", func(w *protocoltest.World) []fxClaim {
			return one(fxClaim{req: w.QueueForcedExit(9, stranger, fxTo, 0), empty: true})
		}, true},
		{"honest pair", func(w *protocoltest.World) []fxClaim {
			return []fxClaim{
				{req: w.QueueForcedExit(3, w.Keys[2], fxTo, 0), withdraw: true},
				{req: w.QueueForcedExit(1, w.Keys[1], fxTo, 0)},
			}
		}, true},

		{"stale nonce processed as a withdrawal", func(w *protocoltest.World) []fxClaim {
			return one(fxClaim{req: w.QueueForcedExit(2, w.Keys[1], fxTo, 0), withdraw: true})
		}, false},
		{"honest no-op (request names nonce 0, signature covers nonce 1)", func(w *protocoltest.World) []fxClaim {
			f := w.QueueForcedExit(2, w.Keys[1], fxTo, 1)
			f.Nonce = 0
			return one(fxClaim{req: f})
		}, true},
		{"stale nonce in the request, signed nonce witnessed, withdrawal", func(w *protocoltest.World) []fxClaim {
			// Signature and leaf agree on nonce 1; only the chain binds the
			// request's nonce 0.
			f := w.QueueForcedExit(2, w.Keys[1], fxTo, 1)
			f.Nonce = 0
			return one(fxClaim{req: f, witNonce: u32p(1), withdraw: true})
		}, false},
		{"valid request passed off as a no-op", func(w *protocoltest.World) []fxClaim {
			return one(fxClaim{req: w.QueueForcedExit(3, w.Keys[2], fxTo, 0)})
		}, false},
		{"valid request made a no-op with a garbage signature", func(w *protocoltest.World) []fxClaim {
			f := w.QueueForcedExit(3, w.Keys[2], fxTo, 0)
			bad := f.Sig
			bad.S.SetUint64(12345)
			return one(fxClaim{req: f, witSig: &bad})
		}, false},
		{"valid request made a no-op by claiming an empty leaf", func(w *protocoltest.World) []fxClaim {
			return one(fxClaim{req: w.QueueForcedExit(3, w.Keys[2], fxTo, 0), empty: true})
		}, false},
		{"withdrawal of less than the whole balance", func(w *protocoltest.World) []fxClaim {
			return one(fxClaim{req: w.QueueForcedExit(3, w.Keys[2], fxTo, 0), withdraw: true,
				amount: uint256.NewInt(999_999), keepBal: 1})
		}, false},
		{"withdrawal of more than the balance", func(w *protocoltest.World) []fxClaim {
			return one(fxClaim{req: w.QueueForcedExit(3, w.Keys[2], fxTo, 0), withdraw: true, amount: uint256.NewInt(2_000_000)})
		}, false},
		{"withdrawal that does not advance the nonce", func(w *protocoltest.World) []fxClaim {
			f := w.QueueForcedExit(3, w.Keys[2], fxTo, 0)
			return one(fxClaim{req: f, withdraw: true, sameNonce: true})
		}, false},
		{"no-op that credits anything", func(w *protocoltest.World) []fxClaim {
			return one(fxClaim{req: w.QueueForcedExit(3, w.Keys[0], fxTo, 0), amount: uint256.NewInt(5)})
		}, false},
		{"no-op flagged as a withdrawal of nothing", func(w *protocoltest.World) []fxClaim {
			return one(fxClaim{req: w.QueueForcedExit(3, w.Keys[0], fxTo, 0), withdraw: true, amount: uint256.NewInt(0), keepBal: 1_000_000})
		}, false},
		{"signature by another key", func(w *protocoltest.World) []fxClaim {
			return one(fxClaim{req: w.QueueForcedExit(3, w.Keys[0], fxTo, 0), withdraw: true})
		}, false},
		{"signature by another key, that key's leaf witnessed", func(w *protocoltest.World) []fxClaim {
			return one(fxClaim{req: w.QueueForcedExit(3, w.Keys[0], fxTo, 0), leafOf: 1, withdraw: true})
		}, false},
		{"another account's leaf", func(w *protocoltest.World) []fxClaim {
			// Key 3 signs for index 1; the prover witnesses account 3's
			// leaf on index 1's path so the signature verifies.
			return one(fxClaim{req: w.QueueForcedExit(1, w.Keys[2], fxTo, 0), leafOf: 3, withdraw: true})
		}, false},
		{"signature over another recipient", func(w *protocoltest.World) []fxClaim {
			f := w.QueueForcedExit(3, w.Keys[2], [20]byte{0xba, 0xd0}, 0)
			f.Recipient = fxTo // the request names fxTo
			return one(fxClaim{req: f, withdraw: true})
		}, false},
		{"request from another chain position", func(w *protocoltest.World) []fxClaim {
			f := w.QueueForcedExit(3, w.Keys[2], fxTo, 0)
			prev := fr.NewElement(7)
			return one(fxClaim{req: f, witPrev: &prev, withdraw: true})
		}, false},
		{"second request not linked to the first", func(w *protocoltest.World) []fxClaim {
			a := w.QueueForcedExit(3, w.Keys[2], fxTo, 0)
			b := w.QueueForcedExit(1, w.Keys[0], fxTo, 0)
			prev := a.PrevChain
			return []fxClaim{{req: a, withdraw: true}, {req: b, witPrev: &prev, withdraw: true}}
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, err := protocoltest.NewWorld(cfg, 3, 1_000_000)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.State.ApplyTransfer(w.Transfer(2, 1, 0, 0, 0)); err != nil { // account 2: nonce 1
				t.Fatal(err)
			}
			a := forgeFx(t, w, tc.make(w))
			err = solved(t, cfg, a)
			if tc.valid && err != nil {
				t.Fatalf("honest forged batch refused: %v", err)
			}
			if !tc.valid && err == nil {
				t.Fatal("invalid batch satisfied the circuit")
			}
		})
	}
}

// TestSoundnessForcedExitSlots: unused forced-exit slots cannot carry data,
// and used slots come first.
func TestSoundnessForcedExitSlots(t *testing.T) {
	cfg := fxCfg
	b := fxBatch(t, cfg, func(w *protocoltest.World) []protocol.ForcedExit {
		return []protocol.ForcedExit{w.QueueForcedExit(2, w.Keys[1], fxTo, 0)}
	})
	fxOff := cfg.Deposits * cfg.DepositBytes()
	n := cfg.IndexBytes()
	for _, tc := range []struct {
		name   string
		mutate func(a *Batch) []byte // returns the pubdata the forger posts
	}{
		{"unused slot with a recipient", func(a *Batch) []byte {
			a.ForcedExits[1].Recipient = 1
			p := bytes.Clone(b.Pubdata)
			p[fxOff+cfg.ForcedExitBytes()+n+19] = 1
			return p
		}},
		{"unused slot flagged as a withdrawal", func(a *Batch) []byte {
			p := bytes.Clone(b.Pubdata)
			p[fxOff+2*cfg.ForcedExitBytes()-1] = 1
			return p
		}},
		{"unused slot crediting an amount", func(a *Batch) []byte {
			p := bytes.Clone(b.Pubdata)
			p[fxOff+2*cfg.ForcedExitBytes()-2] = 1
			return p
		}},
		{"used slot after an unused one", func(a *Batch) []byte {
			a.ForcedExits[0], a.ForcedExits[1] = a.ForcedExits[1], a.ForcedExits[0]
			p := bytes.Clone(b.Pubdata)
			s := cfg.ForcedExitBytes()
			copy(p[fxOff+s:fxOff+2*s], b.Pubdata[fxOff:fxOff+s])
			copy(p[fxOff:fxOff+s], make([]byte, s))
			return p
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Assign(b)
			if err != nil {
				t.Fatal(err)
			}
			withPI(a, b.Header, tc.mutate(a))
			if err := solved(t, cfg, a); err == nil {
				t.Fatal("invalid batch satisfied the circuit")
			}
		})
	}
	// The header's forced-exit count and chain are bound too.
	for _, tc := range []struct {
		name string
		mut  func(h *protocol.ForcedExitHeader)
	}{
		{"count says two", func(h *protocol.ForcedExitHeader) { h.Count = 2 }},
		{"count says none", func(h *protocol.ForcedExitHeader) { h.Count = 0 }},
		{"another chain value", func(h *protocol.ForcedExitHeader) { h.Chain.SetUint64(1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Assign(b)
			if err != nil {
				t.Fatal(err)
			}
			h := b.Header
			fh := *h.ForcedExits
			tc.mut(&fh)
			h.ForcedExits = &fh
			withPI(a, h, b.Pubdata)
			if err := solved(t, cfg, a); err == nil {
				t.Fatal("invalid batch satisfied the circuit")
			}
		})
	}
}

// TestForcedExitCheckCircuit runs gnark's checker with Groth16 on the
// smallest configuration with a forced-exit slot: a valid withdrawal proves
// and verifies; the same batch claiming a no-op does not.
func TestForcedExitCheckCircuit(t *testing.T) {
	if testing.Short() {
		t.Skip("Groth16 setup: skipped in -short")
	}
	cfg := protocol.Config{Depth: 4, ForcedExits: 1}
	ccs, err := Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ccs.GetCommitments().CommitmentIndexes()); n != 0 {
		t.Fatalf("circuit has %d Groth16 commitments, want none", n)
	}
	w, err := protocoltest.NewWorld(cfg, 3, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	valid := forgeFx(t, w, []fxClaim{{req: w.QueueForcedExit(3, w.Keys[2], fxTo, 0), withdraw: true}})
	w2, err := protocoltest.NewWorld(cfg, 3, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	invalid := forgeFx(t, w2, []fxClaim{{req: w2.QueueForcedExit(3, w2.Keys[2], fxTo, 0)}})
	test.NewAssert(t).CheckCircuit(New(cfg),
		test.WithValidAssignment(valid), test.WithInvalidAssignment(invalid),
		test.WithCurves(ecc.BN254), test.WithBackends(backend.GROTH16),
		test.NoFuzzing(), test.NoSerializationChecks())
}
