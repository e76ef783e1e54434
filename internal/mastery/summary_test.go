package mastery_test

import (
	"reflect"
	"testing"

	"gradjudge"
	"gradjudge/internal/mastery"
)

// TestClassReadsSummary checks that a class's summary (Class, Tags) reads no more of each
// student's model than LearnerState.Summary keeps, which is all a course's dashboard reads from
// the store (CourseMastery): over a simulated class of masters, believers who drop their belief
// and believers who keep it, under the defaults and under fitted parameters, the summaries of the
// full states and of their Summary are the same.
func TestClassReadsSummary(t *testing.T) {
	w := newWorld(t)
	var states, summaries []gradjudge.LearnerState
	for id := int64(1); id <= 6; id++ {
		var who learner = master{}
		if id > 2 {
			who = &believer{tag: "square-factor-dropped", holds: true, drops: id%2 == 0}
		}
		s := w.student(id, who)
		s.follow(t, 25)
		states = append(states, s.st)
		summaries = append(summaries, s.st.Summary())
	}
	fitted := mastery.NewParamSet([]gradjudge.MasteryParams{{Concept: "loss-gradients", Prior: 0.5, Learn: 0.3, Guess: 0.1, Slip: 0.05}})
	for _, params := range []mastery.ParamSet{nil, fitted} {
		if got, want := w.model.Class(params, summaries), w.model.Class(params, states); !reflect.DeepEqual(got, want) {
			t.Errorf("Class of the summaries:\n%+v\nof the states:\n%+v", got, want)
		}
	}
	tags := mastery.Tags(states)
	if got := mastery.Tags(summaries); !reflect.DeepEqual(got, tags) {
		t.Errorf("Tags of the summaries = %+v, of the states %+v", got, tags)
	}
	if len(tags) == 0 || tags[0].Active == 0 || tags[0].Resolved == 0 {
		t.Errorf("the class's misconceptions %+v: want one active for some students and resolved for others", tags)
	}
}
