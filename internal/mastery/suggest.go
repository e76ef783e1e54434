package mastery

import (
	"cmp"
	"fmt"
	"slices"

	"gradjudge"
)

// Option is one exercise of a course as the student has it: their variant's seed and whether
// they solved it. Options are given in the course's order.
type Option struct {
	ExerciseID string
	Seed       uint64
	Solved     bool
}

// Suggestion is the next exercise to try and one line saying why. The zero ExerciseID means there
// is nothing to suggest.
type Suggestion struct {
	ExerciseID string
	Concept    string // the concept it practises
	Tag        string // the active misconception it tests; "" when it practises a concept
	Why        string
}

// Suggest returns the exercise that best tests an active misconception (the most recently shown
// one some exercise's variant tells apart; an unsolved exercise before a solved one, one of the
// misconception's concept first), or else the one that practises the least-mastered concept
// whose prerequisites (the concepts taught before it) are mastered, among the exercises not yet
// solved. Its error means the judge could not say what a variant tells apart.
func (m *Model) Suggest(params ParamSet, st gradjudge.LearnerState, course []Option) (Suggestion, error) {
	s, err := m.suggestMisconception(st, course)
	if err != nil || s.ExerciseID != "" {
		return s, err
	}
	return m.suggestConcept(params, st, course), nil
}

func (m *Model) suggestMisconception(st gradjudge.LearnerState, course []Option) (Suggestion, error) {
	active := slices.DeleteFunc(slices.Clone(st.Misconceptions), func(s gradjudge.MisconceptionStatus) bool { return !s.Active })
	slices.SortStableFunc(active, func(a, b gradjudge.MisconceptionStatus) int { return b.LastShownAt.Compare(a.LastShownAt) })
	for _, a := range active {
		concept := m.miscs[a.Tag].Concept
		best, bestRank := -1, 0
		for i, o := range course {
			tags, err := m.TellsApart(o.ExerciseID, o.Seed)
			if err != nil {
				return Suggestion{}, err
			}
			if !slices.Contains(tags, a.Tag) {
				continue
			}
			rank := 2*boolInt(o.Solved) + boolInt(!slices.Contains(m.exercises[o.ExerciseID].Concepts, concept))
			if best < 0 || rank < bestRank {
				best, bestRank = i, rank
			}
		}
		if best >= 0 {
			id := course[best].ExerciseID
			return Suggestion{ExerciseID: id, Concept: concept, Tag: a.Tag,
				Why: fmt.Sprintf("Try %q: a right answer there shows you no longer think %q, which you showed in %q.",
					m.exerciseTitle(id), m.title(a.Tag), m.exerciseTitle(a.ShownIn))}, nil
		}
	}
	return Suggestion{}, nil
}

// pick is a concept and the exercise that practises it best.
type pick struct {
	concept  string
	exercise int // index into the course
	ready    bool
	p        float64
	order    int
}

func (m *Model) suggestConcept(params ParamSet, st gradjudge.LearnerState, course []Option) Suggestion {
	var picks []pick
	ready := true // every concept taught before this one is mastered
	for order, c := range m.taught(course) {
		mastered := m.Mastered(params, st, c)
		if !mastered {
			if ex := m.bestExercise(c, course); ex >= 0 {
				picks = append(picks, pick{c, ex, ready, Mastery(params, st, c).P, order})
			}
		}
		ready = ready && mastered
	}
	if len(picks) == 0 {
		return Suggestion{Why: "Every concept of the course is mastered or has no exercise left to try."}
	}
	best := slices.MinFunc(picks, func(a, b pick) int {
		return cmp.Or(cmp.Compare(boolInt(!a.ready), boolInt(!b.ready)), cmp.Compare(a.p, b.p), cmp.Compare(a.order, b.order))
	})
	id := course[best.exercise].ExerciseID
	var why string
	switch {
	case Mastery(params, st, best.concept).Observations == 0 && best.order == 0:
		why = "the course's first concept, which you have not answered yet"
	case Mastery(params, st, best.concept).Observations == 0 && best.ready:
		why = "the next concept in the lesson's order, which you have not answered yet"
	case Mastery(params, st, best.concept).Observations == 0:
		why = "a concept you have not answered yet"
	case best.ready:
		why = fmt.Sprintf("your least mastered concept whose earlier concepts you have mastered (%d%%)", int(100*best.p+0.5))
	default:
		why = fmt.Sprintf("your least mastered concept with an exercise left to try (%d%%)", int(100*best.p+0.5))
	}
	return Suggestion{ExerciseID: id, Concept: best.concept,
		Why: fmt.Sprintf("Try %q: it practises %q, %s.", m.exerciseTitle(id), m.conceptTitle(best.concept), why)}
}

// taught returns the concepts the course's exercises teach, in the lesson's order.
func (m *Model) taught(course []Option) []string {
	return slices.DeleteFunc(slices.Clone(m.concepts), func(c string) bool {
		return !slices.ContainsFunc(course, func(o Option) bool { return slices.Contains(m.exercises[o.ExerciseID].Concepts, c) })
	})
}

// bestExercise returns the unsolved exercise of the course that practises concept with the fewest
// other concepts, the first in the course's order among equals; -1 when there is none.
func (m *Model) bestExercise(concept string, course []Option) int {
	best := -1
	for i, o := range course {
		cs := m.exercises[o.ExerciseID].Concepts
		if !o.Solved && slices.Contains(cs, concept) && (best < 0 || len(cs) < len(m.exercises[course[best].ExerciseID].Concepts)) {
			best = i
		}
	}
	return best
}

func (m *Model) exerciseTitle(id string) string {
	if t := m.exercises[id].Title; t != "" {
		return t
	}
	return id
}

func (m *Model) conceptTitle(id string) string {
	if t := m.titles[id]; t != "" {
		return t
	}
	return id
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
