package circuits

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/frontend"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/protocol"
)

func frBig(e fr.Element) *big.Int { return protocol.FrToBig(e) }

func siblings(s []fr.Element, depth int) []frontend.Variable {
	out := make([]frontend.Variable, depth)
	for i := range out {
		if i < len(s) {
			out[i] = frBig(s[i])
		} else {
			out[i] = 0
		}
	}
	return out
}

// noopAccount is the witness of an unused slot: the identity point as key,
// which every curve check accepts.
func noopAccount(depth int) Account {
	return Account{PubX: 0, PubY: 1, Packed: 0, Siblings: siblings(nil, depth)}
}

func account(p protocol.AccountProof, depth int) Account {
	a := p.Account
	packed := protocol.PackBalanceNonce(&a.Balance, a.Nonce)
	return Account{PubX: frBig(a.PubKey.X), PubY: frBig(a.PubKey.Y), Packed: frBig(packed), Siblings: siblings(p.Siblings, depth)}
}

func sig(s protocol.Signature) Sig {
	return Sig{RX: frBig(s.R.X), RY: frBig(s.R.Y), S: frBig(s.S)}
}

func floats(amount, fee *uint256.Int) (am, ae, fm, fe uint64, err error) {
	ac, err := protocol.AmountFloat.Encode(amount)
	if err != nil {
		return
	}
	fc, err := protocol.FeeFloat.Encode(fee)
	if err != nil {
		return
	}
	am, ae = protocol.AmountFloat.Split(ac)
	fm, fe = protocol.FeeFloat.Split(fc)
	return
}

// forcedExitSlot is the witness of a used forced-exit slot.
func forcedExitSlot(w protocol.ForcedExitWitness, depth int) ForcedExitSlot {
	f := w.Exit
	s := ForcedExitSlot{Index: f.Index, Recipient: new(big.Int).SetBytes(f.Recipient[:]), Nonce: f.Nonce,
		Sig: sig(f.Sig), PrevChain: frBig(f.PrevChain), Empty: 0, Account: account(w.Before, depth)}
	if w.Empty {
		s.Empty = 1
		s.Account.PubX, s.Account.PubY = 0, 1 // the identity: on the curve, never a depositor's key
	}
	return s
}

// Assign builds the full circuit assignment of an applied batch, filling
// unused slots with no-op witnesses.
//
// A blob-mode configuration needs the blob's versioned hash: use AssignBlob.
func Assign(b *protocol.Batch) (*Batch, error) {
	if b.Config.Blob() {
		return nil, fmt.Errorf("assign: %s is a blob-mode configuration (AssignBlob)", b.Config)
	}
	return assign(b)
}

// AssignBlob is Assign for a blob-mode batch whose transfer section is in
// the blob with the given versioned hash: it fills the two public inputs
// (PublicInput = dataHash·2^127 + x·2^2 + V>>253, BlobPI = V mod 2^253)
// and the witness x from protocol.BindBlob.
func AssignBlob(b *protocol.Batch, versionedHash [32]byte) (*Batch, error) {
	if !b.Config.Blob() {
		return nil, fmt.Errorf("assign: %s is not a blob-mode configuration", b.Config)
	}
	c, err := assign(b)
	if err != nil {
		return nil, err
	}
	bind, err := protocol.BindBlob(b.Config, b.Header, b.Pubdata, versionedHash)
	if err != nil {
		return nil, fmt.Errorf("assign: %w", err)
	}
	pi := bind.PublicInputs()
	c.PublicInput = frBig(pi[0])
	c.BlobPI = []frontend.Variable{frBig(pi[1])}
	c.BlobX = []frontend.Variable{new(big.Int).Set(bind.X)}
	return c, nil
}

func assign(b *protocol.Batch) (*Batch, error) {
	cfg := b.Config
	d := cfg.Depth
	c := New(cfg)
	h := b.Header
	if !cfg.Blob() {
		c.PublicInput = frBig(b.PublicInput())
	}
	c.ChainID = h.ChainID
	c.Contract = new(big.Int).SetBytes(h.Contract[:])
	c.Number = h.Number
	c.OldRoot, c.NewRoot = frBig(h.OldRoot), frBig(h.NewRoot)
	c.DepositStart = h.DepositStart
	c.NextIndex = h.NextIndex
	c.FeeAccountIndex = h.FeeAccount

	if len(b.Deposits) > cfg.Deposits || len(b.ForcedExits) > cfg.ForcedExits || len(b.Transfers) > cfg.Transfers || len(b.Withdrawals) > cfg.Withdrawals {
		return nil, fmt.Errorf("assign: batch has more operations than %s has slots", cfg)
	}
	for i := range c.Deposits {
		s := &c.Deposits[i]
		if i >= len(b.Deposits) {
			*s = DepositSlot{Index: 0, PubX: 0, PubY: 1, Amount: 0, IsNew: 0, Packed: 0, Siblings: siblings(nil, d)}
			continue
		}
		w := b.Deposits[i]
		packed := fr.Element{}
		if !w.IsNew {
			packed = protocol.PackBalanceNonce(&w.Before.Account.Balance, w.Before.Account.Nonce)
		}
		isNew := 0
		if w.IsNew {
			isNew = 1
		}
		*s = DepositSlot{
			Index: w.Index, PubX: frBig(w.Deposit.PubKey.X), PubY: frBig(w.Deposit.PubKey.Y),
			Amount: w.Deposit.Amount.ToBig(), IsNew: isNew, Packed: frBig(packed),
			Siblings: siblings(w.Before.Siblings, d),
		}
	}
	for i := range c.ForcedExits {
		s := &c.ForcedExits[i]
		if i >= len(b.ForcedExits) {
			*s = ForcedExitSlot{Index: 0, Recipient: 0, Nonce: 0, Sig: Sig{RX: 0, RY: 1, S: 0}, PrevChain: 0, Empty: 0, Account: noopAccount(d)}
			continue
		}
		*s = forcedExitSlot(b.ForcedExits[i], d)
	}
	for i := range c.Transfers {
		s := &c.Transfers[i]
		if i >= len(b.Transfers) {
			*s = TransferSlot{From: 0, To: 0, AmountM: 0, AmountE: 0, FeeM: 0, FeeE: 0,
				Sig: Sig{RX: 0, RY: 1, S: 0}, Sender: noopAccount(d), Receiver: noopAccount(d)}
			continue
		}
		w := b.Transfers[i]
		am, ae, fm, fe, err := floats(&w.Tx.Amount, &w.Tx.Fee)
		if err != nil {
			return nil, fmt.Errorf("assign transfer %d: %w", i, err)
		}
		*s = TransferSlot{From: w.Tx.From, To: w.Tx.To, AmountM: am, AmountE: ae, FeeM: fm, FeeE: fe,
			Sig: sig(w.Tx.Sig), Sender: account(w.Sender, d), Receiver: account(w.Receiver, d)}
	}
	for i := range c.Withdrawals {
		s := &c.Withdrawals[i]
		if i >= len(b.Withdrawals) {
			*s = WithdrawalSlot{From: 0, To: 0, AmountM: 0, AmountE: 0, FeeM: 0, FeeE: 0,
				Sig: Sig{RX: 0, RY: 1, S: 0}, Sender: noopAccount(d)}
			continue
		}
		w := b.Withdrawals[i]
		am, ae, fm, fe, err := floats(&w.Tx.Amount, &w.Tx.Fee)
		if err != nil {
			return nil, fmt.Errorf("assign withdrawal %d: %w", i, err)
		}
		*s = WithdrawalSlot{From: w.Tx.From, To: new(big.Int).SetBytes(w.Tx.To[:]), AmountM: am, AmountE: ae,
			FeeM: fm, FeeE: fe, Sig: sig(w.Tx.Sig), Sender: account(w.Sender, d)}
	}
	c.FeeAccount = account(b.Fee.Before, d)
	return c, nil
}

// Witness returns the full gnark witness of an applied batch; a blob-mode
// batch is bound to the blob its transfer section makes (protocol.BatchBlob).
func Witness(b *protocol.Batch) (witness.Witness, error) {
	var c *Batch
	var err error
	if b.Config.Blob() {
		var vh [32]byte
		if _, vh, err = protocol.BatchBlob(b.Config, b.Pubdata); err == nil {
			c, err = AssignBlob(b, vh)
		}
	} else {
		c, err = Assign(b)
	}
	if err != nil {
		return nil, err
	}
	w, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
	if err != nil {
		return nil, fmt.Errorf("witness: %w", err)
	}
	return w, nil
}
