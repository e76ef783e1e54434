package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// judgeFailureReasons are the reasons store.DB.JudgeFailures counts.
var judgeFailureReasons = [...]string{"failed", "crashed"}

// registerJudgeFailures adds gradjudge_judge_gave_up{reason} to reg: the submissions the
// judge gave up on, from the database, so that every API process reports what any worker gave
// up on. "failed": the judge broke on every attempt; "crashed": its workers died on every
// attempt, and the answer is quarantined. A failing count reports -1 rather than breaking the
// scrape.
func registerJudgeFailures(reg prometheus.Registerer, counts func(context.Context) (map[string]int64, error)) {
	for _, reason := range judgeFailureReasons {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "gradjudge_judge_gave_up", ConstLabels: prometheus.Labels{"reason": reason},
			Help: "Submissions given the final internal_error verdict: the judge failed (failed) or its workers died (crashed, quarantined) on every attempt.",
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			n, err := counts(ctx)
			if err != nil {
				return -1
			}
			return float64(n[reason])
		}))
	}
}
