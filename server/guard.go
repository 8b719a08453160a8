package server

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/api"
	"github.com/habeas-project/habeas/web"
)

// guard lets a request through to h only if its user has one of roles,
// or if the route is public. The user is the session's, or, for the API,
// the one a bearer token acts as (web.AuthenticateToken: its owner with
// the token's role); it goes into the context, and is the actor every
// write records; where the request came from goes there too, for the
// audit log of reads.
//
// A session signed in by a role that must have a second factor, and has
// none yet, reaches only the enrolment page (and can sign out): pages
// are sent there, the API is refused.
func (s *Server) guard(name string, roles []habeas.Role, h http.Handler) http.Handler {
	enrolling := slices.Contains(enrolRoutes, name)
	if slices.Contains(roles, Anonymous) {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u *habeas.User
		var err error
		if isAPI(r) && r.Header.Get("Authorization") != "" {
			u, err = web.AuthenticateToken(r, s.cfg.Tokens, s.cfg.Users, time.Now())
		} else {
			u, err = s.pages.CurrentUser(r)
		}
		switch {
		case err != nil:
			s.fail(w, r, err)
		case u == nil:
			s.unauthenticated(w, r)
		case !slices.Contains(roles, u.Role):
			s.fail(w, r, habeas.Errorf(habeas.EFORBIDDEN, "the %s role may not do this", u.Role))
		case !enrolling && !isAPI(r) && s.pages.MustEnrol(u):
			http.Redirect(w, r, "/account/2fa", http.StatusSeeOther)
		case !enrolling && s.pages.MustEnrol(u):
			s.fail(w, r, habeas.Errorf(habeas.EFORBIDDEN, "the %s role signs in with a second factor: enrol one at /account/2fa first", u.Role))
		default:
			h.ServeHTTP(w, r.WithContext(habeas.WithUser(r.Context(), u)))
		}
	})
}

// enrolRoutes are what a session that must enrol a second factor reaches.
var enrolRoutes = []string{"twofactor", "twofactor.qr", "twofactor.enrol", "logout"}

// unauthenticated answers a request that needs a sign-in: 401 for the API,
// a redirect to the login form, coming back afterwards, for pages.
func (s *Server) unauthenticated(w http.ResponseWriter, r *http.Request) {
	if isAPI(r) {
		api.WriteError(w, r, s.log, habeas.Errorf(habeas.EUNAUTHORIZED, "sign in first"))
		return
	}
	target := "/login"
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func isAPI(r *http.Request) bool {
	return r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/")
}

// may reports whether u may use the named route, by the authorization
// table, so a page offers only the buttons that will work.
func (s *Server) may(u *habeas.User, route string) bool {
	return u != nil && slices.Contains(s.cfg.Authorization[route], u.Role)
}
