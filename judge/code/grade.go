package code

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"gradjudge/autograd"
	"gradjudge/exercises"
	"gradjudge/judge"
)

// grading is what the judge makes of one run's replies, outside the sandbox.
type grading struct {
	cases []string              // per case: the first problem, for the student; "" when right
	got   [][][]autograd.Tensor // [function][result][case]: first-pass results; Data nil when unreadable
	wrong [][]bool              // [function][result]: differs from the reference on some case
}

// callIndex locates each call of a plan by what it is for.
type callIndex struct {
	main, repeat, zero [][]int // [case][function] → call index; -1 when there is none
	probe              map[probeKey]int
}

type probeKey struct {
	cs, arg, elem int
	up            bool
}

func indexCalls(p *plan) callIndex {
	grid := func() [][]int {
		g := make([][]int, len(p.cases))
		for c := range g {
			g[c] = slices.Repeat([]int{-1}, len(p.code.Funcs))
		}
		return g
	}
	ix := callIndex{main: grid(), repeat: grid(), zero: grid(), probe: map[probeKey]int{}}
	for i, c := range p.calls {
		switch c.role {
		case roleMain:
			ix.main[c.cs][c.fn] = i
		case roleRepeat:
			ix.repeat[c.cs][c.fn] = i
		case roleZero:
			ix.zero[c.cs][c.fn] = i
		case roleProbe:
			ix.probe[probeKey{c.cs, c.arg, c.elem, c.step > 0}] = i
		}
	}
	return ix
}

// gradeReplies checks every case: shapes, finite values, unchanged arguments, the reference,
// determinism, zero upstream gradient, and the gradcheck against the student's own function.
func gradeReplies(p *plan, replies []reply) grading {
	ix := indexCalls(p)
	g := grading{cases: make([]string, len(p.cases)), got: make([][][]autograd.Tensor, len(p.code.Funcs)),
		wrong: make([][]bool, len(p.code.Funcs))}
	for f, fn := range p.code.Funcs {
		g.got[f] = make([][]autograd.Tensor, len(fn.Results))
		g.wrong[f] = make([]bool, len(fn.Results))
		for k := range fn.Results {
			g.got[f][k] = make([]autograd.Tensor, len(p.cases))
		}
	}
	for c := range p.cases {
		g.cases[c] = g.checkCase(p, replies, ix, c)
	}
	return g
}

func (g *grading) checkCase(p *plan, replies []reply, ix callIndex, c int) string {
	first := ""
	note := func(msg string) {
		if first == "" && msg != "" {
			first = msg
		}
	}
	for f := range p.code.Funcs {
		note(g.checkMain(p, f, c, replies[ix.main[c][f]]))
	}
	for f := range p.code.Funcs {
		if !sameBits(replies[ix.main[c][f]], replies[ix.repeat[c][f]]) {
			note(fmt.Sprintf("%s gave different results when called again on the same inputs: it must not depend on "+
				"anything but its arguments (a package-level variable, a map's order).", p.describe(f, c)))
		}
		if z := ix.zero[c][f]; z >= 0 {
			note(p.checkZero(z, replies[z]))
		}
		note(p.checkGrad(f, c, replies[ix.main[c][f]], replies, ix))
	}
	if first != "" {
		return fmt.Sprintf("Case %d: %s", c+1, first)
	}
	return ""
}

// checkMain compares one first-pass call with the reference, recording what the student returned.
func (g *grading) checkMain(p *plan, f, c int, r reply) string {
	fn, cl := p.code.Funcs[f], p.calls[indexOf(p, f, c)]
	first := ""
	for k, q := range fn.Results {
		msg := ""
		switch {
		case r.bad[k] != "":
			msg = fmt.Sprintf("%s: its %s %s.", p.describe(f, c), label(q), r.bad[k])
		case !autograd.SameShape(r.results[k].Shape, cl.want[k].Shape):
			g.got[f][k][c] = r.results[k] // a bug rule may predict the wrong shape (W for Wᵀ)
			msg = fmt.Sprintf("%s returned %s of shape %s; it must have shape %s.", p.describe(f, c), label(q),
				autograd.ShapeString(r.results[k].Shape), autograd.ShapeString(cl.want[k].Shape))
		case !finite(r.results[k]):
			msg = fmt.Sprintf("%s returned %s = %s: every value must be a finite number.", p.describe(f, c), label(q),
				exercises.FormatTensor(r.results[k]))
		case first != "" && firstFar(r.results[k], cl.want[k], p.code.Tolerance) >= 0:
			g.got[f][k][c] = r.results[k]
			msg = "wrong" // only the first message is shown: spare the formatting
		default:
			g.got[f][k][c] = r.results[k]
			msg = p.compare(f, c, k, r)
		}
		if msg != "" {
			g.wrong[f][k] = true
			first = cmp.Or(first, msg)
		}
	}
	for k, q := range fn.Results {
		if r.shared(k) {
			first = cmp.Or(first, fmt.Sprintf("%s returned %s in a slice that shares memory with an argument: return a new "+
				"slice, so the caller's own slices stay theirs.", p.describe(f, c), label(q)))
		}
	}
	for a, changed := range r.changed {
		if changed {
			first = cmp.Or(first, fmt.Sprintf("%s changed its argument %s: leave the inputs as they are and write "+
				"results to new slices.", p.describe(f, c), fn.Args[a]))
		}
	}
	return first
}

// compare checks result k of a readable call against the reference within the tolerance.
func (p *plan) compare(f, c, k int, r reply) string {
	want, got := p.calls[indexOf(p, f, c)].want[k], r.results[k]
	tol := p.code.Tolerance
	i := firstFar(got, want, tol)
	if i < 0 {
		return ""
	}
	q := p.code.Funcs[f].Results[k]
	msg := fmt.Sprintf("%s returned %s. %s is wrong%s: %s; answers count when they are %s.", p.describe(f, c),
		p.returned(f, r), label(q), where(want, i), judge.OffBy(got.Data[i], want.Data[i], p.ex.Reveal), tol)
	if p.ex.Reveal {
		msg += " The expected value is " + exercises.FormatTensor(want) + "."
	}
	return msg
}

func firstFar(got, want autograd.Tensor, tol exercises.Tolerance) int {
	for i, w := range want.Data {
		if !tol.Close(got.Data[i], w) {
			return i
		}
	}
	return -1
}

// checkZero checks that call z, with a zero upstream gradient, returns zero gradients.
func (p *plan) checkZero(z int, r reply) string {
	f := p.calls[z].fn
	for k, q := range p.code.Funcs[f].Results {
		want := p.calls[z].want[k]
		if r.bad[k] != "" || !autograd.SameShape(r.results[k].Shape, want.Shape) || firstFar(r.results[k], want, p.code.Tolerance) >= 0 {
			return fmt.Sprintf("with the gradient from above %s all zeros, %s must be zero too; %s returned %s.",
				p.code.Upstream, label(q), p.code.Funcs[f].Name, p.returned(f, r))
		}
	}
	return ""
}

// checkGrad compares a gradcheck function's results with central differences of the student's
// own function it is checked against: d/d arg sum(F(args) · upstream).
func (p *plan) checkGrad(f, c int, r reply, replies []reply, ix callIndex) string {
	fn := p.code.Funcs[f]
	if fn.GradCheck == "" || slices.ContainsFunc(r.bad, func(s string) bool { return s != "" }) {
		return ""
	}
	up := p.cases[c].Inputs[p.code.Upstream]
	target := p.code.Funcs[p.code.Func(fn.GradCheck)]
	for a, name := range target.Args {
		for k := range p.cases[c].Inputs[name].Data {
			plus, minus := ix.probe[probeKey{c, a, k, true}], ix.probe[probeKey{c, a, k, false}]
			num, ok := difference(replies[plus], replies[minus], up, p.calls[plus].step-p.calls[minus].step)
			an := r.results[a]
			if !ok {
				return fmt.Sprintf("%s returned something that is not a finite vector shaped like %s at inputs close to this case's.",
					fn.GradCheck, p.code.Upstream)
			}
			if k < len(an.Data) && math.Abs(an.Data[k]-num) > autograd.DefaultCheckAtol+autograd.DefaultCheckRtol*math.Abs(num) {
				return fmt.Sprintf("%s does not match your own %s: element %d of %s is %s, but central differences of %s give %s. "+
					"Either %s or %s is wrong.", fn.Name, fn.GradCheck, k, label(fn.Results[a]),
					exercises.FormatNumber(an.Data[k]), fn.GradCheck, exercises.FormatNumber(num), fn.Name, fn.GradCheck)
			}
		}
	}
	return ""
}

// difference is the central difference (sum(F₊·up) − sum(F₋·up)) / width.
func difference(plus, minus reply, up autograd.Tensor, width float64) (float64, bool) {
	a, b := plus.results[0], minus.results[0]
	if plus.bad[0] != "" || minus.bad[0] != "" || len(a.Data) != len(up.Data) || len(b.Data) != len(up.Data) {
		return 0, false
	}
	d := 0.0
	for i, u := range up.Data {
		d += (a.Data[i] - b.Data[i]) * u
	}
	d /= width
	return d, !math.IsNaN(d) && !math.IsInf(d, 0)
}

// indexOf returns the index of the first-pass call of function f on case c.
func indexOf(p *plan, f, c int) int {
	return c*len(p.code.Funcs) + f // newPlan lays the first pass out case by case
}

// describe names a call for the student: Backward(x = 1.5, w = -0.5).
func (p *plan) describe(f, c int) string {
	fn := p.code.Funcs[f]
	parts := make([]string, len(fn.Args))
	for i, a := range fn.Args {
		parts[i] = a + " = " + exercises.FormatTensor(p.cases[c].Inputs[a])
	}
	return fn.Name + "(" + strings.Join(parts, ", ") + ")"
}

// returned lists a reply's results: ∂L/∂w = 0.5, ∂L/∂b = 1.
func (p *plan) returned(f int, r reply) string {
	var parts []string
	for k, q := range p.code.Funcs[f].Results {
		v := "(" + r.bad[k] + ")"
		if r.bad[k] == "" {
			v = exercises.FormatTensor(r.results[k])
		}
		parts = append(parts, label(q)+" = "+v)
	}
	return strings.Join(parts, ", ")
}

var gradLabel = regexp.MustCompile(`^grad\(\s*(\w+)\s*,\s*(\w+)\s*\)$`)

// label shows a quantity as students read it: grad(L, w) as ∂L/∂w.
func label(q *autograd.Quantity) string {
	if m := gradLabel.FindStringSubmatch(q.String()); m != nil {
		return "∂" + m[1] + "/∂" + m[2]
	}
	return q.String()
}

func where(t autograd.Tensor, i int) string {
	switch t.Rank() {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf(" at element %d", i)
	}
	return fmt.Sprintf(" at row %d, column %d", i/t.Shape[1], i%t.Shape[1])
}

func finite(t autograd.Tensor) bool {
	return !slices.ContainsFunc(t.Data, func(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) })
}
