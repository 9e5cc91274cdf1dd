// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package bindings

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// RollupMetaData contains all meta data concerning the Rollup contract.
var RollupMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"verifier_\",\"type\":\"address\"},{\"internalType\":\"uint8\",\"name\":\"depth_\",\"type\":\"uint8\"},{\"internalType\":\"uint16\",\"name\":\"depositSlots_\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"transferSlots_\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"withdrawalSlots_\",\"type\":\"uint16\"},{\"internalType\":\"bytes32\",\"name\":\"genesisRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint32\",\"name\":\"genesisNextIndex\",\"type\":\"uint32\"},{\"internalType\":\"address\",\"name\":\"sequencer_\",\"type\":\"address\"},{\"internalType\":\"uint32\",\"name\":\"feeAccount_\",\"type\":\"uint32\"},{\"internalType\":\"uint128\",\"name\":\"depositCap_\",\"type\":\"uint128\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"BadAmount\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadConfig\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadCounts\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadFeeAccount\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"expected\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"got\",\"type\":\"uint256\"}],\"name\":\"BadPubdataLength\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadPublicKey\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadRoot\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"slot\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"queueIndex\",\"type\":\"uint64\"}],\"name\":\"DepositMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"available\",\"type\":\"uint64\"},{\"internalType\":\"uint16\",\"name\":\"wanted\",\"type\":\"uint16\"}],\"name\":\"DepositQueueShort\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"section\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"slot\",\"type\":\"uint256\"}],\"name\":\"EmptySlot\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"Frozen\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotSequencer\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NothingToClaim\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"Reentrancy\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"expected\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"got\",\"type\":\"uint64\"}],\"name\":\"WrongBatchNumber\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"expected\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"got\",\"type\":\"bytes32\"}],\"name\":\"WrongOldRoot\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"number\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"oldRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"newRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"depositStart\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint16\",\"name\":\"depositCount\",\"type\":\"uint16\"},{\"indexed\":false,\"internalType\":\"uint16\",\"name\":\"transferCount\",\"type\":\"uint16\"},{\"indexed\":false,\"internalType\":\"uint16\",\"name\":\"withdrawalCount\",\"type\":\"uint16\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"nextIndexBefore\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"feeAccount\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"publicInput\",\"type\":\"uint256\"}],\"name\":\"BatchSubmitted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Claimed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"queueIndex\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"pubKey\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"pubKeyX\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"amount\",\"type\":\"uint128\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"Deposit\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"previous\",\"type\":\"uint128\"},{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"current\",\"type\":\"uint128\"}],\"name\":\"DepositCapChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"previous\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"current\",\"type\":\"uint32\"}],\"name\":\"FeeAccountChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previous\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"current\",\"type\":\"address\"}],\"name\":\"SequencerChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"batch\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"WithdrawalCredited\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"claim\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"x\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"y\",\"type\":\"uint256\"}],\"name\":\"compressKey\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"x\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"y\",\"type\":\"uint256\"}],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"depositCap\",\"outputs\":[{\"internalType\":\"uint128\",\"name\":\"\",\"type\":\"uint128\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"depositHashes\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"depositHead\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"depositSlots\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"depositTail\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"depth\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"feeAccount\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"frozen\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"lastBatch\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextBatch\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextIndex\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"pendingWithdrawals\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pubdataSize\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"sequencer\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint128\",\"name\":\"cap\",\"type\":\"uint128\"}],\"name\":\"setDepositCap\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"a\",\"type\":\"uint32\"}],\"name\":\"setFeeAccount\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"s\",\"type\":\"address\"}],\"name\":\"setSequencer\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"stateRoot\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"number\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"oldRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"newRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint16\",\"name\":\"nDeposits\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"nTransfers\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"nWithdrawals\",\"type\":\"uint16\"},{\"internalType\":\"bytes\",\"name\":\"pubdata\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"proof\",\"type\":\"bytes\"}],\"name\":\"submitBatch\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"transferSlots\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"verifier\",\"outputs\":[{\"internalType\":\"contractIVerifier\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdrawalSlots\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "Rollup",
	Bin: "0x6101c0346104ee57601f611f4638819003918201601f19168301916001600160401b038311848410176104f257808492610140946040528339810103126104ee5761004981610506565b9060208101519060ff8216908183036104ee576100686040820161051a565b926100756060830161051a565b6100816080840161051a565b9060a08401519161009460c08601610529565b966100a160e08701610506565b946101206100b26101008901610529565b9701516001600160801b0381169a908b90036104ee57803b1580156104e4575b80156104da575b80156104b3575b8015610489575b801561047b575b8015610468575b610415576001600160a01b031660805260a05260c081905260e083905261010082905260078701808811610454578060031c908161012052602082019081831161045457603083018092116104545781610140526002600160fe1b039060021c169060068201809211610454578161016052601483019283811161045457601a01809311610454576101ad956101a761ffff93846101a06101a095826101a79a8a6101805216610547565b9316610547565b9061053a565b6101a0525f9081556001546002805462010000600160b01b03191633601081901b62010000600160b01b031691909117909155604051919660c01b63ffffffff60c01b1695919391927f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e08180a36001600160a01b0316801561041557600354816001600160a01b0382167f6ec88bae255aa7e73521c3beb17e9bc7940169e669440c5531733c0d2e91110d5f80a36001600160a01b0319161760035563ffffffff8316908115908115610433575b506104245763ffffffff60c01b198516841760e01c825260208201527f38c58ba0c90ce545c6552b8dbd54e658c7c33922034132f12300e84cdb737a2590604090a16001600160c01b039092161760e09190911b6001600160e01b03191617600155801561041557600454604080516001600160801b0383168152602081018490527f7f938056642015a718ebcad47f334f4b9977117fd59fa062e858cdced4b7887a9190a16001600160801b031916176004556040516119eb908161055b82396080518181816102ee01528181610f010152610f53015260a0518181816104be0152610775015260c05181818161061601528181610dd40152611781015260e0518181816106700152818161118c01526117b9015261010051818181610337015261115b0152610120518181816114b30152611879015261014051818181610e1701528181611043015281816114d501526116e2015261016051818181610e45015281816110710152611716015261018051818181610e790152818161174e01526118ad01526101a0518181816104f901526116a80152f35b6301f30c8760e21b5f5260045ffd5b6319f0491760e01b5f5260045ffd5b60208110915081610446575b505f61027b565b600191501b8110155f61043f565b634e487b7160e01b5f52601160045260245ffd5b50680100000000000000004610156100f5565b5063ffffffff8a16156100ee565b507f30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f00000018610156100e7565b506104d46104c961ffff871661ffff861661053a565b61ffff86169061053a565b156100e0565b50602089116100d9565b50600289106100d2565b5f80fd5b634e487b7160e01b5f52604160045260245ffd5b51906001600160a01b03821682036104ee57565b519061ffff821682036104ee57565b519063ffffffff821682036104ee57565b9190820180921161045457565b818102929181159184041417156104545756fe60806040526004361015610011575f80fd5b5f3560e01c8063029e638c146101c4578063054f7d9c146101bf5780632547fa3e146101ba5780632b7ac3f3146101b5578063359b9bea146101b0578063439b2d44146101ab57806348aa4108146101a65780634e71d92d146101a15780635c1bba381461019c578063631c56ef14610197578063657cc97c1461019257806365e17c9d1461018d57806365e56b05146101885780638da5cb5b14610183578063917441b41461017e5780639588eca214610179578063b42714f714610174578063b8012cb51461016f578063b9b54f421461016a578063d4e071e814610165578063dbd5edc714610160578063e2bbb1581461015b578063e7c51f1b14610156578063f2fde38b14610151578063f3f437031461014c578063fb151720146101475763fc7e9c6f14610142575f80fd5b610b61565b610b38565b610b0b565b610a89565b610a52565b6108cc565b6108a6565b610814565b6106be565b610694565b610656565b61063a565b6105fc565b6105d0565b61053c565b61051c565b6104e2565b6104a5565b61047d565b6103aa565b610384565b61035b565b61031d565b6102d9565b610247565b610200565b6101d7565b5f9103126101d357565b5f80fd5b346101d3575f3660031901126101d35760206001600160401b0360015460401c16604051908152f35b346101d3575f3660031901126101d357602060ff60025460081c166040519015158152f35b60209060031901126101d3576004356001600160a01b03811681036101d35790565b346101d35761025536610225565b60025460101c6001600160a01b031633036102ca576001600160a01b031680156102bb57600354816001600160a01b0382167f6ec88bae255aa7e73521c3beb17e9bc7940169e669440c5531733c0d2e91110d5f80a36001600160a01b03191617600355005b6301f30c8760e21b5f5260045ffd5b6330cd747160e01b5f5260045ffd5b346101d3575f3660031901126101d3576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b346101d3575f3660031901126101d357602060405161ffff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b346101d35760403660031901126101d357602061037c602435600435610bda565b604051908152f35b346101d3575f3660031901126101d35760206001600160401b0360015416604051908152f35b346101d3575f3660031901126101d35760025460ff1661046e576103d6600160ff196002541617600255565b335f90815260066020526040902054801561045f57335f8181526006602090815260408083208390555184815291938493849384937fd8138f8a3f377c5259ca548e70e4c2de94f129f5a11036a15b69513cba2b426a91a2335af1610439610d1e565b50156104505761044e60ff1960025416600255565b005b6312171d8360e31b5f5260045ffd5b6312d37ee560e31b5f5260045ffd5b63558a1e0360e11b5f5260045ffd5b346101d3575f3660031901126101d3576003546040516001600160a01b039091168152602090f35b346101d3575f3660031901126101d357602060405160ff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b346101d3575f3660031901126101d35760206040517f00000000000000000000000000000000000000000000000000000000000000008152f35b346101d3575f3660031901126101d357602060015460e01c604051908152f35b346101d35760203660031901126101d3576004356001600160801b0381168091036101d35760025460101c6001600160a01b031633036102ca5780156102bb576004547f7f938056642015a718ebcad47f334f4b9977117fd59fa062e858cdced4b7887a604080516001600160801b0384168152846020820152a16fffffffffffffffffffffffffffffffff191617600455005b346101d3575f3660031901126101d35760025460405160109190911c6001600160a01b03168152602090f35b346101d3575f3660031901126101d357602060405161ffff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b346101d3575f3660031901126101d35760205f54604051908152f35b346101d3575f3660031901126101d357602060405161ffff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b346101d35760203660031901126101d3576004355f526005602052602060405f2054604051908152f35b346101d35760203660031901126101d35760043563ffffffff8116908181036101d35760025460101c6001600160a01b031633036102ca5781158015610770575b610761577f38c58ba0c90ce545c6552b8dbd54e658c7c33922034132f12300e84cdb737a25604061044e9360015460e01c9082519182526020820152a1600180546001600160e01b031660e09290921b6001600160e01b031916919091179055565b6319f0491760e01b5f5260045ffd5b5060ff7f0000000000000000000000000000000000000000000000000000000000000000166020811090816107a6575b506106ff565b600191501b8210155f6107a0565b6064359061ffff821682036101d357565b6084359061ffff821682036101d357565b60a4359061ffff821682036101d357565b9181601f840112156101d3578235916001600160401b0383116101d357602083818601950101116101d357565b346101d3576101003660031901126101d3576004356001600160401b03811681036101d357602435604435916108486107b4565b6108506107c5565b906108596107d6565b60c4356001600160401b0381116101d3576108789036906004016107e7565b93909260e435976001600160401b0389116101d35761089e61044e9936906004016107e7565b989097610d4d565b346101d3575f3660031901126101d35760206001600160801b0360045416604051908152f35b60403660031901126101d35760043560243560ff60025460081c16610a435734158015610a1a575b610a06576109029082610bda565b6001547fd877dc39b649b9aeb509c53e70e1ec2803ebea2901dfcda73ab51e7650d9b2fb9060801c6001600160401b0316926001600160801b03341690604051602081019061097d8161096f868986909160309282526001600160801b03199060801b1660208201520190565b03601f198101835282610ccd565b51902061099b866001600160401b03165f52600560205260405f2090565b556109d56109a88661121a565b6001805467ffffffffffffffff60801b191660809290921b67ffffffffffffffff60801b16919091179055565b6040805194855260208501919091526001600160801b03919091169083015233926001600160401b031691606090a3005b6359cdf26960e11b5f523460045260245b5ffd5b50610a3c610a306004546001600160801b031690565b6001600160801b031690565b34116108f4565b63a8cab3d160e01b5f5260045ffd5b346101d3575f3660031901126101d3576020610a786001600160401b036001541661121a565b6001600160401b0360405191168152f35b346101d357610a9736610225565b60025490601082901c6001600160a01b0316338190036102ca576001600160a01b0382169081156102bb577f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e05f80a362010000600160b01b031990911660109190911b62010000600160b01b031617600255005b346101d3576001600160a01b03610b2136610225565b165f526006602052602060405f2054604051908152f35b346101d3575f3660031901126101d35760206001600160401b0360015460801c16604051908152f35b346101d3575f3660031901126101d357602063ffffffff60015460c01c16604051908152f35b634e487b7160e01b5f52601260045260245ffd5b634e487b7160e01b5f52601160045260245ffd5b5f5160206119bf5f395f51905f5203905f5160206119bf5f395f51905f528211610bd557565b610b9b565b5f5160206119bf5f395f51905f528110801590610ca2575b610c94575f5160206119bf5f395f51905f528180095f5160206119bf5f395f51905f528080808680098181610c2687610baf565b0894097f1aee90f15f2189693df072d799fd11fc039b2959ebb7c867d075ca8cf4d7eb8e0960010803610c9457610c5d82826112fe565b610c94577f183227397098d014dc2822db40c0ac2e9419f4243cdcb848a1f0fac9f80000001015610c9157600160ff1b1790565b90565b6236d1df60ea1b5f5260045ffd5b505f5160206119bf5f395f51905f52821015610bf2565b634e487b7160e01b5f52604160045260245ffd5b90601f801991011681019081106001600160401b03821117610cee57604052565b610cb9565b90610d016040519283610ccd565b565b6001600160401b038111610cee57601f01601f191660200190565b3d15610d48573d90610d2f82610d03565b91610d3d6040519384610ccd565b82523d5f602084013e565b606090565b9897939095979694919660ff60025460081c16610a43576003546001600160a01b0316330361120b57600154996001600160401b038b169a610d9d610d918d61121a565b6001600160401b031690565b9b6001600160401b0383169c8d036111dd57505f54808a036111c657505f5160206119bf5f395f51905f528a10156111b75761ffff7f00000000000000000000000000000000000000000000000000000000000000001661ffff8716118015611186575b8015611155575b61114657610ea2610e74610e407f000000000000000000000000000000000000000000000000000000000000000061ffff8a16611258565b610e6e7f000000000000000000000000000000000000000000000000000000000000000061ffff8916611258565b90611295565b610e6e7f000000000000000000000000000000000000000000000000000000000000000061ffff8916611258565b80890361112f5750948392819594928b8d8785968b610ecc8f9d6001600160401b039060401c1690565b9c8d9160c01c63ffffffff169c610ee5928e9287611474565b96610ef09486611674565b98610efb6020610cf3565b8a8152927f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03163b156101d3575f91610f4f6040519586938493632363e29760e21b8552600485016112a2565b03817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa998a1561112a577fc8975bd829fb9fea788be4fac6f64ca9665bc8afc9e8b603c403b6f70046b6669d61103b6110a0958f8a9661110b9f611110575b505f55610fdc856001600160401b03166001600160401b03196001541617600155565b611016610fed61ffff8a168e611238565b67ffffffffffffffff60401b6001549160401b169067ffffffffffffffff60401b191617600155565b6001805463ffffffff60c01b191660c09290921b63ffffffff60c01b16919091179055565b61109a61106c7f000000000000000000000000000000000000000000000000000000000000000061ffff8916611258565b610e6e7f000000000000000000000000000000000000000000000000000000000000000061ffff8b16611258565b92611877565b60015460e01c94604051998a998a9694929099989795939161012088019a885260208801526001600160401b0316604087015261ffff16606086015261ffff16608085015261ffff1660a084015263ffffffff1660c083015263ffffffff1660e08201526101000152565b0390a2565b8061111e5f61112493610ccd565b806101c9565b5f610fb9565b6112f3565b636b96379760e01b5f52600452602488905260445ffd5b6305fcd7b560e31b5f5260045ffd5b5061ffff7f00000000000000000000000000000000000000000000000000000000000000001661ffff861611610e08565b5061ffff7f00000000000000000000000000000000000000000000000000000000000000001661ffff851611610e01565b632d69855760e01b5f5260045ffd5b636ff4f35560e01b5f52600452602489905260445ffd5b826111ea610a179261121a565b63f6d1afa360e01b5f526001600160401b0390811660045216602452604490565b6314f8a09f60e21b5f5260045ffd5b6001600160401b036001911601906001600160401b038211610bd557565b906001600160401b03809116911601906001600160401b038211610bd557565b81810292918115918404141715610bd557565b9060018201809211610bd557565b6076019081607611610bd557565b9060208201809211610bd557565b91908201809211610bd557565b9392918060609160209360408852816040890152838801375f828288010152601f801991011685010193015f905b600182106112dd57505050565b60208060019285518152019301910190916112d0565b6040513d5f823e3d90fd5b6001905f5f5b6003821061132057505015918261131a57505090565b14919050565b9390929361144f575f5160206119bf5f395f51905f5281830891805f5160206119bf5f395f51905f52910990805f5160206119bf5f395f51905f529109918261136883610baf565b915f5160206119bf5f395f51905f5282840896805f5160206119bf5f395f51905f529109805f5160206119bf5f395f51905f5291086113a690610baf565b5f5160206119bf5f395f51905f529088089384925f5160206119bf5f395f51905f5291086113d390610baf565b90805f5160206119bf5f395f51905f529109905f5160206119bf5f395f51905f529108905f5160206119bf5f395f51905f5291099261141190610baf565b5f5160206119bf5f395f51905f5291085f5160206119bf5f395f51905f52908509935f915f5160206119bf5f395f51905f5291099260010190611304565b610b87565b906001600160401b03809116911603906001600160401b038211610bd557565b6001549495946001600160401b038085169561ffff811695939450929160801c1661149f8587611295565b6001600160401b038216106115d6575050507f0000000000000000000000000000000000000000000000000000000000000000907f00000000000000000000000000000000000000000000000000000000000000005f5b84811061150557505050505050565b61150f8282611258565b83810135600386901b610100031c9081156115bd57856030910185015f3760305f2061154c61153e848a611295565b5f52600560205260405f2090565b540361158b5763ffffffff891681101561156a575b506001016114f6565b600191985061157b6115849161126b565b63ffffffff1690565b9790611561565b610a178261159c610d91828b611295565b6311b5757360e31b5f526004919091526001600160401b0316602452604490565b631149eea760e01b5f908152600452602483905260445ffd5b610a1792916115e491611454565b63f098b68f60e01b5f526001600160401b031660045261ffff16602452604490565b9061161082610d03565b61161d6040519182610ccd565b828152809261162e601f1991610d03565b0190602036910137565b1561163f57565b60405162461bcd60e51b815260206004820152600d60248201526c1cda184c8d4d8819985a5b1959609a1b6044820152606490fd5b91939490925f5460015496611693886001600160401b039060401c1690565b9260c089901c63ffffffff169860e01c6116cc7f0000000000000000000000000000000000000000000000000000000000000000611279565b996116d68b611287565b6116df90611606565b997f0000000000000000000000000000000000000000000000000000000000000000998b97906117138c61ffff8516611258565b977f000000000000000000000000000000000000000000000000000000000000000061ffff8198169061174591611258565b998a98611777907f00000000000000000000000000000000000000000000000000000000000000009061ffff16611258565b9d6117a69061ffff7f000000000000000000000000000000000000000000000000000000000000000016611258565b6117af90611279565b976117de9061ffff7f000000000000000000000000000000000000000000000000000000000000000016611258565b6117e89089611295565b9c4660c01b60208301523060601b602883015260c01b603c8201526044015260648d015260c01b60848c015260f01b608c8b015260e01b608e8a015260e01b6092890152828560968a0137828501908801602001370101908301602001376020015a915f916002602094fa5f516001600160fd1b03169190610d0190611638565b604d8111610bd557600a0a90565b7f00000000000000000000000000000000000000000000000000000000000000009461ffff16936001600160401b0390911692507f00000000000000000000000000000000000000000000000000000000000000005f5b8581106118de5750505050505050565b6118f16118eb8383611258565b84611295565b84810135600389901b610100031c156119a5579087600192018501867f3382ac76c403623eb9379eeda48fbb2764518f38d386de5df522f8170f203fea61199c61196861194a6014863560601c96013560d01c600b1c90565b63ffffffff61196161195c8360201c90565b611869565b9116611258565b6001600160a01b0385165f90815260066020526040902061198a828254611295565b90556040519081529081906020820190565b0390a3016118ce565b631149eea760e01b5f526002600452602482905260445ffdfe30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001a164736f6c6343000825000a",
}

// Rollup is an auto generated Go binding around an Ethereum contract.
type Rollup struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Rollup) GetABI() abi.ABI {
	return c.abi
}

// NewRollup creates a new instance of Rollup.
func NewRollup() *Rollup {
	parsed, err := RollupMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Rollup{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Rollup) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address verifier_, uint8 depth_, uint16 depositSlots_, uint16 transferSlots_, uint16 withdrawalSlots_, bytes32 genesisRoot, uint32 genesisNextIndex, address sequencer_, uint32 feeAccount_, uint128 depositCap_) returns()
func (rollup *Rollup) PackConstructor(verifier_ common.Address, depth_ uint8, depositSlots_ uint16, transferSlots_ uint16, withdrawalSlots_ uint16, genesisRoot [32]byte, genesisNextIndex uint32, sequencer_ common.Address, feeAccount_ uint32, depositCap_ *big.Int) []byte {
	enc, err := rollup.abi.Pack("", verifier_, depth_, depositSlots_, transferSlots_, withdrawalSlots_, genesisRoot, genesisNextIndex, sequencer_, feeAccount_, depositCap_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackClaim is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4e71d92d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function claim() returns()
func (rollup *Rollup) PackClaim() []byte {
	enc, err := rollup.abi.Pack("claim")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackClaim is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4e71d92d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function claim() returns()
func (rollup *Rollup) TryPackClaim() ([]byte, error) {
	return rollup.abi.Pack("claim")
}

// PackCompressKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x439b2d44.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function compressKey(uint256 x, uint256 y) pure returns(bytes32)
func (rollup *Rollup) PackCompressKey(x *big.Int, y *big.Int) []byte {
	enc, err := rollup.abi.Pack("compressKey", x, y)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCompressKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x439b2d44.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function compressKey(uint256 x, uint256 y) pure returns(bytes32)
func (rollup *Rollup) TryPackCompressKey(x *big.Int, y *big.Int) ([]byte, error) {
	return rollup.abi.Pack("compressKey", x, y)
}

// UnpackCompressKey is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x439b2d44.
//
// Solidity: function compressKey(uint256 x, uint256 y) pure returns(bytes32)
func (rollup *Rollup) UnpackCompressKey(data []byte) ([32]byte, error) {
	out, err := rollup.abi.Unpack("compressKey", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe2bbb158.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deposit(uint256 x, uint256 y) payable returns()
func (rollup *Rollup) PackDeposit(x *big.Int, y *big.Int) []byte {
	enc, err := rollup.abi.Pack("deposit", x, y)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe2bbb158.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deposit(uint256 x, uint256 y) payable returns()
func (rollup *Rollup) TryPackDeposit(x *big.Int, y *big.Int) ([]byte, error) {
	return rollup.abi.Pack("deposit", x, y)
}

// PackDepositCap is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdbd5edc7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function depositCap() view returns(uint128)
func (rollup *Rollup) PackDepositCap() []byte {
	enc, err := rollup.abi.Pack("depositCap")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDepositCap is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdbd5edc7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function depositCap() view returns(uint128)
func (rollup *Rollup) TryPackDepositCap() ([]byte, error) {
	return rollup.abi.Pack("depositCap")
}

// UnpackDepositCap is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdbd5edc7.
//
// Solidity: function depositCap() view returns(uint128)
func (rollup *Rollup) UnpackDepositCap(data []byte) (*big.Int, error) {
	out, err := rollup.abi.Unpack("depositCap", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDepositHashes is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb8012cb5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function depositHashes(uint256 ) view returns(bytes32)
func (rollup *Rollup) PackDepositHashes(arg0 *big.Int) []byte {
	enc, err := rollup.abi.Pack("depositHashes", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDepositHashes is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb8012cb5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function depositHashes(uint256 ) view returns(bytes32)
func (rollup *Rollup) TryPackDepositHashes(arg0 *big.Int) ([]byte, error) {
	return rollup.abi.Pack("depositHashes", arg0)
}

// UnpackDepositHashes is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb8012cb5.
//
// Solidity: function depositHashes(uint256 ) view returns(bytes32)
func (rollup *Rollup) UnpackDepositHashes(data []byte) ([32]byte, error) {
	out, err := rollup.abi.Unpack("depositHashes", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackDepositHead is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x029e638c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function depositHead() view returns(uint64)
func (rollup *Rollup) PackDepositHead() []byte {
	enc, err := rollup.abi.Pack("depositHead")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDepositHead is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x029e638c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function depositHead() view returns(uint64)
func (rollup *Rollup) TryPackDepositHead() ([]byte, error) {
	return rollup.abi.Pack("depositHead")
}

// UnpackDepositHead is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x029e638c.
//
// Solidity: function depositHead() view returns(uint64)
func (rollup *Rollup) UnpackDepositHead(data []byte) (uint64, error) {
	out, err := rollup.abi.Unpack("depositHead", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackDepositSlots is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x917441b4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function depositSlots() view returns(uint16)
func (rollup *Rollup) PackDepositSlots() []byte {
	enc, err := rollup.abi.Pack("depositSlots")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDepositSlots is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x917441b4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function depositSlots() view returns(uint16)
func (rollup *Rollup) TryPackDepositSlots() ([]byte, error) {
	return rollup.abi.Pack("depositSlots")
}

// UnpackDepositSlots is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x917441b4.
//
// Solidity: function depositSlots() view returns(uint16)
func (rollup *Rollup) UnpackDepositSlots(data []byte) (uint16, error) {
	out, err := rollup.abi.Unpack("depositSlots", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackDepositTail is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfb151720.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function depositTail() view returns(uint64)
func (rollup *Rollup) PackDepositTail() []byte {
	enc, err := rollup.abi.Pack("depositTail")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDepositTail is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfb151720.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function depositTail() view returns(uint64)
func (rollup *Rollup) TryPackDepositTail() ([]byte, error) {
	return rollup.abi.Pack("depositTail")
}

// UnpackDepositTail is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfb151720.
//
// Solidity: function depositTail() view returns(uint64)
func (rollup *Rollup) UnpackDepositTail(data []byte) (uint64, error) {
	out, err := rollup.abi.Unpack("depositTail", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackDepth is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x631c56ef.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function depth() view returns(uint8)
func (rollup *Rollup) PackDepth() []byte {
	enc, err := rollup.abi.Pack("depth")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDepth is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x631c56ef.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function depth() view returns(uint8)
func (rollup *Rollup) TryPackDepth() ([]byte, error) {
	return rollup.abi.Pack("depth")
}

// UnpackDepth is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x631c56ef.
//
// Solidity: function depth() view returns(uint8)
func (rollup *Rollup) UnpackDepth(data []byte) (uint8, error) {
	out, err := rollup.abi.Unpack("depth", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackFeeAccount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x65e17c9d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function feeAccount() view returns(uint32)
func (rollup *Rollup) PackFeeAccount() []byte {
	enc, err := rollup.abi.Pack("feeAccount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFeeAccount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x65e17c9d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function feeAccount() view returns(uint32)
func (rollup *Rollup) TryPackFeeAccount() ([]byte, error) {
	return rollup.abi.Pack("feeAccount")
}

// UnpackFeeAccount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x65e17c9d.
//
// Solidity: function feeAccount() view returns(uint32)
func (rollup *Rollup) UnpackFeeAccount(data []byte) (uint32, error) {
	out, err := rollup.abi.Unpack("feeAccount", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackFrozen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x054f7d9c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function frozen() view returns(bool)
func (rollup *Rollup) PackFrozen() []byte {
	enc, err := rollup.abi.Pack("frozen")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFrozen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x054f7d9c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function frozen() view returns(bool)
func (rollup *Rollup) TryPackFrozen() ([]byte, error) {
	return rollup.abi.Pack("frozen")
}

// UnpackFrozen is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x054f7d9c.
//
// Solidity: function frozen() view returns(bool)
func (rollup *Rollup) UnpackFrozen(data []byte) (bool, error) {
	out, err := rollup.abi.Unpack("frozen", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackLastBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x48aa4108.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function lastBatch() view returns(uint64)
func (rollup *Rollup) PackLastBatch() []byte {
	enc, err := rollup.abi.Pack("lastBatch")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLastBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x48aa4108.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function lastBatch() view returns(uint64)
func (rollup *Rollup) TryPackLastBatch() ([]byte, error) {
	return rollup.abi.Pack("lastBatch")
}

// UnpackLastBatch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x48aa4108.
//
// Solidity: function lastBatch() view returns(uint64)
func (rollup *Rollup) UnpackLastBatch(data []byte) (uint64, error) {
	out, err := rollup.abi.Unpack("lastBatch", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackNextBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe7c51f1b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nextBatch() view returns(uint64)
func (rollup *Rollup) PackNextBatch() []byte {
	enc, err := rollup.abi.Pack("nextBatch")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNextBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe7c51f1b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nextBatch() view returns(uint64)
func (rollup *Rollup) TryPackNextBatch() ([]byte, error) {
	return rollup.abi.Pack("nextBatch")
}

// UnpackNextBatch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe7c51f1b.
//
// Solidity: function nextBatch() view returns(uint64)
func (rollup *Rollup) UnpackNextBatch(data []byte) (uint64, error) {
	out, err := rollup.abi.Unpack("nextBatch", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackNextIndex is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfc7e9c6f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nextIndex() view returns(uint32)
func (rollup *Rollup) PackNextIndex() []byte {
	enc, err := rollup.abi.Pack("nextIndex")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNextIndex is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfc7e9c6f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nextIndex() view returns(uint32)
func (rollup *Rollup) TryPackNextIndex() ([]byte, error) {
	return rollup.abi.Pack("nextIndex")
}

// UnpackNextIndex is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfc7e9c6f.
//
// Solidity: function nextIndex() view returns(uint32)
func (rollup *Rollup) UnpackNextIndex(data []byte) (uint32, error) {
	out, err := rollup.abi.Unpack("nextIndex", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (rollup *Rollup) PackOwner() []byte {
	enc, err := rollup.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (rollup *Rollup) TryPackOwner() ([]byte, error) {
	return rollup.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (rollup *Rollup) UnpackOwner(data []byte) (common.Address, error) {
	out, err := rollup.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackPendingWithdrawals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf3f43703.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pendingWithdrawals(address ) view returns(uint256)
func (rollup *Rollup) PackPendingWithdrawals(arg0 common.Address) []byte {
	enc, err := rollup.abi.Pack("pendingWithdrawals", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPendingWithdrawals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf3f43703.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pendingWithdrawals(address ) view returns(uint256)
func (rollup *Rollup) TryPackPendingWithdrawals(arg0 common.Address) ([]byte, error) {
	return rollup.abi.Pack("pendingWithdrawals", arg0)
}

// UnpackPendingWithdrawals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf3f43703.
//
// Solidity: function pendingWithdrawals(address ) view returns(uint256)
func (rollup *Rollup) UnpackPendingWithdrawals(data []byte) (*big.Int, error) {
	out, err := rollup.abi.Unpack("pendingWithdrawals", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackPubdataSize is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x657cc97c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pubdataSize() view returns(uint256)
func (rollup *Rollup) PackPubdataSize() []byte {
	enc, err := rollup.abi.Pack("pubdataSize")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPubdataSize is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x657cc97c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pubdataSize() view returns(uint256)
func (rollup *Rollup) TryPackPubdataSize() ([]byte, error) {
	return rollup.abi.Pack("pubdataSize")
}

// UnpackPubdataSize is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x657cc97c.
//
// Solidity: function pubdataSize() view returns(uint256)
func (rollup *Rollup) UnpackPubdataSize(data []byte) (*big.Int, error) {
	out, err := rollup.abi.Unpack("pubdataSize", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackSequencer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c1bba38.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function sequencer() view returns(address)
func (rollup *Rollup) PackSequencer() []byte {
	enc, err := rollup.abi.Pack("sequencer")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSequencer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c1bba38.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function sequencer() view returns(address)
func (rollup *Rollup) TryPackSequencer() ([]byte, error) {
	return rollup.abi.Pack("sequencer")
}

// UnpackSequencer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5c1bba38.
//
// Solidity: function sequencer() view returns(address)
func (rollup *Rollup) UnpackSequencer(data []byte) (common.Address, error) {
	out, err := rollup.abi.Unpack("sequencer", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackSetDepositCap is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x65e56b05.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setDepositCap(uint128 cap) returns()
func (rollup *Rollup) PackSetDepositCap(cap *big.Int) []byte {
	enc, err := rollup.abi.Pack("setDepositCap", cap)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetDepositCap is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x65e56b05.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setDepositCap(uint128 cap) returns()
func (rollup *Rollup) TryPackSetDepositCap(cap *big.Int) ([]byte, error) {
	return rollup.abi.Pack("setDepositCap", cap)
}

// PackSetFeeAccount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb9b54f42.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setFeeAccount(uint32 a) returns()
func (rollup *Rollup) PackSetFeeAccount(a uint32) []byte {
	enc, err := rollup.abi.Pack("setFeeAccount", a)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetFeeAccount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb9b54f42.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setFeeAccount(uint32 a) returns()
func (rollup *Rollup) TryPackSetFeeAccount(a uint32) ([]byte, error) {
	return rollup.abi.Pack("setFeeAccount", a)
}

// PackSetSequencer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2547fa3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setSequencer(address s) returns()
func (rollup *Rollup) PackSetSequencer(s common.Address) []byte {
	enc, err := rollup.abi.Pack("setSequencer", s)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetSequencer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2547fa3e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setSequencer(address s) returns()
func (rollup *Rollup) TryPackSetSequencer(s common.Address) ([]byte, error) {
	return rollup.abi.Pack("setSequencer", s)
}

// PackStateRoot is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9588eca2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function stateRoot() view returns(bytes32)
func (rollup *Rollup) PackStateRoot() []byte {
	enc, err := rollup.abi.Pack("stateRoot")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStateRoot is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9588eca2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function stateRoot() view returns(bytes32)
func (rollup *Rollup) TryPackStateRoot() ([]byte, error) {
	return rollup.abi.Pack("stateRoot")
}

// UnpackStateRoot is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9588eca2.
//
// Solidity: function stateRoot() view returns(bytes32)
func (rollup *Rollup) UnpackStateRoot(data []byte) ([32]byte, error) {
	out, err := rollup.abi.Unpack("stateRoot", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackSubmitBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd4e071e8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function submitBatch(uint64 number, bytes32 oldRoot, bytes32 newRoot, uint16 nDeposits, uint16 nTransfers, uint16 nWithdrawals, bytes pubdata, bytes proof) returns()
func (rollup *Rollup) PackSubmitBatch(number uint64, oldRoot [32]byte, newRoot [32]byte, nDeposits uint16, nTransfers uint16, nWithdrawals uint16, pubdata []byte, proof []byte) []byte {
	enc, err := rollup.abi.Pack("submitBatch", number, oldRoot, newRoot, nDeposits, nTransfers, nWithdrawals, pubdata, proof)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSubmitBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd4e071e8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function submitBatch(uint64 number, bytes32 oldRoot, bytes32 newRoot, uint16 nDeposits, uint16 nTransfers, uint16 nWithdrawals, bytes pubdata, bytes proof) returns()
func (rollup *Rollup) TryPackSubmitBatch(number uint64, oldRoot [32]byte, newRoot [32]byte, nDeposits uint16, nTransfers uint16, nWithdrawals uint16, pubdata []byte, proof []byte) ([]byte, error) {
	return rollup.abi.Pack("submitBatch", number, oldRoot, newRoot, nDeposits, nTransfers, nWithdrawals, pubdata, proof)
}

// PackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (rollup *Rollup) PackTransferOwnership(newOwner common.Address) []byte {
	enc, err := rollup.abi.Pack("transferOwnership", newOwner)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (rollup *Rollup) TryPackTransferOwnership(newOwner common.Address) ([]byte, error) {
	return rollup.abi.Pack("transferOwnership", newOwner)
}

// PackTransferSlots is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb42714f7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferSlots() view returns(uint16)
func (rollup *Rollup) PackTransferSlots() []byte {
	enc, err := rollup.abi.Pack("transferSlots")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferSlots is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb42714f7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferSlots() view returns(uint16)
func (rollup *Rollup) TryPackTransferSlots() ([]byte, error) {
	return rollup.abi.Pack("transferSlots")
}

// UnpackTransferSlots is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb42714f7.
//
// Solidity: function transferSlots() view returns(uint16)
func (rollup *Rollup) UnpackTransferSlots(data []byte) (uint16, error) {
	out, err := rollup.abi.Unpack("transferSlots", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2b7ac3f3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function verifier() view returns(address)
func (rollup *Rollup) PackVerifier() []byte {
	enc, err := rollup.abi.Pack("verifier")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2b7ac3f3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function verifier() view returns(address)
func (rollup *Rollup) TryPackVerifier() ([]byte, error) {
	return rollup.abi.Pack("verifier")
}

// UnpackVerifier is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2b7ac3f3.
//
// Solidity: function verifier() view returns(address)
func (rollup *Rollup) UnpackVerifier(data []byte) (common.Address, error) {
	out, err := rollup.abi.Unpack("verifier", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackWithdrawalSlots is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x359b9bea.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdrawalSlots() view returns(uint16)
func (rollup *Rollup) PackWithdrawalSlots() []byte {
	enc, err := rollup.abi.Pack("withdrawalSlots")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdrawalSlots is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x359b9bea.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdrawalSlots() view returns(uint16)
func (rollup *Rollup) TryPackWithdrawalSlots() ([]byte, error) {
	return rollup.abi.Pack("withdrawalSlots")
}

// UnpackWithdrawalSlots is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x359b9bea.
//
// Solidity: function withdrawalSlots() view returns(uint16)
func (rollup *Rollup) UnpackWithdrawalSlots(data []byte) (uint16, error) {
	out, err := rollup.abi.Unpack("withdrawalSlots", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// RollupBatchSubmitted represents a BatchSubmitted event raised by the Rollup contract.
type RollupBatchSubmitted struct {
	Number          uint64
	OldRoot         [32]byte
	NewRoot         [32]byte
	DepositStart    uint64
	DepositCount    uint16
	TransferCount   uint16
	WithdrawalCount uint16
	NextIndexBefore uint32
	FeeAccount      uint32
	PublicInput     *big.Int
	Raw             *types.Log // Blockchain specific contextual infos
}

const RollupBatchSubmittedEventName = "BatchSubmitted"

// ContractEventName returns the user-defined event name.
func (RollupBatchSubmitted) ContractEventName() string {
	return RollupBatchSubmittedEventName
}

// UnpackBatchSubmittedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event BatchSubmitted(uint64 indexed number, bytes32 oldRoot, bytes32 newRoot, uint64 depositStart, uint16 depositCount, uint16 transferCount, uint16 withdrawalCount, uint32 nextIndexBefore, uint32 feeAccount, uint256 publicInput)
func (rollup *Rollup) UnpackBatchSubmittedEvent(log *types.Log) (*RollupBatchSubmitted, error) {
	event := "BatchSubmitted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupBatchSubmitted)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupClaimed represents a Claimed event raised by the Rollup contract.
type RollupClaimed struct {
	To     common.Address
	Amount *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const RollupClaimedEventName = "Claimed"

// ContractEventName returns the user-defined event name.
func (RollupClaimed) ContractEventName() string {
	return RollupClaimedEventName
}

// UnpackClaimedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Claimed(address indexed to, uint256 amount)
func (rollup *Rollup) UnpackClaimedEvent(log *types.Log) (*RollupClaimed, error) {
	event := "Claimed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupClaimed)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupDeposit represents a Deposit event raised by the Rollup contract.
type RollupDeposit struct {
	QueueIndex uint64
	PubKey     [32]byte
	PubKeyX    *big.Int
	Amount     *big.Int
	Sender     common.Address
	Raw        *types.Log // Blockchain specific contextual infos
}

const RollupDepositEventName = "Deposit"

// ContractEventName returns the user-defined event name.
func (RollupDeposit) ContractEventName() string {
	return RollupDepositEventName
}

// UnpackDepositEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Deposit(uint64 indexed queueIndex, bytes32 pubKey, uint256 pubKeyX, uint128 amount, address indexed sender)
func (rollup *Rollup) UnpackDepositEvent(log *types.Log) (*RollupDeposit, error) {
	event := "Deposit"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupDeposit)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupDepositCapChanged represents a DepositCapChanged event raised by the Rollup contract.
type RollupDepositCapChanged struct {
	Previous *big.Int
	Current  *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const RollupDepositCapChangedEventName = "DepositCapChanged"

// ContractEventName returns the user-defined event name.
func (RollupDepositCapChanged) ContractEventName() string {
	return RollupDepositCapChangedEventName
}

// UnpackDepositCapChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DepositCapChanged(uint128 previous, uint128 current)
func (rollup *Rollup) UnpackDepositCapChangedEvent(log *types.Log) (*RollupDepositCapChanged, error) {
	event := "DepositCapChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupDepositCapChanged)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupFeeAccountChanged represents a FeeAccountChanged event raised by the Rollup contract.
type RollupFeeAccountChanged struct {
	Previous uint32
	Current  uint32
	Raw      *types.Log // Blockchain specific contextual infos
}

const RollupFeeAccountChangedEventName = "FeeAccountChanged"

// ContractEventName returns the user-defined event name.
func (RollupFeeAccountChanged) ContractEventName() string {
	return RollupFeeAccountChangedEventName
}

// UnpackFeeAccountChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event FeeAccountChanged(uint32 previous, uint32 current)
func (rollup *Rollup) UnpackFeeAccountChangedEvent(log *types.Log) (*RollupFeeAccountChanged, error) {
	event := "FeeAccountChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupFeeAccountChanged)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupOwnershipTransferred represents a OwnershipTransferred event raised by the Rollup contract.
type RollupOwnershipTransferred struct {
	PreviousOwner common.Address
	NewOwner      common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const RollupOwnershipTransferredEventName = "OwnershipTransferred"

// ContractEventName returns the user-defined event name.
func (RollupOwnershipTransferred) ContractEventName() string {
	return RollupOwnershipTransferredEventName
}

// UnpackOwnershipTransferredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (rollup *Rollup) UnpackOwnershipTransferredEvent(log *types.Log) (*RollupOwnershipTransferred, error) {
	event := "OwnershipTransferred"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupOwnershipTransferred)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupSequencerChanged represents a SequencerChanged event raised by the Rollup contract.
type RollupSequencerChanged struct {
	Previous common.Address
	Current  common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const RollupSequencerChangedEventName = "SequencerChanged"

// ContractEventName returns the user-defined event name.
func (RollupSequencerChanged) ContractEventName() string {
	return RollupSequencerChangedEventName
}

// UnpackSequencerChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event SequencerChanged(address indexed previous, address indexed current)
func (rollup *Rollup) UnpackSequencerChangedEvent(log *types.Log) (*RollupSequencerChanged, error) {
	event := "SequencerChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupSequencerChanged)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupWithdrawalCredited represents a WithdrawalCredited event raised by the Rollup contract.
type RollupWithdrawalCredited struct {
	Batch  uint64
	To     common.Address
	Amount *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const RollupWithdrawalCreditedEventName = "WithdrawalCredited"

// ContractEventName returns the user-defined event name.
func (RollupWithdrawalCredited) ContractEventName() string {
	return RollupWithdrawalCreditedEventName
}

// UnpackWithdrawalCreditedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event WithdrawalCredited(uint64 indexed batch, address indexed to, uint256 amount)
func (rollup *Rollup) UnpackWithdrawalCreditedEvent(log *types.Log) (*RollupWithdrawalCredited, error) {
	event := "WithdrawalCredited"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupWithdrawalCredited)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (rollup *Rollup) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadAmount"].ID.Bytes()[:4]) {
		return rollup.UnpackBadAmountError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadConfig"].ID.Bytes()[:4]) {
		return rollup.UnpackBadConfigError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadCounts"].ID.Bytes()[:4]) {
		return rollup.UnpackBadCountsError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadFeeAccount"].ID.Bytes()[:4]) {
		return rollup.UnpackBadFeeAccountError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadPubdataLength"].ID.Bytes()[:4]) {
		return rollup.UnpackBadPubdataLengthError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadPublicKey"].ID.Bytes()[:4]) {
		return rollup.UnpackBadPublicKeyError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadRoot"].ID.Bytes()[:4]) {
		return rollup.UnpackBadRootError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["DepositMismatch"].ID.Bytes()[:4]) {
		return rollup.UnpackDepositMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["DepositQueueShort"].ID.Bytes()[:4]) {
		return rollup.UnpackDepositQueueShortError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["EmptySlot"].ID.Bytes()[:4]) {
		return rollup.UnpackEmptySlotError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["Frozen"].ID.Bytes()[:4]) {
		return rollup.UnpackFrozenError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return rollup.UnpackNotOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NotSequencer"].ID.Bytes()[:4]) {
		return rollup.UnpackNotSequencerError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NothingToClaim"].ID.Bytes()[:4]) {
		return rollup.UnpackNothingToClaimError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["Reentrancy"].ID.Bytes()[:4]) {
		return rollup.UnpackReentrancyError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return rollup.UnpackTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["WrongBatchNumber"].ID.Bytes()[:4]) {
		return rollup.UnpackWrongBatchNumberError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["WrongOldRoot"].ID.Bytes()[:4]) {
		return rollup.UnpackWrongOldRootError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// RollupBadAmount represents a BadAmount error raised by the Rollup contract.
type RollupBadAmount struct {
	Amount *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadAmount(uint256 amount)
func RollupBadAmountErrorID() common.Hash {
	return common.HexToHash("0xb39be4d21b9beede5f322fec8bfffe756e47e7733fec5f40573598ea2c475ddc")
}

// UnpackBadAmountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadAmount(uint256 amount)
func (rollup *Rollup) UnpackBadAmountError(raw []byte) (*RollupBadAmount, error) {
	out := new(RollupBadAmount)
	if err := rollup.abi.UnpackIntoInterface(out, "BadAmount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupBadConfig represents a BadConfig error raised by the Rollup contract.
type RollupBadConfig struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadConfig()
func RollupBadConfigErrorID() common.Hash {
	return common.HexToHash("0x07cc321ce71a3eebb30014b3b8f136f5e867b17e2b76292bf086143aa7c7b50c")
}

// UnpackBadConfigError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadConfig()
func (rollup *Rollup) UnpackBadConfigError(raw []byte) (*RollupBadConfig, error) {
	out := new(RollupBadConfig)
	if err := rollup.abi.UnpackIntoInterface(out, "BadConfig", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupBadCounts represents a BadCounts error raised by the Rollup contract.
type RollupBadCounts struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadCounts()
func RollupBadCountsErrorID() common.Hash {
	return common.HexToHash("0x2fe6bda8c30b47a93c7a68d8dae600eecdc3806ce68fc4bc65e4958f1615ef26")
}

// UnpackBadCountsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadCounts()
func (rollup *Rollup) UnpackBadCountsError(raw []byte) (*RollupBadCounts, error) {
	out := new(RollupBadCounts)
	if err := rollup.abi.UnpackIntoInterface(out, "BadCounts", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupBadFeeAccount represents a BadFeeAccount error raised by the Rollup contract.
type RollupBadFeeAccount struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadFeeAccount()
func RollupBadFeeAccountErrorID() common.Hash {
	return common.HexToHash("0x19f049174eb90af6e658bd3d7c5b15bd3b97c43c8e464d124208dcccaf3fe948")
}

// UnpackBadFeeAccountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadFeeAccount()
func (rollup *Rollup) UnpackBadFeeAccountError(raw []byte) (*RollupBadFeeAccount, error) {
	out := new(RollupBadFeeAccount)
	if err := rollup.abi.UnpackIntoInterface(out, "BadFeeAccount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupBadPubdataLength represents a BadPubdataLength error raised by the Rollup contract.
type RollupBadPubdataLength struct {
	Expected *big.Int
	Got      *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadPubdataLength(uint256 expected, uint256 got)
func RollupBadPubdataLengthErrorID() common.Hash {
	return common.HexToHash("0x6b9637973f87da237d9edcee1a573d53f20a2c7fb19309ca05cff87e50077942")
}

// UnpackBadPubdataLengthError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadPubdataLength(uint256 expected, uint256 got)
func (rollup *Rollup) UnpackBadPubdataLengthError(raw []byte) (*RollupBadPubdataLength, error) {
	out := new(RollupBadPubdataLength)
	if err := rollup.abi.UnpackIntoInterface(out, "BadPubdataLength", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupBadPublicKey represents a BadPublicKey error raised by the Rollup contract.
type RollupBadPublicKey struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadPublicKey()
func RollupBadPublicKeyErrorID() common.Hash {
	return common.HexToHash("0xdb477c00ef351c07ad229e1b51d9b812a827c5ca146549626b0a395532a67643")
}

// UnpackBadPublicKeyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadPublicKey()
func (rollup *Rollup) UnpackBadPublicKeyError(raw []byte) (*RollupBadPublicKey, error) {
	out := new(RollupBadPublicKey)
	if err := rollup.abi.UnpackIntoInterface(out, "BadPublicKey", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupBadRoot represents a BadRoot error raised by the Rollup contract.
type RollupBadRoot struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadRoot()
func RollupBadRootErrorID() common.Hash {
	return common.HexToHash("0x2d698557a5b54efe3b125aa26d3ed8248f293159816c45c279fadd52e2eada30")
}

// UnpackBadRootError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadRoot()
func (rollup *Rollup) UnpackBadRootError(raw []byte) (*RollupBadRoot, error) {
	out := new(RollupBadRoot)
	if err := rollup.abi.UnpackIntoInterface(out, "BadRoot", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupDepositMismatch represents a DepositMismatch error raised by the Rollup contract.
type RollupDepositMismatch struct {
	Slot       *big.Int
	QueueIndex uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DepositMismatch(uint256 slot, uint64 queueIndex)
func RollupDepositMismatchErrorID() common.Hash {
	return common.HexToHash("0x8dabab982879cc679e9e5a574c9812accb57b37ca7f72b609d83f5261cbf715c")
}

// UnpackDepositMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DepositMismatch(uint256 slot, uint64 queueIndex)
func (rollup *Rollup) UnpackDepositMismatchError(raw []byte) (*RollupDepositMismatch, error) {
	out := new(RollupDepositMismatch)
	if err := rollup.abi.UnpackIntoInterface(out, "DepositMismatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupDepositQueueShort represents a DepositQueueShort error raised by the Rollup contract.
type RollupDepositQueueShort struct {
	Available uint64
	Wanted    uint16
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DepositQueueShort(uint64 available, uint16 wanted)
func RollupDepositQueueShortErrorID() common.Hash {
	return common.HexToHash("0xf098b68fec852954c4edccee9e0651f1c14d700a4084aa4bcce9893a9bbe0382")
}

// UnpackDepositQueueShortError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DepositQueueShort(uint64 available, uint16 wanted)
func (rollup *Rollup) UnpackDepositQueueShortError(raw []byte) (*RollupDepositQueueShort, error) {
	out := new(RollupDepositQueueShort)
	if err := rollup.abi.UnpackIntoInterface(out, "DepositQueueShort", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupEmptySlot represents a EmptySlot error raised by the Rollup contract.
type RollupEmptySlot struct {
	Section *big.Int
	Slot    *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EmptySlot(uint256 section, uint256 slot)
func RollupEmptySlotErrorID() common.Hash {
	return common.HexToHash("0x1149eea7e97320f9dfe252d6056ecce5df2090cba063ef3537a3749baaf45482")
}

// UnpackEmptySlotError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EmptySlot(uint256 section, uint256 slot)
func (rollup *Rollup) UnpackEmptySlotError(raw []byte) (*RollupEmptySlot, error) {
	out := new(RollupEmptySlot)
	if err := rollup.abi.UnpackIntoInterface(out, "EmptySlot", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupFrozen represents a Frozen error raised by the Rollup contract.
type RollupFrozen struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error Frozen()
func RollupFrozenErrorID() common.Hash {
	return common.HexToHash("0xa8cab3d1893ed53071b052fafa843143492f25d1d6b0170d460789f7ab1954be")
}

// UnpackFrozenError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error Frozen()
func (rollup *Rollup) UnpackFrozenError(raw []byte) (*RollupFrozen, error) {
	out := new(RollupFrozen)
	if err := rollup.abi.UnpackIntoInterface(out, "Frozen", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupNotOwner represents a NotOwner error raised by the Rollup contract.
type RollupNotOwner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner()
func RollupNotOwnerErrorID() common.Hash {
	return common.HexToHash("0x30cd74712f59d478562d48e2d35de830db72c60a63dd08ae59199eec990b5bc4")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner()
func (rollup *Rollup) UnpackNotOwnerError(raw []byte) (*RollupNotOwner, error) {
	out := new(RollupNotOwner)
	if err := rollup.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupNotSequencer represents a NotSequencer error raised by the Rollup contract.
type RollupNotSequencer struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotSequencer()
func RollupNotSequencerErrorID() common.Hash {
	return common.HexToHash("0x53e2827c451a0a0f171a8880e9c351ab8000b3d4f27c8efd66e3187f39b035eb")
}

// UnpackNotSequencerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotSequencer()
func (rollup *Rollup) UnpackNotSequencerError(raw []byte) (*RollupNotSequencer, error) {
	out := new(RollupNotSequencer)
	if err := rollup.abi.UnpackIntoInterface(out, "NotSequencer", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupNothingToClaim represents a NothingToClaim error raised by the Rollup contract.
type RollupNothingToClaim struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NothingToClaim()
func RollupNothingToClaimErrorID() common.Hash {
	return common.HexToHash("0x969bf7288f744225521096ebffff657851af77dd4c63700d76b8d1cf6481d1f1")
}

// UnpackNothingToClaimError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NothingToClaim()
func (rollup *Rollup) UnpackNothingToClaimError(raw []byte) (*RollupNothingToClaim, error) {
	out := new(RollupNothingToClaim)
	if err := rollup.abi.UnpackIntoInterface(out, "NothingToClaim", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupReentrancy represents a Reentrancy error raised by the Rollup contract.
type RollupReentrancy struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error Reentrancy()
func RollupReentrancyErrorID() common.Hash {
	return common.HexToHash("0xab143c06c9772d69bbbc9f2fe74acd02f810e93b099f3d1dac8448ac9ae35991")
}

// UnpackReentrancyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error Reentrancy()
func (rollup *Rollup) UnpackReentrancyError(raw []byte) (*RollupReentrancy, error) {
	out := new(RollupReentrancy)
	if err := rollup.abi.UnpackIntoInterface(out, "Reentrancy", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupTransferFailed represents a TransferFailed error raised by the Rollup contract.
type RollupTransferFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferFailed()
func RollupTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x90b8ec1877afffd816d05d9b13947f3ff18ec5851c38bad15ec2b710f92391b1")
}

// UnpackTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferFailed()
func (rollup *Rollup) UnpackTransferFailedError(raw []byte) (*RollupTransferFailed, error) {
	out := new(RollupTransferFailed)
	if err := rollup.abi.UnpackIntoInterface(out, "TransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupWrongBatchNumber represents a WrongBatchNumber error raised by the Rollup contract.
type RollupWrongBatchNumber struct {
	Expected uint64
	Got      uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongBatchNumber(uint64 expected, uint64 got)
func RollupWrongBatchNumberErrorID() common.Hash {
	return common.HexToHash("0xf6d1afa36c60dda2e4c126165c84a2780e137cd99c71afce355f63e282eaa0b4")
}

// UnpackWrongBatchNumberError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongBatchNumber(uint64 expected, uint64 got)
func (rollup *Rollup) UnpackWrongBatchNumberError(raw []byte) (*RollupWrongBatchNumber, error) {
	out := new(RollupWrongBatchNumber)
	if err := rollup.abi.UnpackIntoInterface(out, "WrongBatchNumber", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupWrongOldRoot represents a WrongOldRoot error raised by the Rollup contract.
type RollupWrongOldRoot struct {
	Expected [32]byte
	Got      [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongOldRoot(bytes32 expected, bytes32 got)
func RollupWrongOldRootErrorID() common.Hash {
	return common.HexToHash("0x6ff4f3557cdc7165ef1f2b0a142ae2597fbe187a9657d292b74aa07a5010fe7c")
}

// UnpackWrongOldRootError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongOldRoot(bytes32 expected, bytes32 got)
func (rollup *Rollup) UnpackWrongOldRootError(raw []byte) (*RollupWrongOldRoot, error) {
	out := new(RollupWrongOldRoot)
	if err := rollup.abi.UnpackIntoInterface(out, "WrongOldRoot", raw); err != nil {
		return nil, err
	}
	return out, nil
}
