package web

import (
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/internal/app"
	"gradjudge/internal/policy"
	"gradjudge/internal/regrade"
)

// policies is an in-memory app.Policies for one course: the policies and extensions it is given,
// and the attempts read from the submissions in memory.
type policies struct {
	subs *submissions
	mu   sync.Mutex
	pols map[string]policy.Policy
	exts map[string]map[int64]time.Time // by exercise, by user
}

var _ app.Policies = (*policies)(nil)

func (p *policies) ExercisePolicy(_ context.Context, _ int64, eid string) (policy.Policy, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pols[eid], nil
}

func (p *policies) Extension(_ context.Context, _ int64, eid string, uid int64) (time.Time, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	due, ok := p.exts[eid][uid]
	return due, ok, nil
}

// Attempts are the user's judged submissions to eid, oldest first.
func (p *policies) Attempts(ctx context.Context, courseID, uid int64, eid string) ([]policy.Attempt, error) {
	subs, _ := p.subs.Submissions(ctx, gradjudge.SubmissionFilter{UserID: uid, CourseID: courseID, ExerciseID: eid})
	var out []policy.Attempt
	for i := len(subs) - 1; i >= 0; i-- {
		if s := subs[i]; s.Verdict != nil {
			out = append(out, policy.Attempt{At: s.CreatedAt, Status: s.Verdict.Status, Score: s.Verdict.Score})
		}
	}
	return out, nil
}

func (p *policies) CoursePolicies(context.Context, int64) (map[string]policy.Policy, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps.Clone(p.pols), nil
}

func (p *policies) CourseExtensions(context.Context, int64) (map[int64]map[string]time.Time, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[int64]map[string]time.Time{}
	for eid, byUser := range p.exts {
		for uid, due := range byUser {
			if out[uid] == nil {
				out[uid] = map[string]time.Time{}
			}
			out[uid][eid] = due
		}
	}
	return out, nil
}

// SetExercisePolicy validates as the store does.
func (p *policies) SetExercisePolicy(_ context.Context, _ int64, eid string, pol policy.Policy) error {
	if err := pol.Validate(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pols[eid] = pol
	return nil
}

func (p *policies) SetExtension(_ context.Context, _ int64, eid string, uid int64, due time.Time, _ int64) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.exts[eid] == nil {
		p.exts[eid] = map[int64]time.Time{}
	}
	p.exts[eid][uid] = due
	return nil
}

func (p *policies) DeleteExtension(_ context.Context, _ int64, eid string, uid int64) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.exts[eid], uid)
	return nil
}

// regrades is an app.Regrades that starts run 1 and reports what the test puts in report.
type regrades struct {
	mu      sync.Mutex
	started []regrade.Request
	report  regrade.Report
}

func (r *regrades) StartRegrade(_ context.Context, req regrade.Request) (regrade.Run, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.started = append(r.started, req)
	r.report.Run = regrade.Run{ID: 1, Request: req, Total: r.report.Total, CreatedAt: t0, FinishedAt: r.report.FinishedAt}
	return r.report.Run, nil
}

func (r *regrades) RegradeReport(_ context.Context, id int64) (regrade.Report, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if id != 1 || r.report.ID == 0 {
		return regrade.Report{}, notFound("regrade")
	}
	return r.report, nil
}

func (r *regrades) FinishRegrade(context.Context, int64) (bool, error) { return false, nil }

// policyEnv is the real catalog's course with a policy store and regrades: inst teaches it, ta
// assists, alice and bob are students.
type policyEnv struct {
	*realEnv
	pols *policies
	regs *regrades
}

func newPolicyEnv(tb testing.TB) *policyEnv {
	tb.Helper()
	pe := &policyEnv{regs: &regrades{}}
	pe.realEnv = newRealEnv(tb, func(d *app.Deps, subs *submissions) {
		pe.pols = &policies{subs: subs, pols: map[string]policy.Policy{}, exts: map[string]map[int64]time.Time{}}
		d.Policies, d.Regrades = pe.pols, pe.regs
		d.ExerciseVersion = func(id string) (string, error) { return "v2-" + id, nil }
	})
	for uid, role := range map[int64]gradjudge.CourseRole{inst: gradjudge.CourseInstructor, ta: gradjudge.CourseTA, bob: gradjudge.CourseStudent} {
		pe.subs.fakes.roles[[2]int64{realCourse, uid}] = role
	}
	return pe
}

// do sends a request as user (0: signed out), a POST when form is not nil.
func (e *realEnv) do(user int64, method, path string, form url.Values) *httptest.ResponseRecorder {
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	if user != 0 {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: "tok-" + strconv.FormatInt(user, 10)})
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	return w
}
