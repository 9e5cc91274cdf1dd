package l1

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	blsfr "github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/frontend"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/blob"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// blobCfg is testCfg in blob mode.
var blobCfg = protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1, DA: protocol.DABlob}

// bindBlob is protocol.BindBlob, the native twin of the circuit's binding
// (BLOBSPEC "Blob mode v2"), for a batch whose blob has versioned hash vh.
func bindBlob(t *testing.T, cfg protocol.Config, h protocol.Header, pubdata []byte, vh [32]byte) *protocol.BlobBinding {
	t.Helper()
	b, err := protocol.BindBlob(cfg, h, pubdata, vh)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// blobBatch is one blob-mode batch as the sequencer would post it.
type blobBatch struct {
	cfg     protocol.Config
	header  protocol.Header
	pubdata []byte // padded, all sections
	compact []byte // submitBlobBatch's pubdata: used deposit, forced-exit and withdrawal slots
	counts  protocol.Counts
	blob    kzg4844.Blob // the transfer section, laid out by blob.Pack
}

// section is the padded transfer section (what the blob carries).
func (b *blobBatch) section() []byte {
	off := b.cfg.Deposits*b.cfg.DepositBytes() + b.cfg.ForcedExits*b.cfg.ForcedExitBytes()
	return b.pubdata[off : off+b.cfg.Transfers*b.cfg.TransferBytes()]
}

// nextBlobBatch queues a deposit for a fresh key (when the configuration
// has deposit slots) and builds the next batch from the contract's state:
// that deposit, nTransfers transfers (all in the blob) and a withdrawal to
// userAddr (when it has withdrawal slots). The stub verifier accepts any
// proof, so the new root is arbitrary.
func (e *stubEnv) nextBlobBatch(nTransfers int) *blobBatch {
	e.t.Helper()
	cfg := e.cfg
	r := e.rollup
	n := e.u64(r.PackNextBatch(), r.UnpackNextBatch)
	old := e.root()
	head := e.u64(r.PackDepositHead(), r.UnpackDepositHead)
	next := e.u32(r.PackNextIndex(), r.UnpackNextIndex)
	fee := e.u32(r.PackFeeAccountAt(n), r.UnpackFeeAccountAt)
	b := &blobBatch{cfg: cfg, pubdata: make([]byte, cfg.PubdataSize())}
	h := protocol.Header{ChainID: simChainID, Contract: e.dep.Rollup, Number: n, DepositStart: head, NextIndex: next, FeeAccount: fee}
	if err := h.OldRoot.SetBytesCanonical(old[:]); err != nil {
		e.t.Fatal(err)
	}
	h.NewRoot.SetUint64(0x5eaf0000 + n)
	if cfg.ForcedExits > 0 {
		h.ForcedExits = &protocol.ForcedExitHeader{}
	}
	off := 0
	if cfg.Deposits > 0 {
		key := protocoltest.Keys(int64(100+n), 1)[0].Public()
		if _, err := e.deposit(key, depositAmount); err != nil {
			e.t.Fatal(err)
		}
		d := protocol.Deposit{QueueIndex: head, PubKey: key, Amount: protocoltest.U(depositAmount)}
		protocol.EncodeDeposit(cfg, b.pubdata, next, &d)
		h.DepositCount, b.counts.Deposits = 1, 1
	}
	off += cfg.Deposits*cfg.DepositBytes() + cfg.ForcedExits*cfg.ForcedExitBytes()
	for i := range nTransfers {
		copy(b.pubdata[off+i*cfg.TransferBytes():], e.transferSlot(1, uint32(2+i%2)))
	}
	off += cfg.Transfers * cfg.TransferBytes()
	if cfg.Withdrawals > 0 {
		copy(b.pubdata[off:], e.withdrawalSlot(1, userAddr, withdrawAmount))
		b.counts.Withdrawals = 1
	}
	b.header = h
	b.compact = protocol.CompactPubdata(cfg, b.pubdata, b.counts)
	blobs, _, err := blob.Pack(b.section())
	if err != nil || len(blobs) != 1 {
		e.t.Fatalf("pack: %v (%d blobs)", err, len(blobs))
	}
	b.blob = blobs[0]
	return b
}

// withTransfer is a copy of the batch with transfer slot i replaced: the
// same header and calldata, another blob.
func (b *blobBatch) withTransfer(i int, slot []byte) *blobBatch {
	o := *b
	o.pubdata = append([]byte{}, b.pubdata...)
	off := b.cfg.Deposits*b.cfg.DepositBytes() + b.cfg.ForcedExits*b.cfg.ForcedExitBytes()
	copy(o.pubdata[off+i*b.cfg.TransferBytes():], slot)
	blobs, _, err := blob.Pack(o.section())
	if err != nil {
		panic(err)
	}
	o.blob = blobs[0]
	return &o
}

// blobSubmission is what a submitBlobBatch transaction carries: calldata
// fields and the blob itself.
type blobSubmission struct {
	dataHash [32]byte
	v        *big.Int
	kzg      []byte
	blob     *kzg4844.Blob // nil: a transaction without a blob
}

// honest binds the batch to its own blob and proves the blob's value at
// the contract's x, as a correct sequencer does.
func (e *stubEnv) honest(b *blobBatch) (*blobSubmission, *protocol.BlobBinding) {
	e.t.Helper()
	vh := blobVersionedHash(e.t, &b.blob)
	s := bindBlob(e.t, b.cfg, b.header, b.pubdata, vh)
	return &blobSubmission{dataHash: s.DataHash.Bytes(), v: blsBig(s.V), kzg: kzgAt(e.t, &b.blob, s.X), blob: &b.blob}, s
}

func blsBig(e blsfr.Element) *big.Int {
	var b big.Int
	return e.BigInt(&b)
}

func blobVersionedHash(t *testing.T, b *kzg4844.Blob) [32]byte {
	t.Helper()
	vh, err := blob.VersionedHash(b)
	if err != nil {
		t.Fatal(err)
	}
	return vh
}

// kzgAt is the blob's commitment ‖ its KZG proof at x.
func kzgAt(t *testing.T, b *kzg4844.Blob, x *big.Int) []byte {
	t.Helper()
	c, err := kzg4844.BlobToCommitment(b)
	if err != nil {
		t.Fatal(err)
	}
	var pt kzg4844.Point
	x.FillBytes(pt[:])
	p, _, err := kzg4844.ComputeProof(b, pt)
	if err != nil {
		t.Fatal(err)
	}
	return append(c[:], p[:]...)
}

func (e *stubEnv) packBlobBatch(b *blobBatch, s *blobSubmission) []byte {
	return packBlobCall(e.rollup, b, s, make([]byte, 256))
}

// blobCall is batch b's submitBlobBatch arguments with s's binding and
// proof.
func blobCall(b *blobBatch, s *blobSubmission, proof []byte) *BlobBatchCall {
	return &BlobBatchCall{Number: b.header.Number, NewRoot: b.header.NewRoot.Bytes(), Deposits: uint16(b.counts.Deposits),
		ForcedExits: uint16(b.counts.ForcedExits), Withdrawals: uint16(b.counts.Withdrawals), Pubdata: b.compact,
		Depositors: depositorsOf(b.counts.Deposits), DataHash: s.dataHash, V: s.v, KZG: s.kzg, Proof: proof}
}

// packBlobCall packs blobCall without BlobBatchCall.Pack's checks, so
// that malformed submissions reach the contract.
func packBlobCall(r *bindings.Rollup, b *blobBatch, s *blobSubmission, proof []byte) []byte {
	c := blobCall(b, s, proof)
	return r.PackSubmitBlobBatch(c.Head(), c.NewRoot, c.DataHash, c.V, c.Data())
}

// sendBlob sends data to the rollup from the sequencer in a blob
// transaction carrying blob (version-1 sidecar, as after Osaka), mines it
// and returns the receipt; a revert found by gas estimation is returned as
// the error. With blob nil it sends an ordinary transaction.
func (e *stubEnv) sendBlob(data []byte, b *kzg4844.Blob) (*types.Receipt, error) {
	e.t.Helper()
	if b == nil {
		return e.send(e.blobSender(), data, nil)
	}
	ctx := context.Background()
	from := crypto.PubkeyToAddress(e.blobSender().PublicKey)
	commit, err := kzg4844.BlobToCommitment(b)
	if err != nil {
		e.t.Fatal(err)
	}
	vh := common.Hash(kzg4844.CalcBlobHashV1(sha256.New(), &commit))
	blobFeeCap := big.NewInt(1_000_000_000)
	gas, err := e.client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &e.dep.Rollup, Data: data,
		BlobHashes: []common.Hash{vh}, BlobGasFeeCap: blobFeeCap})
	if err != nil {
		return nil, err
	}
	return e.mineBlob(data, b, gas)
}

// mineRevertedBlob sends the blob transaction without estimating it (a
// fixed gas limit) and returns the receipt of the failed transaction.
func (e *stubEnv) mineRevertedBlob(data []byte, b *kzg4844.Blob) *types.Receipt {
	e.t.Helper()
	r, err := e.mineBlob(data, b, 1_000_000)
	if err == nil {
		e.t.Fatal("the blob transaction succeeded")
	}
	return r
}

// mineBlob signs, sends and mines a blob transaction with the given gas limit.
func (e *stubEnv) mineBlob(data []byte, b *kzg4844.Blob, gas uint64) (*types.Receipt, error) {
	e.t.Helper()
	ctx := context.Background()
	from := crypto.PubkeyToAddress(e.blobSender().PublicKey)
	commit, err := kzg4844.BlobToCommitment(b)
	if err != nil {
		e.t.Fatal(err)
	}
	proofs, err := kzg4844.ComputeCellProofs(b)
	if err != nil {
		e.t.Fatal(err)
	}
	vh := common.Hash(kzg4844.CalcBlobHashV1(sha256.New(), &commit))
	blobFeeCap := big.NewInt(1_000_000_000)
	nonce, err := e.client.PendingNonceAt(ctx, from)
	if err != nil {
		e.t.Fatal(err)
	}
	head, err := e.client.HeaderByNumber(ctx, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), big.NewInt(1_000_000_000))
	tx := types.NewTx(&types.BlobTx{
		ChainID: uint256.NewInt(simChainID), Nonce: nonce, GasTipCap: uint256.NewInt(1_000_000_000),
		GasFeeCap: uint256.MustFromBig(feeCap), Gas: gas, To: e.dep.Rollup, Data: data,
		BlobFeeCap: uint256.MustFromBig(blobFeeCap), BlobHashes: []common.Hash{vh},
		Sidecar: types.NewBlobTxSidecar(types.BlobSidecarVersion1, []kzg4844.Blob{*b}, []kzg4844.Commitment{commit}, proofs),
	})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(big.NewInt(simChainID)), e.blobSender())
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.client.SendTransaction(ctx, signed); err != nil {
		e.t.Fatalf("send blob transaction: %v", err)
	}
	e.sim.Commit()
	r, err := e.client.TransactionReceipt(ctx, signed.Hash())
	if err != nil {
		e.t.Fatal(err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, errors.New("transaction reverted")
	}
	return r, nil
}

// TestBlobBatchAccepted: a blob-mode deployment accepts a batch whose
// transfers are in the transaction's blob, bound by the spec's evaluation,
// with the same effects as submitBatch; the event reports x as its
// publicInput and no transfer count. Two batches in a row show the
// binding follows the contract's state.
func TestBlobBatchAccepted(t *testing.T) {
	for name, cfg := range map[string]protocol.Config{
		"deposit, transfers, withdrawal": blobCfg,
		"with forced-exit slots":         {Depth: 4, Deposits: 1, ForcedExits: 1, Transfers: 2, Withdrawals: 1, DA: protocol.DABlob},
		"transfers only":                 {Depth: 4, Transfers: 3, DA: protocol.DABlob},
	} {
		t.Run(name, func(t *testing.T) {
			e := newStubEnv(t, cfg, 1, 1)
			r := e.rollup
			if mode, err := r.UnpackDaMode(e.call(r.PackDaMode())); err != nil || mode != daModeBlob {
				t.Fatalf("daMode() = %v, %v", mode, err)
			}
			// Blob mode's one verifier verifies blob batches.
			if v, err := r.UnpackBlobVerifier(e.call(r.PackBlobVerifier())); err != nil || v != e.dep.Verifier {
				t.Fatalf("blobVerifier() = %v, %v; want the verifier %v", v, err, e.dep.Verifier)
			}
			// The reader gives the services the blob-mode circuit back.
			st, err := NewReader(e.client, e.dep.Rollup, e.dep.Block, DefaultFinality).Settings(context.Background())
			if err != nil || st.Circuit != cfg {
				t.Fatalf("reader: circuit %+v (%v), want %+v", st, err, cfg)
			}
			for n := uint64(1); n <= 2; n++ {
				b := e.nextBlobBatch(2)
				s, spec := e.honest(b)
				// The spec's y is the blob's value at x (go-ethereum's KZG).
				var pt kzg4844.Point
				spec.X.FillBytes(pt[:])
				if _, claim, err := kzg4844.ComputeProof(&b.blob, pt); err != nil || blsBig(spec.Y).Cmp(new(big.Int).SetBytes(claim[:])) != 0 {
					t.Fatalf("spec y %v, KZG claim %x (%v)", blsBig(spec.Y), claim, err)
				}
				rc, err := e.sendBlob(e.packBlobBatch(b, s), s.blob)
				if err != nil {
					t.Fatalf("batch %d: %v (%s)", n, err, revertName(err))
				}
				if rc.BlobGasUsed != 131072 {
					t.Errorf("blob gas %d, want one blob", rc.BlobGasUsed)
				}
				ev := e.submitted(rc)
				if ev.Number != n || ev.PublicInput.Cmp(spec.X) != 0 || ev.FeeAccount != b.header.FeeAccount {
					t.Fatalf("BatchSubmitted %+v; want number %d, fee account %d, x %v", ev, n, b.header.FeeAccount, spec.X)
				}
				if got := e.root(); got != b.header.NewRoot.Bytes() {
					t.Fatalf("root %x, want %x", got, b.header.NewRoot.Bytes())
				}
				t.Logf("batch %d: gas %d, blob gas %d, calldata %d bytes", n, rc.GasUsed, rc.BlobGasUsed, len(e.packBlobBatch(b, s)))
			}
			if cfg.Withdrawals > 0 {
				got, err := r.UnpackPendingWithdrawals(e.call(r.PackPendingWithdrawals(userAddr)))
				if err != nil || got.Cmp(big.NewInt(2*withdrawAmount)) != 0 {
					t.Fatalf("pending withdrawals %v (%v), want %d", got, err, 2*withdrawAmount)
				}
			}
		})
	}
}

// TestBlobBatchRejected: everything that breaks the binding is refused
// with the named error, and the state stays where it was.
func TestBlobBatchRejected(t *testing.T) {
	e := newStubEnv(t, blobCfg, 1, 1)
	b := e.nextBlobBatch(2)
	vh := blobVersionedHash(t, &b.blob)

	// A blob whose content differs from the section the circuit bound
	// (one transfer's amount changed), and the honest section with one
	// more non-zero element beyond the used ones.
	altered := b.blob
	altered[1+2] ^= 1 // element 0 = chunk 0: transfer 0's amount
	extra := b.blob
	extra[32*blobCfg.BlobChunks()+31] = 1
	// Another batch's blob: different transfers, its own binding.
	other := b.withTransfer(0, e.transferSlot(3, 1))

	// boundTo binds the honest circuit data to the blob the transaction
	// carries (x depends on its versioned hash) and proves that blob at x:
	// what a sequencer that posts a wrong blob can at best do.
	boundTo := func(bl *kzg4844.Blob) *blobSubmission {
		s := bindBlob(t, b.cfg, b.header, b.pubdata, blobVersionedHash(t, bl))
		return &blobSubmission{dataHash: s.DataHash.Bytes(), v: blsBig(s.V), kzg: kzgAt(t, bl, s.X), blob: bl}
	}
	honest, spec := e.honest(b)
	rBLS := blsfr.Modulus()

	cases := map[string]struct {
		mut  func() *blobSubmission
		data func(*blobSubmission) []byte // nil: packBlobBatch
		want string
	}{
		"wrong V": {mut: func() *blobSubmission {
			s := *honest
			s.v = new(big.Int).Add(honest.v, big.NewInt(1))
			return &s
		}, want: "BlobProofFailed"},
		"V not below r": {mut: func() *blobSubmission {
			s := *honest
			s.v = new(big.Int).Add(honest.v, rBLS)
			return &s
		}, want: "BadBlobValue"},
		"dataHash not below 2^126": {mut: func() *blobSubmission {
			s := *honest
			s.dataHash[16] |= 0x40 // bit 126
			return &s
		}, want: "BadDataHash"},
		"KZG proof at another point (wrong y)": {mut: func() *blobSubmission {
			s := *honest
			s.kzg = kzgAt(t, &b.blob, new(big.Int).Add(spec.X, big.NewInt(1)))
			return &s
		}, want: "BlobProofFailed"},
		"blob differs from the bound section":     {mut: func() *blobSubmission { return boundTo(&altered) }, want: "BlobProofFailed"},
		"blob with data beyond the used elements": {mut: func() *blobSubmission { return boundTo(&extra) }, want: "BlobProofFailed"},
		"another batch's blob": {mut: func() *blobSubmission {
			s := *honest
			s.blob = &other.blob
			return &s
		}, want: "BlobProofFailed"},
		"another batch's blob, bound to it": {mut: func() *blobSubmission { return boundTo(&other.blob) }, want: "BlobProofFailed"},
		"circuit bound another header (fee account)": {mut: func() *blobSubmission {
			h := b.header
			h.FeeAccount = 2
			s := bindBlob(t, b.cfg, h, b.pubdata, vh)
			return &blobSubmission{dataHash: s.DataHash.Bytes(), v: blsBig(s.V), kzg: kzgAt(t, &b.blob, s.X), blob: &b.blob}
		}, want: "BlobProofFailed"},
		"no blob": {mut: func() *blobSubmission {
			s := *honest
			s.blob = nil
			return &s
		}, want: "NoBlob"},
		"data shorter than its counts and the KZG words": {mut: func() *blobSubmission { return honest }, data: func(s *blobSubmission) []byte {
			c := blobCall(b, s, nil)
			d := c.Data()
			return e.rollup.PackSubmitBlobBatch(c.Head(), c.NewRoot, c.DataHash, c.V, d[:len(d)-1])
		}, want: "BadBlobData"},
		"head with a bit above the counts": {mut: func() *blobSubmission { return honest }, data: func(s *blobSubmission) []byte {
			c := blobCall(b, s, make([]byte, 256))
			return e.rollup.PackSubmitBlobBatch(new(big.Int).SetBit(c.Head(), 112, 1), c.NewRoot, c.DataHash, c.V, c.Data())
		}, want: "BadHead"},
		"submitBatch in blob mode": {mut: func() *blobSubmission { return honest }, data: func(*blobSubmission) []byte {
			return e.rollup.PackSubmitBatch(b.header.Number, b.header.OldRoot.Bytes(), b.header.NewRoot.Bytes(), 1, 0, 2, 1,
				protocol.CompactPubdata(b.cfg, b.pubdata, protocol.Counts{Deposits: 1, Transfers: 2, Withdrawals: 1}), depositorsOf(1), make([]byte, 256))
		}, want: "NotCalldataMode"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s := c.mut()
			data := e.packBlobBatch(b, s)
			if c.data != nil {
				data = c.data(s)
			}
			_, err := e.sendBlob(data, s.blob)
			expectRevert(t, err, c.want)
		})
	}
	if got := e.root(); got != b.header.OldRoot.Bytes() {
		t.Fatalf("root moved to %x", got)
	}
	// A reverted transaction on chain (not only in estimation): the blob
	// transaction is mined and fails.
	s := *honest
	s.v = new(big.Int).Add(honest.v, big.NewInt(1))
	if rc := e.mineRevertedBlob(e.packBlobBatch(b, &s), &b.blob); rc.Status != types.ReceiptStatusFailed {
		t.Fatalf("status %d", rc.Status)
	}
	// And the honest one goes through.
	if _, err := e.sendBlob(e.packBlobBatch(b, honest), honest.blob); err != nil {
		t.Fatalf("%v (%s)", err, revertName(err))
	}

	// A calldata-mode deployment refuses submitBlobBatch.
	ce := newStubEnv(t, testCfg, 1, 1)
	cb := ce.nextBlobBatch(0)
	_, err := ce.sendBlob(ce.packBlobBatch(cb, &blobSubmission{v: big.NewInt(0), kzg: make([]byte, 96), blob: &b.blob}), &b.blob)
	expectRevert(t, err, "NotBlobMode")
}

// calldataGas is a transaction's calldata gas under EIP-2028 (4 per zero
// byte, 16 per other byte) and its EIP-7623 floor (10 per token, a token
// per zero byte and four per other byte).
func calldataGas(data []byte) (standard, floor uint64) {
	var tokens uint64
	for _, c := range data {
		if c == 0 {
			tokens++
		} else {
			tokens += 4
		}
	}
	return 4 * tokens, 10 * tokens
}

// TestBlobBatchGas measures submitBlobBatch with the stub verifier at the
// production depth: a blob-mode batch's gas does not depend on how many
// transfers its blob carries, and the figures are logged per part
// (docs/contracts.md "Blob mode", gas).
func TestBlobBatchGas(t *testing.T) {
	for _, cfg := range []protocol.Config{
		{Depth: 24, Transfers: 1024, DA: protocol.DABlob},
		{Depth: 24, Deposits: 16, Transfers: 1024, Withdrawals: 16, DA: protocol.DABlob},
	} {
		t.Run(cfg.String(), func(t *testing.T) {
			e := newStubEnv(t, cfg, 1, 1)
			var gas []uint64
			for _, nt := range []int{1024, 1, 1024} {
				b := e.nextBlobBatch(nt)
				s, _ := e.honest(b)
				data := e.packBlobBatch(b, s)
				rc, err := e.sendBlob(data, s.blob)
				if err != nil {
					t.Fatalf("%v (%s)", err, revertName(err))
				}
				std, floor := calldataGas(data)
				t.Logf("%s, %d transfers (batch %d): gas %d = 21000 intrinsic + %d calldata (floor %d) + %d execution; blob gas %d; %d binding elements; calldata %d bytes",
					cfg, nt, b.header.Number, rc.GasUsed, std, floor, rc.GasUsed-21000-std, rc.BlobGasUsed, protocol.BlobElementCount(cfg), len(data))
				gas = append(gas, rc.GasUsed)
			}
			// Batches 2 and 3 (batch 1 writes the withdrawal credit fresh):
			// the transfer count changes nothing but calldata zero bytes.
			if d := int64(gas[2]) - int64(gas[1]); d > 200 || d < -200 {
				t.Fatalf("gas %d with 1 transfer, %d with 1024: blob mode should not depend on the count", gas[1], gas[2])
			}
		})
	}
}

// TestBlobBatchRealProof: the blob-mode circuit's proof (depth 4, two
// transfers; keys cached like the other l1 tests) verifies on chain with
// gnark's exported 3-input verifier, for the public inputs the contract
// builds itself; a wrong V is refused.
func TestBlobBatchRealProof(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the blob circuit and proves a batch: skipped in -short")
	}
	ctx := context.Background()
	cfg := blobCfg
	ccs, err := circuits.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	set, err := keys.Cached(ctx, cfg, ccs, keys.SetupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := CompileVerifier(ctx, set.VK)
	if err != nil {
		t.Fatal(err)
	}
	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	alloc := types.GenesisAlloc{}
	for _, k := range []*ecdsa.PrivateKey{ownerKey, seqKey, userKey} {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), eth)}
	}
	sim := NewSimulatedChain(alloc, MainnetLikeGas)
	t.Cleanup(func() { sim.Close() })
	e := &env{t: t, sim: sim, client: sim.Client(), rollup: bindings.NewRollup()}
	world := func(contract common.Address) *protocoltest.World {
		w0, err := protocoltest.NewWorld(cfg, genesisKeys, genesisBalance)
		if err != nil {
			t.Fatal(err)
		}
		var accs []protocol.Account
		for i := 1; i <= w0.State.NumAccounts(); i++ {
			a, _ := w0.State.Account(uint32(i))
			accs = append(accs, a)
		}
		st, err := protocol.LoadState(cfg, simChainID, contract, accs, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		return &protocoltest.World{State: st, Keys: w0.Keys}
	}
	w := world(common.Address{})
	r0 := w.State.Root()
	root := r0.Bytes()
	e.dep = deployMining(t, sim, e.client, DeployConfig{Circuit: cfg, VerifierBytecode: verifier, ExitVerifierBytecode: RefuseAllVerifier,
		GenesisRoot: &root, GenesisNextIndex: uint32(w.State.NumAccounts() + 1), FeeKey: w.Keys[0].Public(),
		Sequencer: crypto.PubkeyToAddress(seqKey.PublicKey)})
	e.c = e.rollup.Instance(e.client, e.dep.Rollup)
	se := &stubEnv{env: e, cfg: cfg}
	w = world(e.dep.Rollup)

	in := standardInput(w)
	if _, err := e.deposit(in.Deposits[0].PubKey, depositAmount); err != nil {
		t.Fatal(err)
	}
	pb, err := w.State.ApplyBatch(in)
	if err != nil {
		t.Fatal(err)
	}
	counts := pb.Counts()
	counts.Transfers = 0 // in the blob
	b := &blobBatch{cfg: cfg, header: pb.Header, pubdata: pb.Pubdata, counts: counts,
		compact: protocol.CompactPubdata(cfg, pb.Pubdata, counts)}
	blobs, _, err := blob.Pack(b.section())
	if err != nil {
		t.Fatal(err)
	}
	b.blob = blobs[0]
	vh := blobVersionedHash(t, &b.blob)
	start := time.Now()
	c, err := circuits.AssignBlob(pb, vh)
	if err != nil {
		t.Fatal(err)
	}
	wit, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	p, err := groth16.Prove(ccs, set.PK, wit, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		t.Fatal(err)
	}
	proof := p.(interface{ MarshalSolidity() []byte }).MarshalSolidity()
	t.Logf("proved the blob batch in %v (%d constraints)", time.Since(start).Round(time.Millisecond), ccs.GetNbConstraints())

	s, bind := se.honest(b)
	pack := func(s *blobSubmission) []byte { return packBlobCall(e.rollup, b, s, proof) }
	wrong := *s
	wrong.v = new(big.Int).Add(s.v, big.NewInt(1))
	_, err = se.sendBlob(pack(&wrong), s.blob)
	expectRevert(t, err, "BlobProofFailed")
	// The binding holds but the proof does not: the verifier's own error
	// comes back through the rollup's hand-encoded call.
	bad := append([]byte{}, proof...)
	bad[255] ^= 1 // C's y: off the curve
	_, err = se.sendBlob(packBlobCall(e.rollup, b, s, bad), s.blob)
	expectRevert(t, err, "ProofInvalid")

	rc, err := se.sendBlob(pack(s), s.blob)
	if err != nil {
		t.Fatalf("%v (%s)", err, revertName(err))
	}
	if got := se.root(); got != b.header.NewRoot.Bytes() {
		t.Fatalf("root %x, want %x", got, b.header.NewRoot.Bytes())
	}
	// The verifier alone, for the gas breakdown: the public inputs the
	// contract passed (it accepted, so they are the circuit's).
	pi := bind.PublicInputs()
	vabi := mustABI(`[{"type":"function","name":"verifyProof","stateMutability":"view","inputs":[{"name":"proof","type":"bytes"},{"name":"input","type":"uint256[2]"}],"outputs":[]}]`)
	vdata, err := vabi.Pack("verifyProof", proof, [2]*big.Int{protocol.FrToBig(pi[0]), protocol.FrToBig(pi[1])})
	if err != nil {
		t.Fatal(err)
	}
	vgas, err := e.client.EstimateGas(ctx, ethereum.CallMsg{From: userAddr, To: &e.dep.Verifier, Data: vdata})
	if err != nil {
		t.Fatalf("verifier: %v", err)
	}
	vstd, _ := calldataGas(vdata)
	data := pack(s)
	std, floor := calldataGas(data)
	t.Logf("real proof: submitBlobBatch gas %d = 21000 + %d calldata (floor %d) + %d execution; blob gas %d; verifyProof alone %d execution (%d with its transaction)",
		rc.GasUsed, std, floor, rc.GasUsed-21000-std, rc.BlobGasUsed, vgas-21000-vstd, vgas)
}
