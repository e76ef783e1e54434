package gradjudge

import (
	"context"
	"time"
)

// MasteryParams are the Bayesian Knowledge Tracing parameters of one concept, each a probability
// in [0,1]: Prior that a student knows the concept before any answer, Learn that they come to
// know it at one answer (with its feedback), Guess that a student who does not know it answers
// right anyway, Slip that a student who knows it answers wrong. The zero value is not usable; a
// course without fitted parameters uses the model's defaults.
type MasteryParams struct {
	Concept string  `json:"concept"`
	Prior   float64 `json:"prior"`
	Learn   float64 `json:"learn"`
	Guess   float64 `json:"guess"`
	Slip    float64 `json:"slip"`
}

// ConceptMastery is the learner model's estimate of one student's mastery of one concept in one
// course, updated on every final verdict that is evidence about it.
type ConceptMastery struct {
	Concept string `json:"concept"`
	// P is the probability that the student has mastered the concept, in [0,1].
	P float64 `json:"p"`
	// Observations counts the verdicts that were evidence about the concept.
	Observations int `json:"observations"`
	// Streak counts the right answers in a row on variants not answered right before; a wrong or
	// partly wrong answer resets it.
	Streak int `json:"streak"`
	// LastRight says whether the latest evidence was a fully right answer made without hints.
	LastRight bool `json:"last_right"`
	// LastHinted says whether the latest evidence was a right answer made after hints on its
	// exercise, which counts for less than one without.
	LastHinted bool      `json:"last_hinted,omitempty"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// MisconceptionStatus is where one student stands with one misconception in one course. A
// misconception is active from its showing until a right answer to a variant that would have
// shown it; showing it again reopens it.
type MisconceptionStatus struct {
	Tag    string `json:"tag"`
	Active bool   `json:"active"`
	// Shown counts the submissions that showed it; Reopened the times it was shown after being
	// resolved.
	Shown        int       `json:"shown"`
	Reopened     int       `json:"reopened"`
	FirstShownAt time.Time `json:"first_shown_at"`
	LastShownAt  time.Time `json:"last_shown_at"`
	// ShownIn is the exercise of the latest showing.
	ShownIn string `json:"shown_in"`
	// ResolvedAt is when it was resolved; nil while active.
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	// ResolvedBy and ResolvedBySubmission are the exercise and submission whose right answer
	// resolved it; empty and 0 while active.
	ResolvedBy           string `json:"resolved_by,omitempty"`
	ResolvedBySubmission int64  `json:"resolved_by_submission,omitempty"`
}

// LearnerState is the learner model of one student in one course: per concept (those with any
// evidence) and per misconception ever shown, each sorted by its key.
type LearnerState struct {
	CourseID       int64                 `json:"course_id"`
	UserID         int64                 `json:"user_id"`
	Concepts       []ConceptMastery      `json:"concepts"`
	Misconceptions []MisconceptionStatus `json:"misconceptions"`
}

// ActiveTags returns the misconceptions the student holds now (shown and not resolved since), in
// the state's order.
func (st LearnerState) ActiveTags() []string {
	var out []string
	for _, m := range st.Misconceptions {
		if m.Active {
			out = append(out, m.Tag)
		}
	}
	return out
}

// Summary returns st with only what a class's summary of mastery reads (mastery.Model.Class and
// mastery.Tags): each concept's Concept, P and Observations, and each misconception's Tag and
// Active, in st's order; every other field is zero. LearnerService.CourseMastery returns these.
func (st LearnerState) Summary() LearnerState {
	out := LearnerState{CourseID: st.CourseID, UserID: st.UserID}
	for _, c := range st.Concepts {
		out.Concepts = append(out.Concepts, ConceptMastery{Concept: c.Concept, P: c.P, Observations: c.Observations})
	}
	for _, m := range st.Misconceptions {
		out.Misconceptions = append(out.Misconceptions, MisconceptionStatus{Tag: m.Tag, Active: m.Active})
	}
	return out
}

// LearnerEvidence is what one final verdict tells the learner model about its student. Graded is
// false for a verdict that says nothing about what the student knows (a compile error, a crash, a
// limit, an unreadable answer, a judge failure): then nothing else is used.
type LearnerEvidence struct {
	SubmissionID int64
	ExerciseID   string
	Seed         uint64
	At           time.Time // when the submission was made
	Graded       bool
	// Concepts are the concepts the answer bears on: the exercise's, and those of the tags shown.
	Concepts []string
	// Credit is how right the answer was, in [0,1]: the share of right results, answers that
	// build correctly on the student's own earlier wrong answers counting as right.
	Credit float64
	// Hints counts the hint steps the student had been shown on the exercise before this answer
	// (0 to MaxHintStep); with any, a right answer earns less credit.
	Hints int
	// Right says the answer was accepted as fully right.
	Right bool
	// Chance is the probability of a right answer by guessing alone: 1/options for a choice
	// exercise, 0 otherwise.
	Chance float64
	// Shown are the misconception tags the verdict named.
	Shown []string
	// TellsApart are the tags that a right answer to this variant rules out (set when Right and
	// the student had active misconceptions).
	TellsApart []string
	// Repeat says the student had answered this variant right before: no new evidence of mastery.
	Repeat bool
}

// LearnerService reads the learner model, which the verdict writes update. Implemented by
// store.DB.
type LearnerService interface {
	// Learner returns the learner model of user userID in the course: empty lists for a student
	// with no evidence yet. ENOTFOUND for an unknown course.
	Learner(ctx context.Context, courseID, userID int64) (LearnerState, error)
	// CourseLearners returns the learner model of every student enrolled in the course (role
	// student), by user id.
	CourseLearners(ctx context.Context, courseID int64) ([]LearnerState, error)
	// CourseMastery is CourseLearners with each state's Summary only, which is all a class's
	// summary reads: a course's dashboard reads no more of 500 students' models.
	CourseMastery(ctx context.Context, courseID int64) ([]LearnerState, error)
	// MasteryParams returns the course's fitted parameters, by concept; none before a fit.
	MasteryParams(ctx context.Context, courseID int64) ([]MasteryParams, error)
	// SetMasteryParams replaces the course's fitted parameters. ENOTFOUND for an unknown course.
	SetMasteryParams(ctx context.Context, courseID int64, params []MasteryParams) error
}

// HintUse is one hint step a student was shown on an exercise of a course, kept for the learner
// model: an answer made after it counts for less. Steps are 1 (the misconception's explanation),
// 2 (the first wrong answer) and 3 (the chain rule worked out at it); RevealedAt is when the
// step was first shown.
type HintUse struct {
	CourseID   int64
	UserID     int64
	ExerciseID string
	Step       int
	RevealedAt time.Time
}

// MaxHintStep is the last hint step.
const MaxHintStep = 3
