package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"gradjudge"
	"gradjudge/exercises"
	"gradjudge/judge"
)

// judgeConfig is what serve and worker share about the judge.
type judgeConfig struct {
	Code         bool   // judge code answers (builds student Go with the go command in PATH)
	CodeWorkers  int    // code submissions built and run at once; 0: the code judge's default
	CodeCacheDir string // the code judge's shared Go build cache; empty: the user cache dir
}

// judgeFlags registers the judge flags on fs.
func judgeFlags(fs *flag.FlagSet, c *judgeConfig) {
	fs.BoolVar(&c.Code, "code", c.Code, "judge code exercises: builds student Go with the go command in PATH (false: code answers get a 'not available' verdict)")
	fs.StringVar(&c.CodeCacheDir, "code-cache-dir", c.CodeCacheDir, "Go build cache of the code judge, warmed at start (default: the user cache directory)")
}

// newJudge returns the judge of numeric, choice and (when c.Code) code answers, and the code judge
// to close at shutdown (nil without code). The code judge warms its build cache first: seconds
// when warm, a minute or more the first time.
func newJudge(ctx context.Context, cat *exercises.Catalog, c judgeConfig, log *slog.Logger) (gradjudge.Judge, *judge.CodeJudge, error) {
	if !c.Code {
		j, err := judge.New(cat, nil)
		return codeUnavailable{j}, nil, err
	}
	start := time.Now()
	code, err := judge.NewCodeJudge(ctx, judge.CodeConfig{Workers: c.CodeWorkers, CacheDir: c.CodeCacheDir})
	if err != nil {
		return nil, nil, fmt.Errorf("%w (start with --code=false to run without judging code)", err)
	}
	log.Info("code judge ready", "cache", code.CacheDir(), "took", time.Since(start))
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
