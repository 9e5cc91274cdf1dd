// Package ceremony runs a multi-party Groth16 setup for Sheaf's circuits
// over gnark's backend/groth16/bn254/mpcsetup: phase 1 from a public
// Powers-of-Tau file (or, for tests only, a phase 1 whose secrets are
// public), then a circuit-specific phase 2 with any number of contributors,
// checked by anyone and sealed with a public random beacon. The keys are
// safe if one phase-1 and one phase-2 contributor destroyed their
// randomness. docs/ceremony.md is the operator's guide.
//
// A ceremony directory holds one circuit's ceremony: ceremony.json (the
// circuit and the phase-1 source), phase1.srs (phase 1 truncated to the
// circuit's domain, gnark's serialization), phase2.0000 (the initial
// phase-2 state) and phase2.0001… (one file per contribution, each naming
// the SHA-256 of the previous file as its challenge).
package ceremony

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
	"github.com/consensys/gnark/constraint"
	cs "github.com/consensys/gnark/constraint/bn254"

	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/protocol"
)

// Phase-1 sources.
const (
	SourcePtau     = "ptau"     // a public Powers-of-Tau file, pinned by its hash
	SourceInsecure = "insecure" // InsecurePhase1: tests and the devnet only
)

// ManifestVersion is the version of ceremony.json and transcript.json.
const ManifestVersion = 1

var (
	// ErrExists: a ceremony step would overwrite an earlier one.
	ErrExists = errors.New("already exists")
	// ErrChain: the contributions do not form a valid chain.
	ErrChain = errors.New("invalid contribution chain")
	// ErrCircuit: the ceremony is for another circuit.
	ErrCircuit = errors.New("the ceremony is for another circuit")
	// ErrPhase1: phase1.srs is not what its source gives.
	ErrPhase1 = errors.New("phase 1 does not match its source")
	// ErrKeys: the keys are not the ones this ceremony seals.
	ErrKeys = errors.New("the keys do not match the ceremony")
)

// Circuit is the circuit a ceremony is for. Any BN254 R1CS works (with or
// without Groth16 commitments); Name and Config say how to compile it
// again, and land in ceremony.json, meta.json and the transcript.
type Circuit struct {
	Name   string          // keys directory name, e.g. d24-dep4-tx32-wd4
	Kind   string          // keys.CircuitBatch or keys.CircuitExit, recorded in meta.json
	Config protocol.Config // batch configuration the circuit was compiled from (the exit circuit's: its depth alone)
	R1CS   *cs.R1CS
	Hash   string // keys.CircuitHash
}

// CircuitFunc compiles the circuit a ceremony's manifest names. Verify and
// Finalize call it only after the cheap checks, so a broken chain is
// reported without compiling.
type CircuitFunc func(CircuitInfo) (*Circuit, error)

// Fixed is a CircuitFunc for an already compiled circuit.
func Fixed(c *Circuit) CircuitFunc { return func(CircuitInfo) (*Circuit, error) { return c, nil } }

// NewCircuit wraps a compiled BN254 R1CS.
func NewCircuit(name string, cfg protocol.Config, ccs constraint.ConstraintSystem) (*Circuit, error) {
	r, ok := ccs.(*cs.R1CS)
	if !ok {
		return nil, fmt.Errorf("ceremony: want a BN254 R1CS, got %T", ccs)
	}
	h, err := keys.CircuitHash(ccs)
	if err != nil {
		return nil, err
	}
	return &Circuit{Name: name, Config: cfg, R1CS: r, Hash: h}, nil
}

// Domain is the FFT domain the circuit needs: the next power of two at or
// above its constraint count (as gnark's own setup chooses).
func (c *Circuit) Domain() uint64 {
	return max(2, ecc.NextPowerOfTwo(uint64(c.R1CS.GetNbConstraints())))
}

func (c *Circuit) info() CircuitInfo {
	return CircuitInfo{Name: c.Name, Kind: c.Kind, Config: c.Config, Hash: c.Hash, Constraints: c.R1CS.GetNbConstraints(), Domain: c.Domain()}
}

// CircuitInfo identifies a circuit in ceremony.json and transcript.json.
type CircuitInfo struct {
	Name        string          `json:"name"`
	Kind        string          `json:"kind,omitempty"` // "" (batch) or keys.CircuitExit
	Config      protocol.Config `json:"config"`
	Hash        string          `json:"hash"`
	Constraints int             `json:"constraints"`
	Domain      uint64          `json:"domain"`
}

// Phase1Info records where phase 1 came from.
type Phase1Info struct {
	Source string    `json:"source"` // SourcePtau or SourceInsecure
	Ptau   *PtauInfo `json:"ptau,omitempty"`
	SHA256 string    `json:"sha256"` // of phase1.srs
}

// Manifest is ceremony.json.
type Manifest struct {
	Version int         `json:"version"`
	Circuit CircuitInfo `json:"circuit"`
	Phase1  Phase1Info  `json:"phase1"`
}

// ReadManifest reads dir's ceremony.json.
func ReadManifest(dir string) (*Manifest, error) {
	var m Manifest
	if err := readJSON(filepath.Join(dir, ManifestFile), &m); err != nil {
		return nil, fmt.Errorf("ceremony manifest: %w", err)
	}
	if m.Version != ManifestVersion {
		return nil, fmt.Errorf("%s: version %d, this binary reads %d", ManifestFile, m.Version, ManifestVersion)
	}
	return &m, nil
}

// checkCircuit refuses a circuit other than the manifest's.
func (m *Manifest) checkCircuit(c *Circuit) error {
	if m.Circuit.Hash != c.Hash {
		return fmt.Errorf("%w: the ceremony is for %s with hash %.16s…, this circuit (%s) hashes to %.16s… (another configuration, or a build of sheaf or gnark that compiles it differently)",
			ErrCircuit, m.Circuit.Name, m.Circuit.Hash, c.Name, c.Hash)
	}
	return nil
}

// Options are common to the ceremony steps.
type Options struct {
	Log      *slog.Logger
	Interval time.Duration // progress period for long steps (default 30 s)
	// Cache, when set, keeps phase-2 evaluations (the output of the long
	// Initialize step) keyed by circuit and phase 1, so that one machine
	// computes them once for init, verify and finalize.
	Cache string
}

func (o Options) log() *slog.Logger {
	if o.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Log
}

// progress logs the elapsed time of a step gnark gives no callback for.
func (o Options) progress(what string) (stop func()) {
	interval := o.Interval
	if interval <= 0 {
		interval = 30 * time.Second
	}
	log, start, done := o.log(), time.Now(), make(chan struct{})
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				log.Info(what+" in progress", "elapsed", time.Since(start).Round(time.Second).String())
			}
		}
	}()
	return func() { close(done) }
}

// newDir creates a ceremony directory for c with phase 1 set to commons.
func newDir(dir string, c *Circuit, commons *mpcsetup.SrsCommons, p1 Phase1Info) (*Manifest, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	h, err := writeAtomic(filepath.Join(dir, Phase1File), commons)
	if err != nil {
		return nil, err
	}
	p1.SHA256 = h
	m := &Manifest{Version: ManifestVersion, Circuit: c.info(), Phase1: p1}
	return m, writeJSON(filepath.Join(dir, ManifestFile), m)
}

func refuseExisting(dir string) error {
	if exists(filepath.Join(dir, ManifestFile)) {
		return fmt.Errorf("%w: %s holds a ceremony (%s); use a new directory per ceremony", ErrExists, dir, ManifestFile)
	}
	return nil
}

// ImportPtau starts a ceremony for c in dir from a Powers-of-Tau file,
// truncated to c's domain. wantHash (hex SHA-256 or BLAKE2b-512) must be
// the file's: nothing is written otherwise.
func ImportPtau(ctx context.Context, dir string, c *Circuit, ptauPath, wantHash string, opt Options) (*Manifest, error) {
	if err := refuseExisting(dir); err != nil {
		return nil, err
	}
	if wantHash == "" {
		return nil, errors.New("the Powers-of-Tau file's expected hash is required (publish it with the ceremony)")
	}
	if err := CheckHashFormat(wantHash); err != nil {
		return nil, err // before reading gigabytes
	}
	commons, info, err := ReadPtauFile(ptauPath, c.Domain(), opt)
	if err != nil {
		return nil, err
	}
	if err := info.CheckHash(wantHash); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return newDir(dir, c, commons, Phase1Info{Source: SourcePtau, Ptau: info})
}

// ReadPtauFile is ReadPtau on a file, with progress on opt.Log.
func ReadPtauFile(path string, N uint64, opt Options) (*mpcsetup.SrsCommons, *PtauInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	opt.log().Info("reading the Powers-of-Tau file", "file", path, "bytes", st.Size(), "domain", N)
	stop := opt.progress("checking phase 1")
	defer stop()
	commons, info, err := ReadPtau(f, N, ReadOptions{Log: opt.Log, Size: st.Size(), Interval: opt.Interval})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return commons, info, nil
}

// NewInsecure starts a ceremony for c in dir on InsecurePhase1: for tests
// and the devnet only (keys built on it are forgeable by anyone).
func NewInsecure(ctx context.Context, dir string, c *Circuit, opt Options) (*Manifest, error) {
	if err := refuseExisting(dir); err != nil {
		return nil, err
	}
	opt.log().Warn("using the INSECURE test-only phase 1: its secrets are public, anyone can forge proofs for these keys")
	commons, err := insecurePhase1(c.Domain(), opt)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return newDir(dir, c, commons, Phase1Info{Source: SourceInsecure})
}

// loadPhase1 reads dir's phase1.srs and checks it against the manifest.
func loadPhase1(dir string, m *Manifest) (*mpcsetup.SrsCommons, error) {
	commons, h, err := readPhase1(filepath.Join(dir, Phase1File))
	if err != nil {
		return nil, err
	}
	if h != m.Phase1.SHA256 {
		return nil, fmt.Errorf("%w: %s hashes to %s, %s says %s", ErrPhase1, Phase1File, h, ManifestFile, m.Phase1.SHA256)
	}
	if Domain(commons) != m.Circuit.Domain {
		return nil, fmt.Errorf("%w: %s has domain %d, the circuit needs %d", ErrPhase1, Phase1File, Domain(commons), m.Circuit.Domain)
	}
	return commons, nil
}

// Init writes the initial phase-2 state of dir's circuit (phase2.0000) and
// returns its SHA-256.
func Init(ctx context.Context, dir string, c *Circuit, opt Options) (string, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return "", err
	}
	if err := m.checkCircuit(c); err != nil {
		return "", err
	}
	out := filepath.Join(dir, Phase2File(0))
	if exists(out) {
		return "", fmt.Errorf("%w: %s (phase 2 is initialized once per ceremony)", ErrExists, out)
	}
	commons, err := loadPhase1(dir, m)
	if err != nil {
		return "", err
	}
	e, err := initialize(ctx, c, commons, m.Phase1.SHA256, opt)
	if err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return writeAtomic(out, e.init)
}

// Contribute reads the latest phase-2 state in dir, adds fresh randomness
// from the operating system (gnark draws it with crypto/rand; it is never
// logged or stored and is gone when this returns), writes the next file
// and returns its number and SHA-256 for the contributor to publish. It
// needs only the latest file, not the circuit.
func Contribute(ctx context.Context, dir string, opt Options) (int, string, error) {
	i, path, err := latestPhase2(dir)
	if err != nil {
		return 0, "", err
	}
	out := filepath.Join(dir, Phase2File(i+1))
	if exists(out) {
		return 0, "", fmt.Errorf("%w: %s", ErrExists, out)
	}
	log := opt.log()
	log.Info("reading the latest state", "file", path)
	p, prevHash, err := readPhase2(path)
	if err != nil {
		return 0, "", err
	}
	if err := ctx.Err(); err != nil {
		return 0, "", err
	}
	log.Info("contributing", "on", filepath.Base(path), "sha256", prevHash, "points", len(p.Parameters.G1.Z)+len(p.Parameters.G1.PKK))
	stop := opt.progress("contribution")
	start := time.Now()
	p.Contribute()
	stop()
	log.Info("contributed", "seconds", time.Since(start).Seconds())
	h, err := writeAtomic(out, p)
	if err != nil {
		return 0, "", err
	}
	return i + 1, h, nil
}

// Chain is the verified history of a ceremony directory.
type Chain struct {
	Manifest      Manifest
	Init          string   // SHA-256 of phase2.0000
	Contributions []string // SHA-256 of phase2.0001, phase2.0002, …
}

// VerifyOptions select what Verify checks beyond the contribution chain.
type VerifyOptions struct {
	// Ptau is the Powers-of-Tau file: phase1.srs is derived from it again.
	// Required for a ptau ceremony unless TrustPhase1.
	Ptau string
	// PtauHash, when set, is the published hash (hex SHA-256 or
	// BLAKE2b-512) the ceremony's Powers-of-Tau file must have: without
	// it, a coordinator could have used a file of their own.
	PtauHash string
	// TrustPhase1 accepts phase1.srs on the manifest's hash alone (the
	// coordinator, who derived it, finalizing).
	TrustPhase1 bool
	// KeysDir, when set, holds keys finalized from this ceremony: they are
	// sealed again and must match byte for byte.
	KeysDir string
	// Beacon overrides the transcript's beacon when checking KeysDir.
	Beacon []byte
}

// verified is what verifyDir leaves for sealing.
type verified struct {
	chain   Chain
	commons *mpcsetup.SrsCommons
	last    *mpcsetup.Phase2
	e       *evaluated
}

// verifyDir checks every contribution against the previous state (cheap
// checks first, so a broken chain fails fast), phase 1 against its source,
// then that phase2.0000 is the initial state of the circuit on this phase 1
// (recomputed: the long step).
func verifyDir(ctx context.Context, dir string, compile CircuitFunc, vo VerifyOptions, opt Options) (*verified, error) {
	log := opt.log()
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	v := &verified{chain: Chain{Manifest: *m}}
	files, err := phase2Files(dir)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%w: %s has no %s (run init)", ErrChain, dir, Phase2File(0))
	}
	prev, h, err := readPhase2(files[0])
	if err != nil {
		return nil, err
	}
	if len(prev.Challenge) != 0 {
		return nil, fmt.Errorf("%w: %s is a contribution, not an initial state", ErrChain, Phase2File(0))
	}
	v.chain.Init = h
	for i := 1; i < len(files); i++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		next, hn, err := readPhase2(files[i])
		if err != nil {
			return nil, err
		}
		// gnark accepts an empty challenge; a transcript entry must name
		// the state it was made on.
		if len(next.Challenge) == 0 || fmt.Sprintf("%x", next.Challenge) != h {
			return nil, fmt.Errorf("%w: %s was not made on %s (its challenge %x is not that file's hash %s): contributions out of order or from another ceremony",
				ErrChain, Phase2File(i), Phase2File(i-1), next.Challenge, h)
		}
		if err := prev.Verify(next); err != nil {
			return nil, fmt.Errorf("%w: contribution %d (%s): %w", ErrChain, i, Phase2File(i), err)
		}
		log.Info("contribution verified", "n", i, "sha256", hn)
		v.chain.Contributions = append(v.chain.Contributions, hn)
		prev, h = next, hn
	}
	v.last = prev

	if v.commons, err = checkPhase1(dir, m, vo, opt); err != nil {
		return nil, err
	}
	log.Info("phase 1 checked", "source", m.Phase1.Source, "sha256", m.Phase1.SHA256)
	c, err := compile(m.Circuit)
	if err != nil {
		return nil, err
	}
	if err := m.checkCircuit(c); err != nil {
		return nil, err
	}
	if v.e, err = initialize(ctx, c, v.commons, m.Phase1.SHA256, opt); err != nil {
		return nil, err
	}
	if v.e.hash != v.chain.Init {
		return nil, fmt.Errorf("%w: %s (sha256 %s) is not the initial phase-2 state of %s on this phase 1 (sha256 %s)",
			ErrChain, Phase2File(0), v.chain.Init, c.Name, v.e.hash)
	}
	v.e.init = nil // only its hash was needed
	log.Info("initial phase-2 state verified", "sha256", v.chain.Init)
	return v, nil
}

// checkPhase1 checks dir's phase1.srs against the manifest and derives it
// again from its source (the insecure constant, or the .ptau file when
// given). It returns the phase-1 parameters.
func checkPhase1(dir string, m *Manifest, vo VerifyOptions, opt Options) (*mpcsetup.SrsCommons, error) {
	path := filepath.Join(dir, Phase1File)
	h, err := FileSHA256(path)
	if err != nil {
		return nil, err
	}
	if h != m.Phase1.SHA256 {
		return nil, fmt.Errorf("%w: %s hashes to %s, %s says %s", ErrPhase1, Phase1File, h, ManifestFile, m.Phase1.SHA256)
	}
	N := m.Circuit.Domain
	var derived *mpcsetup.SrsCommons
	switch m.Phase1.Source {
	case SourceInsecure:
		if vo.PtauHash != "" {
			return nil, fmt.Errorf("%w: a Powers-of-Tau hash was expected, the ceremony uses the insecure test-only phase 1", ErrPhase1)
		}
		if derived, err = insecurePhase1(N, opt); err != nil {
			return nil, err
		}
	case SourcePtau:
		if m.Phase1.Ptau == nil {
			return nil, fmt.Errorf("%s: ptau source without the file's hashes", ManifestFile)
		}
		if vo.PtauHash != "" {
			if err := m.Phase1.Ptau.CheckHash(vo.PtauHash); err != nil {
				return nil, fmt.Errorf("%w: the ceremony's Powers-of-Tau file is not the one expected: %w", ErrPhase1, err)
			}
		}
		if vo.Ptau == "" {
			if vo.TrustPhase1 {
				return loadPhase1(dir, m)
			}
			return nil, fmt.Errorf("this ceremony's phase 1 comes from a Powers-of-Tau file: give it (sha256 %s) to check %s against it",
				m.Phase1.Ptau.SHA256, Phase1File)
		}
		full, info, err := ReadPtauFile(vo.Ptau, N, opt)
		if err != nil {
			return nil, err
		}
		if err := info.CheckHash(m.Phase1.Ptau.SHA256); err != nil {
			return nil, err
		}
		derived = full
	default:
		return nil, fmt.Errorf("%s: unknown phase-1 source %q", ManifestFile, m.Phase1.Source)
	}
	if h, err = hashOf(derived); err != nil {
		return nil, err
	}
	if h != m.Phase1.SHA256 {
		return nil, fmt.Errorf("%w: %s is not phase 1 of its %s source truncated to 2^%d (derived sha256 %s, file %s)",
			ErrPhase1, Phase1File, m.Phase1.Source, log2(N), h, m.Phase1.SHA256)
	}
	return derived, nil
}

func log2(n uint64) int {
	k := 0
	for n > 1 {
		n >>= 1
		k++
	}
	return k
}

// Verify checks a ceremony directory: phase 1 against its source, the
// initial phase-2 state against the circuit, every contribution against
// the previous state, and, with vo.KeysDir, that those keys are the
// ceremony's sealed with the transcript's beacon (or vo.Beacon).
func Verify(ctx context.Context, dir string, compile CircuitFunc, vo VerifyOptions, opt Options) (*Chain, *Transcript, error) {
	v, err := verifyDir(ctx, dir, compile, vo, opt)
	if err != nil {
		return nil, nil, err
	}
	if vo.KeysDir == "" {
		return &v.chain, nil, nil
	}
	t, err := ReadTranscript(vo.KeysDir)
	if err != nil {
		return nil, nil, err
	}
	if err := t.checkChain(&v.chain); err != nil {
		return nil, nil, err
	}
	beacon, err := t.beacon()
	if err != nil {
		return nil, nil, err
	}
	if vo.Beacon != nil {
		beacon = vo.Beacon
	}
	set, err := v.seal(beacon, opt)
	if err != nil {
		return nil, nil, err
	}
	if err := compareKeys(vo.KeysDir, set, t); err != nil {
		return nil, nil, fmt.Errorf("%w (beacon %x)", err, beacon)
	}
	return &v.chain, t, nil
}

// seal applies the beacon to the last state (which it modifies) and
// returns the keys.
func (v *verified) seal(beacon []byte, opt Options) (*keys.Set, error) {
	if len(beacon) == 0 {
		return nil, errors.New("the beacon is empty")
	}
	opt.log().Info("sealing with the beacon", "beacon", fmt.Sprintf("%x", beacon))
	stop := opt.progress("sealing")
	pk, vk := v.last.Seal(v.commons, &v.e.evals, beacon)
	stop()
	m := v.chain.Manifest
	return &keys.Set{PK: pk, VK: vk, Meta: keys.Meta{
		Circuit: m.Circuit.Kind, Config: m.Circuit.Config, CircuitHash: m.Circuit.Hash, Constraints: m.Circuit.Constraints,
		CreatedAt: time.Now().UTC(), Ceremony: ceremonyLabel(&v.chain, beacon),
	}}, nil
}

// Finalize verifies dir's ceremony, seals it with the public beacon and
// writes the keys, the Solidity verifier, meta.json and transcript.json to
// keysDir (the layout `sheaf setup` writes). It refuses a ceremony without
// contributions: with only the beacon, the toxic waste would be public.
func Finalize(ctx context.Context, dir string, compile CircuitFunc, beacon []byte, beaconNote, keysDir string, force bool, vo VerifyOptions, opt Options) (*keys.Set, *Transcript, error) {
	if len(beacon) == 0 {
		return nil, nil, errors.New("a beacon is required (e.g. the randomness of a drand round announced before the ceremony closed)")
	}
	if exists(filepath.Join(keysDir, keys.MetaFile)) && !force {
		return nil, nil, fmt.Errorf("%w: keys in %s (use --force to replace them)", ErrExists, keysDir)
	}
	v, err := verifyDir(ctx, dir, compile, vo, opt)
	if err != nil {
		return nil, nil, err
	}
	if len(v.chain.Contributions) == 0 {
		return nil, nil, fmt.Errorf("%w: no contributions yet", ErrChain)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	set, err := v.seal(beacon, opt)
	if err != nil {
		return nil, nil, err
	}
	if err := os.MkdirAll(keysDir, 0o755); err != nil {
		return nil, nil, err
	}
	// The transcript goes first: keys.Set.Write writes meta.json last, and
	// a directory with meta.json and no transcript is never deployable.
	os.Remove(filepath.Join(keysDir, keys.MetaFile))
	t := newTranscript(&v.chain, beacon, beaconNote)
	if err := t.hashKeys(set); err != nil {
		return nil, nil, err
	}
	if err := writeJSON(filepath.Join(keysDir, TranscriptFile), t); err != nil {
		return nil, nil, err
	}
	if err := set.Write(keysDir); err != nil {
		return nil, nil, err
	}
	if err := writeJSON(filepath.Join(dir, TranscriptFile), t); err != nil {
		return nil, nil, err
	}
	return set, t, nil
}
