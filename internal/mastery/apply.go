package mastery

import (
	"slices"
	"strings"

	"gradjudge"
)

// Change is what one piece of evidence changed in a learner's state: the entries to write.
type Change struct {
	Concepts       []gradjudge.ConceptMastery
	Misconceptions []gradjudge.MisconceptionStatus
}

// Empty says whether nothing changed.
func (c Change) Empty() bool { return len(c.Concepts) == 0 && len(c.Misconceptions) == 0 }

// Apply updates st with ev under params and returns the entries it changed. Evidence that is not
// Graded changes nothing. Each concept ev bears on gets one BKT update with the evidence's
// credit, except a right answer to a variant answered right before, which is no new evidence.
// Each tag shown becomes active (reopened if it was resolved); a right answer resolves every
// active tag the variant tells apart and that was last shown no later than the answer.
func Apply(params ParamSet, st *gradjudge.LearnerState, ev gradjudge.LearnerEvidence) Change {
	var ch Change
	if !ev.Graded {
		return ch
	}
	sortState(st)
	if !(ev.Repeat && ev.Right) {
		for _, c := range ev.Concepts {
			ch.Concepts = append(ch.Concepts, observe(params.Of(c), conceptEntry(st, params, c), ev))
		}
	}
	for _, tag := range ev.Shown {
		ch.Misconceptions = append(ch.Misconceptions, show(misconceptionEntry(st, tag), ev))
	}
	if ev.Right {
		for i := range st.Misconceptions {
			m := &st.Misconceptions[i]
			if m.Active && slices.Contains(ev.TellsApart, m.Tag) && !ev.At.Before(m.LastShownAt) {
				ch.Misconceptions = append(ch.Misconceptions, resolve(m, ev))
			}
		}
	}
	return ch
}

func observe(p gradjudge.MasteryParams, cm *gradjudge.ConceptMastery, ev gradjudge.LearnerEvidence) gradjudge.ConceptMastery {
	cm.P = Update(cm.P, credit(ev), p, ev.Chance)
	cm.Observations++
	cm.LastRight, cm.LastHinted = ev.Right && ev.Hints == 0, ev.Right && ev.Hints > 0
	switch {
	case !cm.LastRight:
		cm.Streak = 0
	case !ev.Repeat:
		cm.Streak++
	}
	cm.UpdatedAt = ev.At
	return *cm
}

func show(m *gradjudge.MisconceptionStatus, ev gradjudge.LearnerEvidence) gradjudge.MisconceptionStatus {
	if m.Shown == 0 {
		m.FirstShownAt = ev.At
	} else if !m.Active {
		m.Reopened++
	}
	m.Shown++
	m.Active, m.ResolvedAt, m.ResolvedBy, m.ResolvedBySubmission = true, nil, "", 0
	if !ev.At.Before(m.LastShownAt) {
		m.LastShownAt, m.ShownIn = ev.At, ev.ExerciseID
	}
	return *m
}

func resolve(m *gradjudge.MisconceptionStatus, ev gradjudge.LearnerEvidence) gradjudge.MisconceptionStatus {
	at := ev.At
	m.Active, m.ResolvedAt, m.ResolvedBy, m.ResolvedBySubmission = false, &at, ev.ExerciseID, ev.SubmissionID
	return *m
}

// conceptEntry returns st's entry of concept, inserting one at the prior where it has none.
func conceptEntry(st *gradjudge.LearnerState, params ParamSet, concept string) *gradjudge.ConceptMastery {
	i, ok := slices.BinarySearchFunc(st.Concepts, concept, func(c gradjudge.ConceptMastery, k string) int {
		return strings.Compare(c.Concept, k)
	})
	if !ok {
		st.Concepts = slices.Insert(st.Concepts, i, gradjudge.ConceptMastery{Concept: concept, P: params.Of(concept).Prior})
	}
	return &st.Concepts[i]
}

// misconceptionEntry returns st's entry of tag, inserting an empty one where it has none.
func misconceptionEntry(st *gradjudge.LearnerState, tag string) *gradjudge.MisconceptionStatus {
	i, ok := slices.BinarySearchFunc(st.Misconceptions, tag, func(m gradjudge.MisconceptionStatus, k string) int {
		return strings.Compare(m.Tag, k)
	})
	if !ok {
		st.Misconceptions = slices.Insert(st.Misconceptions, i, gradjudge.MisconceptionStatus{Tag: tag})
	}
	return &st.Misconceptions[i]
}

// Mastery returns the student's probability of mastery of concept: the prior when there is no
// evidence yet.
func Mastery(params ParamSet, st gradjudge.LearnerState, concept string) gradjudge.ConceptMastery {
	for _, c := range st.Concepts {
		if c.Concept == concept {
			return c
		}
	}
	return gradjudge.ConceptMastery{Concept: concept, P: params.Of(concept).Prior}
}

// Update is Apply for the store: fitted are the course's stored parameters; it says whether st
// changed.
func (m *Model) Update(fitted []gradjudge.MasteryParams, st *gradjudge.LearnerState, ev gradjudge.LearnerEvidence) bool {
	return !Apply(NewParamSet(fitted), st, ev).Empty()
}

// sortState sorts st's entries by key, as Apply finds them; a stored state may come unsorted.
func sortState(st *gradjudge.LearnerState) {
	byConcept := func(a, b gradjudge.ConceptMastery) int { return strings.Compare(a.Concept, b.Concept) }
	byTag := func(a, b gradjudge.MisconceptionStatus) int { return strings.Compare(a.Tag, b.Tag) }
	if !slices.IsSortedFunc(st.Concepts, byConcept) {
		slices.SortFunc(st.Concepts, byConcept)
	}
	if !slices.IsSortedFunc(st.Misconceptions, byTag) {
		slices.SortFunc(st.Misconceptions, byTag)
	}
}
