package e2e

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/l1/blobs"
	"github.com/sheafrollup/sheaf/protocol"
)

// depositEach deposits one ether from each L1 key for the L2 key of the
// same position and waits until every account exists on L2.
func (e *env) depositEach(userKeys []*ecdsa.PrivateKey) {
	t, ctx := e.t, e.ctx
	t.Helper()
	for i, k := range userKeys {
		pk := e.l2Keys[i].Public()
		e.transact(k, ether, e.rollup.PackDeposit(protocol.FrToBig(pk.X), protocol.FrToBig(pk.Y)))
	}
	e.waitFor("the deposits on L2", time.Minute, func() (bool, error) {
		e.indexes = e.indexes[:0]
		for _, k := range e.l2Keys {
			idx, err := e.seq.AccountIndex(ctx, k.Public())
			if errors.Is(err, api.ErrNotFound) {
				return false, nil
			} else if err != nil {
				return false, err
			}
			e.indexes = append(e.indexes, idx)
		}
		return true, nil
	})
}

// blobAuditor exports the sequencer's blobs with `sheaf blobs export` and
// returns a runner of `sheaf audit --json` on that directory, with the
// deployment's verifying keys (an auto deployment's two: --audit.vk and
// --audit.blob-vk), and the directory.
func (e *env) blobAuditor(bin string) (func() (*audit.Report, error), string) {
	t, ctx := e.t, e.ctx
	t.Helper()
	dir := t.TempDir()
	blobDir := filepath.Join(dir, "blobs")
	sheaf := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, bin, append([]string{"--log.level", "warn"}, args...)...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		cmd.Env = append(os.Environ(), "SHEAF_L1_RPC="+e.url, "SHEAF_L1_CONTRACT="+e.dep.Rollup.Hex(),
			"SHEAF_AUDIT_FROM_BLOCK="+strconv.FormatUint(e.dep.Block, 10))
		out, err := cmd.Output()
		t.Logf("sheaf %s: %s%s", args[0], stderr.String(), out)
		if err != nil {
			return string(out), &cliError{err, stderr.String()}
		}
		return string(out), nil
	}
	if _, err := sheaf("blobs", "export", "--db.url", e.dbURL, "--blobs.dir", blobDir); err != nil {
		t.Fatal(err)
	}
	args := []string{"audit", "--json", "--audit.confirmations", "0", "--blobs.dir", blobDir}
	for i, c := range e.circuits {
		keysDir := filepath.Join(dir, "batch-keys-"+strconv.Itoa(i))
		if err := c.Keys.Write(keysDir); err != nil {
			t.Fatal(err)
		}
		flag := "--audit.vk"
		if i > 0 {
			flag = "--audit.blob-vk"
		}
		args = append(args, flag, keysDir)
	}
	return func() (*audit.Report, error) {
		out, err := sheaf(args...)
		var rep audit.Report
		if jerr := json.Unmarshal([]byte(out), &rep); jerr != nil {
			t.Fatalf("audit printed no report: %v (%v)\n%s", jerr, err, out)
		}
		return &rep, err
	}, blobDir
}

// blobAuditFails removes, then alters, the exported blob of the last
// batch whose blob holds transfers (a batch without transfers has the
// all-zero blob, which other batches share) and checks that the audit
// fails naming that batch, the blob's versioned hash and the cause.
func (e *env) blobAuditFails(blobDir string, auditRun func() (*audit.Report, error)) {
	t, ctx := e.t, e.ctx
	t.Helper()
	var victim uint64
	var vh common.Hash
	rows, err := e.pool.Query(ctx, `SELECT batch, versioned_hash, blob FROM blobs ORDER BY batch`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n int64
		var h, blob []byte
		if err := rows.Scan(&n, &h, &blob); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(blob, make([]byte, len(blob))) {
			victim, vh = uint64(n), common.BytesToHash(h)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if victim == 0 {
		t.Fatal("no stored blob holds transfers")
	}
	file := filepath.Join(blobDir, blobs.FileName(vh))
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the export has no file for batch %d's blob: %v", victim, err)
	}
	altered := bytes.Clone(good)
	altered[1] ^= 1 // element 0's second byte: still a field element, another blob
	for _, tc := range []struct {
		name   string
		change func() error
		want   string
	}{
		{"blob file removed", func() error { return os.Remove(file) }, blobs.ErrMissing.Error()},
		{"blob file altered", func() error { return os.WriteFile(file, altered, 0o644) }, blobs.ErrMismatch.Error()},
	} {
		if err := tc.change(); err != nil {
			t.Fatal(err)
		}
		rep, err := auditRun()
		if err == nil || rep.OK || rep.FailedBatch != victim {
			t.Fatalf("%s: audit %+v, %v; want it to fail at batch %d", tc.name, rep, err, victim)
		}
		msg := err.Error()
		for _, s := range []string{fmt.Sprintf("batch %d does not check out", victim), vh.Hex(), tc.want} {
			if !strings.Contains(msg, s) {
				t.Fatalf("%s: audit error %q does not say %q", tc.name, msg, s)
			}
		}
	}
}
