package server

import (
	"context"
	"net/http"

	"github.com/habeas-project/habeas"
)

// withClient returns the request's context with where it came from, which
// the audit log of reads keeps with every access (habeas.WithClient): the
// client's address as ClientAddr reads it, believing trusted proxies
// only.
func (s *Server) withClient(r *http.Request) context.Context {
	return habeas.WithClient(r.Context(), s.ClientAddr(r))
}
