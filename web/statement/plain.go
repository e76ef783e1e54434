package statement

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// symbols are the TeX commands a plain reading writes as one character or word.
var symbols = map[string]string{
	"partial": "∂", "cdot": "·", "times": "×", "odot": "⊙", "top": "ᵀ", "prime": "′", "to": "→",
	"rightarrow": "→", "leftarrow": "←", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠",
	"neq": "≠", "approx": "≈", "in": "∈", "sum": "Σ", "prod": "Π", "infty": "∞", "pm": "±",
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "epsilon": "ε", "varepsilon": "ε",
	"eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "nabla": "∇", "pi": "π", "sigma": "σ", "tau": "τ",
	"phi": "φ", "ldots": "…", "dots": "…", "cdots": "⋯", "max": "max", "min": "min", "log": "log",
	"exp": "exp", "tanh": "tanh", "quad": "  ", "qquad": "   ", ",": " ", ";": " ", ":": " ", "!": "",
	"{": "{", "}": "}", "$": "$", "%": "%", "_": "_", "&": "&", " ": " ", "lvert": "|", "rvert": "|",
	"mid": "|", "lbrace": "{", "rbrace": "}", "langle": "⟨", "rangle": "⟩",
}

// relations are the symbols a plain reading sets between spaces.
var relations = map[string]bool{"to": true, "rightarrow": true, "leftarrow": true, "le": true, "leq": true,
	"ge": true, "geq": true, "ne": true, "neq": true, "approx": true, "in": true, "times": true, "pm": true}

// prefixes are the symbols a plain reading joins to what follows.
var prefixes = map[string]bool{"partial": true, "nabla": true, "Delta": true, "sqrt": true}

// wrappers are commands whose one argument is read as it is.
var wrappers = map[string]bool{"operatorname": true, "mathrm": true, "text": true, "textrm": true,
	"mathbf": true, "boldsymbol": true, "mathit": true, "mathsf": true, "mathtt": true, "bm": true}

// ignored are commands a plain reading drops, with no argument (\left, \right, sizes).
var ignored = map[string]bool{"left": true, "right": true, "big": true, "Big": true, "bigl": true,
	"bigr": true, "Bigl": true, "Bigr": true, "displaystyle": true, "limits": true, "nonumber": true}

var superscript = strings.NewReplacer("0", "⁰", "1", "¹", "2", "²", "3", "³", "4", "⁴", "5", "⁵",
	"6", "⁶", "7", "⁷", "8", "⁸", "9", "⁹", "+", "⁺", "−", "⁻", "-", "⁻", "n", "ⁿ", "i", "ⁱ", "T", "ᵀ", "ᵀ", "ᵀ", "′", "′")

var subscript = strings.NewReplacer("0", "₀", "1", "₁", "2", "₂", "3", "₃", "4", "₄", "5", "₅",
	"6", "₆", "7", "₇", "8", "₈", "9", "₉", "+", "₊", "−", "₋", "-", "₋", "i", "ᵢ", "j", "ⱼ", "k", "ₖ", "n", "ₙ", "t", "ₜ")

// Plain reads TeX as plain text for readers without JavaScript: \frac{a}{b} as a/b, \partial as
// ∂, \cdot as ·, small superscripts and subscripts as such, \hat{y} as ŷ, rows of an aligned
// display (\\) as lines, and the rest of the markup dropped. It covers the TeX the catalog uses;
// anything else comes out close to its source.
func Plain(tex string) string {
	p := &plain{src: tex}
	out := p.until(0)
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		l = strings.Join(strings.Fields(l), " ")
		l = strings.ReplaceAll(strings.ReplaceAll(l, " ·", "·"), "· ", "·")
		if l != "" {
			lines = append(lines, l)
		}
	}
	return norm.NFC.String(strings.Join(lines, "\n"))
}

type plain struct {
	src string
	i   int
}

// until reads up to an unmatched closing brace (depth > 0) or the end.
func (p *plain) until(depth int) string {
	var b strings.Builder
	for p.i < len(p.src) {
		c := p.src[p.i]
		switch c {
		case '}':
			p.i++
			if depth > 0 {
				return b.String()
			}
		case '{':
			p.i++
			b.WriteString(p.until(depth + 1))
		case '\\':
			b.WriteString(p.command())
		case '^', '_':
			p.i++
			b.WriteString(p.script(c))
		case '&':
			p.i++
		case '-':
			p.i++
			b.WriteString("−")
		case '\'':
			p.i++
			b.WriteString("′")
		case '~', '\n', '\t':
			p.i++
			b.WriteString(" ")
		default:
			r, size := utf8.DecodeRuneInString(p.src[p.i:])
			p.i += size
			b.WriteRune(r)
		}
	}
	return b.String()
}

// arg reads one argument: a braced group or a single character or command.
func (p *plain) arg() string {
	for p.i < len(p.src) && p.src[p.i] == ' ' {
		p.i++
	}
	if p.i >= len(p.src) {
		return ""
	}
	switch p.src[p.i] {
	case '{':
		p.i++
		return p.until(1)
	case '\\':
		return p.command()
	}
	r, size := utf8.DecodeRuneInString(p.src[p.i:])
	p.i += size
	if r == '-' {
		return "−"
	}
	return string(r)
}

func (p *plain) command() string {
	p.i++ // the backslash
	start := p.i
	for p.i < len(p.src) && isLetter(p.src[p.i]) {
		p.i++
	}
	if p.i == start && p.i < len(p.src) { // a one-character command: \, \\ \{
		p.i++
	}
	name := p.src[start:p.i]
	if prefixes[name] {
		for p.i < len(p.src) && p.src[p.i] == ' ' { // ∂L, not ∂ L
			p.i++
		}
	}
	switch {
	case name == "\\":
		return "\n"
	case name == "frac" || name == "dfrac" || name == "tfrac":
		return fraction(p.arg(), p.arg())
	case name == "hat" || name == "widehat":
		return p.arg() + "\u0302"
	case name == "bar" || name == "overline":
		return p.arg() + "\u0304"
	case name == "sqrt":
		return "√(" + p.arg() + ")"
	case name == "begin" || name == "end":
		p.arg()
		return ""
	case wrappers[name]:
		return p.arg()
	case ignored[name]:
		return ""
	}
	if s, ok := symbols[name]; ok {
		if relations[name] {
			return " " + s + " "
		}
		return s
	}
	return name
}

// script writes a superscript or subscript with Unicode characters when it has them all, else as
// ^(…) or _….
func (p *plain) script(kind byte) string {
	a := p.arg()
	r := superscript
	if kind == '_' {
		r = subscript
	}
	if s := r.Replace(a); !hasPlain(s) {
		return s
	}
	if kind == '_' {
		return "_" + a
	}
	if utf8.RuneCountInString(a) > 1 {
		return "^(" + a + ")"
	}
	return "^" + a
}

// hasPlain reports whether s still holds a letter or digit that was not turned into a script
// character.
func hasPlain(s string) bool {
	for _, r := range s {
		if r < 128 && (isLetter(byte(r)) || (r >= '0' && r <= '9')) {
			return true
		}
	}
	return false
}

func fraction(num, den string) string {
	return group(num) + "/" + group(den)
}

// group puts a fraction's part in parentheses when it is more than one term.
func group(s string) string {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, " +−") {
		return "(" + s + ")"
	}
	return s
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
