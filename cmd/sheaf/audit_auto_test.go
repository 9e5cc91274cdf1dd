package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/audit/audittest"
	"github.com/sheafrollup/sheaf/l1"
)

// TestAuditCommandAuto runs `sheaf audit` against an auto deployment
// (batches 1 and 3 as calldata, 2 and 4 with a blob): it passes with both
// twins' keys and the blob batches' blobs, and refuses to start without
// the blob twin's key.
func TestAuditCommandAuto(t *testing.T) {
	if testing.Short() {
		t.Skip("proves four batches of two circuits: skipped in -short")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ch, err := audittest.NewAuto(ctx, audittest.Options{HTTP: addr, Log: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()

	dir := t.TempDir()
	depFile := filepath.Join(dir, "deployment.json")
	if err := l1.WriteDeployment(depFile, ch.File); err != nil {
		t.Fatal(err)
	}
	calldataKeys, blobKeys := filepath.Join(dir, "keys"), filepath.Join(dir, "blob-keys")
	if err := ch.Keys.Write(calldataKeys); err != nil {
		t.Fatal(err)
	}
	if err := ch.BlobKeys.Write(blobKeys); err != nil {
		t.Fatal(err)
	}
	blobDir := filepath.Join(dir, "blobs")
	for _, b := range ch.Batches {
		if b.Blob == nil {
			continue
		}
		if err := mkdirWrite(blobDir, b); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) (*audit.Report, error) {
		var out bytes.Buffer
		app := newApp()
		app.Writer, app.ErrWriter = &out, io.Discard
		err := app.RunContext(ctx, append([]string{"sheaf", "--log.level", "warn", "audit", "--json", "--audit.confirmations", "0",
			"--l1.rpc", "http://" + addr, "--deploy.file", depFile, "--audit.vk", calldataKeys, "--blobs.dir", blobDir}, args...))
		var rep audit.Report
		if jerr := json.Unmarshal(out.Bytes(), &rep); jerr != nil && err == nil {
			t.Fatalf("%v\n%s", jerr, out.String())
		}
		return &rep, err
	}
	rep, err := run("--audit.blob-vk", blobKeys)
	if err != nil || !rep.OK || rep.LastBatch != 4 || rep.Root != rep.ContractRoot || rep.Circuit != audittest.AutoConfig {
		t.Fatalf("audit with both keys: %+v, %v", rep, err)
	}
	if _, err := run(); err == nil || !strings.Contains(err.Error(), "--audit.blob-vk is required") {
		t.Fatalf("audit without the blob twin's key: %v", err)
	}
}
