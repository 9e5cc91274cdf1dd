package api_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/sheafrollup/sheaf/api"
)

// The history methods' examples in openrpc.json decode into the wire types.
func TestOpenRPCHistoryExamples(t *testing.T) {
	raw, err := os.ReadFile("openrpc.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Methods []struct {
			Name     string `json:"name"`
			Examples []struct {
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
	n := 0
	for _, m := range doc.Methods {
		for _, ex := range m.Examples {
			switch m.Name {
			case "sheaf_getTransactions":
				var p api.TxPage
				strict(ex.Result.Value, &p)
				if _, err := api.ParseTxQuery(ex.Params[1].Value); err != nil {
					t.Fatal(err)
				}
				if p.Next != "" {
					if _, err := api.ParseTxQuery([]byte(`{"cursor":"` + p.Next + `"}`)); err != nil {
						t.Fatalf("example cursor: %v", err)
					}
				}
				n++
			case "sheaf_getDeposit":
				var d api.DepositInfo
				strict(ex.Result.Value, &d)
				if _, err := api.ParseDepositRef(ex.Params[0].Value); err != nil {
					t.Fatal(err)
				}
				n++
			}
		}
	}
	if n != 3 {
		t.Fatalf("%d history examples, want 3", n)
	}
}

func TestParseTxQuery(t *testing.T) {
	ok := []struct {
		in   string
		want api.TxQuery
	}{
		{``, api.TxQuery{Limit: api.DefaultTxPageSize}},
		{`null`, api.TxQuery{Limit: api.DefaultTxPageSize}},
		{`{}`, api.TxQuery{Limit: api.DefaultTxPageSize}},
		{`{"limit":1}`, api.TxQuery{Limit: 1}},
		{`{"limit":1000,"status":["pending","pending","finalized"]}`, api.TxQuery{Limit: 1000, Statuses: []string{"pending", "finalized"}}},
		{`{"cursor":"` + api.EncodeCursor(42) + `"}`, api.TxQuery{Limit: api.DefaultTxPageSize, Before: 42}},
	}
	for _, c := range ok {
		got, err := api.ParseTxQuery([]byte(c.in))
		if err != nil || got.Limit != c.want.Limit || got.Before != c.want.Before || len(got.Statuses) != len(c.want.Statuses) {
			t.Errorf("%s: %+v %v", c.in, got, err)
		}
	}
	bad := map[string]string{
		`{"limit":0}`:                 "limit",
		`{"limit":1001}`:              "limit",
		`{"limit":-1}`:                "limit",
		`{"limit":"5"}`:               "options",
		`{"status":[]}`:               "status",
		`{"status":["done"]}`:         "status",
		`{"status":"pending"}`:        "options",
		`{"cursor":""}`:               "cursor",
		`{"cursor":"AAAAAAAAAAA"}`:    "cursor", // id 0
		`{"cursor":"AAAAAAAAAAE="}`:   "cursor", // padded: not the canonical form
		`{"cursor":"AAAAAAAAAAAAAA"}`: "cursor",
		`{"page":2}`:                  "options",
		`[1]`:                         "options",
	}
	for in, field := range bad {
		_, err := api.ParseTxQuery([]byte(in))
		var e *api.Error
		if !errors.As(err, &e) || e.Code != api.CodeInvalidParams || e.Field != field {
			t.Errorf("%s: %v, want -32602 on %s", in, err, field)
		}
	}
}

func TestParseDepositRef(t *testing.T) {
	if r, err := api.ParseDepositRef([]byte(`7`)); err != nil || r.QueueIndex != 7 || r.L1TxHash != nil {
		t.Fatalf("%+v %v", r, err)
	}
	h := `"0x` + string(bytes.Repeat([]byte("ab"), 32)) + `"`
	if r, err := api.ParseDepositRef([]byte(h)); err != nil || r.L1TxHash == nil || r.L1TxHash[0] != 0xab {
		t.Fatalf("%+v %v", r, err)
	}
	for _, in := range []string{`-1`, `1.5`, `"0x12"`, `"7"`, `null`, `{}`, `9223372036854775808`} {
		if _, err := api.ParseDepositRef([]byte(in)); err == nil {
			t.Errorf("%s accepted", in)
		}
	}
}
