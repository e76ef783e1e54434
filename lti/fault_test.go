package lti_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"gradjudge"
	"gradjudge/lti"
)

// TestPlatformDown: with the token endpoint and then the scores endpoint down for a while, every
// score arrives once the platform is back, each once, after backoff.
func TestPlatformDown(t *testing.T) {
	h := newHarness(t)
	fp := newFakePlatform(t, canvas)
	h.register(fp)
	users := map[string]int64{}
	var course int64
	for _, who := range []person{ann, bob} {
		b := newBrowser()
		course = courseOf(t, signedInTo(t, b, h.url, h.launch(t, b, fp, who, launchOpts{})))
		users[who.sub] = userOf(t, b, h.url)
	}
	// Token endpoint down: both scores wait.
	fp.down = 3
	h.solve(t, users[ann.sub], course, "e1", "1")
	h.solve(t, users[bob.sub], course, "e1", "0.5")
	for i := 0; i < 3; i++ {
		h.tool.SendScores(t.Context())
		if n, _ := h.tool.SendScores(t.Context()); n != 0 {
			t.Fatalf("pass %d: %d scores retried before their backoff", i, n)
		}
		h.clock.Advance(lti.MaxRetry)
	}
	h.tool.SendScores(t.Context())
	if got := fp.received(); len(got) != 2 {
		t.Fatalf("after the token endpoint came back: %d scores, want 2", len(got))
	}
	// Scores endpoint down (the token is cached): a new score waits and arrives once.
	fp.down = 2
	h.clock.Advance(time.Second)
	h.solve(t, users[ann.sub], course, "e1", "0.5")
	for i := 0; i < 4; i++ {
		h.tool.SendScores(t.Context())
		h.clock.Advance(lti.MaxRetry)
	}
	if got := fp.received(); len(got) != 3 {
		t.Fatalf("after the scores endpoint came back: %d scores arrived (2 before), want 3", len(got))
	}
	scores, _ := h.db.LTIScores(t.Context(), course)
	for _, s := range scores {
		if s.State != gradjudge.LTIScoreSent {
			t.Errorf("score %d is %s (%s), want sent", s.ID, s.State, s.LastError)
		}
	}
	if scores[0].Attempts < 2 {
		t.Errorf("the e2 score took %d attempts, want retries recorded", scores[0].Attempts)
	}
}

// TestKilledWithScoresQueued: a process killed with scores in the outbox (one of them leased by
// its worker mid-send) leaves them to the next start, which sends each once.
func TestKilledWithScoresQueued(t *testing.T) {
	h := newHarness(t)
	fp := newFakePlatform(t, moodle)
	h.register(fp)
	b := newBrowser()
	course := courseOf(t, signedInTo(t, b, h.url, h.launch(t, b, fp, ann, launchOpts{})))
	signedInTo(t, b, h.url, h.launch(t, b, fp, ann, launchOpts{mutate: secondLink(fp)}))
	user := userOf(t, b, h.url)
	h.solve(t, user, course, "e1", "1")
	h.solve(t, user, course, "e2", "0.5")
	// The dying process's worker leased one score and never finished it.
	if leased, err := h.db.ClaimLTIScores(t.Context(), 1, lti.OutboxLease); err != nil || len(leased) != 1 {
		t.Fatalf("lease: %v %v", leased, err)
	}
	h.restart()
	h.tool.SendScores(t.Context())
	if got := fp.received(); len(got) != 1 {
		t.Fatalf("right after restart: %d scores, want the unleased one", len(got))
	}
	h.clock.Advance(lti.OutboxLease)
	h.tool.SendScores(t.Context())
	h.tool.SendScores(t.Context())
	got := fp.received()
	if len(got) != 2 || got[0].path == got[1].path {
		t.Errorf("after the lease ran out: %+v, want each of the two scores once", got)
	}
}

// TestRejectedScore: a 4xx other than 422 is final (rejected, not retried); a 401 drops the cached
// token and retries with a new one.
func TestRejectedScore(t *testing.T) {
	h := newHarness(t)
	fp := newFakePlatform(t, canvas)
	fp.scoreCode[ann.sub] = http.StatusBadRequest
	h.register(fp)
	b := newBrowser()
	course := courseOf(t, signedInTo(t, b, h.url, h.launch(t, b, fp, ann, launchOpts{})))
	h.solve(t, userOf(t, b, h.url), course, "e1", "1")
	h.tool.SendScores(t.Context())
	h.clock.Advance(lti.MaxRetry)
	h.tool.SendScores(t.Context())
	scores, _ := h.db.LTIScores(t.Context(), course)
	if len(fp.received()) != 1 || scores[0].State != gradjudge.LTIScoreRejected {
		t.Errorf("sent %d times, state %s; want once, rejected", len(fp.received()), scores[0].State)
	}
	// The instructor resends it once the LMS is fixed: a copy with a later timestamp.
	delete(fp.scoreCode, ann.sub)
	again, err := h.db.ResendLTIScore(t.Context(), course, scores[0].ID)
	if err != nil || !again.Timestamp.After(scores[0].Timestamp) {
		t.Fatalf("resend: %+v %v", again, err)
	}
	h.tool.SendScores(t.Context())
	if got := fp.received(); len(got) != 2 {
		t.Errorf("after resend: %d sends, want 2", len(got))
	}
	checkIncreasing(t, fp.received())
}

// secondLink makes a launch the one of resource link rl-2, exercise e2, line item 10.
func secondLink(fp *fakePlatform) func(jwt.MapClaims) {
	return func(c jwt.MapClaims) {
		c["https://purl.imsglobal.org/spec/lti/claim/resource_link"] = map[string]any{"id": "rl-2"}
		c["https://purl.imsglobal.org/spec/lti/claim/custom"] = map[string]any{"exercise_id": "e2"}
		c["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = map[string]any{
			"scope": []string{lti.ScopeScore}, "lineitem": fp.lineItem("10")}
	}
}

func TestRetryDelay(t *testing.T) {
	for attempt, want := range map[int]time.Duration{1: lti.FirstRetry, 2: 2 * lti.FirstRetry, 3: 4 * lti.FirstRetry, 30: lti.MaxRetry} {
		if got := lti.RetryDelay(attempt); got != want {
			t.Errorf("RetryDelay(%d) = %v, want %v", attempt, got, want)
		}
	}
}

// TestTokenRefusedKeepsScores: a refused client credentials grant (a registration being fixed)
// leaves the score pending, not lost.
func TestTokenRefusedKeepsScores(t *testing.T) {
	h := newHarness(t)
	fp := newFakePlatform(t, brightspace)
	h.register(fp)
	b := newBrowser()
	course := courseOf(t, signedInTo(t, b, h.url, h.launch(t, b, fp, ann, launchOpts{})))
	fp.q.tokenAudience = "https://changed.example/token" // the platform now wants another aud
	h.solve(t, userOf(t, b, h.url), course, "e1", "1")
	h.tool.SendScores(t.Context())
	scores, _ := h.db.LTIScores(t.Context(), course)
	if scores[0].State != gradjudge.LTIScorePending || !strings.Contains(scores[0].LastError, "401") {
		t.Errorf("score %+v, want pending with the token endpoint's 401", scores[0])
	}
}
