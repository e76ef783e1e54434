package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"gradjudge"
	"gradjudge/internal/policy"
)

// exercisePolicyRow is a row of exercise_policies.
type exercisePolicyRow struct {
	CourseID          int64  `gorm:"primaryKey"`
	ExerciseID        string `gorm:"primaryKey"`
	OpensAt           *time.Time
	DueAt             *time.Time
	LateRule          string
	LatePenaltyPerDay float64
	ClosesAt          *time.Time
	MaxAttempts       int
	PenaltyPerWrong   float64
	FreshVariantAfter int
	HintsAfter        int
	RevealAfterDue    bool
	GradeRule         string
	UpdatedAt         time.Time
}

func (exercisePolicyRow) TableName() string { return "exercise_policies" }

func (r exercisePolicyRow) policy() policy.Policy {
	return policy.Policy{Opens: timeOrZero(r.OpensAt), Due: timeOrZero(r.DueAt), Late: policy.LateRule(r.LateRule),
		LatePenaltyPerDay: r.LatePenaltyPerDay, Close: timeOrZero(r.ClosesAt), MaxAttempts: r.MaxAttempts,
		PenaltyPerWrong: r.PenaltyPerWrong, FreshVariantAfter: r.FreshVariantAfter, HintsAfter: r.HintsAfter,
		RevealAfterDue: r.RevealAfterDue, Grade: policy.GradeRule(r.GradeRule)}
}

func policyRow(courseID int64, exerciseID string, p policy.Policy, at time.Time) exercisePolicyRow {
	r := exercisePolicyRow{CourseID: courseID, ExerciseID: exerciseID, OpensAt: zeroOrTime(p.Opens), DueAt: zeroOrTime(p.Due),
		LateRule: string(p.Late), LatePenaltyPerDay: p.LatePenaltyPerDay, ClosesAt: zeroOrTime(p.Close),
		MaxAttempts: p.MaxAttempts, PenaltyPerWrong: p.PenaltyPerWrong, FreshVariantAfter: p.FreshVariantAfter,
		HintsAfter: p.HintsAfter, RevealAfterDue: p.RevealAfterDue, GradeRule: string(p.Grade), UpdatedAt: at}
	if r.LateRule == "" {
		r.LateRule = string(policy.LateNoCredit)
	}
	if r.GradeRule == "" {
		r.GradeRule = string(policy.GradeBest)
	}
	return r
}

// extensionRow is a row of extensions.
type extensionRow struct {
	CourseID   int64  `gorm:"primaryKey"`
	ExerciseID string `gorm:"primaryKey"`
	UserID     int64  `gorm:"primaryKey"`
	DueAt      time.Time
	GrantedBy  *int64
	CreatedAt  time.Time
}

func (extensionRow) TableName() string { return "extensions" }

// ExercisePolicy returns the policy of exercise exerciseID in course courseID: the zero Policy
// when none is set.
func (db *DB) ExercisePolicy(ctx context.Context, courseID int64, exerciseID string) (policy.Policy, error) {
	p, err := exercisePolicy(db.read.WithContext(ctx), courseID, exerciseID)
	return p, dbError("store.ExercisePolicy", "", err)
}

// exercisePolicy reads ExercisePolicy through q (the read pool, or a transaction).
func exercisePolicy(q *gorm.DB, courseID int64, exerciseID string) (policy.Policy, error) {
	var rows []exercisePolicyRow
	err := q.Where("course_id = ? AND exercise_id = ?", courseID, exerciseID).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return policy.Policy{}, err
	}
	return rows[0].policy(), nil
}

// CoursePolicies returns the policies set in course courseID, by exercise id; an exercise without
// one has the zero Policy.
func (db *DB) CoursePolicies(ctx context.Context, courseID int64) (map[string]policy.Policy, error) {
	var rows []exercisePolicyRow
	if err := db.read.WithContext(ctx).Where("course_id = ?", courseID).Find(&rows).Error; err != nil {
		return nil, dbError("store.CoursePolicies", "", err)
	}
	out := make(map[string]policy.Policy, len(rows))
	for _, r := range rows {
		out[r.ExerciseID] = r.policy()
	}
	return out, nil
}

// SetExercisePolicy stores p as the policy of exercise exerciseID in course courseID, replacing
// any, and regrades the exercise's students under it (their stored grades), in one transaction;
// EINVALID when p does not Validate, ENOTFOUND for an unknown course.
func (db *DB) SetExercisePolicy(ctx context.Context, courseID int64, exerciseID string, p policy.Policy) error {
	const op = "store.SetExercisePolicy"
	if err := p.Validate(); err != nil {
		return err
	}
	row := policyRow(courseID, exerciseID, p, db.now())
	err := db.write(ctx, func(tx *gorm.DB) ([]judgeArgs, error) {
		if err := lockCourseGrades(tx, courseID); err != nil {
			return nil, err
		}
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
			return nil, err
		}
		return nil, refreshGrades(tx, courseID, exerciseID)
	})
	if isForeignKey(err) {
		return notFound(op, "course")
	}
	return dbError(op, "", err)
}

// Extension returns the due date exercise exerciseID of course courseID is extended to for user
// userID, and ok=false when there is no extension.
func (db *DB) Extension(ctx context.Context, courseID int64, exerciseID string, userID int64) (due time.Time, ok bool, err error) {
	due, ok, err = extension(db.read.WithContext(ctx), courseID, exerciseID, userID)
	return due, ok, dbError("store.Extension", "", err)
}

// extension reads Extension through q (the read pool, or a transaction).
func extension(q *gorm.DB, courseID int64, exerciseID string, userID int64) (time.Time, bool, error) {
	var rows []extensionRow
	err := q.Where("course_id = ? AND exercise_id = ? AND user_id = ?", courseID, exerciseID, userID).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return time.Time{}, false, err
	}
	return utc(rows[0].DueAt), true, nil
}

// studentPolicyIn reads the policy of an exercise in a course for one student, with their
// extension applied, through q (the read pool, or a transaction).
func studentPolicyIn(q *gorm.DB, courseID int64, exerciseID string, userID int64) (policy.Policy, error) {
	p, err := exercisePolicy(q, courseID, exerciseID)
	if err != nil {
		return p, err
	}
	due, ok, err := extension(q, courseID, exerciseID, userID)
	if ok {
		p = p.WithExtension(due)
	}
	return p, err
}

// SetExtension extends the due date of exercise exerciseID in course courseID to due for user
// userID, granted by grantedBy, replacing an earlier extension, and recomputes the student's
// stored grade there; ENOTFOUND for an unknown course or user.
func (db *DB) SetExtension(ctx context.Context, courseID int64, exerciseID string, userID int64, due time.Time, grantedBy int64) error {
	const op = "store.SetExtension"
	row := extensionRow{CourseID: courseID, ExerciseID: exerciseID, UserID: userID, DueAt: due.UTC().Truncate(time.Microsecond), CreatedAt: db.now()}
	if grantedBy != 0 {
		row.GrantedBy = &grantedBy
	}
	err := db.write(ctx, func(tx *gorm.DB) ([]judgeArgs, error) {
		return nil, changeExtension(tx, courseID, exerciseID, userID, func() error {
			return tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error
		})
	})
	if isForeignKey(err) {
		return notFound(op, "course or user")
	}
	return dbError(op, "", err)
}

// DeleteExtension removes the extension of user userID on exercise exerciseID of course courseID,
// if any, and recomputes the student's stored grade there.
func (db *DB) DeleteExtension(ctx context.Context, courseID int64, exerciseID string, userID int64) error {
	err := db.write(ctx, func(tx *gorm.DB) ([]judgeArgs, error) {
		return nil, changeExtension(tx, courseID, exerciseID, userID, func() error {
			return tx.Where("course_id = ? AND exercise_id = ? AND user_id = ?", courseID, exerciseID, userID).Delete(&extensionRow{}).Error
		})
	})
	return dbError("store.DeleteExtension", "", err)
}

// changeExtension runs change, which gives or takes away the extension of user userID on an
// exercise of a course, in tx, and recomputes their stored grade there.
func changeExtension(tx *gorm.DB, courseID int64, exerciseID string, userID int64, change func() error) error {
	if err := lockGrades(tx, courseID, userID, lockStudent); err != nil {
		return err
	}
	if err := change(); err != nil {
		return err
	}
	_, err := refreshGrade(tx, courseID, userID, exerciseID, false)
	return err
}

// attemptRow is a judged submission's time and current verdict.
type attemptRow struct {
	UserID    int64
	CreatedAt time.Time
	Status    string
	Score     float64
}

// Attempts returns the judged submissions of user userID to exercise exerciseID in course
// courseID, in the order they were submitted, with their current verdicts: what the policy
// counts. Submissions not judged yet are left out.
func (db *DB) Attempts(ctx context.Context, courseID, userID int64, exerciseID string) ([]policy.Attempt, error) {
	out, err := attempts(db.read.WithContext(ctx), courseID, userID, exerciseID)
	return out, dbError("store.Attempts", "", err)
}

// attempts reads Attempts through q (the read pool, or a transaction).
func attempts(q *gorm.DB, courseID, userID int64, exerciseID string) ([]policy.Attempt, error) {
	all, err := attemptsOf(q, courseID, exerciseID, []int64{userID})
	return all[userID], err
}

// attemptsOf reads the attempts (as Attempts) of students userIDs (nil: every student) on an
// exercise of a course, by user id, through q, in one query.
func attemptsOf(q *gorm.DB, courseID int64, exerciseID string, userIDs []int64) (map[int64][]policy.Attempt, error) {
	var rows []attemptRow
	q = q.Table("submissions AS s").Select("s.user_id, s.created_at, v.status, v.score").
		Joins("JOIN verdicts v ON v.submission_id = s.id").
		Where("s.course_id = ? AND s.exercise_id = ?", courseID, exerciseID)
	if userIDs != nil {
		q = q.Where("s.user_id IN ?", userIDs)
	}
	if err := q.Order("s.id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := map[int64][]policy.Attempt{}
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], r.attempt())
	}
	return out, nil
}

func (r attemptRow) attempt() policy.Attempt {
	return policy.Attempt{At: utc(r.CreatedAt), Status: gradjudge.Status(r.Status), Score: r.Score}
}

func timeOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func zeroOrTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond) // the precision both databases keep
	return &u
}

// CourseExtensions returns the extensions granted in course courseID: user id → exercise id → the
// extended due date.
func (db *DB) CourseExtensions(ctx context.Context, courseID int64) (map[int64]map[string]time.Time, error) {
	var rows []extensionRow
	if err := db.read.WithContext(ctx).Where("course_id = ?", courseID).Find(&rows).Error; err != nil {
		return nil, dbError("store.CourseExtensions", "", err)
	}
	out := map[int64]map[string]time.Time{}
	for _, r := range rows {
		if out[r.UserID] == nil {
			out[r.UserID] = map[string]time.Time{}
		}
		out[r.UserID][r.ExerciseID] = utc(r.DueAt)
	}
	return out, nil
}
