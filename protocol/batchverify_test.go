package protocol_test

import (
	"fmt"
	"math/big"
	"math/rand"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// sigCases returns n valid signatures over random messages by the given
// keys, and for each a tampered twin of every kind Verify must reject.
func sigCases(t testing.TB, r *rand.Rand, keys []protocol.PrivateKey, n int) (valid []protocol.SigCheck, bad map[string][]protocol.SigCheck) {
	t.Helper()
	var order2 twistededwards.PointAffine // (0, -1) has order 2
	order2.Y.SetOne()
	order2.Y.Neg(&order2.Y)
	curve := twistededwards.GetEdwardsCurve()
	ell := new(fr.Element).SetBigInt(&curve.Order)
	bad = map[string][]protocol.SigCheck{}
	for i := range n {
		k := keys[i%len(keys)]
		msg := fr.NewElement(r.Uint64())
		sig, err := k.Sign(msg)
		if err != nil {
			t.Fatal(err)
		}
		c := protocol.SigCheck{PubKey: k.Public(), Msg: msg, Sig: sig}
		valid = append(valid, c)
		tamper := func(name string, f func(c *protocol.SigCheck)) {
			d := c
			f(&d)
			bad[name] = append(bad[name], d)
		}
		tamper("other message", func(c *protocol.SigCheck) { c.Msg.Add(&c.Msg, new(fr.Element).SetOne()) })
		tamper("other key", func(c *protocol.SigCheck) { c.PubKey = keys[(i+1)%len(keys)].Public() })
		tamper("S+1", func(c *protocol.SigCheck) { c.Sig.S.Add(&c.Sig.S, new(fr.Element).SetOne()) })
		tamper("S+l", func(c *protocol.SigCheck) { c.Sig.S.Add(&c.Sig.S, ell) })
		tamper("other R", func(c *protocol.SigCheck) { c.Sig.R = keys[(i+1)%len(keys)].Public() })
		tamper("R plus order-2 point", func(c *protocol.SigCheck) {
			rp := twistededwards.PointAffine{X: c.Sig.R.X, Y: c.Sig.R.Y}
			rp.Add(&rp, &order2)
			c.Sig.R = protocol.PublicKey{X: rp.X, Y: rp.Y}
		})
		tamper("mixed-order key", func(c *protocol.SigCheck) {
			p := twistededwards.PointAffine{X: c.PubKey.X, Y: c.PubKey.Y}
			p.Add(&p, &order2)
			c.PubKey = protocol.PublicKey{X: p.X, Y: p.Y}
		})
		tamper("identity key", func(c *protocol.SigCheck) { c.PubKey = protocol.PublicKey{Y: fr.One()} })
		tamper("R off the curve", func(c *protocol.SigCheck) { c.Sig.R.X.Add(&c.Sig.R.X, new(fr.Element).SetOne()) })
		tamper("identity R", func(c *protocol.SigCheck) { c.Sig.R = protocol.PublicKey{Y: fr.One()} })
		tamper("random S", func(c *protocol.SigCheck) { c.Sig.S.SetUint64(r.Uint64()) })
	}
	return valid, bad
}

// TestVerifyBatchMatchesVerify: VerifyBatch gives Verify's verdict on every
// signature of batches of every size that mix valid signatures with each
// kind of tampering, at random positions.
func TestVerifyBatchMatchesVerify(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	keys := protocoltest.Keys(7, 6)
	valid, bad := sigCases(t, r, keys, 40)
	kinds := make([]string, 0, len(bad))
	for k := range bad {
		kinds = append(kinds, k)
	}
	kc := protocol.NewKeyCache(64)
	for round := range 60 {
		n := 1 + r.Intn(40)
		checks := make([]protocol.SigCheck, n)
		for i := range checks {
			checks[i] = valid[r.Intn(len(valid))]
			// Most rounds hold one or two bad signatures, some none.
			if round%5 != 0 && r.Intn(n) < 1+round%2 {
				kind := kinds[r.Intn(len(kinds))]
				checks[i] = bad[kind][r.Intn(len(bad[kind]))]
			}
		}
		got := make([]bool, n)
		kc.VerifyBatch(checks, got)
		for i, c := range checks {
			if want := protocol.Verify(c.PubKey, c.Msg, c.Sig); got[i] != want {
				t.Fatalf("round %d, signature %d of %d: VerifyBatch %v, Verify %v", round, i, n, got[i], want)
			}
		}
	}
}

// TestVerifyBatchEquation: the batch equation itself holds for valid
// signatures and fails when any one of them is tampered with in a way that
// passes the one-by-one checks (so the fast path is taken and is sound).
func TestVerifyBatchEquation(t *testing.T) {
	r := rand.New(rand.NewSource(8))
	keys := protocoltest.Keys(8, 5)
	valid, bad := sigCases(t, r, keys, 24)
	kc := protocol.NewKeyCache(64)
	for _, n := range []int{2, 7, 8, 16, 17, 24} {
		if !kc.BatchEquation(valid[:n]) {
			t.Fatalf("%d valid signatures: the equation fails", n)
		}
	}
	// These pass the key, curve and S < ℓ checks; only the equation can
	// catch them.
	for _, kind := range []string{"other message", "other key", "S+1", "other R", "R plus order-2 point", "identity R", "random S"} {
		for _, pos := range []int{0, 5, 15} {
			t.Run(fmt.Sprintf("%s at %d", kind, pos), func(t *testing.T) {
				checks := append([]protocol.SigCheck(nil), valid[:16]...)
				checks[pos] = bad[kind][pos]
				if kc.BatchEquation(checks) {
					t.Fatal("the equation holds with a bad signature in the batch")
				}
			})
		}
	}
}

// BenchmarkVerifyBatch: per-signature cost of VerifyBatch with cached keys
// against KeyCache.Verify one by one.
func BenchmarkVerifyBatch(b *testing.B) {
	r := rand.New(rand.NewSource(9))
	keys := protocoltest.Keys(9, 64)
	valid, _ := sigCases(b, r, keys, 64)
	kc := protocol.NewKeyCache(256)
	for _, n := range []int{1, 8, 16, 32, 64} {
		b.Run(fmt.Sprintf("batch-%d", n), func(b *testing.B) {
			ok := make([]bool, n)
			kc.VerifyBatch(valid[:n], ok)
			for b.Loop() {
				kc.VerifyBatch(valid[:n], ok)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n)/1e3, "µs/sig")
		})
	}
}

// TestNaf5: the digits sum back to k, are odd and below 16 in size, and
// each nonzero one is followed by four zeros, including for the scalars
// next to 2^128 whose form carries into digit 128.
func TestNaf5(t *testing.T) {
	r := rand.New(rand.NewSource(10))
	ks := [][2]uint64{{0, 0}, {1, 0}, {15, 0}, {17, 0}, {^uint64(0), 0}, {^uint64(0), ^uint64(0)}, {^uint64(0) - 3, ^uint64(0)}, {0, 1 << 63}}
	for range 500 {
		ks = append(ks, [2]uint64{r.Uint64(), r.Uint64()})
	}
	for _, k := range ks {
		var d [129]int8
		protocol.Naf5(&d, k)
		sum, want := new(big.Int), new(big.Int).SetUint64(k[1])
		want.Lsh(want, 64).Add(want, new(big.Int).SetUint64(k[0]))
		last := -5
		for i := len(d) - 1; i >= 0; i-- {
			sum.Lsh(sum, 1).Add(sum, big.NewInt(int64(d[i])))
		}
		for i, v := range d {
			if v == 0 {
				continue
			}
			if v%2 == 0 || v <= -16 || v >= 16 || i-last < 5 {
				t.Fatalf("k=%v: digit %d is %d (previous nonzero at %d)", k, i, v, last)
			}
			last = i
		}
		if sum.Cmp(want) != 0 {
			t.Fatalf("k=%v: digits sum to %v", k, sum)
		}
	}
}
