package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/exercises"
	"gradjudge/migrations"
	"gradjudge/store"
)

func TestMigrateCommand(t *testing.T) {
	dir := t.TempDir()
	latest := fmt.Sprintf("sqlite schema at version %d\n", latestMigration(t))
	for _, c := range []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"up", []string{"migrate", "--data-dir", dir}, 0, latest},
		{"up again", []string{"migrate", "--data-dir", dir}, 0, latest},
		{"down unconfirmed", []string{"migrate", "--data-dir", dir, "--down"}, 2, ""},
		{"down", []string{"migrate", "--data-dir", dir, "--down", "--yes"}, 0, "sqlite schema at version 0\n"},
		{"stray argument", []string{"migrate", "--data-dir", dir, "now"}, 2, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", c.args...)
			if code != c.code || out != c.out {
				t.Errorf("exit %d, stdout %q (stderr %q); want %d, %q", code, out, errOut, c.code, c.out)
			}
		})
	}
}

// latestMigration is the highest version among the embedded SQLite migrations, read from their
// file names (00002_name.sql is version 2).
func latestMigration(t *testing.T) int64 {
	t.Helper()
	fsys, err := migrations.FS(migrations.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	var latest int64
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			t.Fatalf("migration %s: no version: %v", e.Name(), err)
		}
		latest = max(latest, v)
	}
	if latest == 0 {
		t.Fatal("no migrations")
	}
	return latest
}

func TestUsersCommand(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, stdin string
		args        []string
		code        int
		out, err    string
	}{
		{"add", "s3cret-password\n", []string{"--email", "Ann@Example.edu", "--name", "Ann", "--role", "instructor"}, 0, "user 1 ann@example.edu (instructor) created\n", ""},
		{"taken", "s3cret-password\n", []string{"--email", "ann@example.edu"}, 1, "", "exists already"},
		{"bad role", "s3cret-password\n", []string{"--email", "bob@example.edu", "--role", "root"}, 1, "", "not admin, instructor or student"},
		{"short password", "short\n", []string{"--email", "bob@example.edu"}, 1, "", "at least 8"},
		{"no password", "", []string{"--email", "bob@example.edu"}, 1, "", "at least 8"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, c.stdin, append([]string{"users", "add", "--data-dir", dir}, c.args...)...)
			if code != c.code || out != c.out || !strings.Contains(errOut, c.err) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q, …%q…", code, out, errOut, c.code, c.out, c.err)
			}
		})
	}
	code, out, _ := runCLI(t, "", "users", "list", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "ann@example.edu") || strings.Count(out, "\n") != 2 {
		t.Errorf("users list: exit %d, %q", code, out)
	}
	db, err := store.Open(t.Context(), store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Authenticate(t.Context(), "ann@example.edu", "s3cret-password"); err != nil {
		t.Errorf("the password from stdin does not log in: %v", err)
	}
}

// TestWorkerCommand runs `gradjudge worker` on a database that has a queued submission: it judges
// it, and stops cleanly on cancellation.
func TestWorkerCommand(t *testing.T) {
	dir := t.TempDir()
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(t.Context(), store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	sub := queueSubmission(t, db, cat.Exercises()[0].ID)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errOut := &syncBuffer{}
	exit := make(chan int)
	go func() {
		exit <- dispatch(ctx, stdio{strings.NewReader(""), new(bytes.Buffer), errOut}, []string{"worker", "--data-dir", dir, "--code=false"})
	}()
	got, err := db.WaitSubmission(t.Context(), sub.ID, 30*time.Second)
	if err != nil || got.Status != gradjudge.SubmissionDone {
		t.Fatalf("submission %s, %v; want judged by the worker", got.Status, err)
	}
	if got.Verdict.Status != gradjudge.StatusInvalid {
		t.Errorf("verdict %s, want invalid for an empty answer", got.Verdict.Status)
	}
	cancel()
	if code := <-exit; code != 0 {
		t.Errorf("worker exit %d; stderr:\n%s", code, errOut.String())
	}
}

// queueSubmission stores an empty answer to exercise id by a new student.
func queueSubmission(t *testing.T, db *store.DB, id string) gradjudge.Submission {
	t.Helper()
	ctx := t.Context()
	u, err := db.CreateUser(ctx, gradjudge.User{Email: "ann@example.edu", Role: gradjudge.RoleInstructor}, "long enough")
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.CreateCourse(ctx, gradjudge.Course{Title: "Backprop", CreatedBy: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	a := gradjudge.Answer{Fields: map[string]json.RawMessage{}}
	s, _, err := db.CreateSubmission(ctx, gradjudge.Submission{UserID: u.ID, CourseID: c.ID, ExerciseID: id, Answer: a})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
