package smt

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// Regenerate with: go test ./protocol/smt -run TestVectors -update
// Only do so for an intended change of the hash or tree layout: the file
// exists to catch accidental ones.
var update = flag.Bool("update", false, "rewrite testdata/vectors.json from the current implementation")

const vectorsPath = "testdata/vectors.json"

// hexElem is a field element encoded as 0x-prefixed 32-byte big-endian hex.
type hexElem fr.Element

func (h hexElem) MarshalText() ([]byte, error) {
	e := fr.Element(h)
	b := e.Bytes()
	return []byte("0x" + hex.EncodeToString(b[:])), nil
}

func (h *hexElem) UnmarshalText(text []byte) error {
	b, err := hex.DecodeString(strings.TrimPrefix(string(text), "0x"))
	if err != nil {
		return err
	}
	return (*fr.Element)(h).SetBytesCanonical(b)
}

type vectors struct {
	HashNode []struct {
		Left, Right, Out hexElem
	}
	ZeroHashesDepth8 []hexElem
	Tree             struct {
		Depth int
		Sets  []struct {
			Index     uint64
			Leaf      hexElem
			RootAfter hexElem
		}
	}
}

// vectorInputs are the fixed inputs; -update only recomputes the outputs.
func vectorInputs() *vectors {
	var v vectors
	var pMinus1 fr.Element
	pMinus1.SetOne().Neg(&pMinus1)
	big, _ := new(fr.Element).SetString("0x2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091")
	for _, p := range [][2]fr.Element{
		{elem(0), elem(0)}, {elem(1), elem(2)}, {elem(2), elem(1)}, {pMinus1, pMinus1}, {*big, elem(42)},
	} {
		v.HashNode = append(v.HashNode, struct{ Left, Right, Out hexElem }{Left: hexElem(p[0]), Right: hexElem(p[1])})
	}
	v.Tree.Depth = 8
	for _, s := range []struct {
		i uint64
		v fr.Element
	}{{0, elem(1)}, {1, elem(2)}, {2, elem(3)}, {7, elem(0xdeadbeef)}, {200, pMinus1}, {1, elem(5)}, {255, *big}, {2, elem(0)}} {
		v.Tree.Sets = append(v.Tree.Sets, struct {
			Index     uint64
			Leaf      hexElem
			RootAfter hexElem
		}{Index: s.i, Leaf: hexElem(s.v)})
	}
	return &v
}

func TestVectors(t *testing.T) {
	if *update {
		v := vectorInputs()
		for i := range v.HashNode {
			h := &v.HashNode[i]
			h.Out = hexElem(HashNode(fr.Element(h.Left), fr.Element(h.Right)))
		}
		for _, z := range ZeroHashes(8) {
			v.ZeroHashesDepth8 = append(v.ZeroHashesDepth8, hexElem(z))
		}
		tr := mustNew(t, v.Tree.Depth)
		for i := range v.Tree.Sets {
			s := &v.Tree.Sets[i]
			if err := tr.Set(s.Index, fr.Element(s.Leaf)); err != nil {
				t.Fatal(err)
			}
			s.RootAfter = hexElem(tr.Root())
		}
		out, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(vectorsPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(vectorsPath, append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", vectorsPath)
	}

	raw, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatalf("%v (generate with -update)", err)
	}
	var v vectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.HashNode) == 0 || len(v.ZeroHashesDepth8) != 9 || len(v.Tree.Sets) == 0 {
		t.Fatal("vectors file is incomplete")
	}
	for i, h := range v.HashNode {
		if got, want := HashNode(fr.Element(h.Left), fr.Element(h.Right)), fr.Element(h.Out); !got.Equal(&want) {
			t.Errorf("HashNode vector %d: got %s, want %s", i, got.String(), want.String())
		}
	}
	for i, z := range ZeroHashes(8) {
		if want := fr.Element(v.ZeroHashesDepth8[i]); !z.Equal(&want) {
			t.Errorf("ZeroHashes(8)[%d] changed", i)
		}
	}
	tr := mustNew(t, v.Tree.Depth)
	for i, s := range v.Tree.Sets {
		if err := tr.Set(s.Index, fr.Element(s.Leaf)); err != nil {
			t.Fatal(err)
		}
		if got, want := tr.Root(), fr.Element(s.RootAfter); !got.Equal(&want) {
			t.Errorf("root after set %d (index %d) changed", i, s.Index)
		}
	}
}
