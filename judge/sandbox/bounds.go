package sandbox

import (
	"cmp"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"maps"
	"math"
	"slices"
	"strconv"
)

// This file keeps the build small: it rejects constants and values whose size alone would make
// the type checker or the compiler allocate gigabytes, before either of them tries.

// checkConstStrings bounds, from the syntax alone, the length of every constant a submission
// declares, and reports the first that may exceed MaxConstStringBytes. It must run before type
// checking: go/types materialises a constant string to take its length. The bound adds up every
// string literal and every constant a declaration mentions (a + a counts a twice), so it holds
// for strings whatever the operators are; for a concatenation it is exact, so a constant of
// exactly MaxConstStringBytes is allowed. It reports false if the file must not be type-checked.
func checkConstStrings(r *report, b *constBounder) bool {
	specs := slices.Collect(maps.Keys(b.values))
	slices.SortFunc(specs, func(a, b *ast.Ident) int { return cmp.Compare(a.Pos(), b.Pos()) })
	for _, id := range specs {
		if n := b.bound(id); n > MaxConstStringBytes {
			r.add(id.Pos(), "constant %s is too large: a constant string may be at most %d bytes",
				id.Name, MaxConstStringBytes)
			return false
		}
	}
	return true
}

// constBounder computes upper bounds of constant string lengths. Identifiers are tied to their
// declarations by the parser's object resolution, so shadowing cannot hide a reference.
type constBounder struct {
	values map[*ast.Ident]ast.Expr // each declared constant and its expression (nil if none)
	memo   map[*ast.Ident]uint64
	busy   map[*ast.Ident]bool
}

const boundInfinite = math.MaxUint64

func newConstBounder(f *ast.File) *constBounder {
	b := &constBounder{values: map[*ast.Ident]ast.Expr{}, memo: map[*ast.Ident]uint64{},
		busy: map[*ast.Ident]bool{}}
	ast.Inspect(f, func(n ast.Node) bool {
		if d, ok := n.(*ast.GenDecl); ok && d.Tok == token.CONST {
			b.addDecl(d)
		}
		return true
	})
	return b
}

// addDecl records each name of a const declaration with its expression; a spec without values
// repeats the previous spec's, as the language does with iota.
func (b *constBounder) addDecl(d *ast.GenDecl) {
	var last []ast.Expr
	for _, s := range d.Specs {
		spec, ok := s.(*ast.ValueSpec)
		if !ok {
			continue
		}
		if len(spec.Values) > 0 {
			last = spec.Values
		}
		for i, name := range spec.Names {
			b.values[name] = nil
			if i < len(last) {
				b.values[name] = last[i]
			}
		}
	}
}

// bound returns an upper bound of the length of the constant declared by id.
func (b *constBounder) bound(id *ast.Ident) uint64 {
	if n, ok := b.memo[id]; ok {
		return n
	}
	if b.busy[id] {
		return boundInfinite // a cycle: invalid Go, and not worth type-checking
	}
	b.busy[id] = true
	n := b.exprBound(b.values[id])
	delete(b.busy, id)
	b.memo[id] = n
	return n
}

// exprBound adds up the string literals (their values, not their quoted spelling) and constants
// mentioned in e, and 4 bytes per call (string(rune(c)) spells up to 4 bytes out of a number).
func (b *constBounder) exprBound(e ast.Expr) uint64 {
	if e == nil {
		return 0
	}
	var n uint64
	ast.Inspect(e, func(node ast.Node) bool {
		switch node := node.(type) {
		case *ast.BasicLit:
			if node.Kind == token.STRING {
				n = satAdd(n, literalBytes(node))
			}
		case *ast.CallExpr:
			n = satAdd(n, 4)
		case *ast.Ident:
			n = satAdd(n, b.identBound(node))
		}
		return true
	})
	return n
}

// literalBytes returns the length of a string literal's value; it is never more than the length
// of its spelling, which it returns if the literal is malformed.
func literalBytes(lit *ast.BasicLit) uint64 {
	if s, err := strconv.Unquote(lit.Value); err == nil {
		return uint64(len(s))
	}
	return uint64(len(lit.Value))
}

func (b *constBounder) identBound(id *ast.Ident) uint64 {
	if id.Obj == nil || id.Obj.Kind != ast.Con {
		return 0
	}
	decl, ok := id.Obj.Decl.(*ast.ValueSpec)
	if !ok {
		return 0
	}
	for _, name := range decl.Names {
		if name.Name == id.Name {
			return b.bound(name)
		}
	}
	return 0
}

// checkTypeDecls rejects type parameters and type declarations whose expansion is huge, before
// type checking. Generic functions let 40 lines ask the compiler for 2⁴⁰ instantiations, and a
// chain of structs of two fields of the previous one makes the type checkers (go/types and the
// compiler's) take time exponential in its length. Exercises need neither. It reports false if
// the file must not be type-checked.
func checkTypeDecls(r *report, f *ast.File) bool {
	ok := true
	specs := map[*ast.Ident]ast.Expr{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncType:
			if n.TypeParams != nil && len(n.TypeParams.List) > 0 {
				r.add(n.TypeParams.Pos(), "type parameters (generics) are not allowed in a solution")
				ok = false
			}
		case *ast.TypeSpec:
			if n.TypeParams != nil && len(n.TypeParams.List) > 0 {
				r.add(n.TypeParams.Pos(), "type parameters (generics) are not allowed in a solution")
				ok = false
			}
			specs[n.Name] = n.Type
		}
		return true
	})
	return checkTypeExpansion(r, specs) && ok
}

// checkTypeExpansion reports the first declared type whose definition, with every named type
// it mentions written out in place, would have more than MaxTypeNodes syntax nodes or nest more
// than MaxNamedTypeDepth named types in one another.
func checkTypeExpansion(r *report, specs map[*ast.Ident]ast.Expr) bool {
	b := &nodeCounter{specs: specs, memo: map[*ast.Ident]typeSize{}, busy: map[*ast.Ident]bool{}}
	names := slices.Collect(maps.Keys(specs))
	slices.SortFunc(names, func(a, b *ast.Ident) int { return cmp.Compare(a.Pos(), b.Pos()) })
	for _, name := range names {
		switch size := b.count(name); {
		case size.nodes > MaxTypeNodes:
			r.add(name.Pos(), "type %s is too large when written out; nest fewer types", name.Name)
			return false
		case size.depth > MaxNamedTypeDepth:
			r.add(name.Pos(), "type %s nests more than %d declared types in one another; nest fewer types",
				name.Name, MaxNamedTypeDepth)
			return false
		}
	}
	return true
}

// nodeCounter counts the syntax nodes of type definitions with named types expanded, like
// constBounder does for constant strings.
type nodeCounter struct {
	specs map[*ast.Ident]ast.Expr
	memo  map[*ast.Ident]typeSize
	busy  map[*ast.Ident]bool
}

// typeSize is the size of a type definition with named types expanded: its syntax nodes, and
// the longest chain of named types in it, itself included.
type typeSize struct{ nodes, depth uint64 }

func (c *nodeCounter) count(name *ast.Ident) typeSize {
	if n, ok := c.memo[name]; ok {
		return n
	}
	if c.busy[name] {
		return typeSize{nodes: 1} // a cycle: the type checker reports an invalid recursive type
	}
	c.busy[name] = true
	n := c.nodes(c.specs[name])
	n.depth++
	delete(c.busy, name)
	c.memo[name] = n
	return n
}

// nodes counts the nodes of e with named types expanded; a field list "a, b T" counts T twice.
func (c *nodeCounter) nodes(e ast.Node) typeSize {
	var n typeSize
	add := func(t typeSize, times uint64) {
		n.nodes = satAdd(n.nodes, satMul(times, t.nodes))
		n.depth = max(n.depth, t.depth)
	}
	ast.Inspect(e, func(node ast.Node) bool {
		n.nodes = satAdd(n.nodes, 1)
		switch node := node.(type) {
		case *ast.Field:
			add(c.nodes(node.Type), uint64(max(len(node.Names), 1)))
			return false
		case *ast.Ident:
			if node.Obj != nil && node.Obj.Kind == ast.Typ {
				if spec, ok := node.Obj.Decl.(*ast.TypeSpec); ok {
					add(c.count(spec.Name), 1)
				}
			}
		}
		return true
	})
	return n
}

// checkSizes reports types larger than MaxValueBytes and slice literals whose indices imply a
// larger backing array, once per type.
func checkSizes(r *report, f *ast.File, info *types.Info) {
	sz := newSizer()
	seen := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		e, ok := n.(ast.Expr)
		if !ok {
			return true
		}
		tv, ok := info.Types[e]
		if !ok || tv.Type == nil {
			return true
		}
		what, size := "value", sz.size(tv.Type, 0)
		if lit, ok := e.(*ast.CompositeLit); ok {
			if n := sz.sliceLiteral(lit, tv.Type, info); n > size {
				what, size = "literal", n
			}
		}
		if size <= MaxValueBytes || seen[tv.Type.String()] {
			return true
		}
		seen[tv.Type.String()] = true
		r.add(e.Pos(), "a %s of type %s would take more than %d MiB; use a slice made at run time",
			what, types.TypeString(tv.Type, nil), MaxValueBytes>>20)
		return false // its parts are too large for the same reason
	})
}

// sizer computes sizes of values, saturating instead of overflowing. It remembers each type it
// has measured: a chain of structs of two fields of the previous one would otherwise take time
// exponential in its length.
type sizer struct {
	sizes types.Sizes
	memo  map[types.Type]uint64
}

func newSizer() *sizer {
	return &sizer{sizes: types.SizesFor("gc", "wasm"), memo: map[types.Type]uint64{}}
}

// maxTypeDepth bounds how deep size looks into nested arrays and structs; anything deeper counts
// as too large.
const maxTypeDepth = 100

func (s *sizer) size(t types.Type, depth int) uint64 {
	if n, ok := s.memo[t]; ok {
		return n
	}
	if depth > maxTypeDepth {
		return boundInfinite
	}
	n := s.measure(t, depth)
	s.memo[t] = n
	return n
}

func (s *sizer) measure(t types.Type, depth int) uint64 {
	switch u := t.Underlying().(type) {
	case *types.Array:
		return satMul(uint64(max(u.Len(), 0)), s.size(u.Elem(), depth+1))
	case *types.Struct:
		var n uint64
		for i := range u.NumFields() {
			n = satAdd(n, s.size(u.Field(i).Type(), depth+1))
		}
		return n
	case *types.Basic:
		if u.Kind() == types.Invalid || u.Info()&types.IsUntyped != 0 {
			return 0 // an untyped constant has no size until it is converted
		}
		return uint64(max(s.sizes.Sizeof(u), 0))
	}
	return 24 // a pointer, slice, map, channel, function or interface header
}

// sliceLiteral returns the size of the backing array of a slice literal such as
// []float64{1 << 30: 1}, or 0 if lit is not a slice literal.
func (s *sizer) sliceLiteral(lit *ast.CompositeLit, t types.Type, info *types.Info) uint64 {
	sl, ok := t.Underlying().(*types.Slice)
	if !ok {
		return 0
	}
	return satMul(impliedLen(lit, info), s.size(sl.Elem(), 0))
}

// impliedLen returns the length an array or slice literal spells: one past its highest index.
func impliedLen(lit *ast.CompositeLit, info *types.Info) uint64 {
	var next, length uint64
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			next = constIndex(info.Types[kv.Key].Value)
		}
		next = satAdd(next, 1)
		length = max(length, next)
	}
	return length
}

func constIndex(v constant.Value) uint64 {
	if v == nil || v.Kind() != constant.Int {
		return 0
	}
	if n, ok := constant.Uint64Val(v); ok {
		return n
	}
	return boundInfinite
}

func satAdd(a, b uint64) uint64 {
	if a > boundInfinite-b {
		return boundInfinite
	}
	return a + b
}

func satMul(a, b uint64) uint64 {
	if a != 0 && b > boundInfinite/a {
		return boundInfinite
	}
	return a * b
}

// checkDeclSizes reports the first function, or the package-level variables together, with more
// than MaxFunctionNodes syntax nodes, and the first declaration nesting deeper than
// MaxSyntaxDepth. It runs before type checking, which is slow on such code too.
func checkDeclSizes(r *report, f *ast.File) bool {
	varNodes := 0
	for _, d := range f.Decls {
		nodes, depth := syntaxSize(d)
		switch {
		case depth > MaxSyntaxDepth:
			r.add(d.Pos(), "this declaration nests more than %d levels deep (expressions, blocks or types in one another); write it flatter", MaxSyntaxDepth)
			return false
		case isFunc(d) && nodes > MaxFunctionNodes:
			r.add(d.Pos(), "function %s is too long: more than %d names, numbers, operators and statements; a backward pass needs a few hundred",
				d.(*ast.FuncDecl).Name.Name, MaxFunctionNodes)
			return false
		case isVar(d):
			if varNodes += nodes; varNodes > MaxFunctionNodes {
				r.add(d.Pos(), "the package-level variables are too large together: more than %d names, numbers and operators in their declarations",
					MaxFunctionNodes)
				return false
			}
		}
	}
	return true
}

func isFunc(d ast.Decl) bool {
	_, ok := d.(*ast.FuncDecl)
	return ok
}

func isVar(d ast.Decl) bool {
	g, ok := d.(*ast.GenDecl)
	return ok && g.Tok == token.VAR
}

// syntaxSize returns the number of syntax nodes of n and how deep they nest. Parentheses are
// left out (the parser has already grouped by them), and so is a binary operation inside another:
// a long sum a + b + c + … is a deep tree that the compiler handles quickly.
func syntaxSize(n ast.Node) (nodes, depth int) {
	type open struct{ deeper, counted bool }
	var stack []open
	var parents []ast.Node // the open nodes that count, innermost last
	level := 0
	ast.Inspect(n, func(x ast.Node) bool {
		if x == nil {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if top.deeper {
				level--
			}
			if top.counted {
				parents = parents[:len(parents)-1]
			}
			return true
		}
		if _, paren := x.(*ast.ParenExpr); paren {
			stack = append(stack, open{})
			return true
		}
		nodes++
		deeper := !(isBinary(x) && len(parents) > 0 && isBinary(parents[len(parents)-1]))
		if deeper {
			level++
			depth = max(depth, level)
		}
		stack = append(stack, open{deeper: deeper, counted: true})
		parents = append(parents, x)
		return true
	})
	return nodes, depth
}

func isBinary(n ast.Node) bool {
	_, ok := n.(*ast.BinaryExpr)
	return ok
}
