// Package server mounts the Habeas HTML pages (package web) and JSON API
// (package api) on one router, behind one authorization table that every
// route must be in, with sessions, protection against cross-site requests,
// strict security headers and compression. It is the only package that
// knows both adapters; they never import each other, and both call the
// casework layer.
//
// It depends on the domain (the root package), casework, web and api. It
// must not depend on a store (database/sql, sqlite, postgres): the services
// come in through Config as the interfaces of the root package, so any
// store works. Only cmd/habeas wires a store to it.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/api"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/web"
	"github.com/prometheus/client_golang/prometheus"
)

// Config holds what the server needs. Every service is required.
type Config struct {
	// Config holds the services of the casework layer, which the pages
	// and the API read and write through.
	casework.Config
	// Users finds the accounts that sign in.
	Users habeas.UserService
	// Sessions stores the sessions, keyed by the account's name under
	// web.SessionUserKey, and lists and ends them per account: the
	// database's (sqlstore.DB.Sessions), so that every server sharing it
	// knows every session and a restart signs no one out.
	Sessions SessionStore
	// Tokens keeps the API tokens scripts sign in with.
	Tokens habeas.TokenService
	// Require2FA are the roles that must sign in with a second factor
	// (TOTP); nil means DefaultRequire2FA, and an empty list none.
	Require2FA []habeas.Role
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger
	// Secure marks the session cookie Secure and sends HSTS on every
	// request; without it they are sent on requests that come over TLS
	// (transport.go).
	Secure bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed; none by default.
	TrustedProxies []netip.Prefix
	// Hosts are the names (and addresses) the server answers for; a
	// request for another Host is refused, against DNS rebinding. Empty:
	// any.
	Hosts []string
	// Authorization replaces DefaultAuthorization when set. The server
	// refuses to start unless it names exactly the routes there are.
	Authorization map[string][]habeas.Role
	// AccessLog logs every request to Logger (accesslog.go): its route,
	// status and time, nothing that names anyone.
	AccessLog bool
	// MetricsToken lets a client that gives it (Authorization: Bearer)
	// read /metrics from elsewhere than the server itself.
	MetricsToken string
	// MetricsCollectors are more collectors for /metrics: the Go
	// runtime's and the process's (the command line adds them; their
	// package would bring database/sql here).
	MetricsCollectors []prometheus.Collector
	// LastBackup, when set, says when the last scheduled backup
	// succeeded (zero: none yet), for /metrics.
	LastBackup func() time.Time
	// Ready, when set, says what keeps the server from serving the
	// register beyond what /readyz checks itself (the store answering):
	// the register locked, say. Each problem is a short sentence with no
	// data in it.
	Ready func(context.Context) []string
	// Throttle slows password guessing at sign-in (docs/security.md);
	// nil means one with the default options. Its Notices are the
	// repeated failures an administrator should see.
	Throttle *web.Throttle
}

// DefaultRequire2FA are the roles that must sign in with a second factor
// unless the configuration says otherwise: those who can change who may
// do what, and delete.
var DefaultRequire2FA = []habeas.Role{habeas.RoleAdmin, habeas.RoleCoordinator}

// SessionStore is a session store that also lists and ends the sessions
// of an account.
type SessionStore interface {
	scs.CtxStore
	habeas.SessionService
}

// Server serves the HTML pages and the JSON API. It implements http.Handler.
type Server struct {
	cfg      Config
	log      *slog.Logger
	work     *casework.Service
	pages    *web.Server
	api      *api.API
	sessions *scs.SessionManager
	names    []string // route names, in the order they were registered
	metrics  *metrics
	handler  http.Handler
}

// Session lifetimes: a stolen laptop should not stay signed in for long.
const (
	sessionLifetime    = 12 * time.Hour
	sessionIdleTimeout = 2 * time.Hour
)

// New returns a server over the services in cfg. It fails if a service is
// missing or if the authorization table and the routes disagree.
func New(cfg Config) (*Server, error) {
	if cfg.Records == nil || cfg.Changes == nil || cfg.Persons == nil || cfg.Detentions == nil ||
		cfg.Stats == nil || cfg.Users == nil || cfg.Views == nil || cfg.Alerts == nil || cfg.Review == nil || cfg.Sessions == nil || cfg.Tokens == nil ||
		cfg.Audit == nil {
		return nil, errors.New("server: every service in Config is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Config.Logger == nil { // the casework layer's warnings (an account flagged for unusual reading)
		cfg.Config.Logger = cfg.Logger
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Authorization == nil {
		cfg.Authorization = DefaultAuthorization()
	}
	if cfg.Require2FA == nil {
		cfg.Require2FA = DefaultRequire2FA
	}
	s := &Server{cfg: cfg, log: cfg.Logger}
	s.work = casework.New(cfg.Config)
	s.api = &api.API{Work: s.work, Logger: cfg.Logger}

	s.sessions = scs.New()
	s.sessions.Store = cfg.Sessions
	s.sessions.Lifetime = sessionLifetime
	s.sessions.IdleTimeout = sessionIdleTimeout
	s.sessions.Cookie.Name = "habeas_session"
	s.sessions.Cookie.HttpOnly = true
	s.sessions.Cookie.SameSite = http.SameSiteLaxMode
	s.sessions.Cookie.Secure = cfg.Secure
	s.sessions.Cookie.Persist = false // gone when the browser closes
	s.sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) { s.fail(w, r, err) }

	pages, err := web.New(web.Config{Work: s.work, Users: cfg.Users, Sessions: s.sessions, SessionList: cfg.Sessions, Tokens: cfg.Tokens,
		Require2FA: cfg.Require2FA, Logger: cfg.Logger, May: s.may, Throttle: cfg.Throttle})
	if err != nil {
		return nil, err
	}
	s.pages = pages
	s.metrics = s.newMetrics()

	mux, err := s.router()
	if err != nil {
		return nil, err
	}
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, habeas.Errorf(habeas.EFORBIDDEN, "cross-origin request refused"))
	}))
	if s.handler, err = compress(s.transport(s.securityHeaders(s.pages.WithLanguage(csrf.Handler(s.sessions.LoadAndSave(mux)))))); err != nil {
		return nil, err
	}
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// RouteNames returns the name of every route, as the authorization table
// knows them.
func (s *Server) RouteNames() []string { return append([]string(nil), s.names...) }

// fail answers with err: JSON under /api, the error page elsewhere.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) {
		api.WriteError(w, r, s.log, err)
		return
	}
	s.pages.Fail(w, r, err)
}
