package web

import (
	"math"
	"sync"
	"time"
)

// maxRateBuckets bounds the limiter's memory: past it, buckets that have refilled are dropped, and
// when none has, new keys are refused until one does.
const maxRateBuckets = 100_000

// rateLimiter is a token bucket per key (a lower-cased email): burst tokens, refilled at rate per
// second. It is safe for concurrent use; time comes from now so that tests never sleep. The API
// keeps its own limiter for its login route; the two are separate so that neither package reaches
// into the other.
type rateLimiter struct {
	mu      sync.Mutex
	rate    float64 // tokens a second
	burst   float64
	size    int // most buckets kept: maxRateBuckets
	now     func() time.Time
	buckets map[string]*bucket
	// noEvictUntil spares a full map a scan per request: after a scan that freed nothing, no
	// bucket can be full again before this time.
	noEvictUntil time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// newRateLimiter returns a limiter allowing perMinute requests a minute in bursts of burst.
func newRateLimiter(perMinute, burst int, now func() time.Time) *rateLimiter {
	return &rateLimiter{rate: float64(perMinute) / 60, burst: float64(max(burst, 1)), size: maxRateBuckets, now: now, buckets: map[string]*bucket{}}
}

// allow takes one token for key. When none is left it returns false and how long until one is.
func (l *rateLimiter) allow(key string) (bool, time.Duration) {
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
	if dt := now.Sub(b.at).Seconds(); dt > 0 {
		b.tokens = math.Min(l.burst, b.tokens+dt*l.rate)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration(math.Ceil((1 - b.tokens) / l.rate * float64(time.Second)))
}

// evict drops the buckets that are full again, which behave like absent ones, and reports whether
// it freed any. When it frees none it scans again only once a bucket could have refilled.
func (l *rateLimiter) evict(now time.Time) bool {
	if now.Before(l.noEvictUntil) {
		return false
	}
	freed := false
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
			freed = true
		}
	}
	if !freed {
		l.noEvictUntil = now.Add(time.Duration(l.burst / l.rate * float64(time.Second)))
	}
	return freed
}
