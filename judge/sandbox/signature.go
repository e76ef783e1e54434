package sandbox

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
)

// Signature is a function an exercise asks the student to write: an exported name and a Go
// function type over universe types (float64, []float64, [][]float64, ...). Parameter and result
// names do not matter when a submission is compared with it. Make one with ParseSignature; the
// zero value asks for nothing and Vet ignores it.
type Signature struct {
	Name string // the function's name, e.g. "Backward"
	Type string // the function type as written by the exercise, e.g. "func(x, w float64) float64"
	sig  *types.Signature
}

// ParseSignature checks that name is an exported identifier and typ a function type made of
// predeclared types only, and returns the Signature to pass to Vet. An error means the exercise
// is broken, not the submission.
func ParseSignature(name, typ string) (Signature, error) {
	if !token.IsIdentifier(name) || !token.IsExported(name) {
		return Signature{}, fmt.Errorf("sandbox: signature name %q is not an exported identifier", name)
	}
	expr, err := parser.ParseExpr(typ)
	if err != nil {
		return Signature{}, fmt.Errorf("sandbox: signature %s %q: %w", name, typ, err)
	}
	if _, ok := expr.(*ast.FuncType); !ok {
		return Signature{}, fmt.Errorf("sandbox: signature %s %q is not a func type", name, typ)
	}
	tv, err := types.Eval(token.NewFileSet(), nil, token.NoPos, typ)
	if err != nil {
		return Signature{}, fmt.Errorf("sandbox: signature %s %q: %w", name, typ, err)
	}
	sig, ok := tv.Type.(*types.Signature)
	if !ok || !tv.IsType() {
		return Signature{}, fmt.Errorf("sandbox: signature %s %q is not a func type", name, typ)
	}
	return Signature{Name: name, Type: typ, sig: sig}, nil
}

// MustParseSignature is ParseSignature for signatures written in Go source; it panics on error.
func MustParseSignature(name, typ string) Signature {
	s, err := ParseSignature(name, typ)
	if err != nil {
		panic(err)
	}
	return s
}

// String returns the signature as the exercise writes the declaration, "func Name(params) results".
func (s Signature) String() string {
	return "func " + s.Name + strings.TrimPrefix(strings.TrimSpace(s.Type), "func")
}

// checkSignatures reports each wanted function that pkg lacks or declares with another type.
func checkSignatures(r *report, f *ast.File, pkg *types.Package, want []Signature) {
	for _, w := range want {
		if w.sig == nil {
			continue
		}
		obj := pkg.Scope().Lookup(w.Name)
		switch obj := obj.(type) {
		case nil:
			r.add(f.Name.Pos(), "missing function %s: the exercise asks for %s", w.Name, w)
		case *types.Func:
			if !types.Identical(obj.Type(), w.sig) {
				r.add(obj.Pos(), "%s has type %s; the exercise asks for %s",
					w.Name, types.TypeString(obj.Type(), nil), w)
			}
		default:
			r.add(obj.Pos(), "%s must be declared as a function: %s", w.Name, w)
		}
	}
}
