package protocol

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"github.com/sheafrollup/sheaf/protocol/blob"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/holiman/uint256"
)

// HeaderSize is the header's length in a configuration without forced-exit
// slots; Config.HeaderSize adds ForcedExitHeaderSize otherwise.
const HeaderSize = 8 + 20 + 8 + 32 + 32 + 8 + 2 + 4 + 4

// ForcedExitHeaderSize: forced-exit count (2) and chain value (32).
const ForcedExitHeaderSize = 2 + 32

// Header is what a batch commits to besides its pubdata.
type Header struct {
	ChainID  uint64
	Contract [20]byte
	Number   uint64
	OldRoot  fr.Element
	NewRoot  fr.Element
	// DepositStart is the priority-queue index of the first entry consumed
	// (the queue holds deposits and forced exits). The batch consumes
	// DepositCount deposits and then, when the configuration has
	// forced-exit slots, ForcedExits.Count forced exits, in queue order.
	DepositStart uint64
	DepositCount uint16
	NextIndex    uint32 // first unassigned account index before the batch
	FeeAccount   uint32
	// ForcedExits is set exactly when the configuration has forced-exit
	// slots; the header then ends with its 34 bytes.
	ForcedExits *ForcedExitHeader `json:",omitempty"`
}

// ForcedExitHeader is the header's forced-exit part.
type ForcedExitHeader struct {
	Count uint16 // forced exits consumed, right after the batch's deposits in the queue
	// Chain is the forced-exit chain value after the last forced exit
	// consumed, 0 when Count is 0. The contract stores the chain value of
	// every request; with Count fixed, this one value binds every consumed
	// request (index, recipient, nonce, signature) to the batch.
	Chain fr.Element
}

// Bytes is the header's part of the public-input preimage (big-endian):
// chainID ‖ contract ‖ number ‖ oldRoot ‖ newRoot ‖ depositStart ‖ depositCount ‖ nextIndex ‖ feeAccount
// [‖ forcedExitCount ‖ forcedExitChain].
func (h Header) Bytes() []byte {
	b := make([]byte, 0, HeaderSize+ForcedExitHeaderSize)
	b = binary.BigEndian.AppendUint64(b, h.ChainID)
	b = append(b, h.Contract[:]...)
	b = binary.BigEndian.AppendUint64(b, h.Number)
	or, nr := h.OldRoot.Bytes(), h.NewRoot.Bytes()
	b = append(b, or[:]...)
	b = append(b, nr[:]...)
	b = binary.BigEndian.AppendUint64(b, h.DepositStart)
	b = binary.BigEndian.AppendUint16(b, h.DepositCount)
	b = binary.BigEndian.AppendUint32(b, h.NextIndex)
	b = binary.BigEndian.AppendUint32(b, h.FeeAccount)
	if h.ForcedExits != nil {
		b = binary.BigEndian.AppendUint16(b, h.ForcedExits.Count)
		c := h.ForcedExits.Chain.Bytes()
		b = append(b, c[:]...)
	}
	return b
}

// ParseHeader is the inverse of Header.Bytes: it reads a stored header
// back (roots must be canonical field elements).
func ParseHeader(b []byte) (Header, error) {
	var h Header
	if len(b) != HeaderSize {
		return h, fmt.Errorf("%w: header is %d bytes, want %d", ErrBadBatch, len(b), HeaderSize)
	}
	h.ChainID = binary.BigEndian.Uint64(b[0:8])
	copy(h.Contract[:], b[8:28])
	h.Number = binary.BigEndian.Uint64(b[28:36])
	if err := h.OldRoot.SetBytesCanonical(b[36:68]); err != nil {
		return h, fmt.Errorf("%w: old root: %v", ErrBadBatch, err)
	}
	if err := h.NewRoot.SetBytesCanonical(b[68:100]); err != nil {
		return h, fmt.Errorf("%w: new root: %v", ErrBadBatch, err)
	}
	h.DepositStart = binary.BigEndian.Uint64(b[100:108])
	h.DepositCount = binary.BigEndian.Uint16(b[108:110])
	h.NextIndex = binary.BigEndian.Uint32(b[110:114])
	h.FeeAccount = binary.BigEndian.Uint32(b[114:118])
	return h, nil
}

// PublicInputBits is how many low bits of the SHA-256 digest survive.
const PublicInputBits = 253

// PublicInput is the circuit's single public input: SHA-256 of header and
// padded pubdata, read big-endian, with its top three bits cleared so it is
// below the BN254 scalar field modulus.
func PublicInput(h Header, pubdata []byte) fr.Element {
	d := sha256.Sum256(append(h.Bytes(), pubdata...))
	d[0] &= 0x1f
	var e fr.Element
	e.SetBytes(d[:])
	return e
}

// Batch is an applied batch: header, padded pubdata and the full witness.
type Batch struct {
	Config      Config
	Header      Header
	Deposits    []DepositWitness
	ForcedExits []ForcedExitWitness `json:",omitempty"`
	Transfers   []TransferWitness
	Withdrawals []WithdrawalWitness
	Fee         FeeWitness
	Pubdata     []byte
}

// PublicInput of this batch: calldata mode's one public input, or in blob
// mode dataHash, which the first of the two public inputs carries (they
// also need the blob's versioned hash: BindBlob, through
// circuits.AssignBlob). Either follows from the header and pubdata alone.
func (b *Batch) PublicInput() fr.Element {
	if b.Config.Blob() {
		return blobDataHash(blob.Chunks(TransferSection(b.Config, b.Pubdata)), BlobElements(b.Config, b.Header, b.Pubdata))
	}
	return PublicInput(b.Header, b.Pubdata)
}

// Counts are the used slots of each pubdata section.
type Counts struct {
	Deposits, ForcedExits, Transfers, Withdrawals int
}

// Counts of this batch.
func (b *Batch) Counts() Counts {
	return Counts{Deposits: len(b.Deposits), ForcedExits: len(b.ForcedExits), Transfers: len(b.Transfers), Withdrawals: len(b.Withdrawals)}
}

// Compact returns the pubdata an L1 transaction carries: used slots only.
func (b *Batch) Compact() []byte {
	return CompactPubdata(b.Config, b.Pubdata, b.Counts())
}

// BatchInput is what the sequencer puts into one batch, in the order the
// batch applies it: deposits, then forced exits (together the next entries
// of the priority queue, deposits first), then transfers, then
// withdrawals; fees are credited last.
type BatchInput struct {
	FeeAccount uint32
	// SignaturesVerified skips re-verifying signatures the caller (the
	// sequencer, at acceptance) already checked against the same keys.
	// Forced exits are always judged here: their outcome is part of the batch.
	SignaturesVerified bool
	Deposits           []Deposit
	ForcedExits        []ForcedExit
	Transfers          []Transfer
	Withdrawals        []Withdrawal
}

// ApplyBatch applies a whole batch atomically: on any error the state is
// unchanged and the error names the failing slot.
func (s *State) ApplyBatch(in BatchInput) (*Batch, error) {
	cfg := s.cfg
	if len(in.Deposits) > cfg.Deposits || len(in.ForcedExits) > cfg.ForcedExits || len(in.Transfers) > cfg.Transfers || len(in.Withdrawals) > cfg.Withdrawals {
		return nil, fmt.Errorf("%w: %d/%d/%d/%d ops for %d/%d/%d/%d slots (deposits/forced exits/transfers/withdrawals)", ErrBatchFull,
			len(in.Deposits), len(in.ForcedExits), len(in.Transfers), len(in.Withdrawals),
			cfg.Deposits, cfg.ForcedExits, cfg.Transfers, cfg.Withdrawals)
	}
	cp := s.checkpoint()
	// The batch's proofs are deferred (smt.ProofLater): applyBatch ends by
	// reading the new root, and a failed batch's revert settles them too,
	// so its hashes run in wide lanes at the end.
	s.later = true
	b, err := s.applyBatch(in)
	s.later = false
	if err != nil {
		s.revert(cp)
		s.commit() // close the checkpoint; nothing is left to keep
		return nil, err
	}
	s.commit()
	s.batch = b.Header.Number
	return b, nil
}

func (s *State) applyBatch(in BatchInput) (*Batch, error) {
	cfg := s.cfg
	b := &Batch{
		Config: cfg,
		Header: Header{
			ChainID: s.chainID, Contract: s.contract, Number: s.batch + 1,
			OldRoot: s.Root(), DepositStart: s.nextDeposit, FeeAccount: in.FeeAccount,
			NextIndex: uint32(s.NumAccounts() + 1),
		},
		Pubdata: make([]byte, cfg.PubdataSize()),
	}
	off := 0
	for i, d := range in.Deposits {
		w, err := s.ApplyDeposit(d)
		if err != nil {
			return nil, fmt.Errorf("deposit %d: %w", i, err)
		}
		b.Deposits = append(b.Deposits, w)
		EncodeDeposit(cfg, b.Pubdata[off+i*cfg.DepositBytes():], w.Index, &d)
	}
	off += cfg.Deposits * cfg.DepositBytes()
	var chain fr.Element
	for i, f := range in.ForcedExits {
		if i > 0 && f.PrevChain != chain {
			return nil, fmt.Errorf("forced exit %d: %w: its previous chain value is not the chain after forced exit %d", i, ErrBadForcedExit, i-1)
		}
		w, err := s.ApplyForcedExit(f)
		if err != nil {
			return nil, fmt.Errorf("forced exit %d: %w", i, err)
		}
		chain = f.Chain()
		b.ForcedExits = append(b.ForcedExits, w)
		EncodeForcedExit(cfg, b.Pubdata[off+i*cfg.ForcedExitBytes():], &w)
	}
	off += cfg.ForcedExits * cfg.ForcedExitBytes()
	var fees uint256.Int
	for i, t := range in.Transfers {
		w, err := s.applyTransfer(t, !in.SignaturesVerified)
		if err != nil {
			return nil, fmt.Errorf("transfer %d: %w", i, err)
		}
		b.Transfers = append(b.Transfers, w)
		EncodeTransfer(cfg, b.Pubdata[off+i*cfg.TransferBytes():], &t)
		fees.Add(&fees, &t.Fee)
	}
	off += cfg.Transfers * cfg.TransferBytes()
	for i, wd := range in.Withdrawals {
		w, err := s.applyWithdrawal(wd, !in.SignaturesVerified)
		if err != nil {
			return nil, fmt.Errorf("withdrawal %d: %w", i, err)
		}
		b.Withdrawals = append(b.Withdrawals, w)
		EncodeWithdrawal(cfg, b.Pubdata[off+i*cfg.WithdrawalBytes():], &wd)
		fees.Add(&fees, &wd.Fee)
	}
	fw, err := s.applyFee(in.FeeAccount, &fees)
	if err != nil {
		return nil, err
	}
	b.Fee = fw
	b.Header.NewRoot = s.Root()
	b.Header.DepositCount = uint16(len(b.Deposits))
	if cfg.ForcedExits > 0 {
		b.Header.ForcedExits = &ForcedExitHeader{Count: uint16(len(b.ForcedExits)), Chain: chain}
	}
	return b, nil
}

func putIndex(cfg Config, dst []byte, i uint32) {
	n := cfg.IndexBytes()
	for k := n - 1; k >= 0; k-- {
		dst[k] = byte(i)
		i >>= 8
	}
}

func getIndex(cfg Config, src []byte) uint32 {
	var i uint32
	for _, c := range src[:cfg.IndexBytes()] {
		i = i<<8 | uint32(c)
	}
	return i
}

// EncodeDeposit writes index ‖ compressed key ‖ amount (16 bytes).
func EncodeDeposit(cfg Config, dst []byte, index uint32, d *Deposit) {
	n := cfg.IndexBytes()
	putIndex(cfg, dst, index)
	k := d.PubKey.Bytes()
	copy(dst[n:], k[:])
	a := d.Amount.Bytes32()
	copy(dst[n+PubKeySize:], a[16:])
}

// Forced-exit outcome flags (the last byte of the slot).
const (
	ForcedExitNoop      = 0
	ForcedExitWithdrawn = 1
)

// EncodeForcedExit writes index ‖ recipient ‖ amount (16 bytes) ‖ flag.
func EncodeForcedExit(cfg Config, dst []byte, w *ForcedExitWitness) {
	n := cfg.IndexBytes()
	putIndex(cfg, dst, w.Exit.Index)
	copy(dst[n:], w.Exit.Recipient[:])
	a := w.Outcome.Amount.Bytes32()
	copy(dst[n+20:], a[16:])
	dst[n+36] = ForcedExitNoop
	if w.Outcome.Valid {
		dst[n+36] = ForcedExitWithdrawn
	}
}

// EncodeTransfer writes from ‖ to ‖ packed(amount, fee). The values must
// have passed the transfer checks (exactly encodable).
func EncodeTransfer(cfg Config, dst []byte, t *Transfer) {
	n := cfg.IndexBytes()
	a, f, err := encodeAmountFee(&t.Amount, &t.Fee)
	if err != nil {
		panic(err)
	}
	putIndex(cfg, dst, t.From)
	putIndex(cfg, dst[n:], t.To)
	p := PackAmountFee(a, f)
	copy(dst[2*n:], p[:])
}

// EncodeWithdrawal writes from ‖ L1 address ‖ packed(amount, fee).
func EncodeWithdrawal(cfg Config, dst []byte, w *Withdrawal) {
	n := cfg.IndexBytes()
	a, f, err := encodeAmountFee(&w.Amount, &w.Fee)
	if err != nil {
		panic(err)
	}
	putIndex(cfg, dst, w.From)
	copy(dst[n:], w.To[:])
	p := PackAmountFee(a, f)
	copy(dst[n+20:], p[:])
}

type section struct{ slots, size, used int }

// sections lists the pubdata sections in order: deposits, forced exits,
// transfers, withdrawals, each at a fixed offset in the padded form.
func sections(cfg Config, c Counts) []section {
	return []section{
		{cfg.Deposits, cfg.DepositBytes(), c.Deposits},
		{cfg.ForcedExits, cfg.ForcedExitBytes(), c.ForcedExits},
		{cfg.Transfers, cfg.TransferBytes(), c.Transfers},
		{cfg.Withdrawals, cfg.WithdrawalBytes(), c.Withdrawals},
	}
}

func checkCounts(cfg Config, c Counts) error {
	for _, s := range sections(cfg, c) {
		if s.used < 0 || s.used > s.slots {
			return fmt.Errorf("%w: counts %+v do not fit %s", ErrBadBatch, c, cfg)
		}
	}
	return nil
}

// CompactPubdata keeps the used slots of each section; the contract pads
// the sections back with zero bytes before hashing.
func CompactPubdata(cfg Config, pubdata []byte, c Counts) []byte {
	if err := checkCounts(cfg, c); err != nil || len(pubdata) != cfg.PubdataSize() {
		panic(fmt.Sprintf("CompactPubdata: counts %+v or %d bytes do not fit %s", c, len(pubdata), cfg))
	}
	var out []byte
	off := 0
	for _, s := range sections(cfg, c) {
		out = append(out, pubdata[off:off+s.used*s.size]...)
		off += s.slots * s.size
	}
	return out
}

// ErrEmptySlot: a counted slot of compact pubdata is a no-op (index 0).
var ErrEmptySlot = fmt.Errorf("%w: a counted slot is empty", ErrBadBatch)

// CheckCompact is the rollup contract's rule for the shape of a submitted
// batch, applied before any proof is checked (docs/contracts.md): counts
// within the slots, compact pubdata of exactly the counted sizes, every
// counted deposit and withdrawal slot with a non-zero index, and the last
// counted transfer slot with a non-zero sender. The circuit puts used slots
// first and makes a slot real exactly when its index is non-zero, so for a
// batch with a valid proof this is the same as "every counted slot is a
// real operation". The auditor applies it to every accepted batch.
func CheckCompact(cfg Config, compact []byte, nd, nt, nw int) error {
	if nd < 0 || nt < 0 || nw < 0 || nd > cfg.Deposits || nt > cfg.Transfers || nw > cfg.Withdrawals {
		return fmt.Errorf("%w: counts %d/%d/%d exceed slots %d/%d/%d", ErrBadBatch, nd, nt, nw, cfg.Deposits, cfg.Transfers, cfg.Withdrawals)
	}
	tOff := nd * cfg.DepositBytes()
	wOff := tOff + nt*cfg.TransferBytes()
	if want := wOff + nw*cfg.WithdrawalBytes(); len(compact) != want {
		return fmt.Errorf("%w: compact pubdata is %d bytes, counts need %d", ErrBadBatch, len(compact), want)
	}
	if nt > 0 && getIndex(cfg, compact[wOff-cfg.TransferBytes():]) == 0 {
		return fmt.Errorf("%w: transfer slot %d of %d", ErrEmptySlot, nt-1, nt)
	}
	for i := 0; i < nd; i++ {
		if getIndex(cfg, compact[i*cfg.DepositBytes():]) == 0 {
			return fmt.Errorf("%w: deposit slot %d of %d", ErrEmptySlot, i, nd)
		}
	}
	for i := 0; i < nw; i++ {
		if getIndex(cfg, compact[wOff+i*cfg.WithdrawalBytes():]) == 0 {
			return fmt.Errorf("%w: withdrawal slot %d of %d", ErrEmptySlot, i, nw)
		}
	}
	return nil
}

// ExpandPubdata is the inverse of CompactPubdata.
func ExpandPubdata(cfg Config, compact []byte, c Counts) ([]byte, error) {
	if err := checkCounts(cfg, c); err != nil {
		return nil, err
	}
	want := 0
	for _, s := range sections(cfg, c) {
		want += s.used * s.size
	}
	if len(compact) != want {
		return nil, fmt.Errorf("%w: compact pubdata is %d bytes, counts need %d", ErrBadBatch, len(compact), want)
	}
	out := make([]byte, cfg.PubdataSize())
	src, off := 0, 0
	for _, s := range sections(cfg, c) {
		src += copy(out[off:off+s.used*s.size], compact[src:])
		off += s.slots * s.size
	}
	return out, nil
}

// DecodedOp is one operation read back from pubdata (what an auditor sees).
type DecodedOp struct {
	Type      int
	Index     uint32 // deposit target, sender, or the forced exit's account
	To        uint32 // transfer recipient
	L1Address [20]byte
	PubKey    [PubKeySize]byte
	Amount    uint256.Int
	Fee       uint256.Int
	// Withdrawn (forced exits): the whole balance, Amount, went to
	// L1Address and the nonce advanced; false: a no-op (Amount is 0).
	Withdrawn bool
}

// DecodePubdata reads every used slot of padded pubdata. A slot whose
// index field is 0 is a no-op; used slots come first in each section.
func DecodePubdata(cfg Config, pubdata []byte) ([]DecodedOp, error) {
	if len(pubdata) != cfg.PubdataSize() {
		return nil, fmt.Errorf("%w: pubdata is %d bytes, config needs %d", ErrBadBatch, len(pubdata), cfg.PubdataSize())
	}
	n := cfg.IndexBytes()
	var ops []DecodedOp
	off := 0
	for i := 0; i < cfg.Deposits; i++ {
		p := pubdata[off+i*cfg.DepositBytes():]
		op := DecodedOp{Type: OpDeposit, Index: getIndex(cfg, p)}
		if op.Index == 0 {
			break
		}
		copy(op.PubKey[:], p[n:n+PubKeySize])
		op.Amount.SetBytes(p[n+PubKeySize : n+PubKeySize+16])
		ops = append(ops, op)
	}
	off += cfg.Deposits * cfg.DepositBytes()
	for i := 0; i < cfg.ForcedExits; i++ {
		p := pubdata[off+i*cfg.ForcedExitBytes():]
		op := DecodedOp{Type: OpForcedExit, Index: getIndex(cfg, p)}
		if op.Index == 0 {
			break
		}
		copy(op.L1Address[:], p[n:n+20])
		op.Amount.SetBytes(p[n+20 : n+36])
		switch p[n+36] {
		case ForcedExitWithdrawn:
			op.Withdrawn = true
		case ForcedExitNoop:
			if !op.Amount.IsZero() {
				return nil, fmt.Errorf("%w: forced exit %d is a no-op with amount %s", ErrBadBatch, i, op.Amount.Dec())
			}
		default:
			return nil, fmt.Errorf("%w: forced exit %d has flag %d", ErrBadBatch, i, p[n+36])
		}
		ops = append(ops, op)
	}
	off += cfg.ForcedExits * cfg.ForcedExitBytes()
	for i := 0; i < cfg.Transfers; i++ {
		p := pubdata[off+i*cfg.TransferBytes():]
		op := DecodedOp{Type: OpTransfer, Index: getIndex(cfg, p), To: getIndex(cfg, p[n:])}
		if op.Index == 0 {
			break
		}
		if err := decodeAmountFee(&op, p[2*n:]); err != nil {
			return nil, err
		}
		ops = append(ops, op)
	}
	off += cfg.Transfers * cfg.TransferBytes()
	for i := 0; i < cfg.Withdrawals; i++ {
		p := pubdata[off+i*cfg.WithdrawalBytes():]
		op := DecodedOp{Type: OpWithdraw, Index: getIndex(cfg, p)}
		if op.Index == 0 {
			break
		}
		copy(op.L1Address[:], p[n:n+20])
		if err := decodeAmountFee(&op, p[n+20:]); err != nil {
			return nil, err
		}
		ops = append(ops, op)
	}
	return ops, nil
}

func decodeAmountFee(op *DecodedOp, b []byte) error {
	ac, fc := UnpackAmountFee(b)
	a, err := AmountFloat.Decode(ac)
	if err != nil {
		return err
	}
	f, err := FeeFloat.Decode(fc)
	if err != nil {
		return err
	}
	op.Amount, op.Fee = *a, *f
	return nil
}

// FrToBig is a helper for code that needs big integers (circuit assignment).
func FrToBig(e fr.Element) *big.Int {
	var b big.Int
	return e.BigInt(&b)
}

// TransferSection is the transfer section of padded pubdata: in blob mode
// the bytes that go into the blob.
func TransferSection(cfg Config, pubdata []byte) []byte {
	off := cfg.Deposits*cfg.DepositBytes() + cfg.ForcedExits*cfg.ForcedExitBytes()
	return pubdata[off : off+cfg.Transfers*cfg.TransferBytes()]
}
