package mastery_test

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"gradjudge"
	"gradjudge/exercises"
	"gradjudge/internal/mastery"
)

var curveFile = flag.String("curve", "", "write the simulated class's mastery curve to this CSV file (and a text plot to stdout)")

// studier learns as BKT assumes: a concept it does not know yet it learns with probability
// learn after each answer on it; an answer is right when it knows every concept of the exercise,
// else it follows a belief the variant can show, or guesses.
type studier struct {
	learn float64
	known map[string]bool
	rng   *rand.Rand
}

func (s *studier) answer(in *exercises.Instance, rng *rand.Rand) gradjudge.Answer {
	knowsAll := !slices.ContainsFunc(in.Exercise.Concepts, func(c string) bool { return !s.known[c] })
	for _, c := range in.Exercise.Concepts {
		s.known[c] = s.known[c] || s.rng.Float64() < s.learn // learning from this try's feedback
	}
	if knowsAll {
		return master{}.answer(in, rng)
	}
	if in.Exercise.Kind == gradjudge.KindNumeric {
		var beliefs []exercises.Prediction
		for _, p := range in.Predictions() {
			if !p.Slip {
				beliefs = append(beliefs, p)
			}
		}
		if len(beliefs) > 0 {
			return fields(in, beliefs[rng.IntN(len(beliefs))].Answers)
		}
	}
	return guesser{}.answer(in, rng)
}

func (s *studier) told(gradjudge.Verdict) {}

// TestClassCurve drives a simulated class through the course by the suggestions: its mean
// probability of mastery and its share of mastered concepts rise, and its active misconceptions
// are fewer at the end than at their peak. With -curve FILE it writes the curve as CSV.
func TestClassCurve(t *testing.T) {
	w := newWorld(t)
	kinds := []struct {
		name string
		n    int
		make func(id int64) learner
	}{
		{"master", 6, func(int64) learner { return master{} }},
		{"fast", 8, func(id int64) learner { return &studier{0.5, map[string]bool{}, rand.New(rand.NewPCG(uint64(id), 1))} }},
		{"slow", 8, func(id int64) learner { return &studier{0.15, map[string]bool{}, rand.New(rand.NewPCG(uint64(id), 2))} }},
		{"believer", 4, func(id int64) learner { return &believer{tag: "square-factor-dropped", holds: true, drops: true} }},
		{"guesser", 4, func(int64) learner { return guesser{} }},
	}
	var class []*student
	var kindOf []string
	for _, k := range kinds {
		for range k.n {
			class = append(class, w.student(int64(len(class)+1), k.make(int64(len(class)+1))))
			kindOf = append(kindOf, k.name)
		}
	}
	const steps = 40
	taught := w.taughtConcepts()
	var rows []curvePoint
	for step := 0; step <= steps; step++ {
		if step > 0 {
			for _, s := range class {
				if sg := s.suggest(t); sg.ExerciseID != "" {
					s.try(t, sg.ExerciseID)
				}
			}
		}
		rows = append(rows, w.measure(step, class, kindOf, taught))
	}
	first, last := rows[0], rows[len(rows)-1]
	peak := slices.MaxFunc(rows, func(a, b curvePoint) int { return cmpFloat(a.active, b.active) })
	if !(last.meanP > first.meanP+0.3 && last.mastered > first.mastered+0.3 && last.active < peak.active) {
		t.Errorf("class curve from %+v to %+v (active peak %.2f): want mastery up by 0.3 and misconceptions down from their peak", first, last, peak.active)
	}
	if *curveFile != "" {
		f, err := os.Create(*curveFile)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		writeCurve(f, rows, kinds[0].name, kinds)
		plotCurve(os.Stdout, rows)
		var subs []gradjudge.Submission
		for _, s := range class {
			subs = append(subs, s.subs...)
		}
		fmt.Println()
		mastery.FitResult{CourseID: 1, DryRun: true, Submissions: len(subs), Students: len(class), Concepts: mastery.Fit(w.model.History(subs, nil))}.Write(os.Stdout)
	}
}

// curvePoint is the class after one step: means over students of the taught concepts.
type curvePoint struct {
	step           int
	meanP          float64            // probability of mastery, the prior where there is no evidence
	mastered       float64            // share of (student, concept) mastered
	active         float64            // active misconceptions per student
	byKind         map[string]float64 // meanP per kind of learner
	perKindCounted map[string]int
}

func (w *world) taughtConcepts() []string {
	var out []string
	for _, c := range w.model.Concepts() {
		if w.exercisesOf(c) > 0 {
			out = append(out, c)
		}
	}
	return out
}

func (w *world) measure(step int, class []*student, kindOf []string, taught []string) curvePoint {
	pt := curvePoint{step: step, byKind: map[string]float64{}, perKindCounted: map[string]int{}}
	for i, s := range class {
		for _, c := range taught {
			p := mastery.Mastery(nil, s.st, c).P
			pt.meanP += p
			pt.byKind[kindOf[i]] += p
			if w.model.Mastered(nil, s.st, c) {
				pt.mastered++
			}
		}
		pt.perKindCounted[kindOf[i]] += len(taught)
		pt.active += float64(len(activeTags(s.st)))
	}
	n := float64(len(class) * len(taught))
	pt.meanP, pt.mastered, pt.active = pt.meanP/n, pt.mastered/n, pt.active/float64(len(class))
	for k, v := range pt.byKind {
		pt.byKind[k] = v / float64(pt.perKindCounted[k])
	}
	return pt
}

func writeCurve(out io.Writer, rows []curvePoint, _ string, kinds []struct {
	name string
	n    int
	make func(id int64) learner
}) {
	header := []string{"step", "mean_p_mastery", "share_mastered", "active_misconceptions_per_student"}
	for _, k := range kinds {
		header = append(header, "mean_p_"+k.name)
	}
	fmt.Fprintln(out, strings.Join(header, ","))
	for _, r := range rows {
		line := fmt.Sprintf("%d,%.4f,%.4f,%.3f", r.step, r.meanP, r.mastered, r.active)
		for _, k := range kinds {
			line += fmt.Sprintf(",%.4f", r.byKind[k.name])
		}
		fmt.Fprintln(out, line)
	}
}

// plotCurve draws the class's mean probability of mastery (*) and share mastered (#) per step.
func plotCurve(out io.Writer, rows []curvePoint) {
	fmt.Fprintln(out, "step  mean P(mastery) * and share mastered #, 0 … 1")
	for _, r := range rows {
		line := []rune(strings.Repeat(" ", 51))
		line[int(r.mastered*50+0.5)] = '#'
		line[int(r.meanP*50+0.5)] = '*'
		fmt.Fprintf(out, "%4d |%s| %.2f %.2f\n", r.step, string(line), r.meanP, r.mastered)
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
