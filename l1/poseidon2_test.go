package l1

import (
	"context"
	"errors"
	"flag"
	"math/big"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

var updatePoseidon2 = flag.Bool("update", false, "rewrite contracts/Poseidon2.sol from the generator")

const poseidon2Path = "contracts/Poseidon2.sol"

func TestPoseidon2SolidityUpToDate(t *testing.T) {
	src := Poseidon2Source()
	if *updatePoseidon2 {
		if err := os.WriteFile(poseidon2Path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(poseidon2Path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != src {
		t.Fatalf("%s differs from the generator: go test ./l1 -run TestPoseidon2SolidityUpToDate -update", poseidon2Path)
	}
}

// poseidon2Harness exposes the library and the forced-exit chain step of
// docs/protocol.md, written as the rollup contract will write it.
const poseidon2Harness = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;
import "./Poseidon2.sol";

contract Poseidon2Harness {
    function compress(uint256 l, uint256 r) external pure returns (uint256) {
        return Poseidon2.compress(l, r);
    }

    function chainStep(uint256 prev, uint32 index, uint32 nonce, address recipient, uint256 rx, uint256 ry, uint256 s)
        public
        pure
        returns (uint256)
    {
        uint256 e1 = (uint256(3) << 224) | (uint256(index) << 192) | (uint256(nonce) << 160) | uint256(uint160(recipient));
        return Poseidon2.compress(Poseidon2.compress(Poseidon2.compress(Poseidon2.compress(prev, e1), rx), ry), s);
    }

    function gasOfCompress(uint256 l, uint256 r) external view returns (uint256 out, uint256 used) {
        uint256 g = gasleft();
        out = Poseidon2.compress(l, r);
        used = g - gasleft();
    }

    function gasOfChainStep(uint256 prev, uint32 index, uint32 nonce, address recipient, uint256 rx, uint256 ry, uint256 s)
        external
        view
        returns (uint256 out, uint256 used)
    {
        uint256 g = gasleft();
        out = chainStep(prev, index, nonce, recipient, rx, ry, s);
        used = g - gasleft();
    }
}
`

// TestPoseidon2SolidityMatchesGo runs the library on the EVM against
// protocol.Compress and protocol.ForcedExitChainStep, and logs its gas.
func TestPoseidon2SolidityMatchesGo(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	harness := filepath.Join(dir, "Poseidon2Harness.sol")
	if err := os.WriteFile(harness, []byte(poseidon2Harness), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if err := Compile(ctx, out, "", harness, poseidon2Path); err != nil {
		if errors.Is(err, ErrNoSolc) {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(out, "Poseidon2Harness.json"))
	if err != nil {
		t.Fatal(err)
	}
	art, err := ParseArtifact(raw)
	if err != nil {
		t.Fatal(err)
	}
	a := mustABI(string(art.ABI))

	key := userKey
	from := crypto.PubkeyToAddress(key.PublicKey)
	sim := simulated.NewBackend(types.GenesisAlloc{from: {Balance: new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)}}, MainnetLikeGas)
	t.Cleanup(func() { sim.Close() })
	client := sim.Client()
	opts := bind.NewKeyedTransactor(key, big.NewInt(simChainID))
	addr, tx, err := bind.DeployContract(opts, art.Bytecode, client, nil)
	if err != nil {
		t.Fatal(err)
	}
	sim.Commit()
	if _, err := bind.WaitDeployed(ctx, client, tx.Hash()); err != nil {
		t.Fatal(err)
	}
	call := func(method string, args ...any) ([]any, error) {
		data, err := a.Pack(method, args...)
		if err != nil {
			t.Fatal(err)
		}
		res, err := client.CallContract(ctx, ethereum.CallMsg{From: from, To: &addr, Data: data}, nil)
		if err != nil {
			return nil, err
		}
		return a.Unpack(method, res)
	}
	big1 := func(e fr.Element) *big.Int { return protocol.FrToBig(e) }

	r := rand.New(rand.NewSource(21))
	var minusOne fr.Element
	minusOne.SetOne().Neg(&minusOne)
	pairs := [][2]fr.Element{{}, {fr.One(), {}}, {minusOne, minusOne}, {protocol.TagLeaf, protocol.TagMessage}}
	for range 12 {
		var l, rr fr.Element
		l.SetRandom()
		rr.SetUint64(r.Uint64())
		pairs = append(pairs, [2]fr.Element{l, rr})
	}
	for _, p := range pairs {
		got, err := call("compress", big1(p[0]), big1(p[1]))
		if err != nil {
			t.Fatal(err)
		}
		if want := big1(protocol.Compress(p[0], p[1])); got[0].(*big.Int).Cmp(want) != 0 {
			t.Fatalf("compress(%s, %s) = %s on the EVM, %s in Go", p[0].String(), p[1].String(), got[0], want)
		}
	}
	// Inputs that are not field elements revert.
	if _, err := call("compress", fr.Modulus(), big.NewInt(1)); err == nil {
		t.Fatal("compress accepted l = R")
	}

	// The forced-exit chain step, as the contract will compute it.
	k := protocoltest.Keys(1, 1)[0]
	f := protocol.ForcedExit{Index: 0x00abcdef, Recipient: [20]byte{0xde, 0xad, 19: 0x01}, Nonce: 0xfffffffe, PrevChain: protocol.TagForcedExitChain}
	if err := f.Sign(k, fr.NewElement(5)); err != nil {
		t.Fatal(err)
	}
	got, err := call("chainStep", big1(f.PrevChain), f.Index, f.Nonce, common.Address(f.Recipient), big1(f.Sig.R.X), big1(f.Sig.R.Y), big1(f.Sig.S))
	if err != nil {
		t.Fatal(err)
	}
	if want := big1(f.Chain()); got[0].(*big.Int).Cmp(want) != 0 {
		t.Fatalf("chain step on the EVM %s, in Go %s", got[0], want)
	}

	g1, err := call("gasOfCompress", big1(pairs[5][0]), big1(pairs[5][1]))
	if err != nil {
		t.Fatal(err)
	}
	g4, err := call("gasOfChainStep", big1(f.PrevChain), f.Index, f.Nonce, common.Address(f.Recipient), big1(f.Sig.R.X), big1(f.Sig.R.Y), big1(f.Sig.S))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("gas: one compression %s, forced-exit chain step (4 compressions) %s", g1[1], g4[1])
}
