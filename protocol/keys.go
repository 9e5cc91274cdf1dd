package protocol

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
)

// PubKeySize is the size of a compressed public key: Y big-endian with the
// top bit of the first byte set when X is lexicographically largest (X >
// (r-1)/2). This is gnark-crypto's compression with the byte order reversed
// to big-endian, which the contract reads with one mask.
const PubKeySize = 32

// SignatureSize: compressed R then S, big-endian.
const SignatureSize = 64

var (
	ErrBadPublicKey = errors.New("invalid public key")
	ErrBadSignature = errors.New("invalid signature")
)

// PublicKey is a point of BN254's twisted Edwards curve (affine).
type PublicKey struct{ X, Y fr.Element }

func (pk PublicKey) point() twistededwards.PointAffine {
	return twistededwards.PointAffine{X: pk.X, Y: pk.Y}
}

// Bytes is the compressed form used in pubdata, the API and the contract.
func (pk PublicKey) Bytes() [PubKeySize]byte {
	p := pk.point()
	b := p.Bytes()
	reverse(b[:])
	return b
}

func reverse(b []byte) {
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
}

// decompress parses the big-endian compressed form.
func decompress(b []byte) (twistededwards.PointAffine, error) {
	var le [PubKeySize]byte
	copy(le[:], b)
	reverse(le[:])
	var p twistededwards.PointAffine
	_, err := p.SetBytes(le[:])
	return p, err
}

// IsZero reports the all-zero value used by empty leaves and no-op slots.
func (pk PublicKey) IsZero() bool { return pk.X.IsZero() && pk.Y.IsZero() }

// ValidateDepositKey is the contract's rule for keys entering the rollup:
// on the curve and not of small order ([8]P ≠ identity).
func (pk PublicKey) ValidateDepositKey() error {
	p := pk.point()
	if !p.IsOnCurve() {
		return fmt.Errorf("%w: not on the curve", ErrBadPublicKey)
	}
	var q twistededwards.PointAffine
	q.ScalarMultiplication(&p, big.NewInt(8))
	if q.IsZero() {
		return fmt.Errorf("%w: small order", ErrBadPublicKey)
	}
	return nil
}

// DecompressPublicKey decodes the 32-byte form; it checks only that the
// encoding names a curve point. Callers validate as their rule requires.
func DecompressPublicKey(b []byte) (PublicKey, error) {
	if len(b) != PubKeySize {
		return PublicKey{}, fmt.Errorf("%w: %d bytes, want %d", ErrBadPublicKey, len(b), PubKeySize)
	}
	p, err := decompress(b)
	if err != nil || !p.IsOnCurve() {
		return PublicKey{}, fmt.Errorf("%w: not a curve point", ErrBadPublicKey)
	}
	return PublicKey{X: p.X, Y: p.Y}, nil
}

// PublicKeyFromParts rebuilds a key from its compressed form and its X
// coordinate (stored beside it to skip the square root of decompression);
// it checks that they agree and the point is on the curve.
func PublicKeyFromParts(compressed, x []byte) (PublicKey, error) {
	if len(compressed) != PubKeySize || len(x) != 32 {
		return PublicKey{}, fmt.Errorf("%w: bad lengths", ErrBadPublicKey)
	}
	var pk PublicKey
	y := [32]byte(compressed)
	y[0] &= 0x7f
	if err := pk.Y.SetBytesCanonical(y[:]); err != nil {
		return PublicKey{}, fmt.Errorf("%w: Y: %v", ErrBadPublicKey, err)
	}
	if err := pk.X.SetBytesCanonical(x); err != nil {
		return PublicKey{}, fmt.Errorf("%w: X: %v", ErrBadPublicKey, err)
	}
	if p := pk.point(); !p.IsOnCurve() || pk.Bytes() != [PubKeySize]byte(compressed) {
		return PublicKey{}, fmt.Errorf("%w: X does not match the compressed key", ErrBadPublicKey)
	}
	return pk, nil
}

// ParsePublicKey decompresses and validates a key; wallets' keys must lie in
// the prime-order subgroup (what gnark-crypto's verifier accepts).
func ParsePublicKey(b []byte) (PublicKey, error) {
	if len(b) != PubKeySize {
		return PublicKey{}, fmt.Errorf("%w: %d bytes, want %d", ErrBadPublicKey, len(b), PubKeySize)
	}
	p, err := decompress(b)
	if err != nil {
		return PublicKey{}, fmt.Errorf("%w: %v", ErrBadPublicKey, err)
	}
	pk := PublicKey{X: p.X, Y: p.Y}
	if err := pk.ValidateDepositKey(); err != nil {
		return PublicKey{}, err
	}
	if !p.IsInSubGroup() {
		return PublicKey{}, fmt.Errorf("%w: not in the prime-order subgroup", ErrBadPublicKey)
	}
	if pk.Bytes() != [PubKeySize]byte(b) {
		return PublicKey{}, fmt.Errorf("%w: non-canonical encoding", ErrBadPublicKey)
	}
	return pk, nil
}

// Signature is an EdDSA signature over a message hash.
type Signature struct {
	R PublicKey // a curve point, same representation as a key
	S fr.Element
}

// Bytes is R compressed then S big-endian.
func (s Signature) Bytes() [SignatureSize]byte {
	var b [SignatureSize]byte
	r := s.R.Bytes()
	copy(b[:32], r[:])
	sb := s.S.Bytes()
	copy(b[32:], sb[:])
	return b
}

// ParseSignature decodes R and S; S must be canonical.
func ParseSignature(b []byte) (Signature, error) {
	if len(b) != SignatureSize {
		return Signature{}, fmt.Errorf("%w: %d bytes, want %d", ErrBadSignature, len(b), SignatureSize)
	}
	p, err := decompress(b[:32])
	if err != nil || !p.IsOnCurve() {
		return Signature{}, fmt.Errorf("%w: R is not a curve point", ErrBadSignature)
	}
	var s Signature
	s.R = PublicKey{X: p.X, Y: p.Y}
	if s.R.Bytes() != [PubKeySize]byte(b[:32]) {
		return Signature{}, fmt.Errorf("%w: non-canonical R", ErrBadSignature)
	}
	// S must be below the subgroup order ℓ (RFC 8032), which also makes the
	// encoding of a valid signature unique.
	if curve := twistededwards.GetEdwardsCurve(); new(big.Int).SetBytes(b[32:]).Cmp(&curve.Order) >= 0 {
		return Signature{}, fmt.Errorf("%w: S not below the group order", ErrBadSignature)
	}
	if err := s.S.SetBytesCanonical(b[32:]); err != nil {
		return Signature{}, fmt.Errorf("%w: S: %v", ErrBadSignature, err)
	}
	return s, nil
}

// PrivateKey signs Sheaf messages.
type PrivateKey struct{ k *eddsa.PrivateKey }

// GenerateKey draws a key from r (crypto/rand when nil).
func GenerateKey(r io.Reader) (PrivateKey, error) {
	if r == nil {
		r = rand.Reader
	}
	k, err := eddsa.GenerateKey(r)
	if err != nil {
		return PrivateKey{}, fmt.Errorf("generate key: %w", err)
	}
	return PrivateKey{k: k}, nil
}

// PrivateKeyFromBytes restores a key saved with Bytes.
func PrivateKeyFromBytes(b []byte) (PrivateKey, error) {
	k := new(eddsa.PrivateKey)
	if _, err := k.SetBytes(b); err != nil {
		return PrivateKey{}, fmt.Errorf("private key: %w", err)
	}
	return PrivateKey{k: k}, nil
}

// Bytes serializes the key (public key, scalar, nonce source).
func (k PrivateKey) Bytes() []byte { return k.k.Bytes() }

// Public returns the public key.
func (k PrivateKey) Public() PublicKey {
	return PublicKey{X: k.k.PublicKey.A.X, Y: k.k.PublicKey.A.Y}
}

// Sign signs a message hash. The EdDSA challenge is Poseidon2 over
// (R.x, R.y, A.x, A.y, msg), the hash the circuit's verifier uses.
func (k PrivateKey) Sign(msg fr.Element) (Signature, error) {
	mb := msg.Bytes()
	raw, err := k.k.Sign(mb[:], poseidon2.NewMerkleDamgardHasher())
	if err != nil {
		return Signature{}, fmt.Errorf("sign: %w", err)
	}
	var sig eddsa.Signature
	if _, err := sig.SetBytes(raw); err != nil {
		return Signature{}, fmt.Errorf("sign: %w", err)
	}
	var out Signature
	out.R = PublicKey{X: sig.R.X, Y: sig.R.Y}
	if err := out.S.SetBytesCanonical(sig.S[:]); err != nil {
		return Signature{}, fmt.Errorf("sign: %w", err)
	}
	return out, nil
}

// Verify checks sig on msg under pk.
//
// It is gnark-crypto's eddsa.Verify (key not the identity and in the
// prime-order subgroup, challenge Poseidon2(R, A, msg), cofactored check
// [8][S]B = [8](R + [h]A)) on already-decoded points: the library takes
// bytes and decompresses R again, a square root that cost a fifth of the
// sequencer's verification time. TestVerifyMatchesGnark holds them equal.
func Verify(pk PublicKey, msg fr.Element, sig Signature) bool {
	return verify(pk, msg, sig, nil)
}

// verify is Verify, with what depends on the key alone (the subgroup check,
// the comb table for [h]A) taken from e when it is not nil.
func verify(pk PublicKey, msg fr.Element, sig Signature, e *verifyKey) bool {
	a := pk.point()
	if e == nil {
		if a.IsZero() || !a.IsInSubGroup() {
			return false
		}
	} else if !e.ok {
		return false
	}
	r := sig.R.point()
	if !r.IsOnCurve() {
		return false
	}
	var sb big.Int
	sig.S.BigInt(&sb)
	if curve := twistededwards.GetEdwardsCurve(); sb.Cmp(&curve.Order) >= 0 {
		return false // S ≥ ℓ: the malleated twin of a valid signature
	}
	var zero fr.Element
	h := Compress(Compress(Compress(Compress(Compress(zero, r.X), r.Y), a.X), a.Y), msg)
	// [8][S]B = [8](R + [h]A) ⟺ [8]([S]B − R − [h]A) is the identity, in
	// extended coordinates throughout: the affine form took nine field
	// inversions (every affine add and double), a sixth of the time.
	var re, ha twistededwards.PointExtended
	re.FromAffine(&r)
	if e != nil {
		mulComb(&ha, &e.comb, &h)
	} else {
		mulWindowed(&ha, &a, &h)
	}
	return cofactoredIdentity(&sb, &re, &ha)
}

// cofactoredIdentity reports whether [8]([s]B − r − ha) is the identity:
// the signature equation of Verify, and of VerifyBatch with the batch's
// sums. It negates r and ha.
func cofactoredIdentity(s *big.Int, r, ha *twistededwards.PointExtended) bool {
	var lhs twistededwards.PointAffine
	lhs.ScalarMultiplicationBase(s)
	var acc twistededwards.PointExtended
	acc.FromAffine(&lhs)
	r.Neg(r)
	acc.Add(&acc, r)
	ha.Neg(ha)
	acc.Add(&acc, ha)
	for range 3 { // cofactor 8
		acc.Double(&acc)
	}
	return acc.IsZero()
}

// KeyCache keeps, for recently used keys, what Verify derives from the key
// alone: whether it is a valid signing key (not the identity, in the
// prime-order subgroup) and a comb table that turns [h]A into 63 doublings
// and 64 additions instead of 252 doublings and 63 additions. A wallet
// signs many transactions with one key; building the table costs about one
// uncached [h]A, so it pays from the key's second signature. Safe for
// concurrent use; verdicts are Verify's (TestKeyCacheVerifyMatches).
type KeyCache struct {
	mu    sync.Mutex
	slots []*verifyKey // direct-mapped by the key's Y
}

// verifyKey is one cached key; immutable once built.
type verifyKey struct {
	pk   PublicKey
	ok   bool
	comb combTable
}

// NewKeyCache returns a cache of n keys (n > 0; about 2 KB each).
func NewKeyCache(n int) *KeyCache {
	return &KeyCache{slots: make([]*verifyKey, n)}
}

// Verify is protocol.Verify with the key's share taken from the cache.
func (c *KeyCache) Verify(pk PublicKey, msg fr.Element, sig Signature) bool {
	return verify(pk, msg, sig, c.get(pk))
}

func (c *KeyCache) get(pk PublicKey) *verifyKey {
	slot := int(pk.Y.Bits()[0] % uint64(len(c.slots)))
	c.mu.Lock()
	e := c.slots[slot]
	c.mu.Unlock()
	if e != nil && e.pk == pk {
		return e
	}
	// Built outside the lock: two callers missing the same key both build
	// it, and either result is the same.
	e = &verifyKey{pk: pk}
	a := pk.point()
	e.ok = !a.IsZero() && a.IsInSubGroup()
	if e.ok {
		e.comb.build(&a)
	}
	c.mu.Lock()
	c.slots[slot] = e
	c.mu.Unlock()
	return e
}

// combTable holds Σ_{j ∈ b} [2^(64j)]A for every b ⊆ {0,1,2,3}: bit i of a
// scalar's four 64-bit words picks one entry (Lim–Lee comb, four teeth).
type combTable [16]twistededwards.PointExtended

func (t *combTable) build(a *twistededwards.PointAffine) {
	t[0].X.SetZero()
	t[0].Y.SetOne()
	t[0].Z.SetOne()
	t[0].T.SetZero()
	var p twistededwards.PointExtended
	p.FromAffine(a)
	for j := range 4 {
		if j > 0 {
			for range 64 {
				p.Double(&p)
			}
		}
		bit := 1 << j
		t[bit] = p
		for b := 1; b < bit; b++ {
			t[bit|b].Add(&t[b], &p)
		}
	}
}

// mulComb sets p = [k]A from A's comb table, k canonical.
func mulComb(p *twistededwards.PointExtended, t *combTable, k *fr.Element) {
	kb := k.Bits()
	*p = t[0]
	for i := 63; i >= 0; i-- {
		if i != 63 {
			p.Double(p)
		}
		d := (kb[0]>>i)&1 | ((kb[1]>>i)&1)<<1 | ((kb[2]>>i)&1)<<2 | ((kb[3]>>i)&1)<<3
		if d != 0 {
			p.Add(p, &t[d])
		}
	}
}

// mulWindowed sets p = [k]a with 4-bit fixed windows over k's canonical
// value: 63 additions of a table entry instead of one per set bit (about
// 127) in gnark-crypto's double-and-add. The twisted Edwards addition law
// is complete, so the table's identity and repeated points need no cases.
func mulWindowed(p *twistededwards.PointExtended, a *twistededwards.PointAffine, k *fr.Element) {
	var table [16]twistededwards.PointExtended
	table[0].X.SetZero()
	table[0].Y.SetOne()
	table[0].Z.SetOne()
	table[0].T.SetZero()
	table[1].FromAffine(a)
	for i := 2; i < 16; i++ {
		table[i].MixedAdd(&table[i-1], a)
	}
	kb := k.Bits() // little-endian 64-bit words, canonical
	*p = table[0]
	for i := len(kb)*16 - 1; i >= 0; i-- {
		if i != len(kb)*16-1 {
			for range 4 {
				p.Double(p)
			}
		}
		d := (kb[i/16] >> (4 * (i % 16))) & 15
		if d != 0 {
			p.Add(p, &table[d])
		}
	}
}

// verifyGnark is gnark-crypto's own verifier, the reference for Verify.
func verifyGnark(pk PublicKey, msg fr.Element, sig Signature) bool {
	pub := eddsa.PublicKey{A: pk.point()}
	raw := eddsa.Signature{R: sig.R.point(), S: sig.S.Bytes()}
	mb := msg.Bytes()
	ok, err := pub.Verify(raw.Bytes(), mb[:], poseidon2.NewMerkleDamgardHasher())
	return err == nil && ok
}

// VerifyCofactored is the signature rule of forced exits and exit proofs,
// the native twin of circuits/sigcheck.IsValid: R and A must be curve points
// (the circuit asserts this; the contract checks R when a request enters
// the queue, keys were checked on deposit), S < ℓ, and
// [8]([S]B − R − [h]A) is the identity, with h the challenge of Verify.
//
// Unlike Verify it does not require A to lie in the prime-order subgroup:
// a circuit cannot test that cheaply, and a forced exit must be judged the
// same way natively and in circuit or the batch could not be proven. A key
// of mixed order (deposits accept them) is thereby served by signatures of
// its prime-order part.
func VerifyCofactored(pk PublicKey, msg fr.Element, sig Signature) bool {
	a, r := pk.point(), sig.R.point()
	if !a.IsOnCurve() || !r.IsOnCurve() {
		return false
	}
	var sb big.Int
	sig.S.BigInt(&sb)
	if curve := twistededwards.GetEdwardsCurve(); sb.Cmp(&curve.Order) >= 0 {
		return false
	}
	var zero fr.Element
	h := Compress(Compress(Compress(Compress(Compress(zero, r.X), r.Y), a.X), a.Y), msg)
	var hb big.Int
	h.BigInt(&hb)
	var lhs, ha twistededwards.PointAffine
	lhs.ScalarMultiplicationBase(&sb)
	ha.ScalarMultiplication(&a, &hb)
	var negR twistededwards.PointAffine
	negR.Neg(&r)
	lhs.Add(&lhs, &negR)
	ha.Neg(&ha)
	lhs.Add(&lhs, &ha)
	for range 3 { // cofactor 8
		lhs.Double(&lhs)
	}
	return lhs.IsZero()
}
