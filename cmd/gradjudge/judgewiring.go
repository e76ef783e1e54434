package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"gradjudge"
	"gradjudge/judge"
	codejudge "gradjudge/judge/code"
	"gradjudge/judge/sandbox"
)

// judgeConfig is what serve and worker share about the judge.
type judgeConfig struct {
	Code         bool   // judge code answers (builds student Go with the go command in PATH)
	CodeWorkers  int    // code submissions built and run at once; 0: the code judge's default
	CodeCacheDir string // the code judge's shared Go build cache; empty: the user cache dir
	codeLimits
}

// codeLimits are the sandbox limits an operator may change; zero means the sandbox's default.
type codeLimits struct {
	CodeBuildTime time.Duration // one build, wall time
	CodeRunTime   time.Duration // one run of all a submission's cases, wall time
	CodeMemoryMiB int           // a running submission's memory
}

// judgeFlags registers the judge flags on fs.
func judgeFlags(fs *flag.FlagSet, c *judgeConfig) {
	fs.BoolVar(&c.Code, "code", c.Code, "judge code exercises: builds student Go with the go command in PATH (false: code answers are kept, not judged, and use no attempt)")
	fs.IntVar(&c.CodeWorkers, "code-workers", c.CodeWorkers, "code submissions built and run at once (0: GOMAXPROCS)")
	fs.StringVar(&c.CodeCacheDir, "code-cache-dir", c.CodeCacheDir, "Go build cache of the code judge, warmed at start (default: the user cache directory)")
	codeLimitFlags(fs, &c.codeLimits)
}

// codeLimitFlags registers the sandbox limit flags on fs.
func codeLimitFlags(fs *flag.FlagSet, c *codeLimits) {
	fs.DurationVar(&c.CodeBuildTime, "code-build-time", c.CodeBuildTime,
		fmt.Sprintf("wall time one build of a code answer may take (0: %v)", sandbox.DefaultBuildTimeLimit))
	fs.DurationVar(&c.CodeRunTime, "code-run-time", c.CodeRunTime,
		fmt.Sprintf("wall time one run of a code answer, all its cases together, may take (0: %v); raise it on a loaded machine", sandbox.DefaultRunTimeLimit))
	fs.IntVar(&c.CodeMemoryMiB, "code-memory-mib", c.CodeMemoryMiB,
		fmt.Sprintf("memory a running code answer may use, in MiB, at most %d (0: %d)", maxCodeMemoryMiB, sandbox.DefaultMemoryLimitBytes>>20))
}

// maxCodeMemoryMiB is the most memory a WebAssembly module can address: 65,536 pages of 64 KiB.
const maxCodeMemoryMiB = 4096

// sandboxLimits checks c and returns the sandbox limits it sets.
func (c codeLimits) sandboxLimits() (sandbox.Limits, error) {
	switch {
	case c.CodeBuildTime < 0:
		return sandbox.Limits{}, fmt.Errorf("--code-build-time must not be negative; got %v", c.CodeBuildTime)
	case c.CodeRunTime < 0:
		return sandbox.Limits{}, fmt.Errorf("--code-run-time must not be negative; got %v", c.CodeRunTime)
	case c.CodeMemoryMiB < 0 || c.CodeMemoryMiB > maxCodeMemoryMiB:
		return sandbox.Limits{}, fmt.Errorf("--code-memory-mib must be from 0 to %d; got %d", maxCodeMemoryMiB, c.CodeMemoryMiB)
	}
	return sandbox.Limits{BuildTime: c.CodeBuildTime, RunTime: c.CodeRunTime,
		MemoryBytes: int64(c.CodeMemoryMiB) << 20}, nil
}

// newJudge returns the judge of numeric, choice and (when c.Code) code answers, and the code judge
// to close at shutdown (nil without code). The code judge warms its build cache first: seconds
// when warm, a minute or more the first time.
func newJudge(ctx context.Context, cat judge.Catalog, c judgeConfig, log *slog.Logger) (gradjudge.Judge, *codejudge.Judge, error) {
	if !c.Code {
		j, err := judge.New(cat, nil)
		return codeUnavailable{j}, nil, err
	}
	limits, err := c.sandboxLimits()
	if err != nil {
		return nil, nil, err
	}
	start := time.Now()
	code, err := codejudge.New(ctx, codejudge.Config{Workers: c.CodeWorkers, CacheDir: c.CodeCacheDir, Limits: limits})
	if err != nil {
		return nil, nil, fmt.Errorf("%w (start with --code=false to run without judging code)", err)
	}
	log.Info("code judge ready", "cache", code.CacheDir(), "took", time.Since(start))
	if n := code.SweptJobs(); n > 0 {
		log.Warn("removed the build folders of code judges killed mid-build", "folders", n)
	}
	j, err := judge.New(cat, code)
	if err != nil {
		code.Close()
		return nil, nil, err
	}
	return j, code, nil
}

// codeUnavailable stands in for the code grader where code judging is off (--code=false): a code
// answer gets an internal_error verdict (no attempt used) saying so, instead of a judge error that
// the queue would retry in vain.
type codeUnavailable struct{ gradjudge.Judge }

func (j codeUnavailable) Grade(ctx context.Context, id string, seed uint64, a gradjudge.Answer) (gradjudge.Verdict, error) {
	if a.Code == "" {
		return j.Judge.Grade(ctx, id, seed, a)
	}
	return gradjudge.Verdict{Status: gradjudge.StatusInternalError,
		Feedback: []string{CodeUnavailableFeedback}}, nil
}

// CodeUnavailableFeedback is the verdict feedback of a code answer while code judging is not
// available on this server.
const CodeUnavailableFeedback = "Code exercises are not judged on this server. Your submission is kept and does not count as an attempt."
