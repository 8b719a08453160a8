package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The binary links no test code: package testing registers its flags and
// brings test helpers (a PostgreSQL schema maker, say) into production.
// Helpers for tests live in packages of their own (postgres/pgtest,
// storetest) that only tests import.
func TestBinaryLinksNoTesting(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		ours := strings.HasPrefix(pkg, "github.com/habeas-project/habeas/")
		if pkg == "testing" || strings.HasPrefix(pkg, "testing/") || ours && strings.HasSuffix(pkg, "test") {
			t.Errorf("the binary depends on %s", pkg)
		}
	}
}
