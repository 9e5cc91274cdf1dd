package devnet

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"math/rand"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/sequencer"
)

// net_ drives development traffic: L1 deposits and L2 transfers and
// withdrawals signed by the development wallets.
type net_ struct {
	ctx     context.Context
	chain   l1.Backend
	dep     *l1.Deployment
	seq     *sequencer.Sequencer
	log     *slog.Logger
	chainID *big.Int
}

// deposit sends an L1 deposit for an L2 key and waits for its receipt.
func (n *net_) deposit(from *ecdsa.PrivateKey, pk protocol.PublicKey, amount *big.Int) error {
	r := bindings.NewRollup()
	opts := bind.NewKeyedTransactor(from, n.chainID)
	opts.Context, opts.Value = n.ctx, amount
	tx, err := bind.Transact(r.Instance(n.chain, n.dep.Rollup), opts, r.PackDeposit(protocol.FrToBig(pk.X), protocol.FrToBig(pk.Y)))
	if err != nil {
		return fmt.Errorf("devnet: deposit: %w", err)
	}
	rc, err := bind.WaitMined(n.ctx, n.chain, tx.Hash())
	if err != nil {
		return fmt.Errorf("devnet: deposit: %w", err)
	}
	if rc.Status != types.ReceiptStatusSuccessful {
		return fmt.Errorf("devnet: deposit %s reverted", tx.Hash())
	}
	return nil
}

// waitAccount waits until the sequencer has applied a deposit to pk and
// returns the account index it opened.
func (n *net_) waitAccount(pk protocol.PublicKey) (uint32, error) {
	for {
		idx, err := n.seq.AccountIndex(n.ctx, pk)
		if err == nil {
			return idx, nil
		}
		if !errors.Is(err, api.ErrNotFound) {
			return 0, fmt.Errorf("devnet: wallet account: %w", err)
		}
		select {
		case <-n.ctx.Done():
			return 0, n.ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// demo keeps a steady stream of transfers, with a withdrawal and a deposit
// now and then, until the context ends.
func (n *net_) demo(l1Keys []*ecdsa.PrivateKey, l2Keys []protocol.PrivateKey) {
	rng := rand.New(rand.NewSource(1))
	domain := protocol.DomainState(n.chainID.Uint64(), n.dep.Rollup)
	milli := new(uint256.Int).Exp(uint256.NewInt(10), uint256.NewInt(15))
	fee := *new(uint256.Int).Mul(uint256.NewInt(1), new(uint256.Int).Exp(uint256.NewInt(10), uint256.NewInt(12)))
	for i := 0; ; i++ {
		select {
		case <-n.ctx.Done():
			return
		case <-time.After(300 * time.Millisecond):
		}
		from := rng.Intn(len(l2Keys))
		idx, err := n.seq.AccountIndex(n.ctx, l2Keys[from].Public())
		if err != nil {
			continue // its deposit has not arrived yet
		}
		acc, err := n.seq.Account(n.ctx, idx)
		if err != nil {
			continue
		}
		amount := *new(uint256.Int).Mul(uint256.NewInt(uint64(1+rng.Intn(100))), milli)
		switch {
		case i%40 == 39:
			k := l1Keys[rng.Intn(len(l1Keys))]
			if err := n.deposit(k, l2Keys[from].Public(), big.NewInt(0).Mul(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil))); err != nil {
				n.log.Warn("demo deposit", "err", err)
			}
		case i%10 == 9:
			w := &protocol.Withdrawal{From: idx, To: crypto.PubkeyToAddress(l1Keys[from%len(l1Keys)].PublicKey),
				Amount: amount, Fee: fee, Nonce: acc.Pending.Nonce}
			if err := w.Sign(l2Keys[from], domain); err == nil {
				_, err = n.seq.SendWithdrawal(n.ctx, w)
				n.report("withdrawal", err)
			}
		default:
			to := uint32(1 + rng.Intn(len(l2Keys)))
			t := &protocol.Transfer{From: idx, To: to, Amount: amount, Fee: fee, Nonce: acc.Pending.Nonce}
			if err := t.Sign(l2Keys[from], domain); err == nil {
				_, err = n.seq.SendTransfer(n.ctx, t)
				n.report("transfer", err)
			}
		}
	}
}

func (n *net_) report(kind string, err error) {
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, api.ErrUnavailable) {
		n.log.Warn("demo "+kind, "err", err)
	}
}
