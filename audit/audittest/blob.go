package audittest

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
)

// submitBlob posts a blob-mode batch as the sequencer does: its blob is
// the transfer section (protocol.BatchBlob), the calldata the other
// sections with dataHash and V from protocol.BindBlob, the KZG commitment
// and the proof of the blob's value at x, and the Groth16 proof; the
// transaction is a type-3 one with a version-1 sidecar (cell proofs).
func (c *Chain) submitBlob(ctx context.Context, b *protocol.Batch, proof []byte) (*types.Receipt, *kzg4844.Blob, common.Hash, error) {
	cfg := b.Config
	bl, vh, err := protocol.BatchBlob(cfg, b.Pubdata)
	if err != nil {
		return nil, nil, common.Hash{}, err
	}
	bind, err := protocol.BindBlob(cfg, b.Header, b.Pubdata, vh)
	if err != nil {
		return nil, nil, common.Hash{}, err
	}
	commit, err := kzg4844.BlobToCommitment(bl)
	if err != nil {
		return nil, nil, common.Hash{}, err
	}
	var pt kzg4844.Point
	bind.X.FillBytes(pt[:])
	kp, _, err := kzg4844.ComputeProof(bl, pt)
	if err != nil {
		return nil, nil, common.Hash{}, err
	}
	counts := b.Counts()
	counts.Transfers = 0 // in the blob
	call := l1.BlobBatchCall{Number: b.Header.Number, NewRoot: b.Header.NewRoot.Bytes(), Deposits: uint16(counts.Deposits),
		ForcedExits: uint16(counts.ForcedExits), Withdrawals: uint16(counts.Withdrawals), Pubdata: protocol.CompactPubdata(cfg, b.Pubdata, counts),
		Depositors: Depositors(crypto.PubkeyToAddress(UserKey.PublicKey), counts.Deposits), DataHash: bind.DataHash.Bytes(),
		V: bind.V.BigInt(new(big.Int)), KZG: append(commit[:], kp[:]...), Proof: proof}
	data, err := call.Pack(c.rollup)
	if err != nil {
		return nil, nil, common.Hash{}, err
	}
	r, err := c.sendBlob(ctx, SeqKey, data, bl)
	return r, bl, vh, err
}

// sendBlob sends data to the rollup in a blob transaction carrying bl
// (version-1 sidecar, as after Osaka) and mines it.
func (c *Chain) sendBlob(ctx context.Context, key *ecdsa.PrivateKey, data []byte, bl *kzg4844.Blob) (*types.Receipt, error) {
	from := crypto.PubkeyToAddress(key.PublicKey)
	commit, err := kzg4844.BlobToCommitment(bl)
	if err != nil {
		return nil, err
	}
	proofs, err := kzg4844.ComputeCellProofs(bl)
	if err != nil {
		return nil, err
	}
	vh := common.Hash(kzg4844.CalcBlobHashV1(sha256.New(), &commit))
	blobFeeCap := big.NewInt(1_000_000_000)
	to := c.Deployment.Rollup
	gas, err := c.Client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &to, Data: data, BlobHashes: []common.Hash{vh}, BlobGasFeeCap: blobFeeCap})
	if err != nil {
		return nil, fmt.Errorf("estimate: %w", err)
	}
	nonce, err := c.Client.PendingNonceAt(ctx, from)
	if err != nil {
		return nil, err
	}
	head, err := c.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), big.NewInt(1_000_000_000))
	tx := types.NewTx(&types.BlobTx{
		ChainID: uint256.NewInt(ChainID), Nonce: nonce, GasTipCap: uint256.NewInt(1_000_000_000),
		GasFeeCap: uint256.MustFromBig(feeCap), Gas: gas, To: to, Data: data,
		BlobFeeCap: uint256.MustFromBig(blobFeeCap), BlobHashes: []common.Hash{vh},
		Sidecar: types.NewBlobTxSidecar(types.BlobSidecarVersion1, []kzg4844.Blob{*bl}, []kzg4844.Commitment{commit}, proofs),
	})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(big.NewInt(ChainID)), key)
	if err != nil {
		return nil, err
	}
	if err := c.Client.SendTransaction(ctx, signed); err != nil {
		return nil, fmt.Errorf("send blob transaction: %w", err)
	}
	return c.mine(signed)
}
