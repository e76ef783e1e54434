package mastery

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"gradjudge"
)

// CourseData is what FitCourse reads and writes (store.DB).
type CourseData interface {
	Course(ctx context.Context, id int64) (gradjudge.Course, error)
	Submissions(ctx context.Context, f gradjudge.SubmissionFilter) ([]gradjudge.Submission, error)
	SetMasteryParams(ctx context.Context, courseID int64, params []gradjudge.MasteryParams) error
	ReplaceLearners(ctx context.Context, courseID int64, states []gradjudge.LearnerState) error
	HintUses(ctx context.Context, courseID int64) ([]gradjudge.HintUse, error)
}

// FitResult is what fitting a course found and did.
type FitResult struct {
	CourseID    int64
	Submissions int // judged submissions read
	Students    int // students with any
	Concepts    []ConceptFit
	Saved       int // concepts whose fitted parameters were stored
	Replayed    int // students whose models were recomputed
	DryRun      bool
}

// FitCourse fits the course's parameters to its judged submissions (Fit), and unless dryRun
// stores those of the concepts that had enough data and recomputes every student's model under
// them (Replay), which also resolves misconceptions shown before the model existed. ENOTFOUND for
// an unknown course.
func (m *Model) FitCourse(ctx context.Context, data CourseData, courseID int64, dryRun bool) (FitResult, error) {
	r := FitResult{CourseID: courseID, DryRun: dryRun}
	if _, err := data.Course(ctx, courseID); err != nil {
		return r, err
	}
	subs, err := judged(ctx, data, courseID)
	if err != nil {
		return r, err
	}
	byUser := map[int64][]gradjudge.Submission{}
	for _, s := range subs {
		byUser[s.UserID] = append(byUser[s.UserID], s)
	}
	r.Submissions, r.Students = len(subs), len(byUser)
	hints, err := data.HintUses(ctx, courseID)
	if err != nil {
		return r, err
	}
	r.Concepts = Fit(m.History(subs, hints))
	slices.SortFunc(r.Concepts, func(a, b ConceptFit) int { return cmp.Compare(m.rank(a.Concept), m.rank(b.Concept)) })
	if dryRun {
		return r, nil
	}
	var fitted []gradjudge.MasteryParams
	for _, f := range r.Concepts {
		if f.Fitted {
			if err := Check(f.Params); err != nil {
				return r, err
			}
			fitted = append(fitted, f.Params)
		}
	}
	if err := data.SetMasteryParams(ctx, courseID, fitted); err != nil {
		return r, err
	}
	r.Saved = len(fitted)
	states := make([]gradjudge.LearnerState, 0, len(byUser))
	for uid, list := range byUser {
		st, err := m.Replay(NewParamSet(fitted), courseID, uid, list, hints)
		if err != nil {
			return r, err
		}
		states = append(states, st)
	}
	slices.SortFunc(states, func(a, b gradjudge.LearnerState) int { return cmp.Compare(a.UserID, b.UserID) })
	if err := data.ReplaceLearners(ctx, courseID, states); err != nil {
		return r, err
	}
	r.Replayed = len(states)
	return r, nil
}

// judged reads every judged submission of the course, a page at a time.
func judged(ctx context.Context, data CourseData, courseID int64) ([]gradjudge.Submission, error) {
	var out []gradjudge.Submission
	f := gradjudge.SubmissionFilter{CourseID: courseID, Status: gradjudge.SubmissionDone, Limit: gradjudge.MaxSubmissionLimit}
	for {
		page, err := data.Submissions(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			return out, nil
		}
		f.BeforeID = page[len(page)-1].ID
	}
}

// rank is concept's place in the lesson's order.
func (m *Model) rank(concept string) int {
	if i := slices.Index(m.concepts, concept); i >= 0 {
		return i
	}
	return len(m.concepts)
}

// Write prints r for the command line: per concept the parameters and the fit's quality on the
// held-out students against the defaults', then the means weighted by held-out answers.
func (r FitResult) Write(w io.Writer) error {
	fmt.Fprintf(w, "course %d: %d judged submissions from %d students; %d%% of students held out to measure the fit\n\n",
		r.CourseID, r.Submissions, r.Students, HeldOutPercent)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "concept\tstudents\tanswers\tprior\tlearn\tguess\tslip\theld-out answers\tlog-lik (defaults)\tAUC (defaults)\t")
	var held, ll, dll, auc, dauc float64
	for _, f := range r.Concepts {
		p := f.Params
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t%.3f (%.3f)\t%.3f (%.3f)\t", f.Concept, f.Students, f.Train,
			p.Prior, p.Learn, p.Guess, p.Slip, f.HeldOut.N, f.HeldOut.LogLik, f.DefaultHeld.LogLik, f.HeldOut.AUC, f.DefaultHeld.AUC)
		if !f.Fitted {
			fmt.Fprintf(tw, "defaults: %s", f.Reason)
		}
		fmt.Fprintln(tw)
		n := float64(f.HeldOut.N)
		held, ll, dll, auc, dauc = held+n, ll+n*f.HeldOut.LogLik, dll+n*f.DefaultHeld.LogLik, auc+n*f.HeldOut.AUC, dauc+n*f.DefaultHeld.AUC
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if held > 0 {
		fmt.Fprintf(w, "\nheld out, weighted by answers: log-likelihood %.3f per answer (defaults %.3f), AUC %.3f (defaults %.3f)\n",
			ll/held, dll/held, auc/held, dauc/held)
	}
	if r.DryRun {
		_, err := fmt.Fprintln(w, "dry run: nothing stored")
		return err
	}
	_, err := fmt.Fprintf(w, "saved the parameters of %d concepts; recomputed the models of %d students\n", r.Saved, r.Replayed)
	return err
}
