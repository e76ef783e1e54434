package exercises

import (
	"fmt"
	"math/rand/v2"

	"gradjudge/autograd"
)

// The built-in rules an exercise requires by default are decided on sampleDraws usable draws of
// a fixed sample: a rule is required when its belief changes an asked answer, and can be told
// apart from each rule required before it, in at least RequiredPercent of them. Rules are
// considered in Rank order: those that replace one op's backward rule before engine-level ones
// (chain-rule-add, …), which on some graphs predict exactly what a specific rule does. A rule that matters only now and then
// (relu-gate-ignored where the unit is sometimes dead) is still diagnosed whenever it shows, but
// does not force every variant.
const (
	sampleDraws = 24
	sampleSeed  = 0x5eed
)

// applicableRules samples usable draws and returns the built-in rules required by default.
func (e *Exercise) applicableRules() ([]*autograd.BugRule, error) {
	samples, err := e.sample()
	if err != nil {
		return nil, err
	}
	rules := autograd.BugRules()
	SortByRank(rules)
	enough := func(ok func(in *Instance) bool) bool {
		n := 0
		for _, in := range samples {
			if ok(in) {
				n++
			}
		}
		return n*100 >= RequiredPercent*len(samples)
	}
	var out []*autograd.BugRule
	for _, r := range rules {
		if !enough(func(in *Instance) bool { return in.predict(autograd.Application{Rule: r}).differs() }) {
			continue
		}
		distinct := true
		for _, q := range out {
			distinct = distinct && (q.Tag == r.Tag || enough(func(in *Instance) bool {
				return in.predict(autograd.Application{Rule: r}).Distinct(in.predict(autograd.Application{Rule: q}), e)
			}))
		}
		if distinct {
			out = append(out, r)
		}
	}
	return out, nil
}

// sample returns sampleDraws usable (kink-free, positive where asked) instances of a fixed seed.
func (e *Exercise) sample() ([]*Instance, error) {
	rng := rand.New(rand.NewPCG(sampleSeed, e.stream))
	var out []*Instance
	for try := 0; try < maxDraws && len(out) < sampleDraws; try++ {
		if in, reason := e.evaluate(e.drawInputs(rng)); reason == "" {
			out = append(out, in)
		}
	}
	if len(out) < sampleDraws {
		return nil, fmt.Errorf("only %d of %d draws are kink-free and meet `positive`: widen the parameter ranges",
			len(out), maxDraws)
	}
	return out, nil
}
