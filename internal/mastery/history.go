package mastery

import (
	"cmp"
	"slices"
	"time"

	"gradjudge"
)

// Observation is one piece of evidence about one concept, as the model uses it.
type Observation struct {
	Credit float64 // after hints
	Chance float64
	Right  bool
}

// Sequence is one student's observations of one concept, oldest first.
type Sequence struct {
	UserID  int64
	Concept string
	Obs     []Observation
}

// Hints are the hint steps shown in a course (store.DB.HintUses), in any order; nil is none.
type Hints []gradjudge.HintUse

// Before counts the hint steps shown to the student on the exercise at or before at: the Hints
// of an answer made then.
func (h Hints) Before(userID int64, exerciseID string, at time.Time) int {
	n := 0
	for _, u := range h {
		if u.UserID == userID && u.ExerciseID == exerciseID && !u.RevealedAt.After(at) {
			n++
		}
	}
	return n
}

// History turns a course's judged submissions, in any order, into each student's sequence of
// observations per concept, as Apply would have used them: graded answers only, a right answer
// to a variant answered right before left out, the hints seen before each answer counted.
// Submissions without a verdict are skipped. Sequences are ordered by user, then concept.
func (m *Model) History(subs []gradjudge.Submission, hints Hints) []Sequence {
	subs = slices.Clone(subs)
	slices.SortFunc(subs, func(a, b gradjudge.Submission) int {
		return cmp.Or(cmp.Compare(a.UserID, b.UserID), a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	type key struct {
		user    int64
		concept string
	}
	seqs := map[key]*Sequence{}
	solved := map[variant]bool{}
	for _, s := range subs {
		if s.Verdict == nil {
			continue
		}
		ev, _ := m.Evidence(s, *s.Verdict, nil) // no active tags: the judge is not asked
		v := variant{s.UserID, s.ExerciseID, s.Seed}
		ev.Repeat, ev.Hints = solved[v], hints.Before(s.UserID, s.ExerciseID, s.CreatedAt)
		solved[v] = solved[v] || ev.Right
		if !ev.Graded || (ev.Repeat && ev.Right) {
			continue
		}
		for _, c := range ev.Concepts {
			k := key{s.UserID, c}
			if seqs[k] == nil {
				seqs[k] = &Sequence{UserID: s.UserID, Concept: c}
			}
			seqs[k].Obs = append(seqs[k].Obs, Observation{Credit: credit(ev), Chance: ev.Chance, Right: ev.Right && ev.Hints == 0})
		}
	}
	out := make([]Sequence, 0, len(seqs))
	for _, s := range seqs {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Sequence) int {
		return cmp.Or(cmp.Compare(a.UserID, b.UserID), cmp.Compare(a.Concept, b.Concept))
	})
	return out
}

// Replay returns the learner state a student's judged submissions (and the hints they saw) lead
// to under params, from nothing: after a fit, the course's states are recomputed with the new
// parameters. Misconception statuses are replayed too, with what each variant tells apart asked
// of the judge as Apply asks.
func (m *Model) Replay(params ParamSet, courseID, userID int64, subs []gradjudge.Submission, hints Hints) (gradjudge.LearnerState, error) {
	subs = slices.Clone(subs)
	slices.SortFunc(subs, func(a, b gradjudge.Submission) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	st := gradjudge.LearnerState{CourseID: courseID, UserID: userID}
	solved := map[variant]bool{}
	for _, s := range subs {
		if s.Verdict == nil || s.UserID != userID {
			continue
		}
		ev, err := m.Evidence(s, *s.Verdict, activeTags(st))
		if err != nil {
			return st, err
		}
		v := variant{userID, s.ExerciseID, s.Seed}
		ev.Repeat, ev.Hints = solved[v], hints.Before(userID, s.ExerciseID, s.CreatedAt)
		solved[v] = solved[v] || ev.Right
		Apply(params, &st, ev)
	}
	return st, nil
}

// variant is one student's variant of an exercise.
type variant struct {
	user     int64
	exercise string
	seed     uint64
}

func activeTags(st gradjudge.LearnerState) []string {
	var out []string
	for _, s := range st.Misconceptions {
		if s.Active {
			out = append(out, s.Tag)
		}
	}
	return out
}
