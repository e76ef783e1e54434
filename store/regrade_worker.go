package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"gradjudge"
	"gradjudge/internal/policy"
)

// regradeArgs is the regrade job: judge submission SubmissionID again for run RegradeID.
type regradeArgs struct {
	RegradeID    int64 `json:"regrade_id"`
	SubmissionID int64 `json:"submission_id"`
}

// Kind is the River job kind. Never rename it: queued jobs carry it.
func (regradeArgs) Kind() string { return "regrade_submission" }

// verdictHistoryRow is a row of verdict_history: a verdict a regrade replaced.
type verdictHistoryRow struct {
	ID              int64 `gorm:"primaryKey"`
	SubmissionID    int64
	Status          string
	Score           float64
	Body            string
	ExerciseVersion string
	JudgedAt        time.Time
	ReplacedAt      time.Time
	RegradeID       *int64
}

func (verdictHistoryRow) TableName() string { return "verdict_history" }

// enqueueRegrades inserts regrade jobs of an exercise of kind in the transaction tx, on the
// judging queue of that kind.
func (db *DB) enqueueRegrades(tx *gorm.DB, kind gradjudge.ExerciseKind, jobs []regradeArgs) error {
	t, err := sqlTx(tx)
	if err != nil {
		return err
	}
	params := make([]river.InsertManyParams, len(jobs))
	for i, j := range jobs {
		params[i] = river.InsertManyParams{Args: j, InsertOpts: &river.InsertOpts{Queue: queueFor(gradjudge.Submission{Kind: kind})}}
	}
	_, err = db.inserter.InsertManyTx(tx.Statement.Context, t, params)
	return err
}

// regradeWorker works regrade jobs: it judges the submission again and records the outcome in
// the run's item, and, unless the run is a dry run, replaces the current verdict (keeping the old
// one in verdict_history) and recomputes the student's progress, in one transaction that the
// item's done_at makes happen once.
type regradeWorker struct {
	river.WorkerDefaults[regradeArgs]
	db    *DB
	judge gradjudge.Judge
}

// Work regrades one submission. A broken judge returns an error: River retries later, and the
// current verdict stays.
func (w *regradeWorker) Work(ctx context.Context, job *river.Job[regradeArgs]) error {
	var run regradeRow
	if err := w.db.read.WithContext(ctx).Take(&run, job.Args.RegradeID).Error; err != nil {
		if isNotFound(err) {
			return river.JobCancel(err)
		}
		return err
	}
	s, err := w.db.Submission(ctx, job.Args.SubmissionID)
	if gradjudge.ErrorCode(err) == gradjudge.ENOTFOUND {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	v, err := safeGrade(ctx, w.judge, s)
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return river.JobSnooze(0)
	}
	if err != nil {
		return err
	}
	pv, err := w.db.prepareVerdict(ctx, s, v)
	if err != nil {
		return err
	}
	return w.db.write(ctx, func(tx *gorm.DB) ([]judgeArgs, error) {
		return nil, pv.regrade(tx, run, s)
	})
}

// regrade records pv as the regrade of submission s in run: nothing when the item is done
// already (the job ran twice). It locks the student's row first (lockGrades), where transactions
// run side by side (PostgreSQL): two regrades of one student's answers, or a regrade and a new
// verdict, would each rebuild their progress (and grade) from the verdicts they see, and the later
// commit could miss the other's verdict. When the student's course grade on the exercise moves,
// the new grade goes to the LMS through the LTI outbox, in the same transaction: once per change,
// and kept until the LMS takes it.
func (pv preparedVerdict) regrade(tx *gorm.DB, run regradeRow, s gradjudge.Submission) error {
	status, score := string(pv.v.Status), pv.v.Score
	res := tx.Model(&regradeItemRow{}).Where("regrade_id = ? AND submission_id = ? AND done_at IS NULL", run.ID, s.ID).
		Updates(map[string]any{"new_status": status, "new_score": score, "done_at": pv.at})
	if res.Error != nil || res.RowsAffected == 0 || run.DryRun {
		return res.Error
	}
	// The student's row always exists (the progress row may not yet).
	if err := lockGrades(tx, s.CourseID, s.UserID, lockStudent); err != nil {
		return err
	}
	lms, err := gradeWatch(tx, s)
	if err != nil {
		return err
	}
	if err := pv.replace(tx, run, s); err != nil {
		return err
	}
	if err := recomputeProgress(tx, s.CourseID, s.UserID, s.ExerciseID); err != nil {
		return err
	}
	g, err := refreshGrade(tx, s.CourseID, s.UserID, s.ExerciseID, lms.watching())
	if err != nil {
		return err
	}
	return lms.send(tx, s, g, scoreNote("Regraded", pv.v), pv.at)
}

// replace makes pv the current verdict of s, keeping the old one in verdict_history, with the
// misconception events of the new one; a verdict other than internal_error lifts the quarantine
// of s's answer.
func (pv preparedVerdict) replace(tx *gorm.DB, run regradeRow, s gradjudge.Submission) error {
	if err := keepHistory(tx, run.ID, s.ID, pv.at); err != nil {
		return err
	}
	err := tx.Model(&verdictRow{}).Where("submission_id = ?", s.ID).Updates(map[string]any{
		"status": string(pv.v.Status), "score": pv.v.Score, "body": pv.body, "exercise_version": pv.v.ExerciseVersion, "created_at": pv.at}).Error
	if err != nil {
		return err
	}
	if err := tx.Where("submission_id = ?", s.ID).Delete(&misconceptionEventRow{}).Error; err != nil {
		return err
	}
	if err := insertEvents(tx, s, pv.v.Misconceptions); err != nil {
		return err
	}
	if pv.v.Status != gradjudge.StatusInternalError { // judged without crashing: no longer set aside
		return liftQuarantine(tx, s)
	}
	return nil
}

// gradeWatcher is a student's course grade on an exercise before a regrade changes one of their
// verdicts, for the LMS gradebooks the grade goes to; none (and nothing read) when the exercise
// is in no LMS gradebook of theirs.
type gradeWatcher struct {
	targets []scoreTarget
	before  float64
}

// gradeWatch reads, in tx, the grade of s's student on s's exercise before a regrade.
func gradeWatch(tx *gorm.DB, s gradjudge.Submission) (gradeWatcher, error) {
	targets, err := scoreTargets(tx, s)
	if err != nil || len(targets) == 0 {
		return gradeWatcher{}, err
	}
	g, err := studentGrade(tx, s.CourseID, s.UserID, s.ExerciseID)
	return gradeWatcher{targets: targets, before: g.Score}, err
}

// watching reports whether the grade goes to an LMS gradebook.
func (w gradeWatcher) watching() bool { return len(w.targets) > 0 }

// send queues g, the grade after the regrade, in tx, when it differs from the grade before.
func (w gradeWatcher) send(tx *gorm.DB, s gradjudge.Submission, g policy.Grade, n note, now time.Time) error {
	if !w.watching() || g.Score == w.before {
		return nil
	}
	return queueGrade(tx, s, w.targets, g.Score, n, now)
}

// keepHistory copies the current verdict of submission id into verdict_history.
func keepHistory(tx *gorm.DB, regradeID, id int64, at time.Time) error {
	var cur verdictRow
	if err := tx.Take(&cur, "submission_id = ?", id).Error; err != nil {
		return err
	}
	h := verdictHistoryRow{SubmissionID: id, Status: cur.Status, Score: cur.Score, Body: cur.Body,
		ExerciseVersion: cur.ExerciseVersion, JudgedAt: cur.CreatedAt, ReplacedAt: at, RegradeID: &regradeID}
	return tx.Create(&h).Error
}

// recomputeProgress rebuilds the progress row of a student on an exercise from its current
// verdicts, as updateProgress builds it one verdict at a time.
func recomputeProgress(tx *gorm.DB, courseID, userID int64, exerciseID string) error {
	var rows []struct {
		CreatedAt time.Time
		Status    string
		Score     float64
	}
	err := tx.Table("submissions AS s").Select("s.created_at, v.status, v.score").
		Joins("JOIN verdicts v ON v.submission_id = s.id").
		Where("s.course_id = ? AND s.user_id = ? AND s.exercise_id = ?", courseID, userID, exerciseID).Order("s.id").Scan(&rows).Error
	if err != nil {
		return err
	}
	p := progressRow{CourseID: courseID, UserID: userID, ExerciseID: exerciseID}
	for _, r := range rows {
		if !gradjudge.Status(r.Status).CountsAsAttempt() {
			continue
		}
		at := r.CreatedAt
		p.Attempts++
		p.BestScore = max(p.BestScore, r.Score)
		if p.LastAttemptAt == nil || p.LastAttemptAt.Before(at) {
			p.LastAttemptAt = &at
		}
		if p.SolvedAt == nil && gradjudge.Status(r.Status) == gradjudge.StatusAccepted {
			n := p.Attempts
			p.SolvedAt, p.AttemptsToSolve = &at, &n
		}
	}
	if p.Attempts == 0 { // as if no attempt was ever made: updateProgress makes the row on the first
		return tx.Where("course_id = ? AND user_id = ? AND exercise_id = ?", courseID, userID, exerciseID).Delete(&progressRow{}).Error
	}
	return tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&p).Error
}

// decodeVerdict decodes a stored verdict body.
func decodeVerdict(body string) (gradjudge.Verdict, error) {
	var v gradjudge.Verdict
	err := json.Unmarshal([]byte(body), &v)
	return v, err
}

// takeBackRegrades puts the regrade jobs left running by workers whose heartbeat is older than
// cutoff (every running one when cutoff is zero) back in the queue. Unlike a judging job, a
// regrade job needs no care: its item's done_at makes a second run change nothing.
func (db *DB) takeBackRegrades(ctx context.Context, cutoff time.Time) error {
	q := `UPDATE river_job SET state = 'available' WHERE id IN (SELECT j.id FROM river_job j
		WHERE j.state = 'running' AND j.kind = ?`
	args := []any{regradeArgs{}.Kind()}
	if !cutoff.IsZero() {
		q += ` AND EXISTS (SELECT 1 FROM judge_workers w WHERE w.id = ` + lastWorkerSQL[db.dialect] + ` AND w.heartbeat_at < ?)`
		args = append(args, cutoff)
	}
	if err := db.gorm.WithContext(ctx).Exec(q+`)`, args...).Error; err != nil {
		return fmt.Errorf("store: take back regrade jobs: %w", err)
	}
	return nil
}
