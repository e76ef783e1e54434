package api

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"gradjudge"
)

// Metrics holds the service's Prometheus collectors in its own registry (never the global one),
// so that two servers in one test process do not collide.
type Metrics struct {
	Registry     *prometheus.Registry
	requests     *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	verdicts     *prometheus.CounterVec
	judgeLatency *prometheus.HistogramVec
}

// NewMetrics returns the collectors registered in a fresh registry, with Go and process metrics.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gradjudge_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "gradjudge_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}, []string{"method", "route"}),
		verdicts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gradjudge_verdicts_total", Help: "Verdicts given, by status.",
		}, []string{"status"}),
		judgeLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "gradjudge_judge_duration_seconds", Help: "Time to grade one submission, by exercise kind.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 20),
		}, []string{"kind"}),
	}
	m.Registry.MustRegister(m.requests, m.duration, m.verdicts, m.judgeLatency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// QueueDepth registers a gauge that reports depth() at each scrape: submissions waiting to be
// judged. A failing depth reports -1 rather than breaking the scrape.
func (m *Metrics) QueueDepth(depth func(context.Context) (int64, error)) {
	m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "gradjudge_queue_depth", Help: "Submissions stored and not yet judged.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := depth(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	}))
}

// ObserveVerdict counts one verdict and the time its grading took.
func (m *Metrics) ObserveVerdict(kind string, status gradjudge.Status, took time.Duration) {
	m.verdicts.WithLabelValues(string(status)).Inc()
	m.judgeLatency.WithLabelValues(kind).Observe(took.Seconds())
}

// Judge wraps j so that every grading is counted by verdict status and timed by answer kind (code
// or numeric); a judge error counts as internal_error.
func (m *Metrics) Judge(j gradjudge.Judge, now func() time.Time) gradjudge.Judge {
	return &observedJudge{inner: j, m: m, now: now}
}

type observedJudge struct {
	inner gradjudge.Judge
	m     *Metrics
	now   func() time.Time
}

func (o *observedJudge) Grade(ctx context.Context, exerciseID string, seed uint64, a gradjudge.Answer) (gradjudge.Verdict, error) {
	start := o.now()
	v, err := o.inner.Grade(ctx, exerciseID, seed, a)
	kind := string(gradjudge.KindNumeric)
	if a.Code != "" {
		kind = string(gradjudge.KindCode)
	}
	status := v.Status
	if err != nil {
		status = gradjudge.StatusInternalError
	}
	o.m.ObserveVerdict(kind, status, o.now().Sub(start))
	return v, err
}

// requireMetricsToken lets a scrape of /metrics through when the server has no MetricsToken, or
// when it sends `Authorization: Bearer <MetricsToken>`; otherwise it answers 401. The tokens are
// compared by their SHA-256 digests in constant time, so that neither the time taken nor the
// length of the configured token tells a guesser how close they came.
func (s *Server) requireMetricsToken(c *gin.Context) {
	if s.MetricsToken == "" {
		c.Next()
		return
	}
	got := sha256.Sum256([]byte(bearerToken(c.Request)))
	want := sha256.Sum256([]byte(s.MetricsToken))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		s.unauthorized(c, "/metrics needs Authorization: Bearer <metrics token>")
		return
	}
	c.Next()
}

func (m *Metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

func (m *Metrics) observeRequest(method, route string, status int, took time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(method, route).Observe(took.Seconds())
}
