package circuits

import (
	"fmt"
	"math/big"

	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	"github.com/consensys/gnark/std/hash"
	"github.com/consensys/gnark/std/math/cmp"
	"github.com/consensys/gnark/std/permutation/poseidon2"
	"github.com/consensys/gnark/std/signature/eddsa"

	"github.com/sheafrollup/sheaf/circuits/blobeval"
	"github.com/sheafrollup/sheaf/circuits/merkle"
	"github.com/sheafrollup/sheaf/circuits/sha256bits"
	"github.com/sheafrollup/sheaf/circuits/sigcheck"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/blob"
)

// Account is an account leaf before an update and its Merkle path.
type Account struct {
	PubX, PubY frontend.Variable
	Packed     frontend.Variable // nonce·2^128 + balance
	Siblings   []frontend.Variable
}

// DepositSlot: a no-op has Index 0, X 0, Y 1 and zero amount.
type DepositSlot struct {
	Index      frontend.Variable
	PubX, PubY frontend.Variable
	Amount     frontend.Variable
	IsNew      frontend.Variable
	Packed     frontend.Variable // target leaf's lane before the deposit (0 when new)
	Siblings   []frontend.Variable
}

// Sig is an EdDSA signature (R affine, S scalar).
type Sig struct{ RX, RY, S frontend.Variable }

// TransferSlot: a no-op has From 0 and every pubdata field 0.
type TransferSlot struct {
	From, To         frontend.Variable
	AmountM, AmountE frontend.Variable
	FeeM, FeeE       frontend.Variable
	Sig              Sig
	Sender, Receiver Account
}

// WithdrawalSlot: a no-op has From 0 and every pubdata field 0.
type WithdrawalSlot struct {
	From             frontend.Variable
	To               frontend.Variable // L1 address
	AmountM, AmountE frontend.Variable
	FeeM, FeeE       frontend.Variable
	Sig              Sig
	Sender           Account
}

// ForcedExitSlot is one forced-exit request from the L1 queue and the leaf
// it names. The request's fields (Index, Recipient, Nonce, Sig, PrevChain)
// are bound to L1 by the forced-exit chain value in the header; the circuit
// judges the request from them and the leaf. A no-op slot has Index 0 and
// Recipient 0; its other fields only need to satisfy the curve checks.
type ForcedExitSlot struct {
	Index     frontend.Variable
	Recipient frontend.Variable // L1 address
	Nonce     frontend.Variable // the nonce the owner signed
	Sig       Sig
	PrevChain frontend.Variable // chain value before this request
	Empty     frontend.Variable // the leaf is empty (no account): key (0, 1), lane 0
	Account   Account
}

// Batch is the batch circuit for one protocol.Config.
type Batch struct {
	cfg protocol.Config
	// preimageHook lets tests compare the in-circuit preimage bits with the
	// native header and pubdata bytes.
	// (A pointer: gnark's test engine deep-compares circuit clones.)
	preimageHook *func(api frontend.API, bits []frontend.Variable)
	// noHash leaves out the public-input hash; only Measure sets it, to
	// split the constraint count. Such a circuit is not sound.
	noHash bool

	// PublicInput is the calldata-mode public input (SHA-256 of header and
	// pubdata); in blob mode it is the first of two, dataHash·2^127 +
	// x·2^2 + (V >> 253) (protocol.BlobBinding).
	PublicInput frontend.Variable `gnark:",public"`
	// BlobPI is blob mode's second public input, V mod 2^253. None in
	// calldata mode, so calldata circuits keep their one public input.
	BlobPI []frontend.Variable `gnark:",public"`

	ChainID, Contract, Number frontend.Variable
	OldRoot, NewRoot          frontend.Variable
	DepositStart              frontend.Variable
	NextIndex                 frontend.Variable // first unassigned account index before the batch
	FeeAccountIndex           frontend.Variable

	Deposits    []DepositSlot
	ForcedExits []ForcedExitSlot
	Transfers   []TransferSlot
	Withdrawals []WithdrawalSlot
	FeeAccount  Account

	// BlobX is the evaluation point x (< 2^125): one in blob mode, none
	// otherwise. A witness: PublicInput binds it, and the contract derives it
	// from keccak (protocol/blob.Challenge).
	BlobX []frontend.Variable
}

// New allocates an empty circuit of the given configuration for compiling.
func New(cfg protocol.Config) *Batch {
	c := &Batch{cfg: cfg}
	sib := func() []frontend.Variable { return make([]frontend.Variable, cfg.Depth) }
	acc := func() Account { return Account{Siblings: sib()} }
	c.Deposits = make([]DepositSlot, cfg.Deposits)
	for i := range c.Deposits {
		c.Deposits[i].Siblings = sib()
	}
	c.ForcedExits = make([]ForcedExitSlot, cfg.ForcedExits)
	for i := range c.ForcedExits {
		c.ForcedExits[i].Account = acc()
	}
	c.Transfers = make([]TransferSlot, cfg.Transfers)
	for i := range c.Transfers {
		c.Transfers[i].Sender, c.Transfers[i].Receiver = acc(), acc()
	}
	c.Withdrawals = make([]WithdrawalSlot, cfg.Withdrawals)
	for i := range c.Withdrawals {
		c.Withdrawals[i].Sender = acc()
	}
	c.FeeAccount = acc()
	if cfg.Blob() {
		c.BlobPI = make([]frontend.Variable, 1)
		c.BlobX = make([]frontend.Variable, 1)
	}
	return c
}

// Config of this circuit.
func (c *Batch) Config() protocol.Config { return c.cfg }

var (
	two128     = new(big.Int).Lsh(big.NewInt(1), 128)
	pow10Steps = func() [5]*big.Int { // 10^(2^i) - 1
		var p [5]*big.Int
		for i := range p {
			p[i] = new(big.Int).Exp(big.NewInt(10), big.NewInt(1<<i), nil)
			p[i].Sub(p[i], big.NewInt(1))
		}
		return p
	}()
)

type builder struct {
	api   frontend.API
	cfg   protocol.Config
	h     *merkle.Hasher
	curve twistededwards.Curve
	perm  *poseidon2.Permutation
	msg   []frontend.Variable // SHA-256 preimage bits, MSB first per byte
}

// be appends the n-byte big-endian image of lsb-first bits.
func (b *builder) be(lsb []frontend.Variable, nbytes int) {
	for i := 8*nbytes - 1; i >= 0; i-- {
		if i < len(lsb) {
			b.msg = append(b.msg, lsb[i])
		} else {
			b.msg = append(b.msg, 0)
		}
	}
}

// fromBits recomposes lsb-first bits (already boolean) into a value.
func (b *builder) fromBits(bits []frontend.Variable) frontend.Variable {
	var v frontend.Variable = 0
	c := big.NewInt(1)
	for _, x := range bits {
		v = b.api.Add(v, b.api.Mul(x, new(big.Int).Set(c)))
		c.Lsh(c, 1)
	}
	return v
}

// zeroUnless forces v to 0 on no-op slots so padding is zero bytes.
func (b *builder) zeroUnless(isReal, v frontend.Variable) {
	b.api.AssertIsEqual(b.api.Mul(b.api.Sub(1, isReal), v), 0)
}

// decodeFloat range-checks mantissa and exponent and returns
// (mantissa·10^exponent, pubdata bits of the code, lsb first).
func (b *builder) decodeFloat(f protocol.Float, m, e frontend.Variable) (frontend.Variable, []frontend.Variable) {
	api := b.api
	mb := api.ToBinary(m, f.MantBits)
	eb := api.ToBinary(e, f.ExpBits)
	var pow frontend.Variable = 1
	for i, bit := range eb {
		pow = api.Mul(pow, api.Add(1, api.Mul(bit, pow10Steps[i])))
	}
	return api.Mul(m, pow), append(mb, eb...)
}

// update checks acc's old leaf under root (when isReal), and returns the
// root with the leaf's lane replaced by newPacked. key is KeyHash(acc).
func (b *builder) update(root, isReal frontend.Variable, idx []frontend.Variable, key, oldLeaf, newPacked frontend.Variable, siblings []frontend.Variable) frontend.Variable {
	api := b.api
	r := b.h.ComputeRoot(oldLeaf, idx, siblings)
	api.AssertIsEqual(api.Mul(isReal, api.Sub(r, root)), 0)
	nr := b.h.ComputeRoot(b.h.HashNode(key, newPacked), idx, siblings)
	return api.Select(isReal, nr, root)
}

func (b *builder) keyHash(x, y frontend.Variable) frontend.Variable {
	return b.h.HashNode(b.h.HashNode(protocol.TagLeaf, x), y)
}

// lanes splits a packed lane into balance (128 bits) and nonce (32 bits);
// the decomposition is what makes the split unique.
func (b *builder) lanes(packed frontend.Variable) (bal, nonce frontend.Variable) {
	bits := b.api.ToBinary(packed, 160)
	return b.fromBits(bits[:128]), b.fromBits(bits[128:])
}

var (
	two160    = new(big.Int).Lsh(big.NewInt(1), 160)
	two192    = new(big.Int).Lsh(big.NewInt(1), 192)
	maxNonce  = (1 << 32) - 1
	fxTypeE1  = new(big.Int).Lsh(big.NewInt(protocol.OpForcedExit), 224)
	chainStep = func(h *merkle.Hasher, prev, e1 frontend.Variable, sig Sig) frontend.Variable {
		return h.HashNode(h.HashNode(h.HashNode(h.HashNode(prev, e1), sig.RX), sig.RY), sig.S)
	}
)

// forcedExit judges one forced-exit slot against root and returns the new
// root and the running chain value. Valid (the request's signature verifies
// under the leaf's key by sigcheck.IsValid, its nonce is the leaf's and can
// advance, the leaf is not empty): the balance becomes 0 and the nonce
// advances; the pubdata carries the whole balance and flag 1. Otherwise the
// root is unchanged and the pubdata carries amount 0 and flag 0. The leaf is
// checked against root either way, so a prover cannot pass a used request
// off as a no-op by lying about the leaf.
func (b *builder) forcedExit(s *ForcedExitSlot, root, isReal, chain, domainState frontend.Variable) (newRoot, newChain frontend.Variable) {
	api, h, d := b.api, b.h, b.cfg.Depth
	idx := api.ToBinary(s.Index, d)
	rcpt := api.ToBinary(s.Recipient, 160)
	api.ToBinary(s.Nonce, 32) // with index and recipient ranged, e1 decomposes uniquely
	b.zeroUnless(isReal, s.Recipient)
	api.AssertIsBoolean(s.Empty)

	key := b.keyHash(s.Account.PubX, s.Account.PubY)
	oldLeaf := api.Mul(api.Sub(1, s.Empty), h.HashNode(key, s.Account.Packed))
	r := h.ComputeRoot(oldLeaf, idx, s.Account.Siblings)
	api.AssertIsEqual(api.Mul(isReal, api.Sub(r, root)), 0)
	lane := api.ToBinary(s.Account.Packed, 160)
	bal, nonce := b.fromBits(lane[:128]), b.fromBits(lane[128:])

	e1 := api.Add(fxTypeE1, api.Mul(s.Index, two192), api.Mul(s.Nonce, two160), s.Recipient)
	msg := h.HashNode(h.HashNode(domainState, e1), 0)
	sigOK := sigcheck.IsValid(b.curve, hash.NewMerkleDamgardHasher(api, b.perm, 0),
		twistededwards.Point{X: s.Account.PubX, Y: s.Account.PubY}, twistededwards.Point{X: s.Sig.RX, Y: s.Sig.RY}, s.Sig.S, msg)
	nonceOK := api.IsZero(api.Sub(nonce, s.Nonce))
	canAdvance := api.Sub(1, api.IsZero(api.Sub(nonce, maxNonce)))
	valid := api.Mul(isReal, api.Sub(1, s.Empty), sigOK, nonceOK, canAdvance)

	// nonce+1, balance 0
	nr := h.ComputeRoot(h.HashNode(key, api.Add(api.Sub(s.Account.Packed, bal), two128)), idx, s.Account.Siblings)
	newRoot = api.Select(valid, nr, root)

	amount := make([]frontend.Variable, 128)
	for i := range amount {
		amount[i] = api.Mul(valid, lane[i])
	}
	b.be(idx, b.cfg.IndexBytes())
	b.be(rcpt, 20)
	b.be(amount, 16)
	b.be([]frontend.Variable{valid}, 1)

	// The chain binds this request's fields, exactly as judged, to L1.
	newChain = api.Select(isReal, chainStep(h, s.PrevChain, e1, s.Sig), chain)
	return newRoot, newChain
}

// debit applies the sender side of a signed operation and checks the
// signature over (e1, e2); it returns the new root.
func (b *builder) debit(root, isReal frontend.Variable, idx []frontend.Variable, acc Account, sig Sig, amount, fee, domainState frontend.Variable, opType int, from, recipient frontend.Variable) frontend.Variable {
	api := b.api
	bal, nonce := b.lanes(acc.Packed)
	api.ToBinary(api.Sub(bal, amount, fee), 128) // no overdraft
	api.ToBinary(api.Add(nonce, 1), 32)          // nonce not exhausted
	key := b.keyHash(acc.PubX, acc.PubY)
	newPacked := api.Add(api.Sub(acc.Packed, amount, fee), two128)

	// e1 = type·2^224 + from·2^192 + nonce·2^160 + recipient; e2 = fee·2^128 + amount
	e1 := api.Add(new(big.Int).Lsh(big.NewInt(int64(opType)), 224),
		api.Mul(from, new(big.Int).Lsh(big.NewInt(1), 192)),
		api.Mul(nonce, new(big.Int).Lsh(big.NewInt(1), 160)),
		recipient)
	e2 := api.Add(api.Mul(fee, two128), amount)
	msg := b.h.HashNode(b.h.HashNode(domainState, e1), e2)
	pk := eddsa.PublicKey{A: twistededwards.Point{X: acc.PubX, Y: acc.PubY}}
	s := eddsa.Signature{R: twistededwards.Point{X: sig.RX, Y: sig.RY}, S: sig.S}
	// gnark's verifier does not check these points (see DESIGN.md).
	b.curve.AssertIsOnCurve(pk.A)
	b.curve.AssertIsOnCurve(s.R)
	valid, err := eddsa.IsValid(b.curve, s, msg, pk, hash.NewMerkleDamgardHasher(api, b.perm, 0))
	if err != nil {
		panic(err)
	}
	api.AssertIsEqual(api.Mul(isReal, api.Sub(1, valid)), 0)
	return b.update(root, isReal, idx, key, b.h.HashNode(key, acc.Packed), newPacked, acc.Siblings)
}

// credit adds amount to an existing account and returns the new root.
func (b *builder) credit(root, isReal frontend.Variable, idx []frontend.Variable, acc Account, amount frontend.Variable) frontend.Variable {
	api := b.api
	bal, _ := b.lanes(acc.Packed)
	api.ToBinary(api.Add(bal, amount), 128) // no overflow
	key := b.keyHash(acc.PubX, acc.PubY)
	return b.update(root, isReal, idx, key, b.h.HashNode(key, acc.Packed), api.Add(acc.Packed, amount), acc.Siblings)
}

// realFlags returns isReal = (index ≠ 0) and enforces that used slots come
// first, so the contract can zero-pad the unused tail.
func (b *builder) realFlag(index, prev frontend.Variable) frontend.Variable {
	isReal := b.api.Sub(1, b.api.IsZero(index))
	if prev != nil {
		b.api.AssertIsEqual(b.api.Mul(isReal, b.api.Sub(1, prev)), 0)
	}
	return isReal
}

// Define implements frontend.Circuit.
func (c *Batch) Define(api frontend.API) error {
	cfg := c.cfg
	h, err := merkle.NewHasher(api)
	if err != nil {
		return err
	}
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return err
	}
	perm, err := poseidon2.NewPoseidon2(api)
	if err != nil {
		return err
	}
	b := &builder{api: api, cfg: cfg, h: h, curve: curve, perm: perm}
	d := cfg.Depth
	n := cfg.IndexBytes()

	// Header fields and their pubdata images.
	chainBits := api.ToBinary(c.ChainID, 64)
	contractBits := api.ToBinary(c.Contract, 160)
	domainState := h.HashNode(protocol.TagMessage,
		api.Add(api.Mul(c.ChainID, new(big.Int).Lsh(big.NewInt(1), 160)), c.Contract))
	b.be(chainBits, 8)
	b.be(contractBits, 20)
	b.be(api.ToBinary(c.Number, 64), 8)
	if !cfg.Blob() { // blob mode binds the roots as elements of their own
		b.be(api.ToBinary(c.OldRoot), 32) // full width: canonical (< modulus)
		b.be(api.ToBinary(c.NewRoot), 32)
	}
	b.be(api.ToBinary(c.DepositStart, 64), 8)
	// The deposit count and the fee account follow once deposits are counted.
	feeIdx := api.ToBinary(c.FeeAccountIndex, d)
	header := b.msg
	b.msg = nil

	root := c.OldRoot
	half := new(big.Int).Rsh(api.Compiler().Field(), 1) // (r-1)/2: compression flag threshold
	params := curve.Params()
	var count frontend.Variable = 0
	next := c.NextIndex // new accounts take indexes in order from here
	nextBits := api.ToBinary(c.NextIndex, 32)
	var prev frontend.Variable
	for i := range c.Deposits {
		s := &c.Deposits[i]
		isReal := b.realFlag(s.Index, prev)
		prev = isReal
		count = api.Add(count, isReal)
		idx := api.ToBinary(s.Index, d)
		b.zeroUnless(isReal, s.Amount)
		b.zeroUnless(isReal, s.PubX)
		b.zeroUnless(isReal, api.Sub(s.PubY, 1))
		// On the curve and not of small order, when real.
		x2, y2 := api.Mul(s.PubX, s.PubX), api.Mul(s.PubY, s.PubY)
		onCurve := api.Sub(api.Add(api.Mul(params.A, x2), y2), 1, api.Mul(params.D, x2, y2))
		api.AssertIsEqual(api.Mul(isReal, onCurve), 0)
		p := twistededwards.Point{X: s.PubX, Y: s.PubY}
		q := curve.Double(curve.Double(curve.Double(p)))
		small := api.And(api.IsZero(q.X), api.IsZero(api.Sub(q.Y, 1)))
		api.AssertIsEqual(api.Mul(isReal, small), 0)
		// Pubdata: index ‖ compressed key (Y, top bit = X > (r-1)/2) ‖ amount.
		yBits := api.ToBinary(api.Add(s.PubY, isReal, -1)) // 0 on no-op slots
		flag := cmp.IsLess(api, half, s.PubX)
		b.be(idx, n)
		b.be(append(append(yBits[:len(yBits):len(yBits)], 0), flag), 32)
		b.be(api.ToBinary(s.Amount, 128), 16)
		// State: the target leaf is empty (new account) or has this key.
		api.AssertIsBoolean(s.IsNew)
		b.zeroUnless(isReal, s.IsNew)
		api.AssertIsEqual(api.Mul(s.IsNew, s.Packed), 0)
		// A new account takes the next free index, so the state follows from
		// the deposits alone and the tree stays dense.
		api.AssertIsEqual(api.Mul(s.IsNew, api.Sub(s.Index, next)), 0)
		next = api.Add(next, s.IsNew)
		bal, _ := b.lanes(s.Packed)
		api.ToBinary(api.Add(bal, s.Amount), 128)
		key := b.keyHash(s.PubX, s.PubY)
		oldLeaf := api.Mul(api.Sub(1, s.IsNew), h.HashNode(key, s.Packed))
		root = b.update(root, isReal, idx, key, oldLeaf, api.Add(s.Packed, s.Amount), s.Siblings)
	}
	header = append(header, b.bitsBE(api.ToBinary(count, 16), 2)...)
	header = append(header, b.bitsBE(nextBits, 4)...)
	header = append(header, b.bitsBE(feeIdx, 4)...)

	// Forced exits: the queue entries right after the batch's deposits.
	if cfg.ForcedExits > 0 {
		var fxCount, chain frontend.Variable = 0, 0
		prev = nil
		for i := range c.ForcedExits {
			s := &c.ForcedExits[i]
			isReal := b.realFlag(s.Index, prev)
			prev = isReal
			fxCount = api.Add(fxCount, isReal)
			if i > 0 { // each request extends the chain of the one before
				api.AssertIsEqual(api.Mul(isReal, api.Sub(s.PrevChain, chain)), 0)
			}
			root, chain = b.forcedExit(s, root, isReal, chain, domainState)
		}
		// chain is 0 when no slot is used: the header's chain field then is too.
		header = append(header, b.bitsBE(api.ToBinary(fxCount, 16), 2)...)
		header = append(header, b.bitsBE(api.ToBinary(chain), 32)...) // canonical
	}

	var fees frontend.Variable = 0
	prev = nil
	transfersAt := len(b.msg)
	for i := range c.Transfers {
		s := &c.Transfers[i]
		isReal := b.realFlag(s.From, prev)
		prev = isReal
		for _, v := range []frontend.Variable{s.To, s.AmountM, s.AmountE, s.FeeM, s.FeeE} {
			b.zeroUnless(isReal, v)
		}
		from, to := api.ToBinary(s.From, d), api.ToBinary(s.To, d)
		amount, aBits := b.decodeFloat(protocol.AmountFloat, s.AmountM, s.AmountE)
		fee, fBits := b.decodeFloat(protocol.FeeFloat, s.FeeM, s.FeeE)
		b.be(from, n)
		b.be(to, n)
		b.be(append(fBits, aBits...), protocol.AmountFeeBytes)
		root = b.debit(root, isReal, from, s.Sender, s.Sig, amount, fee, domainState, protocol.OpTransfer, s.From, s.To)
		root = b.credit(root, isReal, to, s.Receiver, amount)
		fees = api.Add(fees, fee)
	}
	transfersEnd := len(b.msg)
	prev = nil
	for i := range c.Withdrawals {
		s := &c.Withdrawals[i]
		isReal := b.realFlag(s.From, prev)
		prev = isReal
		for _, v := range []frontend.Variable{s.To, s.AmountM, s.AmountE, s.FeeM, s.FeeE} {
			b.zeroUnless(isReal, v)
		}
		from := api.ToBinary(s.From, d)
		amount, aBits := b.decodeFloat(protocol.AmountFloat, s.AmountM, s.AmountE)
		fee, fBits := b.decodeFloat(protocol.FeeFloat, s.FeeM, s.FeeE)
		b.be(from, n)
		b.be(api.ToBinary(s.To, 160), 20)
		b.be(append(fBits, aBits...), protocol.AmountFeeBytes)
		root = b.debit(root, isReal, from, s.Sender, s.Sig, amount, fee, domainState, protocol.OpWithdraw, s.From, s.To)
		fees = api.Add(fees, fee)
	}
	// Fees go to the header's fee account, once per batch.
	root = b.credit(root, 1, feeIdx, c.FeeAccount, fees)
	api.AssertIsEqual(root, c.NewRoot)

	if cfg.Blob() {
		// The header without its roots and the calldata sections: what
		// the binding elements after the roots chunk.
		rest := append(append(header[:len(header):len(header)], b.msg[:transfersAt]...), b.msg[transfersEnd:]...)
		if c.preimageHook != nil {
			(*c.preimageHook)(api, rest)
		}
		if c.noHash {
			return nil
		}
		return b.blobBind(c, rest, b.msg[transfersAt:transfersEnd])
	}
	preimage := append(header, b.msg...)
	if c.preimageHook != nil {
		(*c.preimageHook)(api, preimage)
	}
	if c.noHash {
		return nil
	}
	digest := sha256bits.Sum(api, preimage)
	var pi frontend.Variable = 0
	for i := 256 - protocol.PublicInputBits; i < 256; i++ {
		pi = api.Add(api.Mul(pi, 2), digest[i])
	}
	api.AssertIsEqual(pi, c.PublicInput)
	if len(preimage) != 8*cfg.PreimageSize() {
		return fmt.Errorf("circuit: preimage is %d bits, protocol says %d bytes", len(preimage), cfg.PreimageSize())
	}
	return nil
}

// bitsBE returns the n-byte big-endian image of lsb-first bits.
func (b *builder) bitsBE(lsb []frontend.Variable, nbytes int) []frontend.Variable {
	saved := b.msg
	b.msg = nil
	b.be(lsb, nbytes)
	out := b.msg
	b.msg = saved
	return out
}

// chunks31 cuts a bit stream (MSB first per byte, each bit boolean
// already) into 31-byte chunks, the last zero-padded on the right, each
// returned least significant bit first: linear, no constraint.
func chunks31(stream []frontend.Variable) [][]frontend.Variable {
	const cb = 8 * blob.ChunkBytes
	out := make([][]frontend.Variable, (len(stream)+cb-1)/cb)
	for i := range out {
		c := make([]frontend.Variable, cb)
		for j := range cb {
			var v frontend.Variable = 0
			if k := i*cb + j; k < len(stream) {
				v = stream[k]
			}
			c[cb-1-j] = v
		}
		out[i] = c
	}
	return out
}

// blobBind is blob mode's binding (protocol.BindBlob): rest is the bit
// stream of the header without its roots ‖ the calldata sections, section
// the transfer section's (both from the variables the state transition
// uses, boolean already). It computes the elements e_j (the roots, then
// rest's chunks), the Poseidon2 chain (the transfer chunks, count first,
// then the elements; dataHash is its low 126 bits), V = S(x) + H(x) mod r by
// blobeval.Bind with x < 2^125 from its bits, and asserts the two public
// inputs.
func (b *builder) blobBind(c *Batch, rest, section []frontend.Variable) error {
	api, h := b.api, b.h
	chunks := chunks31(section)
	if len(chunks) != b.cfg.BlobChunks() {
		return fmt.Errorf("circuit: %d transfer chunks, protocol says %d", len(chunks), b.cfg.BlobChunks())
	}
	// The roots as integers: decomposed at the field's full width, which
	// gnark checks against the modulus, so each is the canonical (< p <
	// r) image of the root the state transition proves, and H = H' holds
	// only for the contract's stored old root and a calldata new root
	// equal to them.
	elems := [][]frontend.Variable{api.ToBinary(c.OldRoot, rootBits), api.ToBinary(c.NewRoot, rootBits)}
	elems = append(elems, chunks31(rest)...)
	if m := protocol.BlobElementCount(b.cfg); len(elems) != m {
		return fmt.Errorf("circuit: %d binding elements, protocol says %d", len(elems), m)
	}
	dh := h.HashNode(blob.TagData.BigInt(new(big.Int)), len(chunks))
	for _, ch := range chunks {
		dh = h.HashNode(dh, b.fromBits(ch))
	}
	dh = h.HashNode(dh, c.OldRoot)
	dh = h.HashNode(dh, c.NewRoot)
	for _, e := range elems[2:] {
		dh = h.HashNode(dh, b.fromBits(e))
	}
	// Decomposed at full width (canonical, as the roots), so dataHash is
	// the low bits of the one integer below p the chain computes.
	dhb := api.ToBinary(dh, rootBits)

	x := c.BlobX[0]
	xb := api.ToBinary(x, blob.ChallengeBits) // x < 2^125
	vb, err := blobeval.Bind(api, chunks, elems, xb)
	if err != nil {
		return err
	}
	if len(vb) != vLowBits+2 {
		return fmt.Errorf("circuit: V has %d bits, the packing wants %d", len(vb), vLowBits+2)
	}
	first := api.Add(api.Mul(b.fromBits(dhb[:protocol.BlobDataHashBits]), two127), api.Mul(x, 4), b.fromBits(vb[vLowBits:]))
	api.AssertIsEqual(c.PublicInput, first)
	api.AssertIsEqual(c.BlobPI[0], b.fromBits(vb[:vLowBits]))
	return nil
}

const (
	// rootBits is a root's width as a binding element.
	rootBits = 254
	// vLowBits of V are the second public input; its top two bits end the
	// first.
	vLowBits = 253
)

// two127 shifts dataHash above x (125 bits) and V's top two bits.
var two127 = new(big.Int).Lsh(big.NewInt(1), blob.ChallengeBits+2)
