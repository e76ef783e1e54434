package api

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/internal/app"
	"gradjudge/internal/mastery"
)

// fakeLearners holds one learner model per user: what the store keeps.
type fakeLearners map[int64]gradjudge.LearnerState

func (f fakeLearners) Learner(_ context.Context, courseID, userID int64) (gradjudge.LearnerState, error) {
	st := f[userID]
	st.CourseID, st.UserID = courseID, userID
	return st, nil
}

func (f fakeLearners) CourseLearners(ctx context.Context, courseID int64) ([]gradjudge.LearnerState, error) {
	var out []gradjudge.LearnerState
	for uid := range f {
		st, _ := f.Learner(ctx, courseID, uid)
		out = append(out, st)
	}
	return out, nil
}

// CourseMastery is CourseLearners with only each model's Summary, as the store's.
func (f fakeLearners) CourseMastery(ctx context.Context, courseID int64) ([]gradjudge.LearnerState, error) {
	out, err := f.CourseLearners(ctx, courseID)
	for i := range out {
		out[i] = out[i].Summary()
	}
	return out, err
}

func (fakeLearners) MasteryParams(context.Context, int64) ([]gradjudge.MasteryParams, error) {
	return nil, nil
}
func (fakeLearners) SetMasteryParams(context.Context, int64, []gradjudge.MasteryParams) error {
	return nil
}

// chainTellsApart says that the chain exercise tells chain-rule-add apart.
type chainTellsApart struct{}

func (chainTellsApart) TellsApart(id string, _ uint64) ([]string, error) {
	if id == "chain" {
		return []string{"chain-rule-add"}, nil
	}
	return nil, nil
}

// TestLearningRoutes reads learner models through the API: a student their own (with the
// suggestion that tests their active misconception), the staff any student's and the class's;
// a student neither another's nor the class's.
func TestLearningRoutes(t *testing.T) {
	e := newEnv(t)
	m, err := mastery.New(mastery.Config{Catalog: fakeCatalog{}, Variants: chainTellsApart{}})
	if err != nil {
		t.Fatal(err)
	}
	shown := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	learners := fakeLearners{e.ids["alice"]: {
		Concepts:       []gradjudge.ConceptMastery{{Concept: "chain-rule", P: 0.2, Observations: 1, UpdatedAt: shown}},
		Misconceptions: []gradjudge.MisconceptionStatus{{Tag: "chain-rule-add", Active: true, Shown: 1, FirstShownAt: shown, LastShownAt: shown, ShownIn: "chain"}},
	}}
	e.srv = e.newServer(app.Deps{Learners: learners, Mastery: m})
	base := fmt.Sprintf("/api/v1/courses/%d", e.course)

	w := e.do("alice", "GET", base+"/learning", nil)
	wantStatus(t, w, http.StatusOK)
	l := decode[learningDTO](t, w)
	if l.UserID != e.ids["alice"] || len(l.Misconceptions) != 1 || !l.Misconceptions[0].Active || l.Next == nil ||
		l.Next.ExerciseID != "chain" || l.Next.Tag != "chain-rule-add" || len(l.Concepts) == 0 {
		t.Errorf("alice's learning: %+v", l)
	}
	alice := fmt.Sprintf("%s/students/%d/learning", base, e.ids["alice"])
	wantStatus(t, e.do("bob", "GET", alice, nil), http.StatusForbidden)
	wantStatus(t, e.do("inst", "GET", alice, nil), http.StatusOK)
	wantStatus(t, e.do("alice", "GET", base+"/learning/class", nil), http.StatusForbidden)
	w = e.do("ta", "GET", base+"/learning/class", nil)
	wantStatus(t, w, http.StatusOK)
	if c := decode[classLearningDTO](t, w); len(c.Misconceptions) != 1 || c.Misconceptions[0] != (tagStatusDTO{Tag: "chain-rule-add", Active: 1}) {
		t.Errorf("the class: %+v", c)
	}
}
