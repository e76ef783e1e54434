package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestServeMetricsToken: with --metrics-token /metrics answers only a scrape that sends the token;
// without it /metrics stays open.
func TestServeMetricsToken(t *testing.T) {
	const token = "scrape-secret-0123456789"
	for _, c := range []struct {
		name, token, send string
		want              int
	}{
		{"open: no header", "", "", http.StatusOK},
		{"token: the token", token, token, http.StatusOK},
		{"token: no header", token, "", http.StatusUnauthorized},
		{"token: a wrong token", token, "scrape-secret", http.StatusUnauthorized},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := startMain(t, t.TempDir(), func(cfg *ServeConfig) {
				cfg.Code, cfg.NoWorkers, cfg.MetricsToken = false, true, c.token
			})
			req, _ := http.NewRequest("GET", m.URL()+"/metrics", nil)
			if c.send != "" {
				req.Header.Set("Authorization", "Bearer "+c.send)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.want || (c.want == http.StatusOK) != strings.Contains(string(body), "gradjudge_queue_depth") ||
				(c.want == http.StatusOK) != strings.Contains(string(body), `gradjudge_judge_gave_up{reason="refused"} 0`) ||
				(c.want == http.StatusOK) != strings.Contains(string(body), "gradjudge_db_busy_refusals_total 0") {
				t.Errorf("status %d, body %.200s; want %d, metrics only with 200", resp.StatusCode, body, c.want)
			}
		})
	}
}

func TestServeMetricsTokenFromEnvironment(t *testing.T) {
	m := newMainWithEnv(map[string]string{"GRADJUDGE_METRICS_TOKEN": "from-env"})
	if err := m.ParseFlags(nil); err != nil {
		t.Fatal(err)
	}
	if m.Config.MetricsToken != "from-env" {
		t.Errorf("MetricsToken = %q, want the environment's", m.Config.MetricsToken)
	}
}
