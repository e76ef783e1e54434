package api

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"gradjudge"
)

// maxIdempotencyKeyBytes bounds the Idempotency-Key header.
const maxIdempotencyKeyBytes = 200

// submitRequest is a student's answer. It names no user, course, score or seed: those come from
// the caller's credentials, the path and the server.
type submitRequest struct {
	Fields map[string]json.RawMessage `json:"fields"` // numeric: quantity id → "-3/4" or a number or a list
	Choice string                     `json:"choice"` // choice: the option id
	Code   string                     `json:"code"`   // code: Go source
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
		Feedback: nonNil(v.Feedback), Output: v.Output, Misconceptions: s.describeTags(v.Misconceptions),
		Results: mapSlice(v.Results, func(r gradjudge.Result) resultDTO {
			return resultDTO{ID: r.ID, Status: string(r.Status), Message: r.Message, Tags: r.Tags, ConsistentWith: r.ConsistentWith}
		})}
}

// describeTags looks misconception tags up in the catalog, so that a student reads a title and an
// explanation rather than an id.
func (s *Server) describeTags(tags []string) []misconceptionDTO {
	out := make([]misconceptionDTO, 0, len(tags))
	for _, tag := range tags {
		d := misconceptionDTO{Tag: tag}
		for _, m := range s.Catalog.Misconceptions() {
			if m.Tag == tag {
				d = toMisconceptionDTO(m)
				break
			}
		}
		out = append(out, d)
	}
	return out
}

// submit stores an answer and, with ?wait=true, waits a bounded time for its verdict.
func (s *Server) submit(c *gin.Context) {
	var req submitRequest
	if !s.bind(c, &req) {
		return
	}
	wait, err := s.waitFor(c)
	var sub gradjudge.Submission
	if err == nil {
		sub, err = s.newSubmission(c, req)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	if !allow(s, c, s.limiter, sub.UserID) {
		return
	}
	ctx := c.Request.Context()
	sub, _, err = s.Submissions.CreateSubmission(ctx, sub)
	if err == nil && sub.Status != gradjudge.SubmissionDone && wait > 0 {
		sub, err = s.Submissions.WaitSubmission(ctx, sub.ID, wait)
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

// newSubmission checks a request against the exercise and builds the submission to store.
func (s *Server) newSubmission(c *gin.Context, req submitRequest) (gradjudge.Submission, error) {
	course, _ := currentCourse(c)
	e, err := s.courseExercise(course, c.Param("eid"))
	if err != nil {
		return gradjudge.Submission{}, err
	}
	if len(req.Code) > MaxCodeBytes {
		return gradjudge.Submission{}, tooLarge(MaxCodeBytes)
	}
	if err := checkAnswerKind(e.Kind, req); err != nil {
		return gradjudge.Submission{}, err
	}
	key := c.GetHeader("Idempotency-Key")
	if len(key) > maxIdempotencyKeyBytes {
		return gradjudge.Submission{}, errorf(gradjudge.EINVALID, "the Idempotency-Key header is longer than %d bytes", maxIdempotencyKeyBytes)
	}
	uid := currentUser(c).ID
	return gradjudge.Submission{UserID: uid, CourseID: course.ID, ExerciseID: e.ID,
		Seed: gradjudge.VariantSeed(course.ID, uid, e.ID), IdempotencyKey: key,
		Answer: gradjudge.Answer{Fields: req.Fields, Choice: req.Choice, Code: req.Code}}, nil
}

// answerPart is the part of an answer one exercise kind takes.
type answerPart struct {
	kind gradjudge.ExerciseKind
	name string // the JSON field
	with string // what the kind is answered with
	send string // an example request
}

// answerParts are the parts of an answer, one per exercise kind, and how to send each.
var answerParts = []answerPart{
	{gradjudge.KindNumeric, "fields", "numbers", `{"fields": {"quantity id": "value"}}`},
	{gradjudge.KindChoice, "choice", "one option", `{"choice": "option id"}`},
	{gradjudge.KindCode, "code", "Go code", `{"code": "package ..."}`},
}

// checkAnswerKind refuses an answer that does not fit the exercise's kind: the part the kind asks
// for is missing, or a part of another kind is there. The exercise's kind alone decides how an
// answer is judged and which queue takes it: a stray part is a client mistake, never a way onto
// another path.
func checkAnswerKind(kind gradjudge.ExerciseKind, req submitRequest) error {
	a := gradjudge.Answer{Fields: req.Fields, Choice: req.Choice, Code: req.Code}
	i := slices.IndexFunc(answerParts, func(p answerPart) bool { return p.kind == kind })
	if i < 0 {
		return nil // a kind this API does not know: the judge decides
	}
	want := answerParts[i]
	if !a.Has(kind) {
		return errorf(gradjudge.EINVALID, "this exercise is answered with %s: send %s", want.with, want.send)
	}
	for _, p := range answerParts {
		if p.kind != kind && a.Has(p.kind) {
			return errorf(gradjudge.EINVALID, "this exercise is answered with %s only: send %s, without %q", want.with, want.send, p.name)
		}
	}
	return nil
}

// waitFor is how long the request waits for the verdict: zero without ?wait=true; with it,
// ?timeout= seconds, MaxWait when absent or 0 and never more. The seconds are compared with
// MaxWait before they become a Duration, which overflows (to a negative wait) past ~292 years.
// EINVALID for a timeout that is not a number of seconds ≥ 0.
func (s *Server) waitFor(c *gin.Context) (time.Duration, error) {
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
	case v == "" || secs == 0 || secs >= s.MaxWait.Seconds():
		return s.MaxWait, nil
	}
	return time.Duration(secs * float64(time.Second)), nil
}

func (s *Server) getSubmission(c *gin.Context) {
	id, ok := s.pathID(c, "sid")
	if !ok {
		return
	}
	sub, err := s.Submissions.Submission(c.Request.Context(), id)
	if err == nil {
		err = s.canRead(c, sub.CourseID, sub.UserID)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.toSubmissionDTO(sub))
}

// canRead allows the owner of a record, the staff of its course and admins. Anyone else is told
// it does not exist.
func (s *Server) canRead(c *gin.Context, courseID, ownerID int64) error {
	u := currentUser(c)
	if u.ID == ownerID || u.Role == gradjudge.RoleAdmin {
		return nil
	}
	role, err := s.Courses.CourseRole(c.Request.Context(), courseID, u.ID)
	if err != nil || !role.IsStaff() {
		return errorf(gradjudge.ENOTFOUND, "not found")
	}
	return nil
}

func (s *Server) listSubmissions(c *gin.Context) {
	f, err := s.submissionFilter(c)
	var subs []gradjudge.Submission
	if err == nil {
		subs, err = s.Submissions.Submissions(c.Request.Context(), f)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"submissions": mapSlice(subs, s.toSubmissionDTO)})
}

// submissionFilter reads ?user=&exercise=&status=&before=&limit=. A student sees only their own
// submissions: naming another user is forbidden.
func (s *Server) submissionFilter(c *gin.Context) (gradjudge.SubmissionFilter, error) {
	course, role := currentCourse(c)
	f := gradjudge.SubmissionFilter{CourseID: course.ID, ExerciseID: c.Query("exercise"),
		Status: gradjudge.SubmissionStatus(c.Query("status"))}
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
	switch f.Status {
	case "", gradjudge.SubmissionQueued, gradjudge.SubmissionJudging, gradjudge.SubmissionDone:
	default:
		err = errorf(gradjudge.EINVALID, "status must be queued, judging or done")
	}
	if err == nil && !role.IsStaff() {
		me := currentUser(c).ID
		if f.UserID != 0 && f.UserID != me {
			return f, errorf(gradjudge.EFORBIDDEN, "students see only their own submissions")
		}
		f.UserID = me
	}
	return f, err
}
