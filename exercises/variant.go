package exercises

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"gradjudge"
	"gradjudge/autograd"
)

// maxDraws bounds the draws of one variant: an exercise that needs more is badly authored.
const maxDraws = 200

// Instance is one variant with everything grading needs: the parameters, the forward run, the
// reference answers and (computed on first use) every bug rule's predicted answers. It holds the
// expected answers: never show it to a student; show Variant(). It is not safe for concurrent use.
type Instance struct {
	Exercise *Exercise
	Seed     uint64
	Draws    int                        // how many draws the variant took, 1 when the first fit
	Inputs   map[string]autograd.Tensor // every parameter's value, owned by the instance
	Run      *autograd.Run              // the forward pass; nil for choice exercises
	Answers  []autograd.Tensor          // the reference answer of each quantity
	Options  []Option                   // choice exercises: in the order this student sees them

	preds     []Prediction
	predicted bool
	pairs     []Prediction
	paired    bool
}

// BadlyAuthoredError reports an exercise none of whose draws for a seed made a usable variant.
type BadlyAuthoredError struct {
	ID      string
	Seed    uint64
	Draws   int
	Reasons map[string]int // why draws were rejected → how many
}

func (e *BadlyAuthoredError) Error() string {
	reasons := slices.Collect(maps.Keys(e.Reasons))
	sort.Slice(reasons, func(i, j int) bool { return e.Reasons[reasons[i]] > e.Reasons[reasons[j]] })
	parts := make([]string, len(reasons))
	for i, r := range reasons {
		parts[i] = fmt.Sprintf("%s (%d×)", r, e.Reasons[r])
	}
	return fmt.Sprintf("exercise %s is badly authored: no usable variant in %d draws for seed %d: %s",
		e.ID, e.Draws, e.Seed, strings.Join(parts, "; "))
}

// LessonSeed is the seed of the lesson's own worked example, for an exercise with a [lesson]
// table: the variant a course page can open to show the numbers the lesson uses. For other
// exercises it is a seed like any other.
const LessonSeed uint64 = 1<<64 - 1

// NewInstance derives the variant of seed: the same seed gives the same variant everywhere. Its
// error is a *BadlyAuthoredError when no draw is kink-free and discriminating. The variant of
// LessonSeed is the lesson's example when the exercise has one, whether or not it tells every
// rule apart: it is there to be recognised, not to test.
func (e *Exercise) NewInstance(seed uint64) (*Instance, error) {
	if seed == LessonSeed && e.Lesson != nil {
		in, reason := e.evaluate(maps.Clone(e.Lesson))
		if reason != "" {
			return nil, &BadlyAuthoredError{ID: e.ID, Seed: seed, Draws: 1, Reasons: map[string]int{reason: 1}}
		}
		in.Seed, in.Draws = seed, 1
		return in, nil
	}
	rng := rand.New(rand.NewPCG(seed, e.stream))
	if e.Kind == gradjudge.KindChoice {
		in := &Instance{Exercise: e, Seed: seed, Draws: 1, Inputs: map[string]autograd.Tensor{}}
		for _, i := range rng.Perm(len(e.Options)) {
			in.Options = append(in.Options, e.Options[i])
		}
		return in, nil
	}
	reasons := map[string]int{}
	for draw := 1; draw <= maxDraws; draw++ {
		in, reason := e.evaluate(e.drawInputs(rng))
		if reason == "" && e.Kind == gradjudge.KindNumeric {
			reason = in.guessable(seed)
		}
		if reason == "" {
			reason = in.undiscriminated()
		}
		if reason == "" {
			in.Seed, in.Draws = seed, draw
			return in, nil
		}
		reasons[reason]++
	}
	return nil, &BadlyAuthoredError{ID: e.ID, Seed: seed, Draws: maxDraws, Reasons: reasons}
}

func (e *Exercise) drawInputs(rng *rand.Rand) map[string]autograd.Tensor {
	inputs := make(map[string]autograd.Tensor, len(e.Params))
	for _, p := range e.Params {
		inputs[p.Name] = p.draw(rng)
	}
	return inputs
}

// evaluate runs the graph on inputs and computes the reference answers, or says why the draw is
// unusable.
func (e *Exercise) evaluate(inputs map[string]autograd.Tensor) (*Instance, string) {
	run, err := e.Graph.Forward(inputs)
	if err != nil {
		return nil, "the forward pass fails: " + err.Error()
	}
	if run.KinkDistance() < e.KinkMargin {
		return nil, "a kink argument is too close to its kink"
	}
	for _, q := range e.Positive {
		v, err := q.Eval(run, autograd.Application{})
		if err != nil || slices.ContainsFunc(v.Data, func(x float64) bool { return x < e.KinkMargin }) {
			return nil, fmt.Sprintf("%s is not positive", q)
		}
	}
	in := &Instance{Exercise: e, Inputs: inputs, Run: run, Answers: make([]autograd.Tensor, len(e.Quantities))}
	for i, q := range e.Quantities {
		if in.Answers[i], err = q.Expr.Eval(run, autograd.Application{}); err != nil {
			return nil, fmt.Sprintf("%s cannot be computed: %v", q.ID, err)
		}
	}
	return in, ""
}

// undiscriminated says why the instance does not tell every required rule apart from the
// reference answers and from every other required rule with another tag, or returns "".
func (in *Instance) undiscriminated() string {
	var preds []Prediction
	for _, r := range in.Exercise.Required {
		preds = append(preds, in.predict(autograd.Application{Rule: r}))
	}
	for _, r := range in.Exercise.AuthorRules {
		preds = append(preds, in.author(r))
	}
	for i, p := range preds {
		if !p.differs() {
			return "does not tell " + p.Name + " apart from the right answers"
		}
		for _, q := range preds[:i] {
			if q.Tag != p.Tag && !p.Distinct(q, in.Exercise) {
				return "does not tell " + p.Name + " apart from " + q.Name
			}
		}
	}
	return ""
}

// Variant returns the student's view of the instance: no expected answers.
func (in *Instance) Variant() gradjudge.Variant {
	e := in.Exercise
	v := gradjudge.Variant{Exercise: e.Exercise, Seed: in.Seed, Statement: fill(e.Statement, in.Inputs),
		Signature: e.Signature, Starter: e.Starter}
	v.Concepts = slices.Clone(e.Concepts)
	if e.Graph != nil {
		v.Graph = e.Graph.Source()
		v.Inputs = make(map[string]any, len(in.Inputs))
		for name, t := range in.Inputs {
			v.Inputs[name] = t.Nested()
		}
	}
	for i, q := range e.Quantities {
		a := q.Asked()
		if i < len(in.Answers) {
			a.Shape = slices.Clone(in.Answers[i].Shape)
		}
		v.Quantities = append(v.Quantities, a)
	}
	for _, o := range in.Options {
		v.Options = append(v.Options, gradjudge.ChoiceOption{ID: o.ID, Text: fill(o.Text, in.Inputs)})
	}
	return v
}
