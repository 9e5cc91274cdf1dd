package circuits

import (
	"math/big"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
	"github.com/sheafrollup/sheaf/protocol/smt"
)

var compiled sync.Map // protocol.Config → constraint.ConstraintSystem

// solved checks an assignment both with gnark's test engine and against the
// compiled R1CS (constant folding only happens when compiling), and fails
// the test if the two disagree.
func solved(t *testing.T, cfg protocol.Config, a *Batch) error {
	t.Helper()
	engineErr := test.IsSolved(New(cfg), a, ecc.BN254.ScalarField())
	ccs, ok := compiled.Load(cfg)
	if !ok {
		c, err := Compile(cfg)
		if err != nil {
			t.Fatal(err)
		}
		ccs, _ = compiled.LoadOrStore(cfg, c)
	}
	w, err := frontend.NewWitness(a, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	r1csErr := ccs.(constraint.ConstraintSystem).IsSolved(w)
	if (engineErr == nil) != (r1csErr == nil) {
		t.Fatalf("test engine and R1CS disagree: engine %v, r1cs %v", engineErr, r1csErr)
	}
	return engineErr
}

// withPI recomputes the public input for a modified header or pubdata, so
// the case fails on the rule under test rather than on the input hash.
func withPI(a *Batch, h protocol.Header, pubdata []byte) {
	a.PublicInput = frBig(protocol.PublicInput(h, pubdata))
}

func TestSoundnessTampered(t *testing.T) {
	cfg := smallCfg
	b := validBatch(t, cfg)
	keys := protocoltest.Keys(1, 3) // the world's keys: account i+1 is keys[i]
	tdata := cfg.Deposits * cfg.DepositBytes()

	cases := []struct {
		name   string
		mutate func(a *Batch)
	}{
		{"bad signature", func(a *Batch) {
			a.Transfers[0].Sig.S = new(big.Int).Add(a.Transfers[0].Sig.S.(*big.Int), big.NewInt(1))
		}},
		{"signature from another key", func(a *Batch) {
			tx := b.Transfers[0].Tx
			tx.Sign(keys[0], b2state(b))
			a.Transfers[0].Sig = sig(tx.Sig)
		}},
		{"wrong nonce (signed for nonce+1)", func(a *Batch) {
			tx := b.Transfers[0].Tx
			tx.Nonce++
			tx.Sign(keys[tx.From-1], b2state(b))
			a.Transfers[0].Sig = sig(tx.Sig)
		}},
		{"replay (signed for nonce-1)", func(a *Batch) {
			tx := b.Withdrawals[0].Tx // account 2's second operation in the batch
			tx.Nonce--
			tx.Sign(keys[tx.From-1], b2state(b))
			a.Withdrawals[0].Sig = sig(tx.Sig)
		}},
		{"tampered public input", func(a *Batch) {
			a.PublicInput = new(big.Int).Add(a.PublicInput.(*big.Int), big.NewInt(1))
		}},
		{"tampered pubdata", func(a *Batch) {
			p := append([]byte(nil), b.Pubdata...)
			p[tdata+2*cfg.IndexBytes()+3] ^= 1 // an amount bit of transfer 0
			withPI(a, b.Header, p)
		}},
		{"wrong old root", func(a *Batch) {
			h := b.Header
			h.OldRoot.SetUint64(12345)
			a.OldRoot = frBig(h.OldRoot)
			withPI(a, h, b.Pubdata)
		}},
		{"wrong new root", func(a *Batch) {
			h := b.Header
			h.NewRoot.SetUint64(12345)
			a.NewRoot = frBig(h.NewRoot)
			withPI(a, h, b.Pubdata)
		}},
		{"wrong fee account in header", func(a *Batch) {
			h := b.Header
			h.FeeAccount = 2
			a.FeeAccountIndex = 2
			withPI(a, h, b.Pubdata)
		}},
		{"deposit amount differs from the queue", func(a *Batch) {
			a.Deposits[0].Amount = new(big.Int).Add(a.Deposits[0].Amount.(*big.Int), big.NewInt(1))
		}},
		{"deposit credited to another key", func(a *Batch) {
			other := keys[2].Public()
			a.Deposits[1].PubX, a.Deposits[1].PubY = frBig(other.X), frBig(other.Y)
		}},
		{"next account index differs", func(a *Batch) {
			h := b.Header
			h.NextIndex++
			a.NextIndex = h.NextIndex
			withPI(a, h, b.Pubdata)
		}},
		{"deposit count differs from the queue range", func(a *Batch) {
			h := b.Header
			h.DepositCount--
			withPI(a, h, b.Pubdata)
		}},
		{"withdrawal amount differs from the signed one", func(a *Batch) {
			a.Withdrawals[0].AmountM = 301
			p := append([]byte(nil), b.Pubdata...)
			wd := b.Withdrawals[0].Tx
			wd.Amount = protocoltest.U(301)
			protocol.EncodeWithdrawal(cfg, p[len(p)-cfg.WithdrawalBytes():], &wd)
			withPI(a, b.Header, p)
		}},
		{"no-op slot with a recipient", func(a *Batch) {
			a.Transfers[2].To = 1
			p := append([]byte(nil), b.Pubdata...)
			p[tdata+2*cfg.TransferBytes()+cfg.IndexBytes()-1+cfg.IndexBytes()] = 1
			withPI(a, b.Header, p)
		}},
		{"chain id differs from the signed domain", func(a *Batch) {
			h := b.Header
			h.ChainID++
			a.ChainID = h.ChainID
			withPI(a, h, b.Pubdata)
		}},
	}
	valid, err := Assign(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := solved(t, cfg, valid); err != nil {
		t.Fatalf("valid batch not solved: %v", err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Assign(b)
			if err != nil {
				t.Fatal(err)
			}
			tc.mutate(a)
			if err := solved(t, cfg, a); err == nil {
				t.Fatal("invalid batch satisfied the circuit")
			}
		})
	}
}

func b2state(b *protocol.Batch) fr.Element {
	return protocol.DomainState(b.Header.ChainID, b.Header.Contract)
}

// forgedOp is an operation a cheating prover applies with field arithmetic,
// skipping the native rule checks.
type forgedOp struct {
	withdraw     bool
	from, to     uint32
	amount, fee  uint64
	signedAmount uint64 // 0: sign amount
}

// forge builds the assignment a cheating prover would: every root, path and
// the public input consistent with the forged state changes, so only the
// circuit's own rules can reject it.
func forge(t *testing.T, w *protocoltest.World, creditFeeTo, headerFee uint32, ops []forgedOp) *Batch {
	t.Helper()
	st := w.State
	cfg := st.Config()
	tree, err := smt.New(cfg.Depth)
	if err != nil {
		t.Fatal(err)
	}
	packed := map[uint32]fr.Element{}
	pks := map[uint32]protocol.PublicKey{}
	for i := uint32(1); i <= uint32(st.NumAccounts()); i++ {
		acc, _ := st.Account(i)
		packed[i] = protocol.PackBalanceNonce(&acc.Balance, acc.Nonce)
		pks[i] = acc.PubKey
		tree.Set(uint64(i), protocol.LeafHash(acc))
	}
	nonces := map[uint32]uint32{}
	accountAt := func(i uint32) Account {
		p, _ := tree.Proof(uint64(i))
		return Account{PubX: frBig(pks[i].X), PubY: frBig(pks[i].Y), Packed: frBig(packed[i]), Siblings: siblings(p.Siblings, cfg.Depth)}
	}
	set := func(i uint32, v fr.Element) {
		packed[i] = v
		tree.Set(uint64(i), protocol.Compress(protocol.KeyHash(pks[i]), v))
	}
	two128 := new(fr.Element).SetBigInt(new(big.Int).Lsh(big.NewInt(1), 128))

	a := New(cfg)
	h := protocol.Header{ChainID: st.ChainID(), Contract: st.Contract(), Number: st.BatchNumber() + 1,
		OldRoot: tree.Root(), DepositStart: st.NextDeposit(), FeeAccount: headerFee, NextIndex: uint32(st.NumAccounts() + 1)}
	pubdata := make([]byte, cfg.PubdataSize())
	for i := range a.Deposits {
		a.Deposits[i] = DepositSlot{Index: 0, PubX: 0, PubY: 1, Amount: 0, IsNew: 0, Packed: 0, Siblings: siblings(nil, cfg.Depth)}
	}
	var fees fr.Element
	ti, wi := 0, 0
	for _, op := range ops {
		acc, _ := st.Account(op.from)
		nonce := acc.Nonce + nonces[op.from]
		nonces[op.from]++
		signed := op.signedAmount
		if signed == 0 {
			signed = op.amount
		}
		sender := accountAt(op.from)
		var amt, fee fr.Element
		amt.SetUint64(op.amount)
		fee.SetUint64(op.fee)
		var np fr.Element
		old := packed[op.from]
		np.Sub(&old, &amt).Sub(&np, &fee).Add(&np, two128)
		set(op.from, np)
		fees.Add(&fees, &fee)
		ac, err := protocol.AmountFloat.Encode(uint256.NewInt(op.amount))
		if err != nil {
			t.Fatal(err)
		}
		fc, err := protocol.FeeFloat.Encode(uint256.NewInt(op.fee))
		if err != nil {
			t.Fatal(err)
		}
		am, ae := protocol.AmountFloat.Split(ac)
		fm, fe := protocol.FeeFloat.Split(fc)
		if op.withdraw {
			wd := protocol.Withdrawal{From: op.from, To: [20]byte{0xee}, Amount: protocoltest.U(signed), Fee: protocoltest.U(op.fee), Nonce: nonce}
			if err := wd.Sign(w.Keys[op.from-1], st.DomainState()); err != nil {
				t.Fatal(err)
			}
			a.Withdrawals[wi] = WithdrawalSlot{From: op.from, To: new(big.Int).SetBytes(wd.To[:]), AmountM: am, AmountE: ae, FeeM: fm, FeeE: fe, Sig: sig(wd.Sig), Sender: sender}
			wd.Amount = protocoltest.U(op.amount)
			off := cfg.Deposits*cfg.DepositBytes() + cfg.Transfers*cfg.TransferBytes() + wi*cfg.WithdrawalBytes()
			protocol.EncodeWithdrawal(cfg, pubdata[off:], &wd)
			wi++
			continue
		}
		tx := protocol.Transfer{From: op.from, To: op.to, Amount: protocoltest.U(signed), Fee: protocoltest.U(op.fee), Nonce: nonce}
		if err := tx.Sign(w.Keys[op.from-1], st.DomainState()); err != nil {
			t.Fatal(err)
		}
		receiver := accountAt(op.to)
		var rp fr.Element
		rold := packed[op.to]
		rp.Add(&rold, &amt)
		set(op.to, rp)
		a.Transfers[ti] = TransferSlot{From: op.from, To: op.to, AmountM: am, AmountE: ae, FeeM: fm, FeeE: fe, Sig: sig(tx.Sig), Sender: sender, Receiver: receiver}
		tx.Amount = protocoltest.U(op.amount)
		protocol.EncodeTransfer(cfg, pubdata[cfg.Deposits*cfg.DepositBytes()+ti*cfg.TransferBytes():], &tx)
		ti++
	}
	for ; ti < cfg.Transfers; ti++ {
		a.Transfers[ti] = TransferSlot{From: 0, To: 0, AmountM: 0, AmountE: 0, FeeM: 0, FeeE: 0, Sig: Sig{RX: 0, RY: 1, S: 0}, Sender: noopAccount(cfg.Depth), Receiver: noopAccount(cfg.Depth)}
	}
	for ; wi < cfg.Withdrawals; wi++ {
		a.Withdrawals[wi] = WithdrawalSlot{From: 0, To: 0, AmountM: 0, AmountE: 0, FeeM: 0, FeeE: 0, Sig: Sig{RX: 0, RY: 1, S: 0}, Sender: noopAccount(cfg.Depth)}
	}
	a.FeeAccount = accountAt(creditFeeTo)
	var fp fr.Element
	fold := packed[creditFeeTo]
	fp.Add(&fold, &fees)
	set(creditFeeTo, fp)
	h.NewRoot = tree.Root()
	a.ChainID, a.Contract, a.Number = h.ChainID, new(big.Int).SetBytes(h.Contract[:]), h.Number
	a.OldRoot, a.NewRoot, a.DepositStart, a.FeeAccountIndex = frBig(h.OldRoot), frBig(h.NewRoot), h.DepositStart, headerFee
	a.NextIndex = h.NextIndex
	withPI(a, h, pubdata)
	return a
}

func TestSoundnessForged(t *testing.T) {
	cfg := protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}
	w, err := protocoltest.NewWorld(cfg, 3, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	// Account 3 is topped up close to 2^128 so a transfer can overflow it.
	near := new(uint256.Int).Sub(protocol.MaxBalance, uint256.NewInt(1_000_000+500))
	w.QueueDeposit(w.Keys[2].Public(), 0)
	w.Queue[0].Amount = *near // deposits carry full 128-bit amounts
	if _, err := w.State.ApplyBatch(protocol.BatchInput{FeeAccount: 1, Deposits: w.Queue}); err != nil {
		t.Fatal(err)
	}
	w.Queue = nil

	cases := []struct {
		name  string
		valid bool
		fee   [2]uint32 // credit to, header
		ops   []forgedOp
	}{
		{"honest forge is valid", true, [2]uint32{1, 1}, []forgedOp{{from: 2, to: 1, amount: 1000, fee: 10}, {withdraw: true, from: 2, amount: 300, fee: 30}}},
		{"overdraft", false, [2]uint32{1, 1}, []forgedOp{{from: 2, to: 1, amount: 2_000_000, fee: 10}}},
		{"overdraft by the fee", false, [2]uint32{1, 1}, []forgedOp{{from: 2, to: 1, amount: 1_000_000, fee: 1}}},
		{"recipient overflow", false, [2]uint32{1, 1}, []forgedOp{{from: 2, to: 3, amount: 1000, fee: 0}}},
		{"fees credited to another account", false, [2]uint32{2, 1}, []forgedOp{{from: 2, to: 1, amount: 1000, fee: 10}}},
		{"withdrawal amount differs from the signed one", false, [2]uint32{1, 1}, []forgedOp{{withdraw: true, from: 2, amount: 3000, fee: 30, signedAmount: 300}}},
		{"transfer amount differs from the signed one", false, [2]uint32{1, 1}, []forgedOp{{from: 2, to: 1, amount: 3000, fee: 30, signedAmount: 300}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := forge(t, w, tc.fee[0], tc.fee[1], tc.ops)
			err := solved(t, cfg, a)
			if tc.valid && err != nil {
				t.Fatalf("valid forged batch rejected: %v", err)
			}
			if !tc.valid && err == nil {
				t.Fatal("invalid batch satisfied the circuit")
			}
		})
	}
}
