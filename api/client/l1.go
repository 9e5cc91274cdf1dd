package client

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
)

// The L1 side of a wallet: deposits to a Sheaf key, claims of finalized
// withdrawals (claim, claimTo) and where a withdrawal stands on L1.

// L1Backend is what the wallet needs from an Ethereum node (ethclient.Client,
// the simulated backend's client).
type L1Backend interface {
	bind.ContractBackend
	bind.DeployBackend
	ethereum.LogFilterer
	ChainID(ctx context.Context) (*big.Int, error)
}

var (
	// ErrNothingToClaim: no withdrawal is credited to the address.
	ErrNothingToClaim = errors.New("nothing to claim: no withdrawal is credited to this address (yet)")
	// ErrNoClaimTo: the deployed contract predates claimTo.
	ErrNoClaimTo = errors.New("the rollup contract has no claimTo (an older deployment): use claim")
)

// claimToABI is claimTo's fragment, kept apart from the generated bindings
// so the client also builds against contract artifacts that predate it.
var claimToABI = func() abi.ABI {
	a, err := abi.JSON(strings.NewReader(`[{"type":"function","name":"claimTo","stateMutability":"nonpayable","inputs":[{"name":"to","type":"address"}],"outputs":[]}]`))
	if err != nil {
		panic(err)
	}
	return a
}()

var rollupABI = func() *abi.ABI {
	a, err := bindings.RollupMetaData.ParseABI()
	if err != nil {
		panic(err)
	}
	return a
}()

// L1 is a wallet's view of one rollup contract.
type L1 struct {
	b        L1Backend
	contract common.Address
	chainID  *big.Int
	rollup   *bindings.Rollup
}

// NewL1 binds the contract on the node's chain; chainID, when not zero,
// must be the node's (a wallet pins the chain it means).
func NewL1(ctx context.Context, b L1Backend, contract common.Address, chainID uint64) (*L1, error) {
	id, err := b.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("L1 chain id: %w", err)
	}
	if chainID != 0 && id.Uint64() != chainID {
		return nil, fmt.Errorf("the L1 node is on chain %d, the rollup on chain %d", id, chainID)
	}
	code, err := b.CodeAt(ctx, contract, nil)
	if err != nil {
		return nil, fmt.Errorf("L1: %w", err)
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("no contract at %s on chain %d", contract, id)
	}
	return &L1{b: b, contract: contract, chainID: id, rollup: bindings.NewRollup()}, nil
}

// Contract is the rollup's address.
func (l *L1) Contract() common.Address { return l.contract }

func (l *L1) call(ctx context.Context, data []byte) ([]byte, error) {
	return l.b.CallContract(ctx, ethereum.CallMsg{To: &l.contract, Data: data}, nil)
}

func (l *L1) transact(ctx context.Context, key *ecdsa.PrivateKey, value *big.Int, data []byte) (*types.Receipt, error) {
	opts := bind.NewKeyedTransactor(key, l.chainID)
	opts.Context = ctx
	opts.Value = value
	// Headroom over the estimate: the state can change between the estimate
	// and inclusion, and the same call then costs more (a batch that
	// consumes the priority queue turns the next request's counter write
	// from 5k into 20k gas: such a request ran out of gas on a busy
	// machine). Unused gas is not charged.
	est, err := l.b.EstimateGas(ctx, ethereum.CallMsg{From: opts.From, To: &l.contract, Value: value, Data: data})
	if err != nil {
		return nil, fmt.Errorf("estimate gas: %w", err)
	}
	opts.GasLimit = est + est/4
	tx, err := bind.Transact(l.rollup.Instance(l.b, l.contract), opts, data)
	if err != nil {
		return nil, err
	}
	r, err := bind.WaitMined(ctx, l.b, tx.Hash())
	if err != nil {
		return nil, fmt.Errorf("wait for %s: %w", tx.Hash(), err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, fmt.Errorf("transaction %s reverted", tx.Hash())
	}
	return r, nil
}

// DepositReceipt is a mined deposit.
type DepositReceipt struct {
	TxHash     common.Hash
	Block      uint64
	QueueIndex uint64 // sheaf_getDeposit takes it
	Amount     *big.Int
}

// Deposit sends amount wei to the rollup for the Sheaf key to (a new
// account, or the key's first account if it has one) and waits for it to
// be mined. It refuses keys the contract would refuse and amounts above
// the contract's cap before paying for gas.
func (l *L1) Deposit(ctx context.Context, key *ecdsa.PrivateKey, to protocol.PublicKey, amount *big.Int) (*DepositReceipt, error) {
	if err := to.ValidateDepositKey(); err != nil {
		return nil, err
	}
	if amount == nil || amount.Sign() <= 0 {
		return nil, errors.New("deposit: the amount must be positive")
	}
	out, err := l.call(ctx, l.rollup.PackDepositCap())
	if err != nil {
		return nil, fmt.Errorf("deposit cap: %w", err)
	}
	depositCap, err := l.rollup.UnpackDepositCap(out)
	if err != nil {
		return nil, err
	}
	if amount.Cmp(depositCap) > 0 {
		return nil, fmt.Errorf("deposit: %s wei is above the contract's cap of %s wei", amount, depositCap)
	}
	r, err := l.transact(ctx, key, amount, l.rollup.PackDeposit(protocol.FrToBig(to.X), protocol.FrToBig(to.Y)))
	if err != nil {
		return nil, fmt.Errorf("deposit: %w", err)
	}
	want := to.Bytes()
	for _, lg := range r.Logs {
		if lg.Address != l.contract {
			continue
		}
		if ev, err := l.rollup.UnpackDepositEvent(lg); err == nil {
			if ev.PubKey != want {
				return nil, fmt.Errorf("deposit %s: the event names key %x, not %x", r.TxHash, ev.PubKey, want)
			}
			return &DepositReceipt{TxHash: r.TxHash, Block: r.BlockNumber.Uint64(), QueueIndex: ev.QueueIndex, Amount: ev.Amount}, nil
		}
	}
	return nil, fmt.Errorf("deposit %s: no Deposit event in the receipt", r.TxHash)
}

// PendingWithdrawal is what addr can claim now: every accepted withdrawal
// to it not yet claimed.
func (l *L1) PendingWithdrawal(ctx context.Context, addr common.Address) (*big.Int, error) {
	out, err := l.call(ctx, l.rollup.PackPendingWithdrawals(addr))
	if err != nil {
		return nil, err
	}
	return l.rollup.UnpackPendingWithdrawals(out)
}

// ClaimReceipt is a mined claim.
type ClaimReceipt struct {
	TxHash common.Hash
	Block  uint64
	Amount *big.Int // wei paid
	To     common.Address
}

func (l *L1) claim(ctx context.Context, key *ecdsa.PrivateKey, data []byte, to common.Address) (*ClaimReceipt, error) {
	from := crypto.PubkeyToAddress(key.PublicKey)
	amount, err := l.PendingWithdrawal(ctx, from)
	if err != nil {
		return nil, err
	}
	if amount.Sign() == 0 {
		return nil, fmt.Errorf("%w (%s)", ErrNothingToClaim, from)
	}
	r, err := l.transact(ctx, key, nil, data)
	if err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	paid := new(big.Int)
	for _, lg := range r.Logs {
		if ev, err := l.rollup.UnpackClaimedEvent(lg); err == nil && lg.Address == l.contract {
			paid.Add(paid, ev.Amount)
		}
	}
	if paid.Sign() == 0 {
		paid = amount
	}
	return &ClaimReceipt{TxHash: r.TxHash, Block: r.BlockNumber.Uint64(), Amount: paid, To: to}, nil
}

// Claim pays key's address everything credited to it (refusing when
// nothing is).
func (l *L1) Claim(ctx context.Context, key *ecdsa.PrivateKey) (*ClaimReceipt, error) {
	return l.claim(ctx, key, l.rollup.PackClaim(), crypto.PubkeyToAddress(key.PublicKey))
}

// ClaimTo pays what is credited to key's address to another address.
func (l *L1) ClaimTo(ctx context.Context, key *ecdsa.PrivateKey, to common.Address) (*ClaimReceipt, error) {
	if to == (common.Address{}) {
		return nil, errors.New("claimTo: the zero address")
	}
	if _, ok := rollupABI.Methods["claimTo"]; !ok {
		// The committed artifact predates claimTo: the deployed contract may
		// still have it; try, and say so plainly if it does not.
		data, _ := claimToABI.Pack("claimTo", to)
		from := crypto.PubkeyToAddress(key.PublicKey)
		if _, err := l.b.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &l.contract, Data: data}); err != nil {
			if amount, perr := l.PendingWithdrawal(ctx, from); perr == nil && amount.Sign() == 0 {
				return nil, fmt.Errorf("%w (%s)", ErrNothingToClaim, from)
			}
			return nil, fmt.Errorf("%w: %v", ErrNoClaimTo, err)
		}
	}
	data, err := claimToABI.Pack("claimTo", to)
	if err != nil {
		return nil, err
	}
	return l.claim(ctx, key, data, to)
}

// Withdrawal statuses on L1.
const (
	WithdrawalNotCredited = "not-credited" // its batch is not accepted on L1 yet
	WithdrawalCredited    = "credited"     // accepted; nothing left to claim (paid otherwise)
	WithdrawalClaimable   = "claimable"    // accepted, the address can claim now
	WithdrawalClaimed     = "claimed"      // a claim by the address paid it
)

// WithdrawalL1Status is where a withdrawal stands on L1.
type WithdrawalL1Status struct {
	Status         string   `json:"status"`
	CreditedBlock  uint64   `json:"creditedBlock,omitempty"`
	CreditedAmount *big.Int `json:"creditedAmount,omitempty"`
	Confirmations  uint64   `json:"confirmations,omitempty"` // blocks on top of the credit, counting its own
	Claimable      *big.Int `json:"claimable"`               // what the address can claim now (all its credits)
	ClaimedBlock   uint64   `json:"claimedBlock,omitempty"`
	ClaimTx        string   `json:"claimTx,omitempty"`
}

// WithdrawalStatus reports a withdrawal to addr made in batch: credited
// when the batch's acceptance credited it (WithdrawalCredited event),
// claimed when a later Claimed event for addr paid it (a claim pays
// everything credited), claimable while the address has credit to claim.
// fromBlock bounds the log search (the deployment block).
func (l *L1) WithdrawalStatus(ctx context.Context, batch uint64, addr common.Address, fromBlock uint64) (*WithdrawalL1Status, error) {
	claimable, err := l.PendingWithdrawal(ctx, addr)
	if err != nil {
		return nil, err
	}
	st := &WithdrawalL1Status{Status: WithdrawalNotCredited, Claimable: claimable}
	credited := rollupABI.Events["WithdrawalCredited"].ID
	batchTopic := common.BigToHash(new(big.Int).SetUint64(batch))
	addrTopic := common.BytesToHash(addr[:])
	logs, err := l.b.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(fromBlock), Addresses: []common.Address{l.contract},
		Topics: [][]common.Hash{{credited}, {batchTopic}, {addrTopic}}})
	if err != nil {
		return nil, fmt.Errorf("withdrawal credits: %w", err)
	}
	if len(logs) == 0 {
		return st, nil
	}
	credit := logs[0]
	ev, err := l.rollup.UnpackWithdrawalCreditedEvent(&credit)
	if err != nil {
		return nil, err
	}
	st.CreditedBlock, st.CreditedAmount = credit.BlockNumber, ev.Amount
	if head, err := l.b.HeaderByNumber(ctx, nil); err == nil && head.Number.Uint64() >= credit.BlockNumber {
		st.Confirmations = head.Number.Uint64() - credit.BlockNumber + 1
	}
	claims, err := l.b.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(credit.BlockNumber), Addresses: []common.Address{l.contract},
		Topics: [][]common.Hash{{rollupABI.Events["Claimed"].ID}, {addrTopic}}})
	if err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	for _, c := range claims {
		if c.BlockNumber > credit.BlockNumber || (c.BlockNumber == credit.BlockNumber && c.Index > credit.Index) {
			st.Status, st.ClaimedBlock, st.ClaimTx = WithdrawalClaimed, c.BlockNumber, c.TxHash.Hex()
			return st, nil
		}
	}
	if claimable.Sign() > 0 {
		st.Status = WithdrawalClaimable
	} else {
		st.Status = WithdrawalCredited
	}
	return st, nil
}
