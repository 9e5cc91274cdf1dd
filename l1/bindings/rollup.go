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

// RollupSettings is an auto generated low-level Go binding around an user-defined struct.
type RollupSettings struct {
	Verifier           common.Address
	Depth              uint8
	DepositSlots       uint16
	TransferSlots      uint16
	WithdrawalSlots    uint16
	GenesisRoot        [32]byte
	GenesisNextIndex   uint32
	FeeKeyX            *big.Int
	FeeKeyY            *big.Int
	Sequencer          common.Address
	MinDeposit         *big.Int
	DepositCap         *big.Int
	ChangeDelay        uint64
	ForcedExitSlots    uint16
	ExitVerifier       common.Address
	PriorityExpiry     uint64
	ForcedExitFee      *big.Int
	MaxOpenForcedExits uint32
	DaMode             uint8
	BlobVerifier       common.Address
	BlobSequencer      common.Address
}

// RollupMetaData contains all meta data concerning the Rollup contract.
var RollupMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"verifier\",\"type\":\"address\"},{\"internalType\":\"uint8\",\"name\":\"depth\",\"type\":\"uint8\"},{\"internalType\":\"uint16\",\"name\":\"depositSlots\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"transferSlots\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"withdrawalSlots\",\"type\":\"uint16\"},{\"internalType\":\"bytes32\",\"name\":\"genesisRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint32\",\"name\":\"genesisNextIndex\",\"type\":\"uint32\"},{\"internalType\":\"uint256\",\"name\":\"feeKeyX\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"feeKeyY\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"sequencer\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"minDeposit\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"depositCap\",\"type\":\"uint128\"},{\"internalType\":\"uint64\",\"name\":\"changeDelay\",\"type\":\"uint64\"},{\"internalType\":\"uint16\",\"name\":\"forcedExitSlots\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"exitVerifier\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"priorityExpiry\",\"type\":\"uint64\"},{\"internalType\":\"uint128\",\"name\":\"forcedExitFee\",\"type\":\"uint128\"},{\"internalType\":\"uint32\",\"name\":\"maxOpenForcedExits\",\"type\":\"uint32\"},{\"internalType\":\"uint8\",\"name\":\"daMode\",\"type\":\"uint8\"},{\"internalType\":\"address\",\"name\":\"blobVerifier\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"blobSequencer\",\"type\":\"address\"}],\"internalType\":\"structRollup.Settings\",\"name\":\"s\",\"type\":\"tuple\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"index\",\"type\":\"uint32\"}],\"name\":\"AlreadyExited\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"atLeast\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"got\",\"type\":\"uint256\"}],\"name\":\"BadBlobData\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadBlobValue\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadConfig\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadCounts\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadDataHash\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadDepositors\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"account\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"nextIndex\",\"type\":\"uint32\"}],\"name\":\"BadFeeAccount\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadForcedExit\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadHead\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"expected\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"got\",\"type\":\"uint256\"}],\"name\":\"BadPubdataLength\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadPublicKey\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadRecipient\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadRoot\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BlobProofFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"slot\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"queueIndex\",\"type\":\"uint64\"}],\"name\":\"DepositMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"cap\",\"type\":\"uint256\"}],\"name\":\"DepositTooLarge\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"minimum\",\"type\":\"uint256\"}],\"name\":\"DepositTooSmall\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"section\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"slot\",\"type\":\"uint256\"}],\"name\":\"EmptySlot\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"feeAccount\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"fromBatch\",\"type\":\"uint64\"}],\"name\":\"FeeAccountChangePending\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ForcedExitsDisabled\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"Frozen\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NoBlob\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotBlobMode\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotCalldataMode\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"queueIndex\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"name\":\"NotExpired\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotFrozen\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotPendingOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"queueIndex\",\"type\":\"uint64\"}],\"name\":\"NotRefundable\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotSequencer\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NothingToClaim\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"QueueEmpty\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"queueIndex\",\"type\":\"uint64\"}],\"name\":\"QueueKindMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"available\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"wanted\",\"type\":\"uint256\"}],\"name\":\"QueueShort\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"Reentrancy\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"cap\",\"type\":\"uint32\"}],\"name\":\"TooManyForcedExits\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"capacity\",\"type\":\"uint256\"}],\"name\":\"TreeFull\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"expected\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"got\",\"type\":\"uint64\"}],\"name\":\"WrongBatchNumber\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"fee\",\"type\":\"uint256\"}],\"name\":\"WrongFee\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"expected\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"got\",\"type\":\"bytes32\"}],\"name\":\"WrongOldRoot\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"number\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"feeAccount\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"publicInput\",\"type\":\"uint256\"}],\"name\":\"BatchSubmitted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previous\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"current\",\"type\":\"address\"}],\"name\":\"BlobSequencerChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Claimed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"queueIndex\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"pubKey\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"pubKeyX\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"amount\",\"type\":\"uint128\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"Deposit\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"minDeposit\",\"type\":\"uint128\"},{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"depositCap\",\"type\":\"uint128\"}],\"name\":\"DepositLimitsChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"queueIndex\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"depositor\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"amount\",\"type\":\"uint128\"}],\"name\":\"DepositRefunded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint32\",\"name\":\"index\",\"type\":\"uint32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"balance\",\"type\":\"uint128\"}],\"name\":\"Exited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"queueIndex\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"stateRoot\",\"type\":\"bytes32\"}],\"name\":\"ExodusActivated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"feeAccount\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"fromBatch\",\"type\":\"uint64\"}],\"name\":\"FeeAccountScheduled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"fee\",\"type\":\"uint128\"}],\"name\":\"ForcedExitFeeChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"batch\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"queueIndex\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"amount\",\"type\":\"uint128\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"valid\",\"type\":\"bool\"}],\"name\":\"ForcedExitProcessed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"queueIndex\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"uint32\",\"name\":\"index\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"nonce\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"rx\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"ry\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"s\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"prevChain\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"chain\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"name\":\"ForcedExitRequested\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"pendingOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferStarted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previous\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"current\",\"type\":\"address\"}],\"name\":\"SequencerChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"batch\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"WithdrawalCredited\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"acceptOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"activateExodus\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"blobSequencerAddress\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"blobVerifier\",\"outputs\":[{\"internalType\":\"contractIBlobVerifier\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"changeDelay\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"claim\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"}],\"name\":\"claimTo\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"x\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"y\",\"type\":\"uint256\"}],\"name\":\"compressKey\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"daMode\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"x\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"y\",\"type\":\"uint256\"}],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"depositCap\",\"outputs\":[{\"internalType\":\"uint128\",\"name\":\"\",\"type\":\"uint128\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"depositHead\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"depositSlots\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"depositTail\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"depth\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"index\",\"type\":\"uint32\"},{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"balance\",\"type\":\"uint128\"},{\"internalType\":\"bytes\",\"name\":\"proof\",\"type\":\"bytes\"}],\"name\":\"exit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"exitVerifier\",\"outputs\":[{\"internalType\":\"contractIExitVerifier\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"index\",\"type\":\"uint32\"}],\"name\":\"exited\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"feeAccount\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"number\",\"type\":\"uint64\"}],\"name\":\"feeAccountAt\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"forcedExitChain\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"forcedExitFee\",\"outputs\":[{\"internalType\":\"uint128\",\"name\":\"\",\"type\":\"uint128\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"forcedExitHasher\",\"outputs\":[{\"internalType\":\"contractForcedExitChain\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"forcedExitSlots\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"frozen\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"genesisFeeKeyX\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"genesisFeeKeyY\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"genesisRoot\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"lastBatch\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"maxOpenForcedExits\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"minDeposit\",\"outputs\":[{\"internalType\":\"uint128\",\"name\":\"\",\"type\":\"uint128\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextBatch\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextFeeAccount\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextFeeAccountFrom\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextIndex\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"openForcedExits\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pendingOwner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"pendingWithdrawals\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"priorityExpiry\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pubdataSize\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"queueCommitments\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"queueExpiry\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"queueIndex\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"key\",\"type\":\"bytes32\"},{\"internalType\":\"uint128\",\"name\":\"amount\",\"type\":\"uint128\"},{\"internalType\":\"address\",\"name\":\"depositor\",\"type\":\"address\"}],\"name\":\"refundDeposit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"index\",\"type\":\"uint32\"},{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"internalType\":\"uint32\",\"name\":\"nonce\",\"type\":\"uint32\"},{\"internalType\":\"uint256\",\"name\":\"rx\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"ry\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"s\",\"type\":\"uint256\"}],\"name\":\"requestForcedExit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"sequencer\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"s\",\"type\":\"address\"}],\"name\":\"setBlobSequencerAddress\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint128\",\"name\":\"minimum\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"cap\",\"type\":\"uint128\"}],\"name\":\"setDepositLimits\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"a\",\"type\":\"uint32\"}],\"name\":\"setFeeAccount\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint128\",\"name\":\"fee\",\"type\":\"uint128\"}],\"name\":\"setForcedExitFee\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"s\",\"type\":\"address\"}],\"name\":\"setSequencer\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"stateRoot\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"number\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"oldRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"newRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint16\",\"name\":\"nDeposits\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"nForcedExits\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"nTransfers\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"nWithdrawals\",\"type\":\"uint16\"},{\"internalType\":\"bytes\",\"name\":\"pubdata\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"depositors\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"proof\",\"type\":\"bytes\"}],\"name\":\"submitBatch\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"head\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"newRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"dataHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"v\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"}],\"name\":\"submitBlobBatch\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"transferSlots\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"verifier\",\"outputs\":[{\"internalType\":\"contractIVerifier\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdrawalSlots\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "Rollup",
	Bin: "0x61038060405234611054576040515f601f617d2538819003918201601f19168401916001600160401b03831185841017611040578085926102a09460405283398101031261105457604051916102a083016001600160401b038111848210176110405760405261006e81611058565b80845261007d6020830161106c565b918260208601526100906040820161107a565b918260408701526101c96102806100a96060850161107a565b938460608a01526100bc6080820161107a565b60808a015260a081015160a08a01526100d760c08201611089565b60c08a015260e081015160e08a01526101008101516101008a01526100ff6101208201611058565b6101208a0152610112610140820161109a565b6101408a0152610125610160820161109a565b6101608a015261013861018082016110ae565b6101808a015261014b6101a0820161107a565b6101a08a015261015e6101c08201611058565b6101c08a01526101716101e082016110ae565b6101e08a0152610184610200820161109a565b6102008a01526101976102208201611089565b6102208a01526101aa610240820161106c565b6102408a01526101bd6102608201611058565b6102608a015201611058565b6102808701526001600160a01b03163b15928315611032575b8315611022575b508215610ff5575b50508015610fda575b8015610fc6575b8015610fa9575b8015610f96575b8015610f80575b8015610f5f575b8015610f48575b8015610f32575b8015610f0c575b8015610efa575b8015610ebd575b8015610e92575b610b155760ff602083015116600781018111610bb05760ff61024084015116151580610e36575b610e275760e0830151610100840151905f516020617d055f395f51905f528110801590610e10575b610ca6575f516020617d055f395f51905f528180095f516020617d055f395f51905f52838009815f516020617d055f395f51905f5203915f516020617d055f395f51905f528311610c1457905f516020617d055f395f51905f528080838195097f1aee90f15f2189693df072d799fd11fc039b2959ebb7c867d075ca8cf4d7eb8e09600108920803610ca6578160018286805b60038210610cbe575050159182610cb4575b5050610ca6577f183227397098d014dc2822db40c0ac2e9419f4243cdcb848a1f0fac9f80000001015610ca057505b82516001600160a01b031660805261024083015160ff16600103610c8c5782516001600160a01b03165b6001600160a01b0390811660a052602084015160ff1660c052604084015161ffff90811660e052606085015181166101005260808501518116610120526101a080860180518316610140526101c0870151909316610160526101e08601516001600160401b03166101805261022086015163ffffffff169052905116610c36575b6101a083015161ffff16610c2f5760765b6102205261024083015160ff166101e0526101a083015161ffff16610c285760365b60408401516007830160031c60208101929161ffff16908310610bd85760306007850160031c01809311610bd857906104848361048a936110cf565b906110c2565b6101a08501516007840160031c6025810193929161ffff16908410610bec5790610484846104b7936110cf565b608086015161ffff1693906007820160031c6014810191908210610c1457601a6007840160031c0195868311610c005790610484876104f5936110cf565b6102005260246007830160031c01809111610bec578310610bd857610240839052600701600381901c6102605261028082905260021c6002600160fe1b03169380610bc4575060068401809411610bb0578361048461058661048494610484610576610595966105a49a6102a052896102c05261ffff60408d0151166110cf565b9161ffff6101a08c0151166110cf565b9161ffff6060890151166110cf565b9161ffff6080860151166110cf565b6102e05260a0810180516103005260e082015161032052610100820151610340526101808201516001600160401b031661036052515f5560c080820151600180546001600160c01b03169190921b63ffffffff60c01b1617600160e01b1781556040805182815260208101929092527fc35c0f6641fa77c10a1ae7c39960fe7339b2d4ada4c273b048579679a15af9a891a1600380546001600160a01b03191633908117909155604051905f7f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e08180a36101208201516001600160a01b031680158015610b9c575b610b15576002548190816001600160a01b0382167f6ec88bae255aa7e73521c3beb17e9bc7940169e669440c5531733c0d2e91110d5f80a36001600160a01b03191617600290815561024084015160ff1614610b2d575b50610140820151610160830151926001600160801b03848116921680158015610b24575b610b15576040602094610200947f8d3aafc9e09db64dcd6c50288915462408d7dc48a750eb608954ac4f23c5612a937fd463ca76676714cdfbeb61d495e0720de7cd64ac39f0023de5b479d4ae30dec49860018060801b03199060801b168117600555825286820152a16d73686561662e66657869742e7631600655015160078054600160201b600160a01b03191682841b600160201b600160a01b03161790556040516001600160801b039091168152a160405161440390816110e382396080518181816118790152612235015260a051818181611ebd01526132d7015260c05181818161054e0152818161207701526128ba015260e051818181610e8b01528181611250015281816115cb01528181612c410152818161303501526130cc015261010051818181610c4f0152818161169b0152611cd5015261012051818181611ca4015281816121f9015261373f0152610140518181816103e80152818161164301528181611d060152818161257601528181612ee401528181613084015261377301526101605181818161211e01526122f501526101805181818161062001528181610a5b01526126d701526101a05181818161108501526125c101526101c051818181612680015261393f01526101e05181818161098801528181611178015281816120e2015261296f015261020051818181612eb6015281816130f90152613127015261022051818181611486015281816115f20152818161176701526117950152610240518181816112ec0152818161150a0152818161161f01528181612a3a01528181612ab201528181612b4401528181612cc701528181612d7601528181612f380152818161306001528181613330015281816136ce0152613ebd0152610260518181816119d901528181611a0a01528181611a7d01528181611abd01528181611afb01528181611c29015281816134f20152818161352201528181613596015281816135d801528181613f2f01526140c60152610280518181816112be015281816114d6015281816115a7015281816119ae01528181612a5d01528181612ad501528181612b6701528181612c9d01528181612d9901528181612f1301528181613011015281816130a801528181613353015281816134c4015281816136f10152613e8b01526102a0518181816113200152818161153c0152818161167701528181611bfb01528181612cf20152613ef301526102c0518181816113510152818161157001528181612a1701528181612a8f01528181612b2101528181612d2b01528181612d5301528181612f600152818161330d015281816136ab0152613f5b01526102e05181818161146501526120380152610300518161082501526103205181610df00152610340518161093401526103605181818161086a0152610aff0152f35b6301f30c8760e21b5f5260045ffd5b50828111610707565b6102808301516001600160a01b0316908115908115610b92575b50610b1557600854816001600160a01b0382167fb25026c967b6b15f83e1fc766399453525c3a8b6b532c2ba1ebff3d7097e0e8c5f80a36001600160a01b031916176008555f6106e3565b905081145f610b47565b506008546001600160a01b0316811461068c565b634e487b7160e01b5f52601160045260245ffd5b634e487b7160e01b81526011600452602490fd5b634e487b7160e01b85526011600452602485fd5b634e487b7160e01b86526011600452602486fd5b634e487b7160e01b88526011600452602488fd5b634e487b7160e01b87526011600452602487fd5b6058610448565b6098610426565b60405161281f808201906001600160401b03821183831017610c78579082916154e68339039083f08015610c6d576101c052610415565b6040513d84823e3d90fd5b634e487b7160e01b85526041600452602485fd5b6102608301516001600160a01b0316610394565b5061036a565b6236d1df60ea1b8452600484fd5b1490505f8061033b565b9391909293610dfc575f516020617d055f395f51905f528080848408928009928009935f516020617d055f395f51905f5283810311610dd4575f516020617d055f395f51905f528181920980085f516020617d055f395f51905f5203905f516020617d055f395f51905f528211610dd4575f516020617d055f395f51905f528584085f516020617d055f395f51905f52035f516020617d055f395f51905f528111610de857905f516020617d055f395f51905f528092818086818b8a820308089380090809915f516020617d055f395f51905f5285810311610dd4575f516020617d055f395f51905f5260019181808089810384820308818a858203080997818d96818386820308089282030809930190610329565b634e487b7160e01b89526011600452602489fd5b634e487b7160e01b8a52601160045260248afd5b634e487b7160e01b88526012600452602488fd5b505f516020617d055f395f51905f52821015610296565b6301f30c8760e21b8252600482fd5b5061ffff6060840151168015908115610e50575b5061026e565b5f935090506002600160fe1b036007830160021c1660068101908110610bb057610e79916110cf565b601e8101809111610bb057601f6110009104115f610e4a565b50600260ff610240840151161415801561024757506102808201516001600160a01b03161515610247565b5061024082015160ff16600203610ee4576102608201516001600160a01b03163b15610240565b6102608201516001600160a01b03161515610240565b50600260ff6102408401511611610239565b5061ffff6101a08301511615158015610232575063ffffffff6102208301511615610232565b506101e08201516001600160401b03161561022b565b506101c08201516001600160a01b03163b15610224565b5061018082015166010000000000006001600160401b03909116101561021d565b506101808201516001600160401b031615610216565b506801000000000000000046101561020f565b5063ffffffff60c083015116600160ff6020850151161b10610208565b50600263ffffffff60c08401511610610201565b505f516020617d055f395f51905f5260a083015110156101fa565b61101a92509061ffff8061100b931691166110c2565b61ffff608085015116906110c2565b155f806101f1565b602091935060ff1611915f6101e9565b600260ff82161093506101e2565b634e487b7160e01b5f52604160045260245ffd5b5f80fd5b51906001600160a01b038216820361105457565b519060ff8216820361105457565b519061ffff8216820361105457565b519063ffffffff8216820361105457565b51906001600160801b038216820361105457565b51906001600160401b038216820361105457565b91908201809211610bb057565b81810292918115918404141715610bb05756fe610220806040526004361015610013575f80fd5b5f6101c0525f3560e01c908163029e638c1461396e5750806302e8efa41461392a578063054f7d9c14613908578063117fe794146138df5780631bf8f58d1461292c57806320b7a8ec1461252e5780632547fa3e1461248c57806328d8a490146122645780632b7ac3f31461221d578063359b9bea146121dc57806341b3d185146121b3578063439b2d441461219257806348aa4108146121695780634e71d92d1461214d57806352822bfb1461210657806359c473f7146120c65780635c1bba381461209b578063631c56ef1461205b578063657cc97c1461201e57806365e17c9d14611ffb5780636e78613b14611fb557806373cc0a6f14611f0c5780637403ca6d14611eec57806375b033ed14611ea557806379ba509714611e165780638900accd146110a95780638d197b73146110665780638da5cb5b1461103b5780639011955214610eaf578063917441b414610e6e5780639588eca214610e4c578063963c227514610e135780639b6c547c14610dd6578063a262f5f814610d89578063a68f9f9314610c9e578063a8f2457514610c73578063b42714f714610c32578063b9b54f4214610a7f578063bbb793dc14610a39578063bc58765f14610957578063c37b40df1461091a578063c538c3651461088e578063c55e4af814610848578063c70337211461080b578063d487166f146107e5578063dbd5edc7146107c2578063dee1e5211461074a578063e2bbb158146104f5578063e30c3978146104ca578063e4ea58591461049f578063e7c51f1b14610465578063eb8317ec14610435578063ece534091461040c578063efb9c1aa146103cb578063f2fde38b1461033a578063f3f43703146102fc578063fb151720146102d05763fc7e9c6f146102a0575f80fd5b346102c9576101c0513660031901126102c957602063ffffffff60015460c01c16604051908152f35b6101c05180fd5b346102c9576101c0513660031901126102c95760206001600160401b0360015460801c16604051908152f35b346102c95760203660031901126102c9576001600160a01b0361031d6139ea565b166101c05152600c602052602060406101c0512054604051908152f35b346102c95760203660031901126102c9576103536139ea565b6003546001600160a01b031690338290036103b65760018060a01b031690816001600160601b0360a01b60045416176004557f38d16b8cac22d99fc7c124b9cd0de2d3fa1faef420bfe791d8c362d765e227006101c0516101c051a36101c05180f35b6330cd747160e01b6101c0515260046101c051fd5b346102c9576101c0513660031901126102c957602060405161ffff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102c9576101c0513660031901126102c957602063ffffffff60025460a01c16604051908152f35b346102c95760203660031901126102c9576004356101c051526009602052602060406101c0512054604051908152f35b346102c9576101c0513660031901126102c957602061048e6001600160401b0360015416613ab9565b6001600160401b0360405191168152f35b346102c9576101c0513660031901126102c9576008546040516001600160a01b039091168152602090f35b346102c9576101c0513660031901126102c9576004546040516001600160a01b039091168152602090f35b6104fe36613a2c565b60025460f81c610735576005546001600160801b038116803410610719575060801c8034116106fd57506105329082613af7565b90600154906105996001600160401b038360801c1692600160ff7f0000000000000000000000000000000000000000000000000000000000000000161b918163ffffffff6001600160401b0361058e81879660401c1689613d48565b169160c01c16613aac565b10156106e557506001600160801b03341690604051602081016105fc826105ee33878a86916044939183526001600160801b03199060801b1660208301526001600160601b03199060601b1660308201520190565b03601f198101845283613a73565b60018060ff1b039151902016836101c05152600960205260406101c051205561064e7f00000000000000000000000000000000000000000000000000000000000000006001600160401b034216613ad7565b836101c05152600a6020526001600160401b0360406101c0512091166001600160401b031982541617905561068283613ab9565b600154906001600160401b0360801b9060801b16906001600160401b0360801b191617600155604051938452602084015260408301527fd877dc39b649b9aeb509c53e70e1ec2803ebea2901dfcda73ab51e7650d9b2fb60603393a36101c05180f35b63b5dc11a760e01b6101c0515260045260246101c051fd5b630f7b656760e41b6101c051523460045260245260446101c051fd5b63253bf97d60e11b6101c051523460045260245260446101c051fd5b63a8cab3d160e01b6101c0515260046101c051fd5b346102c95760203660031901126102c957610763613a42565b6002549066ffffffffffffff8260c01c1680151591826107ae575b5050156107a05763ffffffff60209160a01c165b63ffffffff60405191168152f35b50602060015460e01c610792565b6001600160401b031610159050828061077e565b346102c9576101c0513660031901126102c957602060055460801c604051908152f35b346102c9576101c0513660031901126102c957602063ffffffff60075416604051908152f35b346102c9576101c0513660031901126102c95760206040517f00000000000000000000000000000000000000000000000000000000000000008152f35b346102c9576101c0513660031901126102c95760206040516001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102c95760203660031901126102c9576108a7613a16565b6003546001600160a01b031633036103b65760207fd463ca76676714cdfbeb61d495e0720de7cd64ac39f0023de5b479d4ae30dec491600754640100000000600160a01b0382841b1690640100000000600160a01b031916176007556001600160801b0360405191168152a16101c05180f35b346102c9576101c0513660031901126102c95760206040517f00000000000000000000000000000000000000000000000000000000000000008152f35b346102c95760203660031901126102c9576109706139ea565b6003546001600160a01b031633036103b657600260ff7f00000000000000000000000000000000000000000000000000000000000000001603610a10576001600160a01b031680158015610a25575b610a10576008546101c05182906001600160a01b038316907fb25026c967b6b15f83e1fc766399453525c3a8b6b532c2ba1ebff3d7097e0e8c9080a36001600160a01b031916176008556101c05180f35b6301f30c8760e21b6101c0515260046101c051fd5b506002546001600160a01b031681146109bf565b346102c9576101c0513660031901126102c95760206040516001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102c95760203660031901126102c957610a986139c1565b6003546001600160a01b031633036103b6576001549063ffffffff8260c01c1663ffffffff82169081158015610c28575b610c0c5750610ae06001600160401b038416613ab9565b6002549366ffffffffffffff8560c01c1680610bb1575b5050610b24907f000000000000000000000000000000000000000000000000000000000000000090613ad7565b916001600160401b03831690670100000000000000821015610a10577fc35c0f6641fa77c10a1ae7c39960fe7339b2d4ada4c273b048579679a15af9a89460409466ffffffffffffff60c01b9060c01b169163ffffffff60a01b9060a01b16906affffffffffffffffffffff60a01b191617176002558251916101c0515082526020820152a16101c05180f35b806001600160401b03841610610be757506001600160e01b0316604085901b6001600160e01b03191617600155610b2485610af7565b63ffffffff86635f89734160e11b6101c0515260a01c1660045260245260446101c051fd5b9063d985433b60e01b6101c0515260045260245260446101c051fd5b5080821015610ac9565b346102c9576101c0513660031901126102c957602060405161ffff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102c9576101c0513660031901126102c95760206001600160801b03600754821c16604051908152f35b346102c9576101c0513660031901126102c9576002548060f81c610735576001546001600160401b03808260401c169160801c16811015610d7457806101c05152600a6020526001600160401b0360406101c0512054169182421115610d58576001600160f81b0316600160f81b176002556101c05154604080519283526020830193909352918101919091527f0cf9a0f9c2a679f47e5837e57877ac8de0d3d674306f94475ab3e76334ddaa5f90606090a16101c05180f35b50634d06db8f60e01b6101c0515260045260245260446101c051fd5b6375e52f4f60e01b6101c0515260046101c051fd5b346102c95760203660031901126102c957610da26139ea565b6001600160a01b03811615610dc157610dba906142c9565b6101c05180f35b6333d1661360e11b6101c0515260046101c051fd5b346102c9576101c0513660031901126102c95760206040517f00000000000000000000000000000000000000000000000000000000000000008152f35b346102c95760203660031901126102c9576004356101c05152600a60205260206001600160401b0360406101c051205416604051908152f35b346102c9576101c0513660031901126102c95760206101c05154604051908152f35b346102c9576101c0513660031901126102c957602060405161ffff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102c95760803660031901126102c957610ec8613a42565b610ed0613a00565b6064356001600160a01b038116929091908383036102c95760025460f81c15611026576001600160401b031691826101c05152600960205260406101c05120546001600160401b0360015460401c16841091821561101d575b8215610fbe575b5050610fa55760206001600160801b037fe691884b76948817236b4c772b11335144e176b8c5fcab7af3110c3e484f955a92846101c05152600983526101c05160406101c051205516846101c05152600c825260406101c05120610f95828254613aac565b9055604051908152a36101c05180f35b506312a7fbcb60e21b6101c0515260045260246101c051fd5b90915060405190611007826105ee60208201938760243586916044939183526001600160801b03199060801b1660208301526001600160601b03199060601b1660308201520190565b905190206001600160ff1b031614158480610f30565b81159250610f29565b638208cbe560e01b6101c0515260046101c051fd5b346102c9576101c0513660031901126102c9576003546040516001600160a01b039091168152602090f35b346102c9576101c0513660031901126102c957602060405163ffffffff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102c9576101403660031901126102c9576110c3613a42565b6101405260643561ffff811681036102c95760843561ffff811681036102c95760a43561ffff811681036102c95760c4359061ffff821682036102c95760e4356001600160401b0381116102c95761111f903690600401613994565b939092610104356001600160401b0381116102c957611142903690600401613994565b929096610124356001600160401b0381116102c957611165903690600401613994565b93909560025460f81c61073557600160ff7f00000000000000000000000000000000000000000000000000000000000000001614611e0157600254600154604081901c6001600160401b031661016052949060c086811c63ffffffff16919081901c66ffffffffffffff166001600160a01b0382163303611db5575b8015159081611d9e575b5015611d935760a01c63ffffffff16975b6001600160401b0361120f818916613ab9565b166001600160401b036101405116908103611d6457506101c051548060243503611d4657505f5160206143d75f395f51905f526044351015611d315761ffff7f00000000000000000000000000000000000000000000000000000000000000001661ffff8716118015611d00575b8015611ccf575b8015611c9e575b611c8957601461ffff8716029061ffff8716820460141461ffff881615171561191c5703611c745761134961131b6112e77f000000000000000000000000000000000000000000000000000000000000000061ffff8916613d68565b6113157f000000000000000000000000000000000000000000000000000000000000000061ffff8716613d68565b90613aac565b6113157f000000000000000000000000000000000000000000000000000000000000000061ffff8716613d68565b61138061137a7f000000000000000000000000000000000000000000000000000000000000000061ffff8816613d68565b82613aac565b808d03611c57575061ffff841615159081611bf9575b50611bc7576001600160401b038660801c166113c661ffff84166113c161ffff891661016051613aac565b613aac565b11611b7e57604051909b6113db608083613a73565b6044825260603660208401376101c0515b61ffff871681106119a95750505061140b61ffff851661016051613ad7565b6101c051949085905b61ffff841682106119365750509161ffff809493928180946040516101805261143f61018051613a58565b1661018051521660206101805101521660406101805101521660606101805101526114aa7f00000000000000000000000000000000000000000000000000000000000000007f0000000000000000000000000000000000000000000000000000000000000000613aac565b6101205260206101205101610120511161191c576114cd60206101205101613d96565b610100526114ff7f00000000000000000000000000000000000000000000000000000000000000006101805151613d68565b6101a05260206115357f000000000000000000000000000000000000000000000000000000000000000082610180510151613d68565b80926115687f00000000000000000000000000000000000000000000000000000000000000006040610180510151613d68565b60a05261159c7f00000000000000000000000000000000000000000000000000000000000000006060610180510151613d68565b60e0526116166115f07f000000000000000000000000000000000000000000000000000000000000000061ffff7f000000000000000000000000000000000000000000000000000000000000000016613d68565b7f0000000000000000000000000000000000000000000000000000000000000000613aac565b9061166e6116687f000000000000000000000000000000000000000000000000000000000000000061ffff7f000000000000000000000000000000000000000000000000000000000000000016613d68565b83613aac565b956116c66116c07f000000000000000000000000000000000000000000000000000000000000000061ffff7f000000000000000000000000000000000000000000000000000000000000000016613d68565b88613aac565b60c05261018051514660c01b866101005101523060601b60286101005101526101405160c01b603c610100510152602435604461010051015260443560646101005101526001600160401b0360c01b6001600160401b0360c01b8360801b1616608461010051015260f01b608c61010051015263ffffffff60e01b9063ffffffff60e01b90861b1616608e6101005101528760e01b609261010051015260767f0000000000000000000000000000000000000000000000000000000000000000116118fc575b506101a05189847f0000000000000000000000000000000000000000000000000000000000000000610100510101376101a051890192839161010051010137019081602060a051926101005101013760e0519060a05101602060c0516101005101013760206101c0516101205182610100510160025afa6101c051516001600160fd1b03169390156118c7578190604051608052632363e29760e21b6080515260406004608051015284602460805101528160446080510152606460805101376101c0516064826080510101526101c051906101c05190601f801991011660640160805160018060a01b037f0000000000000000000000000000000000000000000000000000000000000000165afa156118b857610dba94610180516101605160443561014051613dc8565b3d6101c0516080513e3d608051fd5b60405162461bcd60e51b815260206004820152600d60248201526c1cda184c8d4d8819985a5b1959609a1b6044820152606490fd5b8361018051015160f01b609661010051015260986101005101528b61178c565b634e487b7160e01b6101c05152601160045260246101c051fd5b90955061194c866001600160401b038316613aac565b6101c05152600960205260406101c0512054600160ff1b81161561197d576001600160ff1b03169560010190611414565b6001600160401b0361199188828516613aac565b1662ec1dbd60e11b6101c0515260045260246101c051fd5b6119d37f000000000000000000000000000000000000000000000000000000000000000082613d68565b808d01357f000000000000000000000000000000000000000000000000000000000000000060031b610100031c15611b5e5760308d7f0000000000000000000000000000000000000000000000000000000000000000830101602086013760148083028401605086013760018060ff1b036044602086012016611a598361016051613aac565b6101c05152600960205260406101c051205403611b2b5763ffffffff8f16818e01357f000000000000000000000000000000000000000000000000000000000000000060031b610100031c1015611ab4575b506001016113ec565b909d508b8101357f000000000000000000000000000000000000000000000000000000000000000060031b610100031c600181011061191c5763ffffffff600180928e01357f000000000000000000000000000000000000000000000000000000000000000060031b610100031c01169d90611aab565b506001600160401b03611b418261016051613aac565b16906311b5757360e31b6101c0515260045260245260446101c051fd5b50631149eea760e01b6101c051526101c05160045260245260446101c051fd5b506001600160401b03611bab8561ffff80611ba28a86610160519160801c16613d48565b95169116613aac565b91623c485360e41b6101c051521660045260245260446101c051fd5b61ffff8084165f190190811161191c5761ffff90631149eea760e01b6101c0515260016004521660245260446101c051fd5b7f000000000000000000000000000000000000000000000000000000000000000081039150811161191c578a01357f000000000000000000000000000000000000000000000000000000000000000060031b610100031c158d611396565b8c90636b96379760e01b6101c0515260045260245260446101c051fd5b6368bce3f560e11b6101c0515260046101c051fd5b6305fcd7b560e31b6101c0515260046101c051fd5b5061ffff7f00000000000000000000000000000000000000000000000000000000000000001661ffff86161161128b565b5061ffff7f00000000000000000000000000000000000000000000000000000000000000001661ffff851611611284565b5061ffff7f00000000000000000000000000000000000000000000000000000000000000001661ffff84161161127d565b632d69855760e01b6101c0515260046101c051fd5b636ff4f35560e01b6101c0515260045260243560245260446101c051fd5b6001600160401b03611d77818a16613ab9565b63f6d1afa360e01b6101c051521660045260245260446101c051fd5b508560e01c976111fc565b90506001600160401b03610140511610158e6111eb565b5f356001600160e01b031916631bf8f58d60e01b14801590611dec575b156111e1576314f8a09f60e21b6101c0515260046101c051fd5b506008546001600160a01b0316331415611dd2565b630ab09b1360e11b6101c0515260046101c051fd5b346102c9576101c0513660031901126102c9576004546001600160a01b0381163303611e90576003546101c05133906001600160a01b038316907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e09080a36001600160a01b03199081163317600355166004556101c05180f35b630614e5c760e21b6101c0515260046101c051fd5b346102c9576101c0513660031901126102c9576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b346102c9576101c0513660031901126102c9576020600654604051908152f35b346102c95760403660031901126102c957611f25613a16565b6024356001600160801b038116918282036102c9576003546001600160a01b031633036103b6576001600160801b031680158015611fac575b610a10577f8d3aafc9e09db64dcd6c50288915462408d7dc48a750eb608954ac4f23c5612a926040926001600160801b03199060801b16821760055582519182526020820152a16101c05180f35b50828111611f5e565b346102c95760203660031901126102c9576020611fd06139c1565b62ffffff8160081c166101c05152600b825260406101c0512054600160ff60405193161b1615158152f35b346102c9576101c0513660031901126102c957602060015460e01c604051908152f35b346102c9576101c0513660031901126102c95760206040517f00000000000000000000000000000000000000000000000000000000000000008152f35b346102c9576101c0513660031901126102c957602060405160ff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102c9576101c0513660031901126102c9576002546040516001600160a01b039091168152602090f35b346102c9576101c0513660031901126102c957602060405160ff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102c9576101c0513660031901126102c9576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b346102c9576101c0513660031901126102c957610dba336142c9565b346102c9576101c0513660031901126102c95760206001600160401b0360015416604051908152f35b346102c95760206121ab6121a536613a2c565b90613af7565b604051908152f35b346102c9576101c0513660031901126102c95760206001600160801b0360055416604051908152f35b346102c9576101c0513660031901126102c957602060405161ffff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102c9576101c0513660031901126102c9576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b346102c95760803660031901126102c95761227d6139c1565b6122856139d4565b61228d613a00565b6064356001600160401b0381116102c9576122ac903690600401613994565b60029391935460f81c156110265763ffffffff85169362ffffff8660081c1690600160ff88161b92826101c05152600b60205260406101c05120549584871661247357604051957f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316916001600160801b039161233089613a58565b6101c051548952304660a01b1760208a015260018060a01b0316809b63ffffffff60a01b9060a01b161760408901521695866060820152813b156102c9576040516335f8315960e11b815260a0600482015260a481018490529384929190849060c48501376101c0805184860160c4015251602484015b60048210612459575050508160c4816101c05195601f801991011681010301915afa801561244b5761242a575b50907ff799a5ce71f282fa512ce6f2b0b6b3846d34a9442056537d17f3c8bd322509eb93602093926101c05152600b84521760406101c0512055846101c05152600c825260406101c05120610f95828254613aac565b6101c0519193929161243b91613a73565b6101c0516102c9579091866123d4565b6040513d6101c051823e3d90fd5b8251815286945060209283019260019290920191016123a7565b876307a51aa760e21b6101c0515260045260246101c051fd5b346102c95760203660031901126102c9576124a56139ea565b6003546001600160a01b031633036103b6576001600160a01b03168015801561251a575b610a10576002546101c05182906001600160a01b038316907f6ec88bae255aa7e73521c3beb17e9bc7940169e669440c5531733c0d2e91110d9080a36001600160a01b031916176002556101c05180f35b506008546001600160a01b031681146124c9565b60c03660031901126102c9576125426139c1565b61254a6139d4565b6044359163ffffffff83168084036102c9576064359160843560a4359460025460f81c6107355761ffff7f00000000000000000000000000000000000000000000000000000000000000001615612917576007546001600160801b038160201c168034036128fb575063ffffffff169063ffffffff7f000000000000000000000000000000000000000000000000000000000000000016808310156128e357506001600160a01b0316928315610dc15763ffffffff811697881580156128b3575b8015612889575b8015612878575b612863576006546040516331527db760e21b81526004810182905260c09390931b63ffffffff60c01b1660a09290921b63ffffffff60a01b16919091178517600360e01b17602483015260448201879052606482018490526084820188905260208260a4817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa91821561244b576101c0519261282f575b50816006556001600160401b0360015460801c169760016127057f00000000000000000000000000000000000000000000000000000000000000006001600160401b034216613ad7565b948a6101c0515260096020528160ff1b851760406101c05120558a6101c05152600a60205260406101c051206001600160401b0387166001600160401b03198254161790556127538b613ab9565b825467ffffffffffffffff60801b191660809190911b67ffffffffffffffff60801b16178255019463ffffffff861161191c577feac1d3d7b958f11908869b5872c5fa4d2315b72516e179235d9ff42c349f84b7986101009863ffffffff6001600160401b03981663ffffffff19600754161760075534612801575b604051988952602089015260408801526060870152608086015260a085015260c08401521660e0820152a36101c05180f35b60018060a01b03600354166101c05152600c60205260406101c05120612828348254613aac565b90556127cf565b9091506020813d60201161285b575b8161284b60209383613a73565b810103126102c9575190896126bb565b3d915061283e565b631ee3bc6d60e11b6101c0515260046101c051fd5b506128838488614216565b15612619565b507f060c89ce5c263405370a08b6d0302b0bab3eedb83920ee0a677297dc392126f1881015612612565b50600160ff7f0000000000000000000000000000000000000000000000000000000000000000161b89101561260b565b6362c73a8960e11b6101c0515260045260246101c051fd5b6323b18f5f60e01b6101c051523460045260245260446101c051fd5b63d167b76f60e01b6101c0515260046101c051fd5b346138675760a0366003190112613867576084356001600160401b0381116138675761295c903690600401613994565b906102005260025460f81c6138d05760ff7f000000000000000000000000000000000000000000000000000000000000000016156138c15760043560701c6138b2575f49156138a3575f5160206143b75f395f51905f52606435101561389457604435607e1c613885576040516129d281613a58565b61ffff60043560401c16815261ffff60043560501c1660208201525f604082015261ffff60043560601c166060820152805160208201519160608101519260148251027f000000000000000000000000000000000000000000000000000000000000000085027f000000000000000000000000000000000000000000000000000000000000000083027f000000000000000000000000000000000000000000000000000000000000000086020101019060608201861061386b57857f000000000000000000000000000000000000000000000000000000000000000086027f000000000000000000000000000000000000000000000000000000000000000083027f00000000000000000000000000000000000000000000000000000000000000008702010111613867575f549361ffff8451169561ffff6020860151169361ffff60608701511696612b94827f000000000000000000000000000000000000000000000000000000000000000085027f000000000000000000000000000000000000000000000000000000000000000088027f0000000000000000000000000000000000000000000000000000000000000000880201018c61020051613a94565b600254600154604081901c6001600160401b03166101e052929a91989260c081901c63ffffffff169290916001600160a01b0381163303613821575b66ffffffffffffff8160c01c16151580613800575b156137f55760a01c63ffffffff16995b6001600160401b03612c08818516613ab9565b166001600160401b0360043516036137c0575f548087036137a957505f5160206143d75f395f51905f52602435101561379a578d61ffff7f00000000000000000000000000000000000000000000000000000000000000001610801561376d575b8015613766575b8015613739575b61372a578d9060148202918083046014149015171561342e570361371b57612cec612cc27f00000000000000000000000000000000000000000000000000000000000000008f613d68565b6113157f000000000000000000000000000000000000000000000000000000000000000087613d68565b905f60017f000000000000000000000000000000000000000000000000000000000000000015171561342e57612d2861131591612d5094613aac565b917f000000000000000000000000000000000000000000000000000000000000000090613d68565b807f000000000000000000000000000000000000000000000000000000000000000088027f00000000000000000000000000000000000000000000000000000000000000008b027f00000000000000000000000000000000000000000000000000000000000000008b0201010361369857505f6101c0528b612de6846113c16001600160401b038560801c16936101e051613aac565b1161365c5750809a60809a604051612dfe8d82613a73565b60448152601f198d013660208301375f5b8381106134bf57505050612e26906101e051613ad7565b915f925f915b808310613456575050506040519260e084018481106001600160401b03821117613442576040526001600160401b03600435168452602084015260243560408401526101e05160608401528983015263ffffffff871660a083015260c082015260608201821161342e57612ea860608301838c61020051613a94565b5088612ee1816002601f601e7f000000000000000000000000000000000000000000000000000000000000000001040160051b01613d96565b927f000000000000000000000000000000000000000000000000000000000000000061ffff166134245760a06036915b7f00000000000000000000000000000000000000000000000000000000000000008c51028c7f0000000000000000000000000000000000000000000000000000000000000000602082015102927f00000000000000000000000000000000000000000000000000000000000000006060830151029660443560208b01525f4960408b0152602082015160608b01526040820151818b01524660c01b868b01523060601b60a88b0152815160c01b60bc8b0152606082015160c01b60c48b0152825160f01b60cc8b015281015160e01b60ce8a01528481015160e01b60d28a015260368611613407575b5050806102005184868a01013761020051018181847f000000000000000000000000000000000000000000000000000000000000000061ffff7f0000000000000000000000000000000000000000000000000000000000000000160287018a01013701917f000000000000000000000000000000000000000000000000000000000000000061ffff7f00000000000000000000000000000000000000000000000000000000000000001602907f000000000000000000000000000000000000000000000000000000000000000061ffff7f00000000000000000000000000000000000000000000000000000000000000001602010185010137601f601e7f00000000000000000000000000000000000000000000000000000000000000000104805b6133e757506040601f7f0000000000000000000000000000000000000000000000000000000000000000601e010460020160051b908101602084012099908a905f90859081016060015b6060820181116133b75750915f5160206143b75f395f51905f527f73e66878b46ae3705eb6a46a89213de7d3686828bfce5c19400fffff00100001817f73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff000000008180809760609b9a99604060016001607d1b0384808080808f8180808080858c8083981691160980098009800980098009800980098009800980099a5f496020850152169101528103606435089580090809098385015283013760406020820160c081600a61c350fa9061100060205f5160206143b75f395f51905f52604084015114920151141616156133a8575f61326760649a60608394018161020051613a94565b8091816040519d8e6370ffa84160e11b8152606060048201528d6f7ffffffffffffffffffffffffffffffc833560fd1c9160021b16604435607f1b1717602482015260018060fd1b038235166044820152015260848d01378a81016084908101839052601f909101601f1916018a7f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa1561339f5761339d97507f000000000000000000000000000000000000000000000000000000000000000002917f000000000000000000000000000000000000000000000000000000000000000002907f00000000000000000000000000000000000000000000000000000000000000000201019360016001607d1b03610200519416926101e0516024356001600160401b0360043516613dc8565b005b873d5f823e3d90fd5b635501c89960e01b5f5260045ffd5b5f5160206143b75f395f51905f52929391508290601f19019360016001607d1b0385519316900908848c92613166565b5f19018060a081601f028501015160081c60a08260051b8601015261311c565b602060c092015160f01b60d68a0152015160d88801528c5f612ffa565b60a0605891612f11565b634e487b7160e01b5f52601160045260245ffd5b634e487b7160e01b5f52604160045260245ffd5b9091935061346d846001600160401b038416613aac565b5f52600960205260405f2054600160ff1b811615613499576001600160ff1b0316936001019190612e2c565b6001600160401b036134ad86828616613aac565b1662ec1dbd60e11b5f5260045260245ffd5b6134e97f000000000000000000000000000000000000000000000000000000000000000082613d68565b806102005101357f000000000000000000000000000000000000000000000000000000000000000060031b610100031c156136455760307f000000000000000000000000000000000000000000000000000000000000000082016102005101602085013760148083028501605085013760018060ff1b036044602085012016613575836101e051613aac565b5f52600960205260405f205403613618578f63ffffffff16816102005101357f000000000000000000000000000000000000000000000000000000000000000060031b610100031c10156135cd575b50600101612e0f565b61020051919f5001357f000000000000000000000000000000000000000000000000000000000000000060031b610100031c6001810190811061342e5763ffffffff169d60016135c4565b506001600160401b0361362e826101e051613aac565b16906311b5757360e31b5f5260045260245260445ffd5b50631149eea760e01b5f525f60045260245260445ffd5b6001600160401b036136828461367c8f94846101e0519160801c16613d48565b93613aac565b91623c485360e41b5f521660045260245260445ffd5b87878a92636b96379760e01b5f526004527f000000000000000000000000000000000000000000000000000000000000000002917f000000000000000000000000000000000000000000000000000000000000000002907f000000000000000000000000000000000000000000000000000000000000000002010160245260445ffd5b6368bce3f560e11b5f5260045ffd5b6305fcd7b560e31b5f5260045ffd5b5061ffff7f0000000000000000000000000000000000000000000000000000000000000000168211612c77565b505f612c70565b5061ffff7f0000000000000000000000000000000000000000000000000000000000000000168511612c69565b632d69855760e01b5f5260045ffd5b8690636ff4f35560e01b5f5260045260245260445ffd5b6001600160401b036137d3818516613ab9565b63f6d1afa360e01b5f52166004526001600160401b036004351660245260445ffd5b508160e01c99612bf5565b5066ffffffffffffff8160c01c166001600160401b03600435161015612be5565b5f356001600160e01b031916631bf8f58d60e01b14801590613852575b15612bd0576314f8a09f60e21b5f5260045ffd5b506008546001600160a01b031633141561383e565b5f80fd5b85606083639e0accc160e01b5f520160045260245260445ffd5b63d73f961960e01b5f5260045ffd5b63370df2e360e21b5f5260045ffd5b6375963dc760e11b5f5260045ffd5b63186e6d0360e11b5f5260045ffd5b630c67255b60e01b5f5260045ffd5b63a8cab3d160e01b5f5260045ffd5b34613867575f36600319011261386757602066ffffffffffffff60025460c01c16604051908152f35b34613867575f36600319011261386757602060025460f81c6040519015158152f35b34613867575f366003190112613867576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b34613867575f366003190112613867576020906001600160401b0360015460401c168152f35b9181601f84011215613867578235916001600160401b038311613867576020838186019501011161386757565b6004359063ffffffff8216820361386757565b602435906001600160a01b038216820361386757565b600435906001600160a01b038216820361386757565b604435906001600160801b038216820361386757565b600435906001600160801b038216820361386757565b6040906003190112613867576004359060243590565b600435906001600160401b038216820361386757565b608081019081106001600160401b0382111761344257604052565b90601f801991011681019081106001600160401b0382111761344257604052565b90939293848311613867578411613867578101920390565b9190820180921161342e57565b6001600160401b036001911601906001600160401b03821161342e57565b906001600160401b03809116911601906001600160401b03821161342e57565b5f5160206143d75f395f51905f528110801590613d31575b613bed575f5160206143d75f395f51905f528180095f5160206143d75f395f51905f5283800990805f5160206143d75f395f51905f5203915f5160206143d75f395f51905f52831161342e575f5160206143d75f395f51905f528080838195097f1aee90f15f2189693df072d799fd11fc039b2959ebb7c867d075ca8cf4d7eb8e09600108920803613bed57816001825f805b60038210613c05575050159182613bfb575b5050613bed577f183227397098d014dc2822db40c0ac2e9419f4243cdcb848a1f0fac9f80000001015613bea57600160ff1b1790565b90565b6236d1df60ea1b5f5260045ffd5b1490505f80613bb4565b929092613d1d575f5160206143d75f395f51905f52808086850893800994800991845f5160206143d75f395f51905f5203905f5160206143d75f395f51905f52821161342e575f5160206143d75f395f51905f52808086850894800980085f5160206143d75f395f51905f52035f5160206143d75f395f51905f52811161342e57845f5160206143d75f395f51905f528092860897085f5160206143d75f395f51905f52035f5160206143d75f395f51905f52811161342e575f5160206143d75f395f51905f52879181848195090809925f5160206143d75f395f51905f5203905f5160206143d75f395f51905f52821161342e575f5160206143d75f395f51905f52806001938193088409955f9309930190613ba2565b634e487b7160e01b5f52601260045260245ffd5b505f5160206143d75f395f51905f52821015613b0f565b906001600160401b03809116911603906001600160401b03821161342e57565b8181029291811591840414171561342e57565b6001600160401b03811161344257601f01601f191660200190565b90613da082613d7b565b613dad6040519182613a73565b8281528092613dbe601f1991613d7b565b0190602036910137565b975095929093955f5560025466ffffffffffffff8160c01c169788151598896141ff575b506001600160401b031697835192613e1c6001600160401b03613e156020880196875190613aac565b1688613ad7565b9082156141f8576001915b60ff600154928d6fffffffffffffffff00000000000000007bffffffff0000000000000000ffffffffffffffffffffffffffffffff9460401b16179063ffffffff60c01b9060c01b161793166141d2575b1916176001556141b8575b50613eb082517f000000000000000000000000000000000000000000000000000000000000000090613d68565b8151613f18613ee9613ee37f00000000000000000000000000000000000000000000000000000000000000008094613d68565b84613aac565b61131560408701517f000000000000000000000000000000000000000000000000000000000000000090613d68565b958351614071575b505050506060015161ffff16917f000000000000000000000000000000000000000000000000000000000000000090600382901b61010003907f00000000000000000000000000000000000000000000000000000000000000005f5b868110613fc257505050505050507f1ce4d2669813ca27560a77c3ca77e31a8c9de96103bf746fa1999345ee67ddb09160409163ffffffff8351921682526020820152a2565b613fcf613ee38383613d68565b80870135851c156140595785018601906014823560601c920135918260fb1c92604d841161342e577f3382ac76c403623eb9379eeda48fbb2764518f38d386de5df522f8170f203fea60206140348f9363ffffffff600198600a0a9160db1c16613d68565b845f52600c825260405f2061404a828254613aac565b9055604051908152a301613f7c565b50631149eea760e01b5f52600260045260245260445ffd5b63ffffffff845116906007549163ffffffff8316039063ffffffff821161342e5761ffff9263ffffffff6140c093979697169063ffffffff1916176007556001600160401b0387511690613ad7565b925116927f0000000000000000000000000000000000000000000000000000000000000000916001600160401b035f9416935b858110614101575050613f20565b808c8561411961411386600196613d68565b87613aac565b018a01803560601c917f1787194f85152d2911422e20fb59e1c11df89d2e8aa428e8db66eeb21e15d20760408a6001600160401b0361416f888a602460148a013560801c99013560f81c14938461419b57613aac565b1694811561419357905b6001600160801b038351921682526020820152a4016140f3565b505f90614179565b895f52600c602052855f206141b18a8254613aac565b9055613aac565b6affffffffffffffffffffff60a01b19166002555f613e83565b5060e08a901b6001600160e01b0319169091179067ffffffffffffffff60801b19613e78565b5f91613e27565b8199506001600160401b0380921610159890613dec565b5f5160206143d75f395f51905f5281108015906142b2575b6142ac575f5160206143d75f395f51905f528181920991800990805f5160206143d75f395f51905f5203915f5160206143d75f395f51905f52831161342e575f5160206143d75f395f51905f528080838195097f1aee90f15f2189693df072d799fd11fc039b2959ebb7c867d075ca8cf4d7eb8e0960010892081490565b50505f90565b505f5160206143d75f395f51905f5282101561422e565b60035460ff8160a01c166143a75760ff60a01b1916600160a01b17600355335f908152600c6020526040902054908115614398575f8080938193338352600c60205282604081205560018060a01b0316806040518381527ff7a40077ff7a04c7e61f6f26fb13774259ddf1b6bce9ecf26a8276cdd399268360203392a35af13d15614393573d61435881613d7b565b906143666040519283613a73565b81525f60203d92013e5b15614384576003805460ff60a01b19169055565b6312171d8360e31b5f5260045ffd5b614370565b6312d37ee560e31b5f5260045ffd5b63558a1e0360e11b5f5260045ffdfe73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff0000000130644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001a164736f6c6343000825000a60808060405234601557612805908161001a8239f35b5f80fdfe60806040526004361015610011575f80fd5b5f3560e01c63c549f6dc14610024575f80fd5b346100645760a036600319011261006457602061005c608435610057606435610057604435610057602435600435610068565b610068565b604051908152f35b5f80fd5b5f5160206127d95f395f51905f5281108015906127c1575b6127b2575f5160206127d95f395f51905f5282820890815f5160206127d95f395f51905f5291087f1da4d6adfb0d0b494584f763db50a81908580a5f5e295e168b9b8d31770fac4f5f5160206127d95f395f51905f529108905f5160206127d95f395f51905f529083087f0946129a2e33b4e819707a56a3b3790eab80d0a0c7a0c63451fab2a59acc074c5f5160206127d95f395f51905f529108905f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f529109905f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f5281830891825f5160206127d95f395f51905f5291087f2a39b9d5376afd35580abd6952986570867b87303b07140268794dad4b8f82ea5f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f27605717d1245c20c546b3c7014e5fa3e4a70e66ecd6de5d32448eea5e3069b25f5160206127d95f395f51905f529108905f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f529109905f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f5281830891825f5160206127d95f395f51905f5291087f24c896cb2594e17b973653193a470ed7e771ebb09a228d638e50809c037736325f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f0911096c45dd9cda0d61d783957003db6d8701c7869a919ad8042e1b7d597a495f5160206127d95f395f51905f529108905f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f529109905f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5282820891825f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f26ff6166f1e4b99e27eee6d352a8ce26f1daba01aad28021f11f38a70603afdc5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087e8e2faedcf76d08ad6591ff90e50fea79bcb5e18cfb7d954d5b89437bf64b7e5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f19c9da2379b598ace3ad4d1872470830f6184a3cec71eeb632f98820eb353d785f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f0f7c4eb15d8b0b62a8f6a090ec9610a2ab3dfcdb57e2539aa459a40583dfe96b5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f18b99417dc26b5e079750eba282362d1d46900b47dd5ff809171588b08ac39835f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f1ee044081160b3eee2d4493feab82141c73f1c054b76320a8848af08a8d91a265f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f29bb95c8763efd3e0e87f5df12ee8a150455b6d7a14780d19122220366c258dc5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f22c23eec9cb13ff8a3ee9a363d740653215e8991f7f9ec12067b4705e9a5c9fb5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f23589e033a31a667680c8b18926c3be09115c7644c4f905cc7deefc1690b42dc5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f304e99b887f2e1e92c9c0cde5f2bdd4764f60b98a219f1f0dd64ec938a6a247c5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f22e817865236ad3a76fbe88bbdf31fcae792f326271d53a3a493b2de7f7d8b4c5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f10c9efe573e86fa5b238a3f5c70a00bf02bc7dcfcc4878e026b77c881dc8b1c95f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f0a94f16be920d85f4d6f80e745c6bddbc084f309edffef023ea283c72b89bbb65f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f23ed72b4d01d14e3c7888fedb770494abc2c1ea81d6465b5df3da0ebcd69101a5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f17c5115640e4cebeed0e6cbb511ac38498df815a77cb162de8d8f1022eb6bb745f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f2e507fcca290d0d9cf765245750eb04773e09e1fc813959fb99680a82772e4fc5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f0d4a98999f5b39176af6cce65c8d12162433f055cb71d70dfc8803013292bbbf5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f238d8022cc09c21ab3c01261a03dc125321d829e22a7a3b7a1bd3c335eccfa215f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f010cd8e4c2b7051cb81dc8292e35d8e943ce365613d5b39770e454ed9f4ae1655f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f088027e54f2a3604b11178cf0ea3c6aa861173a90fb231238e03539590ecc0275f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f1b840f5311a2b1d4b4cd7aa7e5a9a6d161165468daa938108302b73e464819db5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f2bf51a5da1828a1cf9b764b1e16c15929a3a346e44198ea0cb366fcd8db78dc15f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f206ad089d8d296ffe68a6a86767a7fe726b8872f9c7beef9d56a3a50f6f238275f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f24d19193171494fa1a54e0a99ac16d05eaec4b6d617c7c199fc07ff88eac550c5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f1dd654a2ca9d9f24f33d88246a40dfb32c40662278b9c0b995d9f9fbaf1521385f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f0d171025c925f6e259d20ecbd3a601108c85f05b0fe7793b8acf57f3789785e45f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f055bef435a43aec245cd99ccb0f7c8791d9e8cf2b80d95dd98b9908fed877d555f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f10d2ac8c61c8a2e88a2a3f42d9359a14be63d0ad4cfd9f203b75765d0e595f0e5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f103479710e70996982a84057ec3ba6b2254d7966ddc41e85296e3d0790dcfa565f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f2a366f0448fda3c05914ffb48c765da8de96f9aa340db1638225f8372921807b5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f16be0fb8ef62da17919b6e0378d00594153bb8899aeb686c04626b63285837a45f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f0417038500e9d06c60abbc7f0d0d24c32dec8a0b2aa5a4d52cfd8c78a15bc3705f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f26a6873b43ffd2ccf66ec6f4493ff9b54f4d76480bc486a3e5a0308fdd0138125f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f0a3314a838f32630a96251914fe5ad262f3db9b2aa8aa9f7391922d36278c4985f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f0fde0c5429a6beb07f462d4821f48f86aeadb46a090b15a044f4b59399027da45f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f0abc2d5049972a6b9b357e4163793b0bb517e1eb535a984df11a1c89cda2c8a95f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f0dab51d6e3ebfa661d21722fb21e55051b427a5f173f7f17735205dbb77c464e5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f29c36622598b511d51af6cc37123652fb21be5c2d68fb8efe9b92e70a8c1ae035f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f2c03ec80adac2a33ae846bc0b700d0bcc41c4096e53ac6990d6bbe7ea2fbc85c5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f0918fdbe9cf3a59fbdb4c6852d065105317303116017d893b8b521e3cebe1e0d5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f1f19ec22e69ca33f599dd13cd7e495a8176a79df4f7acf79a9d2135acabe23595f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f1c4b037c8ae85ee1eb32b872eb7f76928c4c76b29ceb001346447b29110807045f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f2b68900ed906616d6c826d0bde341766ba3131e04d420de5af0a69c534efd8db5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f20ca92aa222fcc69448f8dac653c8daaa180ff6dfb397cef723d4f0c782bc7f05f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f10d22d05bdff6bb375276fc82057db337045a5ab7ac053941f6186289b66b2b65f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f0b1ffdbb529367bb98f32ba45784cb435aa910b4a00636d1e5ca79e88bdd6cd95f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f2da32b38e7984bc2ed757ec705eccf8282c7b4f82e5e515f6f89bcc33022ce9f5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f042593ad87403f6d2674b8b55a886725b87eb33958031e94d292cecc6abed1bb5f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f181fa1b4d067783a19d7367bf49b3f01051faedab463a6de9308fbd6e7d419f15f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f528282085f5160206127d95f395f51905f5283829408905f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f15aaa6cc9b7900b15683c95515c26028a8e35b00ed8a815c34927188c60de6605f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f5282820890815f5160206127d95f395f51905f5291087f1bf28a93209084bbbc63234f057254c280b1a636f5a0eced6787320212f75a7a5f5160206127d95f395f51905f52910891805f5160206127d95f395f51905f529108905f5160206127d95f395f51905f5291087f1cdb8c8bee5426f02cd9e229776118f156273b312f805c8e6f8c9d81a620cb6f5f5160206127d95f395f51905f529108905f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f529109905f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f5281830891825f5160206127d95f395f51905f5291087f08299c0abf196d53162e0facb5f1876f516df2505cc387a0f8ea0e8760d5ca7e5f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f221643d205fe82778a7b7b58cb65c4962d76c0072cabd1124117269d7c710b8a5f5160206127d95f395f51905f529108905f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f529109905f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291095f5160206127d95f395f51905f5281830891825f5160206127d95f395f51905f5291087f2d036a95f81cf49bb7a0143a28c88767f6bd10c3f74b22db487920d43343dbff5f5160206127d95f395f51905f529108915f5160206127d95f395f51905f5291087f08a50897c06aafe6ea414fb1bceca2267cd4a39486729fbc6d5d1bb7a172ebd25f5160206127d95f395f51905f5291085f5160206127d95f395f51905f52828009905f5160206127d95f395f51905f52818009805f5160206127d95f395f51905f529109905f5160206127d95f395f51905f529109915f5160206127d95f395f51905f5282849309905f5160206127d95f395f51905f529109905f5160206127d95f395f51905f5291085f5160206127d95f395f51905f529108905f5160206127d95f395f51905f52910890565b63eac0b3d960e01b5f5260045ffd5b505f5160206127d95f395f51905f5282101561008056fe30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001a164736f6c6343000825000a30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001",
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
// Solidity: constructor((address,uint8,uint16,uint16,uint16,bytes32,uint32,uint256,uint256,address,uint128,uint128,uint64,uint16,address,uint64,uint128,uint32,uint8,address,address) s) returns()
func (rollup *Rollup) PackConstructor(s RollupSettings) []byte {
	enc, err := rollup.abi.Pack("", s)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAcceptOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x79ba5097.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function acceptOwnership() returns()
func (rollup *Rollup) PackAcceptOwnership() []byte {
	enc, err := rollup.abi.Pack("acceptOwnership")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAcceptOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x79ba5097.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function acceptOwnership() returns()
func (rollup *Rollup) TryPackAcceptOwnership() ([]byte, error) {
	return rollup.abi.Pack("acceptOwnership")
}

// PackActivateExodus is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa68f9f93.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function activateExodus() returns()
func (rollup *Rollup) PackActivateExodus() []byte {
	enc, err := rollup.abi.Pack("activateExodus")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackActivateExodus is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa68f9f93.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function activateExodus() returns()
func (rollup *Rollup) TryPackActivateExodus() ([]byte, error) {
	return rollup.abi.Pack("activateExodus")
}

// PackBlobSequencerAddress is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe4ea5859.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function blobSequencerAddress() view returns(address)
func (rollup *Rollup) PackBlobSequencerAddress() []byte {
	enc, err := rollup.abi.Pack("blobSequencerAddress")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBlobSequencerAddress is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe4ea5859.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function blobSequencerAddress() view returns(address)
func (rollup *Rollup) TryPackBlobSequencerAddress() ([]byte, error) {
	return rollup.abi.Pack("blobSequencerAddress")
}

// UnpackBlobSequencerAddress is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe4ea5859.
//
// Solidity: function blobSequencerAddress() view returns(address)
func (rollup *Rollup) UnpackBlobSequencerAddress(data []byte) (common.Address, error) {
	out, err := rollup.abi.Unpack("blobSequencerAddress", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackBlobVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x75b033ed.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function blobVerifier() view returns(address)
func (rollup *Rollup) PackBlobVerifier() []byte {
	enc, err := rollup.abi.Pack("blobVerifier")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBlobVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x75b033ed.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function blobVerifier() view returns(address)
func (rollup *Rollup) TryPackBlobVerifier() ([]byte, error) {
	return rollup.abi.Pack("blobVerifier")
}

// UnpackBlobVerifier is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x75b033ed.
//
// Solidity: function blobVerifier() view returns(address)
func (rollup *Rollup) UnpackBlobVerifier(data []byte) (common.Address, error) {
	out, err := rollup.abi.Unpack("blobVerifier", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackChangeDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc55e4af8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function changeDelay() view returns(uint64)
func (rollup *Rollup) PackChangeDelay() []byte {
	enc, err := rollup.abi.Pack("changeDelay")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChangeDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc55e4af8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function changeDelay() view returns(uint64)
func (rollup *Rollup) TryPackChangeDelay() ([]byte, error) {
	return rollup.abi.Pack("changeDelay")
}

// UnpackChangeDelay is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc55e4af8.
//
// Solidity: function changeDelay() view returns(uint64)
func (rollup *Rollup) UnpackChangeDelay(data []byte) (uint64, error) {
	out, err := rollup.abi.Unpack("changeDelay", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
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

// PackClaimTo is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa262f5f8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function claimTo(address to) returns()
func (rollup *Rollup) PackClaimTo(to common.Address) []byte {
	enc, err := rollup.abi.Pack("claimTo", to)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackClaimTo is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa262f5f8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function claimTo(address to) returns()
func (rollup *Rollup) TryPackClaimTo(to common.Address) ([]byte, error) {
	return rollup.abi.Pack("claimTo", to)
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

// PackDaMode is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x59c473f7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function daMode() view returns(uint8)
func (rollup *Rollup) PackDaMode() []byte {
	enc, err := rollup.abi.Pack("daMode")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDaMode is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x59c473f7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function daMode() view returns(uint8)
func (rollup *Rollup) TryPackDaMode() ([]byte, error) {
	return rollup.abi.Pack("daMode")
}

// UnpackDaMode is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x59c473f7.
//
// Solidity: function daMode() view returns(uint8)
func (rollup *Rollup) UnpackDaMode(data []byte) (uint8, error) {
	out, err := rollup.abi.Unpack("daMode", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
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

// PackExit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x28d8a490.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function exit(uint32 index, address recipient, uint128 balance, bytes proof) returns()
func (rollup *Rollup) PackExit(index uint32, recipient common.Address, balance *big.Int, proof []byte) []byte {
	enc, err := rollup.abi.Pack("exit", index, recipient, balance, proof)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x28d8a490.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function exit(uint32 index, address recipient, uint128 balance, bytes proof) returns()
func (rollup *Rollup) TryPackExit(index uint32, recipient common.Address, balance *big.Int, proof []byte) ([]byte, error) {
	return rollup.abi.Pack("exit", index, recipient, balance, proof)
}

// PackExitVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x52822bfb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function exitVerifier() view returns(address)
func (rollup *Rollup) PackExitVerifier() []byte {
	enc, err := rollup.abi.Pack("exitVerifier")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExitVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x52822bfb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function exitVerifier() view returns(address)
func (rollup *Rollup) TryPackExitVerifier() ([]byte, error) {
	return rollup.abi.Pack("exitVerifier")
}

// UnpackExitVerifier is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x52822bfb.
//
// Solidity: function exitVerifier() view returns(address)
func (rollup *Rollup) UnpackExitVerifier(data []byte) (common.Address, error) {
	out, err := rollup.abi.Unpack("exitVerifier", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackExited is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6e78613b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function exited(uint32 index) view returns(bool)
func (rollup *Rollup) PackExited(index uint32) []byte {
	enc, err := rollup.abi.Pack("exited", index)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExited is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6e78613b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function exited(uint32 index) view returns(bool)
func (rollup *Rollup) TryPackExited(index uint32) ([]byte, error) {
	return rollup.abi.Pack("exited", index)
}

// UnpackExited is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6e78613b.
//
// Solidity: function exited(uint32 index) view returns(bool)
func (rollup *Rollup) UnpackExited(data []byte) (bool, error) {
	out, err := rollup.abi.Unpack("exited", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
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

// PackFeeAccountAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdee1e521.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function feeAccountAt(uint64 number) view returns(uint32)
func (rollup *Rollup) PackFeeAccountAt(number uint64) []byte {
	enc, err := rollup.abi.Pack("feeAccountAt", number)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFeeAccountAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdee1e521.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function feeAccountAt(uint64 number) view returns(uint32)
func (rollup *Rollup) TryPackFeeAccountAt(number uint64) ([]byte, error) {
	return rollup.abi.Pack("feeAccountAt", number)
}

// UnpackFeeAccountAt is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdee1e521.
//
// Solidity: function feeAccountAt(uint64 number) view returns(uint32)
func (rollup *Rollup) UnpackFeeAccountAt(data []byte) (uint32, error) {
	out, err := rollup.abi.Unpack("feeAccountAt", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackForcedExitChain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7403ca6d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function forcedExitChain() view returns(uint256)
func (rollup *Rollup) PackForcedExitChain() []byte {
	enc, err := rollup.abi.Pack("forcedExitChain")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackForcedExitChain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7403ca6d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function forcedExitChain() view returns(uint256)
func (rollup *Rollup) TryPackForcedExitChain() ([]byte, error) {
	return rollup.abi.Pack("forcedExitChain")
}

// UnpackForcedExitChain is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7403ca6d.
//
// Solidity: function forcedExitChain() view returns(uint256)
func (rollup *Rollup) UnpackForcedExitChain(data []byte) (*big.Int, error) {
	out, err := rollup.abi.Unpack("forcedExitChain", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackForcedExitFee is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa8f24575.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function forcedExitFee() view returns(uint128)
func (rollup *Rollup) PackForcedExitFee() []byte {
	enc, err := rollup.abi.Pack("forcedExitFee")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackForcedExitFee is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa8f24575.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function forcedExitFee() view returns(uint128)
func (rollup *Rollup) TryPackForcedExitFee() ([]byte, error) {
	return rollup.abi.Pack("forcedExitFee")
}

// UnpackForcedExitFee is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa8f24575.
//
// Solidity: function forcedExitFee() view returns(uint128)
func (rollup *Rollup) UnpackForcedExitFee(data []byte) (*big.Int, error) {
	out, err := rollup.abi.Unpack("forcedExitFee", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackForcedExitHasher is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x02e8efa4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function forcedExitHasher() view returns(address)
func (rollup *Rollup) PackForcedExitHasher() []byte {
	enc, err := rollup.abi.Pack("forcedExitHasher")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackForcedExitHasher is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x02e8efa4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function forcedExitHasher() view returns(address)
func (rollup *Rollup) TryPackForcedExitHasher() ([]byte, error) {
	return rollup.abi.Pack("forcedExitHasher")
}

// UnpackForcedExitHasher is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x02e8efa4.
//
// Solidity: function forcedExitHasher() view returns(address)
func (rollup *Rollup) UnpackForcedExitHasher(data []byte) (common.Address, error) {
	out, err := rollup.abi.Unpack("forcedExitHasher", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackForcedExitSlots is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xefb9c1aa.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function forcedExitSlots() view returns(uint16)
func (rollup *Rollup) PackForcedExitSlots() []byte {
	enc, err := rollup.abi.Pack("forcedExitSlots")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackForcedExitSlots is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xefb9c1aa.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function forcedExitSlots() view returns(uint16)
func (rollup *Rollup) TryPackForcedExitSlots() ([]byte, error) {
	return rollup.abi.Pack("forcedExitSlots")
}

// UnpackForcedExitSlots is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xefb9c1aa.
//
// Solidity: function forcedExitSlots() view returns(uint16)
func (rollup *Rollup) UnpackForcedExitSlots(data []byte) (uint16, error) {
	out, err := rollup.abi.Unpack("forcedExitSlots", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
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

// PackGenesisFeeKeyX is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9b6c547c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function genesisFeeKeyX() view returns(uint256)
func (rollup *Rollup) PackGenesisFeeKeyX() []byte {
	enc, err := rollup.abi.Pack("genesisFeeKeyX")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGenesisFeeKeyX is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9b6c547c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function genesisFeeKeyX() view returns(uint256)
func (rollup *Rollup) TryPackGenesisFeeKeyX() ([]byte, error) {
	return rollup.abi.Pack("genesisFeeKeyX")
}

// UnpackGenesisFeeKeyX is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9b6c547c.
//
// Solidity: function genesisFeeKeyX() view returns(uint256)
func (rollup *Rollup) UnpackGenesisFeeKeyX(data []byte) (*big.Int, error) {
	out, err := rollup.abi.Unpack("genesisFeeKeyX", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGenesisFeeKeyY is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc37b40df.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function genesisFeeKeyY() view returns(uint256)
func (rollup *Rollup) PackGenesisFeeKeyY() []byte {
	enc, err := rollup.abi.Pack("genesisFeeKeyY")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGenesisFeeKeyY is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc37b40df.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function genesisFeeKeyY() view returns(uint256)
func (rollup *Rollup) TryPackGenesisFeeKeyY() ([]byte, error) {
	return rollup.abi.Pack("genesisFeeKeyY")
}

// UnpackGenesisFeeKeyY is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc37b40df.
//
// Solidity: function genesisFeeKeyY() view returns(uint256)
func (rollup *Rollup) UnpackGenesisFeeKeyY(data []byte) (*big.Int, error) {
	out, err := rollup.abi.Unpack("genesisFeeKeyY", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGenesisRoot is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc7033721.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function genesisRoot() view returns(bytes32)
func (rollup *Rollup) PackGenesisRoot() []byte {
	enc, err := rollup.abi.Pack("genesisRoot")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGenesisRoot is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc7033721.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function genesisRoot() view returns(bytes32)
func (rollup *Rollup) TryPackGenesisRoot() ([]byte, error) {
	return rollup.abi.Pack("genesisRoot")
}

// UnpackGenesisRoot is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc7033721.
//
// Solidity: function genesisRoot() view returns(bytes32)
func (rollup *Rollup) UnpackGenesisRoot(data []byte) ([32]byte, error) {
	out, err := rollup.abi.Unpack("genesisRoot", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
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

// PackMaxOpenForcedExits is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8d197b73.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function maxOpenForcedExits() view returns(uint32)
func (rollup *Rollup) PackMaxOpenForcedExits() []byte {
	enc, err := rollup.abi.Pack("maxOpenForcedExits")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMaxOpenForcedExits is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8d197b73.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function maxOpenForcedExits() view returns(uint32)
func (rollup *Rollup) TryPackMaxOpenForcedExits() ([]byte, error) {
	return rollup.abi.Pack("maxOpenForcedExits")
}

// UnpackMaxOpenForcedExits is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8d197b73.
//
// Solidity: function maxOpenForcedExits() view returns(uint32)
func (rollup *Rollup) UnpackMaxOpenForcedExits(data []byte) (uint32, error) {
	out, err := rollup.abi.Unpack("maxOpenForcedExits", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackMinDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x41b3d185.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function minDeposit() view returns(uint128)
func (rollup *Rollup) PackMinDeposit() []byte {
	enc, err := rollup.abi.Pack("minDeposit")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMinDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x41b3d185.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function minDeposit() view returns(uint128)
func (rollup *Rollup) TryPackMinDeposit() ([]byte, error) {
	return rollup.abi.Pack("minDeposit")
}

// UnpackMinDeposit is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x41b3d185.
//
// Solidity: function minDeposit() view returns(uint128)
func (rollup *Rollup) UnpackMinDeposit(data []byte) (*big.Int, error) {
	out, err := rollup.abi.Unpack("minDeposit", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
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

// PackNextFeeAccount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xece53409.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nextFeeAccount() view returns(uint32)
func (rollup *Rollup) PackNextFeeAccount() []byte {
	enc, err := rollup.abi.Pack("nextFeeAccount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNextFeeAccount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xece53409.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nextFeeAccount() view returns(uint32)
func (rollup *Rollup) TryPackNextFeeAccount() ([]byte, error) {
	return rollup.abi.Pack("nextFeeAccount")
}

// UnpackNextFeeAccount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xece53409.
//
// Solidity: function nextFeeAccount() view returns(uint32)
func (rollup *Rollup) UnpackNextFeeAccount(data []byte) (uint32, error) {
	out, err := rollup.abi.Unpack("nextFeeAccount", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackNextFeeAccountFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x117fe794.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nextFeeAccountFrom() view returns(uint64)
func (rollup *Rollup) PackNextFeeAccountFrom() []byte {
	enc, err := rollup.abi.Pack("nextFeeAccountFrom")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNextFeeAccountFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x117fe794.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nextFeeAccountFrom() view returns(uint64)
func (rollup *Rollup) TryPackNextFeeAccountFrom() ([]byte, error) {
	return rollup.abi.Pack("nextFeeAccountFrom")
}

// UnpackNextFeeAccountFrom is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x117fe794.
//
// Solidity: function nextFeeAccountFrom() view returns(uint64)
func (rollup *Rollup) UnpackNextFeeAccountFrom(data []byte) (uint64, error) {
	out, err := rollup.abi.Unpack("nextFeeAccountFrom", data)
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

// PackOpenForcedExits is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd487166f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function openForcedExits() view returns(uint32)
func (rollup *Rollup) PackOpenForcedExits() []byte {
	enc, err := rollup.abi.Pack("openForcedExits")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOpenForcedExits is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd487166f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function openForcedExits() view returns(uint32)
func (rollup *Rollup) TryPackOpenForcedExits() ([]byte, error) {
	return rollup.abi.Pack("openForcedExits")
}

// UnpackOpenForcedExits is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd487166f.
//
// Solidity: function openForcedExits() view returns(uint32)
func (rollup *Rollup) UnpackOpenForcedExits(data []byte) (uint32, error) {
	out, err := rollup.abi.Unpack("openForcedExits", data)
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

// PackPendingOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe30c3978.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pendingOwner() view returns(address)
func (rollup *Rollup) PackPendingOwner() []byte {
	enc, err := rollup.abi.Pack("pendingOwner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPendingOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe30c3978.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pendingOwner() view returns(address)
func (rollup *Rollup) TryPackPendingOwner() ([]byte, error) {
	return rollup.abi.Pack("pendingOwner")
}

// UnpackPendingOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe30c3978.
//
// Solidity: function pendingOwner() view returns(address)
func (rollup *Rollup) UnpackPendingOwner(data []byte) (common.Address, error) {
	out, err := rollup.abi.Unpack("pendingOwner", data)
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

// PackPriorityExpiry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbbb793dc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function priorityExpiry() view returns(uint64)
func (rollup *Rollup) PackPriorityExpiry() []byte {
	enc, err := rollup.abi.Pack("priorityExpiry")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPriorityExpiry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbbb793dc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function priorityExpiry() view returns(uint64)
func (rollup *Rollup) TryPackPriorityExpiry() ([]byte, error) {
	return rollup.abi.Pack("priorityExpiry")
}

// UnpackPriorityExpiry is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbbb793dc.
//
// Solidity: function priorityExpiry() view returns(uint64)
func (rollup *Rollup) UnpackPriorityExpiry(data []byte) (uint64, error) {
	out, err := rollup.abi.Unpack("priorityExpiry", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
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

// PackQueueCommitments is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xeb8317ec.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function queueCommitments(uint256 ) view returns(bytes32)
func (rollup *Rollup) PackQueueCommitments(arg0 *big.Int) []byte {
	enc, err := rollup.abi.Pack("queueCommitments", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackQueueCommitments is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xeb8317ec.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function queueCommitments(uint256 ) view returns(bytes32)
func (rollup *Rollup) TryPackQueueCommitments(arg0 *big.Int) ([]byte, error) {
	return rollup.abi.Pack("queueCommitments", arg0)
}

// UnpackQueueCommitments is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xeb8317ec.
//
// Solidity: function queueCommitments(uint256 ) view returns(bytes32)
func (rollup *Rollup) UnpackQueueCommitments(data []byte) ([32]byte, error) {
	out, err := rollup.abi.Unpack("queueCommitments", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackQueueExpiry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x963c2275.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function queueExpiry(uint256 ) view returns(uint64)
func (rollup *Rollup) PackQueueExpiry(arg0 *big.Int) []byte {
	enc, err := rollup.abi.Pack("queueExpiry", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackQueueExpiry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x963c2275.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function queueExpiry(uint256 ) view returns(uint64)
func (rollup *Rollup) TryPackQueueExpiry(arg0 *big.Int) ([]byte, error) {
	return rollup.abi.Pack("queueExpiry", arg0)
}

// UnpackQueueExpiry is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x963c2275.
//
// Solidity: function queueExpiry(uint256 ) view returns(uint64)
func (rollup *Rollup) UnpackQueueExpiry(data []byte) (uint64, error) {
	out, err := rollup.abi.Unpack("queueExpiry", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackRefundDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x90119552.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function refundDeposit(uint64 queueIndex, bytes32 key, uint128 amount, address depositor) returns()
func (rollup *Rollup) PackRefundDeposit(queueIndex uint64, key [32]byte, amount *big.Int, depositor common.Address) []byte {
	enc, err := rollup.abi.Pack("refundDeposit", queueIndex, key, amount, depositor)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRefundDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x90119552.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function refundDeposit(uint64 queueIndex, bytes32 key, uint128 amount, address depositor) returns()
func (rollup *Rollup) TryPackRefundDeposit(queueIndex uint64, key [32]byte, amount *big.Int, depositor common.Address) ([]byte, error) {
	return rollup.abi.Pack("refundDeposit", queueIndex, key, amount, depositor)
}

// PackRequestForcedExit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x20b7a8ec.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function requestForcedExit(uint32 index, address recipient, uint32 nonce, uint256 rx, uint256 ry, uint256 s) payable returns()
func (rollup *Rollup) PackRequestForcedExit(index uint32, recipient common.Address, nonce uint32, rx *big.Int, ry *big.Int, s *big.Int) []byte {
	enc, err := rollup.abi.Pack("requestForcedExit", index, recipient, nonce, rx, ry, s)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRequestForcedExit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x20b7a8ec.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function requestForcedExit(uint32 index, address recipient, uint32 nonce, uint256 rx, uint256 ry, uint256 s) payable returns()
func (rollup *Rollup) TryPackRequestForcedExit(index uint32, recipient common.Address, nonce uint32, rx *big.Int, ry *big.Int, s *big.Int) ([]byte, error) {
	return rollup.abi.Pack("requestForcedExit", index, recipient, nonce, rx, ry, s)
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

// PackSetBlobSequencerAddress is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbc58765f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setBlobSequencerAddress(address s) returns()
func (rollup *Rollup) PackSetBlobSequencerAddress(s common.Address) []byte {
	enc, err := rollup.abi.Pack("setBlobSequencerAddress", s)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetBlobSequencerAddress is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbc58765f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setBlobSequencerAddress(address s) returns()
func (rollup *Rollup) TryPackSetBlobSequencerAddress(s common.Address) ([]byte, error) {
	return rollup.abi.Pack("setBlobSequencerAddress", s)
}

// PackSetDepositLimits is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x73cc0a6f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setDepositLimits(uint128 minimum, uint128 cap) returns()
func (rollup *Rollup) PackSetDepositLimits(minimum *big.Int, cap *big.Int) []byte {
	enc, err := rollup.abi.Pack("setDepositLimits", minimum, cap)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetDepositLimits is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x73cc0a6f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setDepositLimits(uint128 minimum, uint128 cap) returns()
func (rollup *Rollup) TryPackSetDepositLimits(minimum *big.Int, cap *big.Int) ([]byte, error) {
	return rollup.abi.Pack("setDepositLimits", minimum, cap)
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

// PackSetForcedExitFee is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc538c365.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setForcedExitFee(uint128 fee) returns()
func (rollup *Rollup) PackSetForcedExitFee(fee *big.Int) []byte {
	enc, err := rollup.abi.Pack("setForcedExitFee", fee)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetForcedExitFee is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc538c365.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setForcedExitFee(uint128 fee) returns()
func (rollup *Rollup) TryPackSetForcedExitFee(fee *big.Int) ([]byte, error) {
	return rollup.abi.Pack("setForcedExitFee", fee)
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
// the contract method with ID 0x8900accd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function submitBatch(uint64 number, bytes32 oldRoot, bytes32 newRoot, uint16 nDeposits, uint16 nForcedExits, uint16 nTransfers, uint16 nWithdrawals, bytes pubdata, bytes depositors, bytes proof) returns()
func (rollup *Rollup) PackSubmitBatch(number uint64, oldRoot [32]byte, newRoot [32]byte, nDeposits uint16, nForcedExits uint16, nTransfers uint16, nWithdrawals uint16, pubdata []byte, depositors []byte, proof []byte) []byte {
	enc, err := rollup.abi.Pack("submitBatch", number, oldRoot, newRoot, nDeposits, nForcedExits, nTransfers, nWithdrawals, pubdata, depositors, proof)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSubmitBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8900accd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function submitBatch(uint64 number, bytes32 oldRoot, bytes32 newRoot, uint16 nDeposits, uint16 nForcedExits, uint16 nTransfers, uint16 nWithdrawals, bytes pubdata, bytes depositors, bytes proof) returns()
func (rollup *Rollup) TryPackSubmitBatch(number uint64, oldRoot [32]byte, newRoot [32]byte, nDeposits uint16, nForcedExits uint16, nTransfers uint16, nWithdrawals uint16, pubdata []byte, depositors []byte, proof []byte) ([]byte, error) {
	return rollup.abi.Pack("submitBatch", number, oldRoot, newRoot, nDeposits, nForcedExits, nTransfers, nWithdrawals, pubdata, depositors, proof)
}

// PackSubmitBlobBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1bf8f58d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function submitBlobBatch(uint256 head, bytes32 newRoot, bytes32 dataHash, uint256 v, bytes data) returns()
func (rollup *Rollup) PackSubmitBlobBatch(head *big.Int, newRoot [32]byte, dataHash [32]byte, v *big.Int, data []byte) []byte {
	enc, err := rollup.abi.Pack("submitBlobBatch", head, newRoot, dataHash, v, data)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSubmitBlobBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1bf8f58d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function submitBlobBatch(uint256 head, bytes32 newRoot, bytes32 dataHash, uint256 v, bytes data) returns()
func (rollup *Rollup) TryPackSubmitBlobBatch(head *big.Int, newRoot [32]byte, dataHash [32]byte, v *big.Int, data []byte) ([]byte, error) {
	return rollup.abi.Pack("submitBlobBatch", head, newRoot, dataHash, v, data)
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
	Number      uint64
	FeeAccount  uint32
	PublicInput *big.Int
	Raw         *types.Log // Blockchain specific contextual infos
}

const RollupBatchSubmittedEventName = "BatchSubmitted"

// ContractEventName returns the user-defined event name.
func (RollupBatchSubmitted) ContractEventName() string {
	return RollupBatchSubmittedEventName
}

// UnpackBatchSubmittedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event BatchSubmitted(uint64 indexed number, uint32 feeAccount, uint256 publicInput)
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

// RollupBlobSequencerChanged represents a BlobSequencerChanged event raised by the Rollup contract.
type RollupBlobSequencerChanged struct {
	Previous common.Address
	Current  common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const RollupBlobSequencerChangedEventName = "BlobSequencerChanged"

// ContractEventName returns the user-defined event name.
func (RollupBlobSequencerChanged) ContractEventName() string {
	return RollupBlobSequencerChangedEventName
}

// UnpackBlobSequencerChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event BlobSequencerChanged(address indexed previous, address indexed current)
func (rollup *Rollup) UnpackBlobSequencerChangedEvent(log *types.Log) (*RollupBlobSequencerChanged, error) {
	event := "BlobSequencerChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupBlobSequencerChanged)
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
	Account common.Address
	To      common.Address
	Amount  *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const RollupClaimedEventName = "Claimed"

// ContractEventName returns the user-defined event name.
func (RollupClaimed) ContractEventName() string {
	return RollupClaimedEventName
}

// UnpackClaimedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Claimed(address indexed account, address indexed to, uint256 amount)
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

// RollupDepositLimitsChanged represents a DepositLimitsChanged event raised by the Rollup contract.
type RollupDepositLimitsChanged struct {
	MinDeposit *big.Int
	DepositCap *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const RollupDepositLimitsChangedEventName = "DepositLimitsChanged"

// ContractEventName returns the user-defined event name.
func (RollupDepositLimitsChanged) ContractEventName() string {
	return RollupDepositLimitsChangedEventName
}

// UnpackDepositLimitsChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DepositLimitsChanged(uint128 minDeposit, uint128 depositCap)
func (rollup *Rollup) UnpackDepositLimitsChangedEvent(log *types.Log) (*RollupDepositLimitsChanged, error) {
	event := "DepositLimitsChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupDepositLimitsChanged)
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

// RollupDepositRefunded represents a DepositRefunded event raised by the Rollup contract.
type RollupDepositRefunded struct {
	QueueIndex uint64
	Depositor  common.Address
	Amount     *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const RollupDepositRefundedEventName = "DepositRefunded"

// ContractEventName returns the user-defined event name.
func (RollupDepositRefunded) ContractEventName() string {
	return RollupDepositRefundedEventName
}

// UnpackDepositRefundedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DepositRefunded(uint64 indexed queueIndex, address indexed depositor, uint128 amount)
func (rollup *Rollup) UnpackDepositRefundedEvent(log *types.Log) (*RollupDepositRefunded, error) {
	event := "DepositRefunded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupDepositRefunded)
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

// RollupExited represents a Exited event raised by the Rollup contract.
type RollupExited struct {
	Index     uint32
	Recipient common.Address
	Balance   *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const RollupExitedEventName = "Exited"

// ContractEventName returns the user-defined event name.
func (RollupExited) ContractEventName() string {
	return RollupExitedEventName
}

// UnpackExitedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Exited(uint32 indexed index, address indexed recipient, uint128 balance)
func (rollup *Rollup) UnpackExitedEvent(log *types.Log) (*RollupExited, error) {
	event := "Exited"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupExited)
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

// RollupExodusActivated represents a ExodusActivated event raised by the Rollup contract.
type RollupExodusActivated struct {
	QueueIndex uint64
	Expiry     uint64
	StateRoot  [32]byte
	Raw        *types.Log // Blockchain specific contextual infos
}

const RollupExodusActivatedEventName = "ExodusActivated"

// ContractEventName returns the user-defined event name.
func (RollupExodusActivated) ContractEventName() string {
	return RollupExodusActivatedEventName
}

// UnpackExodusActivatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ExodusActivated(uint64 queueIndex, uint64 expiry, bytes32 stateRoot)
func (rollup *Rollup) UnpackExodusActivatedEvent(log *types.Log) (*RollupExodusActivated, error) {
	event := "ExodusActivated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupExodusActivated)
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

// RollupFeeAccountScheduled represents a FeeAccountScheduled event raised by the Rollup contract.
type RollupFeeAccountScheduled struct {
	FeeAccount uint32
	FromBatch  uint64
	Raw        *types.Log // Blockchain specific contextual infos
}

const RollupFeeAccountScheduledEventName = "FeeAccountScheduled"

// ContractEventName returns the user-defined event name.
func (RollupFeeAccountScheduled) ContractEventName() string {
	return RollupFeeAccountScheduledEventName
}

// UnpackFeeAccountScheduledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event FeeAccountScheduled(uint32 feeAccount, uint64 fromBatch)
func (rollup *Rollup) UnpackFeeAccountScheduledEvent(log *types.Log) (*RollupFeeAccountScheduled, error) {
	event := "FeeAccountScheduled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupFeeAccountScheduled)
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

// RollupForcedExitFeeChanged represents a ForcedExitFeeChanged event raised by the Rollup contract.
type RollupForcedExitFeeChanged struct {
	Fee *big.Int
	Raw *types.Log // Blockchain specific contextual infos
}

const RollupForcedExitFeeChangedEventName = "ForcedExitFeeChanged"

// ContractEventName returns the user-defined event name.
func (RollupForcedExitFeeChanged) ContractEventName() string {
	return RollupForcedExitFeeChangedEventName
}

// UnpackForcedExitFeeChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ForcedExitFeeChanged(uint128 fee)
func (rollup *Rollup) UnpackForcedExitFeeChangedEvent(log *types.Log) (*RollupForcedExitFeeChanged, error) {
	event := "ForcedExitFeeChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupForcedExitFeeChanged)
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

// RollupForcedExitProcessed represents a ForcedExitProcessed event raised by the Rollup contract.
type RollupForcedExitProcessed struct {
	Batch      uint64
	QueueIndex uint64
	To         common.Address
	Amount     *big.Int
	Valid      bool
	Raw        *types.Log // Blockchain specific contextual infos
}

const RollupForcedExitProcessedEventName = "ForcedExitProcessed"

// ContractEventName returns the user-defined event name.
func (RollupForcedExitProcessed) ContractEventName() string {
	return RollupForcedExitProcessedEventName
}

// UnpackForcedExitProcessedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ForcedExitProcessed(uint64 indexed batch, uint64 indexed queueIndex, address indexed to, uint128 amount, bool valid)
func (rollup *Rollup) UnpackForcedExitProcessedEvent(log *types.Log) (*RollupForcedExitProcessed, error) {
	event := "ForcedExitProcessed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupForcedExitProcessed)
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

// RollupForcedExitRequested represents a ForcedExitRequested event raised by the Rollup contract.
type RollupForcedExitRequested struct {
	QueueIndex uint64
	Index      uint32
	Recipient  common.Address
	Nonce      uint32
	Rx         *big.Int
	Ry         *big.Int
	S          *big.Int
	PrevChain  *big.Int
	Chain      *big.Int
	Expiry     uint64
	Raw        *types.Log // Blockchain specific contextual infos
}

const RollupForcedExitRequestedEventName = "ForcedExitRequested"

// ContractEventName returns the user-defined event name.
func (RollupForcedExitRequested) ContractEventName() string {
	return RollupForcedExitRequestedEventName
}

// UnpackForcedExitRequestedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ForcedExitRequested(uint64 indexed queueIndex, uint32 indexed index, address recipient, uint32 nonce, uint256 rx, uint256 ry, uint256 s, uint256 prevChain, uint256 chain, uint64 expiry)
func (rollup *Rollup) UnpackForcedExitRequestedEvent(log *types.Log) (*RollupForcedExitRequested, error) {
	event := "ForcedExitRequested"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupForcedExitRequested)
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

// RollupOwnershipTransferStarted represents a OwnershipTransferStarted event raised by the Rollup contract.
type RollupOwnershipTransferStarted struct {
	Owner        common.Address
	PendingOwner common.Address
	Raw          *types.Log // Blockchain specific contextual infos
}

const RollupOwnershipTransferStartedEventName = "OwnershipTransferStarted"

// ContractEventName returns the user-defined event name.
func (RollupOwnershipTransferStarted) ContractEventName() string {
	return RollupOwnershipTransferStartedEventName
}

// UnpackOwnershipTransferStartedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnershipTransferStarted(address indexed owner, address indexed pendingOwner)
func (rollup *Rollup) UnpackOwnershipTransferStartedEvent(log *types.Log) (*RollupOwnershipTransferStarted, error) {
	event := "OwnershipTransferStarted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupOwnershipTransferStarted)
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
	if bytes.Equal(raw[:4], rollup.abi.Errors["AlreadyExited"].ID.Bytes()[:4]) {
		return rollup.UnpackAlreadyExitedError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadBlobData"].ID.Bytes()[:4]) {
		return rollup.UnpackBadBlobDataError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadBlobValue"].ID.Bytes()[:4]) {
		return rollup.UnpackBadBlobValueError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadConfig"].ID.Bytes()[:4]) {
		return rollup.UnpackBadConfigError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadCounts"].ID.Bytes()[:4]) {
		return rollup.UnpackBadCountsError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadDataHash"].ID.Bytes()[:4]) {
		return rollup.UnpackBadDataHashError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadDepositors"].ID.Bytes()[:4]) {
		return rollup.UnpackBadDepositorsError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadFeeAccount"].ID.Bytes()[:4]) {
		return rollup.UnpackBadFeeAccountError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadForcedExit"].ID.Bytes()[:4]) {
		return rollup.UnpackBadForcedExitError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadHead"].ID.Bytes()[:4]) {
		return rollup.UnpackBadHeadError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadPubdataLength"].ID.Bytes()[:4]) {
		return rollup.UnpackBadPubdataLengthError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadPublicKey"].ID.Bytes()[:4]) {
		return rollup.UnpackBadPublicKeyError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadRecipient"].ID.Bytes()[:4]) {
		return rollup.UnpackBadRecipientError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadRoot"].ID.Bytes()[:4]) {
		return rollup.UnpackBadRootError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BlobProofFailed"].ID.Bytes()[:4]) {
		return rollup.UnpackBlobProofFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["DepositMismatch"].ID.Bytes()[:4]) {
		return rollup.UnpackDepositMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["DepositTooLarge"].ID.Bytes()[:4]) {
		return rollup.UnpackDepositTooLargeError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["DepositTooSmall"].ID.Bytes()[:4]) {
		return rollup.UnpackDepositTooSmallError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["EmptySlot"].ID.Bytes()[:4]) {
		return rollup.UnpackEmptySlotError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["FeeAccountChangePending"].ID.Bytes()[:4]) {
		return rollup.UnpackFeeAccountChangePendingError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["ForcedExitsDisabled"].ID.Bytes()[:4]) {
		return rollup.UnpackForcedExitsDisabledError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["Frozen"].ID.Bytes()[:4]) {
		return rollup.UnpackFrozenError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NoBlob"].ID.Bytes()[:4]) {
		return rollup.UnpackNoBlobError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NotBlobMode"].ID.Bytes()[:4]) {
		return rollup.UnpackNotBlobModeError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NotCalldataMode"].ID.Bytes()[:4]) {
		return rollup.UnpackNotCalldataModeError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NotExpired"].ID.Bytes()[:4]) {
		return rollup.UnpackNotExpiredError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NotFrozen"].ID.Bytes()[:4]) {
		return rollup.UnpackNotFrozenError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return rollup.UnpackNotOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NotPendingOwner"].ID.Bytes()[:4]) {
		return rollup.UnpackNotPendingOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NotRefundable"].ID.Bytes()[:4]) {
		return rollup.UnpackNotRefundableError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NotSequencer"].ID.Bytes()[:4]) {
		return rollup.UnpackNotSequencerError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NothingToClaim"].ID.Bytes()[:4]) {
		return rollup.UnpackNothingToClaimError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["QueueEmpty"].ID.Bytes()[:4]) {
		return rollup.UnpackQueueEmptyError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["QueueKindMismatch"].ID.Bytes()[:4]) {
		return rollup.UnpackQueueKindMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["QueueShort"].ID.Bytes()[:4]) {
		return rollup.UnpackQueueShortError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["Reentrancy"].ID.Bytes()[:4]) {
		return rollup.UnpackReentrancyError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["TooManyForcedExits"].ID.Bytes()[:4]) {
		return rollup.UnpackTooManyForcedExitsError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return rollup.UnpackTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["TreeFull"].ID.Bytes()[:4]) {
		return rollup.UnpackTreeFullError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["WrongBatchNumber"].ID.Bytes()[:4]) {
		return rollup.UnpackWrongBatchNumberError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["WrongFee"].ID.Bytes()[:4]) {
		return rollup.UnpackWrongFeeError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["WrongOldRoot"].ID.Bytes()[:4]) {
		return rollup.UnpackWrongOldRootError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// RollupAlreadyExited represents a AlreadyExited error raised by the Rollup contract.
type RollupAlreadyExited struct {
	Index uint32
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyExited(uint32 index)
func RollupAlreadyExitedErrorID() common.Hash {
	return common.HexToHash("0x1e946a9cbe17a94b277ae278c816181edc664bd818928696d8181d27188dae3e")
}

// UnpackAlreadyExitedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyExited(uint32 index)
func (rollup *Rollup) UnpackAlreadyExitedError(raw []byte) (*RollupAlreadyExited, error) {
	out := new(RollupAlreadyExited)
	if err := rollup.abi.UnpackIntoInterface(out, "AlreadyExited", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupBadBlobData represents a BadBlobData error raised by the Rollup contract.
type RollupBadBlobData struct {
	AtLeast *big.Int
	Got     *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadBlobData(uint256 atLeast, uint256 got)
func RollupBadBlobDataErrorID() common.Hash {
	return common.HexToHash("0x9e0accc16b32d0ef92a213bda1cc152fa07e46cb81a6e34880f8a89eb451289a")
}

// UnpackBadBlobDataError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadBlobData(uint256 atLeast, uint256 got)
func (rollup *Rollup) UnpackBadBlobDataError(raw []byte) (*RollupBadBlobData, error) {
	out := new(RollupBadBlobData)
	if err := rollup.abi.UnpackIntoInterface(out, "BadBlobData", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupBadBlobValue represents a BadBlobValue error raised by the Rollup contract.
type RollupBadBlobValue struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadBlobValue()
func RollupBadBlobValueErrorID() common.Hash {
	return common.HexToHash("0xdc37cb8c036a3e9ec11f50f8cf5a206a11b1cd58d56ee4cd0c7be7be80371ffb")
}

// UnpackBadBlobValueError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadBlobValue()
func (rollup *Rollup) UnpackBadBlobValueError(raw []byte) (*RollupBadBlobValue, error) {
	out := new(RollupBadBlobValue)
	if err := rollup.abi.UnpackIntoInterface(out, "BadBlobValue", raw); err != nil {
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

// RollupBadDataHash represents a BadDataHash error raised by the Rollup contract.
type RollupBadDataHash struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadDataHash()
func RollupBadDataHashErrorID() common.Hash {
	return common.HexToHash("0xd73f9619bfad35603a8932ac1b5b59ef36bacb34a397964cd439511c50185a9d")
}

// UnpackBadDataHashError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadDataHash()
func (rollup *Rollup) UnpackBadDataHashError(raw []byte) (*RollupBadDataHash, error) {
	out := new(RollupBadDataHash)
	if err := rollup.abi.UnpackIntoInterface(out, "BadDataHash", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupBadDepositors represents a BadDepositors error raised by the Rollup contract.
type RollupBadDepositors struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadDepositors()
func RollupBadDepositorsErrorID() common.Hash {
	return common.HexToHash("0xd179c7eacefdd5650e8f4883ca3bc2d40986c89a0dc9e43348f5ff144e34b7ae")
}

// UnpackBadDepositorsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadDepositors()
func (rollup *Rollup) UnpackBadDepositorsError(raw []byte) (*RollupBadDepositors, error) {
	out := new(RollupBadDepositors)
	if err := rollup.abi.UnpackIntoInterface(out, "BadDepositors", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupBadFeeAccount represents a BadFeeAccount error raised by the Rollup contract.
type RollupBadFeeAccount struct {
	Account   uint32
	NextIndex uint32
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadFeeAccount(uint32 account, uint32 nextIndex)
func RollupBadFeeAccountErrorID() common.Hash {
	return common.HexToHash("0xd985433b2cf0ebe57ecfc75cd1663272063a9112009aa2800408cc0c195d6381")
}

// UnpackBadFeeAccountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadFeeAccount(uint32 account, uint32 nextIndex)
func (rollup *Rollup) UnpackBadFeeAccountError(raw []byte) (*RollupBadFeeAccount, error) {
	out := new(RollupBadFeeAccount)
	if err := rollup.abi.UnpackIntoInterface(out, "BadFeeAccount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupBadForcedExit represents a BadForcedExit error raised by the Rollup contract.
type RollupBadForcedExit struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadForcedExit()
func RollupBadForcedExitErrorID() common.Hash {
	return common.HexToHash("0x3dc778da7fe1653bf28831eca1f5fa549396119dfbe36eb3b479fe9a9eac8390")
}

// UnpackBadForcedExitError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadForcedExit()
func (rollup *Rollup) UnpackBadForcedExitError(raw []byte) (*RollupBadForcedExit, error) {
	out := new(RollupBadForcedExit)
	if err := rollup.abi.UnpackIntoInterface(out, "BadForcedExit", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupBadHead represents a BadHead error raised by the Rollup contract.
type RollupBadHead struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadHead()
func RollupBadHeadErrorID() common.Hash {
	return common.HexToHash("0x30dcda06345e536c3168d523f6bc2a82c288325623ab6dc93b132a9629eb602b")
}

// UnpackBadHeadError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadHead()
func (rollup *Rollup) UnpackBadHeadError(raw []byte) (*RollupBadHead, error) {
	out := new(RollupBadHead)
	if err := rollup.abi.UnpackIntoInterface(out, "BadHead", raw); err != nil {
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

// RollupBadRecipient represents a BadRecipient error raised by the Rollup contract.
type RollupBadRecipient struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadRecipient()
func RollupBadRecipientErrorID() common.Hash {
	return common.HexToHash("0x67a2cc26f08d48fe23887a2dc9ef6aad11816d32578024f4a106e08c02451210")
}

// UnpackBadRecipientError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadRecipient()
func (rollup *Rollup) UnpackBadRecipientError(raw []byte) (*RollupBadRecipient, error) {
	out := new(RollupBadRecipient)
	if err := rollup.abi.UnpackIntoInterface(out, "BadRecipient", raw); err != nil {
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

// RollupBlobProofFailed represents a BlobProofFailed error raised by the Rollup contract.
type RollupBlobProofFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BlobProofFailed()
func RollupBlobProofFailedErrorID() common.Hash {
	return common.HexToHash("0x5501c899924b290545d041f641af0c3db77d78b84c850af4c64086d4a5a7c497")
}

// UnpackBlobProofFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BlobProofFailed()
func (rollup *Rollup) UnpackBlobProofFailedError(raw []byte) (*RollupBlobProofFailed, error) {
	out := new(RollupBlobProofFailed)
	if err := rollup.abi.UnpackIntoInterface(out, "BlobProofFailed", raw); err != nil {
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

// RollupDepositTooLarge represents a DepositTooLarge error raised by the Rollup contract.
type RollupDepositTooLarge struct {
	Amount *big.Int
	Cap    *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DepositTooLarge(uint256 amount, uint256 cap)
func RollupDepositTooLargeErrorID() common.Hash {
	return common.HexToHash("0xf7b6567073c009de79258eba099fe6b4c9ee58367c789ca852cde5fe6172fc4c")
}

// UnpackDepositTooLargeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DepositTooLarge(uint256 amount, uint256 cap)
func (rollup *Rollup) UnpackDepositTooLargeError(raw []byte) (*RollupDepositTooLarge, error) {
	out := new(RollupDepositTooLarge)
	if err := rollup.abi.UnpackIntoInterface(out, "DepositTooLarge", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupDepositTooSmall represents a DepositTooSmall error raised by the Rollup contract.
type RollupDepositTooSmall struct {
	Amount  *big.Int
	Minimum *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DepositTooSmall(uint256 amount, uint256 minimum)
func RollupDepositTooSmallErrorID() common.Hash {
	return common.HexToHash("0x4a77f2fa62296c5cc216025004b03ed11b511d575baed7939c8b78bbe939738d")
}

// UnpackDepositTooSmallError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DepositTooSmall(uint256 amount, uint256 minimum)
func (rollup *Rollup) UnpackDepositTooSmallError(raw []byte) (*RollupDepositTooSmall, error) {
	out := new(RollupDepositTooSmall)
	if err := rollup.abi.UnpackIntoInterface(out, "DepositTooSmall", raw); err != nil {
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

// RollupFeeAccountChangePending represents a FeeAccountChangePending error raised by the Rollup contract.
type RollupFeeAccountChangePending struct {
	FeeAccount uint32
	FromBatch  uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error FeeAccountChangePending(uint32 feeAccount, uint64 fromBatch)
func RollupFeeAccountChangePendingErrorID() common.Hash {
	return common.HexToHash("0xbf12e6820b0d1b80ba4d078931e4b8d5471ba21e1daadb7d4f3cbe87c9ebf83f")
}

// UnpackFeeAccountChangePendingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error FeeAccountChangePending(uint32 feeAccount, uint64 fromBatch)
func (rollup *Rollup) UnpackFeeAccountChangePendingError(raw []byte) (*RollupFeeAccountChangePending, error) {
	out := new(RollupFeeAccountChangePending)
	if err := rollup.abi.UnpackIntoInterface(out, "FeeAccountChangePending", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupForcedExitsDisabled represents a ForcedExitsDisabled error raised by the Rollup contract.
type RollupForcedExitsDisabled struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ForcedExitsDisabled()
func RollupForcedExitsDisabledErrorID() common.Hash {
	return common.HexToHash("0xd167b76f92ef9f74d127fa183ce1e4599f4d81c6813fffd9abe5c631c9a19f29")
}

// UnpackForcedExitsDisabledError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ForcedExitsDisabled()
func (rollup *Rollup) UnpackForcedExitsDisabledError(raw []byte) (*RollupForcedExitsDisabled, error) {
	out := new(RollupForcedExitsDisabled)
	if err := rollup.abi.UnpackIntoInterface(out, "ForcedExitsDisabled", raw); err != nil {
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

// RollupNoBlob represents a NoBlob error raised by the Rollup contract.
type RollupNoBlob struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoBlob()
func RollupNoBlobErrorID() common.Hash {
	return common.HexToHash("0xeb2c7b8ebda0fac4b27afef0933d2d4b6f90daa567d76de9b23546985e8886e9")
}

// UnpackNoBlobError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoBlob()
func (rollup *Rollup) UnpackNoBlobError(raw []byte) (*RollupNoBlob, error) {
	out := new(RollupNoBlob)
	if err := rollup.abi.UnpackIntoInterface(out, "NoBlob", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupNotBlobMode represents a NotBlobMode error raised by the Rollup contract.
type RollupNotBlobMode struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotBlobMode()
func RollupNotBlobModeErrorID() common.Hash {
	return common.HexToHash("0x0c67255b553e9b58f32c1b1a64bcf8ab3c68358937a10236b438ff17b7ca0efa")
}

// UnpackNotBlobModeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotBlobMode()
func (rollup *Rollup) UnpackNotBlobModeError(raw []byte) (*RollupNotBlobMode, error) {
	out := new(RollupNotBlobMode)
	if err := rollup.abi.UnpackIntoInterface(out, "NotBlobMode", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupNotCalldataMode represents a NotCalldataMode error raised by the Rollup contract.
type RollupNotCalldataMode struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotCalldataMode()
func RollupNotCalldataModeErrorID() common.Hash {
	return common.HexToHash("0x15613626300ba8f39e533d83b29b479da1f4c19af99605ff27551020758f3162")
}

// UnpackNotCalldataModeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotCalldataMode()
func (rollup *Rollup) UnpackNotCalldataModeError(raw []byte) (*RollupNotCalldataMode, error) {
	out := new(RollupNotCalldataMode)
	if err := rollup.abi.UnpackIntoInterface(out, "NotCalldataMode", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupNotExpired represents a NotExpired error raised by the Rollup contract.
type RollupNotExpired struct {
	QueueIndex uint64
	Expiry     uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotExpired(uint64 queueIndex, uint64 expiry)
func RollupNotExpiredErrorID() common.Hash {
	return common.HexToHash("0x4d06db8fb698969fd23752e5033e013f423b3b1df14e4861374c94ed27cb6e6b")
}

// UnpackNotExpiredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotExpired(uint64 queueIndex, uint64 expiry)
func (rollup *Rollup) UnpackNotExpiredError(raw []byte) (*RollupNotExpired, error) {
	out := new(RollupNotExpired)
	if err := rollup.abi.UnpackIntoInterface(out, "NotExpired", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupNotFrozen represents a NotFrozen error raised by the Rollup contract.
type RollupNotFrozen struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotFrozen()
func RollupNotFrozenErrorID() common.Hash {
	return common.HexToHash("0x8208cbe5cd34d53b5acc43167c3a84d9f86c782841c84b2984c3bcaaf510b8bc")
}

// UnpackNotFrozenError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotFrozen()
func (rollup *Rollup) UnpackNotFrozenError(raw []byte) (*RollupNotFrozen, error) {
	out := new(RollupNotFrozen)
	if err := rollup.abi.UnpackIntoInterface(out, "NotFrozen", raw); err != nil {
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

// RollupNotPendingOwner represents a NotPendingOwner error raised by the Rollup contract.
type RollupNotPendingOwner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotPendingOwner()
func RollupNotPendingOwnerErrorID() common.Hash {
	return common.HexToHash("0x1853971cac2844d8fedc34d0d65cff78483e8a606ad8448df68a3af766d8a29d")
}

// UnpackNotPendingOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotPendingOwner()
func (rollup *Rollup) UnpackNotPendingOwnerError(raw []byte) (*RollupNotPendingOwner, error) {
	out := new(RollupNotPendingOwner)
	if err := rollup.abi.UnpackIntoInterface(out, "NotPendingOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupNotRefundable represents a NotRefundable error raised by the Rollup contract.
type RollupNotRefundable struct {
	QueueIndex uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotRefundable(uint64 queueIndex)
func RollupNotRefundableErrorID() common.Hash {
	return common.HexToHash("0x4a9fef2c5a510c1104df5dccb385eb9cd03ce188adf0bc55d52826389fbf5420")
}

// UnpackNotRefundableError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotRefundable(uint64 queueIndex)
func (rollup *Rollup) UnpackNotRefundableError(raw []byte) (*RollupNotRefundable, error) {
	out := new(RollupNotRefundable)
	if err := rollup.abi.UnpackIntoInterface(out, "NotRefundable", raw); err != nil {
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

// RollupQueueEmpty represents a QueueEmpty error raised by the Rollup contract.
type RollupQueueEmpty struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error QueueEmpty()
func RollupQueueEmptyErrorID() common.Hash {
	return common.HexToHash("0x75e52f4f0c5412c0ad4722576bc22ab70833a60e80272537e05cbcd06f604bf6")
}

// UnpackQueueEmptyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error QueueEmpty()
func (rollup *Rollup) UnpackQueueEmptyError(raw []byte) (*RollupQueueEmpty, error) {
	out := new(RollupQueueEmpty)
	if err := rollup.abi.UnpackIntoInterface(out, "QueueEmpty", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupQueueKindMismatch represents a QueueKindMismatch error raised by the Rollup contract.
type RollupQueueKindMismatch struct {
	QueueIndex uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error QueueKindMismatch(uint64 queueIndex)
func RollupQueueKindMismatchErrorID() common.Hash {
	return common.HexToHash("0x01d83b7a64e0bc3d11703692502e96fc5b1d80968181e39a9fb43005df51bb76")
}

// UnpackQueueKindMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error QueueKindMismatch(uint64 queueIndex)
func (rollup *Rollup) UnpackQueueKindMismatchError(raw []byte) (*RollupQueueKindMismatch, error) {
	out := new(RollupQueueKindMismatch)
	if err := rollup.abi.UnpackIntoInterface(out, "QueueKindMismatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupQueueShort represents a QueueShort error raised by the Rollup contract.
type RollupQueueShort struct {
	Available uint64
	Wanted    *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error QueueShort(uint64 available, uint256 wanted)
func RollupQueueShortErrorID() common.Hash {
	return common.HexToHash("0x03c48530b61a6dbf170c04255445a2296f344f1293281ae6613aeb16cd016d67")
}

// UnpackQueueShortError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error QueueShort(uint64 available, uint256 wanted)
func (rollup *Rollup) UnpackQueueShortError(raw []byte) (*RollupQueueShort, error) {
	out := new(RollupQueueShort)
	if err := rollup.abi.UnpackIntoInterface(out, "QueueShort", raw); err != nil {
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

// RollupTooManyForcedExits represents a TooManyForcedExits error raised by the Rollup contract.
type RollupTooManyForcedExits struct {
	Cap uint32
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TooManyForcedExits(uint32 cap)
func RollupTooManyForcedExitsErrorID() common.Hash {
	return common.HexToHash("0xc58e7512a5a86e3b4ed99959198285490a4c1d41e7fbe9586f467f7d7c8582ff")
}

// UnpackTooManyForcedExitsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TooManyForcedExits(uint32 cap)
func (rollup *Rollup) UnpackTooManyForcedExitsError(raw []byte) (*RollupTooManyForcedExits, error) {
	out := new(RollupTooManyForcedExits)
	if err := rollup.abi.UnpackIntoInterface(out, "TooManyForcedExits", raw); err != nil {
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

// RollupTreeFull represents a TreeFull error raised by the Rollup contract.
type RollupTreeFull struct {
	Capacity *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TreeFull(uint256 capacity)
func RollupTreeFullErrorID() common.Hash {
	return common.HexToHash("0xb5dc11a7d60894581d88b021e815a47eb1468586b7b4e4d05700747a036b8160")
}

// UnpackTreeFullError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TreeFull(uint256 capacity)
func (rollup *Rollup) UnpackTreeFullError(raw []byte) (*RollupTreeFull, error) {
	out := new(RollupTreeFull)
	if err := rollup.abi.UnpackIntoInterface(out, "TreeFull", raw); err != nil {
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

// RollupWrongFee represents a WrongFee error raised by the Rollup contract.
type RollupWrongFee struct {
	Paid *big.Int
	Fee  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongFee(uint256 paid, uint256 fee)
func RollupWrongFeeErrorID() common.Hash {
	return common.HexToHash("0x23b18f5f5e83b64f64fb1b28a90cb03c4f9ce8ceb2693b31fe14ebed9321256f")
}

// UnpackWrongFeeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongFee(uint256 paid, uint256 fee)
func (rollup *Rollup) UnpackWrongFeeError(raw []byte) (*RollupWrongFee, error) {
	out := new(RollupWrongFee)
	if err := rollup.abi.UnpackIntoInterface(out, "WrongFee", raw); err != nil {
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
