package client_test

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/protocol"
)

func TestParseAndFormatAmounts(t *testing.T) {
	ok := map[string]string{
		"1.5eth": "1500000000000000000", "1.5 ETH": "1500000000000000000", " 2 eth ": "2000000000000000000",
		"0.000000000000000001eth": "1", "1500 wei": "1500", "1500": "1500", "0": "0",
	}
	for in, want := range ok {
		v, err := client.ParseAmount(in)
		if err != nil || v.String() != want {
			t.Errorf("%q: %v %v, want %s", in, v, err, want)
		}
	}
	for _, in := range []string{"1.5", "-1eth", "1e18", "1,5eth", "0.0000000000000000001eth", "eth", "0x10", "1.5 gwei"} {
		if _, err := client.ParseAmount(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	for wei, want := range map[string]string{"1500000000000000000": "1.5 ETH", "1": "0.000000000000000001 ETH", "3000000000000000000": "3 ETH", "0": "0 ETH"} {
		v, _ := new(big.Int).SetString(wei, 10)
		if got := client.FormatETH(v); got != want {
			t.Errorf("%s: %s, want %s", wei, got, want)
		}
	}
}

func TestL2Amount(t *testing.T) {
	if v, err := client.L2Amount("amount", protocol.AmountFloat, big.NewInt(1_500_000)); err != nil || v.Uint64() != 1_500_000 {
		t.Fatal(v, err)
	}
	_, err := client.L2Amount("amount", protocol.AmountFloat, big.NewInt(4294967297))
	if !errors.Is(err, protocol.ErrNotEncodable) || !strings.Contains(err.Error(), "4294967295 and 4294967300") {
		t.Fatalf("not encodable: %v", err)
	}
	if _, err := client.L2Amount("fee", protocol.FeeFloat, big.NewInt(65)); err == nil || !strings.Contains(err.Error(), "63 and 70") {
		t.Fatalf("fee: %v", err)
	}
	if _, err := client.L2Amount("amount", protocol.AmountFloat, new(big.Int).Lsh(big.NewInt(1), 128)); err == nil {
		t.Fatal("2^128 accepted")
	}
	if _, err := client.L2Amount("amount", protocol.AmountFloat, big.NewInt(-1)); err == nil {
		t.Fatal("negative accepted")
	}
}

// Nonces counts the accepted, unsealed transactions.
func TestNonces(t *testing.T) {
	e := newEnv(t)
	b, c, chain, ctx := e.b, e.http, e.chain, e.ctx
	for i := range 2 {
		args, err := client.SignTransfer(b.Keys()[0], chain, 1, 2, u(100), u(10), uint32(i))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.SendTransaction(ctx, args); err != nil {
			t.Fatal(err)
		}
	}
	n, err := c.Nonces(ctx, api.AccountByIndex(1))
	if err != nil || n.Next != 2 || n.InFlight != 2 {
		t.Fatalf("%+v %v", n, err)
	}
	b.Seal()
	if n, _ := c.Nonces(ctx, api.AccountByIndex(1)); n.Next != 2 || n.InFlight != 0 {
		t.Fatalf("after sealing: %+v", n)
	}
}
