package autograd

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

type tokenKind int

const (
	tokEOF tokenKind = iota
	tokNewline
	tokNumber
	tokIdent
	tokOp // one of + - * / @ ^ ( ) , = ;
)

type token struct {
	kind tokenKind
	text string
	num  float64
	pos  Pos
}

// lex splits src into tokens. Newlines and ';' both end a statement; '#' starts a comment that runs
// to the end of the line.
func lex(src string) ([]token, *Error) {
	var toks []token
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, w := utf8.DecodeRuneInString(src[i:])
		pos := Pos{line, col}
		switch {
		case r == utf8.RuneError && w == 1:
			return nil, errorf(KindSyntax, pos, "the program is not valid UTF-8 text")
		case r == '\n':
			toks = append(toks, token{kind: tokNewline, text: "\n", pos: pos})
			i, line, col = i+1, line+1, 1
			continue
		case r == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		case unicode.IsSpace(r):
			i, col = i+w, col+1
			continue
		case isDigit(src[i]) || (src[i] == '.' && i+1 < len(src) && isDigit(src[i+1])):
			n := scanNumber(src[i:])
			v, err := strconv.ParseFloat(src[i:i+n], 64)
			if err != nil {
				return nil, errorf(KindSyntax, pos, "`%s` is not a number the language can hold", src[i:i+n])
			}
			toks = append(toks, token{kind: tokNumber, text: src[i : i+n], num: v, pos: pos})
			i, col = i+n, col+n
			continue
		case r == '_' || unicode.IsLetter(r):
			n := scanIdent(src[i:])
			toks = append(toks, token{kind: tokIdent, text: src[i : i+n], pos: pos})
			i, col = i+n, col+utf8.RuneCountInString(src[i:i+n])
			continue
		}
		t, err := lexOp(src[i:], pos)
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		i, col = i+1, col+1
	}
	return append(toks, token{kind: tokEOF, pos: Pos{line, col}}), nil
}

func lexOp(s string, pos Pos) (token, *Error) {
	switch s[0] {
	case '*':
		if len(s) > 1 && s[1] == '*' {
			return token{}, errorf(KindSyntax, pos, "`**` is not an operator; write powers with `^`, as in `x^2`")
		}
		fallthrough
	case '+', '-', '/', '@', '^', '(', ')', ',', '=', ';':
		return token{kind: tokOp, text: s[:1], pos: pos}, nil
	}
	r, _ := utf8.DecodeRuneInString(s)
	return token{}, errorf(KindSyntax, pos, "unexpected character %q", r)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func scanNumber(s string) int {
	n := 0
	for n < len(s) && (isDigit(s[n]) || s[n] == '.') {
		n++
	}
	if n < len(s) && (s[n] == 'e' || s[n] == 'E') {
		m := n + 1
		if m < len(s) && (s[m] == '+' || s[m] == '-') {
			m++
		}
		if m < len(s) && isDigit(s[m]) {
			for m < len(s) && isDigit(s[m]) {
				m++
			}
			n = m
		}
	}
	return n
}

func scanIdent(s string) int {
	n := 0
	for n < len(s) {
		r, w := utf8.DecodeRuneInString(s[n:])
		if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		n += w
	}
	return n
}
