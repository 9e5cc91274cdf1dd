package l1

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/blob"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// autoCfg is testCfg as an auto deployment: its twins are testCfg and blobCfg.
var autoCfg = testCfg.WithDA(protocol.DAAuto)

// blobSeqKey is an auto deployment's blob sequencer: the second sender,
// of blob batches only.
var (
	blobSeqKey  = mustKey("0x04")
	blobSeqAddr = crypto.PubkeyToAddress(blobSeqKey.PublicKey)
)

// TestAutoStub: an auto deployment reads back as auto with both verifiers,
// and takes calldata and blob batches in any order (stub verifiers: the
// proofs are TestAutoRealProofs').
func TestAutoStub(t *testing.T) {
	if m := autoCfg.Modes(); m[0] != testCfg || m[1] != blobCfg {
		t.Fatalf("twins %v, want %v and %v", m, testCfg, blobCfg)
	}
	e := newStubEnv(t, autoCfg, 1, 1)
	r := e.rollup
	if mode, err := r.UnpackDaMode(e.call(r.PackDaMode())); err != nil || mode != daModeAuto {
		t.Fatalf("daMode() = %v, %v", mode, err)
	}
	st, err := NewReader(e.client, e.dep.Rollup, e.dep.Block, DefaultFinality).Settings(context.Background())
	switch {
	case err != nil:
		t.Fatal(err)
	case st.Circuit != autoCfg:
		t.Fatalf("reader: circuit %v, want %v", st.Circuit, autoCfg)
	case st.Verifier != e.dep.Verifier || st.BlobVerifier != e.dep.BlobVerifier || st.BlobVerifier == st.Verifier:
		t.Fatalf("reader: verifier %v, blob verifier %v; deployed %v and %v", st.Verifier, st.BlobVerifier, e.dep.Verifier, e.dep.BlobVerifier)
	}
	// The deployment file checks out against the contract, and names the
	// blob verifier it must.
	f := NewDeploymentFile(e.dep, DeployConfig{Circuit: autoCfg, Sequencer: crypto.PubkeyToAddress(seqKey.PublicKey), BlobSequencer: blobSeqAddr,
		FeeKey: e.feeKey.Public(), ChangeDelay: 1})
	if err := f.Check(); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckDeployment(context.Background(), e.client, f); err != nil {
		t.Fatalf("CheckDeployment: %v", err)
	}
	f.BlobVerifier = e.dep.ExitVerifier
	if _, err := CheckDeployment(context.Background(), e.client, f); !errors.Is(err, ErrMismatch) {
		t.Fatalf("CheckDeployment with another blob verifier: %v, want ErrMismatch", err)
	}
	// The stub batches are built in the blob twin's layout (the calldata
	// one has the same sections).
	e.cfg = blobCfg
	for i, blobBatch := range []bool{false, true, true, false, true} {
		n := uint64(i + 1)
		b := e.nextBlobBatch(2)
		var rc *types.Receipt
		if blobBatch {
			s, _ := e.honest(b)
			rc, err = e.sendBlob(e.packBlobBatch(b, s), s.blob)
		} else {
			c := b.counts
			c.Transfers = 2
			compact := protocol.CompactPubdata(testCfg, b.pubdata, c)
			rc, err = e.send(seqKey, r.PackSubmitBatch(n, b.header.OldRoot.Bytes(), b.header.NewRoot.Bytes(), uint16(c.Deposits), 0,
				uint16(c.Transfers), uint16(c.Withdrawals), compact, depositorsOf(c.Deposits), make([]byte, 256)), nil)
		}
		if err != nil {
			t.Fatalf("batch %d (blob %v): %v (%s)", n, blobBatch, err, revertName(err))
		}
		if ev := e.submitted(rc); ev.Number != n || (rc.BlobGasUsed > 0) != blobBatch {
			t.Fatalf("batch %d (blob %v): event %+v, blob gas %d", n, blobBatch, ev, rc.BlobGasUsed)
		}
	}
}

// blobFixture is fixture for blobCfg: the blob twin's circuit, cached keys
// and 3-input verifier.
var (
	bfxOnce sync.Once
	bfx     *fixture
	bfxErr  error
)

func getBlobFixture(t *testing.T) *fixture {
	t.Helper()
	if testing.Short() {
		t.Skip("compiles the blob circuit and proves batches: skipped in -short")
	}
	bfxOnce.Do(func() {
		f := &fixture{}
		if f.ccs, bfxErr = circuits.Compile(blobCfg); bfxErr != nil {
			return
		}
		if f.set, bfxErr = keys.Cached(context.Background(), blobCfg, f.ccs, keys.SetupOptions{}); bfxErr != nil {
			return
		}
		f.verifier, bfxErr = CompileVerifier(context.Background(), f.set.VK)
		bfx = f
	})
	if bfxErr != nil {
		t.Fatal(bfxErr)
	}
	return bfx
}

// proveBlob proves a blob-twin batch whose blob has versioned hash vh.
func proveBlob(t *testing.T, ccs constraint.ConstraintSystem, pk groth16.ProvingKey, b *protocol.Batch, vh [32]byte) []byte {
	t.Helper()
	c, err := circuits.AssignBlob(b, vh)
	if err != nil {
		t.Fatal(err)
	}
	wit, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	p, err := groth16.Prove(ccs, pk, wit, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		t.Fatal(err)
	}
	return p.(interface{ MarshalSolidity() []byte }).MarshalSolidity()
}

// inMode is st's accounts and queue head in configuration cfg: the state
// an auto deployment's sequencer seals its next batch from, in the mode it
// chose (the tree does not depend on the mode).
func inMode(t *testing.T, st *protocol.State, cfg protocol.Config) *protocol.State {
	t.Helper()
	var accs []protocol.Account
	for i := 1; i <= st.NumAccounts(); i++ {
		a, _ := st.Account(uint32(i))
		accs = append(accs, a)
	}
	out, err := protocol.LoadState(cfg, st.ChainID(), st.Contract(), accs, st.NextDeposit(), st.BatchNumber())
	if err != nil {
		t.Fatal(err)
	}
	if out.Root() != st.Root() {
		t.Fatal("reloaded state has another root")
	}
	return out
}

// TestAutoRealProofs: an auto deployment verifies each batch with the
// verifier of its own twin, with real proofs of both circuits: a calldata
// batch, a blob batch and a calldata batch are accepted; a blob batch
// carrying the calldata circuit's proof of the same batch is refused, and
// so is a calldata batch carrying the blob circuit's.
func TestAutoRealProofs(t *testing.T) {
	cf, bf := getFixture(t), getBlobFixture(t)
	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	alloc := types.GenesisAlloc{}
	for _, k := range []*ecdsa.PrivateKey{ownerKey, seqKey, userKey, blobSeqKey} {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), eth)}
	}
	sim := NewSimulatedChain(alloc, MainnetLikeGas)
	t.Cleanup(func() { sim.Close() })
	e := &env{t: t, sim: sim, client: sim.Client(), rollup: bindings.NewRollup()}
	w0, err := protocoltest.NewWorld(testCfg, genesisKeys, genesisBalance)
	if err != nil {
		t.Fatal(err)
	}
	r0 := w0.State.Root()
	root := r0.Bytes()
	e.dep = deployMining(t, sim, e.client, DeployConfig{Circuit: autoCfg, VerifierBytecode: cf.verifier, BlobVerifierBytecode: bf.verifier,
		ExitVerifierBytecode: RefuseAllVerifier, GenesisRoot: &root, GenesisNextIndex: uint32(w0.State.NumAccounts() + 1),
		FeeKey: w0.Keys[0].Public(), Sequencer: crypto.PubkeyToAddress(seqKey.PublicKey), BlobSequencer: blobSeqAddr})
	e.c = e.rollup.Instance(e.client, e.dep.Rollup)
	// Blob batches from the blob sequencer, as an auto submitter sends them.
	se := &stubEnv{env: e, cfg: blobCfg, blobKey: blobSeqKey}
	// The world again, now that the contract's address (in every header) is known.
	var accs []protocol.Account
	for i := 1; i <= w0.State.NumAccounts(); i++ {
		a, _ := w0.State.Account(uint32(i))
		accs = append(accs, a)
	}
	st, err := protocol.LoadState(testCfg, simChainID, e.dep.Rollup, accs, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	w := &protocoltest.World{State: st, Keys: w0.Keys}

	// apply seals in into a batch of configuration cfg.
	apply := func(cfg protocol.Config, in protocol.BatchInput) *protocol.Batch {
		w.State = inMode(t, w.State, cfg)
		b, err := w.State.ApplyBatch(in)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	submitCalldata := func(b *protocol.Batch, proof []byte) (*types.Receipt, error) {
		c := b.Counts()
		return se.send(seqKey, e.rollup.PackSubmitBatch(b.Header.Number, b.Header.OldRoot.Bytes(), b.Header.NewRoot.Bytes(),
			uint16(c.Deposits), uint16(c.ForcedExits), uint16(c.Transfers), uint16(c.Withdrawals),
			protocol.CompactPubdata(testCfg, b.Pubdata, c), depositorsOf(c.Deposits), proof), nil)
	}
	// blobParts is what submitBlobBatch carries for a blob-twin batch.
	blobParts := func(b *protocol.Batch) (*blobBatch, *blobSubmission) {
		c := b.Counts()
		c.Transfers = 0 // in the blob
		bb := &blobBatch{cfg: blobCfg, header: b.Header, pubdata: b.Pubdata, counts: c, compact: protocol.CompactPubdata(blobCfg, b.Pubdata, c)}
		bl, _, err := blob.Pack(bb.section())
		if err != nil {
			t.Fatal(err)
		}
		bb.blob = bl[0]
		s, _ := se.honest(bb)
		return bb, s
	}
	submitBlob := func(bb *blobBatch, s *blobSubmission, proof []byte) (*types.Receipt, error) {
		return se.sendBlob(packBlobCall(e.rollup, bb, s, proof), s.blob)
	}
	accepted := func(rc *types.Receipt, err error, n uint64, want [32]byte) {
		t.Helper()
		if err != nil {
			t.Fatalf("batch %d: %v (%s)", n, err, revertName(err))
		}
		if ev := se.submitted(rc); ev.Number != n || se.root() != want {
			t.Fatalf("batch %d: event %+v, root %x; want root %x", n, ev, se.root(), want)
		}
	}

	// Batch 1, calldata: the standard scenario.
	in1 := standardInput(w)
	if _, err := e.deposit(in1.Deposits[0].PubKey, depositAmount); err != nil {
		t.Fatal(err)
	}
	b1 := apply(testCfg, in1)
	rc, err := submitCalldata(b1, cf.prove(t, b1))
	accepted(rc, err, 1, b1.Header.NewRoot.Bytes())

	// Batch 2, blob: proven by both circuits (the same input sealed in each
	// twin); each proof is refused on the other path.
	in2 := protocol.BatchInput{FeeAccount: 1}
	in2.Transfers = append(in2.Transfers, w.Transfer(2, 4, 300, 5, 0), w.Transfer(4, 3, 100, 1, 0))
	in2.Withdrawals = append(in2.Withdrawals, w.Withdrawal(3, userAddr, withdrawAmount, 2, 0))
	before := w.State
	c2 := apply(testCfg, in2)
	pc2 := cf.prove(t, c2)
	w.State = before
	b2 := apply(blobCfg, in2)
	if b2.Header.NewRoot != c2.Header.NewRoot {
		t.Fatal("the twins disagree on the new root")
	}
	bb2, s2 := blobParts(b2)
	pb2 := proveBlob(t, bf.ccs, bf.set.PK, b2, blobVersionedHash(t, &bb2.blob))
	_, err = submitBlob(bb2, s2, pc2)
	expectRevert(t, err, "ProofInvalid")
	_, err = submitCalldata(c2, pb2)
	expectRevert(t, err, "ProofInvalid")
	if se.root() != b1.Header.NewRoot.Bytes() {
		t.Fatal("a refused batch moved the root")
	}
	rc, err = submitBlob(bb2, s2, pb2)
	accepted(rc, err, 2, b2.Header.NewRoot.Bytes())
	if rc.BlobGasUsed == 0 {
		t.Fatal("batch 2 carried no blob")
	}

	// Batch 3, calldata again.
	in3 := protocol.BatchInput{FeeAccount: 1}
	in3.Transfers = append(in3.Transfers, w.Transfer(4, 3, 50, 1, 0))
	b3 := apply(testCfg, in3)
	rc, err = submitCalldata(b3, cf.prove(t, b3))
	accepted(rc, err, 3, b3.Header.NewRoot.Bytes())
	if got, err := e.rollup.UnpackPendingWithdrawals(se.call(e.rollup.PackPendingWithdrawals(userAddr))); err != nil || got.Cmp(big.NewInt(2*withdrawAmount)) != 0 {
		t.Fatalf("pending withdrawals %v (%v), want %d", got, err, 2*withdrawAmount)
	}
}

// TestAutoDeployRefusals: Deploy wants the blob twin's verifier for auto
// and only for auto.
func TestAutoDeployRefusals(t *testing.T) {
	fee := protocoltest.Keys(21, 1)[0].Public()
	for name, dc := range map[string]DeployConfig{
		"auto without a blob verifier":     {Circuit: autoCfg, VerifierBytecode: acceptAll, BlobSequencer: common.Address{2}},
		"calldata with a blob verifier":    {Circuit: testCfg, VerifierBytecode: acceptAll, BlobVerifierBytecode: acceptAll},
		"blob with a blob verifier":        {Circuit: blobCfg, VerifierBytecode: acceptAll, BlobVerifierBytecode: acceptAll},
		"auto without a blob sequencer":    {Circuit: autoCfg, VerifierBytecode: acceptAll, BlobVerifierBytecode: acceptAll},
		"auto, blob sequencer = sequencer": {Circuit: autoCfg, VerifierBytecode: acceptAll, BlobVerifierBytecode: acceptAll, BlobSequencer: common.Address{1}},
		"calldata with a blob sequencer":   {Circuit: testCfg, VerifierBytecode: acceptAll, BlobSequencer: common.Address{2}},
		"blob mode with a blob sequencer":  {Circuit: blobCfg, VerifierBytecode: acceptAll, BlobSequencer: common.Address{2}},
	} {
		dc.ExitVerifierBytecode, dc.FeeKey, dc.Sequencer = RefuseAllVerifier, fee, common.Address{1}
		// The configuration is refused before any transaction: no backend needed.
		if _, err := Deploy(context.Background(), nil, ownerKey, dc); err == nil {
			t.Errorf("%s: deployed", name)
		}
	}
}

// TestAutoSenders: an auto deployment takes blob batches from the
// sequencer or the blob sequencer and calldata batches from the sequencer
// only; anyone else is refused; the owner may move the blob sequencer, never
// onto the sequencer or zero, and only in auto mode.
func TestAutoSenders(t *testing.T) {
	e := newStubEnv(t, autoCfg, 1, 1)
	r := e.rollup
	e.cfg = blobCfg // the stub batches' layout (the calldata twin has the same sections)
	if got, err := NewReader(e.client, e.dep.Rollup, e.dep.Block, DefaultFinality).BlobSequencer(context.Background()); err != nil || got != blobSeqAddr {
		t.Fatalf("reader: blob sequencer %v (%v), want %v", got, err, blobSeqAddr)
	}
	// Each step builds the next batch once (building queues a deposit it
	// consumes), offers it from the refused senders, then from the one
	// that must be accepted.
	calldata := func() func(*ecdsa.PrivateKey) (*types.Receipt, error) {
		b := e.nextBlobBatch(2)
		c := b.counts
		c.Transfers = 2
		data := r.PackSubmitBatch(b.header.Number, b.header.OldRoot.Bytes(), b.header.NewRoot.Bytes(), uint16(c.Deposits), 0,
			uint16(c.Transfers), uint16(c.Withdrawals), protocol.CompactPubdata(testCfg, b.pubdata, c), depositorsOf(c.Deposits), make([]byte, 256))
		return func(key *ecdsa.PrivateKey) (*types.Receipt, error) { return e.send(key, data, nil) }
	}
	blob := func() func(*ecdsa.PrivateKey) (*types.Receipt, error) {
		b := e.nextBlobBatch(2)
		s, _ := e.honest(b)
		return func(key *ecdsa.PrivateKey) (*types.Receipt, error) {
			e.blobKey = key
			return e.sendBlob(e.packBlobBatch(b, s), s.blob)
		}
	}
	for i, tc := range []struct {
		name    string
		build   func() func(*ecdsa.PrivateKey) (*types.Receipt, error)
		refused []*ecdsa.PrivateKey // each must revert NotSequencer
		from    *ecdsa.PrivateKey
	}{
		{"blob batch", blob, []*ecdsa.PrivateKey{userKey}, blobSeqKey},
		{"calldata batch", calldata, []*ecdsa.PrivateKey{blobSeqKey, userKey}, seqKey},
		{"blob batch from the sequencer", blob, nil, seqKey},
		{"blob batch again", blob, []*ecdsa.PrivateKey{userKey}, blobSeqKey},
	} {
		send := tc.build()
		for _, k := range tc.refused {
			if _, err := send(k); revertName(err) != "NotSequencer" {
				t.Fatalf("%s from %s: %v (%s), want NotSequencer", tc.name, crypto.PubkeyToAddress(k.PublicKey), err, revertName(err))
			}
		}
		rc, err := send(tc.from)
		if err != nil {
			t.Fatalf("%s: %v (%s)", tc.name, err, revertName(err))
		}
		if ev := e.submitted(rc); ev.Number != uint64(i+1) {
			t.Fatalf("%s: event %+v, want batch %d", tc.name, ev, i+1)
		}
		// Batches 3 and 4 have the same shape: the difference is the
		// blob sequencer's extra (docs/contracts.md, "Auto mode").
		t.Logf("batch %d, %s from %s: gas %d", i+1, tc.name, crypto.PubkeyToAddress(tc.from.PublicKey), rc.GasUsed)
	}

	// The owner's setter, with setSequencer's rules and one more: the two
	// senders stay distinct.
	other := crypto.PubkeyToAddress(mustKey("0x05").PublicKey)
	for _, tc := range []struct {
		name string
		key  *ecdsa.PrivateKey
		data []byte
		want string
	}{
		{"not the owner", blobSeqKey, r.PackSetBlobSequencerAddress(other), "NotOwner"},
		{"zero", ownerKey, r.PackSetBlobSequencerAddress(common.Address{}), "BadConfig"},
		{"the sequencer", ownerKey, r.PackSetBlobSequencerAddress(crypto.PubkeyToAddress(seqKey.PublicKey)), "BadConfig"},
		{"sequencer := blob sequencer", ownerKey, r.PackSetSequencer(blobSeqAddr), "BadConfig"},
	} {
		if _, err := e.send(tc.key, tc.data, nil); revertName(err) != tc.want {
			t.Errorf("setter, %s: %v (%s), want %s", tc.name, err, revertName(err), tc.want)
		}
	}
	rc := e.mustSend(ownerKey, r.PackSetBlobSequencerAddress(userAddr), nil)
	if len(rc.Logs) != 1 {
		t.Fatalf("setBlobSequencer: %d logs", len(rc.Logs))
	}
	if ev, err := r.UnpackBlobSequencerChangedEvent(rc.Logs[0]); err != nil || ev.Previous != blobSeqAddr || ev.Current != userAddr {
		t.Fatalf("BlobSequencerChanged %+v (%v)", ev, err)
	}
	send := blob()
	if _, err := send(blobSeqKey); revertName(err) != "NotSequencer" {
		t.Fatalf("blob batch from the former blob sequencer: %v (%s)", err, revertName(err))
	}
	if _, err := send(userKey); err != nil {
		t.Fatalf("blob batch from the new blob sequencer: %v (%s)", err, revertName(err))
	}

	// Outside auto mode there is no blob sequencer to set, and a blob
	// batch comes from the sequencer only.
	for _, cfg := range []protocol.Config{testCfg, blobCfg} {
		o := newStubEnv(t, cfg, 1, 1)
		if _, err := o.send(ownerKey, r.PackSetBlobSequencerAddress(blobSeqAddr), nil); revertName(err) != "BadConfig" {
			t.Errorf("%s: setBlobSequencer: %v (%s), want BadConfig", cfg.DA, err, revertName(err))
		}
		if got := o.call(r.PackBlobSequencerAddress()); common.BytesToAddress(got) != (common.Address{}) {
			t.Errorf("%s: blob sequencer %x, want zero", cfg.DA, got)
		}
	}
	o := newStubEnv(t, blobCfg, 1, 1)
	o.blobKey = blobSeqKey
	b := o.nextBlobBatch(2)
	s, _ := o.honest(b)
	if _, err := o.sendBlob(o.packBlobBatch(b, s), s.blob); revertName(err) != "NotSequencer" {
		t.Fatalf("blob mode, blob batch from another address: %v (%s)", err, revertName(err))
	}
}
