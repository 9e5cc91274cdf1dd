package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/gorilla/websocket"
)

// WebSocket: go-ethereum's own handler writes frames from inside its codec,
// where nothing can add the error data its layer leaves out. So the server
// upgrades the connection itself and joins it to go-ethereum's stream
// codec through an in-memory pipe: requests go in as they arrive, and
// every message coming out passes patchErrors on its way to a frame.
// Limits and origin rules are the ones docs/api.md states.

const (
	wsPingInterval = 30 * time.Second // ping an idle client this often
	wsPongWait     = 60 * time.Second // drop a client that answers no ping this long
	wsWriteWait    = 10 * time.Second
	wsMaxPending   = 4096 // calls awaiting an answer whose methods are remembered
)

// wsHandler serves JSON-RPC with subscriptions over WebSocket.
func (s *Server) wsHandler() http.Handler {
	up := websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024, CheckOrigin: originAllowed(s.cfg.CORSOrigins)}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			s.log.Debug("WebSocket upgrade failed", "err", err, "remote", r.RemoteAddr)
			return
		}
		s.serveWS(conn)
	})
}

// wsConn is one client connection.
type wsConn struct {
	conn    *websocket.Conn
	pipe    net.Conn // our end; go-ethereum's codec has the other
	writeMu sync.Mutex

	mu      sync.Mutex
	pending map[string][]string // call id -> methods, until answered
}

func (s *Server) serveWS(conn *websocket.Conn) {
	ours, theirs := net.Pipe()
	c := &wsConn{conn: conn, pipe: ours, pending: map[string][]string{}}
	conn.SetReadLimit(s.cfg.WSReadLimit)
	go s.rpc.ServeCodec(rpc.NewCodec(theirs), 0) // ends when the pipe closes or the server stops
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.writeLoop()
	}()
	c.readLoop()
	_ = ours.Close()
	<-done
	_ = conn.Close()
}

// readLoop hands each frame to go-ethereum until the client goes away.
func (c *wsConn) readLoop() {
	_ = c.conn.SetReadDeadline(time.Now().Add(wsPongWait))
	c.conn.SetPongHandler(func(string) error { return c.conn.SetReadDeadline(time.Now().Add(wsPongWait)) })
	for {
		_, frame, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		_ = c.conn.SetReadDeadline(time.Now().Add(wsPongWait))
		if !json.Valid(frame) {
			// As go-ethereum does: answer a parse error, then hang up.
			msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": nil, "error": wireError{
				Code: int(CodeParseError), Message: "parse error: the message is not JSON",
				Data: mustJSON(ErrorData{Reason: CodeParseError.Reason()})}})
			_ = c.write(websocket.TextMessage, msg)
			return
		}
		c.remember(frame)
		if _, err := c.pipe.Write(append(frame, '\n')); err != nil {
			return // the server stopped
		}
	}
}

// writeLoop sends go-ethereum's answers (one JSON text per line), with the
// error data added, and pings an idle client.
func (c *wsConn) writeLoop() {
	defer c.conn.Close() // ends readLoop too
	lines := make(chan []byte)
	go func() {
		defer close(lines)
		r := bufio.NewReader(c.pipe)
		for {
			line, err := r.ReadBytes('\n')
			if len(bytes.TrimSpace(line)) > 0 {
				lines <- line
			}
			if err != nil {
				return
			}
		}
	}()
	ping := time.NewTicker(wsPingInterval)
	defer ping.Stop()
	for {
		select {
		case line, ok := <-lines:
			if !ok { // the server stopped or the client left
				_ = c.write(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
				return
			}
			out, _ := patchErrors(line, c.answered(line))
			if err := c.write(websocket.TextMessage, bytes.TrimRight(out, "\n")); err != nil {
				_ = c.pipe.Close()
				for range lines { // let the reader finish
				}
				return
			}
		case <-ping.C:
			c.writeMu.Lock()
			err := c.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(wsWriteWait))
			c.writeMu.Unlock()
			if err != nil {
				_ = c.pipe.Close()
				for range lines {
				}
				return
			}
		}
	}
}

func (c *wsConn) write(kind int, b []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	_ = c.conn.SetWriteDeadline(time.Now().Add(wsWriteWait))
	return c.conn.WriteMessage(kind, b)
}

// remember records the methods of a request's calls by id (a notification,
// without id, gets no answer and is not kept).
func (c *wsConn) remember(frame []byte) {
	byID := methodsByID(frame)
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, ms := range byID {
		if id == "" || len(c.pending) >= wsMaxPending {
			continue
		}
		c.pending[id] = append(c.pending[id], ms...)
	}
}

// answered forgets the calls an outgoing message answers and returns, for
// patchErrors, the methods they were.
func (c *wsConn) answered(msg []byte) func() map[string][]string {
	ids := responseIDs(msg)
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string][]string{}
	for _, id := range ids {
		if ms := c.pending[id]; len(ms) > 0 {
			out[id] = append(out[id], ms[0])
			if len(ms) == 1 {
				delete(c.pending, id)
			} else {
				c.pending[id] = ms[1:]
			}
		}
	}
	return func() map[string][]string { return out }
}

// responseIDs returns the ids a message answers. go-ethereum writes the id
// right after "jsonrpc", so a single answer is read only that far; a
// notification has none.
func responseIDs(msg []byte) []string {
	msg = bytes.TrimSpace(msg)
	if len(msg) > 0 && msg[0] == '[' {
		var calls []request
		if json.Unmarshal(msg, &calls) != nil {
			return nil
		}
		ids := make([]string, 0, len(calls))
		for _, c := range calls {
			if len(c.ID) > 0 {
				ids = append(ids, compactJSON(c.ID))
			}
		}
		return ids
	}
	dec := json.NewDecoder(bytes.NewReader(msg))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil
		}
		switch k {
		case "id":
			return []string{compactJSON(v)}
		case "jsonrpc":
			continue
		default:
			return nil // past where go-ethereum puts the id
		}
	}
	return nil
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// originAllowed checks a browser's Origin against the CORS list: "*" allows
// any; an empty list allows http://localhost and this host's name; a
// request without Origin (not a browser) is not checked. An entry may
// leave out the scheme or the port, which then match any.
func originAllowed(allowed []string) func(*http.Request) bool {
	list := allowed
	if len(list) == 0 {
		list = []string{"http://localhost"}
		if h, err := os.Hostname(); err == nil {
			list = append(list, "http://"+h)
		}
	}
	return func(r *http.Request) bool {
		if _, sent := r.Header["Origin"]; !sent {
			return true
		}
		origin := strings.ToLower(r.Header.Get("Origin"))
		for _, a := range list {
			if a == "*" || originMatches(strings.ToLower(a), origin) {
				return true
			}
		}
		return false
	}
}

func originMatches(rule, origin string) bool {
	rs, rh, rp, err1 := splitOrigin(rule)
	bs, bh, bp, err2 := splitOrigin(origin)
	if err1 != nil || err2 != nil {
		return false
	}
	return (rs == "" || rs == bs) && (rh == "" || rh == bh) && (rp == "" || rp == bp)
}

func splitOrigin(o string) (scheme, host, port string, err error) {
	if !strings.Contains(o, "://") {
		o = "none://" + o
		u, err := url.Parse(o)
		if err != nil {
			return "", "", "", err
		}
		return "", u.Hostname(), u.Port(), nil
	}
	u, err := url.Parse(o)
	if err != nil {
		return "", "", "", err
	}
	if u.Hostname() == "" {
		return "", "", "", errors.New("no host")
	}
	return u.Scheme, u.Hostname(), u.Port(), nil
}
