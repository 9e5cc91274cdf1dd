package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// go-ethereum answers a request it cannot hand to a method itself: a body
// that is not JSON (-32700), not a JSON-RPC request (-32600), an unknown
// method (-32601), parameters that do not decode (-32602). Those errors
// carry only a code and a text. The server adds the data every Sheaf error
// has, {reason, field}, to the responses on their way out (addErrorData on
// HTTP, the WebSocket bridge in ws.go), taking field from the text.

// ParamNames are the positional parameters of each method, named as in
// api/openrpc.json (a test checks that they agree): data.field of a -32602
// about a whole parameter.
var ParamNames = map[string][]string{
	"sheaf_chainId":         {},
	"sheaf_sendTransaction": {"transaction"},
	"sheaf_getTransaction":  {"hash"},
	"sheaf_getAccount":      {"account"},
	"sheaf_getAccountProof": {"account", "batch"},
	"sheaf_getBatch":        {"number"},
	"sheaf_batchNumber":     {},
	"sheaf_estimateFee":     {"kind"},
	"sheaf_subscribe":       {"subscription", "hash"},
	"sheaf_unsubscribe":     {"id"},
	"rpc_modules":           {},
	"sheaf_getTransactions": {"account", "options"},
	"sheaf_getDeposit":      {"deposit"},
}

var (
	argRE    = regexp.MustCompile(`^(?:invalid argument|missing value for required argument) (\d+)(?:: (.*))?$`)
	memberRE = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*): `)
)

// fieldOf names what a go-ethereum -32602 message is about: a member of
// the transaction (SendArgs' decoding errors start with it), else the
// parameter at the position the message gives.
func fieldOf(method, msg string) string {
	if strings.HasPrefix(msg, "expected subscription name") {
		return "subscription"
	}
	m := argRE.FindStringSubmatch(msg)
	if m == nil {
		return "" // "too many arguments", "non-array args": no single parameter
	}
	i, _ := strconv.Atoi(m[1])
	if method == "sheaf_sendTransaction" && i == 0 {
		if mm := memberRE.FindStringSubmatch(m[2]); mm != nil {
			return mm[1]
		}
	}
	names := ParamNames[method] // sheaf_subscribe counts the name as argument 0 too
	if i < len(names) {
		return names[i]
	}
	return ""
}

// request is the part of a JSON-RPC call the patcher needs.
type request struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
}

// methodsByID maps each call's id (as sent) to its methods, in order.
func methodsByID(body []byte) map[string][]string {
	body = bytes.TrimSpace(body)
	var calls []request
	if len(body) > 0 && body[0] == '[' {
		if json.Unmarshal(body, &calls) != nil {
			return nil
		}
	} else {
		var c request
		if json.Unmarshal(body, &c) != nil {
			return nil
		}
		calls = []request{c}
	}
	out := map[string][]string{}
	for _, c := range calls {
		k := compactJSON(c.ID)
		out[k] = append(out[k], c.Method)
	}
	return out
}

func compactJSON(b []byte) string {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return string(b)
	}
	return buf.String()
}

type wireError struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// patchErrors adds data {reason, field} to every error in a response (one
// message or a batch) that has a reason in the error table and no data.
// methods returns the request's methods by id (called only when needed);
// it may return nil. ok is false when nothing changed.
func patchErrors(resp []byte, methods func() map[string][]string) ([]byte, bool) {
	if !bytes.Contains(resp, []byte(`"error"`)) {
		return resp, false
	}
	trimmed := bytes.TrimSpace(resp)
	var msgs []json.RawMessage
	batch := len(trimmed) > 0 && trimmed[0] == '['
	if batch {
		if json.Unmarshal(trimmed, &msgs) != nil {
			return resp, false
		}
	} else {
		msgs = []json.RawMessage{trimmed}
	}
	var byID map[string][]string
	loaded := false
	changed := false
	for i, raw := range msgs {
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil || m["error"] == nil {
			continue
		}
		var e wireError
		if json.Unmarshal(m["error"], &e) != nil || (len(e.Data) > 0 && !bytes.Equal(e.Data, []byte("null"))) {
			continue
		}
		reason := Code(e.Code).Reason()
		if reason == "" {
			continue
		}
		d := ErrorData{Reason: reason}
		if Code(e.Code) == CodeInvalidParams {
			if !loaded {
				byID, loaded = methods(), true
			}
			method := ""
			if id := compactJSON(m["id"]); len(byID[id]) > 0 {
				method = byID[id][0]
				byID[id] = byID[id][1:]
			}
			d.Field = fieldOf(method, e.Message)
		}
		e.Data, _ = json.Marshal(d)
		m["error"], _ = json.Marshal(e)
		msgs[i], _ = json.Marshal(m)
		changed = true
	}
	if !changed {
		return resp, false
	}
	if !batch {
		return append(msgs[0], '\n'), true
	}
	out, _ := json.Marshal(msgs)
	return append(out, '\n'), true
}

// recorder buffers a response so that addErrorData can rewrite it.
type recorder struct {
	header http.Header
	status int
	buf    bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.buf.Write(b)
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

// addErrorData gives go-ethereum's own JSON-RPC errors over HTTP the data
// member Sheaf's errors carry. The body was already limited (limitBody).
func addErrorData(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "read error", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := &recorder{header: w.Header()}
		next.ServeHTTP(rec, r)
		out := rec.buf.Bytes()
		if p, ok := patchErrors(out, func() map[string][]string { return methodsByID(body) }); ok {
			out = p
		}
		if rec.header.Get("Content-Length") != "" {
			rec.header.Set("Content-Length", strconv.Itoa(len(out)))
		}
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		w.WriteHeader(rec.status)
		_, _ = w.Write(out)
	})
}
