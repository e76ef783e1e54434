package api

import (
	"gradjudge/internal/regrade"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// regradeRequest starts a regrade of a course exercise's answers.
type regradeRequest struct {
	DryRun bool `json:"dry_run"`
}

// regradeDTO is a regrade run and what it changed so far.
type regradeDTO struct {
	ID         int64          `json:"id"`
	ExerciseID string         `json:"exercise_id"`
	Version    string         `json:"exercise_version"`
	DryRun     bool           `json:"dry_run"`
	Resumed    bool           `json:"resumed,omitempty"`
	Total      int            `json:"total"`
	Done       int            `json:"done"`
	Changed    int            `json:"changed"`
	Up         int            `json:"up"`
	Down       int            `json:"down"`
	Moves      map[string]int `json:"moves"`
	Grades     []gradeMoveDTO `json:"grades"`
	CreatedAt  time.Time      `json:"created_at"`
	FinishedAt *time.Time     `json:"finished_at,omitempty"`
}

// gradeMoveDTO is one student's course grade on the exercise before and after the regrade.
type gradeMoveDTO struct {
	UserID int64   `json:"user_id"`
	Email  string  `json:"email"`
	Before float64 `json:"before"`
	After  float64 `json:"after"`
	Rule   string  `json:"rule"`
}

func toRegradeDTO(r regrade.Report) regradeDTO {
	return regradeDTO{ID: r.ID, ExerciseID: r.Request.ExerciseID, Version: r.Request.Version, DryRun: r.Request.DryRun,
		Resumed: r.Resumed, Total: r.Total, Done: r.Done, Changed: r.Changed, Up: r.Up, Down: r.Down, Moves: r.Moves,
		Grades: nonNil(mapSlice(r.Grades, func(g regrade.GradeMove) gradeMoveDTO {
			return gradeMoveDTO{UserID: g.UserID, Email: g.Email, Before: g.Before.Score, After: g.After.Score, Rule: g.After.Rule}
		})), CreatedAt: r.CreatedAt, FinishedAt: r.FinishedAt}
}

func (s *Server) regrade(c *gin.Context) {
	var req regradeRequest
	if !s.bind(c, &req) {
		return
	}
	ctx, v := c.Request.Context(), currentVisit(c)
	run, err := s.App.Regrade(ctx, v, c.Param("eid"), req.DryRun)
	var rep regrade.Report
	if err == nil {
		rep, err = s.App.RegradeReport(ctx, v, run.ID)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	rep.Resumed = run.Resumed
	c.JSON(http.StatusAccepted, toRegradeDTO(rep))
}

func (s *Server) getRegrade(c *gin.Context) {
	id, ok := s.pathID(c, "rid")
	if !ok {
		return
	}
	rep, err := s.App.RegradeReport(c.Request.Context(), currentVisit(c), id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toRegradeDTO(rep))
}
