package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/holiman/uint256"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/apitest"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/smt"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type env struct {
	b    *apitest.Backend
	srv  *api.Server
	ts   *httptest.Server
	reg  *prometheus.Registry
	logs *syncBuffer
}

func testConfig() api.Config {
	cfg := api.DefaultConfig
	cfg.HTTPAddr = "127.0.0.1:0"
	cfg.MaxBodyBytes = 16 << 10
	cfg.MaxBatchItems = 5
	return cfg
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{b: apitest.New(4, 1_000_000), reg: prometheus.NewRegistry(), logs: &syncBuffer{}}
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := api.NewServer(testConfig(), e.b, log, e.reg)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	e.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		e.ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return e
}

type rpcError struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

type rpcResponse struct {
	Version string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  json.RawMessage `json:"result"`
	Error   *rpcError       `json:"error"`
}

// post sends a raw body and decodes one response or the first of a batch.
func post(t *testing.T, url string, body []byte) (int, rpcResponse) {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out rpcResponse
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		var batch []rpcResponse
		if err := json.Unmarshal(raw, &batch); err != nil || len(batch) == 0 {
			t.Fatalf("bad batch response %q: %v", raw, err)
		}
		out = batch[0]
	} else if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("status %d, non-JSON response %q: %v", resp.StatusCode, raw, err)
	}
	return resp.StatusCode, out
}

func call(method string, params ...any) []byte {
	if params == nil {
		params = []any{}
	}
	b, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	if err != nil {
		panic(err)
	}
	return b
}

// tx returns a signed transfer 1 → 2 as a JSON object, changed by edit.
func (e *env) tx(t *testing.T, nonce uint32, amount, fee uint64, edit func(m map[string]any)) map[string]any {
	t.Helper()
	chain := e.b.ChainInfo()
	args, err := client.SignTransfer(e.b.Keys()[0], chain, 1, 2, uint256.NewInt(amount), uint256.NewInt(fee), nonce)
	if err != nil {
		t.Fatal(err)
	}
	return toMap(t, args, edit)
}

func (e *env) withdrawal(t *testing.T, edit func(m map[string]any)) map[string]any {
	t.Helper()
	args, err := client.SignWithdrawal(e.b.Keys()[0], e.b.ChainInfo(), 1, common.Address{0xaa}, uint256.NewInt(1000), uint256.NewInt(100), 1)
	if err != nil {
		t.Fatal(err)
	}
	return toMap(t, args, edit)
}

func toMap(t *testing.T, v any, edit func(m map[string]any)) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(m)
	}
	return m
}

// signAs signs a transfer with an arbitrary key (bypassing the client's
// wire checks), for rule errors that come from the backend.
func (e *env) signAs(t *testing.T, k protocol.PrivateKey, from, to uint32, amount, fee uint64, nonce uint32) map[string]any {
	t.Helper()
	ds := protocol.DomainState(uint64(e.b.ChainInfo().ChainID), e.b.ChainInfo().Contract)
	tr := &protocol.Transfer{From: from, To: to, Amount: *uint256.NewInt(amount), Fee: *uint256.NewInt(fee), Nonce: nonce}
	if err := tr.Sign(k, ds); err != nil {
		t.Fatal(err)
	}
	sig := tr.Sig.Bytes()
	return map[string]any{"kind": "transfer", "from": from, "to": to, "amount": fmt.Sprint(amount), "fee": fmt.Sprint(fee),
		"nonce": nonce, "signature": hexutil.Encode(sig[:])}
}

func set(k string, v any) func(map[string]any) { return func(m map[string]any) { m[k] = v } }
func del(k string) func(map[string]any)        { return func(m map[string]any) { delete(m, k) } }

func TestBadInputOverHTTP(t *testing.T) {
	e := newEnv(t)
	// One accepted transfer first: account 1 is at nonce 1.
	if code, r := post(t, e.ts.URL, call("sheaf_sendTransaction", e.tx(t, 0, 1000, 10, nil))); code != 200 || r.Error != nil {
		t.Fatalf("setup send: %d %+v", code, r.Error)
	}
	e.b.Seal()
	sends := e.b.Sends()
	snap := e.b.Snapshot()
	keys := e.b.Keys()
	sigHex := func(n int, b byte) string { return hexutil.Encode(bytes.Repeat([]byte{b}, n)) }
	bigBody := call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("memo", strings.Repeat("x", 20<<10))))
	var batch []json.RawMessage
	for range 6 {
		batch = append(batch, call("sheaf_chainId"))
	}
	tooMany, _ := json.Marshal(batch)
	notOnCurve := make([]byte, 32)
	notOnCurve[31] = 5

	cases := []struct {
		name     string
		body     []byte
		code     api.Code
		http     int
		reason   string // expected data.reason ("" : none checked)
		field    string
		notInMsg string
		quiet    bool // the message need not name field (it names the account or the argument position)
	}{
		{name: "malformed JSON", body: []byte(`{"jsonrpc":"2.0","id":1,"method":`), code: api.CodeParseError, reason: "parse_error"},
		{name: "not an object", body: []byte(`"hello"`), code: api.CodeInvalidRequest, reason: "invalid_request"},
		{name: "wrong version", body: []byte(`{"jsonrpc":"1.0","id":1,"method":"sheaf_chainId","params":[]}`), code: api.CodeInvalidRequest, reason: "invalid_request"},
		{name: "no method", body: []byte(`{"jsonrpc":"2.0","id":1,"params":[]}`), code: api.CodeInvalidRequest, reason: "invalid_request"},
		{name: "empty batch", body: []byte(`[]`), code: api.CodeInvalidRequest, reason: "invalid_request"},
		{name: "params not an array", body: []byte(`{"jsonrpc":"2.0","id":1,"method":"sheaf_getBatch","params":{"number":1}}`), code: api.CodeInvalidParams, reason: "invalid_params"},
		{name: "unknown method", body: call("sheaf_nope"), code: api.CodeMethodNotFound, reason: "method_not_found"},
		{name: "other namespace", body: call("eth_blockNumber"), code: api.CodeMethodNotFound, reason: "method_not_found"},
		{name: "subscribe over HTTP", body: call("sheaf_subscribe", "newBatches"), code: api.CodeMethodNotFound, reason: "method_not_found"},
		{name: "no params", body: call("sheaf_sendTransaction"), code: api.CodeInvalidParams, reason: "invalid_params", field: "transaction", quiet: true},
		{name: "params not an object", body: call("sheaf_sendTransaction", "0x00"), code: api.CodeInvalidParams, field: "transaction"},
		{name: "from as string", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("from", "1"))), code: api.CodeInvalidParams, reason: "invalid_params", field: "from"},
		{name: "from negative", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("from", -1))), code: api.CodeInvalidParams, field: "from"},
		{name: "from too big", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("from", 1<<32))), code: api.CodeInvalidParams, field: "from"},
		{name: "nonce fractional", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("nonce", 1.5))), code: api.CodeInvalidParams, field: "nonce"},
		{name: "amount as number", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("amount", 1000))), code: api.CodeInvalidParams, field: "amount"},
		{name: "amount 1e3", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("amount", "1e3"))), code: api.CodeInvalidParams, reason: "invalid_params", field: "amount"},
		{name: "amount -1", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("amount", "-1"))), code: api.CodeInvalidParams, reason: "invalid_params", field: "amount"},
		{name: "amount +1", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("amount", "+1"))), code: api.CodeInvalidParams, field: "amount"},
		{name: "amount hex", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("amount", "0x10"))), code: api.CodeInvalidParams, field: "amount"},
		{name: "amount leading zero", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("amount", "01000"))), code: api.CodeInvalidParams, field: "amount"},
		{name: "amount spaces", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("amount", " 1000"))), code: api.CodeInvalidParams, field: "amount"},
		{name: "amount empty", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("amount", ""))), code: api.CodeInvalidParams, field: "amount"},
		{name: "amount decimal point", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("amount", "1000.0"))), code: api.CodeInvalidParams, field: "amount"},
		{name: "amount 2^128", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("amount", "340282366920938463463374607431768211456"))), code: api.CodeAmountTooLarge, reason: "amount_too_large", field: "amount"},
		{name: "amount 100 digits", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("amount", "1"+strings.Repeat("0", 99)))), code: api.CodeAmountTooLarge, field: "amount"},
		{name: "fee 2^128", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("fee", "340282366920938463463374607431768211456"))), code: api.CodeAmountTooLarge, field: "fee"},
		{name: "fee non-decimal", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("fee", "ten"))), code: api.CodeInvalidParams, field: "fee"},
		{name: "missing signature", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, del("signature"))), code: api.CodeInvalidParams, field: "signature"},
		{name: "missing nonce", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, del("nonce"))), code: api.CodeInvalidParams, field: "nonce"},
		{name: "null amount", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("amount", nil))), code: api.CodeInvalidParams, field: "amount"},
		{name: "missing kind", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, del("kind"))), code: api.CodeInvalidParams, field: "kind"},
		{name: "unknown field", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("memo", "hi"))), code: api.CodeInvalidParams, reason: "invalid_params", field: "memo"},
		{name: "transfer without to", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, del("to"))), code: api.CodeInvalidParams, field: "to"},
		{name: "both to and l1Address", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("l1Address", "0x00000000000000000000000000000000000000aa"))), code: api.CodeInvalidParams, field: "l1Address"},
		{name: "withdrawal with to", body: call("sheaf_sendTransaction", e.withdrawal(t, set("to", 2))), code: api.CodeInvalidParams, field: "to"},
		{name: "withdrawal without l1Address", body: call("sheaf_sendTransaction", e.withdrawal(t, del("l1Address"))), code: api.CodeInvalidParams, field: "l1Address"},
		{name: "withdrawal to zero address", body: call("sheaf_sendTransaction", e.withdrawal(t, set("l1Address", "0x0000000000000000000000000000000000000000"))), code: api.CodeInvalidParams, field: "l1Address"},
		{name: "l1Address short", body: call("sheaf_sendTransaction", e.withdrawal(t, set("l1Address", "0xaa"))), code: api.CodeInvalidParams, field: "l1Address"},
		{name: "bad kind", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("kind", "deposit"))), code: api.CodeInvalidParams, field: "kind"},
		{name: "kind wrong case", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("kind", "Transfer"))), code: api.CodeInvalidParams, field: "kind"},
		{name: "short signature", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("signature", sigHex(63, 1)))), code: api.CodeInvalidParams, field: "signature"},
		{name: "long signature", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("signature", sigHex(65, 1)))), code: api.CodeInvalidParams, field: "signature"},
		{name: "signature not hex", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("signature", "0xzz"))), code: api.CodeInvalidParams, field: "signature"},
		{name: "signature without 0x", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("signature", strings.Repeat("11", 64)))), code: api.CodeInvalidParams, field: "signature"},
		{name: "garbage signature", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("signature", sigHex(64, 0xff)))), code: api.CodeBadSignature, reason: "bad_signature", field: "signature"},
		{name: "wrong signer", body: call("sheaf_sendTransaction", e.signAs(t, keys[1], 1, 2, 1000, 10, 1)), code: api.CodeBadSignature, reason: "bad_signature"},
		{name: "signature over other amount", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 10, set("amount", "2000"))), code: api.CodeBadSignature},
		{name: "replayed nonce", body: call("sheaf_sendTransaction", e.tx(t, 0, 2000, 10, nil)), code: api.CodeWrongNonce, reason: "wrong_nonce", field: "nonce"},
		{name: "future nonce", body: call("sheaf_sendTransaction", e.tx(t, 5, 1000, 10, nil)), code: api.CodeNonceTooHigh, reason: "nonce_too_high", field: "nonce"},
		{name: "overdraft", body: call("sheaf_sendTransaction", e.tx(t, 1, 999_000, 10, nil)), code: api.CodeInsufficientFunds, reason: "insufficient_balance", field: "amount", quiet: true},
		{name: "overdraft by the fee", body: call("sheaf_sendTransaction", e.tx(t, 1, 999_000, 1000, nil)), code: api.CodeInsufficientFunds},
		{name: "unknown sender", body: call("sheaf_sendTransaction", e.signAs(t, keys[0], 99, 2, 1000, 10, 0)), code: api.CodeUnknownAccount, reason: "unknown_account", field: "from", quiet: true},
		{name: "unknown recipient", body: call("sheaf_sendTransaction", e.signAs(t, keys[0], 1, 99, 1000, 10, 1)), code: api.CodeUnknownAccount, reason: "unknown_account", field: "to", quiet: true},
		{name: "reserved sender", body: call("sheaf_sendTransaction", e.signAs(t, keys[0], 0, 2, 1000, 10, 0)), code: api.CodeReservedAccount, reason: "reserved_account", field: "from"},
		{name: "reserved recipient", body: call("sheaf_sendTransaction", e.signAs(t, keys[0], 1, 0, 1000, 10, 1)), code: api.CodeReservedAccount, field: "to"},
		{name: "unencodable amount", body: call("sheaf_sendTransaction", e.signAs(t, keys[0], 1, 2, 4294967297, 10, 1)), code: api.CodeNotEncodable, reason: "not_encodable", field: "amount"},
		{name: "unencodable fee", body: call("sheaf_sendTransaction", e.signAs(t, keys[0], 1, 2, 1000, 65, 1)), code: api.CodeNotEncodable, reason: "not_encodable", field: "fee"},
		{name: "fee below minimum", body: call("sheaf_sendTransaction", e.tx(t, 1, 1000, 1, nil)), code: api.CodeFeeTooLow, reason: "fee_too_low", field: "fee"},
		{name: "oversized body", body: bigBody, code: api.CodeInvalidRequest, http: http.StatusRequestEntityTooLarge, reason: "request_too_large"},
		{name: "too many batch items", body: tooMany, code: api.CodeInvalidRequest, reason: "invalid_request"},
		{name: "getTransaction bad hash", body: call("sheaf_getTransaction", "0x1234"), code: api.CodeInvalidParams, reason: "invalid_params", field: "hash", quiet: true},
		{name: "getTransaction unknown", body: call("sheaf_getTransaction", common.Hash{1}), code: api.CodeNotFound, reason: "not_found"},
		{name: "getAccount bool", body: call("sheaf_getAccount", true), code: api.CodeInvalidParams, field: "account"},
		{name: "getAccount short key", body: call("sheaf_getAccount", hexutil.Encode(make([]byte, 31))), code: api.CodeInvalidParams, field: "account"},
		{name: "getAccount key off curve", body: call("sheaf_getAccount", hexutil.Encode(notOnCurve)), code: api.CodeBadPublicKey, reason: "bad_public_key", field: "account"},
		{name: "getAccount unknown", body: call("sheaf_getAccount", 77), code: api.CodeNotFound},
		{name: "getAccount 0", body: call("sheaf_getAccount", 0), code: api.CodeReservedAccount},
		{name: "getAccountProof future batch", body: call("sheaf_getAccountProof", 1, 9), code: api.CodeNotFound},
		{name: "getBatch 0", body: call("sheaf_getBatch", 0), code: api.CodeNotFound},
		{name: "getBatch string", body: call("sheaf_getBatch", "one"), code: api.CodeInvalidParams, field: "number", quiet: true},
		{name: "estimateFee bad kind", body: call("sheaf_estimateFee", "deposit"), code: api.CodeInvalidParams, field: "kind"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, r := post(t, e.ts.URL, c.body)
			want := c.http
			if want == 0 {
				want = http.StatusOK
			}
			if status != want {
				t.Errorf("HTTP status %d, want %d", status, want)
			}
			if r.Error == nil {
				t.Fatalf("no error; result %s", r.Result)
			}
			t.Logf("%d %s %s", r.Error.Code, r.Error.Message, r.Error.Data)
			if r.Error.Code != int(c.code) {
				t.Errorf("code %d (%s), want %d", r.Error.Code, r.Error.Message, c.code)
			}
			if strings.TrimSpace(r.Error.Message) == "" {
				t.Error("empty message")
			}
			if c.reason != "" || c.field != "" {
				var d api.ErrorData
				if err := json.Unmarshal(r.Error.Data, &d); err != nil {
					t.Fatalf("data %s: %v", r.Error.Data, err)
				}
				if c.reason != "" && d.Reason != c.reason {
					t.Errorf("reason %q, want %q", d.Reason, c.reason)
				}
				if c.field != "" && d.Field != c.field {
					t.Errorf("field %q, want %q (%s)", d.Field, c.field, r.Error.Message)
				}
			}
			if c.field != "" && !c.quiet && !strings.Contains(r.Error.Message, c.field) {
				t.Errorf("message %q does not name %s", r.Error.Message, c.field)
			}
			if e.b.Sends() != sends || e.b.Snapshot() != snap {
				t.Fatal("backend state changed")
			}
		})
	}
}

func TestNotEncodableSuggestsNearest(t *testing.T) {
	e := newEnv(t)
	_, r := post(t, e.ts.URL, call("sheaf_sendTransaction", e.signAs(t, e.b.Keys()[0], 1, 2, 4294967297, 10, 0)))
	if r.Error == nil || !strings.Contains(r.Error.Message, "4294967295 and 4294967300") {
		t.Fatalf("got %+v", r.Error)
	}
	_, r = post(t, e.ts.URL, call("sheaf_sendTransaction", e.signAs(t, e.b.Keys()[0], 1, 2, 1000, 65, 0)))
	if r.Error == nil || !strings.Contains(r.Error.Message, "63 and 70") {
		t.Fatalf("got %+v", r.Error)
	}
}

func TestIdenticalResendIsIdempotent(t *testing.T) {
	e := newEnv(t)
	body := call("sheaf_sendTransaction", e.tx(t, 0, 1000, 10, nil))
	_, r1 := post(t, e.ts.URL, body)
	snap := e.b.Snapshot()
	_, r2 := post(t, e.ts.URL, body)
	if r1.Error != nil || r2.Error != nil || string(r1.Result) != string(r2.Result) {
		t.Fatalf("%+v %s / %+v %s", r1.Error, r1.Result, r2.Error, r2.Result)
	}
	if e.b.Snapshot() != snap {
		t.Fatal("resend changed state")
	}
}

func TestInternalErrorsDoNotLeak(t *testing.T) {
	e := newEnv(t)
	secret := "password authentication failed for user sheaf at 10.9.8.7:5432"
	e.b.SetFail(errors.New(secret))
	_, r := post(t, e.ts.URL, call("sheaf_sendTransaction", e.tx(t, 0, 1000, 10, nil)))
	if r.Error == nil || r.Error.Code != int(api.CodeInternal) || r.Error.Message != "internal error" {
		t.Fatalf("got %+v", r.Error)
	}
	if !strings.Contains(e.logs.String(), secret) {
		t.Error("internal error not logged")
	}
	e.b.SetFail(fmt.Errorf("%w: dial tcp 10.9.8.7:5432: connection refused", api.ErrUnavailable))
	_, r = post(t, e.ts.URL, call("sheaf_getAccount", 1))
	if r.Error == nil || r.Error.Code != int(api.CodeUnavailable) || strings.Contains(r.Error.Message, "10.9.8.7") {
		t.Fatalf("got %+v", r.Error)
	}
	e.b.SetFail(context.DeadlineExceeded)
	_, r = post(t, e.ts.URL, call("sheaf_getBatch", 1))
	if r.Error == nil || r.Error.Code != int(api.CodeUnavailable) {
		t.Fatalf("got %+v", r.Error)
	}
}

func TestHealthzAndPaths(t *testing.T) {
	e := newEnv(t)
	resp, err := http.Get(e.ts.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("healthz %d", resp.StatusCode)
	}
	resp, err = http.Post(e.ts.URL+"/other", "application/json", strings.NewReader(string(call("sheaf_chainId"))))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("/other: %d", resp.StatusCode)
	}
}

func TestChunkedOversizedBody(t *testing.T) {
	e := newEnv(t)
	body := call("sheaf_chainId")
	body = append(body[:len(body)-1], []byte(`,"pad":"`+strings.Repeat("x", 20<<10)+`"}`)...)
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL, io.MultiReader(bytes.NewReader(body))) // unknown length: chunked
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d", resp.StatusCode)
	}
	// A chunked body under the limit still works.
	req, _ = http.NewRequest(http.MethodPost, e.ts.URL, io.MultiReader(bytes.NewReader(call("sheaf_chainId"))))
	req.Header.Set("Content-Type", "application/json")
	resp2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	var r rpcResponse
	if err := json.NewDecoder(resp2.Body).Decode(&r); err != nil || r.Error != nil {
		t.Fatalf("%v %+v", err, r.Error)
	}
}

func TestOversizedBodyClientError(t *testing.T) {
	e := newEnv(t)
	c, err := client.Dial(context.Background(), e.ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	args, err := client.SignTransfer(e.b.Keys()[0], e.b.ChainInfo(), 1, 2, uint256.NewInt(1000), uint256.NewInt(10), 0)
	if err != nil {
		t.Fatal(err)
	}
	args.Signature = make([]byte, 20<<10) // too big to send
	_, err = c.SendTransaction(context.Background(), args)
	var ae *api.Error
	if !errors.As(err, &ae) || ae.Code != api.CodeInvalidRequest || ae.Reason != "request_too_large" {
		t.Fatalf("got %v", err)
	}
	if e.b.Sends() != 0 {
		t.Fatal("reached the backend")
	}
}

func gather(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if matches(m, labels) {
				if c := m.GetCounter(); c != nil {
					return c.GetValue()
				}
				if h := m.GetHistogram(); h != nil {
					return float64(h.GetSampleCount())
				}
				return m.GetGauge().GetValue()
			}
		}
	}
	return 0
}

func matches(m *dto.Metric, labels map[string]string) bool {
	n := 0
	for _, lp := range m.GetLabel() {
		if v, ok := labels[lp.GetName()]; ok {
			if v != lp.GetValue() {
				return false
			}
			n++
		}
	}
	return n == len(labels)
}

func TestMetrics(t *testing.T) {
	e := newEnv(t)
	post(t, e.ts.URL, call("sheaf_sendTransaction", e.tx(t, 0, 1000, 10, nil)))
	post(t, e.ts.URL, call("sheaf_sendTransaction", e.tx(t, 0, 2000, 10, nil)))
	post(t, e.ts.URL, call("sheaf_chainId"))
	if v := gather(t, e.reg, "sheaf_api_requests_total", map[string]string{"method": "sheaf_sendTransaction", "code": "0"}); v != 1 {
		t.Errorf("successful sends %v", v)
	}
	if v := gather(t, e.reg, "sheaf_api_requests_total", map[string]string{"method": "sheaf_sendTransaction", "code": "-38011"}); v != 1 {
		t.Errorf("wrong-nonce sends %v", v)
	}
	if v := gather(t, e.reg, "sheaf_api_request_seconds", map[string]string{"method": "sheaf_chainId"}); v != 1 {
		t.Errorf("chainId observations %v", v)
	}
	// A second server on the same registry is refused, not a panic.
	if _, err := api.NewServer(testConfig(), e.b, nil, e.reg); err == nil {
		t.Error("duplicate metrics registration accepted")
	}
}

func TestConfigCheck(t *testing.T) {
	if err := api.DefaultConfig.Check(); err != nil {
		t.Fatal(err)
	}
	for _, edit := range []func(*api.Config){
		func(c *api.Config) { c.HTTPAddr = "" },
		func(c *api.Config) { c.MaxBodyBytes = 10 },
		func(c *api.Config) { c.MaxBatchItems = 0 },
		func(c *api.Config) { c.MaxBatchResponseBytes = 0 },
		func(c *api.Config) { c.WSReadLimit = 0 },
		func(c *api.Config) { c.CORSOrigins = []string{"a, b"} },
	} {
		c := api.DefaultConfig
		edit(&c)
		if c.Check() == nil {
			t.Errorf("accepted %+v", c)
		}
	}
}

func TestStartStop(t *testing.T) {
	b := apitest.New(2, 1000)
	srv, err := api.NewServer(testConfig(), b, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr()
	if addr == "" || strings.HasSuffix(addr, ":0") {
		t.Fatalf("addr %q", addr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, "ws://"+addr)
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan api.BatchInfo, 1)
	sub, err := c.SubscribeBatches(ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	if ci, err := c.ChainID(ctx); err != nil || ci.Depth != apitest.Config.Depth {
		t.Fatalf("%+v %v", ci, err)
	}
	if err := srv.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case <-sub.Err():
	case <-ctx.Done():
		t.Fatal("subscription survived Stop")
	}
	c.Close()
	if n := b.Subscribers(); n != 0 {
		t.Fatalf("%d backend subscriptions left", n)
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Fatal("still serving")
	}
	if err := srv.Start(context.Background()); err == nil {
		t.Fatal("restarted")
	}
}

// TestMethodSet checks api.Methods and api.Subscriptions against the
// registered service (go-ethereum's rules: every exported method; a
// subscription takes a context first and returns (*rpc.Subscription, error)).
func TestMethodSet(t *testing.T) {
	var methods, subs []string
	subType := reflect.TypeOf(&rpc.Subscription{})
	for i := range api.ServiceType.NumMethod() {
		m := api.ServiceType.Method(i)
		name := string(unicode.ToLower(rune(m.Name[0]))) + m.Name[1:]
		if m.Type.NumOut() == 2 && m.Type.Out(0) == subType {
			subs = append(subs, name)
		} else {
			methods = append(methods, "sheaf_"+name)
		}
	}
	methods = append(methods, "sheaf_subscribe", "sheaf_unsubscribe", "rpc_modules")
	sort.Strings(methods)
	sort.Strings(subs)
	if want := sorted(api.Methods); !slices.Equal(methods, want) {
		t.Errorf("service methods %v, api.Methods %v", methods, want)
	}
	if want := sorted(api.Subscriptions); !slices.Equal(subs, want) {
		t.Errorf("service subscriptions %v, api.Subscriptions %v", subs, want)
	}
}

func sorted(s []string) []string {
	c := slices.Clone(s)
	sort.Strings(c)
	return c
}

type openRPC struct {
	OpenRPC string `json:"openrpc"`
	Info    struct {
		Title   string `json:"title"`
		Version string `json:"version"`
	} `json:"info"`
	Methods []struct {
		Name   string `json:"name"`
		Params []struct {
			Name     string          `json:"name"`
			Required bool            `json:"required"`
			Schema   json.RawMessage `json:"schema"`
		} `json:"params"`
		Result *struct {
			Name   string          `json:"name"`
			Schema json.RawMessage `json:"schema"`
		} `json:"result"`
		Errors   []json.RawMessage `json:"errors"`
		Examples []json.RawMessage `json:"examples"`
	} `json:"methods"`
	Components struct {
		Schemas map[string]json.RawMessage `json:"schemas"`
		Errors  map[string]struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
	} `json:"components"`
}

func TestOpenRPCDocument(t *testing.T) {
	raw, err := os.ReadFile("openrpc.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc openRPC
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("openrpc.json: %v", err)
	}
	if doc.OpenRPC != "1.2.6" {
		t.Errorf("openrpc version %q", doc.OpenRPC)
	}
	var names []string
	for _, m := range doc.Methods {
		names = append(names, m.Name)
		if m.Result == nil {
			t.Errorf("%s: no result", m.Name)
		}
		for _, p := range m.Params {
			if len(p.Schema) == 0 {
				t.Errorf("%s: param %s has no schema", m.Name, p.Name)
			}
		}
		if len(m.Examples) == 0 && m.Name != "rpc_modules" {
			t.Errorf("%s: no example", m.Name)
		}
	}
	if got, want := sorted(names), sorted(api.Methods); !slices.Equal(got, want) {
		t.Errorf("openrpc.json methods %v, server %v", got, want)
	}
	// sheaf_subscribe's first parameter enumerates the subscriptions.
	for _, m := range doc.Methods {
		if m.Name != "sheaf_subscribe" {
			continue
		}
		var s struct {
			Enum []string `json:"enum"`
		}
		if len(m.Params) == 0 || json.Unmarshal(m.Params[0].Schema, &s) != nil {
			t.Fatal("sheaf_subscribe: first param schema")
		}
		if !slices.Equal(sorted(s.Enum), sorted(api.Subscriptions)) {
			t.Errorf("subscriptions %v, server %v", s.Enum, api.Subscriptions)
		}
	}
	codes := map[int]bool{}
	for _, e := range doc.Components.Errors {
		codes[e.Code] = true
	}
	for _, c := range api.Codes() {
		if !codes[int(c)] {
			t.Errorf("openrpc.json lacks error code %d (%s)", c, c.Reason())
		}
	}
	// Every $ref resolves.
	for _, ref := range refs(raw) {
		name, ok := strings.CutPrefix(ref, "#/components/schemas/")
		if ok {
			if _, found := doc.Components.Schemas[name]; !found {
				t.Errorf("dangling $ref %s", ref)
			}
			continue
		}
		name, ok = strings.CutPrefix(ref, "#/components/errors/")
		if ok {
			if _, found := doc.Components.Errors[name]; !found {
				t.Errorf("dangling $ref %s", ref)
			}
			continue
		}
		t.Errorf("unexpected $ref %s", ref)
	}
}

func refs(raw []byte) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, w := range x {
				if s, ok := w.(string); ok && k == "$ref" {
					out = append(out, s)
				}
				walk(w)
			}
		case []any:
			for _, w := range x {
				walk(w)
			}
		}
	}
	var v any
	_ = json.Unmarshal(raw, &v)
	walk(v)
	return out
}

// TestDocsMentionEverything keeps docs/api.md in step with the server.
func TestDocsMentionEverything(t *testing.T) {
	raw, err := os.ReadFile("../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	for _, m := range api.Methods {
		if !strings.Contains(doc, m) {
			t.Errorf("docs/api.md does not mention %s", m)
		}
	}
	for _, s := range api.Subscriptions {
		if !strings.Contains(doc, `"`+s+`"`) {
			t.Errorf("docs/api.md does not mention subscription %q", s)
		}
	}
	for _, c := range api.Codes() {
		if !strings.Contains(doc, fmt.Sprint(int(c))) || !strings.Contains(doc, c.Reason()) {
			t.Errorf("docs/api.md lacks code %d / %s", c, c.Reason())
		}
	}
}

// TestOpenRPCExamples checks that the documented examples are real: they
// decode into the wire types, the example transactions are validly signed
// for the example chain and hash to the example results, and the example
// proof verifies against the example batch's root.
func TestOpenRPCExamples(t *testing.T) {
	raw, err := os.ReadFile("openrpc.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Methods []struct {
			Name     string `json:"name"`
			Examples []struct {
				Name   string `json:"name"`
				Params []struct {
					Value json.RawMessage `json:"value"`
				} `json:"params"`
				Result struct {
					Value json.RawMessage `json:"value"`
				} `json:"result"`
			} `json:"examples"`
		} `json:"methods"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	strict := func(b []byte, v any) {
		t.Helper()
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			t.Fatalf("%s into %T: %v", b, v, err)
		}
	}
	results := map[string]func() any{
		"sheaf_chainId": func() any { return new(api.ChainInfo) }, "sheaf_getTransaction": func() any { return new(api.TxInfo) },
		"sheaf_getAccount": func() any { return new(api.AccountInfo) }, "sheaf_getAccountProof": func() any { return new(api.AccountProof) },
		"sheaf_getBatch": func() any { return new(api.BatchInfo) }, "sheaf_batchNumber": func() any { return new(api.BatchNumbers) },
		"sheaf_estimateFee": func() any { return new(api.FeeEstimate) }, "sheaf_sendTransaction": func() any { return new(common.Hash) },
	}
	var (
		chain  api.ChainInfo
		acc    api.AccountInfo
		proofs []api.AccountProof
		batch  api.BatchInfo
		sends  [][2]json.RawMessage
	)
	for _, m := range doc.Methods {
		for _, ex := range m.Examples {
			if mk, ok := results[m.Name]; ok {
				strict(ex.Result.Value, mk())
			}
			switch m.Name {
			case "sheaf_chainId":
				strict(ex.Result.Value, &chain)
			case "sheaf_getAccount":
				strict(ex.Result.Value, &acc)
				var ref api.AccountRef
				strict(ex.Params[0].Value, &ref)
			case "sheaf_getAccountProof":
				var p api.AccountProof
				strict(ex.Result.Value, &p)
				proofs = append(proofs, p)
			case "sheaf_getBatch":
				strict(ex.Result.Value, &batch)
			case "sheaf_sendTransaction":
				sends = append(sends, [2]json.RawMessage{ex.Params[0].Value, ex.Result.Value})
			}
		}
	}
	if _, err := client.DomainState(chain); err != nil {
		t.Fatal(err)
	}
	pk, err := protocol.ParsePublicKey(acc.PubKey)
	if err != nil {
		t.Fatal(err)
	}
	if len(sends) != 2 {
		t.Fatalf("%d send examples", len(sends))
	}
	for _, s := range sends {
		var args api.SendArgs
		strict(s[0], &args)
		var want common.Hash
		strict(s[1], &want)
		h, err := client.TxHash(chain, args)
		if err != nil || h != want {
			t.Fatalf("example %s: hash %s, documented %s (%v)", s[0], h, want, err)
		}
		op, _ := args.Decode()
		var m fr.Element
		m.SetBytes(h[:])
		var sig protocol.Signature
		if op.Transfer != nil {
			sig = op.Transfer.Sig
		} else {
			sig = op.Withdrawal.Sig
		}
		if !protocol.Verify(pk, m, sig) {
			t.Fatalf("example %s: the signature does not verify", s[0])
		}
	}
	// Each proof verifies against its batch's new root: batch 2's, or
	// batch 1's (the example batch's old root).
	if len(proofs) < 3 {
		t.Fatalf("%d proof examples", len(proofs))
	}
	for _, proof := range proofs {
		bal, err := proof.Balance.Int()
		if err != nil {
			t.Fatal(err)
		}
		ppk, err := protocol.ParsePublicKey(proof.PubKey)
		if err != nil {
			t.Fatal(err)
		}
		leaf := protocol.LeafHash(protocol.Account{PubKey: ppk, Balance: *bal, Nonce: proof.Nonce})
		sib := make([]fr.Element, len(proof.Siblings))
		for i, s := range proof.Siblings {
			sib[i].SetBytes(s[:])
		}
		root := smt.ComputeRoot(uint64(proof.Index), leaf, sib)
		want := map[uint64]common.Hash{batch.Number: batch.NewRoot, batch.Number - 1: batch.OldRoot}[proof.BatchNumber]
		if common.Hash(leaf.Bytes()) != proof.Leaf || common.Hash(root.Bytes()) != proof.Root || proof.Root != want ||
			len(proof.Siblings) != chain.Depth {
			t.Fatalf("example proof at batch %d does not verify against that batch's root", proof.BatchNumber)
		}
	}
	// The batch's pubdata is the example transfer: from 1, to 2, 1500000, fee 10.
	n := (chain.Depth + 7) / 8
	if len(batch.Pubdata) != 2*n+protocol.AmountFeeBytes {
		t.Fatalf("pubdata %x", batch.Pubdata)
	}
	ac, fc := protocol.UnpackAmountFee(batch.Pubdata[2*n:])
	amount, _ := protocol.AmountFloat.Decode(ac)
	fee, _ := protocol.FeeFloat.Decode(fc)
	if batch.Pubdata[0] != 1 || batch.Pubdata[1] != 2 || amount.Uint64() != 1_500_000 || fee.Uint64() != 10 {
		t.Fatalf("pubdata %x", batch.Pubdata)
	}
	// The example's publicInput is recomputed from its header fields and
	// pubdata padded to the example circuit's slots.
	cfg := protocol.Config{Depth: chain.Depth, Deposits: chain.Deposits, Transfers: chain.Transfers, Withdrawals: chain.Withdrawals}
	padded, err := protocol.ExpandPubdata(cfg, batch.Pubdata, protocol.Counts{Deposits: batch.Deposits, Transfers: batch.Transfers, Withdrawals: batch.Withdrawals})
	if err != nil {
		t.Fatal(err)
	}
	h := protocol.Header{ChainID: uint64(batch.ChainID), Contract: batch.Contract, Number: batch.Number,
		DepositStart: batch.DepositStart, DepositCount: uint16(batch.Deposits), NextIndex: batch.NextIndex, FeeAccount: batch.FeeAccount}
	h.OldRoot.SetBytes(batch.OldRoot[:])
	h.NewRoot.SetBytes(batch.NewRoot[:])
	if pi := protocol.PublicInput(h, padded); common.Hash(pi.Bytes()) != batch.PublicInput {
		t.Fatalf("example publicInput %s, recomputed %x", batch.PublicInput, pi.Bytes())
	}
	if batch.ChainID != chain.ChainID || batch.Contract != chain.Contract {
		t.Fatal("example batch and chain disagree")
	}
}
