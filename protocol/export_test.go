package protocol

// VerifyGnark exposes the reference verifier to the external test package.
var VerifyGnark = verifyGnark

// BatchEquation runs VerifyBatch's equation alone on checks that pass the
// one-by-one checks, so tests see it hold and fail (VerifyBatch's verdicts
// come out right even when it always fails, through the fallback).
func (c *KeyCache) BatchEquation(checks []SigCheck) bool {
	keys := make([]*verifyKey, len(checks))
	live := make([]int, len(checks))
	for i := range checks {
		keys[i], live[i] = c.get(checks[i].PubKey), i
	}
	return c.batchEquation(checks, keys, live)
}

// Naf5 exposes naf5 to tests.
var Naf5 = naf5
