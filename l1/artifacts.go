package l1

import (
	"embed"
	"encoding/json"
	"fmt"

	"github.com/ethereum/go-ethereum/common/hexutil"
)

//go:embed artifacts/*.json
var artifactFS embed.FS

// Artifact is one compiled contract as scripts/compile.js writes it.
type Artifact struct {
	ContractName     string          `json:"contractName"`
	SourceName       string          `json:"sourceName"`
	ABI              json.RawMessage `json:"abi"`
	Bytecode         hexutil.Bytes   `json:"bytecode"`
	DeployedBytecode hexutil.Bytes   `json:"deployedBytecode"`
}

// LoadArtifact reads a committed artifact by contract name (e.g. "Rollup").
func LoadArtifact(name string) (*Artifact, error) {
	b, err := artifactFS.ReadFile("artifacts/" + name + ".json")
	if err != nil {
		return nil, fmt.Errorf("artifact %s: %w", name, err)
	}
	return ParseArtifact(b)
}

// ParseArtifact decodes an artifact file.
func ParseArtifact(b []byte) (*Artifact, error) {
	var a Artifact
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, fmt.Errorf("artifact: %w", err)
	}
	if len(a.Bytecode) == 0 {
		return nil, fmt.Errorf("artifact %s: no bytecode", a.ContractName)
	}
	return &a, nil
}
