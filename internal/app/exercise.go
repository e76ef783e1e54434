package app

import (
	"context"

	"gradjudge"
	"gradjudge/exercises"
)

// CourseExercises returns the exercises course uses, in its order: all of the catalog's when it
// names none. An id the catalog no longer has is left out.
func (a *App) CourseExercises(course gradjudge.Course) []gradjudge.Exercise {
	all := a.d.Catalog.Exercises()
	if len(course.ExerciseIDs) == 0 {
		return all
	}
	byID := make(map[string]gradjudge.Exercise, len(all))
	for _, e := range all {
		byID[e.ID] = e
	}
	out := make([]gradjudge.Exercise, 0, len(course.ExerciseIDs))
	for _, id := range course.ExerciseIDs {
		if e, ok := byID[id]; ok {
			out = append(out, e)
		}
	}
	return out
}

// CourseExercise returns exercise id of the course; ENOTFOUND when the course does not use it.
func (a *App) CourseExercise(course gradjudge.Course, id string) (gradjudge.Exercise, error) {
	for _, e := range a.CourseExercises(course) {
		if e.ID == id {
			return e, nil
		}
	}
	if err := gradjudge.CheckText("exercise id", id); err != nil {
		return gradjudge.Exercise{}, err
	}
	return gradjudge.Exercise{}, gradjudge.Errorf(gradjudge.ENOTFOUND, "exercise %q is not part of this course", id)
}

// Variant returns the visitor's own variant of exercise id of the course: the one their standing
// says they work on now (a fresh one after the policy's number of wrong attempts).
func (a *App) Variant(ctx context.Context, v Visit, id string) (gradjudge.Variant, error) {
	st, err := a.Standing(ctx, v, id)
	if err != nil {
		return gradjudge.Variant{}, err
	}
	return a.d.Catalog.Variant(id, st.Seed)
}

// CheckExercises refuses a list of exercise ids with one the catalog does not have, or one twice.
func (a *App) CheckExercises(ids []string) error {
	known := map[string]bool{}
	for _, e := range a.d.Catalog.Exercises() {
		known[e.ID] = true
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if err := gradjudge.CheckText("exercise id", id); err != nil {
			return err
		}
		if !known[id] {
			return gradjudge.Errorf(gradjudge.EINVALID, "unknown exercise %q", id)
		}
		if seen[id] {
			return gradjudge.Errorf(gradjudge.EINVALID, "exercise %q is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}

// Exercise returns the catalog entry of id, or one titled with the id when the catalog does not
// have it (an exercise removed since it was answered).
func (a *App) Exercise(id string) gradjudge.Exercise {
	for _, e := range a.d.Catalog.Exercises() {
		if e.ID == id {
			return e
		}
	}
	return gradjudge.Exercise{ID: id, Title: id}
}

// Misconceptions returns the misconception catalog, in its order (the lesson's).
func (a *App) Misconceptions() []gradjudge.Misconception { return a.d.Catalog.Misconceptions() }

// Misconception returns the catalog entry of tag, or one titled with the tag for a tag the
// catalog does not know (an author's own).
func (a *App) Misconception(tag string) gradjudge.Misconception {
	for _, m := range a.d.Catalog.Misconceptions() {
		if m.Tag == tag {
			return m
		}
	}
	return gradjudge.Misconception{Tag: tag, Title: tag}
}

// DescribeTags looks misconception tags up in the catalog, in the order given, so that a student
// reads a title and an explanation rather than an id.
func (a *App) DescribeTags(tags []string) []gradjudge.Misconception {
	out := make([]gradjudge.Misconception, 0, len(tags))
	for _, t := range tags {
		out = append(out, a.Misconception(t))
	}
	return out
}

// Outline is what the roll-ups know of course: its exercises, the misconceptions' concepts and
// the lesson's order of concepts.
func (a *App) Outline(course gradjudge.Course) gradjudge.CourseOutline {
	o := gradjudge.NewCourseOutline(a.CourseExercises(course), a.d.Catalog.Misconceptions())
	for _, c := range a.Concepts() {
		o.Lesson = append(o.Lesson, c.ID)
	}
	return o
}

// compiledCatalog is a catalog that also hands out its compiled exercises (exercises.Catalog).
type compiledCatalog interface {
	Lookup(id string) (*exercises.Exercise, error)
}

// Compiled returns the compiled exercise id (its graph and quantities), for drawing a verdict on
// the graph; false when the catalog does not have it or cannot hand it out.
func (a *App) Compiled(id string) (*exercises.Exercise, bool) {
	c, ok := a.d.Catalog.(compiledCatalog)
	if !ok {
		return nil, false
	}
	e, err := c.Lookup(id)
	return e, err == nil
}
