package submitter

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/blob"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// blobCfg is testCfg in blob mode: the transfer section goes in the
// blob, the deposit and the withdrawal in calldata.
var blobCfg = protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1, DA: protocol.DABlob}

// blobKey is the dedicated blob key: it signs nothing but blob
// transactions (the rollup's sequencer in the blob tests).
var blobKey = mustKey("0x04")

// acceptAllVerifier is the creation code of a contract whose every call
// succeeds (runtime code: STOP): the blob tests run the real rollup in blob
// mode — blobhash, the challenge, the point evaluation, V against the
// contract's own elements — with every check but the Groth16 proof's.
var acceptAllVerifier = hexutil.MustDecode("0x6001600c60003960016000f300")

// blobFixture: two applied blob-mode batches for the rollup at rollupAddr
// (no proofs: the verifier accepts any) and their genesis.
type blobFixture = batchFixture

// batchFixture: applied batches for a rollup whose verifiers accept any
// proof, and the genesis they start from.
type batchFixture struct {
	batches   []*protocol.Batch
	genesis   [32]byte
	nextIndex uint32
	feeKey    protocol.PublicKey
	deposit   protocol.PublicKey
}

// newFixtureWorld is the genesis world of a fixture of configuration cfg
// for the rollup at addr (the genesis accounts, loaded as the rollup's
// state) and the fixture with its genesis filled in.
func newFixtureWorld(cfg protocol.Config, addr [20]byte) (*protocoltest.World, *batchFixture, error) {
	w0, err := protocoltest.NewWorld(cfg, genesisKeys, genesisBalance)
	if err != nil {
		return nil, nil, err
	}
	var accs []protocol.Account
	for i := 1; i <= w0.State.NumAccounts(); i++ {
		a, _ := w0.State.Account(uint32(i))
		accs = append(accs, a)
	}
	st, err := protocol.LoadState(cfg, simChainID, addr, accs, 0, 0)
	if err != nil {
		return nil, nil, err
	}
	w := &protocoltest.World{State: st, Keys: w0.Keys}
	f := &batchFixture{nextIndex: uint32(st.NumAccounts() + 1), feeKey: w.Keys[0].Public(), deposit: protocoltest.Keys(7, 1)[0].Public()}
	root := st.Root()
	f.genesis = root.Bytes()
	return w, f, nil
}

var (
	blobOnce  sync.Once
	blobFx    *blobFixture
	blobFxErr error
)

func buildBlobFixture() (*blobFixture, error) {
	w, f, err := newFixtureWorld(blobCfg, rollupAddr)
	if err != nil {
		return nil, err
	}
	// Batch 1: a deposit, two transfers, a withdrawal; batch 2: one transfer.
	in1 := protocol.BatchInput{FeeAccount: 1}
	in1.Deposits = append(in1.Deposits, w.QueueDeposit(f.deposit, depositAmount))
	in1.Transfers = append(in1.Transfers, w.Transfer(2, 3, 1200, 10, 0), w.Transfer(3, 4, 500, 20, 0))
	in1.Withdrawals = append(in1.Withdrawals, w.Withdrawal(4, crypto.PubkeyToAddress(userKey.PublicKey), 5000, 30, 0))
	b1, err := w.State.ApplyBatch(in1)
	if err != nil {
		return nil, err
	}
	in2 := protocol.BatchInput{FeeAccount: 1}
	in2.Transfers = append(in2.Transfers, w.Transfer(2, 3, 100, 1, 0))
	b2, err := w.State.ApplyBatch(in2)
	if err != nil {
		return nil, err
	}
	f.batches = []*protocol.Batch{b1, b2}
	return f, nil
}

func getBlobFixture(t *testing.T) *blobFixture {
	t.Helper()
	blobOnce.Do(func() { blobFx, blobFxErr = buildBlobFixture() })
	if blobFxErr != nil {
		t.Fatal(blobFxErr)
	}
	return blobFx
}

// newBlobEnv: a simulated chain with the rollup deployed in blob mode (its
// sequencer: the blob key; its verifier accepts any proof) and batch 1's
// deposit queued, a migrated database and a background miner.
func newBlobEnv(t *testing.T) *env { return newBlobEnvWith(t, acceptAllVerifier) }

// newBlobEnvWith is newBlobEnv with the given verifier's creation code.
func newBlobEnvWith(t *testing.T, verifier []byte) *env {
	t.Helper()
	f := getBlobFixture(t)
	root := f.genesis
	return newChainEnv(t, blobKey, l1.DeployConfig{
		Circuit: blobCfg, VerifierBytecode: verifier, ExitVerifierBytecode: l1.RefuseAllVerifier,
		GenesisRoot: &root, GenesisNextIndex: f.nextIndex, FeeKey: f.feeKey,
		Sequencer: crypto.PubkeyToAddress(blobKey.PublicKey),
	}, f.deposit)
}

// insertBlobBatch stores blob batch i (0-based) as the prover leaves it,
// with a dummy proof (the accept-all verifier takes it).
func (e *env) insertBlobBatch(i int) { e.insertBlobBatchProof(i, make([]byte, 256)) }

func (e *env) insertBlobBatchProof(i int, proof []byte) {
	e.t.Helper()
	b := getBlobFixture(e.t).batches[i]
	cfg, _ := json.Marshal(blobCfg)
	pi := b.PublicInput()
	piBytes := pi.Bytes()
	old, nw := b.Header.OldRoot.Bytes(), b.Header.NewRoot.Bytes()
	_, err := e.pool.Exec(context.Background(), `INSERT INTO batches (number, config, old_root, new_root, header, pubdata,
		public_input, witness, deposit_start, deposit_count, tx_count, status, proof, proven_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, '\x00', $8, $9, $10, 'proven', $11, now())`,
		int64(b.Header.Number), cfg, old[:], nw[:], b.Header.Bytes(), b.Pubdata, piBytes[:],
		int64(b.Header.DepositStart), len(b.Deposits), len(b.Transfers)+len(b.Withdrawals), proof)
	if err != nil {
		e.t.Fatal(err)
	}
}

func blobTestConfig(contract common.Address) Config {
	c := testConfig()
	c.Contract = contract
	c.DA = protocol.DABlob
	return c
}

// checkBlobs checks, after checkFinal, what blob mode adds: each batch's
// blob stored once, its versioned hash the one its finalized transaction
// carried on L1, it carries the batch's transfer section, every
// transaction was a blob transaction stored without its blobs, and the
// finalized one recorded its blob gas.
func (e *env) checkBlobs(nBatches int) {
	e.t.Helper()
	ctx := context.Background()
	batches := getBlobFixture(e.t).batches
	for i := 0; i < nBatches; i++ {
		n := i + 1
		var (
			hash, data []byte
			idx        int
		)
		if c := e.count(`SELECT count(*) FROM blobs WHERE batch = $1`, n); c != 1 {
			e.t.Fatalf("batch %d has %d blob rows, want 1", n, c)
		}
		if err := e.pool.QueryRow(ctx, `SELECT versioned_hash, idx, blob FROM blobs WHERE batch = $1`, n).Scan(&hash, &idx, &data); err != nil {
			e.t.Fatal(err)
		}
		var txHash []byte
		if err := e.pool.QueryRow(ctx, `SELECT tx_hash FROM l1_submissions WHERE batch_number = $1 AND status = 'finalized'`, n).Scan(&txHash); err != nil {
			e.t.Fatal(err)
		}
		onL1, _, err := e.client.TransactionByHash(ctx, common.BytesToHash(txHash))
		if err != nil {
			e.t.Fatal(err)
		}
		if hs := onL1.BlobHashes(); len(hs) != 1 || hs[0] != common.BytesToHash(hash) {
			e.t.Fatalf("batch %d: blob %x stored, %v on L1", n, hash, hs)
		}
		var bl kzg4844.Blob
		copy(bl[:], data)
		section := protocol.TransferSection(blobCfg, batches[i].Pubdata)
		got, err := blob.Unpack([]kzg4844.Blob{bl}, len(section))
		if err != nil || !bytes.Equal(got, section) || idx != 0 {
			e.t.Fatalf("batch %d: stored blob %d does not carry the transfer section (%v)", n, idx, err)
		}
		var blobGas *int64
		if err := e.pool.QueryRow(ctx, `SELECT blob_gas_used FROM l1_submissions WHERE batch_number = $1 AND status = 'finalized'`, n).Scan(&blobGas); err != nil {
			e.t.Fatal(err)
		}
		if blobGas == nil || *blobGas != 131072 {
			e.t.Fatalf("batch %d: finalized submission records blob gas %v, want one blob's", n, blobGas)
		}
	}
	rows, err := e.pool.Query(ctx, `SELECT raw_tx, blob_fee_cap IS NOT NULL FROM l1_submissions`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			raw    []byte
			hasCap bool
		)
		if err := rows.Scan(&raw, &hasCap); err != nil {
			e.t.Fatal(err)
		}
		var tx types.Transaction
		if err := tx.UnmarshalBinary(raw); err != nil {
			e.t.Fatal(err)
		}
		if tx.Type() != types.BlobTxType || tx.BlobTxSidecar() != nil || len(tx.BlobHashes()) != 1 || !hasCap {
			e.t.Fatalf("submission %s: type %d, sidecar stored %v, %d blob hashes, blob fee cap recorded %v; want a blob transaction stored without its blobs",
				tx.Hash(), tx.Type(), tx.BlobTxSidecar() != nil, len(tx.BlobHashes()), hasCap)
		}
	}
}

// Blob mode sends both batches as blob transactions from the blob key,
// each one's blob stored before its transaction.
func TestBlobSubmitsAndFinalizes(t *testing.T) {
	e := newBlobEnv(t)
	e.clock = newManualClock()
	e.insertBlobBatch(0)
	e.insertBlobBatch(1)
	// Stored before sent: the hook runs after the node has the
	// transaction; the blob must have been in the database already.
	var missing []int64
	hook := func(batch int64, hash common.Hash) error {
		var n int
		_ = e.pool.QueryRow(context.Background(), `SELECT count(*) FROM blobs WHERE batch = $1`, batch).Scan(&n)
		if n != 1 {
			missing = append(missing, batch)
		}
		return nil
	}
	s, _ := e.start(blobTestConfig(e.contract), e.client, hook)
	e.checkFinal(2)
	e.checkBlobs(2)
	if len(missing) > 0 {
		t.Fatalf("batches %v sent before their blobs were stored", missing)
	}
	if v := value(s.m.blobGas); v != 2*131072 {
		t.Fatalf("blob gas counted %v, want two blobs' worth", v)
	}
	if v := value(s.m.blobFeePaid); v <= 0 {
		t.Fatalf("blob fee paid %v", v)
	}
	if v := value(s.m.feeBumps); v != 0 {
		t.Fatalf("%v fee bumps without a stuck transaction", v)
	}
}

// Blob fee bumping: the first transaction is stuck (a tip below the
// miner's minimum) while the blob base fee rises; each replacement at least
// doubles the tip, the fee cap and the blob fee cap (geth's blob pool
// refuses less), the blob fee cap keeps its headroom over the risen blob
// base fee, and exactly one transaction of the nonce lands.
func TestBlobFeeBump(t *testing.T) {
	e := newBlobEnv(t)
	e.insertBlobBatch(0)
	e.insertBlobBatch(1)
	c := &faultyClient{Client: e.client}
	c.lowTips.Store(1)
	risen := big.NewInt(50) // wei per blob gas: above the simulated chain's, so it is what the cap follows
	c.blobBaseFee.Store(risen)
	cfg := blobTestConfig(e.contract)
	if cfg.FeeBumpPercent >= BlobFeeBumpPercent {
		t.Fatalf("fee bump %d%%: the test needs one below the blob rule", cfg.FeeBumpPercent)
	}
	s, _ := e.start(cfg, c, nil)
	e.checkFinal(2)
	e.checkBlobs(2)
	if v := value(s.m.feeBumps); v < 1 {
		t.Fatalf("%v fee bumps", v)
	}
	rows, err := e.pool.Query(context.Background(), `SELECT gas_tip_cap::text, gas_fee_cap::text, blob_fee_cap::text, status, nonce
		FROM l1_submissions WHERE batch_number = 1 ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var (
		prev [3]*big.Int
		n    int
	)
	for rows.Next() {
		var (
			f      [3]string
			st     string
			nonce  int64
			parsed [3]*big.Int
		)
		if err := rows.Scan(&f[0], &f[1], &f[2], &st, &nonce); err != nil {
			t.Fatal(err)
		}
		for i := range f {
			parsed[i], _ = new(big.Int).SetString(f[i], 10)
		}
		if parsed[2].Cmp(new(big.Int).Mul(risen, big.NewInt(blobFeeHeadroom))) < 0 {
			t.Fatalf("blob fee cap %s below %d× the blob base fee %s", parsed[2], blobFeeHeadroom, risen)
		}
		if prev[0] != nil {
			for i, name := range []string{"tip", "fee cap", "blob fee cap"} {
				if parsed[i].Cmp(new(big.Int).Mul(prev[i], big.NewInt(2))) < 0 {
					t.Fatalf("replacement %s %s is not double %s", name, parsed[i], prev[i])
				}
			}
		}
		if nonce != 0 {
			t.Fatalf("batch 1 submission with nonce %d", nonce)
		}
		prev = parsed
		n++
	}
	if n < 2 {
		t.Fatalf("batch 1 has %d submissions, want a replacement", n)
	}
}

// A dropped blob transaction (the node's pool loses it): it is sent again,
// its blob read back from the blobs table, as the same transaction.
func TestBlobDroppedTransaction(t *testing.T) {
	e := newBlobEnv(t)
	e.clock = newManualClock()
	e.pause()
	e.insertBlobBatch(0)
	e.insertBlobBatch(1)
	s, _ := e.start(blobTestConfig(e.contract), e.client, nil)
	e.dropSent(1)
	e.clock.Advance(testConfig().ResubmitAfter)
	e.checkFinal(2)
	e.checkBlobs(2)
	if n := e.count(`SELECT count(*) FROM l1_submissions WHERE batch_number = 1`); n != 1 {
		t.Fatalf("batch 1 has %d submissions; the dropped one should have been sent again as it was", n)
	}
	if v := value(s.m.rebroadcasts); v < 1 {
		t.Fatalf("%v rebroadcasts", v)
	}
}

// A reorg removes the block that included a blob batch: the batch goes
// back to proven, is sent again with its nonce (from its stored blob) and
// is finalized once.
func TestBlobReorg(t *testing.T) {
	e := newBlobEnv(t)
	e.insertBlobBatch(0)
	cfg := blobTestConfig(e.contract)
	cfg.Confirmations = 20
	s, _ := e.start(cfg, e.client, nil)
	e.waitFor("batch 1 included", func() bool { return e.batchStatus(1) == "submitted" })
	e.pause()
	ctx := context.Background()
	var block int64
	var hash []byte
	_ = e.pool.QueryRow(ctx, `SELECT included_block, tx_hash FROM l1_submissions WHERE status = 'included'`).Scan(&block, &hash)
	head, _ := e.client.BlockNumber(ctx)
	parent, err := e.client.HeaderByNumber(ctx, big.NewInt(block-1))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.sim.Fork(parent.Hash()); err != nil {
		t.Fatal(err)
	}
	// The blob pool moves to the forked head in the background and may
	// re-inject the orphaned transaction; lose it for good: the batch must
	// be re-sent by the submitter.
	for i := 0; i < 20; i++ {
		e.sim.Rollback()
		time.Sleep(10 * time.Millisecond)
	}
	for i := uint64(0); i < head-uint64(block)+2; i++ {
		e.sim.Rollback()
		e.sim.Commit()
	}
	e.waitFor("the reorg seen", func() bool {
		return e.count(`SELECT count(*) FROM l1_submissions WHERE status = 'reorged'`) >= 1
	})
	e.insertBlobBatch(1)
	e.checkFinal(2)
	e.checkBlobs(2)
	if v := value(s.m.reorgs); v < 1 {
		t.Fatalf("%v reorgs counted", v)
	}
	if n := e.count(`SELECT count(DISTINCT nonce) FROM l1_submissions WHERE batch_number = 1`); n != 1 {
		t.Fatalf("batch 1 used %d nonces, want its one nonce again", n)
	}
}

// A calldata-mode submitter leaves a blob-mode batch alone (it would need
// the blob key), and blob mode refuses a client without the blob base fee.
func TestBlobModeGuards(t *testing.T) {
	cfg := testConfig()
	cfg.DA = protocol.DABlob
	if _, err := New(cfg, nil, struct{ Client }{}, blobKey, nil, nil); err == nil {
		t.Fatal("blob mode accepted a client without eth_blobBaseFee")
	}
	cfg.MaxBlobFeeCap = nil
	if cfg.Check() == nil {
		t.Fatal("blob mode accepted without a max blob fee cap")
	}
}

func TestBlobFees(t *testing.T) {
	b := big.NewInt
	for _, c := range []struct {
		name           string
		base, min, max *big.Int
		want           int64
		ok             bool
	}{
		{"headroom", b(10), nil, b(1000), 10 * blobFeeHeadroom, true},
		{"zero base fee", b(0), nil, b(1000), 1, true},
		{"replacement doubles", b(10), bumped(b(300), BlobFeeBumpPercent), b(1000), 600, true},
		{"risen base fee beats the bump", b(400), bumped(b(300), BlobFeeBumpPercent), b(1000), 400 * blobFeeHeadroom, true},
		{"cap", b(10), bumped(b(600), BlobFeeBumpPercent), b(1000), 1000, false},
	} {
		got, ok := blobFees(c.base, c.min, c.max)
		if got.Int64() != c.want || ok != c.ok {
			t.Errorf("%s: %v %v, want %d %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

// A stored blob that is not exactly the batch's transfer section laid out
// (here: data beyond the used elements, which reading back the section
// alone would not see) is never sent: the batch waits and the step
// reports it.
func TestBlobStoredRowChecked(t *testing.T) {
	e := newBlobEnv(t)
	e.insertBlobBatch(0)
	batches := getBlobFixture(t).batches
	rows, err := makeBlobs(blobCfg, batches[0].Pubdata)
	if err != nil {
		t.Fatal(err)
	}
	r := rows[0]
	r.blob[33] ^= 1 // element 1: past the two transfers' 24 bytes, still canonical
	c, _ := kzg4844.BlobToCommitment(r.blob)
	vh := kzg4844.CalcBlobHashV1(sha256.New(), &c)
	proofs := make([]byte, kzg4844.CellProofsPerBlob*48)
	if _, err := e.pool.Exec(context.Background(), `INSERT INTO blobs (versioned_hash, batch, idx, blob, commitment, cell_proofs)
		VALUES ($1, 1, 0, $2, $3, $4)`, vh[:], r.blob[:], c[:], proofs); err != nil {
		t.Fatal(err)
	}
	s, err := New(blobTestConfig(e.contract), e.pool, e.client, e.key, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.activate(ctx); err != nil {
		t.Fatal(err)
	}
	defer s.dropConn()
	err = s.submitNext(ctx)
	if err == nil || !strings.Contains(err.Error(), "do not carry the batch's transfer section") {
		t.Fatalf("submitNext with an altered stored blob: %v", err)
	}
	if n := e.count(`SELECT count(*) FROM l1_submissions`); n != 0 {
		t.Fatalf("%d submissions signed from an altered blob", n)
	}
}

// The real binding (protocol.BindBlob) and the blob the submitter stores
// agree: the KZG proof at the binding's x opens the blob's commitment to
// the binding's y, which the contract's point evaluation checks.
func TestBlobBindingOpens(t *testing.T) {
	batches := getBlobFixture(t).batches
	for i, b := range batches {
		rows, err := makeBlobs(blobCfg, b.Pubdata)
		if err != nil {
			t.Fatal(err)
		}
		bind, err := bindBlob(blobCfg, b.Header, b.Pubdata, rows[0].hash)
		if err != nil {
			t.Fatal(err)
		}
		if bind.X.BitLen() > 125 {
			t.Fatalf("batch %d: x has %d bits", i+1, bind.X.BitLen())
		}
		var x kzg4844.Point
		bind.X.FillBytes(x[:])
		proof, claim, err := kzg4844.ComputeProof(rows[0].blob, x)
		if err != nil {
			t.Fatal(err)
		}
		if claim != kzg4844.Claim(bind.Y) {
			t.Fatalf("batch %d: the blob opens to %x at x, the binding says %x", i+1, claim, bind.Y)
		}
		if err := kzg4844.VerifyProof(rows[0].commitment, x, claim, proof); err != nil {
			t.Fatalf("batch %d: %v", i+1, err)
		}
	}
}

// TestBlobRealProofs: the whole path with the real blob-mode circuit
// (depth 4; keys cached like the other tests): the batches are proved as
// the prover does (circuits.Witness binds them to protocol.BatchBlob's
// blob), the rollup verifies with gnark's exported 3-input verifier, and
// the submitter's blob transactions are accepted and finalized once.
func TestBlobRealProofs(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the blob circuit and proves two batches: skipped in -short")
	}
	ctx := context.Background()
	start := time.Now()
	ccs, err := circuits.Compile(blobCfg)
	if err != nil {
		t.Fatal(err)
	}
	set, err := keys.Cached(ctx, blobCfg, ccs, keys.SetupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := l1.CompileVerifier(ctx, set.VK)
	if err != nil {
		t.Fatal(err)
	}
	var proofs [][]byte
	for _, b := range getBlobFixture(t).batches {
		wit, err := circuits.Witness(b)
		if err != nil {
			t.Fatal(err)
		}
		p, err := groth16.Prove(ccs, set.PK, wit, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
		if err != nil {
			t.Fatal(err)
		}
		proofs = append(proofs, p.(interface{ MarshalSolidity() []byte }).MarshalSolidity())
	}
	t.Logf("blob circuit (%d constraints), keys, verifier and two proofs in %v", ccs.GetNbConstraints(), time.Since(start).Round(time.Millisecond))
	e := newBlobEnvWith(t, verifier)
	e.clock = newManualClock()
	e.insertBlobBatchProof(0, proofs[0])
	e.insertBlobBatchProof(1, proofs[1])
	e.start(blobTestConfig(e.contract), e.client, nil)
	e.checkFinal(2)
	e.checkBlobs(2)
}
