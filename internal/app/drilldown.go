package app

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"gradjudge"
	"gradjudge/autograd"
)

// Limits of an exercise drill-down.
const (
	// maxDrillSubmissions bounds the submissions one drill-down reads, newest first.
	maxDrillSubmissions = 20 * gradjudge.MaxSubmissionLimit
	// topWrongAnswers is how many wrong answers are listed per quantity.
	topWrongAnswers = 5
)

// WrongAnswer is one kind of wrong answer to one quantity: those the judge explained by the same
// misconceptions (the bug rules whose prediction they matched), or, unexplained, the same value.
type WrongAnswer struct {
	Tags    []string // the misconceptions that explain it; empty when none does
	Example string   // one value given, as the student typed it
	Count   int      // submissions that gave it
}

// QuantityWrongs are the most common wrong answers to one asked quantity.
type QuantityWrongs struct {
	ID, Label string
	Wrong     []WrongAnswer // most common first
}

// SplitRate is the pass rate of the students whose variant has a node at or below zero against
// those whose variant has it above: "z ≤ 0" against "z > 0".
type SplitRate struct {
	Name string // the node, as the graph names it
	// Gate is the function ("relu", "abs") the node is the argument of, whose derivative its sign
	// decides (at or below zero a ReLU passes no gradient); "" for any other node.
	Gate                     string
	AtOrBelow, Above         int // students who attempted, in each group
	PassedBelow, PassedAbove int
	RateAtOrBelow, RateAbove float64
}

// Bucket is one bar of the attempts histogram.
type Bucket struct {
	Label    string // "1", "2", …, "6–10", "over 10"
	Students int
}

// ExerciseDrill is one exercise's statistics for the course staff.
type ExerciseDrill struct {
	Exercise  gradjudge.Exercise
	Stats     gradjudge.ExerciseStats // students, pass rate, misconception prevalence
	Wrong     []QuantityWrongs
	Splits    []SplitRate
	Histogram []Bucket
}

// ExerciseDrill returns the statistics of exercise id of the visit's course, for its staff.
func (a *App) ExerciseDrill(ctx context.Context, v Visit, id string) (ExerciseDrill, error) {
	if err := v.RequireStaff(); err != nil {
		return ExerciseDrill{}, err
	}
	e, err := a.CourseExercise(v.Course, id)
	if err != nil {
		return ExerciseDrill{}, err
	}
	_, ids, recs, _, err := a.studentRecords(ctx, v.Course.ID, []gradjudge.Exercise{e})
	if err != nil {
		return ExerciseDrill{}, err
	}
	d := ExerciseDrill{Exercise: e}
	stats := gradjudge.RollUpStats(gradjudge.NewCourseOutline([]gradjudge.Exercise{e}, a.d.Catalog.Misconceptions()), v.Course.ID, len(ids), recs)
	d.Stats = stats.Exercises[0]
	var rows []gradjudge.ExerciseRecord
	for _, r := range recs.Exercises {
		if r.ExerciseID == id && r.Attempts > 0 {
			rows = append(rows, r)
		}
	}
	d.Histogram = attemptsHistogram(rows)
	d.Splits = a.splitRates(v.Course.ID, e, rows)
	if d.Wrong, err = a.wrongAnswers(ctx, v.Course.ID, e); err != nil {
		return ExerciseDrill{}, err
	}
	return d, nil
}

// attemptsHistogram counts students by attempts used.
func attemptsHistogram(rows []gradjudge.ExerciseRecord) []Bucket {
	out := []Bucket{{Label: "1"}, {Label: "2"}, {Label: "3"}, {Label: "4"}, {Label: "5"}, {Label: "6–10"}, {Label: "over 10"}}
	for _, r := range rows {
		switch {
		case r.Attempts <= 5:
			out[r.Attempts-1].Students++
		case r.Attempts <= 10:
			out[5].Students++
		default:
			out[6].Students++
		}
	}
	return out
}

// wrongAnswers groups the wrong answers of the course's submissions to e, per quantity.
func (a *App) wrongAnswers(ctx context.Context, courseID int64, e gradjudge.Exercise) ([]QuantityWrongs, error) {
	if e.Kind != gradjudge.KindNumeric {
		return nil, nil
	}
	ex, ok := a.Compiled(e.ID)
	if !ok {
		return nil, nil
	}
	byQ := map[string]map[string]*WrongAnswer{}
	f := gradjudge.SubmissionFilter{CourseID: courseID, ExerciseID: e.ID, Status: gradjudge.SubmissionDone, Limit: gradjudge.MaxSubmissionLimit}
	for read := 0; read < maxDrillSubmissions; {
		subs, err := a.d.Submissions.Submissions(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, s := range subs {
			countWrong(byQ, s)
		}
		read += len(subs)
		if len(subs) < f.Limit {
			break
		}
		f.BeforeID = subs[len(subs)-1].ID
	}
	out := make([]QuantityWrongs, 0, len(ex.Quantities))
	for _, q := range ex.Quantities {
		qw := QuantityWrongs{ID: q.ID, Label: q.Label}
		for _, w := range byQ[q.ID] {
			qw.Wrong = append(qw.Wrong, *w)
		}
		slices.SortFunc(qw.Wrong, func(x, y WrongAnswer) int {
			if x.Count != y.Count {
				return y.Count - x.Count
			}
			return strings.Compare(x.Example, y.Example)
		})
		qw.Wrong = qw.Wrong[:min(len(qw.Wrong), topWrongAnswers)]
		out = append(out, qw)
	}
	return out, nil
}

// countWrong adds the wrong results of one judged submission.
func countWrong(byQ map[string]map[string]*WrongAnswer, s gradjudge.Submission) {
	if s.Verdict == nil {
		return
	}
	for _, r := range s.Verdict.Results {
		if r.Status != gradjudge.StatusWrongAnswer {
			continue
		}
		value := AnswerText(s.Answer.Fields[r.ID])
		key := "tags:" + strings.Join(r.Tags, ",")
		if len(r.Tags) == 0 {
			key = "value:" + value
		}
		if byQ[r.ID] == nil {
			byQ[r.ID] = map[string]*WrongAnswer{}
		}
		w := byQ[r.ID][key]
		if w == nil {
			w = &WrongAnswer{Tags: r.Tags, Example: value}
			byQ[r.ID][key] = w
		}
		w.Count++
	}
}

// AnswerText is a stored answer field as the student typed it: a JSON string unquoted, anything
// else (a list) as its JSON.
func AnswerText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	return string(raw)
}

// splitRates compares pass rates by the sign of each scalar node of the students' variants (their
// first variant of the exercise), for the nodes where both groups have students and that split
// them differently from every node before: first the nodes whose sign opens or closes a gate (a
// ReLU's argument), then the others, each in the graph's order.
func (a *App) splitRates(courseID int64, e gradjudge.Exercise, rows []gradjudge.ExerciseRecord) []SplitRate {
	ex, ok := a.Compiled(e.ID)
	if !ok || ex.Graph == nil {
		return nil
	}
	names := append(ex.Graph.Inputs(), ex.Graph.Names()...)
	splits := make([]SplitRate, len(names))
	groups := make([][]byte, len(names)) // per node, each row's group: '+' above zero, '-' not, ' ' neither
	gates := gateFunctions(ex.Graph.Statements())
	for i, name := range names {
		splits[i].Name, splits[i].Gate = name, gates[name]
	}
	for _, r := range rows {
		signs := a.signs.of(ex, gradjudge.VariantSeed(courseID, r.UserID, e.ID), names)
		for i, sign := range signs {
			group := byte(' ')
			if sign != signNone {
				splits[i].add(sign == signAbove, r.Solved())
				group = "-+"[boolRank(sign == signAbove)]
			}
			groups[i] = append(groups[i], group)
		}
	}
	order := make([]int, len(splits))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return boolRank(splits[x].Gate == "") - boolRank(splits[y].Gate == "") })
	var out []SplitRate
	seen := map[string]bool{} // a node that splits the students as an earlier one did says nothing new (a = relu(z) against z)
	for _, i := range order {
		s := splits[i]
		if s.AtOrBelow > 0 && s.Above > 0 && !seen[string(groups[i])] {
			seen[string(groups[i])] = true
			s.RateAtOrBelow = float64(s.PassedBelow) / float64(s.AtOrBelow)
			s.RateAbove = float64(s.PassedAbove) / float64(s.Above)
			out = append(out, s)
		}
	}
	return out
}

// gatedFunctions are the functions whose derivative changes at zero: their argument's sign
// decides what gradient passes.
var gatedFunctions = []string{"relu", "abs"}

// gateFunctions maps each name that is the whole argument of a gated function to the function.
func gateFunctions(stmts []autograd.Statement) map[string]string {
	out := map[string]string{}
	var walk func(t autograd.Term)
	walk = func(t autograd.Term) {
		if slices.Contains(gatedFunctions, t.Op) && len(t.Args) == 1 && t.Args[0].Name != "" {
			out[t.Args[0].Name] = t.Op
		}
		for _, a := range t.Args {
			walk(a)
		}
	}
	for _, st := range stmts {
		walk(st.Expr)
	}
	return out
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *SplitRate) add(above, passed bool) {
	switch {
	case above:
		s.Above++
		if passed {
			s.PassedAbove++
		}
	default:
		s.AtOrBelow++
		if passed {
			s.PassedBelow++
		}
	}
}
