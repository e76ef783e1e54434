package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"gradjudge/internal/app"
	"gradjudge/internal/gradebook"
	"gradjudge/internal/mastery"
)

// learningDTO is one student's learner model: mastery per concept, misconceptions (active first)
// and the next exercise to try.
type learningDTO struct {
	UserID         int64                    `json:"user_id"`
	Concepts       []conceptMasteryDTO      `json:"concepts"`
	Misconceptions []misconceptionStatusDTO `json:"misconceptions"`
	Next           *suggestionDTO           `json:"next,omitempty"`
}

type conceptMasteryDTO struct {
	Concept  string  `json:"concept"`
	P        float64 `json:"p_mastery"`
	Mastered bool    `json:"mastered"`
	Words    string  `json:"words"`
	Raise    string  `json:"raise,omitempty"`
}

type misconceptionStatusDTO struct {
	Tag                  string     `json:"tag"`
	Title                string     `json:"title"`
	Concept              string     `json:"concept,omitempty"`
	Active               bool       `json:"active"`
	Shown                int        `json:"shown"`
	FirstShownAt         time.Time  `json:"first_shown_at"`
	LastShownAt          time.Time  `json:"last_shown_at"`
	ShownIn              string     `json:"shown_in"`
	ResolvedAt           *time.Time `json:"resolved_at,omitempty"`
	ResolvedBy           string     `json:"resolved_by,omitempty"`
	ResolvedBySubmission int64      `json:"resolved_by_submission,omitempty"`
	Words                string     `json:"words"`
}

type suggestionDTO struct {
	ExerciseID string `json:"exercise_id"`
	Concept    string `json:"concept"`
	Tag        string `json:"tag,omitempty"`
	Why        string `json:"why"`
}

// classLearningDTO is the class's learner model, for the course staff.
type classLearningDTO struct {
	Concepts       []conceptSummaryDTO `json:"concepts"`
	Misconceptions []tagStatusDTO      `json:"misconceptions"`
	Students       []learningDTO       `json:"students"`
}

type conceptSummaryDTO struct {
	Concept  string  `json:"concept"`
	Students int     `json:"students"`
	Mastered int     `json:"mastered"`
	MeanP    float64 `json:"mean_p_mastery"`
}

type tagStatusDTO struct {
	Tag      string `json:"tag"`
	Active   int    `json:"active"`
	Resolved int    `json:"resolved"`
}

func toLearningDTO(l app.Learning) learningDTO {
	d := learningDTO{UserID: l.UserID,
		Concepts: mapSlice(l.Concepts, func(e mastery.Explanation) conceptMasteryDTO {
			return conceptMasteryDTO{Concept: e.Concept, P: e.P, Mastered: e.Mastered, Words: e.Words, Raise: e.Raise}
		}),
		Misconceptions: mapSlice(l.Misconceptions, func(m mastery.MisconceptionView) misconceptionStatusDTO {
			return misconceptionStatusDTO{Tag: m.Tag, Title: m.Title, Concept: m.Concept, Active: m.Active, Shown: m.Shown,
				FirstShownAt: m.FirstShownAt, LastShownAt: m.LastShownAt, ShownIn: m.ShownIn, ResolvedAt: m.ResolvedAt,
				ResolvedBy: m.ResolvedBy, ResolvedBySubmission: m.ResolvedBySubmission, Words: m.Words}
		})}
	if l.Next.ExerciseID != "" {
		d.Next = &suggestionDTO{ExerciseID: l.Next.ExerciseID, Concept: l.Next.Concept, Tag: l.Next.Tag, Why: l.Next.Why}
	}
	return d
}

// classLearning answers the class's learner model, for the course staff.
func (s *Server) classLearning(c *gin.Context) {
	cl, err := s.App.ClassLearning(c.Request.Context(), currentVisit(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, classLearningDTO{
		Concepts: mapSlice(cl.Concepts, func(m mastery.ConceptSummary) conceptSummaryDTO {
			return conceptSummaryDTO{Concept: m.Concept, Students: m.Students, Mastered: m.Mastered, MeanP: m.MeanP}
		}),
		Misconceptions: mapSlice(cl.Tags, func(t mastery.TagStatus) tagStatusDTO {
			return tagStatusDTO{Tag: t.Tag, Active: t.Active, Resolved: t.Resolved}
		}),
		Students: mapSlice(cl.Students, toLearningDTO),
	})
}

// learningCSV answers the class's learner model as CSV (gradebook.WriteLearningCSV): per student
// each concept's mastery and each misconception's status, then the class's counts.
func (s *Server) learningCSV(c *gin.Context) {
	v := currentVisit(c)
	cl, err := s.App.ClassLearning(c.Request.Context(), v)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="course-%d-learning.csv"`, v.Course.ID))
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Status(http.StatusOK)
	if err := gradebook.WriteLearningCSV(c.Writer, cl); err != nil {
		s.log.WarnContext(c.Request.Context(), "learning.csv: writing the answer", "course", v.Course.ID, "err", err) // status sent already
	}
}
