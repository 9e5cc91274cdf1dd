package protocol_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// witnessBatches are full batches of configurations with and without
// forced-exit slots (every kind of slot and proof in the format).
func witnessBatches(t *testing.T) []*protocol.Batch {
	t.Helper()
	var out []*protocol.Batch
	for _, cfg := range []protocol.Config{
		{Depth: 8, Deposits: 2, Transfers: 3, Withdrawals: 2},
		{Depth: 6, Deposits: 1, Transfers: 2, Withdrawals: 1, ForcedExits: 2},
		{Depth: 6, Deposits: 1, Transfers: 2, Withdrawals: 1, DA: protocol.DABlob},
	} {
		b, err := protocoltest.FullBatch(cfg)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// TestWitnessBinaryRoundTrip: decoding the binary form gives the same
// batch (compared through its JSON, the old stored form), and the JSON
// rows older sequencers wrote still decode.
func TestWitnessBinaryRoundTrip(t *testing.T) {
	for _, b := range witnessBatches(t) {
		want := mustJSON(t, b)
		enc := protocol.EncodeWitness(b)
		if !bytes.HasPrefix(enc, []byte("SHWT\x02")) {
			t.Fatalf("no magic and version: % x", enc[:5])
		}
		got, err := protocol.DecodeWitness(enc)
		if err != nil {
			t.Fatal(err)
		}
		if g := mustJSON(t, got); !bytes.Equal(g, want) {
			t.Fatalf("binary round trip differs:\n got %s\nwant %s", g, want)
		}
		if got.Config != b.Config || got.PublicInput() != b.PublicInput() {
			t.Fatalf("configuration %s (want %s) or public input differs", got.Config, b.Config)
		}
		if len(enc)*2 > len(want) {
			t.Errorf("binary witness is %d bytes, JSON %d: expected at least 2× smaller", len(enc), len(want))
		}
		legacy, err := protocol.DecodeWitness(want)
		if err != nil {
			t.Fatalf("legacy JSON witness: %v", err)
		}
		if g := mustJSON(t, legacy); !bytes.Equal(g, want) {
			t.Fatal("legacy JSON witness decodes differently")
		}
	}
}

// TestWitnessBinaryRejects: unknown versions, wrong magic, every truncation,
// trailing bytes, non-canonical field elements and oversized lengths are
// errors, never a wrong batch or a panic.
func TestWitnessBinaryRejects(t *testing.T) {
	b := witnessBatches(t)[1]
	enc := protocol.EncodeWitness(b)
	bad := func(name string, data []byte) {
		t.Helper()
		if _, err := protocol.DecodeWitness(data); !errors.Is(err, protocol.ErrBadWitness) {
			t.Errorf("%s: err = %v, want ErrBadWitness", name, err)
		}
	}
	for _, v := range []byte{0, 3, 255} {
		d := bytes.Clone(enc)
		d[4] = v
		bad("version", d)
	}
	d := bytes.Clone(enc)
	d[0] = 'X'
	bad("magic", d)
	bad("empty", nil)
	bad("bad JSON", []byte(`{"Config":`))
	for n := 0; n < len(enc); n++ {
		bad("truncated", enc[:n])
	}
	bad("trailing", append(bytes.Clone(enc), 0))
	// The DA mode byte (after magic, version and five one-byte config
	// varints) beyond blob.
	d = bytes.Clone(enc)
	d[5+5] = 3
	bad("unknown DA mode", d)
	// The old root (after magic, version, five one-byte config varints, the
	// DA mode, chain id, contract and number) set to the modulus or above.
	d = bytes.Clone(enc)
	off := 5 + 5 + 1 + 8 + 20 + 8
	for i := range 32 {
		d[off+i] = 0xff
	}
	bad("non-canonical field element", d)
	// The deposit count (after the header) larger than the slots.
	d = bytes.Clone(enc)
	h := off + 32 + 32 + 8 + 2 + 4 + 4 + 1 + 2 + 32
	if d[h] != byte(len(b.Deposits)) {
		t.Fatalf("layout changed: byte %d is %d, want the deposit count %d", h, d[h], len(b.Deposits))
	}
	d[h] = 100
	bad("count beyond slots", d)
}

// TestWitnessVersion1: a version-1 witness (rows written before the DA
// mode byte) still decodes, with the mode unset.
func TestWitnessVersion1(t *testing.T) {
	for _, b := range witnessBatches(t) {
		enc := protocol.EncodeWitness(b)
		v1 := append([]byte("SHWT\x01"), enc[5:10]...) // magic, version, the five sizes
		v1 = append(v1, enc[11:]...)                   // without the DA byte
		got, err := protocol.DecodeWitness(v1)
		if err != nil {
			t.Fatal(err)
		}
		want := b.Config
		want.DA = ""
		if got.Config != want || !bytes.Equal(mustJSON(t, got.Header), mustJSON(t, b.Header)) || !bytes.Equal(got.Pubdata, b.Pubdata) {
			t.Fatalf("version 1: config %s (want %s), header or pubdata differ", got.Config, want)
		}
	}
}

func BenchmarkWitnessEncode(b *testing.B) {
	bt, err := protocoltest.FullBatch(protocol.Config{Depth: 24, Deposits: 4, Transfers: 32, Withdrawals: 4})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("binary", func(b *testing.B) {
		for b.Loop() {
			protocol.EncodeWitness(bt)
		}
	})
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			_, _ = json.Marshal(bt)
		}
	})
}
