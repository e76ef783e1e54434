package exercises

import (
	"fmt"
	"math/rand/v2"

	"gradjudge/autograd"
)

// The built-in rules an exercise requires by default are decided on sampleDraws usable draws of
// a fixed sample: a rule is required when its belief changes an asked answer in at least
// requiredPercent of them. A rule that matters only now and then (relu-gate-ignored where the
// unit is sometimes dead) is still diagnosed whenever it shows, but does not force every variant.
const (
	sampleDraws     = 24
	requiredPercent = 75
	sampleSeed      = 0x5eed
)

// applicableRules samples usable draws and returns the built-in rules required by default.
func (e *Exercise) applicableRules() ([]*autograd.BugRule, error) {
	rng := rand.New(rand.NewPCG(sampleSeed, e.stream))
	rules := autograd.BugRules()
	counts := make([]int, len(rules))
	usable := 0
	for try := 0; try < maxDraws && usable < sampleDraws; try++ {
		in, reason := e.evaluate(e.drawInputs(rng))
		if reason != "" {
			continue
		}
		usable++
		for i, r := range rules {
			if in.predict(autograd.Application{Rule: r}).differs() {
				counts[i]++
			}
		}
	}
	if usable < sampleDraws {
		return nil, fmt.Errorf("only %d of %d draws are kink-free and meet `positive`: widen the parameter ranges",
			usable, maxDraws)
	}
	var out []*autograd.BugRule
	for i, r := range rules {
		if counts[i]*100 >= requiredPercent*usable {
			out = append(out, r)
		}
	}
	return out, nil
}
