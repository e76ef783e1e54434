package statement

import (
	"regexp"
	"strings"
	"testing"

	"gradjudge/exercises"
)

var (
	mathElement = regexp.MustCompile(`<(span|div) class="math-(inline|display)" data-tex="[^"]*">(.*?)</(span|div)>`)
	leftoverTeX = regexp.MustCompile(`\\[a-zA-Z]+|[{}]|\^[^(]|\$`) // e^(−z) is a plain reading
)

// TestCatalogStatements renders every catalog statement and choice option (seed 1): every formula is found (no
// dollar sign is left in the text), and the plain reading a browser without JavaScript shows has
// no TeX left in it.
func TestCatalogStatements(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	r := New()
	formulas := 0
	for _, e := range cat.Exercises() {
		v, err := cat.Variant(e.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		html, err := r.Render(v.Statement)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range v.Options {
			opt, err := r.RenderInline(o.Text)
			if err != nil {
				t.Fatal(err)
			}
			html += opt
		}
		rest := mathElement.ReplaceAllStringFunc(string(html), func(m string) string {
			formulas++
			if plain := mathElement.FindStringSubmatch(m)[3]; leftoverTeX.MatchString(plain) {
				t.Errorf("%s: the plain reading %q still holds TeX", e.ID, plain)
			}
			return ""
		})
		if strings.Contains(rest, "$") {
			t.Errorf("%s: a dollar sign is left outside the formulas:\n%s", e.ID, rest)
		}
	}
	if formulas < 60 {
		t.Errorf("the catalog's statements hold %d formulas; the conversion to TeX has been lost", formulas)
	}
}
