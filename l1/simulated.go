package l1

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
)

// MainnetLikeGas is an option for go-ethereum's simulated.NewBackend: the
// v1.17.10 dev chain enables a future fork (Bogota) that multiplies storage
// gas, so it is switched off and the forks before it (mainnet's rules, with
// EIP-7623's calldata floor) apply. Tests, benchmarks and the devnet use it.
func MainnetLikeGas(_ *node.Config, ec *ethconfig.Config) {
	cc := *ec.Genesis.Config
	cc.BogotaTime = nil
	ec.Genesis.Config = &cc
}

// Archive is a simulated.NewBackend option that keeps every block's state
// (hash scheme, no pruning), as an archive node does: the auditor reads the
// contract at the block it stops at, and a test that moves its stop block
// back more than 128 blocks behind the head needs that state.
func Archive(_ *node.Config, ec *ethconfig.Config) {
	ec.StateScheme, ec.NoPruning = rawdb.HashScheme, true
}

// ServeHTTP is a simulated.NewBackend option that serves the chain's
// JSON-RPC (eth, net, web3) over HTTP, for wallets and auditors.
func ServeHTTP(host string, port int) func(*node.Config, *ethconfig.Config) {
	return func(nc *node.Config, _ *ethconfig.Config) {
		nc.HTTPHost, nc.HTTPPort = host, port
		nc.HTTPModules = []string{"eth", "net", "web3"}
		nc.HTTPVirtualHosts = []string{"*"}
	}
}

// Miner commits a block on a simulated chain every interval, in the
// background, until Stop. Stop waits for the mining goroutine, so a Close
// of the chain after it can never race a Commit (go-ethereum's simulated
// backend does not allow the two at once).
type Miner struct {
	sim    interface{ Commit() common.Hash }
	mu     sync.Mutex // held during each Commit: Pause and Do wait on it
	paused atomic.Bool
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
}

// StartMiner commits a block on sim every interval until Stop.
func StartMiner(sim interface{ Commit() common.Hash }, every time.Duration) *Miner {
	m := &Miner{sim: sim, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(m.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-m.stop:
				return
			case <-t.C:
				if !m.paused.Load() {
					m.Do(func() { m.sim.Commit() })
				}
			}
		}
	}()
	return m
}

// Stop stops mining and returns once no Commit can follow; it may be
// called more than once.
func (m *Miner) Stop() {
	m.once.Do(func() { close(m.stop) })
	<-m.done
}

// Pause stops mining until Resume and returns once no Commit is running.
func (m *Miner) Pause() {
	m.paused.Store(true)
	m.Do(func() {})
}

// Resume mines again after Pause.
func (m *Miner) Resume() { m.paused.Store(false) }

// Do runs f while no block is being committed (a Fork, a Rollback or a
// Commit of the caller's own).
func (m *Miner) Do(f func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f()
}

// SimulatedChain is go-ethereum's simulated backend with an optional
// background miner; its Close stops the miner first.
type SimulatedChain struct {
	*simulated.Backend
	mu    sync.Mutex
	miner *Miner
}

// NewSimulatedChain starts a simulated chain (chain id 1337) with alloc
// and options (MainnetLikeGas, ServeHTTP, ...). It mines only when told
// to: Commit, or Mine for a background miner.
func NewSimulatedChain(alloc types.GenesisAlloc, opts ...func(*node.Config, *ethconfig.Config)) *SimulatedChain {
	return &SimulatedChain{Backend: simulated.NewBackend(alloc, opts...)}
}

// Mine starts committing a block every interval in the background (a
// miner already running is stopped first) and returns the miner.
func (c *SimulatedChain) Mine(every time.Duration) *Miner {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.miner != nil {
		c.miner.Stop()
	}
	c.miner = StartMiner(c.Backend, every)
	return c.miner
}

// AdjustTime moves the chain's clock forward by d (sealing a block),
// serialised with the background miner's commits: go-ethereum's simulated
// beacon is not safe for both at once (under load the race detector
// flagged it and the adjustment was lost).
func (c *SimulatedChain) AdjustTime(d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.miner == nil {
		return c.Backend.AdjustTime(d)
	}
	var err error
	c.miner.Do(func() { err = c.Backend.AdjustTime(d) })
	return err
}

// StopMining stops the background miner, if any, and waits for it.
func (c *SimulatedChain) StopMining() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.miner != nil {
		c.miner.Stop()
		c.miner = nil
	}
}

// Close stops the miner, then the chain.
func (c *SimulatedChain) Close() error {
	c.StopMining()
	return c.Backend.Close()
}

// SendAfterFork sends tx on a simulated chain right after a Fork. The
// node's transaction pool moves to the new head in the background; until
// it has, it judges nonces against the old head and answers "nonce too
// low" for a nonce that the new head has free. SendAfterFork retries
// while that is the case (the chain's nonce for the sender shows it) and
// returns any other answer, or ctx's error.
func SendAfterFork(ctx context.Context, client interface {
	SendTransaction(context.Context, *types.Transaction) error
	NonceAt(context.Context, common.Address, *big.Int) (uint64, error)
}, tx *types.Transaction) error {
	from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
	if err != nil {
		return err
	}
	for {
		err := client.SendTransaction(ctx, tx)
		if err == nil || !strings.Contains(err.Error(), "nonce too low") {
			return err
		}
		head, nerr := client.NonceAt(ctx, from, nil)
		if nerr != nil {
			return nerr
		}
		if head > tx.Nonce() {
			return err // spent on the new head too: a real answer
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (the pool never reached the forked head: %v)", ctx.Err(), err)
		case <-time.After(5 * time.Millisecond):
		}
	}
}
