package exodus

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// TestSignatureFile: a detached exodus signature round-trips through its
// JSON file and verifies; a file whose account, recipient, deployment or
// key was changed is refused on reading.
func TestSignatureFile(t *testing.T) {
	k := protocoltest.Keys(51, 2)
	contract, to := common.HexToAddress("0x5eaf"), common.HexToAddress("0xf00d")
	sf, err := SignExodus(k[0], 1337, contract, 7, to)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "sig.json")
	if err := sf.Write(path); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSignatureFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := got.Sig()
	if err != nil || got.Index != 7 || got.Recipient != to || got.Contract != contract || got.ChainID != 1337 {
		t.Fatalf("read back %+v (%v)", got, err)
	}
	if !protocol.VerifyCofactored(k[0].Public(), protocol.ExodusMessage(protocol.DomainState(1337, contract), 7, to), sig) {
		t.Fatal("the signature is not the exodus signature the exit circuit checks")
	}
	other := k[1].Public().Bytes()
	for name, mut := range map[string]func(*SignatureFile){
		"another account":   func(f *SignatureFile) { f.Index = 8 },
		"another recipient": func(f *SignatureFile) { f.Recipient = common.HexToAddress("0xbad") },
		"another chain":     func(f *SignatureFile) { f.ChainID = 1 },
		"another contract":  func(f *SignatureFile) { f.Contract = common.HexToAddress("0xbad") },
		"another key":       func(f *SignatureFile) { f.PubKey = other[:] },
		"another kind":      func(f *SignatureFile) { f.Kind = "x" },
	} {
		f := *sf
		mut(&f)
		b, _ := json.Marshal(&f)
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".json")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadSignatureFile(p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := SignExodus(k[0], 1337, contract, 0, to); err == nil {
		t.Error("signed for account 0")
	}
	if _, err := SignExodus(k[0], 1337, contract, 7, common.Address{}); err == nil {
		t.Error("signed for the zero address")
	}
}
