package main

import (
	"context"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/l1/dafee"
	"github.com/sheafrollup/sheaf/protocol"
)

// runFlags runs an app with flags over args and returns its context's work.
func runFlags(t *testing.T, flags []cli.Flag, args []string, action func(c *cli.Context) error) {
	t.Helper()
	app := &cli.App{Flags: flags, Action: action}
	if err := app.Run(append([]string{"sheaf"}, args...)); err != nil {
		t.Fatal(err)
	}
}

type fixedFees struct{ base, blob int64 }

func (f fixedFees) HeaderByNumber(context.Context, *big.Int) (*types.Header, error) {
	return &types.Header{BaseFee: big.NewInt(f.base)}, nil
}
func (f fixedFees) BlobBaseFee(context.Context) (*big.Int, error) { return big.NewInt(f.blob), nil }

// TestAutoDASequencerChooser: `sheaf sequencer` builds a fee chooser for an
// auto deployment only, from the --sequencer.da-* flags or their SHEAF_
// variables.
func TestAutoDASequencerChooser(t *testing.T) {
	auto := protocol.Config{Depth: 24, Deposits: 4, Transfers: 2048, Withdrawals: 4, DA: protocol.DAAuto}
	t.Setenv("SHEAF_SEQUENCER_DA_CACHE", "30s")
	runFlags(t, sequencerFlags(), []string{"--sequencer.da-blob-gas", "300000", "--sequencer.da-switch-margin", "20"}, func(c *cli.Context) error {
		got := daFeeConfig(c)
		want := dafee.DefaultConfig
		want.TTL, want.BlobFixedGas, want.SwitchMarginPercent = 30*time.Second, 300_000, 20
		if got != want {
			t.Errorf("chooser config %+v, want %+v", got, want)
		}
		for _, cfg := range []protocol.Config{auto.WithDA(""), auto.WithDA(protocol.DABlob)} {
			if ch, err := daChooser(c, cfg, fixedFees{1, 1}, nil); ch != nil || err != nil {
				t.Errorf("%s: chooser %v, %v; want none", cfg, ch, err)
			}
		}
		ch, err := daChooser(c, auto, fixedFees{base: 10e9, blob: 1}, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Nearly free blobs: a full batch goes as a blob, one transfer as calldata.
		for n, want := range map[int]string{auto.Transfers: protocol.DABlob, 1: protocol.DACalldata} {
			sec := make([]byte, n*auto.TransferBytes())
			for i := range sec {
				sec[i] = 0x5a
			}
			if m, err := ch.ChooseDA(context.Background(), auto, n, sec); err != nil || m != want {
				t.Errorf("%d transfers: %q, %v; want %q", n, m, err, want)
			}
		}
		return nil
	})
	runFlags(t, sequencerFlags(), []string{"--sequencer.da-calldata-gas", "0"}, func(c *cli.Context) error {
		if _, err := daChooser(c, auto, fixedFees{1, 1}, nil); err == nil {
			t.Error("a calldata gas of 0 accepted")
		}
		return nil
	})
}

// TestAutoDAProverAndSetup: the prover loads, and `sheaf setup` makes keys
// for, both circuits of an auto configuration, in the <dir>/<config>
// layout the prover reads.
func TestAutoDAProverAndSetup(t *testing.T) {
	auto := protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1, DA: protocol.DAAuto}
	flags := joinFlags(circuitFlags(DefaultCircuit), proverFlags())
	runFlags(t, flags, append(circuitArgs(auto), "--prover.dev-keys"), func(c *cli.Context) error {
		pc, err := proverConfig(c)
		if err != nil {
			t.Fatal(err)
		}
		if len(pc.Circuits) != 2 || pc.Circuits[0] != auto.WithDA("") || pc.Circuits[1] != auto.WithDA(protocol.DABlob) {
			t.Errorf("prover circuits %v, want the calldata and blob twins of %s", pc.Circuits, auto)
		}
		return nil
	})
	for _, tc := range []struct {
		cfg       protocol.Config
		kind, dir string
		want      []setupTarget
	}{
		{auto, "batch", "", []setupTarget{{cfg: auto.WithDA(""), dir: filepath.Join("keys", auto.WithDA("").String())},
			{cfg: auto.WithDA(protocol.DABlob), dir: filepath.Join("keys", auto.WithDA(protocol.DABlob).String())}}},
		{auto, "batch", "k", []setupTarget{{cfg: auto.WithDA(""), dir: filepath.Join("k", auto.WithDA("").String())},
			{cfg: auto.WithDA(protocol.DABlob), dir: filepath.Join("k", auto.WithDA(protocol.DABlob).String())}}},
		{auto.WithDA(protocol.DABlob), "batch", "", []setupTarget{{cfg: auto.WithDA(protocol.DABlob), dir: filepath.Join("keys", auto.WithDA(protocol.DABlob).String())}}},
		{auto.WithDA(""), "batch", "k/x", []setupTarget{{cfg: auto.WithDA(""), dir: "k/x"}}},
		{auto, "exit", "", []setupTarget{{cfg: protocol.Config{Depth: 4}, kind: keys.CircuitExit, dir: filepath.Join("keys", "exit-d4")}}},
	} {
		got, err := setupTargets(tc.cfg, tc.kind, tc.dir)
		if err != nil || len(got) != len(tc.want) {
			t.Errorf("setupTargets(%s, %s, %q) = %+v, %v; want %+v", tc.cfg, tc.kind, tc.dir, got, err, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("setupTargets(%s, %s, %q)[%d] = %+v, want %+v", tc.cfg, tc.kind, tc.dir, i, got[i], tc.want[i])
			}
		}
	}
	if _, err := setupTargets(auto, "verifier", ""); err == nil {
		t.Error("an unknown circuit kind accepted")
	}
}
