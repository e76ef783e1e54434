package gradjudge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash/fnv"
	"strconv"
	"time"
)

// SubmissionStatus is where a submission is in judging.
type SubmissionStatus string

// The submission statuses. A submission moves queued → judging → done and only forward; an
// interrupted judging (a crashed worker) is judged again from judging.
const (
	SubmissionQueued  SubmissionStatus = "queued"
	SubmissionJudging SubmissionStatus = "judging"
	SubmissionDone    SubmissionStatus = "done" // Verdict is set
)

// Submission is one answer of one student to one exercise of one course. Its payload (Answer,
// ExerciseID, Seed) never changes once stored; only Status, Verdict and JudgedAt do.
type Submission struct {
	ID         int64
	UserID     int64
	CourseID   int64
	ExerciseID string
	// Kind is the kind of the exercise answered, set by the application core from the catalog
	// when it creates the submission: it alone decides which judging queue takes it (numeric and
	// choice answers take microseconds, code builds a sandbox). Not stored: CreateSubmission returns
	// it as given, and a submission read back has none.
	Kind   ExerciseKind
	Seed   uint64 // the variant answered; see VariantSeed
	Answer Answer
	// ContentHash is ContentHash(ExerciseID, Seed, Answer); CreateSubmission fills it in.
	ContentHash string
	// IdempotencyKey is the client's key for retrying a create safely; empty means none.
	IdempotencyKey string
	Status         SubmissionStatus
	Verdict        *Verdict // nil until Status is done
	CreatedAt      time.Time
	JudgedAt       *time.Time // nil until Status is done
}

// SubmissionFilter selects submissions. Zero fields select everything; the caller scopes by
// setting UserID or CourseID.
type SubmissionFilter struct {
	UserID     int64
	CourseID   int64
	ExerciseID string
	Status     SubmissionStatus
	// BeforeID, when positive, returns only submissions with smaller ids: the cursor for the
	// next page.
	BeforeID int64
	// IdempotencyKey, when set, selects the submission the user (UserID) stored with that key.
	IdempotencyKey string
	// Limit caps the result; zero means DefaultSubmissionLimit, and it is never more than
	// MaxSubmissionLimit.
	Limit int
}

// Page sizes for listing submissions.
const (
	DefaultSubmissionLimit = 50
	MaxSubmissionLimit     = 500
)

// SubmissionService stores submissions and hands them to the judging queue. Implemented by
// store.DB.
type SubmissionService interface {
	// CreateSubmission stores s (ID, Status, Verdict, ContentHash and the times are set by the
	// store) and enqueues it for judging in the same transaction, so that a submission that was
	// acknowledged is never lost. A store may instead grade a quick answer itself and store it
	// with its verdict, in one transaction: then it returns s done. When s.IdempotencyKey is set and the user already has a
	// submission with that key, it returns that submission and created=false; ECONFLICT when
	// that earlier submission has a different content. ENOTFOUND for an unknown user or course.
	CreateSubmission(ctx context.Context, s Submission) (sub Submission, created bool, err error)
	// Submission returns the submission with id; ENOTFOUND when there is none.
	Submission(ctx context.Context, id int64) (Submission, error)
	// Submissions lists the submissions f selects, newest first.
	Submissions(ctx context.Context, f SubmissionFilter) ([]Submission, error)
	// WaitSubmission returns submission id once it is done, or as it is after at most max (not
	// an error: the caller looks at Status), or ctx's error when ctx ends first.
	WaitSubmission(ctx context.Context, id int64, max time.Duration) (Submission, error)
	// QueueDepth is the number of submissions queued or being judged.
	QueueDepth(ctx context.Context) (int64, error)
}

// ContentHash is the hex SHA-256 of a submission's payload: the same exercise, variant and answer
// hash the same.
func ContentHash(exerciseID string, seed uint64, a Answer) string {
	b, _ := json.Marshal(a) // map keys are sorted, so equal answers encode equally
	h := sha256.New()
	h.Write([]byte(exerciseID + "\x00" + strconv.FormatUint(seed, 10) + "\x00"))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// VariantSeed is the seed of the variant of an exercise that a user gets in a course: stable, so
// that the student sees the same numbers on every visit, and different between students.
func VariantSeed(courseID, userID int64, exerciseID string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(strconv.FormatInt(courseID, 10) + "/" + strconv.FormatInt(userID, 10) + "/" + exerciseID))
	return h.Sum64()
}
