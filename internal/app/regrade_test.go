package app

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/store"
)

// gateJudge is the fixed exercise's judge: it accepts every answer at version v2, but only pass
// judgings go through; later ones wait for their job's end (a process stopping halfway through a
// regrade). Each judging that goes through is told on done, each held one on held.
type gateJudge struct {
	pass       *atomic.Int64
	done, held chan struct{}
}

func newGateJudge(pass int64) gateJudge {
	g := gateJudge{pass: new(atomic.Int64), done: make(chan struct{}, 100), held: make(chan struct{}, 100)}
	g.pass.Store(pass)
	return g
}

func (g gateJudge) Grade(ctx context.Context, _ string, _ uint64, _ gradjudge.Answer) (gradjudge.Verdict, error) {
	if g.pass.Add(-1) < 0 {
		g.held <- struct{}{}
		<-ctx.Done()
		return gradjudge.Verdict{}, ctx.Err()
	}
	g.done <- struct{}{}
	return gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1, ExerciseVersion: "v2"}, nil
}

// receive waits for n signals on ch, failing t after a minute.
func receive(t *testing.T, ch chan struct{}, n int, what string) {
	t.Helper()
	timeout := time.After(time.Minute)
	for i := range n {
		select {
		case <-ch:
		case <-timeout:
			t.Fatalf("%s: %d of %d after a minute", what, i, n)
		}
	}
}

// TestRegradeStoppedAndResumed: an instructor's regrade whose server stops halfway is resumed by
// asking again (the same run, nothing judged twice), finishes, keeps every replaced verdict once,
// and moves the students' grades under the policy.
func TestRegradeStoppedAndResumed(t *testing.T) {
	forEachDB(t, func(t *testing.T, cfg store.Config) {
		f := newFixtureStore(t, cfg, func(d *Deps) {
			db := d.Submissions.(*store.DB)
			d.Policies, d.Regrades = db, db
			d.ExerciseVersion = func(string) (string, error) { return "v2", nil }
		})
		ctx := t.Context()
		// One job at a time: when a judging is held, the ones before it are committed.
		workers := func(j gradjudge.Judge) *store.Workers {
			w, err := f.db.StartWorkers(ctx, store.WorkerConfig{Judge: j, NumericWorkers: 1, FetchPollInterval: 5 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			return w
		}
		first := workers(rightOrWrong{})
		alice, bob, inst := f.visit(t, f.alice), f.visit(t, f.bob), f.visit(t, f.inst)
		var subs []gradjudge.Submission
		for _, v := range []Visit{alice, alice, alice, bob, bob} {
			subs = append(subs, f.submitJudged(t, v, "2", ""))
		}
		first.Stop(ctx)

		gate := newGateJudge(2)
		w := workers(gate)
		run, err := f.app.Regrade(ctx, inst, "num", false)
		if err != nil || run.Total != len(subs) {
			t.Fatalf("regrade: %+v, %v", run, err)
		}
		receive(t, gate.held, 1, "a judging held")
		stopped, cancel := context.WithCancel(ctx)
		cancel()
		w.Stop(stopped) // the server stops, its running judgings cancelled
		rep, err := f.app.RegradeReport(ctx, inst, run.ID)
		if err != nil || rep.Done != 2 || rep.FinishedAt != nil {
			t.Fatalf("after the stop: %d of %d done, finished %v, %v; want 2 and not finished", rep.Done, rep.Total, rep.FinishedAt, err)
		}

		again, err := f.app.Regrade(ctx, inst, "num", false)
		if err != nil || !again.Resumed || again.ID != run.ID {
			t.Fatalf("asked again: %+v, %v; want run %d resumed", again, err, run.ID)
		}
		rest := newGateJudge(100)
		w = workers(rest)
		receive(t, rest.done, len(subs)-2, "the rest judged")
		if _, err := w.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		rep, err = f.app.RegradeReport(ctx, inst, run.ID)
		if err != nil || rep.Done != len(subs) || rep.Changed != len(subs) || rep.Up != len(subs) || rep.FinishedAt == nil || len(rep.Grades) != 2 {
			t.Fatalf("report %+v, %v; want all 5 judged up, finished, two grades moved", rep, err)
		}
		for _, s := range subs {
			h, err := f.db.VerdictHistory(ctx, s.ID)
			if err != nil || len(h) != 1 || h[0].Status != gradjudge.StatusWrongAnswer {
				t.Errorf("submission %d: history %+v, %v; want its wrong verdict once", s.ID, h, err)
			}
		}
		if st, _ := f.app.Standing(ctx, alice, "num"); st.State.Grade.Score != 1 {
			t.Errorf("alice's grade after the regrade %+v, want 1", st.State.Grade)
		}
	})
}
