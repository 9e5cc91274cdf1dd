package protocol_test

import (
	"bytes"
	"errors"
	"math/big"
	"math/rand"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

var curve = twistededwards.GetEdwardsCurve()

func point(pk protocol.PublicKey) twistededwards.PointAffine {
	return twistededwards.PointAffine{X: pk.X, Y: pk.Y}
}

func pubKey(p twistededwards.PointAffine) protocol.PublicKey {
	return protocol.PublicKey{X: p.X, Y: p.Y}
}

// beBytes32 is the 32-byte big-endian form of v (which must fit).
func beBytes32(v *big.Int) []byte {
	var b [32]byte
	v.FillBytes(b[:])
	return b[:]
}

// curvePointFromY returns a point with the given y, or false if none exists.
func curvePointFromY(y fr.Element) (twistededwards.PointAffine, bool) {
	var one, num, den, x fr.Element
	one.SetOne()
	num.Square(&y)
	den.Mul(&num, &curve.D)
	num.Sub(&one, &num)
	den.Sub(&curve.A, &den)
	if den.IsZero() {
		return twistededwards.PointAffine{}, false
	}
	x.Div(&num, &den)
	if x.Legendre() == -1 {
		return twistededwards.PointAffine{}, false
	}
	x.Sqrt(&x)
	p := twistededwards.PointAffine{X: x, Y: y}
	return p, p.IsOnCurve()
}

// noPointY returns a y coordinate with no point on the curve.
func noPointY() fr.Element {
	for i := uint64(2); ; i++ {
		var y fr.Element
		y.SetUint64(i)
		if _, ok := curvePointFromY(y); !ok {
			return y
		}
	}
}

func pointOrder(p twistededwards.PointAffine) int {
	// Only for torsion points: order divides 8.
	q := p
	for k := 1; k <= 8; k *= 2 {
		if q.IsZero() {
			return k
		}
		q.Double(&q)
	}
	return -1
}

// torsionPoints returns one point of each order 2, 4, 8 (and the identity),
// obtained as [ℓ]P for random curve points P.
func torsionPoints(t *testing.T) map[int]twistededwards.PointAffine {
	t.Helper()
	out := map[int]twistededwards.PointAffine{}
	var id twistededwards.PointAffine
	id.X.SetZero()
	id.Y.SetOne()
	out[1] = id
	var minusOne fr.Element
	minusOne.SetOne().Neg(&minusOne)
	out[2] = twistededwards.PointAffine{Y: minusOne} // (0, -1)
	r := rand.New(rand.NewSource(5))
	for i := 0; i < 1000 && len(out) < 4; i++ {
		var y fr.Element
		y.SetUint64(r.Uint64())
		p, ok := curvePointFromY(y)
		if !ok {
			continue
		}
		var tp twistededwards.PointAffine
		tp.ScalarMultiplication(&p, &curve.Order)
		o := pointOrder(tp)
		if o < 0 {
			t.Fatalf("[ℓ]P has order not dividing 8")
		}
		if _, have := out[o]; !have {
			out[o] = tp
		}
	}
	for _, o := range []int{1, 2, 4, 8} {
		p, ok := out[o]
		if !ok {
			t.Fatalf("no torsion point of order %d found", o)
		}
		if !p.IsOnCurve() || pointOrder(p) != o {
			t.Fatalf("torsion point %d: on curve %v, order %d", o, p.IsOnCurve(), pointOrder(p))
		}
	}
	return out
}

func TestPublicKeyBytesRoundTrip(t *testing.T) {
	keys := protocoltest.Keys(3, 40)
	seenFlag := map[bool]bool{}
	for i, k := range keys {
		pk := k.Public()
		b := pk.Bytes()

		// gnark-crypto's compression with the byte order reversed.
		p := point(pk)
		le := p.Bytes()
		for j := range le {
			if b[j] != le[31-j] {
				t.Fatalf("key %d: Bytes() = %x is not the reverse of gnark-crypto's %x", i, b, le)
			}
		}
		// Big-endian Y below the flag bit; flag = X lexicographically largest.
		flag := b[0]&0x80 != 0
		if flag != pk.X.LexicographicallyLargest() {
			t.Fatalf("key %d: flag %v, X lexicographically largest %v", i, flag, pk.X.LexicographicallyLargest())
		}
		seenFlag[flag] = true
		yb := pk.Y.Bytes()
		masked := b
		masked[0] &= 0x7f
		if masked != yb {
			t.Fatalf("key %d: masked bytes %x != Y big-endian %x", i, masked, yb)
		}

		got, err := protocol.ParsePublicKey(b[:])
		if err != nil {
			t.Fatalf("key %d: ParsePublicKey: %v", i, err)
		}
		if got != pk {
			t.Fatalf("key %d: ParsePublicKey(Bytes()) = %+v, want %+v", i, got, pk)
		}
		if err := pk.ValidateDepositKey(); err != nil {
			t.Fatalf("key %d: ValidateDepositKey: %v", i, err)
		}
		if pk.IsZero() {
			t.Fatalf("key %d is zero", i)
		}
	}
	if !seenFlag[true] || !seenFlag[false] {
		t.Fatalf("40 keys did not exercise both flag values: %v", seenFlag)
	}
}

func TestParsePublicKeyRejects(t *testing.T) {
	pk := protocoltest.Keys(3, 1)[0].Public()
	valid := pk.Bytes()
	tors := torsionPoints(t)
	r := fr.Modulus()

	mixed := point(pk)
	t2 := tors[2]
	mixed.Add(&mixed, &t2)
	mixed8 := point(pk)
	t8 := tors[8]
	mixed8.Add(&mixed8, &t8)

	// Y + r with the original flag: decompresses to the same point.
	yPlusR := new(big.Int).Add(pk.Y.BigInt(new(big.Int)), r)
	nonCanon := beBytes32(yPlusR)
	nonCanon[0] |= valid[0] & 0x80

	noPoint := noPointY()
	noPointB := noPoint.Bytes()
	noPointFlag := noPointB
	noPointFlag[0] |= 0x80

	identity := beBytes32(big.NewInt(1))
	identityFlag := beBytes32(big.NewInt(1))
	identityFlag[0] |= 0x80

	var allOnes [32]byte
	for i := range allOnes {
		allOnes[i] = 0xff
	}

	tests := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"31 bytes", valid[:31]},
		{"33 bytes", append(valid[:], 0)},
		{"64 bytes", append(valid[:], valid[:]...)},
		{"Y with no curve point", noPointB[:]},
		{"Y with no curve point, flag set", noPointFlag[:]},
		{"identity (0,1)", identity},
		{"identity (0,1) with flag set", identityFlag},
		{"all zero (Y=0)", make([]byte, 32)},
		{"all ones", allOnes[:]},
		{"Y = modulus", beBytes32(r)},
		{"non-canonical Y + modulus of a valid key", nonCanon},
		{"mixed order: key + (0,-1)", func() []byte { b := pubKey(mixed).Bytes(); return b[:] }()},
		{"mixed order: key + order-8 point", func() []byte { b := pubKey(mixed8).Bytes(); return b[:] }()},
	}
	for o, p := range tors {
		b := pubKey(p).Bytes()
		tests = append(tests, struct {
			name string
			b    []byte
		}{name: "small order " + string(rune('0'+o)), b: b[:]})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := protocol.ParsePublicKey(tc.b)
			if !errors.Is(err, protocol.ErrBadPublicKey) {
				t.Fatalf("ParsePublicKey(%x) = %+v, %v; want ErrBadPublicKey", tc.b, got, err)
			}
		})
	}
	// Sanity: the non-canonical bytes really name the valid key's point.
	var p twistededwards.PointAffine
	le := append([]byte(nil), nonCanon...)
	for i, j := 0, 31; i < j; i, j = i+1, j-1 {
		le[i], le[j] = le[j], le[i]
	}
	if _, err := p.SetBytes(le); err != nil || !p.Equal(&twistededwards.PointAffine{X: pk.X, Y: pk.Y}) {
		t.Fatalf("test setup: Y+r does not decompress to the key (%v)", err)
	}
}

func TestValidateDepositKey(t *testing.T) {
	pk := protocoltest.Keys(4, 1)[0].Public()
	tors := torsionPoints(t)
	for o, tp := range tors {
		if err := pubKey(tp).ValidateDepositKey(); !errors.Is(err, protocol.ErrBadPublicKey) {
			t.Errorf("order-%d point accepted: %v", o, err)
		}
		if o == 1 {
			continue
		}
		// Mixed order (key + torsion) is on the curve and not small: the
		// contract's rule accepts it; ParsePublicKey does not.
		m := point(pk)
		m.Add(&m, &tp)
		if err := pubKey(m).ValidateDepositKey(); err != nil {
			t.Errorf("mixed-order key (torsion order %d) rejected: %v", o, err)
		}
		mb := pubKey(m).Bytes()
		if _, err := protocol.ParsePublicKey(mb[:]); !errors.Is(err, protocol.ErrBadPublicKey) {
			t.Errorf("ParsePublicKey accepted a mixed-order key (torsion order %d): %v", o, err)
		}
	}
	// Off the curve.
	off := pk
	off.X.Add(&off.X, new(fr.Element).SetOne())
	if err := off.ValidateDepositKey(); !errors.Is(err, protocol.ErrBadPublicKey) {
		t.Errorf("off-curve key accepted: %v", err)
	}
	if err := (protocol.PublicKey{}).ValidateDepositKey(); !errors.Is(err, protocol.ErrBadPublicKey) {
		t.Errorf("zero key (0,0) accepted: %v", err)
	}
	if err := pk.ValidateDepositKey(); err != nil {
		t.Errorf("valid key rejected: %v", err)
	}
}

func randElem(r *rand.Rand) fr.Element {
	var b [32]byte
	r.Read(b[:])
	var e fr.Element
	e.SetBytes(b[:])
	return e
}

func TestSignVerify(t *testing.T) {
	keys := protocoltest.Keys(8, 4)
	r := rand.New(rand.NewSource(8))
	one := new(fr.Element).SetOne()
	order := new(big.Int).Set(&curve.Order)
	for i, k := range keys {
		pk := k.Public()
		msg := randElem(r)
		sig, err := k.Sign(msg)
		if err != nil {
			t.Fatal(err)
		}
		if !protocol.Verify(pk, msg, sig) {
			t.Fatalf("key %d: valid signature rejected", i)
		}
		// Encoding round trip.
		sb := sig.Bytes()
		parsed, err := protocol.ParseSignature(sb[:])
		if err != nil {
			t.Fatalf("key %d: ParseSignature: %v", i, err)
		}
		if parsed != sig {
			t.Fatalf("key %d: ParseSignature(Bytes()) = %+v, want %+v", i, parsed, sig)
		}
		if rb := sig.R.Bytes(); !bytes.Equal(sb[:32], rb[:]) {
			t.Fatalf("key %d: signature bytes do not start with compressed R", i)
		}
		if s := sig.S.Bytes(); !bytes.Equal(sb[32:], s[:]) {
			t.Fatalf("key %d: signature bytes do not end with big-endian S", i)
		}

		var wrongMsg fr.Element
		wrongMsg.Add(&msg, one)
		if protocol.Verify(pk, wrongMsg, sig) {
			t.Errorf("key %d: signature verified for another message", i)
		}
		other := keys[(i+1)%len(keys)].Public()
		if protocol.Verify(other, msg, sig) {
			t.Errorf("key %d: signature verified under another key", i)
		}
		bad := sig
		bad.S.Add(&bad.S, one)
		if protocol.Verify(pk, msg, bad) {
			t.Errorf("key %d: tampered S (S+1) verified", i)
		}
		// S + ℓ is canonical in Fr and gives the same [S]B: the verifier must
		// still refuse it (malleability).
		bad = sig
		var sl big.Int
		sig.S.BigInt(&sl)
		sl.Add(&sl, order)
		bad.S.SetBigInt(&sl)
		if protocol.Verify(pk, msg, bad) {
			t.Errorf("key %d: malleated S+ℓ verified", i)
		}
		bad = sig
		bad.R = other // another valid point
		if protocol.Verify(pk, msg, bad) {
			t.Errorf("key %d: tampered R verified", i)
		}
		bad = sig
		bad.R.X.Neg(&bad.R.X) // -R
		if protocol.Verify(pk, msg, bad) {
			t.Errorf("key %d: negated R verified", i)
		}
		// Tampered bytes fail to parse or to verify.
		for _, pos := range []int{0, 31, 32, 63} {
			tb := sb
			tb[pos] ^= 0x01
			if ps, err := protocol.ParseSignature(tb[:]); err == nil && protocol.Verify(pk, msg, ps) {
				t.Errorf("key %d: signature with byte %d flipped verified", i, pos)
			}
		}
	}
}

// A mixed-order key passes the deposit rule but can never sign: gnark-crypto's
// verifier requires keys in the prime-order subgroup.
func TestMixedOrderKeyCannotVerify(t *testing.T) {
	k := protocoltest.Keys(9, 1)[0]
	tors := torsionPoints(t)
	m := point(k.Public())
	t2 := tors[2]
	m.Add(&m, &t2)
	msg := fr.NewElement(5)
	sig, err := k.Sign(msg)
	if err != nil {
		t.Fatal(err)
	}
	if protocol.Verify(pubKey(m), msg, sig) {
		t.Fatalf("signature verified under mixed-order key")
	}
}

func TestParseSignatureRejects(t *testing.T) {
	k := protocoltest.Keys(10, 1)[0]
	sig, err := k.Sign(fr.NewElement(77))
	if err != nil {
		t.Fatal(err)
	}
	valid := sig.Bytes()
	r := fr.Modulus()
	withS := func(s []byte) []byte {
		b := valid
		copy(b[32:], s)
		return b[:]
	}
	withR := func(rb []byte) []byte {
		b := valid
		copy(b[:32], rb)
		return b[:]
	}
	noPoint := noPointY()
	npb := noPoint.Bytes()
	var ones [32]byte
	for i := range ones {
		ones[i] = 0xff
	}
	tests := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"63 bytes", valid[:63]},
		{"65 bytes", append(valid[:], 0)},
		{"32 bytes", valid[:32]},
		{"S = modulus", withS(beBytes32(r))},
		{"S = modulus + 1", withS(beBytes32(new(big.Int).Add(r, big.NewInt(1))))},
		{"S = 2^256-1", withS(ones[:])},
		{"R with no curve point", withR(npb[:])},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if s, err := protocol.ParseSignature(tc.b); !errors.Is(err, protocol.ErrBadSignature) {
				t.Fatalf("ParseSignature(%x) = %+v, %v; want ErrBadSignature", tc.b, s, err)
			}
		})
	}
}

// TestParseSignatureCanonicalR: R must have one encoding, as public keys do;
// otherwise one signature has two byte forms that both verify.
func TestParseSignatureCanonicalR(t *testing.T) {
	k := protocoltest.Keys(10, 1)[0]
	msg := fr.NewElement(77)
	sig, err := k.Sign(msg)
	if err != nil {
		t.Fatal(err)
	}
	b := sig.Bytes()
	yPlusR := new(big.Int).Add(sig.R.Y.BigInt(new(big.Int)), fr.Modulus())
	alt := b
	copy(alt[:32], beBytes32(yPlusR))
	alt[0] |= b[0] & 0x80
	ps, err := protocol.ParseSignature(alt[:])
	if err == nil {
		t.Fatalf("ParseSignature accepted a non-canonical R (verifies: %v)", protocol.Verify(k.Public(), msg, ps))
	}
	if !errors.Is(err, protocol.ErrBadSignature) {
		t.Fatalf("want ErrBadSignature, got %v", err)
	}
}

func TestPrivateKeyBytesRoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(12))
	for i, k := range protocoltest.Keys(11, 5) {
		b := k.Bytes()
		k2, err := protocol.PrivateKeyFromBytes(b)
		if err != nil {
			t.Fatalf("key %d: PrivateKeyFromBytes: %v", i, err)
		}
		if k2.Public() != k.Public() {
			t.Fatalf("key %d: public key changed", i)
		}
		if !bytes.Equal(k2.Bytes(), b) {
			t.Fatalf("key %d: Bytes changed", i)
		}
		msg := randElem(r)
		s1, err1 := k.Sign(msg)
		s2, err2 := k2.Sign(msg)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if s1 != s2 {
			t.Fatalf("key %d: restored key signs differently", i)
		}
		if !protocol.Verify(k.Public(), msg, s2) {
			t.Fatalf("key %d: restored key's signature does not verify", i)
		}
	}
	if _, err := protocol.PrivateKeyFromBytes(make([]byte, 10)); err == nil {
		t.Errorf("PrivateKeyFromBytes accepted 10 bytes")
	}
	// A key whose public part does not match its scalar.
	a, b := protocoltest.Keys(11, 2)[0].Bytes(), protocoltest.Keys(11, 2)[1].Bytes()
	mix := append(append([]byte(nil), b[:32]...), a[32:]...)
	if _, err := protocol.PrivateKeyFromBytes(mix); err == nil {
		t.Errorf("PrivateKeyFromBytes accepted a public key that does not match the scalar")
	}
}

func TestGenerateKeyDeterministic(t *testing.T) {
	a := protocoltest.Keys(21, 3)
	b := protocoltest.Keys(21, 3)
	for i := range a {
		if !bytes.Equal(a[i].Bytes(), b[i].Bytes()) {
			t.Fatalf("protocoltest.Keys is not deterministic (key %d)", i)
		}
	}
	k, err := protocol.GenerateKey(nil) // crypto/rand
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Public().ValidateDepositKey(); err != nil {
		t.Fatal(err)
	}
}

func TestDecompressPublicKey(t *testing.T) {
	pk := protocoltest.Keys(13, 1)[0].Public()
	b := pk.Bytes()
	got, err := protocol.DecompressPublicKey(b[:])
	if err != nil || got != pk {
		t.Fatalf("DecompressPublicKey(valid) = %+v, %v", got, err)
	}
	// On-curve points of any order decode; validation is the caller's.
	for o, p := range torsionPoints(t) {
		tb := pubKey(p).Bytes()
		if got, err := protocol.DecompressPublicKey(tb[:]); err != nil || got != pubKey(p) {
			t.Errorf("order-%d point: %+v, %v", o, got, err)
		}
	}
	np := noPointY()
	nb := np.Bytes()
	for name, in := range map[string][]byte{"no curve point": nb[:], "31 bytes": b[:31], "33 bytes": append(b[:], 0)} {
		if _, err := protocol.DecompressPublicKey(in); !errors.Is(err, protocol.ErrBadPublicKey) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
