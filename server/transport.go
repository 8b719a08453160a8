package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/habeas-project/habeas"
)

// The transport: whether a request came over TLS, from which client, and
// for which host. A server reached through a reverse proxy trusts the
// proxy's X-Forwarded-For and X-Forwarded-Proto only when the request
// comes from one of Config.TrustedProxies; from anyone else those headers
// are ignored, so a client cannot choose the address the logs and the
// sign-in throttle see.

// isTLS reports whether the user's connection is TLS: to this server, or
// to a trusted proxy that says so.
func (s *Server) isTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if s.fromTrustedProxy(r) {
		proto := r.Header.Get("X-Forwarded-Proto")
		if i := strings.LastIndexByte(proto, ','); i >= 0 { // proxies append
			proto = proto[i+1:]
		}
		return strings.EqualFold(strings.TrimSpace(proto), "https")
	}
	return false
}

// fromTrustedProxy reports whether the request's peer is a trusted proxy.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	peer, ok := remoteAddr(r)
	if !ok {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(peer) {
			return true
		}
	}
	return false
}

// ClientAddr returns the address of the client: the peer, or, when the
// peer is a trusted proxy, the nearest address in X-Forwarded-For that is
// not a trusted proxy itself (a client may write anything at the start of
// that header; only what trusted proxies appended counts).
func (s *Server) ClientAddr(r *http.Request) string {
	peer, ok := remoteAddr(r)
	if !ok {
		return r.RemoteAddr
	}
	if !s.fromTrustedProxy(r) {
		return peer.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a hop we cannot read: trust nothing before it
		}
		a = a.Unmap()
		trusted := false
		for _, p := range s.cfg.TrustedProxies {
			trusted = trusted || p.Contains(a)
		}
		if !trusted {
			return a.String()
		}
		peer = a
	}
	return peer.String()
}

// remoteAddr is the peer's address.
func remoteAddr(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	return a.Unmap(), err == nil
}

// allowedHost reports whether the request is for one of Config.Hosts
// (any, when the list is empty). Against DNS rebinding: a page of another
// site whose name is made to point at this server reaches it with that
// name in Host, and is refused.
func (s *Server) allowedHost(r *http.Request) bool {
	if len(s.cfg.Hosts) == 0 {
		return true
	}
	host := strings.ToLower(r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	for _, h := range s.cfg.Hosts {
		if strings.EqualFold(strings.Trim(h, "[]"), host) {
			return true
		}
	}
	return false
}

// transport refuses requests for other hosts, marks what comes over TLS
// (HSTS, and the session cookie Secure), and puts the client's address in
// the request's context, for the logs, the sign-in throttle and the audit
// log.
func (s *Server) transport(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.allowedHost(r) {
			s.log.WarnContext(r.Context(), "request for another host refused", "host", r.Host, "client", s.ClientAddr(r))
			s.fail(w, r, habeas.Errorf(habeas.EINVALID, "this server does not answer for %q", r.Host))
			return
		}
		if s.cfg.Secure || s.isTLS(r) {
			w.Header().Set("Strict-Transport-Security", "max-age=31536000")
			w = &secureCookies{ResponseWriter: w}
		}
		h.ServeHTTP(w, r.WithContext(s.withClient(r)))
	})
}

// secureCookies marks every cookie set on a response Secure, for a
// request that came over TLS (the session manager's own setting is one
// for all requests).
type secureCookies struct {
	http.ResponseWriter
	done bool
}

func (w *secureCookies) mark() {
	if w.done {
		return
	}
	w.done = true
	cs := w.Header()["Set-Cookie"]
	for i, c := range cs {
		if !strings.Contains(strings.ToLower(c), "; secure") {
			cs[i] = c + "; Secure"
		}
	}
}

func (w *secureCookies) WriteHeader(code int) { w.mark(); w.ResponseWriter.WriteHeader(code) }

func (w *secureCookies) Write(b []byte) (int, error) { w.mark(); return w.ResponseWriter.Write(b) }

func (w *secureCookies) Unwrap() http.ResponseWriter { return w.ResponseWriter }
