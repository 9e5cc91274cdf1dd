// Package bench holds end-to-end benchmarks that drive real components
// (PostgreSQL, the sequencer, the JSON-RPC API) and print JSON.
package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand"
	"net/http"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
	"github.com/sheafrollup/sheaf/sequencer"
)

// IngestConfig sizes an ingest run.
type IngestConfig struct {
	DBURL        string // empty: start a throw-away cluster
	Clients      int
	TxPerClient  int
	Circuit      protocol.Config
	BatchDelay   time.Duration
	SealInterval time.Duration
}

// Check validates the configuration.
func (c IngestConfig) Check() error {
	if c.Clients < 1 || c.TxPerClient < 1 {
		return errors.New("bench ingest: need at least one client and one transaction")
	}
	return c.Circuit.Check()
}

// IngestResult is what `sheaf bench ingest` prints.
type IngestResult struct {
	Clients               int     `json:"clients"`
	Accepted              int     `json:"accepted"`
	Rejected              int     `json:"rejected"`
	Seconds               float64 `json:"seconds"`
	TxPerSecond           float64 `json:"tx_per_second"`
	P50Ms                 float64 `json:"p50_ms"`
	P99Ms                 float64 `json:"p99_ms"`
	MaxMs                 float64 `json:"max_ms"`
	BatchesSealed         uint64  `json:"batches_sealed"`
	EdDSAVerifiesPerSec   float64 `json:"eddsa_verifies_per_second"`
	GOMAXPROCS            int     `json:"gomaxprocs"`
	Durable               bool    `json:"durable"` // fsync on: acceptance survives power loss
	SealIntervalSeconds   float64 `json:"seal_interval_seconds"`
	FirstRejectionMessage string  `json:"first_rejection,omitempty"`
}

// Ingest drives the real API with concurrent clients against PostgreSQL.
func Ingest(ctx context.Context, cfg IngestConfig, log *slog.Logger) (*IngestResult, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	res := &IngestResult{Clients: cfg.Clients, GOMAXPROCS: runtime.GOMAXPROCS(0), Durable: true,
		SealIntervalSeconds: cfg.SealInterval.Seconds()}
	// Measured first, on idle cores: the ceiling the run is compared with.
	res.EdDSAVerifiesPerSec = eddsaRate()
	log.Info("native EdDSA ceiling", "verifies_per_second", res.EdDSAVerifiesPerSec)
	pool, closeDB, err := database(ctx, cfg.DBURL, "bench", 32, log)
	if err != nil {
		return nil, err
	}
	defer closeDB()

	keys := protocoltest.Keys(42, cfg.Clients+1)
	for i, k := range keys {
		pk := k.Public().Bytes()
		if _, err := pool.Exec(ctx, `INSERT INTO deposits (queue_index, pubkey, amount, l1_block) VALUES ($1,$2,$3,1)`,
			i, pk[:], "1000000000000"); err != nil {
			return nil, fmt.Errorf("seed deposits: %w", err)
		}
	}
	sc := sequencer.DefaultConfig
	sc.Circuit, sc.ChainID, sc.Contract = cfg.Circuit, protocoltest.ChainID, protocoltest.Contract
	// keys[0] holds the genesis fee account, so keys[i] gets index i+1.
	if sc.Rollup, err = l1.NewFixed(cfg.Circuit, protocoltest.ChainID, protocoltest.Contract, keys[0].Public()); err != nil {
		return nil, err
	}
	sc.BatchDelay = cfg.BatchDelay
	sc.SealInterval = cfg.SealInterval
	sc.PollInterval = 50 * time.Millisecond
	seq, err := sequencer.New(sc, pool, log, nil)
	if err != nil {
		return nil, err
	}
	if err := seq.Start(ctx); err != nil {
		return nil, err
	}
	defer seq.Stop(context.Background())
	ac := api.DefaultConfig
	ac.HTTPAddr = "127.0.0.1:0"
	srv, err := api.NewServer(ac, seq, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		return nil, err
	}
	if err := srv.Start(ctx); err != nil {
		return nil, err
	}
	defer srv.Stop(context.Background())
	endpoint := "http://" + srv.Addr()

	for deadline := time.Now().Add(30 * time.Second); ; {
		a, err := seq.Account(ctx, uint32(len(keys)))
		if err == nil && a.Pending.Balance != "0" {
			break
		}
		if time.Now().After(deadline) {
			return nil, errors.New("bench ingest: deposits not applied in time")
		}
		time.Sleep(20 * time.Millisecond)
	}
	chain := seq.ChainInfo()

	// Sign everything up front: signing is the wallets' cost, not the server's.
	log.Info("signing transactions", "clients", cfg.Clients, "per_client", cfg.TxPerClient)
	txs := make([][]api.SendArgs, cfg.Clients)
	fee := uint256.NewInt(10)
	for c := range txs {
		r := rand.New(rand.NewSource(int64(c)))
		from := uint32(c + 2)
		for n := 0; n < cfg.TxPerClient; n++ {
			to := uint32(1 + r.Intn(len(keys)))
			args, err := client.SignTransfer(keys[c+1], chain, from, to, uint256.NewInt(uint64(1+r.Intn(1000))), fee, uint32(n))
			if err != nil {
				return nil, err
			}
			txs[c] = append(txs[c], args)
		}
	}

	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Clients}}
	lat := make([][]time.Duration, cfg.Clients)
	var rejected atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	log.Info("sending")
	start := time.Now()
	for c := 0; c < cfg.Clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			rc, err := rpc.DialOptions(ctx, endpoint, rpc.WithHTTPClient(hc))
			if err != nil {
				firstErr.CompareAndSwap(nil, err.Error())
				rejected.Add(int64(len(txs[c])))
				return
			}
			defer rc.Close()
			cl := client.New(rc)
			for _, args := range txs[c] {
				t0 := time.Now()
				if _, err := cl.SendTransaction(ctx, args); err != nil {
					rejected.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		}(c)
	}
	wg.Wait()
	res.Seconds = time.Since(start).Seconds()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	res.Accepted, res.Rejected = len(all), int(rejected.Load())
	if v, ok := firstErr.Load().(string); ok {
		res.FirstRejectionMessage = v
	}
	if len(all) > 0 {
		pct := func(p float64) float64 {
			return float64(all[min(len(all)-1, int(p*float64(len(all))))].Microseconds()) / 1000
		}
		res.TxPerSecond = float64(len(all)) / res.Seconds
		res.P50Ms, res.P99Ms, res.MaxMs = pct(0.50), pct(0.99), float64(all[len(all)-1].Microseconds())/1000
	}
	n, err := seq.BatchNumbers(ctx)
	if err == nil {
		res.BatchesSealed = n.Sealed
	}
	return res, nil
}

// eddsaRate measures native signature verifications per second on all cores.
func eddsaRate() float64 {
	k := protocoltest.Keys(1, 1)[0]
	var msg = protocol.DomainState(1, [20]byte{})
	sig, err := k.Sign(msg)
	if err != nil {
		return 0
	}
	var n atomic.Int64
	var wg sync.WaitGroup
	stop := time.Now().Add(time.Second)
	start := time.Now()
	for i := 0; i < runtime.GOMAXPROCS(0); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				protocol.Verify(k.Public(), msg, sig)
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds()
}
