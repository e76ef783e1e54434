package policy

import (
	"time"

	"gradjudge"
)

// Attempt is one judged submission as the policy sees it. Pass attempts in the order they were
// submitted.
type Attempt struct {
	At     time.Time        // when it was submitted (stored), not when it was judged
	Status gradjudge.Status // the verdict's status
	Score  float64          // the verdict's score, in [0, 1]
}

// counts reports whether a uses one of the student's attempts.
func (a Attempt) counts() bool { return a.Status.CountsAsAttempt() }

// wrong reports whether a is a counted attempt that is not accepted.
func (a Attempt) wrong() bool { return a.counts() && a.Status != gradjudge.StatusAccepted }

// NoCredit says why an attempt earns no credit.
type NoCredit string

// The reasons an attempt earns no credit.
const (
	NotCounted   NoCredit = "not_counted"   // its status costs no attempt (unreadable, compile error, judge error)
	NotOpen      NoCredit = "not_open"      // submitted before the exercise opened
	AfterDue     NoCredit = "after_due"     // late under LateNoCredit
	Closed       NoCredit = "closed"        // at or after the close, or so late the penalty leaves nothing
	AttemptsUsed NoCredit = "attempts_used" // past MaxAttempts
)

// Outcome is what one attempt counts for.
type Outcome struct {
	Counts bool // it used an attempt
	Number int  // which attempt it is, from 1; 0 when it does not count
	// Why says why it earns no credit; "" when it earns Value (which may be 0 for a wrong answer).
	Why      NoCredit
	DaysLate int     // days or parts of days after the due date; 0 on time
	Factor   float64 // what its score is multiplied by: lateness and, under GradePenalisedBest, earlier wrong attempts
	Value    float64 // its credit: Score × Factor, in [0, 1]; 0 when Why is set
}

// tally is what the attempts before one say about it.
type tally struct{ counted, wrong int }

func tallyOf(attempts []Attempt) tally {
	var t tally
	for _, a := range attempts {
		if a.counts() {
			t.counted++
		}
		if a.wrong() {
			t.wrong++
		}
	}
	return t
}

// Evaluate returns what attempt a counts for, after the attempts earlier.
func (p Policy) Evaluate(earlier []Attempt, a Attempt) Outcome {
	return p.evaluate(tallyOf(earlier), a)
}

func (p Policy) evaluate(before tally, a Attempt) Outcome {
	if !a.counts() {
		return Outcome{Why: NotCounted}
	}
	o := Outcome{Counts: true, Number: before.counted + 1}
	days, factor, why := p.lateness(a.At)
	o.DaysLate = days
	switch {
	case a.At.Before(p.Opens):
		o.Why = NotOpen
	case p.MaxAttempts > 0 && o.Number > p.MaxAttempts:
		o.Why = AttemptsUsed
	case why != "":
		o.Why = why
	}
	if o.Why != "" {
		return o
	}
	if p.gradeRule() == GradePenalisedBest {
		factor = roundFactor(factor * max(0, 1-float64(before.wrong)*p.PenaltyPerWrong))
	}
	o.Factor, o.Value = factor, clamp01(a.Score)*factor
	return o
}

// Outcomes evaluates every attempt after those before it.
func (p Policy) Outcomes(attempts []Attempt) []Outcome {
	out := make([]Outcome, len(attempts))
	var t tally
	for i, a := range attempts {
		out[i] = p.evaluate(t, a)
		t.counted += boolInt(a.counts())
		t.wrong += boolInt(a.wrong())
	}
	return out
}

// Grade is the course grade of one student on one exercise.
type Grade struct {
	Score   float64 // in [0, 1]
	Attempt int     // the Number of the attempt it comes from; 0 when no attempt earned credit
	Rule    string  // the rule, written next to the score (RuleText)
}

// GradeOf returns the grade the attempts earn under p.
func (p Policy) GradeOf(attempts []Attempt) Grade {
	g := Grade{Rule: p.RuleText()}
	for _, o := range p.Outcomes(attempts) {
		if !o.Counts || o.Why != "" {
			continue
		}
		if p.gradeRule() == GradeLast || g.Attempt == 0 || o.Value > g.Score {
			g.Score, g.Attempt = o.Value, o.Number
		}
	}
	return g
}

// Round is the variant round of the student's next attempt: 0 until FreshVariantAfter wrong
// attempts, then one more after every FreshVariantAfter more. The N-th wrong attempt is the last
// on a variant.
func (p Policy) Round(attempts []Attempt) int {
	if p.FreshVariantAfter == 0 {
		return 0
	}
	return tallyOf(attempts).wrong / p.FreshVariantAfter
}

// VariantSeed is the seed of round r of a student's exercise whose first variant has seed base
// (gradjudge.VariantSeed): base itself for round 0, and for every later round a seed of its own,
// the same on every call.
func VariantSeed(base uint64, round int) uint64 {
	if round <= 0 {
		return base
	}
	return splitmix64(base + uint64(round)*0x9e3779b97f4a7c15)
}

// splitmix64 is SplitMix64's output function: nearby inputs give unrelated outputs.
func splitmix64(x uint64) uint64 {
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// HintLevel is how much help the feedback gives beyond the verdict, in steps.
type HintLevel int

// The hint steps, each adding to the ones before. None of them gives the final answer: only
// Revealed answers do.
const (
	HintNone            HintLevel = iota // the verdict's feedback only
	HintMisconception                    // the explanation of the misconception the answer shows
	HintFirstWrong                       // the first wrong node
	HintLocalDerivative                  // the chain rule at that node, its local derivatives worked out
)

// Hint returns the hint level of the student's next feedback: HintNone before HintsAfter wrong
// attempts, then one step more per further wrong attempt, up to HintLocalDerivative.
func (p Policy) Hint(attempts []Attempt) HintLevel {
	wrong := tallyOf(attempts).wrong
	if p.HintsAfter == 0 || wrong < p.HintsAfter {
		return HintNone
	}
	return min(HintLocalDerivative, HintLevel(wrong-p.HintsAfter+1))
}

func clamp01(x float64) float64 {
	if !(x > 0) {
		return 0
	}
	return min(x, 1)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// GradedByBest reports whether p grades every student by their best score over the attempts
// that count (what progress keeps as the best score): the best-score rule with no opening, no
// due date (hence no extension) and no attempt limit, which is the zero Policy's grading. Then a
// caller may take the best score for GradeOf's without reading the attempts.
func (p Policy) GradedByBest() bool {
	return p.gradeRule() == GradeBest && p.Opens.IsZero() && p.Due.IsZero() && p.MaxAttempts == 0
}
