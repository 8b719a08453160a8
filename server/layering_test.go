package server_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The import rules of docs/architecture.md: the adapters are siblings,
// the casework layer knows neither HTTP nor a database, and nothing but
// the stores and the binary knows a database.
func TestLayering(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	const mod = "github.com/habeas-project/habeas"
	out, err := exec.Command(gobin, "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", mod+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	imports := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		imports[strings.TrimPrefix(strings.TrimPrefix(f[0], mod), "/")] = f[1:]
	}
	stores := []string{"database/sql", mod + "/internal/sqlstore", mod + "/sqlite", mod + "/postgres"}
	for _, rule := range []struct {
		pkg    string
		forbid []string
	}{
		{"", append([]string{"net/http"}, stores...)},
		{"casework", append([]string{"net/http", mod + "/web", mod + "/api", mod + "/server"}, stores...)},
		{"web", append([]string{mod + "/api", mod + "/server"}, stores...)},
		{"api", append([]string{mod + "/web", mod + "/server"}, stores...)},
		{"server", stores},
	} {
		got, ok := imports[rule.pkg]
		if !ok {
			t.Errorf("package %q not found", rule.pkg)
			continue
		}
		for _, f := range rule.forbid {
			if slices.Contains(got, f) {
				t.Errorf("package %q imports %s, which docs/architecture.md forbids it", mod+"/"+rule.pkg, f)
			}
		}
	}
}
