package exercises

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"gradjudge"
)

// Concept is one concept of the course, as exercises and misconceptions name it.
type Concept struct {
	ID    string `toml:"id" json:"id"`
	Title string `toml:"title" json:"title"`
}

// misconceptionFile is misconceptions.toml: the concepts, then every misconception tag.
type misconceptionFile struct {
	Concepts       []Concept                 `toml:"concept"`
	Misconceptions []gradjudge.Misconception `toml:"misconception"`
}

func parseMisconceptions(data []byte) (misconceptionFile, error) {
	var f misconceptionFile
	if err := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields().Decode(&f); err != nil {
		err = tomlDetail(err)
		return f, &lineError{line: max(tomlRow(err), 1), err: err}
	}
	concepts := map[string]bool{}
	for _, c := range f.Concepts {
		if !idPattern.MatchString(c.ID) || c.Title == "" || concepts[c.ID] {
			return f, &lineError{line: lineOf(data, `"`+c.ID+`"`),
				err: fmt.Errorf("concept %q: needs a unique id of lower-case words and a title", c.ID)}
		}
		concepts[c.ID] = true
	}
	seen := map[string]bool{}
	for _, m := range f.Misconceptions {
		if err := checkMisconception(m, concepts, seen); err != nil {
			return f, &lineError{line: lineOf(data, `"`+m.Tag+`"`), err: err}
		}
	}
	return f, nil
}

func checkMisconception(m gradjudge.Misconception, concepts, seen map[string]bool) error {
	sentences := strings.Count(m.Explanation, ". ") + 1
	switch {
	case !idPattern.MatchString(m.Tag) || seen[m.Tag]:
		return fmt.Errorf("misconception %q: needs a unique tag of lower-case words", m.Tag)
	case m.Title == "":
		return fmt.Errorf("misconception %s: the title is missing", m.Tag)
	case !concepts[m.Concept]:
		return fmt.Errorf("misconception %s: concept %q is not a listed concept", m.Tag, m.Concept)
	case sentences < 2 || sentences > 3 || !strings.HasSuffix(m.Explanation, "."):
		return fmt.Errorf("misconception %s: the explanation should be two or three sentences", m.Tag)
	}
	seen[m.Tag] = true
	return nil
}

// lineOf is the line (from 1) of the last line of data that contains text: the last, because a
// duplicate is the later one. 1 when none does.
func lineOf(data []byte, text string) int {
	line := 1
	for i, l := range splitLines(data) {
		if strings.Contains(l, text) {
			line = i + 1
		}
	}
	return line
}

func (f misconceptionFile) vocabulary() vocabulary {
	v := vocabulary{concepts: map[string]bool{}, tags: map[string]bool{}}
	for _, c := range f.Concepts {
		v.concepts[c.ID] = true
	}
	for _, m := range f.Misconceptions {
		v.tags[m.Tag] = true
	}
	return v
}
