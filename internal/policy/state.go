package policy

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"gradjudge"
)

// State is where a student stands on an exercise at a moment: what the exercise page shows.
// Compute it with the student's policy (WithExtension applied).
type State struct {
	Open bool // submissions are accepted now (Admit)
	// Why says why a counted attempt now would earn no credit; "" when it would earn credit.
	Why         NoCredit
	Next        int     // the Number the next counted attempt gets
	MaxAttempts int     // 0: unlimited
	Wrong       int     // wrong attempts so far
	LateFactor  float64 // what lateness leaves of a score submitted now: 1 on time
	Hint        HintLevel
	Revealed    bool
	Round       int // the variant round: see VariantSeed
	Grade       Grade
}

// StateAt returns the student's state at now after attempts.
func (p Policy) StateAt(now time.Time, attempts []Attempt) State {
	t := tallyOf(attempts)
	next := p.evaluate(t, Attempt{At: now, Status: gradjudge.StatusAccepted, Score: 1})
	s := State{Open: p.Admit(now) == nil, Why: next.Why, Next: next.Number, MaxAttempts: p.MaxAttempts,
		Wrong: t.wrong, Hint: p.Hint(attempts), Revealed: p.Revealed(now), Round: p.Round(attempts),
		Grade: p.GradeOf(attempts)}
	_, s.LateFactor, _ = p.lateness(now)
	return s
}

// RuleText says in a few words how the grade is computed, for next to the score and grades.csv:
// "best attempt", "last of 3 attempts", "best of 5 attempts, −10% per earlier wrong attempt",
// with the late rule when there is a due date.
func (p Policy) RuleText() string {
	which := "best"
	if p.gradeRule() == GradeLast {
		which = "last"
	}
	s := which + " attempt"
	if p.MaxAttempts > 0 {
		s = which + " of " + strconv.Itoa(p.MaxAttempts) + " attempts"
	}
	if p.gradeRule() == GradePenalisedBest {
		s += ", −" + percent(p.PenaltyPerWrong) + " per earlier wrong attempt"
	}
	switch {
	case p.Due.IsZero():
	case p.late() == LatePenalty:
		s += "; late: −" + percent(p.LatePenaltyPerDay) + " a day"
	default:
		s += "; nothing after the due date"
	}
	return s
}

// Describe returns the sentences the exercise page shows about the policy and where the student
// stands: "Attempt 2 of 5.", "Each wrong attempt costs 10%.", the dates, and the hint and variant
// rules.
func (p Policy) Describe(s State) []string {
	var out []string
	if !s.Open {
		out = append(out, "Opens "+formatTime(p.Opens)+".")
	}
	switch {
	case s.Why == AttemptsUsed:
		out = append(out, fmt.Sprintf("All %d attempts are used: further answers are judged as practice and do not count.", p.MaxAttempts))
	case s.Why == AfterDue || s.Why == Closed:
		out = append(out, "Closed: answers are judged as practice and do not count.")
	case p.MaxAttempts > 0:
		out = append(out, fmt.Sprintf("Attempt %d of %d.", s.Next, p.MaxAttempts))
	default:
		out = append(out, fmt.Sprintf("Attempt %d; attempts are unlimited.", s.Next))
	}
	if p.gradeRule() == GradePenalisedBest {
		out = append(out, "Each wrong attempt costs "+percent(p.PenaltyPerWrong)+" of the score of later ones.")
	}
	out = append(out, "Your grade is your "+p.RuleText()+".")
	out = append(out, p.describeDates(s)...)
	if p.FreshVariantAfter > 0 {
		every := "After every " + strconv.Itoa(p.FreshVariantAfter) + " wrong attempts"
		if p.FreshVariantAfter == 1 {
			every = "After each wrong attempt"
		}
		out = append(out, every+" you get new numbers.")
	}
	if p.HintsAfter > 0 {
		out = append(out, "Hints appear after "+wrongAttempts(p.HintsAfter)+".")
	}
	return out
}

// wrongAttempts says n wrong attempts in words: "1 wrong attempt", "3 wrong attempts".
func wrongAttempts(n int) string {
	if n == 1 {
		return "1 wrong attempt"
	}
	return strconv.Itoa(n) + " wrong attempts"
}

func (p Policy) describeDates(s State) []string {
	if p.Due.IsZero() {
		return nil
	}
	out := []string{"Due " + formatTime(p.Due) + "."}
	switch {
	case p.late() == LateNoCredit:
		out = append(out, "Answers after the due date do not count.")
	case !p.Close.IsZero():
		out = append(out, "Late answers lose "+percent(p.LatePenaltyPerDay)+" a day until "+formatTime(p.Close)+".")
	default:
		out = append(out, "Late answers lose "+percent(p.LatePenaltyPerDay)+" a day.")
	}
	if s.LateFactor > 0 && s.LateFactor < 1 {
		out = append(out, "An answer now keeps "+percent(s.LateFactor)+" of its score.")
	}
	if end := p.CreditEnds(); p.RevealAfterDue && !s.Revealed && !end.IsZero() {
		out = append(out, "The answers are shown from "+formatTime(end)+".")
	}
	return out
}

// percent formats a fraction as a percentage: 0.1 is "10%", 0.125 "12.5%".
func percent(f float64) string {
	return strconv.FormatFloat(math.Round(f*1e8)/1e6, 'f', -1, 64) + "%"
}
