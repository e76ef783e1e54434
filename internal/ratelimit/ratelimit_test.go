package ratelimit

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// TestBucket: a key spends its burst, then earns a token at the rate; Retry-After-style waits
// say when; keys are separate; a PerMinute of 0 and a nil Limiter allow everything.
func TestBucket(t *testing.T) {
	now := t0
	l := New[string](Config{PerMinute: 60, Burst: 2, Now: func() time.Time { return now }})
	for i, want := range []bool{true, true, false} {
		if ok, _ := l.Allow("a"); ok != want {
			t.Fatalf("request %d: allowed %v, want %v", i, ok, want)
		}
	}
	if ok, retry := l.Allow("a"); ok || retry != time.Second {
		t.Errorf("empty bucket: %v, %s; want false, 1s", ok, retry)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Error("another key was refused")
	}
	now = now.Add(time.Second)
	if ok, _ := l.Allow("a"); !ok {
		t.Error("a token earned after a second was refused")
	}
	if ok, _ := New[int64](Config{PerMinute: 0, Burst: 1}).Allow(1); !ok {
		t.Error("PerMinute 0 limited")
	}
	var none *Limiter[int64]
	if ok, _ := none.Allow(1); !ok {
		t.Error("a nil Limiter limited")
	}
}

// TestMemoryIsBounded (the API's limiter): a flood of keys that each keep a bucket that is not
// full stays within MaxKeys, and the newest key still has its tokens.
func TestMemoryIsBounded(t *testing.T) {
	now := t0
	l := New[int64](Config{PerMinute: 1, Burst: 5, Now: func() time.Time { return now }})
	for key := range int64(DefaultMaxKeys + 10) {
		l.Allow(key) // each key keeps a bucket that is not full
	}
	if n := l.Len(); n > DefaultMaxKeys {
		t.Errorf("%d buckets after %d keys; want at most %d", n, DefaultMaxKeys+10, DefaultMaxKeys)
	}
	if ok, _ := l.Allow(DefaultMaxKeys + 9); !ok {
		t.Errorf("the newest key should still have tokens")
	}
}

// TestRefuseWhenFull (the web sign-in limiter): a full limiter drops buckets that refilled; when
// none has, it refuses new keys until one can have, without scanning on every request.
func TestRefuseWhenFull(t *testing.T) {
	now := t0
	l := New[string](Config{PerMinute: 60, Burst: 2, MaxKeys: 2, RefuseWhenFull: true, Now: func() time.Time { return now }}) // a token a second
	for _, k := range []string{"a", "b"} {
		if ok, _ := l.Allow(k); !ok {
			t.Fatalf("%s refused", k)
		}
	}
	if ok, retry := l.Allow("c"); ok || retry != 2*time.Second {
		t.Errorf("full limiter: Allow(c) = %v, %s; want false, 2s", ok, retry)
	}
	now = now.Add(time.Second)
	if ok, _ := l.Allow("c"); ok {
		t.Error("c allowed before any bucket refilled")
	}
	now = now.Add(time.Second)
	if ok, _ := l.Allow("c"); !ok || l.Len() != 1 {
		t.Errorf("after the refill: allowed %v with %d buckets, want true with 1", ok, l.Len())
	}
}
