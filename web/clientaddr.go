package web

import (
	"net/http"
	"net/netip"
)

// maxKeyLength bounds the account names and client addresses the sign-in
// logs show, whatever a request sends.
const maxKeyLength = 64

// ClientAddr returns the address of the client that sent r, without the
// port, as the logs show it: for now
// the peer of the connection (r.RemoteAddr). It is the one place that
// decides who the client is, so that trusting a reverse proxy's header
// (X-Forwarded-For) is a change here and nowhere else.
func ClientAddr(r *http.Request) string {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap().String()
	}
	if a, err := netip.ParseAddr(r.RemoteAddr); err == nil {
		return a.Unmap().String()
	}
	return truncate(r.RemoteAddr) // a Unix socket, or a test's made-up peer
}

// truncate cuts s to maxKeyLength bytes.
func truncate(s string) string {
	if len(s) > maxKeyLength {
		return s[:maxKeyLength]
	}
	return s
}
