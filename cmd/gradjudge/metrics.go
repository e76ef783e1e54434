package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"gradjudge/store"
)

// judgeFailureReasons are the reasons store.DB.JudgeFailures counts.
var judgeFailureReasons = [...]string{"failed", "crashed", "refused"}

// registerJudgeFailures adds gradjudge_judge_gave_up{reason} to reg: the submissions the
// judge gave up on, from the database, so that every API process reports what any worker gave
// up on. "failed": the judge broke on every attempt; "crashed": its workers died on every
// attempt, and the answer is quarantined; "refused": answers identical to a quarantined one,
// given the final verdict without being sent to the workers. A failing count reports -1 rather than breaking the
// scrape.
func registerJudgeFailures(reg prometheus.Registerer, counts func(context.Context) (map[string]int64, error)) {
	for _, reason := range judgeFailureReasons {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "gradjudge_judge_gave_up", ConstLabels: prometheus.Labels{"reason": reason},
			Help: "Submissions given the final internal_error verdict: the judge failed (failed) or its workers died (crashed, quarantined) on every attempt, or the answer is identical to a quarantined one (refused, never judged).",
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

// registerPool adds the database pool's metrics to reg (all 0 on SQLite), read from stats at each
// scrape: the connections this process holds and may hold, how many queries took one, how long
// those that found none free waited (in all, and the longest), and how many waited their whole
// budget in vain.
func registerPool(reg prometheus.Registerer, stats func() store.PoolStats) {
	gauge := func(name, help string, v func(store.PoolStats) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 { return v(stats()) })
	}
	counter := func(name, help string, v func(store.PoolStats) float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return v(stats()) })
	}
	reg.MustRegister(
		gauge("gradjudge_db_connections_max", "PostgreSQL connections this process's pool may open: --db-max-conns, less the one River's LISTEN holds where the process judges.",
			func(s store.PoolStats) float64 { return float64(s.MaxConns) }),
		gauge("gradjudge_db_connections_in_use", "PostgreSQL connections of this process running a query or transaction now.",
			func(s store.PoolStats) float64 { return float64(s.InUse) }),
		gauge("gradjudge_db_acquire_wait_longest_seconds", "The longest a query waited for a connection and got one, since start.",
			func(s store.PoolStats) float64 { return s.LongestWait.Seconds() }),
		counter("gradjudge_db_acquires_total", "Connections handed to queries.",
			func(s store.PoolStats) float64 { return float64(s.Acquires) }),
		counter("gradjudge_db_acquire_wait_seconds_total", "Seconds queries waited for a connection when none was free.",
			func(s store.PoolStats) float64 { return s.WaitedTotal.Seconds() }),
		counter("gradjudge_db_busy_refusals_total", "Queries that waited --db-acquire-wait (or their request's deadline) for a connection in vain: a request answered 503, a background query tried again later.",
			func(s store.PoolStats) float64 { return float64(s.BusyRefusals) }),
	)
}
