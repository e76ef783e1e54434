package app

import (
	"cmp"
	"sync"

	"gradjudge/exercises"
)

// maxVariantSigns bounds variantSigns: when it holds this many variants it starts again empty.
const maxVariantSigns = 1 << 16

// variantSigns remembers, per compiled exercise and variant seed, which side of zero each scalar
// node of the variant falls on: what the exercise drill-down splits pass rates by. Building a
// variant checks it against every misconception's predictions, so a class of 500 cost some 25 ms
// per view; a variant never changes, and an edited catalog compiles a new exercise (a new key).
// Safe for concurrent use.
type variantSigns struct {
	mu    sync.Mutex
	m     map[signKey][]nodeSign
	limit int // how many variants it holds at most; 0: maxVariantSigns
}

type signKey struct {
	ex   *exercises.Exercise
	seed uint64
}

// nodeSign is where a node's value lies in a variant.
type nodeSign int8

const (
	signNone      nodeSign = iota // not a scalar, or the variant could not be built
	signAtOrBelow                 // at or below zero
	signAbove                     // above zero
)

// of returns the signs of nodes names (the exercise graph's, in a fixed order) in variant seed of ex.
func (v *variantSigns) of(ex *exercises.Exercise, seed uint64, names []string) []nodeSign {
	k := signKey{ex: ex, seed: seed}
	v.mu.Lock()
	s, ok := v.m[k]
	v.mu.Unlock()
	if ok {
		return s
	}
	s = make([]nodeSign, len(names))
	if in, err := ex.NewInstance(seed); err == nil && in.Run != nil {
		for i, name := range names {
			if val, ok := in.Run.Value(name); ok && val.Rank() == 0 {
				s[i] = signAtOrBelow + nodeSign(boolRank(val.Data[0] > 0))
			}
		}
	}
	v.mu.Lock()
	if v.m == nil || len(v.m) >= cmp.Or(v.limit, maxVariantSigns) {
		v.m = make(map[signKey][]nodeSign)
	}
	v.m[k] = s
	v.mu.Unlock()
	return s
}
