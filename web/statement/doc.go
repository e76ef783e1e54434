// Package statement renders exercise statements, Markdown with TeX math, to HTML on the server
// with goldmark (the only package that imports it).
//
// Math is written $…$ inline and $$…$$ for a display (on one line, or from a line starting with
// $$ to a line ending with $$). Markdown never touches what is inside: each formula becomes an
// element with class math-inline or math-display whose data-tex attribute holds the TeX for the
// typesetter (web/static/js/math.js, KaTeX) and whose text is a plain reading of the formula
// (∂L/∂w, relu′(z), W·x + b) for readers without JavaScript. Raw HTML in a statement is not
// passed through.
package statement
