package exercises

import (
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path"
	"slices"
	"time"
)

// Watcher reloads a catalog directory into a Live catalog when its files change, for authors
// (`serve --catalog DIR --watch`). A change is loaded and checked as at start; a change that
// fails is refused with the reason and the catalog serving keeps serving, until the files change
// again. It polls the files' contents, not their times: a save within the same second is seen,
// and so is an editor that replaces a file. Make it with NewWatcher; Scan and Run are not safe
// for concurrent use with each other.
type Watcher struct {
	dir   string
	live  *Live
	check CheckFunc
	last  map[string][sha256.Size]byte // file → content hash, as last scanned
}

// CheckFunc checks a loaded catalog further before it serves (the judge's validation of every
// exercise on a few seeds, say). Its error refuses the catalog.
type CheckFunc func(context.Context, *Catalog) error

// Reload is what a Watcher did about one change of its directory.
type Reload struct {
	Changed []string // files added, changed or removed: slash-separated, relative to the directory
	// Err says why the change was refused (a *FileError for a bad file); nil when the changed
	// catalog serves now.
	Err error
}

// NewWatcher returns a watcher of dir feeding live, which serves dir's catalog as it is now.
// check may be nil.
func NewWatcher(dir string, live *Live, check CheckFunc) (*Watcher, error) {
	if live == nil {
		return nil, errors.New("exercises: a watcher needs a Live catalog")
	}
	w := &Watcher{dir: dir, live: live, check: check}
	last, err := w.scanFiles()
	if err != nil {
		return nil, err
	}
	w.last = last
	return w, nil
}

// Scan looks at the directory once. When a file was added, changed or removed since the last
// scan it loads and checks the catalog, swaps it in when it passes, and reports what happened
// with changed=true; otherwise it does nothing.
func (w *Watcher) Scan(ctx context.Context) (r Reload, changed bool) {
	files, err := w.scanFiles()
	if err != nil {
		return Reload{Err: err}, true
	}
	r.Changed = diffFiles(w.last, files)
	if len(r.Changed) == 0 {
		return r, false
	}
	w.last = files
	c, err := LoadDir(w.dir)
	if err == nil && w.check != nil {
		err = w.check(ctx, c)
	}
	if err != nil {
		r.Err = err
		return r, true
	}
	w.live.Swap(c)
	return r, true
}

// Run scans on every tick until ctx ends, telling report (when not nil) of every change.
// The caller owns the ticks (a time.Ticker's channel, or a test's own).
func (w *Watcher) Run(ctx context.Context, tick <-chan time.Time, report func(Reload)) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
			if r, changed := w.Scan(ctx); changed && report != nil {
				report(r)
			}
		}
	}
}

// scanFiles hashes every file of the catalog's layout in the directory.
func (w *Watcher) scanFiles() (map[string][sha256.Size]byte, error) {
	fsys := os.DirFS(w.dir)
	out := map[string][sha256.Size]byte{}
	for _, pattern := range []string{MisconceptionFile, ExerciseGlob, path.Join(SolutionDir, "*", "*.go")} {
		names, err := fs.Glob(fsys, pattern)
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, &FileError{File: name, Err: unwrapPath(err)}
			}
			out[name] = sha256.Sum256(data)
		}
	}
	return out, nil
}

// diffFiles returns the files added, changed or removed from old to cur, sorted.
func diffFiles(old, cur map[string][sha256.Size]byte) []string {
	var out []string
	for name, h := range cur {
		if o, ok := old[name]; !ok || o != h {
			out = append(out, name)
		}
	}
	for name := range old {
		if _, ok := cur[name]; !ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
