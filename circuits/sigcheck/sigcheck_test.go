package sigcheck

import (
	"math/big"
	"math/rand"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	edwards "github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	"github.com/consensys/gnark/std/hash"
	"github.com/consensys/gnark/std/permutation/poseidon2"
	"github.com/consensys/gnark/test"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// twin asserts IsValid's output equals Want.
type twin struct {
	AX, AY, RX, RY, S, M frontend.Variable
	Want                 frontend.Variable
}

func (c *twin) Define(api frontend.API) error {
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return err
	}
	perm, err := poseidon2.NewPoseidon2(api)
	if err != nil {
		return err
	}
	v := IsValid(curve, hash.NewMerkleDamgardHasher(api, perm, 0),
		twistededwards.Point{X: c.AX, Y: c.AY}, twistededwards.Point{X: c.RX, Y: c.RY}, c.S, c.M)
	api.AssertIsEqual(v, c.Want)
	return nil
}

func el(e fr.Element) *big.Int { return protocol.FrToBig(e) }

func assign(pk protocol.PublicKey, msg fr.Element, sig protocol.Signature, want bool) *twin {
	w := 0
	if want {
		w = 1
	}
	return &twin{AX: el(pk.X), AY: el(pk.Y), RX: el(sig.R.X), RY: el(sig.R.Y), S: el(sig.S), M: el(msg), Want: w}
}

type sigCase struct {
	name string
	pk   protocol.PublicKey
	msg  fr.Element
	sig  protocol.Signature
}

// cases are valid signatures and every tampering of them, plus a mixed-order
// key served by its prime-order part (the one place the cofactored rule
// accepts what gnark-crypto's verifier refuses).
func cases(t *testing.T, rounds int) []sigCase {
	t.Helper()
	keys := protocoltest.Keys(11, 3)
	r := rand.New(rand.NewSource(11))
	curve := edwards.GetEdwardsCurve()
	ell := new(fr.Element).SetBigInt(&curve.Order)
	var out []sigCase
	for i := range rounds {
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
		badS, malleated, badR, zeroS, idR := sig, sig, sig, sig, sig
		badS.S.Add(&badS.S, new(fr.Element).SetOne())
		malleated.S.Add(&malleated.S, ell)
		badR.R = other
		zeroS.S.SetZero()
		idR.R = protocol.PublicKey{Y: fr.One()}
		out = append(out,
			sigCase{"valid", pk, msg, sig},
			sigCase{"other message", pk, msg2, sig},
			sigCase{"other key", other, msg, sig},
			sigCase{"S+1", pk, msg, badS},
			sigCase{"S+l", pk, msg, malleated},
			sigCase{"other R", pk, msg, badR},
			sigCase{"S = 0", pk, msg, zeroS},
			sigCase{"R = identity", pk, msg, idR},
			sigCase{"identity key", protocol.PublicKey{Y: fr.One()}, msg, sig},
		)
	}
	// Mixed-order key A+T, signed by hand with A's scalar.
	k, rr := big.NewInt(5551212), big.NewInt(424242)
	var a, t2, m, rp edwards.PointAffine
	a.ScalarMultiplicationBase(k)
	t2.Y.SetOne()
	t2.Y.Neg(&t2.Y)
	m.Add(&a, &t2)
	mixed := protocol.PublicKey{X: m.X, Y: m.Y}
	rp.ScalarMultiplicationBase(rr)
	msg := fr.NewElement(9)
	var zero fr.Element
	c := protocol.Compress
	h := protocol.FrToBig(c(c(c(c(c(zero, rp.X), rp.Y), mixed.X), mixed.Y), msg))
	s := new(big.Int).Mul(h, k)
	s.Add(s, rr).Mod(s, &curve.Order)
	var sig protocol.Signature
	sig.R = protocol.PublicKey{X: rp.X, Y: rp.Y}
	sig.S.SetBigInt(s)
	out = append(out, sigCase{"mixed-order key", mixed, msg, sig})
	return out
}

// TestIsValidTwin: the circuit's boolean equals protocol.VerifyCofactored on
// every case, and the opposite answer is unsatisfiable.
func TestIsValidTwin(t *testing.T) {
	seen := map[bool]int{}
	for _, c := range cases(t, 3) {
		want := protocol.VerifyCofactored(c.pk, c.msg, c.sig)
		seen[want]++
		if err := test.IsSolved(&twin{}, assign(c.pk, c.msg, c.sig, want), ecc.BN254.ScalarField()); err != nil {
			t.Fatalf("%s: circuit disagrees with native %v: %v", c.name, want, err)
		}
		if err := test.IsSolved(&twin{}, assign(c.pk, c.msg, c.sig, !want), ecc.BN254.ScalarField()); err == nil {
			t.Fatalf("%s: circuit also gives %v", c.name, !want)
		}
	}
	if seen[true] < 4 || seen[false] < 20 {
		t.Fatalf("cases are one-sided: %v", seen)
	}
}

// TestIsValidAssertsPoints: a key or R off the curve makes the circuit
// unsatisfiable whatever the claimed answer (native: false).
func TestIsValidAssertsPoints(t *testing.T) {
	c := cases(t, 1)[0]
	offR := c.sig
	offR.R.X.Add(&offR.R.X, new(fr.Element).SetOne())
	offA := c.pk
	offA.X.Add(&offA.X, new(fr.Element).SetOne())
	for _, tc := range []sigCase{{"R off the curve", c.pk, c.msg, offR}, {"key off the curve", offA, c.msg, c.sig}} {
		if protocol.VerifyCofactored(tc.pk, tc.msg, tc.sig) {
			t.Fatalf("%s: native accepts", tc.name)
		}
		for _, want := range []bool{false, true} {
			if err := test.IsSolved(&twin{}, assign(tc.pk, tc.msg, tc.sig, want), ecc.BN254.ScalarField()); err == nil {
				t.Fatalf("%s: satisfiable with answer %v", tc.name, want)
			}
		}
	}
}

// TestIsValidConstraints: the boolean check costs no more than gnark's
// asserting one does in the transfer slot (7,056 with its curve checks).
func TestIsValidConstraints(t *testing.T) {
	cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &twin{})
	if err != nil {
		t.Fatal(err)
	}
	n := cs.GetNbConstraints()
	t.Logf("IsValid with its curve checks, hash and comparison: %d constraints", n)
	if n > 7056 {
		t.Fatalf("%d constraints", n)
	}
}

func TestIsValidCheckCircuit(t *testing.T) {
	if testing.Short() {
		t.Skip("Groth16 setup: skipped in -short")
	}
	cs := cases(t, 1)
	valid, bad := cs[0], cs[3] // "valid", "S+1"
	offR := valid.sig
	offR.R.X.Add(&offR.R.X, new(fr.Element).SetOne())
	test.NewAssert(t).CheckCircuit(&twin{},
		test.WithValidAssignment(assign(valid.pk, valid.msg, valid.sig, true)),
		test.WithValidAssignment(assign(bad.pk, bad.msg, bad.sig, false)),
		test.WithInvalidAssignment(assign(bad.pk, bad.msg, bad.sig, true)),
		test.WithInvalidAssignment(assign(valid.pk, valid.msg, valid.sig, false)),
		test.WithInvalidAssignment(assign(valid.pk, valid.msg, offR, false)),
		test.WithCurves(ecc.BN254), test.WithBackends(backend.GROTH16),
		test.NoFuzzing(), test.NoSerializationChecks())
}
