package l1

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
)

// devChainName names the node's instance folder inside the data directory
// (node.Config.Name; empty would use the executable's name, so a test
// binary and sheaf would not find each other's chain).
const devChainName = "l1"

// DevChainExists reports whether dir holds a development chain.
func DevChainExists(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, devChainName, "chaindata"))
	return err == nil
}

// DevChain is an in-process development L1 that keeps its chain in a data
// directory: go-ethereum's node with the simulated beacon (chain id 1337,
// the simulated backend's rules), so a devnet can stop and start again
// on the same chain. Blocks come only on Commit (or a Miner over it).
type DevChain struct {
	node   *node.Node
	beacon *catalyst.SimulatedBeacon
	client *ethclient.Client
	db     ethdb.KeyValueSyncer
	fresh  bool
}

// OpenDevChain opens the chain in dir, creating it with alloc funded at
// genesis when dir holds none (alloc is ignored afterwards: the stored
// genesis is the chain's). Options are those of NewSimulatedChain
// (MainnetLikeGas, ServeHTTP); they see the genesis only on creation.
func OpenDevChain(dir string, alloc types.GenesisAlloc, opts ...func(*node.Config, *ethconfig.Config)) (*DevChain, error) {
	if dir == "" {
		return nil, errors.New("l1: a development chain needs a data directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("l1: %w", err)
	}
	fresh := !DevChainExists(dir)

	nodeConf := node.DefaultConfig
	nodeConf.Name, nodeConf.DataDir, nodeConf.IPCPath = devChainName, dir, ""
	nodeConf.P2P = p2p.Config{NoDiscovery: true}
	ethConf := ethconfig.Defaults
	genesisAlloc := core.SystemContractAllocs()
	maps.Copy(genesisAlloc, alloc)
	ethConf.Genesis = &core.Genesis{
		Config:   params.AllDevChainProtocolChanges,
		GasLimit: ethconfig.Defaults.Miner.GasCeil,
		Alloc:    genesisAlloc,
	}
	ethConf.SyncMode = ethconfig.FullSync
	// Unlike the simulated backend, keep transactions sent over RPC in the
	// local journal (as a geth node does), so those still pending when the
	// chain stops (a batch submission) are in the pool again after a restart.
	ethConf.TxPool.NoLocals = false
	ethConf.LogNoHistory = true
	// Every block's state straight to the database (hash scheme, archive;
	// Commit syncs it): the path scheme keeps recent state in memory and
	// journals it only on a clean shutdown, so a killed devnet would find
	// its L1 rewound far behind its PostgreSQL. A devnet's state is small.
	Archive(&nodeConf, &ethConf)
	for _, o := range opts {
		o(&nodeConf, &ethConf)
	}
	if !fresh {
		// The stored genesis and chain configuration rule; a genesis given
		// again would only risk a mismatch (a different wallet count).
		ethConf.Genesis = nil
	}
	stack, err := node.New(&nodeConf)
	if err != nil {
		return nil, fmt.Errorf("l1: development chain in %s: %w", dir, err)
	}
	backend, err := eth.New(stack, &ethConf)
	if err != nil {
		stack.Close()
		return nil, fmt.Errorf("l1: development chain in %s: %w", dir, err)
	}
	fs := filters.NewFilterSystem(backend.APIBackend, filters.Config{})
	stack.RegisterAPIs([]rpc.API{{Namespace: "eth", Service: filters.NewFilterAPI(fs)}})
	if err := stack.Start(); err != nil {
		stack.Close()
		return nil, fmt.Errorf("l1: start the development chain: %w", err)
	}
	// The genesis on disk now (writes are buffered until synced), and on a
	// reopen the chain must be the one this created.
	if err := backend.ChainDb().SyncKeyValue(); err != nil {
		stack.Close()
		return nil, fmt.Errorf("l1: development chain in %s: %w", dir, err)
	}
	if id := backend.BlockChain().Config().ChainID; id == nil || id.Cmp(params.AllDevChainProtocolChanges.ChainID) != 0 {
		stack.Close()
		return nil, fmt.Errorf("l1: %s holds chain %v, not a development chain: remove it to start over", dir, id)
	}
	// Period 0: the beacon seals only when told (Commit), as in go-ethereum's
	// simulated backend; the devnet's Miner sets the pace.
	beacon, err := catalyst.NewSimulatedBeacon(0, common.Address{}, backend)
	if err != nil {
		stack.Close()
		return nil, fmt.Errorf("l1: simulated beacon: %w", err)
	}
	return &DevChain{node: stack, beacon: beacon, client: ethclient.NewClient(stack.Attach()), db: backend.ChainDb(), fresh: fresh}, nil
}

// Fresh reports whether this open created the chain.
func (c *DevChain) Fresh() bool { return c.fresh }

// Client is an RPC client of the chain, in process.
func (c *DevChain) Client() *ethclient.Client { return c.client }

// Commit seals a block with the pending transactions and syncs the
// database: go-ethereum's writes are buffered (an asynchronous write-ahead
// log), and a killed process would lose the blocks that a PostgreSQL
// beside it already remembers.
func (c *DevChain) Commit() common.Hash {
	h := c.beacon.Commit()
	if err := c.db.SyncKeyValue(); err != nil {
		log.Warn("l1: sync the development chain", "err", err)
	}
	return h
}

// Close stops the chain; its database is flushed to the data directory.
// Stop a Miner over it first.
func (c *DevChain) Close() error {
	c.client.Close()
	return errors.Join(c.beacon.Stop(), c.node.Close())
}
