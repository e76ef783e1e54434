package store

import (
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
	SubmissionID int64  `json:"submission_id"`
	queue        string // where to insert it; not part of the job
}

// Kind is the River job kind. Never rename it: queued jobs carry it.
func (judgeArgs) Kind() string { return "judge_submission" }

// queueFor routes a submission by its exercise's kind (Submission.Kind, which the application
// core sets from the catalog), never by what the answer holds: numeric and choice answers take
// microseconds, code builds and runs a sandbox. A submission of unknown kind goes to the code
// queue, whose few workers are the safe place for work of unknown cost.
func queueFor(s gradjudge.Submission) string {
	switch s.Kind {
	case gradjudge.KindNumeric, gradjudge.KindChoice:
		return QueueNumeric
	}
	return QueueCode
}

// fitsKind says whether a holds the part an exercise of kind is answered with and no other. An
// answer to an exercise of unknown kind fits: the judge decides.
func fitsKind(kind gradjudge.ExerciseKind, a gradjudge.Answer) bool {
	if kind == "" {
		return true
	}
	for _, k := range []gradjudge.ExerciseKind{gradjudge.KindNumeric, gradjudge.KindChoice, gradjudge.KindCode} {
		if a.Has(k) != (k == kind) {
			return false
		}
	}
	return true
}

// newInserter returns the River client that inserts judging jobs inside the store's database/sql
// transactions. It works no jobs: workers are a separate client (StartWorkers), possibly in
// another process. On PostgreSQL its insert sends a NOTIFY that wakes the workers; on SQLite
// River's notification table, polled every 50 ms, does the same.
func newInserter(db *DB) (*river.Client[*sql.Tx], error) {
	// FetchCooldown here only spaces out insert notifications: River drops (does not delay) any
	// within it of the last, so River's default of 100 ms would leave most jobs to the workers'
	// next poll.
	cfg := &river.Config{Logger: db.cfg.Logger, MaxAttempts: judgeMaxAttempts, FetchCooldown: river.FetchCooldownMin}
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

// enqueue inserts jobs in the transaction tx, in one statement.
func (db *DB) enqueue(tx *gorm.DB, jobs []judgeArgs) error {
	if len(jobs) == 0 {
		return nil
	}
	t, err := sqlTx(tx)
	if err != nil {
		return err
	}
	params := make([]river.InsertManyParams, len(jobs))
	for i, j := range jobs {
		params[i] = river.InsertManyParams{Args: j, InsertOpts: &river.InsertOpts{Queue: j.queue}}
	}
	if _, err = db.inserter.InsertManyTx(tx.Statement.Context, t, params); err != nil {
		return fmt.Errorf("enqueue %d submissions: %w", len(jobs), err)
	}
	return nil
}
