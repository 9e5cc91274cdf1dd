package ceremony

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"math/bits"
	"time"

	curve "github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fp"
	"github.com/consensys/gnark-crypto/parallel"
	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
	"golang.org/x/crypto/blake2b"
)

// The .ptau format (snarkjs, the format of the Hermez and Perpetual Powers
// of Tau files): "ptau", version 1 and a section count, all little-endian;
// then sections of (id uint32, size uint64, bytes). Field elements are
// 32-byte little-endian integers in Montgomery form (x·2²⁵⁶ mod q), G1
// points are x‖y and G2 points x.c0‖x.c1‖y.c0‖y.c1. A file of power p holds
// 2^(p+1)−1 powers [τⁱ]₁ and 2^p each of [τⁱ]₂, [ατⁱ]₁, [βτⁱ]₁.
const (
	ptauMagic         = "ptau"
	ptauVersion       = 1
	ptauHeader        = 1
	ptauTauG1         = 2
	ptauTauG2         = 3
	ptauAlphaTauG1    = 4
	ptauBetaTauG1     = 5
	ptauBetaG2        = 6
	ptauContributions = 7
	ptauG1Size        = 64
	ptauG2Size        = 128
)

// ErrPtauTooSmall: the Powers-of-Tau file has fewer powers than the
// circuit's domain needs.
var ErrPtauTooSmall = errors.New("the Powers-of-Tau file is too small for the circuit")

// ErrPtauHash: the file is not the one whose hash was given.
var ErrPtauHash = errors.New("the Powers-of-Tau file's hash is not the expected one")

// PtauInfo describes an imported Powers-of-Tau file.
type PtauInfo struct {
	Power         int    `json:"power"`          // the file holds 2^power powers
	CeremonyPower int    `json:"ceremony_power"` // power of the ceremony it was truncated from
	Contributions int    `json:"contributions"`  // phase-1 contributions the file lists
	Bytes         int64  `json:"bytes"`
	SHA256        string `json:"sha256"`
	BLAKE2b       string `json:"blake2b_512"` // the hash snarkjs prints and the Hermez files are published with
}

// CheckHashFormat checks that want is a hex SHA-256 (64 digits) or
// BLAKE2b-512 (128 digits).
func CheckHashFormat(want string) error {
	if n := len(want); n != 2*sha256.Size && n != 2*blake2b.Size {
		return fmt.Errorf("ptau hash %q: want 64 hex digits (SHA-256) or 128 (BLAKE2b-512)", want)
	}
	if _, err := hex.DecodeString(want); err != nil {
		return fmt.Errorf("ptau hash %q: %w", want, err)
	}
	return nil
}

// CheckHash compares want (hex; 64 digits for SHA-256, 128 for BLAKE2b-512)
// with the file's hashes.
func (p *PtauInfo) CheckHash(want string) error {
	if err := CheckHashFormat(want); err != nil {
		return err
	}
	got := p.SHA256
	if len(want) == 2*blake2b.Size {
		got = p.BLAKE2b
	}
	if !equalFoldHex(got, want) {
		return fmt.Errorf("%w: got sha256 %s, blake2b-512 %s; expected %s", ErrPtauHash, p.SHA256, p.BLAKE2b, want)
	}
	return nil
}

func equalFoldHex(a, b string) bool {
	x, err1 := hex.DecodeString(a)
	y, err2 := hex.DecodeString(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// ptauReader reads a .ptau stream once, hashing every byte.
type ptauReader struct {
	r        *bufio.Reader
	sha, b2  hash.Hash
	n        int64
	total    int64
	log      *slog.Logger
	lastLog  time.Time
	interval time.Duration
}

func (p *ptauReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.sha.Write(b[:n])
	p.b2.Write(b[:n])
	p.n += int64(n)
	if time.Since(p.lastLog) >= p.interval {
		p.lastLog = time.Now()
		if p.total > 0 {
			p.log.Info("reading the Powers-of-Tau file", "percent", 100*p.n/p.total, "bytes", p.n)
		} else {
			p.log.Info("reading the Powers-of-Tau file", "bytes", p.n)
		}
	}
	return n, err
}

func (p *ptauReader) u32() (uint32, error) {
	var b [4]byte
	if _, err := io.ReadFull(p, b[:]); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b[:]), nil
}

func (p *ptauReader) u64() (uint64, error) {
	var b [8]byte
	if _, err := io.ReadFull(p, b[:]); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b[:]), nil
}

func (p *ptauReader) skip(n uint64) error {
	_, err := io.CopyN(io.Discard, p, int64(n))
	return err
}

// ReadOptions tune ReadPtau's progress log.
type ReadOptions struct {
	Log      *slog.Logger
	Size     int64         // file size, for percentages; 0 if unknown
	Interval time.Duration // progress period (default 10 s)
}

// ReadPtau reads a .ptau stream and returns its phase-1 parameters
// truncated to domain N (a power of two), after checking every point is on
// the curve and in the prime-order subgroup and the powers are consistent
// (the same-ratio checks of gnark's phase-1 verification). The whole stream
// is read so that its hashes cover every byte; compare them with
// PtauInfo.CheckHash before using the result.
func ReadPtau(r io.Reader, N uint64, opt ReadOptions) (*mpcsetup.SrsCommons, *PtauInfo, error) {
	if N < 2 || N&(N-1) != 0 {
		return nil, nil, fmt.Errorf("domain %d is not a power of two ≥ 2", N)
	}
	p := &ptauReader{r: bufio.NewReaderSize(r, 1<<20), sha: sha256.New(), total: opt.Size, log: opt.Log, interval: opt.Interval, lastLog: time.Now()}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	if p.interval <= 0 {
		p.interval = 10 * time.Second
	}
	var err error
	if p.b2, err = blake2b.New512(nil); err != nil {
		return nil, nil, err
	}
	c, info, err := p.read(N)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			err = fmt.Errorf("truncated file: %w", err)
		}
		return nil, nil, fmt.Errorf("ptau: %w", err)
	}
	if err := CheckPhase1(c); err != nil {
		return nil, nil, fmt.Errorf("ptau: %w", err)
	}
	return c, info, nil
}

func (p *ptauReader) read(N uint64) (*mpcsetup.SrsCommons, *PtauInfo, error) {
	var magic [4]byte
	if _, err := io.ReadFull(p, magic[:]); err != nil {
		return nil, nil, err
	}
	if string(magic[:]) != ptauMagic {
		return nil, nil, fmt.Errorf("not a .ptau file (magic %q)", magic[:])
	}
	version, err := p.u32()
	if err != nil {
		return nil, nil, err
	}
	if version != ptauVersion {
		return nil, nil, fmt.Errorf("version %d is not supported (want %d)", version, ptauVersion)
	}
	nSections, err := p.u32()
	if err != nil {
		return nil, nil, err
	}
	info := &PtauInfo{}
	c := new(mpcsetup.SrsCommons)
	seen := map[uint32]bool{}
	haveHeader := false
	for range nSections {
		id, err := p.u32()
		if err != nil {
			return nil, nil, err
		}
		size, err := p.u64()
		if err != nil {
			return nil, nil, err
		}
		if seen[id] && id <= ptauContributions {
			return nil, nil, fmt.Errorf("section %d appears twice", id)
		}
		seen[id] = true
		if id >= ptauTauG1 && id <= ptauContributions && !haveHeader {
			return nil, nil, fmt.Errorf("section %d comes before the header", id)
		}
		full := uint64(1) << min(info.Power, 62) // powers in the file
		switch id {
		case ptauHeader:
			if err := p.header(size, info); err != nil {
				return nil, nil, err
			}
			haveHeader = true
			if uint64(1)<<info.Power < N {
				return nil, nil, fmt.Errorf("%w: it has 2^%d powers, the circuit's domain is 2^%d (use a file of power %d or more)",
					ErrPtauTooSmall, info.Power, bits.TrailingZeros64(N), bits.TrailingZeros64(N))
			}
		case ptauTauG1:
			if c.G1.Tau, err = p.g1s(size, 2*full-1, 2*N-1, "tauG1"); err != nil {
				return nil, nil, err
			}
		case ptauTauG2:
			if c.G2.Tau, err = p.g2s(size, full, N, "tauG2"); err != nil {
				return nil, nil, err
			}
		case ptauAlphaTauG1:
			if c.G1.AlphaTau, err = p.g1s(size, full, N, "alphaTauG1"); err != nil {
				return nil, nil, err
			}
		case ptauBetaTauG1:
			if c.G1.BetaTau, err = p.g1s(size, full, N, "betaTauG1"); err != nil {
				return nil, nil, err
			}
		case ptauBetaG2:
			b, err := p.g2s(size, 1, 1, "betaG2")
			if err != nil {
				return nil, nil, err
			}
			c.G2.Beta = b[0]
		case ptauContributions:
			if size < 4 {
				return nil, nil, fmt.Errorf("contributions section of %d bytes", size)
			}
			n, err := p.u32()
			if err != nil {
				return nil, nil, err
			}
			info.Contributions = int(n)
			if err := p.skip(size - 4); err != nil {
				return nil, nil, err
			}
		default: // e.g. the Lagrange-basis sections of a "prepared" file
			if err := p.skip(size); err != nil {
				return nil, nil, err
			}
		}
	}
	for id := uint32(ptauHeader); id <= ptauBetaG2; id++ {
		if !seen[id] {
			return nil, nil, fmt.Errorf("section %d is missing", id)
		}
	}
	// Hash whatever follows the last section too: the pinned hash is the file's.
	if _, err := io.Copy(io.Discard, p); err != nil {
		return nil, nil, err
	}
	info.Bytes = p.n
	info.SHA256 = hex.EncodeToString(p.sha.Sum(nil))
	info.BLAKE2b = hex.EncodeToString(p.b2.Sum(nil))
	return c, info, nil
}

func (p *ptauReader) header(size uint64, info *PtauInfo) error {
	if size != 4+fp.Bytes+4+4 {
		return fmt.Errorf("header of %d bytes, want %d (BN254)", size, 4+fp.Bytes+8)
	}
	n8, err := p.u32()
	if err != nil {
		return err
	}
	var q [fp.Bytes]byte
	if _, err := io.ReadFull(p, q[:]); err != nil {
		return err
	}
	want := fp.Modulus().FillBytes(make([]byte, fp.Bytes))
	for i := range q { // q is little-endian in the file
		if q[i] != want[fp.Bytes-1-i] {
			return errors.New("the file is not for BN254 (bn128): its base field differs")
		}
	}
	if n8 != fp.Bytes {
		return fmt.Errorf("field element size %d, want %d", n8, fp.Bytes)
	}
	power, err := p.u32()
	if err != nil {
		return err
	}
	ceremonyPower, err := p.u32()
	if err != nil {
		return err
	}
	if power < 1 || power > 28+8 { // the largest public ceremonies are 2^28
		return fmt.Errorf("power %d out of range", power)
	}
	info.Power, info.CeremonyPower = int(power), int(ceremonyPower)
	return nil
}

// element decodes a Montgomery-form little-endian field element: its
// limbs are gnark-crypto's internal representation as they stand.
func element(b []byte) (fp.Element, error) {
	var canon [fp.Bytes]byte
	copy(canon[:], b)
	if _, err := fp.LittleEndian.Element(&canon); err != nil { // checks < q
		return fp.Element{}, err
	}
	var e fp.Element
	for i := range e {
		e[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return e, nil
}

func isZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

// points reads the first keep of total fixed-size points of a section and
// skips the rest.
func (p *ptauReader) points(size, total, keep uint64, pointSize int, name string) ([]byte, error) {
	if size != total*uint64(pointSize) {
		return nil, fmt.Errorf("section %s has %d bytes, want %d points of %d bytes", name, size, total, pointSize)
	}
	buf := make([]byte, keep*uint64(pointSize))
	if _, err := io.ReadFull(p, buf); err != nil {
		return nil, err
	}
	return buf, p.skip(size - uint64(len(buf)))
}

func (p *ptauReader) g1s(size, total, keep uint64, name string) ([]curve.G1Affine, error) {
	buf, err := p.points(size, total, keep, ptauG1Size, name)
	if err != nil {
		return nil, err
	}
	out := make([]curve.G1Affine, keep)
	var bad error
	errs := make(chan error, 1)
	parallel.Execute(int(keep), func(start, end int) {
		for i := start; i < end; i++ {
			if err := decodeG1(&out[i], buf[i*ptauG1Size:]); err != nil {
				select {
				case errs <- fmt.Errorf("%s[%d]: %w", name, i, err):
				default:
				}
				return
			}
		}
	})
	select {
	case bad = <-errs:
	default:
	}
	return out, bad
}

func (p *ptauReader) g2s(size, total, keep uint64, name string) ([]curve.G2Affine, error) {
	buf, err := p.points(size, total, keep, ptauG2Size, name)
	if err != nil {
		return nil, err
	}
	out := make([]curve.G2Affine, keep)
	var bad error
	errs := make(chan error, 1)
	parallel.Execute(int(keep), func(start, end int) {
		for i := start; i < end; i++ {
			if err := decodeG2(&out[i], buf[i*ptauG2Size:]); err != nil {
				select {
				case errs <- fmt.Errorf("%s[%d]: %w", name, i, err):
				default:
				}
				return
			}
		}
	})
	select {
	case bad = <-errs:
	default:
	}
	return out, bad
}

var errInfinity = errors.New("point at infinity")

func decodeG1(q *curve.G1Affine, b []byte) error {
	if isZero(b[:ptauG1Size]) {
		return errInfinity // no power of τ, α or β is the identity
	}
	var err error
	if q.X, err = element(b[0:]); err != nil {
		return err
	}
	if q.Y, err = element(b[32:]); err != nil {
		return err
	}
	if !q.IsOnCurve() || !q.IsInSubGroup() {
		return errors.New("not on the curve")
	}
	return nil
}

func decodeG2(q *curve.G2Affine, b []byte) error {
	if isZero(b[:ptauG2Size]) {
		return errInfinity
	}
	var err error
	for i, e := range []*fp.Element{&q.X.A0, &q.X.A1, &q.Y.A0, &q.Y.A1} {
		if *e, err = element(b[32*i:]); err != nil {
			return err
		}
	}
	if !q.IsOnCurve() || !q.IsInSubGroup() {
		return errors.New("not on the curve or not in the subgroup")
	}
	return nil
}

// WritePtau writes c as a .ptau file of power log2(N) with no
// contributions listed (tests; real files come from public ceremonies).
func WritePtau(w io.Writer, c *mpcsetup.SrsCommons) error {
	N := uint64(len(c.G2.Tau))
	power := uint32(bits.TrailingZeros64(N))
	bw := bufio.NewWriter(w)
	le := binary.LittleEndian
	put32 := func(v uint32) { bw.Write(le.AppendUint32(nil, v)) }
	put64 := func(v uint64) { bw.Write(le.AppendUint64(nil, v)) }
	putFp := func(e *fp.Element) {
		for _, l := range e { // Montgomery limbs, little-endian
			bw.Write(le.AppendUint64(nil, l))
		}
	}
	g1 := func(ps []curve.G1Affine) {
		for i := range ps {
			putFp(&ps[i].X)
			putFp(&ps[i].Y)
		}
	}
	g2 := func(ps []curve.G2Affine) {
		for i := range ps {
			putFp(&ps[i].X.A0)
			putFp(&ps[i].X.A1)
			putFp(&ps[i].Y.A0)
			putFp(&ps[i].Y.A1)
		}
	}
	bw.WriteString(ptauMagic)
	put32(ptauVersion)
	put32(7)
	put32(ptauHeader)
	put64(4 + fp.Bytes + 8)
	put32(fp.Bytes)
	q := fp.Modulus().FillBytes(make([]byte, fp.Bytes))
	for i := range q {
		bw.WriteByte(q[fp.Bytes-1-i])
	}
	put32(power)
	put32(power)
	put32(ptauTauG1)
	put64(uint64(len(c.G1.Tau)) * ptauG1Size)
	g1(c.G1.Tau)
	put32(ptauTauG2)
	put64(uint64(len(c.G2.Tau)) * ptauG2Size)
	g2(c.G2.Tau)
	put32(ptauAlphaTauG1)
	put64(uint64(len(c.G1.AlphaTau)) * ptauG1Size)
	g1(c.G1.AlphaTau)
	put32(ptauBetaTauG1)
	put64(uint64(len(c.G1.BetaTau)) * ptauG1Size)
	g1(c.G1.BetaTau)
	put32(ptauBetaG2)
	put64(ptauG2Size)
	g2([]curve.G2Affine{c.G2.Beta})
	put32(ptauContributions)
	put64(4)
	put32(0)
	return bw.Flush()
}
