package protocoltest

import (
	"context"
	"sync"

	"github.com/sheafrollup/sheaf/protocol"
)

// AlternatingDA is a scripted data-availability chooser for an auto
// deployment's tests (the sequencer's DAChooser): the first batch with
// transfers goes as a blob, the next as calldata, and so on; batches
// without transfers go as calldata. Test batches are far too small for
// blobs ever to pay at real fees, so tests script the choice to get both.
type AlternatingDA struct {
	mu sync.Mutex
	n  int
}

// ChooseDA answers the next mode of the alternation.
func (c *AlternatingDA) ChooseDA(_ context.Context, _ protocol.Config, transfers int, _ []byte) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if transfers == 0 {
		return protocol.DACalldata, nil
	}
	c.n++
	if c.n%2 == 1 {
		return protocol.DABlob, nil
	}
	return protocol.DACalldata, nil
}
