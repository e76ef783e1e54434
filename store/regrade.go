package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"gradjudge"
	"gradjudge/internal/regrade"
	"gradjudge/migrations"
)

// regradeRow is a row of regrades.
type regradeRow struct {
	ID              int64 `gorm:"primaryKey"`
	ExerciseID      string
	CourseID        *int64
	ExerciseVersion string
	DryRun          bool
	RequestedBy     *int64
	CreatedAt       time.Time
	FinishedAt      *time.Time
}

func (regradeRow) TableName() string { return "regrades" }

// regradeItemRow is a row of regrade_items: one submission of a regrade run.
type regradeItemRow struct {
	RegradeID    int64 `gorm:"primaryKey"`
	SubmissionID int64 `gorm:"primaryKey"`
	OldStatus    string
	OldScore     float64
	NewStatus    *string
	NewScore     *float64
	DoneAt       *time.Time
}

func (regradeItemRow) TableName() string { return "regrade_items" }

// StartRegrade starts a regrade run of r, or resumes the unfinished run of the same request (a
// run stopped halfway by a crash, or one started at the same moment). A new run lists every
// judged submission of the exercise (in the course) whose verdict has another version than
// r.Version, and enqueues a regrade job for each, in one transaction: the workers (StartWorkers)
// judge them, each exactly once. The look for an unfinished run is in that transaction, behind
// lockRegrades, so that two starts at once make one run, not two that judge everything twice.
func (db *DB) StartRegrade(ctx context.Context, r regrade.Request) (regrade.Run, error) {
	const op = "store.StartRegrade"
	if r.ExerciseID == "" || r.Version == "" {
		return regrade.Run{}, invalid(op, "a regrade needs an exercise and its version")
	}
	row := regradeRow{ExerciseID: r.ExerciseID, ExerciseVersion: r.Version, DryRun: r.DryRun, CreatedAt: db.now()}
	if r.CourseID != 0 {
		row.CourseID = &r.CourseID
	}
	if r.RequestedBy != 0 {
		row.RequestedBy = &r.RequestedBy
	}
	var run regrade.Run
	var resumed bool
	err := db.write(ctx, func(tx *gorm.DB) ([]judgeArgs, error) {
		if err := db.lockRegrades(tx); err != nil {
			return nil, err
		}
		var err error
		if run, resumed, err = unfinishedRegrade(tx, r); err != nil || resumed {
			return nil, err
		}
		if err := tx.Create(&row).Error; err != nil {
			return nil, err
		}
		n, err := db.insertRegradeItems(tx, row, r)
		run = regrade.Run{ID: row.ID, Request: r, Total: n, CreatedAt: row.CreatedAt}
		return nil, err
	})
	if isForeignKey(err) {
		return regrade.Run{}, notFound(op, "course")
	}
	if err != nil {
		return regrade.Run{}, dbError(op, "", err)
	}
	return run, nil
}

// lockRegrades makes the regrade starts of tx's database run one at a time until tx ends: on
// PostgreSQL by a lock on the regrades table that only starts take (reads go on); SQLite's write
// transactions run one at a time anyway.
func (db *DB) lockRegrades(tx *gorm.DB) error {
	if db.dialect != migrations.Postgres {
		return nil
	}
	return tx.Exec("LOCK TABLE regrades IN SHARE ROW EXCLUSIVE MODE").Error
}

// insertRegradeItems lists the run's submissions and enqueues their jobs; it returns how many.
func (db *DB) insertRegradeItems(tx *gorm.DB, run regradeRow, r regrade.Request) (int, error) {
	q := tx.Table("submissions AS s").Select("s.id AS submission_id, v.status AS old_status, v.score AS old_score").
		Joins("JOIN verdicts v ON v.submission_id = s.id").
		Where("s.exercise_id = ? AND v.exercise_version <> ?", r.ExerciseID, r.Version)
	if r.CourseID != 0 {
		q = q.Where("s.course_id = ?", r.CourseID)
	}
	var items []regradeItemRow
	if err := q.Order("s.id").Scan(&items).Error; err != nil {
		return 0, err
	}
	if len(items) == 0 {
		return 0, nil
	}
	jobs := make([]regradeArgs, len(items))
	for i := range items {
		items[i].RegradeID = run.ID
		jobs[i] = regradeArgs{RegradeID: run.ID, SubmissionID: items[i].SubmissionID}
	}
	if err := tx.CreateInBatches(&items, 500).Error; err != nil {
		return 0, err
	}
	return len(items), db.enqueueRegrades(tx, r.Kind, jobs)
}

// unfinishedRegrade returns the unfinished run of the same request, if there is one, read in tx.
func unfinishedRegrade(tx *gorm.DB, r regrade.Request) (regrade.Run, bool, error) {
	q := tx.Where("exercise_id = ? AND exercise_version = ? AND dry_run = ? AND finished_at IS NULL",
		r.ExerciseID, r.Version, r.DryRun)
	if r.CourseID != 0 {
		q = q.Where("course_id = ?", r.CourseID)
	} else {
		q = q.Where("course_id IS NULL")
	}
	var rows []regradeRow
	if err := q.Order("id").Limit(1).Find(&rows).Error; err != nil || len(rows) == 0 {
		return regrade.Run{}, false, err
	}
	_, total, err := regradeProgress(tx, rows[0].ID)
	return regrade.Run{ID: rows[0].ID, Request: r, Resumed: true, Total: total, CreatedAt: utc(rows[0].CreatedAt)}, true, err
}

// RegradeProgress returns how many submissions of run id are judged, and how many it has.
func (db *DB) RegradeProgress(ctx context.Context, id int64) (done, total int, err error) {
	done, total, err = regradeProgress(db.read.WithContext(ctx), id)
	return done, total, dbError("store.RegradeProgress", "", err)
}

// regradeProgress is RegradeProgress read with q.
func regradeProgress(q *gorm.DB, id int64) (done, total int, err error) {
	var counts struct{ Done, Total int }
	err = q.Model(&regradeItemRow{}).Select("COUNT(done_at) AS done, COUNT(*) AS total").Where("regrade_id = ?", id).Scan(&counts).Error
	return counts.Done, counts.Total, err
}

// FinishRegrade marks run id finished once every submission of it is judged, and reports whether
// it is.
func (db *DB) FinishRegrade(ctx context.Context, id int64) (bool, error) {
	done, total, err := db.RegradeProgress(ctx, id)
	if err != nil || done < total {
		return false, err
	}
	at := db.now()
	err = db.write(ctx, func(tx *gorm.DB) ([]judgeArgs, error) {
		return nil, tx.Model(&regradeRow{}).Where("id = ? AND finished_at IS NULL", id).Update("finished_at", at).Error
	})
	return err == nil, dbError("store.FinishRegrade", "", err)
}

// VerdictHistory returns the verdicts of submission id that regrades replaced, oldest first.
func (db *DB) VerdictHistory(ctx context.Context, id int64) ([]gradjudge.Verdict, error) {
	var bodies []string
	err := db.read.WithContext(ctx).Model(&verdictHistoryRow{}).Where("submission_id = ?", id).Order("id").Pluck("body", &bodies).Error
	if err != nil {
		return nil, dbError("store.VerdictHistory", "", err)
	}
	out := make([]gradjudge.Verdict, len(bodies))
	for i, b := range bodies {
		if out[i], err = decodeVerdict(b); err != nil {
			return nil, dbError("store.VerdictHistory", "", err)
		}
	}
	return out, nil
}
