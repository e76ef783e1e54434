// Package app is the application core: every rule a front door needs lives here once, and the
// doors (the REST API in api/, the pages in web/, LTI in lti/, the CLI in cmd/) only translate
// their requests into calls of an *App and its answers back into responses.
//
// What it owns, one file each:
//   - access.go: who may read or change a course, a submission, a student's progress; the same
//     "not found" for what is not there and what is not yours.
//   - exercise.go: a course's exercises, the variant a student gets, catalog lookups.
//   - submit.go: answer-kind checks, size limits, text checks, idempotency keys, the per-user
//     submit limit, and waiting for the verdict.
//   - signin.go: the sign-in limits (per client, per email) and the password-hashing slots shared
//     by every door that checks a password, and the client address behind trusted proxies.
//   - progress.go: progress, the class dashboard and the gradebook, as roll-ups over stored
//     records (gradjudge.RollUpProgress and RollUpStats).
//   - learning.go: the learner model explained (internal/mastery): mastery per concept,
//     misconceptions active and resolved, the next exercise; per student and for the class.
//   - status.go: the one table from error codes to HTTP statuses.
//
// The App holds no state but its rate limiters and slot pools; it is safe for concurrent use.
package app

import (
	"errors"
	"io"
	"log/slog"
	"net/netip"
	"runtime"
	"time"

	"gradjudge"
	"gradjudge/internal/mastery"
	"gradjudge/internal/ratelimit"
)

// Defaults of the rules an App applies.
const (
	DefaultMaxWait         = 10 * time.Second // longest a submitter may wait for a verdict
	DefaultSubmitPerMinute = 120              // submissions one user may make a minute
	DefaultSubmitBurst     = 20               // submissions one user may make at once
	// hashSlotWait is how long a sign-in waits for a password-hashing slot before it is told to
	// come back.
	hashSlotWait = 2 * time.Second
)

// Deps are the services and settings an App needs. The services and Catalog are required; the
// rest have defaults.
type Deps struct {
	Users       gradjudge.UserService
	Courses     gradjudge.CourseService
	Submissions gradjudge.SubmissionService
	Progress    gradjudge.ProgressService
	Catalog     gradjudge.Catalog
	// PasswordTokens keeps set-password links for students enrolled by paste; nil: enrolling by
	// paste only enrols those who have an account already.
	PasswordTokens gradjudge.PasswordTokenService
	// Mailer sends a set-password link when SMTP is configured; nil: nothing is sent and the
	// instructor hands the links out.
	Mailer Mailer
	// Learners and Mastery are the learner model (stored, and explained); without them Learning
	// and ClassLearning are internal errors.
	Learners gradjudge.LearnerService
	Mastery  *mastery.Model
	// Hints records the hint steps Help shows students, which the learner model reads as
	// evidence; nil: hints are shown but not recorded.
	Hints HintRecorder
	// Policies gives each course exercise's assessment policy and a student's attempts; nil:
	// the zero Policy everywhere.
	Policies Policies
	// Regrades starts and reports regrade runs, and ExerciseVersion names an exercise's current
	// version (judge.ExerciseVersion of the compiled exercise); without both, regrading is not
	// available.
	Regrades        Regrades
	ExerciseVersion func(exerciseID string) (string, error)

	Logger *slog.Logger     // nil: discard
	Now    func() time.Time // nil: time.Now; the clock of every rate limit

	MaxWait         time.Duration // zero: DefaultMaxWait
	SubmitPerMinute int           // zero: DefaultSubmitPerMinute; negative: no limit
	SubmitBurst     int           // zero: DefaultSubmitBurst
	// TrustedProxies are the IP addresses and CIDRs of the reverse proxies whose X-Forwarded-For
	// and X-Real-IP headers are believed to name the client; empty trusts none.
	TrustedProxies []string
}

// App is the application core. Build it with New.
type App struct {
	d       Deps
	log     *slog.Logger
	now     func() time.Time
	proxies []netip.Prefix
	submits *ratelimit.Limiter[int64] // submissions, by user id
	// signInsByEmail and signInsByClient limit password guessing; every door shares them, so an
	// attacker gets the same ten guesses a minute whichever door they knock on.
	signInsByEmail  *ratelimit.Limiter[string]
	signInsByClient *ratelimit.Limiter[netip.Addr]
	// hashSlots bounds concurrent password checks: each argon2id hash holds about 19 MiB. A send
	// takes a slot.
	hashSlots chan struct{}
	hashWait  time.Duration
	// evalSlots bounds concurrent evaluations of typed graphs (EvalGraph, Explore): a send takes a
	// slot.
	evalSlots chan struct{}
	signs     variantSigns // the drill-down's variants, remembered
}

// New returns an App over d; it refuses to start without a required dependency or with a
// trusted proxy that is neither an IP address nor a CIDR.
func New(d Deps) (*App, error) {
	if d.Users == nil || d.Courses == nil || d.Submissions == nil || d.Progress == nil || d.Catalog == nil {
		return nil, errors.New("app: Users, Courses, Submissions, Progress and Catalog are required")
	}
	proxies, err := ParseTrustedProxies(d.TrustedProxies)
	if err != nil {
		return nil, err
	}
	a := &App{d: d, log: d.Logger, now: d.Now, proxies: proxies, hashWait: hashSlotWait}
	if a.log == nil {
		a.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if a.now == nil {
		a.now = time.Now
	}
	a.d.MaxWait = cmpOr(d.MaxWait, DefaultMaxWait)
	a.submits = ratelimit.New[int64](ratelimit.Config{PerMinute: cmpOr(d.SubmitPerMinute, DefaultSubmitPerMinute),
		Burst: cmpOr(d.SubmitBurst, DefaultSubmitBurst), Now: a.now})
	a.signInsByEmail = ratelimit.NewSignInsByEmail[string](a.now, 0)
	a.signInsByClient = ratelimit.NewSignInsByClient(a.now)
	a.hashSlots = make(chan struct{}, max(runtime.GOMAXPROCS(0), 1))
	a.evalSlots = make(chan struct{}, max(runtime.GOMAXPROCS(0), 1))
	return a, nil
}

// Now is the App's clock, for doors that stamp times (cookies, tokens) the same way.
func (a *App) Now() time.Time { return a.now() }

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
