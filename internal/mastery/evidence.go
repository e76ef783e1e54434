package mastery

import (
	"slices"

	"gradjudge"
)

// HintPenalty is the credit each hint step seen takes from an answer, down to HintFloor: a
// right answer after the misconception's explanation is three quarters of a right answer, one
// after the first wrong answer was pointed out (or the chain rule worked out) is half of one.
const HintPenalty = 0.25

// HintFloor is the least credit hints leave a right answer: a credit of one half is no evidence
// either way under BKT (the answer is as likely from a student who knows as from one who does
// not), so an answer made with every hint neither raises nor lowers the estimate beyond the
// Learn step, which stands for what the hints and feedback taught. Hints never raise the credit
// of a wrong or partly right answer.
const HintFloor = 0.5

// IsEvidence says whether a verdict with status s says anything about what the student knows:
// only a graded answer does. A compile error, a crash, a limit, an unreadable answer or a judge
// failure is about the program or the form, not about backpropagation.
func IsEvidence(s gradjudge.Status) bool {
	return s == gradjudge.StatusAccepted || s == gradjudge.StatusPartial || s == gradjudge.StatusWrongAnswer
}

// Credit is how right verdict v is, in [0,1]: the share of its results that are right or build
// correctly on the student's own earlier wrong answers (a carried-forward error shows the step
// itself was done right), and never less than its score. An accepted verdict earns 1.
func Credit(v gradjudge.Verdict) float64 {
	if v.Status == gradjudge.StatusAccepted {
		return 1
	}
	c := clamp01(v.Score)
	if len(v.Results) == 0 {
		return c
	}
	good := 0
	for _, r := range v.Results {
		if r.Status == gradjudge.StatusAccepted || r.ConsistentWith != "" {
			good++
		}
	}
	return max(c, float64(good)/float64(len(v.Results)))
}

// Evidence returns what verdict v on submission s tells the model. active are the student's
// active misconception tags: only when a right answer meets some does the model ask the judge
// what the variant tells apart (up to milliseconds, then cached). The store fills in what only it
// knows: SubmissionID for a submission stored with its verdict, Repeat, and Hints. Its error
// means the judge could not say what the variant tells apart.
func (m *Model) Evidence(s gradjudge.Submission, v gradjudge.Verdict, active []string) (gradjudge.LearnerEvidence, error) {
	ev := gradjudge.LearnerEvidence{SubmissionID: s.ID, ExerciseID: s.ExerciseID, Seed: s.Seed, At: s.CreatedAt,
		Graded: IsEvidence(v.Status)}
	if !ev.Graded {
		return ev, nil
	}
	ev.Credit, ev.Right = Credit(v), v.Status == gradjudge.StatusAccepted
	ev.Shown = dedup(v.Misconceptions)
	e := m.exercises[s.ExerciseID]
	ev.Concepts = dedup(e.Concepts)
	for _, tag := range ev.Shown {
		if c := m.miscs[tag].Concept; c != "" && !slices.Contains(ev.Concepts, c) {
			ev.Concepts = append(ev.Concepts, c)
		}
	}
	if e.Kind == gradjudge.KindChoice {
		if va, err := m.catalog.Variant(s.ExerciseID, s.Seed); err == nil && len(va.Options) > 0 {
			ev.Chance = 1 / float64(len(va.Options))
		}
	}
	if ev.Right && len(active) > 0 {
		var err error
		if ev.TellsApart, err = m.TellsApart(s.ExerciseID, s.Seed); err != nil {
			return ev, err
		}
	}
	return ev, nil
}

// credit is the evidence's credit after its hints (HintPenalty, HintFloor).
func credit(ev gradjudge.LearnerEvidence) float64 {
	c := clamp01(ev.Credit)
	if ev.Hints <= 0 {
		return c
	}
	return min(c, max(HintFloor, 1-HintPenalty*float64(ev.Hints)))
}

func dedup(tags []string) []string {
	var out []string
	for _, t := range tags {
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func clamp01(x float64) float64 {
	if x != x || x < 0 { // NaN too
		return 0
	}
	return min(x, 1)
}
