package autograd

import (
	"fmt"
	"math"
)

// Gradient-check defaults: those of torch.autograd.gradcheck. DefaultCheckStep is relative: the
// step for an element x is DefaultCheckStep·max(1, |x|), so large inputs get proportionally large
// steps and the difference quotient keeps about ten significant digits.
const (
	DefaultCheckAtol = 1e-5
	DefaultCheckRtol = 1e-3
	DefaultCheckStep = 1e-6
)

// CheckOptions tunes GradCheck. Zero fields take the defaults above.
type CheckOptions struct {
	Atol, Rtol, Step float64
}

func (o CheckOptions) withDefaults() CheckOptions {
	if o.Atol == 0 {
		o.Atol = DefaultCheckAtol
	}
	if o.Rtol == 0 {
		o.Rtol = DefaultCheckRtol
	}
	if o.Step == 0 {
		o.Step = DefaultCheckStep
	}
	return o
}

// ElementCheck compares one element of one input's gradient with its central difference.
type ElementCheck struct {
	Input    string
	Index    int // flat, row-major
	Analytic float64
	Numeric  float64
	// RelErr is the symmetric relative error |a − n| / max(|a|, |n|); 0 when both are 0.
	RelErr float64
	// Pass is |a − n| ≤ atol + rtol·|n|. It is meaningless when Unreliable.
	Pass bool
	// Unreliable is set when a step of the difference crosses or touches a kink (relu or abs at 0,
	// a max/min tie): the difference quotient then measures the kink, not the gradient.
	Unreliable bool
}

// CheckReport is the outcome of a gradient check.
type CheckReport struct {
	Elements   []ElementCheck
	Failures   int // reliable elements that failed
	Unreliable int
}

// OK reports whether every reliable element passed.
func (c CheckReport) OK() bool { return c.Failures == 0 }

// GradCheck compares analytic gradients of the scalar node output with respect to the run's inputs
// (a map from input name to gradient, shaped like the input; names not in it are skipped) against
// central differences. The run's values are restored before it returns.
func (r *Run) GradCheck(output string, analytic map[string]Tensor, opt CheckOptions) (CheckReport, error) {
	return r.gradCheck(output, func(name string) (Tensor, bool) {
		t, ok := analytic[name]
		return t, ok
	}, opt, nil)
}

// CheckGradients checks the engine's own gradients of the scalar node output with respect to every
// input against central differences: GradCheck without building a map, for checking many cases.
// The report's Elements are reused by the next CheckGradients on the same run.
func (r *Run) CheckGradients(output string, opt CheckOptions) (CheckReport, error) {
	out, ok := r.g.names[output]
	if !ok || !r.vals[out].IsScalar() {
		return CheckReport{}, fmt.Errorf("gradcheck: %q is not a scalar node", output)
	}
	if len(r.checkBuf) != len(r.g.nodes) {
		r.checkBuf = make([]Tensor, len(r.g.nodes))
	}
	clear(r.checkBuf)
	if err := r.backward(r.checkBuf, out, Application{}, nil); err != nil {
		return CheckReport{}, err
	}
	rep, err := r.gradCheck(output, r.checkGradOf, opt, r.checkElems[:0])
	r.checkElems = rep.Elements
	return rep, err
}

func (r *Run) checkGradOf(name string) (Tensor, bool) {
	return r.gradOrZero(r.checkBuf, r.g.names[name]), true
}

// gradCheck checks the gradients that analytic gives, appending element checks to elems (a fresh
// slice when nil).
func (r *Run) gradCheck(output string, analytic func(name string) (Tensor, bool), opt CheckOptions, elems []ElementCheck) (CheckReport, error) {
	out, ok := r.g.names[output]
	if !ok || !r.vals[out].IsScalar() {
		return CheckReport{}, fmt.Errorf("gradcheck: %q is not a scalar node", output)
	}
	opt = opt.withDefaults()
	if elems == nil {
		elems = make([]ElementCheck, 0, r.inputElements())
	}
	rep := CheckReport{Elements: elems}
	r.kinkBase = r.kinkSigns(r.kinkBase, out)
	base := r.kinkBase
	r.kinkPlus, r.kinkMinus = r.kinkSigns(r.kinkPlus, out), r.kinkSigns(r.kinkMinus, out)
	plus, minus := r.kinkPlus, r.kinkMinus
	for _, name := range r.g.inputs {
		a, ok := analytic(name)
		if !ok {
			continue
		}
		in := r.g.names[name]
		x := r.vals[in]
		if len(a.Data) != len(x.Data) {
			return rep, fmt.Errorf("gradcheck: gradient of %q has shape %s, the input %s", name, ShapeString(a.Shape), ShapeString(x.Shape))
		}
		for k := range x.Data {
			e := r.checkElement(in, out, k, opt, base, plus, minus)
			e.Input, e.Index, e.Analytic = name, k, a.Data[k]
			e.judge(opt)
			rep.add(e)
		}
		// Restore what depends on this input before the next one moves: a node that depends on
		// both would otherwise keep the last −h step of this one.
		r.recompute(in, out)
	}
	return rep, nil
}

// checkElement computes the central difference for element k of input node in.
func (r *Run) checkElement(in, out, k int, opt CheckOptions, base, plus, minus []int8) ElementCheck {
	x := r.vals[in].Data
	orig := x[k]
	h := opt.Step * math.Max(1, math.Abs(orig))
	x[k] = orig + h
	fp := r.recompute(in, out)
	r.kinkSigns(plus, out)
	x[k] = orig - h
	fm := r.recompute(in, out)
	r.kinkSigns(minus, out)
	x[k] = orig
	return ElementCheck{
		Numeric:    (fp - fm) / (2 * h),
		Unreliable: nearKink(base, plus, minus),
	}
}

func (r *Run) inputElements() int {
	n := 0
	for _, name := range r.g.inputs {
		n += len(r.vals[r.g.names[name]].Data)
	}
	return n
}

func (e *ElementCheck) judge(opt CheckOptions) {
	diff := math.Abs(e.Analytic - e.Numeric)
	e.Pass = diff <= opt.Atol+opt.Rtol*math.Abs(e.Numeric)
	if scale := math.Max(math.Abs(e.Analytic), math.Abs(e.Numeric)); scale > 0 {
		e.RelErr = diff / scale
	}
	if math.IsNaN(e.Numeric) || math.IsInf(e.Numeric, 0) {
		e.Pass, e.RelErr = false, math.Inf(1)
	}
}

func (c *CheckReport) add(e ElementCheck) {
	c.Elements = append(c.Elements, e)
	switch {
	case e.Unreliable:
		c.Unreliable++
	case !e.Pass:
		c.Failures++
	}
}

// kinkSigns writes, for every element of every kink op (relu, abs, max, min), the sign of its
// distance from the kink into buf (allocated when nil) and returns it. Only nodes up to upTo, the
// ones the output is computed from, count.
func (r *Run) kinkSigns(buf []int8, upTo int) []int8 {
	buf = buf[:0]
	for _, i := range r.g.kinkNodes {
		if i > upTo {
			break
		}
		n := &r.g.nodes[i]
		a := r.vals[n.args[0]].Data
		if n.op.arity == 1 {
			for k := range a {
				buf = append(buf, int8(sign(n.op.kink(a[k], 0))))
			}
			continue
		}
		b, ia, ib := r.vals[n.args[1]].Data, r.bidx[i][0], r.bidx[i][1]
		for k := range r.vals[i].Data {
			buf = append(buf, int8(sign(n.op.kink(a[at(ia, k)], b[at(ib, k)]))))
		}
	}
	return buf
}

// nearKink reports whether a perturbation touched a kink (a zero sign) or crossed one (a sign change).
func nearKink(base, plus, minus []int8) bool {
	for k := range base {
		if base[k] == 0 || plus[k] != base[k] || minus[k] != base[k] {
			return true
		}
	}
	return false
}

// KinkDistance returns the smallest distance, over every element of every kink op (relu and abs
// arguments, max/min differences), from its kink; +Inf when the graph has none. Variant
// generators keep it above a margin so that no answer sits on a kink.
func (r *Run) KinkDistance() float64 {
	d := math.Inf(1)
	for i := range r.g.nodes {
		n := &r.g.nodes[i]
		if n.op == nil || n.op.kink == nil {
			continue
		}
		a := r.vals[n.args[0]].Data
		var b []float64
		if n.op.arity == 2 {
			b = r.vals[n.args[1]].Data
		}
		for k := range r.vals[i].Data {
			x, y := a[at(r.bidx[i][0], k)], 0.0
			if b != nil {
				y = b[at(r.bidx[i][1], k)]
			}
			d = math.Min(d, math.Abs(n.op.kink(x, y)))
		}
	}
	return d
}
