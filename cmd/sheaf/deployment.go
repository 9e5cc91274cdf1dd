package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
)

// Every service reads deployment.json (--deploy.file), checks it against
// the flags it was also given and against the contract on L1, and refuses
// to run on any mismatch with a message naming both values.

// flagsAgree compares the flags a command was explicitly given with the
// deployment file: the circuit flags (where the command has them), chain
// id and contract. Unset flags take the file's values.
func flagsAgree(c *cli.Context, f *l1.DeploymentFile) error {
	if hasCircuitFlags(c) {
		got, err := circuitConfig(c)
		if err != nil {
			return err
		}
		if got != f.Circuit {
			return fmt.Errorf("%w: --circuit.* flags say %s, the deployment file %s", l1.ErrMismatch, got, f.Circuit)
		}
	}
	if c.IsSet("l1.chain-id") && c.Uint64("l1.chain-id") != f.ChainID {
		return fmt.Errorf("%w: --l1.chain-id is %d, the deployment file says %d", l1.ErrMismatch, c.Uint64("l1.chain-id"), f.ChainID)
	}
	if c.IsSet("l1.contract") {
		s := c.String("l1.contract")
		if !common.IsHexAddress(s) {
			return fmt.Errorf("--l1.contract %q is not an address", s)
		}
		if a := common.HexToAddress(s); a != f.Rollup {
			return fmt.Errorf("%w: --l1.contract is %s, the deployment file says %s", l1.ErrMismatch, a, f.Rollup)
		}
	}
	return nil
}

// hasCircuitFlags reports whether any --circuit.* flag was given.
func hasCircuitFlags(c *cli.Context) bool {
	for _, n := range []string{"circuit.depth", "circuit.deposits", "circuit.transfers", "circuit.withdrawals"} {
		if c.IsSet(n) {
			return true
		}
	}
	return false
}

// circuitFrom is the circuit of the deployment file when there is one
// (the flags, if given, must agree), else the flags'.
func circuitFrom(c *cli.Context, f *l1.DeploymentFile) (protocol.Config, error) {
	if f != nil {
		return f.Circuit, flagsAgree(c, f)
	}
	return circuitConfig(c)
}

// checkOnL1 dials nothing: it checks f against the node and the contract
// behind client, within 30 s.
func checkOnL1(ctx context.Context, client *ethclient.Client, f *l1.DeploymentFile, path string) (*l1.Settings, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	s, err := l1.CheckDeployment(ctx, client, f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}
