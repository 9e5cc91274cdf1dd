package devnet

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/sheafrollup/sheaf/protocol"
)

// Layout of a devnet data directory (Config.DataDir). Everything the
// devnet creates lives there, so a restart on the same directory finds
// the chain, the database and the keys it left.
const (
	stateFile    = "devnet.json"        // written last on the first start: its presence means "set up"
	deployFile   = "deployment.json"    // the deployment, as sheaf deploy writes it
	vkFile       = "verifying.key"      // for auditors (auto: the calldata twin's)
	blobVKFile   = "verifying-blob.key" // auto only: the blob twin's, for auditors
	walletsDir   = "wallets"            // development wallets' key files
	keysDir      = "keys"               // the circuit's proving and verifying keys
	postgresDir  = "postgres"           // the PostgreSQL cluster
	l1Dir        = "l1"                 // the L1 chain (go-ethereum's database)
	stateVersion = 1
)

// state records what the first start of a devnet with a data directory
// set up; later starts reuse it instead of deploying again.
type state struct {
	Version int             `json:"version"`
	ChainID uint64          `json:"chain_id"`
	Circuit protocol.Config `json:"circuit"`
	Wallets int             `json:"wallets"`
	// Accounts are the wallets' L2 account indexes, in key order.
	Accounts []uint32 `json:"accounts"`
}

// loadState reads dir's state; nil without error when the devnet was
// never set up there. A directory with leftovers of an interrupted first
// start (a chain or a cluster but no state) is refused: which parts of
// the set-up ran is unknown.
func loadState(dir string) (*state, error) {
	b, err := os.ReadFile(filepath.Join(dir, stateFile))
	if errors.Is(err, os.ErrNotExist) {
		for _, d := range []string{l1Dir, postgresDir} {
			if _, err := os.Stat(filepath.Join(dir, d)); err == nil {
				return nil, fmt.Errorf("devnet: %s holds a devnet whose first start did not finish (no %s): remove the folder to start over", dir, stateFile)
			}
		}
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("devnet: %w", err)
	}
	var s state
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("devnet: %s: %w", filepath.Join(dir, stateFile), err)
	}
	if s.Version != stateVersion {
		return nil, fmt.Errorf("devnet: %s has version %d, this sheaf reads %d", filepath.Join(dir, stateFile), s.Version, stateVersion)
	}
	return &s, nil
}

// check refuses a restart with settings the stored devnet was not made
// with (the contract is deployed for one circuit; genesis funded one
// number of wallets).
func (s *state) check(cfg Config) error {
	switch {
	case s.Circuit != cfg.Circuit:
		return fmt.Errorf("devnet: the data directory's devnet runs circuit %s, not %s", s.Circuit, cfg.Circuit)
	case s.Wallets != cfg.Wallets || len(s.Accounts) != s.Wallets:
		return fmt.Errorf("devnet: the data directory's devnet has %d wallets, not %d", s.Wallets, cfg.Wallets)
	}
	return nil
}

// save writes the state atomically (a crash leaves the old file or none).
func (s *state) save(dir string) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, stateFile+".tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("devnet: %w", err)
	}
	return os.Rename(tmp, filepath.Join(dir, stateFile))
}

// copyDir copies the regular files of src into dst (created), for the
// circuit keys: the development key cache may be cleared, and new keys
// would not match the deployed verifier.
func copyDir(src, dst string) error {
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return err
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		if err := copyFile(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
