package migrations

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
)

// TestDialectsMatch keeps the two directories in step: the same versions, each file with an Up
// and a Down section.
func TestDialectsMatch(t *testing.T) {
	names := map[Dialect][]string{}
	for _, d := range []Dialect{SQLite, Postgres} {
		fsys, err := FS(d)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := fs.ReadDir(fsys, ".")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			names[d] = append(names[d], e.Name())
			b, err := fs.ReadFile(fsys, e.Name())
			if err != nil {
				t.Fatal(err)
			}
			for _, mark := range []string{"-- +goose Up", "-- +goose Down"} {
				if !strings.Contains(string(b), mark) {
					t.Errorf("%s/%s has no %q", d, e.Name(), mark)
				}
			}
		}
	}
	if len(names[SQLite]) == 0 || !slices.Equal(names[SQLite], names[Postgres]) {
		t.Errorf("sqlite has %v, postgres %v: want the same files", names[SQLite], names[Postgres])
	}
	if _, err := FS("mysql"); err == nil {
		t.Error("FS(mysql) did not fail")
	}
}
