package l1

import (
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/node"
)

// MainnetLikeGas is an option for go-ethereum's simulated.NewBackend: the
// v1.17.10 dev chain enables a future fork (Bogota) that multiplies storage
// gas, so it is switched off and the forks before it (mainnet's rules, with
// EIP-7623's calldata floor) apply. Tests, benchmarks and the devnet use it.
func MainnetLikeGas(_ *node.Config, ec *ethconfig.Config) {
	cc := *ec.Genesis.Config
	cc.BogotaTime = nil
	ec.Genesis.Config = &cc
}

// ServeHTTP is a simulated.NewBackend option that serves the chain's
// JSON-RPC (eth, net, web3) over HTTP, for wallets and auditors.
func ServeHTTP(host string, port int) func(*node.Config, *ethconfig.Config) {
	return func(nc *node.Config, _ *ethconfig.Config) {
		nc.HTTPHost, nc.HTTPPort = host, port
		nc.HTTPModules = []string{"eth", "net", "web3"}
		nc.HTTPVirtualHosts = []string{"*"}
	}
}
