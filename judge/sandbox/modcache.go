package sandbox

import (
	"container/list"
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
)

// moduleCache keeps up to max compiled modules by the SHA-256 of their bytes, least recently
// used first out. An entry in use is closed only when its last user releases it.
type moduleCache struct {
	rt      wazero.Runtime
	max     int
	mu      sync.Mutex
	entries map[[sha256.Size]byte]*list.Element // of *cachedModule
	order   list.List                           // front: most recently used
}

type cachedModule struct {
	key     [sha256.Size]byte
	mod     wazero.CompiledModule
	users   int
	evicted bool
}

func newModuleCache(rt wazero.Runtime, max int) *moduleCache {
	return &moduleCache{rt: rt, max: max, entries: map[[sha256.Size]byte]*list.Element{}}
}

// get returns the compiled module for wasm, compiling it on a miss, how long compiling took
// (zero on a hit), and the release function the caller must call when done with it.
func (c *moduleCache) get(ctx context.Context, wasm []byte) (wazero.CompiledModule, time.Duration, func(), error) {
	key := sha256.Sum256(wasm)
	if m := c.acquire(key); m != nil {
		return m.mod, 0, c.releaser(m), nil
	}
	start := time.Now()
	mod, err := c.rt.CompileModule(ctx, wasm)
	if err != nil {
		return nil, 0, nil, err
	}
	took := time.Since(start)
	m := c.insert(ctx, key, mod)
	return m.mod, took, c.releaser(m), nil
}

func (c *moduleCache) acquire(key [sha256.Size]byte) *cachedModule {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil
	}
	c.order.MoveToFront(e)
	m := e.Value.(*cachedModule)
	m.users++
	return m
}

// insert adds mod under key, or keeps the entry a concurrent compilation added first, and
// evicts the least recently used entries beyond max.
func (c *moduleCache) insert(ctx context.Context, key [sha256.Size]byte, mod wazero.CompiledModule) *cachedModule {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		_ = mod.Close(ctx)
		m := e.Value.(*cachedModule)
		m.users++
		return m
	}
	m := &cachedModule{key: key, mod: mod, users: 1}
	c.entries[key] = c.order.PushFront(m)
	for c.order.Len() > c.max {
		c.evict(ctx, c.order.Back())
	}
	return m
}

func (c *moduleCache) evict(ctx context.Context, e *list.Element) {
	m := c.order.Remove(e).(*cachedModule)
	delete(c.entries, m.key)
	m.evicted = true
	if m.users == 0 {
		_ = m.mod.Close(ctx)
	}
}

func (c *moduleCache) releaser(m *cachedModule) func() {
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		m.users--
		if m.users == 0 && m.evicted {
			_ = m.mod.Close(context.Background())
		}
	}
}

// len returns the number of cached modules.
func (c *moduleCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
