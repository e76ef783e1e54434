package store

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"gradjudge"
)

// waiters wakes the WaitSubmission calls of this process when a submission is judged: at once when
// judged here, and otherwise at the next poll, which looks for every waited submission in one
// query. One query per interval for all waiters, not one per waiter, keeps a crowd of ?wait=true
// requests from taking the process's connections while verdicts come from other processes.
type waiters struct {
	mu   sync.Mutex
	byID map[int64]map[*chan struct{}]bool
	stop chan struct{}
	done sync.WaitGroup
}

// pollTimeout bounds one poll. Generous: when the pool is full the poll queues for a connection
// like any query, and one poll serves every waiter of the process.
const pollTimeout = 5 * time.Second

// newWaiters returns waiters that poll with judged every interval while anyone waits. judged
// returns which of ids have a verdict. Close stops the polling.
func newWaiters(interval time.Duration, judged func(ctx context.Context, ids []int64) ([]int64, error)) *waiters {
	w := &waiters{byID: make(map[int64]map[*chan struct{}]bool), stop: make(chan struct{})}
	w.done.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-t.C:
				w.poll(interval, judged)
			}
		}
	})
	return w
}

// poll wakes the waiters of every waited submission that judged says has a verdict. A failure
// (the database busy) is left to the next poll or the waiter's own timeout.
func (w *waiters) poll(interval time.Duration, judged func(ctx context.Context, ids []int64) ([]int64, error)) {
	w.mu.Lock()
	ids := slices.Collect(maps.Keys(w.byID))
	w.mu.Unlock()
	if len(ids) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), max(interval, pollTimeout))
	defer cancel()
	done, err := judged(ctx, ids)
	if err != nil {
		return
	}
	for _, id := range done {
		w.wake(id)
	}
}

// close stops the polling.
func (w *waiters) close() {
	close(w.stop)
	w.done.Wait()
}

// wait returns a channel closed when submission id is judged, and a function to stop waiting.
func (w *waiters) wait(id int64) (<-chan struct{}, func()) {
	ch := make(chan struct{})
	key := &ch
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.byID[id] == nil {
		w.byID[id] = make(map[*chan struct{}]bool)
	}
	w.byID[id][key] = true
	return ch, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.byID[id][key] {
			delete(w.byID[id], key)
			if len(w.byID[id]) == 0 {
				delete(w.byID, id)
			}
		}
	}
}

// wake closes the channels of every waiter on submission id.
func (w *waiters) wake(id int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for key := range w.byID[id] {
		close(*key)
	}
	delete(w.byID, id)
}

// judged returns which of the submissions ids are judged.
func (db *DB) judged(ctx context.Context, ids []int64) ([]int64, error) {
	var done []int64
	err := db.read.WithContext(ctx).Model(&submissionRow{}).Where("id IN ? AND status = ?", ids, string(gradjudge.SubmissionDone)).
		Pluck("id", &done).Error
	return done, err
}
