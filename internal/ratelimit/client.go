package ratelimit

import (
	"net/netip"
	"time"
)

// Sign-in attempts per client address, checked before the attempts per email, by the API's login
// and the web sign-in form (each with a Limiter of its own). They stop one client from trying
// many emails: without them a flood of made-up emails from one machine fills the per-email
// limiter, which then refuses every email it does not hold yet.
//
// A school puts a whole class behind one NAT address: 40 students signing in within the same
// minute, some mistyping their password once or twice, make well under 100 attempts, so the burst
// takes them all at once; the rate, more than one a second, lets a lecture hall of a few hundred
// in within a few minutes. One address, on the other hand, holds at most about a hundred
// unrefilled per-email buckets at any time (such a bucket refills in a minute), so filling the
// per-email limiter's DefaultMaxKeys takes about a thousand addresses at once.
const (
	SignInsPerClientPerMinute = 100 // sign-in attempts one client address earns a minute
	SignInClientBurst         = 100 // sign-in attempts one client address may make at once
	// clientIPv6PrefixBits is how much of an IPv6 address names a client: one host, or one home
	// or office, usually holds a whole /64 and can pick any address in it.
	clientIPv6PrefixBits = 64
)

// NewSignInsByClient returns the Limiter of sign-in attempts by ClientKey. When full it drops
// arbitrary buckets rather than refuse new addresses: refusing would let a flood of addresses lock
// out every newcomer, which is what this limiter is against, while a dropped bucket forgives one
// address at most a burst.
func NewSignInsByClient(now func() time.Time) *Limiter[netip.Addr] {
	return New[netip.Addr](Config{PerMinute: SignInsPerClientPerMinute, Burst: SignInClientBurst, Now: now})
}

// ClientKey returns the rate-limit key of a client's IP address: an IPv4 address (also written
// as IPv4-mapped IPv6) as it is, an IPv6 address by its /64, since whoever holds one address of a
// /64 can usually use them all. Whatever does not parse as an address is the zero Addr: one
// bucket shared by all such clients.
func ClientKey(ip string) netip.Addr {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return netip.Addr{}
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(clientIPv6PrefixBits)
		return p.Addr()
	}
	return a
}

// Sign-in attempts per email, against password guessing, by the API's login and the web sign-in
// form (each with a Limiter of its own).
const (
	SignInsPerEmailPerMinute = 10 // sign-in attempts one email earns a minute
	SignInEmailBurst         = 10 // sign-in attempts one email may make at once
)

// NewSignInsByEmail returns the Limiter of sign-in attempts by email (or a key derived from it),
// keeping at most maxKeys buckets (0: DefaultMaxKeys). When full it refuses new emails rather
// than forget old ones, so that a flood of made-up emails cannot reset the bucket of an account
// under a guessing attack.
func NewSignInsByEmail[K comparable](now func() time.Time, maxKeys int) *Limiter[K] {
	return New[K](Config{PerMinute: SignInsPerEmailPerMinute, Burst: SignInEmailBurst,
		MaxKeys: maxKeys, RefuseWhenFull: true, Now: now})
}

// RetryAfterSeconds is retry in whole seconds, rounded up, as a Retry-After header says it.
func RetryAfterSeconds(retry time.Duration) int {
	return int((retry + time.Second - 1) / time.Second)
}
