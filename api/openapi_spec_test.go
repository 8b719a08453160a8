package api_test

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The OpenAPI document, read for the tests that keep it true to the code:
// openapi_test.go (the document is well formed and describes exactly the
// routes there are), openapi_schemas_test.go (enumerations and fields equal
// the code's) and openapi_requests_test.go (real responses match it).
// docs/api.md says how to keep the document in step.

// openAPIFile is the document, relative to this package.
const openAPIFile = "../docs/openapi.json"

// methods are the operation keys of an OpenAPI path item.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// spec is the OpenAPI document, decoded as generic JSON, with a compiler
// that validates values against the schemas at any place in it.
type spec struct {
	file     string // absolute path, the base of every $ref
	doc      any
	compiler *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema
}

// operation is one method of one path, with its path-level parameters and
// every $ref on the way resolved.
type operation struct {
	Method, Path string
	ptr          string // JSON pointer to the operation
	ID           string
	Route        string // x-habeas-route: the name of the route in api.Routes
	Parameters   []map[string]any
	Responses    map[string]any
	Body         map[string]any // the request body, or nil
	Roles        []string       // the roles of its session security requirement
}

func (o operation) String() string { return o.Method + " " + o.Path }

func loadSpec(t *testing.T) *spec {
	t.Helper()
	file, err := filepath.Abs(openAPIFile)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", openAPIFile, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(file, doc); err != nil {
		t.Fatal(err)
	}
	return &spec{file: file, doc: doc, compiler: c, compiled: map[string]*jsonschema.Schema{}}
}

// at returns the value at a JSON pointer ("/components/schemas/Person").
func (s *spec) at(ptr string) (any, bool) {
	v := s.doc
	if ptr == "" {
		return v, true
	}
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[tok]; !ok {
				return nil, false
			}
		case []any:
			var i int
			if _, err := fmt.Sscanf(tok, "%d", &i); err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// follow returns the pointer that ptr leads to after following $refs.
func (s *spec) follow(t *testing.T, ptr string) string {
	t.Helper()
	for range 10 {
		v, ok := s.at(ptr)
		if !ok {
			t.Fatalf("%s: #%s does not exist", openAPIFile, ptr)
		}
		m, _ := v.(map[string]any)
		ref, ok := m["$ref"].(string)
		if !ok {
			return ptr
		}
		ptr = strings.TrimPrefix(ref, "#")
	}
	t.Fatalf("%s: #%s: too many $refs in a row", openAPIFile, ptr)
	return ""
}

// object returns the object at ptr, after $refs.
func (s *spec) object(t *testing.T, ptr string) map[string]any {
	t.Helper()
	v, _ := s.at(s.follow(t, ptr))
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: #%s is not an object", openAPIFile, ptr)
	}
	return m
}

// schema compiles the schema at ptr.
func (s *spec) schema(t *testing.T, ptr string) *jsonschema.Schema {
	t.Helper()
	if sch, ok := s.compiled[ptr]; ok {
		return sch
	}
	sch, err := s.compiler.Compile(s.file + "#" + ptr)
	if err != nil {
		t.Fatalf("%s: compile the schema at #%s: %v", openAPIFile, ptr, err)
	}
	s.compiled[ptr] = sch
	return sch
}

func escape(tok string) string { return strings.NewReplacer("~", "~0", "/", "~1").Replace(tok) }

// operations returns every operation of the document, sorted by path and method.
func (s *spec) operations(t *testing.T) []operation {
	t.Helper()
	paths, _ := s.at("/paths")
	var ops []operation
	for _, path := range slices.Sorted(maps.Keys(paths.(map[string]any))) {
		item := s.object(t, "/paths/"+escape(path))
		for _, m := range methods {
			if _, ok := item[m]; !ok {
				continue
			}
			ptr := "/paths/" + escape(path) + "/" + m
			raw := s.object(t, ptr)
			op := operation{Method: strings.ToUpper(m), Path: path, ptr: ptr}
			op.ID, _ = raw["operationId"].(string)
			op.Route, _ = raw["x-habeas-route"].(string)
			op.Responses, _ = raw["responses"].(map[string]any)
			if _, ok := raw["requestBody"]; ok {
				op.Body = s.object(t, ptr+"/requestBody")
			}
			for _, at := range []string{"/paths/" + escape(path) + "/parameters", ptr + "/parameters"} {
				if ps, ok := s.at(at); ok {
					for i := range ps.([]any) {
						op.Parameters = append(op.Parameters, s.object(t, fmt.Sprintf("%s/%d", at, i)))
					}
				}
			}
			sec, ok := raw["security"]
			if !ok {
				sec, _ = s.at("/security")
			}
			// Each operation takes a session or a token, with the same roles.
			var tokenRoles []string
			for _, req := range sec.([]any) {
				m := req.(map[string]any)
				for _, r := range asList(m["session"]) {
					op.Roles = append(op.Roles, r.(string))
				}
				for _, r := range asList(m["token"]) {
					tokenRoles = append(tokenRoles, r.(string))
				}
			}
			if len(op.Roles) > 0 && !slices.Equal(op.Roles, tokenRoles) {
				t.Errorf("%s %s: a token's roles %v differ from a session's %v", op.Method, op.Path, tokenRoles, op.Roles)
			}
			ops = append(ops, op)
		}
	}
	return ops
}

// asList returns v as a list, nil if it is none.
func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
