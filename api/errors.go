package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sheafrollup/sheaf/protocol"
)

// Sentinel errors for conditions that are not protocol rules.
var (
	ErrNotFound      = errors.New("not found")
	ErrInvalidParams = errors.New("invalid parameters")
	ErrFeeTooLow     = errors.New("fee below the sequencer's minimum")
	ErrUnavailable   = errors.New("sequencer unavailable")
	ErrMempoolFull   = errors.New("mempool full")
	ErrDuplicate     = errors.New("transaction already known")
	ErrNonceTooHigh  = errors.New("nonce too high: transactions with a nonce gap are rejected, resend in order")
)

// Code is a stable JSON-RPC error code. -32700..-32600 are the JSON-RPC
// standard ones, mostly raised by go-ethereum's server; Sheaf's are -38xxx.
type Code int

// Codes, one per rule. Never renumber: wallets match on them.
const (
	CodeParseError        Code = -32700 // go-ethereum: body is not JSON
	CodeInvalidRequest    Code = -32600 // go-ethereum: not a JSON-RPC 2.0 request, batch too large
	CodeMethodNotFound    Code = -32601 // go-ethereum: unknown method or subscription
	CodeInvalidParams     Code = -32602
	CodeInternal          Code = -32603
	CodeNotFound          Code = -38001
	CodeBadSignature      Code = -38010
	CodeWrongNonce        Code = -38011
	CodeNonceTooHigh      Code = -38012
	CodeInsufficientFunds Code = -38013
	CodeBalanceOverflow   Code = -38014
	CodeUnknownAccount    Code = -38015
	CodeReservedAccount   Code = -38016
	CodeNotEncodable      Code = -38017
	CodeAmountTooLarge    Code = -38018
	CodeFeeTooLow         Code = -38019
	CodeNonceExhausted    Code = -38020
	CodeBadPublicKey      Code = -38021
	CodeDuplicate         Code = -38022
	CodeMempoolFull       Code = -38030
	CodeUnavailable       Code = -38031
)

// codes maps sentinels to codes; the first match in order wins. An error
// wrapping both ErrNonceTooHigh and protocol.ErrWrongNonce is "too high".
var codes = []struct {
	err  error
	code Code
}{
	{ErrNotFound, CodeNotFound},
	{ErrInvalidParams, CodeInvalidParams},
	{ErrNonceTooHigh, CodeNonceTooHigh},
	{protocol.ErrBadSignature, CodeBadSignature},
	{protocol.ErrWrongNonce, CodeWrongNonce},
	{protocol.ErrInsufficientBalance, CodeInsufficientFunds},
	{protocol.ErrBalanceOverflow, CodeBalanceOverflow},
	{protocol.ErrUnknownAccount, CodeUnknownAccount},
	{protocol.ErrReservedAccount, CodeReservedAccount},
	{protocol.ErrNotEncodable, CodeNotEncodable},
	{protocol.ErrAmountTooLarge, CodeAmountTooLarge},
	{protocol.ErrNonceExhausted, CodeNonceExhausted},
	{protocol.ErrBadPublicKey, CodeBadPublicKey},
	{ErrFeeTooLow, CodeFeeTooLow},
	{ErrDuplicate, CodeDuplicate},
	{ErrMempoolFull, CodeMempoolFull},
	{ErrUnavailable, CodeUnavailable},
	// A request that ran out of time (or whose client went away) while the
	// backend worked: retry later; a sent transaction may still be accepted.
	{context.DeadlineExceeded, CodeUnavailable},
	{context.Canceled, CodeUnavailable},
}

// CodeOf returns the JSON-RPC code for err (CodeInternal when unknown).
// An *Error carries its code.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	for _, c := range codes {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return CodeInternal
}

// reasons are the stable strings in an error's data, one per code.
var reasons = map[Code]string{
	CodeParseError:        "parse_error",
	CodeInvalidRequest:    "invalid_request",
	CodeMethodNotFound:    "method_not_found",
	CodeInvalidParams:     "invalid_params",
	CodeInternal:          "internal",
	CodeNotFound:          "not_found",
	CodeBadSignature:      "bad_signature",
	CodeWrongNonce:        "wrong_nonce",
	CodeNonceTooHigh:      "nonce_too_high",
	CodeInsufficientFunds: "insufficient_balance",
	CodeBalanceOverflow:   "balance_overflow",
	CodeUnknownAccount:    "unknown_account",
	CodeReservedAccount:   "reserved_account",
	CodeNotEncodable:      "not_encodable",
	CodeAmountTooLarge:    "amount_too_large",
	CodeFeeTooLow:         "fee_too_low",
	CodeNonceExhausted:    "nonce_exhausted",
	CodeBadPublicKey:      "bad_public_key",
	CodeDuplicate:         "duplicate",
	CodeMempoolFull:       "mempool_full",
	CodeUnavailable:       "unavailable",
}

// Reason is the stable reason string of a code ("" for codes Sheaf does
// not define, e.g. go-ethereum's -32000 or -32003).
func (c Code) Reason() string { return reasons[c] }

// Codes lists every code Sheaf defines, for documentation tests.
func Codes() []Code {
	out := make([]Code, 0, len(reasons))
	for c := range reasons {
		out = append(out, c)
	}
	return out
}

// ErrorData is the "data" member of every error whose code has a reason:
// Sheaf's methods set it, and the server adds it to the errors go-ethereum's
// JSON-RPC layer raises before a method runs (parse errors, invalid
// requests, unknown methods, undecodable parameters: errdata.go). Errors
// without a reason (-32000, -32002, -32003) carry none.
type ErrorData struct {
	Reason string `json:"reason"`          // stable, e.g. "wrong_nonce"
	Field  string `json:"field,omitempty"` // the offending parameter field, e.g. "amount"
}

// Error is a JSON-RPC error with a stable code. The server returns it from
// every method (it implements go-ethereum's rpc.Error and rpc.DataError),
// and the client returns it for every JSON-RPC error it receives, so
// errors.Is(err, protocol.ErrWrongNonce) and friends work on both sides.
type Error struct {
	Code    Code
	Reason  string
	Field   string
	Message string
	cause   error // server side: what the backend returned
}

// NewError returns an error with code's reason. field may be empty.
func NewError(code Code, field, format string, args ...any) *Error {
	return &Error{Code: code, Reason: code.Reason(), Field: field, Message: fmt.Sprintf(format, args...)}
}

// fieldError wraps a cause (one of the sentinels) with the field it concerns;
// the message is "field: cause".
func fieldError(field string, cause error) *Error {
	code := CodeOf(cause)
	return &Error{Code: code, Reason: code.Reason(), Field: field, Message: field + ": " + cause.Error(), cause: cause}
}

func (e *Error) Error() string { return e.Message }

// ErrorCode implements rpc.Error.
func (e *Error) ErrorCode() int { return int(e.Code) }

// ErrorData implements rpc.DataError.
func (e *Error) ErrorData() any { return ErrorData{Reason: e.Reason, Field: e.Field} }

// Unwrap returns the server-side cause (nil on the client side).
func (e *Error) Unwrap() error { return e.cause }

// Is matches the sentinels that map to e's code, so a client-side error
// (which has no cause) still satisfies errors.Is(err, protocol.ErrWrongNonce).
// CodeNonceTooHigh also matches protocol.ErrWrongNonce: it is a wrong nonce.
func (e *Error) Is(target error) bool {
	if target == context.Canceled || target == context.DeadlineExceeded {
		return false // a client's own cancellation is not the server's
	}
	for _, c := range codes {
		if c.code == e.Code && c.err == target {
			return true
		}
	}
	return e.Code == CodeNonceTooHigh && target == protocol.ErrWrongNonce
}

// FromRPC converts an error from go-ethereum's rpc client into an *Error
// when it is a JSON-RPC error response (it has a code); other errors
// (transport, HTTP status, decoding) are returned unchanged.
func FromRPC(err error) error {
	if err == nil {
		return nil
	}
	var he rpc.HTTPError
	if errors.As(err, &he) { // e.g. 413: the server puts a JSON-RPC error in the body
		var body struct {
			Error *struct {
				Code    Code      `json:"code"`
				Message string    `json:"message"`
				Data    ErrorData `json:"data"`
			} `json:"error"`
		}
		if json.Unmarshal(he.Body, &body) == nil && body.Error != nil && body.Error.Code != 0 {
			reason := body.Error.Data.Reason
			if reason == "" {
				reason = body.Error.Code.Reason()
			}
			return &Error{Code: body.Error.Code, Reason: reason, Field: body.Error.Data.Field,
				Message: body.Error.Message + " (HTTP " + he.Status + ")"}
		}
		return err
	}
	var re interface {
		error
		ErrorCode() int
	}
	if !errors.As(err, &re) {
		return err
	}
	e := &Error{Code: Code(re.ErrorCode()), Message: re.Error()}
	e.Reason = e.Code.Reason()
	var de interface{ ErrorData() any }
	if errors.As(err, &de) {
		if m, ok := de.ErrorData().(map[string]any); ok {
			if r, ok := m["reason"].(string); ok && r != "" {
				e.Reason = r
			}
			if f, ok := m["field"].(string); ok {
				e.Field = f
			}
		}
	}
	return e
}
