package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/protocol"
)

// walletForceExitCommand sends requestForcedExit: the way out when the
// operator ignores the account's withdrawals. The request is signed by the
// account's L2 key over its index, its nonce and the L1 recipient, in the
// deployment's domain (read from L1, not from the operator).
func walletForceExitCommand() *cli.Command {
	return &cli.Command{
		Name: "force-exit",
		Usage: "ask the rollup contract on L1 to withdraw the account's whole balance to an L1 address (requestForcedExit); " +
			"the sequencer must include it before its expiry, or anyone may start exodus mode. Prints the request as JSON",
		Flags: joinFlags(l1NodeFlags(), l1KeyFlags(), []cli.Flag{walletRPCFlag(), walletFileFlag(true), passwordFileFlag(),
			&cli.StringFlag{Name: "exit.recipient", Usage: "L1 address credited with the balance (default: the --l1.key address)", EnvVars: env("exit.recipient")},
			&cli.UintFlag{Name: "exit.index", Usage: "account index (default: the key's account, asked of the sequencer API)", EnvVars: env("exit.index")},
			&cli.Int64Flag{Name: "exit.nonce", Value: -1, Usage: "the account's nonce in the last sealed batch (default: asked of the sequencer API; give it with --exit.index when the API does not answer)", EnvVars: env("exit.nonce")},
		}),
		Action: func(c *cli.Context) error {
			kf, err := client.OpenKeyFile(c.String("wallet.file"), readPassword(c, false))
			if err != nil {
				return err
			}
			key, err := l1Key(c)
			if err != nil {
				return err
			}
			to := crypto.PubkeyToAddress(key.PublicKey)
			if s := c.String("exit.recipient"); s != "" {
				if !common.IsHexAddress(s) || !strings.HasPrefix(s, "0x") {
					return fmt.Errorf("--exit.recipient %q: want 0x and 40 hex digits", s)
				}
				to = common.HexToAddress(s)
			}
			if to == (common.Address{}) {
				return errors.New("--exit.recipient: the zero address would burn the balance")
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
			// The domain is the contract's on this chain: a pinned key file
			// must agree (a request for another deployment is a no-op there).
			if kf.Domain != nil && (kf.Domain.ChainID != id.Uint64() || kf.Domain.Contract != l.Contract()) {
				return fmt.Errorf("%s is pinned to chain %d, contract %s; the L1 node is chain %d, contract %s",
					c.String("wallet.file"), kf.Domain.ChainID, kf.Domain.Contract, id.Uint64(), l.Contract())
			}
			index, nonce := uint32(c.Uint("exit.index")), c.Int64("exit.nonce")
			if c.Uint("exit.index") > uint(^uint32(0)) || nonce > int64(^uint32(0)) {
				return errors.New("--exit.index or --exit.nonce out of range")
			}
			if index == 0 || nonce < 0 {
				// Ask the operator's API; a user it censors can still read.
				w, err := openWallet(c, false)
				if err != nil {
					return fmt.Errorf("%w (without the sequencer API give --exit.index and --exit.nonce)", err)
				}
				defer w.c.Close()
				if _, err := checkSequencer(c, w, l, id.Uint64()); err != nil {
					return fmt.Errorf("sequencer API: %w (without it give --exit.index and --exit.nonce)", err)
				}
				ref := api.AccountByKey(kf.Key.Public())
				if index != 0 {
					ref = api.AccountRef{Index: index}
				}
				acc, err := w.c.GetAccount(c.Context, ref)
				if err != nil {
					return fmt.Errorf("account: %w (without the sequencer API give --exit.index and --exit.nonce)", err)
				}
				if pub := kf.Key.Public().Bytes(); string(acc.PubKey) != string(pub[:]) {
					return fmt.Errorf("account %d belongs to key %s, not to %s's", acc.Index, acc.PubKey, c.String("wallet.file"))
				}
				index = acc.Index
				if nonce < 0 {
					// The batch that consumes the request applies it before
					// any transaction still pending: the sealed nonce is the
					// one it will find.
					nonce = int64(acc.Sealed.Nonce)
					if acc.Pending.Nonce != acc.Sealed.Nonce {
						printLine(c, "account %d has %d pending transaction(s): a valid forced exit comes first and they will be rejected",
							index, acc.Pending.Nonce-acc.Sealed.Nonce)
					}
				}
			}
			f := &protocol.ForcedExit{Index: index, Recipient: to, Nonce: uint32(nonce)}
			if err := f.Sign(kf.Key, protocol.DomainState(id.Uint64(), l.Contract())); err != nil {
				return err
			}
			r, err := l.ForcedExit(c.Context, key, f)
			if err != nil {
				return err
			}
			expiry := time.Unix(int64(r.Expiry), 0).UTC()
			printLine(c, "forced exit of account %d to %s requested: L1 transaction %s, block %d, queue index %d, fee %s; "+
				"the sequencer must include it by %s, else anyone may start exodus mode",
				index, to, r.TxHash.Hex(), r.Block, r.QueueIndex, client.FormatETH(r.Fee), expiry.Format(time.RFC3339))
			return printJSON(c.App.Writer, map[string]any{"l1TxHash": r.TxHash, "l1Block": r.Block, "queueIndex": r.QueueIndex,
				"expiry": r.Expiry, "expiryTime": expiry.Format(time.RFC3339), "account": index, "nonce": nonce, "recipient": to,
				"fee": r.Fee.String()}, false)
		},
	}
}
