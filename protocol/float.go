package protocol

import (
	"errors"
	"fmt"

	"github.com/holiman/uint256"
)

// Float is a decimal short float: value = mantissa · 10^exponent. Amounts and
// fees travel in pubdata in this form so a transfer costs 12 bytes of L1
// data; the signed message and the state use the decoded integer.
type Float struct {
	MantBits, ExpBits int
}

var (
	// AmountFloat: 32-bit mantissa (over 9 significant digits), 5-bit exponent.
	AmountFloat = Float{MantBits: 32, ExpBits: 5}
	// FeeFloat: 6-bit mantissa (1..63), 5-bit exponent: fees are coarse by design.
	FeeFloat = Float{MantBits: 6, ExpBits: 5}
)

// AmountFeeBytes is the pubdata size of a packed (amount, fee) pair.
const AmountFeeBytes = 6

// ErrNotEncodable: the value has no exact short-float form. Wallets must sign
// amounts and fees that are exactly representable.
var ErrNotEncodable = errors.New("value is not exactly representable as a short float")

var pow10 = func() [32]uint256.Int {
	var p [32]uint256.Int
	p[0].SetOne()
	ten := uint256.NewInt(10)
	for i := 1; i < 32; i++ {
		p[i].Mul(&p[i-1], ten)
	}
	return p
}()

// Bits is the encoded width.
func (f Float) Bits() int { return f.MantBits + f.ExpBits }

// Encode returns the canonical code (exponent << MantBits | mantissa) of v:
// the smallest exponent whose mantissa fits. It fails unless v is exact.
func (f Float) Encode(v *uint256.Int) (uint64, error) {
	maxMant := uint64(1)<<uint(f.MantBits) - 1
	var q, r uint256.Int
	for e := 0; e < 1<<uint(f.ExpBits); e++ {
		q.DivMod(v, &pow10[e], &r)
		if !r.IsZero() {
			break
		}
		if q.IsUint64() && q.Uint64() <= maxMant {
			return uint64(e)<<uint(f.MantBits) | q.Uint64(), nil
		}
	}
	return 0, fmt.Errorf("%w: %s (mantissa %d bits, exponent %d bits)", ErrNotEncodable, v.Dec(), f.MantBits, f.ExpBits)
}

// Decode returns the value of a code; codes wider than the format are an error.
func (f Float) Decode(code uint64) (*uint256.Int, error) {
	if code>>uint(f.Bits()) != 0 {
		return nil, fmt.Errorf("float code %#x wider than %d bits", code, f.Bits())
	}
	m := code & (1<<uint(f.MantBits) - 1)
	e := code >> uint(f.MantBits)
	var v uint256.Int
	v.Mul(uint256.NewInt(m), &pow10[e])
	return &v, nil
}

// Split returns mantissa and exponent of a code.
func (f Float) Split(code uint64) (mant, exp uint64) {
	return code & (1<<uint(f.MantBits) - 1), code >> uint(f.MantBits)
}

// PackAmountFee packs two codes into the 6-byte pubdata field:
// amount code (37 bits) then fee code (11 bits), big-endian.
func PackAmountFee(amountCode, feeCode uint64) [AmountFeeBytes]byte {
	amountCode &= 1<<uint(AmountFloat.Bits()) - 1
	feeCode &= 1<<uint(FeeFloat.Bits()) - 1
	x := amountCode<<uint(FeeFloat.Bits()) | feeCode
	var b [AmountFeeBytes]byte
	for i := AmountFeeBytes - 1; i >= 0; i-- {
		b[i] = byte(x)
		x >>= 8
	}
	return b
}

// UnpackAmountFee is the inverse of PackAmountFee.
func UnpackAmountFee(b []byte) (amountCode, feeCode uint64) {
	var x uint64
	for _, c := range b[:AmountFeeBytes] {
		x = x<<8 | uint64(c)
	}
	return x >> uint(FeeFloat.Bits()), x & (1<<uint(FeeFloat.Bits()) - 1)
}
