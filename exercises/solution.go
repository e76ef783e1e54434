package exercises

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// SolutionDir is the directory of a catalog file system that holds, for each code exercise ID,
// the Go files ID/*.go that test it. Each starts with a line "// want: accepted" or
// "// want: TAG" naming the misconception tag the judge must give it.
const SolutionDir = "testdata/solutions"

// wantPrefix starts the first line of a solution file.
const wantPrefix = "// want: "

// loadSolutions reads the solutions of code exercise id, accepted ones first, each group by name.
// A catalog need not ship solutions; the catalog tests require them of the embedded one.
func loadSolutions(fsys fs.FS, id string, voc vocabulary) ([]Solution, error) {
	names, err := fs.Glob(fsys, path.Join(SolutionDir, id, "*.go"))
	if err != nil {
		return nil, err
	}
	var out []Solution
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, &FileError{File: name, Err: unwrapPath(err)}
		}
		s, err := parseSolution(strings.TrimSuffix(path.Base(name), ".go"), string(data), voc)
		if err != nil {
			return nil, &FileError{File: name, Line: 1, Err: err}
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Tag == "" && out[j].Tag != "" })
	return out, nil
}

func parseSolution(name, src string, voc vocabulary) (Solution, error) {
	first, _, _ := strings.Cut(src, "\n")
	want, ok := strings.CutPrefix(strings.TrimSpace(first), wantPrefix)
	want = strings.TrimSpace(want)
	switch {
	case !ok:
		return Solution{}, fmt.Errorf("the first line must be %q followed by accepted or a misconception tag", wantPrefix)
	case want == "accepted":
		want = ""
	case !voc.tags[want]:
		return Solution{}, fmt.Errorf("want: %q is neither accepted nor a misconception tag", want)
	}
	return Solution{Name: name, Source: src, Tag: want}, nil
}
