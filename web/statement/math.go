package statement

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Math is a formula: inline ($…$) or displayed ($$…$$), with its TeX.
type Math struct {
	ast.BaseInline
	TeX     []byte
	Display bool
}

// KindMath is the kind of Math nodes.
var KindMath = ast.NewNodeKind("Math")

// Kind implements ast.Node.
func (n *Math) Kind() ast.NodeKind { return KindMath }

// Dump implements ast.Node.
func (n *Math) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"TeX": string(n.TeX)}, nil)
}

// MathBlock is a displayed formula that stands as its own block, between lines with $$.
type MathBlock struct {
	ast.BaseBlock
	TeX    []byte
	closed bool // the closing $$ has been read
}

// KindMathBlock is the kind of MathBlock nodes.
var KindMathBlock = ast.NewNodeKind("MathBlock")

// Kind implements ast.Node.
func (n *MathBlock) Kind() ast.NodeKind { return KindMathBlock }

// IsRaw implements ast.Node: its lines are TeX, not Markdown.
func (n *MathBlock) IsRaw() bool { return true }

// Dump implements ast.Node.
func (n *MathBlock) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"TeX": string(n.TeX)}, nil)
}

// inlineMath parses $…$ and $$…$$ within a line. A single-dollar formula starts with a non-space,
// ends with a non-space and is not followed by a digit, so that "costs $5 and $6" stays text.
type inlineMath struct{}

func (inlineMath) Trigger() []byte { return []byte{'$'} }

func (inlineMath) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if bytes.HasPrefix(line, []byte("$$")) {
		end := closing(line[2:], "$$")
		if end <= 0 {
			return nil
		}
		block.Advance(2 + end + 2)
		return &Math{TeX: bytes.TrimSpace(bytes.Clone(line[2 : 2+end])), Display: true}
	}
	end := closing(line[1:], "$")
	if end <= 0 {
		return nil
	}
	tex := line[1 : 1+end]
	after := 1 + end + 1
	if isSpace(tex[0]) || isSpace(tex[len(tex)-1]) || (after < len(line) && line[after] >= '0' && line[after] <= '9') {
		return nil
	}
	block.Advance(after)
	return &Math{TeX: bytes.Clone(tex)}
}

// closing returns the index in s of the delimiter that closes a formula, skipping \$, or -1.
func closing(s []byte, delim string) int {
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++
		case bytes.HasPrefix(s[i:], []byte(delim)):
			return i
		case s[i] == '\n':
			return -1
		}
	}
	return -1
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// blockMath parses a display that starts a line with $$ and runs to a line ending with $$.
type blockMath struct{}

func (blockMath) Trigger() []byte { return []byte{'$'} }

func (blockMath) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, _ := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || !bytes.HasPrefix(line[pos:], []byte("$$")) {
		return nil, parser.NoChildren
	}
	node := &MathBlock{}
	rest := bytes.TrimSpace(line[pos+2:])
	if end := bytes.LastIndex(rest, []byte("$$")); end >= 0 {
		if end+2 != len(rest) {
			return nil, parser.NoChildren // "$$a$$ and more": inline math in a paragraph
		}
		rest, node.closed = rest[:end], true
	}
	node.TeX = append(node.TeX, rest...)
	reader.AdvanceToEOL()
	return node, parser.NoChildren
}

func (blockMath) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	n := node.(*MathBlock)
	if n.closed {
		return parser.Close
	}
	line, _ := reader.PeekLine()
	trimmed := bytes.TrimSpace(line)
	if end, ok := bytes.CutSuffix(trimmed, []byte("$$")); ok {
		n.TeX = appendLine(n.TeX, end)
		n.closed = true
		reader.AdvanceToEOL()
		return parser.Close
	}
	n.TeX = appendLine(n.TeX, trimmed)
	reader.AdvanceToEOL()
	return parser.Continue | parser.NoChildren
}

func appendLine(tex, line []byte) []byte {
	if len(tex) > 0 && len(line) > 0 {
		tex = append(tex, '\n')
	}
	return append(tex, line...)
}

func (blockMath) Close(node ast.Node, reader text.Reader, pc parser.Context) {}

func (blockMath) CanInterruptParagraph() bool { return true }

func (blockMath) CanAcceptIndentedLine() bool { return false }
