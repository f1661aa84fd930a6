package match

import (
	"crypto/sha256"
	"sync"

	"github.com/bathnes/signpost/knowledge"
)

// trainedModels keeps the last few models trained, by what they were
// trained from. Training costs about half a second (ten times that under
// the race detector) and a process builds a Matcher over the same base
// many times: a reload of an unchanged file, every test. A model is a pure
// function of its base and its examples, so a cached one is the one
// training would give; this is the one package-level value in the core,
// and it holds nothing that could differ between callers.
var trainedModels = &modelCache{max: 4}

type modelCache struct {
	mu     sync.Mutex
	max    int
	keys   [][sha256.Size]byte
	models []*model
}

// modelKey is what a model is trained from: the base's files, and the
// examples (a tuning run trains on a part of them).
func modelKey(base *knowledge.Base, exs []knowledge.Example) [sha256.Size]byte {
	h := sha256.New()
	h.Write(base.Digest[:])
	for _, ex := range exs {
		h.Write([]byte(ex.Entry))
		h.Write([]byte{0})
		h.Write([]byte(ex.Text))
		h.Write([]byte{0})
	}
	var k [sha256.Size]byte
	copy(k[:], h.Sum(nil))
	return k
}

// get returns the model for key, training it with train when it is not
// kept. Concurrent callers for one key may both train; both get a model
// equal to the other's.
func (c *modelCache) get(key [sha256.Size]byte, train func() *model) *model {
	c.mu.Lock()
	for i, k := range c.keys {
		if k == key {
			m := c.models[i]
			c.mu.Unlock()
			return m
		}
	}
	c.mu.Unlock()
	m := train()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keys = append(c.keys, key)
	c.models = append(c.models, m)
	if len(c.keys) > c.max {
		c.keys, c.models = c.keys[1:], c.models[1:]
	}
	return m
}
