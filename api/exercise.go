package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"gradjudge"
)

// exerciseDTO is a catalog exercise in a course listing.
type exerciseDTO struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Kind     string   `json:"kind"`
	Concepts []string `json:"concepts"`
}

func toExerciseDTO(e gradjudge.Exercise) exerciseDTO {
	return exerciseDTO{ID: e.ID, Title: e.Title, Kind: string(e.Kind), Concepts: nonNil(e.Concepts)}
}

// variantDTO is the caller's own variant of an exercise: never the expected answers.
type variantDTO struct {
	exerciseDTO
	Seed       uint64         `json:"seed,string"` // a string: a uint64 exceeds JavaScript's exact integers
	Statement  string         `json:"statement"`
	Graph      string         `json:"graph,omitempty"`
	Inputs     map[string]any `json:"inputs,omitempty"`
	Quantities []quantityDTO  `json:"quantities,omitempty"`
	Options    []optionDTO    `json:"options,omitempty"`
	Signature  string         `json:"signature,omitempty"`
	Starter    string         `json:"starter,omitempty"`
}

type quantityDTO struct {
	ID         string `json:"id"`
	Label      string `json:"label"`
	Expression string `json:"expression"`
	Tolerance  string `json:"tolerance"`
}

type optionDTO struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

func toVariantDTO(v gradjudge.Variant) variantDTO {
	return variantDTO{
		exerciseDTO: toExerciseDTO(v.Exercise), Seed: v.Seed, Statement: v.Statement, Graph: v.Graph,
		Inputs: v.Inputs, Signature: v.Signature, Starter: v.Starter,
		Quantities: mapSlice(v.Quantities, func(q gradjudge.AskedQuantity) quantityDTO {
			return quantityDTO{ID: q.ID, Label: q.Label, Expression: q.Expression, Tolerance: q.Tolerance}
		}),
		Options: mapSlice(v.Options, func(o gradjudge.ChoiceOption) optionDTO { return optionDTO{ID: o.ID, Text: o.Text} }),
	}
}

type misconceptionDTO struct {
	Tag         string `json:"tag"`
	Title       string `json:"title"`
	Explanation string `json:"explanation"`
	Concept     string `json:"concept"`
}

func toMisconceptionDTO(m gradjudge.Misconception) misconceptionDTO {
	return misconceptionDTO{Tag: m.Tag, Title: m.Title, Explanation: m.Explanation, Concept: m.Concept}
}

func (s *Server) listExercises(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"exercises": mapSlice(s.App.CourseExercises(currentVisit(c).Course), toExerciseDTO)})
}

func (s *Server) getExercise(c *gin.Context) {
	v, err := s.App.Variant(c.Request.Context(), currentVisit(c), c.Param("eid"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toVariantDTO(v))
}

func (s *Server) misconceptions(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"misconceptions": mapSlice(s.App.Misconceptions(), toMisconceptionDTO)})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
