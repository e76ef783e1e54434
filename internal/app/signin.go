package app

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"gradjudge"
	"gradjudge/internal/ratelimit"
)

// SignIn checks email and password for a client at clientIP (see ClientIP). Every door that takes
// a password calls it, so that the limits are shared: first the client's (so that a client past
// it spends no email's attempts), then the email's, then a password-hashing slot. EUNAUTHORIZED
// when the email or the password is wrong, without saying which; ERATELIMIT, with RetryAfter, past
// a limit or when every hashing slot stays busy.
func (a *App) SignIn(ctx context.Context, email, password, clientIP string) (gradjudge.User, error) {
	email = strings.TrimSpace(email)
	if err := gradjudge.CheckText("email", email); err != nil {
		return gradjudge.User{}, err
	}
	if email == "" || password == "" {
		return gradjudge.User{}, gradjudge.Errorf(gradjudge.EINVALID, "enter your email and password")
	}
	if ok, retry := a.signInsByClient.Allow(ratelimit.ClientKey(clientIP)); !ok {
		return gradjudge.User{}, rateLimited(retry, "too many sign-in attempts from your network")
	}
	if ok, retry := a.signInsByEmail.Allow(strings.ToLower(email)); !ok {
		return gradjudge.User{}, rateLimited(retry, "too many sign-in attempts for this email")
	}
	if !a.takeHashSlot(ctx) {
		return gradjudge.User{}, rateLimited(time.Second, "too many sign-ins at once")
	}
	defer func() { <-a.hashSlots }()
	u, err := a.d.Users.Authenticate(ctx, email, password)
	if code := gradjudge.ErrorCode(err); code == gradjudge.ENOTFOUND || code == gradjudge.EUNAUTHORIZED {
		return gradjudge.User{}, gradjudge.Errorf(gradjudge.EUNAUTHORIZED, "the email or the password is wrong")
	}
	return u, err
}

// takeHashSlot waits up to hashWait for a password-hashing slot; the caller releases it with
// <-a.hashSlots.
func (a *App) takeHashSlot(ctx context.Context) bool {
	wait := time.NewTimer(a.hashWait)
	defer wait.Stop()
	select {
	case a.hashSlots <- struct{}{}:
		return true
	case <-wait.C:
	case <-ctx.Done():
	}
	return false
}

// ParseTrustedProxies parses IP addresses and CIDRs (10.0.0.1, 10.0.0.0/8, fd00::/8), returning
// an error naming the first that is neither.
func ParseTrustedProxies(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, p := range list {
		if pre, err := netip.ParsePrefix(p); err == nil {
			out = append(out, pre.Masked())
			continue
		}
		addr, err := netip.ParseAddr(p)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is neither an IP address nor a CIDR (such as 10.0.0.1 or 10.0.0.0/8)", p)
		}
		out = append(out, netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen()))
	}
	return out, nil
}

// ClientIP returns the address of the client that sent r: the connection's peer, unless the peer
// is a trusted proxy; then the right-most address of X-Forwarded-For that is not a trusted proxy
// (or X-Real-IP when there is no X-Forwarded-For). It keys the sign-in limit per client, on every
// door.
func (a *App) ClientIP(r *http.Request) string {
	peer := r.RemoteAddr
	if host, _, err := net.SplitHostPort(peer); err == nil {
		peer = host
	}
	if !a.trusted(peer) {
		return peer
	}
	if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
		hops := strings.Split(strings.Join(xff, ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop := strings.TrimSpace(hops[i])
			if _, err := netip.ParseAddr(hop); err != nil {
				break // a malformed hop: trust nothing further left
			}
			if !a.trusted(hop) || i == 0 {
				return hop
			}
		}
		return peer
	}
	if real := strings.TrimSpace(r.Header.Get("X-Real-IP")); real != "" {
		if _, err := netip.ParseAddr(real); err == nil {
			return real
		}
	}
	return peer
}

// trusted reports whether ip is one of the trusted proxies.
func (a *App) trusted(ip string) bool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range a.proxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
