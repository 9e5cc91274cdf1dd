package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// printed is one line of sheaf config print: value and source.
type printed struct{ value, source string }

// configPrint runs sheaf config print with args and parses its output.
func configPrint(t *testing.T, args ...string) (map[string]printed, string, error) {
	t.Helper()
	app := newApp()
	var out, errOut bytes.Buffer
	app.Writer, app.ErrWriter = &out, &errOut
	err := app.RunContext(context.Background(), append([]string{"sheaf", "config", "print"}, args...))
	got := map[string]printed{}
	for _, line := range strings.Split(out.String(), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		kv, src, _ := strings.Cut(line, "  # ")
		k, v, ok := strings.Cut(kv, ": ")
		if !ok {
			t.Fatalf("line %q", line)
		}
		got[k] = printed{strings.Trim(v, `"`), src}
	}
	return got, out.String(), err
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "sheaf.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestConfigPrecedence: a flag beats its SHEAF_ variable, which beats the
// file, which beats the default; nested and flat keys mix; a list sets a
// slice flag; app-wide flags (log.*) come from the file too.
func TestConfigPrecedence(t *testing.T) {
	file := writeConfig(t, `
db:
  url: postgres://sheaf@db:5432/sheaf
  max-conns: 5
sequencer.batch-delay: 3s
sequencer:
  max-pending: 77
rpc.cors: [https://a.example, https://b.example]
log: {level: debug}
prover.workers: 3 # another command's key: allowed, ignored here
`)
	t.Setenv("SHEAF_DB_MAX_CONNS", "7")
	t.Setenv("SHEAF_SEQUENCER_BATCH_DELAY", "5s")
	t.Setenv("SHEAF_CONFIG", "")
	got, out, err := configPrint(t, "sequencer", "--config", file, "--sequencer.batch-delay", "4s")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]printed{
		"sequencer.batch-delay": {"4s", "flag"}, // flag > env > file
		"db.max-conns":          {"7", "env"},   // env > file
		"db.url":                {"postgres://sheaf@db:5432/sheaf", "file"},
		"sequencer.max-pending": {"77", "file"},    // nested
		"log.level":             {"debug", "file"}, // an app-wide flag
		"db.migrate":            {"true", "default"},
		"sequencer.l1-finality": {"finalized", "default"},
		"rpc.max-batch-items":   {"100", "default"},
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %+v, want %+v\n%s", k, got[k], w, out)
		}
	}
	var cors []string
	if err := yaml.Unmarshal([]byte(got["rpc.cors"].value), &cors); err != nil || !slices.Equal(cors, []string{"https://a.example", "https://b.example"}) || got["rpc.cors"].source != "file" {
		t.Errorf("rpc.cors from a list: %+v (%v)\n%s", got["rpc.cors"], err, out)
	}
	if _, ok := got["prover.workers"]; ok {
		t.Errorf("the sequencer shows the prover's key:\n%s", out)
	}

	// SHEAF_CONFIG names the file as well as --config.
	t.Setenv("SHEAF_CONFIG", file)
	got, out, err = configPrint(t, "prover")
	if err != nil {
		t.Fatal(err)
	}
	if got["prover.workers"] != (printed{"3", "file"}) || got["db.max-conns"] != (printed{"7", "env"}) {
		t.Errorf("prover via SHEAF_CONFIG:\n%s", out)
	}
}

// TestConfigReachesCommand: a command run with --config reads the file's
// values (migrate takes db.url from it and fails to connect, instead of
// asking for --db.url).
func TestConfigReachesCommand(t *testing.T) {
	t.Setenv("SHEAF_DB_URL", "")
	os.Unsetenv("SHEAF_DB_URL")
	file := writeConfig(t, "db:\n  url: postgres://nobody@127.0.0.1:1/none?connect_timeout=2\n")
	app := newApp()
	var out bytes.Buffer
	app.Writer, app.ErrWriter = &out, &out
	err := app.RunContext(context.Background(), []string{"sheaf", "migrate", "--config", file})
	if err == nil || strings.Contains(err.Error(), "is required") || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Fatalf("migrate with db.url from the file: %v", err)
	}
}

// TestConfigNestedFlat: nested and flat spellings are the same keys; the
// same key spelled both ways is refused with its name.
func TestConfigNestedFlat(t *testing.T) {
	t.Setenv("SHEAF_CONFIG", "")
	flat := writeConfig(t, "db.url: postgres://u@h/d\ndb.max-conns: 9\nsequencer.seal-interval: 1s\n")
	nested := writeConfig(t, "db:\n  url: postgres://u@h/d\n  max-conns: 9\nsequencer:\n  seal-interval: 1s\n")
	a, outA, err := configPrint(t, "sequencer", "--config", flat)
	if err != nil {
		t.Fatal(err)
	}
	b, outB, err := configPrint(t, "sequencer", "--config", nested)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("flat:\n%s\nnested:\n%s", outA, outB)
	}
	for k, v := range a {
		if b[k] != v {
			t.Errorf("%s: flat %+v, nested %+v", k, v, b[k])
		}
	}
	if a["db.max-conns"] != (printed{"9", "file"}) || a["sequencer.seal-interval"] != (printed{"1s", "file"}) {
		t.Errorf("flat values:\n%s", outA)
	}
	both := writeConfig(t, "db.url: postgres://u@h/d\ndb:\n  url: postgres://v@h/d\n")
	if _, _, err := configPrint(t, "sequencer", "--config", both); err == nil || !strings.Contains(err.Error(), `"db.url"`) {
		t.Fatalf("a key given twice: %v", err)
	}
}

// TestConfigUnknownKey: a key that no command has is refused, naming the
// key, whether flat or nested, and whichever command reads the file.
func TestConfigUnknownKey(t *testing.T) {
	t.Setenv("SHEAF_CONFIG", "")
	cases := []struct{ body, key string }{
		{"db.ulr: postgres://x\n", "db.ulr"},
		{"db:\n  url: postgres://x\n  pool: 3\n", "db.pool"},
		{"sequencer:\n  batch:\n    delay: 2s\n", "sequencer.batch.delay"},
		{"config: other.yaml\n", "config"},
	}
	for _, c := range cases {
		file := writeConfig(t, c.body)
		for _, cmd := range [][]string{{"config", "print", "sequencer", "--config", file}, {"migrate", "--config", file}} {
			app := newApp()
			var out bytes.Buffer
			app.Writer, app.ErrWriter = &out, &out
			err := app.RunContext(context.Background(), append([]string{"sheaf"}, cmd...))
			if err == nil || !strings.Contains(err.Error(), `unknown key "`+c.key+`"`) {
				t.Errorf("%v with %q: %v", cmd, c.body, err)
			}
		}
	}
	bad := writeConfig(t, "db.max-conns: many\n")
	if _, _, err := configPrint(t, "sequencer", "--config", bad); err == nil || !strings.Contains(err.Error(), `"db.max-conns"`) {
		t.Errorf("a bad value: %v", err)
	}
}

// TestConfigRedaction: secrets never print: passwords in URLs, values of
// flags named key, password, secret or token; paths to key files do.
func TestConfigRedaction(t *testing.T) {
	cases := []struct{ name, value, want string }{
		{"db.url", "postgres://sheaf:hunter2@db:5432/sheaf?sslmode=disable", "postgres://sheaf:REDACTED@db:5432/sheaf?sslmode=disable"},
		{"db.url", "postgres://sheaf@db/sheaf?password=hunter2", "postgres://sheaf@db/sheaf?password=REDACTED"},
		{"db.url", "postgres://sheaf@db/sheaf", "postgres://sheaf@db/sheaf"},
		{"l1.rpc", "https://user:hunter2@node.example/v1", "https://user:REDACTED@node.example/v1"},
		{"l1.key", "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", "REDACTED"},
		{"deploy.fee-key", "0x1234", "REDACTED"},
		{"some.secret", "s", "REDACTED"},
		{"api.token", "t", "REDACTED"},
		{"l1.key-file", "/run/secrets/l1.key", "/run/secrets/l1.key"},
		{"l1.blob-key", "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", "REDACTED"},
		{"l1.blob-key-file", "/run/secrets/blob.key", "/run/secrets/blob.key"},
		{"wallet.password-file", "/run/secrets/pw", "/run/secrets/pw"},
		{"wallet.key-index", "3", "3"},
		{"prover.keys-dir", "/keys", "/keys"},
		{"l1.key", "", ""},
	}
	for _, c := range cases {
		if got := redact(c.name, c.value); got != c.want {
			t.Errorf("redact(%s, %q) = %q, want %q", c.name, c.value, got, c.want)
		}
	}
	t.Setenv("SHEAF_CONFIG", "")
	t.Setenv("SHEAF_L1_KEY", "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
	file := writeConfig(t, "db.url: postgres://sheaf:hunter2@db/sheaf\nl1.rpc: http://rpc:hunter2@l1:8545\n")
	got, out, err := configPrint(t, "submitter", "--config", file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "hunter2") || strings.Contains(out, "ac0974bec") {
		t.Fatalf("a secret printed:\n%s", out)
	}
	if got["l1.key"] != (printed{"REDACTED", "env"}) || got["db.url"].value != "postgres://sheaf:REDACTED@db/sheaf" {
		t.Fatalf("redacted values:\n%s", out)
	}
}
