package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"gradjudge"
	"gradjudge/internal/gradebook"
)

// statsDTO is the course staff's dashboard.
type statsDTO struct {
	CourseID  int64              `json:"course_id"`
	Students  int                `json:"students"`
	Exercises []exerciseStatsDTO `json:"exercises"`
	Concepts  []conceptStatsDTO  `json:"concepts"`
}

type exerciseStatsDTO struct {
	ExerciseID           string        `json:"exercise_id"`
	Students             int           `json:"students"`
	Attempts             int           `json:"attempts"`
	Passed               int           `json:"passed"`
	PassRate             float64       `json:"pass_rate"`
	MeanGrade            float64       `json:"mean_grade"`
	MedianAttemptsToPass float64       `json:"median_attempts_to_pass"`
	Misconceptions       []tagCountDTO `json:"misconceptions"`
}

type conceptStatsDTO struct {
	Concept        string        `json:"concept"`
	Students       int           `json:"students"`
	Misconceptions []tagCountDTO `json:"misconceptions"`
}

type tagCountDTO struct {
	Tag        string  `json:"tag"`
	Events     int     `json:"events"`
	Students   int     `json:"students"`
	Prevalence float64 `json:"prevalence"`
}

func toTagCountDTO(t gradjudge.TagCount) tagCountDTO {
	return tagCountDTO{Tag: t.Tag, Events: t.Events, Students: t.Students, Prevalence: t.Prevalence}
}

func toStatsDTO(st gradjudge.CourseStats) statsDTO {
	return statsDTO{CourseID: st.CourseID, Students: st.Students,
		Exercises: mapSlice(st.Exercises, func(e gradjudge.ExerciseStats) exerciseStatsDTO {
			return exerciseStatsDTO{ExerciseID: e.ExerciseID, Students: e.Students, Attempts: e.Attempts, Passed: e.Passed,
				PassRate: e.PassRate, MeanGrade: e.MeanGrade, MedianAttemptsToPass: e.MedianAttemptsToPass, Misconceptions: mapSlice(e.Misconceptions, toTagCountDTO)}
		}),
		Concepts: mapSlice(st.Concepts, func(c gradjudge.ConceptStats) conceptStatsDTO {
			return conceptStatsDTO{Concept: c.Concept, Students: c.Students, Misconceptions: mapSlice(c.Misconceptions, toTagCountDTO)}
		}),
	}
}

func (s *Server) stats(c *gin.Context) {
	st, err := s.App.Stats(c.Request.Context(), currentVisit(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toStatsDTO(st))
}

// grades answers the gradebook as CSV: one row per student, the best score of each exercise of
// the course in its order, then the total.
func (s *Server) grades(c *gin.Context) {
	v := currentVisit(c)
	g, err := s.App.Gradebook(c.Request.Context(), v)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="course-%d-grades.csv"`, v.Course.ID))
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Status(http.StatusOK)
	if err := gradebook.WriteCSV(c.Writer, g.Exercises, g.Students, g.Roster, g.Grades); err != nil {
		s.log.WarnContext(c.Request.Context(), "grades.csv: writing the answer", "course", v.Course.ID, "err", err) // status sent already
	}
}
