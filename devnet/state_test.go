package devnet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sheafrollup/sheaf/protocol"
)

// TestStateFile: the state round-trips; a folder without one is new
// unless it holds leftovers of an unfinished first start; a restart with
// another circuit or wallet count is refused.
func TestStateFile(t *testing.T) {
	dir := t.TempDir()
	if st, err := loadState(dir); st != nil || err != nil {
		t.Fatalf("empty folder: %v %v", st, err)
	}
	cfg := DefaultConfig
	cfg.Circuit = protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}
	cfg.Wallets = 2
	want := &state{Version: stateVersion, ChainID: 1337, Circuit: cfg.Circuit, Wallets: 2, Accounts: []uint32{1, 2}}
	if err := want.save(dir); err != nil {
		t.Fatal(err)
	}
	got, err := loadState(dir)
	if err != nil || got == nil || got.ChainID != 1337 || len(got.Accounts) != 2 || got.Accounts[1] != 2 {
		t.Fatalf("loaded %+v, %v", got, err)
	}
	if err := got.check(cfg); err != nil {
		t.Fatal(err)
	}
	other := cfg
	other.Wallets = 3
	if err := got.check(other); err == nil || !strings.Contains(err.Error(), "wallets") {
		t.Fatalf("another wallet count: %v", err)
	}
	other = cfg
	other.Circuit.Transfers = 4
	if err := got.check(other); err == nil || !strings.Contains(err.Error(), "circuit") {
		t.Fatalf("another circuit: %v", err)
	}

	for _, leftover := range []string{l1Dir, postgresDir} {
		d := t.TempDir()
		if err := os.Mkdir(filepath.Join(d, leftover), 0o700); err != nil {
			t.Fatal(err)
		}
		if _, err := loadState(d); err == nil || !strings.Contains(err.Error(), "did not finish") {
			t.Fatalf("leftover %s: %v", leftover, err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, stateFile), []byte(`{"version": 99}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadState(dir); err == nil || !strings.Contains(err.Error(), "version 99") {
		t.Fatalf("a future version: %v", err)
	}
}
