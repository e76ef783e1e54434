package store

import (
	"context"
	"errors"
	"sync"

	"gorm.io/gorm"
)

// maxBatch caps how many writes share one transaction.
const maxBatch = 256

// batcher commits the hot-path writes of many goroutines (new submissions, verdicts) in shared
// transactions: a group commit. SQLite runs one write transaction at a time and each commit
// waits for an fsync (synchronous=FULL), so one commit per submission would cap throughput at
// the disk's fsync rate; one commit per batch does not. Each write still returns only after its
// batch committed, so nothing is acknowledged before it is durable. Each write runs inside a
// savepoint, so a failing one does not undo the others.
//
// It waits for nothing: a batch is whatever queued while the previous one committed, so a lone
// write commits at once.
type batcher struct {
	db      *gorm.DB
	enqueue func(tx *gorm.DB, jobs []judgeArgs) error
	reqs    chan batchReq
	done    chan struct{} // closed when run has answered every request

	mu     sync.RWMutex // held for reading while sending to reqs, for writing to close it
	closed bool
}

type batchReq struct {
	ctx  context.Context
	fn   writeFn
	errc chan error
}

// writeFn is one write: it runs in tx and returns the judging jobs to insert with it, which
// are inserted together, in one statement per batch, before the commit.
type writeFn func(tx *gorm.DB) ([]judgeArgs, error)

func newBatcher(db *gorm.DB, enqueue func(tx *gorm.DB, jobs []judgeArgs) error) *batcher {
	b := &batcher{db: db, enqueue: enqueue, reqs: make(chan batchReq, maxBatch), done: make(chan struct{})}
	go b.run()
	return b
}

// do runs fn in the next batch's transaction and returns its error, or the commit's, once the
// batch is committed or rolled back.
func (b *batcher) do(ctx context.Context, fn writeFn) error {
	req := batchReq{ctx: ctx, fn: fn, errc: make(chan error, 1)}
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return errors.New("store: database closed")
	}
	select {
	case b.reqs <- req:
	case <-ctx.Done():
		b.mu.RUnlock()
		return ctx.Err()
	}
	b.mu.RUnlock()
	// Wait even if ctx ends now: the write may commit, and the caller must know whether it did.
	return <-req.errc
}

// post queues fn for the next batch without waiting for it; its error is dropped.
func (b *batcher) post(ctx context.Context, fn writeFn) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return
	}
	select {
	case b.reqs <- batchReq{ctx: context.WithoutCancel(ctx), fn: fn, errc: make(chan error, 1)}:
	case <-ctx.Done():
	}
}

// close commits the queued writes and stops the batcher; later writes fail. It is idempotent.
func (b *batcher) close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.reqs)
	}
	b.mu.Unlock()
	<-b.done
}

func (b *batcher) run() {
	defer close(b.done)
	for req := range b.reqs {
		batch := append(make([]batchReq, 0, maxBatch), req)
	drain:
		for len(batch) < maxBatch {
			select {
			case r, ok := <-b.reqs:
				if !ok {
					break drain
				}
				batch = append(batch, r)
			default:
				break drain
			}
		}
		b.commit(batch)
	}
}

// commit runs batch in one transaction and answers every request.
func (b *batcher) commit(batch []batchReq) {
	errs := make([]error, len(batch))
	var jobs []judgeArgs
	err := b.db.Transaction(func(tx *gorm.DB) error {
		for i, r := range batch {
			if errs[i] = r.ctx.Err(); errs[i] != nil {
				continue // the caller gave up before its write began
			}
			// One name for every write's savepoint: each is released before the next begins,
			// and one statement text is one prepared statement.
			const sp = "w"
			if err := tx.SavePoint(sp).Error; err != nil {
				return err
			}
			// Not r.ctx itself: cancelling a statement interrupts SQLite, which rolls back the
			// whole transaction, everyone's writes included.
			more, err := r.fn(tx.WithContext(context.WithoutCancel(r.ctx)))
			if errs[i] = err; err != nil {
				if err := tx.RollbackTo(sp).Error; err != nil {
					return err
				}
				continue
			}
			// Released, a savepoint costs nothing more; kept, every later write would copy
			// its pages into the journal once per open savepoint.
			if err := tx.Exec("RELEASE SAVEPOINT " + sp).Error; err != nil {
				return err
			}
			jobs = append(jobs, more...)
		}
		return b.enqueue(tx, jobs)
	})
	for i, r := range batch {
		if err != nil {
			errs[i] = err
		}
		r.errc <- errs[i]
	}
}
