package store

import (
	"context"
	"errors"

	"gradjudge"
)

// gradeInline grades s with Config.InlineJudge, for CreateSubmission to store with its verdict.
// ok is false, and s goes to the queue as without an inline judge, when there is none, when s is
// an answer to a code exercise (seconds of sandbox, for the bounded code workers), and when the judge fails
// (broken, or busy): the queue retries it, so nothing is lost.
func (db *DB) gradeInline(ctx context.Context, s gradjudge.Submission) (pv preparedVerdict, ok bool) {
	if !db.judgesInline(s) {
		return preparedVerdict{}, false
	}
	v, err := safeGrade(ctx, db.cfg.InlineJudge, s)
	if err == nil {
		pv, err = db.prepareVerdict(v)
	}
	switch {
	case err == nil:
		return pv, true
	case gradjudge.ErrorCode(err) == gradjudge.ERATELIMIT, errors.Is(err, context.Canceled):
		db.cfg.Logger.DebugContext(ctx, "inline judging declined; the submission goes to the queue", "exercise", s.ExerciseID, "err", err)
	default:
		db.cfg.Logger.WarnContext(ctx, "inline judging failed; the submission goes to the queue", "exercise", s.ExerciseID, "err", err)
	}
	return preparedVerdict{}, false
}

// judgesInline says whether CreateSubmission asks the inline judge for s's verdict: for the
// exercises whose answers go to the numeric queue, by the exercise's kind.
func (db *DB) judgesInline(s gradjudge.Submission) bool {
	return db.cfg.InlineJudge != nil && queueFor(s) == QueueNumeric
}
