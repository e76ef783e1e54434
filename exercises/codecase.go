package exercises

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"gradjudge/autograd"
)

// caseStream is mixed into the PCG stream of an exercise for the cases after the first, so that
// they never repeat the variant's own draws.
const caseStream = 0xc0de_ca5e

// CodeCases returns the cases a code submission to the variant of seed is run on: the variant
// itself (what the statement shows) first, then Code.Cases − 1 more, each drawn kink-free and
// meeting `positive` from a generator seeded with seed. The same seed gives the same cases
// everywhere. The instances are new and owned by the caller.
func (e *Exercise) CodeCases(seed uint64) ([]*Instance, error) {
	if e.Code == nil {
		return nil, errors.New("not a code exercise")
	}
	first, err := e.NewInstance(seed)
	if err != nil {
		return nil, err
	}
	cases := []*Instance{first}
	rng := rand.New(rand.NewPCG(seed, e.stream^caseStream))
	for draw := 0; len(cases) < e.Code.Cases; draw++ {
		if draw == maxDraws*e.Code.Cases {
			return nil, fmt.Errorf("exercise %s: only %d of %d cases are kink-free in %d draws", e.ID, len(cases), e.Code.Cases, draw)
		}
		if in, reason := e.evaluate(e.drawInputs(rng)); reason == "" {
			in.Seed, in.Draws = seed, draw+1
			cases = append(cases, in)
		}
	}
	return cases, e.meetNeeds(cases, rng)
}

// meetNeeds makes some case meet each of Code.Needs: the first case meeting a need is kept for
// it; for a need no case meets, it draws cases until one does and puts it in place of the last
// case not kept, so the variant itself (case 0) and a case kept for one need are never replaced.
func (e *Exercise) meetNeeds(cases []*Instance, rng *rand.Rand) error {
	kept := map[int]bool{0: true}
	for _, need := range e.Code.Needs {
		if i := slices.IndexFunc(cases, func(in *Instance) bool { return e.meets(in, need) }); i >= 0 {
			kept[i] = true
			continue
		}
		slot := len(cases) - 1
		for kept[slot] {
			slot--
		}
		found := false
		for draw := 0; draw < maxDraws && !found; draw++ {
			if in, reason := e.evaluate(e.drawInputs(rng)); reason == "" && e.meets(in, need) {
				in.Seed, in.Draws = cases[0].Seed, draw+1
				cases[slot], kept[slot], found = in, true, true
			}
		}
		if !found {
			return fmt.Errorf("exercise %s: no kink-free case meets the need %s in %d draws", e.ID, need, maxDraws)
		}
	}
	return nil
}

// meets reports whether need exceeds KinkMargin on every element in case in.
func (e *Exercise) meets(in *Instance, need *autograd.Quantity) bool {
	v, err := need.Eval(in.Run, autograd.Application{})
	return err == nil && !slices.ContainsFunc(v.Data, func(x float64) bool { return x <= e.KinkMargin })
}
