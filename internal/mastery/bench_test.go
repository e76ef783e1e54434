package mastery_test

import (
	"testing"

	"gradjudge"
	"gradjudge/internal/mastery"
)

// BenchmarkUpdateOnVerdict is the model's share of recording one verdict: the evidence of a
// wrong answer naming a misconception, then a right answer resolving it (the judge's answer on
// what the variant tells apart cached, as it is after the first), each applied to a student with
// a dozen concepts. The store's reads and writes are measured by store's BenchmarkRecordVerdict.
func BenchmarkUpdateOnVerdict(b *testing.B) {
	w := newWorld(b)
	const ex = "gradient-descent-step"
	seed := gradjudge.VariantSeed(1, 1, ex)
	base := gradjudge.LearnerState{CourseID: 1, UserID: 1}
	for _, c := range w.model.Concepts()[:12] {
		base.Concepts = append(base.Concepts, gradjudge.ConceptMastery{Concept: c, P: 0.5})
	}
	sub := gradjudge.Submission{ID: 1, ExerciseID: ex, Seed: seed}
	wrongV := gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer, Misconceptions: []string{"square-factor-dropped"}}
	rightV := gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}
	if _, err := w.model.Evidence(sub, rightV, []string{"square-factor-dropped"}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		st := base
		st.Concepts = append([]gradjudge.ConceptMastery(nil), base.Concepts...)
		ev, _ := w.model.Evidence(sub, wrongV, nil)
		mastery.Apply(nil, &st, ev)
		ev, _ = w.model.Evidence(sub, rightV, []string{"square-factor-dropped"})
		mastery.Apply(nil, &st, ev)
	}
}
