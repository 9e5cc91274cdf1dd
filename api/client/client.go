// Package client is a typed Go client for Sheaf's JSON-RPC API (package
// api) over go-ethereum's rpc.Client, plus the wallet helpers that build and
// sign transactions. Every JSON-RPC error comes back as an *api.Error, so
// errors.Is(err, protocol.ErrWrongNonce), errors.Is(err, api.ErrNotFound)
// and the like work on the client side too (they match by code).
package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sheafrollup/sheaf/api"
)

// Client calls one Sheaf API endpoint. Subscriptions need a ws:// or
// wss:// URL; everything else works over http(s) too.
type Client struct {
	c *rpc.Client
}

// Dial connects to url (http://, https://, ws:// or wss://).
func Dial(ctx context.Context, url string) (*Client, error) {
	c, err := rpc.DialContext(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", url, err)
	}
	return &Client{c: c}, nil
}

// New wraps an existing rpc.Client.
func New(c *rpc.Client) *Client { return &Client{c: c} }

// Close closes the connection; subscriptions end.
func (c *Client) Close() { c.c.Close() }

// RPC is the underlying client.
func (c *Client) RPC() *rpc.Client { return c.c }

func (c *Client) call(ctx context.Context, result any, method string, args ...any) error {
	return api.FromRPC(c.c.CallContext(ctx, result, method, args...))
}

// ChainID returns the deployment's identity (sheaf_chainId).
func (c *Client) ChainID(ctx context.Context) (api.ChainInfo, error) {
	var ci api.ChainInfo
	err := c.call(ctx, &ci, "sheaf_chainId")
	return ci, err
}

// SendTransaction submits a signed transaction (see SignTransfer and
// SignWithdrawal) and returns its hash once the sequencer accepted it.
func (c *Client) SendTransaction(ctx context.Context, args api.SendArgs) (common.Hash, error) {
	var h common.Hash
	err := c.call(ctx, &h, "sheaf_sendTransaction", args)
	return h, err
}

// GetTransaction returns a transaction and its status.
func (c *Client) GetTransaction(ctx context.Context, hash common.Hash) (*api.TxInfo, error) {
	var tx api.TxInfo
	if err := c.call(ctx, &tx, "sheaf_getTransaction", hash); err != nil {
		return nil, err
	}
	return &tx, nil
}

// GetAccount returns an account by index or by key (api.AccountByIndex,
// api.AccountByKey).
func (c *Client) GetAccount(ctx context.Context, ref api.AccountRef) (*api.AccountInfo, error) {
	var a api.AccountInfo
	if err := c.call(ctx, &a, "sheaf_getAccount", ref); err != nil {
		return nil, err
	}
	return &a, nil
}

// GetAccountProof returns a Merkle proof of an account against batch's new
// root (0: the latest sealed batch).
func (c *Client) GetAccountProof(ctx context.Context, ref api.AccountRef, batch uint64) (*api.AccountProof, error) {
	var p api.AccountProof
	args := []any{ref}
	if batch != 0 {
		args = append(args, batch)
	}
	if err := c.call(ctx, &p, "sheaf_getAccountProof", args...); err != nil {
		return nil, err
	}
	return &p, nil
}

// GetBatch returns batch number n (the first is 1).
func (c *Client) GetBatch(ctx context.Context, n uint64) (*api.BatchInfo, error) {
	var b api.BatchInfo
	if err := c.call(ctx, &b, "sheaf_getBatch", n); err != nil {
		return nil, err
	}
	return &b, nil
}

// BatchNumber returns the latest batch at each stage.
func (c *Client) BatchNumber(ctx context.Context) (api.BatchNumbers, error) {
	var n api.BatchNumbers
	err := c.call(ctx, &n, "sheaf_batchNumber")
	return n, err
}

// EstimateFee returns the minimum fee for kind (api.KindTransfer or
// api.KindWithdrawal).
func (c *Client) EstimateFee(ctx context.Context, kind string) (*api.FeeEstimate, error) {
	var f api.FeeEstimate
	if err := c.call(ctx, &f, "sheaf_estimateFee", kind); err != nil {
		return nil, err
	}
	return &f, nil
}

// SubscribeBatches delivers every newly sealed batch and each later status
// change of a batch to ch (WebSocket only). Unsubscribe to stop; the
// subscription's Err channel reports a lost connection.
func (c *Client) SubscribeBatches(ctx context.Context, ch chan<- api.BatchInfo) (*rpc.ClientSubscription, error) {
	sub, err := c.c.Subscribe(ctx, api.Namespace, ch, "newBatches")
	return sub, api.FromRPC(err)
}

// SubscribeTransaction delivers the transaction's current state, then each
// status change, to ch (WebSocket only). The server sends nothing after a
// terminal status (api.Terminal); unsubscribe then.
func (c *Client) SubscribeTransaction(ctx context.Context, hash common.Hash, ch chan<- api.TxInfo) (*rpc.ClientSubscription, error) {
	sub, err := c.c.Subscribe(ctx, api.Namespace, ch, "transactionStatus", hash)
	return sub, api.FromRPC(err)
}

// WaitTransaction reports each status of the transaction to onChange (may
// be nil) until done returns true for one (nil: until a terminal status)
// and returns that state. It subscribes when the connection supports it
// and polls every poll interval otherwise.
func (c *Client) WaitTransaction(ctx context.Context, hash common.Hash, poll time.Duration, done func(status string) bool, onChange func(api.TxInfo)) (*api.TxInfo, error) {
	if done == nil {
		done = api.Terminal
	}
	if onChange == nil {
		onChange = func(api.TxInfo) {}
	}
	if c.c.SupportsSubscriptions() {
		ch := make(chan api.TxInfo, 16)
		sub, err := c.SubscribeTransaction(ctx, hash, ch)
		if err != nil {
			return nil, err
		}
		defer sub.Unsubscribe()
		for {
			select {
			case tx := <-ch:
				onChange(tx)
				if done(tx.Status) || api.Terminal(tx.Status) {
					return &tx, nil
				}
			case err := <-sub.Err():
				if err == nil {
					err = errors.New("subscription ended")
				}
				return nil, err
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	if poll <= 0 {
		poll = time.Second
	}
	last := ""
	for {
		tx, err := c.GetTransaction(ctx, hash)
		if err != nil {
			return nil, err
		}
		if tx.Status != last {
			last = tx.Status
			onChange(*tx)
		}
		if done(tx.Status) || api.Terminal(tx.Status) {
			return tx, nil
		}
		select {
		case <-time.After(poll):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
