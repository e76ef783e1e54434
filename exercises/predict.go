package exercises

import (
	"slices"

	"gradjudge/autograd"
)

// Prediction is the answers a student following one wrong rule would give.
type Prediction struct {
	// Name is the built-in rule's name for a belief (the rule followed everywhere), name@node for a
	// slip (followed only in the statement assigning node), or an author rule's name.
	// Name is "a+b" or "a+b@node" for two rules followed together (PairPredictions).
	Name string
	Tag  string
	// Also is the second rule's tag when the prediction follows two rules; "" for one.
	Also string
	Slip bool
	// Specific is set for a rule that replaces one op's backward rule, and for an author rule: a
	// more specific explanation than an engine-level rule (chain-rule-add, …) predicting the same.
	// A pair is specific when both its rules are.
	Specific bool
	Answers  []autograd.Tensor // per quantity; Data is nil where the rule makes no prediction
	Differs  []bool            // per quantity: told apart from the reference answer
}

func (p Prediction) differs() bool { return slices.Contains(p.Differs, true) }

// Tags returns the misconception tags the prediction earns: one, or two for a pair.
func (p Prediction) Tags() []string {
	if p.Also == "" {
		return []string{p.Tag}
	}
	return []string{p.Tag, p.Also}
}

// Beliefs is how many wrong rules the prediction follows: 1, or 2 for a pair.
func (p Prediction) Beliefs() int {
	if p.Also == "" {
		return 1
	}
	return 2
}

// Predictions returns every prediction that differs from the reference answers on some asked
// quantity: beliefs of the built-in rules first, then the author's rules, then slips at each
// node. A prediction identical to an earlier one with the same tag is left out.
func (in *Instance) Predictions() []Prediction {
	if in.predicted || in.Run == nil {
		return in.preds
	}
	in.predicted = true
	e := in.Exercise
	var all []Prediction
	for _, r := range autograd.BugRules() {
		all = append(all, in.predict(autograd.Application{Rule: r}))
	}
	for _, r := range e.AuthorRules {
		all = append(all, in.author(r))
	}
	for _, r := range autograd.BugRules() {
		for _, name := range e.Graph.Names() {
			all = append(all, in.predict(autograd.Application{Rule: r, At: name}))
		}
	}
	for _, p := range all {
		if p.differs() && !slices.ContainsFunc(in.preds, p.same) {
			in.preds = append(in.preds, p)
		}
	}
	return in.preds
}

// same reports whether q predicts exactly what p does and earns the same tags.
func (p Prediction) same(q Prediction) bool {
	if p.Tag != q.Tag || p.Also != q.Also {
		return false
	}
	return p.sameAnswers(q)
}

// sameAnswers reports whether q predicts exactly what p does.
func (p Prediction) sameAnswers(q Prediction) bool {
	for i := range p.Answers {
		a, b := p.Answers[i], q.Answers[i]
		if (a.Data == nil) != (b.Data == nil) || !slices.Equal(a.Shape, b.Shape) || !slices.Equal(a.Data, b.Data) {
			return false
		}
	}
	return true
}

// predict evaluates every quantity under app; an application that cannot change the graph's
// gradients predicts nothing.
func (in *Instance) predict(app autograd.Application) Prediction {
	e := in.Exercise
	p := Prediction{Name: app.String(), Tag: app.Rule.Tag, Slip: app.At != "", Specific: app.Rule.Op != "",
		Answers: make([]autograd.Tensor, len(e.Quantities)), Differs: make([]bool, len(e.Quantities))}
	if app.Also != nil {
		p.Also, p.Specific = app.Also.Tag, p.Specific && app.Also.Op != ""
	}
	if !app.Affects(e.Graph) {
		return p
	}
	for i, q := range e.Quantities {
		if !q.Backward {
			continue // forward values never change under a bug rule
		}
		v, err := q.Expr.Eval(in.Run, app)
		if err != nil {
			continue // no prediction: the rule cannot be followed here
		}
		p.Answers[i], p.Differs[i] = v, q.Tolerance.Separates(v, in.Answers[i])
	}
	return p
}

// author evaluates an author rule: its expression for its quantity, the reference elsewhere.
func (in *Instance) author(r AuthorRule) Prediction {
	n := len(in.Exercise.Quantities)
	p := Prediction{Name: r.Name, Tag: r.Tag, Specific: true, Answers: make([]autograd.Tensor, n), Differs: make([]bool, n)}
	v, err := r.Expr.Eval(in.Run, autograd.Application{})
	if err == nil {
		q := in.Exercise.Quantities[r.Quantity]
		p.Answers[r.Quantity], p.Differs[r.Quantity] = v, q.Tolerance.Separates(v, in.Answers[r.Quantity])
	}
	return p
}

// Distinct reports whether p and q can be told apart on this variant: they differ from the
// reference answers on different quantities, or predict values on some quantity that no answer
// can match both of.
func (p Prediction) Distinct(q Prediction, e *Exercise) bool {
	for i := range p.Differs {
		if p.Differs[i] != q.Differs[i] || (p.Differs[i] && e.Quantities[i].Tolerance.Separates(p.Answers[i], q.Answers[i])) {
			return true
		}
	}
	return false
}
