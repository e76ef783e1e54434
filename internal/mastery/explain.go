package mastery

import (
	"fmt"
	"math"
	"slices"

	"gradjudge"
)

// GettingThereAt is the probability of mastery from which a concept is described as "getting
// there" rather than "not yet".
const GettingThereAt = 0.6

// Explanation is a concept's mastery as a student or instructor reads it.
type Explanation struct {
	Concept  string
	P        float64 // the probability of mastery
	Percent  int     // P as a whole percentage, for a bar
	Mastered bool
	// Measured says whether any answer bears on the concept: before one, P is only the prior,
	// which pages do not show as a level reached.
	Measured bool
	// Words say where the student stands and why, e.g. "likely mastered: 4 right in a row on new
	// variants".
	Words string
	// Raise says what would raise it, when the course is known (Raise); "" once mastered.
	Raise string
}

// Mastered says whether the student has mastered concept: a probability of at least MasteredAt
// and no active misconception of the concept.
func (m *Model) Mastered(params ParamSet, st gradjudge.LearnerState, concept string) bool {
	return Mastery(params, st, concept).P >= MasteredAt && len(m.activeIn(st, concept)) == 0
}

// activeIn returns the active misconceptions of concept, most recently shown first.
func (m *Model) activeIn(st gradjudge.LearnerState, concept string) []gradjudge.MisconceptionStatus {
	var out []gradjudge.MisconceptionStatus
	for _, s := range st.Misconceptions {
		if s.Active && m.miscs[s.Tag].Concept == concept {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b gradjudge.MisconceptionStatus) int { return b.LastShownAt.Compare(a.LastShownAt) })
	return out
}

// Explain describes the student's mastery of concept in words.
func (m *Model) Explain(params ParamSet, st gradjudge.LearnerState, concept string) Explanation {
	cm := Mastery(params, st, concept)
	e := Explanation{Concept: concept, P: cm.P, Percent: int(math.Round(100 * cm.P)), Mastered: m.Mastered(params, st, concept),
		Measured: cm.Observations > 0}
	active := m.activeIn(st, concept)
	switch {
	case len(active) > 0:
		e.Words = fmt.Sprintf("not yet mastered: %q is still open (shown in %q)", m.title(active[0].Tag), m.exerciseTitle(active[0].ShownIn))
	case cm.Observations == 0:
		e.Words = "no answers yet"
	case e.Mastered:
		e.Words = "likely mastered" + because(cm)
	case cm.P >= GettingThereAt:
		e.Words = "getting there" + because(cm)
	default:
		e.Words = "not yet" + because(cm)
	}
	return e
}

func because(cm gradjudge.ConceptMastery) string {
	switch {
	case cm.LastHinted:
		return ": the last answer was right but came after hints, so it counts for less than one without"
	case cm.Streak == 1:
		return ": 1 right answer on a new variant"
	case cm.Streak > 1:
		return fmt.Sprintf(": %d right in a row on new variants", cm.Streak)
	case !cm.LastRight:
		return ": the last answer was not fully right"
	}
	return ""
}

// title is the catalog title of tag, or the tag itself.
func (m *Model) title(tag string) string {
	if t := m.miscs[tag].Title; t != "" {
		return t
	}
	return tag
}

// ConceptSummary is one concept over a class: how many students have mastered it and the mean
// probability of mastery over the students with evidence.
type ConceptSummary struct {
	Concept  string
	Students int // students with evidence about the concept
	Mastered int
	MeanP    float64 // 0 when no student has evidence
}

// Class summarizes every concept over the states of a class, in the lesson's order.
func (m *Model) Class(params ParamSet, states []gradjudge.LearnerState) []ConceptSummary {
	out := make([]ConceptSummary, len(m.concepts))
	for i, c := range m.concepts {
		out[i].Concept = c
		for _, st := range states {
			if cm := Mastery(params, st, c); cm.Observations > 0 {
				out[i].Students++
				out[i].MeanP += cm.P
				if m.Mastered(params, st, c) {
					out[i].Mastered++
				}
			}
		}
		if out[i].Students > 0 {
			out[i].MeanP /= float64(out[i].Students)
		}
	}
	return out
}

// TagStatus counts the students for whom one misconception is active, and resolved.
type TagStatus struct {
	Tag              string
	Active, Resolved int
}

// Tags counts each misconception's active and resolved students over states, by tag.
func Tags(states []gradjudge.LearnerState) []TagStatus {
	byTag := map[string]*TagStatus{}
	var tags []string
	for _, st := range states {
		for _, s := range st.Misconceptions {
			t, ok := byTag[s.Tag]
			if !ok {
				t = &TagStatus{Tag: s.Tag}
				byTag[s.Tag] = t
				tags = append(tags, s.Tag)
			}
			if s.Active {
				t.Active++
			} else {
				t.Resolved++
			}
		}
	}
	slices.Sort(tags)
	out := make([]TagStatus, len(tags))
	for i, tag := range tags {
		out[i] = *byTag[tag]
	}
	return out
}

// Raise says what would raise the student's mastery of concept in a course of the given
// exercises: "" once mastered; a right answer to a variant that would show an open misconception
// again; else a right answer to the exercise on it they have not solved; else, with every
// exercise on it solved, why it stays where it is. A right answer to a variant answered right
// before is no new evidence, so a concept that one exercise teaches stops at what one right
// answer can show (with the defaults, about 82% from the prior): only more exercises on it can
// show more, and the words say so rather than leave a student retrying a solved exercise.
func (m *Model) Raise(params ParamSet, st gradjudge.LearnerState, concept string, course []Option) string {
	if m.Mastered(params, st, concept) {
		return ""
	}
	if active := m.activeIn(st, concept); len(active) > 0 {
		return fmt.Sprintf("A right answer to a variant that could show %q again resolves it.", m.title(active[0].Tag))
	}
	if ex := m.bestExercise(concept, course); ex >= 0 {
		return fmt.Sprintf("A right answer to %q would raise it.", m.exerciseTitle(course[ex].ExerciseID))
	}
	n := 0
	for _, o := range course {
		if slices.Contains(m.exercises[o.ExerciseID].Concepts, concept) {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	what := "the one exercise on it"
	if n > 1 {
		what = fmt.Sprintf("all %d exercises on it", n)
	}
	return fmt.Sprintf("You have answered %s right, and answering a variant right again is no new evidence, "+
		"so this is as high as your answers can show; more exercises on it would show more.", what)
}
