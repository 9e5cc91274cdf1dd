package submitter

import "math/big"

// bumped is the least value a replacement must offer: old raised by pct
// percent, rounded up (nodes compare old*(100+pct)/100 in integers).
func bumped(old *big.Int, pct uint64) *big.Int {
	v := new(big.Int).Mul(old, new(big.Int).SetUint64(100+pct))
	v.Add(v, big.NewInt(99))
	return v.Div(v, big.NewInt(100))
}

// fees returns the EIP-1559 tip and fee cap to sign: the suggested tip
// and twice the base fee on top, at least minTip/minCap (a replacement's
// floor; nil when none), the fee cap capped at maxCap and the tip at the
// fee cap. ok is false when the cap keeps them below the floor.
func fees(suggestedTip, baseFee, minTip, minCap, maxCap *big.Int) (tip, feeCap *big.Int, ok bool) {
	tip = new(big.Int).Set(suggestedTip)
	feeCap = new(big.Int).Mul(baseFee, big.NewInt(2))
	feeCap.Add(feeCap, tip)
	if minTip != nil && tip.Cmp(minTip) < 0 {
		tip.Set(minTip)
	}
	if minCap != nil && feeCap.Cmp(minCap) < 0 {
		feeCap.Set(minCap)
	}
	if feeCap.Cmp(tip) < 0 {
		feeCap.Set(tip)
	}
	if feeCap.Cmp(maxCap) > 0 {
		feeCap.Set(maxCap)
	}
	if tip.Cmp(feeCap) > 0 {
		tip.Set(feeCap)
	}
	ok = (minTip == nil || tip.Cmp(minTip) >= 0) && (minCap == nil || feeCap.Cmp(minCap) >= 0)
	return tip, feeCap, ok
}

// blobFeeHeadroom multiplies the current blob base fee for a new blob
// transaction's blob fee cap: the blob base fee can rise from block to
// block while the transaction waits, and a cap below it keeps the
// transaction out of every block.
const blobFeeHeadroom = 2

// blobFees returns the max fee per blob gas to sign: blobFeeHeadroom times
// the current blob base fee (at least 1 wei), at least minCap (a
// replacement's floor; nil when none), capped at maxCap. ok is false when
// the cap keeps it below the floor.
func blobFees(blobBaseFee, minCap, maxCap *big.Int) (feeCap *big.Int, ok bool) {
	feeCap = new(big.Int).Mul(blobBaseFee, big.NewInt(blobFeeHeadroom))
	if feeCap.Sign() <= 0 {
		feeCap.SetInt64(1)
	}
	if minCap != nil && feeCap.Cmp(minCap) < 0 {
		feeCap.Set(minCap)
	}
	if feeCap.Cmp(maxCap) > 0 {
		feeCap.Set(maxCap)
	}
	return feeCap, minCap == nil || feeCap.Cmp(minCap) >= 0
}
