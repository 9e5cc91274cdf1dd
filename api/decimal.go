package api

import (
	"fmt"

	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/protocol"
)

// maxDecimalDigits is the length of 2^128 - 1 in decimal (39 digits).
const maxDecimalDigits = 39

// DecimalOf formats v as a Decimal.
func DecimalOf(v *uint256.Int) Decimal { return Decimal(v.Dec()) }

// Int parses a canonical decimal below 2^128: ASCII digits only, no sign,
// no leading zeros (except "0" itself), no spaces, no exponent, no hex.
// Syntax errors wrap ErrInvalidParams; values of 2^128 and above wrap
// protocol.ErrAmountTooLarge.
func (d Decimal) Int() (*uint256.Int, error) {
	s := string(d)
	if s == "" {
		return nil, wrapf(ErrInvalidParams, "empty string, want a decimal integer")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return nil, wrapf(ErrInvalidParams, "%q is not a canonical decimal integer (digits only: no sign, exponent, decimal point, hex prefix or spaces)", truncate(s))
		}
	}
	if len(s) > 1 && s[0] == '0' {
		return nil, wrapf(ErrInvalidParams, "%q has leading zeros", truncate(s))
	}
	if len(s) > maxDecimalDigits {
		return nil, wrapf(protocol.ErrAmountTooLarge, "a %d-digit value is not below 2^128", len(s))
	}
	v, err := uint256.FromDecimal(s)
	if err != nil { // unreachable: 39 digits always fit 256 bits
		return nil, wrapf(ErrInvalidParams, "%v", err)
	}
	if !v.Lt(protocol.MaxBalance) {
		return nil, wrapf(protocol.ErrAmountTooLarge, "%s is not below 2^128", s)
	}
	return v, nil
}

// wrapped is an error with its own message that still matches a sentinel.
type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }

func wrapf(sentinel error, format string, args ...any) error {
	return &wrapped{msg: fmt.Sprintf(format, args...), err: sentinel}
}

func truncate(s string) string {
	if len(s) > 48 {
		return s[:45] + "..."
	}
	return s
}

// Nearest returns the largest value ≤ v and the smallest value ≥ v that f
// encodes exactly (below 2^128); ok is false for a bound that does not exist.
// Wallets use it to suggest an amount or fee when v is not encodable.
func Nearest(f protocol.Float, v *uint256.Int) (lo, hi *uint256.Int, okLo, okHi bool) {
	maxMant := uint256.NewInt(uint64(1)<<uint(f.MantBits) - 1)
	pow := uint256.NewInt(1)
	ten := uint256.NewInt(10)
	for e := 0; e < 1<<uint(f.ExpBits); e++ {
		var q, r, c uint256.Int
		q.DivMod(v, pow, &r)
		// Largest value ≤ v with this exponent.
		m := &q
		if q.Gt(maxMant) {
			m = maxMant
		}
		c.Mul(m, pow)
		if c.Lt(protocol.MaxBalance) && (!okLo || c.Gt(lo)) {
			lo, okLo = new(uint256.Int).Set(&c), true
		}
		// Smallest value ≥ v with this exponent.
		if !r.IsZero() {
			q.AddUint64(&q, 1)
		}
		if !q.Gt(maxMant) {
			c.Mul(&q, pow)
			if c.Lt(protocol.MaxBalance) && (!okHi || c.Lt(hi)) {
				hi, okHi = new(uint256.Int).Set(&c), true
			}
		}
		pow = new(uint256.Int).Mul(pow, ten)
	}
	return lo, hi, okLo, okHi
}

// checkEncodable returns a not-encodable error naming field and the nearest
// encodable values, or nil when v is exact in f.
func checkEncodable(field string, f protocol.Float, v *uint256.Int) *Error {
	if _, err := f.Encode(v); err == nil {
		return nil
	}
	msg := fmt.Sprintf("%s: %s is not exactly representable as a short float (mantissa %d bits, exponent %d bits)",
		field, v.Dec(), f.MantBits, f.ExpBits)
	lo, hi, okLo, okHi := Nearest(f, v)
	switch {
	case okLo && okHi:
		msg += fmt.Sprintf("; nearest encodable values are %s and %s", lo.Dec(), hi.Dec())
	case okLo:
		msg += fmt.Sprintf("; nearest encodable value is %s", lo.Dec())
	case okHi:
		msg += fmt.Sprintf("; nearest encodable value is %s", hi.Dec())
	}
	return &Error{Code: CodeNotEncodable, Reason: CodeNotEncodable.Reason(), Field: field, Message: msg, cause: protocol.ErrNotEncodable}
}

// CheckAmount parses and checks an amount or fee the way the server does:
// canonical decimal, below 2^128, exactly encodable in f. field names the
// parameter in the error.
func CheckAmount(field string, f protocol.Float, d Decimal) (*uint256.Int, error) {
	v, err := d.Int()
	if err != nil {
		return nil, fieldError(field, err)
	}
	if e := checkEncodable(field, f, v); e != nil {
		return nil, e
	}
	return v, nil
}
