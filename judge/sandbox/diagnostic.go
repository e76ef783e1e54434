package sandbox

import (
	"cmp"
	"fmt"
	"go/token"
	"slices"
)

// SourceFileName is the name the student's file has in every message they see, and in the
// build: diagnostics, compiler output and panic traces all point at it.
const SourceFileName = "solution.go"

// Diagnostic is one static finding in the student's file, written for the student. Line and Col
// are 1-based (Col counts bytes); a zero Line means the finding is about the whole file.
type Diagnostic struct {
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
}

// String formats d as the compiler does: "solution.go:3:5: message".
func (d Diagnostic) String() string {
	if d.Line <= 0 {
		return SourceFileName + ": " + d.Message
	}
	return fmt.Sprintf("%s:%d:%d: %s", SourceFileName, d.Line, d.Col, d.Message)
}

// report collects diagnostics for one file.
type report struct {
	fset  *token.FileSet
	diags []Diagnostic
}

// add reports a finding at pos, in lines and columns of the file itself: a //line directive
// (which Vet rejects) must not make a message point elsewhere.
func (r *report) add(pos token.Pos, format string, args ...any) {
	p := r.fset.PositionFor(pos, false)
	r.addAt(p.Line, p.Column, fmt.Sprintf(format, args...))
}

func (r *report) addAt(line, col int, msg string) {
	r.diags = append(r.diags, Diagnostic{Line: line, Col: col, Message: truncate(msg, maxMessageBytes)})
}

func (r *report) empty() bool { return len(r.diags) == 0 }

// done returns the diagnostics sorted by position, without duplicates, at most MaxDiagnostics.
func (r *report) done() []Diagnostic {
	slices.SortStableFunc(r.diags, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	d := slices.Compact(r.diags)
	if len(d) > MaxDiagnostics {
		d = d[:MaxDiagnostics]
	}
	return d
}
