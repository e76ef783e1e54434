package exercises

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// authorDir writes a one-exercise catalog directory and returns it.
func authorDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, MisconceptionFile), goodMisconceptions)
	writeFile(t, filepath.Join(dir, "catalog", "tiny.md"), goodExercise)
	return dir
}

func newWatched(t *testing.T, dir string, check CheckFunc) (*Live, *Watcher) {
	t.Helper()
	c, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	live := NewLive(c)
	w, err := NewWatcher(dir, live, check)
	if err != nil {
		t.Fatal(err)
	}
	return live, w
}

func title(t *testing.T, l *Live) string {
	t.Helper()
	v, err := l.Variant("tiny", 1)
	if err != nil {
		t.Fatal(err)
	}
	return v.Title
}

func TestWatcherReloadsAndRefuses(t *testing.T) {
	ctx := context.Background()
	dir := authorDir(t)
	file := filepath.Join(dir, "catalog", "tiny.md")
	live, w := newWatched(t, dir, nil)
	oldHash := live.Current().byID["tiny"].Hash

	if r, changed := w.Scan(ctx); changed {
		t.Fatalf("nothing changed, but the scan reports %+v", r)
	}

	writeFile(t, file, strings.Replace(goodExercise, `title = "Tiny"`, `title = "Tiny, edited"`, 1))
	r, changed := w.Scan(ctx)
	if !changed || r.Err != nil || strings.Join(r.Changed, ",") != "catalog/tiny.md" {
		t.Fatalf("an edit: got %+v (changed %v), want catalog/tiny.md reloaded", r, changed)
	}
	if got := title(t, live); got != "Tiny, edited" {
		t.Errorf("title %q after the reload, want the edited one", got)
	}
	if live.Current().byID["tiny"].Hash == oldHash {
		t.Error("the exercise's hash did not change with its file")
	}

	writeFile(t, file, strings.Replace(goodExercise, "y = k * x", "y = k * * x", 1))
	r, changed = w.Scan(ctx)
	var fe *FileError
	if !changed || !errors.As(r.Err, &fe) || fe.File != file || fe.Line != 7 {
		t.Fatalf("a bad edit: got %+v, want it refused at %s:7", r, file)
	}
	if got := title(t, live); got != "Tiny, edited" {
		t.Errorf("title %q after a refused change, want the old version still serving", got)
	}
	if r, changed := w.Scan(ctx); changed {
		t.Errorf("the refused change is reported again: %+v", r)
	}

	writeFile(t, file, goodExercise)
	if r, _ := w.Scan(ctx); r.Err != nil || title(t, live) != "Tiny" {
		t.Errorf("the fix: got %+v and title %q, want it reloaded", r, title(t, live))
	}
}

func TestWatcherAddsAndRemovesFiles(t *testing.T) {
	ctx := context.Background()
	dir := authorDir(t)
	live, w := newWatched(t, dir, nil)
	second := strings.Replace(goodExercise, `id = "tiny"`, `id = "tiny-two"`, 1)
	writeFile(t, filepath.Join(dir, "catalog", "tiny-two.md"), second)
	if r, _ := w.Scan(ctx); r.Err != nil || len(live.Exercises()) != 2 {
		t.Fatalf("an added file: %+v, %d exercises; want 2", r, len(live.Exercises()))
	}
	if err := os.Remove(filepath.Join(dir, "catalog", "tiny-two.md")); err != nil {
		t.Fatal(err)
	}
	r, _ := w.Scan(ctx)
	if r.Err != nil || strings.Join(r.Changed, ",") != "catalog/tiny-two.md" || len(live.Exercises()) != 1 {
		t.Errorf("a removed file: %+v, %d exercises; want 1", r, len(live.Exercises()))
	}
}

func TestWatcherCheckRefuses(t *testing.T) {
	dir := authorDir(t)
	refuse := errors.New("exercise tiny: the reference answer is rejected on seed 3")
	live, w := newWatched(t, dir, func(_ context.Context, c *Catalog) error {
		if _, err := c.Lookup("tiny"); err == nil && c.byID["tiny"].Title == "Refused" {
			return refuse
		}
		return nil
	})
	writeFile(t, filepath.Join(dir, "catalog", "tiny.md"), strings.Replace(goodExercise, `title = "Tiny"`, `title = "Refused"`, 1))
	if r, _ := w.Scan(context.Background()); !errors.Is(r.Err, refuse) || title(t, live) != "Tiny" {
		t.Errorf("got %+v and title %q, want the check's refusal and the old version serving", r, title(t, live))
	}
}

// TestWatcherRun drives Run with the test's own ticks: no sleeping.
func TestWatcherRun(t *testing.T) {
	dir := authorDir(t)
	live, w := newWatched(t, dir, nil)
	ctx, cancel := context.WithCancel(context.Background())
	tick := make(chan time.Time)
	reports := make(chan Reload, 1)
	done := make(chan struct{})
	go func() { w.Run(ctx, tick, func(r Reload) { reports <- r }); close(done) }()

	tick <- time.Time{} // nothing changed: no report
	// The channel is unbuffered: this second send returns only once the first look is over, so
	// the write below cannot race with a look in progress (which would read a half-written file).
	tick <- time.Time{}
	writeFile(t, filepath.Join(dir, "catalog", "tiny.md"), strings.Replace(goodExercise, `title = "Tiny"`, `title = "Ticked"`, 1))
	tick <- time.Time{}
	if r := <-reports; r.Err != nil || title(t, live) != "Ticked" {
		t.Errorf("got %+v and title %q, want the change reloaded", r, title(t, live))
	}
	cancel()
	<-done
}

// TestLiveSwapUnderReaders swaps catalogs while readers grade; run with -race.
func TestLiveSwapUnderReaders(t *testing.T) {
	dir := authorDir(t)
	a, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "catalog", "tiny.md"), strings.Replace(goodExercise, `title = "Tiny"`, `title = "B"`, 1))
	b, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	live := NewLive(a)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if in, err := live.Instance("tiny", 5); err != nil || in.Exercise.Title != "Tiny" && in.Exercise.Title != "B" {
					t.Errorf("instance %v, %v", in, err)
					return
				}
			}
		}()
	}
	for i := range 200 {
		live.Swap([]*Catalog{a, b}[i%2])
	}
	wg.Wait()
}
