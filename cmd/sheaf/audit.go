package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/consensys/gnark/backend/groth16"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
)

func auditFlags() []cli.Flag {
	d := audit.DefaultConfig
	return append([]cli.Flag{
		&cli.StringFlag{Name: "l1.rpc", Usage: "L1 JSON-RPC endpoint (http, ws or ipc)", EnvVars: env("l1.rpc")},
		&cli.StringFlag{Name: "deploy.file", Usage: "deployment file written by `sheaf deploy` (contract and start block)", EnvVars: env("deploy.file")},
		&cli.StringFlag{Name: "l1.contract", Usage: "rollup contract address (instead of --deploy.file)", EnvVars: env("l1.contract")},
		&cli.StringFlag{Name: "audit.vk", Usage: "verifying key written by `sheaf setup` (the file, or its keys directory); an auto deployment's calldata twin's", EnvVars: env("audit.vk")},
		&cli.StringFlag{Name: "audit.blob-vk", Usage: "auto deployments only: the blob twin's verifying key (the file, or its keys directory)", EnvVars: env("audit.blob-vk")},
		&cli.Uint64Flag{Name: "audit.from-block", Usage: "first L1 block to scan (default: the deployment block from --deploy.file, else 0)", EnvVars: env("audit.from-block")},
		&cli.StringFlag{Name: "audit.confirmations", Value: "finalized", Usage: "audit up to the L1 block this names: finalized (the node's finalized block, else head-64), or a number of blocks below the head (0: the head)", EnvVars: env("audit.confirmations")},
		&cli.Uint64Flag{Name: "audit.batch-blocks", Value: d.BatchBlocks, Usage: "most blocks per eth_getLogs", EnvVars: env("audit.batch-blocks")},
		&cli.StringFlag{Name: "audit.state", Usage: "saved point: resumed from if present, rewritten as the audit goes", EnvVars: env("audit.state")},
		&cli.Uint64Flag{Name: "audit.save-every", Value: d.SaveEvery, Usage: "rewrite --audit.state every this many batches", EnvVars: env("audit.save-every")},
		&cli.StringFlag{Name: "audit.genesis", Usage: "genesis accounts (JSON) of a rollup deployed on a non-empty tree", EnvVars: env("audit.genesis")},
		&cli.BoolFlag{Name: "json", Usage: "print JSON instead of a summary", EnvVars: env("audit.json")},
	}, blobFlags()...)
}

// auditSetup reads the flags, dials L1 and loads the verifying key.
func auditSetup(c *cli.Context) (*audit.Auditor, *l1.DeploymentFile, func(), error) {
	log, err := newLogger(c)
	if err != nil {
		return nil, nil, nil, err
	}
	cfg := audit.DefaultConfig
	if c.String("l1.rpc") == "" {
		return nil, nil, nil, errors.New("--l1.rpc is required")
	}
	var dep *l1.DeploymentFile
	switch path, addr := c.String("deploy.file"), c.String("l1.contract"); {
	case path != "" && addr != "":
		return nil, nil, nil, errors.New("give --deploy.file or --l1.contract, not both")
	case path != "":
		if dep, err = l1.ReadDeployment(path); err != nil {
			return nil, nil, nil, err
		}
		cfg.Contract, cfg.FromBlock = dep.Rollup, dep.Block
	case common.IsHexAddress(addr):
		cfg.Contract = common.HexToAddress(addr)
	default:
		return nil, nil, nil, fmt.Errorf("--deploy.file or --l1.contract is required (%q is not an address)", addr)
	}
	if c.IsSet("audit.from-block") {
		cfg.FromBlock = c.Uint64("audit.from-block")
	}
	if cfg.Finality, err = l1.ParseFinality(c.String("audit.confirmations")); err != nil {
		return nil, nil, nil, fmt.Errorf("--audit.confirmations: %w", err)
	}
	cfg.BatchBlocks = c.Uint64("audit.batch-blocks")
	cfg.StatePath = c.String("audit.state")
	cfg.SaveEvery = c.Uint64("audit.save-every")
	if g := c.String("audit.genesis"); g != "" {
		if cfg.Genesis, err = audit.ReadGenesis(g); err != nil {
			return nil, nil, nil, err
		}
	}
	if cfg.Blobs, err = blobSource(c); err != nil {
		return nil, nil, nil, err
	}
	vk, err := loadVK("audit.vk", c.String("audit.vk"))
	if err != nil {
		return nil, nil, nil, err
	}
	// An auto deployment verifies each batch with its twin's key; the
	// auditor refuses to start on one without both (audit.Auditor.Run).
	if c.String("audit.blob-vk") != "" {
		if cfg.BlobVerifyingKey, err = loadVK("audit.blob-vk", c.String("audit.blob-vk")); err != nil {
			return nil, nil, nil, err
		}
	} else if dep != nil && dep.Circuit.Auto() {
		return nil, nil, nil, fmt.Errorf("--audit.blob-vk is required: %s is an auto deployment (its blob batches are proven by circuit %s)", c.String("deploy.file"), dep.Circuit.Modes()[1])
	}
	client, err := ethclient.DialContext(c.Context, c.String("l1.rpc"))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("--l1.rpc: %w", err)
	}
	if dep != nil {
		if _, err := checkOnL1(c.Context, client, dep, c.String("deploy.file")); err != nil {
			client.Close()
			return nil, nil, nil, err
		}
	}
	a, err := audit.New(cfg, client, vk, log.With("component", "audit"))
	if err != nil {
		client.Close()
		return nil, nil, nil, err
	}
	return a, dep, client.Close, nil
}

func loadVK(flag, path string) (groth16.VerifyingKey, error) {
	if path == "" {
		return nil, fmt.Errorf("--%s is required (the verifying key `sheaf setup` wrote)", flag)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, keys.VerifyingKeyFile)
	}
	vk, err := keys.LoadVerifyingKey(path)
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", flag, err)
	}
	return vk, nil
}

func auditCommand() *cli.Command {
	return &cli.Command{
		Name:  "audit",
		Usage: "rebuild the L2 state from L1 alone and re-check every batch's proof and roots",
		Description: "Reads every accepted batch from the rollup contract (events and submitBatch calldata; in blob mode\n" +
			"submitBlobBatch calldata and each batch's blob from --blobs.dir or --l1.beacon; in auto mode either, by\n" +
			"function selector, each proof checked with its twin's key: --audit.vk and --audit.blob-vk), verifies each\n" +
			"proof off-chain, replays deposits and pubdata and compares each new root with the one posted and the\n" +
			"contract's final state. Exits non-zero naming the first batch that does not check out.",
		Flags: auditFlags(),
		Action: func(c *cli.Context) error {
			a, dep, closeFn, err := auditSetup(c)
			if err != nil {
				return err
			}
			defer closeFn()
			rep, runErr := a.Run(c.Context)
			if rep == nil {
				return runErr
			}
			if dep != nil && runErr == nil && dep.Circuit != rep.Circuit {
				runErr = fmt.Errorf("the deployment file says circuit %s, the contract %s", dep.Circuit, rep.Circuit)
			}
			if c.Bool("json") {
				if err := writeJSON(c.App.Writer, rep); err != nil {
					return err
				}
			} else {
				printReport(c.App.Writer, rep)
			}
			return runErr
		},
		Subcommands: []*cli.Command{auditAccountCommand()},
	}
}

func printReport(w io.Writer, r *audit.Report) {
	status := "PASSED"
	if !r.OK {
		status = "FAILED"
	}
	fmt.Fprintf(w, "audit %s: rollup %s on chain %d, circuit %s, up to L1 block %d\n", status, r.Contract, r.ChainID, r.Circuit, r.Block)
	if r.ResumedFrom > 0 {
		fmt.Fprintf(w, "  resumed from batch %d\n", r.ResumedFrom)
	}
	if r.Checked > 0 {
		fmt.Fprintf(w, "  batches checked now  %d (%d–%d): proof verified, pubdata replayed, new root matched\n", r.Checked, r.FirstBatch, r.FirstBatch+r.Checked-1)
	} else {
		fmt.Fprintf(w, "  batches checked now  0\n")
	}
	fmt.Fprintf(w, "  last good batch      %d (contract: %d)\n", r.LastBatch, r.ContractBatch)
	fmt.Fprintf(w, "  state root           %s\n", r.Root)
	fmt.Fprintf(w, "  contract state root  %s\n", r.ContractRoot)
	fmt.Fprintf(w, "  accounts             %d\n", r.Accounts)
	fmt.Fprintf(w, "  deposits             %d consumed, %d queued in all (head %d)\n", r.Deposits, r.DepositsQueued, r.DepositHead)
	fmt.Fprintf(w, "  transfers            %d\n", r.Transfers)
	fmt.Fprintf(w, "  withdrawals          %d\n", r.Withdrawals)
	fmt.Fprintf(w, "  forced exits         %d (%d withdrew the whole balance, %d no-ops)\n", r.ForcedExits, r.ForcedValid, r.ForcedExits-r.ForcedValid)
	if r.Frozen {
		fmt.Fprintf(w, "  EXODUS MODE          exits %d (%s), deposit refunds %d (%s)\n", r.Exits, r.Exited, r.Refunds, r.Refunded)
	}
	fmt.Fprintf(w, "  deposited / withdrawn / fees   %s / %s / %s\n", r.Deposited, r.Withdrawn, r.Fees)
	fmt.Fprintf(w, "  total L2 balance     %s\n", r.TotalBalance)
	fmt.Fprintf(w, "  took                 %.1fs\n", r.Seconds)
	if r.Error != "" {
		fmt.Fprintf(w, "  error                %s\n", r.Error)
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// accountAnswer is what `sheaf audit account` prints.
type accountAnswer struct {
	Batch    uint64   `json:"batch"`
	Root     string   `json:"root"`
	Index    uint32   `json:"index"`
	Exists   bool     `json:"exists"`
	PubKey   string   `json:"pub_key,omitempty"`
	Balance  string   `json:"balance"`
	Nonce    uint32   `json:"nonce"`
	Leaf     string   `json:"leaf"`
	Siblings []string `json:"siblings"` // leaf level first
	Verified bool     `json:"proof_verified"`
}

func hexFr(b [32]byte) string { return hexutil.Encode(b[:]) }

func auditAccountCommand() *cli.Command {
	flags := append(auditFlags(),
		&cli.Uint64Flag{Name: "index", Usage: "account index"},
		&cli.StringFlag{Name: "key", Usage: "account public key (32-byte compressed, 0x…): its lowest index"},
		&cli.Uint64Flag{Name: "batch", Usage: "answer as of this batch (default: the latest accepted)"},
	)
	return &cli.Command{
		Name:  "account",
		Usage: "balance and nonce of an account at any batch, with its Merkle proof against that batch's root",
		Flags: flags,
		Action: func(c *cli.Context) error {
			q := audit.Query{Batch: c.Uint64("batch")}
			switch {
			case c.IsSet("index") == c.IsSet("key"):
				return errors.New("give one of --index and --key")
			case c.IsSet("key"):
				b, err := hexutil.Decode(c.String("key"))
				if err != nil {
					return fmt.Errorf("--key: %w", err)
				}
				pk, err := protocol.DecompressPublicKey(b)
				if err != nil {
					return fmt.Errorf("--key: %w", err)
				}
				q.Key = &pk
			default:
				if c.Uint64("index") == 0 || c.Uint64("index") > 1<<32-1 {
					return fmt.Errorf("--index %d: want 1 … 2^32-1", c.Uint64("index"))
				}
				q.Index = uint32(c.Uint64("index"))
			}
			a, _, closeFn, err := auditSetup(c)
			if err != nil {
				return err
			}
			defer closeFn()
			p, err := a.Account(c.Context, q)
			if err != nil {
				return err
			}
			ans := accountAnswer{Batch: p.Batch, Root: hexFr(p.Root.Bytes()), Index: p.Index, Exists: p.Exists,
				Balance: p.Account.Balance.Dec(), Nonce: p.Account.Nonce, Leaf: hexFr(p.Proof.Leaf.Bytes()), Verified: true}
			if p.Exists {
				ans.PubKey = hexFr(p.Account.PubKey.Bytes())
			}
			for _, s := range p.Proof.Siblings {
				ans.Siblings = append(ans.Siblings, hexFr(s.Bytes()))
			}
			if c.Bool("json") {
				return writeJSON(c.App.Writer, ans)
			}
			w := c.App.Writer
			fmt.Fprintf(w, "account %d at batch %d (root %s)\n", ans.Index, ans.Batch, ans.Root)
			if !ans.Exists {
				fmt.Fprintln(w, "  empty leaf (no account at this index yet)")
			} else {
				fmt.Fprintf(w, "  key      %s\n  balance  %s\n  nonce    %d\n", ans.PubKey, ans.Balance, ans.Nonce)
			}
			fmt.Fprintf(w, "  leaf     %s\n  proof    %d siblings (leaf level first), verified against the batch's root:\n", ans.Leaf, len(ans.Siblings))
			for i, s := range ans.Siblings {
				fmt.Fprintf(w, "    %2d  %s\n", i, s)
			}
			return nil
		},
	}
}
