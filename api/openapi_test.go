package api_test

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/habeas-project/habeas/api"
	"github.com/habeas-project/habeas/server"
)

func TestOpenAPIDocument(t *testing.T) {
	s := loadSpec(t)
	if v, _ := s.at("/openapi"); !strings.HasPrefix(fmt.Sprint(v), "3.1.") {
		t.Errorf("openapi is %v, want 3.1.x", v)
	}
	if v, _ := s.at("/jsonSchemaDialect"); v != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("jsonSchemaDialect is %v, want JSON Schema 2020-12", v)
	}

	// Every $ref is local and resolves.
	var walk func(ptr string, v any)
	walk = func(ptr string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				if !strings.HasPrefix(ref, "#/") {
					t.Errorf("#%s: $ref %q is not a pointer into this document", ptr, ref)
				} else if _, ok := s.at(strings.TrimPrefix(ref, "#")); !ok {
					t.Errorf("#%s: $ref %q does not resolve", ptr, ref)
				}
			}
			for k, e := range x {
				walk(ptr+"/"+escape(k), e)
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s/%d", ptr, i), e)
			}
		}
	}
	walk("", s.doc)

	// Every operation has a unique operationId and at least one response.
	ids := map[string]string{}
	for _, op := range s.operations(t) {
		switch {
		case op.ID == "":
			t.Errorf("%s has no operationId", op)
		case ids[op.ID] != "":
			t.Errorf("%s and %s share the operationId %q", ids[op.ID], op, op.ID)
		}
		ids[op.ID] = op.String()
		if len(op.Responses) == 0 {
			t.Errorf("%s has no responses", op)
		}
	}

	// Every schema compiles: a bad pattern or keyword fails here.
	schemas, _ := s.at("/components/schemas")
	for _, name := range slices.Sorted(maps.Keys(schemas.(map[string]any))) {
		s.schema(t, "/components/schemas/"+escape(name))
	}
}

// routePath turns an http.ServeMux pattern into the method and the path
// OpenAPI writes: "GET /api/v1/{kind}/{id}" stays as it is, {rest...}
// becomes {rest} and a final {$} goes. A pattern without a method that
// ends in "/" matches a whole subtree: it is a fallback (the JSON 404
// under /api/), not an operation, and fallback is true.
func routePath(pattern string) (method, path string, fallback bool, err error) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "", pattern
	}
	path = strings.TrimSpace(path)
	if !strings.HasPrefix(path, "/") {
		return "", "", false, fmt.Errorf("pattern %q names a host; OpenAPI paths cannot", pattern)
	}
	if method == "" {
		if strings.HasSuffix(path, "/") {
			return "", path, true, nil
		}
		return "", "", false, fmt.Errorf("pattern %q answers every method; give it one, so that it can be described", pattern)
	}
	path = strings.TrimSuffix(path, "{$}")
	path = regexp.MustCompile(`\{([^{}]+)\.\.\.\}`).ReplaceAllString(path, "{$1}")
	return method, path, false, nil
}

func TestRoutePath(t *testing.T) {
	tests := []struct {
		pattern, method, path string
		fallback, fails       bool
	}{
		{"GET /api/v1/{kind}/{id}", "GET", "/api/v1/{kind}/{id}", false, false},
		{"POST /api/v1/batch", "POST", "/api/v1/batch", false, false},
		{"GET /api/v1/files/{path...}", "GET", "/api/v1/files/{path}", false, false},
		{"GET /api/v1/{$}", "GET", "/api/v1/", false, false},
		{"/api/", "", "/api/", true, false},
		{"/api/v1/ping", "", "", false, true},
		{"GET example.com/api/v1/stats", "", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			method, path, fallback, err := routePath(tt.pattern)
			if (err != nil) != tt.fails || method != tt.method || path != tt.path || fallback != tt.fallback {
				t.Errorf("routePath(%q) = %q, %q, %v, %v; want %q, %q, %v, fails %v", tt.pattern, method, path, fallback, err,
					tt.method, tt.path, tt.fallback, tt.fails)
			}
		})
	}
}

// TestOpenAPIRoutes compares the operations of the document with the
// routes of the API, both ways, and each operation's route name and roles
// with the router's authorization table.
func TestOpenAPIRoutes(t *testing.T) {
	s := loadSpec(t)
	documented := map[string]operation{}
	for _, op := range s.operations(t) {
		documented[op.String()] = op
	}
	served := map[string]api.Route{}
	for _, r := range (&api.API{}).Routes() {
		method, path, fallback, err := routePath(r.Pattern)
		if err != nil {
			t.Errorf("route %s: %v", r.Name, err)
			continue
		}
		if !fallback {
			served[method+" "+path] = r
		}
	}

	var missing, stale []string
	for _, key := range slices.Sorted(maps.Keys(served)) {
		if _, ok := documented[key]; !ok {
			missing = append(missing, fmt.Sprintf("%s (route %s)", key, served[key].Name))
		}
	}
	for _, key := range slices.Sorted(maps.Keys(documented)) {
		if _, ok := served[key]; !ok {
			stale = append(stale, fmt.Sprintf("%s (operationId %s)", key, documented[key].ID))
		}
	}
	if len(missing) > 0 {
		t.Errorf("%s does not describe %d route(s) that api.Routes serves; add an operation for each (docs/api.md):\n\t%s",
			openAPIFile, len(missing), strings.Join(missing, "\n\t"))
	}
	if len(stale) > 0 {
		t.Errorf("%s describes %d operation(s) that no route in api.Routes serves; remove them or correct the path:\n\t%s",
			openAPIFile, len(stale), strings.Join(stale, "\n\t"))
	}

	roles := enumOf(t, s, "Role")
	table := server.DefaultAuthorization()
	for key, r := range served {
		op, ok := documented[key]
		if !ok {
			continue
		}
		if op.Route != r.Name {
			t.Errorf("%s: x-habeas-route is %q, want the route's name %q", op, op.Route, r.Name)
		}
		var want []string
		for _, role := range table[r.Name] {
			want = append(want, string(role))
		}
		if !slices.Equal(op.Roles, want) {
			t.Errorf("%s: security lists the roles %v; the authorization table allows %v", op, op.Roles, want)
		}
		for _, role := range op.Roles {
			if !slices.Contains(roles, role) {
				t.Errorf("%s: security lists %q, which is not in the Role schema", op, role)
			}
		}
	}
}
