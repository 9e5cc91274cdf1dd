package main

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
)

// The wallet's L1 steps (deposit, claim, a withdrawal's L1 status) and
// its history. The rollup contract comes from --deploy.file or
// --l1.contract, never from the sequencer alone: a wallet pays the
// contract it was told, and refuses a sequencer that serves another.

func l1NodeFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "l1.rpc", Usage: "L1 JSON-RPC endpoint (http, ws or ipc)", EnvVars: env("l1.rpc")},
		&cli.StringFlag{Name: "deploy.file", Usage: "deployment file written by `sheaf deploy` (contract, chain id, first block)", EnvVars: env("deploy.file")},
		&cli.StringFlag{Name: "l1.contract", Usage: "rollup contract address (instead of --deploy.file)", EnvVars: env("l1.contract")},
	}
}

// openL1 dials --l1.rpc and binds the rollup of --deploy.file or
// --l1.contract; it returns the deployment block (0 when unknown) for log
// searches.
func openL1(c *cli.Context) (*client.L1, *ethclient.Client, uint64, error) {
	if c.String("l1.rpc") == "" {
		return nil, nil, 0, errors.New("--l1.rpc is required")
	}
	var (
		contract common.Address
		chainID  uint64
		block    uint64
	)
	switch f, a := c.String("deploy.file"), c.String("l1.contract"); {
	case f != "" && a != "":
		return nil, nil, 0, errors.New("give --deploy.file or --l1.contract, not both")
	case f != "":
		d, err := l1.ReadDeployment(f)
		if err != nil {
			return nil, nil, 0, err
		}
		contract, chainID, block = d.Rollup, d.ChainID, d.Block
	case a != "":
		if !common.IsHexAddress(a) {
			return nil, nil, 0, fmt.Errorf("--l1.contract %q: not an address", a)
		}
		contract = common.HexToAddress(a)
	default:
		return nil, nil, 0, errors.New("--deploy.file or --l1.contract is required (the rollup contract)")
	}
	ec, err := ethclient.DialContext(c.Context, c.String("l1.rpc"))
	if err != nil {
		return nil, nil, 0, fmt.Errorf("--l1.rpc: %w", err)
	}
	l, err := client.NewL1(c.Context, ec, contract, chainID)
	if err != nil {
		ec.Close()
		return nil, nil, 0, err
	}
	return l, ec, block, nil
}

// checkSequencer refuses a sequencer that serves another deployment than
// the L1 contract the wallet pays.
func checkSequencer(c *cli.Context, w *wallet, l *client.L1, chainID uint64) (api.ChainInfo, error) {
	chain, err := w.c.ChainID(c.Context)
	if err != nil {
		return chain, err
	}
	if _, err := client.DomainState(chain); err != nil {
		return chain, err
	}
	if chain.Contract != l.Contract() || uint64(chain.ChainID) != chainID {
		return chain, fmt.Errorf("the sequencer serves contract %s on chain %d, not %s on chain %d", chain.Contract, uint64(chain.ChainID), l.Contract(), chainID)
	}
	return chain, nil
}

func printLine(c *cli.Context, format string, args ...any) {
	fmt.Fprintf(c.App.ErrWriter, format+"\n", args...)
}

func walletDepositCommand() *cli.Command {
	return &cli.Command{
		Name: "deposit",
		Usage: "deposit ETH from L1 to a Sheaf key (a new account, or the key's first one) and wait until L2 has it; " +
			"prints the deposit as JSON",
		Flags: joinFlags(l1NodeFlags(), l1KeyFlags(), []cli.Flag{walletRPCFlag(), walletFileFlag(false), passwordFileFlag(),
			&cli.StringFlag{Name: "deposit.to", Usage: "the Sheaf public key to credit (default: --wallet.file's)", EnvVars: env("deposit.to")},
			&cli.StringFlag{Name: "tx.amount", Aliases: []string{"amount"}, Required: true, Usage: `amount: "1.5eth", or wei`, EnvVars: env("tx.amount")},
			&cli.BoolFlag{Name: "tx.wait", Aliases: []string{"wait"}, Value: true, Usage: "wait until L2 has the deposit (--tx.wait=false: return once mined)", EnvVars: env("tx.wait")},
			&cli.DurationFlag{Name: "tx.poll", Value: defaultPoll, Usage: "polling interval while waiting", EnvVars: env("tx.poll")},
		}),
		Action: func(c *cli.Context) error {
			amount, err := client.ParseAmount(c.String("tx.amount"))
			if err != nil {
				return fmt.Errorf("--tx.amount: %w", err)
			}
			var to protocol.PublicKey
			switch s := c.String("deposit.to"); {
			case s != "" && c.IsSet("wallet.file"):
				return errors.New("give --deposit.to or --wallet.file, not both")
			case s != "":
				b, err := hexutil.Decode(s)
				if err != nil {
					return fmt.Errorf("--deposit.to: %w", err)
				}
				if to, err = protocol.ParsePublicKey(b); err != nil {
					return fmt.Errorf("--deposit.to: %w", err)
				}
			case c.IsSet("wallet.file"):
				kf, err := client.OpenKeyFile(c.String("wallet.file"), readPassword(c, false))
				if err != nil {
					return err
				}
				to = kf.Key.Public()
			default:
				return errors.New("--wallet.file or --deposit.to is required (the Sheaf key to credit)")
			}
			key, err := l1Key(c)
			if err != nil {
				return err
			}
			l, ec, _, err := openL1(c)
			if err != nil {
				return err
			}
			defer ec.Close()
			id, err := ec.ChainID(c.Context)
			if err != nil {
				return err
			}
			var w *wallet
			if c.Bool("tx.wait") {
				// Before paying: the sequencer must serve this contract.
				if w, err = openWallet(c, false); err != nil {
					return err
				}
				defer w.c.Close()
				if _, err := checkSequencer(c, w, l, id.Uint64()); err != nil {
					return err
				}
			}
			r, err := l.Deposit(c.Context, key, to, amount)
			if err != nil {
				return err
			}
			pub := to.Bytes()
			printLine(c, "deposit of %s to %s mined: L1 transaction %s, block %d, queue index %d",
				client.FormatETH(r.Amount), hexutil.Encode(pub[:]), r.TxHash.Hex(), r.Block, r.QueueIndex)
			out := map[string]any{"l1TxHash": r.TxHash, "l1Block": r.Block, "queueIndex": r.QueueIndex, "amount": r.Amount.String(),
				"from": crypto.PubkeyToAddress(key.PublicKey), "pubKey": hexutil.Encode(pub[:])}
			if !c.Bool("tx.wait") {
				return printJSON(c.App.Writer, out, false)
			}
			d, err := w.c.WaitDeposit(c.Context, api.DepositRef{QueueIndex: r.QueueIndex}, c.Duration("tx.poll"), func(d *api.DepositInfo) {
				switch {
				case d == nil:
					printLine(c, "waiting for the sequencer to observe the deposit (L1 confirmations)")
				case d.Status == api.DepositQueued:
					printLine(c, "queued on L2: %d deposits ahead of it", *d.QueuePosition)
				}
			})
			if err != nil {
				return err
			}
			acc, err := w.c.GetAccount(c.Context, api.AccountByKey(to))
			if err != nil {
				return fmt.Errorf("the deposit reached L2 but its account: %w", err)
			}
			printLine(c, "on L2 (%s): account %d now holds %s wei (pending)", d.Status, acc.Index, acc.Pending.Balance)
			return printJSON(c.App.Writer, d, false)
		},
	}
}

func walletClaimCommand() *cli.Command {
	return &cli.Command{
		Name:  "claim",
		Usage: "claim on L1 every finalized withdrawal credited to the L1 key's address (--claim.to: pay another address)",
		Flags: joinFlags(l1NodeFlags(), l1KeyFlags(), []cli.Flag{
			&cli.StringFlag{Name: "claim.to", Usage: "pay to this address instead (claimTo)", EnvVars: env("claim.to")},
		}),
		Action: func(c *cli.Context) error {
			key, err := l1Key(c)
			if err != nil {
				return err
			}
			l, ec, _, err := openL1(c)
			if err != nil {
				return err
			}
			defer ec.Close()
			var r *client.ClaimReceipt
			if s := c.String("claim.to"); s != "" {
				if !common.IsHexAddress(s) || !strings.HasPrefix(s, "0x") {
					return fmt.Errorf("--claim.to %q: want 0x and 40 hex digits", s)
				}
				r, err = l.ClaimTo(c.Context, key, common.HexToAddress(s))
			} else {
				r, err = l.Claim(c.Context, key)
			}
			if err != nil {
				return err
			}
			printLine(c, "claimed %s to %s: L1 transaction %s", client.FormatETH(r.Amount), r.To.Hex(), r.TxHash.Hex())
			return printJSON(c.App.Writer, map[string]any{"l1TxHash": r.TxHash, "l1Block": r.Block, "amount": r.Amount.String(), "to": r.To}, false)
		},
	}
}

func walletWithdrawalCommand() *cli.Command {
	return &cli.Command{
		Name:  "withdrawal",
		Usage: "a withdrawal's status on L2 and on L1 (not-credited, credited, claimable, claimed) as JSON",
		Flags: joinFlags(l1NodeFlags(), []cli.Flag{walletRPCFlag(),
			&cli.StringFlag{Name: "tx.hash", Aliases: []string{"tx"}, Required: true, Usage: "the withdrawal's hash (0x…)", EnvVars: env("tx.hash")},
		}),
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
			tx, err := w.c.GetTransaction(c.Context, h)
			if err != nil {
				return err
			}
			if tx.Kind != api.KindWithdrawal || tx.L1Address == nil {
				return fmt.Errorf("%s is a %s, not a withdrawal", h, tx.Kind)
			}
			out := map[string]any{"l2": tx}
			if tx.BatchNumber != nil && tx.Status != api.StatusRejected {
				l, ec, from, err := openL1(c)
				if err != nil {
					return err
				}
				defer ec.Close()
				st, err := l.WithdrawalStatus(c.Context, uint64(*tx.BatchNumber), *tx.L1Address, from)
				if err != nil {
					return err
				}
				out["l1"] = st
			} else {
				out["l1"] = client.WithdrawalL1Status{Status: client.WithdrawalNotCredited}
			}
			return printJSON(c.App.Writer, out, true)
		},
	}
}

func walletHistoryCommand() *cli.Command {
	return &cli.Command{
		Name:  "history",
		Usage: "an account's transactions (sent and received), newest first, one JSON line each",
		Flags: []cli.Flag{walletRPCFlag(), walletFileFlag(false), passwordFileFlag(), walletIndexFlag(),
			&cli.StringSliceFlag{Name: "tx.status", Usage: "keep only these statuses", EnvVars: env("tx.status")},
			&cli.IntFlag{Name: "history.limit", Value: api.DefaultTxPageSize, Usage: "how many (all pages up to this)", EnvVars: env("history.limit")},
		},
		Action: func(c *cli.Context) error {
			limit := c.Int("history.limit")
			if limit < 1 {
				return fmt.Errorf("--history.limit %d: want at least 1", limit)
			}
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
			q := &client.TxQuery{Statuses: c.StringSlice("tx.status")}
			for n := 0; n < limit; {
				q.Limit = min(limit-n, api.MaxTxPageSize)
				p, err := w.c.GetTransactions(c.Context, ref, q)
				if err != nil {
					return err
				}
				for _, tx := range p.Transactions {
					if err := printJSON(c.App.Writer, tx, false); err != nil {
						return err
					}
				}
				n += len(p.Transactions)
				if p.Next == "" {
					break
				}
				q.Cursor = p.Next
			}
			return nil
		},
	}
}

func walletDepositStatusCommand() *cli.Command {
	return &cli.Command{
		Name:  "deposit-status",
		Usage: "a deposit's status on L2 (by queue index or L1 transaction hash) as JSON",
		Flags: []cli.Flag{walletRPCFlag(),
			&cli.StringFlag{Name: "deposit.ref", Aliases: []string{"deposit"}, Required: true, Usage: "queue index, or L1 transaction hash (0x…)", EnvVars: env("deposit.ref")},
		},
		Action: func(c *cli.Context) error {
			var ref api.DepositRef
			s := c.String("deposit.ref")
			if strings.HasPrefix(s, "0x") {
				h, err := parseHash(s)
				if err != nil {
					return fmt.Errorf("--deposit.ref: %w", err)
				}
				ref.L1TxHash = &h
			} else {
				n, ok := new(big.Int).SetString(s, 10)
				if !ok || !n.IsUint64() {
					return fmt.Errorf("--deposit.ref %q: want a queue index or an L1 transaction hash", s)
				}
				ref.QueueIndex = n.Uint64()
			}
			w, err := openWallet(c, false)
			if err != nil {
				return err
			}
			defer w.c.Close()
			d, err := w.c.GetDeposit(c.Context, ref)
			if err != nil {
				return err
			}
			return printJSON(c.App.Writer, d, true)
		},
	}
}
