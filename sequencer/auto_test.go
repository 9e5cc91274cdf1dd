package sequencer

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// scriptedChooser answers the modes of script in turn (cyclically) and
// records what it was asked.
type scriptedChooser struct {
	mu     sync.Mutex
	script []string
	errs   map[int]error // call index → error instead of a mode
	calls  []daCall
}

type daCall struct {
	cfg       protocol.Config
	transfers int
	section   []byte
}

func (c *scriptedChooser) ChooseDA(_ context.Context, cfg protocol.Config, transfers int, section []byte) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := len(c.calls)
	c.calls = append(c.calls, daCall{cfg: cfg, transfers: transfers, section: bytes.Clone(section)})
	if err := c.errs[i]; err != nil {
		return "", err
	}
	return c.script[i%len(c.script)], nil
}

var _ DAChooser = (*scriptedChooser)(nil)

var autoCircuit = testCircuit.WithDA(protocol.DAAuto)

func autoConfig(ch DAChooser) Config {
	c := testConfig()
	c.Circuit = autoCircuit
	r, err := l1.NewFixed(autoCircuit, protocoltest.ChainID, protocoltest.Contract, protocoltest.Keys(7, 1)[0].Public())
	if err != nil {
		panic(err)
	}
	c.Rollup = r
	c.DAChooser = ch
	return c
}

// TestAutoDA: an auto deployment seals each batch in the mode its
// DAChooser picks; the row's configuration, witness and public input are
// that mode's, the chooser sees each batch's transfers, restarts in the
// middle continue, and the metric counts batches per mode. A chooser error
// or an answer that names no mode of the deployment seals calldata.
func TestAutoDA(t *testing.T) {
	e := newEnv(t, 3)
	ch := &scriptedChooser{script: []string{protocol.DACalldata, protocol.DABlob, "", protocol.DABlob, protocol.DAAuto, "bogus"},
		errs: map[int]error{6: errors.New("L1 down")}}
	cd, blob := autoCircuit.WithDA(""), autoCircuit.WithDA(protocol.DABlob)
	want := []protocol.Config{ // by call: calldata, blob, "", blob, auto and bogus (calldata), the error (calldata), blob, "", blob
		cd, blob, cd, blob, cd, cd, cd, blob, cd, blob,
	}
	reg := prometheus.NewRegistry()
	start := func() *Sequencer {
		s, err := New(autoConfig(ch), e.pool, slog.New(slog.DiscardHandler), reg)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Stop(context.Background()) })
		return s
	}
	s := start()
	e.fund(s, 1_000_000)
	sealAll(t, s) // batch 1: the deposits
	sealed := 1
	send := func(s *Sequencer, n int) {
		t.Helper()
		for i := 0; i < n; i++ {
			if _, err := e.transfer(s, uint32(2+i%2), uint32(3-i%2), 100+uint64(i), 10); err != nil {
				t.Fatal(err)
			}
		}
		sealAll(t, s)
		sealed = e.count(`SELECT count(*) FROM batches`)
	}
	for _, n := range []int{1, 3, 2} { // batches 2-4
		send(s, n)
	}
	// Restart in the middle: a new process (same database, a fresh metrics
	// registry) loads the state that mixed modes left and goes on.
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	reg = prometheus.NewRegistry()
	s = start()
	for _, n := range []int{4, 1, 5, 2, 12} { // batches 5-10 (12 transfers fill one batch and start another)
		send(s, n)
	}
	if len(ch.calls) != sealed || sealed != len(want) {
		t.Fatalf("%d chooser calls for %d batches (test expects %d)", len(ch.calls), sealed, len(want))
	}

	ctx := context.Background()
	rows, err := e.pool.Query(ctx, `SELECT number, config, public_input, witness, pubdata, tx_count FROM batches ORDER BY number`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	perMode := map[string]int{}
	for rows.Next() {
		var (
			num, txCount   int64
			cfg            protocol.Config
			pi, w, pubdata []byte
		)
		if err := rows.Scan(&num, &cfg, &pi, &w, &pubdata, &txCount); err != nil {
			t.Fatal(err)
		}
		i := int(num) - 1
		n++
		if cfg != want[i] || !cfg.Concrete() || !autoCircuit.Deployment(cfg) {
			t.Errorf("batch %d: row config %s, want %s", num, cfg, want[i])
		}
		perMode[daLabel(cfg)]++
		b, err := protocol.DecodeWitness(w)
		if err != nil {
			t.Fatalf("batch %d: witness: %v", num, err)
		}
		if b.Config != cfg || b.Header.Number != uint64(num) || !bytes.Equal(b.Pubdata, pubdata) {
			t.Errorf("batch %d: witness is batch %d of %s, want the row's %s", num, b.Header.Number, b.Config, cfg)
		}
		// The stored public input is the batch's in its own mode: SHA-256 of
		// header and pubdata for calldata, the blob binding's dataHash for
		// blob — never the other mode's.
		got, calldataPI := b.PublicInput(), protocol.PublicInput(b.Header, b.Pubdata)
		if gb := got.Bytes(); !bytes.Equal(pi, gb[:]) {
			t.Errorf("batch %d: stored public input %x, the witness's %x", num, pi, gb)
		}
		if cpi := calldataPI.Bytes(); cfg.Blob() == bytes.Equal(pi, cpi[:]) {
			t.Errorf("batch %d (%s): public input %x against calldata mode's %x", num, cfg, pi, cpi)
		}
		// The chooser was asked with the deployment's configuration and
		// exactly the batch's compact transfer section.
		c := ch.calls[i]
		sec := protocol.TransferSection(b.Config, b.Pubdata)[:len(b.Transfers)*b.Config.TransferBytes()]
		if c.cfg != autoCircuit || c.transfers != len(b.Transfers) || int64(c.transfers) != txCount || !bytes.Equal(c.section, sec) {
			t.Errorf("batch %d: chooser asked (%s, %d transfers, %d bytes), batch has %d transfers, %d section bytes",
				num, c.cfg, c.transfers, len(c.section), len(b.Transfers), len(sec))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != sealed {
		t.Fatalf("%d batch rows, want %d", n, sealed)
	}
	if n := e.count(`SELECT count(*) FROM batches a JOIN batches b ON b.number = a.number + 1 WHERE b.old_root <> a.new_root`); n != 0 {
		t.Fatalf("%d batches do not chain across modes", n)
	}
	var metaCfg protocol.Config
	if err := e.pool.QueryRow(ctx, `SELECT config FROM sequencer_state`).Scan(&metaCfg); err != nil || metaCfg != autoCircuit {
		t.Fatalf("sequencer_state config %s (%v), want the deployment's %s", metaCfg, err, autoCircuit)
	}
	// The second process's counter holds the batches it sealed (5-10).
	for _, mode := range []string{protocol.DACalldata, protocol.DABlob} {
		wantN := 0
		for _, c := range want[4:] {
			if daLabel(c) == mode {
				wantN++
			}
		}
		if got := counterValue(t, s.m.sealed.WithLabelValues(mode)); int(got) != wantN {
			t.Errorf("sheaf_sequencer_batches_sealed_total{da=%q} = %v after the restart, want %d", mode, got, wantN)
		}
	}
	if perMode[protocol.DABlob] == 0 || perMode[protocol.DACalldata] == 0 {
		t.Fatalf("batches per mode %v: the test must seal both", perMode)
	}
}

// TestAutoDANeedsChooser: an auto deployment without a chooser is refused;
// a concrete one never asks a chooser and counts its own mode.
func TestAutoDANeedsChooser(t *testing.T) {
	if _, err := New(autoConfig(nil), nil, nil, nil); err == nil {
		t.Fatal("auto deployment without a DAChooser accepted")
	}
	e := newEnv(t, 3)
	ch := &scriptedChooser{script: []string{protocol.DABlob}}
	cfg := testConfig()
	cfg.DAChooser = ch
	s := e.start(cfg)
	e.fund(s, 1_000_000)
	sealAll(t, s)
	if len(ch.calls) != 0 {
		t.Fatalf("a calldata deployment asked the chooser %d times", len(ch.calls))
	}
	var c protocol.Config
	if err := e.pool.QueryRow(context.Background(), `SELECT config FROM batches WHERE number = 1`).Scan(&c); err != nil || c != testCircuit {
		t.Fatalf("batch 1 config %s (%v), want %s", c, err, testCircuit)
	}
	if got := counterValue(t, s.m.sealed.WithLabelValues(protocol.DACalldata)); got != 1 {
		t.Fatalf("calldata batches counted %v, want 1", got)
	}
}

func counterValue(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}
