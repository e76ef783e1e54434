// Package ratelimit is a token bucket per key, shared by the API (submissions by user id,
// logins by a hash of the email) and the web pages (sign-ins by email), and the sign-in limit per
// client address that both check first. It imports only the standard library.
package ratelimit

import (
	"math"
	"sync"
	"time"
)

// DefaultMaxKeys bounds a Limiter's memory unless Config.MaxKeys says otherwise.
const DefaultMaxKeys = 100_000

// Config configures a Limiter.
type Config struct {
	// PerMinute is how many tokens a key earns a minute; 0 or less disables limiting.
	PerMinute int
	// Burst is how many tokens a key holds at most, and starts with; at least 1.
	Burst int
	// MaxKeys bounds the buckets kept; zero means DefaultMaxKeys.
	MaxKeys int
	// RefuseWhenFull chooses what a full Limiter does with a new key once the buckets that have
	// refilled are dropped and none was. False: it drops arbitrary buckets, down to three
	// quarters of MaxKeys, which forgives those keys a little; a new key is always served.
	// True: it refuses new keys until a bucket can have refilled, so that a flood of new keys
	// cannot reset the bucket of a key under attack (sign-ins), at the price of newcomers.
	RefuseWhenFull bool
	// Now is the clock; default time.Now. Tests pass their own and never sleep.
	Now func() time.Time
}

// Limiter is a token bucket per key: Burst tokens, refilled at PerMinute a minute. It is safe for
// concurrent use. A nil *Limiter allows everything.
type Limiter[K comparable] struct {
	mu      sync.Mutex
	rate    float64 // tokens a second
	burst   float64
	size    int
	refuse  bool
	now     func() time.Time
	buckets map[K]*bucket
	// noEvictUntil spares a full, refusing map a scan per request: after a scan that freed
	// nothing, no bucket can be full again before this time.
	noEvictUntil time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// New returns a Limiter configured by c.
func New[K comparable](c Config) *Limiter[K] {
	if c.MaxKeys <= 0 {
		c.MaxKeys = DefaultMaxKeys
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return &Limiter[K]{rate: float64(c.PerMinute) / 60, burst: float64(max(c.Burst, 1)), size: c.MaxKeys,
		refuse: c.RefuseWhenFull, now: c.Now, buckets: map[K]*bucket{}}
}

// Allow takes one token for key. When none is left it returns false and how long until one is.
func (l *Limiter[K]) Allow(key K) (bool, time.Duration) {
	if l == nil || l.rate <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= l.size && !l.evict(now) {
			return false, l.noEvictUntil.Sub(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.refill(now, l.rate, l.burst)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration(math.Ceil((1 - b.tokens) / l.rate * float64(time.Second)))
}

// Len is the number of buckets kept.
func (l *Limiter[K]) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

func (b *bucket) refill(now time.Time, rate, burst float64) {
	if dt := now.Sub(b.at).Seconds(); dt > 0 {
		b.tokens = math.Min(burst, b.tokens+dt*rate)
		b.at = now
	}
}

// evict makes room in a full map and reports whether there is room. It drops the buckets that
// are full again (a full bucket is the same as no bucket). Then a refusing Limiter that freed
// none scans again only once a bucket can have refilled; the other drops arbitrary buckets down
// to three quarters of the cap, so that its scan runs at most once per size/4 new keys.
func (l *Limiter[K]) evict(now time.Time) bool {
	if now.Before(l.noEvictUntil) {
		return false
	}
	for k, b := range l.buckets {
		if b.refill(now, l.rate, l.burst); b.tokens >= l.burst {
			delete(l.buckets, k)
		}
	}
	if l.refuse {
		if len(l.buckets) >= l.size {
			l.noEvictUntil = now.Add(time.Duration(l.burst / l.rate * float64(time.Second)))
			return false
		}
		return true
	}
	for k := range l.buckets {
		if len(l.buckets) <= l.size*3/4 {
			break
		}
		delete(l.buckets, k)
	}
	return true
}
