package circuits

// Native/in-circuit twin tests: each gadget of the batch circuit's builder
// is run on values computed by package protocol, and must accept exactly
// those (every test also has a wrong value that must be refused).

import (
	"math/big"
	"math/rand"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	"github.com/consensys/gnark/std/permutation/poseidon2"
	"github.com/consensys/gnark/test"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/circuits/merkle"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
	"github.com/sheafrollup/sheaf/protocol/smt"
)

// twinBuilder builds the batch circuit's builder the way Define does.
func twinBuilder(api frontend.API, cfg protocol.Config) (*builder, error) {
	h, err := merkle.NewHasher(api)
	if err != nil {
		return nil, err
	}
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return nil, err
	}
	perm, err := poseidon2.NewPoseidon2(api)
	if err != nil {
		return nil, err
	}
	return &builder{api: api, cfg: cfg, h: h, curve: curve, perm: perm}, nil
}

// twinCompile compiles a twin circuit to R1CS once per shape.
func twinCompile(t *testing.T, c frontend.Circuit) constraint.ConstraintSystem {
	t.Helper()
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c)
	if err != nil {
		t.Fatal(err)
	}
	return ccs
}

// twinSolve checks an assignment with gnark's test engine and with the
// compiled R1CS (constant folding only happens when compiling); the two must
// agree. It returns the test engine's verdict.
func twinSolve(t *testing.T, c frontend.Circuit, ccs constraint.ConstraintSystem, a frontend.Circuit) error {
	t.Helper()
	engineErr := test.IsSolved(c, a, ecc.BN254.ScalarField())
	w, err := frontend.NewWitness(a, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	r1csErr := ccs.IsSolved(w)
	if (engineErr == nil) != (r1csErr == nil) {
		t.Fatalf("test engine and R1CS disagree: engine %v, r1cs %v", engineErr, r1csErr)
	}
	return engineErr
}

func twinMustSolve(t *testing.T, c frontend.Circuit, ccs constraint.ConstraintSystem, a frontend.Circuit) {
	t.Helper()
	if err := twinSolve(t, c, ccs, a); err != nil {
		t.Fatalf("valid assignment refused: %v", err)
	}
}

func twinMustFail(t *testing.T, what string, c frontend.Circuit, ccs constraint.ConstraintSystem, a frontend.Circuit) {
	t.Helper()
	err := twinSolve(t, c, ccs, a)
	if err == nil {
		t.Fatalf("%s: invalid assignment accepted", what)
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	t.Logf("%s: refused: %s", what, msg)
}

func twinRandElem(r *rand.Rand) fr.Element {
	var b [32]byte
	r.Read(b[:])
	var e fr.Element
	e.SetBytes(b[:])
	return e
}

func twinBig(v frontend.Variable) *big.Int {
	switch x := v.(type) {
	case *big.Int:
		return new(big.Int).Set(x)
	case uint32:
		return new(big.Int).SetUint64(uint64(x))
	case uint64:
		return new(big.Int).SetUint64(x)
	case int:
		return big.NewInt(int64(x))
	}
	panic("twinBig: unexpected type")
}

func plusOne(v frontend.Variable) frontend.Variable {
	return new(big.Int).Add(twinBig(v), big.NewInt(1))
}

// --- (a) node compression ---

type twinCompress struct {
	L, R []frontend.Variable
	Out  []frontend.Variable `gnark:",public"`
}

func (c *twinCompress) Define(api frontend.API) error {
	b, err := twinBuilder(api, protocol.Config{})
	if err != nil {
		return err
	}
	for i := range c.L {
		api.AssertIsEqual(b.h.HashNode(c.L[i], c.R[i]), c.Out[i])
	}
	return nil
}

func newTwinCompress(n int) *twinCompress {
	return &twinCompress{L: make([]frontend.Variable, n), R: make([]frontend.Variable, n), Out: make([]frontend.Variable, n)}
}

func TestTwinCompress(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	var pMinus1 fr.Element
	pMinus1.SetOne().Neg(&pMinus1)
	pairs := [][2]fr.Element{{}, {fr.NewElement(1), fr.NewElement(2)}, {pMinus1, pMinus1}, {protocol.TagLeaf, protocol.TagMessage}}
	for len(pairs) < 8 {
		pairs = append(pairs, [2]fr.Element{twinRandElem(r), twinRandElem(r)})
	}
	c := newTwinCompress(len(pairs))
	a := newTwinCompress(len(pairs))
	for i, p := range pairs {
		a.L[i], a.R[i] = frBig(p[0]), frBig(p[1])
		a.Out[i] = frBig(protocol.Compress(p[0], p[1]))
	}
	ccs := twinCompile(t, c)
	twinMustSolve(t, c, ccs, a)

	bad := newTwinCompress(len(pairs))
	copy(bad.L, a.L)
	copy(bad.R, a.R)
	copy(bad.Out, a.Out)
	bad.Out[5] = plusOne(bad.Out[5])
	twinMustFail(t, "wrong hash", c, ccs, bad)
	swapped := newTwinCompress(len(pairs))
	copy(swapped.L, a.R) // the compression is not symmetric
	copy(swapped.R, a.L)
	copy(swapped.Out, a.Out)
	twinMustFail(t, "swapped inputs", c, ccs, swapped)

	// The one Groth16 round trip of this file: small circuit, real setup.
	test.NewAssert(t).CheckCircuit(newTwinCompress(len(pairs)),
		test.WithValidAssignment(a), test.WithInvalidAssignment(bad),
		test.WithCurves(ecc.BN254), test.WithBackends(backend.GROTH16),
		test.NoFuzzing(), test.NoSerializationChecks())
}

// --- (b) account leaves ---

type twinLeaf struct {
	X, Y, Packed  []frontend.Variable
	KeyHash, Leaf []frontend.Variable
	Bal, Nonce    []frontend.Variable
}

func (c *twinLeaf) Define(api frontend.API) error {
	b, err := twinBuilder(api, protocol.Config{})
	if err != nil {
		return err
	}
	for i := range c.X {
		key := b.keyHash(c.X[i], c.Y[i])
		api.AssertIsEqual(key, c.KeyHash[i])
		api.AssertIsEqual(b.h.HashNode(key, c.Packed[i]), c.Leaf[i])
		bal, nonce := b.lanes(c.Packed[i])
		api.AssertIsEqual(bal, c.Bal[i])
		api.AssertIsEqual(nonce, c.Nonce[i])
	}
	return nil
}

func newTwinLeaf(n int) *twinLeaf {
	mk := func() []frontend.Variable { return make([]frontend.Variable, n) }
	return &twinLeaf{X: mk(), Y: mk(), Packed: mk(), KeyHash: mk(), Leaf: mk(), Bal: mk(), Nonce: mk()}
}

func (c *twinLeaf) clone() *twinLeaf {
	d := newTwinLeaf(len(c.X))
	for _, p := range [][2][]frontend.Variable{{d.X, c.X}, {d.Y, c.Y}, {d.Packed, c.Packed}, {d.KeyHash, c.KeyHash}, {d.Leaf, c.Leaf}, {d.Bal, c.Bal}, {d.Nonce, c.Nonce}} {
		copy(p[0], p[1])
	}
	return d
}

func TestTwinLeafHash(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	keys := protocoltest.Keys(5, 6)
	maxBal := new(uint256.Int).Sub(protocol.MaxBalance, uint256.NewInt(1))
	var accs []protocol.Account
	for i, k := range keys {
		a := protocol.Account{PubKey: k.Public(), Nonce: r.Uint32()}
		a.Balance.SetUint64(r.Uint64())
		a.Balance.Lsh(&a.Balance, uint(r.Intn(65)))
		switch i {
		case 0: // empty-looking account
			a.Balance.Clear()
			a.Nonce = 0
		case 1: // extremes of both lanes
			a.Balance = *maxBal
			a.Nonce = ^uint32(0)
		}
		accs = append(accs, a)
	}
	c := newTwinLeaf(len(accs))
	a := newTwinLeaf(len(accs))
	for i, acc := range accs {
		a.X[i], a.Y[i] = frBig(acc.PubKey.X), frBig(acc.PubKey.Y)
		a.Packed[i] = frBig(protocol.PackBalanceNonce(&acc.Balance, acc.Nonce))
		a.KeyHash[i] = frBig(protocol.KeyHash(acc.PubKey))
		a.Leaf[i] = frBig(protocol.LeafHash(acc))
		a.Bal[i] = acc.Balance.ToBig()
		a.Nonce[i] = acc.Nonce
	}
	ccs := twinCompile(t, c)
	twinMustSolve(t, c, ccs, a)

	bad := a.clone()
	bad.Leaf[3] = plusOne(bad.Leaf[3])
	twinMustFail(t, "wrong leaf", c, ccs, bad)
	bad = a.clone()
	bad.X[2], bad.Y[2] = a.Y[2], a.X[2]
	twinMustFail(t, "swapped key coordinates", c, ccs, bad)
	bad = a.clone()
	bad.Nonce[4] = plusOne(bad.Nonce[4])
	twinMustFail(t, "wrong nonce lane", c, ccs, bad)
	// A packed lane of more than 160 bits has no (balance, nonce) split.
	bad = a.clone()
	wide := new(big.Int).Lsh(big.NewInt(1), 160)
	wide.Add(wide, twinBig(a.Packed[0]))
	var wideE fr.Element
	wideE.SetBigInt(wide)
	bad.Packed[0] = wide
	bad.Leaf[0] = frBig(protocol.Compress(protocol.KeyHash(accs[0].PubKey), wideE))
	twinMustFail(t, "packed lane wider than 160 bits", c, ccs, bad)
}

// --- (c) signed messages ---

// twinMessage recomputes the domain state and message hash the way Define
// and debit do. batch.go has no messageHash helper, so this replicates the
// formula (keep in sync with debit).
type twinMessage struct {
	opType int

	ChainID, Contract                   frontend.Variable
	From, Nonce, Recipient, Amount, Fee frontend.Variable
	DomainState, E1, E2, Msg            frontend.Variable
}

func (c *twinMessage) Define(api frontend.API) error {
	b, err := twinBuilder(api, protocol.Config{})
	if err != nil {
		return err
	}
	ds := b.h.HashNode(protocol.TagMessage, api.Add(api.Mul(c.ChainID, new(big.Int).Lsh(big.NewInt(1), 160)), c.Contract))
	api.AssertIsEqual(ds, c.DomainState)
	e1 := api.Add(new(big.Int).Lsh(big.NewInt(int64(c.opType)), 224),
		api.Mul(c.From, new(big.Int).Lsh(big.NewInt(1), 192)),
		api.Mul(c.Nonce, new(big.Int).Lsh(big.NewInt(1), 160)),
		c.Recipient)
	e2 := api.Add(api.Mul(c.Fee, two128), c.Amount)
	api.AssertIsEqual(e1, c.E1)
	api.AssertIsEqual(e2, c.E2)
	api.AssertIsEqual(b.h.HashNode(b.h.HashNode(ds, e1), e2), c.Msg)
	return nil
}

func TestTwinMessageFormula(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	maxU128 := new(uint256.Int).Sub(protocol.MaxBalance, uint256.NewInt(1))
	for _, opType := range []int{protocol.OpTransfer, protocol.OpWithdraw} {
		c := &twinMessage{opType: opType}
		ccs := twinCompile(t, c)
		for i := range 6 {
			chainID := r.Uint64()
			var contract [20]byte
			r.Read(contract[:])
			from, nonce := r.Uint32(), r.Uint32()
			var amount, fee uint256.Int
			amount.SetUint64(r.Uint64())
			amount.Lsh(&amount, uint(r.Intn(64)))
			fee.SetUint64(uint64(r.Intn(64)))
			fee.Mul(&fee, new(uint256.Int).Exp(uint256.NewInt(10), uint256.NewInt(uint64(r.Intn(32)))))
			recipient := new(big.Int).SetUint64(uint64(r.Uint32()))
			if opType == protocol.OpWithdraw {
				var to [20]byte
				r.Read(to[:])
				recipient.SetBytes(to[:])
			}
			if i == 0 { // extremes
				chainID, from, nonce = ^uint64(0), ^uint32(0), ^uint32(0)
				for j := range contract {
					contract[j] = 0xff
				}
				amount, fee = *maxU128, *maxU128
				if opType == protocol.OpWithdraw {
					recipient.Sub(new(big.Int).Lsh(big.NewInt(1), 160), big.NewInt(1))
				} else {
					recipient.SetUint64(uint64(^uint32(0)))
				}
			}
			ds := protocol.DomainState(chainID, contract)
			e1, e2 := protocol.MessageFields(uint8(opType), from, nonce, recipient, &amount, &fee)
			msg := protocol.MessageHash(ds, e1, e2)
			// Cross-check with the operation types' own Message methods.
			switch opType {
			case protocol.OpTransfer:
				tr := protocol.Transfer{From: from, To: uint32(recipient.Uint64()), Amount: amount, Fee: fee, Nonce: nonce}
				if tr.Message(ds) != msg {
					t.Fatal("Transfer.Message != MessageHash(MessageFields)")
				}
			case protocol.OpWithdraw:
				wd := protocol.Withdrawal{From: from, Amount: amount, Fee: fee, Nonce: nonce}
				recipient.FillBytes(wd.To[:])
				if wd.Message(ds) != msg {
					t.Fatal("Withdrawal.Message != MessageHash(MessageFields)")
				}
			}
			a := &twinMessage{ChainID: chainID, Contract: new(big.Int).SetBytes(contract[:]),
				From: from, Nonce: nonce, Recipient: recipient, Amount: amount.ToBig(), Fee: fee.ToBig(),
				DomainState: frBig(ds), E1: frBig(e1), E2: frBig(e2), Msg: frBig(msg)}
			twinMustSolve(t, c, ccs, a)
			if i == 0 {
				bad := *a
				bad.Msg = plusOne(a.Msg)
				twinMustFail(t, "wrong message hash", c, ccs, &bad)
				bad = *a
				bad.Nonce = uint64(nonce) - 1
				twinMustFail(t, "message of another nonce", c, ccs, &bad)
				other := &twinMessage{opType: 3 - opType}
				twinMustFail(t, "message of the other op type", other, twinCompile(t, other), a)
			}
		}
	}
}

// twinDebit runs the batch circuit's debit (signature check included) on a
// sender's witness and compares the root it returns with the native one.
type twinDebit struct {
	opType int
	depth  int

	ChainID, Contract frontend.Variable
	Root, NewRoot     frontend.Variable
	From, Recipient   frontend.Variable
	Amount, Fee       frontend.Variable
	Sig               Sig
	Sender            Account
}

func (c *twinDebit) Define(api frontend.API) error {
	b, err := twinBuilder(api, protocol.Config{Depth: c.depth})
	if err != nil {
		return err
	}
	ds := b.h.HashNode(protocol.TagMessage, api.Add(api.Mul(c.ChainID, new(big.Int).Lsh(big.NewInt(1), 160)), c.Contract))
	idx := api.ToBinary(c.From, c.depth)
	root := b.debit(c.Root, 1, idx, c.Sender, c.Sig, c.Amount, c.Fee, ds, c.opType, c.From, c.Recipient)
	api.AssertIsEqual(root, c.NewRoot)
	return nil
}

func newTwinDebit(opType, depth int) *twinDebit {
	return &twinDebit{opType: opType, depth: depth, Sender: Account{Siblings: make([]frontend.Variable, depth)}}
}

// twinFold is the native root of leaf at index under siblings.
func twinFold(leaf fr.Element, index uint32, sib []fr.Element) fr.Element {
	cur := leaf
	for l, s := range sib {
		if index>>uint(l)&1 == 0 {
			cur = protocol.Compress(cur, s)
		} else {
			cur = protocol.Compress(s, cur)
		}
	}
	return cur
}

func TestTwinDebitMessage(t *testing.T) {
	cfg := protocol.Config{Depth: 4, Deposits: 1, Transfers: 1, Withdrawals: 1}
	w, err := protocoltest.NewWorld(cfg, 3, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	st := w.State
	contract := new(big.Int).SetBytes(protocoltest.Contract[:])

	// Transfers, a self-transfer among them: the root after the sender's
	// update is the root the receiver's proof was taken against.
	ct := newTwinDebit(protocol.OpTransfer, cfg.Depth)
	ccsT := twinCompile(t, ct)
	for _, tr := range []protocol.Transfer{w.Transfer(2, 3, 1200, 10, 0), w.Transfer(3, 3, 500, 20, 0), w.Transfer(1, 2, 999_000, 1, 0)} {
		root := st.Root()
		tw, err := st.ApplyTransfer(tr)
		if err != nil {
			t.Fatal(err)
		}
		mid := twinFold(protocol.LeafHash(tw.Receiver.Account), tr.To, tw.Receiver.Siblings)
		a := &twinDebit{ChainID: protocoltest.ChainID, Contract: contract, Root: frBig(root), NewRoot: frBig(mid),
			From: tr.From, Recipient: tr.To, Amount: tr.Amount.ToBig(), Fee: tr.Fee.ToBig(),
			Sig: sig(tr.Sig), Sender: account(tw.Sender, cfg.Depth)}
		twinMustSolve(t, ct, ccsT, a)
		if tr.From == 2 {
			bad := *a
			bad.Amount = plusOne(a.Amount)
			bad.NewRoot = frBig(twinFold(protocol.Compress(protocol.KeyHash(tw.Sender.Account.PubKey),
				protocol.PackBalanceNonce(new(uint256.Int).SubUint64(&tw.Sender.Account.Balance, 1200+10+1), 1)), 2, tw.Sender.Siblings))
			twinMustFail(t, "amount not signed", ct, ccsT, &bad)
			bad = *a
			bad.Recipient = 1
			twinMustFail(t, "recipient not signed", ct, ccsT, &bad)
			bad = *a
			bad.ChainID = protocoltest.ChainID + 1
			twinMustFail(t, "another chain", ct, ccsT, &bad)
			bad = *a
			bad.NewRoot = plusOne(a.NewRoot)
			twinMustFail(t, "wrong new root", ct, ccsT, &bad)
			cw := newTwinDebit(protocol.OpWithdraw, cfg.Depth)
			twinMustFail(t, "transfer signature as a withdrawal", cw, twinCompile(t, cw), a)
		}
	}

	// Withdrawals: the sender's update is the whole state change.
	cw := newTwinDebit(protocol.OpWithdraw, cfg.Depth)
	ccsW := twinCompile(t, cw)
	addr := [20]byte{0xff, 0xee, 0xdd, 19: 0x01}
	for _, wd := range []protocol.Withdrawal{w.Withdrawal(2, addr, 300, 30, 0), w.Withdrawal(1, [20]byte{}, 1, 0, 0)} {
		root := st.Root()
		ww, err := st.ApplyWithdrawal(wd)
		if err != nil {
			t.Fatal(err)
		}
		a := &twinDebit{ChainID: protocoltest.ChainID, Contract: contract, Root: frBig(root), NewRoot: frBig(st.Root()),
			From: wd.From, Recipient: new(big.Int).SetBytes(wd.To[:]), Amount: wd.Amount.ToBig(), Fee: wd.Fee.ToBig(),
			Sig: sig(wd.Sig), Sender: account(ww.Sender, cfg.Depth)}
		twinMustSolve(t, cw, ccsW, a)
		bad := *a
		bad.Recipient = plusOne(a.Recipient)
		twinMustFail(t, "L1 address not signed", cw, ccsW, &bad)
	}
}

// --- (d) short floats ---

type twinFloat struct {
	f                 protocol.Float
	M, E, Value, Code []frontend.Variable
}

func (c *twinFloat) Define(api frontend.API) error {
	b, err := twinBuilder(api, protocol.Config{})
	if err != nil {
		return err
	}
	for i := range c.M {
		v, bits := b.decodeFloat(c.f, c.M[i], c.E[i])
		if len(bits) != c.f.Bits() {
			panic("decodeFloat returned the wrong number of bits")
		}
		api.AssertIsEqual(v, c.Value[i])
		api.AssertIsEqual(b.fromBits(bits), c.Code[i])
	}
	return nil
}

func newTwinFloat(f protocol.Float, n int) *twinFloat {
	mk := func() []frontend.Variable { return make([]frontend.Variable, n) }
	return &twinFloat{f: f, M: mk(), E: mk(), Value: mk(), Code: mk()}
}

func (c *twinFloat) clone() *twinFloat {
	d := newTwinFloat(c.f, len(c.M))
	copy(d.M, c.M)
	copy(d.E, c.E)
	copy(d.Value, c.Value)
	copy(d.Code, c.Code)
	return d
}

func TestTwinDecodeFloat(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	for _, f := range []protocol.Float{protocol.AmountFloat, protocol.FeeFloat} {
		maxM := uint64(1)<<uint(f.MantBits) - 1
		maxE := uint64(1)<<uint(f.ExpBits) - 1
		codes := []uint64{}
		for _, m := range []uint64{0, 1, maxM} {
			for _, e := range []uint64{0, 1, maxE} {
				codes = append(codes, e<<uint(f.MantBits)|m)
			}
		}
		for range 16 {
			codes = append(codes, r.Uint64()&(1<<uint(f.Bits())-1))
		}
		c := newTwinFloat(f, len(codes))
		a := newTwinFloat(f, len(codes))
		for i, code := range codes {
			m, e := f.Split(code)
			v, err := f.Decode(code)
			if err != nil {
				t.Fatal(err)
			}
			a.M[i], a.E[i], a.Value[i], a.Code[i] = m, e, v.ToBig(), code
		}
		ccs := twinCompile(t, c)
		twinMustSolve(t, c, ccs, a)

		bad := a.clone()
		bad.Value[len(codes)-1] = plusOne(bad.Value[len(codes)-1])
		twinMustFail(t, "wrong value", c, ccs, bad)
		bad = a.clone()
		bad.Code[2] = plusOne(bad.Code[2])
		twinMustFail(t, "wrong code bits", c, ccs, bad)
		// A mantissa wider than MantBits: the value is consistent, the
		// range check must refuse it.
		bad = a.clone()
		wideM := new(big.Int).Lsh(big.NewInt(1), uint(f.MantBits))
		bad.M[0], bad.E[0], bad.Value[0] = wideM, 0, wideM
		bad.Code[0] = new(big.Int).Lsh(big.NewInt(1), uint(f.MantBits)) // what the bits would read
		twinMustFail(t, "mantissa of MantBits+1 bits", c, ccs, bad)
		bad = a.clone()
		bad.M[0], bad.E[0] = new(big.Int).Sub(ecc.BN254.ScalarField(), big.NewInt(1)), 0 // "-1"
		bad.Value[0] = bad.M[0]
		twinMustFail(t, "negative mantissa", c, ccs, bad)
		// An exponent wider than ExpBits.
		bad = a.clone()
		wideE := uint64(1) << uint(f.ExpBits)
		bad.M[0], bad.E[0] = 1, wideE
		bad.Value[0] = new(big.Int).Exp(big.NewInt(10), new(big.Int).SetUint64(wideE), nil)
		bad.Code[0] = wideE << uint(f.MantBits)
		twinMustFail(t, "exponent of ExpBits+1 bits", c, ccs, bad)
		// typed check: the []frontend.Variable values are what we think.
		if _, ok := a.Value[0].(*big.Int); !ok {
			t.Fatal("test setup: value is not a *big.Int")
		}
	}
}

// --- (e) compressed keys in deposit pubdata ---

// twinKeysByFlag returns keys whose X is (flag) or is not lexicographically
// largest.
func twinKeysByFlag(t *testing.T, flag bool, n int) []protocol.PrivateKey {
	t.Helper()
	var out []protocol.PrivateKey
	for _, k := range protocoltest.Keys(123, 64) {
		pk := k.Public()
		if pk.X.LexicographicallyLargest() == flag {
			out = append(out, k)
			if len(out) == n {
				return out
			}
		}
	}
	t.Fatalf("not enough keys with flag %v", flag)
	return nil
}

// twinPreimageHook asserts the circuit's preimage bits equal want.
func twinPreimageHook(want []byte) *func(api frontend.API, bits []frontend.Variable) {
	f := func(api frontend.API, bits []frontend.Variable) {
		if len(bits) != 8*len(want) {
			panic("preimage length differs from header‖pubdata")
		}
		for i, bit := range bits {
			api.AssertIsEqual(bit, int(want[i/8]>>(7-uint(i%8))&1))
		}
	}
	return &f
}

func TestTwinDepositKeyBytes(t *testing.T) {
	cfg := protocol.Config{Depth: 3, Deposits: 4, Transfers: 0, Withdrawals: 0}
	w, err := protocoltest.NewWorld(cfg, 1, 1000)
	if err != nil {
		t.Fatal(err)
	}
	set := twinKeysByFlag(t, true, 2)
	unset := twinKeysByFlag(t, false, 2)
	keys := []protocol.PrivateKey{set[0], unset[0], set[1], unset[1]}
	in := protocol.BatchInput{FeeAccount: 1}
	for i, k := range keys {
		in.Deposits = append(in.Deposits, w.QueueDeposit(k.Public(), uint64(1000*(i+1))))
	}
	b, err := w.State.ApplyBatch(in)
	if err != nil {
		t.Fatal(err)
	}
	// Natively the slot holds PublicKey.Bytes, flag bit as expected.
	n := cfg.IndexBytes()
	for i, k := range keys {
		slot := b.Pubdata[i*cfg.DepositBytes():]
		pub := k.Public()
		pk := pub.Bytes()
		if string(slot[n:n+protocol.PubKeySize]) != string(pk[:]) {
			t.Fatalf("deposit %d: pubdata key %x, want %x", i, slot[n:n+protocol.PubKeySize], pk)
		}
		if (pk[0]&0x80 != 0) != pub.X.LexicographicallyLargest() {
			t.Fatalf("deposit %d: flag bit wrong", i)
		}
	}
	want := append(b.Header.Bytes(), b.Pubdata...)
	a, err := Assign(b)
	if err != nil {
		t.Fatal(err)
	}
	c := New(cfg)
	c.preimageHook = twinPreimageHook(want)
	ccs := twinCompile(t, c)
	twinMustSolve(t, c, ccs, a)

	// Flip each key's flag bit, then its lowest Y bit, in the expected bytes:
	// the circuit's bytes must no longer match.
	keyOff := protocol.HeaderSize + n
	for i := range keys {
		for _, flip := range []struct {
			off  int
			mask byte
		}{{keyOff + i*cfg.DepositBytes(), 0x80}, {keyOff + i*cfg.DepositBytes() + 31, 0x01}} {
			bad := append([]byte(nil), want...)
			bad[flip.off] ^= flip.mask
			cb := New(cfg)
			cb.preimageHook = twinPreimageHook(bad)
			if err := test.IsSolved(cb, a, ecc.BN254.ScalarField()); err == nil {
				t.Fatalf("deposit %d: circuit accepted key bytes with byte %d ^ %#x", i, flip.off, flip.mask)
			}
		}
	}
}

// --- deposit index rule ---

// twinDepositAt builds the assignment of a one-deposit batch that credits
// key at index target as a new account, consistent in every root, path and
// the public input, whatever the native rule says.
func twinDepositAt(t *testing.T, w *protocoltest.World, key protocol.PublicKey, target uint32) *Batch {
	t.Helper()
	st := w.State
	cfg := st.Config()
	tree, err := smt.New(cfg.Depth)
	if err != nil {
		t.Fatal(err)
	}
	leaves := make([]fr.Element, st.NumAccounts()+1)
	for i := 1; i < len(leaves); i++ {
		a, _ := st.Account(uint32(i))
		leaves[i] = protocol.LeafHash(a)
	}
	if err := tree.Load(leaves); err != nil {
		t.Fatal(err)
	}
	old := tree.Root()
	d := protocol.Deposit{QueueIndex: st.NextDeposit(), PubKey: key, Amount: protocoltest.U(500)}
	before, err := tree.Proof(uint64(target))
	if err != nil {
		t.Fatal(err)
	}
	if err := tree.Set(uint64(target), protocol.LeafHash(protocol.Account{PubKey: key, Balance: d.Amount})); err != nil {
		t.Fatal(err)
	}
	feeProof, _ := tree.Proof(1)
	feeAcc, _ := st.Account(1)
	h := protocol.Header{ChainID: st.ChainID(), Contract: st.Contract(), Number: st.BatchNumber() + 1,
		OldRoot: old, NewRoot: tree.Root(), DepositStart: st.NextDeposit(), DepositCount: 1, FeeAccount: 1,
		NextIndex: uint32(st.NumAccounts() + 1)}
	pd := make([]byte, cfg.PubdataSize())
	protocol.EncodeDeposit(cfg, pd, target, &d)
	a := New(cfg)
	a.PublicInput = frBig(protocol.PublicInput(h, pd))
	a.ChainID, a.Contract, a.Number = h.ChainID, new(big.Int).SetBytes(h.Contract[:]), h.Number
	a.OldRoot, a.NewRoot, a.DepositStart, a.FeeAccountIndex = frBig(old), frBig(h.NewRoot), h.DepositStart, 1
	a.NextIndex = h.NextIndex
	a.Deposits[0] = DepositSlot{Index: target, PubX: frBig(key.X), PubY: frBig(key.Y), Amount: 500, IsNew: 1, Packed: 0,
		Siblings: siblings(before.Siblings, cfg.Depth)}
	a.FeeAccount = account(protocol.AccountProof{Index: 1, Account: feeAcc, Siblings: feeProof.Siblings}, cfg.Depth)
	return a
}

// TestTwinDepositIndexRule: natively a new key gets the next free index and
// a known key is credited at its first index; the circuit should not prove
// a deposit that the native state-transition function would place elsewhere
// (an auditor replaying L1 data natively would then diverge from the root
// on L1).
func TestTwinDepositIndexRule(t *testing.T) {
	cfg := protocol.Config{Depth: 4, Deposits: 1, Transfers: 0, Withdrawals: 0}
	w, err := protocoltest.NewWorld(cfg, 1, 1000)
	if err != nil {
		t.Fatal(err)
	}
	fresh := protocoltest.Keys(99, 1)[0].Public()
	known := w.Keys[0].Public() // owns index 1, no overflow at +500
	// Control: what the native rule does is provable.
	if err := test.IsSolved(New(cfg), twinDepositAt(t, w, fresh, 2), ecc.BN254.ScalarField()); err != nil {
		t.Fatalf("native placement refused: %v", err)
	}
	// A new account must take the next free index (header NextIndex).
	if test.IsSolved(New(cfg), twinDepositAt(t, w, fresh, 9), ecc.BN254.ScalarField()) == nil {
		t.Fatal("circuit proves a new account at index 9 while the next free index is 2")
	}
	// Which account a known key's deposit goes to is the operator's policy
	// (protocol.md): a fresh account at the next index is provable too, and
	// the index is in the pubdata the auditor replays.
	if err := test.IsSolved(New(cfg), twinDepositAt(t, w, known, 2), ecc.BN254.ScalarField()); err != nil {
		t.Fatalf("a known key opening the next account refused: %v", err)
	}
}
