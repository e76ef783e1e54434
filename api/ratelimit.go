package api

import (
	"math"
	"sync"
	"time"
)

// maxRateBuckets bounds the limiter's memory: past it, buckets that have refilled are dropped.
const maxRateBuckets = 100_000

// rateLimiter is a token bucket per key (a user id): burst tokens, refilled at rate per second.
// It is safe for concurrent use; time comes from now so that tests never sleep.
type rateLimiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	now     func() time.Time
	buckets map[int64]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// newRateLimiter returns a limiter allowing perMinute requests a minute with bursts of burst. A
// perMinute of 0 or less disables limiting.
func newRateLimiter(perMinute, burst int, now func() time.Time) *rateLimiter {
	return &rateLimiter{rate: float64(perMinute) / 60, burst: float64(max(burst, 1)), now: now, buckets: map[int64]*bucket{}}
}

// allow takes one token for key. When none is left it returns false and how long until one is.
func (l *rateLimiter) allow(key int64) (bool, time.Duration) {
	if l == nil || l.rate <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.buckets[key]
	if b == nil {
		l.evict(now)
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.refill(now, l.rate, l.burst)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration(math.Ceil((1 - b.tokens) / l.rate * float64(time.Second)))
	return false, wait
}

func (b *bucket) refill(now time.Time, rate, burst float64) {
	if dt := now.Sub(b.at).Seconds(); dt > 0 {
		b.tokens = math.Min(burst, b.tokens+dt*rate)
		b.at = now
	}
}

// evict makes room once the map is full: it drops full buckets (a full bucket is the same as no
// bucket), then, if that freed too little, arbitrary ones, down to three quarters of the cap, so
// that the scan runs at most once per maxRateBuckets/4 new keys. Dropping a bucket that is not full
// forgives that key a little; under a flood of new keys that is the price of bounded memory.
func (l *rateLimiter) evict(now time.Time) {
	if len(l.buckets) < maxRateBuckets {
		return
	}
	for k, b := range l.buckets {
		if b.refill(now, l.rate, l.burst); b.tokens >= l.burst {
			delete(l.buckets, k)
		}
	}
	for k := range l.buckets {
		if len(l.buckets) <= maxRateBuckets*3/4 {
			break
		}
		delete(l.buckets, k)
	}
}
