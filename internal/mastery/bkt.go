package mastery

import (
	"math"

	"gradjudge"
)

// guess is the probability that a student who has not mastered the concept answers right: the
// concept's Guess, or the chance of picking the right option blindly when that is higher.
func guess(p gradjudge.MasteryParams, chance float64) float64 { return math.Max(p.Guess, chance) }

// PCorrect is the probability of a right answer by a student who has mastered the concept with
// probability pL: pL·(1 − slip) + (1 − pL)·guess.
func PCorrect(pL float64, p gradjudge.MasteryParams, chance float64) float64 {
	return pL*(1-p.Slip) + (1-pL)*guess(p, chance)
}

// Update returns the probability of mastery after an answer with credit c in [0,1], given pL
// before it: Bayes' rule on the answer, then the chance Learn of learning from its feedback,
//
//	known   = pL·(c·(1 − slip) + (1 − c)·slip)
//	unknown = (1 − pL)·(c·guess + (1 − c)·(1 − guess))
//	P(L | answer) = known / (known + unknown)
//	P(L next)     = P(L | answer) + (1 − P(L | answer))·learn
//
// A credit of 1 or 0 is standard BKT; a partial credit is soft evidence, the mixture of the two.
func Update(pL, c float64, p gradjudge.MasteryParams, chance float64) float64 {
	g := guess(p, chance)
	known := pL * (c*(1-p.Slip) + (1-c)*p.Slip)
	unknown := (1 - pL) * (c*g + (1-c)*(1-g))
	post := pL
	if known+unknown > 0 {
		post = known / (known + unknown)
	}
	return post + (1-post)*p.Learn
}

// likelihood is the probability the model gave an answer with credit c when it predicted a right
// answer with probability pc.
func likelihood(c, pc float64) float64 { return c*pc + (1-c)*(1-pc) }
