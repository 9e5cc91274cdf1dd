package ceremony

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sheafrollup/sheaf/circuits/keys"
)

var (
	// ErrNotCeremony: the keys do not come from a finalized ceremony.
	ErrNotCeremony = errors.New("the keys are not from a multi-party ceremony")
	// ErrInsecurePhase1: the ceremony used the test-only phase 1.
	ErrInsecurePhase1 = errors.New("the keys were made on the INSECURE test-only phase 1")
)

// Transcript is transcript.json: what a ceremony's keys were made from,
// for anyone to check with `sheaf ceremony verify`.
type Transcript struct {
	Version    int         `json:"version"`
	Circuit    CircuitInfo `json:"circuit"`
	Phase1     Phase1Info  `json:"phase1"`
	Phase2     Phase2Info  `json:"phase2"`
	Beacon     string      `json:"beacon"`                // hex, as given to finalize
	BeaconNote string      `json:"beacon_note,omitempty"` // where the beacon comes from (e.g. a drand round)
	Keys       KeyHashes   `json:"keys"`
	Gnark      string      `json:"gnark"` // gnark version that sealed the keys
}

// Phase2Info lists the phase-2 states by SHA-256.
type Phase2Info struct {
	Init          string   `json:"init"`          // phase2.0000
	Contributions []string `json:"contributions"` // phase2.0001, …
}

// KeyHashes are the SHA-256 of the files finalize writes.
type KeyHashes struct {
	ProvingKey   string `json:"proving_key"`
	VerifyingKey string `json:"verifying_key"`
	Verifier     string `json:"verifier"`
}

func newTranscript(c *Chain, beacon []byte, note string) *Transcript {
	return &Transcript{
		Version: ManifestVersion, Circuit: c.Manifest.Circuit, Phase1: c.Manifest.Phase1,
		Phase2: Phase2Info{Init: c.Init, Contributions: slices.Clone(c.Contributions)},
		Beacon: hex.EncodeToString(beacon), BeaconNote: note, Gnark: GnarkVersion,
	}
}

// ReadTranscript reads dir's transcript.json.
func ReadTranscript(dir string) (*Transcript, error) {
	var t Transcript
	if err := readJSON(filepath.Join(dir, TranscriptFile), &t); err != nil {
		return nil, err
	}
	if t.Version != ManifestVersion {
		return nil, fmt.Errorf("%s: version %d, this binary reads %d", TranscriptFile, t.Version, ManifestVersion)
	}
	return &t, nil
}

func (t *Transcript) beacon() ([]byte, error) {
	b, err := hex.DecodeString(t.Beacon)
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("%s: beacon %q is not hex", TranscriptFile, t.Beacon)
	}
	return b, nil
}

// checkChain compares the transcript with a verified chain.
func (t *Transcript) checkChain(c *Chain) error {
	switch {
	case t.Circuit != c.Manifest.Circuit:
		return fmt.Errorf("%w: the transcript's circuit %s (%.16s…) is not the ceremony's", ErrKeys, t.Circuit.Name, t.Circuit.Hash)
	case t.Phase1.SHA256 != c.Manifest.Phase1.SHA256 || t.Phase1.Source != c.Manifest.Phase1.Source:
		return fmt.Errorf("%w: the transcript's phase 1 (%s %s) is not the ceremony's", ErrKeys, t.Phase1.Source, t.Phase1.SHA256)
	case t.Phase2.Init != c.Init || !slices.Equal(t.Phase2.Contributions, c.Contributions):
		return fmt.Errorf("%w: the transcript lists phase-2 states %s + %d contributions, the directory holds %s + %d",
			ErrKeys, t.Phase2.Init, len(t.Phase2.Contributions), c.Init, len(c.Contributions))
	}
	return nil
}

// hashKeys fills t.Keys from the set's serializations (the bytes
// keys.Set.Write stores).
func (t *Transcript) hashKeys(s *keys.Set) error {
	var err error
	if t.Keys.ProvingKey, err = hashOf(writerToFunc(s.PK.WriteRawTo)); err != nil {
		return err
	}
	if t.Keys.VerifyingKey, err = hashOf(writerToFunc(s.VK.WriteTo)); err != nil {
		return err
	}
	t.Keys.Verifier, err = hashOf(writerToFunc(func(w io.Writer) (int64, error) { return 0, s.VK.ExportSolidity(w) }))
	return err
}

// compareKeys checks that the files in dir are the sealed set's, and that
// the transcript says so.
func compareKeys(dir string, s *keys.Set, t *Transcript) error {
	var want Transcript
	if err := want.hashKeys(s); err != nil {
		return err
	}
	for _, f := range []struct{ name, sealed, listed string }{
		{keys.VerifyingKeyFile, want.Keys.VerifyingKey, t.Keys.VerifyingKey},
		{keys.VerifierFile, want.Keys.Verifier, t.Keys.Verifier},
		{keys.ProvingKeyFile, want.Keys.ProvingKey, t.Keys.ProvingKey},
	} {
		got, err := FileSHA256(filepath.Join(dir, f.name))
		if err != nil {
			return err
		}
		if got != f.sealed {
			return fmt.Errorf("%w: %s (sha256 %s) is not the key sealed from this ceremony (sha256 %s)", ErrKeys, f.name, got, f.sealed)
		}
		if f.listed != f.sealed {
			return fmt.Errorf("%w: %s lists %s as %s, sealed %s", ErrKeys, TranscriptFile, f.name, f.listed, f.sealed)
		}
	}
	m, err := keys.ReadMeta(dir)
	if err != nil {
		return err
	}
	if m.CircuitHash != s.Meta.CircuitHash || m.Config != s.Meta.Config {
		return fmt.Errorf("%w: %s names circuit %s (%.16s…)", ErrKeys, keys.MetaFile, m.Config, m.CircuitHash)
	}
	return nil
}

// ceremonyLabel is meta.json's "ceremony" field for finalized keys.
func ceremonyLabel(c *Chain, beacon []byte) string {
	p1 := c.Manifest.Phase1
	if p1.Source != SourcePtau || p1.Ptau == nil {
		return InsecureLabel
	}
	return fmt.Sprintf("%s %d phase-2 contributions on Powers of Tau sha256 %.16s… (2^%d), beacon %x; see %s",
		LabelPrefix, len(c.Contributions), p1.Ptau.SHA256, p1.Ptau.Power, beacon, TranscriptFile)
}

// meta.json "ceremony" values of finalized keys.
const (
	LabelPrefix   = "mpc:"
	InsecureLabel = "mpc on the INSECURE test-only phase 1 (UNSAFE: development only)"
)

// CheckKeys is what `sheaf deploy` asks of keys without --dev: they come
// from a finalized ceremony on a Powers-of-Tau phase 1 with at least one
// contribution, and the verifying key and Verifier.sol are the ones the
// transcript lists. (Re-verifying the contributions needs the ceremony
// directory: `sheaf ceremony verify --keys.dir`.)
func CheckKeys(dir string) (*Transcript, error) {
	m, err := keys.ReadMeta(dir)
	if err != nil {
		return nil, err
	}
	t, err := ReadTranscript(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %s says %q and has no readable %s (%v)", ErrNotCeremony, dir, m.Ceremony, TranscriptFile, err)
	}
	switch {
	case t.Phase1.Source == SourceInsecure || m.Ceremony == InsecureLabel:
		return nil, fmt.Errorf("%w (%s)", ErrInsecurePhase1, dir)
	case t.Phase1.Source != SourcePtau || !strings.HasPrefix(m.Ceremony, LabelPrefix):
		return nil, fmt.Errorf("%w: %s says %q, phase 1 %q", ErrNotCeremony, dir, m.Ceremony, t.Phase1.Source)
	case len(t.Phase2.Contributions) == 0:
		return nil, fmt.Errorf("%w: the transcript lists no phase-2 contribution", ErrNotCeremony)
	case t.Circuit.Hash != m.CircuitHash || t.Circuit.Config != m.Config || t.Circuit.Kind != m.Circuit:
		return nil, fmt.Errorf("%w: the transcript is for circuit %s (%.16s…), meta.json for %q %s (%.16s…)", ErrKeys, t.Circuit.Name, t.Circuit.Hash, m.Circuit, m.Config, m.CircuitHash)
	}
	for _, f := range []struct{ name, listed string }{
		{keys.VerifyingKeyFile, t.Keys.VerifyingKey},
		{keys.VerifierFile, t.Keys.Verifier},
	} {
		got, err := FileSHA256(filepath.Join(dir, f.name))
		if err != nil {
			return nil, err
		}
		if got != f.listed {
			return nil, fmt.Errorf("%w: %s (sha256 %s) is not the one the transcript lists (%s)", ErrKeys, f.name, got, f.listed)
		}
	}
	return t, nil
}
