package app

import (
	"context"
	"slices"
	"time"

	"gradjudge"
	"gradjudge/exercises"
)

// MisconceptionRow is one student's history with one misconception: the export's row.
type MisconceptionRow struct {
	Student       gradjudge.Enrollment
	Misconception gradjudge.Misconception
	First, Last   time.Time
	Count         int // submissions that showed it
}

// MisconceptionRows returns one row per student × misconception they showed, for the course
// staff: students by user id, misconceptions in the catalog's (the lesson's) order, then any tag
// the catalog does not know. It reads the same gradebook as the grades export.
func (a *App) MisconceptionRows(ctx context.Context, v Visit) ([]MisconceptionRow, error) {
	g, err := a.Gradebook(ctx, v)
	if err != nil {
		return nil, err
	}
	roster := map[int64]gradjudge.Enrollment{}
	for _, e := range g.Roster {
		roster[e.UserID] = e
	}
	order := gradjudge.TagOrder(a.d.Catalog.Misconceptions())
	var out []MisconceptionRow
	for _, p := range g.Students {
		out = append(out, a.studentMisconceptions(roster[p.UserID], p.Misconceptions, order)...)
	}
	return out, nil
}

func (a *App) studentMisconceptions(e gradjudge.Enrollment, events []gradjudge.MisconceptionEvent, order func(a, b string) int) []MisconceptionRow {
	byTag := map[string]*MisconceptionRow{}
	var tags []string
	for _, ev := range events { // oldest first
		r := byTag[ev.Tag]
		if r == nil {
			r = &MisconceptionRow{Student: e, Misconception: a.Misconception(ev.Tag), First: ev.At}
			byTag[ev.Tag] = r
			tags = append(tags, ev.Tag)
		}
		r.Count++
		r.Last = ev.At
	}
	slices.SortStableFunc(tags, order)
	out := make([]MisconceptionRow, 0, len(tags))
	for _, t := range tags {
		out = append(out, *byTag[t])
	}
	return out
}

// Concepts returns the catalog's concepts with their titles, in the lesson's order; nil when the
// catalog does not name them (pages then show the ids).
func (a *App) Concepts() []exercises.Concept {
	c, ok := a.d.Catalog.(interface{ Concepts() []exercises.Concept })
	if !ok {
		return nil
	}
	return c.Concepts()
}
