package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/audit/audittest"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/blobs"
)

// TestAuditCommandBlob runs `sheaf audit` over JSON-RPC against a
// blob-mode rollup (four proven batches in blob transactions) with
// --blobs.dir: it passes with every blob exported, and fails naming the
// batch and its versioned hash without a source or with a blob missing.
func TestAuditCommandBlob(t *testing.T) {
	if testing.Short() {
		t.Skip("proves four blob-mode batches: skipped in -short")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ch, err := audittest.NewBlob(ctx, audittest.Options{HTTP: addr, Log: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()

	dir := t.TempDir()
	depFile := filepath.Join(dir, "deployment.json")
	if err := l1.WriteDeployment(depFile, ch.File); err != nil {
		t.Fatal(err)
	}
	if err := ch.Keys.Write(filepath.Join(dir, "keys")); err != nil {
		t.Fatal(err)
	}
	// all: every batch's blob; some: all but batch 3's.
	all, some := filepath.Join(dir, "blobs"), filepath.Join(dir, "some")
	for _, d := range []string{all, some} {
		for _, b := range ch.Batches {
			if d == some && b.Number == 3 {
				continue
			}
			if err := mkdirWrite(d, b); err != nil {
				t.Fatal(err)
			}
		}
	}
	base := []string{"audit", "--json", "--audit.confirmations", "0", "--l1.rpc", "http://" + addr, "--deploy.file", depFile,
		"--audit.vk", filepath.Join(dir, "keys")}
	run := func(args ...string) (*audit.Report, error) {
		var out bytes.Buffer
		app := newApp()
		app.Writer, app.ErrWriter = &out, io.Discard
		err := app.RunContext(ctx, append(append([]string{"sheaf", "--log.level", "warn"}, base...), args...))
		var rep audit.Report
		if jerr := json.Unmarshal(out.Bytes(), &rep); jerr != nil && err == nil {
			t.Fatalf("%v\n%s", jerr, out.String())
		}
		return &rep, err
	}

	rep, err := run("--blobs.dir", all)
	if err != nil || !rep.OK || rep.LastBatch != 4 || rep.Root != rep.ContractRoot || rep.Circuit != audittest.BlobConfig {
		t.Fatalf("audit with every blob: %+v, %v", rep, err)
	}
	for _, tc := range []struct {
		args  []string
		batch *audittest.Batch
	}{
		{nil, &ch.Batches[0]},
		{[]string{"--blobs.dir", some}, &ch.Batches[2]},
	} {
		_, err := run(tc.args...)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("batch %d does not check out", tc.batch.Number)) ||
			!strings.Contains(err.Error(), tc.batch.VersionedHash.Hex()) || !strings.Contains(err.Error(), "blob not found") {
			t.Fatalf("audit %v: %v; want batch %d's blob %s missing", tc.args, err, tc.batch.Number, tc.batch.VersionedHash.Hex())
		}
		t.Log(err)
	}
}

func mkdirWrite(dir string, b audittest.Batch) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return blobs.WriteFile(dir, b.VersionedHash, b.Blob)
}
