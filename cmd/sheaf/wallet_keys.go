package main

import (
	"bytes"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/protocol"
)

// Key files: encrypted by default (scrypt + AES-256-GCM), plain only for
// development (--wallet.plain). Passwords come from --wallet.password-file
// or, on a terminal, from a prompt; never from a flag value.

func passwordFileFlag() cli.Flag {
	return &cli.StringFlag{Name: "wallet.password-file", Usage: "file holding the key file's password (default: prompt on the terminal)", EnvVars: env("wallet.password-file")}
}

// passwordFlags are those of commands that write a key file.
func passwordFlags() []cli.Flag {
	return []cli.Flag{
		passwordFileFlag(),
		&cli.IntFlag{Name: "wallet.scrypt-n", Value: client.StandardScrypt.N, Usage: "scrypt cost of new key files (lower only for throw-away keys)", EnvVars: env("wallet.scrypt-n")},
	}
}

func plainFlag() cli.Flag {
	return &cli.BoolFlag{Name: "wallet.plain", Usage: "write an UNENCRYPTED development key file", EnvVars: env("wallet.plain")}
}

// l1KeyFlags select the Ethereum account: a local key, or an account that
// an Ethereum JSON-RPC endpoint signs for (eth_signTypedData_v4).
func l1KeyFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "l1.key", Usage: "Ethereum private key, hex (prefer --l1.key-file or the environment)", EnvVars: env("l1.key")},
		&cli.StringFlag{Name: "l1.key-file", Usage: "file holding the Ethereum private key, hex", EnvVars: env("l1.key-file")},
	}
}

// readPassword returns the password source for key files. confirm asks
// twice on a terminal (new files).
func readPassword(c *cli.Context, confirm bool) func() ([]byte, error) {
	return func() ([]byte, error) {
		if f := c.String("wallet.password-file"); f != "" {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("--wallet.password-file: %w", err)
			}
			b = bytes.TrimRight(b, "\r\n")
			if len(b) == 0 {
				return nil, fmt.Errorf("--wallet.password-file %s is empty", f)
			}
			return b, nil
		}
		fd := int(os.Stdin.Fd())
		if !term.IsTerminal(fd) {
			return nil, errors.New("the key file is encrypted: give --wallet.password-file (SHEAF_WALLET_PASSWORD_FILE) or run on a terminal")
		}
		fmt.Fprint(os.Stderr, "Key file password: ")
		pw, err := term.ReadPassword(fd)
		fmt.Fprintln(os.Stderr)
		if err != nil {
			return nil, err
		}
		if confirm {
			fmt.Fprint(os.Stderr, "Repeat the password: ")
			again, err := term.ReadPassword(fd)
			fmt.Fprintln(os.Stderr)
			if err != nil {
				return nil, err
			}
			if !bytes.Equal(pw, again) {
				return nil, errors.New("the passwords differ")
			}
		}
		if len(pw) == 0 {
			return nil, errors.New("empty password")
		}
		return pw, nil
	}
}

// saveKey writes k as --wallet.file: encrypted, or plain with --wallet.plain,
// pinned to dom (nil: to d's deployment, if any).
func saveKey(c *cli.Context, k protocol.PrivateKey, d *client.Derivation, dom *client.Domain) error {
	path := c.String("wallet.file")
	if dom == nil && d != nil && d.ChainID != 0 && common.IsHexAddress(d.Contract) {
		dom = &client.Domain{ChainID: uint64(d.ChainID), Contract: common.HexToAddress(d.Contract)}
	}
	if c.Bool("wallet.plain") {
		return client.SaveKeyFile(path, k, dom)
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists: refusing to overwrite a key file", path)
	}
	pw, err := readPassword(c, true)()
	if err != nil {
		return err
	}
	p := client.StandardScrypt
	p.N = c.Int("wallet.scrypt-n")
	return client.SaveEncryptedKeyFile(path, k, pw, p, d, dom)
}

// l1Key reads --l1.key or --l1.key-file (never echoing the key).
func l1Key(c *cli.Context) (*ecdsa.PrivateKey, error) {
	keyHex := c.String("l1.key")
	if f := c.String("l1.key-file"); f != "" {
		if keyHex != "" {
			return nil, errors.New("give --l1.key or --l1.key-file, not both")
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("--l1.key-file: %w", err)
		}
		keyHex = string(b)
	}
	if keyHex == "" {
		return nil, errors.New("--l1.key or --l1.key-file is required")
	}
	k, err := crypto.HexToECDSA(strings.TrimPrefix(strings.TrimSpace(keyHex), "0x"))
	if err != nil {
		return nil, errors.New("Ethereum key: not a hex secp256k1 private key")
	}
	return k, nil
}

// ethSigner is the Ethereum account that derives the key: --l1.key(-file),
// or --l1.account signing through --l1.rpc.
func ethSigner(c *cli.Context) (client.EthSigner, func(), error) {
	if a := c.String("l1.account"); a != "" {
		if !common.IsHexAddress(a) {
			return nil, nil, fmt.Errorf("--l1.account %q: not an address", a)
		}
		if c.String("l1.rpc") == "" {
			return nil, nil, errors.New("--l1.account needs --l1.rpc (an endpoint that signs for it)")
		}
		rc, err := rpc.DialContext(c.Context, c.String("l1.rpc"))
		if err != nil {
			return nil, nil, fmt.Errorf("--l1.rpc: %w", err)
		}
		return client.RPCEthSigner{C: rc, Account: common.HexToAddress(a)}, rc.Close, nil
	}
	k, err := l1Key(c)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (or --l1.account with --l1.rpc)", err)
	}
	return client.LocalEthSigner{Key: k}, func() {}, nil
}

func walletNewCommand() *cli.Command {
	return &cli.Command{
		Name:  "new",
		Usage: "create a random key in a new key file (encrypted; 0600, never overwritten), pinned to a deployment with --wallet.chain-id and --wallet.contract, and print its public key",
		Flags: append(append([]cli.Flag{walletFileFlag(true), plainFlag()}, passwordFlags()...), domainFlags()...),
		Action: func(c *cli.Context) error {
			dom, err := domainFromFlags(c)
			if err != nil {
				return err
			}
			k, err := protocol.GenerateKey(nil)
			if err != nil {
				return err
			}
			if err := saveKey(c, k, nil, dom); err != nil {
				return err
			}
			pub := k.Public().Bytes()
			fmt.Fprintln(c.App.Writer, hexutil.Encode(pub[:]))
			if log, err := newLogger(c); err == nil {
				what := "wrote an encrypted key file"
				if c.Bool("wallet.plain") {
					what = "wrote an UNENCRYPTED development key file"
				}
				log.Info(what+": deposit to the public key on L1 to open an account (sheaf wallet deposit)", "file", c.String("wallet.file"))
			}
			return nil
		},
	}
}

func walletDeriveCommand() *cli.Command {
	return &cli.Command{
		Name: "derive",
		Usage: "derive the Sheaf key of an Ethereum account (EIP-712 signature, asked twice) for the deployment behind --wallet.rpc " +
			"and write it to a new key file",
		Flags: append(append([]cli.Flag{walletRPCFlag(), walletFileFlag(true), plainFlag(),
			&cli.UintFlag{Name: "wallet.key-index", Usage: "key index: one Ethereum account derives any number of Sheaf keys", EnvVars: env("wallet.key-index")},
			&cli.StringFlag{Name: "l1.rpc", Usage: "Ethereum JSON-RPC endpoint that signs for --l1.account", EnvVars: env("l1.rpc")},
			&cli.StringFlag{Name: "l1.account", Usage: "Ethereum account that --l1.rpc signs for (eth_signTypedData_v4)", EnvVars: env("l1.account")},
		}, l1KeyFlags()...), passwordFlags()...),
		Action: func(c *cli.Context) error {
			if c.Uint("wallet.key-index") > uint(^uint32(0)) {
				return fmt.Errorf("--wallet.key-index %d: above 2^32-1", c.Uint("wallet.key-index"))
			}
			signer, closeSigner, err := ethSigner(c)
			if err != nil {
				return err
			}
			defer closeSigner()
			w, err := openWallet(c, false)
			if err != nil {
				return err
			}
			defer w.c.Close()
			chain, err := w.c.ChainID(c.Context)
			if err != nil {
				return err
			}
			if _, err := client.DomainState(chain); err != nil {
				return err
			}
			index := uint32(c.Uint("wallet.key-index"))
			k, err := client.DeriveKey(c.Context, signer, uint64(chain.ChainID), chain.Contract, index)
			if errors.Is(err, client.ErrNonDeterministicSigner) {
				return fmt.Errorf("%w: create a random key instead with `sheaf wallet new` (an encrypted key file; keep a backup)", err)
			}
			if err != nil {
				return err
			}
			d := &client.Derivation{Scheme: "eip712-hkdf-v1", Address: signer.Address().Hex(), ChainID: chain.ChainID,
				Contract: chain.Contract.Hex(), KeyIndex: index}
			if err := saveKey(c, k, d, nil); err != nil {
				return err
			}
			pub := k.Public().Bytes()
			fmt.Fprintln(c.App.Writer, hexutil.Encode(pub[:]))
			if log, err := newLogger(c); err == nil {
				log.Info("derived the Sheaf key (the same Ethereum account derives it again for this deployment and index)",
					"ethereum", signer.Address(), "chain_id", uint64(chain.ChainID), "contract", chain.Contract, "key_index", index,
					"file", c.String("wallet.file"))
			}
			return nil
		},
	}
}
