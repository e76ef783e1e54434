//go:build !unix

package store

import (
	"net"
	"testing"
)

// refusingAddr returns a local address where nothing listens (a closed listener's port).
func refusingAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
