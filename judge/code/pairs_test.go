package code

import (
	"slices"
	"testing"

	"gradjudge/autograd"
	"gradjudge/exercises"
)

// TestTwoMisconceptionsInCode: simulated code holding two beliefs at once, on every code exercise
// and 10 seeds, gets both named for at least 90% of the pairs its cases can show (the pair's
// results differ from every single rule's and every other pair's with other tags), and never a
// tag it does not hold.
func TestTwoMisconceptionsInCode(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	shown, named, foreign := 0, 0, 0
	for _, e := range cat.All() {
		if e.Code == nil {
			continue
		}
		singles := applications(e.Graph)
		pairs := exercises.PairApplications(e.Graph)
		for seed := range uint64(10) {
			p, err := newPlan(e, seed)
			if err != nil {
				t.Fatal(err)
			}
			sim := newSimulation(p)
			preds := map[string]prediction{}
			for _, app := range append(slices.Clone(singles), pairs...) {
				preds[app.String()] = sim.predict(app)
			}
			for _, app := range pairs {
				if app.At != "" || !showsInCode(app, preds, singles, pairs) {
					continue
				}
				shown++
				v := sim.verdict(app)
				held := []string{app.Rule.Tag, app.Also.Tag}
				switch {
				case slices.ContainsFunc(v.Misconceptions, func(tag string) bool { return !slices.Contains(held, tag) }):
					foreign++
					t.Errorf("%s seed %d: code holding %s tagged %v", e.ID, seed, app, v.Misconceptions)
				case len(v.Misconceptions) == 2:
					named++
				}
			}
		}
	}
	percent := 100.0
	if shown > 0 {
		percent = 100 * float64(named) / float64(shown)
	}
	t.Logf("code holding two beliefs at once, 10 seeds per exercise: shown %d, both named %d (%.1f%%), a tag not held %d",
		shown, named, percent, foreign)
	if percent < 90 {
		t.Errorf("both beliefs named for %.1f%% of the shown pairs; want at least 90%%", percent)
	}
}

// showsInCode reports whether the cases tell app's results apart from those of every single rule
// and every other pair with other tags.
func showsInCode(app autograd.Application, preds map[string]prediction, singles, pairs []autograd.Application) bool {
	p := preds[app.String()]
	if !p.differs {
		return false
	}
	tags := []string{app.Rule.Tag, app.Also.Tag}
	for _, other := range append(slices.Clone(singles), pairs...) {
		q := preds[other.String()]
		if other == app || !q.differs {
			continue
		}
		otherTags := []string{other.Rule.Tag}
		if other.Also != nil {
			otherTags = append(otherTags, other.Also.Tag)
		}
		if !slices.Equal(sortedTags(tags), sortedTags(otherTags)) && p.matches(q) {
			return false
		}
	}
	return true
}

func sortedTags(t []string) []string {
	t = slices.Clone(t)
	slices.Sort(t)
	return t
}
