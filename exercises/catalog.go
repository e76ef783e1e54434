package exercises

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"gradjudge"
)

//go:embed misconceptions.toml catalog/*.md testdata/solutions
var embedded embed.FS

// Catalog is the loaded exercise catalog and misconception catalog. It is immutable and safe for
// concurrent use; create it with Load (the embedded catalog), LoadDir or LoadFS. Live serves one
// that can be replaced while the server runs.
type Catalog struct {
	exercises []*Exercise
	byID      map[string]*Exercise
	miscs     misconceptionFile
}

var _ gradjudge.Catalog = (*Catalog)(nil)

// Load returns the catalog embedded in the binary.
func Load() (*Catalog, error) { return LoadFS(embedded) }

// The layout of a catalog, embedded or in a directory.
const (
	MisconceptionFile = "misconceptions.toml" // the concepts and misconception tags
	ExerciseGlob      = "catalog/*.md"        // one file per exercise, named after its id
)

// LoadDir loads the catalog in directory dir, laid out as the embedded one (MisconceptionFile,
// ExerciseGlob, SolutionDir). Its error is a *FileError naming the file under dir.
func LoadDir(dir string) (*Catalog, error) {
	c, err := LoadFS(os.DirFS(dir))
	var fe *FileError
	if errors.As(err, &fe) {
		fe.File = filepath.Join(dir, filepath.FromSlash(fe.File))
	}
	return c, err
}

// LoadFS loads MisconceptionFile and ExerciseGlob from fsys, checking every file. Its error is a
// *FileError: the file, the line and the reason.
func LoadFS(fsys fs.FS) (*Catalog, error) {
	data, err := fs.ReadFile(fsys, MisconceptionFile)
	if err != nil {
		return nil, &FileError{File: MisconceptionFile, Err: unwrapPath(err)}
	}
	miscs, err := parseMisconceptions(data)
	if err != nil {
		return nil, fileError(MisconceptionFile, data, err)
	}
	names, err := fs.Glob(fsys, ExerciseGlob)
	if err != nil || len(names) == 0 {
		return nil, &FileError{File: path.Dir(ExerciseGlob), Err: errors.New("no exercise files " + ExerciseGlob)}
	}
	c := &Catalog{byID: map[string]*Exercise{}, miscs: miscs}
	for _, name := range names {
		e, err := loadExercise(fsys, name, miscs.vocabulary())
		if err != nil {
			return nil, err
		}
		c.exercises = append(c.exercises, e)
		c.byID[e.ID] = e
	}
	return c, nil
}

// unwrapPath drops the *fs.PathError around err: a FileError names the file already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// loadExercise loads exercise file name and, for a code exercise, its solutions; its error is a
// *FileError.
func loadExercise(fsys fs.FS, name string, voc vocabulary) (*Exercise, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, &FileError{File: name, Err: unwrapPath(err)}
	}
	e, err := compileFile(data, strings.TrimSuffix(path.Base(name), ".md"), voc)
	if err != nil {
		return nil, fileError(name, data, err)
	}
	e.Hash = contentHash(data)
	if e.Code != nil {
		e.Code.Solutions, err = loadSolutions(fsys, e.ID, voc)
	}
	return e, err
}

// compileFile parses, compiles and checks the exercise file data, named name.md.
func compileFile(data []byte, name string, voc vocabulary) (*Exercise, error) {
	f, err := parseFile(data)
	if err != nil {
		return nil, err
	}
	e, err := compile(f, name, voc)
	if err != nil {
		return nil, err
	}
	if e.Code != nil {
		return e, at(tableKey("funcs", ""), checkCodeShapes(e))
	}
	if e.Kind == gradjudge.KindNumeric && f.Rules == nil {
		if e.Required, err = e.applicableRules(); err != nil {
			return nil, at(tableKey("params", ""), err)
		}
	}
	return e, nil
}

// contentHash is the hex SHA-256 of an exercise file, with Windows line endings read as Unix
// ones: the same exercise checked out on either hashes the same.
func contentHash(data []byte) string {
	sum := sha256.Sum256(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")))
	return hex.EncodeToString(sum[:])
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
