package exodus

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/circuits/exit"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/protocol"
)

// Request is one user's way out.
type Request struct {
	// Signature is the account's exodus signature (it names the account
	// and the recipient): a detached file, or nil to sign with Key.
	Signature *SignatureFile
	// Key signs the exodus message for Index (0: the lowest index the key
	// owns in the rebuilt state) and Recipient when Signature is nil.
	Key       *protocol.PrivateKey
	Index     uint32
	Recipient common.Address
	// Pin, if set, is the deployment the key file is pinned to: Key signs
	// for no other.
	Pin *client.Domain
	// Sender pays the gas of every transaction (anyone may send them).
	Sender *ecdsa.PrivateKey
	// RefundFor is the depositor whose unconsumed deposits are refunded
	// (nil: the sender's address). Refunds are paid to the depositor
	// whoever sends them.
	RefundFor *common.Address
	// KeysDir holds the exit circuit's keys (`sheaf setup --circuit.kind exit`).
	KeysDir string
	// NoRefunds skips refundDeposit.
	NoRefunds bool
}

// Result is what a run paid.
type Result struct {
	Index     uint32                    `json:"index"`
	Recipient common.Address            `json:"recipient"`
	Balance   string                    `json:"balance"` // wei credited to Recipient by exit
	ExitTx    common.Hash               `json:"exit_tx"`
	ProveSecs float64                   `json:"prove_seconds"`
	Refunds   []RefundResult            `json:"refunds"`
	Depositor common.Address            `json:"depositor"`
	Claimable map[common.Address]string `json:"claimable"` // pendingWithdrawals after the run
}

// RefundResult is one refundDeposit sent.
type RefundResult struct {
	QueueIndex uint64      `json:"queue_index"`
	Amount     string      `json:"amount"`
	Tx         common.Hash `json:"tx"`
}

// Run checks the rollup is frozen, rebuilds the state, proves and sends
// the exit, then refunds the depositor's unconsumed deposits.
func (e *Exiter) Run(ctx context.Context, req Request) (*Result, error) {
	frozen, err := e.Frozen(ctx)
	if err != nil {
		return nil, err
	}
	if !frozen {
		o, err := e.CheckOverdue(ctx)
		if err != nil {
			return nil, fmt.Errorf("%w", ErrNotFrozen)
		}
		return nil, fmt.Errorf("%w: exits start once someone calls activateExodus; %s", ErrNotFrozen, o)
	}
	sf := req.Signature
	if sf != nil {
		if err := sf.Check(); err != nil {
			return nil, err
		}
	} else if req.Key == nil {
		return nil, errors.New("exodus: neither an exodus signature nor a key to sign one")
	}
	st, err := e.Rebuild(ctx)
	if err != nil {
		return nil, err
	}
	if sf == nil {
		if p := req.Pin; p != nil && (p.ChainID != st.ChainID() || p.Contract != st.Contract()) {
			return nil, fmt.Errorf("the key file is pinned to rollup %s on chain %d, not %s on chain %d", p.Contract, p.ChainID, st.Contract(), st.ChainID())
		}
		idx := req.Index
		if idx == 0 {
			var ok bool
			if idx, ok = st.IndexOf(req.Key.Public()); !ok {
				return nil, fmt.Errorf("key %x owns no account in the last proven state", req.Key.Public().Bytes())
			}
		}
		if sf, err = SignExodus(*req.Key, st.ChainID(), st.Contract(), idx, req.Recipient); err != nil {
			return nil, err
		}
	}
	if sf.ChainID != st.ChainID() || sf.Contract != st.Contract() {
		return nil, fmt.Errorf("the exodus signature is for rollup %s on chain %d, not %s on chain %d", sf.Contract, sf.ChainID, st.Contract(), st.ChainID())
	}
	sig, err := sf.Sig()
	if err != nil {
		return nil, err
	}
	claim, err := e.Claim(sf.Index, sf.Recipient, sig)
	if err != nil {
		return nil, err
	}
	res := &Result{Index: claim.Index, Recipient: claim.Recipient, Balance: claim.Account.Balance.Dec(),
		Claimable: map[common.Address]string{}}
	done, err := e.Exited(ctx, claim.Index)
	if err != nil {
		return nil, err
	}
	if done {
		return nil, fmt.Errorf("%w: account %d (each account exits once)", ErrAlreadyExited, claim.Index)
	}

	depth := st.Config().Depth
	e.log.Info("loading the exit circuit's keys", "dir", req.KeysDir, "depth", depth)
	ccs, err := exit.Compile(depth)
	if err != nil {
		return nil, err
	}
	set, err := keys.Load(req.KeysDir, ccs)
	if err != nil {
		return nil, fmt.Errorf("exit keys (sheaf setup --circuit.kind exit --circuit.depth %d writes them): %w", depth, err)
	}
	if set.Meta.Circuit != keys.CircuitExit {
		return nil, fmt.Errorf("%s holds keys of circuit kind %q, not the exit circuit", req.KeysDir, set.Meta.Circuit)
	}
	e.log.Info("proving the exit", "index", claim.Index, "balance", res.Balance, "recipient", claim.Recipient)
	start := time.Now()
	stop := e.ticker("proving the exit", start)
	proof, err := Prove(claim, depth, ccs, set.PK)
	stop()
	if err != nil {
		return nil, err
	}
	res.ProveSecs = time.Since(start).Seconds()
	e.log.Info("exit proved", "seconds", res.ProveSecs)
	r, err := e.Exit(ctx, req.Sender, claim, proof)
	if err != nil {
		return nil, err
	}
	res.ExitTx = r.TxHash
	e.log.Info("exit sent", "tx", r.TxHash, "block", r.BlockNumber, "credited", res.Balance, "to", claim.Recipient)

	res.Depositor = crypto.PubkeyToAddress(req.Sender.PublicKey)
	if req.RefundFor != nil {
		res.Depositor = *req.RefundFor
	}
	if !req.NoRefunds {
		for _, rf := range e.Refundable(res.Depositor) {
			r, err := e.RefundDeposit(ctx, req.Sender, rf)
			if err != nil {
				return res, fmt.Errorf("refund deposit %d: %w", rf.QueueIndex, err)
			}
			e.log.Info("deposit refunded", "queue_index", rf.QueueIndex, "amount", rf.Amount, "to", rf.Depositor, "tx", r.TxHash)
			res.Refunds = append(res.Refunds, RefundResult{QueueIndex: rf.QueueIndex, Amount: rf.Amount.String(), Tx: r.TxHash})
		}
	}
	for _, a := range []common.Address{claim.Recipient, res.Depositor} {
		p, err := e.Pending(ctx, a)
		if err != nil {
			return res, err
		}
		res.Claimable[a] = p.String()
	}
	return res, nil
}

// ticker logs a line every 10 s until stopped.
func (e *Exiter) ticker(what string, start time.Time) func() {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				e.log.Info(what, "elapsed", time.Since(start).Round(time.Second).String())
			}
		}
	}()
	return func() { close(done) }
}

// RefundAll sends refundDeposit for every unconsumed deposit of depositor
// (after Rebuild) without an exit: a depositor whose deposit never reached
// L2 has no account to exit.
func (e *Exiter) RefundAll(ctx context.Context, sender *ecdsa.PrivateKey, depositor common.Address) ([]RefundResult, *big.Int, error) {
	var out []RefundResult
	for _, rf := range e.Refundable(depositor) {
		r, err := e.RefundDeposit(ctx, sender, rf)
		if err != nil {
			return out, nil, fmt.Errorf("refund deposit %d: %w", rf.QueueIndex, err)
		}
		out = append(out, RefundResult{QueueIndex: rf.QueueIndex, Amount: rf.Amount.String(), Tx: r.TxHash})
	}
	p, err := e.Pending(ctx, depositor)
	return out, p, err
}
