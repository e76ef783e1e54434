package autograd

import "slices"

// maxNesting bounds how deeply expressions may nest, so that hostile input cannot exhaust the stack.
const maxNesting = 200

// expr is a node of a parsed expression. Exactly one of its forms is used: a number (op ""), a name
// reference (op "name"), or an operator or function call over args.
type expr struct {
	op   string // "", "name", "neg", "+", "-", "*", "/", "@", "^", or a function name
	num  float64
	name string
	args []*expr
	call bool // written as a function call name(args)
	pos  Pos
}

// stmt is one assignment `name = expr`.
type stmt struct {
	name string
	rhs  *expr
	pos  Pos
}

type parser struct {
	toks  []token
	i     int
	depth int
}

// parseProgram parses the statements of src. It checks only the grammar; names and functions are
// resolved by compile.
func parseProgram(src string) ([]stmt, *Error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	var out []stmt
	for {
		for p.peek().kind == tokNewline || p.isOp(";") {
			p.i++
		}
		if p.peek().kind == tokEOF {
			return out, nil
		}
		s, err := p.statement()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
		if t := p.peek(); t.kind != tokEOF && t.kind != tokNewline && !p.isOp(";") {
			return nil, errorf(KindSyntax, t.pos, "unexpected %s after the end of the statement; put one assignment per line", describe(t))
		}
	}
}

// parseExpr parses a lone expression (a quantity); it must use all of src.
func parseExpr(src string) (*expr, *Error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, errorf(KindSyntax, t.pos, "unexpected %s after the end of the expression", describe(t))
	}
	return e, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) isOp(s string) bool {
	t := p.toks[p.i]
	return t.kind == tokOp && t.text == s
}

func (p *parser) statement() (stmt, *Error) {
	t := p.peek()
	if t.kind != tokIdent {
		return stmt{}, errorf(KindSyntax, t.pos, "a statement starts with the name it assigns, as in `z = w*x + b`; found %s", describe(t))
	}
	p.i++
	if !p.isOp("=") {
		return stmt{}, errorf(KindSyntax, p.peek().pos, "expected `=` after `%s`; found %s", t.text, describe(p.peek()))
	}
	p.i++
	rhs, err := p.expr()
	if err != nil {
		return stmt{}, err
	}
	return stmt{name: t.text, rhs: rhs, pos: t.pos}, nil
}

func (p *parser) enter() *Error {
	p.depth++
	if p.depth > maxNesting {
		return errorf(KindSyntax, p.peek().pos, "the expression is nested more than %d levels deep", maxNesting)
	}
	return nil
}

// expr := term { ('+' | '-') term }
func (p *parser) expr() (*expr, *Error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	return p.binaryLevel(p.term, "+", "-")
}

// term := unary { ('*' | '/' | '@') unary }
func (p *parser) term() (*expr, *Error) { return p.binaryLevel(p.unary, "*", "/", "@") }

func (p *parser) binaryLevel(next func() (*expr, *Error), ops ...string) (*expr, *Error) {
	left, err := next()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tokOp || !slices.Contains(ops, t.text) {
			return left, nil
		}
		p.i++
		right, err := next()
		if err != nil {
			return nil, err
		}
		left = &expr{op: t.text, args: []*expr{left, right}, pos: t.pos}
	}
}

// unary := '-' unary | power
func (p *parser) unary() (*expr, *Error) {
	if !p.isOp("-") {
		return p.power()
	}
	t := p.peek()
	p.i++
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	operand, err := p.unary()
	if err != nil {
		return nil, err
	}
	return &expr{op: "neg", args: []*expr{operand}, pos: t.pos}, nil
}

// power := atom [ '^' unary ]
func (p *parser) power() (*expr, *Error) {
	base, err := p.atom()
	if err != nil || !p.isOp("^") {
		return base, err
	}
	t := p.peek()
	p.i++
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	exp, err := p.unary()
	if err != nil {
		return nil, err
	}
	return &expr{op: "^", args: []*expr{base, exp}, pos: t.pos}, nil
}

// atom := NUMBER | IDENT | IDENT '(' expr { ',' expr } ')' | '(' expr ')'
func (p *parser) atom() (*expr, *Error) {
	t := p.peek()
	switch {
	case t.kind == tokNumber:
		p.i++
		return &expr{num: t.num, pos: t.pos}, nil
	case t.kind == tokIdent:
		p.i++
		if p.isOp("(") {
			return p.call(t)
		}
		return &expr{op: "name", name: t.text, pos: t.pos}, nil
	case p.isOp("("):
		p.i++
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		return e, p.expect(")", t)
	}
	return nil, errorf(KindSyntax, t.pos, "expected a number, a name or `(`; found %s", describe(t))
}

func (p *parser) call(fn token) (*expr, *Error) {
	p.i++ // '('
	e := &expr{op: fn.text, call: true, pos: fn.pos}
	for {
		arg, err := p.expr()
		if err != nil {
			return nil, err
		}
		e.args = append(e.args, arg)
		if !p.isOp(",") {
			break
		}
		p.i++
	}
	return e, p.expect(")", fn)
}

func (p *parser) expect(op string, opener token) *Error {
	if !p.isOp(op) {
		return errorf(KindSyntax, p.peek().pos, "expected `%s` to close the `(` at line %d, col %d; found %s",
			op, opener.pos.Line, opener.pos.Col, describe(p.peek()))
	}
	p.i++
	return nil
}

func describe(t token) string {
	switch t.kind {
	case tokEOF:
		return "the end of the program"
	case tokNewline:
		return "the end of the line"
	case tokNumber:
		return "the number `" + t.text + "`"
	case tokIdent:
		return "the name `" + t.text + "`"
	}
	return "`" + t.text + "`"
}
