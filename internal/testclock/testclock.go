// Package testclock is the settable clock of tests that inject time: it stands still until a test
// moves it, so that tests move time rather than sleep. Safe for concurrent use.
package testclock

import (
	"sync"
	"time"
)

// Clock is a time source that reads the time it was last set or moved to.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// New returns a clock that reads at until it is moved.
func New(at time.Time) *Clock { return &Clock{now: at} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
