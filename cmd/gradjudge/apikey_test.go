package main

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestServeAPIKeyExpiry goes through the real server, store and SQLite with the server's clock
// moved forward: a key made with expires_in_days works until it expires and is refused after.
func TestServeAPIKeyExpiry(t *testing.T) {
	var skew atomic.Int64 // how far the server's clock is ahead of the wall clock, in ns
	m := startMainWith(t, t.TempDir(), func(m *Main) {
		m.Config.Code, m.Config.NoWorkers = false, true
		m.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	})
	admin := login(t, m.URL(), "admin@example.edu", testAdminPassword)
	var key struct {
		ID        int64
		Secret    string
		CreatedAt time.Time  `json:"created_at"`
		ExpiresAt *time.Time `json:"expires_at"`
	}
	admin.must(http.StatusCreated, "POST", "/api/v1/me/api-keys", map[string]any{"name": "lms", "expires_in_days": 2}, &key)
	if key.ExpiresAt == nil || !key.ExpiresAt.Equal(key.CreatedAt.Add(48*time.Hour)) {
		t.Fatalf("created key %+v: want it to expire 48 h after its creation", key)
	}
	var list struct {
		Keys []struct {
			ExpiresAt *time.Time `json:"expires_at"`
		} `json:"api_keys"`
	}
	admin.must(http.StatusOK, "GET", "/api/v1/me/api-keys", nil, &list)
	if len(list.Keys) != 1 || list.Keys[0].ExpiresAt == nil || !list.Keys[0].ExpiresAt.Equal(*key.ExpiresAt) {
		t.Fatalf("key list %+v: want the key with its expiry", list)
	}
	bad := admin.must(http.StatusBadRequest, "POST", "/api/v1/me/api-keys",
		map[string]any{"name": "lms", "expires_in_days": 0}, nil)
	if !strings.Contains(bad, "expires_in_days must be a whole number of days") {
		t.Errorf("expires_in_days 0: %s, want a message that says what it may be", bad)
	}
	// A key cannot make another key, one that could outlive it.
	(&client{t: t, base: m.URL()}).must(http.StatusForbidden, "POST", "/api/v1/me/api-keys",
		map[string]any{"name": "forever"}, nil, "X-API-Key", key.Secret)

	withKey := &client{t: t, base: m.URL(), token: key.Secret}
	skew.Store(int64(47 * time.Hour))
	withKey.must(http.StatusOK, "GET", "/api/v1/me", nil, nil)
	skew.Store(int64(48*time.Hour + time.Second))
	withKey.must(http.StatusUnauthorized, "GET", "/api/v1/me", nil, nil)
}
