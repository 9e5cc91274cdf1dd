package ceremony

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	curve "github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"

	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/internal/soltest"
	"github.com/sheafrollup/sheaf/protocol"
)

// The committed fixture (testdata/README.md says how it was made).
const (
	fixture        = "testdata/pot11_beacon.ptau"
	fixtureSHA256  = "a5c1f40bf02ad8a12e84a71cdf062cdfe5888aa883d7bcb98314f1062aa77415"
	fixtureBLAKE2b = "5b1a3f71e4df081f76599314f764842f442556a1c6a64173cc5b068789b92d279b23cd1b721b883cb1e040db400ea085b705ede0a0664bdd876f60ce134641e3"
)

var ctx = context.Background()

// powCircuit proves knowledge of X with Y = (X+S)^(2^K): K squarings make
// a circuit of any small size; two public inputs exercise the verifier's
// input handling. Commit adds a Groth16 commitment.
type powCircuit struct {
	X      frontend.Variable
	S      frontend.Variable `gnark:",public"`
	Y      frontend.Variable `gnark:",public"`
	K      int               `gnark:"-"`
	Commit bool              `gnark:"-"`
}

func (c *powCircuit) Define(api frontend.API) error {
	v := api.Add(c.X, c.S)
	for range c.K {
		v = api.Mul(v, v)
	}
	api.AssertIsEqual(v, c.Y)
	if c.Commit {
		cm, err := api.(frontend.Committer).Commit(c.X, c.S)
		if err != nil {
			return err
		}
		api.AssertIsDifferent(cm, 0)
	}
	return nil
}

func powAssignment(k int, x, s uint64) *powCircuit {
	var v, e fr.Element
	v.SetUint64(x + s)
	for range k {
		v.Square(&v)
	}
	e.SetUint64(s)
	return &powCircuit{X: x, S: s, Y: v.BigInt(new(big.Int))}
}

func newPowCircuit(t *testing.T, k int, commit bool) *Circuit {
	t.Helper()
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &powCircuit{K: k, Commit: commit})
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCircuit("pow", protocol.Config{Depth: 2, Transfers: 1}, ccs)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func readFixture(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// proveAndCheck proves an assignment with the set, checks groth16.Verify
// accepts it and a wrong public input does not; with onChain, the exported
// Verifier.sol in dir does the same on a simulated chain.
func proveAndCheck(t *testing.T, c *Circuit, set *keys.Set, dir string, k int, onChain bool) {
	t.Helper()
	a := powAssignment(k, 3, 5)
	a.K = k
	w, err := frontend.NewWitness(a, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	pub, err := w.Public()
	if err != nil {
		t.Fatal(err)
	}
	proof, err := groth16.Prove(c.R1CS, set.PK, w, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		t.Fatal(err)
	}
	if err := groth16.Verify(proof, set.VK, pub, solidity.WithVerifierTargetSolidityVerifier(backend.GROTH16)); err != nil {
		t.Fatalf("groth16.Verify rejected a proof made with the ceremony's keys: %v", err)
	}
	bad := powAssignment(k, 3, 5)
	bad.S = 6
	badPub, err := frontend.NewWitness(bad, ecc.BN254.ScalarField(), frontend.PublicOnly())
	if err != nil {
		t.Fatal(err)
	}
	if err := groth16.Verify(proof, set.VK, badPub, solidity.WithVerifierTargetSolidityVerifier(backend.GROTH16)); err == nil {
		t.Fatal("groth16.Verify accepted the proof under another public input")
	}
	if !onChain {
		return
	}
	v, err := soltest.Deploy(ctx, filepath.Join(dir, keys.VerifierFile), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	sp := proof.(interface{ MarshalSolidity() []byte }).MarshalSolidity()
	y := a.Y.(*big.Int)
	if err := v.Verify(ctx, sp, []*big.Int{big.NewInt(5), y}); err != nil {
		t.Fatalf("the exported Solidity verifier rejected the proof: %v", err)
	}
	if err := v.Verify(ctx, sp, []*big.Int{big.NewInt(6), y}); err == nil {
		t.Fatal("the Solidity verifier accepted the proof under another public input")
	}
}

func TestCeremonyPtauRoundTrip(t *testing.T) {
	c, err := InsecurePhase1(64)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckPhase1(c); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WritePtau(&buf, c); err != nil {
		t.Fatal(err)
	}
	for _, n := range []uint64{64, 16, 2} {
		got, info, err := ReadPtau(bytes.NewReader(buf.Bytes()), n, ReadOptions{})
		if err != nil {
			t.Fatalf("domain %d: %v", n, err)
		}
		want, _ := Truncate(c, n)
		hg, _ := hashOf(got)
		hw, _ := hashOf(want)
		if hg != hw {
			t.Fatalf("domain %d: the phase 1 read back differs from the one written", n)
		}
		if info.Power != 6 || info.Bytes != int64(buf.Len()) {
			t.Fatalf("info %+v", info)
		}
	}
}

func TestCeremonyPtauFixture(t *testing.T) {
	if testing.Short() {
		t.Skip("proves, compiles a verifier and runs it on a simulated chain: skipped in -short")
	}
	const k = 1800 // ≈1,800 constraints: domain 2^11, the fixture's size
	c := newPowCircuit(t, k, false)
	if c.Domain() != 1<<11 {
		t.Fatalf("test circuit domain %d, want 2^11", c.Domain())
	}
	dir := t.TempDir()
	cached := Options{Cache: t.TempDir()} // verify and finalize reuse init's evaluation
	m, err := ImportPtau(ctx, dir, c, fixture, fixtureSHA256, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := m.Phase1.Ptau
	if m.Phase1.Source != SourcePtau || p.Power != 11 || p.CeremonyPower != 11 || p.Contributions != 1 ||
		p.SHA256 != fixtureSHA256 || p.BLAKE2b != fixtureBLAKE2b || p.Bytes != 788197 {
		t.Fatalf("manifest phase 1 %+v / %+v", m.Phase1, p)
	}
	if _, err := Init(ctx, dir, c, cached); err != nil {
		t.Fatal(err)
	}
	var hashes []string
	for i := 1; i <= 3; i++ {
		n, h, err := Contribute(ctx, dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if n != i {
			t.Fatalf("contribution %d numbered %d", i, n)
		}
		hashes = append(hashes, h)
	}
	if _, _, err := Verify(ctx, dir, Fixed(c), VerifyOptions{}, Options{}); err == nil || !strings.Contains(err.Error(), "Powers-of-Tau file") {
		t.Fatalf("verify without the ptau file: %v", err)
	}
	// Pinned to the published hash: the right one passes, another fails.
	if _, _, err := Verify(ctx, dir, Fixed(c), VerifyOptions{Ptau: fixture, PtauHash: strings.Repeat("ab", 64)}, cached); !errors.Is(err, ErrPhase1) {
		t.Fatalf("verify against another ptau hash: %v", err)
	}
	chain, _, err := Verify(ctx, dir, Fixed(c), VerifyOptions{Ptau: fixture, PtauHash: fixtureBLAKE2b}, cached)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(chain.Contributions, ",") != strings.Join(hashes, ",") {
		t.Fatalf("verify lists %v, contribute printed %v", chain.Contributions, hashes)
	}
	keysDir := t.TempDir()
	beacon := []byte("drand round 1 randomness (test)")
	set, tr, err := Finalize(ctx, dir, Fixed(c), beacon, "test beacon", keysDir, false, VerifyOptions{TrustPhase1: true}, cached)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(set.Meta.Ceremony, LabelPrefix) || len(tr.Phase2.Contributions) != 3 {
		t.Fatalf("meta %q, transcript %+v", set.Meta.Ceremony, tr)
	}
	if _, err := CheckKeys(keysDir); err != nil {
		t.Fatalf("deploy check of ceremony keys: %v", err)
	}
	if _, _, err := Verify(ctx, dir, Fixed(c), VerifyOptions{Ptau: fixture, KeysDir: keysDir}, cached); err != nil {
		t.Fatalf("verify of the finalized keys: %v", err)
	}
	loaded, err := keys.Load(keysDir, c.R1CS)
	if err != nil {
		t.Fatal(err)
	}
	proveAndCheck(t, c, loaded, keysDir, k, true)
}

// TestCeremonyPtauTooSmall: a circuit needing 2^12 powers against the
// 2^11 fixture fails before anything is written, saying what is needed.
func TestCeremonyPtauTooSmall(t *testing.T) {
	c := newPowCircuit(t, 2100, false)
	if c.Domain() != 1<<12 {
		t.Fatalf("test circuit domain %d, want 2^12", c.Domain())
	}
	dir := t.TempDir()
	_, err := ImportPtau(ctx, dir, c, fixture, fixtureSHA256, Options{})
	if !errors.Is(err, ErrPtauTooSmall) || !strings.Contains(err.Error(), "2^11 powers") || !strings.Contains(err.Error(), "power 12 or more") {
		t.Fatalf("got %v, want ErrPtauTooSmall naming 2^11 and 12", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("a refused import wrote %v", ents)
	}
}

// fixtureOffsets: the fixture's layout (header section, then tauG1 at a
// fixed offset; each G1 point is 64 bytes).
const (
	offHeaderQ  = 12 + 12 + 4 // magic+version+count, section head, n8
	offTauG1    = 12 + 12 + 44 + 12
	offSections = 8
)

func TestCeremonyPtauRejects(t *testing.T) {
	good := readFixture(t)
	if binary.LittleEndian.Uint32(good[offTauG1-12:]) != ptauTauG1 {
		t.Fatal("fixture layout changed: update the offsets")
	}
	edit := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	extra := edit(func(b []byte) []byte { // a prepared file's extra section
		binary.LittleEndian.PutUint32(b[offSections:], binary.LittleEndian.Uint32(b[offSections:])+1)
		b = binary.LittleEndian.AppendUint32(b, 12)
		b = binary.LittleEndian.AppendUint64(b, 5)
		return append(b, 1, 2, 3, 4, 5)
	})
	for _, tc := range []struct {
		name string
		file []byte
		hash string // default: the file's own
		want string // "" accepts
	}{
		{"fixture", good, fixtureSHA256, ""},
		{"fixture by its BLAKE2b-512", good, fixtureBLAKE2b, ""},
		{"with an extra section", extra, "", ""},
		{"wrong hash", good, strings.Repeat("00", 32), "hash is not the expected one"},
		{"malformed hash", good, "abc", "64 hex digits"},
		{"not a ptau", edit(func(b []byte) []byte { copy(b, "r1cs"); return b }), "", "not a .ptau file"},
		{"truncated", good[:len(good)/2], "", "truncated"},
		{"another curve", edit(func(b []byte) []byte { b[offHeaderQ] ^= 1; return b }), "", "not for BN254"},
		{"point off the curve", edit(func(b []byte) []byte { b[offTauG1+5*64+7] ^= 1; return b }), "", "tauG1[5]"},
		{"powers swapped", edit(func(b []byte) []byte {
			p3, p4 := b[offTauG1+3*64:offTauG1+4*64], b[offTauG1+4*64:offTauG1+5*64]
			tmp := bytes.Clone(p3)
			copy(p3, p4)
			copy(p4, tmp)
			return b
		}), "", "inconsistent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f.ptau")
			if err := os.WriteFile(path, tc.file, 0o644); err != nil {
				t.Fatal(err)
			}
			hash := tc.hash
			if hash == "" {
				hash, _ = FileSHA256(path)
			}
			dir := t.TempDir()
			_, err := ImportPtau(ctx, dir, newPowCircuit(t, 100, false), path, hash, Options{})
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if exists(filepath.Join(dir, ManifestFile)) {
				t.Fatal("a refused import wrote a manifest")
			}
		})
	}
}

// tamperDelta rewrites a phase-2 file with δ changed but its challenge and
// proofs kept: a contributor claiming a contribution it did not make.
func tamperDelta(t *testing.T, path string) {
	t.Helper()
	p, _, err := readPhase2(path)
	if err != nil {
		t.Fatal(err)
	}
	_, _, g1, _ := curve.Generators()
	p.Parameters.G1.Delta.Add(&p.Parameters.G1.Delta, &g1)
	if _, err := writeAtomic(path, p); err != nil {
		t.Fatal(err)
	}
}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// TestCeremonyVerifyRejects runs a small ceremony on the insecure phase 1
// and checks that verify refuses each way its files can be wrong.
func TestCeremonyVerifyRejects(t *testing.T) {
	const k = 300
	c := newPowCircuit(t, k, false)
	dir := t.TempDir()
	if _, err := NewInsecure(ctx, dir, c, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := NewInsecure(ctx, dir, c, Options{}); !errors.Is(err, ErrExists) {
		t.Fatalf("second start in one directory: %v", err)
	}
	if _, err := Init(ctx, dir, c, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Init(ctx, dir, c, Options{}); !errors.Is(err, ErrExists) {
		t.Fatalf("second init: %v", err)
	}
	if _, _, err := Finalize(ctx, dir, Fixed(c), []byte{1}, "", t.TempDir(), false, VerifyOptions{}, Options{}); err == nil || !strings.Contains(err.Error(), "no contributions") {
		t.Fatalf("finalize without contributions: %v", err)
	}
	// A fork: a contribution made on phase2.0001 by someone who missed the
	// second one.
	var fork string
	for i := 1; i <= 3; i++ {
		if _, _, err := Contribute(ctx, dir, Options{}); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			fd := t.TempDir()
			b, _ := os.ReadFile(filepath.Join(dir, Phase2File(1)))
			os.WriteFile(filepath.Join(fd, Phase2File(1)), b, 0o644)
			if _, _, err := Contribute(ctx, fd, Options{}); err != nil {
				t.Fatal(err)
			}
			fork = filepath.Join(fd, Phase2File(2))
		}
	}
	if _, _, err := Verify(ctx, dir, Fixed(c), VerifyOptions{}, Options{}); err != nil {
		t.Fatalf("the honest chain: %v", err)
	}
	other := newPowCircuit(t, k+1, false)
	cached := Options{Cache: t.TempDir()} // one evaluation for the checks below

	for _, tc := range []struct {
		name   string
		break_ func(d string)
		c      *Circuit
		want   string
	}{
		{"tampered last contribution", func(d string) { tamperDelta(t, filepath.Join(d, Phase2File(3))) }, c, "contribution 3"},
		{"tampered middle contribution", func(d string) { tamperDelta(t, filepath.Join(d, Phase2File(2))) }, c, "contribution 2"},
		{"contributions swapped", func(d string) {
			a, b := filepath.Join(d, Phase2File(2)), filepath.Join(d, Phase2File(3))
			os.Rename(a, a+".x")
			os.Rename(b, a)
			os.Rename(a+".x", b)
		}, c, "phase2.0002 was not made on phase2.0001"},
		{"contribution on a stale state", func(d string) {
			b, _ := os.ReadFile(fork)
			os.WriteFile(filepath.Join(d, Phase2File(3)), b, 0o644)
		}, c, "phase2.0003 was not made on phase2.0002"},
		{"missing contribution", func(d string) { os.Remove(filepath.Join(d, Phase2File(2))) }, c, "has no phase2.0002"},
		{"trailing bytes", func(d string) {
			f, _ := os.OpenFile(filepath.Join(d, Phase2File(1)), os.O_APPEND|os.O_WRONLY, 0)
			f.Write([]byte{0})
			f.Close()
		}, c, "not one serialized state"},
		{"phase 1 replaced", func(d string) {
			other, _ := InsecurePhase1(c.Domain())
			other.G1.Tau[1], other.G1.Tau[2] = other.G1.Tau[2], other.G1.Tau[1]
			writeAtomic(filepath.Join(d, Phase1File), other)
		}, c, "phase 1"},
		{"another circuit", func(string) {}, other, "another circuit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := copyDir(t, dir)
			tc.break_(d)
			_, _, err := Verify(ctx, d, Fixed(tc.c), VerifyOptions{}, cached)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}

	keysDir := t.TempDir()
	beacon := []byte{0xbe, 0xac, 0x04}
	set, _, err := Finalize(ctx, dir, Fixed(c), beacon, "", keysDir, false, VerifyOptions{}, cached)
	if err != nil {
		t.Fatal(err)
	}
	if set.Meta.Ceremony != InsecureLabel {
		t.Fatalf("keys on the insecure phase 1 labelled %q", set.Meta.Ceremony)
	}
	if _, err := CheckKeys(keysDir); !errors.Is(err, ErrInsecurePhase1) {
		t.Fatalf("deploy check of keys on the insecure phase 1: %v", err)
	}
	if _, _, err := Finalize(ctx, dir, Fixed(c), beacon, "", keysDir, false, VerifyOptions{}, cached); !errors.Is(err, ErrExists) {
		t.Fatalf("finalize over existing keys: %v", err)
	}
	if _, _, err := Verify(ctx, dir, Fixed(c), VerifyOptions{KeysDir: keysDir}, cached); err != nil {
		t.Fatalf("verify of the finalized keys: %v", err)
	}
	proveAndCheck(t, c, set, keysDir, k, false)

	// A wrong beacon: given to verify, or written into the transcript.
	if _, _, err := Verify(ctx, dir, Fixed(c), VerifyOptions{KeysDir: keysDir, Beacon: []byte{0xbe, 0xac, 0x05}}, cached); !errors.Is(err, ErrKeys) {
		t.Fatalf("verify with another beacon: %v", err)
	}
	kd := copyDir(t, keysDir)
	tr, err := ReadTranscript(kd)
	if err != nil {
		t.Fatal(err)
	}
	tr.Beacon = "beac05"
	if err := writeJSON(filepath.Join(kd, TranscriptFile), tr); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Verify(ctx, dir, Fixed(c), VerifyOptions{KeysDir: kd}, cached); !errors.Is(err, ErrKeys) || !strings.Contains(err.Error(), "beac05") {
		t.Fatalf("verify of a transcript naming another beacon: %v", err)
	}
	// Keys from a single-party setup beside this transcript.
	kd = copyDir(t, keysDir)
	if _, err := keys.Setup(ctx, c.Config, c.R1CS, kd, keys.SetupOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Verify(ctx, dir, Fixed(c), VerifyOptions{KeysDir: kd}, cached); !errors.Is(err, ErrKeys) {
		t.Fatalf("verify of other keys: %v", err)
	}
}

// TestCeremonyCommitment: a circuit with a Groth16 commitment (σ terms in
// phase 2) goes through the same steps and its keys prove.
func TestCeremonyCommitment(t *testing.T) {
	const k = 64
	c := newPowCircuit(t, k, true)
	if n := len(c.R1CS.GetCommitments().CommitmentIndexes()); n != 1 {
		t.Fatalf("%d commitments", n)
	}
	dir := t.TempDir()
	if _, err := NewInsecure(ctx, dir, c, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Init(ctx, dir, c, Options{}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, _, err := Contribute(ctx, dir, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	keysDir := t.TempDir()
	set, _, err := Finalize(ctx, dir, Fixed(c), []byte("beacon"), "", keysDir, false, VerifyOptions{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := powAssignment(k, 3, 5)
	a.K, a.Commit = k, true
	w, _ := frontend.NewWitness(a, ecc.BN254.ScalarField())
	pub, _ := w.Public()
	proof, err := groth16.Prove(c.R1CS, set.PK, w, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		t.Fatal(err)
	}
	if err := groth16.Verify(proof, set.VK, pub, solidity.WithVerifierTargetSolidityVerifier(backend.GROTH16)); err != nil {
		t.Fatal(err)
	}
}

// TestCeremonyCache: a second init from the cache writes the same state.
func TestCeremonyCache(t *testing.T) {
	c := newPowCircuit(t, 100, true)
	cache := t.TempDir()
	var hashes []string
	for range 2 {
		dir := t.TempDir()
		if _, err := NewInsecure(ctx, dir, c, Options{}); err != nil {
			t.Fatal(err)
		}
		h, err := Init(ctx, dir, c, Options{Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h)
		if _, _, err := Contribute(ctx, dir, Options{}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := Verify(ctx, dir, Fixed(c), VerifyOptions{}, Options{Cache: cache}); err != nil {
			t.Fatal(err)
		}
	}
	if hashes[0] != hashes[1] {
		t.Fatal("init from the cache differs from the computed one")
	}
	e := new(mpcsetup.Phase2)
	h, err := readExact(filepath.Join(cache, firstDir(t, cache), cacheInit), e)
	if err != nil || h != hashes[0] {
		t.Fatalf("cache holds %s (%v), want %s", h, err, hashes[0])
	}
}

func firstDir(t *testing.T, dir string) string {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if e.IsDir() {
			return e.Name()
		}
	}
	t.Fatal("empty cache")
	return ""
}

// TestCeremonyGnarkVersion keeps GnarkVersion equal to go.mod's gnark.
func TestCeremonyGnarkVersion(t *testing.T) {
	b, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "\tgithub.com/consensys/gnark "+GnarkVersion+"\n") {
		t.Fatalf("go.mod does not require github.com/consensys/gnark %s: update GnarkVersion", GnarkVersion)
	}
}
