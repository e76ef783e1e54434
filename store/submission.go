package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"gradjudge"
)

// submissionRow is a row of submissions.
type submissionRow struct {
	ID             int64 `gorm:"primaryKey"`
	UserID         int64
	CourseID       int64
	ExerciseID     string
	Seed           int64 // the bits of the uint64 seed: neither database has unsigned 64-bit integers
	Answer         string
	ContentHash    string
	IdempotencyKey *string
	Status         string
	CreatedAt      time.Time
	JudgedAt       *time.Time
}

func (submissionRow) TableName() string { return "submissions" }

// verdictRow is a row of verdicts.
type verdictRow struct {
	SubmissionID int64 `gorm:"primaryKey;autoIncrement:false"`
	Status       string
	Score        float64
	Body         string
	// ExerciseVersion is the verdict's ExerciseVersion, in a column of its own so that the
	// verdicts judged against an older version of an exercise can be found.
	ExerciseVersion string
	CreatedAt       time.Time
}

func (verdictRow) TableName() string { return "verdicts" }

// submissionWithVerdict is a submission joined with its verdict's body, if any.
type submissionWithVerdict struct {
	Row         submissionRow `gorm:"embedded"` // named: GORM skips an embedded unexported type
	VerdictBody *string
}

const selectSubmissions = "submissions.*, verdicts.body AS verdict_body"

func (rv submissionWithVerdict) submission() (gradjudge.Submission, error) {
	r := rv.Row
	s := gradjudge.Submission{
		ID: r.ID, UserID: r.UserID, CourseID: r.CourseID, ExerciseID: r.ExerciseID, Seed: uint64(r.Seed),
		ContentHash: r.ContentHash, Status: gradjudge.SubmissionStatus(r.Status), CreatedAt: utc(r.CreatedAt), JudgedAt: utcPtr(r.JudgedAt),
	}
	if r.IdempotencyKey != nil {
		s.IdempotencyKey = *r.IdempotencyKey
	}
	if err := json.Unmarshal([]byte(r.Answer), &s.Answer); err != nil {
		return s, fmt.Errorf("submission %d: answer: %w", r.ID, err)
	}
	if rv.VerdictBody != nil {
		s.Verdict = new(gradjudge.Verdict)
		if err := json.Unmarshal([]byte(*rv.VerdictBody), s.Verdict); err != nil {
			return s, fmt.Errorf("submission %d: verdict: %w", r.ID, err)
		}
	}
	return s, nil
}

// CreateSubmission implements gradjudge.SubmissionService: the row and its judging job commit
// together, so once this returns the submission will be judged. With Config.InlineJudge, a
// numeric or choice answer is graded first and commits with its verdict instead of a job: it
// returns done, and nothing is queued.
func (db *DB) CreateSubmission(ctx context.Context, s gradjudge.Submission) (gradjudge.Submission, bool, error) {
	const op = "store.CreateSubmission"
	row, err := db.newSubmissionRow(s)
	if err != nil {
		return gradjudge.Submission{}, false, err
	}
	if prev, err := db.retried(ctx, s, row); err != nil || prev != nil {
		if err != nil {
			return gradjudge.Submission{}, false, dbError(op, "", err)
		}
		return db.replay(ctx, *prev, row.ContentHash)
	}
	pv, inline := db.gradeInline(ctx, s)
	if inline {
		row.Status, row.JudgedAt = string(gradjudge.SubmissionDone), &pv.at
	}
	existing, err := db.insertSubmission(ctx, &row, func(tx *gorm.DB) ([]judgeArgs, error) {
		if inline {
			return nil, pv.insertAndRecord(tx, row.stored(s))
		}
		return []judgeArgs{{SubmissionID: row.ID, queue: queueFor(s)}}, nil
	})
	switch {
	case isForeignKey(err):
		return gradjudge.Submission{}, false, notFound(op, "user or course")
	case err != nil:
		return gradjudge.Submission{}, false, dbError(op, "submission", err)
	case existing != nil:
		return db.replay(ctx, *existing, row.ContentHash)
	}
	sub, err := submissionWithVerdict{Row: row}.submission()
	sub.Kind = s.Kind
	if inline {
		sub.Verdict = &pv.v
	}
	return sub, true, dbError(op, "", err)
}

// retried returns the user's earlier submission with s's idempotency key when s is one the
// inline judge would grade: a retry is answered without grading it again (and counting that
// grading in the metrics). Without a key or an inline judge the write checks the key alone.
func (db *DB) retried(ctx context.Context, s gradjudge.Submission, row submissionRow) (*submissionRow, error) {
	if row.IdempotencyKey == nil || !db.judgesInline(s) {
		return nil, nil
	}
	return findByKey(db.read.WithContext(ctx), row.UserID, *row.IdempotencyKey)
}

// insertSubmission writes row, then runs then in the same transaction, unless the user has a
// submission with row's idempotency key already: that one is returned and nothing is written.
func (db *DB) insertSubmission(ctx context.Context, row *submissionRow, then writeFn) (existing *submissionRow, err error) {
	err = db.write(ctx, func(tx *gorm.DB) ([]judgeArgs, error) {
		if row.IdempotencyKey != nil {
			if prev, err := findByKey(tx, row.UserID, *row.IdempotencyKey); err != nil || prev != nil {
				existing = prev
				return nil, err
			}
		}
		if err := tx.Create(row).Error; err != nil {
			return nil, err
		}
		return then(tx)
	})
	if isDuplicate(err) && row.IdempotencyKey != nil {
		// A concurrent create with the same key won the race (PostgreSQL; SQLite serializes).
		existing, err = findByKey(db.read.WithContext(ctx), row.UserID, *row.IdempotencyKey)
	}
	return existing, err
}

// stored is s as row stored it: with its id and creation time, what a verdict's records need.
func (r submissionRow) stored(s gradjudge.Submission) gradjudge.Submission {
	s.ID, s.CreatedAt = r.ID, r.CreatedAt
	return s
}

func (db *DB) newSubmissionRow(s gradjudge.Submission) (submissionRow, error) {
	const op = "store.CreateSubmission"
	if s.UserID <= 0 || s.CourseID <= 0 || s.ExerciseID == "" {
		return submissionRow{}, invalid(op, "a submission needs a user, a course and an exercise")
	}
	if !fitsKind(s.Kind, s.Answer) {
		return submissionRow{}, invalid(op, "exercise %s is a %s exercise: its answer holds that kind's part and no other", s.ExerciseID, s.Kind)
	}
	answer, err := json.Marshal(s.Answer)
	if err != nil {
		return submissionRow{}, invalid(op, "the answer cannot be encoded: %v", err)
	}
	row := submissionRow{
		UserID: s.UserID, CourseID: s.CourseID, ExerciseID: s.ExerciseID, Seed: int64(s.Seed), Answer: string(answer),
		ContentHash: gradjudge.ContentHash(s.ExerciseID, s.Seed, s.Answer),
		Status:      string(gradjudge.SubmissionQueued), CreatedAt: db.now(),
	}
	if s.IdempotencyKey != "" {
		row.IdempotencyKey = &s.IdempotencyKey
	}
	return row, nil
}

// findByKey returns the user's submission with the idempotency key, or nil.
func findByKey(tx *gorm.DB, userID int64, key string) (*submissionRow, error) {
	var rows []submissionRow
	if err := tx.Where("user_id = ? AND idempotency_key = ?", userID, key).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// replay answers a repeated create: the earlier submission when the content is the same.
func (db *DB) replay(ctx context.Context, prev submissionRow, hash string) (gradjudge.Submission, bool, error) {
	if prev.ContentHash != hash {
		return gradjudge.Submission{}, false, &gradjudge.Error{Code: gradjudge.ECONFLICT, Op: "store.CreateSubmission",
			Message: "this idempotency key was used for a different submission"}
	}
	sub, err := db.Submission(ctx, prev.ID)
	return sub, false, err
}

// Submission implements gradjudge.SubmissionService.
func (db *DB) Submission(ctx context.Context, id int64) (gradjudge.Submission, error) {
	return db.submission(ctx, db.read, id)
}

func (db *DB) submission(ctx context.Context, tx *gorm.DB, id int64) (gradjudge.Submission, error) {
	const op = "store.Submission"
	var rows []submissionWithVerdict
	err := tx.WithContext(ctx).Table("submissions").Select(selectSubmissions).
		Joins("LEFT JOIN verdicts ON verdicts.submission_id = submissions.id").
		Where("submissions.id = ?", id).Limit(1).Scan(&rows).Error
	if err != nil {
		return gradjudge.Submission{}, dbError(op, "", err)
	}
	if len(rows) == 0 {
		return gradjudge.Submission{}, notFound(op, "submission")
	}
	s, err := rows[0].submission()
	return s, dbError(op, "", err)
}

// Submissions implements gradjudge.SubmissionService.
func (db *DB) Submissions(ctx context.Context, f gradjudge.SubmissionFilter) ([]gradjudge.Submission, error) {
	const op = "store.Submissions"
	q := db.read.WithContext(ctx).Table("submissions").Select(selectSubmissions).
		Joins("LEFT JOIN verdicts ON verdicts.submission_id = submissions.id")
	for _, c := range []struct {
		set  bool
		expr string
		arg  any
	}{
		{f.UserID != 0, "submissions.user_id = ?", f.UserID},
		{f.CourseID != 0, "submissions.course_id = ?", f.CourseID},
		{f.ExerciseID != "", "submissions.exercise_id = ?", f.ExerciseID},
		{f.Status != "", "submissions.status = ?", string(f.Status)},
		{f.BeforeID > 0, "submissions.id < ?", f.BeforeID},
		{f.IdempotencyKey != "", "submissions.idempotency_key = ?", f.IdempotencyKey},
	} {
		if c.set {
			q = q.Where(c.expr, c.arg)
		}
	}
	var rows []submissionWithVerdict
	if err := q.Order("submissions.id DESC").Limit(limit(f.Limit)).Scan(&rows).Error; err != nil {
		return nil, dbError(op, "", err)
	}
	subs := make([]gradjudge.Submission, len(rows))
	for i, r := range rows {
		var err error
		if subs[i], err = r.submission(); err != nil {
			return nil, dbError(op, "", err)
		}
	}
	return subs, nil
}

func limit(n int) int {
	switch {
	case n <= 0:
		return gradjudge.DefaultSubmissionLimit
	case n > gradjudge.MaxSubmissionLimit:
		return gradjudge.MaxSubmissionLimit
	}
	return n
}

// WaitSubmission implements gradjudge.SubmissionService. A verdict recorded by this process wakes
// the waiter at once; one recorded by another process is seen at the next poll of the waiters.
func (db *DB) WaitSubmission(ctx context.Context, id int64, max time.Duration) (gradjudge.Submission, error) {
	woken, cancel := db.done.wait(id)
	defer cancel()
	s, err := db.Submission(ctx, id)
	if err != nil || s.Status == gradjudge.SubmissionDone {
		return s, err
	}
	timeout := time.NewTimer(max)
	defer timeout.Stop()
	select {
	case <-ctx.Done():
		return s, ctx.Err()
	case <-timeout.C:
	case <-woken:
	}
	return db.Submission(ctx, id)
}

// QueueDepth implements gradjudge.SubmissionService.
func (db *DB) QueueDepth(ctx context.Context) (int64, error) {
	var n int64
	err := db.read.WithContext(ctx).Model(&submissionRow{}).Where("status <> ?", string(gradjudge.SubmissionDone)).Count(&n).Error
	return n, dbError("store.QueueDepth", "", err)
}
