package exercises

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// TestFileErrorLines checks that a refused exercise file is reported with the line an author
// must fix. goodExercise's lines: 2 id, 3 title, 4 kind, 5 concepts, 6–8 graph, 10 [params],
// 11 k, 12 x, 14 [[ask]], 15 id, 16 label, 17 expr, 18 +++, 19 the statement.
func TestFileErrorLines(t *testing.T) {
	const bug = "[[bug]]\nask = \"dy_dx\"\nexpr = \"k\"\ntag = \"magic\"\n+++\ny ="
	const secondAsk = "[[ask]]\nid = \"dy_dx\"\nlabel = \"again\"\nexpr = \"y\"\n+++\ny ="
	for _, tc := range []struct {
		name, old, new string
		line           int
		reason         string
	}{
		{"TOML syntax", `title = "Tiny"`, `title = "Tiny`, 3, "front matter"},
		{"unknown key", `kind = "numeric"`, "kind = \"numeric\"\ncolour = 1", 5, "colour"},
		{"id differs from file", `id = "tiny"`, `id = "other"`, 2, "differs from the file name"},
		{"unknown kind", `kind = "numeric"`, `kind = "essay"`, 4, `kind "essay"`},
		{"unknown concept", `["chain-rule"]`, `["magic"]`, 5, `concept "magic"`},
		{"graph error", "y = k * x", "y = k * * x", 7, "graph:"},
		{"graph error on its second line", "y = k * x\n", "t = k\ny = t * * x\n", 8, "graph:"},
		{"input without params", "x = { values = [1, 2] }", "", 10, "the graph input x has no distribution"},
		{"bad step", "step = 1 }", "step = 0 }", 11, "param k"},
		{"bad quantity", `expr = "grad(y, x)"`, `expr = "grad(y, q)"`, 17, `expr "grad(y, q)"`},
		{"missing label", `label = "∂y/∂x"`, ``, 14, "label is missing"},
		{"placeholder not a param", "at x = {{x}}", "at x = {{z}}", 19, "{{z}} is not a parameter"},
		{"unknown tag", "+++\ny =", bug, 21, `tag "magic"`},
		{"an ask id twice", "+++\ny =", secondAsk, 19, "appears twice"},
		{"empty statement", "y = {{k}}·x at x = {{x}}.", "", 18, "statement"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := loadOne(t, "tiny.md", strings.Replace(goodExercise, tc.old, tc.new, 1))
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v, want a *FileError", err)
			}
			if fe.File != "catalog/tiny.md" || fe.Line != tc.line || !strings.Contains(fe.Err.Error(), tc.reason) {
				t.Errorf("got %s:%d: %v, want catalog/tiny.md:%d: …%s…", fe.File, fe.Line, fe.Err, tc.line, tc.reason)
			}
			if want := "catalog/tiny.md:"; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("message %q, want it to start with %q", err, want)
			}
		})
	}
}

func TestMisconceptionFileErrorLine(t *testing.T) {
	bad := strings.Replace(goodMisconceptions, `concept = "chain-rule"`, `concept = "magic"`, 1)
	_, err := LoadFS(fstest.MapFS{
		"misconceptions.toml": {Data: []byte(bad)},
		"catalog/tiny.md":     {Data: []byte(goodExercise)},
	})
	var fe *FileError
	if !errors.As(err, &fe) || fe.File != MisconceptionFile || fe.Line != 7 {
		t.Errorf("error %v, want misconceptions.toml:7", err)
	}
}

func TestSolutionFileError(t *testing.T) {
	fsys := embeddedCopy(t)
	fsys["testdata/solutions/code-relu-backward/reference.go"] = &fstest.MapFile{Data: []byte("package solution\n")}
	_, err := LoadFS(fsys)
	var fe *FileError
	if !errors.As(err, &fe) || fe.File != "testdata/solutions/code-relu-backward/reference.go" || fe.Line != 1 {
		t.Errorf("error %v, want the solution file, line 1", err)
	}
}

// embeddedCopy returns the embedded catalog as a map the test may change.
func embeddedCopy(t *testing.T) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	for _, pattern := range []string{MisconceptionFile, ExerciseGlob, SolutionDir + "/*/*.go"} {
		names, err := fs.Glob(embedded, pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			data, err := embedded.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			out[name] = &fstest.MapFile{Data: data}
		}
	}
	return out
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, MisconceptionFile), goodMisconceptions)
	writeFile(t, filepath.Join(dir, "catalog", "tiny.md"), goodExercise)
	c, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	e, err := c.Lookup("tiny")
	if err != nil {
		t.Fatal(err)
	}
	if e.Hash != contentHash([]byte(goodExercise)) || len(e.Hash) != 64 {
		t.Errorf("hash %q, want the file's SHA-256", e.Hash)
	}

	writeFile(t, filepath.Join(dir, "catalog", "tiny.md"), strings.Replace(goodExercise, "y = k * x", "y = k * * x", 1))
	_, err = LoadDir(dir)
	var fe *FileError
	if !errors.As(err, &fe) || fe.File != filepath.Join(dir, "catalog", "tiny.md") || fe.Line != 7 {
		t.Errorf("error %v, want %s:7", err, filepath.Join(dir, "catalog", "tiny.md"))
	}

	_, err = LoadDir(filepath.Join(dir, "missing"))
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), MisconceptionFile) {
		t.Errorf("a missing directory: error %v, want one naming %s", err, MisconceptionFile)
	}
}

func TestContentHash(t *testing.T) {
	a := contentHash([]byte(goodExercise))
	if b := contentHash([]byte(strings.ReplaceAll(goodExercise, "\n", "\r\n"))); a != b {
		t.Errorf("CRLF line endings change the hash: %s, %s", a, b)
	}
	if b := contentHash([]byte(strings.Replace(goodExercise, "Tiny", "Tiny!", 1))); a == b {
		t.Error("a changed title keeps the hash")
	}
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
