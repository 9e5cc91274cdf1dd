// Package soltest runs an exported gnark Solidity verifier on a simulated
// chain, for tests that check keys end to end.
package soltest

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"strings"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/sheafrollup/sheaf/l1"
)

// Verifier is a compiled verifier deployed on its own simulated chain.
type Verifier struct {
	sim  *simulated.Backend
	addr common.Address
	abi  abi.ABI
	n    int
}

// Deploy compiles verifierSol (gnark's export, nPublic public inputs) and
// deploys it on a fresh simulated chain. Close the result.
func Deploy(ctx context.Context, verifierSol string, nPublic int) (*Verifier, error) {
	code, err := l1.CompileVerifierSource(ctx, verifierSol)
	if err != nil {
		return nil, err
	}
	key, err := crypto.ToECDSA(common.LeftPadBytes([]byte{7}, 32))
	if err != nil {
		return nil, err
	}
	from := crypto.PubkeyToAddress(key.PublicKey)
	sim := simulated.NewBackend(types.GenesisAlloc{from: {Balance: new(big.Int).Lsh(big.NewInt(1), 80)}})
	v := &Verifier{sim: sim, n: nPublic}
	fail := func(err error) (*Verifier, error) { sim.Close(); return nil, err }
	c := sim.Client()
	chainID, err := c.ChainID(ctx)
	if err != nil {
		return fail(err)
	}
	head, err := c.HeaderByNumber(ctx, nil)
	if err != nil {
		return fail(err)
	}
	fee := new(big.Int).Add(head.BaseFee, big.NewInt(1e9))
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
		ChainID: chainID, Nonce: 0, GasTipCap: big.NewInt(1e9), GasFeeCap: fee, Gas: 10_000_000, Data: code,
	})
	if err != nil {
		return fail(err)
	}
	if err := c.SendTransaction(ctx, tx); err != nil {
		return fail(err)
	}
	sim.Commit()
	r, err := c.TransactionReceipt(ctx, tx.Hash())
	if err != nil {
		return fail(err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return fail(errors.New("verifier deployment reverted"))
	}
	v.addr = r.ContractAddress
	def := fmt.Sprintf(`[{"type":"function","name":"verifyProof","stateMutability":"view","inputs":[{"name":"proof","type":"bytes"},{"name":"input","type":"uint256[%d]"}],"outputs":[]}]`, nPublic)
	if v.abi, err = abi.JSON(strings.NewReader(def)); err != nil {
		return fail(err)
	}
	return v, nil
}

// Close stops the chain.
func (v *Verifier) Close() { v.sim.Close() }

// Verify calls verifyProof; the exported verifier reverts on a bad proof.
func (v *Verifier) Verify(ctx context.Context, proof []byte, public []*big.Int) error {
	if len(public) != v.n {
		return fmt.Errorf("%d public inputs, the verifier takes %d", len(public), v.n)
	}
	arr := reflectArray(public)
	data, err := v.abi.Pack("verifyProof", proof, arr)
	if err != nil {
		return err
	}
	_, err = v.sim.Client().CallContract(ctx, ethereum.CallMsg{To: &v.addr, Data: data}, nil)
	return err
}

// reflectArray turns public inputs into the [N]*big.Int the ABI packer
// wants for uint256[N].
func reflectArray(xs []*big.Int) any {
	a := reflect.New(reflect.ArrayOf(len(xs), reflect.TypeOf((*big.Int)(nil)))).Elem()
	for i, x := range xs {
		a.Index(i).Set(reflect.ValueOf(x))
	}
	return a.Interface()
}
