package graphsvg

import (
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"gradjudge/autograd"
	"gradjudge/exercises"
)

// Limits of what a node shows.
const (
	maxVectorShown = 6  // a longer vector is shown by its length
	maxRowsShown   = 4  // a matrix with more rows is shown by its shape
	maxInlineExpr  = 26 // a longer "name = expression" is split over two lines, in characters
)

// Operator precedences of the graph language, lowest first; names and constants bind tightest.
const (
	precSum = iota + 1
	precProduct
	precNeg
	precPower
	precAtom
)

var subscripts = strings.NewReplacer("0", "₀", "1", "₁", "2", "₂", "3", "₃", "4", "₄",
	"5", "₅", "6", "₆", "7", "₇", "8", "₈", "9", "₉")

// DisplayName is how a picture writes a graph name: trailing digits as subscripts (w1 → w₁) and a
// "hat" suffix as a circumflex (yhat → ŷ), as the exercises' labels write them.
func DisplayName(name string) string {
	base := strings.TrimRight(name, "0123456789")
	digits := name[len(base):]
	if base == "" {
		return name
	}
	if strings.HasSuffix(base, "hat") && len(base) > 3 {
		base = withHat(base[:len(base)-3])
	}
	return base + subscripts.Replace(digits)
}

// withHat puts a circumflex on base, precomposed where Unicode has the letter (ŷ), since fonts
// draw those better than a combining mark.
func withHat(base string) string {
	return norm.NFC.String(base + "\u0302")
}

// exprString writes a statement's right-hand side for people: · for *, − for -, small integer
// powers as superscripts, and only the parentheses the precedence needs.
func exprString(t autograd.Term) string {
	s, _ := exprPrec(t)
	return s
}

func exprPrec(t autograd.Term) (string, int) {
	switch {
	case t.Name != "":
		return DisplayName(t.Name), precAtom
	case t.Op == "":
		return number(t.Const), precAtom
	case t.Op == "neg":
		arg, p := exprPrec(t.Args[0])
		return "−" + paren(arg, p <= precNeg), precNeg
	case len(t.Args) == 1 || t.Op == "max" || t.Op == "min":
		args := make([]string, len(t.Args))
		for i, a := range t.Args {
			args[i] = exprString(a)
		}
		return t.Op + "(" + strings.Join(args, ", ") + ")", precAtom
	}
	return binaryString(t)
}

func binaryString(t autograd.Term) (string, int) {
	l, lp := exprPrec(t.Args[0])
	r, rp := exprPrec(t.Args[1])
	switch t.Op {
	case "^":
		if sup, ok := superscript(t.Args[1]); ok {
			return paren(l, lp <= precPower) + sup, precPower
		}
		return paren(l, lp <= precPower) + "^" + paren(r, rp < precPower), precPower
	case "+", "-":
		return paren(l, lp < precSum) + " " + opSymbol(t.Op) + " " + paren(r, rp <= precSum), precSum
	}
	return paren(l, lp < precProduct) + opSymbol(t.Op) + paren(r, rp <= precProduct), precProduct
}

func opSymbol(op string) string {
	switch op {
	case "*":
		return "·"
	case "-":
		return "−"
	case "@":
		return " @ "
	}
	return op
}

// superscript writes a whole exponent from 2 to 9 as a superscript digit.
func superscript(t autograd.Term) (string, bool) {
	if t.Op != "" || t.Name != "" || t.Const != float64(int(t.Const)) || t.Const < 2 || t.Const > 9 {
		return "", false
	}
	return string([]rune("⁰¹²³⁴⁵⁶⁷⁸⁹")[int(t.Const)]), true
}

func paren(s string, need bool) string {
	if need {
		return "(" + s + ")"
	}
	return s
}

// number writes one number as students see it elsewhere, with a true minus sign.
func number(v float64) string {
	return strings.Replace(exercises.FormatNumber(v), "-", "−", 1)
}

// valueLines writes a tensor in at most maxRowsShown lines: a number, a short vector, a small
// matrix row by row, or else its shape.
func valueLines(t autograd.Tensor) []string {
	switch {
	case t.Rank() == 0:
		return []string{number(t.Item())}
	case t.Rank() == 1 && len(t.Data) <= maxVectorShown:
		return []string{row(t.Data)}
	case t.Rank() == 1:
		return []string{"vector of " + strconv.Itoa(len(t.Data))}
	case t.Shape[0] <= maxRowsShown && t.Shape[1] <= maxVectorShown:
		lines := make([]string, t.Shape[0])
		for i := range lines {
			lines[i] = row(t.Data[i*t.Shape[1] : (i+1)*t.Shape[1]])
		}
		return lines
	}
	return []string{strconv.Itoa(t.Shape[0]) + "×" + strconv.Itoa(t.Shape[1]) + " matrix"}
}

func row(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = number(x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// oneLine writes a tensor on one line: a number, a short vector, or its shape.
func oneLine(t autograd.Tensor) string {
	if lines := valueLines(t); len(lines) == 1 {
		return lines[0]
	}
	return strconv.Itoa(t.Shape[0]) + "×" + strconv.Itoa(t.Shape[1]) + " matrix"
}

// partial writes ∂a/∂b with display names.
func partial(a, b string) string {
	return "∂" + DisplayName(a) + "/∂" + DisplayName(b)
}
