package app

import (
	"reflect"
	"slices"
	"strconv"
	"testing"

	"gradjudge"
	"gradjudge/exercises"
)

// TestExerciseDrillSplits: on the single ReLU neuron, the students are split by the sign of z in
// their own numbers, z computed here by hand from their variant's inputs (z = w·x + b), and the
// passes counted in each group; z comes first, marked as the ReLU's gate, and a = relu(z), which
// splits them the same way, is left out.
func TestExerciseDrillSplits(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	const ex = "single-neuron-relu-backward"
	r := &records{}
	f := newFixture(t, func(d *Deps) { d.Catalog, d.Progress = cat, r })
	ctx := t.Context()
	inst := f.visit(t, f.inst)
	var want SplitRate
	for i := range 40 {
		u, err := f.db.CreateUser(ctx, gradjudge.User{Email: "s" + strconv.Itoa(i) + "@example.edu", Role: gradjudge.RoleStudent}, "password-s")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.Enroll(ctx, inst, u.Email, gradjudge.CourseStudent); err != nil {
			t.Fatal(err)
		}
		rec := gradjudge.ExerciseRecord{UserID: u.ID, ExerciseProgress: gradjudge.ExerciseProgress{ExerciseID: ex, Attempts: 1 + i%3, LastAttemptAt: at(i)}}
		if i%3 == 0 {
			rec.SolvedAt = at(i)
		}
		r.recs.Exercises = append(r.recs.Exercises, rec)
		v, err := cat.Variant(ex, gradjudge.VariantSeed(f.course.ID, u.ID, ex))
		if err != nil {
			t.Fatal(err)
		}
		in := v.Inputs
		z := in["w"].(float64)*in["x"].(float64) + in["b"].(float64)
		group, passed := &want.AtOrBelow, &want.PassedBelow
		if z > 0 {
			group, passed = &want.Above, &want.PassedAbove
		}
		*group++
		if rec.Solved() {
			*passed++
		}
	}
	if want.AtOrBelow == 0 || want.Above == 0 {
		t.Fatalf("the students' variants do not split on z: %+v", want)
	}
	d, err := f.app.ExerciseDrill(ctx, inst, ex)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Splits) == 0 {
		t.Fatal("no splits")
	}
	got := d.Splits[0]
	if got.Name != "z" || got.Gate != "relu" || got.AtOrBelow != want.AtOrBelow || got.Above != want.Above ||
		got.PassedBelow != want.PassedBelow || got.PassedAbove != want.PassedAbove ||
		got.RateAtOrBelow != float64(want.PassedBelow)/float64(want.AtOrBelow) {
		t.Errorf("first split %+v, want z (the ReLU's gate) with %+v", got, want)
	}
	for _, s := range d.Splits[1:] {
		if s.Gate != "" || s.Name == "z" || s.Name == "a" {
			t.Errorf("split %+v after z: want no other gate", s)
		}
	}
	again, err := f.app.ExerciseDrill(ctx, inst, ex) // the variants' signs now remembered
	if err != nil || !reflect.DeepEqual(again.Splits, d.Splits) {
		t.Errorf("a second view splits %+v (%v), the first %+v", again.Splits, err, d.Splits)
	}
}

// TestVariantSignsBounded: remembered signs are those a fresh variant gives, and the memory
// starts again empty when full.
func TestVariantSignsBounded(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	ex, err := cat.Lookup("single-neuron-relu-backward")
	if err != nil {
		t.Fatal(err)
	}
	names := append(ex.Graph.Inputs(), ex.Graph.Names()...)
	v := &variantSigns{limit: 2}
	for seed := range uint64(5) {
		first := v.of(ex, seed, names)
		if len(v.m) > 2 {
			t.Fatalf("holds %d variants, limit 2", len(v.m))
		}
		fresh := (&variantSigns{}).of(ex, seed, names)
		if again := v.of(ex, seed, names); !reflect.DeepEqual(first, fresh) || !reflect.DeepEqual(again, fresh) {
			t.Fatalf("seed %d: signs %v then %v, a fresh variant %v", seed, first, again, fresh)
		}
		if !slices.ContainsFunc(fresh, func(s nodeSign) bool { return s != signNone }) {
			t.Fatalf("seed %d: no node with a sign: %v", seed, fresh)
		}
	}
}
