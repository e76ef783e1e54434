package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"gradjudge"
	"gradjudge/internal/app"
)

// progressDTO is one student's record in one course.
type progressDTO struct {
	UserID         int64                   `json:"user_id"`
	CourseID       int64                   `json:"course_id"`
	Exercises      []exerciseProgressDTO   `json:"exercises"`
	Concepts       []conceptProgressDTO    `json:"concepts"`
	Misconceptions []misconceptionEventDTO `json:"misconceptions"` // oldest first
}

type exerciseProgressDTO struct {
	ExerciseID    string     `json:"exercise_id"`
	Attempts      int        `json:"attempts"`
	BestScore     float64    `json:"best_score"`
	Grade         float64    `json:"grade"`
	Solved        bool       `json:"solved"`
	SolvedAt      *time.Time `json:"solved_at,omitempty"`
	LastAttemptAt *time.Time `json:"last_attempt_at,omitempty"`
}

type conceptProgressDTO struct {
	Concept        string  `json:"concept"`
	Exercises      int     `json:"exercises"`
	Solved         int     `json:"solved"`
	Attempts       int     `json:"attempts"`
	MeanScore      float64 `json:"mean_score"`
	MeanGrade      float64 `json:"mean_grade"`
	Misconceptions int     `json:"misconceptions"`
}

type misconceptionEventDTO struct {
	Tag          string    `json:"tag"`
	Title        string    `json:"title,omitempty"`
	Concept      string    `json:"concept,omitempty"`
	ExerciseID   string    `json:"exercise_id"`
	SubmissionID int64     `json:"submission_id"`
	At           time.Time `json:"at"`
}

func (s *Server) toProgressDTO(p gradjudge.Progress) progressDTO {
	return progressDTO{UserID: p.UserID, CourseID: p.CourseID,
		Exercises: mapSlice(p.Exercises, func(e gradjudge.ExerciseProgress) exerciseProgressDTO {
			return exerciseProgressDTO{ExerciseID: e.ExerciseID, Attempts: e.Attempts, BestScore: e.BestScore, Grade: e.Grade,
				Solved: e.Solved(), SolvedAt: e.SolvedAt, LastAttemptAt: e.LastAttemptAt}
		}),
		Concepts: mapSlice(p.Concepts, func(c gradjudge.ConceptProgress) conceptProgressDTO {
			return conceptProgressDTO{Concept: c.Concept, Exercises: c.Exercises, Solved: c.Solved,
				Attempts: c.Attempts, MeanScore: c.MeanScore, MeanGrade: c.MeanGrade, Misconceptions: c.Misconceptions}
		}),
		Misconceptions: mapSlice(p.Misconceptions, func(e gradjudge.MisconceptionEvent) misconceptionEventDTO {
			m := s.App.Misconception(e.Tag)
			return misconceptionEventDTO{Tag: e.Tag, Title: m.Title, Concept: m.Concept, ExerciseID: e.ExerciseID,
				SubmissionID: e.SubmissionID, At: e.At}
		}),
	}
}

// studentRecord is the handler pair of a record kept per student of a course (progress, the
// learner model): mine answers the caller's own, student the one of the path's uid, which the core
// lets only the course staff see. read asks the core for it, toDTO encodes it.
func studentRecord[T, D any](s *Server, read func(context.Context, app.Visit, int64) (T, error), toDTO func(T) D) (mine, student gin.HandlerFunc) {
	write := func(c *gin.Context, userID int64) {
		r, err := read(c.Request.Context(), currentVisit(c), userID)
		if err != nil {
			s.writeError(c, err)
			return
		}
		c.JSON(http.StatusOK, toDTO(r))
	}
	mine = func(c *gin.Context) { write(c, currentVisit(c).User.ID) }
	student = func(c *gin.Context) {
		if uid, ok := s.pathID(c, "uid"); ok {
			write(c, uid)
		}
	}
	return mine, student
}
