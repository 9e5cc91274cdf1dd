package protocol_test

import (
	"errors"
	"math/rand"
	"testing"

	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/protocol"
)

// u256 parses a decimal string; it panics on bad test input.
func u256(s string) *uint256.Int {
	v, err := uint256.FromDecimal(s)
	if err != nil {
		panic(err)
	}
	return v
}

func pow10(n int) *uint256.Int {
	v := uint256.NewInt(1)
	ten := uint256.NewInt(10)
	for range n {
		v.Mul(v, ten)
	}
	return v
}

func mulU(a *uint256.Int, b uint64) *uint256.Int {
	return new(uint256.Int).Mul(a, uint256.NewInt(b))
}

func code(f protocol.Float, mant, exp uint64) uint64 { return exp<<uint(f.MantBits) | mant }

func TestFloatFormats(t *testing.T) {
	if got := protocol.AmountFloat.Bits(); got != 37 {
		t.Errorf("AmountFloat.Bits() = %d, want 37", got)
	}
	if got := protocol.FeeFloat.Bits(); got != 11 {
		t.Errorf("FeeFloat.Bits() = %d, want 11", got)
	}
	if got := protocol.AmountFloat.Bits() + protocol.FeeFloat.Bits(); got != 8*protocol.AmountFeeBytes {
		t.Errorf("amount+fee bits = %d, want %d", got, 8*protocol.AmountFeeBytes)
	}
}

func TestFloatEncodeExact(t *testing.T) {
	const maxAmountMant = 1<<32 - 1
	const maxFeeMant = 63
	a, f := protocol.AmountFloat, protocol.FeeFloat
	tests := []struct {
		name string
		f    protocol.Float
		v    *uint256.Int
		want uint64 // canonical code
	}{
		{"amount 0", a, uint256.NewInt(0), 0},
		{"amount 1", a, uint256.NewInt(1), 1},
		{"amount 10 stays at exponent 0", a, uint256.NewInt(10), 10},
		{"amount 100 stays at exponent 0", a, uint256.NewInt(100), 100},
		{"amount max mantissa", a, uint256.NewInt(maxAmountMant), maxAmountMant},
		{"amount 10^10 needs exponent 1", a, pow10(10), code(a, 1_000_000_000, 1)},
		{"amount 1e18", a, pow10(18), code(a, 1_000_000_000, 9)},
		{"amount 123456789e9 canonical mantissa 1234567890", a, mulU(pow10(9), 123456789), code(a, 1234567890, 8)},
		{"amount 4294967290 (max-5, multiple of 10) stays at exponent 0", a, uint256.NewInt(4294967290), 4294967290},
		{"amount 42949672950 needs exponent 1", a, uint256.NewInt(42949672950), code(a, 4294967295, 1)},
		{"amount max mantissa·10^31 (largest value)", a, mulU(pow10(31), maxAmountMant), code(a, maxAmountMant, 31)},
		{"amount 10^32 = 10^9·10^23 (smallest exponent, not 10·10^31)", a, pow10(32), code(a, 1_000_000_000, 23)},
		{"amount 10^40 = 10^9·10^31", a, pow10(40), code(a, 1_000_000_000, 31)},
		{"fee 0", f, uint256.NewInt(0), 0},
		{"fee 1", f, uint256.NewInt(1), 1},
		{"fee 63", f, uint256.NewInt(63), 63},
		{"fee 100 = 10·10^1", f, uint256.NewInt(100), code(f, 10, 1)},
		{"fee 630 = 63·10", f, uint256.NewInt(630), code(f, 63, 1)},
		{"fee 50 stays at exponent 0", f, uint256.NewInt(50), 50},
		{"fee 5·10^17", f, mulU(pow10(17), 5), code(f, 50, 16)},
		{"fee max 63·10^31", f, mulU(pow10(31), maxFeeMant), code(f, 63, 31)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.f.Encode(tc.v)
			if err != nil {
				t.Fatalf("Encode(%s): %v", tc.v.Dec(), err)
			}
			if got != tc.want {
				m, e := tc.f.Split(got)
				wm, we := tc.f.Split(tc.want)
				t.Fatalf("Encode(%s) = %#x (m=%d e=%d), want %#x (m=%d e=%d)", tc.v.Dec(), got, m, e, tc.want, wm, we)
			}
			back, err := tc.f.Decode(got)
			if err != nil {
				t.Fatalf("Decode(%#x): %v", got, err)
			}
			if !back.Eq(tc.v) {
				t.Fatalf("Decode(Encode(%s)) = %s", tc.v.Dec(), back.Dec())
			}
		})
	}
}

func TestFloatEncodeRejects(t *testing.T) {
	a, f := protocol.AmountFloat, protocol.FeeFloat
	maxU256 := new(uint256.Int).SetAllOne()
	tests := []struct {
		name string
		f    protocol.Float
		v    *uint256.Int
	}{
		{"amount 2^32+1", a, uint256.NewInt(1<<32 + 1)},
		{"amount 2^32 (mantissa too wide, not a multiple of 10)", a, uint256.NewInt(1 << 32)},
		{"amount 12345678901 (11 significant digits)", a, uint256.NewInt(12345678901)},
		{"amount max·10^31 + 1", a, new(uint256.Int).AddUint64(mulU(pow10(31), 1<<32-1), 1)},
		{"amount 2^32·10^31 (exponent exhausted)", a, mulU(pow10(31), 1<<32)},
		{"amount 10^41 (exponent exhausted)", a, pow10(41)},
		{"amount 2^128", a, protocol.MaxBalance},
		{"amount 2^256-1", a, maxU256},
		{"fee 65", f, uint256.NewInt(65)},
		{"fee 64", f, uint256.NewInt(64)},
		{"fee 1234567", f, uint256.NewInt(1234567)},
		{"fee 101", f, uint256.NewInt(101)},
		{"fee 64·10^31", f, mulU(pow10(31), 64)},
		{"fee 10^33", f, pow10(33)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.f.Encode(tc.v)
			if !errors.Is(err, protocol.ErrNotEncodable) {
				t.Fatalf("Encode(%s) = %#x, %v; want ErrNotEncodable", tc.v.Dec(), c, err)
			}
		})
	}
}

func TestFloatDecodeRejectsWideCodes(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    protocol.Float
		code uint64
	}{
		{"amount 1<<37", protocol.AmountFloat, 1 << 37},
		{"amount all ones", protocol.AmountFloat, ^uint64(0)},
		{"amount 1<<63", protocol.AmountFloat, 1 << 63},
		{"fee 1<<11", protocol.FeeFloat, 1 << 11},
		{"fee 1<<11 | 1", protocol.FeeFloat, 1<<11 | 1},
		{"fee 1<<37", protocol.FeeFloat, 1 << 37},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if v, err := tc.f.Decode(tc.code); err == nil {
				t.Fatalf("Decode(%#x) = %s, want an error", tc.code, v.Dec())
			}
		})
	}
	// The widest valid codes decode.
	for _, f := range []protocol.Float{protocol.AmountFloat, protocol.FeeFloat} {
		if _, err := f.Decode(1<<uint(f.Bits()) - 1); err != nil {
			t.Errorf("Decode(max code of %+v): %v", f, err)
		}
	}
}

func TestFloatSplit(t *testing.T) {
	m, e := protocol.AmountFloat.Split(code(protocol.AmountFloat, 0xdeadbeef, 17))
	if m != 0xdeadbeef || e != 17 {
		t.Errorf("AmountFloat.Split = %d, %d", m, e)
	}
	m, e = protocol.FeeFloat.Split(code(protocol.FeeFloat, 42, 31))
	if m != 42 || e != 31 {
		t.Errorf("FeeFloat.Split = %d, %d", m, e)
	}
}

func TestPackAmountFee(t *testing.T) {
	// Layout: 37-bit amount code, then 11-bit fee code, big-endian in 48 bits.
	fixed := []struct {
		a, f uint64
		want [6]byte
	}{
		{0, 0, [6]byte{}},
		{0, 1, [6]byte{0, 0, 0, 0, 0, 1}},
		{0, 1<<11 - 1, [6]byte{0, 0, 0, 0, 0x07, 0xff}},
		{1, 0, [6]byte{0, 0, 0, 0, 0x08, 0}},
		{1<<37 - 1, 0, [6]byte{0xff, 0xff, 0xff, 0xff, 0xf8, 0}},
		{1<<37 - 1, 1<<11 - 1, [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
		{1 << 36, 0, [6]byte{0x80, 0, 0, 0, 0, 0}},
	}
	for _, tc := range fixed {
		if got := protocol.PackAmountFee(tc.a, tc.f); got != tc.want {
			t.Errorf("PackAmountFee(%#x, %#x) = %x, want %x", tc.a, tc.f, got, tc.want)
		}
	}
	r := rand.New(rand.NewSource(7))
	for range 2000 {
		a := r.Uint64() & (1<<37 - 1)
		f := r.Uint64() & (1<<11 - 1)
		p := protocol.PackAmountFee(a, f)
		ga, gf := protocol.UnpackAmountFee(p[:])
		if ga != a || gf != f {
			t.Fatalf("Unpack(Pack(%#x, %#x)) = %#x, %#x", a, f, ga, gf)
		}
		// UnpackAmountFee reads only the first 6 bytes.
		ga, gf = protocol.UnpackAmountFee(append(p[:], 0xff, 0xff))
		if ga != a || gf != f {
			t.Fatalf("Unpack with trailing bytes = %#x, %#x", ga, gf)
		}
	}
}

// TestFloatRoundTripProperty: every code decodes to a value that encodes
// again (canonically: same or smaller exponent) to the same value, and
// canonical codes are fixed points.
func TestFloatRoundTripProperty(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	for _, f := range []protocol.Float{protocol.AmountFloat, protocol.FeeFloat} {
		maxM := uint64(1)<<uint(f.MantBits) - 1
		maxE := uint64(1)<<uint(f.ExpBits) - 1
		check := func(m, e uint64) {
			t.Helper()
			c := code(f, m, e)
			v, err := f.Decode(c)
			if err != nil {
				t.Fatalf("%+v Decode(m=%d e=%d): %v", f, m, e, err)
			}
			want := mulU(pow10(int(e)), m)
			if !v.Eq(want) {
				t.Fatalf("%+v Decode(m=%d e=%d) = %s, want %s", f, m, e, v.Dec(), want.Dec())
			}
			c2, err := f.Encode(v)
			if err != nil {
				t.Fatalf("%+v Encode(Decode(m=%d e=%d) = %s): %v", f, m, e, v.Dec(), err)
			}
			v2, err := f.Decode(c2)
			if err != nil || !v2.Eq(v) {
				t.Fatalf("%+v Decode(Encode(%s)) = %v, %v", f, v.Dec(), v2, err)
			}
			m2, e2 := f.Split(c2)
			if m == 0 {
				if c2 != 0 {
					t.Fatalf("%+v zero (e=%d) re-encodes to %#x, want 0", f, e, c2)
				}
			} else if e2 > e {
				t.Fatalf("%+v Encode(%s) uses exponent %d > %d", f, v.Dec(), e2, e)
			}
			// Canonical: the mantissa cannot be multiplied by 10 at a
			// smaller exponent.
			if e2 > 0 && m2*10 <= maxM {
				t.Fatalf("%+v Encode(%s) = m=%d e=%d is not the smallest exponent", f, v.Dec(), m2, e2)
			}
			if c3, err := f.Encode(v2); err != nil || c3 != c2 {
				t.Fatalf("%+v Encode not idempotent: %#x then %#x (%v)", f, c2, c3, err)
			}
		}
		for _, m := range []uint64{0, 1, 9, 10, maxM / 10, maxM/10 + 1, maxM - 1, maxM} {
			for _, e := range []uint64{0, 1, maxE - 1, maxE} {
				check(m, e)
			}
		}
		for range 3000 {
			m := r.Uint64() & maxM
			switch r.Intn(4) {
			case 0: // small mantissas: many non-canonical codes
				m = uint64(r.Intn(int(min(100, maxM+1))))
			case 1: // multiples of 10
				m = (m / 10) * 10
			}
			check(m, uint64(r.Intn(int(maxE)+1)))
		}
	}
}
