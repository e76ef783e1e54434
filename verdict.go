package gradjudge

import "time"

// Status is the outcome of judging one submission. It is data, never a Go error.
type Status string

// The verdict statuses. A numeric submission ends in one of the first four; a code submission in
// accepted, wrong_answer or one of the build and run failures.
const (
	StatusAccepted      Status = "accepted"
	StatusPartial       Status = "partial"
	StatusWrongAnswer   Status = "wrong_answer"
	StatusInvalid       Status = "invalid"       // the answer could not be read; no attempt is used
	StatusCompileError  Status = "compile_error" // the code did not build or pass vet; no attempt is used
	StatusRuntimeError  Status = "runtime_error"
	StatusTimeLimit     Status = "time_limit"
	StatusMemoryLimit   Status = "memory_limit"
	StatusOutputLimit   Status = "output_limit"
	StatusInternalError Status = "internal_error"
)

// CountsAsAttempt reports whether a verdict with this status uses one of the student's attempts:
// an unreadable answer, code that does not build or that the static checks refuse (both
// compile_error), and a judge failure do not. A run that fails or exceeds a limit does.
func (s Status) CountsAsAttempt() bool {
	return s != StatusInvalid && s != StatusCompileError && s != StatusInternalError
}

// Verdict is the judge's answer to one submission. Feedback and Results are written for the
// student: they never hold a hidden expected value unless the exercise reveals it.
type Verdict struct {
	Status         Status   `json:"status"`
	Score          float64  `json:"score"`                    // in [0,1]
	Results        []Result `json:"results"`                  // one per asked quantity or test case
	Misconceptions []string `json:"misconceptions,omitempty"` // tags from the misconception catalog
	FirstWrong     string   `json:"first_wrong,omitempty"`    // the first wrong quantity or node, forward then backward
	Feedback       []string `json:"feedback,omitempty"`       // sentences a student can act on
	Output         string   `json:"output,omitempty"`         // what the student's code printed, capped
	Timings        []Timing `json:"timings,omitempty"`        // per judging stage
	// ExerciseVersion is the version of the exercise the verdict was judged against: its file's
	// content hash and the judge's version (judge.ExerciseVersion). A verdict whose version differs
	// from the exercise's current one may change when regraded. Empty for verdicts judged before
	// versions were recorded.
	ExerciseVersion string `json:"exercise_version,omitempty"`
}

// Result is the judgement of one asked quantity (numeric) or one test case (code).
type Result struct {
	ID      string   `json:"id"`
	Status  Status   `json:"status"`
	Message string   `json:"message,omitempty"`
	Tags    []string `json:"tags,omitempty"`
	// ConsistentWith names an earlier quantity whose wrong answer this one correctly builds on.
	ConsistentWith string `json:"consistent_with,omitempty"`
}

// Timing is how long one judging stage took.
type Timing struct {
	Stage    string        `json:"stage"`
	Duration time.Duration `json:"duration_ns"`
}
