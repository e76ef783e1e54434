package app

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"gradjudge"
)

// records is a ProgressService that answers fixed records, for roll-ups without a judge.
type records struct{ recs gradjudge.ProgressRecords }

func (r *records) ProgressRecords(_ context.Context, _ int64, ids []int64) (gradjudge.ProgressRecords, error) {
	var out gradjudge.ProgressRecords
	for _, e := range r.recs.Exercises {
		if slices.Contains(ids, e.UserID) {
			out.Exercises = append(out.Exercises, e)
		}
	}
	for _, e := range r.recs.Events {
		if slices.Contains(ids, e.UserID) {
			out.Events = append(out.Events, e)
		}
	}
	return out, nil
}

func (r *records) ExerciseRecords(ctx context.Context, courseID int64, exerciseID string, ids []int64) (gradjudge.ProgressRecords, error) {
	out, err := r.ProgressRecords(ctx, courseID, ids)
	return out.OfExercise(exerciseID), err
}

func at(minute int) *time.Time {
	t := time.Date(2026, 3, 1, 10, minute, 0, 0, time.UTC)
	return &t
}

// withRecords is a fixture whose progress records are recs, with alice and bob's ids filled in
// by the callback (the users are made after the App).
func withRecords(t *testing.T, fill func(f *fixture) gradjudge.ProgressRecords) *fixture {
	t.Helper()
	r := &records{}
	f := newFixture(t, func(d *Deps) { d.Progress = r })
	r.recs = fill(f)
	return f
}

func aliceAndBob(f *fixture) gradjudge.ProgressRecords {
	return gradjudge.ProgressRecords{
		Exercises: []gradjudge.ExerciseRecord{
			{UserID: f.alice.ID, ExerciseProgress: gradjudge.ExerciseProgress{ExerciseID: "num", Attempts: 4, LastAttemptAt: at(5)}},
			{UserID: f.alice.ID, ExerciseProgress: gradjudge.ExerciseProgress{ExerciseID: "code", Attempts: 1, BestScore: 1, SolvedAt: at(9), LastAttemptAt: at(9), AttemptsToSolve: 1}},
		},
		Events: []gradjudge.MisconceptionEvent{
			{UserID: f.alice.ID, ExerciseID: "num", Tag: "chain-rule-add", At: *at(1)},
			{UserID: f.alice.ID, ExerciseID: "code", Tag: "own-tag", At: *at(2)},
			{UserID: f.alice.ID, ExerciseID: "num", Tag: "chain-rule-add", At: *at(3)},
		},
	}
}

// TestStudentList: state per exercise and last activity; bob has started nothing; alice is stuck
// on "num" (four attempts, no pass).
func TestStudentList(t *testing.T) {
	f := withRecords(t, aliceAndBob)
	l, err := f.app.Students(t.Context(), f.visit(t, f.inst))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Students) != 2 || l.Students[0].UserID != f.alice.ID || l.Students[0].Solved != 1 || !l.Students[0].LastActivity.Equal(*at(9)) {
		t.Fatalf("students %+v", l.Students)
	}
	if len(l.NotStarted) != 1 || l.NotStarted[0].UserID != f.bob.ID {
		t.Errorf("not started %+v, want bob", l.NotStarted)
	}
	if len(l.Stuck) != 1 || l.Stuck[0].Student.UserID != f.alice.ID || l.Stuck[0].Exercise.ID != "num" || l.Stuck[0].Attempts != 4 {
		t.Errorf("stuck %+v, want alice on num", l.Stuck)
	}
	_, err = f.app.Students(t.Context(), f.visit(t, f.alice))
	wantCode(t, "a student lists the students", err, gradjudge.EFORBIDDEN)
}

// TestMisconceptionRows: one row per student × misconception, the catalog's order first.
func TestMisconceptionRows(t *testing.T) {
	f := withRecords(t, aliceAndBob)
	rows, err := f.app.MisconceptionRows(t.Context(), f.visit(t, f.inst))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("rows %+v, want 2", rows)
	}
	r := rows[0]
	if r.Misconception.Title != "Added" || r.Count != 2 || !r.First.Equal(*at(1)) || !r.Last.Equal(*at(3)) || r.Student.Email != f.alice.Email {
		t.Errorf("first row %+v", r)
	}
	if rows[1].Misconception.Tag != "own-tag" || rows[1].Count != 1 {
		t.Errorf("second row %+v", rows[1])
	}
}

// TestRemovedExerciseLeavesEverything: an exercise taken out of a course leaves the dashboard,
// the progress pages, the gradebook, the student list and the misconception export together.
func TestRemovedExerciseLeavesEverything(t *testing.T) {
	f := withRecords(t, aliceAndBob)
	ctx := t.Context()
	if _, err := f.app.RemoveCourseExercise(ctx, f.visit(t, f.inst), "code"); err != nil {
		t.Fatal(err)
	}
	v := f.visit(t, f.inst)
	stats, err := f.app.Stats(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range stats.Exercises {
		if e.ExerciseID == "code" {
			t.Error("the dashboard still shows the removed exercise")
		}
	}
	p, err := f.app.Progress(ctx, f.visit(t, f.alice), f.alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	g, err := f.app.Gradebook(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	l, err := f.app.Students(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.app.MisconceptionRows(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range p.Exercises {
		if e.ExerciseID == "code" {
			t.Error("the progress page still shows the removed exercise")
		}
	}
	if len(g.Exercises) != 2 || len(l.Exercises) != 2 || l.Students[0].Solved != 0 {
		t.Errorf("gradebook %d exercises, student list %d, alice solved %d; want 2, 2, 0", len(g.Exercises), len(l.Exercises), l.Students[0].Solved)
	}
	if len(rows) != 1 || rows[0].Misconception.Tag != "chain-rule-add" {
		t.Errorf("misconception rows %+v: the removed exercise's tag is still there", rows)
	}
}

// TestCourseExerciseEdits: add, move and remove, for instructors only; the last one stays.
func TestCourseExerciseEdits(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	ids := func() string {
		return strings.Join(f.app.courseExerciseIDs(f.visit(t, f.inst).Course), ",")
	}
	if _, err := f.app.MoveCourseExercise(ctx, f.visit(t, f.inst), "code", -1); err != nil || ids() != "num,code,pick" {
		t.Fatalf("move up: %v, order %s", err, ids())
	}
	if _, err := f.app.MoveCourseExercise(ctx, f.visit(t, f.inst), "num", 9); err != nil || ids() != "code,pick,num" {
		t.Fatalf("move past the end: %v, order %s", err, ids())
	}
	for _, id := range []string{"code", "pick"} {
		if _, err := f.app.RemoveCourseExercise(ctx, f.visit(t, f.inst), id); err != nil {
			t.Fatal(err)
		}
	}
	_, err := f.app.RemoveCourseExercise(ctx, f.visit(t, f.inst), "num")
	wantCode(t, "remove the last", err, gradjudge.ECONFLICT)
	if _, err := f.app.AddCourseExercise(ctx, f.visit(t, f.inst), "pick"); err != nil || ids() != "num,pick" {
		t.Fatalf("add: %v, order %s", err, ids())
	}
	_, err = f.app.AddCourseExercise(ctx, f.visit(t, f.inst), "pick")
	wantCode(t, "add twice", err, gradjudge.ECONFLICT)
	_, err = f.app.AddCourseExercise(ctx, f.visit(t, f.inst), "nope")
	wantCode(t, "add unknown", err, gradjudge.EINVALID)
	_, err = f.app.MoveCourseExercise(ctx, f.visit(t, f.alice), "num", 1)
	wantCode(t, "a student moves", err, gradjudge.EFORBIDDEN)
}

// mailbox is a Mailer that keeps what it was asked to send.
type mailbox struct{ sent []string }

func (m *mailbox) SendSetPasswordLink(_ context.Context, u gradjudge.User, _ gradjudge.Course, secret string) error {
	m.sent = append(m.sent, u.Email+" "+secret)
	return nil
}

// TestEnrolPasted: new emails get accounts and links that work once; known ones are enrolled;
// nothing is mailed without a Mailer.
func TestEnrolPasted(t *testing.T) {
	for _, withMail := range []bool{false, true} {
		box := &mailbox{}
		f := newFixture(t, func(d *Deps) {
			d.PasswordTokens = d.Users.(gradjudge.PasswordTokenService)
			if withMail {
				d.Mailer = box
			}
		})
		ctx := t.Context()
		paste := "name,email\nCara Diaz, cara@example.edu\n\ndan@example.edu\n" + f.eve.Email + "\nALICE@example.edu\n"
		got, err := f.app.EnrolPasted(ctx, f.visit(t, f.inst), paste)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 4 || !got[0].New || got[0].Name != "Cara Diaz" || got[0].Secret == "" || !got[1].New || got[1].Name != "dan" || got[2].New || got[3].New {
			t.Fatalf("enrolled %+v", got)
		}
		if got[0].Mailed != withMail || len(box.sent) != map[bool]int{false: 0, true: 2}[withMail] {
			t.Errorf("with mail %v: mailed %v, sent %v", withMail, got[0].Mailed, box.sent)
		}
		roster, _ := f.app.Enrollments(ctx, f.visit(t, f.inst))
		if len(roster) != 6 {
			t.Errorf("roster has %d, want 6 (instructor, alice, bob, cara, dan, eve)", len(roster))
		}
		u, err := f.app.SetPasswordWithLink(ctx, got[0].Secret, "cara's password", "10.0.0.1")
		if err != nil || u.Email != "cara@example.edu" {
			t.Fatalf("set password: %+v, %v", u, err)
		}
		if _, err := f.app.SignIn(ctx, "cara@example.edu", "cara's password", "10.0.0.1"); err != nil {
			t.Errorf("sign in with the new password: %v", err)
		}
		_, err = f.app.SetPasswordWithLink(ctx, got[0].Secret, "again password", "10.0.0.1")
		wantCode(t, "a link used twice", err, gradjudge.EUNAUTHORIZED)
	}
}

func TestParsePaste(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       int
		code       string
	}{
		{"emails", "a@x.org\nb@x.org\n", 2, ""},
		{"csv either order", "email,name\na@x.org,Ann\nBob,b@x.org", 2, ""},
		{"duplicates", "a@x.org\nA@x.org", 1, ""},
		{"no email", "name\n", 0, gradjudge.EINVALID},
		{"a line without one", "a@x.org\nBob\n", 0, gradjudge.EINVALID},
		{"not an address", "a@@x\n", 0, gradjudge.EINVALID},
		{"two on a line", "a@x.org,b@x.org\n", 0, gradjudge.EINVALID},
		{"too long", strings.Repeat("a", MaxPasteBytes+1), 0, gradjudge.ETOOLARGE},
	} {
		got, err := ParsePaste(c.text)
		if gradjudge.ErrorCode(err) != c.code || len(got) != c.want {
			t.Errorf("%s: %d people, %v; want %d, code %q", c.name, len(got), err, c.want, c.code)
		}
	}
}

// TestSetRole: an instructor makes a student a TA; a TA may not.
func TestSetRole(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	if err := f.app.SetRole(ctx, f.visit(t, f.inst), f.bob.ID, gradjudge.CourseTA); err != nil {
		t.Fatal(err)
	}
	if v := f.visit(t, f.bob); v.Role != gradjudge.CourseTA {
		t.Errorf("bob is %q, want ta", v.Role)
	}
	err := f.app.SetRole(ctx, f.visit(t, f.bob), f.alice.ID, gradjudge.CourseTA)
	wantCode(t, "a TA sets a role", err, gradjudge.EFORBIDDEN)
	err = f.app.SetRole(ctx, f.visit(t, f.inst), f.eve.ID, gradjudge.CourseTA)
	wantCode(t, "an outsider", err, gradjudge.ENOTFOUND)
}
