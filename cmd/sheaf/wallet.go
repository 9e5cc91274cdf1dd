package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/holiman/uint256"
	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/protocol"
)

// defaultPoll is how often waiting commands poll over HTTP.
const defaultPoll = 2 * time.Second

// Flags are built per command: urfave/cli flags keep state once applied.
func walletFileFlag(required bool) cli.Flag {
	return &cli.StringFlag{Name: "wallet.file", Required: required, Usage: "key file (JSON; encrypted, or plain for development)", EnvVars: env("wallet.file")}
}

func walletRPCFlag() cli.Flag {
	return &cli.StringFlag{Name: "wallet.rpc", Aliases: []string{"rpc"}, Value: "http://" + api.DefaultConfig.HTTPAddr,
		Usage: "sequencer API URL (http(s):// or ws(s)://; --wait subscribes over ws)", EnvVars: env("wallet.rpc")}
}

func walletIndexFlag() cli.Flag {
	return &cli.UintFlag{Name: "wallet.index", Aliases: []string{"index"},
		Usage: "account index (default: the key's first account)", EnvVars: env("wallet.index")}
}

// domainFlags pin the deployment a wallet signs for (beside or instead of
// the key file's pin).
func domainFlags() []cli.Flag {
	return []cli.Flag{
		&cli.Uint64Flag{Name: "wallet.chain-id", Usage: "L1 chain id the wallet signs for (pinned in the key file by `wallet new`)", EnvVars: env("wallet.chain-id")},
		&cli.StringFlag{Name: "wallet.contract", Usage: "rollup contract the wallet signs for (pinned in the key file by `wallet new`)", EnvVars: env("wallet.contract")},
	}
}

// domainFromFlags reads --wallet.chain-id and --wallet.contract (nil when
// neither is given).
func domainFromFlags(c *cli.Context) (*client.Domain, error) {
	if !c.IsSet("wallet.chain-id") && !c.IsSet("wallet.contract") {
		return nil, nil
	}
	s := c.String("wallet.contract")
	if c.Uint64("wallet.chain-id") == 0 || !common.IsHexAddress(s) || !strings.HasPrefix(s, "0x") {
		return nil, fmt.Errorf("--wallet.chain-id and --wallet.contract go together: a chain id and 0x and 40 hex digits (got %d, %q)", c.Uint64("wallet.chain-id"), s)
	}
	return &client.Domain{ChainID: c.Uint64("wallet.chain-id"), Contract: common.HexToAddress(s)}, nil
}

// txFlags are the amount, fee and waiting flags of transfer and withdraw.
func txFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "tx.amount", Aliases: []string{"amount"}, Required: true,
			Usage: `amount in wei, or "1.5eth"; exactly representable as a short float`, EnvVars: env("tx.amount")},
		&cli.StringFlag{Name: "tx.fee", Aliases: []string{"fee"},
			Usage: `fee in wei, or "0.0001eth" (default: sheaf_estimateFee)`, EnvVars: env("tx.fee")},
	}, waitFlags()...)
}

func waitFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "tx.wait", Aliases: []string{"wait"},
			Usage: "wait and print each status until --tx.until (or rejected)", EnvVars: env("tx.wait")},
		&cli.StringFlag{Name: "tx.until", Value: api.StatusFinalized,
			Usage: "status --wait stops at: sealed, proven, submitted or finalized", EnvVars: env("tx.until")},
		&cli.DurationFlag{Name: "tx.poll", Value: defaultPoll,
			Usage: "polling interval for --wait over HTTP", EnvVars: env("tx.poll")},
	}
}

func walletCommand() *cli.Command {
	return &cli.Command{
		Name:  "wallet",
		Usage: "a development wallet: keys, balances, transfers and withdrawals over the sequencer API",
		Subcommands: []*cli.Command{
			walletNewCommand(),
			walletDeriveCommand(),
			walletDepositCommand(),
			walletClaimCommand(),
			walletForceExitCommand(),
			walletWithdrawalCommand(),
			walletHistoryCommand(),
			walletDepositStatusCommand(),
			walletSignExodusCommand(),
			{
				Name: "address",
				Usage: "print the public identity of a key file: the L2 public key of a wallet key file (for --deploy.fee-key), " +
					"or the L1 address of a hex secp256k1 key file (for --deploy.sequencer)",
				Flags: []cli.Flag{walletFileFlag(true)},
				Action: func(c *cli.Context) error {
					out, err := keyFileAddress(c.String("wallet.file"))
					if err != nil {
						return err
					}
					fmt.Fprintln(c.App.Writer, out)
					return nil
				},
			},
			{
				Name:  "show",
				Usage: "print an account (by key file or --index) as JSON",
				Flags: []cli.Flag{walletRPCFlag(), walletFileFlag(false), passwordFileFlag(), walletIndexFlag()},
				Action: func(c *cli.Context) error {
					w, err := openWallet(c, c.IsSet("wallet.file"))
					if err != nil {
						return err
					}
					defer w.c.Close()
					ref := api.AccountByIndex(uint32(c.Uint("wallet.index")))
					switch {
					case c.IsSet("wallet.index"):
					case w.hasKey:
						ref = api.AccountByKey(w.key.Public())
					default:
						return errors.New("give --wallet.file or --wallet.index")
					}
					acc, err := w.c.GetAccount(c.Context, ref)
					if err != nil {
						return err
					}
					return printJSON(c.App.Writer, acc, true)
				},
			},
			{
				Name:  "transfer",
				Usage: "send a transfer to another account and print its hash",
				Flags: append(append([]cli.Flag{walletRPCFlag(), walletFileFlag(true), passwordFileFlag(), walletIndexFlag(),
					&cli.UintFlag{Name: "tx.to", Aliases: []string{"to"}, Required: true, Usage: "recipient account index", EnvVars: env("tx.to")},
				}, domainFlags()...), txFlags()...),
				Action: func(c *cli.Context) error { return send(c, api.KindTransfer) },
			},
			{
				Name:  "withdraw",
				Usage: "send a withdrawal to an L1 address and print its hash",
				Flags: append(append([]cli.Flag{walletRPCFlag(), walletFileFlag(true), passwordFileFlag(), walletIndexFlag(),
					&cli.StringFlag{Name: "tx.l1-address", Aliases: []string{"l1-address"}, Required: true, Usage: "L1 recipient (0x…)", EnvVars: env("tx.l1-address")},
				}, domainFlags()...), txFlags()...),
				Action: func(c *cli.Context) error { return send(c, api.KindWithdrawal) },
			},
			{
				Name:  "status",
				Usage: "print a transaction's status as JSON (with --wait, one line per status change)",
				Flags: append([]cli.Flag{walletRPCFlag(),
					&cli.StringFlag{Name: "tx.hash", Aliases: []string{"tx"}, Required: true, Usage: "transaction hash (0x…)", EnvVars: env("tx.hash")},
				}, waitFlags()...),
				Action: func(c *cli.Context) error {
					h, err := parseHash(c.String("tx.hash"))
					if err != nil {
						return err
					}
					w, err := openWallet(c, false)
					if err != nil {
						return err
					}
					defer w.c.Close()
					if !c.Bool("tx.wait") {
						tx, err := w.c.GetTransaction(c.Context, h)
						if err != nil {
							return err
						}
						return printJSON(c.App.Writer, tx, false)
					}
					return wait(c, w, h)
				},
			},
		},
	}
}

type wallet struct {
	c      *client.Client
	key    protocol.PrivateKey
	hasKey bool
	domain *client.Domain // the key file's pin, if any
}

func openWallet(c *cli.Context, withKey bool) (*wallet, error) {
	w := &wallet{}
	if withKey {
		kf, err := client.OpenKeyFile(c.String("wallet.file"), readPassword(c, false))
		if err != nil {
			return nil, err
		}
		if len(kf.Warnings) > 0 {
			if log, err := newLogger(c); err == nil {
				for _, m := range kf.Warnings {
					log.Warn(m)
				}
			}
		}
		w.key, w.hasKey, w.domain = kf.Key, true, kf.Domain
	}
	cl, err := client.Dial(c.Context, c.String("wallet.rpc"))
	if err != nil {
		return nil, err
	}
	w.c = cl
	return w, nil
}

func parseHash(s string) (common.Hash, error) {
	b, err := hexutil.Decode(s)
	if err != nil || len(b) != common.HashLength {
		return common.Hash{}, fmt.Errorf("--tx.hash %q: want 0x and 64 hex digits", s)
	}
	return common.BytesToHash(b), nil
}

// parseValue reads an amount or fee flag: wei ("1500000000000000000",
// "1500 wei") or ETH ("1.5eth"); below 2^128. Exact encodability is
// checked when signing (the error names the nearest values).
func parseValue(flag, s string) (*uint256.Int, error) {
	w, err := client.ParseAmount(s)
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", flag, err)
	}
	v, overflow := uint256.FromBig(w)
	if overflow || !v.Lt(protocol.MaxBalance) {
		return nil, fmt.Errorf("--%s: %s is not below 2^128", flag, w)
	}
	return v, nil
}

func send(c *cli.Context, kind string) error {
	if until := c.String("tx.until"); !validUntil(until) {
		return fmt.Errorf("--tx.until %q: want sealed, proven, submitted or finalized", until)
	}
	amount, err := parseValue("tx.amount", c.String("tx.amount"))
	if err != nil {
		return err
	}
	var l1 common.Address
	if kind == api.KindWithdrawal {
		s := c.String("tx.l1-address")
		if !common.IsHexAddress(s) || !strings.HasPrefix(s, "0x") {
			return fmt.Errorf("--tx.l1-address %q: want 0x and 40 hex digits", s)
		}
		l1 = common.HexToAddress(s)
	}
	if kind == api.KindTransfer && c.Uint("tx.to") > uint(^uint32(0)) {
		return fmt.Errorf("--tx.to %d: not an account index", c.Uint("tx.to"))
	}
	w, err := openWallet(c, true)
	if err != nil {
		return err
	}
	defer w.c.Close()
	ctx := c.Context
	pin, err := pinnedDomain(c, w)
	if err != nil {
		return err
	}
	chain, err := w.c.ChainID(ctx)
	if err != nil {
		return err
	}
	if err := pin.Check(chain); err != nil {
		return err
	}
	// The sender: --wallet.index (which must hold this key) or the key's first account.
	ref := api.AccountByKey(w.key.Public())
	if c.IsSet("wallet.index") {
		ref = api.AccountByIndex(uint32(c.Uint("wallet.index")))
	}
	acc, err := w.c.GetAccount(ctx, ref)
	if err != nil {
		return fmt.Errorf("sender account: %w", err)
	}
	if pub := w.key.Public().Bytes(); string(acc.PubKey) != string(pub[:]) {
		return fmt.Errorf("account %d belongs to %s, not to this key (%s)", acc.Index, acc.PubKey, hexutil.Encode(pub[:]))
	}
	var fee *uint256.Int
	if c.IsSet("tx.fee") {
		if fee, err = parseValue("tx.fee", c.String("tx.fee")); err != nil {
			return err
		}
	} else {
		est, err := w.c.EstimateFee(ctx, kind)
		if err != nil {
			return fmt.Errorf("fee estimate: %w", err)
		}
		if fee, err = est.Fee.Int(); err != nil {
			return fmt.Errorf("fee estimate %q: %w", est.Fee, err)
		}
	}
	// The nonce is the account's pending nonce: the API takes no gaps.
	var args api.SendArgs
	if kind == api.KindTransfer {
		args, err = client.SignTransfer(w.key, chain, acc.Index, uint32(c.Uint("tx.to")), amount, fee, acc.Pending.Nonce)
	} else {
		args, err = client.SignWithdrawal(w.key, chain, acc.Index, l1, amount, fee, acc.Pending.Nonce)
	}
	if err != nil {
		return err
	}
	h, err := w.c.SendTransaction(ctx, args)
	if err != nil {
		return err
	}
	if local, err := client.TxHash(chain, args); err != nil || local != h {
		return fmt.Errorf("server returned hash %s, the signed message is %s", h, local)
	}
	fmt.Fprintln(c.App.Writer, h.Hex())
	if log, err := newLogger(c); err == nil {
		log.Info("transaction accepted", "kind", kind, "from", acc.Index, "nonce", args.Nonce, "amount", args.Amount, "fee", args.Fee)
	}
	if c.Bool("tx.wait") {
		return wait(c, w, h)
	}
	return nil
}

// pinnedDomain is the deployment the wallet signs for: the key file's pin
// and the flags, which must agree when both are given. A wallet pinned to
// nothing would sign for whatever the server says, so it refuses.
func pinnedDomain(c *cli.Context, w *wallet) (client.Domain, error) {
	flags, err := domainFromFlags(c)
	if err != nil {
		return client.Domain{}, err
	}
	switch {
	case w.domain != nil && flags != nil && *w.domain != *flags:
		return client.Domain{}, fmt.Errorf("--wallet.chain-id/--wallet.contract say chain %d, contract %s; the key file is pinned to chain %d, contract %s",
			flags.ChainID, flags.Contract, w.domain.ChainID, w.domain.Contract)
	case w.domain != nil:
		return *w.domain, nil
	case flags != nil:
		return *flags, nil
	}
	return client.Domain{}, fmt.Errorf("%s pins no deployment: give --wallet.chain-id and --wallet.contract "+
		"(the chain id and rollup of deployment.json), or create the key with them (`sheaf wallet new`)", c.String("wallet.file"))
}

// keyFileAddress prints a wallet key file's L2 public key, or the L1
// address of a hex secp256k1 key file (what `--l1.key-file` takes).
func keyFileAddress(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if t := strings.TrimSpace(string(b)); strings.HasPrefix(t, "{") {
		// Plain and encrypted key files both carry the public key in the
		// clear: no password is needed to print it.
		var kf struct {
			PublicKey hexutil.Bytes `json:"publicKey"`
		}
		if err := json.Unmarshal(b, &kf); err != nil {
			return "", fmt.Errorf("key file %s: %w", path, err)
		}
		pk, err := protocol.ParsePublicKey(kf.PublicKey)
		if err != nil {
			return "", fmt.Errorf("key file %s: %w", path, err)
		}
		pub := pk.Bytes()
		return hexutil.Encode(pub[:]), nil
	}
	k, err := crypto.HexToECDSA(strings.TrimPrefix(strings.TrimSpace(string(b)), "0x"))
	if err != nil {
		return "", fmt.Errorf("%s is neither a wallet key file (JSON) nor a hex secp256k1 private key", path) // never echo the key
	}
	return crypto.PubkeyToAddress(k.PublicKey).Hex(), nil
}

func validUntil(s string) bool {
	switch s {
	case api.StatusSealed, api.StatusProven, api.StatusSubmitted, api.StatusFinalized:
		return true
	}
	return false
}

var statusRank = map[string]int{api.StatusPending: 0, api.StatusSealed: 1, api.StatusProven: 2, api.StatusSubmitted: 3, api.StatusFinalized: 4}

// wait prints each status as a JSON line until --tx.until or rejected;
// a rejected transaction is an error.
func wait(c *cli.Context, w *wallet, h common.Hash) error {
	until := c.String("tx.until")
	if !validUntil(until) {
		return fmt.Errorf("--tx.until %q: want sealed, proven, submitted or finalized", until)
	}
	var perr error
	tx, err := w.c.WaitTransaction(c.Context, h, c.Duration("tx.poll"),
		func(s string) bool { r, ok := statusRank[s]; return ok && r >= statusRank[until] },
		func(tx api.TxInfo) {
			if err := printJSON(c.App.Writer, tx, false); err != nil && perr == nil {
				perr = err
			}
		})
	if err != nil {
		return err
	}
	if perr != nil {
		return perr
	}
	if tx.Status == api.StatusRejected {
		return fmt.Errorf("transaction %s rejected: %s", h, tx.Reason)
	}
	return nil
}

func printJSON(w io.Writer, v any, indent bool) error {
	var b []byte
	var err error
	if indent {
		b, err = json.MarshalIndent(v, "", "  ")
	} else {
		b, err = json.Marshal(v)
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, string(b))
	return err
}
