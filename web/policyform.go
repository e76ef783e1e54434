package web

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gradjudge/internal/policy"
)

// formTimeLayout is how the settings form writes a time: what <input type="datetime-local">
// sends, read as UTC (every page shows times in UTC).
const formTimeLayout = "2006-01-02T15:04"

// policyForm is the settings form as typed: every field a string, so that a refused form comes
// back exactly as it was sent. Percentages are typed as percent ("10" is 10%).
type policyForm struct {
	Opens, Due, Close             string
	Late                          string // policy.LateNoCredit or policy.LatePenalty
	LatePenalty                   string // percent a day
	MaxAttempts                   string // "" or 0: unlimited
	Grade                         string // a policy.GradeRule
	PenaltyPerWrong               string // percent per wrong attempt, with GradePenalisedBest
	FreshVariantAfter, HintsAfter string
	Reveal                        bool
}

// formOf writes p into the form.
func formOf(p policy.Policy) policyForm {
	f := policyForm{Opens: formTime(p.Opens), Due: formTime(p.Due), Close: formTime(p.Close),
		Late: string(policy.LateNoCredit), Grade: string(policy.GradeBest), Reveal: p.RevealAfterDue,
		MaxAttempts: formCount(p.MaxAttempts), FreshVariantAfter: formCount(p.FreshVariantAfter), HintsAfter: formCount(p.HintsAfter),
		LatePenalty: formPercent(p.LatePenaltyPerDay), PenaltyPerWrong: formPercent(p.PenaltyPerWrong)}
	if p.Late != "" {
		f.Late = string(p.Late)
	}
	if p.Grade != "" {
		f.Grade = string(p.Grade)
	}
	return f
}

// readPolicyForm takes the settings form's fields from a POST.
func readPolicyForm(form url.Values) policyForm {
	get := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	return policyForm{Opens: get("opens"), Due: get("due"), Close: get("close"), Late: get("late"), LatePenalty: get("late_penalty"),
		MaxAttempts: get("max_attempts"), Grade: get("grade"), PenaltyPerWrong: get("penalty_per_wrong"),
		FreshVariantAfter: get("fresh_variant_after"), HintsAfter: get("hints_after"), Reveal: form.Get("reveal") != ""}
}

// policy reads the form into a Policy, with a problem for each field that does not read. The
// late penalty and the close date are read only under the late rule that uses them, and the
// penalty per wrong attempt only under the grade rule that does: the form groups each under its
// choice, and what is left typed under another choice is not part of the answer. Whether the
// policy makes sense is the core's to say (policy.Validate).
func (f policyForm) policy() (policy.Policy, policy.Problems) {
	var ps policy.Problems
	bad := func(field policy.Field, msg string) { ps = append(ps, policy.Problem{Field: field, Message: msg}) }
	date := func(field policy.Field, s, what string) time.Time {
		t, err := parseFormTime(s)
		if err != nil {
			bad(field, what+" must be a date and time like 2026-12-24 17:00")
		}
		return t
	}
	count := func(field policy.Field, s, what string) int {
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			bad(field, what+" must be a whole number, 0 or more")
		}
		return n
	}
	share := func(field policy.Field, s, what string) float64 {
		x, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(s, "%")), 64)
		if err != nil || s == "" {
			bad(field, what+" must be a percentage, like 10")
		}
		return x / 100
	}
	p := policy.Policy{Opens: date(policy.FieldOpens, f.Opens, "the opening"), Due: date(policy.FieldDue, f.Due, "the due date"),
		Late: policy.LateRule(f.Late), Grade: policy.GradeRule(f.Grade), RevealAfterDue: f.Reveal,
		MaxAttempts:       count(policy.FieldMaxAttempts, f.MaxAttempts, "the number of attempts"),
		FreshVariantAfter: count(policy.FieldFreshVariantAfter, f.FreshVariantAfter, "the number of wrong attempts before new numbers"),
		HintsAfter:        count(policy.FieldHintsAfter, f.HintsAfter, "the number of wrong attempts before hints")}
	if p.Late == policy.LatePenalty {
		p.LatePenaltyPerDay = share(policy.FieldLatePenalty, f.LatePenalty, "the late penalty per day")
		p.Close = date(policy.FieldClose, f.Close, "the close date")
	}
	if p.Grade == policy.GradePenalisedBest {
		p.PenaltyPerWrong = share(policy.FieldPenaltyPerWrong, f.PenaltyPerWrong, "the penalty per wrong attempt")
	}
	return p, ps
}

// parseFormTime reads a form's date and time as UTC: "2026-12-24T17:00" as the browser sends it,
// with seconds, or with a space for the T; "" is the zero time.
func parseFormTime(s string) (time.Time, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), " UTC")
	if s == "" {
		return time.Time{}, nil
	}
	s = strings.Replace(s, " ", "T", 1)
	t, err := time.ParseInLocation(formTimeLayout, s, time.UTC)
	if err != nil {
		t, err = time.ParseInLocation(formTimeLayout+":05", s, time.UTC)
	}
	return t, err
}

func formTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(formTimeLayout)
}

func formCount(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func formPercent(f float64) string {
	if f == 0 {
		return ""
	}
	return strconv.FormatFloat(math.Round(f*1e8)/1e6, 'f', -1, 64) // 0.07 is "7", not "7.000000000000001"
}
