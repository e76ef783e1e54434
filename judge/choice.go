package judge

import (
	"fmt"

	"gradjudge"
	"gradjudge/exercises"
)

// choiceResultID is the result id of a choice answer.
const choiceResultID = "choice"

func (j *Judge) gradeChoice(in *exercises.Instance, choice string) gradjudge.Verdict {
	if choice == "" {
		return invalidVerdict([]gradjudge.Result{{ID: choiceResultID, Status: gradjudge.StatusInvalid,
			Message: "no option was chosen"}})
	}
	opt, ok := in.Exercise.Option(choice)
	if !ok {
		return invalidVerdict([]gradjudge.Result{{ID: choiceResultID, Status: gradjudge.StatusInvalid,
			Message: fmt.Sprintf("there is no option %q", choice)}})
	}
	if opt.Correct {
		return gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1,
			Results:  []gradjudge.Result{{ID: choiceResultID, Status: gradjudge.StatusAccepted, Message: "Right."}},
			Feedback: []string{"Right."}}
	}
	v := gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer,
		Results:        []gradjudge.Result{{ID: choiceResultID, Status: gradjudge.StatusWrongAnswer, Message: "Not this one.", Tags: []string{opt.Tag}}},
		Misconceptions: []string{opt.Tag}, FirstWrong: choiceResultID}
	v.Feedback = append([]string{"Not this one."}, j.explain(v.Misconceptions)...)
	return v
}

// invalidVerdict is the verdict on an answer that could not be read: no attempt is used.
func invalidVerdict(results []gradjudge.Result) gradjudge.Verdict {
	return gradjudge.Verdict{Status: gradjudge.StatusInvalid, Results: results,
		Feedback: []string{"Some answers could not be read (see each one's message). Nothing was graded and no attempt was used."}}
}

// explain returns the catalog's title and explanation of each tag, for the student.
func (j *Judge) explain(tags []string) []string {
	var out []string
	for _, tag := range tags {
		if m, ok := j.cat.Misconception(tag); ok {
			out = append(out, m.Title+" — "+m.Explanation)
		}
	}
	return out
}
