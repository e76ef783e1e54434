package exercises

import (
	"slices"

	"gradjudge/autograd"
)

// PairPredictions returns the predictions of a student holding two built-in rules at once: every
// pair of rules that autograd.Combines, followed together everywhere (two beliefs), then at each
// node where both can change something (two slips in one statement). A pair is left out when it
// changes no asked answer, when it predicts exactly what one rule alone predicts (that rule is the
// simpler explanation), or when an earlier pair with the same tags predicts the same. Computed
// on first use: grading asks for pairs only when no single rule explains a submission.
func (in *Instance) PairPredictions() []Prediction {
	if in.paired || in.Run == nil {
		return in.pairs
	}
	in.paired = true
	singles := in.Predictions()
	for _, app := range PairApplications(in.Exercise.Graph) {
		p := in.predict(app)
		if p.differs() && !slices.ContainsFunc(singles, p.sameAnswers) && !slices.ContainsFunc(in.pairs, p.same) {
			in.pairs = append(in.pairs, p)
		}
	}
	return in.pairs
}

// PairApplications returns every two built-in rules that combine and can each change g's
// gradients: as beliefs, then as slips at each named node.
func PairApplications(g *autograd.Graph) []autograd.Application {
	rules := autograd.BugRules()
	var out []autograd.Application
	for _, at := range append([]string{""}, g.Names()...) {
		for i, r := range rules {
			if !(autograd.Application{Rule: r, At: at}).Affects(g) {
				continue
			}
			for _, s := range rules[i+1:] {
				if autograd.Combines(r, s) && (autograd.Application{Rule: s, At: at}).Affects(g) {
					out = append(out, autograd.Application{Rule: r, Also: s, At: at})
				}
			}
		}
	}
	return out
}
