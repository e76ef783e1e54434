package code

import (
	"fmt"
	"strings"

	"gradjudge"
	"gradjudge/judge"
	"gradjudge/judge/sandbox"
)

func internalVerdict() gradjudge.Verdict {
	return gradjudge.Verdict{Status: gradjudge.StatusInternalError,
		Feedback: []string{"The judge failed on this submission; it does not count as an attempt. Try again later."}}
}

// vetVerdict reports what the static checks found, each at solution.go:LINE:COL.
func vetVerdict(diags []sandbox.Diagnostic) gradjudge.Verdict {
	v := gradjudge.Verdict{Status: gradjudge.StatusCompileError}
	for _, d := range diags {
		v.Feedback = append(v.Feedback, d.String())
	}
	return v
}

// buildVerdict reports a failed build in the compiler's words.
func buildVerdict(res sandbox.BuildResult) gradjudge.Verdict {
	v := gradjudge.Verdict{Status: gradjudge.StatusCompileError}
	if res.TimedOut {
		v.Feedback = append(v.Feedback, fmt.Sprintf("Building your code took longer than %s: it asks the compiler for too much.",
			res.Duration.Round(1e9)))
	}
	for _, line := range strings.Split(strings.TrimSpace(res.Output), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "# ") {
			v.Feedback = append(v.Feedback, line)
		}
	}
	return v
}

// runFailureVerdict reports a run that did not end normally; done is how many calls it answered,
// so the next one is where it failed, or -1 when it failed before the first call.
func runFailureVerdict(p *plan, out sandbox.Outcome, done int, lim sandbox.Limits) gradjudge.Verdict {
	v := gradjudge.Verdict{Status: gradjudge.Status(out.Kind)}
	where := ""
	switch {
	case done < 0:
		where = " before the first call, while your package was being initialised (its package-level variables and init functions)"
	case done < len(p.calls):
		where = " in " + p.callPlace(done)
	}
	msg := out.Message
	if out.Line > 0 {
		msg += fmt.Sprintf(" (solution.go line %d)", out.Line)
	}
	switch out.Kind {
	case sandbox.RuntimeError:
		v.Feedback = []string{fmt.Sprintf("Your code failed%s: %s.", where, msg)}
	case sandbox.TimeLimit:
		v.Feedback = []string{fmt.Sprintf("Stopped%s: %s (all cases together). Look for a loop that never ends.",
			where, orDefault(out.Message, "the program ran too long"))}
	case sandbox.MemoryLimit:
		v.Feedback = []string{fmt.Sprintf("Stopped%s: %s. Allocate only what the result needs.",
			where, orDefault(out.Message, "the program needed too much memory"))}
	case sandbox.OutputLimit:
		v.Feedback = []string{fmt.Sprintf("Stopped%s: your code printed more than %d KiB. Print less, or nothing.",
			where, lim.OutputBytes>>10)}
	default:
		v.Status = gradjudge.StatusRuntimeError
		v.Feedback = []string{fmt.Sprintf("Your code failed%s: %s.", where, msg)}
	}
	return v
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// callPlace names call i for the student: a case and its inputs, or a gradcheck probe.
func (p *plan) callPlace(i int) string {
	c := p.calls[i]
	switch c.role {
	case roleRepeat:
		return fmt.Sprintf("case %d, called a second time: %s", c.cs+1, p.describe(c.fn, c.cs))
	case roleZero:
		return fmt.Sprintf("case %d with %s all zeros", c.cs+1, p.code.Upstream)
	case roleProbe:
		return fmt.Sprintf("case %d, %s at an input moved by %.1g for the gradient check", c.cs+1, p.code.Funcs[c.fn].Name, c.step)
	}
	return fmt.Sprintf("case %d: %s", c.cs+1, p.describe(c.fn, c.cs))
}

// resultVerdict grades a run that answered every call.
func resultVerdict(p *plan, g grading) gradjudge.Verdict {
	right, first := 0, -1
	v := gradjudge.Verdict{}
	for c, msg := range g.cases {
		r := gradjudge.Result{ID: fmt.Sprintf("case %d", c+1), Status: gradjudge.StatusAccepted, Message: "Right."}
		if msg == "" {
			right++
		} else {
			r.Status, r.Message = gradjudge.StatusWrongAnswer, msg
			first = firstOf(first, c)
		}
		v.Results = append(v.Results, r)
	}
	v.Score = float64(right) / float64(len(g.cases))
	if first < 0 {
		v.Status = gradjudge.StatusAccepted
		v.Feedback = []string{fmt.Sprintf("All %d cases are right: your code agrees with the reference autograd within the tolerance (%s)%s.",
			len(g.cases), p.code.Tolerance, gradcheckNote(p))}
		return v
	}
	v.Status = gradjudge.StatusWrongAnswer
	var pair bool
	v.Misconceptions, pair = diagnoseCode(p, g)
	for i := range v.Results {
		if v.Results[i].Status != gradjudge.StatusAccepted {
			v.Results[i].Tags = v.Misconceptions
		}
	}
	v.FirstWrong = firstWrong(p, g)
	v.Feedback = []string{g.cases[first], fmt.Sprintf("%d of %d cases are right.", right, len(g.cases))}
	if pair {
		v.Feedback = append(v.Feedback, judge.TwoMistakes)
	}
	if len(v.Misconceptions) == 0 {
		if m := localNearMiss(p, g); m != "" {
			v.Feedback = append(v.Feedback, m)
		}
	}
	return v
}

func firstOf(first, c int) int {
	if first < 0 {
		return c
	}
	return first
}

func gradcheckNote(p *plan) string {
	for _, fn := range p.code.Funcs {
		if fn.GradCheck != "" {
			return fmt.Sprintf(", and %s agrees with central differences of your own %s", fn.Name, fn.GradCheck)
		}
	}
	return ""
}

// firstWrong names the first result that differs from the reference, e.g. "Backward: ∂L/∂w".
func firstWrong(p *plan, g grading) string {
	for f, fn := range p.code.Funcs {
		for k, q := range fn.Results {
			if g.wrong[f][k] {
				return fn.Name + ": " + label(q)
			}
		}
	}
	return ""
}

// capOutput keeps the first max bytes of s, cut at a line or rune boundary, and says how much
// was left out.
func capOutput(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := strings.ToValidUTF8(s[:max], "")
	if i := strings.LastIndexByte(cut, '\n'); i > max/2 {
		cut = cut[:i+1]
	}
	return fmt.Sprintf("%s\n… (%d more bytes not shown)\n", cut, len(s)-len(cut))
}
