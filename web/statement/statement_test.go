package statement

import (
	"strings"
	"testing"

	"gradjudge/exercises"
)

func TestPlain(t *testing.T) {
	for _, tc := range []struct{ tex, want string }{
		{`\frac{\partial L}{\partial w}`, "∂L/∂w"},
		{`\partial L/\partial w_2`, "∂L/∂w₂"},
		{`\operatorname{relu}'(z)`, "relu′(z)"},
		{`W \cdot x + b`, "W·x + b"},
		{`W\mathbf{x} + \mathbf{b}`, "Wx + b"},
		{`L = (y - a)^2`, "L = (y − a)²"},
		{`\hat{y} = w_2 r + b_2`, "ŷ = w₂ r + b₂"},
		{`w \leftarrow w - \eta \frac{\partial L}{\partial w}`, "w ← w − η ∂L/∂w"},
		{`\sigma'(z) = \sigma(z)(1 - \sigma(z)) \le 0.25`, "σ′(z) = σ(z)(1 − σ(z)) ≤ 0.25"},
		{`\frac{1}{N}\sum_{i} (y_i - t_i)^2`, "1/NΣᵢ (yᵢ − tᵢ)²"},
		{`W^\top g`, "Wᵀ g"},
		{`e^{x+1}`, "e^(x+1)"},
		{"\\begin{aligned} z &= w x + b \\\\ a &= \\operatorname{ReLU}(z) \\end{aligned}", "z = w x + b\na = ReLU(z)"},
		{`\text{if } z > 0`, "if z > 0"},
	} {
		if got := Plain(tc.tex); got != tc.want {
			t.Errorf("Plain(%q) = %q, want %q", tc.tex, got, tc.want)
		}
	}
}

func TestRender(t *testing.T) {
	r := New()
	for _, tc := range []struct {
		name, md, want string
	}{
		{"inline math keeps its TeX from Markdown", `The gradient $\frac{\partial L}{\partial w_1}$ and *emphasis*.`,
			`<p>The gradient <span class="math-inline" data-tex="\frac{\partial L}{\partial w_1}">∂L/∂w₁</span> and <em>emphasis</em>.</p>` + "\n"},
		{"underscores and stars inside math are not emphasis", `$a_1 * b_1$ and $c_2 * d_2$`,
			`<p><span class="math-inline" data-tex="a_1 * b_1">a₁ * b₁</span> and <span class="math-inline" data-tex="c_2 * d_2">c₂ * d₂</span></p>` + "\n"},
		{"dollars that are prices stay text", `It costs $5 and $6.`, "<p>It costs $5 and $6.</p>\n"},
		{"an escaped dollar stays text", `\$x$`, "<p>$x$</p>\n"},
		{"code spans win", "`$x$`", "<p><code>$x$</code></p>\n"},
		{"display on one line in a paragraph", `so $$L = (y - a)^2$$ holds`,
			`<p>so <span class="math-display" data-tex="L = (y - a)^2">L = (y − a)²</span> holds</p>` + "\n"},
		{"display block over lines", "The neuron:\n\n$$\n\\begin{aligned}\nz &= w x + b \\\\\na &= \\operatorname{ReLU}(z)\n\\end{aligned}\n$$\n\nthen more.",
			"<p>The neuron:</p>\n<div class=\"math-display\" data-tex=\"\\begin{aligned}\nz &amp;= w x + b \\\\\na &amp;= \\operatorname{ReLU}(z)\n\\end{aligned}\">z = w x + b<br>a = ReLU(z)</div>\n<p>then more.</p>\n"},
		{"a display interrupts a paragraph", "Compute\n$$x^2$$\nnow",
			"<p>Compute</p>\n<div class=\"math-display\" data-tex=\"x^2\">x²</div>\n<p>now</p>\n"},
		{"raw HTML is not passed through", `<script>alert(1)</script> and $<b>$`,
			"<!-- raw HTML omitted -->\n"},
		{"TeX is escaped in the attribute and the text", `$a<b$`,
			`<p><span class="math-inline" data-tex="a&lt;b">a&lt;b</span></p>` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.Render(tc.md)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("Render(%q) =\n%s\nwant\n%s", tc.md, got, tc.want)
			}
		})
	}
}

// TestRenderUnclosed: a formula that is never closed is text, and a display block that is never
// closed runs to the end; neither fails.
func TestRenderUnclosed(t *testing.T) {
	r := New()
	for _, md := range []string{"$x", "$$\nx", "a $ b", "$$", "$ $", "$$$$"} {
		if _, err := r.Render(md); err != nil {
			t.Errorf("Render(%q): %v", md, err)
		}
	}
	got, _ := r.Render("$x")
	if !strings.Contains(string(got), "$x") {
		t.Errorf("an unclosed $x became %s", got)
	}
}

func TestRenderInline(t *testing.T) {
	r := New()
	for md, want := range map[string]string{
		`Only $\partial h/\partial w_1 = x$.`: `Only <span class="math-inline" data-tex="\partial h/\partial w_1 = x">∂h/∂w₁ = x</span>.`,
		"one\n\ntwo":                          "<p>one</p>\n<p>two</p>\n",
		"":                                    "",
	} {
		got, err := r.RenderInline(md)
		if err != nil || string(got) != want {
			t.Errorf("RenderInline(%q) = %q, %v; want %q", md, got, err, want)
		}
	}
}

// BenchmarkRender renders the longest catalog statement: what an exercise page pays for its text.
func BenchmarkRender(b *testing.B) {
	cat, err := exercises.Load()
	if err != nil {
		b.Fatal(err)
	}
	longest := ""
	for _, e := range cat.Exercises() {
		if v, err := cat.Variant(e.ID, 1); err == nil && len(v.Statement) > len(longest) {
			longest = v.Statement
		}
	}
	r := New()
	for b.Loop() {
		if _, err := r.Render(longest); err != nil {
			b.Fatal(err)
		}
	}
}
