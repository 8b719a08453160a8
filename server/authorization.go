package server

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/habeas-project/habeas"
)

// Anonymous in a route's roles means the route needs no sign-in: the login
// form, the style sheet. It is not a role an account can have.
const Anonymous habeas.Role = "anonymous"

var (
	readers  = []habeas.Role{habeas.RoleAdmin, habeas.RoleCoordinator, habeas.RoleCaseworker, habeas.RoleLawyer, habeas.RoleViewer}
	writers  = []habeas.Role{habeas.RoleAdmin, habeas.RoleCoordinator, habeas.RoleCaseworker}
	deleters = []habeas.Role{habeas.RoleAdmin, habeas.RoleCoordinator}
	public   = []habeas.Role{Anonymous}
	admins   = []habeas.Role{habeas.RoleAdmin}
)

// authorization is the one authorization table: for every route, by name,
// the roles allowed on it. A route that is not here makes New fail, so a
// new route cannot be reachable by accident.
//
// Lawyers read but do not write until per-case access lands: without it a
// lawyer could change any case, not only their clients'.
var authorization = map[string][]habeas.Role{
	"static": public,
	// The accounts: administrators only.
	"admin.users":       admins,
	"admin.user.create": admins,
	"admin.user.update": admins,
	// Every account keeps its own API tokens.
	"tokens":       readers,
	"token.create": readers,
	"token.revoke": readers,
	"login.form":   public,
	"login":        public,
	// The second step of signing in; the handler checks the pending
	// sign-in in the session.
	"login.code.form": public,
	"login.code":      public,
	// Every account enrols its own second factor.
	"twofactor":       readers,
	"twofactor.qr":    readers,
	"twofactor.enrol": readers,
	"logout":          readers,
	"home":            readers,
	"notfound":        readers,
	"detentions":      readers,
	"detention":       readers,
	"casualties":      readers,
	"person":          readers,
	"persons":         readers,
	"alerts":          readers,
	"alerts.counts":   readers,
	"review":          readers,
	"review.decide":   writers,
	"identity.undo":   writers,
	// Saved views are preferences, not case data: every role keeps its own.
	"queues":      readers,
	"views":       readers,
	"view.create": readers,
	"view.open":   readers,
	"view.delete": readers,

	// Casualties, investigations and trial monitoring.
	"casualty":             readers,
	"casualty.update":      writers,
	"investigations":       readers,
	"investigation":        readers,
	"investigation.update": writers,
	"trials":               readers,
	"trial":                readers,
	"trial.update":         writers,

	"api.investigations":          readers,
	"api.investigation.checklist": readers,
	"api.trials":                  readers,
	// The hotline intake: the form, its type-ahead and the API behind it.
	"intake.form":         writers,
	"intake":              writers,
	"intake.suggest":      writers,
	"api.intake":          writers,
	"api.persons.suggest": readers,
	// The case page's forms and lawyer coordination.
	"case.assign":     writers,
	"case.visit":      writers,
	"case.refusal":    writers,
	"case.hearing":    writers,
	"case.allegation": writers,
	"lawyers":         readers,
	"lawyer.create":   writers,

	"api.detentions":       readers,
	"api.casualties":       readers,
	"api.persons":          readers,
	"api.stats":            readers,
	"api.alerts":           readers,
	"api.alerts.counts":    readers,
	"api.alerts.detainees": readers,
	"api.safeguards":       readers,
	"api.review":           readers,
	"api.lawyers":          readers,
	"api.queues":           readers,
	"api.views":            readers,
	"api.view":             readers,
	"api.view.create":      readers,
	"api.view.delete":      readers,
	"api.find":             readers,
	"api.history":          readers,
	"api.notfound":         readers,
	"api.create":           writers,
	"api.update":           writers,
	"api.batch":            writers,
	"api.delete":           deleters,

	// The audit log of reads, who read whom: administrators only.
	"admin.audit": admins,
	"api.audit":   admins,
}

// DefaultAuthorization returns a copy of the authorization table.
func DefaultAuthorization() map[string][]habeas.Role {
	t := make(map[string][]habeas.Role, len(authorization))
	for name, roles := range authorization {
		t[name] = slices.Clone(roles)
	}
	return t
}

// Patterns returns every route's http.ServeMux pattern, by name: for the
// access matrix test and the generated table of roles.
func (s *Server) Patterns() map[string]string {
	out := map[string]string{}
	for _, r := range s.routes() {
		out[r.name] = r.pattern
	}
	return out
}

// route is one entry of the router.
type route struct {
	name    string
	pattern string
	handler http.Handler
}

// routes lists every route: the pages, then the API.
func (s *Server) routes() []route {
	var rs []route
	for _, r := range s.pages.Routes() {
		rs = append(rs, route{r.Name, r.Pattern, r.Handler})
	}
	for _, r := range s.api.Routes() {
		rs = append(rs, route{r.Name, r.Pattern, r.Handler})
	}
	return rs
}

// router registers every route behind the check its table entry asks for.
// It fails unless the table names exactly the routes there are, each with
// roles that exist.
func (s *Server) router() (*http.ServeMux, error) {
	table := s.cfg.Authorization
	mux := http.NewServeMux()
	seen := map[string]bool{}
	for _, rt := range s.routes() {
		roles, ok := table[rt.name]
		if !ok {
			return nil, fmt.Errorf("web: route %q (%s) is not in the authorization table", rt.name, rt.pattern)
		}
		if err := checkRoles(rt.name, roles); err != nil {
			return nil, err
		}
		if seen[rt.name] {
			return nil, fmt.Errorf("web: route name %q is used twice", rt.name)
		}
		seen[rt.name] = true
		s.names = append(s.names, rt.name)
		mux.Handle(rt.pattern, s.guard(rt.name, slices.Clone(roles), rt.handler))
	}
	var stale []string
	for _, name := range slices.Sorted(maps.Keys(table)) {
		if !seen[name] {
			stale = append(stale, name)
		}
	}
	if len(stale) > 0 {
		return nil, fmt.Errorf("web: the authorization table names routes that do not exist: %s", strings.Join(stale, ", "))
	}
	return mux, nil
}

func checkRoles(name string, roles []habeas.Role) error {
	if len(roles) == 0 {
		return fmt.Errorf("web: route %q allows no role", name)
	}
	for _, r := range roles {
		if r != Anonymous && !slices.Contains(readers, r) { // readers holds every role
			return fmt.Errorf("web: route %q allows unknown role %q", name, r)
		}
	}
	if slices.Contains(roles, Anonymous) && len(roles) > 1 {
		return fmt.Errorf("web: route %q is public; listing roles beside %s is misleading", name, Anonymous)
	}
	return nil
}
