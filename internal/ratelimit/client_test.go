package ratelimit

import (
	"net/netip"
	"testing"
	"time"
)

// TestClientKey: IPv4 as it is, also when mapped into IPv6; IPv6 by its /64; garbage shares the
// zero key.
func TestClientKey(t *testing.T) {
	tests := []struct {
		name, ip, want string
	}{
		{"IPv4", "192.0.2.7", "192.0.2.7"},
		{"IPv4-mapped IPv6", "::ffff:192.0.2.7", "192.0.2.7"},
		{"IPv6, host bits dropped", "2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"},
		{"IPv6 with a zone", "fe80::1%eth0", "fe80::"},
		{"not an address", "not-an-ip", "invalid IP"},
		{"empty", "", "invalid IP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ClientKey(tt.ip).String(); got != tt.want {
				t.Errorf("ClientKey(%q) = %s, want %s", tt.ip, got, tt.want)
			}
		})
	}
	if ClientKey("2001:db8::1") != ClientKey("2001:db8::ffff:1") {
		t.Error("two addresses of one /64 have different keys")
	}
}

// TestSignInsByClient: an address spends the burst and is refused, another is not; and a full
// limiter still serves a new address (it forgets old ones rather than lock out newcomers).
func TestSignInsByClient(t *testing.T) {
	now := t0
	l := NewSignInsByClient(func() time.Time { return now })
	a, b := ClientKey("192.0.2.1"), ClientKey("192.0.2.2")
	for i := range SignInClientBurst {
		if ok, _ := l.Allow(a); !ok {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	if ok, retry := l.Allow(a); ok || retry != 600*time.Millisecond {
		t.Errorf("past the burst: %v, %s; want false, 600ms", ok, retry)
	}
	if ok, _ := l.Allow(b); !ok {
		t.Error("another address was refused")
	}
	for i := range uint32(DefaultMaxKeys) {
		l.Allow(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}))
	}
	if ok, _ := l.Allow(ClientKey("198.51.100.1")); !ok {
		t.Error("a full limiter refused a new address")
	}
}
