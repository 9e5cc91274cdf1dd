// Package devnet runs Sheaf in one process on embedded defaults for
// development. Today it drives the protocol core and the prover: dev
// wallets deposit and transfer, batches are sealed, proven with cached
// development keys and verified. PostgreSQL, the JSON-RPC API and the L1
// chain join as the sequencer, submitter and watcher land.
package devnet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/solidity"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// Config of a devnet run.
type Config struct {
	Circuit  protocol.Config
	Wallets  int           // funded development wallets
	Batches  int           // stop after this many batches (0: run until cancelled)
	Interval time.Duration // pause between batches
	Seed     int64         // wallet keys and traffic are deterministic
}

// Check validates the configuration.
func (c Config) Check() error {
	if err := c.Circuit.Check(); err != nil {
		return err
	}
	if c.Wallets < 2 {
		return errors.New("devnet: need at least 2 wallets")
	}
	if c.Batches < 0 || c.Interval < 0 {
		return errors.New("devnet: batches and interval must not be negative")
	}
	return nil
}

// DefaultConfig is small enough to prove in seconds on a laptop.
var DefaultConfig = Config{
	Circuit:  protocol.Config{Depth: 16, Deposits: 2, Transfers: 8, Withdrawals: 2},
	Wallets:  8,
	Interval: 2 * time.Second,
	Seed:     1,
}

// Run starts the devnet and blocks until ctx is cancelled or cfg.Batches
// batches are proven. Every proof is verified before it counts.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	if err := cfg.Check(); err != nil {
		return err
	}
	log.Info("compiling the batch circuit", "config", cfg.Circuit.String())
	ccs, err := circuits.Compile(cfg.Circuit)
	if err != nil {
		return err
	}
	log.Info("loading development keys (first run: single-party setup, UNSAFE for production)",
		"constraints", ccs.GetNbConstraints(), "cache", keys.CacheDir())
	set, err := keys.Cached(ctx, cfg.Circuit, ccs, keys.SetupOptions{Log: log})
	if err != nil {
		return err
	}
	w, err := protocoltest.NewWorld(cfg.Circuit, cfg.Wallets, 1_000_000_000)
	if err != nil {
		return err
	}
	log.Info("genesis", "wallets", cfg.Wallets, "root", rootHex(w.State.Root()))
	rng := rand.New(rand.NewSource(cfg.Seed))
	for n := 1; cfg.Batches == 0 || n <= cfg.Batches; n++ {
		in := traffic(w, rng)
		b, err := w.State.ApplyBatch(in)
		if err != nil {
			return fmt.Errorf("seal batch %d: %w", n, err)
		}
		wit, err := circuits.Witness(b)
		if err != nil {
			return err
		}
		start := time.Now()
		proof, err := groth16.Prove(ccs, set.PK, wit, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
		if err != nil {
			return fmt.Errorf("prove batch %d: %w", n, err)
		}
		pub, err := wit.Public()
		if err != nil {
			return err
		}
		if err := groth16.Verify(proof, set.VK, pub, solidity.WithVerifierTargetSolidityVerifier(backend.GROTH16)); err != nil {
			return fmt.Errorf("verify batch %d: %w", n, err)
		}
		log.Info("batch proven and verified", "batch", b.Header.Number,
			"deposits", len(b.Deposits), "transfers", len(b.Transfers), "withdrawals", len(b.Withdrawals),
			"l1_bytes", len(b.Compact()), "prove_seconds", time.Since(start).Seconds(),
			"new_root", rootHex(b.Header.NewRoot))
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(cfg.Interval):
		}
	}
	return nil
}

// traffic makes one batch worth of random valid operations.
func traffic(w *protocoltest.World, rng *rand.Rand) protocol.BatchInput {
	cfg := w.State.Config()
	n := uint32(len(w.Keys))
	in := protocol.BatchInput{FeeAccount: 1}
	for i := 0; i < rng.Intn(cfg.Deposits+1); i++ {
		in.Deposits = append(in.Deposits, w.QueueDeposit(w.Keys[rng.Intn(len(w.Keys))].Public(), uint64(1+rng.Intn(1000))*1000))
	}
	w.Queue = nil
	used := map[uint32]uint32{}
	for i := 0; i < cfg.Transfers; i++ {
		from, to := 2+uint32(rng.Intn(int(n-1))), 1+uint32(rng.Intn(int(n)))
		in.Transfers = append(in.Transfers, w.Transfer(from, to, uint64(1+rng.Intn(100))*100, 10, used[from]))
		used[from]++
	}
	for i := 0; i < rng.Intn(cfg.Withdrawals+1); i++ {
		from := 2 + uint32(rng.Intn(int(n-1)))
		in.Withdrawals = append(in.Withdrawals, w.Withdrawal(from, [20]byte{0xde, 0xad, byte(i)}, 1000, 10, used[from]))
		used[from]++
	}
	return in
}

func rootHex(e fr.Element) string {
	b := e.Bytes()
	return fmt.Sprintf("0x%x", b[:])
}
