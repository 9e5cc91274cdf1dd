package dafee

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
)

// fakeSource serves settable fees and counts reads; err fails every read.
type fakeSource struct {
	mu            sync.Mutex
	base, blob    *big.Int
	headerErr     error
	blobErr       error
	headers, blbs int
}

func (f *fakeSource) HeaderByNumber(_ context.Context, n *big.Int) (*types.Header, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.headers++
	if n != nil {
		return nil, errors.New("fake: only the latest header")
	}
	if f.headerErr != nil {
		return nil, f.headerErr
	}
	return &types.Header{BaseFee: new(big.Int).Set(f.base)}, nil
}

func (f *fakeSource) BlobBaseFee(context.Context) (*big.Int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.blbs++
	if f.blobErr != nil {
		return nil, f.blobErr
	}
	return new(big.Int).Set(f.blob), nil
}

func (f *fakeSource) set(base, blob int64, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.base, f.blob, f.headerErr, f.blobErr = big.NewInt(base), big.NewInt(blob), err, nil
}

// auto is a production-shaped auto deployment (depth 24: 12-byte transfers).
var auto = protocol.Config{Depth: 24, Deposits: 4, Transfers: 2048, Withdrawals: 4, DA: protocol.DAAuto}

// section is n transfers' compact section with wallet-like bytes: one
// zero byte in each 12-byte transfer, the benchmark's 45.3 tokens per
// transfer (docs/benchmarks.md).
func section(n int) []byte {
	t := bytes.Repeat([]byte{0x5a}, auto.TransferBytes())
	t[0] = 0
	return bytes.Repeat(t, n)
}

const gwei = 1_000_000_000

// reserve is EIP-7918's reserve blob base fee for a base fee: base/16
// (BLOB_BASE_COST 2^13 / GAS_PER_BLOB 2^17).
func reserve(base int64) int64 { return base * (1 << 13) / GasPerBlob }

func newChooser(t *testing.T, src Source, cfg Config, log *slog.Logger) (*Chooser, *time.Time) {
	t.Helper()
	c, err := New(src, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	c.now = func() time.Time { return now }
	return c, &now
}

// crossover is the least transfer count at which the model makes a blob
// cheaper at the given fees (0: never up to max).
func crossover(m Model, f Fees, max int) int {
	for n := 0; n <= max; n++ {
		cd, bl := m.Costs(f, n, section(n))
		if bl.Cmp(cd) < 0 {
			return n
		}
	}
	return 0
}

func TestModelGas(t *testing.T) {
	m := DefaultModel
	// Below the floor: fixed part, 4 gas per token, the execution per
	// transfer; a zero byte is one token, another four.
	if got, want := m.CalldataGas(0, nil), m.CalldataFixedGas; got != want {
		t.Errorf("no transfers: %d gas, want the fixed %d", got, want)
	}
	sec := []byte{0, 0, 1, 2}
	if got, want := m.CalldataGas(1, sec), m.CalldataFixedGas+4*(2+2*4)+m.CalldataExecGasPerTransfer; got != want {
		t.Errorf("1 transfer, 2 zero bytes: %d gas, want %d", got, want)
	}
	// The floor binds once 10 gas per token outruns the standard cost:
	// docs/benchmarks.md puts that near 780 transfers; the model agrees
	// within the fit's rounding.
	bind := 0
	for n := 1; n < 2048; n++ {
		s := section(n)
		if m.CalldataGas(n, s) == intrinsicGas+m.FloorGasPerToken*(m.CalldataFixedTokens+Tokens(s)) &&
			m.CalldataGas(n, s) > m.CalldataFixedGas+4*Tokens(s)+m.CalldataExecGasPerTransfer*uint64(n) {
			bind = n
			break
		}
	}
	if bind < 740 || bind > 820 {
		t.Errorf("EIP-7623 floor binds from %d transfers, docs/benchmarks.md says ≈780", bind)
	}
	// At 1,024 transfers the model reproduces the benchmark's prediction
	// (502,269 gas, the floor) within 1 % (45 tokens per transfer here,
	// 45.27 in the fit).
	if g := float64(m.CalldataGas(1024, section(1024))); g < 502_269*0.99 || g > 502_269*1.01 {
		t.Errorf("1,024 transfers: %.0f gas, docs/benchmarks.md predicts 502,269", g)
	}
}

func TestChooseDA(t *testing.T) {
	base := int64(10 * gwei)
	cheap := Fees{BaseFee: big.NewInt(base), BlobBaseFee: big.NewInt(reserve(base))}
	x := crossover(DefaultModel, cheap, 2048)
	if x < 2 || x > 2047 {
		t.Fatalf("no crossover below 2048 transfers at reserve-priced blobs (got %d)", x)
	}
	// The crossover is where the fixed difference plus the blob is paid
	// back by the transfers' calldata gas.
	m := DefaultModel
	perTransfer := 4*Tokens(section(1)) + m.CalldataExecGasPerTransfer
	extra := m.BlobFixedGas - m.CalldataFixedGas + uint64(reserve(base))*GasPerBlob/uint64(base)
	if want := int(extra/perTransfer) + 1; x != want {
		t.Errorf("crossover at %d transfers, the closed form says %d", x, want)
	}
	for _, tc := range []struct {
		name       string
		base, blob int64
		transfers  int
		want       string
	}{
		{"cheap blobs, large batch", base, reserve(base), 2048, protocol.DABlob},
		{"cheap blobs, one transfer", base, reserve(base), 1, protocol.DACalldata},
		{"cheap blobs, no transfers", base, reserve(base), 0, protocol.DACalldata},
		{"just below the crossover", base, reserve(base), x - 1, protocol.DACalldata},
		{"at the crossover", base, reserve(base), x, protocol.DABlob},
		{"blob market congested", base, 1000 * base, 2048, protocol.DACalldata},
		{"free blobs, large batch", base, 0, 2048, protocol.DABlob},
		// With free blobs a blob still costs its 66.5k more fixed gas:
		// one transfer goes as calldata whatever the blob price.
		{"free blobs, one transfer", base, 0, 1, protocol.DACalldata},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := &fakeSource{}
			src.set(tc.base, tc.blob, nil)
			c, _ := newChooser(t, src, DefaultConfig, nil)
			got, err := c.ChooseDA(context.Background(), auto, tc.transfers, section(tc.transfers))
			if err != nil || got != tc.want {
				cd, bl, _ := c.Costs(context.Background(), tc.transfers, section(tc.transfers))
				t.Fatalf("%d transfers at base %d, blob %d: %q, %v; want %q (calldata %v wei, blob %v wei)",
					tc.transfers, tc.base, tc.blob, got, err, tc.want, cd, bl)
			}
		})
	}
}

func TestChooseDANotAuto(t *testing.T) {
	src := &fakeSource{}
	src.set(1, 1, nil)
	c, _ := newChooser(t, src, DefaultConfig, nil)
	for _, cfg := range []protocol.Config{auto.WithDA(""), auto.WithDA(protocol.DABlob)} {
		if _, err := c.ChooseDA(context.Background(), cfg, 1, section(1)); err == nil {
			t.Errorf("%s: chose a mode for a concrete configuration", cfg)
		}
	}
}

// TestChooserFees: fees are cached for the TTL; a failed read falls back
// to the last fees read (logged) and is not retried before the TTL; with no
// fees known the choice is calldata, logged at WARN.
func TestChooserFees(t *testing.T) {
	ctx := context.Background()
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	src := &fakeSource{}
	cfg := DefaultConfig
	cfg.TTL = 10 * time.Second
	c, now := newChooser(t, src, cfg, log)
	large := section(2048)
	choose := func() string {
		t.Helper()
		m, err := c.ChooseDA(ctx, auto, 2048, large)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	reads := func() int { src.mu.Lock(); defer src.mu.Unlock(); return src.headers }

	// No fees known and L1 down: calldata, logged.
	src.set(10*gwei, reserve(10*gwei), errors.New("connection refused"))
	if m := choose(); m != protocol.DACalldata || !strings.Contains(logs.String(), "none are known") {
		t.Fatalf("no fees known: %q, log %q; want calldata and a WARN", m, logs.String())
	}
	// Not retried within the TTL.
	if choose(); reads() != 1 {
		t.Fatalf("%d reads within the TTL after a failure, want 1", reads())
	}
	// After the TTL the read succeeds: cheap blobs pay for 2,048 transfers.
	*now = now.Add(cfg.TTL)
	src.set(10*gwei, reserve(10*gwei), nil)
	if m := choose(); m != protocol.DABlob || reads() != 2 {
		t.Fatalf("cheap blobs: %q after %d reads, want blob after 2", m, reads())
	}
	// Within the TTL the cached fees hold, whatever L1 says now.
	src.set(10*gwei, 1000*10*gwei, nil)
	*now = now.Add(cfg.TTL - time.Second)
	if m := choose(); m != protocol.DABlob || reads() != 2 {
		t.Fatalf("cached: %q after %d reads, want blob with no new read", m, reads())
	}
	// Expired: the congested blob market is read and calldata wins.
	*now = now.Add(time.Second)
	if m := choose(); m != protocol.DACalldata || reads() != 3 {
		t.Fatalf("expired cache: %q after %d reads, want calldata after 3", m, reads())
	}
	// A failing read (either call) keeps the last fees, logged.
	for _, fail := range []string{"header", "blob"} {
		logs.Reset()
		src.set(10*gwei, reserve(10*gwei), nil)
		if fail == "header" {
			src.headerErr = errors.New("timeout")
		} else {
			src.blobErr = errors.New("method not found")
		}
		*now = now.Add(cfg.TTL)
		if m := choose(); m != protocol.DACalldata || !strings.Contains(logs.String(), "last ones read") {
			t.Fatalf("%s read fails: %q, log %q; want the last (congested) fees' calldata and a WARN", fail, m, logs.String())
		}
	}
}

func TestConfigCheck(t *testing.T) {
	if err := DefaultConfig.Check(); err != nil {
		t.Fatal(err)
	}
	for name, mut := range map[string]func(*Config){
		"negative TTL":  func(c *Config) { c.TTL = -time.Second },
		"no timeout":    func(c *Config) { c.Timeout = 0 },
		"calldata gas":  func(c *Config) { c.CalldataFixedGas = 20_000 },
		"blob gas":      func(c *Config) { c.BlobFixedGas = 0 },
		"floor per tok": func(c *Config) { c.FloorGasPerToken = 0 },
		"switch margin": func(c *Config) { c.SwitchMarginPercent = 101 },
	} {
		c := DefaultConfig
		mut(&c)
		if err := c.Check(); err == nil {
			t.Errorf("%s: accepted %+v", name, c)
		}
	}
	if _, err := New(nil, DefaultConfig, nil); err == nil {
		t.Error("New accepted no source")
	}
}

// TestChooserOnSimulatedChain: go-ethereum's client is a Source (the
// latest header's base fee, eth_blobBaseFee) and the chooser reads real
// fees through it.
func TestChooserOnSimulatedChain(t *testing.T) {
	sim := simulated.NewBackend(types.GenesisAlloc{}, l1.MainnetLikeGas)
	t.Cleanup(func() { sim.Close() })
	sim.Commit()
	src, ok := sim.Client().(Source) // an *ethclient.Client inside
	if !ok {
		t.Fatalf("the simulated chain's client %T is no Source", sim.Client())
	}
	c, err := New(src, DefaultConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	cd, bl, ok := c.Costs(context.Background(), 1, section(1))
	if !ok || cd.Sign() <= 0 || bl.Cmp(cd) <= 0 {
		t.Fatalf("costs on the simulated chain: calldata %v, blob %v, ok %v; want a positive calldata cost below the blob's", cd, bl, ok)
	}
	if m, err := c.ChooseDA(context.Background(), auto, 1, section(1)); err != nil || m != protocol.DACalldata {
		t.Fatalf("one transfer on the simulated chain: %q, %v; want calldata", m, err)
	}
}

// TestChooseDASwitchMargin: once a mode is chosen, the other must be
// cheaper by the switch margin before the chooser leaves it, so batches
// near the crossover do not flap between the two keys.
func TestChooseDASwitchMargin(t *testing.T) {
	ctx := context.Background()
	base := int64(10 * gwei)
	src := &fakeSource{}
	src.set(base, reserve(base), nil)
	c, _ := newChooser(t, src, DefaultConfig, nil)
	x := crossover(DefaultModel, Fees{BaseFee: big.NewInt(base), BlobBaseFee: big.NewInt(reserve(base))}, 2048)
	for i, step := range []struct {
		transfers int
		want      string
	}{
		{x, protocol.DABlob},         // first answer: the cheaper
		{x - 1, protocol.DABlob},     // calldata cheaper, not by 10 %: stay
		{1, protocol.DACalldata},     // calldata far cheaper: switch
		{x, protocol.DACalldata},     // blob cheaper, not by 10 %: stay
		{2048, protocol.DABlob},      // blob far cheaper: switch
		{x + 1, protocol.DABlob},     // and stays
		{x - 1, protocol.DABlob},     // still within the margin
		{0, protocol.DACalldata},     // no transfers: calldata by far
		{2048, protocol.DABlob},      // and back
		{x - 10, protocol.DABlob},    // a few transfers below the crossover: within 10 %
		{x / 4, protocol.DACalldata}, // a quarter of it: beyond
	} {
		got, err := c.ChooseDA(ctx, auto, step.transfers, section(step.transfers))
		if err != nil || got != step.want {
			cd, bl, _ := c.Costs(ctx, step.transfers, section(step.transfers))
			t.Fatalf("step %d, %d transfers: %q, %v; want %q (calldata %v, blob %v)", i, step.transfers, got, err, step.want, cd, bl)
		}
	}

	b := big.NewInt
	for _, tc := range []struct {
		margin         uint64
		last           string
		calldata, blob int64
		want           string
	}{
		{10, "", 100, 99, protocol.DABlob},
		{10, "", 100, 100, protocol.DACalldata},                  // a tie with no history: calldata
		{10, protocol.DACalldata, 110, 100, protocol.DACalldata}, // 10 % exactly is not beyond
		{10, protocol.DACalldata, 111, 100, protocol.DABlob},
		{10, protocol.DABlob, 100, 110, protocol.DABlob},
		{10, protocol.DABlob, 100, 111, protocol.DACalldata},
		{0, protocol.DABlob, 100, 101, protocol.DACalldata}, // no margin: the cheaper
		{0, protocol.DABlob, 100, 100, protocol.DABlob},     // a tie keeps the mode
	} {
		cfg := DefaultConfig
		cfg.SwitchMarginPercent = tc.margin
		if got := cfg.choose(tc.last, b(tc.calldata), b(tc.blob)); got != tc.want {
			t.Errorf("margin %d%%, after %q, calldata %d, blob %d: %q, want %q", tc.margin, tc.last, tc.calldata, tc.blob, got, tc.want)
		}
	}
}
