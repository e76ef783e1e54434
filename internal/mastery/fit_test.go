package mastery

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gradjudge"
)

// simulate draws students answering one concept as BKT says students do under p: each knows it
// from the start with probability Prior, answers right with 1 − Slip if they know it and Guess
// if not, and comes to know it with probability Learn after each answer.
func simulate(p gradjudge.MasteryParams, students, answers int, seed uint64) []Sequence {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]Sequence, students)
	for i := range out {
		out[i] = Sequence{UserID: int64(i + 1), Concept: p.Concept}
		known := rng.Float64() < p.Prior
		for range answers {
			right := rng.Float64() < p.Guess
			if known {
				right = rng.Float64() >= p.Slip
			}
			c := 0.0
			if right {
				c = 1
			}
			out[i].Obs = append(out[i].Obs, Observation{Credit: c, Right: right})
			known = known || rng.Float64() < p.Learn
		}
	}
	return out
}

// TestFitRecoversParameters fits data simulated from known parameters: the fit finds them again
// (within a few hundredths), predicts the held-out students better than the defaults, and with
// an AUC well above chance.
func TestFitRecoversParameters(t *testing.T) {
	truth := gradjudge.MasteryParams{Concept: "k", Prior: 0.4, Learn: 0.2, Guess: 0.15, Slip: 0.1}
	fits := Fit(simulate(truth, 400, 10, 1))
	if len(fits) != 1 || !fits[0].Fitted {
		t.Fatalf("fits = %+v, want one fitted concept", fits)
	}
	f := fits[0]
	got := [4]float64{f.Params.Prior, f.Params.Learn, f.Params.Guess, f.Params.Slip}
	want := [4]float64{truth.Prior, truth.Learn, truth.Guess, truth.Slip}
	for k, name := range []string{"prior", "learn", "guess", "slip"} {
		if math.Abs(got[k]-want[k]) > 0.06 {
			t.Errorf("%s = %.3f, want %.3f ± 0.06", name, got[k], want[k])
		}
	}
	if f.HeldOut.LogLik <= f.DefaultHeld.LogLik || f.HeldOut.AUC < 0.75 || f.HeldOut.N == 0 {
		t.Errorf("held out: fitted %+v, defaults %+v; want the fit's log-likelihood higher and AUC ≥ 0.75", f.HeldOut, f.DefaultHeld)
	}
	t.Logf("fitted %s on %d students (%d answers); held out: log-lik %.3f AUC %.3f (defaults %.3f, %.3f)",
		String(f.Params), f.Students, f.Train, f.HeldOut.LogLik, f.HeldOut.AUC, f.DefaultHeld.LogLik, f.DefaultHeld.AUC)
}

// TestFitNeedsData keeps the defaults, and says why, for a concept with too little data.
func TestFitNeedsData(t *testing.T) {
	f := Fit(simulate(Defaults("k"), 5, 10, 2))[0]
	if f.Fitted || f.Params != Defaults("k") || !strings.Contains(f.Reason, "too few students") {
		t.Errorf("fit on five students = %+v, want the defaults and the reason", f)
	}
}

// TestAUC checks the Mann–Whitney statistic by hand: of four pairs three are ordered, one tied.
func TestAUC(t *testing.T) {
	if got := auc([]float64{0.9, 0.8}, []float64{0.1, 0.8}); got != 0.875 {
		t.Errorf("auc = %v, want 0.875", got)
	}
	if got := auc(nil, []float64{0.1}); got != 0.5 {
		t.Errorf("auc with no positives = %v, want 0.5", got)
	}
}

// TestHistory turns submissions into sequences as Apply uses them: in time order whatever the
// input order, without compile errors, without a right answer to a variant answered right before.
func TestHistory(t *testing.T) {
	m, _ := newFakeModel(t)
	sub := func(id int64, ex string, min int, v gradjudge.Verdict) gradjudge.Submission {
		return gradjudge.Submission{ID: id, UserID: 7, ExerciseID: ex, Seed: 1, CreatedAt: at(min), Verdict: &v}
	}
	subs := []gradjudge.Submission{
		sub(4, "e1", 4, right), // a repeat
		sub(1, "e1", 1, wrong),
		sub(3, "e1", 3, right),
		sub(2, "e3", 2, gradjudge.Verdict{Status: gradjudge.StatusCompileError}),
		{ID: 5, UserID: 7, ExerciseID: "e1", CreatedAt: at(5)}, // not judged yet
	}
	seqs := m.History(subs, nil)
	if len(seqs) != 1 || seqs[0].Concept != "a" || len(seqs[0].Obs) != 2 || seqs[0].Obs[0].Right || !seqs[0].Obs[1].Right {
		t.Errorf("History = %+v, want concept a: wrong, right", seqs)
	}
	st, err := m.Replay(nil, 1, 7, subs, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Update(Update(DefaultPrior, 0, Defaults("a"), 0), 1, Defaults("a"), 0)
	if got := Mastery(nil, st, "a"); math.Abs(got.P-want) > 1e-12 || got.Observations != 2 {
		t.Errorf("Replay: %+v, want P %.4f after 2 observations", got, want)
	}
}

// TestHistoryHints counts the hint steps seen on an exercise before each answer: the right answer
// after two steps earns HintFloor's credit in the fit's history and in a replay, and the answer
// before them its full credit; hints on another exercise or student, or shown later, count not.
func TestHistoryHints(t *testing.T) {
	m, _ := newFakeModel(t)
	sub := func(id int64, min int, v gradjudge.Verdict) gradjudge.Submission {
		return gradjudge.Submission{ID: id, UserID: 7, ExerciseID: "e1", Seed: uint64(id), CreatedAt: at(min), Verdict: &v}
	}
	subs := []gradjudge.Submission{sub(1, 1, right), sub(2, 3, right)}
	hints := Hints{{UserID: 7, ExerciseID: "e1", Step: 1, RevealedAt: at(2)}, {UserID: 7, ExerciseID: "e1", Step: 2, RevealedAt: at(2)},
		{UserID: 7, ExerciseID: "e3", Step: 3, RevealedAt: at(0)}, {UserID: 8, ExerciseID: "e1", Step: 3, RevealedAt: at(0)},
		{UserID: 7, ExerciseID: "e1", Step: 3, RevealedAt: at(4)}}
	if got := hints.Before(7, "e1", at(3)); got != 2 {
		t.Errorf("Before = %d, want 2", got)
	}
	seqs := m.History(subs, hints)
	if len(seqs) != 1 || len(seqs[0].Obs) != 2 || seqs[0].Obs[0].Credit != 1 || seqs[0].Obs[1].Credit != HintFloor || seqs[0].Obs[1].Right {
		t.Errorf("History = %+v, want credits 1 then %v (not right without hints)", seqs, HintFloor)
	}
	st, err := m.Replay(nil, 1, 7, subs, hints)
	if err != nil {
		t.Fatal(err)
	}
	want := Update(Update(DefaultPrior, 1, Defaults("a"), 0), HintFloor, Defaults("a"), 0)
	if got := Mastery(nil, st, "a"); math.Abs(got.P-want) > 1e-12 || !got.LastHinted || got.Streak != 0 {
		t.Errorf("Replay: %+v, want P %.4f, last hinted, no streak", got, want)
	}
}
