// Package mastery is the learner model: per student and concept a probability of mastery by
// Bayesian Knowledge Tracing (BKT), misconceptions that resolve on a right answer to a variant
// that would have shown them, the words a student reads about both, the next exercise to try,
// and the fit of a course's parameters to its own data. It is pure: the store calls Apply inside
// a verdict's write, the application core calls Explain and Suggest to show the model, and the
// command line calls Fit.
package mastery

import (
	"fmt"
	"math"

	"gradjudge"
)

// Default BKT parameters, used for every concept a course has no fitted parameters for. Numbers
// and code are hard to guess (a choice question raises Guess to 1/options per answer, see
// LearnerEvidence.Chance), so two right answers on new variants make a concept likely mastered
// and one wrong answer after that does not undo it.
const (
	DefaultPrior = 0.25
	DefaultLearn = 0.15
	DefaultGuess = 0.08
	DefaultSlip  = 0.10
)

// MasteredAt is the probability of mastery from which a concept counts as mastered: the usual
// threshold of BKT tutors.
const MasteredAt = 0.95

// MaxGuessSlip bounds Guess and Slip: above one half the model is degenerate (a right answer
// would be evidence of not knowing).
const MaxGuessSlip = 0.5

// Defaults returns the default parameters of concept.
func Defaults(concept string) gradjudge.MasteryParams {
	return gradjudge.MasteryParams{Concept: concept, Prior: DefaultPrior, Learn: DefaultLearn,
		Guess: DefaultGuess, Slip: DefaultSlip}
}

// Check returns an EINVALID error when p is unusable: a probability outside [0,1], Guess or Slip
// above MaxGuessSlip, or no concept.
func Check(p gradjudge.MasteryParams) error {
	bad := func(what string, x float64, max float64) error {
		if math.IsNaN(x) || x < 0 || x > max {
			return gradjudge.Errorf(gradjudge.EINVALID, "concept %s: %s = %v: want 0 to %v", p.Concept, what, x, max)
		}
		return nil
	}
	if p.Concept == "" {
		return gradjudge.Errorf(gradjudge.EINVALID, "mastery parameters need a concept")
	}
	for _, e := range []error{bad("prior", p.Prior, 1), bad("learn", p.Learn, 1),
		bad("guess", p.Guess, MaxGuessSlip), bad("slip", p.Slip, MaxGuessSlip)} {
		if e != nil {
			return e
		}
	}
	return nil
}

// ParamSet is the parameters of a course: fitted ones by concept, the defaults for the rest. The
// zero value uses the defaults everywhere.
type ParamSet map[string]gradjudge.MasteryParams

// NewParamSet returns the set holding fitted, as a course stores them.
func NewParamSet(fitted []gradjudge.MasteryParams) ParamSet {
	s := make(ParamSet, len(fitted))
	for _, p := range fitted {
		s[p.Concept] = p
	}
	return s
}

// Of returns the parameters of concept.
func (s ParamSet) Of(concept string) gradjudge.MasteryParams {
	if p, ok := s[concept]; ok {
		return p
	}
	return Defaults(concept)
}

// String formats p for a report: "prior 0.25 learn 0.15 guess 0.08 slip 0.10".
func String(p gradjudge.MasteryParams) string {
	return fmt.Sprintf("prior %.2f learn %.2f guess %.2f slip %.2f", p.Prior, p.Learn, p.Guess, p.Slip)
}
