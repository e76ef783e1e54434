package app

import (
	"context"
	"time"

	"gradjudge"
	"gradjudge/internal/policy"
)

// Policies is what the core reads of the assessment policies and of a student's attempts;
// store.DB implements it. Deps.Policies may be nil: every exercise then has the zero Policy
// (always open, unlimited attempts, one variant).
type Policies interface {
	// ExercisePolicy returns the policy of an exercise in a course: the zero Policy when none is set.
	ExercisePolicy(ctx context.Context, courseID int64, exerciseID string) (policy.Policy, error)
	// Extension returns the student's extended due date of the exercise, ok=false for none.
	Extension(ctx context.Context, courseID int64, exerciseID string, userID int64) (due time.Time, ok bool, err error)
	// Attempts returns the student's judged submissions to the exercise with their current
	// verdicts, in the order submitted.
	Attempts(ctx context.Context, courseID, userID int64, exerciseID string) ([]policy.Attempt, error)
	// CoursePolicies and CourseExtensions read the same for a whole course: by exercise id; by
	// user id, then exercise id. (The course's grades come with its progress records.)
	CoursePolicies(ctx context.Context, courseID int64) (map[string]policy.Policy, error)
	CourseExtensions(ctx context.Context, courseID int64) (map[int64]map[string]time.Time, error)
	// SetExercisePolicy, SetExtension and DeleteExtension change them, and the stored grades
	// (ProgressRecords' Grade) they move, in the same transaction.
	SetExercisePolicy(ctx context.Context, courseID int64, exerciseID string, p policy.Policy) error
	SetExtension(ctx context.Context, courseID int64, exerciseID string, userID int64, due time.Time, grantedBy int64) error
	DeleteExtension(ctx context.Context, courseID int64, exerciseID string, userID int64) error
}

// Standing is where a student stands on one exercise of a course now.
type Standing struct {
	Policy   policy.Policy    // the course's policy, with the student's extension applied
	Attempts []policy.Attempt // the student's judged submissions, in order
	State    policy.State     // at the App's clock
	Seed     uint64           // the variant the student works on now (a fresh one after wrong attempts)
	Rules    []string         // the sentences the exercise page shows (policy.Describe)
}

// Standing returns the visitor's standing on exercise id of the course.
func (a *App) Standing(ctx context.Context, v Visit, id string) (Standing, error) {
	e, err := a.CourseExercise(v.Course, id)
	if err != nil {
		return Standing{}, err
	}
	return a.standing(ctx, v, e.ID)
}

// standing is Standing for an exercise of the course.
func (a *App) standing(ctx context.Context, v Visit, exerciseID string) (Standing, error) {
	var st Standing
	if a.d.Policies != nil {
		var err error
		if st.Policy, st.Attempts, err = a.studentPolicy(ctx, v, exerciseID); err != nil {
			return Standing{}, err
		}
	}
	st.State = st.Policy.StateAt(a.now(), st.Attempts)
	st.Seed = policy.VariantSeed(gradjudge.VariantSeed(v.Course.ID, v.User.ID, exerciseID), st.State.Round)
	st.Rules = st.Policy.Describe(st.State)
	return st, nil
}

// studentPolicy reads the course's policy of the exercise, the visitor's extension and attempts.
func (a *App) studentPolicy(ctx context.Context, v Visit, exerciseID string) (policy.Policy, []policy.Attempt, error) {
	p, err := a.d.Policies.ExercisePolicy(ctx, v.Course.ID, exerciseID)
	if err != nil {
		return p, nil, err
	}
	due, ok, err := a.d.Policies.Extension(ctx, v.Course.ID, exerciseID, v.User.ID)
	if err != nil {
		return p, nil, err
	}
	if ok {
		p = p.WithExtension(due)
	}
	attempts, err := a.d.Policies.Attempts(ctx, v.Course.ID, v.User.ID, exerciseID)
	return p, attempts, err
}
