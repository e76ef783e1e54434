package main

import (
	"bufio"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// peak is the most seen at once while the scale test ran.
type peak struct {
	conns int     // database connections of gradjudge processes
	load  float64 // the machine's one-minute load average
}

// sample counts the connections of gradjudge processes to the test database, and reads the
// machine's load average, every 100 ms until stop is closed, and returns the most seen.
func (e *scaleEnv) sample(stop <-chan struct{}) <-chan peak {
	most := make(chan peak, 1)
	go func() {
		var p peak
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			var n int
			if e.db.QueryRow(`SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND application_name LIKE 'gradjudge-%'`).Scan(&n) == nil {
				p.conns = max(p.conns, n)
			}
			p.load = max(p.load, loadAverage())
			select {
			case <-stop:
				most <- p
				return
			case <-t.C:
			}
		}
	}()
	return most
}

// loadAverage is the machine's one-minute load average; 0 where /proc/loadavg is missing.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(b) + " 0")[0], 64)
	return f
}

// poolReport is what an API process's /metrics says about its database pool.
type poolReport struct {
	acquires        int64
	longest, waited time.Duration
	refused         int64
}

// scrapePool reads the pool gauges of API i's /metrics.
func (e *scaleEnv) scrapePool(i int) poolReport {
	resp, err := http.Get(e.bases[i] + "/metrics")
	if err != nil {
		e.t.Fatalf("scrape API %d: %v", i, err)
	}
	defer resp.Body.Close()
	var r poolReport
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		v, err := strconv.ParseFloat(value, 64)
		if !ok || err != nil {
			continue
		}
		switch name {
		case "gradjudge_db_acquires_total":
			r.acquires = int64(v)
		case "gradjudge_db_acquire_wait_longest_seconds":
			r.longest = time.Duration(v * float64(time.Second))
		case "gradjudge_db_acquire_wait_seconds_total":
			r.waited = time.Duration(v * float64(time.Second))
		case "gradjudge_db_busy_refusals_total":
			r.refused = int64(v)
		}
	}
	return r
}
