package main

import (
	"testing"
)

// TestServeInlineJudging submits numeric answers to servers with and without --inline-judging:
// inline, an answer comes back judged even without ?wait=true; through the queue it is
// acknowledged queued (202) and judged by the workers, and ?wait=true still returns the verdict.
func TestServeInlineJudging(t *testing.T) {
	for _, c := range []struct {
		name   string
		env    string // GRADJUDGE_INLINE_JUDGING
		inline bool
	}{
		{"default", "", true},
		{"queue", "false", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{}
			if c.env != "" {
				env["GRADJUDGE_INLINE_JUDGING"] = c.env
			}
			cfg := newMainWithEnv(env)
			if err := cfg.ParseFlags(nil); err != nil || cfg.Config.InlineJudging != c.inline {
				t.Fatalf("GRADJUDGE_INLINE_JUDGING=%q: InlineJudging %v, %v", c.env, cfg.Config.InlineJudging, err)
			}
			m := startMain(t, t.TempDir(), func(sc *ServeConfig) { sc.Code, sc.InlineJudging = false, cfg.Config.InlineJudging })
			cp, student := crashSetup(t, m.URL())
			answers := crashAnswers(t, student, cp)
			path := cp + "/exercises/chain-rule-multiply/submissions"

			var ack submissionDTO
			want := map[bool]int{true: 200, false: 202}[c.inline]
			student.must(want, "POST", path, map[string]any{"fields": answers[0]}, &ack)
			if done := waitJudgedIn(t, m, student, ack.ID); done.Verdict.Status != "accepted" {
				t.Errorf("right answer: %+v", done.Verdict)
			}
			var sub submissionDTO
			student.must(200, "POST", path+"?wait=true", map[string]any{"fields": answers[1]}, &sub)
			if sub.Status != "done" || sub.Verdict == nil || len(sub.Verdict.Misconceptions) == 0 {
				t.Errorf("wrong answer with ?wait=true: %+v", sub)
			}
			var p struct{ Exercises []struct{ Attempts int } }
			student.must(200, "GET", cp+"/progress", nil, &p)
			if len(p.Exercises) != 1 || p.Exercises[0].Attempts != 2 {
				t.Errorf("progress %+v, want 2 attempts", p.Exercises)
			}
		})
	}
}
