// Package regrade holds the nouns of regrading: a request to judge an exercise's stored answers
// again, a run, and its report. The store keeps and works runs (store.StartRegrade,
// store.RegradeReport); the application core and the command line ask for them. It imports only
// the root and internal/policy.
package regrade

import (
	"fmt"
	"sort"
	"time"

	"gradjudge"
	"gradjudge/internal/policy"
)

// Request asks to judge again the stored answers to one exercise.
type Request struct {
	ExerciseID string
	// Kind is the exercise's kind, from the catalog: it routes the jobs to the judging queue of
	// that kind; "" routes them to the code queue, the safe place for work of unknown cost.
	Kind     gradjudge.ExerciseKind
	CourseID int64 // 0: every course
	// Version is the exercise's current version (judge.ExerciseVersion): the submissions whose
	// verdict was judged against another are regraded, so that a second run finds nothing to do.
	Version     string
	DryRun      bool  // judge and report, keeping the current verdicts
	RequestedBy int64 // 0: the command line
}

// Run is one regrade run.
type Run struct {
	ID         int64
	Request    Request
	Resumed    bool // an unfinished run of the same request was found and goes on
	Total      int  // submissions in the run
	CreatedAt  time.Time
	FinishedAt *time.Time
}

// Report is what a run changed (or, for a dry run, would change).
type Report struct {
	Run
	Done    int            // submissions judged again so far
	Changed int            // whose status or score differs from the old verdict's
	Up      int            // whose score rose
	Down    int            // whose score fell
	Moves   map[string]int // "old status → new status" → submissions, for the changed ones
	Grades  []GradeMove    // the students whose course grade on the exercise moved, by course and user
}

// GradeMove is one student's course grade on the regraded exercise, before and after.
type GradeMove struct {
	CourseID, UserID int64
	Email            string
	Before, After    policy.Grade
}

// String summarises the report in a few lines for the command line.
func (rep Report) String() string {
	mode := "regraded"
	if rep.Request.DryRun {
		mode = "dry run: would change"
	}
	s := fmt.Sprintf("regrade %d of %s: %d of %d submissions judged; %s %d verdicts (%d up, %d down); %d grades moved\n",
		rep.ID, rep.Request.ExerciseID, rep.Done, rep.Total, mode, rep.Changed, rep.Up, rep.Down, len(rep.Grades))
	moves := make([]string, 0, len(rep.Moves))
	for m := range rep.Moves {
		moves = append(moves, m)
	}
	sort.Strings(moves)
	for _, m := range moves {
		s += fmt.Sprintf("  %-40s %d\n", m, rep.Moves[m])
	}
	for _, g := range rep.Grades {
		s += fmt.Sprintf("  course %d  %s: %.4f → %.4f (%s)\n", g.CourseID, g.Email, g.Before.Score, g.After.Score, g.After.Rule)
	}
	return s
}
