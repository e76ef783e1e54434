package mastery_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/autograd"
	"gradjudge/exercises"
	"gradjudge/internal/mastery"
	"gradjudge/judge"
)

// world is the catalog's numeric and choice exercises as one course, judged by the real judge
// (code exercises need the sandbox's builds: minutes for a class).
type world struct {
	cat    *exercises.Catalog
	judge  *judge.Judge
	model  *mastery.Model
	course []string
}

func newWorld(t testing.TB) *world {
	t.Helper()
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	j, err := judge.New(cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	var concepts []mastery.Concept
	for _, c := range cat.Concepts() {
		concepts = append(concepts, mastery.Concept{ID: c.ID, Title: c.Title})
	}
	m, err := mastery.New(mastery.Config{Catalog: cat, Variants: j, Concepts: concepts})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{cat: cat, judge: j, model: m}
	for _, e := range cat.Exercises() {
		if e.Kind != gradjudge.KindCode {
			w.course = append(w.course, e.ID)
		}
	}
	return w
}

// learner answers a variant; told is called with each verdict, as feedback.
type learner interface {
	answer(in *exercises.Instance, rng *rand.Rand) gradjudge.Answer
	told(v gradjudge.Verdict)
}

// student is one simulated student taking the course: their learner model and record.
type student struct {
	w      *world
	id     int64
	who    learner
	rng    *rand.Rand
	st     gradjudge.LearnerState
	solved map[string]bool
	clock  time.Time
	subs   []gradjudge.Submission // every judged submission, for fitting
}

func (w *world) student(id int64, who learner) *student {
	return &student{w: w, id: id, who: who, rng: rand.New(rand.NewPCG(uint64(id), 15)), solved: map[string]bool{},
		st: gradjudge.LearnerState{CourseID: 1, UserID: id}, clock: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
}

func (s *student) options() []mastery.Option {
	out := make([]mastery.Option, len(s.w.course))
	for i, id := range s.w.course {
		out[i] = mastery.Option{ExerciseID: id, Seed: gradjudge.VariantSeed(1, s.id, id), Solved: s.solved[id]}
	}
	return out
}

func (s *student) suggest(t testing.TB) mastery.Suggestion {
	t.Helper()
	sg, err := s.w.model.Suggest(nil, s.st, s.options())
	if err != nil {
		t.Fatal(err)
	}
	return sg
}

// try answers exercise id, as the judge and the model see it, and returns the verdict.
func (s *student) try(t testing.TB, id string) (gradjudge.Verdict, gradjudge.LearnerEvidence) {
	t.Helper()
	seed := gradjudge.VariantSeed(1, s.id, id)
	in, err := s.w.cat.Instance(id, seed)
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.w.judge.Grade(context.Background(), id, seed, s.who.answer(in, s.rng))
	if err != nil {
		t.Fatal(err)
	}
	s.clock = s.clock.Add(time.Minute)
	sub := gradjudge.Submission{ID: s.clock.Unix(), UserID: s.id, CourseID: 1, ExerciseID: id, Seed: seed, CreatedAt: s.clock, Verdict: &v}
	s.subs = append(s.subs, sub)
	ev, err := s.w.model.Evidence(sub, v, s.st.ActiveTags())
	if err != nil {
		t.Fatal(err)
	}
	ev.Repeat = s.solved[id]
	mastery.Apply(nil, &s.st, ev)
	s.solved[id] = s.solved[id] || v.Status == gradjudge.StatusAccepted
	s.who.told(v)
	return v, ev
}

// checkSuggestion fails when the suggestion points at a mastered concept while a misconception
// is active.
func (s *student) checkSuggestion(t testing.TB, sg mastery.Suggestion) {
	t.Helper()
	if len(s.st.ActiveTags()) > 0 && sg.ExerciseID != "" && s.w.model.Mastered(nil, s.st, sg.Concept) {
		t.Errorf("student %d: suggestion %+v points at mastered %s while %v is active", s.id, sg, sg.Concept, s.st.ActiveTags())
	}
}

// follow has the student take suggested exercises for at most steps answers.
func (s *student) follow(t testing.TB, steps int) {
	t.Helper()
	for range steps {
		sg := s.suggest(t)
		s.checkSuggestion(t, sg)
		if sg.ExerciseID == "" {
			return
		}
		s.try(t, sg.ExerciseID)
	}
}

// fields encodes answers as a student submits them, the reference where an answer is missing.
func fields(in *exercises.Instance, answers []autograd.Tensor) gradjudge.Answer {
	a := gradjudge.Answer{Fields: map[string]json.RawMessage{}}
	for i, q := range in.Exercise.Quantities {
		t := in.Answers[i]
		if i < len(answers) && answers[i].Data != nil {
			t = answers[i]
		}
		a.Fields[q.ID], _ = json.Marshal(t.Nested())
	}
	return a
}

func correctOption(in *exercises.Instance) string {
	for _, o := range in.Options {
		if o.Correct {
			return o.ID
		}
	}
	return ""
}

// master answers everything right.
type master struct{}

func (master) answer(in *exercises.Instance, _ *rand.Rand) gradjudge.Answer {
	if in.Exercise.Kind == gradjudge.KindChoice {
		return gradjudge.Answer{Choice: correctOption(in)}
	}
	return fields(in, nil)
}

func (master) told(gradjudge.Verdict) {}

// guesser answers numbers at random (two decimals in [−5, 5]) and picks options at random.
type guesser struct{}

func (guesser) answer(in *exercises.Instance, rng *rand.Rand) gradjudge.Answer {
	if in.Exercise.Kind == gradjudge.KindChoice {
		return gradjudge.Answer{Choice: in.Options[rng.IntN(len(in.Options))].ID}
	}
	got := make([]autograd.Tensor, len(in.Answers))
	for i, a := range in.Answers {
		got[i] = a.Clone()
		for k := range got[i].Data {
			got[i].Data[k] = float64(rng.IntN(1001)-500) / 100
		}
	}
	return fields(in, got)
}

func (guesser) told(gradjudge.Verdict) {}

// believer answers as a student holding one belief would, right everywhere the belief does not
// show; once feedback names the belief, a dropping believer answers right from then on.
type believer struct {
	tag           string
	holds, drops  bool
	shown, rights int // verdicts naming the tag; right answers after dropping it on variants that tell it apart
}

func (b *believer) answer(in *exercises.Instance, rng *rand.Rand) gradjudge.Answer {
	if !b.holds {
		return master{}.answer(in, rng)
	}
	if in.Exercise.Kind == gradjudge.KindChoice {
		for _, o := range in.Options {
			if o.Tag == b.tag {
				return gradjudge.Answer{Choice: o.ID}
			}
		}
		return master{}.answer(in, rng)
	}
	for _, p := range in.Predictions() {
		if p.Tag == b.tag && !p.Slip {
			return fields(in, p.Answers)
		}
	}
	return fields(in, nil)
}

func (b *believer) told(v gradjudge.Verdict) {
	if slices.Contains(v.Misconceptions, b.tag) {
		b.shown++
		b.holds = !b.drops
	}
}
