package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/protocol"
)

// keyFileVersion is the plain key file format: JSON
// {"version":1,"development":true,"privateKey":"0x…","publicKey":"0x…","chainId":N,"contract":"0x…"}
// with the private key in protocol.PrivateKey.Bytes form and the public key
// compressed (docs/protocol.md); chainId and contract, when present, pin the
// key to one deployment. It is unencrypted: for development and tests (the
// devnet writes these). Files from before the "development" marker load the
// same. Keys that hold funds go into encrypted key files (version 2,
// keystore.go).
const keyFileVersion = 1

type keyFile struct {
	Version     int             `json:"version"`
	Development bool            `json:"development,omitempty"`
	PrivateKey  hexutil.Bytes   `json:"privateKey"`
	PublicKey   hexutil.Bytes   `json:"publicKey"`
	ChainID     uint64          `json:"chainId,omitempty"`
	Contract    *common.Address `json:"contract,omitempty"`
}

// Domain pins a wallet to one deployment: it signs only for this chain id
// and rollup contract, whatever a server says.
type Domain struct {
	ChainID  uint64
	Contract common.Address
}

// ErrWrongDeployment: the server serves another chain or contract than the
// one the wallet is pinned to.
var ErrWrongDeployment = errors.New("the server serves another deployment than this wallet is pinned to")

// Check refuses a server whose chain id or contract is not the pinned one:
// a signature for it could move funds on another deployment.
func (d Domain) Check(chain api.ChainInfo) error {
	if uint64(chain.ChainID) != d.ChainID || chain.Contract != d.Contract {
		return fmt.Errorf("%w: the server has chain %d, contract %s; the wallet is pinned to chain %d, contract %s",
			ErrWrongDeployment, uint64(chain.ChainID), chain.Contract, d.ChainID, d.Contract)
	}
	return nil
}

// KeyFile is a loaded key file.
type KeyFile struct {
	Key      protocol.PrivateKey
	Domain   *Domain  // nil: the file pins no deployment
	Warnings []string // e.g. a file readable by others
}

// SaveKeyFile writes a new plain (unencrypted, development) key file
// readable by its owner only, pinned to d when it is not nil; it never
// overwrites a file.
func SaveKeyFile(path string, k protocol.PrivateKey, d *Domain) error {
	pub := k.Public().Bytes()
	kf := keyFile{Version: keyFileVersion, Development: true, PrivateKey: k.Bytes(), PublicKey: pub[:]}
	if d != nil {
		if d.ChainID == 0 || d.Contract == (common.Address{}) {
			return errors.New("key file: a pinned deployment needs a chain id and a contract")
		}
		c := d.Contract
		kf.ChainID, kf.Contract = d.ChainID, &c
	}
	data, err := json.MarshalIndent(kf, "", "  ")
	if err != nil {
		return err
	}
	return writeNew(path, data)
}

// LoadKeyFile reads a plain key file and checks that its public key is the
// private key's; an encrypted one gives ErrPasswordNeeded (OpenKeyFile).
func LoadKeyFile(path string) (*KeyFile, error) {
	return OpenKeyFile(path, nil)
}

// KeyFileEncrypted reports whether path holds an encrypted key file.
func KeyFileEncrypted(path string) (bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	var v struct {
		Version int `json:"version"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return false, fmt.Errorf("key file %s: %w", path, err)
	}
	return v.Version == keystoreVersion, nil
}

// OpenKeyFile reads a plain or an encrypted key file; password is called
// only for an encrypted one (nil: encrypted files give ErrPasswordNeeded).
// The warnings are for the user (e.g. a file other users can read). An
// encrypted file of a derived key is pinned to the deployment it was
// derived for.
func OpenKeyFile(path string, password func() ([]byte, error)) (*KeyFile, error) {
	var warnings []string
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		warnings = append(warnings, fmt.Sprintf("key file %s is accessible to other users (mode %v): chmod 600 it", path, st.Mode().Perm()))
	}
	var kf keyFile
	if err := json.Unmarshal(data, &kf); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	switch kf.Version {
	case keyFileVersion:
	case keystoreVersion:
		k, d, err := openKeystore(path, data, password)
		if err != nil {
			return nil, err
		}
		return &KeyFile{Key: k, Domain: d, Warnings: warnings}, nil
	default:
		return nil, fmt.Errorf("key file %s: version %d, want %d (plain) or %d (encrypted)", path, kf.Version, keyFileVersion, keystoreVersion)
	}
	k, err := protocol.PrivateKeyFromBytes(kf.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if pub := k.Public().Bytes(); string(pub[:]) != string(kf.PublicKey) {
		return nil, fmt.Errorf("key file %s: publicKey %s is not the private key's (%s)", path, kf.PublicKey, hexutil.Encode(pub[:]))
	}
	out := &KeyFile{Key: k, Warnings: warnings}
	switch {
	case kf.ChainID != 0 && kf.Contract != nil:
		out.Domain = &Domain{ChainID: kf.ChainID, Contract: *kf.Contract}
	case kf.ChainID != 0 || kf.Contract != nil:
		return nil, fmt.Errorf("key file %s: chainId and contract pin a deployment together; one of them is missing", path)
	}
	return out, nil
}
