package mastery

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"gradjudge"
)

// Catalog is what the model reads of the exercise catalog (exercises.Catalog).
type Catalog interface {
	Exercises() []gradjudge.Exercise
	Misconceptions() []gradjudge.Misconception
	Variant(id string, seed uint64) (gradjudge.Variant, error)
}

// Variants tells which misconceptions a variant tells apart (judge.Judge): the tags whose
// bug-rule predictions differ from the right answers, so that a right answer rules them out.
type Variants interface {
	TellsApart(exerciseID string, seed uint64) ([]string, error)
}

// Config is what a Model is made of. Catalog and Variants are required.
type Config struct {
	Catalog  Catalog
	Variants Variants
	// Concepts are the lesson's concepts in the order they are taught: a concept's prerequisites
	// are the concepts before it. Concepts missing from it come after, by id.
	Concepts []Concept
}

// Concept is one concept of the lesson.
type Concept struct {
	ID    string
	Title string
}

// maxCachedVariants bounds the cache of what variants tell apart: a variant's predictions take
// up to milliseconds (a code exercise's cases), and a student answers the same variant often.
const maxCachedVariants = 4096

// Model is the learner model over one catalog. It is safe for concurrent use; its only state is
// a bounded cache of what variants tell apart.
type Model struct {
	variants   Variants
	catalog    Catalog
	exercises  map[string]gradjudge.Exercise
	miscs      map[string]gradjudge.Misconception
	concepts   []string
	titles     map[string]string // concept → title
	mu         sync.Mutex
	tellsApart map[variantKey][]string
}

type variantKey struct {
	exercise string
	seed     uint64
}

// New returns the model cfg describes.
func New(cfg Config) (*Model, error) {
	if cfg.Catalog == nil || cfg.Variants == nil {
		return nil, errors.New("mastery: a catalog and a judge telling variants apart are required")
	}
	m := &Model{variants: cfg.Variants, catalog: cfg.Catalog, exercises: map[string]gradjudge.Exercise{},
		miscs: map[string]gradjudge.Misconception{}, tellsApart: map[variantKey][]string{}}
	for _, e := range cfg.Catalog.Exercises() {
		m.exercises[e.ID] = e
	}
	for _, mc := range cfg.Catalog.Misconceptions() {
		m.miscs[mc.Tag] = mc
	}
	m.titles = map[string]string{}
	var order []string
	for _, c := range cfg.Concepts {
		order, m.titles[c.ID] = append(order, c.ID), c.Title
	}
	m.concepts = lessonOrder(order, m.exercises, m.miscs)
	return m, nil
}

// lessonOrder is order followed by every other concept an exercise or misconception names.
func lessonOrder(order []string, ex map[string]gradjudge.Exercise, miscs map[string]gradjudge.Misconception) []string {
	out := slices.Clone(order)
	var rest []string
	add := func(c string) {
		if c != "" && !slices.Contains(out, c) && !slices.Contains(rest, c) {
			rest = append(rest, c)
		}
	}
	for _, e := range ex {
		for _, c := range e.Concepts {
			add(c)
		}
	}
	for _, mc := range miscs {
		add(mc.Concept)
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// Concepts returns every concept in the lesson's order.
func (m *Model) Concepts() []string { return slices.Clone(m.concepts) }

// TellsApart returns the tags a right answer to the variant rules out, from a bounded cache.
func (m *Model) TellsApart(exerciseID string, seed uint64) ([]string, error) {
	k := variantKey{exerciseID, seed}
	m.mu.Lock()
	tags, ok := m.tellsApart[k]
	m.mu.Unlock()
	if ok {
		return tags, nil
	}
	tags, err := m.variants.TellsApart(exerciseID, seed)
	if err != nil {
		return nil, fmt.Errorf("mastery: what %s/%d tells apart: %w", exerciseID, seed, err)
	}
	m.mu.Lock()
	if len(m.tellsApart) >= maxCachedVariants {
		clear(m.tellsApart) // rare, and cheap to refill
	}
	m.tellsApart[k] = tags
	m.mu.Unlock()
	return tags, nil
}
