// Package exit is the exit circuit of exodus mode: a small Groth16 circuit,
// with its own keys and verifier contract, proving that an account of the
// last proven state holds a balance and that its key asked for that
// balance to be paid to an L1 recipient. Its native twin is
// protocol.State.ExitClaim; docs/exits.md gives the security argument.
package exit

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc"
	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	"github.com/consensys/gnark/std/hash"
	"github.com/consensys/gnark/std/permutation/poseidon2"

	"github.com/sheafrollup/sheaf/circuits/merkle"
	"github.com/sheafrollup/sheaf/circuits/sigcheck"
	"github.com/sheafrollup/sheaf/protocol"
)

// Circuit proves, for its four public inputs (protocol.ExitPublicInputs):
//
//   - leaf Index of the tree with root Root is C(C(C(TagLeaf, A.x), A.y),
//     nonce·2^128 + Balance) for some key A and nonce < 2^32;
//   - (R, S) is a signature by A (sigcheck.IsValid, the cofactored rule) of
//     ExodusMessage(C(TagMessage, Domain), Index, Recipient).
//
// Index and Recipient share one input, Index·2^160 + Recipient, decomposed
// into 160 + depth bits (which range-checks both and makes the split
// unique). Domain is chainID·2^160 + contract as the contract computes it,
// so the keys serve every deployment of a depth.
type Circuit struct {
	depth int

	Root           frontend.Variable `gnark:",public"`
	Domain         frontend.Variable `gnark:",public"`
	IndexRecipient frontend.Variable `gnark:",public"`
	Balance        frontend.Variable `gnark:",public"`

	PubX, PubY frontend.Variable
	Nonce      frontend.Variable
	Siblings   []frontend.Variable
	RX, RY, S  frontend.Variable
}

// New allocates an empty circuit of the given depth for compiling.
func New(depth int) *Circuit {
	return &Circuit{depth: depth, Siblings: make([]frontend.Variable, depth)}
}

var (
	two128   = new(big.Int).Lsh(big.NewInt(1), 128)
	two192   = new(big.Int).Lsh(big.NewInt(1), 192)
	exodusE1 = new(big.Int).Lsh(big.NewInt(protocol.OpExodus), 224)
)

// Define implements frontend.Circuit.
func (c *Circuit) Define(api frontend.API) error {
	h, err := merkle.NewHasher(api)
	if err != nil {
		return err
	}
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return err
	}
	perm, err := poseidon2.NewPoseidon2(api)
	if err != nil {
		return err
	}
	d := c.depth
	ir := api.ToBinary(c.IndexRecipient, 160+d)
	idx := ir[160:]
	var index frontend.Variable = 0
	for i := d - 1; i >= 0; i-- {
		index = api.Add(api.Mul(index, 2), idx[i])
	}
	recipient := api.Sub(c.IndexRecipient, api.Mul(index, new(big.Int).Lsh(big.NewInt(1), 160)))

	// The lane nonce·2^128 + Balance, split uniquely.
	api.ToBinary(c.Balance, 128)
	api.ToBinary(c.Nonce, 32)
	lane := api.Add(api.Mul(c.Nonce, two128), c.Balance)
	leaf := h.HashNode(h.HashNode(h.HashNode(protocol.TagLeaf, c.PubX), c.PubY), lane)
	api.AssertIsEqual(h.ComputeRoot(leaf, idx, c.Siblings), c.Root)

	domainState := h.HashNode(protocol.TagMessage, c.Domain)
	e1 := api.Add(exodusE1, api.Mul(index, two192), recipient)
	msg := h.HashNode(h.HashNode(domainState, e1), 0)
	ok := sigcheck.IsValid(curve, hash.NewMerkleDamgardHasher(api, perm, 0),
		twistededwards.Point{X: c.PubX, Y: c.PubY}, twistededwards.Point{X: c.RX, Y: c.RY}, c.S, msg)
	api.AssertIsEqual(ok, 1)
	return nil
}

// Compile builds the exit circuit's R1CS for a tree depth.
func Compile(depth int) (constraint.ConstraintSystem, error) {
	if depth < 2 || depth > protocol.MaxDepth {
		return nil, fmt.Errorf("exit circuit: depth %d out of range [2, %d]", depth, protocol.MaxDepth)
	}
	cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, New(depth))
	if err != nil {
		return nil, fmt.Errorf("compile exit circuit (depth %d): %w", depth, err)
	}
	return cs, nil
}

// Assign builds the full assignment of a claim for a tree of the given depth.
func Assign(e *protocol.ExitClaim, depth int) (*Circuit, error) {
	if len(e.Siblings) != depth {
		return nil, fmt.Errorf("exit: claim has %d siblings, the circuit's depth is %d", len(e.Siblings), depth)
	}
	pub := e.PublicInputs()
	c := New(depth)
	c.Root, c.Domain, c.IndexRecipient, c.Balance = pub[0], pub[1], pub[2], pub[3]
	c.PubX, c.PubY = protocol.FrToBig(e.Account.PubKey.X), protocol.FrToBig(e.Account.PubKey.Y)
	c.Nonce = e.Account.Nonce
	for i, s := range e.Siblings {
		c.Siblings[i] = protocol.FrToBig(s)
	}
	c.RX, c.RY, c.S = protocol.FrToBig(e.Sig.R.X), protocol.FrToBig(e.Sig.R.Y), protocol.FrToBig(e.Sig.S)
	return c, nil
}

// Witness returns the full gnark witness of a claim.
func Witness(e *protocol.ExitClaim, depth int) (witness.Witness, error) {
	c, err := Assign(e, depth)
	if err != nil {
		return nil, err
	}
	w, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
	if err != nil {
		return nil, fmt.Errorf("exit witness: %w", err)
	}
	return w, nil
}
