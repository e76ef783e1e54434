package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestLoadgenSmoke(t *testing.T) {
	r, err := RunLoad(context.Background(), LoadConfig{Duration: 10 * time.Second, Count: 40, Concurrency: 4, Users: 2}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if r.Judged != 40 || r.Errors != 0 || r.P99 == 0 {
		t.Errorf("report = %v, want 40 judged without errors", r)
	}
	t.Log(r)
}

// TestLoadgenWaitsForTheSignInLimit: loadgen's students all sign in from one address, so a
// server that limits sign-ins per client answers 429 with Retry-After; loadgen waits and retries.
func TestLoadgenWaitsForTheSignInLimit(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			http.Error(w, `{"error":{"code":"rate_limited"}}`, http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, `{"token":"t0k"}`)
	}))
	defer srv.Close()
	lc := &loadClient{base: srv.URL, http: srv.Client()}
	tok, err := lc.login(context.Background(), "a@example.edu", "pw")
	if err != nil || tok != "t0k" || calls.Load() != 2 {
		t.Errorf("login: %q, %v after %d calls; want the token after one wait", tok, err, calls.Load())
	}
}

// BenchmarkNumericSubmissions measures numeric submissions graded and stored per second through
// the real server on SQLite (in os.TempDir, or GRADJUDGE_* settings from the environment):
//
//	go test ./cmd/gradjudge -run '^$' -bench NumericSubmissions -benchtime 5000x
func BenchmarkNumericSubmissions(b *testing.B) {
	r, err := RunLoad(context.Background(), LoadConfig{Duration: time.Hour, Count: b.N, Concurrency: 64, Users: 50}, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	if r.Errors > 0 {
		b.Fatalf("%d errors, first: %s", r.Errors, r.FirstError)
	}
	b.ReportMetric(r.PerSecond, "submissions/s")
	b.ReportMetric(float64(r.P50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(r.P99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(r.CPUPer.Microseconds()), "cpu-µs/submission")
}
