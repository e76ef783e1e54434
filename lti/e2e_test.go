package lti_test

import (
	"strings"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/lti"
)

// TestLaunchSolveScore is the end-to-end path on each LMS: login → launch → the student solves →
// the score arrives once, with the right value, comment and media type, at the line item's
// /scores (before Moodle's query string), with a token asked for the score scope only and
// (Brightspace) the platform's own token audience.
func TestLaunchSolveScore(t *testing.T) {
	for _, q := range []quirks{canvas, moodle, brightspace} {
		t.Run(q.name, func(t *testing.T) {
			h := newHarness(t)
			fp := newFakePlatform(t, q)
			h.register(fp)
			b := newBrowser()
			path := signedInTo(t, b, h.url, h.launch(t, b, fp, ann, launchOpts{}))
			course := courseOf(t, path)
			if want := "/exercises/e1"; !strings.HasSuffix(path, want) {
				t.Errorf("launch opened %q, want the exercise page %s", path, want)
			}
			user := userOf(t, b, h.url)
			if role, _ := h.db.CourseRole(t.Context(), course, user); role != gradjudge.CourseStudent {
				t.Errorf("role %q, want student", role)
			}
			h.solve(t, user, course, "e1", "0.5")
			if n, err := h.tool.SendScores(t.Context()); n != 1 || err != nil {
				t.Fatalf("SendScores = %d, %v; want 1 score sent", n, err)
			}
			got := fp.received()
			if len(got) != 1 {
				t.Fatalf("platform got %d scores, want 1", len(got))
			}
			s := got[0]
			if s.path != "/lineitems/9/scores" || s.query != q.lineItemQuery {
				t.Errorf("score posted to %s?%s, want /lineitems/9/scores?%s", s.path, s.query, q.lineItemQuery)
			}
			if s.contentType != "application/vnd.ims.lis.v1.score+json" {
				t.Errorf("content type %q", s.contentType)
			}
			checkScore(t, s.body, "sub-ann", 50, "Submitted")
			if c, _ := s.body["comment"].(string); !strings.Contains(c, "Adding local derivatives") {
				t.Errorf("comment %q does not name the misconception", c)
			}
			if len(fp.tokens) != 1 || fp.tokens[0].scope != lti.ScopeScore || fp.tokens[0].audience[0] != fp.tokenAudience() {
				t.Errorf("token requests %+v, want one for the score scope with aud %s", fp.tokens, fp.tokenAudience())
			}
			// Solving it sends the best score; a worse answer afterwards keeps the best.
			h.clock.Advance(time.Second)
			h.solve(t, user, course, "e1", "1")
			h.clock.Advance(time.Second)
			h.solve(t, user, course, "e1", "0")
			h.tool.SendScores(t.Context())
			got = fp.received()
			if len(got) != 2 {
				t.Fatalf("platform got %d scores, want 2 (the older pending one superseded)", len(got))
			}
			checkScore(t, got[1].body, "sub-ann", 100, "Completed")
			checkIncreasing(t, got)
			if len(fp.tokens) != 1 {
				t.Errorf("%d token requests, want the cached token reused", len(fp.tokens))
			}
			if n, _ := h.tool.SendScores(t.Context()); n != 0 || len(fp.received()) != 2 {
				t.Errorf("a later pass sent %d more: a score went twice", n)
			}
		})
	}
}

func checkScore(t *testing.T, body map[string]any, sub string, given float64, activity string) {
	t.Helper()
	if body["userId"] != sub || body["scoreGiven"] != given || body["scoreMaximum"] != float64(100) ||
		body["activityProgress"] != activity || body["gradingProgress"] != "FullyGraded" {
		t.Errorf("score %v, want %s %v/100 %s FullyGraded", body, sub, given, activity)
	}
	if _, err := time.Parse(time.RFC3339Nano, body["timestamp"].(string)); err != nil {
		t.Errorf("timestamp %v: %v", body["timestamp"], err)
	}
}

// checkIncreasing checks the timestamps of scores to one line item and user increase strictly.
func checkIncreasing(t *testing.T, got []receivedScore) {
	t.Helper()
	var last time.Time
	for _, s := range got {
		ts, _ := time.Parse(time.RFC3339Nano, s.body["timestamp"].(string))
		if !ts.After(last) {
			t.Errorf("timestamp %v not after %v", ts, last)
		}
		last = ts
	}
}

// TestSameInstantScores: two verdicts in one millisecond still get strictly increasing
// timestamps, and only the newest is sent.
func TestSameInstantScores(t *testing.T) {
	h := newHarness(t)
	fp := newFakePlatform(t, canvas)
	h.register(fp)
	b := newBrowser()
	course := courseOf(t, signedInTo(t, b, h.url, h.launch(t, b, fp, ann, launchOpts{})))
	user := userOf(t, b, h.url)
	h.solve(t, user, course, "e1", "0.5")
	h.solve(t, user, course, "e1", "1")
	scores, err := h.db.LTIScores(t.Context(), course)
	if err != nil || len(scores) != 2 {
		t.Fatalf("outbox %+v, %v", scores, err)
	}
	if !scores[0].Timestamp.After(scores[1].Timestamp) || scores[1].State != gradjudge.LTIScoreSuperseded {
		t.Errorf("outbox %+v: want the newer later and the older superseded", scores)
	}
	h.tool.SendScores(t.Context())
	if got := fp.received(); len(got) != 1 || got[0].body["scoreGiven"] != float64(100) {
		t.Errorf("sent %+v, want only the newest (100)", got)
	}
}

// TestInstructorAndTARoles maps LMS roles to course roles; an instructor's first launch makes
// the course and a later student's joins it.
func TestInstructorAndTARoles(t *testing.T) {
	h := newHarness(t)
	fp := newFakePlatform(t, canvas)
	h.register(fp)
	ta := person{sub: "sub-ta", name: "Tim", roles: []string{roleInstructor, roleTA}}
	var course int64
	for _, c := range []struct {
		who  person
		want gradjudge.CourseRole
	}{{prof, gradjudge.CourseInstructor}, {ta, gradjudge.CourseTA}, {ann, gradjudge.CourseStudent}} {
		b := newBrowser()
		id := courseOf(t, signedInTo(t, b, h.url, h.launch(t, b, fp, c.who, launchOpts{})))
		if course != 0 && id != course {
			t.Errorf("%s landed in course %d, want the one course %d", c.who.name, id, course)
		}
		course = id
		if role, _ := h.db.CourseRole(t.Context(), course, userOf(t, b, h.url)); role != c.want {
			t.Errorf("%s: role %q, want %q", c.who.name, role, c.want)
		}
	}
	// Instructor and TA both have Instructor; the TA sub-role makes Tim a TA, not an instructor.
	if got := lti.CourseRole([]string{"http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper"}); got != gradjudge.CourseInstructor {
		t.Errorf("ContentDeveloper → %q, want instructor", got)
	}
	if got := lti.CourseRole([]string{"http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"}); got != "" {
		t.Errorf("Mentor → %q, want no access", got)
	}
}

// TestNameAndEmailUpdated: a relaunch updates the user's name and email; a user is (iss, sub), so
// the same sub from another issuer is another user.
func TestNameAndEmailUpdated(t *testing.T) {
	h := newHarness(t)
	fp, other := newFakePlatform(t, canvas), newFakePlatform(t, moodle)
	h.register(fp)
	h.register(other)
	b := newBrowser()
	signedInTo(t, b, h.url, h.launch(t, b, fp, ann, launchOpts{}))
	first := userOf(t, b, h.url)
	renamed := ann
	renamed.name, renamed.email = "Ann Lee-Smith", "ann.smith@school.example"
	b = newBrowser()
	signedInTo(t, b, h.url, h.launch(t, b, fp, renamed, launchOpts{}))
	if again := userOf(t, b, h.url); again != first {
		t.Errorf("relaunch is user %d, want %d", again, first)
	}
	u, _ := h.db.User(t.Context(), first)
	if u.Name != renamed.name || u.Email != renamed.email {
		t.Errorf("user %+v, want the new name and email", u)
	}
	b = newBrowser()
	signedInTo(t, b, h.url, h.launch(t, b, other, ann, launchOpts{}))
	if elsewhere := userOf(t, b, h.url); elsewhere == first {
		t.Error("the same sub from another issuer is the same user")
	}
}

// TestTestStudent: Canvas's test student launches like a student; the platform answers its
// scores 422, which is recorded as not graded and never retried.
func TestTestStudent(t *testing.T) {
	h := newHarness(t)
	fp := newFakePlatform(t, canvas)
	fp.scoreCode[tester.sub] = 422
	h.register(fp)
	b := newBrowser()
	course := courseOf(t, signedInTo(t, b, h.url, h.launch(t, b, fp, tester, launchOpts{})))
	h.solve(t, userOf(t, b, h.url), course, "e1", "1")
	h.tool.SendScores(t.Context())
	h.clock.Advance(lti.MaxRetry * 2)
	h.tool.SendScores(t.Context())
	scores, _ := h.db.LTIScores(t.Context(), course)
	if len(fp.received()) != 1 || len(scores) != 1 || scores[0].State != gradjudge.LTIScoreNotGraded ||
		!strings.Contains(scores[0].LastError, "422") {
		t.Errorf("sent %d, outbox %+v; want one try recorded not_graded with the 422", len(fp.received()), scores)
	}
}
