package client

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/sheafrollup/sheaf/protocol"
)

// keyFileVersion is the plain key file format: JSON
// {"version":1,"development":true,"privateKey":"0x…","publicKey":"0x…"}
// with the private key in protocol.PrivateKey.Bytes form and the public key
// compressed (docs/protocol.md). It is unencrypted: for development and
// tests (the devnet writes these). Files from before the "development"
// marker load the same. Keys that hold funds go into encrypted key files
// (version 2, keystore.go).
const keyFileVersion = 1

type keyFile struct {
	Version     int           `json:"version"`
	Development bool          `json:"development,omitempty"`
	PrivateKey  hexutil.Bytes `json:"privateKey"`
	PublicKey   hexutil.Bytes `json:"publicKey"`
}

// SaveKeyFile writes a new plain (unencrypted, development) key file
// readable by its owner only; it never overwrites a file.
func SaveKeyFile(path string, k protocol.PrivateKey) error {
	pub := k.Public().Bytes()
	data, err := json.MarshalIndent(keyFile{Version: keyFileVersion, Development: true, PrivateKey: k.Bytes(), PublicKey: pub[:]}, "", "  ")
	if err != nil {
		return err
	}
	return writeNew(path, data)
}

// LoadKeyFile reads a plain key file and checks that its public key is the
// private key's; an encrypted one gives ErrPasswordNeeded (OpenKeyFile).
func LoadKeyFile(path string) (protocol.PrivateKey, []string, error) {
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
// The warnings are for the user (e.g. a file other users can read).
func OpenKeyFile(path string, password func() ([]byte, error)) (protocol.PrivateKey, []string, error) {
	var warnings []string
	data, err := os.ReadFile(path)
	if err != nil {
		return protocol.PrivateKey{}, nil, err
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		warnings = append(warnings, fmt.Sprintf("key file %s is accessible to other users (mode %v): chmod 600 it", path, st.Mode().Perm()))
	}
	var kf keyFile
	if err := json.Unmarshal(data, &kf); err != nil {
		return protocol.PrivateKey{}, nil, fmt.Errorf("key file %s: %w", path, err)
	}
	switch kf.Version {
	case keyFileVersion:
	case keystoreVersion:
		k, err := openKeystore(path, data, password)
		return k, warnings, err
	default:
		return protocol.PrivateKey{}, nil, fmt.Errorf("key file %s: version %d, want %d (plain) or %d (encrypted)", path, kf.Version, keyFileVersion, keystoreVersion)
	}
	k, err := protocol.PrivateKeyFromBytes(kf.PrivateKey)
	if err != nil {
		return protocol.PrivateKey{}, nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if pub := k.Public().Bytes(); string(pub[:]) != string(kf.PublicKey) {
		return protocol.PrivateKey{}, nil, fmt.Errorf("key file %s: publicKey %s is not the private key's (%s)", path, kf.PublicKey, hexutil.Encode(pub[:]))
	}
	return k, warnings, nil
}
