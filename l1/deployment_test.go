package l1

import (
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

func TestDeploymentFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "deployment.json")
	d := &Deployment{ChainID: 1337, Owner: common.HexToAddress("0x01"), Verifier: common.HexToAddress("0x02"),
		ExitVerifier: common.HexToAddress("0x08"), Rollup: common.HexToAddress("0x03"), VerifierTx: common.HexToHash("0x04"), RollupTx: common.HexToHash("0x05"), Block: 7}
	f := NewDeploymentFile(d, DeployConfig{Circuit: testCfg, Sequencer: common.HexToAddress("0x06"), FeeKey: protocoltest.Keys(1, 1)[0].Public()})
	if f.DepositCap.BitLen() != 128 {
		t.Fatalf("default deposit cap %v, want 2^128-1", f.DepositCap)
	}
	if err := WriteDeployment(path, f); err != nil {
		t.Fatal(err)
	}
	got, err := ReadDeployment(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, f) {
		t.Fatalf("read %+v, wrote %+v", got, f)
	}
	if !reflect.DeepEqual(got.Deployment(), d) {
		t.Fatalf("Deployment() = %+v, want %+v", got.Deployment(), d)
	}
	raw, _ := os.ReadFile(path)
	for _, want := range []string{`"chain_id": 1337`, `"rollup": "0x0000000000000000000000000000000000000003"`, `"block": 7`, `"deposit_cap": 340282366920938463463374607431768211455`,
		`"min_deposit": 1`, `"change_delay": 256`, `"priority_expiry": 604800`, `"exit_verifier": "0x0000000000000000000000000000000000000008"`, `"data_availability": "calldata"`, `"fee_key": "0x`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("file lacks %s:\n%s", want, raw)
		}
	}
	if strings.Contains(string(raw), "blob_verifier") || strings.Contains(string(raw), "blob_sequencer") {
		t.Errorf("a calldata deployment's file names a blob verifier or blob sequencer:\n%s", raw)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}

	// An auto deployment: both verifiers, "auto".
	d.BlobVerifier = common.HexToAddress("0x09")
	f = NewDeploymentFile(d, DeployConfig{Circuit: autoCfg, Sequencer: common.HexToAddress("0x06"), BlobSequencer: common.HexToAddress("0x0a"),
		FeeKey: protocoltest.Keys(1, 1)[0].Public()})
	path = filepath.Join(dir, "auto.json")
	if err := WriteDeployment(path, f); err != nil {
		t.Fatal(err)
	}
	if got, err = ReadDeployment(path); err != nil || !reflect.DeepEqual(got, f) || !reflect.DeepEqual(got.Deployment(), d) {
		t.Fatalf("auto: read %+v (%v), wrote %+v", got, err, f)
	}
	raw, _ = os.ReadFile(path)
	for _, want := range []string{`"blob_verifier": "0x0000000000000000000000000000000000000009"`, `"blob_sequencer": "0x000000000000000000000000000000000000000a"`, `"data_availability": "auto"`, `"da": "auto"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("auto file lacks %s:\n%s", want, raw)
		}
	}
}

func TestReadDeploymentRefuses(t *testing.T) {
	dir := t.TempDir()
	fk := protocoltest.Keys(1, 1)[0].Public().Bytes()
	key := `"fee_key": "` + hexutil.Encode(fk[:]) + `", "data_availability": "calldata"`
	exits := `"exit_verifier": "0x0000000000000000000000000000000000000008", "priority_expiry": 60, `
	good := `"chain_id": 1, "rollup": "0x0000000000000000000000000000000000000003", "verifier": "0x0000000000000000000000000000000000000002", ` + exits + `"circuit": {"depth": 4, "deposits": 1, "transfers": 2, "withdrawals": 1}, ` + key
	for name, body := range map[string]string{
		"no chain id":                   `{"rollup": "0x0000000000000000000000000000000000000003", "verifier": "0x0000000000000000000000000000000000000002", "circuit": {"depth": 4, "deposits": 1, "transfers": 2, "withdrawals": 1}}`,
		"no rollup":                     `{"chain_id": 1, "verifier": "0x0000000000000000000000000000000000000002", "circuit": {"depth": 4, "deposits": 1, "transfers": 2, "withdrawals": 1}}`,
		"bad circuit":                   `{"chain_id": 1, "rollup": "0x0000000000000000000000000000000000000003", "verifier": "0x0000000000000000000000000000000000000002", "circuit": {"depth": 0}}`,
		"unknown field":                 `{` + good + `, "rollupp": "0x00"}`,
		"no fee key":                    `{"chain_id": 1, "rollup": "0x0000000000000000000000000000000000000003", "verifier": "0x0000000000000000000000000000000000000002", "circuit": {"depth": 4, "deposits": 1, "transfers": 2, "withdrawals": 1}, "data_availability": "calldata"}`,
		"calldata circuit, blob mode":   `{"chain_id": 1, "rollup": "0x0000000000000000000000000000000000000003", "verifier": "0x0000000000000000000000000000000000000002", "circuit": {"depth": 4, "deposits": 1, "transfers": 2, "withdrawals": 1}, "fee_key": "` + hexutil.Encode(fk[:]) + `", "data_availability": "blob"}`,
		"blob circuit, calldata mode":   `{` + strings.Replace(good, `"withdrawals": 1}`, `"withdrawals": 1, "da": "blob"}`, 1) + `}`,
		"not json":                      `chain_id = 1`,
		"auto without a blob verifier":  `{` + strings.Replace(strings.Replace(good, `"withdrawals": 1}`, `"withdrawals": 1, "da": "auto"}`, 1), `"calldata"`, `"auto"`, 1) + `}`,
		"calldata with a blob verifier": `{` + good + `, "blob_verifier": "0x0000000000000000000000000000000000000009"}`,
		"auto circuit, calldata mode":   `{` + strings.Replace(good, `"withdrawals": 1}`, `"withdrawals": 1, "da": "auto"}`, 1) + `, "blob_verifier": "0x0000000000000000000000000000000000000009"}`,
		// A file from before exits: its contract has no exodus mode.
		"no exit verifier": `{"chain_id": 1, "rollup": "0x0000000000000000000000000000000000000003", "verifier": "0x0000000000000000000000000000000000000002", "priority_expiry": 60, "circuit": {"depth": 4, "deposits": 1, "transfers": 2, "withdrawals": 1}, ` + key + `}`,
		"no expiry":        `{"chain_id": 1, "rollup": "0x0000000000000000000000000000000000000003", "verifier": "0x0000000000000000000000000000000000000002", "exit_verifier": "0x0000000000000000000000000000000000000008", "circuit": {"depth": 4, "deposits": 1, "transfers": 2, "withdrawals": 1}, ` + key + `}`,
	} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".json")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadDeployment(p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	p := filepath.Join(dir, "good.json")
	os.WriteFile(p, []byte(`{`+good+`}`), 0o644)
	f, err := ReadDeployment(p)
	if err != nil {
		t.Fatal(err)
	}
	if f.ChainID != 1 || f.Rollup != common.HexToAddress("0x03") || f.DepositCap != nil && f.DepositCap.Cmp(big.NewInt(0)) != 0 {
		t.Fatalf("read %+v", f)
	}
	// A blob-mode circuit posts its batches in blobs.
	blobGood := strings.Replace(strings.Replace(good, `"withdrawals": 1}`, `"withdrawals": 1, "da": "blob"}`, 1), `"calldata"`, `"blob"`, 1)
	p = filepath.Join(dir, "blob.json")
	os.WriteFile(p, []byte(`{`+blobGood+`}`), 0o644)
	if f, err := ReadDeployment(p); err != nil || !f.Circuit.Blob() {
		t.Fatalf("blob deployment: %+v, %v", f, err)
	}
	if _, err := ReadDeployment(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing file accepted")
	}
}

func TestParseFinality(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Finality
		ok   bool
	}{
		{"finalized", DefaultFinality, true},
		{"0", Finality{}, true},
		{"12", Finality{Confirmations: 12}, true},
		{"", Finality{}, false},
		{"-1", Finality{}, false},
		{"safe", Finality{}, false},
	} {
		got, err := ParseFinality(tc.in)
		if (err == nil) != tc.ok || tc.ok && got != tc.want {
			t.Errorf("ParseFinality(%q) = %+v, %v", tc.in, got, err)
		}
		if tc.ok && got.String() != map[bool]string{true: "finalized", false: tc.in}[tc.in == "finalized"] {
			t.Errorf("%q prints as %q", tc.in, got.String())
		}
	}
}
