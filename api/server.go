package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/cors"

	"github.com/sheafrollup/sheaf/protocol"
)

// Namespace is the JSON-RPC namespace of every Sheaf method.
const Namespace = "sheaf"

// Methods are the JSON-RPC methods the server answers: the sheaf_ service
// (a test checks this list against the service by reflection and against
// api/openrpc.json), go-ethereum's subscription entry points and its
// built-in rpc_modules.
var Methods = []string{
	"sheaf_chainId",
	"sheaf_sendTransaction",
	"sheaf_getTransaction",
	"sheaf_getAccount",
	"sheaf_getAccountProof",
	"sheaf_getBatch",
	"sheaf_batchNumber",
	"sheaf_estimateFee",
	"sheaf_getTransactions",
	"sheaf_getDeposit",
	"sheaf_subscribe",
	"sheaf_unsubscribe",
	"rpc_modules",
}

// Subscriptions are the names sheaf_subscribe accepts (WebSocket only).
var Subscriptions = []string{"newBatches", "transactionStatus"}

// Config is the API server's configuration.
type Config struct {
	HTTPAddr              string   // listen address; ":0" picks a port (see Addr)
	MaxBodyBytes          int      // largest HTTP request body; larger gets HTTP 413
	MaxBatchItems         int      // most calls in one JSON-RPC batch
	MaxBatchResponseBytes int      // most response bytes for one batch
	WSReadLimit           int64    // largest WebSocket message
	CORSOrigins           []string // browser origins allowed for HTTP and WebSocket ("*": any)
}

// DefaultConfig suits a public endpoint: a signed transaction is under
// 1 KiB, so 256 KiB bodies fit a full batch of 100 with room to spare.
var DefaultConfig = Config{
	HTTPAddr:              "127.0.0.1:8645",
	MaxBodyBytes:          256 << 10,
	MaxBatchItems:         100,
	MaxBatchResponseBytes: 10 << 20,
	WSReadLimit:           256 << 10,
}

// Check reports whether the configuration is usable.
func (c Config) Check() error {
	switch {
	case c.HTTPAddr == "":
		return errors.New("api: empty HTTP address")
	case c.MaxBodyBytes < 1024:
		return fmt.Errorf("api: body limit %d below 1024 bytes", c.MaxBodyBytes)
	case c.MaxBatchItems < 1:
		return fmt.Errorf("api: batch item limit %d below 1", c.MaxBatchItems)
	case c.MaxBatchResponseBytes < 1024:
		return fmt.Errorf("api: batch response limit %d below 1024 bytes", c.MaxBatchResponseBytes)
	case c.WSReadLimit < 1024:
		return fmt.Errorf("api: WebSocket read limit %d below 1024 bytes", c.WSReadLimit)
	}
	for _, o := range c.CORSOrigins {
		if o == "" || strings.ContainsAny(o, " ,") {
			return fmt.Errorf("api: bad CORS origin %q (one origin per entry)", o)
		}
	}
	return nil
}

// Server serves the Sheaf JSON-RPC API over HTTP and WebSocket on one
// address: POST / is JSON-RPC, a WebSocket upgrade on / is JSON-RPC with
// subscriptions, GET /healthz answers 200 while the server runs.
type Server struct {
	cfg     Config
	backend Backend
	log     *slog.Logger
	m       *metrics
	rpc     *rpc.Server
	handler http.Handler

	mu       sync.Mutex
	srv      *http.Server
	addr     string
	stopping bool
	quit     chan struct{} // closed by Stop: subscription loops end
	subs     sync.WaitGroup
}

// NewServer builds the server; Start listens, Handler serves without
// listening (tests). log and reg may be nil.
func NewServer(cfg Config, b Backend, log *slog.Logger, reg prometheus.Registerer) (*Server, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if b == nil {
		return nil, errors.New("api: nil backend")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, backend: b, log: log.With("component", "api"), m: m, quit: make(chan struct{})}
	s.rpc = rpc.NewServer()
	s.rpc.SetHTTPBodyLimit(cfg.MaxBodyBytes)
	s.rpc.SetBatchLimits(cfg.MaxBatchItems, cfg.MaxBatchResponseBytes)
	if err := s.rpc.RegisterName(Namespace, &service{s: s}); err != nil {
		return nil, fmt.Errorf("api: register service: %w", err)
	}
	s.handler = s.buildHandler()
	return s, nil
}

func (s *Server) buildHandler() http.Handler {
	ws := s.wsHandler()
	var httpRPC http.Handler = s.limitBody(addErrorData(s.rpc))
	if len(s.cfg.CORSOrigins) > 0 {
		httpRPC = cors.New(cors.Options{
			AllowedOrigins: s.cfg.CORSOrigins,
			AllowedMethods: []string{http.MethodPost, http.MethodGet},
			AllowedHeaders: []string{"*"},
			MaxAge:         600,
		}).Handler(httpRPC)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"ok"}`+"\n")
	})
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		if isWebsocket(r) {
			ws.ServeHTTP(w, r)
			return
		}
		httpRPC.ServeHTTP(w, r)
	})
	return mux
}

func isWebsocket(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket") &&
		strings.Contains(strings.ToLower(r.Header.Get("Connection")), "upgrade")
}

// limitBody answers an oversized POST body with HTTP 413 and a JSON-RPC
// error (code -32600, reason "request_too_large") before anything is
// decoded. go-ethereum would answer 413 with a plain-text body when the
// Content-Length is too large and a parse error for a chunked body.
func (s *Server) limitBody(next http.Handler) http.Handler {
	limit := int64(s.cfg.MaxBodyBytes)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.ContentLength < 0 { // unknown length (chunked)
			body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
			if err != nil {
				http.Error(w, "read error", http.StatusBadRequest)
				return
			}
			if int64(len(body)) <= limit {
				r.Body = io.NopCloser(bytes.NewReader(body))
				r.ContentLength = int64(len(body))
			} else {
				r.ContentLength = int64(len(body)) // at least this much
			}
		}
		if r.ContentLength > limit {
			s.m.requests.WithLabelValues("http", strconv.Itoa(int(CodeInvalidRequest))).Inc()
			s.log.Debug("request body too large", "bytes", r.ContentLength, "limit", limit, "remote", r.RemoteAddr)
			msg := fmt.Sprintf("request body too large: %d bytes, the limit is %d", r.ContentLength, limit)
			body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": nil, "error": map[string]any{
				"code": CodeInvalidRequest, "message": msg, "data": ErrorData{Reason: "request_too_large"}}})
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Connection", "close")
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			_, _ = w.Write(body)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Handler serves the API without a listener (httptest).
func (s *Server) Handler() http.Handler { return s.handler }

// Start listens on cfg.HTTPAddr and serves in the background until Stop.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil || s.stopping {
		return errors.New("api: server already started or stopped")
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", s.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("api: listen: %w", err)
	}
	s.addr = ln.Addr().String()
	s.srv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       rpc.DefaultHTTPTimeouts.ReadTimeout,
		WriteTimeout:      rpc.DefaultHTTPTimeouts.WriteTimeout, // go-ethereum answers -32002 just before it
		IdleTimeout:       rpc.DefaultHTTPTimeouts.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	srv := s.srv
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("API server stopped", "err", err)
		}
	}()
	s.log.Info("API listening", "addr", s.addr, "http", "http://"+s.addr+"/", "ws", "ws://"+s.addr+"/")
	return nil
}

// Addr is the address Start listens on ("" before Start).
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Stop stops accepting requests, waits for HTTP requests in flight (until
// ctx ends), closes WebSocket connections and ends every subscription.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		return nil
	}
	s.stopping = true
	close(s.quit)
	srv := s.srv
	s.mu.Unlock()

	var err error
	if srv != nil {
		err = srv.Shutdown(ctx)
	}
	s.rpc.Stop() // closes WebSocket connections; their subscriptions end
	done := make(chan struct{})
	go func() { s.subs.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		if err == nil {
			err = ctx.Err()
		}
	}
	s.log.Info("API stopped")
	return err
}

// reserve counts a subscription loop about to start (release it with
// s.subs.Done); false while the server is stopping.
func (s *Server) reserve() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return false
	}
	s.subs.Add(1)
	return true
}

// finish turns a method's error into an *Error (logging internal ones)
// and records metrics. Call it deferred with the named error result.
func (s *Server) finish(method string, start time.Time, errp *error) {
	code := 0
	if *errp != nil {
		e := s.toError(method, *errp)
		*errp = e
		code = int(e.Code)
	}
	s.m.requests.WithLabelValues(method, strconv.Itoa(code)).Inc()
	s.m.seconds.WithLabelValues(method).Observe(time.Since(start).Seconds())
}

// defaultField names the parameter a backend rule error concerns; an
// error about one account (protocol.AccountError) names it instead.
var defaultField = map[Code]string{
	CodeBadSignature:      "signature",
	CodeWrongNonce:        "nonce",
	CodeNonceTooHigh:      "nonce",
	CodeNonceExhausted:    "nonce",
	CodeFeeTooLow:         "fee",
	CodeInsufficientFunds: "amount", // amount + fee exceed the sender's balance
	CodeBalanceOverflow:   "amount", // the recipient cannot take this amount
}

// toError maps err to the error the client sees. Internal errors are
// logged and replaced by "internal error"; infrastructure conditions get a
// fixed message (their causes may name hosts or queries).
func (s *Server) toError(method string, err error) *Error {
	var e *Error
	if errors.As(err, &e) && e.Code != CodeInternal {
		s.log.Debug("request rejected", "method", method, "code", int(e.Code), "err", e.Message)
		return e
	}
	code := CodeOf(err)
	out := &Error{Code: code, Reason: code.Reason(), Field: defaultField[code], Message: err.Error(), cause: err}
	if ae := (*protocol.AccountError)(nil); errors.As(err, &ae) && ae.Field != "" {
		out.Field = ae.Field
	}
	switch code {
	case CodeInternal:
		s.log.Error("internal error", "method", method, "err", err)
		out.Message = "internal error"
	case CodeUnavailable:
		s.log.Warn("backend unavailable", "method", method, "err", err)
		out.Message = ErrUnavailable.Error() + ": retry later"
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			out.Message = "request timed out or was cancelled; retry later (a sent transaction may still be accepted: look it up by hash)"
		}
	case CodeBadSignature:
		if err.Error() == protocol.ErrBadSignature.Error() { // the bare rule error: say what to check
			out.Message = "signature: invalid signature: it does not verify under the sender's key for this exact message " +
				"(check the domainState from sheaf_chainId, kind, from, to or l1Address, amount, fee and nonce)"
		}
		s.log.Debug("request rejected", "method", method, "code", int(code), "err", err)
	case CodeMempoolFull:
		s.log.Warn("mempool full", "method", method)
		out.Message = ErrMempoolFull.Error() + ": retry later"
	default:
		s.log.Debug("request rejected", "method", method, "code", int(code), "err", err)
	}
	return out
}

type metrics struct {
	requests *prometheus.CounterVec
	seconds  *prometheus.HistogramVec
	subs     *prometheus.GaugeVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sheaf_api_requests_total",
			Help: "JSON-RPC calls served by the sheaf service, by method and result code (0: success).",
		}, []string{"method", "code"}),
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "sheaf_api_request_seconds",
			Help:    "Time to serve a JSON-RPC call, by method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method"}),
		subs: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "sheaf_api_subscriptions",
			Help: "Active WebSocket subscriptions, by kind.",
		}, []string{"subscription"}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.requests, m.seconds, m.subs} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("api: register metrics: %w", err)
			}
		}
	}
	return m, nil
}

// service is registered as the "sheaf" namespace: each exported method is
// a JSON-RPC method (lower-cased first letter), so it has no others.
type service struct{ s *Server }

// ChainId returns the deployment's identity and circuit (sheaf_chainId).
func (a *service) ChainId() ChainInfo {
	start := time.Now()
	ci := a.s.backend.ChainInfo()
	var err error
	a.s.finish("sheaf_chainId", start, &err)
	return ci
}

// SendTransaction validates a signed transfer or withdrawal and hands it
// to the sequencer; the hash is returned once it is durably accepted.
func (a *service) SendTransaction(ctx context.Context, args SendArgs) (h common.Hash, err error) {
	defer a.s.finish("sheaf_sendTransaction", time.Now(), &err)
	op, err := args.Decode()
	if err != nil {
		return common.Hash{}, err
	}
	if op.Transfer != nil {
		h, err = a.s.backend.SendTransfer(ctx, op.Transfer)
	} else {
		h, err = a.s.backend.SendWithdrawal(ctx, op.Withdrawal)
	}
	if err == nil && h == (common.Hash{}) {
		err = errors.New("backend accepted a transaction with a zero hash")
	}
	if err != nil {
		return common.Hash{}, err
	}
	a.s.log.Debug("transaction accepted", "hash", h, "kind", args.Kind, "from", args.From, "nonce", args.Nonce)
	return h, nil
}

// GetTransaction returns a transaction and its status.
func (a *service) GetTransaction(ctx context.Context, hash common.Hash) (_ *TxInfo, err error) {
	defer a.s.finish("sheaf_getTransaction", time.Now(), &err)
	tx, err := a.s.backend.Transaction(ctx, hash)
	if err == nil && tx == nil {
		err = fmt.Errorf("%w: transaction %s", ErrNotFound, hash)
	}
	if err != nil {
		return nil, err
	}
	return tx, nil
}

// resolve turns a reference into an index.
func (a *service) resolve(ctx context.Context, ref AccountRef) (uint32, error) {
	if ref.PubKey == nil {
		if ref.Index == 0 {
			return 0, fieldError("account", protocol.ErrReservedAccount)
		}
		return ref.Index, nil
	}
	pk, err := protocol.ParsePublicKey(ref.PubKey)
	if err != nil {
		return 0, fieldError("account", err)
	}
	return a.s.backend.AccountIndex(ctx, pk)
}

// GetAccount returns an account's pending, sealed and finalized state.
func (a *service) GetAccount(ctx context.Context, ref AccountRef) (_ *AccountInfo, err error) {
	defer a.s.finish("sheaf_getAccount", time.Now(), &err)
	idx, err := a.resolve(ctx, ref)
	if err != nil {
		return nil, err
	}
	acc, err := a.s.backend.Account(ctx, idx)
	if err == nil && acc == nil {
		err = fmt.Errorf("%w: account %d", ErrNotFound, idx)
	}
	if err != nil {
		return nil, err
	}
	return acc, nil
}

// GetAccountProof returns a Merkle proof of an account against a batch's
// new root (batch omitted or 0: the latest sealed batch).
func (a *service) GetAccountProof(ctx context.Context, ref AccountRef, batch *Quantity) (_ *AccountProof, err error) {
	defer a.s.finish("sheaf_getAccountProof", time.Now(), &err)
	idx, err := a.resolve(ctx, ref)
	if err != nil {
		return nil, err
	}
	var n uint64
	if batch != nil {
		n = uint64(*batch)
	}
	p, err := a.s.backend.AccountProof(ctx, idx, n)
	if err == nil && p == nil {
		err = fmt.Errorf("%w: proof of account %d", ErrNotFound, idx)
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// GetBatch returns a batch by number (the first batch is 1).
func (a *service) GetBatch(ctx context.Context, number Quantity) (_ *BatchInfo, err error) {
	defer a.s.finish("sheaf_getBatch", time.Now(), &err)
	if number == 0 {
		return nil, NewError(CodeNotFound, "", "not found: batch 0 (the first batch is 1)")
	}
	b, err := a.s.backend.Batch(ctx, uint64(number))
	if err == nil && b == nil {
		err = fmt.Errorf("%w: batch %d", ErrNotFound, number)
	}
	if err != nil {
		return nil, err
	}
	return b, nil
}

// BatchNumber returns the latest batch at each stage.
func (a *service) BatchNumber(ctx context.Context) (_ BatchNumbers, err error) {
	defer a.s.finish("sheaf_batchNumber", time.Now(), &err)
	return a.s.backend.BatchNumbers(ctx)
}

// EstimateFee returns the minimum fee for a kind of transaction.
func (a *service) EstimateFee(ctx context.Context, kind string) (_ *FeeEstimate, err error) {
	defer a.s.finish("sheaf_estimateFee", time.Now(), &err)
	if kind != KindTransfer && kind != KindWithdrawal {
		return nil, NewError(CodeInvalidParams, "kind", `kind: %q is not "transfer" or "withdrawal"`, truncate(kind))
	}
	f, err := a.s.backend.EstimateFee(ctx, kind)
	if err == nil && f == nil {
		err = errors.New("backend returned no fee estimate")
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// subBuffer is how many events a slow WebSocket client may lag behind
// before the backend drops events for it.
const subBuffer = 64

var errNoNotifications = NewError(CodeMethodNotFound, "", "subscriptions need a WebSocket connection")

// NewBatches notifies every newly sealed batch and each later status
// change of a batch (sheaf_subscribe "newBatches").
func (a *service) NewBatches(ctx context.Context) (_ *rpc.Subscription, err error) {
	defer a.s.finish("sheaf_subscribe/newBatches", time.Now(), &err)
	n, ok := rpc.NotifierFromContext(ctx)
	if !ok {
		return nil, errNoNotifications
	}
	if !a.s.reserve() {
		return nil, ErrUnavailable
	}
	ch := make(chan BatchInfo, subBuffer)
	cancel := a.s.backend.SubscribeBatches(ch)
	sub := n.CreateSubscription()
	go func() {
		defer a.s.subs.Done()
		defer cancel()
		gauge := a.s.m.subs.WithLabelValues("newBatches")
		gauge.Inc()
		defer gauge.Dec()
		for {
			select {
			case b, ok := <-ch:
				if !ok {
					return
				}
				if err := n.Notify(sub.ID, b); err != nil {
					return
				}
			case <-sub.Err():
				return
			case <-a.s.quit:
				return
			}
		}
	}()
	return sub, nil
}

// Terminal reports whether a transaction status is final.
func Terminal(status string) bool { return status == StatusFinalized || status == StatusRejected }

// TransactionStatus sends a transaction's current state, then each status
// change, and ends after a terminal status (finalized or rejected), when
// the backend ends it, or on unsubscribe (sheaf_subscribe
// "transactionStatus", hash).
func (a *service) TransactionStatus(ctx context.Context, hash common.Hash) (_ *rpc.Subscription, err error) {
	defer a.s.finish("sheaf_subscribe/transactionStatus", time.Now(), &err)
	n, ok := rpc.NotifierFromContext(ctx)
	if !ok {
		return nil, errNoNotifications
	}
	if !a.s.reserve() {
		return nil, ErrUnavailable
	}
	// Subscribe before reading the current state so no change is missed.
	ch := make(chan TxInfo, subBuffer)
	cancel := a.s.backend.SubscribeTransaction(hash, ch)
	cur, err := a.s.backend.Transaction(ctx, hash)
	if err == nil && cur == nil {
		err = fmt.Errorf("%w: transaction %s", ErrNotFound, hash)
	}
	if err != nil {
		cancel()
		a.s.subs.Done()
		return nil, err
	}
	sub := n.CreateSubscription()
	_ = n.Notify(sub.ID, *cur) // buffered until the subscription id is sent
	if Terminal(cur.Status) {
		cancel()
		a.s.subs.Done()
		return sub, nil
	}
	go func() {
		defer a.s.subs.Done()
		defer cancel()
		gauge := a.s.m.subs.WithLabelValues("transactionStatus")
		gauge.Inc()
		defer gauge.Dec()
		last := cur.Status
		for {
			select {
			case tx, ok := <-ch:
				if !ok {
					return
				}
				if tx.Hash != hash || tx.Status == last {
					continue
				}
				last = tx.Status
				if err := n.Notify(sub.ID, tx); err != nil || Terminal(tx.Status) {
					return
				}
			case <-sub.Err():
				return
			case <-a.s.quit:
				return
			}
		}
	}()
	return sub, nil
}
