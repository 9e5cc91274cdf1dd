package l1

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
)

// BlobBatchCall is what a blob batch's submitBlobBatch carries, unpacked
// (docs/contracts.md "Blob mode"). The contract takes the old root from
// its own state and learns no transfer count.
type BlobBatchCall struct {
	Number                             uint64
	NewRoot                            [32]byte
	Deposits, ForcedExits, Withdrawals uint16
	// Pubdata is the compact pubdata without the transfer section: the
	// used deposit, forced-exit and withdrawal slots.
	Pubdata    []byte
	Depositors []byte // 20 bytes per consumed deposit
	DataHash   [32]byte
	V          *big.Int
	KZG        []byte // the blob's KZG commitment ‖ its KZG proof at x, 48 bytes each
	Proof      []byte
}

// blobHeadBits is how many low bits of submitBlobBatch's head word are
// used: the number (64) and three 16-bit counts.
const blobHeadBits = 112

// Head is the packed head word: the number in bits 0-63, the deposit,
// forced-exit and withdrawal counts from bits 64, 80 and 96.
func (c *BlobBatchCall) Head() *big.Int {
	h := new(big.Int).SetUint64(uint64(c.Withdrawals))
	h.Lsh(h, 16).Or(h, new(big.Int).SetUint64(uint64(c.ForcedExits)))
	h.Lsh(h, 16).Or(h, new(big.Int).SetUint64(uint64(c.Deposits)))
	return h.Lsh(h, 64).Or(h, new(big.Int).SetUint64(c.Number))
}

// Data is the packed data argument: pubdata ‖ depositors ‖ KZG ‖ proof.
func (c *BlobBatchCall) Data() []byte {
	out := make([]byte, 0, len(c.Pubdata)+len(c.Depositors)+len(c.KZG)+len(c.Proof))
	out = append(append(out, c.Pubdata...), c.Depositors...)
	return append(append(out, c.KZG...), c.Proof...)
}

// Pack is the transaction's calldata. It refuses a KZG field that is not
// 96 bytes or depositors that do not match the deposit count (the
// contract would split the data elsewhere than meant).
func (c *BlobBatchCall) Pack(r *bindings.Rollup) ([]byte, error) {
	if len(c.KZG) != 96 {
		return nil, fmt.Errorf("submitBlobBatch: KZG commitment and proof are %d bytes, want 96", len(c.KZG))
	}
	if len(c.Depositors) != 20*int(c.Deposits) {
		return nil, fmt.Errorf("submitBlobBatch: %d depositor bytes for %d deposits", len(c.Depositors), c.Deposits)
	}
	return r.TryPackSubmitBlobBatch(c.Head(), c.NewRoot, c.DataHash, c.V, c.Data())
}

// DecodeBlobBatchCall splits a submitBlobBatch call's calldata the way the
// contract does, with the section sizes of the blob configuration cfg. It
// fails where the contract would revert on the layout (BadHead,
// BadBlobData).
func DecodeBlobBatchCall(cfg protocol.Config, input []byte) (*BlobBatchCall, error) {
	m := submitBlobBatchMethod
	if len(input) < 4 || string(input[:4]) != string(m.ID) {
		return nil, errors.New("not a submitBlobBatch call")
	}
	var args struct {
		Head              *big.Int
		NewRoot, DataHash [32]byte
		V                 *big.Int
		Data              []byte
	}
	vals, err := m.Inputs.Unpack(input[4:])
	if err == nil {
		err = m.Inputs.Copy(&args, vals)
	}
	if err != nil {
		return nil, fmt.Errorf("decode submitBlobBatch calldata: %w", err)
	}
	head := args.Head
	if head.BitLen() > blobHeadBits {
		return nil, fmt.Errorf("submitBlobBatch: head %#x has bits set above bit %d", head, blobHeadBits-1)
	}
	word := func(shift uint) uint64 {
		return new(big.Int).Rsh(head, shift).Uint64()
	}
	c := &BlobBatchCall{Number: word(0), Deposits: uint16(word(64)), ForcedExits: uint16(word(80)),
		Withdrawals: uint16(word(96)), NewRoot: args.NewRoot, DataHash: args.DataHash, V: args.V}
	pl := int(c.Deposits)*cfg.DepositBytes() + int(c.ForcedExits)*cfg.ForcedExitBytes() + int(c.Withdrawals)*cfg.WithdrawalBytes()
	dl := pl + 20*int(c.Deposits)
	data := args.Data
	if len(data) < dl+96 {
		return nil, fmt.Errorf("submitBlobBatch: data is %d bytes, its counts need at least %d", len(data), dl+96)
	}
	c.Pubdata, c.Depositors, c.KZG, c.Proof = data[:pl], data[pl:dl], data[dl:dl+96], data[dl+96:]
	return c, nil
}

// submitBlobBatchMethod decodes submitBlobBatch calls.
var submitBlobBatchMethod = bindings.NewRollup().GetABI().Methods["submitBlobBatch"]
