package judge

import (
	"slices"

	"gradjudge/autograd"
	"gradjudge/exercises"
)

// PairFigure counts how simulated students holding two beliefs at once fare on an exercise.
type PairFigure struct {
	// Shown counts (seed, pair of beliefs) whose variant can show the pair: its answers differ
	// from the right ones, from every single rule's and from every other pair's with other tags.
	Shown int
	// Named counts the shown ones whose verdict names both beliefs and nothing else.
	Named int
	// Foreign counts the shown ones whose verdict names a tag the student does not hold.
	Foreign int
	// Told maps each pair of rules ("a+b") to the seeds on which it was shown.
	Told map[string]int
}

// Percent is Named as a percentage of Shown (100 when nothing was shown).
func (f PairFigure) Percent() float64 {
	if f.Shown == 0 {
		return 100
	}
	return 100 * float64(f.Named) / float64(f.Shown)
}

func (f *PairFigure) add(g PairFigure) {
	f.Shown, f.Named, f.Foreign = f.Shown+g.Shown, f.Named+g.Named, f.Foreign+g.Foreign
}

// checkPairs grades, on one variant, the answers of a student holding each pair of beliefs the
// variant can show, exact and (every other pair) rounded to three significant figures. A verdict
// naming a tag the student does not hold is a failure.
func (j *Judge) checkPairs(in *exercises.Instance, rep *ExerciseReport) {
	fig := &rep.Pairs
	if fig.Told == nil {
		fig.Told = map[string]int{}
	}
	singles, pairs := in.Predictions(), in.PairPredictions()
	for k, p := range pairs {
		if p.Slip || !shows(in.Exercise, p, singles, pairs) {
			continue
		}
		answers := slices.Clone(in.Answers)
		for i, differs := range p.Differs {
			if differs {
				answers[i] = p.Answers[i]
			}
		}
		if k%2 == 1 {
			answers = round3(in, answers)
		}
		if j.singlesExplain(in, answers) {
			continue // single rules together explain these answers fully: the variant cannot show the pair
		}
		v := j.gradeNumbers(in, answers)
		fig.Shown++
		fig.Told[p.Name]++
		held := p.Tags()
		if slices.ContainsFunc(v.Misconceptions, func(t string) bool { return !slices.Contains(held, t) }) {
			fig.Foreign++
			rep.Fail("seed %d: a student holding %s was tagged %v", in.Seed, p.Name, v.Misconceptions)
		} else if len(v.Misconceptions) == len(held) {
			fig.Named++
		}
	}
}

// singlesExplain reports whether single rules (several, each matching some answers) explain
// every wrong answer without contradiction.
func (j *Judge) singlesExplain(in *exercises.Instance, answers []autograd.Tensor) bool {
	right := make([]bool, len(answers))
	for i, q := range in.Exercise.Quantities {
		right[i] = q.Tolerance.Accepts(answers[i], in.Answers[i])
	}
	return diagnose(in, answers, right).singleFull
}

// shows reports whether answers following p can be told from the answers of every single rule and
// of every pair with other tags.
func shows(e *exercises.Exercise, p exercises.Prediction, singles, pairs []exercises.Prediction) bool {
	for _, q := range singles {
		if !p.Distinct(q, e) {
			return false
		}
	}
	for _, q := range pairs {
		if !sameTags(p, q) && !p.Distinct(q, e) {
			return false
		}
	}
	return true
}

func sameTags(p, q exercises.Prediction) bool {
	a, b := p.Tags(), q.Tags()
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
