package code

import (
	"context"

	"gradjudge"
)

// pool bounds how many code submissions are judged at once (slots) and how many may wait for a
// slot (the rest of admit). A submission that finds no room is refused at once: the caller gets
// ERATELIMIT and the service answers 429 or 503. It starts no goroutines: each submission is
// judged on its caller's goroutine once it holds a slot.
type pool struct {
	admit chan struct{} // capacity workers + queue: submissions judged or waiting
	slots chan struct{} // capacity workers: submissions being judged
}

func newPool(workers, queue int) *pool {
	return &pool{admit: make(chan struct{}, workers+queue), slots: make(chan struct{}, workers)}
}

// errBusy is the answer when the queue is full.
func errBusy() error {
	return &gradjudge.Error{Code: gradjudge.ERATELIMIT, Op: "judge code",
		Message: "the code judge is busy: too many submissions are waiting; try again in a few seconds"}
}

// acquire waits for a slot, or fails at once with ERATELIMIT when the queue is full, or with
// ctx's error when ctx ends first. release must be called once when the judging is done.
func (p *pool) acquire(ctx context.Context) (release func(), err error) {
	select {
	case p.admit <- struct{}{}:
	default:
		return nil, errBusy()
	}
	select {
	case p.slots <- struct{}{}:
		return func() { <-p.slots; <-p.admit }, nil
	case <-ctx.Done():
		<-p.admit
		return nil, ctx.Err()
	}
}
