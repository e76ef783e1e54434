package exercises

import (
	"errors"
	"fmt"
	"math/rand/v2"
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
	return cases, nil
}
