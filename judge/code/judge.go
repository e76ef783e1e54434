package code

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"gradjudge"
	"gradjudge/exercises"
	"gradjudge/judge"
	"gradjudge/judge/sandbox"
)

// Code judge defaults. The sandbox's own limits (build and run time, memory, output) are in
// judge/sandbox; Config.Limits overrides them.
const (
	// DefaultQueuePerWorker is how many submissions may wait per worker before the judge
	// says it is busy.
	DefaultQueuePerWorker = 4
	// DefaultVerdictCacheEntries is how many verdicts the content-hash cache keeps.
	DefaultVerdictCacheEntries = 1024
	// DefaultShownOutputBytes bounds what a verdict shows of the student's prints, in bytes.
	DefaultShownOutputBytes = 4 << 10
)

// Config configures a Judge. The zero value judges NumCPU submissions at once with
// 4 waiting per worker, keeps 1024 verdicts, builds with the go command in PATH into the build
// cache os.UserCacheDir()/gradjudge/gocache, runs in wazero's interpreter, and applies the
// sandbox's default limits. A run's stdout holds the harness's result frames (at most
// maxResultBytes, checked for every catalog exercise by the tests) and the student's prints.
type Config struct {
	Workers      int // submissions built and run at once; default runtime.NumCPU()
	Queue        int // submissions waiting for a worker; default DefaultQueuePerWorker × Workers
	CacheEntries int // verdicts kept by content; default DefaultVerdictCacheEntries

	GoCommand string         // the go command; default the one in PATH
	CacheDir  string         // GOCACHE shared by every build, warmed at start
	TempDir   string         // parent of per-build job directories; default os.TempDir()
	Limits    sandbox.Limits // zero fields take the defaults
	Mode      sandbox.Mode   // wazero's interpreter (default) or compiler

	ShownOutputBytes int              // the student's prints kept in a verdict; default DefaultShownOutputBytes
	Now              func() time.Time // the clock for stage timings; default time.Now
}

func (c Config) withDefaults() Config {
	if c.Workers <= 0 {
		c.Workers = runtime.NumCPU()
	}
	if c.Queue <= 0 {
		c.Queue = DefaultQueuePerWorker * c.Workers
	}
	if c.CacheEntries <= 0 {
		c.CacheEntries = DefaultVerdictCacheEntries
	}
	if c.Limits.OutputBytes <= 0 {
		c.Limits.OutputBytes = sandbox.DefaultOutputLimitBytes
	}
	if c.ShownOutputBytes <= 0 {
		c.ShownOutputBytes = DefaultShownOutputBytes
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Judge grades Go code submissions: it vets the source, builds it with a generated harness to
// WebAssembly, runs every case in one sandboxed run, and grades the results against the
// reference autograd outside the sandbox. It is the judge.CodeGrader of a judge.Judge, safe for concurrent
// use, and bounds its own concurrency. Make one with New and Close it when done.
type Judge struct {
	cfg    Config
	vetter *sandbox.Vetter
	build  *sandbox.Builder
	runner *sandbox.Runner
	pool   *pool
	cache  *verdictCache
}

var _ judge.CodeGrader = (*Judge)(nil)

// New prepares the sandbox and warms the build cache, so that no student pays for
// compiling the standard library: seconds on a warm cache, a minute or more on an empty one, and
// at most sandbox.WarmTimeLimit.
func New(ctx context.Context, cfg Config) (*Judge, error) {
	cfg = cfg.withDefaults()
	v, err := sandbox.NewVetter(cfg.Limits)
	if err != nil {
		return nil, fmt.Errorf("code judge: %w", err)
	}
	b, err := sandbox.NewBuilder(sandbox.BuilderConfig{GoCommand: cfg.GoCommand, CacheDir: cfg.CacheDir,
		TempDir: cfg.TempDir, Limits: cfg.Limits})
	if err != nil {
		return nil, fmt.Errorf("code judge: %w", err)
	}
	if err := b.Warm(ctx); err != nil {
		return nil, fmt.Errorf("code judge: %w", err)
	}
	r, err := sandbox.NewRunner(ctx, sandbox.RunnerConfig{Mode: cfg.Mode, Limits: cfg.Limits})
	if err != nil {
		return nil, fmt.Errorf("code judge: %w", err)
	}
	return &Judge{cfg: cfg, vetter: v, build: b, runner: r, pool: newPool(cfg.Workers, cfg.Queue),
		cache: newVerdictCache(cfg.CacheEntries)}, nil
}

// Close releases the sandbox runtime. Submissions being judged fail with an internal error.
func (j *Judge) Close() error {
	return j.runner.Close(context.Background())
}

// SweptJobs returns how many stale job directories of killed builds the judge removed from its
// TempDir when it started.
func (j *Judge) SweptJobs() int { return j.build.SweptJobs() }

// CacheDir returns the GOCACHE the judge builds with.
func (j *Judge) CacheDir() string { return j.build.CacheDir() }

// GradeCode grades code as the answer to the variant in. A compile error, a crash, a limit or a
// wrong result is a Verdict. The error is non-nil when the judge broke (the verdict then says
// internal_error), when ctx ended, or, with code ERATELIMIT, when too many submissions wait.
func (j *Judge) GradeCode(ctx context.Context, in *exercises.Instance, code string) (gradjudge.Verdict, error) {
	start := j.cfg.Now()
	ex := in.Exercise
	if ex.Code == nil {
		return internalVerdict(), &gradjudge.Error{Code: gradjudge.EINTERNAL, Op: "judge code " + ex.ID,
			Err: errors.New("not a code exercise")}
	}
	key := keyOf(ex.ID, in.Seed, code)
	if v, ok := j.cache.get(key); ok {
		v.Timings = []gradjudge.Timing{{Stage: "cache", Duration: j.cfg.Now().Sub(start)}}
		return v, nil
	}
	st := stages{now: j.cfg.Now, last: start}
	v, err := j.grade(ctx, ex, in.Seed, code, &st)
	if err != nil {
		if gradjudge.ErrorCode(err) == gradjudge.ERATELIMIT || ctx.Err() != nil {
			return gradjudge.Verdict{}, err
		}
		return internalVerdict(), &gradjudge.Error{Code: gradjudge.EINTERNAL, Op: "judge code " + ex.ID, Err: err}
	}
	v.Timings = st.timings
	if cacheable(v.Status) {
		j.cache.put(key, v)
	}
	return v, nil
}

// grade runs the pipeline: vet, then (holding a worker slot) plan, build, run and check.
func (j *Judge) grade(ctx context.Context, ex *exercises.Exercise, seed uint64, code string, st *stages) (gradjudge.Verdict, error) {
	names, types := ex.Code.Signatures()
	sigs := make([]sandbox.Signature, len(names))
	for i := range names {
		var err error
		if sigs[i], err = sandbox.ParseSignature(names[i], types[i]); err != nil {
			return gradjudge.Verdict{}, err
		}
	}
	diags := j.vetter.Vet([]byte(code), sigs...)
	st.mark("vet")
	if len(diags) > 0 {
		return vetVerdict(diags), nil
	}
	release, err := j.pool.acquire(ctx)
	if err != nil {
		return gradjudge.Verdict{}, err
	}
	defer release()
	st.mark("queue")
	p, err := newPlan(ex, seed)
	if err != nil {
		return gradjudge.Verdict{}, err
	}
	st.mark("plan")
	return j.buildAndRun(ctx, p, code, st)
}

func (j *Judge) buildAndRun(ctx context.Context, p *plan, code string, st *stages) (gradjudge.Verdict, error) {
	res, err := j.build.Build(ctx, []byte(code), harnessSource(p.code))
	st.mark("build")
	if err != nil {
		return gradjudge.Verdict{}, err
	}
	if !res.OK() {
		return buildVerdict(res), nil
	}
	nonce := sandbox.NewNonce()
	out, err := j.runner.Run(ctx, res.Wasm, sandbox.FrameStdin(nonce, p.stdin()))
	st.mark("run")
	if err != nil {
		return gradjudge.Verdict{}, err
	}
	frames, printed := sandbox.ParseFrames(out.Stdout, nonce)
	shown := capOutput(string(printed)+out.Stderr, j.cfg.ShownOutputBytes)
	v, err := j.verdict(p, out, frames)
	st.mark("grade")
	v.Output = shown
	return v, err
}

// verdict turns a run into a verdict: its ending, then the results. The first frame says that
// the student's package was initialised; the others answer the calls (see harness.go).
func (j *Judge) verdict(p *plan, out sandbox.Outcome, frames [][]byte) (gradjudge.Verdict, error) {
	if len(frames) > 0 && string(frames[0]) != harnessReady {
		return gradjudge.Verdict{}, fmt.Errorf("harness frame 0: got %.40q, want %q", frames[0], harnessReady)
	}
	answered := len(frames) - 1 // -1: the run ended before the first call
	if out.Kind != sandbox.OK {
		return runFailureVerdict(p, out, answered, j.cfg.Limits), nil
	}
	if answered < len(p.calls) {
		return runFailureVerdict(p, sandbox.Outcome{Kind: sandbox.RuntimeError,
			Message: "your program ended before answering every call"}, answered, j.cfg.Limits), nil
	}
	replies, err := decodeReplies(frames[1:], p)
	if err != nil {
		return gradjudge.Verdict{}, err
	}
	g := gradeReplies(p, replies)
	return resultVerdict(p, g), nil
}

// stages records how long each stage of one submission took.
type stages struct {
	now     func() time.Time
	last    time.Time
	timings []gradjudge.Timing
}

func (s *stages) mark(stage string) {
	t := s.now()
	s.timings = append(s.timings, gradjudge.Timing{Stage: stage, Duration: t.Sub(s.last)})
	s.last = t
}

// cacheable reports whether a verdict depends only on the source: a time limit may come from a
// busy machine, an internal error from a broken judge.
func cacheable(s gradjudge.Status) bool {
	return s != gradjudge.StatusTimeLimit && s != gradjudge.StatusInternalError
}
