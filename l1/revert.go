package l1

import (
	"errors"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// RevertName names the custom error in a reverted call's or transaction's
// data, looked up in abis, with ok false when err carries no revert data
// or none of abis declares its selector.
func RevertName(err error, abis ...*abi.ABI) (name string, ok bool) {
	var de rpc.DataError
	if !errors.As(err, &de) {
		return "", false
	}
	s, isStr := de.ErrorData().(string)
	if !isStr {
		return "", false
	}
	raw, derr := hexutil.Decode(s)
	if derr != nil || len(raw) < 4 {
		return "", false
	}
	for _, a := range abis {
		for n, e := range a.Errors {
			if string(e.ID[:4]) == string(raw[:4]) {
				return n, true
			}
		}
	}
	return "", false
}
