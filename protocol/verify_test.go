package protocol_test

import (
	"math/rand"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// TestVerifyMatchesGnark: our verifier (decoded points, extended
// coordinates, a windowed [h]A), the same with the key's share from a
// KeyCache (comb table, cached subgroup check; with evictions and without)
// and gnark-crypto's byte-level verifier agree on valid signatures and on
// every tampering; the rounds' random challenges exercise every digit.
func TestVerifyMatchesGnark(t *testing.T) {
	keys := protocoltest.Keys(3, 8)
	r := rand.New(rand.NewSource(3))
	var order2 twistededwards.PointAffine // (0, -1) has order 2
	order2.Y.SetOne()
	order2.Y.Neg(&order2.Y)
	// A 3-slot cache evicts all the time (8 keys and the tampered ones);
	// a large one keeps every key.
	small, large := protocol.NewKeyCache(3), protocol.NewKeyCache(4096)
	for i := 0; i < 60; i++ {
		k := keys[i%len(keys)]
		msg := fr.NewElement(r.Uint64())
		sig, err := k.Sign(msg)
		if err != nil {
			t.Fatal(err)
		}
		pk := k.Public()
		other := keys[(i+1)%len(keys)].Public()
		var msg2 fr.Element
		msg2.Add(&msg, new(fr.Element).SetOne())
		badS := sig
		badS.S.Add(&badS.S, new(fr.Element).SetOne())
		malleated := sig // S + ℓ: same point, second encoding
		curve := twistededwards.GetEdwardsCurve()
		ell := new(fr.Element).SetBigInt(&curve.Order)
		malleated.S.Add(&malleated.S, ell)
		badR := sig
		badR.R = other  // a different curve point
		torsionR := sig // R moved by the order-2 point: [8]R unchanged, challenge not
		rp := twistededwards.PointAffine{X: sig.R.X, Y: sig.R.Y}
		rp.Add(&rp, &order2)
		torsionR.R = protocol.PublicKey{X: rp.X, Y: rp.Y}
		zeroS := sig
		zeroS.S.SetZero()
		randS := sig
		randS.S.SetUint64(r.Uint64())
		identityR := sig
		identityR.R = protocol.PublicKey{Y: fr.One()}
		var mixed twistededwards.PointAffine
		p := twistededwards.PointAffine{X: pk.X, Y: pk.Y}
		mixed.Add(&p, &order2)
		cases := []struct {
			name string
			pk   protocol.PublicKey
			msg  fr.Element
			sig  protocol.Signature
			want bool
		}{
			{"valid", pk, msg, sig, true},
			{"other message", pk, msg2, sig, false},
			{"other key", other, msg, sig, false},
			{"S+1", pk, msg, badS, false},
			{"S+l", pk, msg, malleated, false},
			{"other R", pk, msg, badR, false},
			{"mixed-order key", protocol.PublicKey{X: mixed.X, Y: mixed.Y}, msg, sig, false},
			{"identity key", protocol.PublicKey{Y: fr.One()}, msg, sig, false},
			{"R plus order-2 point", pk, msg, torsionR, false},
			{"S = 0", pk, msg, zeroS, false},
			{"random S", pk, msg, randS, false},
			{"identity R", pk, msg, identityR, false},
		}
		for _, c := range cases {
			got, ref := protocol.Verify(c.pk, c.msg, c.sig), protocol.VerifyGnark(c.pk, c.msg, c.sig)
			if got != ref || got != c.want {
				t.Fatalf("%s (round %d): Verify %v, gnark %v, want %v", c.name, i, got, ref, c.want)
			}
			// Twice: the first call builds the entry, the second uses it.
			for _, kc := range []*protocol.KeyCache{small, large, large} {
				if cached := kc.Verify(c.pk, c.msg, c.sig); cached != c.want {
					t.Fatalf("%s (round %d): KeyCache.Verify %v, want %v", c.name, i, cached, c.want)
				}
			}
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	k := protocoltest.Keys(1, 1)[0]
	msg := fr.NewElement(5)
	sig, _ := k.Sign(msg)
	for b.Loop() {
		protocol.Verify(k.Public(), msg, sig)
	}
}

// BenchmarkVerifyCached: one key, its entry built once (a wallet's second
// and later signatures).
func BenchmarkVerifyCached(b *testing.B) {
	k := protocoltest.Keys(1, 1)[0]
	msg := fr.NewElement(5)
	sig, _ := k.Sign(msg)
	kc := protocol.NewKeyCache(16)
	for b.Loop() {
		kc.Verify(k.Public(), msg, sig)
	}
}

func BenchmarkVerifyGnark(b *testing.B) {
	k := protocoltest.Keys(1, 1)[0]
	msg := fr.NewElement(5)
	sig, _ := k.Sign(msg)
	for b.Loop() {
		protocol.VerifyGnark(k.Public(), msg, sig)
	}
}
