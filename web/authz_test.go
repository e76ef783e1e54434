package web

import (
	"fmt"
	"strings"
	"testing"
)

// TestAuthorization asks every page as every kind of user: the statuses are the API's (not
// enrolled → 404, not staff → 403, a malformed id → 400), a signed-out browser is sent to the
// sign-in form, and a page shows the dashboard or the progress page by role.
func TestAuthorization(t *testing.T) {
	dashboard, ownProgress := `id="heatmap"`, "Misconceptions to review"
	tests := []struct {
		name     string
		user     int64
		path     string
		status   int
		location string // for redirects
		has      string // in the body
		hasNot   string
	}{
		{"signed out, course", 0, "/courses/10", 303, "/?next=%2Fcourses%2F10", "", ""},
		{"signed out, courses", 0, "/courses", 303, "/?next=%2Fcourses", "", ""},
		{"stale token", 42, "/courses", 303, "/?next=%2Fcourses", "", ""},
		{"sign-in form", 0, "/", 200, "", `action="/signin"`, ""},
		{"sign-in form when signed in", alice, "/", 303, "/courses", "", ""},
		{"instructor", inst, "/courses/10", 200, "", dashboard, ownProgress},
		{"TA", ta, "/courses/10", 200, "", dashboard, ownProgress},
		{"admin, not enrolled", admin, "/courses/10", 200, "", dashboard, ownProgress},
		{"student gets own progress", alice, "/courses/10", 200, "", ownProgress, dashboard},
		{"not enrolled", outsider, "/courses/10", 404, "", "", "Backprop"},
		{"instructor of another course", inst, "/courses/20", 404, "", "", "Someone else"},
		{"unknown course", inst, "/courses/99", 404, "", "", ""},
		{"unknown course, admin", admin, "/courses/99", 404, "", "", ""},
		{"id not a number", inst, "/courses/abc", 400, "", "positive integer", ""},
		{"id zero", inst, "/courses/0", 400, "", "positive integer", ""},
		{"id overflows", inst, "/courses/99999999999999999999", 400, "", "positive integer", ""},
		{"grades, instructor", inst, "/courses/10/grades.csv", 200, "", "user_id,email,name,ex-a,ex-a rule,ex-b,ex-b rule,total,solved", ""},
		{"grades, TA", ta, "/courses/10/grades.csv", 200, "", "alice@example.edu", ""},
		{"grades, student", alice, "/courses/10/grades.csv", 403, "", "instructors and TAs", "bob@"},
		{"grades, not enrolled", outsider, "/courses/10/grades.csv", 404, "", "", "alice@"},
		{"grades, signed out", 0, "/courses/10/grades.csv", 303, "/?next=%2Fcourses%2F10%2Fgrades.csv", "", ""},
		{"store fails: no detail", inst, "/courses/30", 500, "", "internal error", "secret"},
		{"store fails for a student: no detail", alice, "/courses/30", 500, "", "internal error", "secret"},
		{"no such page", alice, "/nope", 404, "", "no such page", ""},
		{"no such page under a course", inst, "/courses/10/nope", 404, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			w := e.get(tt.user, tt.path)
			body := w.Body.String()
			if w.Code != tt.status {
				t.Fatalf("GET %s as %d: status %d, want %d\n%s", tt.path, tt.user, w.Code, tt.status, body)
			}
			if got := w.Header().Get("Location"); got != tt.location {
				t.Errorf("Location = %q, want %q", got, tt.location)
			}
			if tt.has != "" && !strings.Contains(body, tt.has) {
				t.Errorf("body lacks %q:\n%s", tt.has, body)
			}
			if tt.hasNot != "" && strings.Contains(body, tt.hasNot) {
				t.Errorf("body has %q:\n%s", tt.hasNot, body)
			}
		})
	}
}

// TestStudentSeesOnlyOwnData: a student's page reads only their own progress and shows nothing
// of another student's.
func TestStudentSeesOnlyOwnData(t *testing.T) {
	e := newEnv(t)
	w := e.get(alice, "/courses/10")
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	if fmt.Sprint(e.f.progressOf) != fmt.Sprint([]int64{alice}) {
		t.Errorf("progress read for users %v, want only alice (%d)", e.f.progressOf, alice)
	}
	body := w.Body.String()
	for _, leak := range []string{"One path only", "Bob", "bob@", "id=\"heatmap\"", "grades.csv"} {
		if strings.Contains(body, leak) {
			t.Errorf("alice's page shows %q", leak)
		}
	}
}

// TestCourseList lists a user's courses with their role; an admin sees every course, as its instructor.
func TestCourseList(t *testing.T) {
	tests := []struct {
		name    string
		user    int64
		want    []string
		notWant []string
	}{
		{"student", alice, []string{`href="/courses/10"`, "student", `href="/courses/30"`}, []string{`href="/courses/20"`}},
		{"TA", ta, []string{`href="/courses/10"`, ">ta<"}, []string{`href="/courses/20"`, `href="/courses/30"`}},
		{"admin", admin, []string{`href="/courses/10"`, `href="/courses/20"`, `href="/courses/30"`, ">instructor<"}, nil},
		{"nobody's student", outsider, []string{"not enrolled in any course"}, []string{`href="/courses/1`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newEnv(t).get(tt.user, "/courses")
			body := w.Body.String()
			if w.Code != 200 {
				t.Fatalf("status %d", w.Code)
			}
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("lacks %q", s)
				}
			}
			for _, s := range tt.notWant {
				if strings.Contains(body, s) {
					t.Errorf("has %q", s)
				}
			}
		})
	}
}
