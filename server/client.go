package server

import (
	"context"
	"net"
	"net/http"

	"github.com/habeas-project/habeas"
)

// withClient returns the request's context with where it came from, which
// the audit log of reads keeps with every access (habeas.WithClient). It
// is the one place that decides what "where from" means: for now the
// address of the connection's far end; behind a trusted proxy it is to
// take the address the proxy forwards.
func withClient(r *http.Request) context.Context {
	return habeas.WithClient(r.Context(), clientAddr(r))
}

// clientAddr is the host of the connection's remote address, or the
// address as it is if it has no port.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
