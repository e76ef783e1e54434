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

// Catalog is what the judge reads of the exercise catalog: a loaded *exercises.Catalog, or an
// *exercises.Live that an author's edits replace while the judge runs.
type Catalog interface {
	Instance(id string, seed uint64) (*exercises.Instance, error)
	Misconception(tag string) (gradjudge.Misconception, bool)
	All() []*exercises.Exercise
	Lookup(id string) (*exercises.Exercise, error)
}

var (
	_ Catalog = (*exercises.Catalog)(nil)
	_ Catalog = (*exercises.Live)(nil)
)

// Version is the version of the judge's grading: bump it with every change that can change a
// verdict of an unchanged exercise (a tolerance rule, a diagnosis, the code pipeline's checks), so
// that verdicts judged before can be found and regraded.
const Version = "1"

// ExerciseVersion is the version of exercise e a verdict is judged against: the start of its
// file's content hash and the judge's Version, such as "3f2a9c0d1b2e4f5a/judge-1".
func ExerciseVersion(e *exercises.Exercise) string {
	return e.Hash[:min(len(e.Hash), exerciseHashChars)] + "/judge-" + Version
}

// exerciseHashChars is how many hex digits of an exercise file's hash a version keeps: 64 bits,
// plenty to tell one author's edits apart.
const exerciseHashChars = 16

// Judge grades answers to the exercises of a catalog: numeric and choice answers itself, code
// answers through its CodeGrader. Every verdict records the ExerciseVersion it was judged
// against. It is safe for concurrent use.
type Judge struct {
	cat  Catalog
	code CodeGrader
}

var _ gradjudge.Judge = (*Judge)(nil)

// New returns a judge over cat. code may be nil: code exercises then end in an internal error
// saying that code exercises are not available.
func New(cat Catalog, code CodeGrader) (*Judge, error) {
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
		v.ExerciseVersion = ExerciseVersion(in.Exercise)
		return v, err
	}
	return j.GradeInstance(in, a), nil
}

// GradeInstance grades a numeric or choice answer to an instance the caller already holds, such as
// one drawn by the validator.
func (j *Judge) GradeInstance(in *exercises.Instance, a gradjudge.Answer) gradjudge.Verdict {
	v := j.gradeInstance(in, a)
	v.ExerciseVersion = ExerciseVersion(in.Exercise)
	return v
}

func (j *Judge) gradeInstance(in *exercises.Instance, a gradjudge.Answer) gradjudge.Verdict {
	if in.Exercise.Kind == gradjudge.KindChoice {
		return j.gradeChoice(in, a.Choice)
	}
	got, invalid := readFields(in.Exercise, a.Fields)
	if invalid != nil {
		return *invalid
	}
	return j.gradeNumbers(in, got)
}
