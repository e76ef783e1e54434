package policy

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"gradjudge"
)

var (
	opens = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	due   = time.Date(2026, 12, 8, 17, 0, 0, 0, time.UTC)
)

const (
	accepted = gradjudge.StatusAccepted
	partial  = gradjudge.StatusPartial
	wrong    = gradjudge.StatusWrongAnswer
	compile  = gradjudge.StatusCompileError
	invalid  = gradjudge.StatusInvalid
	internal = gradjudge.StatusInternalError
	timeout  = gradjudge.StatusTimeLimit
)

func at(d time.Duration) time.Time { return due.Add(d) }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestLateness covers the due date's edges: on it, one second after it, a day after it, the close,
// the penalty running out, and an extension.
func TestLateness(t *testing.T) {
	noCredit := Policy{Opens: opens, Due: due}
	penalty := Policy{Opens: opens, Due: due, Late: LatePenalty, LatePenaltyPerDay: 0.1, Close: due.Add(72 * time.Hour)}
	steep := Policy{Due: due, Late: LatePenalty, LatePenaltyPerDay: 0.25}
	extended := noCredit.WithExtension(due.Add(48 * time.Hour))
	extendedPenalty := penalty.WithExtension(due.Add(48 * time.Hour))
	for _, tc := range []struct {
		name   string
		p      Policy
		at     time.Time
		days   int
		factor float64
		why    NoCredit
	}{
		{"no due date, any time", Policy{}, at(1000 * time.Hour), 0, 1, ""},
		{"before opening", noCredit, opens.Add(-time.Second), 0, 0, NotOpen},
		{"at opening", noCredit, opens, 0, 1, ""},
		{"exactly at the due date", noCredit, due, 0, 1, ""},
		{"one second after the due date, no credit", noCredit, at(time.Second), 1, 0, AfterDue},
		{"one second after the due date, penalty", penalty, at(time.Second), 1, 0.9, ""},
		{"a full day late", penalty, at(24 * time.Hour), 1, 0.9, ""},
		{"a day and a second late", penalty, at(24*time.Hour + time.Second), 2, 0.8, ""},
		{"one second before the close", penalty, at(72*time.Hour - time.Second), 3, 0.7, ""},
		{"at the close", penalty, at(72 * time.Hour), 3, 0, Closed},
		{"penalty runs out", steep, at(72*time.Hour + time.Second), 4, 0, Closed},
		{"penalty nearly out", steep, at(72 * time.Hour), 3, 0.25, ""},
		{"extension: after the due date, before the extended one", extended, at(time.Second), 0, 1, ""},
		{"extension: at the extended due date", extended, at(48 * time.Hour), 0, 1, ""},
		{"extension: one second after it", extended, at(48*time.Hour + time.Second), 1, 0, AfterDue},
		{"extension moves the close", extendedPenalty, at(72 * time.Hour), 1, 0.9, ""},
		{"extension: at the moved close", extendedPenalty, at(120 * time.Hour), 3, 0, Closed},
		{"an earlier extension changes nothing", noCredit.WithExtension(due.Add(-time.Hour)), at(time.Second), 1, 0, AfterDue},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.p.Evaluate(nil, Attempt{At: tc.at, Status: accepted, Score: 1})
			if o.DaysLate != tc.days || !near(o.Factor, tc.factor) || o.Why != tc.why || !near(o.Value, tc.factor) {
				t.Errorf("got %d days, factor %v, value %v, why %q; want %d, %v, %q", o.DaysLate, o.Factor, o.Value, o.Why, tc.days, tc.factor, tc.why)
			}
		})
	}
}

// TestAttemptsCount: only statuses that CountsAsAttempt use an attempt; past MaxAttempts an
// attempt is practice.
func TestAttemptsCount(t *testing.T) {
	p := Policy{MaxAttempts: 2}
	attempts := []Attempt{
		{Status: compile}, {Status: wrong}, {Status: invalid}, {Status: internal},
		{Status: timeout}, {Status: compile}, {Status: accepted, Score: 1},
	}
	want := []struct {
		counts bool
		number int
		why    NoCredit
	}{
		{false, 0, NotCounted}, {true, 1, ""}, {false, 0, NotCounted}, {false, 0, NotCounted},
		{true, 2, ""}, {false, 0, NotCounted}, {true, 3, AttemptsUsed},
	}
	for i, o := range p.Outcomes(attempts) {
		if o.Counts != want[i].counts || o.Number != want[i].number || o.Why != want[i].why {
			t.Errorf("attempt %d (%s): %+v, want %+v", i, attempts[i].Status, o, want[i])
		}
	}
	if g := p.GradeOf(attempts); g.Score != 0 || g.Attempt != 1 {
		t.Errorf("grade %+v: the accepted third attempt is practice, want 0 from attempt 1", g)
	}
}

func TestGradeRules(t *testing.T) {
	onTime := func(s gradjudge.Status, score float64) Attempt { return Attempt{At: due, Status: s, Score: score} }
	late := func(s gradjudge.Status, score float64) Attempt {
		return Attempt{At: at(30 * time.Hour), Status: s, Score: score}
	}
	seq := []Attempt{onTime(wrong, 0), onTime(partial, 0.5), onTime(compile, 0), onTime(accepted, 1), onTime(partial, 0.25)}
	penalty := Policy{Due: due, Late: LatePenalty, LatePenaltyPerDay: 0.1}
	for _, tc := range []struct {
		name     string
		p        Policy
		attempts []Attempt
		score    float64
		attempt  int
		rule     string
	}{
		{"no attempts", Policy{}, nil, 0, 0, "best attempt"},
		{"best", Policy{}, seq, 1, 3, "best attempt"},
		{"last", Policy{Grade: GradeLast}, seq, 0.25, 4, "last attempt"},
		{"penalised best: two wrong before the accepted one", Policy{Grade: GradePenalisedBest, PenaltyPerWrong: 0.1}, seq, 0.8, 3, "best attempt, −10% per earlier wrong attempt"},
		{"penalised best: the penalty never goes below 0", Policy{Grade: GradePenalisedBest, PenaltyPerWrong: 0.6}, seq, 0.2, 2, "best attempt, −60% per earlier wrong attempt"},
		{"late penalty applies to best", penalty, []Attempt{onTime(partial, 0.5), late(accepted, 1)}, 0.8, 2, "best attempt; late: −10% a day"},
		{"late, no credit", Policy{Due: due}, []Attempt{onTime(partial, 0.5), late(accepted, 1)}, 0.5, 1, "best attempt; nothing after the due date"},
		{"last ignores practice", Policy{Due: due, Grade: GradeLast, MaxAttempts: 2}, []Attempt{onTime(partial, 0.5), onTime(wrong, 0), onTime(accepted, 1)}, 0, 2, "last of 2 attempts; nothing after the due date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.p.Validate(); err != nil {
				t.Fatal(err)
			}
			g := tc.p.GradeOf(tc.attempts)
			if !near(g.Score, tc.score) || g.Attempt != tc.attempt || g.Rule != tc.rule {
				t.Errorf("got %+v, want score %v from attempt %d, rule %q", g, tc.score, tc.attempt, tc.rule)
			}
		})
	}
}

// TestFreshVariant: the N-th wrong attempt is the last on a variant; attempts that cost nothing
// and right answers do not move it.
func TestFreshVariant(t *testing.T) {
	p := Policy{FreshVariantAfter: 3}
	var attempts []Attempt
	add := func(s gradjudge.Status) { attempts = append(attempts, Attempt{Status: s}) }
	check := func(want int) {
		t.Helper()
		if got := p.Round(attempts); got != want {
			t.Errorf("after %d attempts: round %d, want %d", len(attempts), got, want)
		}
	}
	add(wrong)
	add(compile)
	add(wrong)
	add(accepted)
	add(invalid)
	check(0) // two wrong attempts
	add(partial)
	check(1) // the third wrong attempt switches the variant
	add(wrong)
	add(wrong)
	check(1)
	add(timeout)
	check(2)
	if r := (Policy{}).Round(attempts); r != 0 {
		t.Errorf("without FreshVariantAfter: round %d, want 0", r)
	}

	base := gradjudge.VariantSeed(1, 2, "fan-out")
	seen := map[uint64]int{}
	for r := range 50 {
		s := VariantSeed(base, r)
		if prev, ok := seen[s]; ok {
			t.Errorf("rounds %d and %d share seed %d", prev, r, s)
		}
		seen[s] = r
		if s != VariantSeed(base, r) {
			t.Errorf("round %d: the seed changes between calls", r)
		}
	}
	if VariantSeed(base, 0) != base {
		t.Error("round 0 is not the student's own variant")
	}
}

func TestHints(t *testing.T) {
	p := Policy{HintsAfter: 2}
	var attempts []Attempt
	for i, want := range []HintLevel{HintNone, HintNone, HintMisconception, HintFirstWrong, HintLocalDerivative, HintLocalDerivative} {
		if got := p.Hint(attempts); got != want {
			t.Errorf("after %d wrong attempts: hint %d, want %d", i, got, want)
		}
		attempts = append(attempts, Attempt{Status: wrong}, Attempt{Status: compile})
	}
	if got := (Policy{}).Hint(attempts); got != HintNone {
		t.Errorf("without HintsAfter: hint %d", got)
	}
}

func TestRevealed(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Policy
		at   time.Time
		want bool
	}{
		{"not asked", Policy{Due: due}, at(1000 * time.Hour), false},
		{"at the due date", Policy{Due: due, RevealAfterDue: true}, due, false},
		{"one second after", Policy{Due: due, RevealAfterDue: true}, at(time.Second), true},
		{"extension", Policy{Due: due, RevealAfterDue: true}.WithExtension(at(24 * time.Hour)), at(time.Second), false},
		{"late window open", Policy{Due: due, RevealAfterDue: true, Late: LatePenalty, LatePenaltyPerDay: 0.1, Close: at(48 * time.Hour)}, at(47 * time.Hour), false},
		{"at the close", Policy{Due: due, RevealAfterDue: true, Late: LatePenalty, LatePenaltyPerDay: 0.1, Close: at(48 * time.Hour)}, at(48 * time.Hour), true},
		{"penalty not yet out", Policy{Due: due, RevealAfterDue: true, Late: LatePenalty, LatePenaltyPerDay: 0.25}, at(72 * time.Hour), false},
		{"penalty out", Policy{Due: due, RevealAfterDue: true, Late: LatePenalty, LatePenaltyPerDay: 0.25}, at(72*time.Hour + time.Second), true},
		// A tiny penalty leaves credit for centuries: its end must not overflow into the past.
		{"tiny penalty, before due", Policy{Due: due, RevealAfterDue: true, Late: LatePenalty, LatePenaltyPerDay: 1e-6}, at(-180 * 24 * time.Hour), false},
		{"tiny penalty, a year late", Policy{Due: due, RevealAfterDue: true, Late: LatePenalty, LatePenaltyPerDay: 1e-6}, at(365 * 24 * time.Hour), false},
		{"least penalty, a day late", Policy{Due: due, RevealAfterDue: true, Late: LatePenalty, LatePenaltyPerDay: 5e-324}, at(24 * time.Hour), false},
		{"tiny penalty, closed", Policy{Due: due, RevealAfterDue: true, Late: LatePenalty, LatePenaltyPerDay: 1e-12, Close: at(48 * time.Hour)}, at(48 * time.Hour), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.Revealed(tc.at); got != tc.want {
				t.Errorf("Revealed = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Policy
		want string // "" for a valid policy
	}{
		{"zero", Policy{}, ""},
		{"full", Policy{Opens: opens, Due: due, Late: LatePenalty, LatePenaltyPerDay: 0.1, Close: at(time.Hour), MaxAttempts: 5,
			Grade: GradePenalisedBest, PenaltyPerWrong: 0.1, FreshVariantAfter: 3, HintsAfter: 2, RevealAfterDue: true}, ""},
		{"unknown late rule", Policy{Late: "sometimes"}, "late rule"},
		{"penalty without due", Policy{Late: LatePenalty, LatePenaltyPerDay: 0.1}, "needs a due date"},
		{"penalty over 100%", Policy{Due: due, Late: LatePenalty, LatePenaltyPerDay: 1.5}, "at most 100%"},
		{"close without penalty", Policy{Due: due, Close: at(time.Hour)}, "close date need"},
		{"close before due", Policy{Due: due, Late: LatePenalty, LatePenaltyPerDay: 0.1, Close: at(-time.Hour)}, "after the due date"},
		{"due before opening", Policy{Opens: due, Due: opens}, "after the opening"},
		{"wrong-attempt penalty with best", Policy{PenaltyPerWrong: 0.1}, "penalised_best"},
		{"penalised best without penalty", Policy{Grade: GradePenalisedBest}, "penalty per wrong attempt must be more than 0%"},
		{"unknown grade rule", Policy{Grade: "average"}, "grade rule"},
		{"negative attempts", Policy{MaxAttempts: -1}, "negative"},
		{"reveal without due", Policy{RevealAfterDue: true}, "needs a due date"},
		// SQLite reads a year past 9999 back as no date at all, and PostgreSQL has no year 0.
		{"due after year 9999", Policy{Due: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, "between"},
		{"opening in year 0", Policy{Opens: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), Due: due}, "between"},
		{"close after year 9999", Policy{Due: due, Late: LatePenalty, LatePenaltyPerDay: 0.1, Close: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, "between"},
		{"last minute of 9999", Policy{Due: time.Date(9999, 12, 31, 23, 59, 0, 0, time.UTC)}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Validate()
			if tc.want == "" {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			if gradjudge.ErrorCode(err) != gradjudge.EINVALID || !strings.Contains(gradjudge.ErrorMessage(err), tc.want) {
				t.Errorf("error %v, want EINVALID saying %q", err, tc.want)
			}
		})
	}
}

func TestAdmitAndState(t *testing.T) {
	p := Policy{Opens: opens, Due: due, Late: LatePenalty, LatePenaltyPerDay: 0.1, MaxAttempts: 3, FreshVariantAfter: 2, HintsAfter: 1}
	if err := p.Admit(opens.Add(-time.Second)); gradjudge.ErrorCode(err) != gradjudge.EFORBIDDEN {
		t.Errorf("before opening: %v, want EFORBIDDEN", err)
	}
	if err := p.Admit(opens); err != nil {
		t.Errorf("at opening: %v", err)
	}
	attempts := []Attempt{{At: opens, Status: wrong}, {At: opens, Status: compile}, {At: opens, Status: partial, Score: 0.5}}
	s := p.StateAt(at(time.Second), attempts)
	if !s.Open || s.Next != 3 || s.Wrong != 2 || s.Round != 1 || s.Hint != HintFirstWrong || !near(s.LateFactor, 0.9) ||
		s.Why != "" || !near(s.Grade.Score, 0.5) {
		t.Errorf("state %+v", s)
	}
	text := strings.Join(p.Describe(s), " ")
	for _, want := range []string{"Attempt 3 of 3.", "Late answers lose 10% a day.", "An answer now keeps 90% of its score.", "new numbers", "Hints appear after 1 wrong"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page says %q, want %q in it", text, want)
		}
	}
	attempts = append(attempts, Attempt{At: opens, Status: wrong})
	if s := p.StateAt(opens, attempts); s.Why != AttemptsUsed || !strings.Contains(strings.Join(p.Describe(s), " "), "All 3 attempts are used") {
		t.Errorf("attempts used: %+v, %q", s, p.Describe(s))
	}
}

// TestValidateNamesFields: every problem names the setting to change, so that a form can mark it,
// and all problems are found at once.
func TestValidateNamesFields(t *testing.T) {
	err := Policy{Opens: due, Due: opens, Late: LatePenalty, Grade: GradePenalisedBest, MaxAttempts: -1, RevealAfterDue: true}.Validate()
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error %v carries no Problems", err)
	}
	var got []Field
	for _, p := range ps {
		got = append(got, p.Field)
	}
	want := []Field{FieldLatePenalty, FieldPenaltyPerWrong, FieldDue, FieldMaxAttempts}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("fields %v, want %v (%v)", got, want, err)
	}
}

// TestDescribeNeverRevealsAtAnOverflowedDate: a late penalty too small to leave nothing names no
// date the answers are shown from (it named 0001-01-01, or a date before the due date).
func TestDescribeNeverRevealsAtAnOverflowedDate(t *testing.T) {
	p := Policy{Due: due, RevealAfterDue: true, Late: LatePenalty, LatePenaltyPerDay: 1e-6}
	for _, s := range p.Describe(p.StateAt(at(-time.Hour), nil)) {
		if strings.Contains(s, "shown from") {
			t.Errorf("Describe says %q, want no date: credit never ends", s)
		}
	}
}

// TestExtensionKeepsTheLateWindow: an extension moves the close with the due date, the late
// window as long as before, however far the extension goes (a Duration of more than 292 years
// saturated, leaving the close centuries before the extended due date).
func TestExtensionKeepsTheLateWindow(t *testing.T) {
	p := Policy{Due: due, Late: LatePenalty, LatePenaltyPerDay: 0.1, Close: at(48 * time.Hour), RevealAfterDue: true}
	for _, ext := range []time.Time{at(24 * time.Hour), time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 0, 0, time.UTC)} {
		got := p.WithExtension(ext)
		if !got.Due.Equal(ext) || !got.Close.Equal(ext.Add(48*time.Hour)) {
			t.Errorf("extended to %s: due %s, close %s; want the close 48h after the new due date", ext, got.Due, got.Close)
		}
		if got.Revealed(ext) {
			t.Errorf("extended to %s: answers revealed at the new due date", ext)
		}
	}
}

// TestCheckExtension: an extension ends after the due date, in a year both databases keep.
func TestCheckExtension(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Policy
		ext  time.Time
		want bool
	}{
		{"after the due date", Policy{Due: due}, at(time.Hour), true},
		{"no due date", Policy{}, at(time.Hour), false},
		{"at the due date", Policy{Due: due}, due, false},
		{"year 9999", Policy{Due: due}, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), true},
		{"year 10000", Policy{Due: due}, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.CheckExtension(tc.ext)
			if (err == nil) != tc.want || (err != nil && gradjudge.ErrorCode(err) != gradjudge.EINVALID) {
				t.Errorf("CheckExtension = %v, want ok %v (else EINVALID)", err, tc.want)
			}
		})
	}
}
