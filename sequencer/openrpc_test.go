package sequencer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/gorilla/websocket"
	"github.com/holiman/uint256"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/protocol"
)

// spec is api/openrpc.json, compiled for validation. Object schemas are
// made strict (additionalProperties false) so that a member the server
// sends but the document does not declare fails too.
type spec struct {
	doc     map[string]any
	methods map[string]int            // name -> index in methods
	errs    map[string]map[int]string // method -> code -> the error component's data.reason
	c       *jsonschema.Compiler
	cache   map[string]*jsonschema.Schema
	seen    map[string]bool // Title.member seen in some answer
	called  map[string]bool // methods answered with a result
}

const specURL = "file:///openrpc.json"

func loadSpec(t *testing.T) *spec {
	t.Helper()
	raw, err := os.ReadFile("../api/openrpc.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	strict(doc)
	sp := &spec{doc: doc, methods: map[string]int{}, errs: map[string]map[int]string{},
		cache: map[string]*jsonschema.Schema{}, seen: map[string]bool{}, called: map[string]bool{}}
	components := doc["components"].(map[string]any)["errors"].(map[string]any)
	for i, m := range doc["methods"].([]any) {
		m := m.(map[string]any)
		name := m["name"].(string)
		sp.methods[name] = i
		sp.errs[name] = map[int]string{}
		errs, _ := m["errors"].([]any)
		for _, e := range errs {
			ref := e.(map[string]any)["$ref"].(string)
			comp := components[strings.TrimPrefix(ref, "#/components/errors/")].(map[string]any)
			reason := ""
			if d, ok := comp["data"].(map[string]any); ok {
				reason, _ = d["reason"].(string)
			}
			sp.errs[name][int(comp["code"].(float64))] = reason
		}
	}
	// The compiler reads the document from the same bytes, made strict.
	strictRaw, _ := json.Marshal(doc)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(strictRaw))
	if err != nil {
		t.Fatal(err)
	}
	sp.c = jsonschema.NewCompiler()
	sp.c.DefaultDraft(jsonschema.Draft7)
	if err := sp.c.AddResource(specURL, inst); err != nil {
		t.Fatal(err)
	}
	return sp
}

// strict sets additionalProperties false on every object schema that
// lists its properties.
func strict(v any) {
	switch x := v.(type) {
	case map[string]any:
		if x["type"] == "object" && x["properties"] != nil {
			x["additionalProperties"] = false
		}
		for _, w := range x {
			strict(w)
		}
	case []any:
		for _, w := range x {
			strict(w)
		}
	}
}

func (sp *spec) schema(t *testing.T, ptr string) *jsonschema.Schema {
	t.Helper()
	if s, ok := sp.cache[ptr]; ok {
		return s
	}
	s, err := sp.c.Compile(specURL + "#" + ptr)
	if err != nil {
		t.Fatalf("compile %s: %v", ptr, err)
	}
	sp.cache[ptr] = s
	return s
}

// node returns the document node at a JSON pointer.
func (sp *spec) node(ptr string) any {
	var cur any = sp.doc
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[tok]
		case []any:
			var i int
			fmt.Sscan(tok, &i)
			cur = c[i]
		}
	}
	return cur
}

// validate checks an answer against the schema at ptr and records which
// documented members it exercised.
func (sp *spec) validate(t *testing.T, what, ptr string, raw json.RawMessage) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := sp.schema(t, ptr).Validate(inst); err != nil {
		t.Errorf("%s does not match %s:\n%s\n%v", what, ptr, raw, err)
	}
	sp.cover(sp.node(ptr), inst)
}

// resolve follows $ref and single-element allOf wrappers.
func (sp *spec) resolve(n any) map[string]any {
	m, _ := n.(map[string]any)
	for m != nil {
		if ref, ok := m["$ref"].(string); ok {
			m, _ = sp.node(strings.TrimPrefix(ref, "#")).(map[string]any)
			continue
		}
		if all, ok := m["allOf"].([]any); ok && len(all) == 1 {
			m, _ = all[0].(map[string]any)
			continue
		}
		return m
	}
	return nil
}

func (sp *spec) cover(schema, inst any) {
	s := sp.resolve(schema)
	if s == nil {
		return
	}
	switch v := inst.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		title, _ := s["title"].(string)
		for k, w := range v {
			sp.seen[title+"."+k] = true
			if p, ok := props[k]; ok {
				sp.cover(p, w)
			}
		}
	case []any:
		for _, w := range v {
			sp.cover(s["items"], w)
		}
	}
}

type rpcMsg struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int             `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	} `json:"error"`
}

// conformance calls the server over HTTP and WebSocket and checks every
// answer against the document.
type conformance struct {
	t   *testing.T
	sp  *spec
	url string
	id  int

	ws      *websocket.Conn
	wsMu    sync.Mutex
	answers map[string]chan rpcMsg
	notes   chan rpcMsg
}

func (c *conformance) body(method string, params []any) ([]byte, string) {
	c.id++
	if params == nil {
		params = []any{}
	}
	b, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": c.id, "method": method, "params": params})
	if err != nil {
		c.t.Fatal(err)
	}
	return b, fmt.Sprint(c.id)
}

func (c *conformance) post(method string, params ...any) rpcMsg {
	c.t.Helper()
	b, _ := c.body(method, params)
	resp, err := http.Post(c.url, "application/json", bytes.NewReader(b))
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	var m rpcMsg
	if err := json.Unmarshal(raw, &m); err != nil {
		c.t.Fatalf("%s: %s: %v", method, raw, err)
	}
	return m
}

func (c *conformance) wsCall(method string, params ...any) rpcMsg {
	c.t.Helper()
	b, id := c.body(method, params)
	ch := make(chan rpcMsg, 1)
	c.wsMu.Lock()
	c.answers[id] = ch
	c.wsMu.Unlock()
	if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		c.t.Fatal(err)
	}
	select {
	case m := <-ch:
		return m
	case <-time.After(30 * time.Second):
		c.t.Fatalf("%s: no answer over WebSocket", method)
	}
	return rpcMsg{}
}

func (c *conformance) readWS() {
	defer close(c.notes)
	for {
		_, raw, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		var m rpcMsg
		if json.Unmarshal(raw, &m) != nil {
			continue
		}
		if m.Method != "" {
			c.notes <- m
			continue
		}
		c.wsMu.Lock()
		ch := c.answers[string(m.ID)]
		delete(c.answers, string(m.ID))
		c.wsMu.Unlock()
		if ch != nil {
			ch <- m
		}
	}
}

// ok checks a successful answer against the method's result schema.
func (c *conformance) ok(method string, m rpcMsg) json.RawMessage {
	c.t.Helper()
	if m.Error != nil {
		c.t.Fatalf("%s: error %d %s %s", method, m.Error.Code, m.Error.Message, m.Error.Data)
	}
	i, found := c.sp.methods[method]
	if !found {
		c.t.Fatalf("%s is not in openrpc.json", method)
	}
	c.sp.validate(c.t, method+" result", fmt.Sprintf("/methods/%d/result/schema", i), m.Result)
	c.sp.called[method] = true
	return m.Result
}

// fails checks an error answer: a code the method documents, data that
// is an ErrorData with that code's reason, and the expected field.
func (c *conformance) fails(method string, m rpcMsg, code api.Code, field string) {
	c.t.Helper()
	if m.Error == nil {
		c.t.Fatalf("%s: no error, result %s", method, m.Result)
	}
	reason, listed := c.sp.errs[method][m.Error.Code]
	if m.Error.Code != int(code) || !listed {
		c.t.Fatalf("%s: code %d (%s); want %d, listed in openrpc.json: %v", method, m.Error.Code, m.Error.Message, code, listed)
	}
	c.sp.validate(c.t, method+" error data", "/components/schemas/ErrorData", m.Error.Data)
	var d api.ErrorData
	_ = json.Unmarshal(m.Error.Data, &d)
	if d.Reason != reason || d.Field != field {
		c.t.Errorf("%s: data %s, want reason %q (openrpc.json) field %q", method, m.Error.Data, reason, field)
	}
}

func decode[T any](t *testing.T, raw json.RawMessage) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return v
}

// TestOpenRPCConformance calls every method of api/openrpc.json on the
// real server (a real sequencer over real PostgreSQL, HTTP and WebSocket),
// validates every result and notification against the document's schema
// (strictly: undeclared members fail), every error against the method's
// documented errors and ErrorData, and checks that every documented member
// of every result turns up at least once.
func TestOpenRPCConformance(t *testing.T) {
	e := newEnv(t, 4)
	s := e.start(testConfig())
	ctx := context.Background()
	sp := loadSpec(t)
	cfg := api.DefaultConfig
	cfg.HTTPAddr = "127.0.0.1:0"
	srv, err := api.NewServer(cfg, s, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer srv.Stop(ctx)
	c := &conformance{t: t, sp: sp, url: "http://" + srv.Addr() + "/", answers: map[string]chan rpcMsg{}, notes: make(chan rpcMsg, 256)}
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+srv.Addr()+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	c.ws = ws
	go c.readWS()
	subIndex := sp.methods["sheaf_subscribe"]
	subBatches := string(decode[string](t, c.ok("sheaf_subscribe", c.wsCall("sheaf_subscribe", "newBatches"))))

	chain := decode[api.ChainInfo](t, c.ok("sheaf_chainId", c.post("sheaf_chainId")))
	e.fund(s, 1_000_000) // accounts 1..4
	sealAll(t, s)        // batch 1: deposits

	sign := func(from, to uint32, amount, fee uint64, nonce uint32) api.SendArgs {
		a, err := client.SignTransfer(e.keys[from-1], chain, from, to, uint256.NewInt(amount), uint256.NewInt(fee), nonce)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	transfer := common.HexToHash(string(decode[string](t, c.ok("sheaf_sendTransaction", c.post("sheaf_sendTransaction", sign(2, 3, 5000, 10, 0))))))
	wd, err := client.SignWithdrawal(e.keys[2], chain, 3, common.Address{0xa1}, uint256.NewInt(700), uint256.NewInt(10), 0)
	if err != nil {
		t.Fatal(err)
	}
	withdrawal := common.HexToHash(string(decode[string](t, c.ok("sheaf_sendTransaction", c.post("sheaf_sendTransaction", wd)))))
	subTx := decode[string](t, c.ok("sheaf_subscribe", c.wsCall("sheaf_subscribe", "transactionStatus", transfer)))
	sealAll(t, s) // batch 2: the transfer and the withdrawal
	e.finalize(1)
	pending := common.HexToHash(string(decode[string](t, c.ok("sheaf_sendTransaction", c.post("sheaf_sendTransaction", sign(2, 4, 1000, 10, 1))))))
	// A rejected transaction (the sequencer marks these when it can no
	// longer include them); the API shows its status and reason.
	rejected := common.Hash{0xee}
	if _, err := e.pool.Exec(ctx, `INSERT INTO transactions (hash, kind, from_idx, to_idx, amount, fee, nonce, signature, status, reason)
		VALUES ($1, 1, 4, 1, 5, 1, 0, $2, 'rejected', 'deposit removed by an L1 reorg')`, rejected[:], make([]byte, 64)); err != nil {
		t.Fatal(err)
	}

	// Transactions in every shape.
	for _, h := range []common.Hash{transfer, withdrawal, pending, rejected} {
		c.ok("sheaf_getTransaction", c.post("sheaf_getTransaction", h))
	}
	if tx := decode[api.TxInfo](t, c.ok("sheaf_getTransaction", c.post("sheaf_getTransaction", transfer))); tx.BatchNumber == nil || *tx.BatchNumber != 2 {
		t.Fatalf("transfer %+v, want sealed in batch 2", tx)
	}
	// Accounts: by index and by key, with pending, sealed and finalized.
	a2 := decode[api.AccountInfo](t, c.ok("sheaf_getAccount", c.post("sheaf_getAccount", 2)))
	c.ok("sheaf_getAccount", c.post("sheaf_getAccount", hexutil.Bytes(a2.PubKey)))
	if a2.Finalized == nil || a2.FinalizedBatch != 1 || a2.Finalized.Balance != "1000000" || a2.Pending.Nonce != 2 || a2.Sealed.Nonce != 1 {
		t.Fatalf("account 2: %+v", a2)
	}
	// Proofs: latest, at an older batch, an empty leaf.
	c.ok("sheaf_getAccountProof", c.post("sheaf_getAccountProof", 2))
	old := decode[api.AccountProof](t, c.ok("sheaf_getAccountProof", c.post("sheaf_getAccountProof", 2, 1)))
	c.ok("sheaf_getAccountProof", c.post("sheaf_getAccountProof", 9, "0x1"))
	// Batches: every header field, and publicInput recomputes from them.
	for n := uint64(1); n <= 2; n++ {
		b := decode[api.BatchInfo](t, c.ok("sheaf_getBatch", c.post("sheaf_getBatch", n)))
		checkPublicInput(t, chain, b)
		if n == 1 && old.Root != b.NewRoot {
			t.Fatal("the batch-1 proof is not against batch 1's root")
		}
	}
	c.ok("sheaf_batchNumber", c.post("sheaf_batchNumber"))
	c.ok("sheaf_estimateFee", c.post("sheaf_estimateFee", "transfer"))
	c.ok("sheaf_estimateFee", c.post("sheaf_estimateFee", "withdrawal"))
	c.ok("rpc_modules", c.post("rpc_modules"))
	page := decode[api.TxPage](t, c.ok("sheaf_getTransactions", c.post("sheaf_getTransactions", 2, map[string]any{"limit": 1})))
	if page.Next == "" {
		t.Fatal("account 2 has more than one transaction, but the first page of one has no next cursor")
	}
	c.ok("sheaf_getTransactions", c.post("sheaf_getTransactions", 2, map[string]any{"limit": 1, "cursor": page.Next}))
	c.ok("sheaf_getTransactions", c.post("sheaf_getTransactions", 2, map[string]any{"status": []string{"pending"}}))
	c.ok("sheaf_getDeposit", c.post("sheaf_getDeposit", 0))

	// Notifications: each batch event is a BatchInfo, each status a TxInfo.
	batchEvents, txEvents := 0, 0
	for batchEvents < 2 || txEvents < 2 {
		select {
		case m := <-c.notes:
			var p struct {
				Subscription string          `json:"subscription"`
				Result       json.RawMessage `json:"result"`
			}
			if err := json.Unmarshal(m.Params, &p); err != nil || m.Method != "sheaf_subscription" {
				t.Fatalf("notification %+v", m)
			}
			switch p.Subscription {
			case subBatches:
				sp.validate(t, "newBatches notification", fmt.Sprintf("/methods/%d/x-notifications/newBatches", subIndex), p.Result)
				checkPublicInput(t, chain, decode[api.BatchInfo](t, p.Result))
				batchEvents++
			case subTx:
				sp.validate(t, "transactionStatus notification", fmt.Sprintf("/methods/%d/x-notifications/transactionStatus", subIndex), p.Result)
				txEvents++
			default:
				t.Fatalf("notification for an unknown subscription %s", p.Subscription)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%d batch and %d status notifications", batchEvents, txEvents)
		}
	}
	if !decode[bool](t, c.ok("sheaf_unsubscribe", c.wsCall("sheaf_unsubscribe", subTx))) {
		t.Fatal("unsubscribe answered false")
	}

	// Errors, each as documented for its method. Account 2 is at nonce 2.
	raw := func(body string) rpcMsg {
		resp, err := http.Post(c.url, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m rpcMsg
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	notOnCurve := make(hexutil.Bytes, 32)
	notOnCurve[31] = 5
	for _, tc := range []struct {
		method string
		m      rpcMsg
		code   api.Code
		field  string
	}{
		{"sheaf_sendTransaction", c.post("sheaf_sendTransaction", sign(2, 3, 10, 10, 1)), api.CodeWrongNonce, "nonce"},
		{"sheaf_sendTransaction", c.post("sheaf_sendTransaction", sign(2, 3, 10, 10, 7)), api.CodeNonceTooHigh, "nonce"},
		{"sheaf_sendTransaction", c.post("sheaf_sendTransaction", sign(2, 3, 5_000_000, 10, 2)), api.CodeInsufficientFunds, "amount"},
		{"sheaf_sendTransaction", c.post("sheaf_sendTransaction", sign(2, 77, 10, 10, 2)), api.CodeUnknownAccount, "to"},
		{"sheaf_sendTransaction", c.post("sheaf_sendTransaction", signAs(t, e.keys[1], chain, 50, 2)), api.CodeUnknownAccount, "from"},
		{"sheaf_sendTransaction", c.post("sheaf_sendTransaction", signAs(t, e.keys[0], chain, 2, 2)), api.CodeBadSignature, "signature"},
		{"sheaf_sendTransaction", c.post("sheaf_sendTransaction", map[string]any{"kind": "transfer"}), api.CodeInvalidParams, "from"},
		{"sheaf_sendTransaction", c.post("sheaf_sendTransaction"), api.CodeInvalidParams, "transaction"},
		{"sheaf_getTransaction", c.post("sheaf_getTransaction", common.Hash{1}), api.CodeNotFound, ""},
		{"sheaf_getTransaction", c.post("sheaf_getTransaction", "0x12"), api.CodeInvalidParams, "hash"},
		{"sheaf_getAccount", c.post("sheaf_getAccount", 77), api.CodeNotFound, ""},
		{"sheaf_getAccount", c.post("sheaf_getAccount", 0), api.CodeReservedAccount, "account"},
		{"sheaf_getAccount", c.post("sheaf_getAccount", notOnCurve), api.CodeBadPublicKey, "account"},
		{"sheaf_getAccount", c.post("sheaf_getAccount", true), api.CodeInvalidParams, "account"},
		{"sheaf_getAccountProof", c.post("sheaf_getAccountProof", 2, 99), api.CodeNotFound, ""},
		{"sheaf_getAccountProof", c.post("sheaf_getAccountProof", 2, "x"), api.CodeInvalidParams, "batch"},
		{"sheaf_getBatch", c.post("sheaf_getBatch", 0), api.CodeNotFound, ""},
		{"sheaf_getBatch", c.post("sheaf_getBatch", 99), api.CodeNotFound, ""},
		{"sheaf_getBatch", c.post("sheaf_getBatch", "one"), api.CodeInvalidParams, "number"},
		{"sheaf_estimateFee", c.post("sheaf_estimateFee", "deposit"), api.CodeInvalidParams, "kind"},
		{"sheaf_getTransactions", c.post("sheaf_getTransactions", 2, map[string]any{"limit": 0}), api.CodeInvalidParams, "limit"},
		{"sheaf_getTransactions", c.post("sheaf_getTransactions", 2, map[string]any{"cursor": "not a cursor"}), api.CodeInvalidParams, "cursor"},
		{"sheaf_getDeposit", c.post("sheaf_getDeposit", 99), api.CodeNotFound, ""},
		{"sheaf_subscribe", c.post("sheaf_subscribe", "newBatches"), api.CodeMethodNotFound, ""},
		{"sheaf_subscribe", c.wsCall("sheaf_subscribe", "noSuchThing"), api.CodeMethodNotFound, ""},
		{"sheaf_subscribe", c.wsCall("sheaf_subscribe", "transactionStatus", common.Hash{1}), api.CodeNotFound, ""},
		{"sheaf_subscribe", c.wsCall("sheaf_subscribe", "transactionStatus", "0x12"), api.CodeInvalidParams, "hash"},
		{"sheaf_unsubscribe", c.wsCall("sheaf_unsubscribe"), api.CodeInvalidParams, "id"},
	} {
		c.fails(tc.method, tc.m, tc.code, tc.field)
	}
	// Errors before any method: checked against the document's components.
	comps := sp.doc["components"].(map[string]any)["errors"].(map[string]any)
	for _, tc := range []struct {
		body, component string
	}{
		{`{"jsonrpc":"2.0","id":1,"method":`, "ParseError"},
		{`{"jsonrpc":"1.0","id":1,"method":"sheaf_chainId"}`, "InvalidRequest"},
		{`{"jsonrpc":"2.0","id":1,"method":"sheaf_mint","params":[]}`, "MethodNotFound"},
	} {
		m := raw(tc.body)
		comp := comps[tc.component].(map[string]any)
		if m.Error == nil || m.Error.Code != int(comp["code"].(float64)) {
			t.Fatalf("%s: %+v, want code %v", tc.body, m.Error, comp["code"])
		}
		sp.validate(t, tc.component+" data", "/components/schemas/ErrorData", m.Error.Data)
		if d := decode[api.ErrorData](t, m.Error.Data); d.Reason != comp["data"].(map[string]any)["reason"] {
			t.Errorf("%s: reason %q", tc.component, d.Reason)
		}
	}

	// Every method answered, every documented member seen.
	var missing []string
	for name := range sp.methods {
		if !sp.called[name] {
			missing = append(missing, "method "+name)
		}
	}
	schemas := sp.doc["components"].(map[string]any)["schemas"].(map[string]any)
	for _, title := range []string{"ChainInfo", "TxInfo", "AccountInfo", "AccountState", "AccountProof", "BatchInfo", "BatchNumbers", "FeeEstimate", "ErrorData"} {
		for k := range schemas[title].(map[string]any)["properties"].(map[string]any) {
			if !sp.seen[title+"."+k] {
				missing = append(missing, title+"."+k)
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("never exercised: %s", strings.Join(missing, ", "))
	}
	if !slices.Contains(api.Subscriptions, "newBatches") {
		t.Fatal("subscriptions changed: update this test")
	}
}

// signAs signs a transfer from an index the key may not own.
func signAs(t *testing.T, k protocol.PrivateKey, chain api.ChainInfo, from, to uint32) api.SendArgs {
	t.Helper()
	ds := protocol.DomainState(uint64(chain.ChainID), chain.Contract)
	tr := &protocol.Transfer{From: from, To: to, Amount: *uint256.NewInt(10), Fee: *uint256.NewInt(10), Nonce: 2}
	if err := tr.Sign(k, ds); err != nil {
		t.Fatal(err)
	}
	sig := tr.Sig.Bytes()
	return api.SendArgs{Kind: api.KindTransfer, From: from, To: &to, Amount: "10", Fee: "10", Nonce: 2, Signature: sig[:]}
}

// publicInputOf recomputes a batch's public input from the BatchInfo alone
// (its header fields and pubdata) with the circuit's slot counts from
// sheaf_chainId, using the protocol's functions.
func publicInputOf(chain api.ChainInfo, b api.BatchInfo) (common.Hash, error) {
	cfg := protocol.Config{Depth: chain.Depth, Deposits: chain.Deposits, Transfers: chain.Transfers, Withdrawals: chain.Withdrawals}
	padded, err := protocol.ExpandPubdata(cfg, b.Pubdata, protocol.Counts{Deposits: b.Deposits, Transfers: b.Transfers, Withdrawals: b.Withdrawals})
	if err != nil {
		return common.Hash{}, err
	}
	h := protocol.Header{ChainID: uint64(b.ChainID), Contract: b.Contract, Number: b.Number, DepositStart: b.DepositStart,
		DepositCount: uint16(b.Deposits), NextIndex: b.NextIndex, FeeAccount: b.FeeAccount}
	if err := h.OldRoot.SetBytesCanonical(b.OldRoot[:]); err != nil {
		return common.Hash{}, err
	}
	if err := h.NewRoot.SetBytesCanonical(b.NewRoot[:]); err != nil {
		return common.Hash{}, err
	}
	pi := protocol.PublicInput(h, padded)
	return pi.Bytes(), nil
}

func checkPublicInput(t *testing.T, chain api.ChainInfo, b api.BatchInfo) {
	t.Helper()
	pi, err := publicInputOf(chain, b)
	if err != nil || pi != b.PublicInput {
		t.Fatalf("batch %d: publicInput %s, recomputed from BatchInfo %s (%v)", b.Number, b.PublicInput, pi, err)
	}
}

// TestBatchInfoPublicInput: for batches with deposits (new accounts and a
// second deposit to a known key, a non-zero queue start), transfers and
// withdrawals, the BatchInfo served over JSON-RPC recomputes to the public
// input the sequencer stored for the prover and the submitter.
func TestBatchInfoPublicInput(t *testing.T) {
	e := newEnv(t, 3)
	s := e.start(testConfig())
	ctx := context.Background()
	cfg := api.DefaultConfig
	cfg.HTTPAddr = "127.0.0.1:0"
	srv, err := api.NewServer(cfg, s, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer srv.Stop(ctx)
	wc, err := client.Dial(ctx, "http://"+srv.Addr()+"/")
	if err != nil {
		t.Fatal(err)
	}
	defer wc.Close()
	chain, err := wc.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e.deposit(0, e.keys[0].Public(), 1_000_000)
	e.deposit(1, e.keys[1].Public(), 1_000_000)
	e.waitFor(func() bool { _, err := s.Account(ctx, 2); return err == nil })
	sealAll(t, s)
	if _, err := e.transfer(s, 2, 1, 5000, 10); err != nil {
		t.Fatal(err)
	}
	e.withdraw(s, 1, 300, 10)
	e.deposit(2, e.keys[2].Public(), 77)
	e.deposit(3, e.keys[1].Public(), 5)
	e.waitFor(func() bool { _, err := s.Account(ctx, 3); return err == nil })
	sealAll(t, s)
	last := s.sealed.BatchNumber()
	if last < 2 {
		t.Fatalf("%d batches", last)
	}
	sawTransfer, sawWithdrawal, sawLaterDeposits := false, false, false
	for n := uint64(1); n <= last; n++ {
		b, err := wc.GetBatch(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		checkPublicInput(t, chain, *b)
		var stored []byte
		if err := e.pool.QueryRow(ctx, `SELECT public_input FROM batches WHERE number = $1`, int64(n)).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if common.BytesToHash(stored) != b.PublicInput || b.ChainID != chain.ChainID || b.Contract != chain.Contract ||
			b.FeeAccount != chain.FeeAccount {
			t.Fatalf("batch %d: %+v", n, b)
		}
		sawTransfer = sawTransfer || b.Transfers > 0
		sawWithdrawal = sawWithdrawal || b.Withdrawals > 0
		sawLaterDeposits = sawLaterDeposits || (b.Deposits > 0 && b.DepositStart > 0 && b.NextIndex > 1)
	}
	if !sawTransfer || !sawWithdrawal || !sawLaterDeposits {
		t.Fatalf("batches lacked a transfer (%v), a withdrawal (%v) or later deposits (%v)", sawTransfer, sawWithdrawal, sawLaterDeposits)
	}
	// Each header field counts: changing one changes the result.
	b, err := wc.GetBatch(ctx, last)
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(*api.BatchInfo){
		"nextIndex":    func(b *api.BatchInfo) { b.NextIndex++ },
		"feeAccount":   func(b *api.BatchInfo) { b.FeeAccount++ },
		"depositStart": func(b *api.BatchInfo) { b.DepositStart++ },
		"chainId":      func(b *api.BatchInfo) { b.ChainID++ },
		"contract":     func(b *api.BatchInfo) { b.Contract[0]++ },
		"number":       func(b *api.BatchInfo) { b.Number++ },
	} {
		c := *b
		edit(&c)
		if pi, err := publicInputOf(chain, c); err != nil || pi == b.PublicInput {
			t.Errorf("changing %s: %s, %v", name, pi, err)
		}
	}
}
