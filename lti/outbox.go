package lti

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"gradjudge"
)

// Settings of the score passback worker.
const (
	// OutboxBatch is how many scores one pass leases.
	OutboxBatch = 32
	// OutboxParallel is how many scores one pass sends at once.
	OutboxParallel = 4
	// OutboxLease is how long a leased score is left to its worker: longer than a token request
	// and a score request together, so a live worker never loses one; a dead worker's come back
	// after it.
	OutboxLease = 4 * HTTPTimeout
	// OutboxPoll is how often the worker looks for due scores.
	OutboxPoll = 2 * time.Second
	// FirstRetry and MaxRetry bound the backoff after a failed send: FirstRetry × 2^(attempt-1),
	// at most MaxRetry. A score is retried until the platform answers; it is never given up.
	FirstRetry = 10 * time.Second
	MaxRetry   = time.Hour
	// scoreMediaType is the AGS score's content type.
	scoreMediaType = "application/vnd.ims.lis.v1.score+json"
)

// RetryDelay is how long a score waits after its attempt-th failed send.
func RetryDelay(attempt int) time.Duration {
	d := FirstRetry
	for i := 1; i < attempt && d < MaxRetry; i++ {
		d *= 2
	}
	return min(d, MaxRetry)
}

// RunOutbox sends queued scores every poll (OutboxPoll when zero) until ctx ends. Several
// processes may run it on one database: leases keep them from sending a score twice.
func (t *Tool) RunOutbox(ctx context.Context, poll time.Duration) {
	if poll <= 0 {
		poll = OutboxPoll
	}
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		for {
			n, err := t.SendScores(ctx)
			if err != nil {
				t.log.Error("lti: score passback", "err", err)
			}
			if n < OutboxBatch || ctx.Err() != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// SendScores makes one pass over the outbox: it leases the due scores and sends each, recording
// its outcome. It returns how many it leased.
func (t *Tool) SendScores(ctx context.Context) (int, error) {
	scores, err := t.cfg.Outbox.ClaimLTIScores(ctx, OutboxBatch, OutboxLease)
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	slots := make(chan struct{}, OutboxParallel)
	errs := make([]error, len(scores))
	for i, s := range scores {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			errs[i] = t.sendOne(ctx, s)
		}()
	}
	wg.Wait()
	return len(scores), errors.Join(errs...)
}

// sendOne sends s and records the outcome: sent on 2xx; not_graded on 422 (the user is not a
// gradable student there: Canvas's test student); rejected on any other 4xx but 401, 408 and 429;
// pending with backoff on 5xx, timeouts, 401 (its token is dropped) and 408 and 429.
func (t *Tool) sendOne(ctx context.Context, s gradjudge.LTIScore) error {
	status, detail, err := t.post(ctx, s)
	var state gradjudge.LTIScoreState
	switch {
	case err != nil:
		state, detail = gradjudge.LTIScorePending, err.Error()
	case status >= 200 && status < 300:
		state, detail = gradjudge.LTIScoreSent, ""
	case status == http.StatusUnprocessableEntity:
		state = gradjudge.LTIScoreNotGraded
	case status == http.StatusUnauthorized || status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500:
		state = gradjudge.LTIScorePending
	default:
		state = gradjudge.LTIScoreRejected
	}
	if status != 0 && state != gradjudge.LTIScoreSent {
		detail = fmt.Sprintf("%d %s", status, detail)
	}
	if state != gradjudge.LTIScoreSent {
		t.log.Info("lti: score not sent", "score", s.ID, "state", state, "detail", detail)
	}
	return t.cfg.Outbox.FinishLTIScore(context.WithoutCancel(ctx), s.ID, state, detail, t.now().Add(RetryDelay(s.Attempts+1)))
}

// post sends s to its line item's scores endpoint: the platform's status and answer, or an error
// before any answer.
func (t *Tool) post(ctx context.Context, s gradjudge.LTIScore) (int, string, error) {
	p, err := t.cfg.Platforms.LTIPlatformByID(ctx, s.PlatformID)
	if err != nil {
		return 0, "", err
	}
	scopes := []string{ScopeScore}
	token, err := t.accessToken(ctx, p, scopes)
	if err != nil {
		return 0, "", err
	}
	target, err := scoresURL(s.LineItemURL)
	if err != nil {
		return 0, "", err
	}
	body, _ := json.Marshal(t.scoreBody(s))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", scoreMediaType)
	resp, err := t.client.Do(req)
	if err != nil {
		return 0, "", fmt.Errorf("scores endpoint: %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if resp.StatusCode == http.StatusUnauthorized {
		t.tokens.forget(p, scopes)
	}
	return resp.StatusCode, snippet(answer), nil
}

// agsScore is the AGS score message.
type agsScore struct {
	UserID           string  `json:"userId"`
	ScoreGiven       float64 `json:"scoreGiven"`
	ScoreMaximum     float64 `json:"scoreMaximum"`
	Comment          string  `json:"comment,omitempty"`
	Timestamp        string  `json:"timestamp"`
	ActivityProgress string  `json:"activityProgress"`
	GradingProgress  string  `json:"gradingProgress"`
}

// scoreBody is the AGS message of s; its comment names s's misconception by its catalog title.
func (t *Tool) scoreBody(s gradjudge.LTIScore) agsScore {
	comment := s.Comment
	if s.Misconception != "" {
		comment += " Misconception to work on: " + t.misconceptionTitle(s.Misconception) + "."
	}
	return agsScore{UserID: s.UserSub, ScoreGiven: s.ScoreGiven, ScoreMaximum: s.ScoreMaximum, Comment: comment,
		Timestamp: s.Timestamp.UTC().Format("2006-01-02T15:04:05.000Z07:00"), ActivityProgress: s.ActivityProgress,
		GradingProgress: s.GradingProgress}
}

// misconceptionTitle is the catalog title of tag, or the tag when the catalog lost it.
func (t *Tool) misconceptionTitle(tag string) string {
	for _, m := range t.cfg.Catalog.Misconceptions() {
		if m.Tag == tag {
			return m.Title
		}
	}
	return tag
}

// scoresURL is the scores endpoint of a line item: /scores appended to its path, before any
// query string (Moodle's line item URLs carry ?type_id=...).
func scoresURL(lineItem string) (string, error) {
	u, err := url.Parse(lineItem)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("line item URL %q: not absolute", lineItem)
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/scores"
	if u.RawPath != "" {
		u.RawPath = strings.TrimSuffix(u.RawPath, "/") + "/scores"
	}
	return u.String(), nil
}
