package web

import (
	"context"
	"time"

	"gradjudge"
	"gradjudge/internal/mastery"
)

// The learner models of the fixture: alice has likely mastered the chain rule (four right in a
// row) and resolved chain-rule-add on ex-a, and still shows relu-gate-ignored from ex-b; bob
// still adds local derivatives.
func fixtureLearners() map[int64]map[int64]gradjudge.LearnerState {
	resolved := t0.Add(time.Hour)
	return map[int64]map[int64]gradjudge.LearnerState{course: {
		alice: {CourseID: course, UserID: alice,
			Concepts: []gradjudge.ConceptMastery{
				{Concept: "chain-rule", P: 0.97, Observations: 5, Streak: 4, LastRight: true, UpdatedAt: resolved},
				{Concept: "relu-derivative", P: 0.2, Observations: 1, UpdatedAt: t0.Add(30 * time.Minute)},
			},
			Misconceptions: []gradjudge.MisconceptionStatus{
				{Tag: "chain-rule-add", Shown: 2, FirstShownAt: t0, LastShownAt: t0.Add(10 * time.Minute), ShownIn: "ex-a",
					ResolvedAt: &resolved, ResolvedBy: "ex-a", ResolvedBySubmission: 3},
				{Tag: "relu-gate-ignored", Active: true, Shown: 1, FirstShownAt: t0.Add(30 * time.Minute), LastShownAt: t0.Add(30 * time.Minute), ShownIn: "ex-b"},
			}},
		bob: {CourseID: course, UserID: bob,
			Concepts:       []gradjudge.ConceptMastery{{Concept: "chain-rule", P: 0.1, Observations: 2, UpdatedAt: t0}},
			Misconceptions: []gradjudge.MisconceptionStatus{{Tag: "chain-rule-add", Active: true, Shown: 1, FirstShownAt: t0, LastShownAt: t0, ShownIn: "ex-a"}}},
	}}
}

func (f *fakes) Learner(_ context.Context, courseID, userID int64) (gradjudge.LearnerState, error) {
	if f.broken[courseID] {
		return gradjudge.LearnerState{}, errUnsupported
	}
	st, ok := f.learners[courseID][userID]
	if !ok {
		st = gradjudge.LearnerState{CourseID: courseID, UserID: userID}
	}
	return st, nil
}

func (f *fakes) CourseLearners(ctx context.Context, courseID int64) ([]gradjudge.LearnerState, error) {
	var out []gradjudge.LearnerState
	enr, _ := f.Enrollments(ctx, courseID)
	for _, e := range enr {
		if e.Role == gradjudge.CourseStudent {
			st, err := f.Learner(ctx, courseID, e.UserID)
			if err != nil {
				return nil, err
			}
			out = append(out, st)
		}
	}
	return out, nil
}

// CourseMastery is CourseLearners with only each model's Summary, as the store's.
func (f *fakes) CourseMastery(ctx context.Context, courseID int64) ([]gradjudge.LearnerState, error) {
	out, err := f.CourseLearners(ctx, courseID)
	for i := range out {
		out[i] = out[i].Summary()
	}
	return out, err
}

func (f *fakes) MasteryParams(context.Context, int64) ([]gradjudge.MasteryParams, error) {
	return nil, nil
}
func (f *fakes) SetMasteryParams(context.Context, int64, []gradjudge.MasteryParams) error {
	return errUnsupported
}

// fakeVariants says ex-a's variants tell chain-rule-add apart and ex-b's relu-gate-ignored.
type fakeVariants struct{}

func (fakeVariants) TellsApart(id string, _ uint64) ([]string, error) {
	return map[string][]string{"ex-a": {"chain-rule-add"}, "ex-b": {"relu-gate-ignored"}}[id], nil
}

func newFakeMastery() (*mastery.Model, error) {
	return mastery.New(mastery.Config{Catalog: fakeCatalog{}, Variants: fakeVariants{},
		Concepts: []mastery.Concept{{ID: "chain-rule", Title: "The chain rule"}, {ID: "relu-derivative", Title: "The ReLU gate"}}})
}
