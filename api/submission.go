package api

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"gradjudge"
	"gradjudge/internal/app"
)

// submitRequest is a student's answer. It names no user, course or score: those come from the
// caller's credentials, the path and the server. Seed, optional, says which variant the answer
// was worked on, so that an answer to a replaced variant is refused rather than judged against
// the new one (app.SubmitRequest.Seed).
type submitRequest struct {
	Fields map[string]json.RawMessage `json:"fields"` // numeric: quantity id → "-3/4" or a number or a list
	Choice string                     `json:"choice"` // choice: the option id
	Code   string                     `json:"code"`   // code: Go source
	Seed   string                     `json:"seed"`   // the variant's seed, in decimal as GET …/exercises/{eid} gives it
}

// submissionDTO is a submission as its owner and the course staff see it.
type submissionDTO struct {
	ID         int64       `json:"id"`
	UserID     int64       `json:"user_id"`
	CourseID   int64       `json:"course_id"`
	ExerciseID string      `json:"exercise_id"`
	Status     string      `json:"status"`
	Answer     answerDTO   `json:"answer"`
	Verdict    *verdictDTO `json:"verdict,omitempty"`
	CreatedAt  time.Time   `json:"created_at"`
	JudgedAt   *time.Time  `json:"judged_at,omitempty"`
}

type answerDTO struct {
	Fields map[string]json.RawMessage `json:"fields,omitempty"`
	Choice string                     `json:"choice,omitempty"`
	Code   string                     `json:"code,omitempty"`
}

// verdictDTO is the judge's verdict as the student sees it.
type verdictDTO struct {
	Status         string             `json:"status"`
	Score          float64            `json:"score"`
	Results        []resultDTO        `json:"results"`
	Misconceptions []misconceptionDTO `json:"misconceptions"`
	FirstWrong     string             `json:"first_wrong,omitempty"`
	Feedback       []string           `json:"feedback"`
	Output         string             `json:"output,omitempty"`
}

type resultDTO struct {
	ID             string   `json:"id"`
	Status         string   `json:"status"`
	Message        string   `json:"message,omitempty"`
	Tags           []string `json:"tags,omitempty"`
	ConsistentWith string   `json:"consistent_with,omitempty"`
}

// submitAcceptedDTO is the answer to a submission not judged yet.
type submitAcceptedDTO struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
}

func (s *Server) toSubmissionDTO(sub gradjudge.Submission) submissionDTO {
	d := submissionDTO{ID: sub.ID, UserID: sub.UserID, CourseID: sub.CourseID, ExerciseID: sub.ExerciseID,
		Status: string(sub.Status), CreatedAt: sub.CreatedAt, JudgedAt: sub.JudgedAt,
		Answer: answerDTO{Fields: sub.Answer.Fields, Choice: sub.Answer.Choice, Code: sub.Answer.Code}}
	if sub.Verdict != nil {
		v := s.toVerdictDTO(*sub.Verdict)
		d.Verdict = &v
	}
	return d
}

func (s *Server) toVerdictDTO(v gradjudge.Verdict) verdictDTO {
	return verdictDTO{Status: string(v.Status), Score: v.Score, FirstWrong: v.FirstWrong,
		Feedback: nonNil(v.Feedback), Output: v.Output, Misconceptions: mapSlice(s.App.DescribeTags(v.Misconceptions), toMisconceptionDTO),
		Results: mapSlice(v.Results, func(r gradjudge.Result) resultDTO {
			return resultDTO{ID: r.ID, Status: string(r.Status), Message: r.Message, Tags: r.Tags, ConsistentWith: r.ConsistentWith}
		})}
}

// submit hands an answer to the core, which checks, stores and (with ?wait=true) waits for it.
func (s *Server) submit(c *gin.Context) {
	var req submitRequest
	if !s.bind(c, &req) {
		return
	}
	wait, err := waitFor(c)
	var sub gradjudge.Submission
	var seed *uint64
	if err == nil {
		seed, err = app.ParseVariantSeed(req.Seed)
	}
	if err == nil {
		sub, err = s.App.Submit(c.Request.Context(), currentVisit(c), app.SubmitRequest{
			ExerciseID: c.Param("eid"), IdempotencyKey: c.GetHeader("Idempotency-Key"), Wait: wait, Seed: seed,
			Answer: gradjudge.Answer{Fields: req.Fields, Choice: req.Choice, Code: req.Code}})
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	if sub.Status != gradjudge.SubmissionDone {
		c.Header("Location", "/api/v1/submissions/"+strconv.FormatInt(sub.ID, 10))
		c.JSON(http.StatusAccepted, submitAcceptedDTO{ID: sub.ID, Status: string(sub.Status)})
		return
	}
	c.JSON(http.StatusOK, s.toSubmissionDTO(sub))
}

// waitFor is how long the request asks to wait for the verdict, as app.SubmitRequest.Wait takes
// it: zero without ?wait=true; with it, ?timeout= seconds, or -1 (the core's longest) when absent,
// 0, or too large for a Duration (which overflows past ~292 years). EINVALID for a timeout that is
// not a number of seconds ≥ 0.
func waitFor(c *gin.Context) (time.Duration, error) {
	v := c.Query("timeout")
	secs, err := strconv.ParseFloat(v, 64)
	if errors.Is(err, strconv.ErrRange) && secs > 0 {
		err = nil // larger than a float64: +Inf, capped below
	}
	switch {
	case v != "" && (err != nil || math.IsNaN(secs) || secs < 0):
		return 0, errorf(gradjudge.EINVALID, "timeout must be a number of seconds, 0 or more")
	case c.Query("wait") != "true":
		return 0, nil
	case v == "" || secs == 0 || secs >= maxWaitSeconds:
		return -1, nil
	}
	return time.Duration(secs * float64(time.Second)), nil
}

// maxWaitSeconds is past any wait the core allows; a longer ?timeout= means "the longest".
const maxWaitSeconds = 3600

func (s *Server) getSubmission(c *gin.Context) {
	id, ok := s.pathID(c, "sid")
	if !ok {
		return
	}
	sub, err := s.App.Submission(c.Request.Context(), currentUser(c), id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.toSubmissionDTO(sub))
}

func (s *Server) listSubmissions(c *gin.Context) {
	f, err := s.submissionFilter(c)
	var subs []gradjudge.Submission
	if err == nil {
		subs, err = s.App.Submissions(c.Request.Context(), currentVisit(c), f)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"submissions": mapSlice(subs, s.toSubmissionDTO)})
}

// submissionFilter reads ?user=&exercise=&status=&before=&limit=; the core checks them against
// the visit (a student sees only their own).
func (s *Server) submissionFilter(c *gin.Context) (gradjudge.SubmissionFilter, error) {
	f := gradjudge.SubmissionFilter{ExerciseID: c.Query("exercise"), Status: gradjudge.SubmissionStatus(c.Query("status"))}
	var err error
	for name, dst := range map[string]*int64{"user": &f.UserID, "before": &f.BeforeID} {
		if v := c.Query(name); v != "" && err == nil {
			if *dst, err = strconv.ParseInt(v, 10, 64); err != nil || *dst <= 0 {
				err = errorf(gradjudge.EINVALID, "%s must be a positive integer", name)
			}
		}
	}
	if v := c.Query("limit"); v != "" && err == nil {
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit <= 0 || f.Limit > gradjudge.MaxSubmissionLimit {
			err = errorf(gradjudge.EINVALID, "limit must be between 1 and %d", gradjudge.MaxSubmissionLimit)
		}
	}
	return f, err
}
