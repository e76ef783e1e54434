package judge

import (
	"context"
	"errors"

	"gradjudge"
	"gradjudge/exercises"
)

// CodeGrader grades a code answer to one variant. The code pipeline implements it (building the
// student's Go in judge/sandbox and comparing with the reference autograd); the Judge hands it
// every code exercise.
type CodeGrader interface {
	GradeCode(ctx context.Context, in *exercises.Instance, code string) (gradjudge.Verdict, error)
}

// Judge grades answers to the exercises of a catalog: numeric and choice answers itself, code
// answers through its CodeGrader. It is safe for concurrent use.
type Judge struct {
	cat  *exercises.Catalog
	code CodeGrader
}

var _ gradjudge.Judge = (*Judge)(nil)

// New returns a judge over cat. code may be nil: code exercises then end in an internal error
// saying that code exercises are not available.
func New(cat *exercises.Catalog, code CodeGrader) (*Judge, error) {
	if cat == nil {
		return nil, errors.New("judge: a catalog is required")
	}
	return &Judge{cat: cat, code: code}, nil
}

// Grade grades answer a to the variant of exercise id for seed. Its error has code ENOTFOUND for
// an unknown exercise and EINTERNAL when the judge cannot grade (a badly authored exercise, or a
// code exercise without a CodeGrader).
func (j *Judge) Grade(ctx context.Context, id string, seed uint64, a gradjudge.Answer) (gradjudge.Verdict, error) {
	if err := ctx.Err(); err != nil {
		return gradjudge.Verdict{}, err
	}
	in, err := j.cat.Instance(id, seed)
	if err != nil {
		return gradjudge.Verdict{}, err
	}
	if in.Exercise.Kind == gradjudge.KindCode {
		if j.code == nil {
			return gradjudge.Verdict{Status: gradjudge.StatusInternalError},
				&gradjudge.Error{Code: gradjudge.EINTERNAL, Message: "code exercises are not available", Op: "judge " + id}
		}
		v, err := j.code.GradeCode(ctx, in, a.Code)
		v.Feedback = append(v.Feedback, j.explain(v.Misconceptions)...)
		return v, err
	}
	return j.GradeInstance(in, a), nil
}

// GradeInstance grades a numeric or choice answer to an instance the caller already holds, such as
// one drawn by the validator.
func (j *Judge) GradeInstance(in *exercises.Instance, a gradjudge.Answer) gradjudge.Verdict {
	if in.Exercise.Kind == gradjudge.KindChoice {
		return j.gradeChoice(in, a.Choice)
	}
	got, invalid := readFields(in.Exercise, a.Fields)
	if invalid != nil {
		return *invalid
	}
	return j.gradeNumbers(in, got)
}
