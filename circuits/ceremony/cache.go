package ceremony

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	curve "github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
)

// GnarkVersion is the gnark version Sheaf pins in go.mod (a test keeps
// them equal). Phase-2 evaluations, sealed keys and the exported verifier
// depend on it, so transcripts and cache keys record it.
const GnarkVersion = "v0.16.3"

// evaluated is the result of gnark's Phase2.Initialize for one circuit and
// one phase 1: the initial phase-2 state and the evaluations Seal needs.
type evaluated struct {
	init  *mpcsetup.Phase2
	hash  string // SHA-256 of init's serialization
	evals mpcsetup.Phase2Evaluations
}

// initialize runs gnark's Phase2.Initialize (the expensive step: FFTs over
// curve points), or reads its result from opt.Cache. The cache is keyed by
// the circuit's hash, the phase-1 file's hash and the gnark version, and
// holds only what this machine computed itself; an independent verifier
// runs without one.
func initialize(ctx context.Context, c *Circuit, commons *mpcsetup.SrsCommons, phase1Hash string, opt Options) (*evaluated, error) {
	log := opt.log()
	compute := func() (*evaluated, error) {
		log.Info("phase 2: evaluating the circuit on the phase-1 powers (Lagrange basis FFTs; the long step)",
			"circuit", c.Name, "constraints", c.R1CS.GetNbConstraints(), "domain", Domain(commons))
		stop := opt.progress("phase 2 evaluation")
		start := time.Now()
		e := &evaluated{init: new(mpcsetup.Phase2)}
		e.evals = e.init.Initialize(c.R1CS, commons)
		stop()
		log.Info("phase 2 evaluated", "seconds", time.Since(start).Seconds())
		var err error
		e.hash, err = hashOf(e.init)
		return e, err
	}
	if opt.Cache == "" {
		return compute()
	}
	k := sha256.Sum256([]byte("sheaf ceremony evaluations v1\x00" + GnarkVersion + "\x00" + c.Hash + "\x00" + phase1Hash))
	dir := filepath.Join(opt.Cache, hex.EncodeToString(k[:16]))
	if err := os.MkdirAll(opt.Cache, 0o755); err != nil {
		return nil, fmt.Errorf("ceremony cache: %w", err)
	}
	lock, err := os.OpenFile(dir+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("ceremony cache lock: %w", err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return nil, fmt.Errorf("ceremony cache lock: %w", err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) //nolint:errcheck
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if e, err := readCache(dir); err == nil {
		log.Info("phase 2 evaluations read from the cache", "dir", dir)
		return e, nil
	}
	e, err := compute()
	if err != nil {
		return nil, err
	}
	if err := writeCache(dir, e); err != nil {
		return nil, fmt.Errorf("ceremony cache: %w", err)
	}
	return e, nil
}

const (
	cacheInit     = "init.ph2"
	cacheEvals    = "evals.bin"
	cacheInsecure = "insecure-phase1-v1-%d.srs"
)

// insecurePhase1 is InsecurePhase1, kept in opt.Cache (raw points) when
// set: tests and benchmarks derive it in every step.
func insecurePhase1(N uint64, opt Options) (*mpcsetup.SrsCommons, error) {
	if opt.Cache == "" {
		return InsecurePhase1(N)
	}
	path := filepath.Join(opt.Cache, fmt.Sprintf(cacheInsecure, N))
	c := new(mpcsetup.SrsCommons)
	if _, err := readExact(path, rawCommons{c}); err == nil && Domain(c) == N {
		return c, nil
	}
	c, err := InsecurePhase1(N)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opt.Cache, 0o755); err != nil {
		return nil, fmt.Errorf("ceremony cache: %w", err)
	}
	if _, err := writeAtomic(path, rawCommons{c}); err != nil {
		return nil, fmt.Errorf("ceremony cache: %w", err)
	}
	return c, nil
}

// rawCommons serializes phase-1 parameters with uncompressed points, read
// back without subgroup checks (cache files only).
type rawCommons struct{ c *mpcsetup.SrsCommons }

func (r rawCommons) WriteTo(w io.Writer) (int64, error) {
	enc := curve.NewEncoder(w, curve.RawEncoding())
	for _, v := range []any{r.c.G1.Tau, r.c.G2.Tau, r.c.G1.AlphaTau, r.c.G1.BetaTau, &r.c.G2.Beta} {
		if err := enc.Encode(v); err != nil {
			return enc.BytesWritten(), err
		}
	}
	return enc.BytesWritten(), nil
}

func (r rawCommons) ReadFrom(rd io.Reader) (int64, error) {
	dec := curve.NewDecoder(rd, curve.NoSubgroupChecks())
	for _, v := range []any{&r.c.G1.Tau, &r.c.G2.Tau, &r.c.G1.AlphaTau, &r.c.G1.BetaTau, &r.c.G2.Beta} {
		if err := dec.Decode(v); err != nil {
			return dec.BytesRead(), err
		}
	}
	return dec.BytesRead(), nil
}

func readCache(dir string) (*evaluated, error) {
	e := &evaluated{init: new(mpcsetup.Phase2)}
	h, err := readExact(filepath.Join(dir, cacheInit), e.init)
	if err != nil {
		return nil, err
	}
	e.hash = h
	if _, err := readExact(filepath.Join(dir, cacheEvals), evalsCodec{&e.evals}); err != nil {
		return nil, err
	}
	return e, nil
}

func writeCache(dir string, e *evaluated) error {
	tmp := dir + ".tmp"
	os.RemoveAll(tmp)
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	if _, err := writeAtomic(filepath.Join(tmp, cacheInit), e.init); err != nil {
		return err
	}
	if _, err := writeAtomic(filepath.Join(tmp, cacheEvals), evalsCodec{&e.evals}); err != nil {
		return err
	}
	os.RemoveAll(dir)
	return os.Rename(tmp, dir)
}

// evalsCodec serializes Phase2Evaluations (gnark has no codec for them):
// raw points, no subgroup checks on reading (the cache holds this
// machine's own results).
type evalsCodec struct{ e *mpcsetup.Phase2Evaluations }

func (c evalsCodec) WriteTo(w io.Writer) (int64, error) {
	enc := curve.NewEncoder(w, curve.RawEncoding())
	e := c.e
	for _, v := range []any{e.G1.A, e.G1.B, e.G2.B, e.G1.VKK, uint32(len(e.G1.CKK))} {
		if err := enc.Encode(v); err != nil {
			return enc.BytesWritten(), err
		}
	}
	for _, ckk := range e.G1.CKK {
		if err := enc.Encode(ckk); err != nil {
			return enc.BytesWritten(), err
		}
	}
	n := enc.BytesWritten()
	b := binary.BigEndian.AppendUint32(nil, uint32(len(e.PublicAndCommitmentCommitted)))
	for _, s := range e.PublicAndCommitmentCommitted {
		b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
		for _, x := range s {
			b = binary.BigEndian.AppendUint64(b, uint64(x))
		}
	}
	m, err := w.Write(b)
	return n + int64(m), err
}

func (c evalsCodec) ReadFrom(r io.Reader) (int64, error) {
	br := bufio.NewReader(r)
	dec := curve.NewDecoder(br, curve.NoSubgroupChecks())
	e := c.e
	var nCKK uint32
	for _, v := range []any{&e.G1.A, &e.G1.B, &e.G2.B, &e.G1.VKK, &nCKK} {
		if err := dec.Decode(v); err != nil {
			return dec.BytesRead(), err
		}
	}
	if nCKK > 1<<16 {
		return dec.BytesRead(), fmt.Errorf("evaluations: %d commitments", nCKK)
	}
	e.G1.CKK = make([][]curve.G1Affine, nCKK)
	for i := range e.G1.CKK {
		if err := dec.Decode(&e.G1.CKK[i]); err != nil {
			return dec.BytesRead(), err
		}
	}
	n := dec.BytesRead()
	var u32 [4]byte
	var u64 [8]byte
	read32 := func() (uint32, error) {
		_, err := io.ReadFull(br, u32[:])
		n += 4
		return binary.BigEndian.Uint32(u32[:]), err
	}
	k, err := read32()
	if err != nil {
		return n, err
	}
	e.PublicAndCommitmentCommitted = make([][]int, 0, min(k, 1<<16))
	for range k {
		l, err := read32()
		if err != nil {
			return n, err
		}
		s := make([]int, 0, min(l, 1<<20))
		for range l {
			if _, err := io.ReadFull(br, u64[:]); err != nil {
				return n, err
			}
			n += 8
			s = append(s, int(binary.BigEndian.Uint64(u64[:])))
		}
		e.PublicAndCommitmentCommitted = append(e.PublicAndCommitmentCommitted, s)
	}
	return n, nil
}
