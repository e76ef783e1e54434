package exercises

import (
	"cmp"
	"slices"

	"gradjudge/autograd"
)

// RequiredPercent is the share of samples on which a built-in rule must show, and be told apart
// from each rule required before it, to be required on every variant: of sampleDraws draws for a
// numeric exercise (applicableRules), of the validated seeds for a code exercise (the code judge's
// case validation). A rule that shows less often is still diagnosed whenever it shows.
const RequiredPercent = 75

// Rank orders the explanations of a wrong answer that fit it equally well; the lower rank wins,
// and numeric diagnosis, code diagnosis and validation all break ties by it. Its keys, in order:
//
//  1. specific before engine-level: a rule replacing one op's backward rule (or an author's rule)
//     before chain-rule-add, upstream-gradient-dropped, local-factor-dropped or fanout-not-summed.
//     On the lessons' small graphs an engine-level rule often predicts exactly what a specific one
//     does (dropping a local factor of 1 changes nothing; dropping the 2 of a square is dropping
//     that statement's local factor), and the specific rule names the one derivative to fix.
//  2. belief before slip: a rule followed everywhere before the same rule at one node. There are
//     many more slips (every rule at every node) than beliefs, so a slip matching by coincidence is
//     the likelier story only when no belief matches at all.
//
// Specificity comes first because it is what the feedback acts on: a specific slip still tells
// the student which derivative is wrong, where an engine-level belief tells them only that
// "something in the chain" is.
func Rank(specific, slip bool) int {
	r := 0
	if !specific {
		r += 2
	}
	if slip {
		r++
	}
	return r
}

// WorstRank is one more than the largest Rank: a sentinel for "no explanation yet".
const WorstRank = 4

// RankOf is the Rank of a built-in rule's application.
func RankOf(app autograd.Application) int { return Rank(app.Rule.Op != "", app.At != "") }

// Rank is the Rank of a prediction. Between two explanations that fit equally well, the one with
// fewer beliefs (Prediction.Beliefs) wins before Rank is asked.
func (p Prediction) Rank() int { return Rank(p.Specific, p.Slip) }

// SortByRank orders rules followed as beliefs by Rank, keeping their order within a rank.
func SortByRank(rules []*autograd.BugRule) {
	slices.SortStableFunc(rules, func(a, b *autograd.BugRule) int {
		return cmp.Compare(RankOf(autograd.Application{Rule: a}), RankOf(autograd.Application{Rule: b}))
	})
}
