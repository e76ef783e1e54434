package code

import (
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"sync"

	"gradjudge"
)

// verdictKey identifies a submission by content: the exercise, the seed and the source.
type verdictKey [sha256.Size]byte

func keyOf(exercise string, seed uint64, code string) verdictKey {
	h := sha256.New()
	h.Write([]byte(exercise))
	h.Write([]byte{0})
	h.Write(binary.BigEndian.AppendUint64(nil, seed))
	h.Write([]byte(code))
	var k verdictKey
	h.Sum(k[:0])
	return k
}

// verdictCache keeps the latest verdicts by content, least recently used first out. It is safe
// for concurrent use; the verdicts it returns are copies.
type verdictCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *cacheEntry, most recent at the front
	byKey map[verdictKey]*list.Element
}

type cacheEntry struct {
	key verdictKey
	v   gradjudge.Verdict
}

func newVerdictCache(max int) *verdictCache {
	return &verdictCache{max: max, order: list.New(), byKey: map[verdictKey]*list.Element{}}
}

func (c *verdictCache) get(k verdictKey) (gradjudge.Verdict, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[k]
	if !ok {
		return gradjudge.Verdict{}, false
	}
	c.order.MoveToFront(e)
	return cloneVerdict(e.Value.(*cacheEntry).v), true
}

func (c *verdictCache) put(k verdictKey, v gradjudge.Verdict) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[k]; ok {
		e.Value.(*cacheEntry).v = cloneVerdict(v)
		c.order.MoveToFront(e)
		return
	}
	c.byKey[k] = c.order.PushFront(&cacheEntry{key: k, v: cloneVerdict(v)})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*cacheEntry).key)
	}
}

func (c *verdictCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// cloneVerdict copies v's slices so that no two holders share them.
func cloneVerdict(v gradjudge.Verdict) gradjudge.Verdict {
	v.Results = slices.Clone(v.Results)
	for i := range v.Results {
		v.Results[i].Tags = slices.Clone(v.Results[i].Tags)
	}
	v.Misconceptions = slices.Clone(v.Misconceptions)
	v.Feedback = slices.Clone(v.Feedback)
	v.Timings = slices.Clone(v.Timings)
	return v
}
