package exercises

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"regexp"
	"slices"
	"strings"

	"gradjudge/autograd"
)

// Code exercise defaults and bounds.
const (
	// DefaultCodeCases is how many cases a code submission is run on when the exercise does not
	// say: enough that every bug rule shows on some case, few enough that a run stays short.
	DefaultCodeCases = 16
	// MaxCodeCases bounds the cases key.
	MaxCodeCases = 64
	// DefaultCodeRel and DefaultCodeAbs are the default tolerance of a code result: the student's
	// function computes in float64 like the reference, so only rounding may differ.
	DefaultCodeRel = 1e-6
	DefaultCodeAbs = 1e-9
)

// Code is how a code exercise is judged: the functions the student writes, what each is given and
// must return, the number of cases, and the solutions that test the exercise itself.
type Code struct {
	Funcs     []CodeFunc // in the order of the signature
	Cases     int        // cases per submission; case 0 is the variant the statement shows
	Upstream  string     // the graph input holding the gradient from above; "" if none
	Tolerance Tolerance  // how close every result element must be to the reference
	// Needs are expressions each of which some case of every seed makes exceed KinkMargin
	// element-wise: the situations a wrong program that no bug rule models is caught in (a case
	// where the bias changes the sign of z catches a ReLU gated on w·x alone).
	Needs []*autograd.Quantity
	// Bugs are the author's own wrong results, each earning its tag when code returns it on
	// every case (the updated weight returned where the gradient was asked).
	Bugs      []CodeBug
	Solutions []Solution // the reference first, then known-wrong ones; may be empty outside the catalog
}

// CodeFunc is one function a code exercise asks for.
type CodeFunc struct {
	Name string // exported Go name, e.g. "Backward"
	Type string // the function type, e.g. "func(x, w, b, y float64) (dw, db float64)"
	// Args are the graph inputs passed as arguments, in parameter order.
	Args []string
	// Results are the quantities the results must equal, in result order.
	Results []*autograd.Quantity
	// ParamRanks and ResultRanks give each parameter's and result's Go type as a tensor rank:
	// 0 float64, 1 []float64, 2 [][]float64.
	ParamRanks, ResultRanks []int
	// GradCheck names another function F of the exercise: this function's results must also match
	// central differences of the student's own F, as the gradients of sum(F(args) · upstream)
	// with respect to F's arguments, in order.
	GradCheck string
}

// CodeBug is a wrong result the author predicts: Expr in place of result Result of function Func.
type CodeBug struct {
	Name   string
	Tag    string
	Func   int // index into Code.Funcs
	Result int
	Expr   *autograd.Quantity
}

// Solution is a Go source file that tests a code exercise: the reference must be accepted, a
// known-wrong one rejected with its tag.
type Solution struct {
	Name   string // the file name without .go
	Source string
	Tag    string // "" for a solution that must be accepted; else the misconception tag it must earn
}

// Func returns the index of the function named name, or -1.
func (c *Code) Func(name string) int {
	return slices.IndexFunc(c.Funcs, func(f CodeFunc) bool { return f.Name == name })
}

// Signatures returns each function as name and type, the way judge/sandbox wants them.
func (c *Code) Signatures() (names, types []string) {
	for _, f := range c.Funcs {
		names, types = append(names, f.Name), append(types, f.Type)
	}
	return names, types
}

// funcSpec is one [funcs.NAME] table of a code exercise file.
type funcSpec struct {
	Args      []string `toml:"args"`
	Results   []string `toml:"results"`
	GradCheck string   `toml:"gradcheck"`
}

var declPattern = regexp.MustCompile(`^func\s+([A-Z][A-Za-z0-9_]*)\s*(\(.*)$`)

// compileCode checks the code part of a code exercise file and builds Code.
func compileCode(e *Exercise, f *file, voc vocabulary) error {
	c := &Code{Cases: DefaultCodeCases, Upstream: f.Upstream, Tolerance: Tolerance{Rel: DefaultCodeRel, Abs: DefaultCodeAbs}}
	if f.Tolerance != nil {
		c.Tolerance = *f.Tolerance
	}
	if f.Cases != 0 {
		c.Cases = f.Cases
	}
	switch {
	case c.Cases < 1 || c.Cases > MaxCodeCases:
		return at(topKey("cases"), fmt.Errorf("cases = %d: want 1 to %d", c.Cases, MaxCodeCases))
	case c.Upstream != "" && !e.Graph.IsInput(c.Upstream):
		return at(topKey("upstream"), fmt.Errorf("upstream %q is not an input of the graph", c.Upstream))
	}
	if err := c.Tolerance.check(); err != nil {
		return at(topKey("tolerance"), err)
	}
	if err := compileFuncs(e, f, c); err != nil {
		return err
	}
	for _, src := range f.Needs {
		q, err := e.Graph.ParseQuantity(src, e.extraParams()...)
		if err != nil {
			return fmt.Errorf("needs %q: %w", src, err)
		}
		c.Needs = append(c.Needs, q)
	}
	if err := compileCodeBugs(e, f, c, voc); err != nil {
		return err
	}
	if len(c.Needs) >= c.Cases {
		return fmt.Errorf("needs: %d needs for %d cases; the first case is the variant, so at most %d", len(c.Needs), c.Cases, c.Cases-1)
	}
	e.Code = c
	return checkGradChecks(c)
}

func compileCodeBugs(e *Exercise, f *file, c *Code, voc vocabulary) error {
	for _, b := range f.Bug {
		bug := CodeBug{Name: cmpOr(b.Name, b.Tag), Tag: b.Tag, Func: c.Func(b.Func), Result: b.Result}
		switch {
		case b.Ask != "":
			return fmt.Errorf("bug %q: a code exercise's bug names a func and a result, not an ask", bug.Name)
		case !voc.tags[b.Tag]:
			return fmt.Errorf("bug %q: tag %q is not in the misconception catalog", bug.Name, b.Tag)
		case bug.Func < 0:
			return fmt.Errorf("bug %q: func %q is not a function of the signature", bug.Name, b.Func)
		case bug.Result < 0 || bug.Result >= len(c.Funcs[bug.Func].Results):
			return fmt.Errorf("bug %q: %s has no result %d", bug.Name, b.Func, bug.Result)
		}
		expr, err := e.Graph.ParseQuantity(b.Expr, e.extraParams()...)
		if err != nil {
			return fmt.Errorf("bug %q: expr %q: %w", bug.Name, b.Expr, err)
		}
		bug.Expr = expr
		c.Bugs = append(c.Bugs, bug)
	}
	return nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func compileFuncs(e *Exercise, f *file, c *Code) error {
	for _, line := range strings.Split(strings.TrimSpace(f.Signature), "\n") {
		fn, err := parseDecl(strings.TrimSpace(line))
		if err != nil {
			return at(topKey("signature"), fmt.Errorf("signature %q: %w", line, err))
		}
		spec, ok := f.Funcs[fn.Name]
		if !ok {
			return at(topKey("signature"), fmt.Errorf("signature: %s has no [funcs.%s] table", fn.Name, fn.Name))
		}
		if err := compileFunc(e, &fn, spec); err != nil {
			return at(tableKey("funcs", fn.Name), fmt.Errorf("funcs.%s: %w", fn.Name, err))
		}
		if c.Func(fn.Name) >= 0 {
			return at(topKey("signature"), fmt.Errorf("signature: %s appears twice", fn.Name))
		}
		c.Funcs = append(c.Funcs, fn)
	}
	for name := range f.Funcs {
		if c.Func(name) < 0 {
			return at(tableKey("funcs", name), fmt.Errorf("funcs.%s: not in the signature", name))
		}
	}
	return nil
}

func compileFunc(e *Exercise, fn *CodeFunc, spec funcSpec) error {
	if len(spec.Args) != len(fn.ParamRanks) || len(spec.Results) != len(fn.ResultRanks) {
		return fmt.Errorf("the signature has %d parameters and %d results; args and results name %d and %d",
			len(fn.ParamRanks), len(fn.ResultRanks), len(spec.Args), len(spec.Results))
	}
	for _, a := range spec.Args {
		if !e.Graph.IsInput(a) {
			return fmt.Errorf("args: %q is not an input of the graph", a)
		}
	}
	fn.Args, fn.GradCheck = spec.Args, spec.GradCheck
	for _, src := range spec.Results {
		q, err := e.Graph.ParseQuantity(src)
		if err != nil {
			return fmt.Errorf("results: %q: %w", src, err)
		}
		fn.Results = append(fn.Results, q)
	}
	return nil
}

// checkGradChecks checks that a function checked against another's central differences has an
// upstream argument and one result per argument of the other, which has one result.
func checkGradChecks(c *Code) error {
	for _, fn := range c.Funcs {
		if fn.GradCheck == "" {
			continue
		}
		i := c.Func(fn.GradCheck)
		switch {
		case i < 0 || fn.GradCheck == fn.Name:
			return at(tableKey("funcs", fn.Name), fmt.Errorf("funcs.%s: gradcheck %q is not another function of the exercise", fn.Name, fn.GradCheck))
		case c.Upstream == "" || !slices.Contains(fn.Args, c.Upstream):
			return at(tableKey("funcs", fn.Name), fmt.Errorf("funcs.%s: gradcheck needs the upstream input among the args", fn.Name))
		case len(c.Funcs[i].Results) != 1 || len(fn.Results) != len(c.Funcs[i].Args):
			return at(tableKey("funcs", fn.Name), fmt.Errorf("funcs.%s: gradcheck wants one result of %s and one result here per argument of it", fn.Name, fn.GradCheck))
		}
		for _, a := range c.Funcs[i].Args {
			if !slices.Contains(fn.Args, a) {
				return at(tableKey("funcs", fn.Name), fmt.Errorf("funcs.%s: gradcheck needs %s's argument %s among the args", fn.Name, fn.GradCheck, a))
			}
		}
	}
	return nil
}

// parseDecl parses "func Name(params) results" over float64, []float64 and [][]float64.
func parseDecl(line string) (CodeFunc, error) {
	m := declPattern.FindStringSubmatch(line)
	if m == nil {
		return CodeFunc{}, errors.New(`want "func Name(params) results" with an exported name`)
	}
	fn := CodeFunc{Name: m[1], Type: "func" + m[2]}
	expr, err := parser.ParseExpr(fn.Type)
	ft, ok := expr.(*ast.FuncType)
	if err != nil || !ok {
		return CodeFunc{}, fmt.Errorf("not a function type: %v", err)
	}
	if fn.ParamRanks, err = fieldRanks(ft.Params); err != nil {
		return CodeFunc{}, err
	}
	if fn.ResultRanks, err = fieldRanks(ft.Results); err != nil {
		return CodeFunc{}, err
	}
	if len(fn.ResultRanks) == 0 {
		return CodeFunc{}, errors.New("the function returns nothing")
	}
	return fn, nil
}

func fieldRanks(fl *ast.FieldList) ([]int, error) {
	var ranks []int
	if fl == nil {
		return nil, nil
	}
	for _, field := range fl.List {
		r, ok := typeRank(field.Type)
		if !ok {
			return nil, errors.New("use only float64, []float64 and [][]float64")
		}
		for range max(1, len(field.Names)) {
			ranks = append(ranks, r)
		}
	}
	return ranks, nil
}

func typeRank(t ast.Expr) (int, bool) {
	switch t := t.(type) {
	case *ast.Ident:
		return 0, t.Name == "float64"
	case *ast.ArrayType:
		r, ok := typeRank(t.Elt)
		return r + 1, ok && t.Len == nil && r < 2
	}
	return 0, false
}

// checkCodeShapes checks on a sample variant that every argument and result has the rank its Go
// type says.
func checkCodeShapes(e *Exercise) error {
	in, err := e.NewInstance(0)
	if err != nil {
		return err
	}
	for _, fn := range e.Code.Funcs {
		for i, a := range fn.Args {
			if in.Inputs[a].Rank() != fn.ParamRanks[i] {
				return at(tableKey("funcs", fn.Name), fmt.Errorf("funcs.%s: argument %s is %s, its Go type has rank %d",
					fn.Name, a, autograd.ShapeString(in.Inputs[a].Shape), fn.ParamRanks[i]))
			}
		}
		for i, q := range fn.Results {
			v, err := q.Eval(in.Run, autograd.Application{})
			if err != nil {
				return at(tableKey("funcs", fn.Name), fmt.Errorf("funcs.%s: result %s: %w", fn.Name, q, err))
			}
			if v.Rank() != fn.ResultRanks[i] {
				return at(tableKey("funcs", fn.Name), fmt.Errorf("funcs.%s: result %s is %s, its Go type has rank %d",
					fn.Name, q, autograd.ShapeString(v.Shape), fn.ResultRanks[i]))
			}
		}
	}
	return nil
}
