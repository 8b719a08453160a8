package server_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/web/webtest"
)

// TestAccessMatrix is the access matrix of issue 12: every registered
// route and method, for every role and for no sign-in, answers as the
// authorization table says — refused (401, or the login form, without a
// sign-in; 403 for a role not listed) or let through (anything but 401
// and 403) — and every batch operation on every kind of record is let
// through or refused as the casework layer's grants say. A route missing
// from the table stops the server from starting (TestRoutesInTable); a
// route that answers otherwise than its table entry fails here.
func TestAccessMatrix(t *testing.T) {
	env := webtest.New(t)
	clients := map[habeas.Role]*webtest.Client{}
	for _, role := range habeas.Roles {
		clients[role] = env.As(t, role)
	}
	table := server.DefaultAuthorization()
	patterns := env.Server.Patterns()
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range patterns {
			if !yield(n) {
				return
			}
		}
	})
	// A real person, so that writes reach the casework layer rather than
	// stop at validation: creates and batches carry a valid record, and
	// an update names this one at its version (If-Match).
	src := webtest.Source("a call", habeas.SourceHotlineCall, "C", 3)
	victim := webtest.Person("Матрица Тестова", src)
	env.Create(t, src, victim)
	validBody := map[string]string{
		"api.create": `{"names":[{"text":"Нурлан Матрицын"}]}`,
		"api.batch":  `[{"op":"create","entity":"person","data":{"names":[{"text":"Нурлан Матрицын"}]}}]`,
		"api.update": `{"id":"{{id}}","names":[{"text":"Матрица Тестова"},{"text":"Matritsa Testova"}],"sources":["` + src.ID + `"]}`,
		"api.delete": "",
	}
	cells := 0
	for _, name := range names {
		method, path := requestOf(patterns[name])
		allowed := table[name]
		public := slices.Contains(allowed, server.Anonymous)
		for _, role := range append([]habeas.Role{""}, habeas.Roles...) {
			c := env.Anonymous()
			if role != "" {
				c = clients[role]
			}
			body, ok := validBody[name]
			if !ok {
				body = bodyFor(method, path)
			}
			if name == "api.update" || name == "api.delete" { // a record of its own: a delete removes it
				victim = webtest.Person("Матрица Тестова", src)
				env.Create(t, victim)
				path = "/api/v1/persons/" + victim.ID
				body = strings.ReplaceAll(validBody[name], "{{id}}", victim.ID)
			}
			req := c.Request(method, path, body)
			if name == "api.update" || name == "api.delete" {
				req.Header.Set("If-Match", `"`+version(t, env, victim.ID)+`"`)
			}
			if name == "metrics" { // by address or token, not by role (TestMetrics): asked from the server itself
				req.RemoteAddr = "127.0.0.1:4000"
			}
			rec := env.Serve(req)
			cells++
			got := rec.Code
			// Signed in, a refusal is 403 (401 from the API, should the
			// session be gone); without a sign-in, 401 from the API or
			// the login form for a page.
			refused := got == http.StatusForbidden || got == http.StatusUnauthorized
			if role == "" {
				refused = refused || got == http.StatusSeeOther && strings.HasPrefix(rec.Header().Get("Location"), "/login")
			}
			switch {
			case public:
				if got == http.StatusForbidden {
					t.Errorf("%s (%s %s) is public, but %q was refused: %d", name, method, path, role, got)
				}
			case role == "":
				if !refused {
					t.Errorf("%s (%s %s) answered %d without a sign-in", name, method, path, got)
				}
			case slices.Contains(allowed, role) && refused:
				t.Errorf("%s (%s %s): %s is in the table but was refused: %d %s", name, method, path, role, got, rec.Body.String())
			case !slices.Contains(allowed, role) && got != http.StatusForbidden:
				t.Errorf("%s (%s %s): %s is not in the table but got %d", name, method, path, role, got)
			}
			if name == "logout" && role != "" { // signed out: sign in again
				clients[role] = &webtest.Client{Env: env, Name: string(role), Cookie: env.Login(t, string(role), "correct horse "+string(role))}
			}
		}
	}

	// Every batch operation on every kind, for every role that may send a
	// batch: a delete needs a role that may delete, a create or an update
	// one that may write (the data here is empty, so what is let through
	// is then refused as invalid: 400).
	deleters := []habeas.Role{habeas.RoleAdmin, habeas.RoleCoordinator}
	writers := []habeas.Role{habeas.RoleAdmin, habeas.RoleCoordinator, habeas.RoleCaseworker}
	for _, k := range habeas.Kinds {
		for _, op := range []habeas.Op{habeas.OpCreate, habeas.OpUpdate, habeas.OpDelete} {
			item := fmt.Sprintf(`[{"op":%q,"entity":%q,"id":"%s","data":{}}]`, op, k, fakeID(k))
			if op == habeas.OpDelete {
				item = fmt.Sprintf(`[{"op":%q,"entity":%q,"id":"%s"}]`, op, k, fakeID(k))
			}
			for _, role := range habeas.Roles {
				got := clients[role].Do(http.MethodPost, "/api/v1/batch", item).Code
				cells++
				may := slices.Contains(writers, role) && (op != habeas.OpDelete || slices.Contains(deleters, role))
				if may && (got == http.StatusForbidden || got == http.StatusUnauthorized) {
					t.Errorf("batch %s %s by %s: refused %d, but the role may", op, k, role, got)
				}
				if !may && got != http.StatusForbidden {
					t.Errorf("batch %s %s by %s: %d, want 403", op, k, role, got)
				}
			}
		}
	}
	t.Logf("access matrix: %d routes, %d batch operations on %d kinds, %d roles and no sign-in: %d cells",
		len(names), 3*len(habeas.Kinds), len(habeas.Kinds), len(habeas.Roles), cells)
}

// version is the ETag of a person, read as the system.
func version(t *testing.T, env *webtest.Env, id string) string {
	t.Helper()
	_, v, err := env.Store.FindVersion(context.Background(), habeas.KindPerson, id)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(v, 10)
}

// requestOf turns a ServeMux pattern into a request: its method (GET if
// none) and a path with every wildcard given a value of the right shape.
func requestOf(pattern string) (method, path string) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = http.MethodGet, pattern
	}
	path = strings.ReplaceAll(path, "{$}", "")
	if strings.HasSuffix(path, "/") && path != "/" && !strings.Contains(path, "{") {
		path += "style.css" // a subtree: a file in it
	}
	values := map[string]string{"kind": "persons", "id": "per_aaaaaaaaaaaaaaaa", "name": "nobody",
		"detention": "det_aaaaaaaaaaaaaaaa", "event": "e1"}
	for {
		i := strings.IndexByte(path, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(path[i:], '}') + i
		v, ok := values[strings.TrimSuffix(path[i+1:j], "...")]
		if !ok {
			v = "x"
		}
		path = path[:i] + v + path[j+1:]
	}
	if path == "/" {
		path = "/no/such/page"
	}
	return method, path
}

// bodyFor is a body for a request that sends one: JSON for the API, an
// empty form for a page.
func bodyFor(method, path string) string {
	if method == http.MethodGet || method == http.MethodDelete {
		return ""
	}
	if strings.HasPrefix(path, "/api/") {
		return "{}"
	}
	return ""
}

// fakeID is an identifier of the shape of kind k that no record has.
func fakeID(k habeas.Kind) string { return habeas.NewID(k) }
