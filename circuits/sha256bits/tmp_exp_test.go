package sha256bits

import (
	"testing"
	"time"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"
)

func TestTmpTiming(t *testing.T) {
	msgs := [][]byte{make([]byte, 119), make([]byte, 119), make([]byte, 119), make([]byte, 119)}
	circuit, a := newCase(nil, msgs)
	s := time.Now()
	ccs := compile(t, circuit)
	t.Log("compile", time.Since(s), ccs.GetNbConstraints()); s = time.Now()
	w, _ := frontend.NewWitness(a, field)
	if err := ccs.IsSolved(w); err != nil { t.Fatal(err) }
	t.Log("solve", time.Since(s)); s = time.Now()
	if err := test.IsSolved(circuit, a, field); err != nil { t.Fatal(err) }
	t.Log("engine", time.Since(s)); s = time.Now()
	if err := test.IsSolved(circuit, flipped(a, 0, 3), field); err == nil { t.Fatal(err) }
	t.Log("engine bad", time.Since(s)); s = time.Now()
}
