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
// --jsonl` answers). The core decides who may and how many at once. A request without a program
// is a client mistake (400), not a program with a syntax error.
func (s *Server) graphEval(c *gin.Context) {
	var req autograd.EvalRequest
	if !s.bind(c, &req) {
		return
	}
	if strings.TrimSpace(req.Program) == "" {
		s.writeError(c, errorf(gradjudge.EINVALID, `the request has no program: send {"program": "z = w*x + b", "inputs": {...}}`))
		return
	}
	resp, err := s.App.EvalGraph(currentUser(c), req)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, resp)
}
