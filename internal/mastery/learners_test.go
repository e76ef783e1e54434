package mastery_test

import (
	"slices"
	"testing"

	"gradjudge"
)

// fewExercises is how many right answers on a concept a master needs before it is shown mastered.
const fewExercises = 3

// TestMasterIsShownMastered has students who answer everything right follow the suggestions: each
// concept with two or more exercises in the course is shown mastered within fewExercises right
// answers on it, and nothing they never showed is ever active.
func TestMasterIsShownMastered(t *testing.T) {
	w := newWorld(t)
	for id := int64(1); id <= 4; id++ {
		s := w.student(id, master{})
		firstMastered := map[string]int{} // concept → its observations when first mastered
		for range 60 {
			sg := s.suggest(t)
			if sg.ExerciseID == "" {
				break
			}
			s.try(t, sg.ExerciseID)
			for _, c := range s.st.Concepts {
				if _, ok := firstMastered[c.Concept]; !ok && w.model.Mastered(nil, s.st, c.Concept) {
					firstMastered[c.Concept] = c.Observations
				}
			}
		}
		if len(s.st.Misconceptions) > 0 {
			t.Errorf("master %d: misconceptions %+v", id, s.st.Misconceptions)
		}
		for _, c := range s.st.Concepts {
			n, ok := firstMastered[c.Concept]
			switch {
			case w.exercisesOf(c.Concept) < 2:
			case !ok:
				t.Errorf("master %d: %s never shown mastered (%s)", id, c.Concept, w.model.Explain(nil, s.st, c.Concept).Words)
			case n > fewExercises:
				t.Errorf("master %d: %s shown mastered after %d right answers, want at most %d", id, c.Concept, n, fewExercises)
			}
		}
	}
}

func (w *world) exercisesOf(concept string) int {
	n := 0
	for _, e := range w.cat.Exercises() {
		if slices.Contains(w.course, e.ID) && slices.Contains(e.Concepts, concept) {
			n++
		}
	}
	return n
}

// TestGuesserIsNeverMastered has students who guess numbers and options go through the course
// three times, retrying what they did not solve: no concept is ever shown mastered.
func TestGuesserIsNeverMastered(t *testing.T) {
	w := newWorld(t)
	for id := int64(1); id <= 6; id++ {
		s := w.student(id, guesser{})
		for round := range 3 {
			for _, ex := range w.course {
				if s.solved[ex] {
					continue
				}
				s.try(t, ex)
				for _, c := range s.st.Concepts {
					if w.model.Mastered(nil, s.st, c.Concept) {
						t.Fatalf("guesser %d, round %d, after %s: %s shown mastered (P %.3f, %d observations)",
							id, round, ex, c.Concept, c.P, c.Observations)
					}
				}
				s.checkSuggestion(t, s.suggest(t))
			}
		}
	}
}

// TestBeliefResolves has, for every misconception some exercise of the course can show, a student
// who holds it meet it, get the feedback, drop it and follow the suggestions: the suggestion
// after the showing tests the belief, and the misconception is resolved within two right answers
// on variants that tell it apart. A student who keeps the belief never has it resolved.
func TestBeliefResolves(t *testing.T) {
	w := newWorld(t)
	var tested []string
	for i, tag := range w.tags() {
		for _, drops := range []bool{true, false} {
			b := &believer{tag: tag, holds: true, drops: drops}
			s := w.student(int64(100+i), b)
			if !s.meet(t, b) {
				continue
			}
			if sg := s.suggest(t); sg.Tag != tag {
				t.Errorf("%s: the suggestion after showing it is %+v, want one testing it", tag, sg)
			}
			for range 40 {
				sg := s.suggest(t)
				s.checkSuggestion(t, sg)
				if sg.ExerciseID == "" || (drops && b.rights >= 2) {
					break
				}
				v, _ := s.try(t, sg.ExerciseID)
				if !b.holds && v.Status == gradjudge.StatusAccepted && s.tellsApart(t, sg.ExerciseID, tag) {
					b.rights++
				}
			}
			st := s.status(tag)
			switch {
			case drops && st.Active:
				t.Errorf("%s: still active after %d right answers that tell it apart: %+v", tag, b.rights, st)
			case drops && (st.ResolvedAt == nil || st.ResolvedBy == ""):
				t.Errorf("%s: resolved without a date or exercise: %+v", tag, st)
			case !drops && !st.Active:
				t.Errorf("%s: resolved for a student who still holds it: %+v", tag, st)
			}
			if drops {
				tested = append(tested, tag)
			}
		}
	}
	if len(tested) < 10 {
		t.Errorf("beliefs shown and dropped: %v; want at least 10 of the catalog's", tested)
	}
	t.Logf("beliefs resolved: %v", tested)
}

// meet has the believer answer the course's exercises in order until one shows the belief.
func (s *student) meet(t *testing.T, b *believer) bool {
	for _, ex := range s.w.course {
		if b.shown > 0 {
			return true
		}
		if s.tellsApart(t, ex, b.tag) {
			s.try(t, ex)
		}
	}
	return b.shown > 0
}

func (s *student) tellsApart(t *testing.T, ex, tag string) bool {
	tags, err := s.w.judge.TellsApart(ex, gradjudge.VariantSeed(1, s.id, ex))
	if err != nil {
		t.Fatal(err)
	}
	return slices.Contains(tags, tag)
}

func (s *student) status(tag string) gradjudge.MisconceptionStatus {
	for _, m := range s.st.Misconceptions {
		if m.Tag == tag {
			return m
		}
	}
	return gradjudge.MisconceptionStatus{Tag: tag}
}

// tags lists the misconception catalog's tags.
func (w *world) tags() []string {
	var out []string
	for _, m := range w.cat.Misconceptions() {
		out = append(out, m.Tag)
	}
	return out
}
