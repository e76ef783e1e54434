package main

import (
	"fmt"
	"strings"
	"time"
)

// alive are the worker processes still running.
func (e *scaleEnv) alive() []*proc {
	var ps []*proc
	for _, w := range e.workers {
		select {
		case <-w.exit:
		default:
			ps = append(ps, w)
		}
	}
	return ps
}

// jobRunner waits, bounded, until the job of submission id runs under a worker other than not,
// and returns that worker's id.
func (e *scaleEnv) jobRunner(id int64, not string) string {
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		var state, worker string
		err := e.db.QueryRow(`SELECT state, COALESCE(attempted_by[array_length(attempted_by, 1)], '') FROM river_job
			WHERE (args->>'submission_id')::bigint = $1`, id).Scan(&state, &worker)
		if err == nil && state == "running" && worker != not {
			return worker
		}
		time.Sleep(20 * time.Millisecond) // a bounded poll of another process's progress
	}
	e.t.Fatalf("the job of submission %d did not run under a worker other than %q in 90 s", id, not)
	return ""
}

// workerProc is the live worker process whose id is id.
func (e *scaleEnv) workerProc(id string) *proc {
	for _, w := range e.alive() {
		if w.await(e.t, "judging", time.Second)["worker"] == id {
			return w
		}
	}
	e.t.Fatalf("no live worker %q", id)
	return nil
}

// killSlowJob submits a code answer that runs until its time limit, SIGKILLs the worker judging
// it and measures how long until another worker judges it again; SIGTERMs that one, which puts
// the job back, logs it and exits 0; and waits for the third worker's verdict.
func (e *scaleEnv) killSlowJob(cp string, student *client) time.Duration {
	e.startWorker() // three live workers again after the flood's kill
	var s submissionDTO
	student.base = e.bases[1]
	student.must(202, "POST", cp+"/exercises/"+codeExercise+"/submissions", map[string]string{"code": busyLoop}, &s)
	first := e.jobRunner(s.ID, "")
	e.workerProc(first).kill()
	killed := time.Now()
	second := e.jobRunner(s.ID, first)
	requeue := time.Since(killed)
	e.checkTookBack(first)

	w := e.workerProc(second)
	if code := w.stop(e.t, 30*time.Second); code != 0 {
		e.t.Errorf("a worker stopped by SIGTERM mid-job exited %d, want 0:\n%s", code, w.logs.String())
	}
	line := w.await(e.t, "shutdown put unfinished judgings back in the queue", time.Second)
	if fmt.Sprint(line["submissions"]) != fmt.Sprintf("[%d]", s.ID) {
		e.t.Errorf("SIGTERM log %v; want submission %d put back", line, s.ID)
	}
	e.jobRunner(s.ID, second)
	if got := e.waitVerdict(s.ID, 90*time.Second); got != "time_limit" {
		e.t.Errorf("the slow answer's verdict %q, want time_limit", got)
	}
	return requeue
}

// checkTookBack checks that a live worker logged, at WARN, taking back the jobs of dead.
func (e *scaleEnv) checkTookBack(dead string) {
	for _, w := range e.alive() {
		for _, line := range strings.Split(w.logs.String(), "\n") {
			if strings.Contains(line, `"level":"WARN","msg":"took back the judging jobs of stopped workers"`) && strings.Contains(line, dead) {
				return
			}
		}
	}
	e.t.Errorf("no live worker logged taking back the jobs of %s", dead)
}

// waitVerdict waits, bounded, for the verdict of submission id and returns its status.
func (e *scaleEnv) waitVerdict(id int64, within time.Duration) string {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		var status string
		if e.db.QueryRow("SELECT status FROM verdicts WHERE submission_id = $1", id).Scan(&status) == nil {
			return status
		}
		time.Sleep(50 * time.Millisecond) // a bounded poll of another process's progress
	}
	e.t.Fatalf("submission %d has no verdict after %v", id, within)
	return ""
}

// killEveryWorker queues one answer per client, SIGKILLs every worker at once and starts two new
// ones, which must take the dead workers' jobs back.
func (e *scaleEnv) killEveryWorker(cp string, students []*client, a *acks) {
	for i, c := range students {
		status, s, err := postAnswer(e.bases[1], c.token, cp+"/exercises/chain-rule-multiply/submissions",
			e.right, fmt.Sprintf("last-%d", i))
		if err != nil || status != 202 {
			e.t.Fatalf("queueing before the kill: %d, %v", status, err)
		}
		a.ids, a.keys = append(a.ids, s.ID), a.keys+1
	}
	for _, w := range e.alive() {
		w.kill()
	}
	e.startWorker()
	e.startWorker()
}

// check waits for every submission to be judged, then counts lost, duplicated and stuck ones, and
// checks that progress counted each verdict once.
func (e *scaleEnv) check(a *acks) {
	t := e.t
	deadline := time.Now().Add(120 * time.Second)
	var stuck int
	for {
		if err := e.db.QueryRow("SELECT count(*) FROM submissions WHERE status <> 'done'").Scan(&stuck); err != nil {
			t.Fatal(err)
		}
		if stuck == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond) // a bounded poll of other processes' progress
	}
	var stored, found, verdicts, attempts, counted, internal int
	q := func(query string, dst *int, args ...any) {
		if err := e.db.QueryRow(query, args...).Scan(dst); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	q("SELECT count(*) FROM submissions", &stored)
	q("SELECT count(*) FROM submissions WHERE id = ANY($1)", &found, a.ids)
	q("SELECT count(*) FROM verdicts", &verdicts)
	q("SELECT COALESCE(sum(attempts), 0) FROM progress", &attempts)
	q("SELECT count(*) FROM verdicts WHERE status NOT IN ('invalid', 'internal_error')", &counted)
	q("SELECT count(*) FROM verdicts WHERE status = 'internal_error'", &internal)
	// Every key the clients used is stored once, but for keys answered 5xx; +1: the slow code answer.
	lost, duplicated := len(a.ids)-found, stored-(a.keys-a.status5xx+1)
	t.Logf("lost %d, duplicated %d, stuck %d (%d stored, %d keys)", lost, duplicated, stuck, stored, a.keys)
	if lost != 0 || duplicated != 0 || stuck != 0 {
		t.Errorf("lost %d, duplicated %d, stuck %d; want 0 each", lost, duplicated, stuck)
	}
	if verdicts != stored || attempts != counted || internal != 0 {
		t.Errorf("%d verdicts for %d submissions, progress counts %d attempts for %d verdicts that count, %d internal errors; want one verdict each, counted once, no internal error",
			verdicts, stored, attempts, counted, internal)
	}
	if a.status5xx != 0 || a.busy != 0 {
		t.Errorf("%d responses were 5xx and %d were 503 busy, want 0 each; the first: %s", a.status5xx, a.busy, a.first5xx)
	}
	for _, api := range e.apis {
		for _, line := range strings.Split(api.logs.String(), "\n") {
			if strings.Contains(line, `"level":"ERROR"`) {
				t.Errorf("%s logged an error: %s", api.name, line)
			}
		}
	}
}
