package web

import (
	"context"
	"net"
	"net/http"
)

// clientIPKey is the context key of the client's address set by WithClientIP.
type clientIPKey struct{}

// WithClientIP returns ctx carrying ip as the address of the client that sent the request, for
// the sign-in limit per client. The API sets it when it mounts the pages, from the reverse proxies
// it trusts; without it the pages take the peer of the connection (Request.RemoteAddr).
func WithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientIPKey{}, ip)
}

// clientIP returns the client's address: WithClientIP's, or else the host of r.RemoteAddr.
func clientIP(r *http.Request) string {
	if ip, ok := r.Context().Value(clientIPKey{}).(string); ok {
		return ip
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
