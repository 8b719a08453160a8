package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/api"
)

// sessionUser is the session key holding the signed-in account's name.
const sessionUser = "user"

type userKey struct{}

// userFrom returns the signed-in user of a guarded request, or nil.
func userFrom(ctx context.Context) *habeas.User {
	u, _ := ctx.Value(userKey{}).(*habeas.User)
	return u
}

// guard lets a request through to h only if its user has one of roles,
// or if the route is public. The user goes into the context, and is the
// actor every write records.
func (s *Server) guard(roles []habeas.Role, h http.Handler) http.Handler {
	if slices.Contains(roles, Anonymous) {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.currentUser(r)
		switch {
		case err != nil:
			s.fail(w, r, err)
		case u == nil:
			s.unauthenticated(w, r)
		case !slices.Contains(roles, u.Role):
			s.fail(w, r, habeas.Errorf(habeas.EFORBIDDEN, "the %s role may not do this", u.Role))
		default:
			ctx := habeas.WithActor(context.WithValue(r.Context(), userKey{}, u), u.Name)
			h.ServeHTTP(w, r.WithContext(ctx))
		}
	})
}

// currentUser returns the account the session is signed in as, or nil.
// The account is read on every request, so a changed role applies at once.
func (s *Server) currentUser(r *http.Request) (*habeas.User, error) {
	name := s.sessions.GetString(r.Context(), sessionUser)
	if name == "" {
		return nil, nil
	}
	u, err := s.cfg.Users.FindUser(r.Context(), name)
	if habeas.ErrorCode(err) == habeas.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return u, nil
}

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

// may reports whether the signed-in user may use the named route, by the
// authorization table, so a page offers only the buttons that will work.
func (s *Server) may(r *http.Request, route string) bool {
	u := userFrom(r.Context())
	return u != nil && slices.Contains(s.cfg.Authorization[route], u.Role)
}
