package sandbox

import (
	"cmp"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
)

// This file bounds the total data a submission asks the compiler to write out (see
// MaxStaticDataBytes). Each constant string and each value is bounded alone in bounds.go; many of
// them together would still put tens of megabytes per submission into the shared build cache, and
// len(c + c + … + c) in code would make the type checker itself build a string of gigabytes.

// datum is the data one expression of the file can ask for, in bytes.
type datum struct {
	pos   token.Pos
	bytes uint64
}

// stringData returns, from the syntax alone, the bytes of string data each part of the file can
// ask for: a string literal or a mention of a constant outside constant declarations (the
// compiler writes the strings code uses into the program), and the constant declarations
// constDeclData counts. It runs before type checking, which would materialise the strings. It is
// an upper bound: a constant mentioned twice counts twice, even where the compiler stores it once.
func stringData(b *constBounder, f *ast.File) []datum {
	top := map[ast.Decl]bool{}
	for _, d := range f.Decls {
		top[d] = true
	}
	var data []datum
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GenDecl:
			if n.Tok == token.CONST {
				data = append(data, constDeclData(b, n, top[n])...)
				return false
			}
		case *ast.BasicLit:
			data = appendDatum(data, n.Pos(), b.exprBound(n))
		case *ast.Ident:
			data = appendDatum(data, n.Pos(), b.exprBound(n))
		}
		return true
	})
	return data
}

// constDeclData returns the data of the constants of d that cost something before they are used:
// an exported package-level constant is written whole into the package's export data, and a
// constant that is more than a concatenation (len(c + "x"), c < d, c[0]) makes the type checker
// build its strings. A concatenation alone stays lazy; checkConstStrings bounds each constant.
func constDeclData(b *constBounder, d *ast.GenDecl, top bool) []datum {
	var data []datum
	for _, s := range d.Specs {
		spec, ok := s.(*ast.ValueSpec)
		if !ok {
			continue
		}
		for _, name := range spec.Names {
			if (top && name.IsExported()) || !concatOnly(b.values[name]) {
				data = appendDatum(data, name.Pos(), b.bound(name))
			}
		}
	}
	return data
}

// concatOnly reports whether e only adds up literals and constants (nil is an empty sum).
func concatOnly(e ast.Expr) bool {
	if e == nil {
		return true
	}
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case nil, *ast.BasicLit, *ast.Ident, *ast.ParenExpr:
		case *ast.BinaryExpr:
			ok = ok && n.Op == token.ADD
		default:
			ok = false
		}
		return ok
	})
	return ok
}

// literalData returns the bytes each non-empty composite literal lays out: its implied length
// times its element size for an array or slice, its entries' sizes for a map, its size for a
// struct. An array or struct literal nested in another counts again inside its parent, so the sum
// is an upper bound.
func literalData(f *ast.File, info *types.Info) []datum {
	sz := newSizer()
	var data []datum
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok || len(lit.Elts) == 0 {
			return true
		}
		if tv, ok := info.Types[lit]; ok && tv.Type != nil {
			data = appendDatum(data, lit.Pos(), sz.literal(lit, tv.Type, info))
		}
		return true
	})
	return data
}

func appendDatum(data []datum, pos token.Pos, n uint64) []datum {
	if n == 0 {
		return data
	}
	return append(data, datum{pos, n})
}

// literal returns the bytes a non-empty composite literal of type t lays out. The type of an
// elided &T{} inside another literal is *T.
func (s *sizer) literal(lit *ast.CompositeLit, t types.Type, info *types.Info) uint64 {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	switch u := t.Underlying().(type) {
	case *types.Array:
		return satMul(impliedLen(lit, info), s.size(u.Elem(), 0))
	case *types.Slice:
		return satMul(impliedLen(lit, info), s.size(u.Elem(), 0))
	case *types.Map:
		return satMul(uint64(len(lit.Elts)), satAdd(s.size(u.Key(), 0), s.size(u.Elem(), 0)))
	case *types.Struct:
		return s.size(t, 0)
	}
	return 0
}

// checkStaticData adds up data in source order and reports the expression that takes the total
// past MaxStaticDataBytes. It reports false if the file must not be type-checked or built.
func checkStaticData(r *report, data []datum) bool {
	slices.SortStableFunc(data, func(a, b datum) int { return cmp.Compare(a.pos, b.pos) })
	var total uint64
	for _, d := range data {
		if total = satAdd(total, d.bytes); total > MaxStaticDataBytes {
			r.add(d.pos, "too much data: here the constant strings and literals of the file add up to "+
				"more than %d bytes (%d MiB); build large values at run time, with make and a loop",
				MaxStaticDataBytes, MaxStaticDataBytes>>20)
			return false
		}
	}
	return true
}
