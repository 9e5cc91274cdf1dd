package sequencer

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
)

// TestAPIBadInput drives the real API over HTTP into a real sequencer and
// PostgreSQL: every bad request gets its JSON-RPC error and nothing changes.
func TestAPIBadInput(t *testing.T) {
	e := newEnv(t, 3)
	s := e.start(testConfig())
	e.fund(s, 1000)
	cfg := api.DefaultConfig
	cfg.MaxBodyBytes = 8 << 10
	srv, err := api.NewServer(cfg, s, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	chain := s.ChainInfo()
	sign := func(from, to uint32, amount, fee uint64, nonce uint32, key int) api.SendArgs {
		a, err := client.SignTransfer(e.keys[key], chain, from, to, uint256.NewInt(amount), uint256.NewInt(fee), nonce)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	send := func(args api.SendArgs) string {
		b, _ := json.Marshal(args)
		return `{"jsonrpc":"2.0","id":1,"method":"sheaf_sendTransaction","params":[` + string(b) + `]}`
	}
	valid := sign(2, 3, 10, 1, 0, 1)
	withField := func(k, v string) string {
		var m map[string]any
		b, _ := json.Marshal(valid)
		json.Unmarshal(b, &m)
		var x any
		json.Unmarshal([]byte(v), &x)
		m[k] = x
		b, _ = json.Marshal(m)
		return `{"jsonrpc":"2.0","id":1,"method":"sheaf_sendTransaction","params":[` + string(b) + `]}`
	}
	badSig := sign(2, 3, 10, 1, 0, 0) // signed by account 1's key
	cases := []struct {
		name string
		body string
		code int
	}{
		{"malformed JSON", `{"jsonrpc":"2.0","id":1,"method":"sheaf_sendTransaction","params":[{`, -32700},
		{"not JSON-RPC", `{"hello":"world"}`, -32600},
		{"unknown method", `{"jsonrpc":"2.0","id":1,"method":"sheaf_mint","params":[]}`, -32601},
		{"from as a string", withField("from", `"2"`), -32602},
		{"amount as a number", withField("amount", `10`), -32602},
		{"amount 2^128", withField("amount", `"340282366920938463463374607431768211456"`), -38018},
		{"amount in hex", withField("amount", `"0x10"`), -32602},
		{"negative fee", withField("fee", `"-1"`), -32602},
		{"short signature", withField("signature", `"0x1234"`), -32602},
		{"bad signature", send(badSig), -38010},
		{"future nonce", send(sign(2, 3, 10, 1, 5, 1)), -38012},
		{"overdraft", send(sign(2, 3, 1000, 1, 0, 1)), -38013},
		{"unknown recipient", send(sign(2, 77, 10, 1, 0, 1)), -38015},
		{"unknown sender", withField("from", `50`), -38015},
		{"oversized body", `{"jsonrpc":"2.0","id":1,"method":"sheaf_chainId","params":["` + strings.Repeat("a", 9<<10) + `"]}`, -32600},
	}
	before, _ := s.Account(context.Background(), 2)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Post(hs.URL, "application/json", bytes.NewBufferString(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			var out struct {
				Error *struct {
					Code    int    `json:"code"`
					Message string `json:"message"`
				} `json:"error"`
			}
			if err := json.Unmarshal(raw, &out); err != nil || out.Error == nil {
				t.Fatalf("no JSON-RPC error in %q", raw)
			}
			if out.Error.Code != tc.code || out.Error.Message == "" {
				t.Fatalf("got code %d %q, want %d", out.Error.Code, out.Error.Message, tc.code)
			}
		})
	}
	if after, _ := s.Account(context.Background(), 2); after.Pending != before.Pending {
		t.Fatalf("pending state changed: %+v -> %+v", before.Pending, after.Pending)
	}
	if n := e.count(`SELECT count(*) FROM transactions`); n != 0 {
		t.Fatalf("%d rows after only bad requests", n)
	}

	// The valid one goes through, a replay of it is idempotent, and a
	// subscriber sees its batch and its status over WebSocket.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ws, err := client.Dial(ctx, "ws"+strings.TrimPrefix(hs.URL, "http"))
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	hash, err := ws.SendTransaction(ctx, valid)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := ws.SendTransaction(ctx, valid); err != nil || again != hash {
		t.Fatalf("replay of an accepted transaction: %s, %v", again, err)
	}
	batches := make(chan api.BatchInfo, 4)
	subB, err := ws.SubscribeBatches(ctx, batches)
	if err != nil {
		t.Fatal(err)
	}
	defer subB.Unsubscribe()
	statuses := make(chan api.TxInfo, 4)
	subT, err := ws.SubscribeTransaction(ctx, hash, statuses)
	if err != nil {
		t.Fatal(err)
	}
	defer subT.Unsubscribe()
	if first := <-statuses; first.Status != api.StatusPending {
		t.Fatalf("first status %q, want pending", first.Status)
	}
	if err := s.SealNow(ctx); err != nil {
		t.Fatal(err)
	}
	for found := false; !found; { // a deposits-only batch may come first
		select {
		case b := <-batches:
			found = len(b.Transactions) == 1 && b.Transactions[0] == hash
		case <-ctx.Done():
			t.Fatal("no batch event with the transaction")
		}
	}
	select {
	case st := <-statuses:
		if st.Status != api.StatusSealed {
			t.Fatalf("status %q, want sealed", st.Status)
		}
	case <-ctx.Done():
		t.Fatal("no status event")
	}
	if n := e.count(`SELECT count(*) FROM transactions`); n != 1 {
		t.Fatalf("%d rows, want 1", n)
	}
}
