package exercises

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"gradjudge"
)

//go:embed misconceptions.toml catalog/*.md testdata/solutions
var embedded embed.FS

// Catalog is the loaded exercise catalog and misconception catalog. It is immutable and safe for
// concurrent use; create it with Load (the embedded catalog) or LoadFS.
type Catalog struct {
	exercises []*Exercise
	byID      map[string]*Exercise
	miscs     misconceptionFile
}

var _ gradjudge.Catalog = (*Catalog)(nil)

// Load returns the catalog embedded in the binary.
func Load() (*Catalog, error) { return LoadFS(embedded) }

// LoadFS loads misconceptions.toml and catalog/*.md from fsys, checking every file: its error
// names the file and what is wrong with it.
func LoadFS(fsys fs.FS) (*Catalog, error) {
	data, err := fs.ReadFile(fsys, "misconceptions.toml")
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	miscs, err := parseMisconceptions(data)
	if err != nil {
		return nil, fmt.Errorf("load catalog: misconceptions.toml: %w", err)
	}
	names, err := fs.Glob(fsys, "catalog/*.md")
	if err != nil || len(names) == 0 {
		return nil, errors.New("load catalog: no exercise files catalog/*.md")
	}
	c := &Catalog{byID: map[string]*Exercise{}, miscs: miscs}
	for _, name := range names {
		e, err := loadExercise(fsys, name, miscs.vocabulary())
		if err == nil && e.Code != nil {
			e.Code.Solutions, err = loadSolutions(fsys, e.ID, miscs.vocabulary())
		}
		if err != nil {
			return nil, fmt.Errorf("load catalog: %s: %w", name, err)
		}
		c.exercises = append(c.exercises, e)
		c.byID[e.ID] = e
	}
	return c, nil
}

func loadExercise(fsys fs.FS, name string, voc vocabulary) (*Exercise, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	f, err := parseFile(data)
	if err != nil {
		return nil, err
	}
	e, err := compile(f, strings.TrimSuffix(path.Base(name), ".md"), voc)
	if err != nil {
		return nil, err
	}
	if e.Code != nil {
		return e, checkCodeShapes(e)
	}
	if e.Kind == gradjudge.KindNumeric && f.Rules == nil {
		if e.Required, err = e.applicableRules(); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// Exercises returns the public summary of every exercise, ordered by id.
func (c *Catalog) Exercises() []gradjudge.Exercise {
	out := make([]gradjudge.Exercise, len(c.exercises))
	for i, e := range c.exercises {
		out[i] = e.Exercise
		out[i].Concepts = slices.Clone(e.Concepts)
	}
	return out
}

// All returns every compiled exercise, ordered by id. The exercises are shared: do not modify.
func (c *Catalog) All() []*Exercise { return slices.Clone(c.exercises) }

// Lookup returns the exercise with the given id; its error has code ENOTFOUND.
func (c *Catalog) Lookup(id string) (*Exercise, error) {
	e, ok := c.byID[id]
	if !ok {
		return nil, gradjudge.Errorf(gradjudge.ENOTFOUND, "there is no exercise %q", id)
	}
	return e, nil
}

// Instance returns the variant of exercise id for seed with its expected answers, for grading.
// Its error has code ENOTFOUND for an unknown id; a badly authored exercise is an internal error.
func (c *Catalog) Instance(id string, seed uint64) (*Instance, error) {
	e, err := c.Lookup(id)
	if err != nil {
		return nil, err
	}
	in, err := e.NewInstance(seed)
	if err != nil {
		return nil, &gradjudge.Error{Code: gradjudge.EINTERNAL, Op: "exercise variant", Err: err}
	}
	return in, nil
}

// Variant returns the student's view of the variant of exercise id for seed.
func (c *Catalog) Variant(id string, seed uint64) (gradjudge.Variant, error) {
	in, err := c.Instance(id, seed)
	if err != nil {
		return gradjudge.Variant{}, err
	}
	return in.Variant(), nil
}

// Misconceptions returns the misconception catalog in file order.
func (c *Catalog) Misconceptions() []gradjudge.Misconception {
	return slices.Clone(c.miscs.Misconceptions)
}

// Misconception returns the catalog entry of tag.
func (c *Catalog) Misconception(tag string) (gradjudge.Misconception, bool) {
	i := slices.IndexFunc(c.miscs.Misconceptions, func(m gradjudge.Misconception) bool { return m.Tag == tag })
	if i < 0 {
		return gradjudge.Misconception{}, false
	}
	return c.miscs.Misconceptions[i], true
}

// Concepts returns the concepts of the course, in the order they are taught.
func (c *Catalog) Concepts() []Concept { return slices.Clone(c.miscs.Concepts) }
