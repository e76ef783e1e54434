package store

import (
	"context"
	"sort"
	"time"

	"gradjudge"
	"gradjudge/internal/policy"
	"gradjudge/internal/regrade"
)

// reportRow is one judged submission of the regraded exercise, with its run item if it has one.
type reportRow struct {
	SubmissionID int64
	CourseID     int64
	UserID       int64
	Email        string
	CreatedAt    time.Time
	Status       string
	Score        float64
	OldStatus    *string
	OldScore     *float64
	NewStatus    *string
	NewScore     *float64
}

// regrade.Report reports run id: the verdicts that changed, in which direction, and whose course
// grade moved under the course's policy for the exercise (with each student's extension).
func (db *DB) RegradeReport(ctx context.Context, id int64) (regrade.Report, error) {
	const op = "store.RegradeReport"
	var run regradeRow
	if err := db.read.WithContext(ctx).Take(&run, id).Error; err != nil {
		return regrade.Report{}, dbError(op, "regrade", err)
	}
	rows, err := db.reportRows(ctx, run)
	if err != nil {
		return regrade.Report{}, dbError(op, "", err)
	}
	rep := regrade.Report{Run: run.run(), Moves: map[string]int{}}
	for _, r := range rows {
		count(&rep, r)
	}
	rep.Grades, err = db.gradeMoves(ctx, run, rows)
	return rep, dbError(op, "", err)
}

func (r regradeRow) run() regrade.Run {
	req := regrade.Request{ExerciseID: r.ExerciseID, Version: r.ExerciseVersion, DryRun: r.DryRun}
	if r.CourseID != nil {
		req.CourseID = *r.CourseID
	}
	if r.RequestedBy != nil {
		req.RequestedBy = *r.RequestedBy
	}
	return regrade.Run{ID: r.ID, Request: req, CreatedAt: utc(r.CreatedAt), FinishedAt: utcPtr(r.FinishedAt)}
}

func (db *DB) reportRows(ctx context.Context, run regradeRow) ([]reportRow, error) {
	q := db.read.WithContext(ctx).Table("submissions AS s").
		Select("s.id AS submission_id, s.course_id, s.user_id, u.email, s.created_at, v.status, v.score, "+
			"i.old_status, i.old_score, i.new_status, i.new_score").
		Joins("JOIN verdicts v ON v.submission_id = s.id").
		Joins("JOIN users u ON u.id = s.user_id").
		Joins("LEFT JOIN regrade_items i ON i.submission_id = s.id AND i.regrade_id = ?", run.ID).
		Where("s.exercise_id = ?", run.ExerciseID)
	if run.CourseID != nil {
		q = q.Where("s.course_id = ?", *run.CourseID)
	}
	var rows []reportRow
	err := q.Order("s.course_id, s.user_id, s.id").Scan(&rows).Error
	return rows, err
}

// count adds the submission r to the report's totals.
func count(rep *regrade.Report, r reportRow) {
	if r.OldStatus == nil {
		return // not in the run
	}
	rep.Total++
	if r.NewStatus == nil {
		return // not judged yet
	}
	rep.Done++
	if *r.NewStatus == *r.OldStatus && *r.NewScore == *r.OldScore {
		return
	}
	rep.Changed++
	rep.Moves[*r.OldStatus+" → "+*r.NewStatus]++
	switch {
	case *r.NewScore > *r.OldScore:
		rep.Up++
	case *r.NewScore < *r.OldScore:
		rep.Down++
	}
}

// before and after are the verdict of r without and with the run.
func (r reportRow) before() policy.Attempt {
	a := policy.Attempt{At: utc(r.CreatedAt), Status: gradjudge.Status(r.Status), Score: r.Score}
	if r.OldStatus != nil {
		a.Status, a.Score = gradjudge.Status(*r.OldStatus), *r.OldScore
	}
	return a
}

func (r reportRow) after() policy.Attempt {
	a := policy.Attempt{At: utc(r.CreatedAt), Status: gradjudge.Status(r.Status), Score: r.Score}
	if r.NewStatus != nil {
		a.Status, a.Score = gradjudge.Status(*r.NewStatus), *r.NewScore
	}
	return a
}

// gradeMoves grades every student of the rows before and after the run.
func (db *DB) gradeMoves(ctx context.Context, run regradeRow, rows []reportRow) ([]regrade.GradeMove, error) {
	type key struct{ course, user int64 }
	var keys []key
	before, after, email := map[key][]policy.Attempt{}, map[key][]policy.Attempt{}, map[key]string{}
	touched := map[key]bool{}
	for _, r := range rows {
		k := key{r.CourseID, r.UserID}
		if _, ok := email[k]; !ok {
			keys = append(keys, k)
		}
		email[k] = r.Email
		before[k], after[k] = append(before[k], r.before()), append(after[k], r.after())
		touched[k] = touched[k] || r.NewStatus != nil
	}
	var out []regrade.GradeMove
	for _, k := range keys {
		if !touched[k] {
			continue
		}
		p, err := db.studentPolicy(ctx, k.course, run.ExerciseID, k.user)
		if err != nil {
			return nil, err
		}
		m := regrade.GradeMove{CourseID: k.course, UserID: k.user, Email: email[k], Before: p.GradeOf(before[k]), After: p.GradeOf(after[k])}
		if m.Before.Score != m.After.Score {
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CourseID < out[j].CourseID })
	return out, nil
}

// studentPolicy is the policy of an exercise in a course for one student, with their extension.
func (db *DB) studentPolicy(ctx context.Context, courseID int64, exerciseID string, userID int64) (policy.Policy, error) {
	return studentPolicyIn(db.read.WithContext(ctx), courseID, exerciseID, userID)
}
