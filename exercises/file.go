package exercises

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// file is the front matter of one exercise file, as the author writes it in TOML between lines
// of "+++". Unknown keys are errors.
type file struct {
	ID         string              `toml:"id"`
	Title      string              `toml:"title"`
	Kind       string              `toml:"kind"`
	Concepts   []string            `toml:"concepts"`
	Graph      string              `toml:"graph"`
	Reveal     bool                `toml:"reveal"`
	Tolerance  *Tolerance          `toml:"tolerance"`
	KinkMargin *float64            `toml:"kink_margin"`
	Positive   []string            `toml:"positive"`
	Minority   *minoritySpec       `toml:"minority"`
	Lesson     map[string]float64  `toml:"lesson"`
	Rules      []string            `toml:"rules"`
	Params     map[string]Param    `toml:"params"`
	Ask        []askSpec           `toml:"ask"`
	Bug        []bugSpec           `toml:"bug"`
	Option     []optionSpec        `toml:"option"`
	Signature  string              `toml:"signature"`
	Starter    string              `toml:"starter"`
	Funcs      map[string]funcSpec `toml:"funcs"`
	Cases      int                 `toml:"cases"`
	Upstream   string              `toml:"upstream"`
	Needs      []string            `toml:"needs"`

	statement string
}

type askSpec struct {
	ID        string     `toml:"id"`
	Label     string     `toml:"label"`
	Expr      string     `toml:"expr"`
	Tolerance *Tolerance `toml:"tolerance"`
}

type bugSpec struct {
	Name   string `toml:"name"`
	Ask    string `toml:"ask"`
	Func   string `toml:"func"`   // code exercises: the function whose result the bug is about
	Result int    `toml:"result"` // code exercises: the index of that result
	Expr   string `toml:"expr"`
	Tag    string `toml:"tag"`
}

type optionSpec struct {
	ID   string `toml:"id"`
	Text string `toml:"text"`
	Tag  string `toml:"tag"` // a misconception tag, or "correct"
}

var (
	idPattern      = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	askIDPattern   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	frontDelimiter = []byte("+++")
)

// parseFile splits an exercise file into its front matter and statement and decodes the front
// matter strictly.
func parseFile(data []byte) (*file, error) {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	rest, ok := bytes.CutPrefix(data, append(frontDelimiter, '\n'))
	if !ok {
		return nil, errors.New("the file must start with a line +++ opening the TOML front matter")
	}
	front, body, ok := bytes.Cut(rest, append(append([]byte{'\n'}, frontDelimiter...), '\n'))
	if !ok {
		return nil, errors.New("the front matter is not closed by a line +++")
	}
	var f file
	dec := toml.NewDecoder(bytes.NewReader(front)).DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, frontMatterError(err)
	}
	f.statement = strings.TrimSpace(string(body))
	return &f, nil
}

// wrapped is an error with a message of its own that still unwraps to its cause.
type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }

// frontMatterError is a TOML error of the front matter, placed on its line of the file: the front
// matter starts on the file's second line.
func frontMatterError(err error) error {
	err = fmt.Errorf("front matter: %w", tomlDetail(err))
	if row := tomlRow(err); row > 0 {
		return &lineError{line: row + 1, err: err}
	}
	return err
}

// tomlRow is the line (from 1) of the TOML text that a go-toml error is about, or 0.
func tomlRow(err error) int {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		return row
	}
	var sm *toml.StrictMissingError
	if errors.As(err, &sm) && len(sm.Errors) > 0 {
		row, _ := sm.Errors[0].Position()
		return row
	}
	return 0
}

// tomlDetail adds the line and the offending key to go-toml's errors where it knows them.
func tomlDetail(err error) error {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		_, col := de.Position()
		return fmt.Errorf("column %d: %w", col, err)
	}
	var sm *toml.StrictMissingError
	if errors.As(err, &sm) {
		return &wrapped{msg: strings.TrimSpace(sm.String()), err: err}
	}
	return err
}

// minoritySpec is the [minority] table: one variant in Every has Negative below zero, the others
// above it (a dead ReLU unit as a deliberate minority).
type minoritySpec struct {
	Negative string `toml:"negative"`
	Every    int    `toml:"every"`
}
