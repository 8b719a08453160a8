package web

import (
	"net/http"
	"net/netip"

	"github.com/habeas-project/habeas"
)

// maxKeyLength bounds the account names and client addresses the sign-in
// throttle keeps and logs, whatever a request sends.
const maxKeyLength = 64

// ClientAddr returns the address of the client that sent r, without the
// port, as the logs show it and as the sign-in throttle counts it: the one
// the server put in the request's context (habeas.ClientFrom; the server
// decides it, believing only trusted proxies: server.ClientAddr), or,
// without one, the peer of the connection.
func ClientAddr(r *http.Request) string {
	if c := habeas.ClientFrom(r.Context()); c != "" {
		return truncate(c)
	}
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap().String()
	}
	if a, err := netip.ParseAddr(r.RemoteAddr); err == nil {
		return a.Unmap().String()
	}
	return truncate(r.RemoteAddr) // a Unix socket, or a test's made-up peer
}

// clientKey is what the sign-in throttle counts a client address by: an
// IPv4 address whole, an IPv6 address by its /64 prefix, which one
// subscriber usually holds whole and can walk through at no cost.
func clientKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return truncate(addr)
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	return netip.PrefixFrom(a, 64).Masked().String()
}

// truncate cuts s to maxKeyLength bytes.
func truncate(s string) string {
	if len(s) > maxKeyLength {
		return s[:maxKeyLength]
	}
	return s
}
