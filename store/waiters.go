package store

import "sync"

// waiters wakes the WaitSubmission calls of this process when a submission is judged here.
type waiters struct {
	mu   sync.Mutex
	byID map[int64]map[*chan struct{}]bool
}

func newWaiters() *waiters {
	return &waiters{byID: make(map[int64]map[*chan struct{}]bool)}
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
