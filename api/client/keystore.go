package client

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"golang.org/x/crypto/scrypt"

	"github.com/sheafrollup/sheaf/protocol"
)

// Encrypted key files (keystores), version 2:
//
//	{"version":2,"publicKey":"0x…",
//	 "crypto":{"kdf":"scrypt","kdfparams":{"n":262144,"r":8,"p":1,"salt":"0x…"},
//	           "cipher":"aes-256-gcm","nonce":"0x…","ciphertext":"0x…"},
//	 "derivation":{…}}                       (optional, informational)
//
// key = scrypt(password, salt, n, r, p, 32); ciphertext = AES-256-GCM(key,
// nonce, plaintext = protocol.PrivateKey.Bytes (96 bytes), additional data =
// "sheaf.keystore.v2" ‖ publicKey). The public key is bound as additional
// data, so a file whose publicKey was edited does not decrypt.
const keystoreVersion = 2

var keystoreAD = []byte("sheaf.keystore.v2")

var (
	// ErrPasswordNeeded: the key file is encrypted and no password was given.
	ErrPasswordNeeded = errors.New("key file is encrypted: a password is needed")
	// ErrWrongPassword: the password does not decrypt the key file (or the
	// file was altered).
	ErrWrongPassword = errors.New("wrong password (or the key file was altered)")
)

// ScryptParams are the keystore's key-stretching costs.
type ScryptParams struct {
	N, R, P int
}

var (
	// StandardScrypt is go-ethereum's standard keystore cost (256 MiB,
	// about a second): for keys that hold funds.
	StandardScrypt = ScryptParams{N: 1 << 18, R: 8, P: 1}
	// LightScrypt is cheap: tests and throw-away keys only.
	LightScrypt = ScryptParams{N: 1 << 12, R: 8, P: 1}
)

// Check bounds the parameters: a file cannot make the loader allocate
// without limit (n·r·128 bytes).
func (p ScryptParams) Check() error {
	switch {
	case p.N < 2 || p.N&(p.N-1) != 0:
		return fmt.Errorf("scrypt n %d: want a power of two ≥ 2", p.N)
	case p.N > 1<<22:
		return fmt.Errorf("scrypt n %d above 2^22", p.N)
	case p.R < 1 || p.R > 32:
		return fmt.Errorf("scrypt r %d out of [1, 32]", p.R)
	case p.P < 1 || p.P > 16:
		return fmt.Errorf("scrypt p %d out of [1, 16]", p.P)
	}
	return nil
}

// Derivation records where a derived key came from (informational: the
// key itself is in the encrypted part).
type Derivation struct {
	Scheme   string         `json:"scheme"` // "eip712-hkdf-v1"
	Address  string         `json:"address"`
	ChainID  hexutil.Uint64 `json:"chainId"`
	Contract string         `json:"contract"`
	KeyIndex uint32         `json:"keyIndex"`
}

type keystoreCrypto struct {
	KDF       string `json:"kdf"`
	KDFParams struct {
		N    int           `json:"n"`
		R    int           `json:"r"`
		P    int           `json:"p"`
		Salt hexutil.Bytes `json:"salt"`
	} `json:"kdfparams"`
	Cipher     string        `json:"cipher"`
	Nonce      hexutil.Bytes `json:"nonce"`
	Ciphertext hexutil.Bytes `json:"ciphertext"`
}

type keystoreFile struct {
	Version    int            `json:"version"`
	PublicKey  hexutil.Bytes  `json:"publicKey"`
	Crypto     keystoreCrypto `json:"crypto"`
	Derivation *Derivation    `json:"derivation,omitempty"`
	// ChainID and Contract pin the key to one deployment (as in plain files).
	ChainID  uint64          `json:"chainId,omitempty"`
	Contract *common.Address `json:"contract,omitempty"`
}

func gcmFor(password, salt []byte, p ScryptParams) (cipher.AEAD, error) {
	key, err := scrypt.Key(password, salt, p.N, p.R, p.P, 32)
	if err != nil {
		return nil, fmt.Errorf("scrypt: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// SaveEncryptedKeyFile writes k encrypted under password (mode 0600, never
// overwriting), pinned to dom (nil: to the deployment of d, if any). d and
// dom may be nil.
func SaveEncryptedKeyFile(path string, k protocol.PrivateKey, password []byte, p ScryptParams, d *Derivation, dom *Domain) error {
	if len(password) == 0 {
		return errors.New("empty password: use a plain development key file instead (sheaf wallet new --wallet.plain)")
	}
	if err := p.Check(); err != nil {
		return err
	}
	pub := k.Public().Bytes()
	ks := keystoreFile{Version: keystoreVersion, PublicKey: pub[:], Derivation: d}
	if dom == nil && d != nil && d.ChainID != 0 && common.IsHexAddress(d.Contract) {
		dom = &Domain{ChainID: uint64(d.ChainID), Contract: common.HexToAddress(d.Contract)}
	}
	if dom != nil {
		if dom.ChainID == 0 || dom.Contract == (common.Address{}) {
			return errors.New("key file: a pinned deployment needs a chain id and a contract")
		}
		c := dom.Contract
		ks.ChainID, ks.Contract = dom.ChainID, &c
	}
	ks.Crypto.KDF, ks.Crypto.Cipher = "scrypt", "aes-256-gcm"
	ks.Crypto.KDFParams.N, ks.Crypto.KDFParams.R, ks.Crypto.KDFParams.P = p.N, p.R, p.P
	ks.Crypto.KDFParams.Salt = make([]byte, 32)
	ks.Crypto.Nonce = make([]byte, 12)
	if _, err := rand.Read(ks.Crypto.KDFParams.Salt); err != nil {
		return err
	}
	if _, err := rand.Read(ks.Crypto.Nonce); err != nil {
		return err
	}
	aead, err := gcmFor(password, ks.Crypto.KDFParams.Salt, p)
	if err != nil {
		return err
	}
	ks.Crypto.Ciphertext = aead.Seal(nil, ks.Crypto.Nonce, k.Bytes(), append(append([]byte{}, keystoreAD...), pub[:]...))
	data, err := json.MarshalIndent(ks, "", "  ")
	if err != nil {
		return err
	}
	return writeNew(path, data)
}

// openKeystore decrypts a version-2 file.
func openKeystore(path string, data []byte, password func() ([]byte, error)) (protocol.PrivateKey, *Domain, error) {
	k, err := decryptKeystore(path, data, password)
	if err != nil {
		return protocol.PrivateKey{}, nil, err
	}
	var ks keystoreFile
	if err := json.Unmarshal(data, &ks); err != nil {
		return protocol.PrivateKey{}, nil, fmt.Errorf("key file %s: %w", path, err)
	}
	switch {
	case ks.ChainID != 0 && ks.Contract != nil:
		return k, &Domain{ChainID: ks.ChainID, Contract: *ks.Contract}, nil
	case ks.ChainID != 0 || ks.Contract != nil:
		return protocol.PrivateKey{}, nil, fmt.Errorf("key file %s: chainId and contract pin a deployment together; one of them is missing", path)
	}
	return k, nil, nil
}

// decryptKeystore decrypts a version-2 file.
func decryptKeystore(path string, data []byte, password func() ([]byte, error)) (protocol.PrivateKey, error) {
	var ks keystoreFile
	if err := json.Unmarshal(data, &ks); err != nil {
		return protocol.PrivateKey{}, fmt.Errorf("key file %s: %w", path, err)
	}
	c := ks.Crypto
	if c.KDF != "scrypt" || c.Cipher != "aes-256-gcm" {
		return protocol.PrivateKey{}, fmt.Errorf("key file %s: kdf %q, cipher %q: want scrypt and aes-256-gcm", path, c.KDF, c.Cipher)
	}
	p := ScryptParams{N: c.KDFParams.N, R: c.KDFParams.R, P: c.KDFParams.P}
	if err := p.Check(); err != nil {
		return protocol.PrivateKey{}, fmt.Errorf("key file %s: %w", path, err)
	}
	if len(c.KDFParams.Salt) < 16 || len(c.Nonce) != 12 || len(ks.PublicKey) != protocol.PubKeySize {
		return protocol.PrivateKey{}, fmt.Errorf("key file %s: bad salt, nonce or public key length", path)
	}
	if password == nil {
		return protocol.PrivateKey{}, fmt.Errorf("key file %s: %w", path, ErrPasswordNeeded)
	}
	pw, err := password()
	if err != nil {
		return protocol.PrivateKey{}, fmt.Errorf("key file %s: password: %w", path, err)
	}
	aead, err := gcmFor(pw, c.KDFParams.Salt, p)
	if err != nil {
		return protocol.PrivateKey{}, err
	}
	plain, err := aead.Open(nil, c.Nonce, c.Ciphertext, append(append([]byte{}, keystoreAD...), ks.PublicKey...))
	if err != nil {
		return protocol.PrivateKey{}, fmt.Errorf("key file %s: %w", path, ErrWrongPassword)
	}
	k, err := protocol.PrivateKeyFromBytes(plain)
	if err != nil {
		return protocol.PrivateKey{}, fmt.Errorf("key file %s: %w", path, err)
	}
	if pub := k.Public().Bytes(); string(pub[:]) != string(ks.PublicKey) {
		return protocol.PrivateKey{}, fmt.Errorf("key file %s: publicKey is not the private key's", path)
	}
	return k, nil
}

// writeNew creates path (0600) with data; it never overwrites a file.
func writeNew(path string, data []byte) error {
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
