package client

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sheafrollup/sheaf/protocol"
)

// ForcedExitReceipt is a mined forced-exit request.
type ForcedExitReceipt struct {
	TxHash     common.Hash
	Block      uint64
	QueueIndex uint64   // its place in the L1 priority queue
	Expiry     uint64   // L1 timestamp: unconsumed past it, anyone may start exodus mode
	Fee        *big.Int // wei paid to the contract
}

// ForcedExitFee is the wei the contract asks for a forced-exit request.
func (l *L1) ForcedExitFee(ctx context.Context) (*big.Int, error) {
	out, err := l.call(ctx, l.rollup.PackForcedExitFee())
	if err != nil {
		return nil, fmt.Errorf("forcedExitFee: %w", err)
	}
	return l.rollup.UnpackForcedExitFee(out)
}

// ForcedExit sends a signed forced-exit request (requestForcedExit, paying
// the contract's current fee) and waits for it to be mined. The request
// asks that account f.Index's whole balance be withdrawn to f.Recipient;
// the batch that consumes it judges the signature and the nonce (an
// invalid request is a no-op: the fee is not refunded).
func (l *L1) ForcedExit(ctx context.Context, key *ecdsa.PrivateKey, f *protocol.ForcedExit) (*ForcedExitReceipt, error) {
	fee, err := l.ForcedExitFee(ctx)
	if err != nil {
		return nil, err
	}
	r, err := l.transact(ctx, key, fee, l.rollup.PackRequestForcedExit(f.Index, f.Recipient, f.Nonce,
		protocol.FrToBig(f.Sig.R.X), protocol.FrToBig(f.Sig.R.Y), protocol.FrToBig(f.Sig.S)))
	if err != nil {
		return nil, fmt.Errorf("requestForcedExit: %w", err)
	}
	for _, lg := range r.Logs {
		if lg.Address != l.contract {
			continue
		}
		if ev, err := l.rollup.UnpackForcedExitRequestedEvent(lg); err == nil {
			if ev.Index != f.Index || ev.Recipient != f.Recipient || ev.Nonce != f.Nonce {
				return nil, fmt.Errorf("requestForcedExit %s: the event names account %d, recipient %s, nonce %d", r.TxHash, ev.Index, ev.Recipient, ev.Nonce)
			}
			return &ForcedExitReceipt{TxHash: r.TxHash, Block: r.BlockNumber.Uint64(), QueueIndex: ev.QueueIndex, Expiry: ev.Expiry, Fee: fee}, nil
		}
	}
	return nil, fmt.Errorf("requestForcedExit %s: no ForcedExitRequested event in the receipt", r.TxHash)
}
