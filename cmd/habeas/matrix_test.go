package main

import (
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// cliAccess is the command line's row of the access matrix (issue 12).
// The command line runs on the server itself, with the data directory or
// the database's DSN: whoever can run it there already holds the whole
// register, so it acts as the system (casework.System, an administrator)
// and has no roles of its own. What the matrix records is which commands
// read personal data, so that docs/security.md lists them and a new
// command must be placed here to build: "personal" reads names,
// contacts or accounts of persons; "accounts" manages sign-in; "none"
// reads none.
var cliAccess = map[string]string{
	"serve":               "personal", // serves it to those who sign in
	"demo":                "none",     // writes synthetic data
	"alerts":              "personal",
	"export":              "personal",
	"import":              "personal",
	"history":             "personal",
	"link":                "personal",
	"match":               "personal",
	"user add":            "accounts",
	"user list":           "accounts",
	"user disable":        "accounts",
	"user enable":         "accounts",
	"user set-role":       "accounts",
	"user set-lawyer":     "accounts", // and the linked lawyer's name
	"user grant":          "accounts",
	"user revoke":         "accounts",
	"user reset-password": "accounts",
	"user sessions":       "accounts",
	"user sign-out":       "accounts",
	"user reset-2fa":      "accounts",
	"key status":          "none", // how the register is encrypted
	"key rotate":          "none", // rewraps keys; reads no record
	"erase":               "none", // erases a person; prints identifiers only
	"key seal":            "none", // seals what was in plain text; reads no record out
	"ledger verify":       "none", // hashes; reads no record out
	"ledger checkpoint":   "none",
	"evidence add":        "none",     // keeps a file; prints its identifier and hash
	"evidence list":       "personal", // titles and file names
	"evidence get":        "personal", // writes the file out
	"evidence transfer":   "none",
	"bundle":              "personal", // writes a case out whole
	"verify-bundle":       "none",     // reads a bundle, not the register
	"init":                "none",
	"backup":              "none", // writes the register encrypted to its recovery recipients; reads nothing out in the clear
	"restore":             "none",
}

// TestCLIAccessMatrix fails when a command is not in cliAccess, or
// cliAccess names one that does not exist.
func TestCLIAccessMatrix(t *testing.T) {
	m := NewMain(io.Discard, io.Discard)
	seen := map[string]bool{}
	var walk func(prefix string, cs []*cobra.Command)
	walk = func(prefix string, cs []*cobra.Command) {
		for _, c := range cs {
			name := strings.TrimSpace(prefix + " " + c.Name())
			if c.HasSubCommands() {
				walk(name, c.Commands())
				continue
			}
			seen[name] = true
			if _, ok := cliAccess[name]; !ok {
				t.Errorf("habeas %s is not in the access matrix (cliAccess): say whether it reads personal data", name)
			}
		}
	}
	walk("", m.commands())
	for name := range cliAccess {
		if !seen[name] {
			t.Errorf("cliAccess names habeas %s, which does not exist", name)
		}
	}
}
