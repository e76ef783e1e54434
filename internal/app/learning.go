package app

import (
	"context"
	"slices"

	"gradjudge"
	"gradjudge/internal/mastery"
)

// Learning is a student's learner model as their course page shows it: each concept the course
// teaches in the lesson's order, in words and as a bar; their misconceptions, active first; the
// next exercise to try; and their progress, which the suggestion reads.
type Learning struct {
	UserID         int64
	Progress       gradjudge.Progress // empty in ClassLearning
	Concepts       []mastery.Explanation
	Misconceptions []mastery.MisconceptionView
	Next           mastery.Suggestion
}

// ClassMastery is the summary of a course's class, for its staff: per concept the course teaches
// how many students have mastered it, per misconception how many hold it and how many resolved it.
type ClassMastery struct {
	Concepts []mastery.ConceptSummary
	Tags     []mastery.TagStatus
}

// ClassLearning is the learner model of a course's class, for its staff: its summary, and every
// student's concepts and misconceptions.
type ClassLearning struct {
	ClassMastery
	Students []Learning             // without suggestions or progress, by user id
	Roster   []gradjudge.Enrollment // who the students are, for exports
}

// errNoLearner says the core was built without a learner model.
var errNoLearner = &gradjudge.Error{Code: gradjudge.EINTERNAL, Op: "app.Learning", Message: "the learner model is not available"}

// Learning returns the learner model of student userID in the visit's course, with the access
// rules of Progress.
func (a *App) Learning(ctx context.Context, v Visit, userID int64) (Learning, error) {
	if a.d.Mastery == nil || a.d.Learners == nil {
		return Learning{}, errNoLearner
	}
	p, err := a.Progress(ctx, v, userID)
	if err != nil {
		return Learning{}, err
	}
	params, err := a.params(ctx, v.Course.ID)
	if err != nil {
		return Learning{}, err
	}
	st, err := a.d.Learners.Learner(ctx, v.Course.ID, userID)
	if err != nil {
		return Learning{}, err
	}
	l := a.explain(a.taught(v.Course), params, st)
	l.Progress = p
	solved := map[string]bool{}
	for _, e := range p.Exercises {
		solved[e.ExerciseID] = e.Solved()
	}
	var opts []mastery.Option
	for _, e := range a.CourseExercises(v.Course) {
		opts = append(opts, mastery.Option{ExerciseID: e.ID, Seed: gradjudge.VariantSeed(v.Course.ID, userID, e.ID), Solved: solved[e.ID]})
	}
	for i, c := range l.Concepts {
		l.Concepts[i].Raise = a.d.Mastery.Raise(params, st, c.Concept, opts)
	}
	l.Next, err = a.d.Mastery.Suggest(params, st, opts)
	return l, err
}

// StudentLearning is one student's learner model for the course staff, with who the student is.
type StudentLearning struct {
	Student gradjudge.Enrollment
	Learning
}

// StudentLearning returns student userID's learner model for the course staff: ENOTFOUND for a
// user who is not a student of the course, EFORBIDDEN for a visitor who is not staff.
func (a *App) StudentLearning(ctx context.Context, v Visit, userID int64) (StudentLearning, error) {
	if err := v.RequireStaff(); err != nil {
		return StudentLearning{}, err
	}
	roster, err := a.d.Courses.Enrollments(ctx, v.Course.ID)
	if err != nil {
		return StudentLearning{}, err
	}
	i := slices.IndexFunc(roster, func(e gradjudge.Enrollment) bool { return e.UserID == userID && e.Role == gradjudge.CourseStudent })
	if i < 0 {
		return StudentLearning{}, errStudentNotFound
	}
	l, err := a.Learning(ctx, v, userID)
	return StudentLearning{Student: roster[i], Learning: l}, err
}

// ClassLearning returns the learner model of the course's class, for its staff.
func (a *App) ClassLearning(ctx context.Context, v Visit) (ClassLearning, error) {
	params, err := a.classParams(ctx, v)
	if err != nil {
		return ClassLearning{}, err
	}
	states, err := a.d.Learners.CourseLearners(ctx, v.Course.ID)
	if err != nil {
		return ClassLearning{}, err
	}
	roster, err := a.d.Courses.Enrollments(ctx, v.Course.ID)
	if err != nil {
		return ClassLearning{}, err
	}
	taught := a.taught(v.Course)
	c := ClassLearning{ClassMastery: a.classMastery(taught, params, states), Roster: roster}
	for _, st := range states {
		c.Students = append(c.Students, a.explain(taught, params, st))
	}
	return c, nil
}

// ClassMastery returns the summary of the course's class, for its staff: what ClassLearning
// says of the class as a whole, read from no more of each student's model than it needs
// (gradjudge.LearnerState.Summary).
func (a *App) ClassMastery(ctx context.Context, v Visit) (ClassMastery, error) {
	params, err := a.classParams(ctx, v)
	if err != nil {
		return ClassMastery{}, err
	}
	states, err := a.d.Learners.CourseMastery(ctx, v.Course.ID)
	if err != nil {
		return ClassMastery{}, err
	}
	return a.classMastery(a.taught(v.Course), params, states), nil
}

// classParams refuses a core without a learner model and a visitor who is not staff, and reads
// the course's parameters.
func (a *App) classParams(ctx context.Context, v Visit) (mastery.ParamSet, error) {
	if a.d.Mastery == nil || a.d.Learners == nil {
		return nil, errNoLearner
	}
	if err := v.RequireStaff(); err != nil {
		return nil, err
	}
	return a.params(ctx, v.Course.ID)
}

// classMastery summarizes the states of a class over the concepts the course teaches (taught).
func (a *App) classMastery(taught map[string]bool, params mastery.ParamSet, states []gradjudge.LearnerState) ClassMastery {
	c := ClassMastery{Tags: mastery.Tags(states)}
	for _, s := range a.d.Mastery.Class(params, states) {
		if taught[s.Concept] {
			c.Concepts = append(c.Concepts, s)
		}
	}
	return c
}

func (a *App) params(ctx context.Context, courseID int64) (mastery.ParamSet, error) {
	fitted, err := a.d.Learners.MasteryParams(ctx, courseID)
	return mastery.NewParamSet(fitted), err
}

// explain describes st's concepts that the course teaches (taught), and its misconceptions.
func (a *App) explain(taught map[string]bool, params mastery.ParamSet, st gradjudge.LearnerState) Learning {
	l := Learning{UserID: st.UserID, Misconceptions: a.d.Mastery.Misconceptions(st)}
	for _, c := range a.d.Mastery.Concepts() {
		if taught[c] {
			l.Concepts = append(l.Concepts, a.d.Mastery.Explain(params, st, c))
		}
	}
	return l
}

// taught is the set of concepts some exercise of the course teaches. A class's page asks it of
// every student's concepts, so it is made once.
func (a *App) taught(course gradjudge.Course) map[string]bool {
	set := map[string]bool{}
	for _, e := range a.CourseExercises(course) {
		for _, c := range e.Concepts {
			set[c] = true
		}
	}
	return set
}
