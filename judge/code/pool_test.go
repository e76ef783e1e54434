package code

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"gradjudge"
)

func TestPoolBusy(t *testing.T) {
	p := newPool(1, 1)
	release, err := p.acquire(context.Background())
	if err != nil {
		t.Fatalf("first acquire: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.acquire(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("waiting with an ended context: got %v, want context.Canceled", err)
	}
	p.admit <- struct{}{} // another submission waits: the queue is full
	if _, err := p.acquire(context.Background()); gradjudge.ErrorCode(err) != gradjudge.ERATELIMIT {
		t.Errorf("with the queue full: got %v, want ERATELIMIT", err)
	}
	<-p.admit
	release()
	release, err = p.acquire(context.Background())
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	release()
	if len(p.admit) != 0 || len(p.slots) != 0 {
		t.Errorf("after every release: %d admitted, %d slots held; want 0, 0", len(p.admit), len(p.slots))
	}
}

// TestCodeJudgeBusy checks that a full judge answers ERATELIMIT at once, with no verdict.
func TestCodeJudgeBusy(t *testing.T) {
	_, cj := needCode(t)
	busy := &Judge{cfg: cj.cfg, vetter: cj.vetter, build: cj.build, runner: cj.runner, pool: newPool(1, 0),
		cache: newVerdictCache(4)}
	release, _ := busy.pool.acquire(context.Background())
	defer release()
	in, err := codeEnv.cat.Instance("code-relu-backward", 1)
	if err != nil {
		t.Fatal(err)
	}
	src := in.Exercise.Code.Solutions[0].Source
	v, err := busy.GradeCode(context.Background(), in, src)
	if gradjudge.ErrorCode(err) != gradjudge.ERATELIMIT || v.Status != "" {
		t.Errorf("got %q, %v; want no verdict and ERATELIMIT", v.Status, err)
	}
}

func TestVerdictCacheLRU(t *testing.T) {
	c := newVerdictCache(2)
	a, b, d := keyOf("e", 1, "a"), keyOf("e", 1, "b"), keyOf("e", 2, "a")
	c.put(a, gradjudge.Verdict{Status: gradjudge.StatusAccepted, Misconceptions: []string{"x"}})
	c.put(b, gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer})
	got, _ := c.get(a) // a is now the most recent
	got.Misconceptions[0] = "changed"
	c.put(d, gradjudge.Verdict{Status: gradjudge.StatusCompileError})
	if _, ok := c.get(b); ok {
		t.Errorf("b: still cached; want it evicted as the least recently used")
	}
	if v, ok := c.get(a); !ok || v.Misconceptions[0] != "x" {
		t.Errorf("a: got %+v, %v; want the stored verdict, unchanged by a caller", v, ok)
	}
	if c.len() != 2 {
		t.Errorf("len: got %d, want 2", c.len())
	}
}

// TestCodeCacheHit grades one source twice: the second verdict comes from the cache, and the
// same source for another seed does not.
func TestCodeCacheHit(t *testing.T) {
	_, cj := needCode(t)
	// A fresh source each run: the judge (and its cache) outlives one run under -count.
	src := fmt.Sprintf("package solution\n\n// cache test %d\nfunc ReluBackward(z, g []float64) []float64 { return g }\n", time.Now().UnixNano())
	first := gradeCode(t, "code-relu-backward", 11, src)
	n := cj.cache.len()
	second := gradeCode(t, "code-relu-backward", 11, src)
	if len(second.Timings) != 1 || second.Timings[0].Stage != "cache" || second.Status != first.Status ||
		second.Feedback[0] != first.Feedback[0] || cj.cache.len() != n {
		t.Errorf("second grading: got %s %v; want the first verdict (%s) from the cache", second.Status, second.Timings, first.Status)
	}
	third := gradeCode(t, "code-relu-backward", 12, src)
	if len(third.Timings) < 2 {
		t.Errorf("another seed: got timings %v; want a new grading", third.Timings)
	}
}
