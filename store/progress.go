package store

import (
	"context"
	"sort"
	"time"

	"gradjudge"
)

// progressRow is a row of progress.
type progressRow struct {
	CourseID        int64  `gorm:"primaryKey"`
	UserID          int64  `gorm:"primaryKey"`
	ExerciseID      string `gorm:"primaryKey"`
	Attempts        int
	BestScore       float64
	AttemptsToSolve *int
	SolvedAt        *time.Time
	LastAttemptAt   *time.Time
}

func (progressRow) TableName() string { return "progress" }

func (r progressRow) exercise() gradjudge.ExerciseProgress {
	return gradjudge.ExerciseProgress{ExerciseID: r.ExerciseID, Attempts: r.Attempts, BestScore: r.BestScore,
		SolvedAt: utcPtr(r.SolvedAt), LastAttemptAt: utcPtr(r.LastAttemptAt)}
}

// Progress implements gradjudge.ProgressService.
func (db *DB) Progress(ctx context.Context, courseID, userID int64) (gradjudge.Progress, error) {
	list, err := db.progress(ctx, courseID, []int64{userID})
	if err != nil {
		return gradjudge.Progress{}, err
	}
	return list[0], nil
}

// CourseProgress implements gradjudge.ProgressService.
func (db *DB) CourseProgress(ctx context.Context, courseID int64) ([]gradjudge.Progress, error) {
	var ids []int64
	err := db.read.WithContext(ctx).Model(&enrollmentRow{}).
		Where("course_id = ? AND role = ?", courseID, string(gradjudge.CourseStudent)).Order("user_id").Pluck("user_id", &ids).Error
	if err != nil {
		return nil, dbError("store.CourseProgress", "", err)
	}
	return db.progress(ctx, courseID, ids)
}

// progress reads the progress of users in the course with three queries, whatever their number.
func (db *DB) progress(ctx context.Context, courseID int64, userIDs []int64) ([]gradjudge.Progress, error) {
	const op = "store.Progress"
	c, err := db.Course(ctx, courseID)
	if err != nil {
		return nil, err
	}
	var rows []progressRow
	var events []misconceptionEventRow
	if len(userIDs) > 0 {
		q := db.read.WithContext(ctx).Where("course_id = ? AND user_id IN ?", courseID, userIDs)
		if err := q.Order("exercise_id").Find(&rows).Error; err != nil {
			return nil, dbError(op, "", err)
		}
		q = db.read.WithContext(ctx).Where("course_id = ? AND user_id IN ?", courseID, userIDs)
		if err := q.Order("at, id").Find(&events).Error; err != nil {
			return nil, dbError(op, "", err)
		}
	}
	ex := newCourseExercises(db.cfg.Catalog, c, rows)
	out := make([]gradjudge.Progress, len(userIDs))
	for i, uid := range userIDs {
		out[i] = ex.progress(courseID, uid, rows, events)
	}
	return out, nil
}

// courseExercises is what the roll-ups know of a course's exercises: their order and concepts,
// and the concept of each misconception tag.
type courseExercises struct {
	ids        []string
	concepts   map[string][]string // exercise id → concepts
	tagConcept map[string]string
	order      []string // concepts in the order their first exercise appears
}

// newCourseExercises lists the course's exercises: those it names, else the catalog's, and any
// other exercise with recorded progress after them.
func newCourseExercises(cat gradjudge.Catalog, c gradjudge.Course, rows []progressRow) courseExercises {
	ce := courseExercises{concepts: map[string][]string{}, tagConcept: map[string]string{}}
	all := map[string]gradjudge.Exercise{}
	if cat != nil {
		for _, e := range cat.Exercises() {
			all[e.ID] = e
		}
		for _, m := range cat.Misconceptions() {
			ce.tagConcept[m.Tag] = m.Concept
		}
	}
	ids := c.ExerciseIDs
	if len(ids) == 0 && cat != nil {
		for _, e := range cat.Exercises() {
			ids = append(ids, e.ID)
		}
	}
	seen := map[string]bool{}
	add := func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		ce.ids = append(ce.ids, id)
		ce.concepts[id] = all[id].Concepts
		for _, k := range all[id].Concepts {
			if !seen["concept:"+k] {
				seen["concept:"+k] = true
				ce.order = append(ce.order, k)
			}
		}
	}
	for _, id := range ids {
		add(id)
	}
	for _, r := range rows {
		add(r.ExerciseID)
	}
	return ce
}

// progress builds one user's progress from the course's rows and events.
func (ce courseExercises) progress(courseID, userID int64, rows []progressRow, events []misconceptionEventRow) gradjudge.Progress {
	p := gradjudge.Progress{UserID: userID, CourseID: courseID,
		Exercises: []gradjudge.ExerciseProgress{}, Misconceptions: []gradjudge.MisconceptionEvent{}}
	byID := map[string]progressRow{}
	for _, r := range rows {
		if r.UserID == userID {
			byID[r.ExerciseID] = r
		}
	}
	for _, id := range ce.ids {
		r, ok := byID[id]
		if !ok {
			r = progressRow{ExerciseID: id}
		}
		p.Exercises = append(p.Exercises, r.exercise())
	}
	for _, e := range events {
		if e.UserID == userID {
			p.Misconceptions = append(p.Misconceptions, e.event())
		}
	}
	p.Concepts = ce.conceptProgress(p)
	return p
}

func (ce courseExercises) conceptProgress(p gradjudge.Progress) []gradjudge.ConceptProgress {
	by := map[string]*gradjudge.ConceptProgress{}
	get := func(k string) *gradjudge.ConceptProgress {
		if by[k] == nil {
			by[k] = &gradjudge.ConceptProgress{Concept: k}
		}
		return by[k]
	}
	for _, e := range p.Exercises {
		for _, k := range ce.concepts[e.ExerciseID] {
			c := get(k)
			c.Exercises++
			c.Attempts += e.Attempts
			c.MeanScore += e.BestScore
			if e.Solved() {
				c.Solved++
			}
		}
	}
	for _, ev := range p.Misconceptions {
		if k, ok := ce.tagConcept[ev.Tag]; ok {
			get(k).Misconceptions++
		}
	}
	out := make([]gradjudge.ConceptProgress, 0, len(by))
	for _, k := range conceptOrder(ce.order, by) {
		c := *by[k]
		if c.Exercises > 0 {
			c.MeanScore /= float64(c.Exercises)
		}
		out = append(out, c)
	}
	return out
}

// conceptOrder is the concepts of by: first those in order (the course's exercises'), then the
// rest (concepts known only from misconception tags) by name.
func conceptOrder[V any](order []string, by map[string]V) []string {
	var keys, rest []string
	for _, k := range order {
		if _, ok := by[k]; ok {
			keys = append(keys, k)
		}
	}
	in := map[string]bool{}
	for _, k := range keys {
		in[k] = true
	}
	for k := range by {
		if !in[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(keys, rest...)
}
