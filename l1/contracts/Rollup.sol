// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// The Groth16 verifier exported by gnark (`VerifyingKey.ExportSolidity`) for
/// one circuit configuration: one public input, reverts on a bad proof.
interface IVerifier {
    function verifyProof(bytes calldata proof, uint256[1] calldata input) external view;
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
    uint256 internal constant MAX_AMOUNT = (1 << 128) - 1;

    // ------------------------------------------------------------------
    // Circuit configuration (fixed per deployment: one verifier per config)
    // ------------------------------------------------------------------

    IVerifier public immutable verifier;
    uint8 public immutable depth;
    uint16 public immutable depositSlots;
    uint16 public immutable transferSlots;
    uint16 public immutable withdrawalSlots;
    uint256 internal immutable indexBytes;
    uint256 internal immutable depositBytes;
    uint256 internal immutable transferBytes;
    uint256 internal immutable withdrawalBytes;
    /// Padded pubdata size: deposit, transfer and withdrawal sections.
    uint256 public immutable pubdataSize;

    // ------------------------------------------------------------------
    // State
    // ------------------------------------------------------------------

    /// Current L2 state root (a BN254 scalar, big-endian).
    bytes32 public stateRoot;
    /// Number of the last accepted batch (0 before the first).
    uint64 public lastBatch;
    /// Queue index of the next deposit a batch must consume.
    uint64 public depositHead;
    /// Number of deposits ever queued (next queue index).
    uint64 public depositTail;
    /// First unassigned L2 account index.
    uint32 public nextIndex;
    /// L2 account that receives the batch fees (header field).
    uint32 public feeAccount;
    bool private locked;
    /// Set when exodus mode starts. Exodus (forced exit with a Merkle proof
    /// of an account against `stateRoot`, once the sequencer has ignored
    /// the deposit queue for too long) is not implemented yet; when it is,
    /// it sets this flag and every operator path below already refuses to run.
    bool public frozen;

    address public owner;
    address public sequencer;
    /// Largest single deposit, in wei (≤ 2^128 - 1).
    uint128 public depositCap;

    /// keccak256(compressed key ‖ uint128 amount) by queue index.
    mapping(uint256 => bytes32) public depositHashes;
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
    event BatchSubmitted(
        uint64 indexed number,
        bytes32 oldRoot,
        bytes32 newRoot,
        uint64 depositStart,
        uint16 depositCount,
        uint16 transferCount,
        uint16 withdrawalCount,
        uint32 nextIndexBefore,
        uint32 feeAccount,
        uint256 publicInput
    );
    event WithdrawalCredited(uint64 indexed batch, address indexed to, uint256 amount);
    event Claimed(address indexed to, uint256 amount);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event SequencerChanged(address indexed previous, address indexed current);
    event FeeAccountChanged(uint32 previous, uint32 current);
    event DepositCapChanged(uint128 previous, uint128 current);

    // ------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------

    error NotOwner();
    error NotSequencer();
    error Frozen();
    error Reentrancy();
    error BadConfig();
    error BadAmount(uint256 amount);
    error BadPublicKey();
    error WrongBatchNumber(uint64 expected, uint64 got);
    error WrongOldRoot(bytes32 expected, bytes32 got);
    error BadRoot();
    error BadCounts();
    error BadPubdataLength(uint256 expected, uint256 got);
    error DepositQueueShort(uint64 available, uint16 wanted);
    error DepositMismatch(uint256 slot, uint64 queueIndex);
    error EmptySlot(uint256 section, uint256 slot);
    error NothingToClaim();
    error TransferFailed();
    error BadFeeAccount();

    // ------------------------------------------------------------------
    // Construction and roles
    // ------------------------------------------------------------------

    /// @param verifier_ the gnark-exported verifier of this configuration
    /// @param depth_ account tree depth; the slot counts complete the configuration
    /// @param genesisRoot root the first batch starts from (the empty tree's
    ///        root for a fresh rollup)
    /// @param genesisNextIndex first free account index at genesis (1 for an empty tree)
    constructor(
        address verifier_,
        uint8 depth_,
        uint16 depositSlots_,
        uint16 transferSlots_,
        uint16 withdrawalSlots_,
        bytes32 genesisRoot,
        uint32 genesisNextIndex,
        address sequencer_,
        uint32 feeAccount_,
        uint128 depositCap_
    ) {
        if (
            verifier_.code.length == 0 || depth_ < 2 || depth_ > 32
                || uint256(depositSlots_) + transferSlots_ + withdrawalSlots_ == 0 || uint256(genesisRoot) >= R
                || genesisNextIndex == 0 || block.chainid >= 1 << 64
        ) revert BadConfig();
        verifier = IVerifier(verifier_);
        depth = depth_;
        depositSlots = depositSlots_;
        transferSlots = transferSlots_;
        withdrawalSlots = withdrawalSlots_;
        uint256 n = (uint256(depth_) + 7) / 8;
        indexBytes = n;
        depositBytes = n + PUBKEY_SIZE + 16;
        transferBytes = 2 * n + AMOUNT_FEE_BYTES;
        withdrawalBytes = n + 20 + AMOUNT_FEE_BYTES;
        pubdataSize = uint256(depositSlots_) * (n + PUBKEY_SIZE + 16) + uint256(transferSlots_) * (2 * n + AMOUNT_FEE_BYTES)
            + uint256(withdrawalSlots_) * (n + 20 + AMOUNT_FEE_BYTES);
        stateRoot = genesisRoot;
        nextIndex = genesisNextIndex;
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
        _setSequencer(sequencer_);
        _setFeeAccount(feeAccount_, depth_);
        _setDepositCap(depositCap_);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    modifier notFrozen() {
        if (frozen) revert Frozen();
        _;
    }

    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert BadConfig();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function setSequencer(address s) external onlyOwner {
        _setSequencer(s);
    }

    function setFeeAccount(uint32 a) external onlyOwner {
        _setFeeAccount(a, depth);
    }

    function setDepositCap(uint128 cap) external onlyOwner {
        _setDepositCap(cap);
    }

    function _setSequencer(address s) private {
        if (s == address(0)) revert BadConfig();
        emit SequencerChanged(sequencer, s);
        sequencer = s;
    }

    /// The circuit decomposes the fee account into `depth` bits; index 0 is reserved.
    function _setFeeAccount(uint32 a, uint8 d) private {
        if (a == 0 || (d < 32 && uint256(a) >= 1 << d)) revert BadFeeAccount();
        emit FeeAccountChanged(feeAccount, a);
        feeAccount = a;
    }

    function _setDepositCap(uint128 cap) private {
        if (cap == 0) revert BadConfig();
        emit DepositCapChanged(depositCap, cap);
        depositCap = cap;
    }

    /// Number the next batch must carry.
    function nextBatch() external view returns (uint64) {
        return lastBatch + 1;
    }

    // ------------------------------------------------------------------
    // Deposits
    // ------------------------------------------------------------------

    /// Queues msg.value wei for the L2 key (x, y). The key must be a point
    /// of the curve, not of small order; L2 never refuses a queued deposit.
    function deposit(uint256 x, uint256 y) external payable notFrozen {
        uint256 amount = msg.value;
        if (amount == 0 || amount > depositCap) revert BadAmount(amount);
        bytes32 key = compressKey(x, y);
        uint64 q = depositTail;
        depositHashes[q] = keccak256(abi.encodePacked(key, uint128(amount)));
        depositTail = q + 1;
        emit Deposit(q, key, x, uint128(amount), msg.sender);
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
    /// how many. The first `nDeposits` queued deposits are consumed.
    function submitBatch(
        uint64 number,
        bytes32 oldRoot,
        bytes32 newRoot,
        uint16 nDeposits,
        uint16 nTransfers,
        uint16 nWithdrawals,
        bytes calldata pubdata,
        bytes calldata proof
    ) external notFrozen {
        if (msg.sender != sequencer) revert NotSequencer();
        uint64 last = lastBatch;
        if (number != last + 1) revert WrongBatchNumber(last + 1, number);
        if (oldRoot != stateRoot) revert WrongOldRoot(stateRoot, oldRoot);
        if (uint256(newRoot) >= R) revert BadRoot();
        if (nDeposits > depositSlots || nTransfers > transferSlots || nWithdrawals > withdrawalSlots) {
            revert BadCounts();
        }
        {
            uint256 want = uint256(nDeposits) * depositBytes + uint256(nTransfers) * transferBytes
                + uint256(nWithdrawals) * withdrawalBytes;
            if (pubdata.length != want) revert BadPubdataLength(want, pubdata.length);
        }
        uint64 head = depositHead;
        uint32 nextIdx = nextIndex;

        // Deposits must be the queued ones, in order; new accounts raise nextIndex.
        uint32 newNext = _checkDeposits(pubdata, head, nDeposits, nextIdx);

        uint256 pi = _publicInput(number, newRoot, nDeposits, nTransfers, nWithdrawals, pubdata);
        verifier.verifyProof(proof, [pi]);

        // Effects.
        stateRoot = newRoot;
        lastBatch = number;
        depositHead = head + nDeposits;
        nextIndex = newNext;
        _creditWithdrawals(number, pubdata, uint256(nDeposits) * depositBytes + uint256(nTransfers) * transferBytes, nWithdrawals);
        emit BatchSubmitted(
            number, oldRoot, newRoot, head, nDeposits, nTransfers, nWithdrawals, nextIdx, feeAccount, pi
        );
    }

    function _checkDeposits(bytes calldata pubdata, uint64 head, uint16 nd, uint32 nextIdx)
        private
        view
        returns (uint32 newNext)
    {
        uint64 tail = depositTail;
        if (uint256(head) + nd > tail) revert DepositQueueShort(tail - head, nd);
        uint256 n = indexBytes;
        uint256 size = depositBytes;
        newNext = nextIdx;
        for (uint256 i = 0; i < nd; i++) {
            uint256 off = i * size;
            uint256 idx = _readIndex(pubdata, off, n);
            if (idx == 0) revert EmptySlot(0, i);
            bytes32 h;
            assembly {
                // compressed key (32) ‖ amount (16), right after the index
                calldatacopy(0, add(pubdata.offset, add(off, n)), 48)
                h := keccak256(0, 48)
            }
            if (h != depositHashes[head + i]) revert DepositMismatch(i, uint64(head + i));
            if (idx >= newNext) newNext = uint32(idx + 1);
        }
    }

    function _readIndex(bytes calldata pubdata, uint256 off, uint256 n) private pure returns (uint256 v) {
        assembly {
            v := shr(sub(256, mul(8, n)), calldataload(add(pubdata.offset, off)))
        }
    }

    /// SHA-256(header ‖ padded pubdata), top three bits cleared.
    /// Reads the header fields the contract owns (root, queue head, next
    /// index, fee account) from storage, before the batch's effects.
    function _publicInput(
        uint64 batchNumber,
        bytes32 newRoot,
        uint16 nd,
        uint16 nt,
        uint16 nw,
        bytes calldata pubdata
    ) private view returns (uint256 pi) {
        bytes32 oldRoot = stateRoot;
        uint64 head = depositHead;
        uint32 nextIdx = nextIndex;
        uint32 fee = feeAccount;
        uint256 total = HEADER_SIZE + pubdataSize;
        // 32 spare bytes: the last header word is written with a full mstore.
        bytes memory buf = new bytes(total + 32);
        uint256 dLen = uint256(nd) * depositBytes;
        uint256 tLen = uint256(nt) * transferBytes;
        uint256 wLen = uint256(nw) * withdrawalBytes;
        uint256 tOff = HEADER_SIZE + uint256(depositSlots) * depositBytes;
        uint256 wOff = tOff + uint256(transferSlots) * transferBytes;
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
            // Sections at their fixed offsets; unused slots stay zero.
            calldatacopy(add(p, HEADER_SIZE), pubdata.offset, dLen)
            calldatacopy(add(p, tOff), add(pubdata.offset, dLen), tLen)
            calldatacopy(add(p, wOff), add(pubdata.offset, add(dLen, tLen)), wLen)
            ok := staticcall(gas(), 0x02, p, total, 0x00, 0x20)
            pi := and(mload(0x00), 0x1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff)
        }
        require(ok, "sha256 failed");
    }

    function _creditWithdrawals(uint64 number, bytes calldata pubdata, uint256 off, uint16 nw) private {
        uint256 n = indexBytes;
        uint256 size = withdrawalBytes;
        for (uint256 i = 0; i < nw; i++) {
            uint256 s = off + i * size;
            if (_readIndex(pubdata, s, n) == 0) revert EmptySlot(2, i);
            address to;
            uint256 packed;
            assembly {
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
        if (locked) revert Reentrancy();
        locked = true;
        uint256 amount = pendingWithdrawals[msg.sender];
        if (amount == 0) revert NothingToClaim();
        pendingWithdrawals[msg.sender] = 0;
        emit Claimed(msg.sender, amount);
        (bool ok,) = payable(msg.sender).call{value: amount}("");
        if (!ok) revert TransferFailed();
        locked = false;
    }
}
