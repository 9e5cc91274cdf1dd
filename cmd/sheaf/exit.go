package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/exodus"
	"github.com/sheafrollup/sheaf/l1"
)

// exitL1Flags locate the rollup: an L1 endpoint and the deployment file.
func exitL1Flags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "l1.rpc", Usage: "L1 JSON-RPC endpoint (http, ws or ipc)", EnvVars: env("l1.rpc")},
		&cli.StringFlag{Name: "deploy.file", Usage: "deployment file written by `sheaf deploy` (contract and start block)", EnvVars: env("deploy.file")},
		&cli.StringFlag{Name: "l1.contract", Usage: "rollup contract address (instead of --deploy.file; scans from --audit.from-block)", EnvVars: env("l1.contract")},
		&cli.Uint64Flag{Name: "audit.from-block", Usage: "first L1 block to scan (default: the deployment block from --deploy.file, else 0)", EnvVars: env("audit.from-block")},
		&cli.Uint64Flag{Name: "audit.batch-blocks", Value: audit.DefaultConfig.BatchBlocks, Usage: "most blocks per eth_getLogs", EnvVars: env("audit.batch-blocks")},
		&cli.StringFlag{Name: "audit.genesis", Usage: "genesis accounts (JSON) of a rollup deployed on a non-empty tree", EnvVars: env("audit.genesis")},
	}, blobFlags()...)
}

// openExiter dials L1 and binds the rollup.
func openExiter(c *cli.Context) (*exodus.Exiter, func(), error) {
	log, err := newLogger(c)
	if err != nil {
		return nil, nil, err
	}
	cfg := exodus.Config{BatchBlocks: c.Uint64("audit.batch-blocks")}
	if c.String("l1.rpc") == "" {
		return nil, nil, errors.New("--l1.rpc is required")
	}
	var dep *l1.DeploymentFile
	switch path, addr := c.String("deploy.file"), c.String("l1.contract"); {
	case path != "" && addr != "":
		return nil, nil, errors.New("give --deploy.file or --l1.contract, not both")
	case path != "":
		if dep, err = l1.ReadDeployment(path); err != nil {
			return nil, nil, err
		}
		cfg.Contract, cfg.FromBlock = dep.Rollup, dep.Block
	case common.IsHexAddress(addr) && strings.HasPrefix(addr, "0x"):
		cfg.Contract = common.HexToAddress(addr)
	default:
		return nil, nil, fmt.Errorf("--deploy.file or --l1.contract is required (%q is not an address)", addr)
	}
	if c.IsSet("audit.from-block") {
		cfg.FromBlock = c.Uint64("audit.from-block")
	}
	if g := c.String("audit.genesis"); g != "" {
		if cfg.Genesis, err = audit.ReadGenesis(g); err != nil {
			return nil, nil, err
		}
	}
	if cfg.Blobs, err = blobSource(c); err != nil {
		return nil, nil, err
	}
	ec, err := ethclient.DialContext(c.Context, c.String("l1.rpc"))
	if err != nil {
		return nil, nil, fmt.Errorf("--l1.rpc: %w", err)
	}
	if dep != nil {
		if _, err := checkOnL1(c.Context, ec, dep, c.String("deploy.file")); err != nil {
			ec.Close()
			return nil, nil, err
		}
	}
	e, err := exodus.New(cfg, ec, log.With("component", "exit"))
	if err != nil {
		ec.Close()
		return nil, nil, err
	}
	return e, ec.Close, nil
}

func exitCommand() *cli.Command {
	return &cli.Command{
		Name:  "exit",
		Usage: "in exodus mode: get an account's last proven balance (and the sender's unconsumed deposits) out of a frozen rollup, from L1 alone",
		Description: "Rebuilds the L2 state from L1 (no database, no operator), builds the exit proof for the account with its\n" +
			"exodus signature (signed here with --wallet.file, or given as a file from `sheaf wallet sign-exodus`),\n" +
			"sends exit and then refundDeposit for the depositor's unconsumed deposits. The L1 key only pays gas:\n" +
			"anyone can send an exit for anyone; it pays only the recipient the signature names. Then `sheaf wallet claim`.\n" +
			"Not frozen yet? Once the oldest queue entry is past its expiry, --exit.activate starts exodus mode.",
		Flags: joinFlags(exitL1Flags(), l1KeyFlags(), []cli.Flag{
			walletFileFlag(false), passwordFileFlag(),
			&cli.UintFlag{Name: "exit.index", Usage: "account to exit, with --wallet.file (default: the key's first account)", EnvVars: env("exit.index")},
			&cli.StringFlag{Name: "exit.recipient", Usage: "L1 address to pay, with --wallet.file (default: the L1 key's address)", EnvVars: env("exit.recipient")},
			&cli.StringFlag{Name: "exit.signature", Usage: "detached exodus signature file (`sheaf wallet sign-exodus`): exit for someone else", EnvVars: env("exit.signature")},
			&cli.StringFlag{Name: "exit.keys", Usage: "the exit circuit's keys (default keys/exit-d<depth>, as `sheaf setup --circuit.kind exit` writes them)", EnvVars: env("exit.keys")},
			&cli.StringFlag{Name: "exit.refund-for", Usage: "refund the unconsumed deposits of this depositor (default: the L1 key's address)", EnvVars: env("exit.refund-for")},
			&cli.BoolFlag{Name: "exit.no-refunds", Usage: "send the exit only", EnvVars: env("exit.no-refunds")},
			&cli.BoolFlag{Name: "exit.activate", Usage: "call activateExodus first if the rollup is not frozen and the oldest queue entry has expired", EnvVars: env("exit.activate")},
			&cli.BoolFlag{Name: "json", Usage: "print the result as JSON", EnvVars: env("exit.json")},
		}),
		Action: func(c *cli.Context) error {
			key, err := l1Key(c)
			if err != nil {
				return fmt.Errorf("%w (the L1 account that pays the gas)", err)
			}
			req := exodus.Request{Sender: key, Recipient: crypto.PubkeyToAddress(key.PublicKey), Index: uint32(c.Uint("exit.index")),
				NoRefunds: c.Bool("exit.no-refunds")}
			switch sig, wf := c.String("exit.signature"), c.String("wallet.file"); {
			case sig != "" && wf != "":
				return errors.New("give --exit.signature or --wallet.file, not both")
			case sig != "":
				if req.Signature, err = exodus.ReadSignatureFile(sig); err != nil {
					return err
				}
			case wf != "":
				kf, err := client.OpenKeyFile(wf, readPassword(c, false))
				if err != nil {
					return err
				}
				req.Key, req.Pin = &kf.Key, kf.Domain
			default:
				return errors.New("give --wallet.file (the account's key signs the exodus message) or --exit.signature (a detached signature)")
			}
			if s := c.String("exit.recipient"); s != "" {
				if req.Signature != nil {
					return errors.New("--exit.recipient: the detached signature names the recipient")
				}
				if req.Recipient, err = parseAddress("--exit.recipient", s); err != nil {
					return err
				}
			}
			if s := c.String("exit.refund-for"); s != "" {
				a, err := parseAddress("--exit.refund-for", s)
				if err != nil {
					return err
				}
				req.RefundFor = &a
			}
			e, closeFn, err := openExiter(c)
			if err != nil {
				return err
			}
			defer closeFn()
			if c.Bool("exit.activate") {
				if err := activate(c.Context, c, e); err != nil {
					return err
				}
			}
			req.KeysDir = c.String("exit.keys")
			if req.KeysDir == "" {
				depth, err := rollupDepth(c.Context, c)
				if err != nil {
					return err
				}
				req.KeysDir = filepath.Join("keys", fmt.Sprintf("exit-d%d", depth))
			}
			res, err := e.Run(c.Context, req)
			if err != nil {
				return err
			}
			return printExit(c, res)
		},
	}
}

// rollupDepth reads the contract's tree depth (it names the exit keys).
func rollupDepth(ctx context.Context, c *cli.Context) (int, error) {
	ec, err := ethclient.DialContext(ctx, c.String("l1.rpc"))
	if err != nil {
		return 0, err
	}
	defer ec.Close()
	var addr common.Address
	if p := c.String("deploy.file"); p != "" {
		d, err := l1.ReadDeployment(p)
		if err != nil {
			return 0, err
		}
		addr = d.Rollup
	} else {
		addr = common.HexToAddress(c.String("l1.contract"))
	}
	s, err := l1.NewReader(ec, addr, 0, l1.Finality{}).Settings(ctx)
	if err != nil {
		return 0, err
	}
	return s.Circuit.Depth, nil
}

func activate(ctx context.Context, c *cli.Context, e *exodus.Exiter) error {
	frozen, err := e.Frozen(ctx)
	if err != nil || frozen {
		return err
	}
	key, err := l1Key(c)
	if err != nil {
		return err
	}
	r, err := e.Activate(ctx, key)
	if err != nil {
		return err
	}
	printLine(c, "exodus mode activated: L1 transaction %s (block %d)", r.TxHash.Hex(), r.BlockNumber)
	return nil
}

func printExit(c *cli.Context, res *exodus.Result) error {
	if c.Bool("json") {
		return writeJSON(c.App.Writer, res)
	}
	w := c.App.Writer
	fmt.Fprintf(w, "account %d exited: %s wei credited to %s (L1 transaction %s)\n", res.Index, res.Balance, res.Recipient.Hex(), res.ExitTx.Hex())
	if len(res.Refunds) == 0 {
		fmt.Fprintf(w, "no unconsumed deposits of %s to refund\n", res.Depositor.Hex())
	}
	for _, r := range res.Refunds {
		fmt.Fprintf(w, "deposit %d refunded: %s wei credited to %s (L1 transaction %s)\n", r.QueueIndex, r.Amount, res.Depositor.Hex(), r.Tx.Hex())
	}
	for a, v := range res.Claimable {
		fmt.Fprintf(w, "claimable by %s: %s wei\n", a.Hex(), v)
	}
	fmt.Fprintln(w, "now claim it: sheaf wallet claim --l1.rpc … --deploy.file … --l1.key-file <the recipient's key> (or claimTo another address)")
	return nil
}

func parseAddress(flag, s string) (common.Address, error) {
	if !common.IsHexAddress(s) || !strings.HasPrefix(s, "0x") {
		return common.Address{}, fmt.Errorf("%s %q: want 0x and 40 hex digits", flag, s)
	}
	return common.HexToAddress(s), nil
}

// exodusCommand holds the exodus-mode helpers that are not an exit.
func exodusCommand() *cli.Command {
	return &cli.Command{
		Name:  "exodus",
		Usage: "exodus mode: see whether it can start, start it, refund deposits",
		Subcommands: []*cli.Command{
			{
				Name:  "status",
				Usage: "whether the rollup is frozen, or when its oldest queue entry expires",
				Flags: exitL1Flags(),
				Action: func(c *cli.Context) error {
					e, closeFn, err := openExiter(c)
					if err != nil {
						return err
					}
					defer closeFn()
					frozen, err := e.Frozen(c.Context)
					if err != nil {
						return err
					}
					if frozen {
						fmt.Fprintln(c.App.Writer, "the rollup is in exodus mode: exit with `sheaf exit`")
						return nil
					}
					o, err := e.CheckOverdue(c.Context)
					if err != nil {
						return err
					}
					fmt.Fprintln(c.App.Writer, "the rollup is running;", o)
					return nil
				},
			},
			{
				Name:  "refund",
				Usage: "in exodus mode: refund every unconsumed deposit of a depositor (no exit; e.g. a depositor with no L2 account)",
				Flags: joinFlags(exitL1Flags(), l1KeyFlags(), []cli.Flag{
					&cli.StringFlag{Name: "exit.refund-for", Usage: "the depositor (default: the L1 key's address)", EnvVars: env("exit.refund-for")},
				}),
				Action: func(c *cli.Context) error {
					key, err := l1Key(c)
					if err != nil {
						return err
					}
					depositor := crypto.PubkeyToAddress(key.PublicKey)
					if s := c.String("exit.refund-for"); s != "" {
						if depositor, err = parseAddress("--exit.refund-for", s); err != nil {
							return err
						}
					}
					e, closeFn, err := openExiter(c)
					if err != nil {
						return err
					}
					defer closeFn()
					if frozen, err := e.Frozen(c.Context); err != nil {
						return err
					} else if !frozen {
						return fmt.Errorf("%w: refunds start once someone calls activateExodus (sheaf exodus status)", exodus.ErrNotFrozen)
					}
					if _, err := e.Rebuild(c.Context); err != nil {
						return err
					}
					refunds, pending, err := e.RefundAll(c.Context, key, depositor)
					for _, r := range refunds {
						fmt.Fprintf(c.App.Writer, "deposit %d refunded: %s wei credited to %s (L1 transaction %s)\n", r.QueueIndex, r.Amount, depositor.Hex(), r.Tx.Hex())
					}
					if err != nil {
						return err
					}
					if len(refunds) == 0 {
						fmt.Fprintf(c.App.Writer, "no unconsumed deposits of %s to refund\n", depositor.Hex())
					}
					fmt.Fprintf(c.App.Writer, "claimable by %s: %s wei (sheaf wallet claim)\n", depositor.Hex(), pending)
					return nil
				},
			},
			{
				Name:  "activate",
				Usage: "call activateExodus (anyone may, once the oldest unconsumed queue entry is past its expiry)",
				Flags: joinFlags(exitL1Flags(), l1KeyFlags()),
				Action: func(c *cli.Context) error {
					e, closeFn, err := openExiter(c)
					if err != nil {
						return err
					}
					defer closeFn()
					frozen, err := e.Frozen(c.Context)
					if err != nil {
						return err
					}
					if frozen {
						fmt.Fprintln(c.App.Writer, "the rollup is already in exodus mode")
						return nil
					}
					return activate(c.Context, c, e)
				},
			},
		},
	}
}

// walletSignExodusCommand writes a detached exodus signature.
func walletSignExodusCommand() *cli.Command {
	return &cli.Command{
		Name: "sign-exodus",
		Usage: "sign the exodus message for an account and an L1 recipient into a file, so that anyone can exit the account " +
			"for you in exodus mode (`sheaf exit --exit.signature FILE`); it can only pay that recipient",
		Flags: joinFlags([]cli.Flag{walletFileFlag(true), passwordFileFlag(),
			&cli.UintFlag{Name: "wallet.index", Aliases: []string{"index"}, Required: true, Usage: "the account index", EnvVars: env("wallet.index")},
			&cli.StringFlag{Name: "exit.recipient", Required: true, Usage: "L1 address the exit pays", EnvVars: env("exit.recipient")},
			&cli.StringFlag{Name: "out", Required: true, Usage: "file to write (JSON)", EnvVars: env("exit.out")},
			&cli.StringFlag{Name: "deploy.file", Usage: "deployment file (the chain id and contract signed for; default: the key file's pin)", EnvVars: env("deploy.file")},
		}, domainFlags()),
		Action: func(c *cli.Context) error {
			kf, err := client.OpenKeyFile(c.String("wallet.file"), readPassword(c, false))
			if err != nil {
				return err
			}
			dom := kf.Domain
			if d, err := domainFromFlags(c); err != nil {
				return err
			} else if d != nil {
				dom = d
			}
			if p := c.String("deploy.file"); p != "" {
				d, err := l1.ReadDeployment(p)
				if err != nil {
					return err
				}
				dom = &client.Domain{ChainID: d.ChainID, Contract: d.Rollup}
			}
			if dom == nil {
				return errors.New("no deployment to sign for: give --deploy.file (or --wallet.chain-id and --wallet.contract; a pinned key file needs neither)")
			}
			if kf.Domain != nil && *kf.Domain != *dom {
				return fmt.Errorf("the key file is pinned to contract %s on chain %d, not %s on chain %d", kf.Domain.Contract, kf.Domain.ChainID, dom.Contract, dom.ChainID)
			}
			to, err := parseAddress("--exit.recipient", c.String("exit.recipient"))
			if err != nil {
				return err
			}
			idx := c.Uint("wallet.index")
			if idx == 0 || idx > 1<<32-1 {
				return fmt.Errorf("--wallet.index %d: want 1 … 2^32-1", idx)
			}
			sf, err := exodus.SignExodus(kf.Key, dom.ChainID, dom.Contract, uint32(idx), to)
			if err != nil {
				return err
			}
			if err := sf.Write(c.String("out")); err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "wrote %s: exodus signature of account %d paying %s on rollup %s (chain %d)\n",
				c.String("out"), idx, to.Hex(), dom.Contract.Hex(), dom.ChainID)
			return nil
		},
	}
}
