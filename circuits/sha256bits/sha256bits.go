// Package sha256bits is a SHA-256 gadget for gnark R1CS circuits that works on
// boolean variables only.
//
// gnark's std/hash/sha2 range-checks through lookups, which makes Groth16 add a
// commitment (a larger proof and roughly 123k more gas in the Solidity
// verifier). This gadget uses plain R1CS constraints only, so the circuit stays
// commitment-free at about 26k constraints per 64-byte block.
package sha256bits

import (
	"fmt"
	"math/big"
	mbits "math/bits"

	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
)

func init() {
	solver.RegisterHint(decomposeHint)
}

// decomposeHint writes the len(outputs) low bits of inputs[0].
func decomposeHint(_ *big.Int, inputs, outputs []*big.Int) error {
	if len(inputs) != 1 {
		return fmt.Errorf("sha256bits: decomposeHint wants 1 input, got %d", len(inputs))
	}
	for i := range outputs {
		outputs[i].SetUint64(uint64(inputs[0].Bit(i)))
	}
	return nil
}

var iv = [8]uint32{
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
}

var k = [64]uint32{
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}

// BytesToBits turns bytes into constant bits, most significant bit of each byte
// first, as Sum expects them.
func BytesToBits(b []byte) []frontend.Variable {
	out := make([]frontend.Variable, 0, 8*len(b))
	for _, x := range b {
		for j := 7; j >= 0; j-- {
			out = append(out, int((x>>j)&1))
		}
	}
	return out
}

// Sum returns SHA-256(msg) as 256 bits, most significant bit of the first
// digest byte first.
//
// msg holds the message bits, most significant bit of each byte first; its
// length is fixed at compile time and must be a multiple of 8. Each element
// MUST already be constrained boolean (or be the constant 0 or 1) by the
// caller: Sum does not check it, and the result is meaningless otherwise.
// Constant bits are folded, so constant parts of the message (and the padding)
// cost fewer constraints. The returned bits are boolean-constrained or
// constants.
func Sum(api frontend.API, msg []frontend.Variable) [256]frontend.Variable {
	if len(msg)%8 != 0 {
		panic(fmt.Sprintf("sha256bits: message length %d bits is not a multiple of 8", len(msg)))
	}
	padded := pad(msg)
	c := &ctx{api: api, cmp: api.Compiler()}

	var h [8]val
	for i := range h {
		h[i] = c.constVal(iv[i])
	}
	nb := len(padded) / 512
	for blk := 0; blk < nb; blk++ {
		h = c.block(h, padded[blk*512:(blk+1)*512], blk == nb-1)
	}

	var out [256]frontend.Variable
	for j := range h {
		for b := 0; b < 32; b++ {
			out[32*j+b] = h[j].w[31-b]
		}
	}
	return out
}

// pad appends the SHA-256 padding; the length is known, so it is all constants.
func pad(msg []frontend.Variable) []frontend.Variable {
	l := uint64(len(msg))
	n := (len(msg) + 1 + 64 + 511) / 512 * 512
	out := make([]frontend.Variable, 0, n)
	out = append(out, msg...)
	out = append(out, 1)
	for len(out) < n-64 {
		out = append(out, 0)
	}
	for j := 63; j >= 0; j-- {
		out = append(out, int((l>>j)&1))
	}
	return out
}

// word holds 32 boolean values (constants or variables), index i has weight 2^i.
type word [32]frontend.Variable

// lin is an unreduced integer value: a sum of linear expressions plus a
// constant, with known bounds. Values used only in additions stay lin so they
// are decomposed into bits once, where the bits are needed.
type lin struct {
	vars   []frontend.Variable
	c      int64
	lo, hi int64
	src    *word // the word this lin is exactly the value of, if any
}

// val is a 32-bit state or schedule word; w is nil while only its lin is known.
type val struct {
	w *word
	l lin
}

type ctx struct {
	api frontend.API
	cmp frontend.Compiler
}

func (c *ctx) constVal(x uint32) val {
	var w word
	for i := range w {
		w[i] = int((x >> i) & 1)
	}
	return val{w: &w, l: lin{c: int64(x), lo: int64(x), hi: int64(x), src: &w}}
}

func (c *ctx) mkVal(w *word) val { return val{w: w, l: c.wordLin(w)} }

func (c *ctx) wordLin(w *word) lin {
	l := lin{src: w}
	var terms []frontend.Variable
	for i, b := range w {
		if v, ok := c.cst(b); ok {
			l.c += int64(v) << i
			continue
		}
		l.hi += 1 << i
		terms = append(terms, c.api.Mul(b, 1<<i))
	}
	l.lo = l.c
	l.hi += l.c
	if len(terms) > 0 {
		// Merge once here rather than in every sum the word takes part in.
		l.vars = []frontend.Variable{c.addAll(terms)}
	}
	return l
}

func (c *ctx) addAll(xs []frontend.Variable) frontend.Variable {
	switch len(xs) {
	case 0:
		return 0
	case 1:
		return xs[0]
	default:
		return c.api.Add(xs[0], xs[1], xs[2:]...)
	}
}

// add sums lins without reducing.
func add(ls ...lin) lin {
	var r lin
	for _, l := range ls {
		r.vars = append(r.vars, l.vars...)
		r.c += l.c
		r.lo += l.lo
		r.hi += l.hi
	}
	return r
}

// width returns how many bits reduce needs for plus-minus (0: constant or
// shortcut), and the offset (a multiple of 2^32) that makes the sum non-negative.
func width(plus, minus []lin) (n int, off int64) {
	var lo, hi int64
	nonConst := 0
	var only *lin
	var cOthers int64
	for i := range plus {
		lo += plus[i].lo
		hi += plus[i].hi
		if len(plus[i].vars) > 0 {
			nonConst++
			only = &plus[i]
		}
	}
	for i := range minus {
		lo -= minus[i].hi
		hi -= minus[i].lo
		if len(minus[i].vars) > 0 {
			nonConst += 2 // never shortcut through a subtracted word
		}
	}
	if nonConst == 0 {
		return 0, 0
	}
	if nonConst == 1 && only.src != nil {
		for _, l := range plus {
			cOthers += l.c
		}
		for _, l := range minus {
			cOthers -= l.c
		}
		if uint32(cOthers-only.c) == 0 {
			return 0, 0
		}
	}
	if lo < 0 {
		off = (-lo + (1<<32 - 1)) >> 32 << 32
	}
	return mbits.Len64(uint64(hi + off)), off
}

// reduce returns the low 32 bits of plus-minus. It costs one constraint per
// bit of the sum's range (the low 32 plus the carry bits): all bits but the top
// one come from a hint and are asserted boolean; the top one is the linear
// remainder, so asserting it boolean also proves the decomposition.
func (c *ctx) reduce(plus, minus []lin) *word {
	n, off := width(plus, minus)
	var total int64
	var terms []frontend.Variable
	var only *lin
	for i := range plus {
		total += plus[i].c
		terms = append(terms, plus[i].vars...)
		if len(plus[i].vars) > 0 {
			only = &plus[i]
		}
	}
	for _, l := range minus {
		total -= l.c
		for _, v := range l.vars {
			terms = append(terms, c.api.Neg(v))
		}
	}
	if len(terms) == 0 {
		w := c.constVal(uint32(total)).w
		return w
	}
	if n == 0 { // a single word plus constants that vanish mod 2^32
		return only.src
	}
	total += off
	sum := c.api.Add(total, terms[0], terms[1:]...)

	var w word
	for i := range w {
		w[i] = 0 // bits above the sum's range
	}
	low := make([]frontend.Variable, 0, n)
	if n > 1 {
		hb, err := c.cmp.NewHint(decomposeHint, n-1, sum)
		if err != nil {
			panic(err)
		}
		for i, b := range hb {
			c.api.AssertIsBoolean(b)
			low = append(low, c.api.Mul(b, 1<<i))
			if i < 32 {
				w[i] = b
			}
		}
	}
	top := sum
	if len(low) > 0 {
		top = c.api.Sub(sum, low[0], low[1:]...)
	}
	if n > 1 {
		inv := new(big.Int).Lsh(big.NewInt(1), uint(n-1))
		inv.ModInverse(inv, c.cmp.Field())
		top = c.api.Mul(top, inv)
	}
	c.api.AssertIsBoolean(top)
	if n-1 < 32 {
		w[n-1] = top
	}
	return &w
}

// cst reports whether bit v is a compile-time constant, and its value.
func (c *ctx) cst(v frontend.Variable) (int, bool) {
	b, ok := c.cmp.ConstantValue(v)
	if !ok {
		return 0, false
	}
	if !b.IsUint64() || b.Uint64() > 1 {
		panic("sha256bits: constant bit is not 0 or 1")
	}
	return int(b.Uint64()), true
}

func (c *ctx) not(a frontend.Variable) frontend.Variable {
	if v, ok := c.cst(a); ok {
		return 1 - v
	}
	return c.api.Sub(1, a)
}

// xor2: 1 constraint unless an input is constant.
func (c *ctx) xor2(a, b frontend.Variable) frontend.Variable {
	if v, ok := c.cst(a); ok {
		if v == 0 {
			return b
		}
		return c.not(b)
	}
	if v, ok := c.cst(b); ok {
		if v == 0 {
			return a
		}
		return c.not(a)
	}
	t := c.api.Mul(a, b)
	return c.api.Sub(c.api.Add(a, b), t, t)
}

// xor3: 2 constraints (a^b, then with c), fewer with constants.
func (c *ctx) xor3(a, b, d frontend.Variable) frontend.Variable {
	flip := 0
	var vs []frontend.Variable
	for _, x := range []frontend.Variable{a, b, d} {
		if v, ok := c.cst(x); ok {
			flip ^= v
		} else {
			vs = append(vs, x)
		}
	}
	var r frontend.Variable
	switch len(vs) {
	case 0:
		return flip
	case 1:
		r = vs[0]
	case 2:
		r = c.xor2(vs[0], vs[1])
	default:
		t := c.api.Mul(vs[0], vs[1])
		x := c.api.Sub(c.api.Add(vs[0], vs[1]), t, t)
		u := c.api.Mul(vs[2], x)
		r = c.api.Sub(c.api.Add(x, vs[2]), u, u)
	}
	if flip == 1 {
		return c.not(r)
	}
	return r
}

// ch = e ? f : g = g + e(f-g): 1 constraint.
func (c *ctx) ch(e, f, g frontend.Variable) frontend.Variable {
	if v, ok := c.cst(e); ok {
		if v == 1 {
			return f
		}
		return g
	}
	fv, fok := c.cst(f)
	gv, gok := c.cst(g)
	if fok && gok {
		switch {
		case fv == gv:
			return fv
		case fv == 1:
			return e
		default:
			return c.not(e)
		}
	}
	return c.api.Add(g, c.api.Mul(e, c.api.Sub(f, g)))
}

// maj = ab + c(a^b): 2 constraints, 1 with a constant input.
func (c *ctx) maj(a, b, d frontend.Variable) frontend.Variable {
	ones, zeros := 0, 0
	var vs []frontend.Variable
	for _, x := range []frontend.Variable{a, b, d} {
		if v, ok := c.cst(x); ok {
			if v == 1 {
				ones++
			} else {
				zeros++
			}
		} else {
			vs = append(vs, x)
		}
	}
	switch {
	case ones >= 2:
		return 1
	case zeros >= 2:
		return 0
	case len(vs) == 1: // one 0 and one 1
		return vs[0]
	case len(vs) == 2 && ones == 1: // or
		t := c.api.Mul(vs[0], vs[1])
		return c.api.Sub(c.api.Add(vs[0], vs[1]), t)
	case len(vs) == 2: // and
		return c.api.Mul(vs[0], vs[1])
	}
	t := c.api.Mul(a, b)
	x := c.api.Sub(c.api.Add(a, b), t, t)
	return c.api.Add(t, c.api.Mul(d, x))
}

// sigma computes ROTR(r1) ^ ROTR(r2) ^ (shr ? SHR(r3) : ROTR(r3)).
func (c *ctx) sigma(x *word, r1, r2, r3 int, shr bool) *word {
	var w word
	for i := range w {
		var z frontend.Variable = 0
		if !shr {
			z = x[(i+r3)%32]
		} else if i+r3 < 32 {
			z = x[i+r3]
		}
		w[i] = c.xor3(x[(i+r1)%32], x[(i+r2)%32], z)
	}
	return &w
}

func (c *ctx) bitwise(f func(a, b, d frontend.Variable) frontend.Variable, x, y, z *word) *word {
	var w word
	for i := range w {
		w[i] = f(x[i], y[i], z[i])
	}
	return &w
}

// cheaper returns the lower-cost of two ways to compute the same word mod 2^32.
func (c *ctx) cheaper(p1, m1, p2, m2 []lin) *word {
	n1, _ := width(p1, m1)
	n2, _ := width(p2, m2)
	if n1 < n2 {
		return c.reduce(p1, m1)
	}
	return c.reduce(p2, m2)
}

// block runs one compression. h[3] and h[7] may be lazy (w == nil): they only
// feed additions (as d and h of round 0), never bit operations.
func (c *ctx) block(h [8]val, blk []frontend.Variable, last bool) [8]val {
	var W [64]val
	for t := 0; t < 16; t++ {
		var w word
		for b := 0; b < 32; b++ {
			w[31-b] = blk[32*t+b]
		}
		W[t] = c.mkVal(&w)
	}
	for t := 16; t < 64; t++ {
		s1 := c.mkVal(c.sigma(W[t-2].w, 17, 19, 10, true))
		s0 := c.mkVal(c.sigma(W[t-15].w, 7, 18, 3, true))
		terms := []lin{s1.l, W[t-7].l, s0.l, W[t-16].l}
		if t+2 < 64 {
			W[t] = c.mkVal(c.reduce(terms, nil))
		} else {
			// W62 and W63 are only added, never used bitwise.
			W[t] = val{l: add(terms...)}
		}
	}

	s := h
	for t := 0; t < 64; t++ {
		a, b, cc, d, e, f, g, hh := s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
		S1 := c.mkVal(c.sigma(e.w, 6, 11, 25, false))
		CH := c.mkVal(c.bitwise(c.ch, e.w, f.w, g.w))
		S0 := c.mkVal(c.sigma(a.w, 2, 13, 22, false))
		MJ := c.mkVal(c.bitwise(c.maj, a.w, b.w, cc.w))
		K := lin{c: int64(k[t]), lo: int64(k[t]), hi: int64(k[t])}
		t1 := []lin{hh.l, S1.l, CH.l, K, W[t].l}

		if t < 63 {
			// e' = d + T1. a' = T1 + T2 = e' - d + T2 (mod 2^32) usually has a
			// smaller range (one carry bit less) and fewer terms than T1 + T2.
			ne := c.mkVal(c.reduce(append([]lin{d.l}, t1...), nil))
			na := c.mkVal(c.cheaper(
				append([]lin{S0.l, MJ.l}, t1...), nil,
				[]lin{ne.l, S0.l, MJ.l}, []lin{d.l}))
			s = [8]val{na, a, b, cc, ne, e, f, g}
			continue
		}

		// Last round: the new a and e are only used in the final addition,
		// so fold H0 and H4 into their sums instead of reducing twice.
		var out [8]val
		out[4] = c.mkVal(c.reduce(append([]lin{h[4].l, d.l}, t1...), nil))
		out[0] = c.mkVal(c.cheaper(
			append([]lin{h[0].l, S0.l, MJ.l}, t1...), nil,
			[]lin{h[0].l, out[4].l, S0.l, MJ.l}, []lin{h[4].l, d.l}))
		prev := [8]val{1: a, 2: b, 3: cc, 5: e, 6: f, 7: g}
		for _, i := range []int{1, 2, 3, 5, 6, 7} {
			// H3 and H7 are only d and h of the next block's first round, so
			// they may stay unreduced (once, to keep the carries small).
			if !last && (i == 3 || i == 7) && h[i].w != nil {
				out[i] = val{l: add(h[i].l, prev[i].l)}
				continue
			}
			out[i] = c.mkVal(c.reduce([]lin{h[i].l, prev[i].l}, nil))
		}
		return out
	}
	panic("unreachable")
}
