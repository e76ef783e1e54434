package store

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"gradjudge"
	"gradjudge/migrations"
)

// Learner is the learner model the store updates inside every verdict's transaction
// (mastery.Model). Evidence runs before the transaction, Update inside it.
type Learner interface {
	// Evidence says what verdict v on s tells the model; active are the student's active
	// misconception tags. It may take milliseconds when a right answer meets one of them.
	Evidence(s gradjudge.Submission, v gradjudge.Verdict, active []string) (gradjudge.LearnerEvidence, error)
	// Update applies ev to st under the course's fitted parameters and says whether st changed;
	// it is pure and takes microseconds.
	Update(fitted []gradjudge.MasteryParams, st *gradjudge.LearnerState, ev gradjudge.LearnerEvidence) bool
}

// learnerModelRow is a row of learner_models: one student's model in one course, as JSON.
type learnerModelRow struct {
	CourseID  int64 `gorm:"primaryKey"`
	UserID    int64 `gorm:"primaryKey"`
	Model     string
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
}

func (learnerModelRow) TableName() string { return "learner_models" }

func (r learnerModelRow) state() (gradjudge.LearnerState, error) {
	return decodeLearner(r.CourseID, r.UserID, &r.Model)
}

// decodeLearner reads a stored model; nil is a student with no model yet.
func decodeLearner(courseID, userID int64, model *string) (gradjudge.LearnerState, error) {
	st := gradjudge.LearnerState{}
	if model != nil {
		if err := json.Unmarshal([]byte(*model), &st); err != nil {
			return st, err
		}
	}
	st.CourseID, st.UserID = courseID, userID
	for i := range st.Concepts {
		st.Concepts[i].UpdatedAt = utc(st.Concepts[i].UpdatedAt)
	}
	for i := range st.Misconceptions {
		m := &st.Misconceptions[i]
		m.FirstShownAt, m.LastShownAt, m.ResolvedAt = utc(m.FirstShownAt), utc(m.LastShownAt), utcPtr(m.ResolvedAt)
	}
	return st, nil
}

// masteryParamsRow is a row of mastery_params: a course's fitted parameters, as JSON.
type masteryParamsRow struct {
	CourseID int64 `gorm:"primaryKey"`
	Params   string
	FittedAt time.Time
}

func (masteryParamsRow) TableName() string { return "mastery_params" }

func decodeParams(params *string) ([]gradjudge.MasteryParams, error) {
	var out []gradjudge.MasteryParams
	if params == nil {
		return nil, nil
	}
	return out, json.Unmarshal([]byte(*params), &out)
}

// learnerWrite is what a verdict's transaction needs to update the learner model: the verdict's
// evidence and the student's model as one query read it. On SQLite that query runs before the
// transaction, which holds the one writer; on PostgreSQL it rides on the verdict's insert
// (RETURNING), and the write rides on the progress statement, so the learner model adds no
// statement to the verdict's transaction. The update itself is pure Go. The write happens only
// if the row still has the version read; if another verdict changed it meanwhile, the row is
// read again, locked, inside the transaction.
type learnerWrite struct {
	model    Learner
	log      *slog.Logger
	s        gradjudge.Submission
	v        gradjudge.Verdict
	ev       gradjudge.LearnerEvidence
	read     learnerRead
	postgres bool
}

// learnerRead is what a verdict's update of the learner model reads, in one query.
type learnerRead struct {
	Model   *string
	Version *int64 // nil: the student has no row yet
	Solved  int64  // right answers to the same variant before this one: the answer is a repeat
	Hints   int    // hint steps revealed on the exercise before the answer was made
	Params  *string
}

// learnerReadColumns read a student's model and version, whether they answered the variant
// right before (in an earlier submission), the hint steps they saw on the exercise before the
// answer, and the course's fitted parameters: the columns of learnerRead.
const learnerReadColumns = `
	(SELECT model FROM learner_models WHERE course_id = @course AND user_id = @user) AS model,
	(SELECT version FROM learner_models WHERE course_id = @course AND user_id = @user) AS version,
	(SELECT COUNT(*) FROM submissions s JOIN verdicts v ON v.submission_id = s.id
		WHERE s.user_id = @user AND s.course_id = @course AND s.exercise_id = @exercise AND s.seed = @seed
		AND v.status = 'accepted' AND (@id = 0 OR s.id < @id)) AS solved,
	(SELECT COUNT(*) FROM hint_uses WHERE course_id = @course AND user_id = @user AND exercise_id = @exercise
		AND revealed_at <= @at) AS hints,
	(SELECT params FROM mastery_params WHERE course_id = @course) AS params`

// readArgs are the named arguments of learnerReadColumns for submission s; at bounds the hints
// counted (when s was made).
func readArgs(s gradjudge.Submission, at time.Time) map[string]any {
	return map[string]any{"course": s.CourseID, "user": s.UserID, "exercise": s.ExerciseID, "seed": int64(s.Seed), "id": s.ID, "at": at}
}

// learnerEvidence asks the learner model, before the verdict's transaction, what v on s tells
// it, and on SQLite reads what the update needs; nil without a learner model or when v is no
// evidence. A model that fails (the judge cannot say what the variant tells apart) loses only
// the resolution this answer would bring, and a failed read only the update: the verdict is
// still recorded, and the failure logged.
func (db *DB) learnerEvidence(ctx context.Context, s gradjudge.Submission, v gradjudge.Verdict) *learnerWrite {
	if db.cfg.Learner == nil {
		return nil
	}
	w := &learnerWrite{model: db.cfg.Learner, log: db.cfg.Logger, s: s, v: v, postgres: db.dialect == migrations.Postgres}
	if w.ev, _ = w.model.Evidence(s, v, nil); !w.ev.Graded {
		return nil
	}
	if w.postgres {
		return w // read with the verdict's insert (insertReading)
	}
	at := s.CreatedAt
	if at.IsZero() { // judged inline, before it is stored
		at = db.now()
	}
	if err := db.read.WithContext(ctx).Raw("SELECT"+learnerReadColumns, readArgs(s, at)).Scan(&w.read).Error; err != nil {
		db.cfg.Logger.WarnContext(ctx, "reading the learner model failed", "submission", s.ID, "err", err)
		return nil
	}
	w.evidence()
	return w
}

// insertReading inserts row, the verdict of the stored submission s, and reads what the update
// of the learner model needs in the same statement (PostgreSQL).
func (w *learnerWrite) insertReading(tx *gorm.DB, row verdictRow, s gradjudge.Submission) error {
	args := readArgs(s, s.CreatedAt)
	args["sid"], args["status"], args["score"], args["body"], args["ev"], args["judged"] =
		row.SubmissionID, row.Status, row.Score, row.Body, row.ExerciseVersion, row.CreatedAt
	err := tx.Raw(`INSERT INTO verdicts (submission_id, status, score, body, exercise_version, created_at)
		VALUES (@sid, @status, @score, @body, @ev, @judged) RETURNING`+learnerReadColumns, args).Scan(&w.read).Error
	if err == nil {
		w.s = s
		w.evidence()
	}
	return err
}

// evidence completes the evidence with what was read: a right answer asks the model again with
// the student's active misconceptions (which the variant may resolve), and the store's facts.
func (w *learnerWrite) evidence() {
	if w.ev.Right {
		st, _ := decodeLearner(w.s.CourseID, w.s.UserID, w.read.Model)
		if active := st.ActiveTags(); len(active) > 0 {
			ev, err := w.model.Evidence(w.s, w.v, active)
			if err != nil {
				w.log.Warn("the learner model's evidence is incomplete", "submission", w.s.ID, "err", err)
			}
			w.ev = ev
		}
	}
	w.ev.Repeat, w.ev.Hints = w.read.Solved > 0, w.read.Hints
}

// learnerUpsert is the write of a student's updated model, made only if their row still has
// the version read (-1: it had none, so only an insert succeeds).
type learnerUpsert struct {
	st      gradjudge.LearnerState
	body    string
	summary *string // packSummary(st)
	version int64
	at      time.Time
	// postgres folds the write into the progress statement.
	postgres bool
}

// learnerUpsertSQL writes a learnerUpsert; it changes no row when the version moved.
const learnerUpsertSQL = learnerInsertSQL + ` WHERE learner_models.version = ?`

// learnerInsertSQL writes a student's model and its summary, replacing their row if there is one.
const learnerInsertSQL = `INSERT INTO learner_models (course_id, user_id, model, summary, updated_at, version) VALUES (?, ?, ?, ?, ?, 1)
	ON CONFLICT (course_id, user_id) DO UPDATE SET model = excluded.model, summary = excluded.summary,
		updated_at = excluded.updated_at, version = learner_models.version + 1`

func (u *learnerUpsert) args() []any {
	return []any{u.st.CourseID, u.st.UserID, u.body, u.summary, u.at, u.version}
}

// upsert applies the evidence of the verdict of s to the model read: nil when there is nothing to
// write.
func (w *learnerWrite) upsert(s gradjudge.Submission) (*learnerUpsert, error) {
	if w == nil {
		return nil, nil
	}
	version := int64(-1)
	if w.read.Version != nil {
		version = *w.read.Version
	}
	return w.apply(s, w.read, version)
}

// apply applies the evidence of the verdict of s to the model r holds, at version.
func (w *learnerWrite) apply(s gradjudge.Submission, r learnerRead, version int64) (*learnerUpsert, error) {
	st, err := decodeLearner(s.CourseID, s.UserID, r.Model)
	if err != nil {
		return nil, err
	}
	fitted, err := decodeParams(r.Params)
	if err != nil {
		return nil, err
	}
	ev := w.ev
	ev.SubmissionID, ev.At = s.ID, s.CreatedAt
	if !w.model.Update(fitted, &st, ev) {
		return nil, nil
	}
	body, err := json.Marshal(st)
	return &learnerUpsert{st: st, body: string(body), summary: packSummary(st), version: version, at: s.CreatedAt, postgres: w.postgres}, err
}

// retry writes the update of s when the row changed between the read and the transaction: it
// reads the row again inside the transaction (locked on PostgreSQL) and applies the evidence on
// top. Two first verdicts of a student racing on PostgreSQL both find no row: the one whose
// insert loses reads again, now locking the winner's row.
func (w *learnerWrite) retry(tx *gorm.DB, s gradjudge.Submission) error {
	lock := ""
	if w.postgres {
		lock = " FOR UPDATE"
	}
	for range 2 {
		var r struct {
			Model   *string
			Version *int64
		}
		err := tx.Raw(`SELECT (SELECT model FROM learner_models WHERE course_id = ? AND user_id = ?`+lock+`) AS model,
			(SELECT version FROM learner_models WHERE course_id = ? AND user_id = ?) AS version`,
			s.CourseID, s.UserID, s.CourseID, s.UserID).Scan(&r).Error
		if err != nil {
			return err
		}
		read := w.read
		read.Model, read.Version = r.Model, r.Version
		version := int64(-1)
		if r.Version != nil {
			version = *r.Version
		}
		up, err := w.apply(s, read, version)
		if up == nil || err != nil {
			return err
		}
		res := tx.Exec(learnerUpsertSQL, up.args()...)
		if res.Error != nil || res.RowsAffected == 1 {
			return res.Error
		}
	}
	return errors.New("the learner model kept changing under the verdict")
}

// writeLearner stores st, changed at, replacing the student's row if there is one.
func writeLearner(tx *gorm.DB, st gradjudge.LearnerState, at time.Time) error {
	body, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return tx.Exec(learnerInsertSQL, st.CourseID, st.UserID, string(body), packSummary(st), at).Error
}
