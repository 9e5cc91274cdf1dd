package pgtest

import (
	"strings"
	"testing"
)

func TestDBName(t *testing.T) {
	for _, tc := range []struct{ test, prefix string }{
		{"TestX", "t_testx_"},
		{"TestMigrate/Concurrent#01", "t_testmigrate_concurrent_01_"},
		{"Test" + strings.Repeat("Long", 30), "t_test" + strings.Repeat("long", 9)[:36] + "_"},
		{"Test/ünïcode and spaces", "t_test_n_code_and_spaces_"},
	} {
		got := dbName(tc.test)
		if !strings.HasPrefix(got, tc.prefix) || len(got) > 63 {
			t.Errorf("dbName(%q) = %q (%d bytes), want prefix %q and at most 63 bytes", tc.test, got, len(got), tc.prefix)
		}
	}
	if a, b := dbName("TestX"), dbName("TestX"); a == b {
		t.Errorf("dbName repeats: %s", a)
	}
}

func TestWithDatabase(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{in: "postgres://sheaf@127.0.0.1:5432/postgres?sslmode=disable", want: "postgres://sheaf@127.0.0.1:5432/t_1?sslmode=disable"},
		{in: "postgresql://u:p%40ss@db.example:6543/?sslmode=require&application_name=ci", want: "postgresql://u:p%40ss@db.example:6543/t_1?sslmode=require&application_name=ci"},
		{in: "postgres://localhost", want: "postgres://localhost/t_1"},
		{in: "host=localhost dbname=x", err: "must be a postgres:// URL"},
	} {
		got, err := withDatabase(tc.in, "t_1")
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("withDatabase(%q) err = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("withDatabase(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
