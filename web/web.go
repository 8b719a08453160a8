// Package web is the HTML interface of Habeas: the pages and forms, sign-in
// with accounts from habeas.UserService and argon2id passwords, and the
// language of each request. Pages are rendered on the server from embedded
// templates and work without JavaScript. Every page reads and writes
// through the casework layer, with the signed-in user.
//
// It depends on the domain (the root package) and on casework. It must not
// depend on a store (database/sql, sqlite, postgres) or on the JSON API
// (package api): the two are siblings, mounted side by side by package
// server, which also decides who may use each route.
package web

import (
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/alexedwards/scs/v2"
	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"

	_ "time/tzdata" // local times are shown in the zone of the place, whatever the host has installed
)

// Config holds what the pages need. Every field but Logger and Throttle is
// required.
type Config struct {
	// Work is the casework layer every page reads and writes through.
	Work *casework.Service
	// Users finds the accounts that sign in.
	Users habeas.UserService
	// Sessions keeps who is signed in; the mounting router loads and saves
	// it around every request.
	Sessions *scs.SessionManager
	// SessionList lists and ends the sessions of accounts, for the
	// accounts page.
	SessionList habeas.SessionService
	// Tokens keeps the users' API tokens.
	Tokens habeas.TokenService
	// Require2FA are the roles that must sign in with a second factor.
	Require2FA []habeas.Role
	// May reports whether a user may use a route, by name, so that a page
	// offers only the buttons that will work.
	May func(u *habeas.User, route string) bool
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger
	// Throttle slows password guessing at sign-in; nil means one with the
	// default options, on the real clock.
	Throttle *Throttle
}

// Server serves the HTML pages. Its routes are mounted by package server.
type Server struct {
	cfg   Config
	log   *slog.Logger
	work  *casework.Service
	i18n  *catalog
	pages map[string]map[string]*template.Template // by language, then page
}

// sessionUser is the session key holding the signed-in account's name,
// and sessionSince the account's ChangedAt when it signed in (Unix
// microseconds).
const (
	sessionUser  = SessionUserKey
	sessionSince = "since"
)

// SessionUserKey is the session key holding the signed-in account's name.
const SessionUserKey = "user"

// SessionUser returns the signed-in account's name in the data of a
// session as the session manager stores it, "" for none: for a session
// store that lists sessions by account.
func SessionUser(data []byte) string {
	_, values, err := scs.GobCodec{}.Decode(data)
	if err != nil {
		return ""
	}
	name, _ := values[SessionUserKey].(string)
	return name
}

// New returns the pages over the casework layer in cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Work == nil || cfg.Users == nil || cfg.Sessions == nil || cfg.May == nil {
		return nil, errors.New("web: Work, Users, Sessions and May are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Throttle == nil {
		cfg.Throttle = NewThrottle(ThrottleOptions{})
	}
	s := &Server{cfg: cfg, log: cfg.Logger, work: cfg.Work}
	cat, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	s.i18n = cat
	if s.pages, err = parsePages(cat); err != nil {
		return nil, err
	}
	return s, nil
}

// may reports whether the signed-in user may use the named route.
func (s *Server) may(r *http.Request, route string) bool {
	return s.cfg.May(habeas.UserFrom(r.Context()), route)
}

// CurrentUser returns the account the session is signed in as, or nil.
// The account is read on every request: a session of a disabled account,
// or one signed in before the account's role or password last changed
// (on any server, or from the command line), is ended here.
func (s *Server) CurrentUser(r *http.Request) (*habeas.User, error) {
	ctx := r.Context()
	name := s.cfg.Sessions.GetString(ctx, sessionUser)
	if name == "" {
		return nil, nil
	}
	u, err := s.cfg.Users.FindUser(ctx, name)
	if err != nil && habeas.ErrorCode(err) != habeas.ENOTFOUND {
		return nil, err
	}
	if err != nil || u.Disabled || s.cfg.Sessions.GetInt64(ctx, sessionSince) != u.ChangedAt.UnixMicro() {
		s.log.InfoContext(ctx, "session ended: the account changed", "name", name)
		return nil, s.cfg.Sessions.Destroy(ctx)
	}
	return u, nil
}

// localPath returns next if it is a path on this server, "" otherwise, so
// the login form cannot be used to send someone to another site.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return ""
	}
	return next
}
