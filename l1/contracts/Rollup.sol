// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Poseidon2} from "./Poseidon2.sol";

/// The Groth16 verifier exported by gnark (`VerifyingKey.ExportSolidity`) for
/// one circuit configuration: one public input, reverts on a bad proof.
interface IVerifier {
    function verifyProof(bytes calldata proof, uint256[1] calldata input) external view;
}

/// The forced-exit chain step (docs/exits.md): four Poseidon2 compressions.
/// A contract of its own, which the rollup creates in its constructor: the
/// permutation is ≈10 KB of code, and the rollup with it inlined would not
/// fit EIP-170's 24,576 bytes once blob mode is in.
contract ForcedExitChain {
    function next(uint256 prev, uint256 e1, uint256 rx, uint256 ry, uint256 s) external pure returns (uint256) {
        return Poseidon2.compress(Poseidon2.compress(Poseidon2.compress(Poseidon2.compress(prev, e1), rx), ry), s);
    }
}

/// gnark's exported verifier of a blob-mode configuration: two public
/// inputs (dataHash·2^127 + x·2^2 + (V >> 253), V mod 2^253;
/// docs/protocol.md).
interface IBlobVerifier {
    function verifyProof(bytes calldata proof, uint256[2] calldata input) external view;
}

/// gnark's exported verifier of the exit circuit (circuits/exit): four public
/// inputs (root, domain, index·2^160 + recipient, balance).
interface IExitVerifier {
    function verifyProof(bytes calldata proof, uint256[4] calldata input) external view;
}

/// @title Sheaf rollup
/// @notice Keeps the L2 state root, queues deposits, accepts batches proven
/// by the configured Groth16 verifier and pays out withdrawals.
/// @dev Byte layouts follow docs/protocol.md: the public input is
/// SHA-256(header (118 bytes) ‖ padded pubdata) with the top 3 bits cleared.
contract Rollup {
    // ------------------------------------------------------------------
    // Constants
    // ------------------------------------------------------------------

    /// BN254 scalar field modulus (base field of the twisted Edwards curve).
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// Twisted Edwards d (a = -1).
    uint256 internal constant EDWARDS_D = 12181644023421730124874158521699555681764249180949974110617291017600649128846;
    /// (r-1)/2: X above it sets the top bit of a compressed key.
    uint256 internal constant HALF_R = (R - 1) / 2;
    uint256 internal constant HEADER_SIZE = 118;
    uint256 internal constant PUBKEY_SIZE = 32;
    uint256 internal constant AMOUNT_FEE_BYTES = 6;
    /// Forced-exit count (2) and chain value (32), in the header of a
    /// configuration with forced-exit slots.
    uint256 internal constant FORCED_HEADER_SIZE = 34;
    /// Order ℓ of the twisted Edwards curve's prime subgroup: a forced-exit
    /// signature's S must be below it.
    uint256 internal constant CURVE_ORDER = 2736030358979909402780800718157159386076813972158567259200215660948447373041;
    /// TagForcedExitChain ("sheaf.fexit.v1"): the chain's value before the first request.
    uint256 internal constant FORCED_EXIT_CHAIN_0 = 0x73686561662e66657869742e7631;
    /// Set in a queue entry's commitment when the entry is a forced exit
    /// (chain values are below r < 2^254; deposit hashes have it cleared).
    uint256 internal constant FORCED_BIT = 1 << 255;
    /// BLS12-381 scalar field modulus: blob field elements and the blob
    /// polynomial's values live below it (EIP-4844).
    uint256 internal constant BLS_MODULUS = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001;
    /// 1/4096 mod BLS_MODULUS.
    uint256 internal constant INV_BLOB_N = 0x73e66878b46ae3705eb6a46a89213de7d3686828bfce5c19400fffff00100001;
    /// Field elements per blob (EIP-4844's FIELD_ELEMENTS_PER_BLOB).
    uint256 internal constant BLOB_N = 4096;
    /// The header without its two roots: chain id 8 ‖ contract 20 ‖ number 8
    /// ‖ queue start 8 ‖ deposit count 2 ‖ next index 4 ‖ fee account 4.
    uint256 internal constant BLOB_HEADER_SIZE = 54;
    /// EIP-4844's point-evaluation precompile and its fixed gas.
    uint256 internal constant POINT_EVALUATION = 0x0a;
    uint256 internal constant POINT_EVALUATION_GAS = 50_000;
    /// daMode values.
    uint8 internal constant DA_CALLDATA = 0;
    uint8 internal constant DA_BLOB = 1;
    uint8 internal constant DA_AUTO = 2;

    // ------------------------------------------------------------------
    // Deployment settings (constructor argument)
    // ------------------------------------------------------------------

    /// Everything a deployment fixes at construction. The circuit
    /// configuration (depth and slot counts) has its own verifier, so it
    /// never changes; the rest seeds the mutable settings below.
    struct Settings {
        address verifier; // gnark's exported verifier of this configuration (auto: of its calldata twin)
        uint8 depth; // account tree depth
        uint16 depositSlots;
        uint16 transferSlots;
        uint16 withdrawalSlots;
        bytes32 genesisRoot; // root of the genesis state (protocol.GenesisState)
        uint32 genesisNextIndex; // first free index at genesis (2: only the fee account)
        uint256 feeKeyX; // the operator's L2 key: account 1, the first fee account
        uint256 feeKeyY;
        address sequencer;
        uint128 minDeposit;
        uint128 depositCap;
        uint64 changeDelay; // batches between a fee-account change and its effect
        uint16 forcedExitSlots;
        address exitVerifier; // gnark's exported verifier of the exit circuit at this depth
        uint64 priorityExpiry; // seconds a queue entry may wait before exodus may start
        uint128 forcedExitFee; // wei a forced-exit request pays (anti-spam), credited to the owner
        uint32 maxOpenForcedExits; // cap on queued, unconsumed forced exits
        uint8 daMode; // data availability: 0 calldata (submitBatch), 1 blob (submitBlobBatch), 2 auto (either, per batch)
        address blobVerifier; // auto only: the blob twin's verifier (3 inputs); else zero (blob mode's is `verifier`)
        address blobSequencer; // auto only: the second sender, of blob batches; else zero
    }

    // ------------------------------------------------------------------
    // Immutable configuration
    // ------------------------------------------------------------------

    /// Verifies calldata batches (one public input); in blob mode it is
    /// the blob verifier, and equals blobVerifier.
    IVerifier public immutable verifier;
    /// Verifies blob batches (two public inputs): `verifier` in blob
    /// mode, the settings' blobVerifier in auto mode, zero in calldata mode.
    IBlobVerifier public immutable blobVerifier;
    uint8 public immutable depth;
    uint16 public immutable depositSlots;
    uint16 public immutable transferSlots;
    uint16 public immutable withdrawalSlots;
    uint16 public immutable forcedExitSlots;
    IExitVerifier public immutable exitVerifier;
    /// Each queue entry expires this many seconds after it is queued; once
    /// the oldest unconsumed one has, anyone may start exodus mode.
    uint64 public immutable priorityExpiry;
    uint32 public immutable maxOpenForcedExits;
    /// Computes forced-exit chain values; created by the constructor when
    /// the configuration has forced-exit slots (else address 0).
    ForcedExitChain public immutable forcedExitHasher;
    /// Data-availability mode (DA_CALLDATA, DA_BLOB, DA_AUTO): which of
    /// submitBatch (calldata) and submitBlobBatch (transfer section in the
    /// transaction's first blob) accept batches; auto takes both, each
    /// batch proven by its own circuit (docs/contracts.md).
    uint8 public immutable daMode;
    /// Length of the bytes a blob-mode batch binds by evaluation besides
    /// the roots: header without roots ‖ padded deposit, forced-exit and
    /// withdrawal sections (chunked 31 bytes per element).
    uint256 internal immutable blobBindSize;
    uint256 internal immutable headerSize;
    uint256 internal immutable forcedExitBytes;
    uint256 internal immutable indexBytes;
    uint256 internal immutable depositBytes;
    uint256 internal immutable transferBytes;
    uint256 internal immutable withdrawalBytes;
    /// Padded pubdata size: deposit, transfer and withdrawal sections.
    uint256 public immutable pubdataSize;
    /// Root the first batch starts from. Its account 1 holds
    /// (genesisFeeKeyX, genesisFeeKeyY) with balance and nonce 0; anyone can
    /// recompute it (`protocol.GenesisState`), and the auditor does.
    bytes32 public immutable genesisRoot;
    uint256 public immutable genesisFeeKeyX;
    uint256 public immutable genesisFeeKeyY;
    /// A fee-account change announced while batch `lastBatch` is the last
    /// accepted one takes effect from batch `lastBatch + 1 + changeDelay`.
    /// The sequencer never seals a batch more than `changeDelay` beyond the
    /// last one accepted at a final L1 block, so no batch it has sealed is
    /// ever invalidated by a change (docs/contracts.md, "Fee account").
    uint64 public immutable changeDelay;

    // ------------------------------------------------------------------
    // State (packed: submitBatch reads slots 0-3 and writes 0-1)
    // ------------------------------------------------------------------

    /// Current L2 state root (a BN254 scalar, big-endian).
    bytes32 public stateRoot;
    /// Number of the last accepted batch (0 before the first).
    uint64 public lastBatch;
    /// Priority-queue index of the next entry (deposit or forced exit) a
    /// batch must consume (the header's queueStart).
    uint64 public depositHead;
    /// Number of priority-queue entries ever queued (next queue index).
    uint64 public depositTail;
    /// First unassigned L2 account index.
    uint32 public nextIndex;
    /// L2 account credited with the fees of batches before
    /// `nextFeeAccountFrom` (or of every batch when no change is scheduled).
    uint32 public feeAccount;

    address public sequencer;
    /// A scheduled fee-account change: `nextFeeAccount` from batch
    /// `nextFeeAccountFrom()` on (0: none scheduled). 56 bits (the getter
    /// says uint64) so that `frozen` shares the slot: a batch reads this
    /// slot anyway, and one cold slot less saves 2,100 gas per batch.
    uint32 public nextFeeAccount;
    uint56 private feeChangeFrom;
    /// Set when exodus mode starts (issue 11); every operator path refuses
    /// while it is set, claims still work.
    bool public frozen;

    address public owner;
    bool private locked;
    /// Proposed owner; becomes owner when it calls acceptOwnership.
    address public pendingOwner;

    /// Smallest and largest single deposit, in wei (1 ≤ min ≤ cap ≤ 2^128 - 1).
    uint128 public minDeposit;
    uint128 public depositCap;

    /// Forced-exit chain value of the last request queued (docs/exits.md).
    uint256 public forcedExitChain;
    /// Forced exits queued and not yet consumed (capped by maxOpenForcedExits).
    uint32 public openForcedExits;
    uint128 public forcedExitFee;
    /// The blob sequencer. Auto mode only (zero otherwise): a second
    /// address allowed to submit blob batches, besides `sequencer`. Node
    /// pools reserve an address for blob or for other transactions, so an
    /// auto operator sends its blob batches from a key of their own. Read
    /// only when a blob batch does not come from `sequencer`. The getter's
    /// and the setter's names are chosen for selectors above
    /// submitBlobBatch's (and deposit's): the dispatcher compares selectors
    /// in ascending order, 22 gas each, so two below would cost every blob
    /// batch 44 gas (docs/contracts.md, "Auto mode").
    address public blobSequencerAddress;

    /// Commitment of each queue entry by queue index: a deposit's
    /// keccak256(compressed key ‖ uint128 amount ‖ depositor) with the top
    /// bit cleared, a forced exit's chain value with the top bit set; 0 once
    /// a deposit is refunded.
    mapping(uint256 => bytes32) public queueCommitments;
    /// L1 timestamp after which each queue entry is overdue.
    mapping(uint256 => uint64) public queueExpiry;
    /// Exit nullifiers: bit (index mod 256) of word (index / 256).
    mapping(uint256 => uint256) private exitedBits;
    /// Wei credited by accepted withdrawals, claimable by the address.
    mapping(address => uint256) public pendingWithdrawals;

    // ------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------

    /// A deposit entered the queue. `pubKey` is the compressed key of
    /// docs/protocol.md, `pubKeyX` its X coordinate (saves L2 a square root).
    event Deposit(uint64 indexed queueIndex, bytes32 pubKey, uint256 pubKeyX, uint128 amount, address indexed sender);
    /// A batch was accepted. With the transaction's calldata (compact
    /// pubdata and counts) this is everything an auditor needs to rebuild
    /// the public input and re-check the proof.
    /// Everything else about the batch is in its transaction's calldata
    /// (and blob); the auditor replays it (docs/auditor.md).
    event BatchSubmitted(uint64 indexed number, uint32 feeAccount, uint256 publicInput);
    event WithdrawalCredited(uint64 indexed batch, address indexed to, uint256 amount);
    /// `account`'s credit was paid to `to` (the account itself for claim()).
    event Claimed(address indexed account, address indexed to, uint256 amount);
    event OwnershipTransferStarted(address indexed owner, address indexed pendingOwner);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event SequencerChanged(address indexed previous, address indexed current);
    event BlobSequencerChanged(address indexed previous, address indexed current);
    /// Batches numbered `fromBatch` and later credit their fees to `feeAccount`.
    event FeeAccountScheduled(uint32 feeAccount, uint64 fromBatch);
    event DepositLimitsChanged(uint128 minDeposit, uint128 depositCap);
    /// A forced-exit request entered the queue; `prevChain` and `chain` are
    /// the forced-exit chain before and after it.
    event ForcedExitRequested(
        uint64 indexed queueIndex,
        uint32 indexed index,
        address recipient,
        uint32 nonce,
        uint256 rx,
        uint256 ry,
        uint256 s,
        uint256 prevChain,
        uint256 chain,
        uint64 expiry
    );
    /// A batch consumed a forced exit; `valid` false: a no-op, nothing paid.
    event ForcedExitProcessed(uint64 indexed batch, uint64 indexed queueIndex, address indexed to, uint128 amount, bool valid);
    event ForcedExitFeeChanged(uint128 fee);
    /// Exodus mode started: entry `queueIndex` was still unconsumed after `expiry`.
    event ExodusActivated(uint64 queueIndex, uint64 expiry, bytes32 stateRoot);
    event Exited(uint32 indexed index, address indexed recipient, uint128 balance);
    event DepositRefunded(uint64 indexed queueIndex, address indexed depositor, uint128 amount);

    // ------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------

    error NotOwner();
    error NotPendingOwner();
    error NotSequencer();
    error Frozen();
    error Reentrancy();
    error BadConfig();
    error DepositTooSmall(uint256 amount, uint256 minimum);
    error DepositTooLarge(uint256 amount, uint256 cap);
    /// Every queued deposit may open an account: the queue is full when the
    /// free indexes are all spoken for.
    error TreeFull(uint256 capacity);
    error BadPublicKey();
    error WrongBatchNumber(uint64 expected, uint64 got);
    error WrongOldRoot(bytes32 expected, bytes32 got);
    error BadRoot();
    error BadCounts();
    error BadPubdataLength(uint256 expected, uint256 got);
    error DepositMismatch(uint256 slot, uint64 queueIndex);
    /// A counted slot is a no-op (index 0). `section`: 0 deposits, 1 transfers, 2 withdrawals.
    error EmptySlot(uint256 section, uint256 slot);
    error NothingToClaim();
    error TransferFailed();
    error BadRecipient();
    /// Only an existing account (1 ≤ account < nextIndex) can collect fees.
    error BadFeeAccount(uint32 account, uint32 nextIndex);
    error FeeAccountChangePending(uint32 feeAccount, uint64 fromBatch);
    error NotFrozen();
    error ForcedExitsDisabled();
    error WrongFee(uint256 paid, uint256 fee);
    error TooManyForcedExits(uint32 cap);
    error BadForcedExit();
    error BadDepositors();
    error QueueShort(uint64 available, uint256 wanted);
    /// Entry `queueIndex` is not of the kind the batch consumes it as.
    error QueueKindMismatch(uint64 queueIndex);
    error NotExpired(uint64 queueIndex, uint64 expiry);
    error QueueEmpty();
    error AlreadyExited(uint32 index);
    error NotRefundable(uint64 queueIndex);
    /// submitBlobBatch on a calldata-mode deployment.
    error NotBlobMode();
    /// submitBatch on a blob-mode deployment.
    error NotCalldataMode();
    /// The transaction carries no blob (blobhash(0) is zero).
    error NoBlob();
    /// The claimed evaluation V is not below the BLS12-381 scalar modulus.
    error BadBlobValue();
    /// `dataHash` is not below 2^126 (the circuit's chain, low 126 bits).
    error BadDataHash();
    /// submitBlobBatch's `data` is shorter than its counts' pubdata, the depositors and the KZG words.
    error BadBlobData(uint256 atLeast, uint256 got);
    /// submitBlobBatch's `head` has bits set above bit 111.
    error BadHead();
    /// The point-evaluation precompile refused: the blob's polynomial does
    /// not take the value the batch implies at x, or the commitment is not
    /// the blob's.
    error BlobProofFailed();

    // ------------------------------------------------------------------
    // Construction and roles
    // ------------------------------------------------------------------

    /// The deployer becomes the owner. Account 1 of the genesis state is the
    /// fee account, held by the operator's key: it exists before any
    /// deposit, so no depositor can take it.
    constructor(Settings memory s) {
        if (
            s.verifier.code.length == 0 || s.depth < 2 || s.depth > 32
                || uint256(s.depositSlots) + s.transferSlots + s.withdrawalSlots == 0 || uint256(s.genesisRoot) >= R
                || s.genesisNextIndex < 2 || uint256(s.genesisNextIndex) > uint256(1) << s.depth
                || block.chainid >= 1 << 64 || s.changeDelay == 0 || s.changeDelay >= 1 << 48 || s.exitVerifier.code.length == 0
                || s.priorityExpiry == 0 || (s.forcedExitSlots != 0 && s.maxOpenForcedExits == 0) || s.daMode > DA_AUTO
                // Each mode names exactly the verifiers it calls: auto both,
                // with code; calldata and blob only `verifier`.
                || (s.daMode == DA_AUTO ? s.blobVerifier.code.length == 0 : s.blobVerifier != address(0))
                || (s.daMode != DA_AUTO && s.blobSequencer != address(0))
        ) revert BadConfig();
        uint256 n = (uint256(s.depth) + 7) / 8;
        // Blob and auto mode: the padded transfer section must fill at most one blob.
        if (
            s.daMode != DA_CALLDATA
                && (s.transferSlots == 0 || (uint256(s.transferSlots) * (2 * n + AMOUNT_FEE_BYTES) + 30) / 31 > BLOB_N)
        ) {
            revert BadConfig();
        }
        compressKey(s.feeKeyX, s.feeKeyY); // a valid deposit key, or revert
        verifier = IVerifier(s.verifier);
        blobVerifier = IBlobVerifier(s.daMode == DA_BLOB ? s.verifier : s.blobVerifier);
        depth = s.depth;
        depositSlots = s.depositSlots;
        transferSlots = s.transferSlots;
        withdrawalSlots = s.withdrawalSlots;
        forcedExitSlots = s.forcedExitSlots;
        exitVerifier = IExitVerifier(s.exitVerifier);
        priorityExpiry = s.priorityExpiry;
        maxOpenForcedExits = s.maxOpenForcedExits;
        if (s.forcedExitSlots != 0) forcedExitHasher = new ForcedExitChain();
        headerSize = s.forcedExitSlots == 0 ? HEADER_SIZE : HEADER_SIZE + FORCED_HEADER_SIZE;
        daMode = s.daMode;
        blobBindSize = (s.forcedExitSlots == 0 ? BLOB_HEADER_SIZE : BLOB_HEADER_SIZE + FORCED_HEADER_SIZE)
            + uint256(s.depositSlots) * (n + PUBKEY_SIZE + 16) + uint256(s.forcedExitSlots) * (n + 37)
            + uint256(s.withdrawalSlots) * (n + 20 + AMOUNT_FEE_BYTES);
        forcedExitBytes = n + 20 + 16 + 1;
        indexBytes = n;
        depositBytes = n + PUBKEY_SIZE + 16;
        transferBytes = 2 * n + AMOUNT_FEE_BYTES;
        withdrawalBytes = n + 20 + AMOUNT_FEE_BYTES;
        pubdataSize = uint256(s.depositSlots) * (n + PUBKEY_SIZE + 16) + uint256(s.forcedExitSlots) * (n + 37)
            + uint256(s.transferSlots) * (2 * n + AMOUNT_FEE_BYTES) + uint256(s.withdrawalSlots) * (n + 20 + AMOUNT_FEE_BYTES);
        genesisRoot = s.genesisRoot;
        genesisFeeKeyX = s.feeKeyX;
        genesisFeeKeyY = s.feeKeyY;
        changeDelay = s.changeDelay;
        stateRoot = s.genesisRoot;
        // _checkBatch and _acceptBatch read and write these as two packed
        // words: the layout must keep them so.
        assembly ("memory-safe") {
            if or(
                or(iszero(eq(lastBatch.slot, depositHead.slot)), iszero(eq(lastBatch.slot, depositTail.slot))),
                or(
                    or(iszero(eq(lastBatch.slot, nextIndex.slot)), iszero(eq(lastBatch.slot, feeAccount.slot))),
                    or(iszero(eq(sequencer.slot, nextFeeAccount.slot)), iszero(eq(sequencer.slot, feeChangeFrom.slot)))
                )
            ) { revert(0, 0) }
        }
        nextIndex = s.genesisNextIndex;
        feeAccount = 1;
        emit FeeAccountScheduled(1, 1);
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
        _setSequencer(s.sequencer);
        if (s.daMode == DA_AUTO) _setBlobSequencer(s.blobSequencer);
        _setDepositLimits(s.minDeposit, s.depositCap);
        forcedExitChain = FORCED_EXIT_CHAIN_0;
        forcedExitFee = s.forcedExitFee;
        emit ForcedExitFeeChanged(s.forcedExitFee);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    modifier notFrozen() {
        if (frozen) revert Frozen();
        _;
    }

    /// Two steps: the new owner must accept, so a typo cannot lose the
    /// contract. `address(0)` cancels a pending transfer.
    function transferOwnership(address newOwner) external onlyOwner {
        pendingOwner = newOwner;
        emit OwnershipTransferStarted(owner, newOwner);
    }

    function acceptOwnership() external {
        if (msg.sender != pendingOwner) revert NotPendingOwner();
        emit OwnershipTransferred(owner, msg.sender);
        owner = msg.sender;
        pendingOwner = address(0);
    }

    function setSequencer(address s) external onlyOwner {
        _setSequencer(s);
    }

    /// Auto mode only: the blob batches' second sender (non-zero, not the
    /// sequencer).
    function setBlobSequencerAddress(address s) external onlyOwner {
        if (daMode != DA_AUTO) revert BadConfig();
        _setBlobSequencer(s);
    }

    /// Schedules `a` (an existing account) as the fee account from batch
    /// `lastBatch + 1 + changeDelay` on, announced by FeeAccountScheduled.
    /// One change at a time: a second one waits until the first is in force.
    function setFeeAccount(uint32 a) external onlyOwner {
        uint32 next = nextIndex;
        if (a == 0 || a >= next) revert BadFeeAccount(a, next);
        uint64 nextBatch_ = lastBatch + 1;
        uint64 from = feeChangeFrom;
        if (from != 0) {
            if (nextBatch_ < from) revert FeeAccountChangePending(nextFeeAccount, from);
            feeAccount = nextFeeAccount; // already in force for every batch still to come
        }
        uint64 effective = nextBatch_ + changeDelay;
        if (effective >= 1 << 56) revert BadConfig(); // never: 2^56 batches
        nextFeeAccount = a;
        feeChangeFrom = uint56(effective);
        emit FeeAccountScheduled(a, effective);
    }

    function setDepositLimits(uint128 minimum, uint128 cap) external onlyOwner {
        _setDepositLimits(minimum, cap);
    }

    function setForcedExitFee(uint128 fee) external onlyOwner {
        forcedExitFee = fee;
        emit ForcedExitFeeChanged(fee);
    }

    /// Outside auto mode blobSequencerAddress is zero, which s never is.
    function _setSequencer(address s) private {
        if (s == address(0) || s == blobSequencerAddress) revert BadConfig();
        emit SequencerChanged(sequencer, s);
        sequencer = s;
    }

    function _setBlobSequencer(address s) private {
        if (s == address(0) || s == sequencer) revert BadConfig();
        emit BlobSequencerChanged(blobSequencerAddress, s);
        blobSequencerAddress = s;
    }

    function _setDepositLimits(uint128 minimum, uint128 cap) private {
        if (minimum == 0 || minimum > cap) revert BadConfig();
        minDeposit = minimum;
        depositCap = cap;
        emit DepositLimitsChanged(minimum, cap);
    }

    /// The fee account batch `number` must name in its header.
    function feeAccountAt(uint64 number) public view returns (uint32) {
        uint64 from = feeChangeFrom;
        return from != 0 && number >= from ? nextFeeAccount : feeAccount;
    }

    /// First batch of the scheduled fee-account change (0: none scheduled).
    function nextFeeAccountFrom() external view returns (uint64) {
        return feeChangeFrom;
    }

    /// Number the next batch must carry.
    function nextBatch() external view returns (uint64) {
        return lastBatch + 1;
    }

    // ------------------------------------------------------------------
    // Deposits
    // ------------------------------------------------------------------

    /// Queues msg.value wei for the L2 key (x, y). L2 never refuses a
    /// queued deposit, so everything it would refuse is refused here: an
    /// amount outside [minDeposit, depositCap], a key off the curve or of
    /// small order, and a deposit that could find the tree full (each
    /// queued deposit may open an account, so the queue holds at most as
    /// many deposits as there are free indexes).
    function deposit(uint256 x, uint256 y) external payable notFrozen {
        uint256 amount = msg.value;
        if (amount < minDeposit) revert DepositTooSmall(amount, minDeposit);
        if (amount > depositCap) revert DepositTooLarge(amount, depositCap);
        bytes32 key = compressKey(x, y);
        uint64 q = depositTail;
        uint256 capacity = uint256(1) << depth;
        if (uint256(nextIndex) + (q - depositHead) >= capacity) revert TreeFull(capacity);
        queueCommitments[q] = _depositCommitment(keccak256(abi.encodePacked(key, uint128(amount), msg.sender)));
        queueExpiry[q] = uint64(block.timestamp) + priorityExpiry;
        depositTail = q + 1;
        emit Deposit(q, key, x, uint128(amount), msg.sender);
    }

    function _depositCommitment(bytes32 h) private pure returns (bytes32) {
        return bytes32(uint256(h) & ~FORCED_BIT);
    }

    // ------------------------------------------------------------------
    // Forced exits and exodus (docs/exits.md)
    // ------------------------------------------------------------------

    /// Queues a request that account `index`'s whole balance be withdrawn to
    /// `recipient`, signed (R = (rx, ry), S) by the account's L2 key over
    /// the forced-exit message with `nonce`. L1 cannot judge the signature,
    /// nonce or balance: the batch circuit does, and a batch must consume
    /// the request either way. Refused here is only what the circuit could
    /// not process (so every queued request is provable).
    function requestForcedExit(uint32 index, address recipient, uint32 nonce, uint256 rx, uint256 ry, uint256 s)
        external
        payable
        notFrozen
    {
        if (forcedExitSlots == 0) revert ForcedExitsDisabled();
        if (msg.value != forcedExitFee) revert WrongFee(msg.value, forcedExitFee);
        uint32 open = openForcedExits;
        if (open >= maxOpenForcedExits) revert TooManyForcedExits(maxOpenForcedExits);
        if (recipient == address(0)) revert BadRecipient();
        if (index == 0 || uint256(index) >= uint256(1) << depth || s >= CURVE_ORDER || !_onCurve(rx, ry)) {
            revert BadForcedExit();
        }
        uint256 e1 = (uint256(3) << 224) | (uint256(index) << 192) | (uint256(nonce) << 160) | uint256(uint160(recipient));
        uint256 prev = forcedExitChain;
        uint256 chain = forcedExitHasher.next(prev, e1, rx, ry, s);
        forcedExitChain = chain;
        uint64 q = depositTail;
        uint64 expiry = uint64(block.timestamp) + priorityExpiry;
        queueCommitments[q] = bytes32(chain | FORCED_BIT);
        queueExpiry[q] = expiry;
        depositTail = q + 1;
        openForcedExits = open + 1;
        if (msg.value != 0) pendingWithdrawals[owner] += msg.value;
        emit ForcedExitRequested(q, index, recipient, nonce, rx, ry, s, prev, chain, expiry);
    }

    /// −x² + y² = 1 + d·x²·y² with coordinates below r.
    function _onCurve(uint256 x, uint256 y) private pure returns (bool) {
        if (x >= R || y >= R) return false;
        uint256 x2 = mulmod(x, x, R);
        uint256 y2 = mulmod(y, y, R);
        return addmod(R - x2, y2, R) == addmod(1, mulmod(EDWARDS_D, mulmod(x2, y2, R), R), R);
    }

    /// Starts exodus mode once the oldest unconsumed queue entry is past its
    /// expiry; anyone may call it. Batches, deposits and forced-exit
    /// requests stop; exits and refunds start; credited withdrawals stay
    /// claimable.
    function activateExodus() external notFrozen {
        uint64 head = depositHead;
        if (head >= depositTail) revert QueueEmpty();
        uint64 expiry = queueExpiry[head];
        if (block.timestamp <= expiry) revert NotExpired(head, expiry);
        frozen = true;
        emit ExodusActivated(head, expiry, stateRoot);
    }

    /// Whether account `index` has exited.
    function exited(uint32 index) public view returns (bool) {
        return exitedBits[index >> 8] & (uint256(1) << (index & 0xff)) != 0;
    }

    /// In exodus mode: pays account `index`'s `balance` in the last accepted
    /// state to `recipient` (credited, then claimed), once per account. The
    /// proof (circuits/exit) shows the leaf is in `stateRoot` with exactly
    /// that balance and that its key signed the exodus message naming
    /// `recipient` for this contract; anyone may send it.
    function exit(uint32 index, address recipient, uint128 balance, bytes calldata proof) external {
        if (!frozen) revert NotFrozen();
        uint256 word = index >> 8;
        uint256 bit = uint256(1) << (index & 0xff);
        uint256 bits = exitedBits[word];
        if (bits & bit != 0) revert AlreadyExited(index);
        exitVerifier.verifyProof(
            proof,
            [
                uint256(stateRoot),
                (block.chainid << 160) | uint256(uint160(address(this))),
                (uint256(index) << 160) | uint256(uint160(recipient)),
                uint256(balance)
            ]
        );
        exitedBits[word] = bits | bit;
        pendingWithdrawals[recipient] += balance;
        emit Exited(index, recipient, balance);
    }

    /// In exodus mode: credits an unconsumed deposit back to the L1 address
    /// that made it, once (anyone may send it; the commitment names the
    /// depositor). `key` is the compressed key of the Deposit event.
    function refundDeposit(uint64 queueIndex, bytes32 key, uint128 amount, address depositor) external {
        if (!frozen) revert NotFrozen();
        bytes32 c = queueCommitments[queueIndex];
        if (
            queueIndex < depositHead || c == bytes32(0)
                || c != _depositCommitment(keccak256(abi.encodePacked(key, amount, depositor)))
        ) revert NotRefundable(queueIndex);
        queueCommitments[queueIndex] = bytes32(0);
        pendingWithdrawals[depositor] += amount;
        emit DepositRefunded(queueIndex, depositor, amount);
    }

    /// Validates an L2 public key and returns its compressed form:
    /// Y big-endian, top bit set when X > (r-1)/2.
    function compressKey(uint256 x, uint256 y) public pure returns (bytes32) {
        if (x >= R || y >= R) revert BadPublicKey();
        uint256 x2 = mulmod(x, x, R);
        uint256 y2 = mulmod(y, y, R);
        // -x² + y² = 1 + d·x²·y²
        if (addmod(R - x2, y2, R) != addmod(1, mulmod(EDWARDS_D, mulmod(x2, y2, R), R), R)) revert BadPublicKey();
        if (_isSmallOrder(x, y)) revert BadPublicKey();
        return bytes32(x > HALF_R ? y | (1 << 255) : y);
    }

    /// [8]P = identity, by three projective doublings (a = -1). The curve's
    /// addition law is complete (a square, d not), so Z never vanishes and
    /// the identity is exactly X = 0, Y = Z.
    function _isSmallOrder(uint256 x, uint256 y) private pure returns (bool) {
        uint256 z = 1;
        for (uint256 i = 0; i < 3; i++) {
            // dbl-2008-bbjlp: B=(X+Y)², C=X², D=Y², E=aC, F=E+D, H=Z², J=F-2H
            uint256 b = addmod(x, y, R);
            b = mulmod(b, b, R);
            uint256 c = mulmod(x, x, R);
            uint256 d = mulmod(y, y, R);
            uint256 e = R - c; // a = -1 (c < R, so e ∈ [1, R]; R ≡ 0 below)
            uint256 f = addmod(e, d, R);
            uint256 h = mulmod(z, z, R);
            uint256 j = addmod(f, R - addmod(h, h, R), R);
            x = mulmod(addmod(b, R - addmod(c, d, R), R), j, R);
            y = mulmod(f, addmod(e, R - d, R), R);
            z = mulmod(f, j, R);
        }
        return x == 0 && y == z;
    }

    // ------------------------------------------------------------------
    // Batches
    // ------------------------------------------------------------------

    /// Accepts batch `number` moving the root from `oldRoot` (which must be
    /// the current root) to `newRoot`. `pubdata` holds the used slots of
    /// each section, in section order ("compact pubdata"); the counts say
    /// how many, and every counted slot must be a real operation (the
    /// auditor applies the same rule: protocol.CheckCompact). The batch
    /// consumes the next `nDeposits + nForcedExits` queue entries: first
    /// deposits, then forced exits. `depositors` packs the consumed
    /// deposits' L1 senders (20 bytes each), which their commitments name.
    /// Calldata and auto mode (a blob-mode deployment takes submitBlobBatch).
    function submitBatch(
        uint64 number,
        bytes32 oldRoot,
        bytes32 newRoot,
        uint16 nDeposits,
        uint16 nForcedExits,
        uint16 nTransfers,
        uint16 nWithdrawals,
        bytes calldata pubdata,
        bytes calldata depositors,
        bytes calldata proof
    ) external notFrozen {
        if (daMode == DA_BLOB) revert NotCalldataMode();
        (uint64 head, uint32 nextIdx, uint32 newNext, uint32 fee, uint256 chain) =
            _checkBatch(number, oldRoot, newRoot, nDeposits, nForcedExits, nTransfers, nWithdrawals, pubdata, depositors);
        uint256[4] memory c = [uint256(nDeposits), nForcedExits, nTransfers, nWithdrawals];
        uint256 pi = _publicInput(number, oldRoot, newRoot, head, c, nextIdx, fee, chain, pubdata);
        _verifyProof(proof, pi);
        _acceptBatch(number, newRoot, head, c, newNext, fee, pi, pubdata);
    }

    /// Accepts a blob batch (blob and auto mode): as submitBatch, except that the
    /// transfer section is not in calldata but in the transaction's first
    /// blob (31 bytes per field element, top byte zero), bound to the proof
    /// by the blob polynomial's value at a challenge x (docs/contracts.md,
    /// "Blob mode"). Packed to save calldata: `head` is the batch number
    /// (bits 0-63) and the deposit, forced-exit and withdrawal counts (16
    /// bits each from bit 64, 80 and 96; nothing above bit 111); the old
    /// root is the contract's own. `data` is the compact pubdata (the used
    /// deposit, forced-exit and withdrawal slots, lengths from the counts),
    /// then the depositors (20 bytes each), the blob's KZG commitment and
    /// its KZG proof at x (48 bytes each), then the Groth16 proof.
    /// `dataHash` is the low 126 bits of the circuit's Poseidon2 hash of
    /// the transfer chunks and the binding elements; `v` the circuit's
    /// S(x) + H(x) (mod BLS12-381's r). The contract does not learn the
    /// transfer count: BatchSubmitted carries x as its publicInput.
    function submitBlobBatch(uint256 head, bytes32 newRoot, bytes32 dataHash, uint256 v, bytes calldata data)
        external
        notFrozen
    {
        if (daMode == DA_CALLDATA) revert NotBlobMode();
        if (head >> 112 != 0) revert BadHead();
        bytes32 vh = blobhash(0);
        if (vh == bytes32(0)) revert NoBlob();
        if (v >= BLS_MODULUS) revert BadBlobValue();
        if (uint256(dataHash) >> 126 != 0) revert BadDataHash();
        uint256[4] memory c = [uint256(uint16(head >> 64)), uint16(head >> 80), 0, uint16(head >> 96)];
        // Counts below 2^16 and lengths below 2^16: nothing overflows.
        uint256 pl;
        uint256 dl;
        unchecked {
            pl = c[0] * depositBytes + c[1] * forcedExitBytes + c[3] * withdrawalBytes;
            dl = pl + c[0] * 20;
            if (data.length < dl + 96) revert BadBlobData(dl + 96, data.length);
        }
        bytes calldata pubdata = data[:pl];
        bytes32 oldRoot = stateRoot;
        (uint64 qHead, uint32 nextIdx, uint32 newNext, uint32 fee, uint256 chain) = _checkBatch(
            uint64(head), oldRoot, newRoot, uint16(c[0]), uint16(c[1]), 0, uint16(c[3]), pubdata, data[pl:dl]
        );
        uint256 x = _blobEvaluation(
            BlobHeader(uint64(head), oldRoot, newRoot, qHead, nextIdx, fee, chain), c, pubdata, dataHash, vh, v,
            data[dl:dl + 96]
        );
        // Below 2^253 < p each: dataHash < 2^126, x < 2^125, V < 2^255.
        _verifyBlobProof(data[dl + 96:], (uint256(dataHash) << 127) | (x << 2) | (v >> 253), v & ((uint256(1) << 253) - 1));
        _acceptBatch(uint64(head), newRoot, qHead, c, newNext, fee, x, pubdata);
    }

    /// verifier.verifyProof(proof, [pi]), encoded by hand as _verifyBlobProof.
    function _verifyProof(bytes calldata proof, uint256 pi) private view {
        address ver = address(verifier);
        bytes4 sel = IVerifier.verifyProof.selector;
        assembly ("memory-safe") {
            let p := mload(0x40)
            // selector ‖ offset of proof (0x40) ‖ pi ‖ proof.length ‖ proof, zero-padded
            mstore(p, sel)
            mstore(add(p, 4), 0x40)
            mstore(add(p, 36), pi)
            mstore(add(p, 68), proof.length)
            calldatacopy(add(p, 100), proof.offset, proof.length)
            mstore(add(add(p, 100), proof.length), 0)
            if iszero(staticcall(gas(), ver, p, add(100, and(add(proof.length, 31), not(31))), 0, 0)) {
                returndatacopy(p, 0, returndatasize())
                revert(p, returndatasize())
            }
        }
    }

    /// blobVerifier.verifyProof(proof, [pi0, pi1]) encoded
    /// by hand: the compiler's call adds an EXTCODESIZE check (the
    /// constructor already refused a verifier without code, and code cannot
    /// vanish since EIP-6780) and its encoder's copies. A refusal's revert
    /// data (ProofInvalid, PublicInputNotInField) is passed on unchanged.
    function _verifyBlobProof(bytes calldata proof, uint256 pi0, uint256 pi1) private view {
        address ver = address(blobVerifier);
        bytes4 sel = IBlobVerifier.verifyProof.selector;
        assembly ("memory-safe") {
            let p := mload(0x40)
            // selector ‖ offset of proof (0x60) ‖ pi0 ‖ pi1 ‖ proof.length ‖ proof, zero-padded
            mstore(p, sel)
            mstore(add(p, 4), 0x60)
            mstore(add(p, 36), pi0)
            mstore(add(p, 68), pi1)
            mstore(add(p, 100), proof.length)
            calldatacopy(add(p, 132), proof.offset, proof.length)
            mstore(add(add(p, 132), proof.length), 0)
            if iszero(staticcall(gas(), ver, p, add(132, and(add(proof.length, 31), not(31))), 0, 0)) {
                returndatacopy(p, 0, returndatasize())
                revert(p, returndatasize())
            }
        }
    }

    /// The checks both submission paths share, in order: caller, number,
    /// roots, counts, calldata lengths, the last counted transfer slot, the
    /// queue, the deposits and forced exits consumed. Returns the queue
    /// head and next index before the batch, the next index after its
    /// deposits, the batch's fee account and the header's forced-exit chain.
    function _checkBatch(
        uint64 number,
        bytes32 oldRoot,
        bytes32 newRoot,
        uint16 nDeposits,
        uint16 nForcedExits,
        uint16 nTransfers,
        uint16 nWithdrawals,
        bytes calldata pubdata,
        bytes calldata depositors
    ) private view returns (uint64 head, uint32 nextIdx, uint32 newNext, uint32 fee, uint256 chain) {
        // The two packed slots a batch reads (sequencer with the fee-account
        // schedule; the counters), each loaded once: the compiler reloads a
        // packed slot for every field read (100 gas each, warm).
        uint64 last;
        uint64 tail;
        {
            address seq;
            uint32 nextFee;
            uint64 from;
            uint32 curFee;
            assembly ("memory-safe") {
                let w := sload(sequencer.slot)
                seq := and(shr(mul(8, sequencer.offset), w), 0xffffffffffffffffffffffffffffffffffffffff)
                nextFee := and(shr(mul(8, nextFeeAccount.offset), w), 0xffffffff)
                from := and(shr(mul(8, feeChangeFrom.offset), w), 0xffffffffffffff)
                w := sload(lastBatch.slot)
                last := and(shr(mul(8, lastBatch.offset), w), 0xffffffffffffffff)
                head := and(shr(mul(8, depositHead.offset), w), 0xffffffffffffffff)
                tail := and(shr(mul(8, depositTail.offset), w), 0xffffffffffffffff)
                nextIdx := and(shr(mul(8, nextIndex.offset), w), 0xffffffff)
                curFee := and(shr(mul(8, feeAccount.offset), w), 0xffffffff)
            }
            if (msg.sender != seq) _checkBlobSequencer();
            fee = from != 0 && number >= from ? nextFee : curFee; // feeAccountAt(number)
        }
        if (number != last + 1) revert WrongBatchNumber(last + 1, number);
        if (oldRoot != stateRoot) revert WrongOldRoot(stateRoot, oldRoot);
        if (uint256(newRoot) >= R) revert BadRoot();
        if (
            nDeposits > depositSlots || nForcedExits > forcedExitSlots || nTransfers > transferSlots
                || nWithdrawals > withdrawalSlots
        ) {
            revert BadCounts();
        }
        if (depositors.length != uint256(nDeposits) * 20) revert BadDepositors();
        {
            uint256 wOff = uint256(nDeposits) * depositBytes + uint256(nForcedExits) * forcedExitBytes
                + uint256(nTransfers) * transferBytes;
            uint256 want = wOff + uint256(nWithdrawals) * withdrawalBytes;
            if (pubdata.length != want) revert BadPubdataLength(want, pubdata.length);
            // The circuit puts used transfer slots first and makes a slot
            // real exactly when its sender index is non-zero (a real
            // transfer's first bytes are its sender, never 0). So when the
            // last counted slot is real, so is every counted one; without
            // this check a batch posted with an extra all-zero slot would
            // verify with the same proof and overstate its count.
            if (nTransfers != 0 && _readIndex(pubdata, wOff - transferBytes, indexBytes) == 0) {
                revert EmptySlot(1, nTransfers - 1);
            }
        }
        if (uint256(head) + nDeposits + nForcedExits > tail) {
            revert QueueShort(tail - head, uint256(nDeposits) + nForcedExits);
        }

        // Deposits must be the queued ones, in order; new accounts raise nextIndex.
        newNext = _checkDeposits(pubdata, depositors, head, nDeposits, nextIdx);
        chain = _checkForcedExits(head + nDeposits, nForcedExits);
    }

    /// A batch not from the sequencer: accepted only as a blob batch from
    /// blobSequencerAddress (auto mode; zero, so never msg.sender,
    /// otherwise). Apart, and telling the paths apart by the selector, so
    /// that the sequencer's batches pay nothing for it.
    function _checkBlobSequencer() private view {
        if (msg.sig != this.submitBlobBatch.selector || msg.sender != blobSequencerAddress) revert NotSequencer();
    }

    /// The effects both submission paths share, after the proof verified:
    /// state, the fee-account change the batch reached, forced-exit and
    /// withdrawal credits, BatchSubmitted (`pi`: the public input, or x in
    /// blob mode). `c` holds the counts (d, f, t, w).
    function _acceptBatch(
        uint64 number,
        bytes32 newRoot,
        uint64 head,
        uint256[4] memory c,
        uint32 newNext,
        uint32 fee,
        uint256 pi,
        bytes calldata pubdata
    ) private {
        stateRoot = newRoot;
        uint64 from = feeChangeFrom;
        bool change = from != 0 && number >= from; // the scheduled change is in force from now on
        // The counters' slot written once (the compiler would read and
        // write it per field): lastBatch, depositHead, nextIndex and, with
        // a change, feeAccount; depositTail kept.
        {
            // Widened to uint256 here: inside assembly the bits above a
            // narrow type's width are not guaranteed clean, and a dirty bit
            // would land in a neighbouring field (depositTail).
            uint256 num = number; // (and `number` is a builtin there)
            uint256 newHead = head + uint64(c[0] + c[1]);
            uint256 next = newNext;
            uint256 feeNow = fee;
            uint256 changed = change ? 1 : 0;
            assembly ("memory-safe") {
                let w := sload(lastBatch.slot)
                let m := or(shl(mul(8, lastBatch.offset), 0xffffffffffffffff), shl(mul(8, depositHead.offset), 0xffffffffffffffff))
                m := or(m, shl(mul(8, nextIndex.offset), 0xffffffff))
                let v := or(shl(mul(8, lastBatch.offset), num), shl(mul(8, depositHead.offset), newHead))
                v := or(v, shl(mul(8, nextIndex.offset), next))
                if changed {
                    m := or(m, shl(mul(8, feeAccount.offset), 0xffffffff))
                    v := or(v, shl(mul(8, feeAccount.offset), feeNow))
                }
                sstore(lastBatch.slot, or(and(w, not(m)), v))
            }
        }
        if (change) {
            nextFeeAccount = 0;
            feeChangeFrom = 0;
        }
        uint256 fOff = c[0] * depositBytes;
        uint256 wOff = fOff + c[1] * forcedExitBytes + c[2] * transferBytes;
        if (c[1] != 0) {
            openForcedExits -= uint32(c[1]);
            _creditForcedExits(number, pubdata, fOff, head + uint64(c[0]), uint16(c[1]));
        }
        _creditWithdrawals(number, pubdata, wOff, uint16(c[3]));
        emit BatchSubmitted(number, fee, pi);
    }

    /// Each deposit's commitment is recomputed from the pubdata's key and
    /// amount and the calldata's depositor. A match also shows the entry is
    /// a deposit: a forced exit's commitment has the top bit set.
    function _checkDeposits(bytes calldata pubdata, bytes calldata depositors, uint64 head, uint16 nd, uint32 nextIdx)
        private
        view
        returns (uint32 newNext)
    {
        uint256 n = indexBytes;
        uint256 size = depositBytes;
        newNext = nextIdx;
        bytes memory buf = new bytes(68);
        for (uint256 i = 0; i < nd; i++) {
            uint256 off = i * size;
            uint256 idx = _readIndex(pubdata, off, n);
            if (idx == 0) revert EmptySlot(0, i);
            bytes32 h;
            assembly ("memory-safe") {
                let p := add(buf, 32)
                // compressed key (32) ‖ amount (16), right after the index, ‖ depositor (20)
                calldatacopy(p, add(pubdata.offset, add(off, n)), 48)
                calldatacopy(add(p, 48), add(depositors.offset, mul(i, 20)), 20)
                h := keccak256(p, 68)
            }
            if (_depositCommitment(h) != queueCommitments[head + i]) revert DepositMismatch(i, uint64(head + i));
            if (idx >= newNext) newNext = uint32(idx + 1);
        }
    }

    /// Entries [from, from + nf) must be forced exits; returns the chain
    /// value stored with the last (0 when nf = 0), which the header carries
    /// and the circuit recomputes from the requests it judged.
    function _checkForcedExits(uint64 from, uint16 nf) private view returns (uint256 chain) {
        for (uint256 i = 0; i < nf; i++) {
            uint256 c = uint256(queueCommitments[from + i]);
            if (c & FORCED_BIT == 0) revert QueueKindMismatch(uint64(from + i));
            chain = c & ~FORCED_BIT;
        }
    }

    function _readIndex(bytes calldata pubdata, uint256 off, uint256 n) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := shr(sub(256, mul(8, n)), calldataload(add(pubdata.offset, off)))
        }
    }

    /// SHA-256(header ‖ padded pubdata), top three bits cleared.
    /// The header fields the contract owns (root, queue head, next index)
    /// are its stored values before the batch's effects, as _checkBatch
    /// read them (`oldRoot` is the calldata copy it found equal to the
    /// stored root); `fee` is the fee account in force for the batch,
    /// `chain` the forced-exit chain value of the last forced exit consumed;
    /// `c` the counts (d, f, t, w).
    function _publicInput(
        uint64 batchNumber,
        bytes32 oldRoot,
        bytes32 newRoot,
        uint64 head,
        uint256[4] memory c,
        uint32 nextIdx,
        uint32 fee,
        uint256 chain,
        bytes calldata pubdata
    ) private view returns (uint256 pi) {
        uint256 hs = headerSize;
        uint256 total = hs + pubdataSize;
        // 32 spare bytes: the last header word is written with a full mstore.
        bytes memory buf = new bytes(total + 32);
        uint256 dLen = c[0] * depositBytes;
        uint256 fLen = c[1] * forcedExitBytes;
        uint256 tLen = c[2] * transferBytes;
        uint256 wLen = c[3] * withdrawalBytes;
        uint256 fOff = hs + uint256(depositSlots) * depositBytes;
        uint256 tOff = fOff + uint256(forcedExitSlots) * forcedExitBytes;
        uint256 wOff = tOff + uint256(transferSlots) * transferBytes;
        uint256 nd = c[0];
        bool ok;
        assembly ("memory-safe") {
            let p := add(buf, 32)
            // Each field is written left-aligned; later fields overwrite
            // the zero tail of earlier words.
            mstore(p, shl(192, chainid()))
            mstore(add(p, 8), shl(96, address()))
            mstore(add(p, 28), shl(192, batchNumber))
            mstore(add(p, 36), oldRoot)
            mstore(add(p, 68), newRoot)
            mstore(add(p, 100), shl(192, head))
            mstore(add(p, 108), shl(240, nd))
            mstore(add(p, 110), shl(224, nextIdx))
            mstore(add(p, 114), shl(224, fee))
            if gt(hs, HEADER_SIZE) {
                mstore(add(p, 118), shl(240, mload(add(c, 32))))
                mstore(add(p, 120), chain)
            }
            // Sections at their fixed offsets; unused slots stay zero.
            let src := pubdata.offset
            calldatacopy(add(p, hs), src, dLen)
            src := add(src, dLen)
            calldatacopy(add(p, fOff), src, fLen)
            src := add(src, fLen)
            calldatacopy(add(p, tOff), src, tLen)
            calldatacopy(add(p, wOff), add(src, tLen), wLen)
            ok := staticcall(gas(), 0x02, p, total, 0x00, 0x20)
            pi := and(mload(0x00), 0x1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff)
        }
        require(ok, "sha256 failed");
    }

    /// The header fields a blob-mode batch binds (kept together: a function
    /// taking them one by one runs out of stack slots).
    struct BlobHeader {
        uint64 number;
        bytes32 oldRoot; // the stored root (calldata copy, checked equal)
        bytes32 newRoot;
        uint64 head;
        uint32 nextIdx;
        uint32 fee;
        uint256 chain;
    }

    /// Blob mode's binding check; returns the challenge x. The binding
    /// elements are e_0 = the stored root, e_1 = newRoot, then the 31-byte
    /// chunks (big-endian, the last zero-padded) of R = the header without
    /// its roots (chain id 8 ‖ contract 20 ‖ number 8 ‖ queue start 8 ‖
    /// deposit count 2 ‖ next index 4 ‖ fee account 4 [‖ forced-exit count
    /// 2 ‖ chain 32]) ‖ the padded deposit, forced-exit and withdrawal
    /// sections, all built from the contract's own state and the calldata.
    /// x = keccak256(dataHash ‖ vh ‖ e_0 ‖ … ‖ e_{m−1}) mod 2^125,
    /// H(x) = Σ e_j·x^j and y = (x^4096 − 1)/4096 · (v − H(x)) mod r_BLS;
    /// the point-evaluation precompile must confirm that the blob committed
    /// to by `kzg`'s commitment, whose versioned hash is vh, takes y at x.
    /// The circuit's v = S(x) + H(x) with S its transfer chunks' barycentric
    /// sum, so the check holds exactly when the blob is the circuit's
    /// transfer section (and nothing more) and the circuit's H is ours.
    function _blobEvaluation(
        BlobHeader memory hd,
        uint256[4] memory c,
        bytes calldata pubdata,
        bytes32 dataHash,
        bytes32 vh,
        uint256 v,
        bytes calldata kzg
    ) private view returns (uint256 x) {
        uint256 chunks;
        uint256 m;
        bytes memory buf;
        uint256 hs;
        uint256 dLen;
        uint256 fLen;
        uint256 wLen;
        uint256 fOff;
        uint256 wOff;
        // Sizes of a configuration and counts below 2^16: nothing overflows.
        unchecked {
            chunks = (blobBindSize + 30) / 31;
            m = chunks + 2;
            // dataHash ‖ vh ‖ e_0 ‖ e_1 ‖ R, R then spread in place to one
            // 32-byte element per chunk; zeroed, with spare room for the last
            // header word's full mstore.
            buf = new bytes(64 + 32 * m + 64);
            hs = forcedExitSlots == 0 ? BLOB_HEADER_SIZE : BLOB_HEADER_SIZE + FORCED_HEADER_SIZE;
            dLen = c[0] * depositBytes;
            fLen = c[1] * forcedExitBytes;
            wLen = c[3] * withdrawalBytes;
            fOff = hs + uint256(depositSlots) * depositBytes;
            wOff = fOff + uint256(forcedExitSlots) * forcedExitBytes;
        }
        bool ok;
        assembly ("memory-safe") {
            let p := add(buf, 32)
            mstore(p, dataHash)
            mstore(add(p, 32), vh)
            mstore(add(p, 64), mload(add(hd, 32))) // oldRoot
            mstore(add(p, 96), mload(add(hd, 64))) // newRoot
            let q := add(p, 128)
            // Fields left-aligned, as _publicInput writes them.
            mstore(q, shl(192, chainid()))
            mstore(add(q, 8), shl(96, address()))
            mstore(add(q, 28), shl(192, mload(hd))) // number
            mstore(add(q, 36), shl(192, mload(add(hd, 96)))) // queue start
            mstore(add(q, 44), shl(240, mload(c))) // deposit count
            mstore(add(q, 46), shl(224, mload(add(hd, 128)))) // next index
            mstore(add(q, 50), shl(224, mload(add(hd, 160)))) // fee account
            if gt(hs, BLOB_HEADER_SIZE) {
                mstore(add(q, 54), shl(240, mload(add(c, 32))))
                mstore(add(q, 56), mload(add(hd, 192))) // chain
            }
            let src := pubdata.offset
            calldatacopy(add(q, hs), src, dLen)
            src := add(src, dLen)
            calldatacopy(add(q, fOff), src, fLen)
            calldatacopy(add(q, wOff), add(src, fLen), wLen)
            // Spread: chunk j (31 bytes at q + 31j) becomes element j at
            // q + 32j. Descending, each write lands on bytes already read.
            for { let j := chunks } j {} {
                j := sub(j, 1)
                mstore(add(q, shl(5, j)), shr(8, mload(add(q, mul(31, j)))))
            }
            x := and(keccak256(p, add(64, shl(5, m))), sub(shl(125, 1), 1))
            let r := BLS_MODULUS
            // H(x) by Horner, from e_{m-1} down to e_0.
            let h := 0
            let e0 := add(p, 64)
            for { let a := add(e0, shl(5, m)) } gt(a, e0) {} {
                a := sub(a, 32)
                h := addmod(mulmod(h, x, r), mload(a), r)
            }
            // x^4096: twelve squarings.
            let t := mulmod(x, x, r)
            t := mulmod(t, t, r)
            t := mulmod(t, t, r)
            t := mulmod(t, t, r)
            t := mulmod(t, t, r)
            t := mulmod(t, t, r)
            t := mulmod(t, t, r)
            t := mulmod(t, t, r)
            t := mulmod(t, t, r)
            t := mulmod(t, t, r)
            t := mulmod(t, t, r)
            t := mulmod(t, t, r)
            // y = (x^4096 − 1)/4096 · (v − H(x))
            let y := mulmod(mulmod(addmod(t, sub(r, 1), r), INV_BLOB_N, r), addmod(v, sub(r, h), r), r)
            // versionedHash ‖ x ‖ y ‖ commitment ‖ proof; the precompile
            // answers FIELD_ELEMENTS_PER_BLOB ‖ BLS_MODULUS.
            mstore(p, vh)
            mstore(add(p, 32), x)
            mstore(add(p, 64), y)
            calldatacopy(add(p, 96), kzg.offset, 96)
            ok := staticcall(POINT_EVALUATION_GAS, POINT_EVALUATION, p, 192, p, 64)
            ok := and(ok, and(eq(mload(p), BLOB_N), eq(mload(add(p, 32)), r)))
        }
        if (!ok) revert BlobProofFailed();
    }

    /// Credits each valid forced exit (flag 1) its amount: the account's
    /// whole former balance, judged by the circuit. Slot layout:
    /// index (n) ‖ recipient (20) ‖ amount (16) ‖ flag (1).
    function _creditForcedExits(uint64 number, bytes calldata pubdata, uint256 off, uint64 from, uint16 nf) private {
        uint256 n = indexBytes;
        uint256 size = forcedExitBytes;
        for (uint256 i = 0; i < nf; i++) {
            uint256 s = off + i * size;
            address to;
            uint128 amount;
            bool valid;
            assembly ("memory-safe") {
                let q := add(pubdata.offset, add(s, n))
                to := shr(96, calldataload(q))
                amount := shr(128, calldataload(add(q, 20)))
                valid := eq(shr(248, calldataload(add(q, 36))), 1)
            }
            if (valid) pendingWithdrawals[to] += amount;
            emit ForcedExitProcessed(number, uint64(from + i), to, valid ? amount : 0, valid);
        }
    }

    function _creditWithdrawals(uint64 number, bytes calldata pubdata, uint256 off, uint16 nw) private {
        uint256 n = indexBytes;
        uint256 size = withdrawalBytes;
        for (uint256 i = 0; i < nw; i++) {
            uint256 s = off + i * size;
            if (_readIndex(pubdata, s, n) == 0) revert EmptySlot(2, i);
            address to;
            uint256 packed;
            assembly ("memory-safe") {
                let w := calldataload(add(pubdata.offset, add(s, n)))
                to := shr(96, w)
                packed := shr(208, calldataload(add(pubdata.offset, add(s, add(n, 20)))))
            }
            // amount code (37 bits: exponent 5 ‖ mantissa 32) ‖ fee code (11 bits)
            uint256 code = packed >> 11;
            uint256 amount = (code & 0xffffffff) * 10 ** (code >> 32);
            pendingWithdrawals[to] += amount;
            emit WithdrawalCredited(number, to, amount);
        }
    }

    // ------------------------------------------------------------------
    // Withdrawals
    // ------------------------------------------------------------------

    /// Pays the caller everything credited to it (pull payment).
    function claim() external {
        _claim(msg.sender);
    }

    /// Pays everything credited to the caller to `to` instead, for a
    /// credited address that cannot receive ETH (a contract without a
    /// payable fallback, say).
    function claimTo(address to) external {
        if (to == address(0)) revert BadRecipient();
        _claim(to);
    }

    /// Checks, effects (credit zeroed, event), then the one interaction,
    /// under a lock: a re-entering recipient finds nothing and the lock.
    function _claim(address to) private {
        if (locked) revert Reentrancy();
        locked = true;
        uint256 amount = pendingWithdrawals[msg.sender];
        if (amount == 0) revert NothingToClaim();
        pendingWithdrawals[msg.sender] = 0;
        emit Claimed(msg.sender, to, amount);
        (bool ok,) = payable(to).call{value: amount}("");
        if (!ok) revert TransferFailed();
        locked = false;
    }
}
