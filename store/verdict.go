package store

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"time"

	"gorm.io/gorm"

	"gradjudge"
)

// misconceptionEventRow is a row of misconception_events.
type misconceptionEventRow struct {
	ID           int64 `gorm:"primaryKey"`
	UserID       int64
	CourseID     int64
	ExerciseID   string
	Tag          string
	SubmissionID int64
	At           time.Time
}

func (misconceptionEventRow) TableName() string { return "misconception_events" }

func (r misconceptionEventRow) event() gradjudge.MisconceptionEvent {
	return gradjudge.MisconceptionEvent{ID: r.ID, UserID: r.UserID, CourseID: r.CourseID, ExerciseID: r.ExerciseID,
		Tag: r.Tag, SubmissionID: r.SubmissionID, At: utc(r.At)}
}

// errJudged says a verdict for the submission exists already.
var errJudged = errors.New("submission judged already")

// startJudging returns submission id and moves it from queued to judging. A submission judging
// already (a job interrupted by a crash) or done is returned as it is. On SQLite the move is
// written in the next group commit, not waited for: the status only informs, and the verdict's
// transaction does not depend on it.
func (db *DB) startJudging(ctx context.Context, id int64) (gradjudge.Submission, error) {
	s, err := db.Submission(ctx, id)
	if err != nil || s.Status != gradjudge.SubmissionQueued {
		return s, err
	}
	mark := func(tx *gorm.DB) ([]judgeArgs, error) {
		return nil, tx.Model(&submissionRow{}).Where("id = ? AND status = ?", id, string(gradjudge.SubmissionQueued)).
			Update("status", string(gradjudge.SubmissionJudging)).Error
	}
	if db.batch != nil {
		db.batch.post(ctx, mark)
	} else if err := db.write(ctx, mark); err != nil {
		return s, dbError("store.startJudging", "", err)
	}
	s.Status = gradjudge.SubmissionJudging
	return s, nil
}

// recordVerdict stores v as the verdict of s, marks s done, records its misconception events and
// updates the student's progress, all in one transaction. It does so once: a second verdict for
// the same submission (a job run twice) changes nothing and returns recorded=false.
func (db *DB) recordVerdict(ctx context.Context, s gradjudge.Submission, v gradjudge.Verdict) (recorded bool, err error) {
	const op = "store.recordVerdict"
	pv, err := db.prepareVerdict(ctx, s, v)
	if err != nil {
		return false, dbError(op, "", err)
	}
	err = db.write(ctx, func(tx *gorm.DB) ([]judgeArgs, error) {
		return nil, pv.store(tx, s)
	})
	return db.verdictWritten(op, s.ID, err)
}

// verdictWritten reports how the write of submission id's final verdict went: written (its
// waiters woken), skipped because the submission was judged already (errJudged: false, no error),
// or failed.
func (db *DB) verdictWritten(op string, id int64, err error) (bool, error) {
	if errors.Is(err, errJudged) {
		return false, nil
	}
	if err != nil {
		return false, dbError(op, "", err)
	}
	db.done.wake(id)
	return true, nil
}

// preparedVerdict is a verdict ready to be written: its score clamped to [0,1], its body
// encoded and the learner model's evidence gathered, outside the transaction, which on SQLite
// holds the one writer connection.
type preparedVerdict struct {
	v       gradjudge.Verdict
	body    string
	at      time.Time     // judged at
	learner *learnerWrite // nil: no learner model to update
}

// prepareVerdict prepares v, judged now, as the verdict of s for writing.
func (db *DB) prepareVerdict(ctx context.Context, s gradjudge.Submission, v gradjudge.Verdict) (preparedVerdict, error) {
	v.Score = clampScore(v.Score)
	body, err := json.Marshal(v)
	if err != nil {
		return preparedVerdict{}, err
	}
	return preparedVerdict{v: v, body: string(body), at: db.now(), learner: db.learnerEvidence(ctx, s, v)}, nil
}

// store records pv as the verdict of the stored submission s and marks s done: errJudged when s
// has a verdict already.
func (pv preparedVerdict) store(tx *gorm.DB, s gradjudge.Submission) error {
	if err := pv.insert(tx, s); err != nil {
		return err
	}
	res := tx.Model(&submissionRow{}).Where("id = ? AND status <> ?", s.ID, string(gradjudge.SubmissionDone)).
		Updates(map[string]any{"status": string(gradjudge.SubmissionDone), "judged_at": pv.at})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return errJudged
	}
	return pv.record(tx, s)
}

// insert writes the verdict row of submission s: errJudged when there is one already. On
// PostgreSQL the same statement reads what the learner model's update needs.
func (pv preparedVerdict) insert(tx *gorm.DB, s gradjudge.Submission) error {
	row := verdictRow{SubmissionID: s.ID, Status: string(pv.v.Status), Score: pv.v.Score, Body: pv.body,
		ExerciseVersion: pv.v.ExerciseVersion, CreatedAt: pv.at}
	create := func() error { return tx.Create(&row).Error }
	if w := pv.learner; w != nil && w.postgres {
		create = func() error { return w.insertReading(tx, row, s) }
	}
	if err := create(); err != nil {
		if isDuplicate(err) {
			return errJudged
		}
		return err
	}
	return nil
}

// insertAndRecord writes the verdict of s, a submission created done in this transaction.
func (pv preparedVerdict) insertAndRecord(tx *gorm.DB, s gradjudge.Submission) error {
	if err := pv.insert(tx, s); err != nil {
		return err
	}
	return pv.record(tx, s)
}

// record writes what the verdict of s means for its student: misconception events, the learner
// model, progress with the course grade (see grade.go), and the grade it sends to the LMS
// gradebooks s's exercise is placed in (the LTI outbox), so that a recorded verdict's score is
// never lost on its way to the LMS.
func (pv preparedVerdict) record(tx *gorm.DB, s gradjudge.Submission) error {
	if pv.v.Status.CountsAsAttempt() {
		if err := lockGrades(tx, s.CourseID, s.UserID, lockVerdict); err != nil {
			return err
		}
	}
	if err := insertEvents(tx, s, pv.v.Misconceptions); err != nil {
		return err
	}
	up, err := pv.learner.upsert(s)
	if err != nil {
		return err
	}
	wrote, err := updateProgress(tx, s, pv.v, up)
	if err != nil {
		return err
	}
	if up != nil && !wrote {
		if err := pv.learner.retry(tx, s); err != nil {
			return err
		}
	}
	return pv.grade(tx, s)
}

// grade recomputes, in tx, the stored course grade of s's student on s's exercise after its
// verdict (called after updateProgress), and queues it to the LMS gradebooks the exercise is
// placed in (queueGrade). A verdict that uses no attempt (unreadable answer, judge failure)
// changes no grade and queues nothing.
func (pv preparedVerdict) grade(tx *gorm.DB, s gradjudge.Submission) error {
	if !pv.v.Status.CountsAsAttempt() {
		return nil
	}
	targets, err := scoreTargets(tx, s)
	if err != nil {
		return err
	}
	g, err := refreshGrade(tx, s.CourseID, s.UserID, s.ExerciseID, len(targets) > 0)
	if err != nil || len(targets) == 0 {
		return err
	}
	return queueGrade(tx, s, targets, g.Score, scoreNote("Latest attempt", pv.v), pv.at)
}

func clampScore(x float64) float64 {
	if math.IsNaN(x) || x < 0 {
		return 0
	}
	return math.Min(x, 1)
}

func insertEvents(tx *gorm.DB, s gradjudge.Submission, tags []string) error {
	seen := make(map[string]bool, len(tags))
	rows := make([]misconceptionEventRow, 0, len(tags))
	for _, tag := range tags {
		if tag == "" || seen[tag] {
			continue
		}
		seen[tag] = true
		rows = append(rows, misconceptionEventRow{UserID: s.UserID, CourseID: s.CourseID, ExerciseID: s.ExerciseID,
			Tag: tag, SubmissionID: s.ID, At: s.CreatedAt})
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.Create(&rows).Error
}

// updateProgress counts the attempt of s with verdict v. It is one statement over the row's old
// values, so concurrent verdicts of one student on one exercise cannot lose a count; the row is
// created by the first attempt. With up, it also writes the student's learner model (every
// verdict that is evidence counts as an attempt): on PostgreSQL in the same statement, so the
// learner model adds no round trip to the transaction. wrote says whether up was written (its
// version had not moved).
func updateProgress(tx *gorm.DB, s gradjudge.Submission, v gradjudge.Verdict, up *learnerUpsert) (wrote bool, err error) {
	if !v.Status.CountsAsAttempt() {
		return false, nil
	}
	var solvedAt *time.Time // set when this attempt solves the exercise, if none did before
	var attemptsToSolve *int
	if v.Status == gradjudge.StatusAccepted {
		one := 1
		solvedAt, attemptsToSolve = &s.CreatedAt, &one
	}
	args := []any{s.CourseID, s.UserID, s.ExerciseID, v.Score, s.CreatedAt, attemptsToSolve, solvedAt}
	switch {
	case up == nil:
		return false, tx.Exec(progressUpsertSQL, args...).Error
	case up.postgres:
		var n int64
		err := tx.Raw(`WITH learner AS (`+learnerUpsertSQL+` RETURNING 1), counted AS (`+progressUpsertSQL+` RETURNING 1)
			SELECT COUNT(*) FROM learner`, append(up.args(), args...)...).Scan(&n).Error
		return n == 1, err
	}
	if err := tx.Exec(progressUpsertSQL, args...).Error; err != nil {
		return false, err
	}
	res := tx.Exec(learnerUpsertSQL, up.args()...)
	return res.RowsAffected == 1, res.Error
}

// progressUpsertSQL counts one attempt in a student's progress row on an exercise.
const progressUpsertSQL = `INSERT INTO progress
		(course_id, user_id, exercise_id, attempts, best_score, last_attempt_at, attempts_to_solve, solved_at)
	VALUES (?, ?, ?, 1, ?, ?, ?, ?)
	ON CONFLICT (course_id, user_id, exercise_id) DO UPDATE SET
		attempts = progress.attempts + 1,
		best_score = CASE WHEN progress.best_score < excluded.best_score THEN excluded.best_score ELSE progress.best_score END,
		last_attempt_at = CASE WHEN progress.last_attempt_at IS NULL OR progress.last_attempt_at < excluded.last_attempt_at
			THEN excluded.last_attempt_at ELSE progress.last_attempt_at END,
		attempts_to_solve = CASE WHEN progress.solved_at IS NULL AND excluded.solved_at IS NOT NULL
			THEN progress.attempts + 1 ELSE progress.attempts_to_solve END,
		solved_at = CASE WHEN progress.solved_at IS NULL THEN excluded.solved_at ELSE progress.solved_at END`
