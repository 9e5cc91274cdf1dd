package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/sheafrollup/sheaf/api"
)

type wantErr struct {
	id     string // the response's id, compact JSON
	code   api.Code
	reason string
	field  string
}

func checkErrors(t *testing.T, raw []byte, want []wantErr) {
	t.Helper()
	var msgs []rpcResponse
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		if err := json.Unmarshal(raw, &msgs); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
	} else {
		var m rpcResponse
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		msgs = []rpcResponse{m}
	}
	if len(msgs) != len(want) {
		t.Fatalf("%d answers, want %d: %s", len(msgs), len(want), raw)
	}
	for i, w := range want {
		m := msgs[i]
		if string(m.ID) != w.id || m.Error == nil || m.Error.Code != int(w.code) {
			t.Errorf("answer %d: id %s error %+v, want id %s code %d", i, m.ID, m.Error, w.id, w.code)
			continue
		}
		var d api.ErrorData
		if err := json.Unmarshal(m.Error.Data, &d); err != nil || d.Reason != w.reason || d.Field != w.field {
			t.Errorf("answer %d (%s): data %s, want reason %q field %q", i, m.Error.Message, m.Error.Data, w.reason, w.field)
		}
	}
}

// layerCases are calls that go-ethereum's JSON-RPC layer refuses before a
// Sheaf method runs, in one batch: every error gets data {reason, field},
// matched to its call by id even when ids repeat.
const layerBatch = `[
 {"jsonrpc":"2.0","id":1,"method":"sheaf_getBatch","params":["one"]},
 {"jsonrpc":"2.0","id":"b","method":"sheaf_getAccount","params":[true]},
 {"jsonrpc":"2.0","id":1,"method":"sheaf_sendTransaction","params":[{"kind":"transfer"}]},
 {"jsonrpc":"2.0","id":4,"method":"sheaf_getAccountProof","params":[1,"x"]},
 {"jsonrpc":"2.0","id":5,"method":"sheaf_getTransaction","params":[]},
 {"jsonrpc":"2.0","id":6,"method":"sheaf_estimateFee","params":["transfer","extra"]},
 {"jsonrpc":"2.0","id":7,"method":"sheaf_nope","params":[]},
 {"jsonrpc":"2.0","id":8,"params":[]},
 {"jsonrpc":"2.0","id":9,"method":"sheaf_estimateFee","params":["deposit"]}
]`

var layerWant = []wantErr{
	{`1`, api.CodeInvalidParams, "invalid_params", "number"},
	{`"b"`, api.CodeInvalidParams, "invalid_params", "account"},
	{`1`, api.CodeInvalidParams, "invalid_params", "from"}, // the first missing member
	{`4`, api.CodeInvalidParams, "invalid_params", "batch"},
	{`5`, api.CodeInvalidParams, "invalid_params", "hash"},
	{`6`, api.CodeInvalidParams, "invalid_params", ""}, // too many arguments: no one parameter
	{`7`, api.CodeMethodNotFound, "method_not_found", ""},
	{`8`, api.CodeInvalidRequest, "invalid_request", ""},
	{`9`, api.CodeInvalidParams, "invalid_params", "kind"}, // Sheaf's own, unchanged
}

func TestLayerErrorsCarryDataOverHTTP(t *testing.T) {
	e := newEnv(t)
	cfg := testConfig()
	cfg.MaxBatchItems = 20
	srv, err := api.NewServer(cfg, e.b, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := newHTTPServer(t, srv)
	for _, tc := range []struct {
		name string
		body string
		want []wantErr
	}{
		{"batch", layerBatch, layerWant},
		{"parse error", `{"jsonrpc":`, []wantErr{{`null`, api.CodeParseError, "parse_error", ""}}},
		{"not a request", `42`, []wantErr{{`null`, api.CodeInvalidRequest, "invalid_request", ""}}},
		{"missing transaction", `{"jsonrpc":"2.0","id":3,"method":"sheaf_sendTransaction","params":[null]}`,
			[]wantErr{{`3`, api.CodeInvalidParams, "invalid_params", "transaction"}}},
		{"unknown member", `{"jsonrpc":"2.0","id":3,"method":"sheaf_sendTransaction","params":[{"kind":"transfer","memo":1}]}`,
			[]wantErr{{`3`, api.CodeInvalidParams, "invalid_params", "memo"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Post(ts, "application/json", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var raw bytes.Buffer
			if _, err := raw.ReadFrom(resp.Body); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
				t.Errorf("HTTP %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			checkErrors(t, raw.Bytes(), tc.want)
		})
	}
}

func newHTTPServer(t *testing.T, srv *api.Server) string {
	t.Helper()
	if err := srv.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(t.Context()) })
	return "http://" + srv.Addr() + "/"
}

func dialWS(t *testing.T, url string, header http.Header) *websocket.Conn {
	t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(url, "http"), header)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial: %v (HTTP %d)", err, status)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func readWS(t *testing.T, c *websocket.Conn) []byte {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, b, err := c.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLayerErrorsCarryDataOverWebSocket(t *testing.T) {
	e := newEnv(t)
	cfg := testConfig()
	cfg.MaxBatchItems = 20
	srv, err := api.NewServer(cfg, e.b, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	url := newHTTPServer(t, srv)
	c := dialWS(t, url, nil)

	// The same batch, then single calls on the same connection (answers
	// may come in any order: match each by id).
	if err := c.WriteMessage(websocket.TextMessage, []byte(layerBatch)); err != nil {
		t.Fatal(err)
	}
	checkErrors(t, readWS(t, c), layerWant)
	singles := map[string]wantErr{}
	for i, w := range layerWant {
		var calls []json.RawMessage
		_ = json.Unmarshal([]byte(layerBatch), &calls)
		var m map[string]any
		_ = json.Unmarshal(calls[i], &m)
		id := 100 + i
		m["id"] = id
		b, _ := json.Marshal(m)
		if err := c.WriteMessage(websocket.TextMessage, b); err != nil {
			t.Fatal(err)
		}
		w.id = string(mustMarshal(id))
		singles[w.id] = w
	}
	for range layerWant {
		raw := readWS(t, c)
		var m rpcResponse
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		w, ok := singles[string(m.ID)]
		if !ok {
			t.Fatalf("unexpected answer %s", raw)
		}
		delete(singles, w.id)
		checkErrors(t, raw, []wantErr{w})
	}

	// A successful call and a Sheaf error pass through unchanged.
	if err := c.WriteMessage(websocket.TextMessage, call("sheaf_chainId")); err != nil {
		t.Fatal(err)
	}
	var ok rpcResponse
	if err := json.Unmarshal(readWS(t, c), &ok); err != nil || ok.Error != nil || len(ok.Result) == 0 {
		t.Fatalf("chainId over the bridge: %+v %v", ok, err)
	}

	// Not JSON: a parse error with data, then the server hangs up (as
	// go-ethereum does).
	if err := c.WriteMessage(websocket.TextMessage, []byte(`{"jsonrpc":`)); err != nil {
		t.Fatal(err)
	}
	checkErrors(t, readWS(t, c), []wantErr{{`null`, api.CodeParseError, "parse_error", ""}})
	_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
	if _, _, err := c.ReadMessage(); err == nil {
		t.Fatal("connection still open after a parse error")
	}
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// TestWebSocketLimitsAndOrigins: a message over the read limit closes the
// connection; browsers' origins are checked against the CORS list.
func TestWebSocketLimitsAndOrigins(t *testing.T) {
	host, _ := os.Hostname()
	for _, tc := range []struct {
		name    string
		origins []string
		origin  string // "" sends none
		ok      bool
	}{
		{"no origin header", nil, "", true},
		{"localhost by default", nil, "http://localhost", true},
		{"this host by default", nil, "http://" + host, true},
		{"other site by default", nil, "https://evil.example", false},
		{"listed", []string{"https://wallet.example"}, "https://wallet.example", true},
		{"listed, other scheme", []string{"https://wallet.example"}, "http://wallet.example", false},
		{"listed host, any port", []string{"wallet.example"}, "https://wallet.example:8443", true},
		{"not listed", []string{"https://wallet.example"}, "https://evil.example", false},
		{"any", []string{"*"}, "https://evil.example", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.CORSOrigins = tc.origins
			e := newEnv(t)
			srv, err := api.NewServer(cfg, e.b, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			url := newHTTPServer(t, srv)
			h := http.Header{}
			if tc.origin != "" {
				h.Set("Origin", tc.origin)
			}
			c, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(url, "http"), h)
			if tc.ok != (err == nil) {
				t.Fatalf("dial: %v, want ok=%v", err, tc.ok)
			}
			if err != nil {
				if resp == nil || resp.StatusCode != http.StatusForbidden {
					t.Fatalf("refused with %+v, want 403", resp)
				}
				return
			}
			defer c.Close()
		})
	}

	e := newEnv(t)
	cfg := testConfig()
	cfg.WSReadLimit = 2048
	srv, err := api.NewServer(cfg, e.b, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := dialWS(t, newHTTPServer(t, srv), nil)
	big := `{"jsonrpc":"2.0","id":1,"method":"sheaf_chainId","params":[],"pad":"` + strings.Repeat("x", 4096) + `"}`
	if err := c.WriteMessage(websocket.TextMessage, []byte(big)); err != nil {
		return // the server hung up while the message was still being sent
	}
	_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
	if _, b, err := c.ReadMessage(); err == nil {
		t.Fatalf("a message over the read limit was answered: %s", b)
	}
}

// TestParamNamesMatchOpenRPC: data.field of a -32602 about a whole
// parameter uses the names api/openrpc.json gives them.
func TestParamNamesMatchOpenRPC(t *testing.T) {
	raw, err := os.ReadFile("openrpc.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Methods []struct {
			Name   string `json:"name"`
			Params []struct {
				Name string `json:"name"`
			} `json:"params"`
		} `json:"methods"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Methods) != len(api.ParamNames) || len(api.ParamNames) != len(api.Methods) {
		t.Errorf("%d methods in openrpc.json, %d in ParamNames, %d served", len(doc.Methods), len(api.ParamNames), len(api.Methods))
	}
	for _, m := range doc.Methods {
		var names []string
		for _, p := range m.Params {
			names = append(names, p.Name)
		}
		if got := api.ParamNames[m.Name]; strings.Join(got, ",") != strings.Join(names, ",") {
			t.Errorf("%s: ParamNames %v, openrpc.json %v", m.Name, got, names)
		}
	}
}
