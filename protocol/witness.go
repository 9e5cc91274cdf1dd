package protocol

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/holiman/uint256"
)

// The stored witness (batches.witness) is a Batch in a compact binary form:
// the sequencer writes one per sealed batch and the prover reads it back.
// JSON cost about as much CPU to write as applying the batch (field elements
// as decimal strings, 172 KB for a full 4/32/4 batch at depth 24); this is
// 71 KB, a plain copy of fixed-size fields, about 8× faster to encode.
//
// Layout (version 2): the magic "SHWT", the version byte, then the Batch
// field by field in declaration order; the configuration's DA mode is one
// byte after its five sizes (0 unset, 1 calldata, 2 blob), which version 1
// lacked (a version-1 witness decodes with DA unset: the prover takes the
// mode from the batch row's configuration). Integers are big-endian at their Go
// width; field elements and uint256 values are 32 bytes big-endian
// (canonical, checked on decode); slices are a uvarint length and their
// elements; booleans one byte, 0 or 1; an optional value one presence byte.
// Trailing bytes are an error. A change to Batch or its parts needs a new
// version, with the old one still decoded while rows of it can exist.
const (
	witnessMagic   = "SHWT"
	WitnessVersion = 2
)

// witnessDA is the DA mode's byte in version 2 (its index).
var witnessDA = []string{"", DACalldata, DABlob}

// ErrBadWitness: a stored witness that does not decode.
var ErrBadWitness = errors.New("bad witness")

// EncodeWitness returns b in the binary witness format.
func EncodeWitness(b *Batch) []byte {
	w := &wbuf{b: make([]byte, 0, 512+len(b.Pubdata)+estimateProofs(b)*(4+100+32*b.Config.Depth))}
	w.b = append(w.b, witnessMagic...)
	w.b = append(w.b, WitnessVersion)
	c := b.Config
	for _, v := range []int{c.Depth, c.Deposits, c.Transfers, c.Withdrawals, c.ForcedExits} {
		w.uvarint(uint64(v))
	}
	da := slices.Index(witnessDA, c.DA)
	if da < 0 {
		da = 0 // Config.Check refuses any other mode before a batch exists
	}
	w.b = append(w.b, byte(da))
	h := &b.Header
	w.u64(h.ChainID)
	w.b = append(w.b, h.Contract[:]...)
	w.u64(h.Number)
	w.fe(&h.OldRoot)
	w.fe(&h.NewRoot)
	w.u64(h.DepositStart)
	w.u16(h.DepositCount)
	w.u32(h.NextIndex)
	w.u32(h.FeeAccount)
	w.bool(h.ForcedExits != nil)
	if h.ForcedExits != nil {
		w.u16(h.ForcedExits.Count)
		w.fe(&h.ForcedExits.Chain)
	}
	w.uvarint(uint64(len(b.Deposits)))
	for i := range b.Deposits {
		d := &b.Deposits[i]
		w.u64(d.Deposit.QueueIndex)
		w.key(&d.Deposit.PubKey)
		w.u256(&d.Deposit.Amount)
		w.u32(d.Index)
		w.bool(d.IsNew)
		w.proof(&d.Before)
	}
	w.uvarint(uint64(len(b.ForcedExits)))
	for i := range b.ForcedExits {
		f := &b.ForcedExits[i]
		w.u64(f.Exit.QueueIndex)
		w.u32(f.Exit.Index)
		w.b = append(w.b, f.Exit.Recipient[:]...)
		w.u32(f.Exit.Nonce)
		w.sig(&f.Exit.Sig)
		w.fe(&f.Exit.PrevChain)
		w.bool(f.Outcome.Valid)
		w.u256(&f.Outcome.Amount)
		w.bool(f.Empty)
		w.proof(&f.Before)
	}
	w.uvarint(uint64(len(b.Transfers)))
	for i := range b.Transfers {
		t := &b.Transfers[i]
		w.u32(t.Tx.From)
		w.u32(t.Tx.To)
		w.u256(&t.Tx.Amount)
		w.u256(&t.Tx.Fee)
		w.u32(t.Tx.Nonce)
		w.sig(&t.Tx.Sig)
		w.proof(&t.Sender)
		w.proof(&t.Receiver)
	}
	w.uvarint(uint64(len(b.Withdrawals)))
	for i := range b.Withdrawals {
		x := &b.Withdrawals[i]
		w.u32(x.Tx.From)
		w.b = append(w.b, x.Tx.To[:]...)
		w.u256(&x.Tx.Amount)
		w.u256(&x.Tx.Fee)
		w.u32(x.Tx.Nonce)
		w.sig(&x.Tx.Sig)
		w.proof(&x.Sender)
	}
	w.u256(&b.Fee.Total)
	w.proof(&b.Fee.Before)
	w.uvarint(uint64(len(b.Pubdata)))
	w.b = append(w.b, b.Pubdata...)
	return w.b
}

func estimateProofs(b *Batch) int {
	return len(b.Deposits) + len(b.ForcedExits) + 2*len(b.Transfers) + len(b.Withdrawals) + 1
}

// DecodeWitness reads a stored witness: the binary format, or the JSON
// that sequencers before it stored (rows sealed then may still wait for a
// proof).
func DecodeWitness(data []byte) (*Batch, error) {
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		var b Batch
		if err := json.Unmarshal(data, &b); err != nil {
			return nil, fmt.Errorf("%w: JSON: %w", ErrBadWitness, err)
		}
		return &b, nil
	}
	if len(data) < len(witnessMagic)+1 || string(data[:len(witnessMagic)]) != witnessMagic {
		return nil, fmt.Errorf("%w: neither the binary format nor JSON", ErrBadWitness)
	}
	v := data[len(witnessMagic)]
	if v != 1 && v != WitnessVersion {
		return nil, fmt.Errorf("%w: version %d, this build reads 1 and %d", ErrBadWitness, v, WitnessVersion)
	}
	r := &rbuf{b: data[len(witnessMagic)+1:]}
	b := &Batch{}
	c := &b.Config
	for _, p := range []*int{&c.Depth, &c.Deposits, &c.Transfers, &c.Withdrawals, &c.ForcedExits} {
		*p = r.int(1 << 16)
	}
	if v >= 2 {
		c.DA = witnessDA[r.int(len(witnessDA)-1)]
	}
	h := &b.Header
	h.ChainID = r.u64()
	r.bytes(h.Contract[:])
	h.Number = r.u64()
	r.fe(&h.OldRoot)
	r.fe(&h.NewRoot)
	h.DepositStart = r.u64()
	h.DepositCount = r.u16()
	h.NextIndex = r.u32()
	h.FeeAccount = r.u32()
	if r.bool() {
		h.ForcedExits = &ForcedExitHeader{Count: r.u16()}
		r.fe(&h.ForcedExits.Chain)
	}
	if n := r.int(c.Deposits); n > 0 {
		b.Deposits = make([]DepositWitness, n)
		for i := range b.Deposits {
			d := &b.Deposits[i]
			d.Deposit.QueueIndex = r.u64()
			r.key(&d.Deposit.PubKey)
			r.u256(&d.Deposit.Amount)
			d.Index = r.u32()
			d.IsNew = r.bool()
			r.proof(&d.Before, c.Depth)
		}
	}
	if n := r.int(c.ForcedExits); n > 0 {
		b.ForcedExits = make([]ForcedExitWitness, n)
		for i := range b.ForcedExits {
			f := &b.ForcedExits[i]
			f.Exit.QueueIndex = r.u64()
			f.Exit.Index = r.u32()
			r.bytes(f.Exit.Recipient[:])
			f.Exit.Nonce = r.u32()
			r.sig(&f.Exit.Sig)
			r.fe(&f.Exit.PrevChain)
			f.Outcome.Valid = r.bool()
			r.u256(&f.Outcome.Amount)
			f.Empty = r.bool()
			r.proof(&f.Before, c.Depth)
		}
	}
	if n := r.int(c.Transfers); n > 0 {
		b.Transfers = make([]TransferWitness, n)
		for i := range b.Transfers {
			t := &b.Transfers[i]
			t.Tx.From = r.u32()
			t.Tx.To = r.u32()
			r.u256(&t.Tx.Amount)
			r.u256(&t.Tx.Fee)
			t.Tx.Nonce = r.u32()
			r.sig(&t.Tx.Sig)
			r.proof(&t.Sender, c.Depth)
			r.proof(&t.Receiver, c.Depth)
		}
	}
	if n := r.int(c.Withdrawals); n > 0 {
		b.Withdrawals = make([]WithdrawalWitness, n)
		for i := range b.Withdrawals {
			x := &b.Withdrawals[i]
			x.Tx.From = r.u32()
			r.bytes(x.Tx.To[:])
			r.u256(&x.Tx.Amount)
			r.u256(&x.Tx.Fee)
			x.Tx.Nonce = r.u32()
			r.sig(&x.Tx.Sig)
			r.proof(&x.Sender, c.Depth)
		}
	}
	r.u256(&b.Fee.Total)
	r.proof(&b.Fee.Before, c.Depth)
	if n := r.int(len(r.b)); r.err == nil {
		b.Pubdata = make([]byte, n)
		r.bytes(b.Pubdata)
	}
	if r.err == nil && len(r.b) > 0 {
		r.err = fmt.Errorf("%d trailing bytes", len(r.b))
	}
	if r.err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadWitness, r.err)
	}
	return b, nil
}

type wbuf struct{ b []byte }

func (w *wbuf) u16(v uint16)     { w.b = binary.BigEndian.AppendUint16(w.b, v) }
func (w *wbuf) u32(v uint32)     { w.b = binary.BigEndian.AppendUint32(w.b, v) }
func (w *wbuf) u64(v uint64)     { w.b = binary.BigEndian.AppendUint64(w.b, v) }
func (w *wbuf) uvarint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *wbuf) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}
func (w *wbuf) fe(e *fr.Element) {
	x := e.Bytes()
	w.b = append(w.b, x[:]...)
}
func (w *wbuf) u256(v *uint256.Int) {
	x := v.Bytes32()
	w.b = append(w.b, x[:]...)
}
func (w *wbuf) key(k *PublicKey) { w.fe(&k.X); w.fe(&k.Y) }
func (w *wbuf) sig(s *Signature) { w.key(&s.R); w.fe(&s.S) }
func (w *wbuf) proof(p *AccountProof) {
	w.u32(p.Index)
	w.key(&p.Account.PubKey)
	w.u256(&p.Account.Balance)
	w.u32(p.Account.Nonce)
	w.uvarint(uint64(len(p.Siblings)))
	for i := range p.Siblings {
		w.fe(&p.Siblings[i])
	}
}

// rbuf reads what wbuf wrote; the first error sticks and later reads
// return zero values.
type rbuf struct {
	b   []byte
	err error
}

func (r *rbuf) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if len(r.b) < n {
		r.err = errors.New("truncated")
		return nil
	}
	x := r.b[:n]
	r.b = r.b[n:]
	return x
}

func (r *rbuf) bytes(dst []byte) {
	if x := r.take(len(dst)); x != nil {
		copy(dst, x)
	}
}

func (r *rbuf) u16() uint16 {
	if x := r.take(2); x != nil {
		return binary.BigEndian.Uint16(x)
	}
	return 0
}

func (r *rbuf) u32() uint32 {
	if x := r.take(4); x != nil {
		return binary.BigEndian.Uint32(x)
	}
	return 0
}

func (r *rbuf) u64() uint64 {
	if x := r.take(8); x != nil {
		return binary.BigEndian.Uint64(x)
	}
	return 0
}

// int reads a uvarint no larger than max (a slot count or a length: a
// corrupt one must not allocate gigabytes).
func (r *rbuf) int(max int) int {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errors.New("truncated or overlong length")
		return 0
	}
	r.b = r.b[n:]
	if v > uint64(max) {
		r.err = fmt.Errorf("length %d exceeds %d", v, max)
		return 0
	}
	return int(v)
}

func (r *rbuf) bool() bool {
	x := r.take(1)
	if x == nil {
		return false
	}
	if x[0] > 1 {
		r.err = fmt.Errorf("boolean byte %d", x[0])
	}
	return x[0] == 1
}

func (r *rbuf) fe(e *fr.Element) {
	if x := r.take(fr.Bytes); x != nil {
		if err := e.SetBytesCanonical(x); err != nil {
			r.err = err
		}
	}
}

func (r *rbuf) u256(v *uint256.Int) {
	if x := r.take(32); x != nil {
		v.SetBytes32(x)
	}
}

func (r *rbuf) key(k *PublicKey) { r.fe(&k.X); r.fe(&k.Y) }
func (r *rbuf) sig(s *Signature) { r.key(&s.R); r.fe(&s.S) }

func (r *rbuf) proof(p *AccountProof, depth int) {
	p.Index = r.u32()
	r.key(&p.Account.PubKey)
	r.u256(&p.Account.Balance)
	p.Account.Nonce = r.u32()
	if n := r.int(depth); n > 0 {
		p.Siblings = make([]fr.Element, n)
		for i := range p.Siblings {
			r.fe(&p.Siblings[i])
		}
	}
}
