package main

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"
)

// TestServeRejectsBadTrustedProxies: serve stops at start, naming the flag and the entry, when a
// trusted proxy is neither an IP address nor a CIDR.
func TestServeRejectsBadTrustedProxies(t *testing.T) {
	serveMustRefuse(t, []string{"--trusted-proxies", "10.0.0.1,not-an-ip"}, "-trusted-proxies", `trusted proxy "not-an-ip"`)
}

// TestServeTrustedProxiesConfig: the list comes from the environment or the flag (which wins),
// comma-separated with spaces and empty entries dropped; a bad entry in the environment is named
// with its variable.
func TestServeTrustedProxiesConfig(t *testing.T) {
	env := map[string]string{"GRADJUDGE_TRUSTED_PROXIES": " 10.0.0.1, fd00::/8,,"}
	m := newMainWithEnv(env)
	if err := m.ParseFlags(nil); err != nil {
		t.Fatal(err)
	}
	if got, want := m.Config.TrustedProxies, []string{"10.0.0.1", "fd00::/8"}; !slices.Equal(got, want) {
		t.Errorf("from the environment: %q, want %q", got, want)
	}
	m = newMainWithEnv(env)
	if err := m.ParseFlags([]string{"--trusted-proxies", "192.0.2.1"}); err != nil {
		t.Fatal(err)
	}
	if got, want := m.Config.TrustedProxies, []string{"192.0.2.1"}; !slices.Equal(got, want) {
		t.Errorf("flag over the environment: %q, want %q", got, want)
	}
	env["GRADJUDGE_TRUSTED_PROXIES"] = "proxy.example"
	if err := newMainWithEnv(env).ParseFlags(nil); err == nil || !strings.Contains(err.Error(), "GRADJUDGE_TRUSTED_PROXIES") ||
		!strings.Contains(err.Error(), `"proxy.example"`) {
		t.Errorf("a bad variable: error %v, want one naming it and the entry", err)
	}
}

// TestServePassesTrustedProxies: Config.TrustedProxies reaches the API, which refuses a bad one
// (set here past the flag's own check).
func TestServePassesTrustedProxies(t *testing.T) {
	m := NewMain(stdio{err: io.Discard})
	m.Config.Addr, m.Config.DataDir, m.Config.NoWorkers, m.Config.Code = "127.0.0.1:0", t.TempDir(), true, false
	m.Config.TrustedProxies = []string{"not-an-ip"}
	err := m.Run(context.Background())
	defer m.Close()
	if err == nil || !strings.Contains(err.Error(), `trusted proxy "not-an-ip"`) {
		t.Errorf("Run with a bad trusted proxy: %v, want an error naming it", err)
	}
}
