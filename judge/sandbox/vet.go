package sandbox

import (
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// allowedImports is the import allow-list of a submission (DESIGN.md, "Code submissions").
var allowedImports = [...]string{"math", "fmt", "sort", "errors", "strings", "strconv", "slices"}

// bannedFmt lists the fmt functions that read standard input. Stdin carries the per-run nonce
// and the test cases, and belongs to the harness: a solution that could read it could forge
// result frames.
var bannedFmt = map[string]bool{"Scan": true, "Scanf": true, "Scanln": true}

// AllowedImports returns the import paths a submission may use, in a new slice.
func AllowedImports() []string { return append([]string(nil), allowedImports[:]...) }

// Vetter checks student sources statically, before any build. It holds the type-checked
// allowed packages; it is safe for concurrent use. Make one with NewVetter.
type Vetter struct {
	limits   Limits
	packages map[string]*types.Package
}

// NewVetter type-checks the allowed standard packages from source (about half a second, once)
// and returns a Vetter that enforces l.SourceBytes; zero limits mean the defaults.
func NewVetter(l Limits) (*Vetter, error) {
	imp := importer.ForCompiler(token.NewFileSet(), "source", nil)
	v := &Vetter{limits: l.withDefaults(), packages: map[string]*types.Package{}}
	for _, path := range allowedImports {
		pkg, err := imp.Import(path)
		if err != nil {
			return nil, fmt.Errorf("sandbox: type-check standard package %s: %w", path, err)
		}
		v.packages[path] = pkg
	}
	return v, nil
}

// Vet checks one student source file and returns what is wrong with it, or nil if it may be
// built. It checks, in order: size and UTF-8; syntax; `package solution`; imports against the
// allow-list (so no cgo, unsafe, os, syscall, reflect or runtime); no compiler directives
// (`//go:`, `//line`, `// +build`); bounded constant strings; no generics and no exploding type
// declarations; bounded string data; types; no reads of stdin; bounded array sizes and total
// data (MaxStaticDataBytes); and that every function in want
// exists with the wanted type. Vet never panics:
// a failure of the checker itself is reported as a diagnostic.
func (v *Vetter) Vet(src []byte, want ...Signature) (diags []Diagnostic) {
	defer func() {
		if p := recover(); p != nil {
			diags = []Diagnostic{{Message: fmt.Sprintf("internal error while checking the file: %v", p)}}
		}
	}()
	return v.vet(src, want)
}

func (v *Vetter) vet(src []byte, want []Signature) []Diagnostic {
	if d := checkBytes(src, v.limits.SourceBytes); d != nil {
		return d
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, SourceFileName, src, parser.ParseComments)
	if err != nil {
		return parseDiagnostics(fset, err)
	}
	r := &report{fset: fset}
	checkPackageClause(r, f)
	checkDirectives(r, f)
	checkImports(r, f)
	bounder := newConstBounder(f)
	if !checkConstStrings(r, bounder) || !checkTypeDecls(r, f) || !checkDeclSizes(r, f) {
		return r.done()
	}
	strs := stringData(bounder, f)
	if !checkStaticData(r, slices.Clone(strs)) {
		return r.done()
	}
	pkg, info := v.typeCheck(r, fset, f)
	checkStdin(r, info)
	n := len(r.diags)
	checkSizes(r, f, info)
	if len(r.diags) == n { // a value too large alone is reported once
		checkStaticData(r, append(strs, literalData(f, info)...))
	}
	checkSignatures(r, f, pkg, want)
	return r.done()
}

// checkBytes rejects a source that is too large or not UTF-8, before parsing it.
func checkBytes(src []byte, limit int) []Diagnostic {
	if len(src) > limit {
		msg := fmt.Sprintf("the file is %d bytes; at most %d bytes are accepted", len(src), limit)
		return []Diagnostic{{Message: msg}}
	}
	if utf8.Valid(src) {
		return nil
	}
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		line, col = advance(line, col, r, n)
		i += n
	}
	return []Diagnostic{{Line: line, Col: col, Message: "the file is not valid UTF-8"}}
}

func advance(line, col int, r rune, n int) (int, int) {
	if r == '\n' {
		return line + 1, 1
	}
	return line, col + n
}

// parseDiagnostics reports the syntax errors of the one file in fset. The parser places them
// after any //line directive; they are placed again by their offset in the file itself.
func parseDiagnostics(fset *token.FileSet, err error) []Diagnostic {
	var list scanner.ErrorList
	if !errors.As(err, &list) {
		return []Diagnostic{{Message: err.Error()}}
	}
	var file *token.File
	fset.Iterate(func(f *token.File) bool { file = f; return false })
	r := &report{fset: fset}
	for _, e := range list {
		if file == nil || !e.Pos.IsValid() || e.Pos.Offset > file.Size() {
			r.addAt(e.Pos.Line, e.Pos.Column, e.Msg)
			continue
		}
		r.add(file.Pos(e.Pos.Offset), "%s", e.Msg)
	}
	return r.done()
}

func checkPackageClause(r *report, f *ast.File) {
	if f.Name.Name != "solution" {
		r.add(f.Name.Pos(), "the file must start with `package solution`, not `package %s`", f.Name.Name)
	}
}

// checkDirectives rejects every comment the toolchain would read as an instruction: //go:
// directives (linkname, embed, build, noescape, wasmimport, ...), //line, old-style // +build
// lines and cgo's //export.
func checkDirectives(r *report, f *ast.File) {
	for _, group := range f.Comments {
		for _, c := range group.List {
			if d := directive(c.Text); d != "" {
				r.add(c.Pos(), "compiler directive %s is not allowed", d)
			}
		}
	}
}

// directive returns the directive c starts with, or "" for an ordinary comment.
func directive(c string) string {
	switch {
	case strings.HasPrefix(c, "//go:"):
		name, _, _ := strings.Cut(c[2:], " ")
		return "//" + name
	case strings.HasPrefix(c, "//line ") || strings.HasPrefix(c, "/*line "):
		return "//line"
	case strings.HasPrefix(strings.TrimLeft(c[2:], " \t"), "+build"):
		return "// +build"
	case strings.HasPrefix(c, "//export ") || strings.HasPrefix(c, "//extern "):
		return strings.Fields(c)[0]
	}
	return ""
}

func checkImports(r *report, f *ast.File) {
	for _, spec := range f.Imports {
		path, err := strconv.Unquote(spec.Path.Value)
		switch {
		case err != nil:
			r.add(spec.Path.Pos(), "malformed import path %s", spec.Path.Value)
		case path == "C":
			r.add(spec.Path.Pos(), `import "C" (cgo) is not allowed`)
		case !isAllowedImport(path):
			r.add(spec.Path.Pos(), "import %q is not allowed; a solution may import only %s",
				path, strings.Join(allowedImports[:], ", "))
		}
	}
}

func isAllowedImport(path string) bool {
	for _, p := range allowedImports {
		if p == path {
			return true
		}
	}
	return false
}

// typeCheck type-checks f against the allowed packages and reports type errors; an import
// outside the allow-list fails quietly, since checkImports has reported it.
func (v *Vetter) typeCheck(r *report, fset *token.FileSet, f *ast.File) (*types.Package, *types.Info) {
	conf := types.Config{
		GoVersion: "go1.26",
		Importer:  importerFunc(v.importPackage),
		Sizes:     types.SizesFor("gc", "wasm"),
		Error: func(err error) {
			var te types.Error
			if errors.As(err, &te) && !strings.Contains(te.Msg, "could not import") {
				r.add(te.Pos, "%s", te.Msg)
			}
		},
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{},
		Uses:  map[*ast.Ident]types.Object{},
	}
	pkg, _ := conf.Check("solution", fset, []*ast.File{f}, info)
	return pkg, info
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func (v *Vetter) importPackage(path string) (*types.Package, error) {
	if pkg, ok := v.packages[path]; ok {
		return pkg, nil
	}
	return nil, fmt.Errorf("import %q is not allowed", path)
}

// checkStdin rejects the fmt functions that read standard input.
func checkStdin(r *report, info *types.Info) {
	for id, obj := range info.Uses {
		if obj.Pkg() != nil && obj.Pkg().Path() == "fmt" && bannedFmt[obj.Name()] {
			r.add(id.Pos(), "fmt.%s reads standard input, which belongs to the judge; "+
				"your function receives its inputs as parameters", obj.Name())
		}
	}
}
