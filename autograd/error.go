package autograd

import "fmt"

// Kind names a class of error a program, its inputs or a quantity can have. The list only grows at
// the end; kinds are part of the wire format of `gradjudge eval --jsonl`.
type Kind string

// The error kinds of the graph language.
const (
	KindSyntax          Kind = "syntax"
	KindUndefined       Kind = "undefined"
	KindRedefined       Kind = "redefined"
	KindUnknownFunction Kind = "unknown_function"
	KindArity           Kind = "arity"
	KindShape           Kind = "shape"
	KindNotScalarOutput Kind = "not_scalar_output"
	KindNotFinite       Kind = "not_finite"
	KindBadInput        Kind = "bad_input"
)

// Pos is a position in program text. Line and Col count from 1; the zero Pos means "no position"
// (for example an input value that is not a number).
type Pos struct {
	Line int `json:"line"`
	Col  int `json:"col"`
}

// Error is a mistake in a program, its inputs or a quantity: a value, not a failure of the engine.
// Msg is written for a student and does not repeat the position.
type Error struct {
	Kind Kind
	Msg  string
	Pos  Pos
}

func (e *Error) Error() string {
	if e.Pos.Line == 0 {
		return e.Msg
	}
	return fmt.Sprintf("line %d, col %d: %s", e.Pos.Line, e.Pos.Col, e.Msg)
}

func errorf(kind Kind, pos Pos, format string, args ...any) *Error {
	return &Error{Kind: kind, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}
