package submitter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/jackc/pgx/v5"

	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
)

// autoCfg is the auto deployment of testCfg: its batches are testCfg
// (calldata) or blobCfg (blob), each in its own mode.
var autoCfg = testCfg.WithDA(protocol.DAAuto)

// autoModes are the modes of the auto fixture's batches, alternating.
var autoModes = []string{"", protocol.DABlob, "", protocol.DABlob}

// autoFixture: four applied batches of an auto deployment at
// autoRollupAddr (no proofs: both verifiers accept any), batch i in mode
// autoModes[i].
type autoFixture = batchFixture

var (
	autoOnce  sync.Once
	autoFx    *autoFixture
	autoFxErr error
)

func buildAutoFixture() (*autoFixture, error) {
	w, f, err := newFixtureWorld(autoCfg, autoRollupAddr)
	if err != nil {
		return nil, err
	}
	for i, mode := range autoModes {
		in := protocol.BatchInput{FeeAccount: 1}
		if i == 0 {
			in.Deposits = append(in.Deposits, w.QueueDeposit(f.deposit, depositAmount))
			in.Withdrawals = append(in.Withdrawals, w.Withdrawal(4, crypto.PubkeyToAddress(userKey.PublicKey), 5000, 30, 0))
		}
		in.Transfers = append(in.Transfers, w.Transfer(2, 3, uint64(100+i), 1, 0))
		b, err := w.State.ApplyBatch(in)
		if err != nil {
			return nil, err
		}
		// As the sequencer seals it: the layout is the same in both
		// modes; the batch's configuration is the concrete one chosen.
		b.Config = autoCfg.WithDA(mode)
		f.batches = append(f.batches, b)
	}
	return f, nil
}

func getAutoFixture(t *testing.T) *autoFixture {
	t.Helper()
	autoOnce.Do(func() { autoFx, autoFxErr = buildAutoFixture() })
	if autoFxErr != nil {
		t.Fatal(autoFxErr)
	}
	return autoFx
}

// newAutoEnv: a simulated chain with the rollup deployed in auto mode
// (both verifiers accept any proof; its sequencer the sequencer key, its
// blob sequencer the blob key: the contract itself authorises both
// senders), both keys funded, batch 1's deposit queued, a migrated
// database and a background miner.
func newAutoEnv(t *testing.T) *env {
	t.Helper()
	f := getAutoFixture(t)
	root := f.genesis
	e := newChainEnv(t, seqKey, l1.DeployConfig{
		Circuit: autoCfg, VerifierBytecode: acceptAllVerifier, BlobVerifierBytecode: acceptAllVerifier,
		ExitVerifierBytecode: l1.RefuseAllVerifier, GenesisRoot: &root, GenesisNextIndex: f.nextIndex, FeeKey: f.feeKey,
		Sequencer: crypto.PubkeyToAddress(seqKey.PublicKey), BlobSequencer: crypto.PubkeyToAddress(blobKey.PublicKey),
	}, f.deposit)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	blobAddr := crypto.PubkeyToAddress(blobKey.PublicKey)
	nonce, err := e.client.PendingNonceAt(ctx, crypto.PubkeyToAddress(ownerKey.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	fund, err := types.SignNewTx(ownerKey, types.LatestSignerForChainID(big.NewInt(simChainID)), &types.DynamicFeeTx{
		ChainID: big.NewInt(simChainID), Nonce: nonce, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(100e9),
		Gas: 21000, To: &blobAddr, Value: new(big.Int).Mul(big.NewInt(100), eth)})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.client.SendTransaction(ctx, fund); err != nil {
		t.Fatal(err)
	}
	if r, err := bind.WaitMined(ctx, e.client, fund.Hash()); err != nil || r.Status != 1 {
		t.Fatalf("funding the blob key: %v", err)
	}
	return e
}

// insertAutoBatch stores auto batch i (0-based) as the prover leaves it,
// in its own mode's configuration, with a dummy proof.
func (e *env) insertAutoBatch(i int) {
	e.t.Helper()
	b := getAutoFixture(e.t).batches[i]
	cfg, _ := json.Marshal(b.Config)
	pi := b.PublicInput()
	piBytes := pi.Bytes()
	old, nw := b.Header.OldRoot.Bytes(), b.Header.NewRoot.Bytes()
	_, err := e.pool.Exec(context.Background(), `INSERT INTO batches (number, config, old_root, new_root, header, pubdata,
		public_input, witness, deposit_start, deposit_count, tx_count, status, proof, proven_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, '\x00', $8, $9, $10, 'proven', $11, now())`,
		int64(b.Header.Number), cfg, old[:], nw[:], b.Header.Bytes(), b.Pubdata, piBytes[:],
		int64(b.Header.DepositStart), len(b.Deposits), len(b.Transfers)+len(b.Withdrawals), make([]byte, 256))
	if err != nil {
		e.t.Fatal(err)
	}
}

// checkAuto checks, after checkFinal, what auto mode adds: each batch's
// finalized transaction went by its own mode from that mode's key (a blob
// transaction from the blob key carrying the batch's stored blob, or a
// plain one from the sequencer key), no key ever signed the other kind,
// and a batch after one from the other key was first signed only once
// the submitter had seen the earlier one's receipt.
func (e *env) checkAuto(nBatches int) {
	e.t.Helper()
	ctx := context.Background()
	batches := getAutoFixture(e.t).batches
	seq, bl := crypto.PubkeyToAddress(seqKey.PublicKey), crypto.PubkeyToAddress(blobKey.PublicKey)
	signer := types.LatestSignerForChainID(big.NewInt(simChainID))
	for i := 0; i < nBatches; i++ {
		n := i + 1
		isBlob := batches[i].Config.Blob()
		var raw, sender []byte
		if err := e.pool.QueryRow(ctx, `SELECT raw_tx, sender FROM l1_submissions WHERE batch_number = $1 AND status = 'finalized'`, n).
			Scan(&raw, &sender); err != nil {
			e.t.Fatal(err)
		}
		var tx types.Transaction
		if err := tx.UnmarshalBinary(raw); err != nil {
			e.t.Fatal(err)
		}
		from, err := types.Sender(signer, &tx)
		if err != nil {
			e.t.Fatal(err)
		}
		want := seq
		if isBlob {
			want = bl
		}
		if from != want || common.BytesToAddress(sender) != want {
			e.t.Fatalf("batch %d (blob %v): signed by %s, recorded sender %x; want %s", n, isBlob, from, sender, want)
		}
		if (tx.Type() == types.BlobTxType) != isBlob {
			e.t.Fatalf("batch %d (blob %v) went as a type-%d transaction", n, isBlob, tx.Type())
		}
		var blobs int
		_ = e.pool.QueryRow(ctx, `SELECT count(*) FROM blobs WHERE batch = $1`, n).Scan(&blobs)
		if isBlob {
			var vh []byte
			if err := e.pool.QueryRow(ctx, `SELECT versioned_hash FROM blobs WHERE batch = $1`, n).Scan(&vh); err != nil {
				e.t.Fatalf("batch %d: stored blob: %v", n, err)
			}
			made, err := makeBlobs(batches[i].Config, batches[i].Pubdata)
			if err != nil {
				e.t.Fatal(err)
			}
			if hs := tx.BlobHashes(); len(hs) != 1 || hs[0] != common.BytesToHash(vh) || made[0].hash != hs[0] {
				e.t.Fatalf("batch %d: blob %x stored, %v on L1, %s is the batch's", n, vh, hs, made[0].hash)
			}
		} else if blobs != 0 {
			e.t.Fatalf("calldata batch %d has %d stored blobs", n, blobs)
		}
	}
	// No key signed the other kind, ever (replacements and reverted ones
	// included).
	rows, err := e.pool.Query(ctx, `SELECT raw_tx, sender FROM l1_submissions`)
	if err != nil {
		e.t.Fatal(err)
	}
	type row struct{ raw, sender []byte }
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		return x, r.Scan(&x.raw, &x.sender)
	})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, r := range all {
		var tx types.Transaction
		_ = tx.UnmarshalBinary(r.raw)
		if (tx.Type() == types.BlobTxType) != (common.BytesToAddress(r.sender) == bl) {
			e.t.Fatalf("submission %s: type %d from %x", tx.Hash(), tx.Type(), r.sender)
		}
	}
	// The ordering rule: a batch whose key differs from its predecessor's
	// was signed (its finalized transaction) after the predecessor's
	// standing receipt was recorded (submitted_at is set with it).
	for i := 1; i < nBatches; i++ {
		if batches[i].Config.Blob() == batches[i-1].Config.Blob() {
			continue
		}
		var ok bool
		if err := e.pool.QueryRow(ctx, `SELECT (SELECT created_at FROM l1_submissions WHERE batch_number = $1 AND status = 'finalized') >=
			(SELECT submitted_at FROM batches WHERE number = $2)`, i+1, i).Scan(&ok); err != nil {
			e.t.Fatal(err)
		}
		if !ok {
			e.t.Fatalf("batch %d (other key) signed before batch %d's receipt was recorded", i+1, i)
		}
	}
}

// An auto deployment with batches alternating calldata and blob: each goes
// from its own mode's key, in order, and is finalized exactly once.
func TestAutoSubmitsAndFinalizes(t *testing.T) {
	e := newAutoEnv(t)
	e.clock = newManualClock()
	for i := range autoModes {
		e.insertAutoBatch(i)
	}
	s, _ := e.start(autoTestConfig(e.contract), e.client, nil)
	e.checkFinal(len(autoModes))
	e.checkAuto(len(autoModes))
	for _, k := range []string{"calldata", "blob"} {
		if v := value(s.m.balance.WithLabelValues(k)); v <= 0 {
			t.Fatalf("%s key's balance gauge %v", k, v)
		}
	}
	if v := value(s.m.blobGas); v != 2*131072 {
		t.Fatalf("blob gas counted %v, want two blobs' worth", v)
	}
	if v := value(s.m.feeBumps) + value(s.m.reverts); v != 0 {
		t.Fatalf("%v fee bumps and reverts on a quiet chain", v)
	}
}

// A dropped blob transaction in auto mode: sent again as it was (its blob
// read back), from the blob key, after the calldata batch before it.
func TestAutoDroppedBlobTransaction(t *testing.T) {
	e := newAutoEnv(t)
	e.clock = newManualClock()
	e.pause()
	e.insertAutoBatch(0)
	e.insertAutoBatch(1)
	s, _ := e.start(autoTestConfig(e.contract), e.client, nil)
	e.waitFor("batch 1 sent", func() bool {
		return e.count(`SELECT count(*) FROM l1_submissions WHERE batch_number = 1 AND status = 'sent'`) == 1
	})
	e.sim.Commit() // batch 1 (calldata) included
	e.dropSent(2)
	e.clock.Advance(testConfig().ResubmitAfter)
	e.checkFinal(2)
	e.checkAuto(2)
	if n := e.count(`SELECT count(*) FROM l1_submissions WHERE batch_number = 2`); n != 1 {
		t.Fatalf("batch 2 has %d submissions; the dropped one should have been sent again as it was", n)
	}
	if v := value(s.m.rebroadcasts); v < 1 {
		t.Fatalf("%v rebroadcasts", v)
	}
}

// A reorg in auto mode removes a calldata batch and the blob batch after
// it; the blob batch's transaction lands again first (here: re-sent by
// someone else while no submitter runs) and reverts, its predecessor gone.
// The submitter sends the calldata batch again with its nonce, records the
// revert as the predecessor's absence (no out-of-gas margin), sends the
// blob batch again from the blob key once the calldata batch is included,
// and every batch is finalized exactly once. It does so whether the node
// serves the state at the revert's block or has pruned it (the database
// then decides: the predecessor's inclusion is recorded in a later block).
func TestAutoReorgPredecessorMissing(t *testing.T) {
	for _, pruned := range []bool{false, true} {
		t.Run(fmt.Sprintf("pruned=%v", pruned), func(t *testing.T) { testAutoReorgPredecessorMissing(t, pruned) })
	}
}

// prunedState is a node that serves no historical state: calls at a given
// block fail as go-ethereum's do once that block's state is gone.
type prunedState struct{ simulated.Client }

func (c prunedState) BlobBaseFee(ctx context.Context) (*big.Int, error) {
	return c.Client.(BlobClient).BlobBaseFee(ctx)
}

func (c prunedState) CallContract(ctx context.Context, msg ethereum.CallMsg, block *big.Int) ([]byte, error) {
	if block != nil {
		return nil, errors.New("historical state is not available")
	}
	return c.Client.CallContract(ctx, msg, block)
}

func testAutoReorgPredecessorMissing(t *testing.T, pruned bool) {
	e := newAutoEnv(t)
	e.insertAutoBatch(0)
	e.insertAutoBatch(1)
	// Nothing may be final before the fork: batch 2's blob (its cell
	// proofs) takes seconds on a busy machine while blocks come every
	// 25 ms. The submitter after the fork needs fewer.
	cfg := autoTestConfig(e.contract)
	cfg.Confirmations = 100_000
	s1, _ := e.start(cfg, e.client, nil)
	e.waitFor("batches 1 and 2 included", func() bool { return e.batchStatus(1) == "submitted" && e.batchStatus(2) == "submitted" })
	e.pause()
	if err := s1.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var block int64
	_ = e.pool.QueryRow(ctx, `SELECT included_block FROM l1_submissions WHERE batch_number = 1 AND status = 'included'`).Scan(&block)
	var raw2 []byte
	_ = e.pool.QueryRow(ctx, `SELECT raw_tx FROM l1_submissions WHERE batch_number = 2 AND status = 'included'`).Scan(&raw2)
	head, _ := e.client.BlockNumber(ctx)
	parent, err := e.client.HeaderByNumber(ctx, big.NewInt(block-1))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.sim.Fork(parent.Hash()); err != nil {
		t.Fatal(err)
	}
	// Lose the orphans the pools re-inject, then put batch 2's blob
	// transaction (as stored, with its blob) into a block of its own.
	for i := 0; i < 20; i++ {
		e.sim.Rollback()
		time.Sleep(10 * time.Millisecond)
	}
	var tx2 types.Transaction
	if err := tx2.UnmarshalBinary(raw2); err != nil {
		t.Fatal(err)
	}
	made, err := makeBlobs(getAutoFixture(t).batches[1].Config, getAutoFixture(t).batches[1].Pubdata)
	if err != nil {
		t.Fatal(err)
	}
	sc := types.NewBlobTxSidecar(types.BlobSidecarVersion1, []kzg4844.Blob{*made[0].blob}, []kzg4844.Commitment{made[0].commitment}, made[0].cellProofs)
	if err := e.client.SendTransaction(ctx, tx2.WithBlobTxSidecar(sc)); err != nil {
		t.Fatal(err)
	}
	e.sim.Commit()
	// It reverts: the contract expects batch 1.
	if rc, err := e.client.TransactionReceipt(ctx, tx2.Hash()); err != nil || rc.Status != types.ReceiptStatusFailed {
		t.Fatalf("batch 2's transaction without its predecessor: receipt %+v, %v; want a revert", rc, err)
	}
	for i := uint64(0); i < head-uint64(block)+2; i++ {
		e.sim.Rollback()
		e.sim.Commit()
	}
	cfg.Confirmations = 20
	var client Client = e.client
	if pruned {
		client = prunedState{e.client}
	}
	s2, _ := e.start(cfg, client, nil)
	e.checkFinal(2)
	e.checkAuto(2)
	if n := e.count(`SELECT count(*) FROM l1_submissions WHERE batch_number = 2 AND status = 'dropped' AND included_block IS NOT NULL AND predecessor_missing`); n != 1 {
		t.Fatalf("%d reverted submissions of batch 2 recorded as its predecessor's absence, want 1", n)
	}
	if n := e.count(`SELECT count(*) FROM l1_submissions WHERE predecessor_missing AND batch_number <> 2`); n != 0 {
		t.Fatalf("%d other submissions recorded as a predecessor's absence", n)
	}
	if n := e.count(`SELECT count(DISTINCT nonce) FROM l1_submissions WHERE batch_number = 1`); n != 1 {
		t.Fatalf("batch 1 used %d nonces, want its one nonce again", n)
	}
	if v := value(s2.m.reorgs); v < 2 {
		t.Fatalf("%v reorgs counted, want both batches'", v)
	}
	if v := value(s2.m.reverts); v != 1 {
		t.Fatalf("%v reverts counted, want 1", v)
	}
}
