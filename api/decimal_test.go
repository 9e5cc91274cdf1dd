package api_test

import (
	"errors"
	"testing"

	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/protocol"
)

func TestDecimalInt(t *testing.T) {
	good := map[string]string{"0": "0", "7": "7", "1000": "1000",
		"340282366920938463463374607431768211455": "340282366920938463463374607431768211455"}
	for in, want := range good {
		v, err := api.Decimal(in).Int()
		if err != nil || v.Dec() != want {
			t.Errorf("%q: %v %v", in, v, err)
		}
	}
	bad := map[string]error{
		"": api.ErrInvalidParams, "-1": api.ErrInvalidParams, "+1": api.ErrInvalidParams, "1e3": api.ErrInvalidParams,
		"0x10": api.ErrInvalidParams, "01": api.ErrInvalidParams, "00": api.ErrInvalidParams, " 1": api.ErrInvalidParams,
		"1 ": api.ErrInvalidParams, "1.0": api.ErrInvalidParams, "１": api.ErrInvalidParams, "1_000": api.ErrInvalidParams,
		"340282366920938463463374607431768211456":  protocol.ErrAmountTooLarge,
		"9999999999999999999999999999999999999999": protocol.ErrAmountTooLarge,
	}
	for in, want := range bad {
		if _, err := api.Decimal(in).Int(); !errors.Is(err, want) {
			t.Errorf("%q: %v, want %v", in, err, want)
		}
	}
}

// TestNearest compares Nearest with a brute-force search on small formats.
func TestNearest(t *testing.T) {
	for _, f := range []protocol.Float{{MantBits: 3, ExpBits: 2}, {MantBits: 6, ExpBits: 2}, {MantBits: 4, ExpBits: 3}} {
		var encodable []uint64
		for v := uint64(0); v < 200_000; v++ {
			if _, err := f.Encode(uint256.NewInt(v)); err == nil {
				encodable = append(encodable, v)
			}
		}
		for v := uint64(0); v < 200_000; v += 7 {
			lo, hi, okLo, okHi := api.Nearest(f, uint256.NewInt(v))
			var wantLo, wantHi uint64
			haveLo, haveHi := false, false
			for _, e := range encodable {
				if e <= v {
					wantLo, haveLo = e, true
				}
				if e >= v && !haveHi {
					wantHi, haveHi = e, true
				}
			}
			if okLo != haveLo || (okLo && lo.Uint64() != wantLo) {
				t.Fatalf("%+v %d: lo %v %v, want %d %v", f, v, lo, okLo, wantLo, haveLo)
			}
			// Values beyond the brute-force range have no upper bound found.
			if haveHi && (!okHi || hi.Uint64() != wantHi) {
				t.Fatalf("%+v %d: hi %v %v, want %d", f, v, hi, okHi, wantHi)
			}
		}
	}
	lo, hi, _, _ := api.Nearest(protocol.AmountFloat, uint256.NewInt(4294967297))
	if lo.Uint64() != 4294967295 || hi.Uint64() != 4294967300 {
		t.Fatalf("%v %v", lo, hi)
	}
}
