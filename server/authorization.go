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
	// everyone is every role that signs in.
	everyone = []habeas.Role{habeas.RoleAdmin, habeas.RoleCoordinator, habeas.RoleCaseworker, habeas.RoleLawyer,
		habeas.RoleMonitor, habeas.RoleAnalyst, habeas.RoleViewer}
	// readers read cases: a lawyer their clients' only, an analyst
	// pseudonymised (the casework layer's scope).
	readers = []habeas.Role{habeas.RoleAdmin, habeas.RoleCoordinator, habeas.RoleCaseworker, habeas.RoleLawyer,
		habeas.RoleAnalyst, habeas.RoleViewer}
	// registerReaders read the register as a whole: lists of casualties,
	// investigations and lawyers, counts.
	registerReaders = []habeas.Role{habeas.RoleAdmin, habeas.RoleCoordinator, habeas.RoleCaseworker,
		habeas.RoleAnalyst, habeas.RoleViewer}
	// searchers look persons up by name or IIN.
	searchers = []habeas.Role{habeas.RoleAdmin, habeas.RoleCoordinator, habeas.RoleCaseworker, habeas.RoleLawyer,
		habeas.RoleViewer}
	// fileReaders open evidence files, which show who a person is: not
	// an analyst, who reads pseudonymised.
	fileReaders = []habeas.Role{habeas.RoleAdmin, habeas.RoleCoordinator, habeas.RoleCaseworker, habeas.RoleLawyer,
		habeas.RoleViewer}
	// reviewers read the review queue: the whole register, by name.
	reviewers = []habeas.Role{habeas.RoleAdmin, habeas.RoleCoordinator, habeas.RoleCaseworker, habeas.RoleViewer}
	// monitors record trial monitoring.
	monitors = []habeas.Role{habeas.RoleAdmin, habeas.RoleCoordinator, habeas.RoleCaseworker, habeas.RoleMonitor}
	writers  = []habeas.Role{habeas.RoleAdmin, habeas.RoleCoordinator, habeas.RoleCaseworker}
	deleters = []habeas.Role{habeas.RoleAdmin, habeas.RoleCoordinator}
	public   = []habeas.Role{Anonymous}
	admins   = []habeas.Role{habeas.RoleAdmin}
)

// authorization is the one authorization table: for every route, by name,
// the roles allowed on it. A route that is not here makes New fail, so a
// new route cannot be reachable by accident. It agrees with the casework
// layer's grants (casework/access.go), which decide again, for every
// operation, what the role may do and which records it reads
// (TestAccessMatrix checks both).
var authorization = map[string][]habeas.Role{
	"static": public,
	// Health, for monitors: nothing of the register (health.go).
	"healthz": public,
	"readyz":  public,
	// Metrics: to loopback or with the metrics token (metrics.go).
	"metrics": public,
	// The accounts: administrators only.
	"admin.users":       admins,
	"admin.user.create": admins,
	"admin.user.update": admins,
	// Every account keeps its own API tokens.
	"tokens":       everyone,
	"token.create": everyone,
	"token.revoke": everyone,
	"login.form":   public,
	"login":        public,
	// The second step of signing in; the handler checks the pending
	// sign-in in the session.
	"login.code.form": public,
	"login.code":      public,
	// Every account enrols its own second factor.
	"twofactor":       everyone,
	"twofactor.qr":    everyone,
	"twofactor.enrol": everyone,
	"logout":          everyone,
	"home":            everyone,
	"notfound":        everyone,
	"detentions":      readers,
	"detention":       readers,
	"casualties":      registerReaders,
	"person":          readers,
	"persons":         searchers,
	"alerts":          readers,
	"alerts.counts":   registerReaders,
	"review":          reviewers,
	"review.decide":   writers,
	"identity.undo":   writers,
	// Saved views are preferences for the detention list: every role that
	// reads it keeps its own.
	"queues":      readers,
	"views":       readers,
	"view.create": readers,
	"view.open":   readers,
	"view.delete": readers,

	// Casualties, investigations and trial monitoring.
	"casualty":             readers,
	"casualty.update":      writers,
	"investigations":       registerReaders,
	"investigation":        readers,
	"investigation.update": writers,
	"trials":               everyone,
	"trial":                everyone,
	"trial.update":         monitors,

	"api.investigations":          registerReaders,
	"api.investigation.checklist": readers,
	"api.trials":                  everyone,
	// The hotline intake: the form, its type-ahead and the API behind it.
	"intake.form":         writers,
	"intake":              writers,
	"intake.suggest":      writers,
	"api.intake":          writers,
	"api.persons.suggest": searchers,
	// The case page's forms and lawyer coordination.
	"case.assign":     writers,
	"case.visit":      writers,
	"case.refusal":    writers,
	"case.hearing":    writers,
	"case.allegation": writers,
	"case.evidence":   writers,
	// Whoever reads the case by name may download its files, each
	// download recorded in the file's chain of custody.
	"evidence.download": fileReaders,
	"lawyers":           registerReaders,
	"lawyer.create":     writers,

	"api.detentions":       readers,
	"api.casualties":       registerReaders,
	"api.persons":          searchers,
	"api.stats":            registerReaders,
	"api.alerts":           readers,
	"api.alerts.counts":    registerReaders,
	"api.alerts.detainees": readers,
	"api.safeguards":       readers,
	"api.review":           reviewers,
	"api.lawyers":          registerReaders,
	"api.queues":           readers,
	"api.views":            readers,
	"api.view":             readers,
	"api.view.create":      readers,
	"api.view.delete":      readers,
	"api.find":             readers,
	"api.history":          readers,
	"api.notfound":         everyone,
	"api.create":           writers,
	"api.update":           writers,
	"api.batch":            writers,
	"api.delete":           deleters,

	// The audit log of reads, who read whom: administrators only.
	"admin.audit": admins,
	// Erasure, for good: administrators only.
	"admin.erasures": admins,
	"admin.erase":    admins,
	"api.audit":      admins,
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
	return append(rs, s.healthRoutes()...)
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
		mux.Handle(rt.pattern, s.accessLog(rt.name, s.guard(rt.name, slices.Clone(roles), rt.handler)))
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
		if r != Anonymous && !slices.Contains(everyone, r) {
			return fmt.Errorf("web: route %q allows unknown role %q", name, r)
		}
	}
	if slices.Contains(roles, Anonymous) && len(roles) > 1 {
		return fmt.Errorf("web: route %q is public; listing roles beside %s is misleading", name, Anonymous)
	}
	return nil
}
