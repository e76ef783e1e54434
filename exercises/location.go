package exercises

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// FileError is a mistake in one file of a catalog, as an author reads it: the file, the line the
// mistake is on and the reason. A catalog that LoadFS or LoadDir refuses fails with one.
type FileError struct {
	// File is the file's path: relative to the catalog's root for LoadFS, under the directory for
	// LoadDir.
	File string
	// Line counts from 1: the line of the key, table or statement text the reason is about, or the
	// file's first line when the mistake is a missing key. 0 means the file as a whole (it cannot be
	// read).
	Line int
	Err  error
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

// Unwrap returns the reason.
func (e *FileError) Unwrap() error { return e.Err }

// where is the place in an exercise file a compile error is about.
type where struct {
	table  string // "" for a top-level key; "params", "funcs.F", or an array of tables: "ask", "bug", "option"
	index  int    // which [[table]], from 0; -1 when table is not an array of tables
	key    string // a key inside the table; "" for the table's header
	line   int    // a line inside the key's multi-line string value (the graph), from 1; 0: the key's line
	body   string // text to find in the statement, the Markdown after the front matter
	inBody bool   // the error is about the statement
}

// keyError is a compile error and the place it is about. Only the innermost place counts.
type keyError struct {
	at  where
	err error
}

func (e *keyError) Error() string { return e.err.Error() }
func (e *keyError) Unwrap() error { return e.err }

// lineError is an error whose file line is known already (a TOML syntax error).
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return e.err.Error() }
func (e *lineError) Unwrap() error { return e.err }

// at attaches the place w to err, unless err has a place already.
func at(w where, err error) error {
	var ke *keyError
	if err == nil || errors.As(err, &ke) {
		return err
	}
	return &keyError{at: w, err: err}
}

// topKey is the place of a top-level key.
func topKey(key string) where { return where{index: -1, key: key} }

// arrayItem is the place of the i-th [[table]] and, when key is set, a key of it.
func arrayItem(table string, i int, key string) where { return where{table: table, index: i, key: key} }

// tableKey is the place of key in [table], or of the header [table.key].
func tableKey(table, key string) where { return where{table: table, index: -1, key: key} }

// inStatement is the place of text in the statement; "" for its first line.
func inStatement(text string) where { return where{index: -1, body: text, inBody: true} }

// fileError places err in the exercise file name whose content is data.
func fileError(name string, data []byte, err error) *FileError {
	fe := &FileError{File: name, Line: 1, Err: err}
	var le *lineError
	var ke *keyError
	switch {
	case errors.As(err, &le):
		fe.Line = le.line
	case errors.As(err, &ke):
		fe.Line = ke.at.find(splitLines(data))
	}
	return fe
}

func splitLines(data []byte) []string {
	return strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
}

var headerPattern = regexp.MustCompile(`^\s*\[`)

// find returns the line (from 1) of w in an exercise file's lines, or the nearest enclosing
// place it finds: the table's header, else the file's first line.
func (w where) find(lines []string) int {
	end := frontEnd(lines)
	if w.inBody {
		return w.findBody(lines, end)
	}
	from, to, header := w.section(lines, end)
	if from < 0 {
		return 1
	}
	if w.key == "" {
		return header
	}
	keyLine := regexp.MustCompile(`^\s*("?)` + regexp.QuoteMeta(w.key) + `("?)\s*=`)
	for i := from; i < to; i++ {
		if keyLine.MatchString(lines[i]) {
			return i + 1 + w.valueOffset(lines[i])
		}
	}
	if w.table != "" && w.index < 0 {
		if h := headerLine(lines, `\[\s*`+regexp.QuoteMeta(w.table+"."+w.key)+`\s*\]`, 0, end); h >= 0 {
			return h + 1
		}
	}
	return header
}

// valueOffset is how far below the key's line line w.line of its value is.
func (w where) valueOffset(keyLine string) int {
	if w.line == 0 {
		return 0
	}
	_, value, _ := strings.Cut(keyLine, "=")
	value = strings.TrimSpace(value)
	if value == "'''" || value == `"""` {
		return w.line // a TOML multi-line string drops the newline right after its opening
	}
	return w.line - 1
}

// section returns the lines [from, to) of w's table in the front matter and the line (from 1) of
// its header (1 for the top level); from < 0 when the table is not there.
func (w where) section(lines []string, end int) (from, to, header int) {
	start := 1
	if w.table != "" {
		pattern := `\[\s*` + regexp.QuoteMeta(w.table) + `\s*\]`
		if w.index >= 0 {
			pattern = `\[\[\s*` + regexp.QuoteMeta(w.table) + `\s*\]\]`
		}
		h := headerLine(lines, pattern, max(w.index, 0), end)
		if h < 0 {
			return -1, -1, 1
		}
		start, header = h+1, h+1
	} else {
		header = 1
	}
	to = start
	for to < end && !headerPattern.MatchString(lines[to]) {
		to++
	}
	return start, to, header
}

// headerLine returns the index of the (skip+1)-th line before end that is the table header
// pattern, or -1.
func headerLine(lines []string, pattern string, skip, end int) int {
	re := regexp.MustCompile(`^\s*` + pattern + `\s*(#.*)?$`)
	for i := 0; i < end; i++ {
		if re.MatchString(lines[i]) {
			if skip == 0 {
				return i
			}
			skip--
		}
	}
	return -1
}

// frontEnd is the index of the line closing the front matter, or len(lines).
func frontEnd(lines []string) int {
	for i := 1; i < len(lines); i++ {
		if lines[i] == string(frontDelimiter) {
			return i
		}
	}
	return len(lines)
}

func (w where) findBody(lines []string, end int) int {
	for i := end + 1; i < len(lines); i++ {
		if w.body == "" && strings.TrimSpace(lines[i]) != "" || w.body != "" && strings.Contains(lines[i], w.body) {
			return i + 1
		}
	}
	return min(end+1, len(lines))
}
