package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/sheafrollup/sheaf/protocol"
)

// keyFileVersion is the key file format: JSON
// {"version":1,"privateKey":"0x…","publicKey":"0x…"} with the private key
// in protocol.PrivateKey.Bytes form and the public key compressed
// (docs/protocol.md). It is unencrypted: for development and tests.
const keyFileVersion = 1

type keyFile struct {
	Version    int           `json:"version"`
	PrivateKey hexutil.Bytes `json:"privateKey"`
	PublicKey  hexutil.Bytes `json:"publicKey"`
}

// SaveKeyFile writes a new key file readable by its owner only; it never
// overwrites a file.
func SaveKeyFile(path string, k protocol.PrivateKey) error {
	pub := k.Public().Bytes()
	data, err := json.MarshalIndent(keyFile{Version: keyFileVersion, PrivateKey: k.Bytes(), PublicKey: pub[:]}, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already exists: refusing to overwrite a key file", path)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// LoadKeyFile reads a key file and checks that its public key is the private
// key's.
func LoadKeyFile(path string) (protocol.PrivateKey, []string, error) {
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
	if kf.Version != keyFileVersion {
		return protocol.PrivateKey{}, nil, fmt.Errorf("key file %s: version %d, want %d", path, kf.Version, keyFileVersion)
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
