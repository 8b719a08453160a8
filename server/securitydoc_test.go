package server_test

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/web/webtest"
)

var update = flag.Bool("update", false, "rewrite the generated tables of docs/security.md")

const (
	accessStart = "<!-- access tables: generated from the authorization table and the casework grants by `go test ./server -run TestSecurityDoc -update`; do not edit by hand -->"
	accessEnd   = "<!-- end of the generated access tables -->"
)

// TestSecurityDoc fails if the tables of docs/security.md are not what
// the authorization table and the casework layer's grants say.
func TestSecurityDoc(t *testing.T) {
	data, err := os.ReadFile("../docs/security.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	before, rest, ok1 := strings.Cut(doc, accessStart)
	_, after, ok2 := strings.Cut(rest, accessEnd)
	if !ok1 || !ok2 {
		t.Fatal("docs/security.md lacks the markers of the generated tables")
	}
	want := before + accessStart + "\n" + accessTables(t) + accessEnd + after
	if *update {
		if err := os.WriteFile("../docs/security.md", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if doc != want {
		t.Error("the access tables of docs/security.md are stale; run go test ./server -run TestSecurityDoc -update")
	}
}

func accessTables(t *testing.T) string {
	var b strings.Builder
	b.WriteString("\nWhat each role's operations may do in the casework layer, whichever route or command they come by:\n\n")
	b.WriteString("| role |")
	for _, n := range casework.Needs() {
		fmt.Fprintf(&b, " %s |", n)
	}
	b.WriteString("\n| --- |" + strings.Repeat(" :-: |", len(casework.Needs())) + "\n")
	for _, r := range habeas.Roles {
		fmt.Fprintf(&b, "| %s |", r)
		for _, n := range casework.Needs() {
			mark := ""
			if casework.Allows(r, n) {
				mark = "✔"
			}
			fmt.Fprintf(&b, " %s |", mark)
		}
		b.WriteString("\n")
	}
	env := webtest.New(t)
	patterns := env.Server.Patterns()
	table := server.DefaultAuthorization()
	names := make([]string, 0, len(patterns))
	for n := range patterns {
		names = append(names, n)
	}
	slices.Sort(names)
	b.WriteString("\nWho may use each route (the authorization table in `server/authorization.go`; `anonymous`: no sign-in):\n\n")
	b.WriteString("| route | request | roles |\n| --- | --- | --- |\n")
	for _, n := range names {
		roles := make([]string, len(table[n]))
		for i, r := range table[n] {
			roles[i] = string(r)
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s |\n", n, patterns[n], strings.Join(roles, ", "))
	}
	b.WriteString("\n")
	return b.String()
}
