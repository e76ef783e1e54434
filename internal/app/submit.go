package app

import (
	"context"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"gradjudge"
	"gradjudge/internal/policy"
	"gradjudge/internal/ratelimit"
)

// Limits of one answer.
const (
	MaxCodeBytes           = 64 << 10 // the code of one answer, in bytes
	MaxIdempotencyKeyBytes = 200      // an Idempotency-Key, in bytes
	MaxAnswerFields        = 100      // the quantities of one numeric answer
	MaxFieldBytes          = 16 << 10 // one quantity's answer (a number, or a matrix of them), in bytes
)

// SubmitRequest is one answer as a door received it. It names no user, course or score: those
// come from the visit and the server, and so does the variant judged (the student's current one).
type SubmitRequest struct {
	ExerciseID string
	Answer     gradjudge.Answer
	// Seed is the seed of the variant the page or client showed when the answer was worked on
	// (Variant.Seed); nil when the client does not say (older clients). A seed other than the
	// student's current variant's is refused (ECONFLICT, errStaleVariant), never judged against
	// the new variant; only a retry of an answer stored already is answered, with that submission.
	Seed *uint64
	// IdempotencyKey is the client's key for retrying safely; empty means none.
	IdempotencyKey string
	// Wait is how long to wait for the verdict before answering with the submission still queued:
	// zero does not wait; a negative Wait, or one past Deps.MaxWait, waits MaxWait.
	Wait time.Duration
}

// Submit checks an answer against the exercise, its policy (EFORBIDDEN before it opens), the
// variant it was worked on (ECONFLICT when that is no longer the student's: r.Seed) and the
// submitter's limits, stores it for the variant the student works on (the store enqueues or
// grades it in the same transaction) and waits up to r.Wait for its verdict. It returns the
// submission as it then is: done with its verdict, or still queued or judging. What the attempt
// counts for is the policy's business afterwards (Standing), not a reason to refuse it.
func (a *App) Submit(ctx context.Context, v Visit, r SubmitRequest) (gradjudge.Submission, error) {
	e, err := a.CourseExercise(v.Course, r.ExerciseID)
	if err != nil {
		return gradjudge.Submission{}, err
	}
	if err := checkAnswer(e.Kind, r); err != nil {
		return gradjudge.Submission{}, err
	}
	st, err := a.standing(ctx, v, e.ID)
	if err != nil {
		return gradjudge.Submission{}, err
	}
	if err := st.Policy.Admit(a.now()); err != nil {
		return gradjudge.Submission{}, err
	}
	s := gradjudge.Submission{UserID: v.User.ID, CourseID: v.Course.ID, ExerciseID: e.ID, Kind: e.Kind,
		Seed: st.Seed, IdempotencyKey: r.IdempotencyKey, Answer: r.Answer}
	if r.Seed != nil && *r.Seed != st.Seed {
		s.Seed = *r.Seed
		s, err = a.staleVariant(ctx, s)
	} else if ok, retry := a.submits.Allow(v.User.ID); !ok {
		return gradjudge.Submission{}, rateLimited(retry, "too many submissions")
	} else {
		s, err = a.create(ctx, s, st)
	}
	if err != nil || s.Status == gradjudge.SubmissionDone || r.Wait == 0 {
		return s, err
	}
	return a.d.Submissions.WaitSubmission(ctx, s.ID, a.waitLimit(r.Wait))
}

// ParseVariantSeed reads the seed of the variant an answer was worked on as a door received it
// (Variant.Seed in decimal, from a form field or the API's "seed"): nil for "" (a client that does
// not say), EINVALID for anything but a decimal uint64.
func ParseVariantSeed(text string) (*uint64, error) {
	if text == "" {
		return nil, nil
	}
	seed, err := strconv.ParseUint(text, 10, 64)
	if err != nil {
		return nil, gradjudge.Errorf(gradjudge.EINVALID, "seed: want the decimal seed of the variant the answer was worked on, as the exercise gave it")
	}
	return &seed, nil
}

// errStaleVariant refuses an answer worked on a variant the student no longer works on.
var errStaleVariant = gradjudge.Errorf(gradjudge.ECONFLICT,
	"this exercise now shows a new variant: reload the page to see its numbers; your answer was not stored and used no attempt")

// staleVariant answers s, an answer worked on another variant (s.Seed) than the student's current
// one: the submission it retries when its idempotency key names one stored with the same exercise,
// variant and answer (the answer that moved the student to a fresh variant, sent again); else
// errStaleVariant. Nothing is stored.
func (a *App) staleVariant(ctx context.Context, s gradjudge.Submission) (gradjudge.Submission, error) {
	if s.IdempotencyKey == "" {
		return gradjudge.Submission{}, errStaleVariant
	}
	prev, err := a.d.Submissions.Submissions(ctx, gradjudge.SubmissionFilter{UserID: s.UserID, IdempotencyKey: s.IdempotencyKey, Limit: 1})
	if err != nil {
		return gradjudge.Submission{}, err
	}
	if len(prev) == 1 && prev[0].CourseID == s.CourseID && prev[0].ContentHash == gradjudge.ContentHash(s.ExerciseID, s.Seed, s.Answer) {
		return prev[0], nil
	}
	return gradjudge.Submission{}, errStaleVariant
}

// create stores s. A retry whose first try was the wrong attempt that moved the student to a
// fresh variant carries the same idempotency key but now another seed: it is the first try's
// replay, not a conflict, so it is tried once more with the previous variant's seed.
func (a *App) create(ctx context.Context, s gradjudge.Submission, st Standing) (gradjudge.Submission, error) {
	stored, _, err := a.d.Submissions.CreateSubmission(ctx, s)
	if gradjudge.ErrorCode(err) != gradjudge.ECONFLICT || s.IdempotencyKey == "" || st.State.Round == 0 {
		return stored, err
	}
	prev := s
	prev.Seed = policy.VariantSeed(gradjudge.VariantSeed(s.CourseID, s.UserID, s.ExerciseID), st.State.Round-1)
	if replay, _, perr := a.d.Submissions.CreateSubmission(ctx, prev); perr == nil {
		return replay, nil
	}
	return stored, err
}

// WaitSubmission waits up to wait (capped as SubmitRequest.Wait is) for submission id to be
// judged, for someone who may read it (see Submission), and returns it as it then is.
func (a *App) WaitSubmission(ctx context.Context, u gradjudge.User, id int64, wait time.Duration) (gradjudge.Submission, error) {
	s, err := a.Submission(ctx, u, id)
	if err != nil || s.Status == gradjudge.SubmissionDone || wait == 0 {
		return s, err
	}
	return a.d.Submissions.WaitSubmission(ctx, id, a.waitLimit(wait))
}

// waitLimit caps a requested wait at MaxWait; a negative request is MaxWait.
func (a *App) waitLimit(wait time.Duration) time.Duration {
	if wait < 0 || wait > a.d.MaxWait {
		return a.d.MaxWait
	}
	return wait
}

// answerPart is the part of an answer one exercise kind takes.
type answerPart struct {
	kind gradjudge.ExerciseKind
	name string // the field of the answer
	with string // what the kind is answered with
}

// answerParts are the parts of an answer, one per exercise kind.
var answerParts = []answerPart{
	{gradjudge.KindNumeric, "fields", "numbers"},
	{gradjudge.KindChoice, "choice", "one option"},
	{gradjudge.KindCode, "code", "Go code"},
}

// checkAnswer refuses an answer that is too large, is not valid text, or does not fit the
// exercise's kind: the part the kind asks for is missing, or a part of another kind is there.
// The exercise's kind alone decides how an answer is judged and which queue takes it: a stray
// part is a client mistake, never a way onto another path.
func checkAnswer(kind gradjudge.ExerciseKind, r SubmitRequest) error {
	if err := checkAnswerSize(r); err != nil {
		return err
	}
	if err := checkAnswerText(r); err != nil {
		return err
	}
	i := slices.IndexFunc(answerParts, func(p answerPart) bool { return p.kind == kind })
	if i < 0 {
		return nil // a kind the core does not know: the judge decides
	}
	want := answerParts[i]
	if !r.Answer.Has(kind) {
		return gradjudge.Errorf(gradjudge.EINVALID, "this exercise is answered with %s: send %q", want.with, want.name)
	}
	for _, p := range answerParts {
		if p.kind != kind && r.Answer.Has(p.kind) {
			return gradjudge.Errorf(gradjudge.EINVALID, "this exercise is answered with %s only: send %q without %q", want.with, want.name, p.name)
		}
	}
	return nil
}

func checkAnswerSize(r SubmitRequest) error {
	switch {
	case len(r.Answer.Code) > MaxCodeBytes:
		return gradjudge.Errorf(gradjudge.ETOOLARGE, "the code is longer than %d KiB", MaxCodeBytes>>10)
	case len(r.Answer.Fields) > MaxAnswerFields:
		return gradjudge.Errorf(gradjudge.EINVALID, "an answer has at most %d fields", MaxAnswerFields)
	case len(r.IdempotencyKey) > MaxIdempotencyKeyBytes:
		return gradjudge.Errorf(gradjudge.EINVALID, "the Idempotency-Key is longer than %d bytes", MaxIdempotencyKeyBytes)
	}
	for id, raw := range r.Answer.Fields {
		if len(raw) > MaxFieldBytes {
			return gradjudge.Errorf(gradjudge.ETOOLARGE, "the answer to %q is longer than %d KiB", id, MaxFieldBytes>>10)
		}
	}
	return nil
}

// checkAnswerText refuses invalid UTF-8 and NUL in every text of the answer: stored raw, it would
// make every later reply holding it invalid JSON, and PostgreSQL refuses it.
func checkAnswerText(r SubmitRequest) error {
	if err := gradjudge.CheckText("the Idempotency-Key", r.IdempotencyKey); err != nil {
		return err
	}
	if err := gradjudge.CheckText("choice", r.Answer.Choice); err != nil {
		return err
	}
	if err := gradjudge.CheckText("code", r.Answer.Code); err != nil {
		return err
	}
	for id, raw := range r.Answer.Fields {
		if err := gradjudge.CheckText("a field name", id); err != nil {
			return err
		}
		if !utf8.Valid(raw) {
			return gradjudge.Errorf(gradjudge.EINVALID, "the answer to %q is not valid UTF-8 text", id)
		}
	}
	return nil
}

// rateLimited is the ERATELIMIT error for what, to be tried again after retry.
func rateLimited(retry time.Duration, what string) error {
	secs := time.Duration(max(ratelimit.RetryAfterSeconds(retry), 1)) * time.Second
	return &gradjudge.Error{Code: gradjudge.ERATELIMIT, Message: what + ": try again in " + secs.String(), RetryAfter: retry}
}
