package exercises

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"

	"gradjudge/autograd"
)

var (
	gradCall  = regexp.MustCompile(`grad\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)`)
	exactGrad = regexp.MustCompile(`^\s*grad\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$`)
	exactName = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$`)
)

func compileAsks(e *Exercise, f *file, _ vocabulary) error {
	if len(f.Ask) == 0 {
		return errors.New("a numeric exercise asks at least one quantity ([[ask]])")
	}
	def := Tolerance{Rel: DefaultRel, Abs: DefaultAbs}
	if f.Tolerance != nil {
		def = *f.Tolerance
	}
	for i, a := range f.Ask {
		q, err := compileAsk(e, a, def)
		if err != nil {
			var ke *keyError
			if errors.As(err, &ke) {
				err = at(arrayItem("ask", i, ke.at.key), ke.err)
			}
			return at(arrayItem("ask", i, ""), fmt.Errorf("ask %q: %w", a.ID, err))
		}
		e.Quantities = append(e.Quantities, q)
	}
	return nil
}

func compileAsk(e *Exercise, a askSpec, def Tolerance) (Quantity, error) {
	switch {
	case !askIDPattern.MatchString(a.ID):
		return Quantity{}, at(topKey("id"), errors.New("the id must be a letter followed by letters, digits or _"))
	case e.Quantity(a.ID) >= 0:
		return Quantity{}, at(topKey("id"), errors.New("the id appears twice"))
	case a.Label == "":
		return Quantity{}, errors.New("the label is missing")
	}
	expr, err := e.Graph.ParseQuantity(a.Expr, e.extraParams()...)
	if err != nil {
		return Quantity{}, at(topKey("expr"), fmt.Errorf("expr %q: %w", a.Expr, err))
	}
	q := Quantity{ID: a.ID, Label: a.Label, Expr: expr, Tolerance: def, Backward: expr.UsesGrad()}
	if a.Tolerance != nil {
		q.Tolerance = *a.Tolerance
	}
	if err := q.Tolerance.check(); err != nil {
		return Quantity{}, at(topKey("tolerance"), err)
	}
	if m := gradCall.FindStringSubmatch(a.Expr); m != nil {
		q.Of = m[1]
	}
	if m := exactGrad.FindStringSubmatch(a.Expr); m != nil {
		q.Stands, q.Local = m[2], e.Graph.IsEdge(m[1], m[2])
	} else if m := exactName.FindStringSubmatch(a.Expr); m != nil && e.Graph.Has(m[1]) && !e.Graph.IsInput(m[1]) {
		q.Stands = m[1]
	}
	return q, nil
}

func compileRules(e *Exercise, f *file, _ vocabulary) error {
	for _, name := range f.Rules {
		r, ok := autograd.LookupBugRule(name)
		if !ok {
			return at(topKey("rules"), fmt.Errorf("rules: %q is not a built-in bug rule", name))
		}
		e.Required = append(e.Required, r)
	}
	return nil
}

func compileBugs(e *Exercise, f *file, voc vocabulary) error {
	for i, b := range f.Bug {
		r := AuthorRule{Name: b.Name, Tag: b.Tag, Quantity: e.Quantity(b.Ask)}
		if r.Name == "" {
			r.Name = b.Tag
		}
		switch {
		case r.Quantity < 0:
			return at(arrayItem("bug", i, "ask"), fmt.Errorf("bug %q: ask %q is not an asked quantity", r.Name, b.Ask))
		case !voc.tags[b.Tag]:
			return at(arrayItem("bug", i, "tag"), fmt.Errorf("bug %q: tag %q is not in the misconception catalog", r.Name, b.Tag))
		case slices.ContainsFunc(e.AuthorRules, func(o AuthorRule) bool { return o.Name == r.Name }):
			return at(arrayItem("bug", i, ""), fmt.Errorf("bug %q appears twice; give one a name", r.Name))
		}
		expr, err := e.Graph.ParseQuantity(b.Expr, e.extraParams()...)
		if err != nil {
			return at(arrayItem("bug", i, "expr"), fmt.Errorf("bug %q: expr %q: %w", r.Name, b.Expr, err))
		}
		r.Expr = expr
		e.AuthorRules = append(e.AuthorRules, r)
	}
	return nil
}

func compilePositive(e *Exercise, f *file, _ vocabulary) error {
	for _, src := range f.Positive {
		q, err := e.Graph.ParseQuantity(src, e.extraParams()...)
		if err != nil {
			return at(topKey("positive"), fmt.Errorf("positive %q: %w", src, err))
		}
		e.Positive = append(e.Positive, q)
	}
	return nil
}

// compileLesson reads the [lesson] table: a number for every parameter (parameters of one number
// only), the values of the lesson's worked example.
func compileLesson(e *Exercise, f *file, _ vocabulary) error {
	if f.Lesson == nil {
		return nil
	}
	e.Lesson = map[string]autograd.Tensor{}
	for _, p := range e.Params {
		v, ok := f.Lesson[p.Name]
		switch {
		case !ok:
			return fmt.Errorf("lesson: no value for the parameter %s", p.Name)
		case len(p.Shape) > 0 || p.OneHot > 0:
			return fmt.Errorf("lesson: %s is not a single number", p.Name)
		}
		e.Lesson[p.Name] = autograd.Scalar(v)
	}
	for name := range f.Lesson {
		if _, ok := e.Lesson[name]; !ok {
			return fmt.Errorf("lesson: %s is not a parameter", name)
		}
	}
	if _, reason := e.evaluate(e.Lesson); reason != "" {
		return fmt.Errorf("lesson: %s", reason)
	}
	return nil
}

func compileMinority(e *Exercise, f *file, _ vocabulary) error {
	if f.Minority == nil {
		return nil
	}
	if f.Minority.Every < 2 {
		return fmt.Errorf("minority: every must be at least 2; got %d", f.Minority.Every)
	}
	q, err := e.Graph.ParseQuantity(f.Minority.Negative, e.extraParams()...)
	if err != nil {
		return fmt.Errorf("minority %q: %w", f.Minority.Negative, err)
	}
	e.Minority = &Minority{Expr: q, Every: f.Minority.Every}
	return nil
}

// order returns the quantities forward then backward: forward values by the last statement they
// read, backward ones from the output towards the inputs (by the first statement that reads the
// node they differentiate with respect to, where its gradient is complete); ties keep the
// author's order.
func order(e *Exercise) []int {
	stmt := map[string]int{}
	for i, name := range e.Graph.Names() {
		stmt[name] = i
	}
	key := make([]int, len(e.Quantities))
	for i, q := range e.Quantities {
		key[i] = forwardKey(q, stmt)
		if q.Backward {
			key[i] = backwardKey(e.Graph, q, stmt)
		}
	}
	idx := make([]int, len(e.Quantities))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		qa, qb := e.Quantities[idx[a]], e.Quantities[idx[b]]
		if qa.Backward != qb.Backward {
			return !qa.Backward
		}
		if qa.Backward {
			return key[idx[a]] > key[idx[b]]
		}
		return key[idx[a]] < key[idx[b]]
	})
	return idx
}

func forwardKey(q Quantity, stmt map[string]int) int {
	k := -1
	for _, name := range q.Expr.Refs() {
		if s, ok := stmt[name]; ok {
			k = max(k, s)
		}
	}
	return k
}

func backwardKey(g *autograd.Graph, q Quantity, stmt map[string]int) int {
	k := len(stmt)
	for _, m := range gradCall.FindAllStringSubmatch(q.Expr.String(), -1) {
		for _, reader := range g.Readers(m[2]) {
			k = min(k, stmt[reader])
		}
	}
	return k
}
