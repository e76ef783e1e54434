package exercises

import (
	"sync/atomic"

	"gradjudge"
)

// Live is a catalog that can be replaced while it serves: each call reads the catalog current at
// that moment, and Swap replaces it atomically, so that a request sees either the old catalog or
// the new one, never a mixture. A Watcher swaps in a changed catalog directory. It is safe for
// concurrent use; make it with NewLive.
type Live struct {
	cur atomic.Pointer[Catalog]
}

var _ gradjudge.Catalog = (*Live)(nil)

// NewLive returns a Live serving c, which must not be nil.
func NewLive(c *Catalog) *Live {
	l := &Live{}
	l.cur.Store(c)
	return l
}

// Current returns the catalog serving now. Use it for several calls that must agree.
func (l *Live) Current() *Catalog { return l.cur.Load() }

// Swap makes c the catalog serving from now on and returns the one it replaces.
func (l *Live) Swap(c *Catalog) *Catalog { return l.cur.Swap(c) }

// Exercises returns the current catalog's exercises; see Catalog.Exercises.
func (l *Live) Exercises() []gradjudge.Exercise { return l.Current().Exercises() }

// Variant returns a variant of the current catalog; see Catalog.Variant.
func (l *Live) Variant(id string, seed uint64) (gradjudge.Variant, error) {
	return l.Current().Variant(id, seed)
}

// Misconceptions returns the current misconception catalog; see Catalog.Misconceptions.
func (l *Live) Misconceptions() []gradjudge.Misconception { return l.Current().Misconceptions() }

// Concepts is Catalog.Concepts of the current catalog: the lesson's concepts with their titles.
func (l *Live) Concepts() []Concept { return l.Current().Concepts() }

// Misconception returns a tag's entry in the current catalog; see Catalog.Misconception.
func (l *Live) Misconception(tag string) (gradjudge.Misconception, bool) {
	return l.Current().Misconception(tag)
}

// Instance returns a variant with its answers from the current catalog; see Catalog.Instance.
func (l *Live) Instance(id string, seed uint64) (*Instance, error) {
	return l.Current().Instance(id, seed)
}

// All returns the current catalog's exercises; see Catalog.All.
func (l *Live) All() []*Exercise { return l.Current().All() }

// Lookup returns an exercise of the current catalog; see Catalog.Lookup.
func (l *Live) Lookup(id string) (*Exercise, error) { return l.Current().Lookup(id) }

// WorkedHint works out a hint on the current catalog; see Catalog.WorkedHint.
func (l *Live) WorkedHint(id string, seed uint64, q string) (label, chain string, locals []string, err error) {
	return l.Current().WorkedHint(id, seed, q)
}

// ExpectedAnswers returns expected answers from the current catalog; see Catalog.ExpectedAnswers.
func (l *Live) ExpectedAnswers(id string, seed uint64) (labels, values []string, err error) {
	return l.Current().ExpectedAnswers(id, seed)
}
