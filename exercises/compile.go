package exercises

import (
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"sort"

	"gradjudge"
	"gradjudge/autograd"
)

// defaultKinkMargin keeps every relu, abs, max and min argument at least this far from its kink.
const defaultKinkMargin = 0.1

var placeholder = regexp.MustCompile(`\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

// vocabulary is what an exercise may refer to: the known concepts and misconception tags.
type vocabulary struct {
	concepts map[string]bool
	tags     map[string]bool
}

// compile checks a decoded exercise file and builds the exercise; name is the file's base name
// without .md, which must equal the id.
func compile(f *file, name string, voc vocabulary) (*Exercise, error) {
	e := &Exercise{
		Exercise:  gradjudge.Exercise{ID: f.ID, Title: f.Title, Kind: gradjudge.ExerciseKind(f.Kind), Concepts: f.Concepts},
		Statement: f.statement, Reveal: f.Reveal, KinkMargin: defaultKinkMargin,
		Signature: f.Signature, Starter: f.Starter,
	}
	if err := checkHeader(f, name, voc); err != nil {
		return nil, err
	}
	h := fnv.New64a()
	h.Write([]byte(f.ID))
	e.stream = h.Sum64()
	if f.KinkMargin != nil {
		e.KinkMargin = *f.KinkMargin
	}
	switch e.Kind {
	case gradjudge.KindChoice:
		return e, compileChoice(e, f, voc)
	case gradjudge.KindNumeric, gradjudge.KindCode:
		return e, compileGraph(e, f, voc)
	}
	return nil, at(topKey("kind"), fmt.Errorf("kind %q: want numeric, choice or code", f.Kind))
}

func checkHeader(f *file, name string, voc vocabulary) error {
	switch {
	case !idPattern.MatchString(f.ID):
		return at(topKey("id"), fmt.Errorf("id %q: use lower-case words joined by hyphens", f.ID))
	case f.ID != name:
		return at(topKey("id"), fmt.Errorf("id %q differs from the file name %s.md", f.ID, name))
	case f.Title == "":
		return at(topKey("title"), errors.New("title is missing"))
	case len(f.Concepts) == 0:
		return at(topKey("concepts"), errors.New("concepts: name at least one"))
	case f.statement == "":
		return at(inStatement(""), errors.New("the statement (the Markdown after the front matter) is empty"))
	}
	for _, c := range f.Concepts {
		if !voc.concepts[c] {
			return at(topKey("concepts"), fmt.Errorf("concept %q is not in the concept list of the misconception catalog", c))
		}
	}
	return nil
}

func compileChoice(e *Exercise, f *file, voc vocabulary) error {
	if f.Graph != "" || len(f.Ask) > 0 || len(f.Bug) > 0 || len(f.Params) > 0 {
		return errors.New("a choice exercise has options only: no graph, params, ask or bug")
	}
	correct := 0
	for i, o := range f.Option {
		switch {
		case !idPattern.MatchString(o.ID) || o.Text == "":
			return at(arrayItem("option", i, ""), fmt.Errorf("option %q: needs an id of lower-case words and a text", o.ID))
		case slices.ContainsFunc(e.Options, func(p Option) bool { return p.ID == o.ID }):
			return at(arrayItem("option", i, "id"), fmt.Errorf("option %q appears twice", o.ID))
		case o.Tag == "correct":
			correct++
		case !voc.tags[o.Tag]:
			return at(arrayItem("option", i, "tag"), fmt.Errorf("option %q: tag %q is neither \"correct\" nor a misconception tag", o.ID, o.Tag))
		}
		opt := Option{ID: o.ID, Text: o.Text, Correct: o.Tag == "correct", Tag: o.Tag}
		if opt.Correct {
			opt.Tag = ""
		}
		e.Options = append(e.Options, opt)
	}
	if correct != 1 || len(e.Options) < 2 {
		return fmt.Errorf("a choice exercise needs at least two options and exactly one correct; got %d options, %d correct",
			len(e.Options), correct)
	}
	return checkPlaceholders(e)
}

func compileGraph(e *Exercise, f *file, voc vocabulary) error {
	if len(f.Option) > 0 {
		return errors.New("options belong to choice exercises")
	}
	g, err := autograd.Parse(f.Graph)
	if err != nil {
		w := topKey("graph")
		var ae *autograd.Error
		if errors.As(err, &ae) {
			w.line = ae.Pos.Line
		}
		return at(w, fmt.Errorf("graph: %w", err))
	}
	e.Graph = g
	if err := compileParams(e, f); err != nil {
		return err
	}
	if e.Kind == gradjudge.KindCode {
		if f.Signature == "" || len(f.Ask) > 0 {
			return at(topKey("signature"), errors.New("a code exercise needs a signature and asks no quantities"))
		}
		if err := compileCode(e, f, voc); err != nil {
			return err
		}
		return checkPlaceholders(e)
	}
	steps := []func(*Exercise, *file, vocabulary) error{compileAsks, compileRules, compileBugs, compilePositive, compileMinority, compileLesson}
	for _, step := range steps {
		if err := step(e, f, voc); err != nil {
			return err
		}
	}
	e.Order = order(e)
	return checkPlaceholders(e)
}

func compileParams(e *Exercise, f *file) error {
	for _, in := range e.Graph.Inputs() {
		if _, ok := f.Params[in]; !ok {
			return at(tableKey("params", ""), fmt.Errorf("params: the graph input %s has no distribution", in))
		}
	}
	names := make([]string, 0, len(f.Params))
	for name := range f.Params {
		names = append(names, name)
	}
	sort.Strings(names) // a fixed drawing order: the same seed, the same numbers
	for _, name := range names {
		p := f.Params[name]
		p.Name = name
		if e.Graph.Has(name) && !e.Graph.IsInput(name) {
			return at(tableKey("params", name), fmt.Errorf("params: %s is assigned by the graph", name))
		}
		if err := p.check(); err != nil {
			return at(tableKey("params", name), err)
		}
		e.Params = append(e.Params, p)
	}
	return nil
}

// extraParams returns the parameters the graph does not read, such as a learning rate.
func (e *Exercise) extraParams() []string {
	var out []string
	for _, p := range e.Params {
		if !e.Graph.Has(p.Name) {
			out = append(out, p.Name)
		}
	}
	return out
}

func checkPlaceholders(e *Exercise) error {
	places := []where{inStatement("")}
	texts := []string{e.Statement}
	for i, o := range e.Options {
		texts, places = append(texts, o.Text), append(places, arrayItem("option", i, "text"))
	}
	for i, text := range texts {
		for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
			if !slices.ContainsFunc(e.Params, func(p Param) bool { return p.Name == m[1] }) {
				w := places[i]
				if w.inBody {
					w.body = m[0]
				}
				return at(w, fmt.Errorf("statement: {{%s}} is not a parameter", m[1]))
			}
		}
	}
	return nil
}
