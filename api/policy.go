package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"gradjudge"
	"gradjudge/internal/app"
	"gradjudge/internal/policy"
)

// policyDTO is the assessment policy of a course exercise on the wire. Absent times mean none;
// rule is the grade rule in words, read only.
type policyDTO struct {
	OpensAt           *time.Time `json:"opens_at,omitempty"`
	DueAt             *time.Time `json:"due_at,omitempty"`
	LateRule          string     `json:"late_rule,omitempty"`
	LatePenaltyPerDay float64    `json:"late_penalty_per_day,omitempty"`
	ClosesAt          *time.Time `json:"closes_at,omitempty"`
	MaxAttempts       int        `json:"max_attempts,omitempty"`
	PenaltyPerWrong   float64    `json:"penalty_per_wrong,omitempty"`
	FreshVariantAfter int        `json:"fresh_variant_after,omitempty"`
	HintsAfter        int        `json:"hints_after,omitempty"`
	RevealAfterDue    bool       `json:"reveal_after_due,omitempty"`
	GradeRule         string     `json:"grade_rule,omitempty"`
	Rule              string     `json:"rule,omitempty"`
}

func toPolicyDTO(p policy.Policy) policyDTO {
	return policyDTO{OpensAt: timePtr(p.Opens), DueAt: timePtr(p.Due), LateRule: string(p.Late), LatePenaltyPerDay: p.LatePenaltyPerDay,
		ClosesAt: timePtr(p.Close), MaxAttempts: p.MaxAttempts, PenaltyPerWrong: p.PenaltyPerWrong,
		FreshVariantAfter: p.FreshVariantAfter, HintsAfter: p.HintsAfter, RevealAfterDue: p.RevealAfterDue,
		GradeRule: string(p.Grade), Rule: p.RuleText()}
}

func (d policyDTO) policy() policy.Policy {
	return policy.Policy{Opens: timeOf(d.OpensAt), Due: timeOf(d.DueAt), Late: policy.LateRule(d.LateRule),
		LatePenaltyPerDay: d.LatePenaltyPerDay, Close: timeOf(d.ClosesAt), MaxAttempts: d.MaxAttempts,
		PenaltyPerWrong: d.PenaltyPerWrong, FreshVariantAfter: d.FreshVariantAfter, HintsAfter: d.HintsAfter,
		RevealAfterDue: d.RevealAfterDue, Grade: policy.GradeRule(d.GradeRule)}
}

// standingDTO is where the caller stands on an exercise: what its page says.
type standingDTO struct {
	Attempt      int           `json:"attempt"`                // the number the next counted attempt gets
	MaxAttempts  int           `json:"max_attempts,omitempty"` // absent: unlimited
	Wrong        int           `json:"wrong_attempts"`
	NoCredit     string        `json:"no_credit,omitempty"` // why an answer now would not count
	LateFactor   float64       `json:"late_factor"`         // what lateness leaves of a score submitted now
	HintLevel    int           `json:"hint_level"`
	Revealed     bool          `json:"answers_revealed"`
	Grade        float64       `json:"grade"`
	GradeAttempt int           `json:"grade_attempt,omitempty"`
	Rule         string        `json:"rule"`
	Rules        []string      `json:"rules"`
	DueAt        *time.Time    `json:"due_at,omitempty"`  // the caller's own, extension included
	Hints        []string      `json:"hints"`             // about the latest answer, in steps by hint_level
	Answers      []expectedDTO `json:"answers,omitempty"` // the expected answers, once revealed
}

// expectedDTO is one expected answer, shown once the policy reveals it.
type expectedDTO struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// extensionRequest extends one student's due date.
type extensionRequest struct {
	DueAt *time.Time `json:"due_at"`
}

func (s *Server) getPolicy(c *gin.Context) {
	p, err := s.App.ExercisePolicy(c.Request.Context(), currentVisit(c), c.Param("eid"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toPolicyDTO(p))
}

func (s *Server) setPolicy(c *gin.Context) {
	var req policyDTO
	if !s.bind(c, &req) {
		return
	}
	v := currentVisit(c)
	if err := s.App.SetExercisePolicy(c.Request.Context(), v, c.Param("eid"), req.policy()); err != nil {
		s.writeError(c, err)
		return
	}
	s.getPolicy(c)
}

func (s *Server) standing(c *gin.Context) {
	ctx, v, id := c.Request.Context(), currentVisit(c), c.Param("eid")
	st, err := s.App.Standing(ctx, v, id)
	var h app.Help
	switch {
	case err != nil:
	case c.Query("hints") == "true": // asking for hints is evidence for the learner model
		h, err = s.App.Help(ctx, v, id)
	default:
		h.Answers, err = s.App.Answers(ctx, v, id)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, standingDTO{Attempt: st.State.Next, MaxAttempts: st.State.MaxAttempts, Wrong: st.State.Wrong,
		NoCredit: string(st.State.Why), LateFactor: st.State.LateFactor, HintLevel: int(st.State.Hint),
		Revealed: st.State.Revealed, Grade: st.State.Grade.Score, GradeAttempt: st.State.Grade.Attempt,
		Rule: st.State.Grade.Rule, Rules: nonNil(st.Rules), DueAt: timePtr(st.Policy.Due), Hints: nonNil(h.Hints),
		Answers: mapSlice(h.Answers, func(a app.ExpectedAnswer) expectedDTO {
			return expectedDTO{Label: a.Label, Value: a.Value}
		})})
}

func (s *Server) setExtension(c *gin.Context) {
	uid, ok := s.pathID(c, "uid")
	if !ok {
		return
	}
	var req extensionRequest
	if !s.bind(c, &req) {
		return
	}
	if req.DueAt == nil {
		s.writeError(c, errorf(gradjudge.EINVALID, "due_at is required: the student's new due date"))
		return
	}
	if err := s.App.SetExtension(c.Request.Context(), currentVisit(c), c.Param("eid"), uid, *req.DueAt); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) deleteExtension(c *gin.Context) {
	uid, ok := s.pathID(c, "uid")
	if !ok {
		return
	}
	if err := s.App.DeleteExtension(c.Request.Context(), currentVisit(c), c.Param("eid"), uid); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// timePtr is t in UTC, nil for the zero time.
func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
