package server_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The import rules of docs/architecture.md, on every package's whole
// dependency graph (not only what it imports itself): the adapters are
// siblings, the casework layer knows neither HTTP nor a database, the pure
// packages and the watchers know neither, and nothing but the stores, the
// test helpers and the binary knows a database.
func TestLayering(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	const mod = "github.com/habeas-project/habeas"
	out, err := exec.Command(gobin, "list", "-f", "{{.ImportPath}} {{join .Deps \" \"}}", mod+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		deps[strings.TrimPrefix(strings.TrimPrefix(f[0], mod), "/")] = f[1:]
	}
	stores := []string{"database/sql", mod + "/internal/sqlstore", mod + "/sqlite", mod + "/postgres"}
	adapters := []string{mod + "/web", mod + "/api", mod + "/server", mod + "/casework"}
	noHTTPNorStore := append(append([]string{"net/http"}, stores...), adapters...)
	for _, rule := range []struct {
		pkgs   []string
		forbid []string
	}{
		{[]string{"", "names", "linkage", "rules", "alerts", "dedup"}, noHTTPNorStore},
		{[]string{"casework"}, append(append([]string{"net/http"}, stores...), mod+"/web", mod+"/api", mod+"/server")},
		{[]string{"web"}, append([]string{mod + "/api", mod + "/server"}, stores...)},
		{[]string{"api"}, append([]string{mod + "/web", mod + "/server"}, stores...)},
		{[]string{"server"}, stores},
		{[]string{"internal/sqlstore", "sqlite", "postgres"}, append([]string{"net/http"}, adapters...)},
	} {
		for _, pkg := range rule.pkgs {
			got, ok := deps[pkg]
			if !ok {
				t.Errorf("package %q not found", pkg)
				continue
			}
			for _, f := range rule.forbid {
				if slices.Contains(got, f) {
					t.Errorf("package %q depends on %s, which docs/architecture.md forbids it", mod+"/"+pkg, f)
				}
			}
		}
	}
}
