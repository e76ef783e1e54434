package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"gradjudge/autograd"
)

// graphEval evaluates a graph program for an instructor writing an exercise: every node's value
// and gradient, or the program's error as data (200 with an error object, as `gradjudge eval
// --jsonl` answers). The core decides who may and how many at once.
func (s *Server) graphEval(c *gin.Context) {
	var req autograd.EvalRequest
	if !s.bind(c, &req) {
		return
	}
	resp, err := s.App.EvalGraph(currentUser(c), req)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, resp)
}
