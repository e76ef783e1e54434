package app

import (
	"cmp"
	"context"
	"slices"
	"time"

	"gradjudge"
	"gradjudge/internal/policy"
)

// errNoPolicies answers a policy change on an App built without Deps.Policies.
var errNoPolicies = gradjudge.Errorf(gradjudge.EINTERNAL, "assessment policies are not available on this server")

// ExercisePolicy returns the policy of exercise id of the course, for its staff: the zero Policy
// when none is set.
func (a *App) ExercisePolicy(ctx context.Context, v Visit, id string) (policy.Policy, error) {
	if err := v.RequireStaff(); err != nil {
		return policy.Policy{}, err
	}
	e, err := a.CourseExercise(v.Course, id)
	if err != nil || a.d.Policies == nil {
		return policy.Policy{}, err
	}
	return a.d.Policies.ExercisePolicy(ctx, v.Course.ID, e.ID)
}

// SetExercisePolicy sets the policy of exercise id of the course, for its instructors; EINVALID
// with what to change when p does not validate. It applies to every attempt, earlier ones too:
// grades are computed from the attempts under the policy in force.
func (a *App) SetExercisePolicy(ctx context.Context, v Visit, id string, p policy.Policy) error {
	e, err := a.policyTarget(v, id)
	if err != nil {
		return err
	}
	return a.d.Policies.SetExercisePolicy(ctx, v.Course.ID, e.ID, p)
}

// SetExtension extends the due date of exercise id for student userID to due, for the course's
// instructors. EINVALID when policy.CheckExtension refuses due.
func (a *App) SetExtension(ctx context.Context, v Visit, id string, userID int64, due time.Time) error {
	e, err := a.policyTarget(v, id)
	if err != nil {
		return err
	}
	if err := a.requireStudent(ctx, v.Course.ID, userID); err != nil {
		return err
	}
	p, err := a.d.Policies.ExercisePolicy(ctx, v.Course.ID, e.ID)
	if err != nil {
		return err
	}
	if err := p.CheckExtension(due); err != nil {
		return err
	}
	return a.d.Policies.SetExtension(ctx, v.Course.ID, e.ID, userID, due, v.User.ID)
}

// DeleteExtension takes student userID's extension of exercise id away, for the course's
// instructors.
func (a *App) DeleteExtension(ctx context.Context, v Visit, id string, userID int64) error {
	e, err := a.policyTarget(v, id)
	if err != nil {
		return err
	}
	return a.d.Policies.DeleteExtension(ctx, v.Course.ID, e.ID, userID)
}

// policyTarget checks that the visitor may change the policies of exercise id of the course.
func (a *App) policyTarget(v Visit, id string) (gradjudge.Exercise, error) {
	if err := v.RequireInstructor(); err != nil {
		return gradjudge.Exercise{}, err
	}
	e, err := a.CourseExercise(v.Course, id)
	if err == nil && a.d.Policies == nil {
		err = errNoPolicies
	}
	return e, err
}

// Extension is one student's extended due date of an exercise.
type Extension struct {
	UserID int64
	Due    time.Time
}

// Extensions lists the extensions of exercise id of the course, for its staff, by user id.
func (a *App) Extensions(ctx context.Context, v Visit, id string) ([]Extension, error) {
	if err := v.RequireStaff(); err != nil {
		return nil, err
	}
	e, err := a.CourseExercise(v.Course, id)
	if err != nil || a.d.Policies == nil {
		return nil, err
	}
	all, err := a.d.Policies.CourseExtensions(ctx, v.Course.ID)
	if err != nil {
		return nil, err
	}
	var out []Extension
	for uid, byExercise := range all {
		if due, ok := byExercise[e.ID]; ok {
			out = append(out, Extension{UserID: uid, Due: due})
		}
	}
	slices.SortFunc(out, func(x, y Extension) int { return cmp.Compare(x.UserID, y.UserID) })
	return out, nil
}

// CoursePolicies returns the policies set on the course's exercises, by exercise id, for its
// staff: an exercise without one is absent (it has the zero Policy).
func (a *App) CoursePolicies(ctx context.Context, v Visit) (map[string]policy.Policy, error) {
	if err := v.RequireStaff(); err != nil || a.d.Policies == nil {
		return nil, err
	}
	return a.d.Policies.CoursePolicies(ctx, v.Course.ID)
}
