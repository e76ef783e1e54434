package testclock

import (
	"sync"
	"testing"
	"time"
)

// TestClockMovesOnlyWhenMoved: the clock reads its start until advanced, and concurrent advances
// all count.
func TestClockMovesOnlyWhenMoved(t *testing.T) {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	c := New(start)
	if got := c.Now(); !got.Equal(start) {
		t.Fatalf("new clock reads %v, want %v", got, start)
	}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { c.Advance(time.Minute) })
	}
	wg.Wait()
	if got, want := c.Now(), start.Add(10*time.Minute); !got.Equal(want) {
		t.Fatalf("after ten minutes' advances the clock reads %v, want %v", got, want)
	}
	if c.Set(start); !c.Now().Equal(start) {
		t.Fatalf("set back to %v, the clock reads %v", start, c.Now())
	}
}
