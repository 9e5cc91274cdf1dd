package client

import (
	"context"
	"fmt"
	"math/big"
	"regexp"
	"strings"

	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/protocol"
)

// Amounts: what people type ("1.5 ETH", "1500 wei"), what the chain moves
// (wei), and what a short float can carry (docs/protocol.md, Short floats).

var weiPerEth = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)

var (
	ethRe = regexp.MustCompile(`^([0-9]+)(?:\.([0-9]{1,18}))?\s*eth$`)
	weiRe = regexp.MustCompile(`^([0-9]+)\s*(?:wei)?$`)
)

// ParseAmount reads "1.5 ETH", "1.5eth", "0.000000000000000001 ETH" (at
// most 18 decimals), "1500 wei" or a bare integer (wei) into wei. Bare
// decimals are refused as ambiguous.
func ParseAmount(s string) (*big.Int, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if m := ethRe.FindStringSubmatch(t); m != nil {
		v, _ := new(big.Int).SetString(m[1], 10)
		v.Mul(v, weiPerEth)
		frac, _ := new(big.Int).SetString(m[2]+strings.Repeat("0", 18-len(m[2])), 10)
		return v.Add(v, frac), nil
	}
	if m := weiRe.FindStringSubmatch(t); m != nil {
		v, _ := new(big.Int).SetString(m[1], 10)
		return v, nil
	}
	return nil, fmt.Errorf("amount %q: want e.g. \"1.5eth\" or \"1500000000000000000\" (wei)", s)
}

// FormatETH writes wei as ETH without losing digits ("1.5 ETH").
func FormatETH(wei *big.Int) string {
	q, r := new(big.Int).QuoRem(new(big.Int).Abs(wei), weiPerEth, new(big.Int))
	sign := ""
	if wei.Sign() < 0 {
		sign = "-"
	}
	frac := strings.TrimRight(fmt.Sprintf("%018s", r.String()), "0")
	if frac == "" {
		return sign + q.String() + " ETH"
	}
	return sign + q.String() + "." + frac + " ETH"
}

// L2Amount converts wei to an L2 amount (or fee) and refuses, before
// anything is signed, a value that is not below 2^128 or that the short
// float f cannot carry exactly; the error names the nearest values
// (api.Nearest). field names the value in the error.
func L2Amount(field string, f protocol.Float, wei *big.Int) (*uint256.Int, error) {
	if wei.Sign() < 0 {
		return nil, fmt.Errorf("%s: negative", field)
	}
	v, overflow := uint256.FromBig(wei)
	if overflow {
		return nil, fmt.Errorf("%s: %s is not below 2^128", field, wei)
	}
	return api.CheckAmount(field, f, api.DecimalOf(v))
}

// Nonces are an account's nonce to sign with next (the pending nonce:
// every accepted transaction counted) and how many of its transactions are
// accepted but not yet in a sealed batch.
type Nonces struct {
	Next     uint32
	InFlight uint32
}

// Nonces reads them for an account (docs/api.md, Nonce policy).
func (c *Client) Nonces(ctx context.Context, ref api.AccountRef) (Nonces, error) {
	a, err := c.GetAccount(ctx, ref)
	if err != nil {
		return Nonces{}, err
	}
	n := Nonces{Next: a.Pending.Nonce}
	if a.Pending.Nonce > a.Sealed.Nonce {
		n.InFlight = a.Pending.Nonce - a.Sealed.Nonce
	}
	return n, nil
}
