// Package policy is the assessment policy of one exercise in one course, as pure functions:
// given the policy, the student's extension, the time, the attempts so far and a verdict, it says
// what counts, the grade, the hint level, whether answers are revealed and which variant the
// student works on. It reads no clock and no database: the application core passes the time and
// the stored attempts in, and stores the policy.
//
// The rules, in one place:
//   - An attempt is a judged submission whose status gradjudge.Status.CountsAsAttempt: unreadable
//     answers, code that does not build or pass vet, and the judge's own errors never cost one.
//     A wrong attempt is a counted one that is not accepted (a partial score is wrong).
//   - Before Opens nothing may be submitted (Admit). Afterwards every submission is judged; one
//     that cannot earn credit (after the close, past MaxAttempts) is practice and says why.
//   - Late: one second after the (extended) due date is one day late. LateNoCredit gives nothing
//     then; LatePenalty takes LatePenaltyPerDay of the score per day or part of a day, until
//     Close or until nothing is left.
//   - The grade is the best credit, the last credit, or the best credit less PenaltyPerWrong for
//     each wrong attempt before it (GradePenalisedBest), with the late penalty always applied.
package policy

import (
	"fmt"
	"math"
	"time"

	"gradjudge"
)

// LateRule says what a submission after the due date earns.
type LateRule string

// The late rules.
const (
	LateNoCredit LateRule = "no_credit" // nothing after the due date (the zero value means this)
	LatePenalty  LateRule = "penalty"   // LatePenaltyPerDay per day late, until Close
)

// GradeRule says which attempt's credit is the course grade.
type GradeRule string

// The grade rules.
const (
	GradeBest          GradeRule = "best"           // the best credit (the zero value means this)
	GradeLast          GradeRule = "last"           // the credit of the last attempt that can earn any
	GradePenalisedBest GradeRule = "penalised_best" // the best credit less PenaltyPerWrong per earlier wrong attempt
)

// day is how long a day of lateness is.
const day = 24 * time.Hour

// Policy is the assessment policy of one exercise in one course, set by the course's
// instructors. The zero Policy is the behaviour without one: always open, no due date, unlimited
// attempts, the best score counts, one variant, no hints, answers never revealed.
type Policy struct {
	Opens time.Time // nothing may be submitted before; zero: open from the start
	Due   time.Time // zero: no due date (then nothing is late and nothing revealed)
	Late  LateRule  // what a submission after Due earns; zero: LateNoCredit
	// LatePenaltyPerDay is the fraction of the score LatePenalty takes per day or part of a day
	// late, in (0, 1].
	LatePenaltyPerDay float64
	// Close ends LatePenalty's late window: no credit from then on. Zero: until the penalty
	// leaves nothing.
	Close time.Time
	// MaxAttempts is how many attempts can earn credit; later ones are practice. 0: unlimited.
	MaxAttempts int
	// PenaltyPerWrong is the fraction GradePenalisedBest takes from an attempt's credit for each
	// wrong attempt before it, in (0, 1].
	PenaltyPerWrong float64
	// FreshVariantAfter gives a new variant after every FreshVariantAfter wrong attempts, so that
	// feedback cannot be mined on one variant. 0: one variant.
	FreshVariantAfter int
	// HintsAfter gives the first hint after HintsAfter wrong attempts and one step more after each
	// further wrong one (see Hint). 0: no hints.
	HintsAfter int
	// RevealAfterDue shows the expected answers once no credit can be earned any more (see
	// Revealed).
	RevealAfterDue bool
	Grade          GradeRule // zero: GradeBest
}

// late returns the late rule, the zero value read as LateNoCredit.
func (p Policy) late() LateRule {
	if p.Late == "" {
		return LateNoCredit
	}
	return p.Late
}

// gradeRule returns the grade rule, the zero value read as GradeBest.
func (p Policy) gradeRule() GradeRule {
	if p.Grade == "" {
		return GradeBest
	}
	return p.Grade
}

// Validate checks p; its error has code EINVALID and says what to change, in words a form can
// show. Its Err is the Problems, each naming the setting to change.
func (p Policy) Validate() error {
	var ps Problems
	bad := func(field Field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	switch p.late() {
	case LateNoCredit:
		if p.LatePenaltyPerDay != 0 || !p.Close.IsZero() {
			bad(FieldLate, "a late penalty and a close date need the late rule %q (a penalty per day)", LatePenalty)
		}
	case LatePenalty:
		if p.Due.IsZero() {
			bad(FieldDue, "a penalty per day late needs a due date")
		}
		if !(p.LatePenaltyPerDay > 0 && p.LatePenaltyPerDay <= 1) {
			bad(FieldLatePenalty, "the late penalty per day must be more than 0%% and at most 100%%")
		}
	default:
		bad(FieldLate, "late rule %q: want %q or %q", p.Late, LateNoCredit, LatePenalty)
	}
	switch p.gradeRule() {
	case GradeBest, GradeLast:
		if p.PenaltyPerWrong != 0 {
			bad(FieldGrade, "a penalty per wrong attempt needs the grade rule %q", GradePenalisedBest)
		}
	case GradePenalisedBest:
		if !(p.PenaltyPerWrong > 0 && p.PenaltyPerWrong <= 1) {
			bad(FieldPenaltyPerWrong, "the penalty per wrong attempt must be more than 0%% and at most 100%%")
		}
	default:
		bad(FieldGrade, "grade rule %q: want %q, %q or %q", p.Grade, GradeBest, GradeLast, GradePenalisedBest)
	}
	p.validateDates(bad)
	for _, c := range []struct {
		field Field
		n     int
		what  string
	}{{FieldMaxAttempts, p.MaxAttempts, "maximum number of attempts"}, {FieldFreshVariantAfter, p.FreshVariantAfter, "number of wrong attempts before new numbers"},
		{FieldHintsAfter, p.HintsAfter, "number of wrong attempts before hints"}} {
		if c.n < 0 {
			bad(c.field, "the %s must not be negative", c.what)
		}
	}
	if len(ps) > 0 {
		return &gradjudge.Error{Code: gradjudge.EINVALID, Message: "policy: " + ps.Error(), Op: "policy.Validate", Err: ps}
	}
	return nil
}

// The years a policy's or an extension's date may fall in, UTC: what both databases keep.
// SQLite reads a year past 9999 back as no date at all (an accepted due date silently became
// none), and PostgreSQL has no year 0.
const (
	minYear = 1970
	maxYear = 9999
)

// storable reports whether t is the zero time (no date) or falls in minYear through maxYear.
func storable(t time.Time) bool {
	y := t.UTC().Year()
	return t.IsZero() || (y >= minYear && y <= maxYear)
}

// validateDates reports the dates that cannot be stored or are out of order, and a reveal
// without a due date.
func (p Policy) validateDates(bad func(Field, string, ...any)) {
	for _, d := range []struct {
		field Field
		t     time.Time
	}{{FieldOpens, p.Opens}, {FieldDue, p.Due}, {FieldClose, p.Close}} {
		if !storable(d.t) {
			bad(d.field, "dates must be between the years %d and %d", minYear, maxYear)
		}
	}
	if !p.Opens.IsZero() && !p.Due.IsZero() && !p.Due.After(p.Opens) {
		bad(FieldDue, "the due date must be after the opening")
	}
	if !p.Close.IsZero() && !p.Close.After(p.Due) {
		bad(FieldClose, "the close date must be after the due date")
	}
	if p.RevealAfterDue && p.Due.IsZero() {
		bad(FieldReveal, "showing the answers after the due date needs a due date")
	}
}

// CheckExtension returns nil when a student's due date may be extended to due, else an EINVALID
// error saying why: p needs a due date, due must be after it, in a year that can be stored.
func (p Policy) CheckExtension(due time.Time) error {
	if p.Due.IsZero() || !due.After(p.Due) {
		return gradjudge.Errorf(gradjudge.EINVALID, "an extension needs a due date, and must end after it")
	}
	if !storable(due) {
		return gradjudge.Errorf(gradjudge.EINVALID, "an extension must end by the year %d", maxYear)
	}
	return nil
}

// WithExtension returns p for a student whose due date is extended to due: the due date, and the
// close with it, move later by the extension. An extension not after the due date changes
// nothing, nor does one on a policy without a due date.
func (p Policy) WithExtension(due time.Time) Policy {
	if p.Due.IsZero() || !due.After(p.Due) {
		return p
	}
	if !p.Close.IsZero() {
		// The late window after the new due date, not the close moved by due − Due: that
		// Duration saturates past 292 years and left the close before the new due date.
		p.Close = due.Add(p.Close.Sub(p.Due))
	}
	p.Due = due
	return p
}

// Admit returns nil when a submission may be made at now, and an EFORBIDDEN error before the
// exercise opens. Every later submission is judged; Evaluate says whether it earns credit.
func (p Policy) Admit(now time.Time) error {
	if now.Before(p.Opens) {
		return gradjudge.Errorf(gradjudge.EFORBIDDEN, "this exercise opens at %s", formatTime(p.Opens))
	}
	return nil
}

// lateness returns how many days (or parts of days) late a submission at t is, the factor its
// score keeps, and why it earns nothing when the factor is 0.
func (p Policy) lateness(t time.Time) (days int, factor float64, why NoCredit) {
	if p.Due.IsZero() || !t.After(p.Due) {
		return 0, 1, ""
	}
	days = int(math.Ceil(float64(t.Sub(p.Due)) / float64(day)))
	if p.late() == LateNoCredit {
		return days, 0, AfterDue
	}
	factor = roundFactor(1 - float64(days)*p.LatePenaltyPerDay)
	if (!p.Close.IsZero() && !t.Before(p.Close)) || factor <= 0 {
		return days, 0, Closed
	}
	return days, factor, ""
}

// maxLateDays is the longest late window CreditEnds counts, in days: a penalty per day so small
// that it leaves credit longer (under 1/36500 a day) leaves it for good. Without the bound the
// window overflows a time.Duration (about 106,751 days) and wraps into the past, which revealed
// the answers before the due date.
const maxLateDays = 100 * 365

// CreditEnds is the moment from which no submission earns credit: the due date under
// LateNoCredit; under LatePenalty the close, or the end of the day the penalty leaves nothing,
// whichever comes first. Zero when credit never ends (no due date, or a penalty that leaves
// credit for more than maxLateDays and no close).
func (p Policy) CreditEnds() time.Time {
	if p.Due.IsZero() {
		return time.Time{}
	}
	if p.late() == LateNoCredit {
		return p.Due.Add(time.Nanosecond) // on the due date itself is on time
	}
	// The penalty leaves nothing on the first day d with d·perDay ≥ 1, which starts after d−1 days.
	d := math.Ceil(roundFactor(1 / p.LatePenaltyPerDay))
	if !(d <= maxLateDays) { // also NaN and +Inf, from a penalty of 0 or too small to divide by
		return p.Close
	}
	end := p.Due.Add(time.Duration(d-1)*day + time.Nanosecond)
	if !p.Close.IsZero() && p.Close.Before(end) {
		return p.Close
	}
	return end
}

// Revealed reports whether the expected answers may be shown at now: RevealAfterDue is set and
// no submission can earn credit any more, so that revealing cannot help a score. With an
// extension, call it on WithExtension's policy.
func (p Policy) Revealed(now time.Time) bool {
	end := p.CreditEnds()
	return p.RevealAfterDue && !end.IsZero() && !now.Before(end)
}

// roundFactor rounds a factor to nine decimals, so that 1 − 3×0.1 is 0.7.
func roundFactor(f float64) float64 { return math.Round(f*1e9) / 1e9 }

func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
