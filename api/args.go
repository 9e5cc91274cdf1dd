package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/sheafrollup/sheaf/protocol"
)

// Transaction kinds (SendArgs.Kind, TxInfo.Kind, sheaf_estimateFee).
const (
	KindTransfer   = "transfer"
	KindWithdrawal = "withdrawal"
)

// sendFields are SendArgs' JSON members; required ones are true.
var sendFields = map[string]bool{
	"kind": true, "from": true, "to": false, "l1Address": false,
	"amount": true, "fee": true, "nonce": true, "signature": true,
}

// sendOrder is the members' documented order: errors name the first missing.
var sendOrder = []string{"kind", "from", "to", "l1Address", "amount", "fee", "nonce", "signature"}

// UnmarshalJSON decodes strictly: a JSON object with exactly SendArgs'
// member names (case-sensitive), no unknown members, every required member
// present and not null. Every error starts with the offending member's
// name and a colon (the server's data.field reads it: go-ethereum passes
// on only the text). Value checks (kind, recipient, decimal syntax,
// encodability, signature) are in Decode.
func (a *SendArgs) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return errors.New("transaction: want a JSON object")
	}
	var unknown, missing []string
	for k := range m {
		if _, ok := sendFields[k]; !ok {
			unknown = append(unknown, strconv.Quote(truncate(k)))
		}
	}
	for _, k := range sendOrder {
		if v, ok := m[k]; sendFields[k] && (!ok || isNull(v)) {
			missing = append(missing, k)
		}
	}
	sort.Strings(unknown)
	switch {
	case len(unknown) > 0:
		first, _ := strconv.Unquote(unknown[0])
		return fmt.Errorf("%s: unknown member %s of the transaction (members are kind, from, to, l1Address, amount, fee, nonce, signature)",
			first, strings.Join(unknown, ", "))
	case len(missing) > 0:
		return fmt.Errorf("%s: missing member %s of the transaction", missing[0], strings.Join(missing, ", "))
	}
	var out SendArgs
	if err := json.Unmarshal(m["kind"], &out.Kind); err != nil {
		return errors.New(`kind: want a string, "transfer" or "withdrawal"`)
	}
	if err := decodeUint32("from", m["from"], &out.From); err != nil {
		return err
	}
	if err := decodeUint32("nonce", m["nonce"], &out.Nonce); err != nil {
		return err
	}
	if v, ok := m["to"]; ok && !isNull(v) {
		out.To = new(uint32)
		if err := decodeUint32("to", v, out.To); err != nil {
			return err
		}
	}
	if v, ok := m["l1Address"]; ok && !isNull(v) {
		out.L1Address = new(common.Address)
		if err := json.Unmarshal(v, out.L1Address); err != nil {
			return errors.New("l1Address: want a 0x-prefixed 20-byte hex string")
		}
	}
	if err := decodeDecimal("amount", m["amount"], &out.Amount); err != nil {
		return err
	}
	if err := decodeDecimal("fee", m["fee"], &out.Fee); err != nil {
		return err
	}
	if err := json.Unmarshal(m["signature"], &out.Signature); err != nil {
		return fmt.Errorf("signature: want 0x-prefixed hex of %d bytes: %v", protocol.SignatureSize, err)
	}
	*a = out
	return nil
}

func isNull(b json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(b), []byte("null")) }

func decodeUint32(field string, b json.RawMessage, v *uint32) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: want a JSON number in [0, 4294967295]", field)
	}
	return nil
}

func decodeDecimal(field string, b json.RawMessage, d *Decimal) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf(`%s: want a decimal string such as "1000" (amounts reach 2^128, beyond JSON numbers' precision)`, field)
	}
	*d = Decimal(s)
	return nil
}

// Op is a decoded, well-formed signed operation: exactly one field is set.
type Op struct {
	Transfer   *protocol.Transfer
	Withdrawal *protocol.Withdrawal
}

// Message is the hash the sender signed, which is also the transaction hash.
func (o Op) Message(domainState common.Hash) common.Hash {
	ds := frFromHash(domainState)
	var m fr.Element
	if o.Transfer != nil {
		m = o.Transfer.Message(ds)
	} else {
		m = o.Withdrawal.Message(ds)
	}
	return m.Bytes()
}

func frFromHash(h common.Hash) fr.Element {
	var e fr.Element
	e.SetBytes(h[:])
	return e
}

// Decode checks a transaction's wire form completely and builds the
// protocol operation; it does not look at state (nonce, balance, the
// signer's key). Every error is an *Error naming the offending field:
//
//   - kind is "transfer" (with to, without l1Address) or "withdrawal" (the
//     reverse); indexes from and to are not 0; l1Address is not zero;
//   - amount and fee are canonical decimal strings below 2^128 that are
//     exactly encodable as short floats (protocol.AmountFloat, FeeFloat);
//   - signature is 64 bytes that parse (R a curve point, S canonical).
func (a *SendArgs) Decode() (Op, error) {
	switch a.Kind {
	case KindTransfer:
		if a.To == nil {
			return Op{}, NewError(CodeInvalidParams, "to", `to: a transfer needs "to" (the recipient's account index)`)
		}
		if a.L1Address != nil {
			return Op{}, NewError(CodeInvalidParams, "l1Address", `l1Address: a transfer must not have "l1Address" (to leave the rollup, send kind "withdrawal")`)
		}
	case KindWithdrawal:
		if a.L1Address == nil {
			return Op{}, NewError(CodeInvalidParams, "l1Address", `l1Address: a withdrawal needs "l1Address" (the L1 recipient)`)
		}
		if a.To != nil {
			return Op{}, NewError(CodeInvalidParams, "to", `to: a withdrawal must not have "to" (to pay an L2 account, send kind "transfer")`)
		}
		if *a.L1Address == (common.Address{}) {
			return Op{}, NewError(CodeInvalidParams, "l1Address", "l1Address: the zero address would burn the funds")
		}
	default:
		return Op{}, NewError(CodeInvalidParams, "kind", `kind: %q is not "transfer" or "withdrawal"`, truncate(a.Kind))
	}
	if a.From == 0 {
		return Op{}, fieldError("from", protocol.ErrReservedAccount)
	}
	if a.To != nil && *a.To == 0 {
		return Op{}, fieldError("to", protocol.ErrReservedAccount)
	}
	amount, err := CheckAmount("amount", protocol.AmountFloat, a.Amount)
	if err != nil {
		return Op{}, err
	}
	fee, err := CheckAmount("fee", protocol.FeeFloat, a.Fee)
	if err != nil {
		return Op{}, err
	}
	if len(a.Signature) != protocol.SignatureSize {
		return Op{}, NewError(CodeInvalidParams, "signature", "signature: %d bytes, want %d (R compressed ‖ S)", len(a.Signature), protocol.SignatureSize)
	}
	sig, err := protocol.ParseSignature(a.Signature)
	if err != nil {
		return Op{}, fieldError("signature", err)
	}
	if a.Kind == KindTransfer {
		return Op{Transfer: &protocol.Transfer{From: a.From, To: *a.To, Amount: *amount, Fee: *fee, Nonce: a.Nonce, Sig: sig}}, nil
	}
	return Op{Withdrawal: &protocol.Withdrawal{From: a.From, To: *a.L1Address, Amount: *amount, Fee: *fee, Nonce: a.Nonce, Sig: sig}}, nil
}

// AccountRef names an account by index (a JSON number) or by public key (a
// 0x-prefixed 32-byte compressed key, docs/protocol.md): the key's first
// account.
type AccountRef struct {
	Index  uint32
	PubKey hexutil.Bytes // non-nil: by key
}

// AccountByIndex and AccountByKey build references.
func AccountByIndex(i uint32) AccountRef { return AccountRef{Index: i} }

func AccountByKey(pk protocol.PublicKey) AccountRef {
	b := pk.Bytes()
	return AccountRef{PubKey: b[:]}
}

func (r AccountRef) String() string {
	if r.PubKey != nil {
		return r.PubKey.String()
	}
	return strconv.FormatUint(uint64(r.Index), 10)
}

func (r AccountRef) MarshalJSON() ([]byte, error) {
	if r.PubKey != nil {
		return json.Marshal(r.PubKey)
	}
	return json.Marshal(r.Index)
}

func (r *AccountRef) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var k hexutil.Bytes
		if err := json.Unmarshal(b, &k); err != nil || len(k) != protocol.PubKeySize {
			return fmt.Errorf("account: want an index (JSON number) or a 0x-prefixed %d-byte public key", protocol.PubKeySize)
		}
		*r = AccountRef{PubKey: k}
		return nil
	}
	var i uint32
	if err := json.Unmarshal(b, &i); err != nil {
		return fmt.Errorf("account: want an index (JSON number in [0, 4294967295]) or a 0x-prefixed %d-byte public key", protocol.PubKeySize)
	}
	*r = AccountRef{Index: i}
	return nil
}

// Quantity is a uint64 parameter given as a JSON number or as a
// 0x-prefixed hex quantity (go-ethereum style); it is written as a number.
type Quantity uint64

func (q *Quantity) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var h hexutil.Uint64
		if err := json.Unmarshal(b, &h); err != nil {
			return fmt.Errorf("want a JSON number or a 0x-prefixed hex quantity: %v", err)
		}
		*q = Quantity(h)
		return nil
	}
	var n uint64
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("want a JSON number or a 0x-prefixed hex quantity")
	}
	*q = Quantity(n)
	return nil
}
