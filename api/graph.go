package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"gradjudge"
	"gradjudge/autograd"
)

// graphEval evaluates a graph program for an instructor writing an exercise: every node's value
// and gradient, or the program's error as data (200 with an error object, as `gradjudge eval
// --jsonl` answers). Evaluations run at most evalSlots at a time; past that the caller is told to
// come back (429) rather than queued. A request without a program is a client mistake (400), not
// a program with a syntax error.
func (s *Server) graphEval(c *gin.Context) {
	var req autograd.EvalRequest
	if !s.bind(c, &req) {
		return
	}
	if strings.TrimSpace(req.Program) == "" {
		s.writeError(c, errorf(gradjudge.EINVALID, `the request has no program: send {"program": "z = w*x + b", "inputs": {...}}`))
		return
	}
	select {
	case s.evalSlots <- struct{}{}:
		defer func() { <-s.evalSlots }()
	default:
		c.Header("Retry-After", "1")
		s.writeError(c, errorf(gradjudge.ERATELIMIT, "the evaluator is busy: try again in a second"))
		return
	}
	c.JSON(http.StatusOK, req.Serve())
}
