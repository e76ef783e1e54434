package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"gorm.io/gorm"

	"gradjudge"
	"gradjudge/migrations"
)

// The judging queues. Code submissions build and run a sandbox and take seconds; numeric ones take
// microseconds. Separate queues with separate worker counts keep a burst of code from delaying
// numeric verdicts.
const (
	QueueNumeric = "judge_numeric"
	QueueCode    = "judge_code"
)

// judgeMaxAttempts is how often a judging job runs before its submission is given an
// internal_error verdict. Only a broken judge (an error, not a verdict) uses up attempts.
const judgeMaxAttempts = 5

// judgeArgs is the judging job: judge submission SubmissionID. The submission row holds the
// payload; the job holds only its id.
type judgeArgs struct {
	SubmissionID int64 `json:"submission_id"`
}

// Kind is the River job kind. Never rename it: queued jobs carry it.
func (judgeArgs) Kind() string { return "judge_submission" }

// queueFor routes an answer to its queue.
func queueFor(a gradjudge.Answer) string {
	if a.Code != "" {
		return QueueCode
	}
	return QueueNumeric
}

// newInserter returns the River client that inserts judging jobs inside the store's database/sql
// transactions. It works no jobs: workers are a separate client (StartWorkers), possibly in
// another process. On PostgreSQL its insert sends a NOTIFY that wakes the workers; on SQLite
// River's notification table, polled every 50 ms, does the same.
func newInserter(db *DB) (*river.Client[*sql.Tx], error) {
	cfg := &river.Config{Logger: db.cfg.Logger, MaxAttempts: judgeMaxAttempts}
	var c *river.Client[*sql.Tx]
	var err error
	if db.dialect == migrations.Postgres {
		c, err = river.NewClient(riverdatabasesql.New(db.sql), cfg)
	} else {
		c, err = river.NewClient(riversqlite.New(db.sql), cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("store: river inserter: %w", err)
	}
	return c, nil
}

// enqueue inserts the judging job of submission id in the transaction tx.
func (db *DB) enqueue(ctx context.Context, tx *gorm.DB, id int64, queue string) error {
	t, err := sqlTx(tx)
	if err != nil {
		return err
	}
	_, err = db.inserter.InsertTx(ctx, t, judgeArgs{SubmissionID: id}, &river.InsertOpts{Queue: queue})
	if err != nil {
		return fmt.Errorf("enqueue submission %d: %w", id, err)
	}
	return nil
}
