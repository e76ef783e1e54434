package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"gradjudge"
)

// ltiScoreRow is a row of lti_scores, the score passback outbox.
type ltiScoreRow struct {
	ID               int64 `gorm:"primaryKey"`
	PlatformID       int64
	CourseID         int64
	UserID           int64
	ExerciseID       string
	SubmissionID     *int64
	LineitemURL      string
	UserSub          string
	ScoreGiven       float64
	ScoreMaximum     float64
	ActivityProgress string
	GradingProgress  string
	Comment          string
	Misconception    string
	Timestamp        time.Time
	State            string
	Attempts         int
	NextAttemptAt    time.Time
	LeasedUntil      *time.Time
	LastError        string
	SentAt           *time.Time
	CreatedAt        time.Time
}

func (ltiScoreRow) TableName() string { return "lti_scores" }

func (r ltiScoreRow) score() gradjudge.LTIScore {
	s := gradjudge.LTIScore{ID: r.ID, PlatformID: r.PlatformID, CourseID: r.CourseID, UserID: r.UserID, ExerciseID: r.ExerciseID,
		LineItemURL: r.LineitemURL, UserSub: r.UserSub, ScoreGiven: r.ScoreGiven, ScoreMaximum: r.ScoreMaximum,
		ActivityProgress: r.ActivityProgress, GradingProgress: r.GradingProgress, Comment: r.Comment, Misconception: r.Misconception,
		Timestamp: utc(r.Timestamp), State: gradjudge.LTIScoreState(r.State), Attempts: r.Attempts,
		NextAttemptAt: utc(r.NextAttemptAt), LastError: r.LastError, SentAt: utcPtr(r.SentAt), CreatedAt: utc(r.CreatedAt)}
	if r.SubmissionID != nil {
		s.SubmissionID = *r.SubmissionID
	}
	return s
}

// ltiTimestampStep is the precision of score timestamps, and the least step between two scores of
// one (line item, user): platforms compare timestamps at millisecond precision at best.
const ltiTimestampStep = time.Millisecond

// scoreTarget is one line item a verdict's score goes to, with the student's sub there.
type scoreTarget struct {
	PlatformID  int64
	LineitemURL string
	Subject     string
}

// queueLTIScores writes, in the verdict's transaction tx, one outbox score per line item placed
// for s's exercise in s's course, when s's student came from that line item's platform. A
// verdict that uses no attempt (unreadable answer, judge failure) changes no grade and queues
// nothing. Called after updateProgress, whose best score it reads.
func queueLTIScores(tx *gorm.DB, s gradjudge.Submission, v gradjudge.Verdict, now time.Time) error {
	if !v.Status.CountsAsAttempt() {
		return nil
	}
	var targets []scoreTarget
	err := tx.Table("lti_resource_links AS l").Distinct("l.platform_id, l.lineitem_url, i.subject").
		Joins("JOIN lti_platforms p ON p.id = l.platform_id").
		Joins("JOIN lti_identities i ON i.issuer = p.issuer AND i.user_id = ?", s.UserID).
		Where("l.course_id = ? AND l.exercise_id = ? AND l.lineitem_url <> ''", s.CourseID, s.ExerciseID).
		Scan(&targets).Error
	if err != nil || len(targets) == 0 {
		return err
	}
	grade, err := courseGrade(tx, s)
	if err != nil {
		return err
	}
	progress := "Submitted"
	if grade >= 1 {
		progress = "Completed"
	}
	sub, text, tag := s.ID, fmt.Sprintf("Latest attempt: %s, score %.0f%%.", v.Status, 100*clampScore(v.Score)), ""
	if len(v.Misconceptions) > 0 {
		tag = v.Misconceptions[0] // the judge lists the most telling first
	}
	for _, t := range targets {
		row := ltiScoreRow{PlatformID: t.PlatformID, CourseID: s.CourseID, UserID: s.UserID, ExerciseID: s.ExerciseID,
			SubmissionID: &sub, LineitemURL: t.LineitemURL, UserSub: t.Subject, ScoreGiven: grade * gradjudge.LTIScoreMaximum,
			ScoreMaximum: gradjudge.LTIScoreMaximum, ActivityProgress: progress, GradingProgress: "FullyGraded", Comment: text, Misconception: tag}
		if err := insertScore(tx, &row, now); err != nil {
			return err
		}
	}
	return nil
}

// courseGrade is the course's grading rule for the LMS gradebook: the student's best score so
// far on the exercise, in [0,1], as progress keeps it. It is the one place the rule is read; it
// belongs to the application core's assessment policy once that exists.
func courseGrade(tx *gorm.DB, s gradjudge.Submission) (float64, error) {
	var best []float64
	err := tx.Table("progress").Where("course_id = ? AND user_id = ? AND exercise_id = ?", s.CourseID, s.UserID, s.ExerciseID).
		Pluck("best_score", &best).Error
	if err != nil || len(best) == 0 {
		return 0, err
	}
	return clampScore(best[0]), nil
}

// insertScore writes row as pending, due now, with a timestamp later than every earlier score of
// its (line item, user), and supersedes the earlier ones still pending: only the newest score of
// a line item and user is worth sending, and sending an older one after it would be dropped.
func insertScore(tx *gorm.DB, row *ltiScoreRow, now time.Time) error {
	var last []time.Time
	err := tx.Model(&ltiScoreRow{}).Where("platform_id = ? AND lineitem_url = ? AND user_sub = ?", row.PlatformID, row.LineitemURL, row.UserSub).
		Order("timestamp DESC").Limit(1).Pluck("timestamp", &last).Error
	if err != nil {
		return err
	}
	ts := now.Truncate(ltiTimestampStep)
	if len(last) == 1 && !ts.After(last[0]) {
		ts = last[0].UTC().Truncate(ltiTimestampStep).Add(ltiTimestampStep)
	}
	row.Timestamp, row.State, row.NextAttemptAt, row.CreatedAt = ts, string(gradjudge.LTIScorePending), now, now
	row.ID, row.Attempts, row.LeasedUntil, row.LastError, row.SentAt = 0, 0, nil, "", nil
	if err := tx.Create(row).Error; err != nil {
		return err
	}
	return tx.Model(&ltiScoreRow{}).
		Where("platform_id = ? AND lineitem_url = ? AND user_sub = ? AND state = ? AND id <> ?",
			row.PlatformID, row.LineitemURL, row.UserSub, string(gradjudge.LTIScorePending), row.ID).
		Updates(map[string]any{"state": string(gradjudge.LTIScoreSuperseded), "last_error": "replaced by a newer score"}).Error
}

// ClaimLTIScores leases up to n pending scores that are due, oldest first, for lease: another
// worker does not take them until the lease ends, which is how a crashed worker's scores come
// back. Each is finished with FinishLTIScore.
func (db *DB) ClaimLTIScores(ctx context.Context, n int, lease time.Duration) ([]gradjudge.LTIScore, error) {
	const op = "store.ClaimLTIScores"
	now := db.now()
	var claimed []gradjudge.LTIScore
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var rows []ltiScoreRow
		err := tx.Where("state = ? AND next_attempt_at <= ? AND (leased_until IS NULL OR leased_until <= ?)",
			string(gradjudge.LTIScorePending), now, now).Order("id").Limit(n).Find(&rows).Error
		if err != nil {
			return err
		}
		for _, r := range rows {
			res := tx.Model(&ltiScoreRow{}).Where("id = ? AND state = ? AND (leased_until IS NULL OR leased_until <= ?)",
				r.ID, string(gradjudge.LTIScorePending), now).Update("leased_until", now.Add(lease))
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 1 { // another process did not take it meanwhile
				claimed = append(claimed, r.score())
			}
		}
		return nil
	})
	return claimed, dbError(op, "", err)
}

// FinishLTIScore records the outcome of one send of score id: state sent, rejected or
// not_graded end it (with detail as what the platform said); pending means try again at retryAt.
// A retry of a score superseded meanwhile stays superseded.
func (db *DB) FinishLTIScore(ctx context.Context, id int64, state gradjudge.LTIScoreState, detail string, retryAt time.Time) error {
	const op = "store.FinishLTIScore"
	now := db.now()
	changes := map[string]any{"state": string(state), "attempts": gorm.Expr("attempts + 1"), "leased_until": nil, "last_error": detail}
	q := db.gorm.WithContext(ctx).Model(&ltiScoreRow{}).Where("id = ?", id)
	switch state {
	case gradjudge.LTIScoreSent:
		changes["sent_at"] = now
	case gradjudge.LTIScorePending:
		changes["next_attempt_at"] = retryAt.UTC()
		q = q.Where("state = ?", string(gradjudge.LTIScorePending))
	case gradjudge.LTIScoreRejected, gradjudge.LTIScoreNotGraded:
	default:
		return invalid(op, "a send cannot end in state %q", state)
	}
	return dbError(op, "", q.Updates(changes).Error)
}

// LTIScores lists the latest scores queued for course courseID, newest first, at most
// gradjudge.MaxSubmissionLimit: what an instructor sees of the passback.
func (db *DB) LTIScores(ctx context.Context, courseID int64) ([]gradjudge.LTIScore, error) {
	var rows []ltiScoreRow
	err := db.read.WithContext(ctx).Where("course_id = ?", courseID).Order("id DESC").Limit(gradjudge.MaxSubmissionLimit).Find(&rows).Error
	if err != nil {
		return nil, dbError("store.LTIScores", "", err)
	}
	out := make([]gradjudge.LTIScore, len(rows))
	for i, r := range rows {
		out[i] = r.score()
	}
	return out, nil
}

// ResendLTIScore queues score id of course courseID again: a copy, pending now, with a new
// timestamp, so that the platform takes it as the newest. ENOTFOUND when the course has no such
// score.
func (db *DB) ResendLTIScore(ctx context.Context, courseID, id int64) (gradjudge.LTIScore, error) {
	const op = "store.ResendLTIScore"
	var row ltiScoreRow
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id = ? AND course_id = ?", id, courseID).Take(&row).Error; err != nil {
			return err
		}
		return insertScore(tx, &row, db.now())
	})
	if err != nil {
		return gradjudge.LTIScore{}, dbError(op, "score", err)
	}
	return row.score(), nil
}
