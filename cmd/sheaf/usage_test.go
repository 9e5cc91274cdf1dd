package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestUsageErrorsHint: a command-line mistake prints the error and a
// one-line hint, never the command's whole help; errors name the
// environment variable beside the flag.
func TestUsageErrorsHint(t *testing.T) {
	t.Setenv("SHEAF_DB_URL", "")
	cases := []struct {
		args  []string
		want  []string
		usage bool
	}{
		{[]string{"wallet", "withdraw", "--bogus", "1"}, []string{"unknown flag --bogus", "see sheaf wallet withdraw --help"}, true},
		{[]string{"--nope"}, []string{"unknown flag --nope", "see sheaf --help"}, true},
		{[]string{"wallet", "--nope"}, []string{"unknown flag --nope", "see sheaf wallet --help"}, true},
		{[]string{"sequencer", "--db.max-conns", "x"}, []string{"for flag --db.max-conns (or SHEAF_DB_MAX_CONNS)", "see sheaf sequencer --help"}, true},
		{[]string{"wallet", "new"}, []string{"--wallet.file (or SHEAF_WALLET_FILE) is required", "see sheaf wallet new --help"}, true},
		{[]string{"sequencer"}, []string{"--db.url (or SHEAF_DB_URL) is required"}, false},
		{[]string{"watcher", "--db.url", "postgres://x/y"}, []string{"--l1.rpc (or SHEAF_L1_RPC) is required"}, false},
	}
	for _, c := range cases {
		app := newApp()
		var out, errOut bytes.Buffer
		app.Writer, app.ErrWriter = &out, &errOut
		err := app.RunContext(context.Background(), append([]string{"sheaf"}, c.args...))
		if err == nil {
			t.Errorf("%v: accepted", c.args)
			continue
		}
		msg := explain(app, err)
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%v: %q, want %q in it", c.args, msg, w)
			}
		}
		if isUsage(err) != c.usage {
			t.Errorf("%v: usage error %v, want %v", c.args, isUsage(err), c.usage)
		}
		if printed := out.String() + errOut.String(); strings.Contains(printed, "OPTIONS") || strings.Contains(printed, "USAGE") {
			t.Errorf("%v printed the help:\n%s", c.args, printed)
		}
	}
	// Help itself still works.
	app := newApp()
	var out bytes.Buffer
	app.Writer = &out
	if err := app.RunContext(context.Background(), []string{"sheaf", "wallet", "withdraw", "--help"}); err != nil || !strings.Contains(out.String(), "--tx.amount") {
		t.Fatalf("--help: %v\n%s", err, out.String())
	}
}
