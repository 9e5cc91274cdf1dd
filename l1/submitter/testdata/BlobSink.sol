// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// BlobSink stands in for the rollup's submitBlobBatch in the submitter's
// tests (test-only; the rollup's own implementation checks the proof and
// the blob binding). It takes the call with BLOBSPEC's ABI and checks what
// it can without the circuit: the sender, the batch order and old root, a
// blob on the transaction, and that the calldata's KZG commitment is the
// blob's (its versioned hash is blobhash(0)). Then it advances as the
// rollup does.
contract BlobSink {
    address public immutable sequencer;
    uint64 public nextBatch = 1;
    bytes32 public stateRoot;
    uint64 public depositHead;
    mapping(uint64 => bytes32) public batchBlob;

    event BlobBatch(uint64 indexed number, bytes32 versionedHash, uint256 v);

    constructor(address seq, bytes32 genesisRoot) {
        sequencer = seq;
        stateRoot = genesisRoot;
    }

    function submitBlobBatch(
        uint64 number, bytes32 oldRoot, bytes32 newRoot,
        uint16 nDeposits, uint16 nForcedExits, uint16 nWithdrawals,
        bytes calldata pubdata, bytes calldata depositors, uint256 v,
        bytes calldata kzg, bytes calldata proof
    ) external {
        require(msg.sender == sequencer, "not the sequencer");
        bytes32 vh = blobhash(0);
        require(vh != bytes32(0), "no blob");
        require(number == nextBatch, "batch number");
        require(oldRoot == stateRoot, "old root");
        require(kzg.length == 96 && proof.length == 256, "kzg or proof size");
        require(depositors.length == 20 * uint256(nDeposits), "depositors");
        require(pubdata.length > 0 || nDeposits + nForcedExits + nWithdrawals == 0, "pubdata");
        bytes32 h = sha256(kzg[0:48]);
        require((h & bytes32(type(uint256).max >> 8)) | bytes32(uint256(1) << 248) == vh, "commitment is not blob 0's");
        stateRoot = newRoot;
        nextBatch = number + 1;
        batchBlob[number] = vh;
        emit BlobBatch(number, vh, v);
    }
}
