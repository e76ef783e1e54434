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

// scoreTargets returns the line items placed for s's exercise in s's course whose platform s's
// student came from: where the student's grade on the exercise goes.
func scoreTargets(tx *gorm.DB, s gradjudge.Submission) ([]scoreTarget, error) {
	var targets []scoreTarget
	err := tx.Table("lti_resource_links AS l").Distinct("l.platform_id, l.lineitem_url, i.subject").
		Joins("JOIN lti_platforms p ON p.id = l.platform_id").
		Joins("JOIN lti_identities i ON i.issuer = p.issuer AND i.user_id = ?", s.UserID).
		Where("l.course_id = ? AND l.exercise_id = ? AND l.lineitem_url <> ''", s.CourseID, s.ExerciseID).
		Scan(&targets).Error
	return targets, err
}

// note is the comment and misconception tag a score carries to the LMS.
type note struct{ text, tag string }

// scoreNote describes verdict v of an answer: what, "Latest attempt: wrong_answer, score 0%.".
func scoreNote(what string, v gradjudge.Verdict) note {
	n := note{text: fmt.Sprintf("%s: %s, score %.0f%%.", what, v.Status, 100*clampScore(v.Score))}
	if len(v.Misconceptions) > 0 {
		n.tag = v.Misconceptions[0] // the judge lists the most telling first
	}
	return n
}

// queueGrade writes, in tx, one outbox score per target: grade (the student's course grade on
// s's exercise under its policy, in [0,1]) for s's student, with n. Every grade that reaches an
// LMS goes through it: a verdict's (preparedVerdict.grade) and a regrade's that moved the grade.
func queueGrade(tx *gorm.DB, s gradjudge.Submission, targets []scoreTarget, grade float64, n note, now time.Time) error {
	grade = clampScore(grade)
	progress := "Submitted"
	if grade >= 1 {
		progress = "Completed"
	}
	sub := s.ID
	for _, t := range targets {
		row := ltiScoreRow{PlatformID: t.PlatformID, CourseID: s.CourseID, UserID: s.UserID, ExerciseID: s.ExerciseID,
			SubmissionID: &sub, LineitemURL: t.LineitemURL, UserSub: t.Subject, ScoreGiven: grade * gradjudge.LTIScoreMaximum,
			ScoreMaximum: gradjudge.LTIScoreMaximum, ActivityProgress: progress, GradingProgress: "FullyGraded", Comment: n.text, Misconception: n.tag}
		if err := insertScore(tx, &row, now); err != nil {
			return err
		}
	}
	return nil
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
