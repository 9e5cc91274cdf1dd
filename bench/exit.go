package bench

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/sheafrollup/sheaf/circuits/exit"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/circuits/sha256bits"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// ExitConfig sizes `sheaf bench exit`.
type ExitConfig struct {
	Depth     int
	ProveRuns int  // proofs timed (the median is reported)
	Gas       bool // deploy the exported verifier on a simulated chain (needs solc-js)
	Compare   bool // with Gas: also measure one- and four-input toy verifiers and the SHA-256 alternative
}

// ExitResult is what `sheaf bench exit` prints.
type ExitResult struct {
	Depth        int `json:"depth"`
	Constraints  int `json:"constraints"`
	PublicInputs int `json:"public_inputs"`
	Commitments  int `json:"commitments"`

	KeysSeconds       float64   `json:"keys_seconds"` // compile + setup (or cache load)
	ProveSeconds      float64   `json:"prove_seconds"`
	ProveSecondsAll   []float64 `json:"prove_seconds_all"`
	ProvingKeyBytes   int64     `json:"proving_key_bytes"`            // gnark raw format, as `sheaf setup` writes it
	ProvingKeyCompact int64     `json:"proving_key_compressed_bytes"` // gnark's compressed format
	ProofBytes        int       `json:"proof_bytes"`

	// VerifyTxGas is the receipt gas of a transaction that calls the
	// exported verifier's verifyProof with a real proof (intrinsic gas and
	// calldata included): all of an exit's gas but the contract's own
	// work (nullifier, credit, event).
	VerifyTxGas uint64 `json:"verify_tx_gas,omitempty"`
	// GasPerExit is the receipt gas of the rollup contract's exit() with a
	// real proof in exodus mode, for an account whose nullifier word (256
	// accounts share one) is already written and a recipient not yet owed
	// anything: the usual case.
	GasPerExit uint64 `json:"gas_per_exit,omitempty"`
	// GasFirstExit is the same for the first exit of a nullifier word (one
	// more fresh storage slot).
	GasFirstExit uint64 `json:"gas_first_exit,omitempty"`

	// The alternative of one hashed public input, measured: the verifier's
	// gas depends only on the number of public inputs (one elliptic-curve
	// multiplication and addition each), and hashing the 104-byte preimage
	// with SHA-256 in circuit costs constraints.
	Alternatives *ExitAlternatives `json:"alternatives,omitempty"`
}

// ExitAlternatives compares public-input layouts.
type ExitAlternatives struct {
	VerifyTxGasOneInput   uint64 `json:"verify_tx_gas_1_input"`    // a toy circuit's verifier with 1 public input
	VerifyTxGasFourInputs uint64 `json:"verify_tx_gas_4_inputs"`   // the same with 4
	SHA256PreimageBytes   int    `json:"sha256_preimage_bytes"`    // root ‖ domain ‖ index ‖ recipient ‖ balance
	SHA256Constraints     int    `json:"sha256_extra_constraints"` // that hash in circuit (bitwise, no commitment)
}

// Exit measures the exit circuit: constraints, keys, proving time and the
// verifier's gas on go-ethereum's simulated chain with a real proof.
func Exit(ctx context.Context, cfg ExitConfig, log *slog.Logger) (*ExitResult, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.ProveRuns < 1 {
		cfg.ProveRuns = 1
	}
	r := &ExitResult{Depth: cfg.Depth}
	t0 := time.Now()
	ccs, err := exit.Compile(cfg.Depth)
	if err != nil {
		return nil, err
	}
	r.Constraints = ccs.GetNbConstraints()
	r.PublicInputs = ccs.GetNbPublicVariables() - 1
	r.Commitments = len(ccs.GetCommitments().CommitmentIndexes())
	log.Info("exit circuit compiled", "depth", cfg.Depth, "constraints", r.Constraints)
	set, err := keys.Cached(ctx, protocol.Config{Depth: cfg.Depth}, ccs, keys.SetupOptions{Circuit: keys.CircuitExit, Log: log})
	if err != nil {
		return nil, err
	}
	r.KeysSeconds = time.Since(t0).Seconds()
	var raw, compact countingWriter
	if _, err := set.PK.WriteRawTo(&raw); err != nil {
		return nil, err
	}
	if _, err := set.PK.WriteTo(&compact); err != nil {
		return nil, err
	}
	r.ProvingKeyBytes, r.ProvingKeyCompact = raw.n, compact.n

	// A claim at the configured depth. The chain id and contract are the
	// simulated chain's and the verifier's; the circuit does not care.
	w, err := protocoltest.NewWorld(protocol.Config{Depth: cfg.Depth, Transfers: 1}, 3, 1_000_000_007)
	if err != nil {
		return nil, err
	}
	to := [20]byte{0xe1, 0x17}
	sig, err := protocol.SignExodus(w.Keys[1], w.State.DomainState(), 2, to)
	if err != nil {
		return nil, err
	}
	claim, err := w.State.ExitClaim(2, to, sig)
	if err != nil {
		return nil, err
	}
	wit, err := exit.Witness(claim, cfg.Depth)
	if err != nil {
		return nil, err
	}
	var proof groth16.Proof
	for i := range cfg.ProveRuns {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t1 := time.Now()
		proof, err = groth16.Prove(ccs, set.PK, wit, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
		if err != nil {
			return nil, fmt.Errorf("prove: %w", err)
		}
		r.ProveSecondsAll = append(r.ProveSecondsAll, time.Since(t1).Seconds())
		log.Info("exit proof", "run", i+1, "seconds", r.ProveSecondsAll[i])
	}
	r.ProveSeconds = median(r.ProveSecondsAll)
	proofBytes := proof.(interface{ MarshalSolidity() []byte }).MarshalSolidity()
	r.ProofBytes = len(proofBytes)
	if !cfg.Gas {
		return r, nil
	}

	pub := claim.PublicInputs()
	if r.VerifyTxGas, err = verifierGas(ctx, set.VK, proofBytes, pub[:]); err != nil {
		return nil, fmt.Errorf("exit verifier gas: %w", err)
	}
	log.Info("exit verifier gas", "gas", r.VerifyTxGas)
	if r.GasFirstExit, r.GasPerExit, err = exitGas(ctx, cfg.Depth, ccs, set); err != nil {
		return nil, fmt.Errorf("exit gas: %w", err)
	}
	log.Info("exit gas", "first_in_word", r.GasFirstExit, "gas_per_exit", r.GasPerExit)
	if !cfg.Compare {
		return r, nil
	}
	alt := &ExitAlternatives{SHA256PreimageBytes: 32 + 28 + 4 + 20 + 16}
	if alt.VerifyTxGasOneInput, err = toyVerifierGas(ctx, 1); err != nil {
		return nil, err
	}
	if alt.VerifyTxGasFourInputs, err = toyVerifierGas(ctx, 4); err != nil {
		return nil, err
	}
	sc, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &shaPart{In: make([]frontend.Variable, 8*alt.SHA256PreimageBytes)})
	if err != nil {
		return nil, err
	}
	alt.SHA256Constraints = sc.GetNbConstraints()
	r.Alternatives = alt
	return r, nil
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countingWriter)(nil)

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// shaPart is the SHA-256 an exit circuit with one hashed public input
// would add (the bits are assumed already constrained).
type shaPart struct{ In []frontend.Variable }

func (c *shaPart) Define(api frontend.API) error {
	d := sha256bits.Sum(api, c.In)
	api.AssertIsEqual(d[0], 0)
	return nil
}

// toyCircuit has n public inputs and one constraint each.
type toyCircuit struct {
	In []frontend.Variable `gnark:",public"`
	X  frontend.Variable
}

func (c *toyCircuit) Define(api frontend.API) error {
	for _, v := range c.In {
		api.AssertIsEqual(api.Mul(c.X, c.X), v)
	}
	return nil
}

func toyVerifierGas(ctx context.Context, n int) (uint64, error) {
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &toyCircuit{In: make([]frontend.Variable, n)})
	if err != nil {
		return 0, err
	}
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		return 0, err
	}
	a := &toyCircuit{In: make([]frontend.Variable, n), X: 3}
	in := make([]*big.Int, n)
	for i := range a.In {
		a.In[i], in[i] = 9, big.NewInt(9)
	}
	w, err := frontend.NewWitness(a, ecc.BN254.ScalarField())
	if err != nil {
		return 0, err
	}
	proof, err := groth16.Prove(ccs, pk, w, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		return 0, err
	}
	return verifierGas(ctx, vk, proof.(interface{ MarshalSolidity() []byte }).MarshalSolidity(), in)
}

// verifierGas deploys vk's exported verifier on a simulated chain with
// mainnet-like gas and returns the receipt gas of one verifyProof call.
func verifierGas(ctx context.Context, vk groth16.VerifyingKey, proof []byte, input []*big.Int) (uint64, error) {
	code, err := l1.CompileVerifier(ctx, vk)
	if err != nil {
		return 0, err
	}
	key := l1UserKey
	from := crypto.PubkeyToAddress(key.PublicKey)
	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	sim := simulated.NewBackend(types.GenesisAlloc{from: {Balance: eth}}, l1.MainnetLikeGas)
	defer sim.Close() //nolint:errcheck
	client := sim.Client()
	chainID, err := client.ChainID(ctx)
	if err != nil {
		return 0, err
	}
	addr, err := sendTxReceipt(ctx, sim, client, key, chainID, nil, code)
	if err != nil {
		return 0, fmt.Errorf("deploy verifier: %w", err)
	}
	parsed, err := abi.JSON(strings.NewReader(fmt.Sprintf(
		`[{"type":"function","name":"verifyProof","stateMutability":"view","inputs":[{"name":"proof","type":"bytes"},{"name":"input","type":"uint256[%d]"}],"outputs":[]}]`, len(input))))
	if err != nil {
		return 0, err
	}
	arr := newUintArray(len(input), input)
	data, err := parsed.Pack("verifyProof", proof, arr)
	if err != nil {
		return 0, err
	}
	rcpt, err := sendTxReceipt(ctx, sim, client, key, chainID, &addr.ContractAddress, data)
	if err != nil {
		return 0, fmt.Errorf("verifyProof: %w", err)
	}
	return rcpt.GasUsed, nil
}

// newUintArray builds a Go [n]*big.Int value for the ABI packer.
func newUintArray(n int, in []*big.Int) any {
	switch n {
	case 1:
		return [1]*big.Int{in[0]}
	case 4:
		return [4]*big.Int{in[0], in[1], in[2], in[3]}
	}
	panic(fmt.Sprintf("newUintArray: %d inputs", n))
}

// sendTxReceipt signs and sends a transaction (a creation when to is nil),
// mines it and returns its successful receipt.
func sendTxReceipt(ctx context.Context, sim *simulated.Backend, client simulated.Client, key *ecdsa.PrivateKey, chainID *big.Int,
	to *common.Address, data []byte) (*types.Receipt, error) {
	return sendTxValue(ctx, sim, client, key, chainID, to, data, nil)
}

// sendTxValue is sendTxReceipt with value wei attached.
func sendTxValue(ctx context.Context, sim *simulated.Backend, client simulated.Client, key *ecdsa.PrivateKey, chainID *big.Int,
	to *common.Address, data []byte, value *big.Int) (*types.Receipt, error) {
	from := crypto.PubkeyToAddress(key.PublicKey)
	nonce, err := client.PendingNonceAt(ctx, from)
	if err != nil {
		return nil, err
	}
	tip, err := client.SuggestGasTipCap(ctx)
	if err != nil {
		return nil, err
	}
	head, err := client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap,
		Gas: 5_000_000, To: to, Data: data, Value: value})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(chainID), key)
	if err != nil {
		return nil, err
	}
	if err := client.SendTransaction(ctx, signed); err != nil {
		return nil, err
	}
	sim.Commit()
	r, err := bind.WaitMined(ctx, client, signed.Hash())
	if err != nil {
		return nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, errors.New("transaction reverted")
	}
	return r, nil
}

// exitGas deploys the rollup on a simulated chain with mainnet-like gas and
// a genesis of three accounts, starts exodus mode (a deposit left past its
// expiry) and returns the receipt gas of two exits with real proofs:
// account 2 (first in its nullifier word) and account 3.
func exitGas(ctx context.Context, depth int, ccs constraint.ConstraintSystem, set *keys.Set) (first, next uint64, err error) {
	code, err := l1.CompileVerifier(ctx, set.VK)
	if err != nil {
		return 0, 0, err
	}
	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	alloc := types.GenesisAlloc{}
	for _, k := range []*ecdsa.PrivateKey{l1OwnerKey, l1SeqKey, l1UserKey} {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), eth)}
	}
	sim := l1.NewSimulatedChain(alloc, l1.MainnetLikeGas)
	defer sim.Close() //nolint:errcheck
	client := sim.Client()
	chainID, err := client.ChainID(ctx)
	if err != nil {
		return 0, 0, err
	}
	cfg := protocol.Config{Depth: depth, Transfers: 1}
	// The rollup is the owner's third creation (after the two verifiers).
	rollupAddr := crypto.CreateAddress(crypto.PubkeyToAddress(l1OwnerKey.PublicKey), 2)
	w0, err := protocoltest.NewWorld(cfg, 3, 1_000_000_007)
	if err != nil {
		return 0, 0, err
	}
	var accs []protocol.Account
	for i := 1; i <= w0.State.NumAccounts(); i++ {
		a, _ := w0.State.Account(uint32(i))
		accs = append(accs, a)
	}
	st, err := protocol.LoadState(cfg, chainID.Uint64(), rollupAddr, accs, 0, 0)
	if err != nil {
		return 0, 0, err
	}
	r0 := st.Root()
	root := r0.Bytes()
	dep, err := deployMining(ctx, sim, client, l1.DeployConfig{Circuit: cfg, VerifierBytecode: l1.RefuseAllVerifier,
		ExitVerifierBytecode: code, GenesisRoot: &root, GenesisNextIndex: uint32(len(accs) + 1),
		FeeKey: w0.Keys[0].Public(), Sequencer: crypto.PubkeyToAddress(l1SeqKey.PublicKey), PriorityExpiry: time.Second})
	if err != nil {
		return 0, 0, err
	}
	if dep.Rollup != rollupAddr {
		return 0, 0, fmt.Errorf("rollup deployed at %s, expected %s", dep.Rollup, rollupAddr)
	}
	rollup := bindings.NewRollup()
	k := protocoltest.Keys(5, 1)[0].Public()
	if _, err := sendTxValue(ctx, sim.Backend, client, l1UserKey, chainID, &dep.Rollup,
		rollup.PackDeposit(protocol.FrToBig(k.X), protocol.FrToBig(k.Y)), big.NewInt(1)); err != nil {
		return 0, 0, fmt.Errorf("deposit: %w", err)
	}
	if err := sim.AdjustTime(time.Minute); err != nil {
		return 0, 0, err
	}
	if _, err := sendTxReceipt(ctx, sim.Backend, client, l1UserKey, chainID, &dep.Rollup, rollup.PackActivateExodus()); err != nil {
		return 0, 0, fmt.Errorf("activateExodus: %w", err)
	}
	var gas [2]uint64
	for i, index := range []uint32{2, 3} {
		to := [20]byte{0xe1, byte(index)}
		sig, err := protocol.SignExodus(w0.Keys[index-1], st.DomainState(), index, to)
		if err != nil {
			return 0, 0, err
		}
		claim, err := st.ExitClaim(index, to, sig)
		if err != nil {
			return 0, 0, err
		}
		wit, err := exit.Witness(claim, depth)
		if err != nil {
			return 0, 0, err
		}
		proof, err := groth16.Prove(ccs, set.PK, wit, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
		if err != nil {
			return 0, 0, err
		}
		p := proof.(interface{ MarshalSolidity() []byte }).MarshalSolidity()
		r, err := sendTxReceipt(ctx, sim.Backend, client, l1UserKey, chainID, &dep.Rollup,
			rollup.PackExit(index, to, claim.Account.Balance.ToBig(), p))
		if err != nil {
			return 0, 0, fmt.Errorf("exit %d: %w", index, err)
		}
		gas[i] = r.GasUsed
	}
	return gas[0], gas[1], nil
}
