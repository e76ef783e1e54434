package app

import (
	"context"
	"slices"

	"gradjudge"
)

// AddCourseExercise appends catalog exercise id to the visit's course, for its instructors.
func (a *App) AddCourseExercise(ctx context.Context, v Visit, id string) (gradjudge.Course, error) {
	ids := a.courseExerciseIDs(v.Course)
	if slices.Contains(ids, id) {
		return v.Course, gradjudge.Errorf(gradjudge.ECONFLICT, "the course has exercise %q already", id)
	}
	return a.SetCourseExercises(ctx, v, append(ids, id))
}

// RemoveCourseExercise takes exercise id out of the visit's course, for its instructors. Its
// records stay stored, but it leaves the progress pages, the dashboard and the gradebook together
// (they share the course's outline). The last exercise cannot be removed: a course with none
// would mean the whole catalog.
func (a *App) RemoveCourseExercise(ctx context.Context, v Visit, id string) (gradjudge.Course, error) {
	ids := a.courseExerciseIDs(v.Course)
	i := slices.Index(ids, id)
	if i < 0 {
		return v.Course, gradjudge.Errorf(gradjudge.ENOTFOUND, "exercise %q is not part of this course", id)
	}
	if len(ids) == 1 {
		return v.Course, gradjudge.Errorf(gradjudge.ECONFLICT, "a course keeps at least one exercise")
	}
	return a.SetCourseExercises(ctx, v, slices.Delete(ids, i, i+1))
}

// MoveCourseExercise moves exercise id of the visit's course by delta places (negative: earlier),
// stopping at either end, for its instructors.
func (a *App) MoveCourseExercise(ctx context.Context, v Visit, id string, delta int) (gradjudge.Course, error) {
	ids := a.courseExerciseIDs(v.Course)
	i := slices.Index(ids, id)
	if i < 0 {
		return v.Course, gradjudge.Errorf(gradjudge.ENOTFOUND, "exercise %q is not part of this course", id)
	}
	j := min(max(i+delta, 0), len(ids)-1)
	ids = slices.Insert(slices.Delete(ids, i, i+1), j, id)
	return a.SetCourseExercises(ctx, v, ids)
}

// courseExerciseIDs are the ids of the course's exercises as they are shown: the whole catalog
// spelt out for a course that names none, and none the catalog no longer has.
func (a *App) courseExerciseIDs(c gradjudge.Course) []string {
	es := a.CourseExercises(c)
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	return ids
}

// Catalog lists every exercise of the catalog, for staff picking a course's exercises.
func (a *App) Catalog() []gradjudge.Exercise { return a.d.Catalog.Exercises() }
