package client

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/sheafrollup/sheaf/api"
)

// TxQuery selects a page of sheaf_getTransactions: statuses to keep (none:
// all), page size (0: the server's default) and the cursor of the previous
// page ("" for the newest).
type TxQuery struct {
	Statuses []string
	Limit    int
	Cursor   string
}

// GetTransactions returns one page of an account's transactions (sent,
// and transfers received), newest first; page.Next is the next page's cursor.
func (c *Client) GetTransactions(ctx context.Context, ref api.AccountRef, q *TxQuery) (*api.TxPage, error) {
	opts := api.TxQueryArgs{}
	if q != nil {
		opts.Status = q.Statuses
		if q.Limit != 0 {
			opts.Limit = &q.Limit
		}
		if q.Cursor != "" {
			opts.Cursor = &q.Cursor
		}
	}
	var p api.TxPage
	if err := c.call(ctx, &p, "sheaf_getTransactions", ref, opts); err != nil {
		return nil, err
	}
	return &p, nil
}

// GetDeposit returns a deposit by queue index or L1 transaction hash;
// api.ErrNotFound until the sequencer has observed it on L1.
func (c *Client) GetDeposit(ctx context.Context, ref api.DepositRef) (*api.DepositInfo, error) {
	var d api.DepositInfo
	if err := c.call(ctx, &d, "sheaf_getDeposit", ref); err != nil {
		return nil, err
	}
	return &d, nil
}

// WaitDeposit polls a deposit until L2 has it (pending or later: the
// balance is spendable) and returns it. onChange (may be nil) sees every
// new status or queue position, and nil while the sequencer has not
// observed the deposit yet (it waits for L1 confirmations).
func (c *Client) WaitDeposit(ctx context.Context, ref api.DepositRef, poll time.Duration, onChange func(*api.DepositInfo)) (*api.DepositInfo, error) {
	if poll <= 0 {
		poll = time.Second
	}
	if onChange == nil {
		onChange = func(*api.DepositInfo) {}
	}
	last, first := "", true
	for {
		d, err := c.GetDeposit(ctx, ref)
		switch {
		case errors.Is(err, api.ErrNotFound):
			if first {
				onChange(nil)
			}
			first = false
		case err != nil:
			return nil, err
		default:
			key := d.Status
			if d.QueuePosition != nil {
				key += "/" + strconv.FormatUint(*d.QueuePosition, 10)
			}
			if key != last {
				last = key
				onChange(d)
			}
			first = false
			if api.DepositReached(d.Status) {
				return d, nil
			}
		}
		select {
		case <-time.After(poll):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
