package code

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"

	"gradjudge/autograd"
	"gradjudge/exercises"
	"gradjudge/judge/sandbox"
)

// role is why the judge makes a call.
type role int

const (
	roleMain   role = iota // a case: results compared with the reference
	roleRepeat             // the same case again, in a second pass in reverse order: must give the same bits
	roleZero               // the case with a zero upstream gradient: gradients must be zero
	roleProbe              // the gradcheck function at a case's input moved by ±step in one element
)

const (
	// zeroUpstreamCases is how many cases are also called with a zero upstream gradient.
	zeroUpstreamCases = 3
	// maxResultBytes bounds the result frames one run may write, in bytes: half the sandbox's
	// default output limit, so that the student's prints have the other half. An exercise whose
	// calls could need more is badly authored (too many cases or too large tensors).
	maxResultBytes = 32 << 10
	// maxNumberBytes is the longest float64 the harness writes: -2.2250738585072014e-308.
	maxNumberBytes = 24
)

// call is one call of a student's function and what the judge expects of it.
type call struct {
	fn   int // index into Code.Funcs
	cs   int // index into plan.cases
	role role
	args []autograd.Tensor
	want []autograd.Tensor // roleMain and roleZero: the reference results

	// roleProbe: which argument of the checked function and element moved, the signed step.
	arg, elem int
	step      float64
}

// plan is every call one run makes, in order, over the cases of one variant. It owns its
// instances: it is not safe for concurrent use.
type plan struct {
	ex    *exercises.Exercise
	code  *exercises.Code
	cases []*exercises.Instance
	calls []call
}

// newPlan draws the cases of seed and lays out the calls: every case for every function, the
// same again in reverse order, zero-upstream calls for the first cases, and the gradcheck probes.
func newPlan(ex *exercises.Exercise, seed uint64) (*plan, error) {
	cases, err := ex.CodeCases(seed)
	if err != nil {
		return nil, err
	}
	p := &plan{ex: ex, code: ex.Code, cases: cases}
	if err := p.crossCheck(); err != nil {
		return nil, err
	}
	for c := range cases {
		for f := range p.code.Funcs {
			if err := p.add(f, c, roleMain, cases[c].Inputs); err != nil {
				return nil, err
			}
		}
	}
	for i := len(p.calls) - 1; i >= 0; i-- {
		r := p.calls[i]
		r.role = roleRepeat
		p.calls = append(p.calls, r)
	}
	if err := p.addZeroUpstream(); err != nil {
		return nil, err
	}
	p.addProbes()
	if n := p.resultBytes(); n > maxResultBytes {
		return nil, fmt.Errorf("exercise %s: its results may need %d bytes of output, more than %d: use fewer cases", ex.ID, n, maxResultBytes)
	}
	return p, nil
}

// resultBytes bounds the bytes of result frames the harness writes for p: the ready frame, and
// per call the frame ("\n" nonce " " payload "\n"), the brackets and separators, and every
// number at its longest. A result larger than the reference's is written shorter than that.
func (p *plan) resultBytes() int {
	n := len("\n \n") + 2*sandbox.NonceBytes + len(harnessReady)
	for _, c := range p.calls {
		n += len(`\n {"r":[],"m":[],"s":[]}\n`) + 2*sandbox.NonceBytes + 6*len(c.args) + 6*len(p.code.Funcs[c.fn].Results)
		for _, w := range p.calls[indexOf(p, c.fn, c.cs)].want {
			n += len(w.Data)*(maxNumberBytes+1) + 2
			if w.Rank() == 2 {
				n += 3 * w.Shape[0]
			}
		}
	}
	return n
}

// crossCheck compares the reference autograd with central differences on every case: a
// disagreement means the exercise cannot be judged, not that the student is wrong.
func (p *plan) crossCheck() error {
	for i, in := range p.cases {
		rep, err := in.Run.CheckGradients(p.ex.Graph.Output(), autograd.CheckOptions{})
		if err != nil {
			return err
		}
		if !rep.OK() {
			return fmt.Errorf("exercise %s, case %d: the reference gradients disagree with central differences", p.ex.ID, i+1)
		}
	}
	return nil
}

// add appends a call of function f on inputs, with the reference results.
func (p *plan) add(f, c int, r role, inputs map[string]autograd.Tensor) error {
	fn := p.code.Funcs[f]
	cl := call{fn: f, cs: c, role: r}
	for _, a := range fn.Args {
		cl.args = append(cl.args, inputs[a])
	}
	run := p.cases[c].Run
	if r == roleZero {
		var err error
		if run, err = p.ex.Graph.Forward(inputs); err != nil {
			return err
		}
	}
	for _, q := range fn.Results {
		v, err := q.Eval(run, autograd.Application{})
		if err != nil {
			return fmt.Errorf("exercise %s: %s: %w", p.ex.ID, q, err)
		}
		cl.want = append(cl.want, v.Clone())
	}
	p.calls = append(p.calls, cl)
	return nil
}

// addZeroUpstream calls each function that takes the upstream gradient with it set to zero.
func (p *plan) addZeroUpstream() error {
	if p.code.Upstream == "" {
		return nil
	}
	for c := range min(zeroUpstreamCases, len(p.cases)) {
		inputs := maps.Clone(p.cases[c].Inputs)
		inputs[p.code.Upstream] = autograd.Full(inputs[p.code.Upstream].Shape, 0)
		for f, fn := range p.code.Funcs {
			if slices.Contains(fn.Args, p.code.Upstream) {
				if err := p.add(f, c, roleZero, inputs); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// addProbes calls each gradcheck function at every case's input with one element moved by
// ±step, autograd's relative gradcheck step.
func (p *plan) addProbes() {
	for _, fn := range p.code.Funcs {
		if fn.GradCheck == "" {
			continue
		}
		f := p.code.Func(fn.GradCheck)
		target := p.code.Funcs[f]
		for c, in := range p.cases {
			for a, name := range target.Args {
				for k, x := range in.Inputs[name].Data {
					h := autograd.DefaultCheckStep * math.Max(1, math.Abs(x))
					for _, s := range []float64{h, -h} {
						p.calls = append(p.calls, p.probe(f, c, a, k, s))
					}
				}
			}
		}
	}
}

func (p *plan) probe(f, c, a, k int, step float64) call {
	target := p.code.Funcs[f]
	cl := call{fn: f, cs: c, role: roleProbe, arg: a, elem: k, step: step}
	for i, name := range target.Args {
		t := p.cases[c].Inputs[name].Clone()
		if i == a {
			x := t.Data[k]
			t.Data[k] += step
			cl.step = t.Data[k] - x // the step the float64 addition really took
		}
		cl.args = append(cl.args, t)
	}
	return cl
}

// stdin returns the calls as the harness reads them: numbers separated by spaces (see harness.go).
func (p *plan) stdin() []byte {
	b := strconv.AppendInt(nil, int64(len(p.calls)), 10)
	for _, c := range p.calls {
		b = append(b, '\n')
		b = strconv.AppendInt(b, int64(c.fn), 10)
		for _, a := range c.args {
			for _, d := range a.Shape {
				b = append(b, ' ')
				b = strconv.AppendInt(b, int64(d), 10)
			}
			for _, x := range a.Data {
				b = append(b, ' ')
				b = strconv.AppendFloat(b, x, 'g', -1, 64)
			}
		}
		want := p.calls[indexOf(p, c.fn, c.cs)].want
		for k, rank := range p.code.Funcs[c.fn].ResultRanks {
			if rank > 0 {
				b = append(b, ' ')
				b = strconv.AppendInt(b, int64(len(want[k].Data)), 10)
			}
		}
	}
	return append(b, '\n')
}
