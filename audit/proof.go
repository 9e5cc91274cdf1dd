package audit

import (
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fp"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/solidity"
)

// ParseSolidityProof is the inverse of gnark's Proof.MarshalSolidity:
//
//	Ar.X | Ar.Y | Bs.X1 | Bs.X0 | Bs.Y1 | Bs.Y0 | Krs.X | Krs.Y  [| Commitment_i.X | .Y ... | PoK.X | PoK.Y]
//
// 32 bytes each, big-endian, canonical. Points must be on their curves;
// subgroup membership is checked by groth16's Verify.
func ParseSolidityProof(b []byte) (*groth16bn254.Proof, error) {
	const w = fp.Bytes
	if len(b) < 8*w || (len(b)-8*w)%(2*w) != 0 || len(b) == 10*w {
		return nil, fmt.Errorf("proof is %d bytes; want 256, or 256 + 64 per commitment + 64", len(b))
	}
	el := func(k int) (fp.Element, error) {
		var e fp.Element
		err := e.SetBytesCanonical(b[k*w : (k+1)*w])
		return e, err
	}
	var vals []fp.Element
	for k := 0; k < len(b)/w; k++ {
		e, err := el(k)
		if err != nil {
			return nil, fmt.Errorf("proof word %d: %w", k, err)
		}
		vals = append(vals, e)
	}
	p := &groth16bn254.Proof{}
	p.Ar = bn254.G1Affine{X: vals[0], Y: vals[1]}
	p.Bs.X.A1, p.Bs.X.A0, p.Bs.Y.A1, p.Bs.Y.A0 = vals[2], vals[3], vals[4], vals[5]
	p.Krs = bn254.G1Affine{X: vals[6], Y: vals[7]}
	if len(vals) > 8 {
		rest := vals[8:]
		nc := len(rest)/2 - 1
		for i := 0; i < nc; i++ {
			p.Commitments = append(p.Commitments, bn254.G1Affine{X: rest[2*i], Y: rest[2*i+1]})
		}
		p.CommitmentPok = bn254.G1Affine{X: rest[2*nc], Y: rest[2*nc+1]}
	}
	if !p.Ar.IsOnCurve() || !p.Krs.IsOnCurve() || !p.Bs.IsOnCurve() {
		return nil, errors.New("proof point not on the curve")
	}
	for _, c := range p.Commitments {
		if !c.IsOnCurve() {
			return nil, errors.New("proof commitment not on the curve")
		}
	}
	return p, nil
}

// verifyProof checks a proof as posted to the contract (MarshalSolidity
// bytes) against the public inputs in the circuit's order (one in
// calldata mode; dataHash·2^127 + x·2^2 + (V >> 253) and V mod 2^253 in blob
// mode), with the options of the Solidity-target verifier the contract runs.
func verifyProof(vk groth16.VerifyingKey, proof []byte, publicInputs ...fr.Element) error {
	bvk, ok := vk.(*groth16bn254.VerifyingKey)
	if !ok {
		return fmt.Errorf("verifying key is %T, not BN254", vk)
	}
	if want := len(bvk.G1.K) - len(bvk.PublicAndCommitmentCommitted) - 1; want != len(publicInputs) {
		return fmt.Errorf("the verifying key takes %d public inputs, the batch has %d (a key of the other data-availability mode?)", want, len(publicInputs))
	}
	p, err := ParseSolidityProof(proof)
	if err != nil {
		return err
	}
	return groth16bn254.Verify(p, bvk, fr.Vector(publicInputs), solidity.WithVerifierTargetSolidityVerifier(backend.GROTH16))
}
