package submitter

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/db/pgtest"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
)

// autoKeys are an auto submitter's keys: the sequencer key signs the
// calldata batches, the dedicated blob key the blob batches.
var autoKeys = Keys{Calldata: seqKey, Blob: blobKey}

func autoTestConfig(contract common.Address) Config {
	c := testConfig()
	c.Contract = contract
	c.DA = protocol.DAAuto
	return c
}

func TestKeysCheck(t *testing.T) {
	for _, c := range []struct {
		da   string
		keys Keys
		ok   bool
	}{
		{"", Keys{Calldata: seqKey}, true},
		{"", Keys{Blob: blobKey}, false},
		{"", Keys{Calldata: seqKey, Blob: blobKey}, false},
		{protocol.DABlob, Keys{Blob: blobKey}, true},
		{protocol.DABlob, Keys{Calldata: seqKey}, false},
		{protocol.DABlob, Keys{Calldata: seqKey, Blob: blobKey}, false},
		{protocol.DAAuto, Keys{Calldata: seqKey, Blob: blobKey}, true},
		{protocol.DAAuto, Keys{Calldata: seqKey}, false},
		{protocol.DAAuto, Keys{Blob: blobKey}, false},
		{protocol.DAAuto, Keys{Calldata: blobKey, Blob: blobKey}, false}, // one address
	} {
		if err := c.keys.Check(c.da); (err == nil) != c.ok {
			t.Errorf("%q with calldata key %v, blob key %v: %v, want ok %v", c.da, c.keys.Calldata != nil, c.keys.Blob != nil, err, c.ok)
		}
	}
	// New takes one key: auto mode is refused there (it needs NewWithKeys).
	if _, err := New(autoTestConfig(rollupAddr), nil, struct{ Client }{}, seqKey, nil, nil); err == nil {
		t.Fatal("New accepted auto mode with one key")
	}
	// Auto mode reads the blob base fee for its blob batches.
	if _, err := NewWithKeys(autoTestConfig(rollupAddr), nil, struct{ Client }{}, Keys{Calldata: seqKey, Blob: blobKey}, nil, nil); err == nil {
		t.Fatal("auto mode accepted a client without eth_blobBaseFee")
	}
	cfg := autoTestConfig(rollupAddr)
	cfg.MaxBlobFeeCap = nil
	if cfg.Check() == nil {
		t.Fatal("auto mode accepted without a max blob fee cap")
	}
}

// A batch goes from the key of its own, concrete mode; a deployment's mode
// ("auto") is no batch's.
func TestSenderFor(t *testing.T) {
	s, err := NewWithKeys(autoTestConfig(rollupAddr), nil, l1.NewSimulatedChain(nil, l1.MainnetLikeGas).Client(),
		Keys{Calldata: seqKey, Blob: blobKey}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	seq, bl := crypto.PubkeyToAddress(seqKey.PublicKey), crypto.PubkeyToAddress(blobKey.PublicKey)
	for da, want := range map[string]*common.Address{"": &seq, protocol.DACalldata: &seq, protocol.DABlob: &bl, protocol.DAAuto: nil} {
		got := s.senderFor(testCfg.WithDA(da))
		switch {
		case want == nil && got != nil:
			t.Errorf("batch mode %q: sent from %s, want refused", da, got.addr)
		case want != nil && (got == nil || got.addr != *want):
			t.Errorf("batch mode %q: sender %v, want %s", da, got, *want)
		}
	}
	if got := s.Addresses(); len(got) != 2 || got[0] != seq || got[1] != bl {
		t.Fatalf("addresses %v", got)
	}
}

// autoDB is a migrated database with batches 1..n (as rows only) and a
// submitter in auto mode holding the lock on it, on a simulated chain
// where neither key has sent anything.
func autoDB(t *testing.T, n int) (*Submitter, *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	if _, err := db.Migrate(ctx, url, nil); err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	for i := 1; i <= n; i++ {
		if _, err := pool.Exec(ctx, `INSERT INTO batches (number, config, old_root, new_root, header, pubdata, public_input, witness, deposit_start, deposit_count, tx_count,
			status, proof, proven_at, submitted_at, finalized_at)
			VALUES ($1, '{}', decode(repeat('00', 32), 'hex'), decode(repeat('11', 32), 'hex'), '\x01', '\x', decode(repeat('22', 32), 'hex'), '\x00', 0, 0, 0,
			'proven', '\x00', now(), now(), now())`, i); err != nil {
			t.Fatal(err)
		}
	}
	sim := l1.NewSimulatedChain(nil, l1.MainnetLikeGas)
	t.Cleanup(func() { sim.Close() })
	s, err := NewWithKeys(autoTestConfig(rollupAddr), pool, sim.Client(), Keys{Calldata: seqKey, Blob: blobKey}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, pool
}

// signedRaw is a transaction of key with nonce, as the submitter stores it.
func signedRaw(t *testing.T, key *ecdsa.PrivateKey, nonce uint64) []byte {
	t.Helper()
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(big.NewInt(simChainID)), &types.DynamicFeeTx{
		ChainID: big.NewInt(simChainID), Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(10), Gas: 21000, To: &rollupAddr})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// Rows stored before migration 00018 (sender NULL) get their sender from
// their own signed transaction when the submitter takes the lock, and each
// sender's next nonce follows its own rows only.
func TestFillSenders(t *testing.T) {
	s, pool := autoDB(t, 3)
	ctx := context.Background()
	for i, row := range []struct {
		key   *ecdsa.PrivateKey
		nonce uint64
	}{{seqKey, 0}, {seqKey, 1}, {blobKey, 0}, {seqKey, 7}} {
		raw := signedRaw(t, row.key, row.nonce)
		var tx types.Transaction
		_ = tx.UnmarshalBinary(raw)
		h := tx.Hash()
		if _, err := pool.Exec(ctx, `INSERT INTO l1_submissions (batch_number, nonce, tx_hash, raw_tx, gas_fee_cap, gas_tip_cap, status)
			VALUES ($1, $2, $3, $4, 10, 1, 'replaced')`, 1+i%3, int64(row.nonce), h[:], raw); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.activate(ctx); err != nil {
		t.Fatal(err)
	}
	defer s.dropConn()
	rows, err := pool.Query(ctx, `SELECT raw_tx, sender FROM l1_submissions ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var raw, sender []byte
		if err := rows.Scan(&raw, &sender); err != nil {
			t.Fatal(err)
		}
		var tx types.Transaction
		_ = tx.UnmarshalBinary(raw)
		want, _ := types.Sender(s.signer, &tx)
		if common.BytesToAddress(sender) != want || len(sender) != 20 {
			t.Errorf("tx %s: sender %x, want %s", tx.Hash(), sender, want)
		}
	}
	if s.cdSender.nonce != 8 || s.blobSender.nonce != 1 {
		t.Fatalf("next nonces: calldata %d, blob %d; want 8 and 1 (each key's own rows)", s.cdSender.nonce, s.blobSender.nonce)
	}
}

// Auto mode's ordering rule: a batch after one from the other key waits
// for that one's receipt and for every earlier pending transaction of the
// other key; a batch after one from its own key does not (the nonce orders
// them); a later batch's pending transaction of the other key does not
// hold an earlier batch up (a reorg sent it back).
func TestMayFollow(t *testing.T) {
	s, pool := autoDB(t, 3)
	ctx := context.Background()
	if err := s.activate(ctx); err != nil {
		t.Fatal(err)
	}
	defer s.dropConn()
	seq, bl := s.cdSender, s.blobSender
	var id int
	sub := func(batch int, sd *sender, status string) {
		id++
		h := crypto.Keccak256Hash([]byte{byte(id)})
		extra, vals := "", ""
		if status == "included" || status == "finalized" {
			extra, vals = ", included_block, included_block_hash", ", 1, decode(repeat('ab', 32), 'hex')"
		}
		if _, err := pool.Exec(ctx, `INSERT INTO l1_submissions (batch_number, sender, nonce, tx_hash, raw_tx, gas_fee_cap, gas_tip_cap, status`+extra+`)
			VALUES ($1, $2, $3, $4, '\x02', 10, 1, $5`+vals+`)`, batch, sd.addr[:], id, h[:], status); err != nil {
			t.Fatal(err)
		}
	}
	batchStatus := func(n int, st string) {
		if _, err := pool.Exec(ctx, `UPDATE batches SET status = $2 WHERE number = $1`, n, st); err != nil {
			t.Fatal(err)
		}
	}
	reset := func() {
		id = 0
		if _, err := pool.Exec(ctx, `DELETE FROM l1_submissions; UPDATE batches SET status = 'proven'`); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name  string
		setup func()
		batch int
		sd    *sender
		want  bool
	}{
		{"first batch", func() {}, 1, bl, true},
		{"predecessor from the same key, not yet included", func() { sub(1, seq, "sent") }, 2, seq, true},
		{"predecessor from the other key, pending", func() { sub(1, seq, "sent") }, 2, bl, false},
		{"predecessor from the other key, mined but not recorded", func() { sub(1, seq, "replaced") }, 2, bl, false},
		{"predecessor from the other key, receipt seen", func() { sub(1, seq, "included"); batchStatus(1, "submitted") }, 2, bl, true},
		{"predecessor from the other key, finalized", func() { sub(1, seq, "finalized"); batchStatus(1, "finalized") }, 2, bl, true},
		{"an earlier batch of the other key still pending", func() {
			sub(1, seq, "sent")
			sub(2, bl, "finalized")
			batchStatus(2, "finalized")
		}, 3, bl, false},
		{"a later batch of the other key pending (after a reorg)", func() {
			sub(1, seq, "reorged")
			sub(2, bl, "sent")
		}, 1, seq, true},
	} {
		reset()
		c.setup()
		got, err := s.mayFollow(ctx, int64(c.batch), c.sd)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s: batch %d from the %s key may be sent: %v, want %v", c.name, c.batch, c.sd.name(), got, c.want)
		}
	}
	// One key (calldata or blob mode): the rule is the nonce's, always true.
	one, err := New(testConfig(), pool, s.client, seqKey, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := one.mayFollow(ctx, 2, one.cdSender); err != nil || !ok {
		t.Fatalf("one key: %v %v", ok, err)
	}
}
