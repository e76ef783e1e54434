package statement

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Parser priorities: math is read before emphasis and links (lower runs first), after code spans,
// so that `$x$` in backquotes stays code.
const (
	inlineMathPriority = 150
	blockMathPriority  = 90
)

// Renderer turns statements into HTML. It is safe for concurrent use; build it with New.
type Renderer struct {
	md goldmark.Markdown
}

// New returns a Renderer: CommonMark plus math, raw HTML escaped.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithParserOptions(
			parser.WithInlineParsers(util.Prioritized(inlineMath{}, inlineMathPriority)),
			parser.WithBlockParsers(util.Prioritized(blockMath{}, blockMathPriority)),
		),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(mathRenderer{}, 100))),
	)
	return &Renderer{md: md}
}

// Render converts one statement (with its variant's numbers already filled in) to HTML.
func (r *Renderer) Render(markdown string) (template.HTML, error) {
	var b bytes.Buffer
	if err := r.md.Convert([]byte(markdown), &b); err != nil {
		return "", fmt.Errorf("statement: render: %w", err)
	}
	return template.HTML(b.String()), nil
}

// RenderInline converts one line of Markdown, such as a choice's option, to HTML without the
// paragraph around it; text of several paragraphs keeps them.
func (r *Renderer) RenderInline(markdown string) (template.HTML, error) {
	out, err := r.Render(markdown)
	if err != nil {
		return "", err
	}
	s := strings.TrimSuffix(string(out), "\n")
	if inner, ok := strings.CutPrefix(s, "<p>"); ok && strings.HasSuffix(inner, "</p>") && !strings.Contains(inner, "<p>") {
		return template.HTML(strings.TrimSuffix(inner, "</p>")), nil
	}
	return out, nil
}

// mathRenderer writes Math and MathBlock nodes.
type mathRenderer struct{}

func (mathRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindMath, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			m := n.(*Math)
			class := "math-inline"
			if m.Display {
				class = "math-display"
			}
			writeMath(w, "span", class, m.TeX)
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(KindMathBlock, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			writeMath(w, "div", "math-display", n.(*MathBlock).TeX)
			w.WriteString("\n")
		}
		return ast.WalkSkipChildren, nil
	})
}

// writeMath writes a formula's element: its TeX in data-tex, its plain reading as the content,
// one line per row of a multi-line display.
func writeMath(w util.BufWriter, tag, class string, tex []byte) {
	lines := strings.Split(Plain(string(tex)), "\n")
	for i, l := range lines {
		lines[i] = html.EscapeString(l)
	}
	fmt.Fprintf(w, `<%s class="%s" data-tex="%s">%s</%s>`, tag, class, html.EscapeString(string(tex)), strings.Join(lines, "<br>"), tag)
}
