package bench

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/blob"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// L1Config sizes an L1 gas run: one circuit configuration per entry of
// Transfers, each with Deposits and Withdrawals slots.
type L1Config struct {
	Depth       int
	Transfers   []int // batch sizes (transfer slots, all used)
	Deposits    int   // deposit slots per batch, all used (default 0)
	Withdrawals int   // withdrawal slots per batch, all used (default 0)
	// DA is the data-availability mode: "" or protocol.DACalldata
	// (submitBatch, transfers in calldata) or protocol.DABlob
	// (submitBlobBatch, transfers in a blob transaction's blob).
	DA string
}

// L1Point is one measured batch.
type L1Point struct {
	Config      protocol.Config `json:"config"`
	Transfers   int             `json:"transfers"`
	Constraints int             `json:"constraints"`
	KeysSeconds float64         `json:"keys_seconds"` // compile + keys (setup the first time on a machine)
	ProveSecs   float64         `json:"prove_seconds"`

	GasPerBatch    uint64  `json:"gas_per_batch"` // submitBatch receipt gasUsed (intrinsic gas included)
	GasPerTransfer float64 `json:"gas_per_transfer"`

	CalldataBytes            int     `json:"calldata_bytes"` // the whole transaction's data
	CalldataZeroBytes        int     `json:"calldata_zero_bytes"`
	CalldataBytesPerTransfer float64 `json:"calldata_bytes_per_transfer"`
	PubdataBytes             int     `json:"pubdata_bytes"` // compact pubdata argument
	ProofBytes               int     `json:"proof_bytes"`

	// EIP-7623: tokens = zero bytes + 4·nonzero bytes; the transaction pays
	// at least 21000 + 10·tokens.
	CalldataTokens uint64 `json:"calldata_tokens"`
	FloorGas       uint64 `json:"floor_gas"`
	FloorApplies   bool   `json:"floor_applies"`
	// StandardCalldataGas is what the data costs outside the floor (4 per
	// zero byte, 16 per nonzero byte).
	StandardCalldataGas uint64 `json:"standard_calldata_gas"`
	// ExecutionGas is gasUsed less the intrinsic 21000 and the standard
	// calldata gas (when the floor does not apply).
	ExecutionGas uint64 `json:"execution_gas"`

	// Blob mode: the receipt's blob gas (131072 per blob) and blob count.
	BlobGasUsed uint64 `json:"blob_gas_used,omitempty"`
	Blobs       int    `json:"blobs,omitempty"`
	// VerifierExecutionGas is gnark's verifyProof alone, sent as its own
	// transaction with the public inputs the rollup passed (gasUsed less
	// 21000 and its calldata): the part of ExecutionGas the verifier takes,
	// but for the rollup's cold call to it (2600) and the call's encoding.
	VerifierExecutionGas uint64 `json:"verifier_execution_gas,omitempty"`
}

// L1Prediction extrapolates the fit to a batch size that was not proven.
type L1Prediction struct {
	Transfers      int     `json:"transfers"`
	GasPerBatch    float64 `json:"gas_per_batch"`    // max(fitted gas, fitted EIP-7623 floor)
	GasPerTransfer float64 `json:"gas_per_transfer"` // the same divided by transfers
	FittedGas      float64 `json:"fitted_gas"`       // fixed + per_transfer·n
	FloorGas       float64 `json:"floor_gas"`        // 21000 + 10·(fitted tokens)
	FloorApplies   bool    `json:"floor_applies"`
	// Blob mode: the blobs a batch of this size posts and their cost in
	// gas units at the EIP-7918 reserve price (in GasPerBatch).
	Blobs      int     `json:"blobs,omitempty"`
	BlobAsGas  float64 `json:"blob_as_gas,omitempty"`
	GasWithout float64 `json:"gas_per_batch_without_blob,omitempty"`
}

// L1Result is what `sheaf bench l1` prints.
type L1Result struct {
	DA          string    `json:"da"` // "calldata" or "blob"
	Depth       int       `json:"depth"`
	Deposits    int       `json:"deposits"`
	Withdrawals int       `json:"withdrawals"`
	ChainID     uint64    `json:"chain_id"`
	Points      []L1Point `json:"points"`

	// Least-squares fit of gasUsed = fixed + per_transfer·n over the points.
	FixedGas       float64 `json:"fixed_gas"`
	PerTransferGas float64 `json:"per_transfer_gas"`
	// Largest relative gap between a point and the fit.
	MaxFitErrorPct float64 `json:"max_fit_error_pct"`
	// The same fit of EIP-7623 tokens (for the floor at larger sizes).
	FixedTokens       float64 `json:"fixed_calldata_tokens"`
	PerTransferTokens float64 `json:"per_transfer_calldata_tokens"`
	// The same fit of the transaction's data size (ABI pads bytes
	// arguments to 32-byte words, so small sizes are steps).
	FixedCalldataBytes       float64 `json:"fixed_calldata_bytes"`
	PerTransferCalldataBytes float64 `json:"per_transfer_calldata_bytes"`
	// The same fit of the execution gas (gasUsed − 21000 − standard
	// calldata gas): in blob mode the contract never reads a transfer, so
	// its per-transfer part is 0 up to the proof's zero bytes.
	FixedExecutionGas       float64 `json:"fixed_execution_gas"`
	PerTransferExecutionGas float64 `json:"per_transfer_execution_gas"`

	// Blob mode. The blob's cost in gas units: its blob gas (GAS_PER_BLOB =
	// 2^17 per blob) times the blob base fee over the base fee, the blob base
	// fee taken at EIP-7918's reserve price, BLOB_BASE_COST (2^13) ·
	// base_fee / GAS_PER_BLOB, its lowest value since Osaka: 2^13 = 8192 gas
	// per blob. Predictions add it to the transaction's gas.
	BlobGasPerBlob      uint64  `json:"blob_gas_per_blob,omitempty"`
	BlobBaseFeeRule     string  `json:"blob_base_fee,omitempty"`
	BlobBaseFeeOverBase float64 `json:"blob_base_fee_over_base_fee,omitempty"`
	BlobAsGasPerBlob    float64 `json:"blob_as_gas_per_blob,omitempty"`
	// Blob mode's predictions use the fitted execution and the mean of the
	// measured calldata gas: the transaction's data holds no transfer (its
	// size is the same at every n, its gas moves only with the proof's zero
	// bytes), so a free fit of the total would extrapolate that noise.
	MeanCalldataGas    float64 `json:"mean_standard_calldata_gas,omitempty"`
	MeanCalldataTokens float64 `json:"mean_calldata_tokens,omitempty"`

	PredictedGasPerTransfer256  float64        `json:"predicted_gas_per_transfer_256"`
	PredictedGasPerTransfer1024 float64        `json:"predicted_gas_per_transfer_1024"`
	Predictions                 []L1Prediction `json:"predictions"`
}

// Mainnet-like transaction gas constants (EIP-2028, EIP-7623).
const (
	txGas            = 21000
	floorPerToken    = 10
	zeroByteGas      = 4
	nonZeroByteGas   = 16
	nonZeroByteToken = 4

	// EIP-4844 / EIP-7918.
	gasPerBlob   = 1 << 17 // blob gas per blob
	blobBaseCost = 1 << 13 // BLOB_BASE_COST: reserve blob base fee = blobBaseCost·base_fee/gasPerBlob
)

// Fixed L1 keys: deployer (owner), sequencer, depositor.
var (
	l1OwnerKey = mustBenchKey(1)
	l1SeqKey   = mustBenchKey(2)
	l1UserKey  = mustBenchKey(3)
)

func mustBenchKey(b byte) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(common.LeftPadBytes([]byte{b}, 32))
	if err != nil {
		panic(err)
	}
	return k
}

// L1 measures submitBatch's gas on go-ethereum's simulated chain with
// mainnet-like gas rules, for real proven batches of each size, and fits
// gas = fixed + per_transfer·n.
func L1(ctx context.Context, cfg L1Config, log *slog.Logger) (*L1Result, error) {
	if len(cfg.Transfers) == 0 {
		return nil, errors.New("bench l1: no batch sizes")
	}
	da := cfg.DA
	if da == "" {
		da = protocol.DACalldata
	}
	if da != protocol.DACalldata && da != protocol.DABlob {
		return nil, fmt.Errorf("bench l1: data-availability mode %q is not %q or %q", cfg.DA, protocol.DACalldata, protocol.DABlob)
	}
	res := &L1Result{DA: da, Depth: cfg.Depth, Deposits: cfg.Deposits, Withdrawals: cfg.Withdrawals}
	if da == protocol.DABlob {
		res.BlobGasPerBlob = gasPerBlob
		res.BlobBaseFeeOverBase = float64(blobBaseCost) / float64(gasPerBlob)
		res.BlobBaseFeeRule = "EIP-7918 reserve price: blob_base_fee = BLOB_BASE_COST (2^13) * base_fee / GAS_PER_BLOB (2^17)"
		res.BlobAsGasPerBlob = float64(gasPerBlob) * res.BlobBaseFeeOverBase
	}
	for _, n := range cfg.Transfers {
		if n < 1 {
			return nil, fmt.Errorf("bench l1: batch size %d: need at least one transfer", n)
		}
		pcfg := protocol.Config{Depth: cfg.Depth, Deposits: cfg.Deposits, Transfers: n, Withdrawals: cfg.Withdrawals}
		if da == protocol.DABlob {
			pcfg.DA = protocol.DABlob
		}
		p, chainID, err := l1Point(ctx, pcfg, log)
		if err != nil {
			return nil, fmt.Errorf("bench l1: %d transfers: %w", n, err)
		}
		res.ChainID = chainID
		res.Points = append(res.Points, *p)
		log.Info("l1 point", "da", da, "transfers", n, "gas", p.GasPerBatch, "gas_per_transfer", p.GasPerTransfer,
			"calldata_bytes", p.CalldataBytes, "floor_applies", p.FloorApplies, "blob_gas", p.BlobGasUsed)
	}
	xs := make([]float64, len(res.Points))
	gas := make([]float64, len(res.Points))
	tok := make([]float64, len(res.Points))
	size := make([]float64, len(res.Points))
	exec := make([]float64, len(res.Points))
	for i, p := range res.Points {
		xs[i], gas[i], tok[i], size[i] = float64(p.Transfers), float64(p.GasPerBatch), float64(p.CalldataTokens), float64(p.CalldataBytes)
		exec[i] = float64(p.ExecutionGas)
		res.MeanCalldataGas += float64(p.StandardCalldataGas) / float64(len(res.Points))
		res.MeanCalldataTokens += float64(p.CalldataTokens) / float64(len(res.Points))
	}
	if da != protocol.DABlob {
		res.MeanCalldataGas, res.MeanCalldataTokens = 0, 0
	}
	res.FixedGas, res.PerTransferGas = fitLine(xs, gas)
	res.FixedExecutionGas, res.PerTransferExecutionGas = fitLine(xs, exec)
	res.FixedTokens, res.PerTransferTokens = fitLine(xs, tok)
	res.FixedCalldataBytes, res.PerTransferCalldataBytes = fitLine(xs, size)
	for i := range xs {
		fit := res.FixedGas + res.PerTransferGas*xs[i]
		res.MaxFitErrorPct = math.Max(res.MaxFitErrorPct, 100*math.Abs(fit-gas[i])/gas[i])
	}
	for _, n := range []int{256, 1024} {
		res.Predictions = append(res.Predictions, res.predict(n))
	}
	res.PredictedGasPerTransfer256 = res.Predictions[0].GasPerTransfer
	res.PredictedGasPerTransfer1024 = res.Predictions[1].GasPerTransfer
	return res, nil
}

// L1Comparison is `sheaf bench l1 --da blob`: blob mode and, measured in
// the same run at the same sizes, calldata mode.
type L1Comparison struct {
	Blob     *L1Result `json:"blob"`
	Calldata *L1Result `json:"calldata,omitempty"`
	// The headline figures side by side (each mode's own field).
	PredictedGasPerTransfer1024         float64 `json:"predicted_gas_per_transfer_1024"` // blob mode, blob at the reserve price
	CalldataPredictedGasPerTransfer1024 float64 `json:"calldata_predicted_gas_per_transfer_1024,omitempty"`
}

// L1Compare runs L1 in blob mode and, with calldata, in calldata mode.
func L1Compare(ctx context.Context, cfg L1Config, calldata bool, log *slog.Logger) (*L1Comparison, error) {
	cfg.DA = protocol.DABlob
	b, err := L1(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	out := &L1Comparison{Blob: b, PredictedGasPerTransfer1024: b.PredictedGasPerTransfer1024}
	if calldata {
		cfg.DA = protocol.DACalldata
		if out.Calldata, err = L1(ctx, cfg, log); err != nil {
			return nil, err
		}
		out.CalldataPredictedGasPerTransfer1024 = out.Calldata.PredictedGasPerTransfer1024
	}
	return out, nil
}

// predict extrapolates both fits; the transaction pays the larger. In
// blob mode the transaction's gas is the fitted execution plus the mean
// calldata (which holds no transfer), and the blobs are added at the
// reserve price.
func (r *L1Result) predict(n int) L1Prediction {
	x := float64(n)
	p := L1Prediction{Transfers: n, FittedGas: r.FixedGas + r.PerTransferGas*x,
		FloorGas: txGas + floorPerToken*(r.FixedTokens+r.PerTransferTokens*x)}
	if r.DA == protocol.DABlob {
		p.FittedGas = txGas + r.MeanCalldataGas + r.FixedExecutionGas + r.PerTransferExecutionGas*x
		p.FloorGas = txGas + floorPerToken*r.MeanCalldataTokens
	}
	p.GasPerBatch = p.FittedGas
	if p.FloorGas > p.FittedGas {
		p.GasPerBatch, p.FloorApplies = p.FloorGas, true
	}
	if r.DA == protocol.DABlob {
		c := protocol.Config{Depth: r.Depth, Deposits: r.Deposits, Transfers: n, Withdrawals: r.Withdrawals, DA: protocol.DABlob}
		p.Blobs = (c.BlobChunks() + blob.ElementsPerBlob - 1) / blob.ElementsPerBlob
		p.BlobAsGas = float64(p.Blobs) * r.BlobAsGasPerBlob
		p.GasWithout = p.GasPerBatch
		p.GasPerBatch += p.BlobAsGas
	}
	p.GasPerTransfer = p.GasPerBatch / x
	return p
}

// fitLine is the least-squares line y = a + b·x (a single point: b = 0).
func fitLine(xs, ys []float64) (a, b float64) {
	n := float64(len(xs))
	var sx, sy, sxx, sxy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
		sxx += xs[i] * xs[i]
		sxy += xs[i] * ys[i]
	}
	den := n*sxx - sx*sx
	if den == 0 {
		return sy / n, 0
	}
	b = (n*sxy - sx*sy) / den
	return (sy - b*sx) / n, b
}

// l1Point proves one full batch of cfg and submits it to a fresh
// simulated chain.
func l1Point(ctx context.Context, cfg protocol.Config, log *slog.Logger) (*L1Point, uint64, error) {
	if err := cfg.Check(); err != nil {
		return nil, 0, err
	}
	pt := &L1Point{Config: cfg, Transfers: cfg.Transfers}
	t0 := time.Now()
	ccs, err := circuits.Compile(cfg)
	if err != nil {
		return nil, 0, err
	}
	pt.Constraints = ccs.GetNbConstraints()
	log.Info("l1: keys", "config", cfg.String(), "constraints", pt.Constraints)
	set, err := keys.Cached(ctx, cfg, ccs, keys.SetupOptions{Log: log})
	if err != nil {
		return nil, 0, err
	}
	verifier, err := l1.CompileVerifier(ctx, set.VK)
	if err != nil {
		return nil, 0, err
	}
	pt.KeysSeconds = time.Since(t0).Seconds()

	// A fresh chain with mainnet-like gas.
	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	alloc := types.GenesisAlloc{}
	for _, k := range []*ecdsa.PrivateKey{l1OwnerKey, l1SeqKey, l1UserKey} {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1_000_000), eth)}
	}
	sim := l1.NewSimulatedChain(alloc, l1.MainnetLikeGas)
	defer sim.Close() //nolint:errcheck
	client := sim.Client()
	chainIDBig, err := client.ChainID(ctx)
	if err != nil {
		return nil, 0, err
	}
	chainID := chainIDBig.Uint64()

	// The L2 state: the rollup's address is the owner's third creation
	// (after the verifier and the exit verifier), so the state can be bound to it before
	// deploying with its root as genesis.
	owner := crypto.PubkeyToAddress(l1OwnerKey.PublicKey)
	rollupAddr := crypto.CreateAddress(owner, 2)
	world, err := l1World(cfg, chainID, rollupAddr)
	if err != nil {
		return nil, 0, err
	}
	root := world.State.Root()
	rootBytes := root.Bytes()

	dep, err := deployMining(ctx, sim, client, l1.DeployConfig{
		Circuit:          cfg,
		VerifierBytecode: verifier, ExitVerifierBytecode: l1.RefuseAllVerifier,
		GenesisRoot:      &rootBytes,
		GenesisNextIndex: uint32(world.State.NumAccounts() + 1),
		FeeKey:           world.Keys[0].Public(), // account 1 of the world
		Sequencer:        crypto.PubkeyToAddress(l1SeqKey.PublicKey),
	})
	if err != nil {
		return nil, 0, err
	}
	if dep.Rollup != rollupAddr {
		return nil, 0, fmt.Errorf("rollup deployed at %s, expected %s", dep.Rollup, rollupAddr)
	}
	rollup := bindings.NewRollup()
	c := rollup.Instance(client, dep.Rollup)

	// The batch: deposits queued on L1 first, then every slot used.
	in := protocol.BatchInput{FeeAccount: 1}
	fresh := protocoltest.Keys(2, cfg.Deposits)
	for i := 0; i < cfg.Deposits; i++ {
		amount := uint64(1_000_000_000_000_000 + i) // ≈ 0.001 ETH
		d := world.QueueDeposit(fresh[i].Public(), amount)
		in.Deposits = append(in.Deposits, d)
		if _, err := transact(ctx, sim, client, c, l1UserKey, chainIDBig,
			rollup.PackDeposit(protocol.FrToBig(d.PubKey.X), protocol.FrToBig(d.PubKey.Y)), new(big.Int).SetUint64(amount)); err != nil {
			return nil, 0, fmt.Errorf("deposit: %w", err)
		}
	}
	base := activeBase(cfg)
	ring := uint32(cfg.Transfers + 1)
	for i := 0; i < cfg.Transfers; i++ {
		from := base + uint32(i)
		to := base + (uint32(i)+1)%ring
		// Wallet-like amounts (≈ 0.1 ETH, several significant digits) and fees.
		amount := uint64(123_456_789+98_765*i) * 1_000_000_000
		fee := uint64(17+i%40) * 1_000_000_000_000
		in.Transfers = append(in.Transfers, world.Transfer(from, to, amount, fee, 0))
	}
	for i := 0; i < cfg.Withdrawals; i++ {
		from := base + ring + uint32(i)
		to := common.BytesToAddress(crypto.Keccak256([]byte{byte(i), byte(i >> 8)}))
		in.Withdrawals = append(in.Withdrawals, world.Withdrawal(from, to, uint64(50_000_000+i)*1_000_000_000, 23_000_000_000_000, 0))
	}
	b, err := world.State.ApplyBatch(in)
	if err != nil {
		return nil, 0, err
	}

	depositors := make([]byte, 0, 20*len(b.Deposits))
	for range b.Deposits {
		depositors = append(depositors, crypto.PubkeyToAddress(l1UserKey.PublicKey).Bytes()...)
	}
	t1 := time.Now()
	var (
		proofBytes, compact, data []byte
		rcpt                      *types.Receipt
	)
	if cfg.Blob() {
		// The transfer section in the blob, bound by the spec's evaluation
		// at the contract's x (BLOBSPEC): the same witness the prover
		// service builds.
		bl, vh, err := protocol.BatchBlob(cfg, b.Pubdata)
		if err != nil {
			return nil, 0, err
		}
		c, err := circuits.AssignBlob(b, vh)
		if err != nil {
			return nil, 0, err
		}
		w, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
		if err != nil {
			return nil, 0, err
		}
		if proofBytes, err = prove(ccs, set.PK, w); err != nil {
			return nil, 0, err
		}
		pt.ProveSecs = time.Since(t1).Seconds()
		bb, err := protocol.BindBlob(cfg, b.Header, b.Pubdata, vh)
		if err != nil {
			return nil, 0, err
		}
		var x kzg4844.Point
		bb.X.FillBytes(x[:])
		commit, err := kzg4844.BlobToCommitment(bl)
		if err != nil {
			return nil, 0, err
		}
		kp, _, err := kzg4844.ComputeProof(bl, x)
		if err != nil {
			return nil, 0, err
		}
		counts := b.Counts()
		counts.Transfers = 0 // in the blob
		compact = protocol.CompactPubdata(cfg, b.Pubdata, counts)
		var v big.Int
		bb.V.BigInt(&v)
		call := l1.BlobBatchCall{Number: b.Header.Number, NewRoot: b.Header.NewRoot.Bytes(), Deposits: uint16(counts.Deposits),
			ForcedExits: uint16(counts.ForcedExits), Withdrawals: uint16(counts.Withdrawals), Pubdata: compact,
			Depositors: depositors, DataHash: bb.DataHash.Bytes(), V: &v, KZG: append(commit[:], kp[:]...), Proof: proofBytes}
		if data, err = call.Pack(rollup); err != nil {
			return nil, 0, err
		}
		if rcpt, err = transactBlob(ctx, sim, client, dep.Rollup, l1SeqKey, chainIDBig, data, bl); err != nil {
			return nil, 0, fmt.Errorf("submitBlobBatch: %w", err)
		}
		pt.BlobGasUsed, pt.Blobs = rcpt.BlobGasUsed, int(rcpt.BlobGasUsed/gasPerBlob)
		pi := bb.PublicInputs()
		vdata, err := blobVerifierABI.Pack("verifyProof", proofBytes,
			[2]*big.Int{protocol.FrToBig(pi[0]), protocol.FrToBig(pi[1])})
		if err != nil {
			return nil, 0, err
		}
		vc := bind.NewBoundContract(dep.Verifier, blobVerifierABI, client, client, client)
		vr, err := transact(ctx, sim, client, vc, l1UserKey, chainIDBig, vdata, nil)
		if err != nil {
			return nil, 0, fmt.Errorf("verifyProof alone: %w", err)
		}
		pt.VerifierExecutionGas = vr.GasUsed - txGas - standardCalldataGas(vdata)
	} else {
		w, err := circuits.Witness(b)
		if err != nil {
			return nil, 0, err
		}
		if proofBytes, err = prove(ccs, set.PK, w); err != nil {
			return nil, 0, err
		}
		pt.ProveSecs = time.Since(t1).Seconds()
		compact = b.Compact()
		data = rollup.PackSubmitBatch(b.Header.Number, b.Header.OldRoot.Bytes(), b.Header.NewRoot.Bytes(),
			uint16(len(b.Deposits)), uint16(len(b.ForcedExits)), uint16(len(b.Transfers)), uint16(len(b.Withdrawals)), compact, depositors, proofBytes)
		if rcpt, err = transact(ctx, sim, client, c, l1SeqKey, chainIDBig, data, nil); err != nil {
			return nil, 0, fmt.Errorf("submitBatch: %w", err)
		}
	}
	tx, _, err := client.TransactionByHash(ctx, rcpt.TxHash)
	if err != nil {
		return nil, 0, err
	}
	txData := tx.Data()

	pt.GasPerBatch = rcpt.GasUsed
	pt.GasPerTransfer = float64(rcpt.GasUsed) / float64(cfg.Transfers)
	pt.CalldataBytes = len(txData)
	for _, x := range txData {
		if x == 0 {
			pt.CalldataZeroBytes++
		}
	}
	nz := uint64(pt.CalldataBytes - pt.CalldataZeroBytes)
	pt.CalldataBytesPerTransfer = float64(pt.CalldataBytes) / float64(cfg.Transfers)
	pt.PubdataBytes, pt.ProofBytes = len(compact), len(proofBytes)
	pt.CalldataTokens = uint64(pt.CalldataZeroBytes) + nonZeroByteToken*nz
	pt.FloorGas = txGas + floorPerToken*pt.CalldataTokens
	pt.FloorApplies = rcpt.GasUsed == pt.FloorGas
	pt.StandardCalldataGas = zeroByteGas*uint64(pt.CalldataZeroBytes) + nonZeroByteGas*nz
	if !pt.FloorApplies {
		pt.ExecutionGas = rcpt.GasUsed - txGas - pt.StandardCalldataGas
	}
	return pt, chainID, nil
}

// blobVerifierABI is gnark's 3-input verifier's verifyProof.
var blobVerifierABI = func() abi.ABI {
	a, err := abi.JSON(strings.NewReader(`[{"type":"function","name":"verifyProof","stateMutability":"view",` +
		`"inputs":[{"name":"proof","type":"bytes"},{"name":"input","type":"uint256[2]"}],"outputs":[]}]`))
	if err != nil {
		panic(err)
	}
	return a
}()

// standardCalldataGas is data's gas under EIP-2028 (4 per zero byte, 16 per other).
func standardCalldataGas(data []byte) uint64 {
	var g uint64
	for _, c := range data {
		if c == 0 {
			g += zeroByteGas
		} else {
			g += nonZeroByteGas
		}
	}
	return g
}

// prove is a Groth16 proof for gnark's Solidity verifier (256 bytes).
func prove(ccs constraint.ConstraintSystem, pk groth16.ProvingKey, w witness.Witness) ([]byte, error) {
	proof, err := groth16.Prove(ccs, pk, w, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		return nil, fmt.Errorf("prove: %w", err)
	}
	return proof.(interface{ MarshalSolidity() []byte }).MarshalSolidity(), nil
}

// transactBlob sends data to the rollup in a blob transaction carrying b
// with a version-1 sidecar (cell proofs, as after Osaka), mines one block
// and returns the successful receipt.
func transactBlob(ctx context.Context, sim *l1.SimulatedChain, client simulated.Client, to common.Address,
	key *ecdsa.PrivateKey, chainID *big.Int, data []byte, b *kzg4844.Blob) (*types.Receipt, error) {
	from := crypto.PubkeyToAddress(key.PublicKey)
	commit, err := kzg4844.BlobToCommitment(b)
	if err != nil {
		return nil, err
	}
	proofs, err := kzg4844.ComputeCellProofs(b)
	if err != nil {
		return nil, err
	}
	vh := common.Hash(kzg4844.CalcBlobHashV1(sha256.New(), &commit))
	blobFeeCap := big.NewInt(1_000_000_000)
	gas, err := client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &to, Data: data,
		BlobHashes: []common.Hash{vh}, BlobGasFeeCap: blobFeeCap})
	if err != nil {
		return nil, fmt.Errorf("estimate: %w", err)
	}
	nonce, err := client.PendingNonceAt(ctx, from)
	if err != nil {
		return nil, err
	}
	head, err := client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), big.NewInt(1_000_000_000))
	tx := types.NewTx(&types.BlobTx{
		ChainID: uint256.MustFromBig(chainID), Nonce: nonce, GasTipCap: uint256.NewInt(1_000_000_000),
		GasFeeCap: uint256.MustFromBig(feeCap), Gas: gas, To: to, Data: data,
		BlobFeeCap: uint256.MustFromBig(blobFeeCap), BlobHashes: []common.Hash{vh},
		Sidecar: types.NewBlobTxSidecar(types.BlobSidecarVersion1, []kzg4844.Blob{*b}, []kzg4844.Commitment{commit}, proofs),
	})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(chainID), key)
	if err != nil {
		return nil, err
	}
	if err := client.SendTransaction(ctx, signed); err != nil {
		return nil, fmt.Errorf("send blob transaction: %w", err)
	}
	sim.Commit()
	r, err := bind.WaitMined(ctx, client, signed.Hash())
	if err != nil {
		return nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, fmt.Errorf("transaction %s reverted", signed.Hash())
	}
	return r, nil
}

// activeBase is the first index of the accounts a batch uses: the smallest
// index whose ⌈depth/8⌉ pubdata bytes are all nonzero (0x010101 at depth
// 24), as in a tree with more than 65k accounts, so that calldata is not
// flattered by zero bytes; 1 when the accounts would not fit above it.
func activeBase(cfg protocol.Config) uint32 {
	var base uint64
	for i := 0; i < cfg.IndexBytes(); i++ {
		base = base<<8 | 1
	}
	need := uint64(cfg.Transfers + 1 + cfg.Withdrawals + cfg.Deposits)
	if base+need >= cfg.MaxAccounts() || (base&0xff)+need > 0xff {
		return 1
	}
	return uint32(base)
}

// l1World is the genesis L2 state: fillers (one shared key, no balance) up
// to activeBase, then funded accounts for the transfer ring and the
// withdrawals.
func l1World(cfg protocol.Config, chainID uint64, contract common.Address) (*protocoltest.World, error) {
	base := activeBase(cfg)
	active := cfg.Transfers + 1 + cfg.Withdrawals
	funded := protocoltest.Keys(1, active)
	filler := protocoltest.Keys(99, 1)[0]
	total := int(base) - 1 + active
	accs := make([]protocol.Account, total)
	ks := make([]protocol.PrivateKey, total)
	var balance uint256.Int
	balance.Exp(uint256.NewInt(10), uint256.NewInt(30)) // far above any amount used
	for i := range accs {
		if i < int(base)-1 {
			accs[i], ks[i] = protocol.Account{PubKey: filler.Public()}, filler
			continue
		}
		k := funded[i-(int(base)-1)]
		accs[i], ks[i] = protocol.Account{PubKey: k.Public(), Balance: balance}, k
	}
	st, err := protocol.LoadState(cfg, chainID, contract, accs, 0, 0)
	if err != nil {
		return nil, err
	}
	return &protocoltest.World{State: st, Keys: ks}, nil
}

// deployMining deploys while a goroutine mines (Deploy waits for receipts).
func deployMining(ctx context.Context, sim *l1.SimulatedChain, client simulated.Client, cfg l1.DeployConfig) (*l1.Deployment, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	sim.Mine(20 * time.Millisecond)
	dep, err := l1.Deploy(ctx, client, l1OwnerKey, cfg)
	sim.StopMining()
	return dep, err
}

// transact sends data to the bound contract, mines one block and returns
// the successful receipt.
func transact(ctx context.Context, sim *l1.SimulatedChain, client simulated.Client, c *bind.BoundContract,
	key *ecdsa.PrivateKey, chainID *big.Int, data []byte, value *big.Int) (*types.Receipt, error) {
	opts := bind.NewKeyedTransactor(key, chainID)
	opts.Context = ctx
	opts.Value = value
	tx, err := bind.Transact(c, opts, data)
	if err != nil {
		return nil, err
	}
	sim.Commit()
	r, err := bind.WaitMined(ctx, client, tx.Hash())
	if err != nil {
		return nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, fmt.Errorf("transaction %s reverted", tx.Hash())
	}
	return r, nil
}
