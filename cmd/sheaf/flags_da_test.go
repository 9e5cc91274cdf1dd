package main

import (
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/protocol"
)

// parseCircuit runs circuitConfig over args as a command with circuitFlags.
func parseCircuit(t *testing.T, args ...string) (protocol.Config, error) {
	t.Helper()
	var cfg protocol.Config
	var cerr error
	app := &cli.App{
		Flags: circuitFlags(protocol.Config{Depth: 4, Transfers: 2}),
		Action: func(c *cli.Context) error {
			cfg, cerr = circuitConfig(c)
			return nil
		},
	}
	if err := app.Run(append([]string{"sheaf"}, args...)); err != nil {
		t.Fatal(err)
	}
	return cfg, cerr
}

// TestCircuitDAFlag: --circuit.da (alias --da, env SHEAF_CIRCUIT_DA) sets
// the data-availability mode; "calldata" is stored as "" so calldata
// configurations stay equal to those without the flag; circuitArgs carries
// the mode to child processes.
func TestCircuitDAFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  string
		want string
		ok   bool
	}{
		{nil, "", "", true},
		{[]string{"--da", "calldata"}, "", "", true},
		{[]string{"--circuit.da", "blob"}, "", protocol.DABlob, true},
		{nil, "blob", protocol.DABlob, true},
		{[]string{"--da", "auto"}, "", protocol.DAAuto, true},
		{nil, "auto", protocol.DAAuto, true},
		{[]string{"--da", "cheapest"}, "", "", false},
	} {
		t.Setenv("SHEAF_CIRCUIT_DA", tc.env)
		cfg, err := parseCircuit(t, tc.args...)
		if (err == nil) != tc.ok || (tc.ok && cfg.DA != tc.want) {
			t.Errorf("%v env %q: DA %q, err %v; want %q, ok %v", tc.args, tc.env, cfg.DA, err, tc.want, tc.ok)
		}
		if !tc.ok {
			continue
		}
		back, err := parseCircuit(t, circuitArgs(cfg)...)
		if err != nil || back != cfg {
			t.Errorf("circuitArgs(%+v) parses back as %+v, %v", cfg, back, err)
		}
	}
}
