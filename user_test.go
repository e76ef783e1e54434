package gradjudge

import (
	"testing"
	"time"
)

func TestAPIKeyExpired(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name    string
		expires *time.Time
		now     time.Time
		want    bool
	}{
		{"no expiry", nil, at.AddDate(100, 0, 0), false},
		{"before", &at, at.Add(-time.Microsecond), false},
		{"at the expiry", &at, at, true},
		{"after", &at, at.Add(time.Hour), true},
		{"the same instant in another zone", &at, at.In(time.FixedZone("UTC+2", 2*3600)), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := (APIKey{ExpiresAt: c.expires}).Expired(c.now); got != c.want {
				t.Errorf("Expired(%v) with ExpiresAt %v = %v, want %v", c.now, c.expires, got, c.want)
			}
		})
	}
}
