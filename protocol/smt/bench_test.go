package smt

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

func BenchmarkHashNode(b *testing.B) {
	l, r := elem(1), elem(2)
	for b.Loop() {
		l = HashNode(l, r)
	}
}

func BenchmarkSet(b *testing.B) {
	const depth = 24
	// append: a new account at the next index, the common case.
	b.Run("append", func(b *testing.B) {
		tr := mustNew(b, depth)
		b.ReportAllocs()
		var i uint64
		for b.Loop() {
			_ = tr.Set(i%(1<<depth), elem(i))
			i++
		}
	})
	// update: an existing account somewhere in a 64K-account prefix.
	b.Run("update", func(b *testing.B) {
		tr := mustNew(b, depth)
		if err := tr.Load(make([]fr.Element, 1<<16)); err != nil {
			b.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 1))
		b.ReportAllocs()
		for b.Loop() {
			_ = tr.Set(rng.Uint64N(1<<16), elem(rng.Uint64()))
		}
	})
	// journaled: update with a live checkpoint (block building).
	b.Run("journaled", func(b *testing.B) {
		tr := mustNew(b, depth)
		if err := tr.Load(make([]fr.Element, 1<<16)); err != nil {
			b.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 1))
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			if n%1024 == 0 {
				tr.Commit()
				tr.Checkpoint()
			}
			n++
			_ = tr.Set(rng.Uint64N(1<<16), elem(rng.Uint64()))
		}
	})
}

// BenchmarkLoad1M rebuilds a depth-24 tree from 1M leaves (restart path).
// Each iteration hashes ~1M nodes, so it is skipped with -short.
func BenchmarkLoad1M(b *testing.B) {
	if testing.Short() {
		b.Skip("1M-leaf load skipped in -short mode")
	}
	leaves := make([]fr.Element, 1<<20)
	for i := range leaves {
		leaves[i] = elem(uint64(i) + 1)
	}
	tr := mustNew(b, 24)
	b.ReportAllocs()
	for b.Loop() {
		if err := tr.Load(leaves); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProof(b *testing.B) {
	tr := mustNew(b, 24)
	if err := tr.Load(make([]fr.Element, 1<<16)); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.Proof(rng.Uint64N(1 << 17)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOverlay: a proof against an older root, with k leaves changed
// since, in a depth-24 tree of 2^20 accounts (the sequencer's
// sheaf_getAccountProof at an older batch). "copy" is the part done under
// the sealed state's lock, "prove" the hashing after it.
func BenchmarkOverlay(b *testing.B) {
	const depth, n = 24, 1 << 20
	tr := mustNew(b, depth)
	leaves := make([]fr.Element, n)
	for i := range leaves {
		leaves[i] = elem(uint64(i) + 1)
	}
	if err := tr.Load(leaves); err != nil {
		b.Fatal(err)
	}
	for _, k := range []int{64, 1024, 16384} {
		rng := rand.New(rand.NewPCG(uint64(k), 2))
		changed := map[uint64]bool{}
		var old []Leaf
		for len(old) < k {
			i := rng.Uint64N(n)
			if !changed[i] {
				changed[i] = true
				old = append(old, Leaf{Index: i, Value: elem(rng.Uint64())})
			}
		}
		b.Run(fmt.Sprintf("copy/changed=%d", k), func(b *testing.B) {
			for b.Loop() {
				if _, err := tr.Overlay(12345, old); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("prove/changed=%d", k), func(b *testing.B) {
			o, err := tr.Overlay(12345, old)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				o.Prove()
			}
		})
	}
}
