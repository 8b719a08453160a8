package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
)

// runIn runs the program with stdin as its standard input.
func runIn(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	m := NewMain(&out, &errb)
	m.Stdin = strings.NewReader(stdin)
	err := m.Run(context.Background(), args)
	m.Close()
	code = ExitCode(err, &errb)
	return code, out.String(), errb.String()
}

// TestUserCommands goes through an install's accounts as an administrator
// would: the first admin from the command line, a caseworker with a
// generated password written to a file of mode 0600, list, set-role,
// disable, enable and reset; and what is refused, with exit 2 for bad
// input: a weak password, an unknown role, a generated password with
// nowhere safe to go, the last administrator disabled.
func TestUserCommands(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	initRegister(t, "--data", data)
	ok := func(stdin string, args ...string) string {
		t.Helper()
		code, stdout, stderr := runIn(t, stdin, append(args, "--data", data)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		return stdout
	}
	refused := func(want int, stdin, msg string, args ...string) {
		t.Helper()
		code, stdout, stderr := runIn(t, stdin, append(args, "--data", data)...)
		if code != want || !strings.Contains(stderr, msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d saying %q", args, code, stderr, want, msg)
		}
		if strings.Contains(stdout, "assword:") {
			t.Errorf("%v printed a password: %q", args, stdout)
		}
	}

	ok("a long enough passphrase\n", "user", "add", "chief", "--role", "admin", "--password-stdin")
	refused(2, "short\n", "at least 12", "user", "add", "bea", "--role", "caseworker", "--password-stdin")
	refused(2, "qwertyuiop123\n", "attackers try first", "user", "add", "bea", "--role", "caseworker", "--password-stdin")
	refused(2, "", `"king"`, "user", "add", "bea", "--role", "king", "--password-file", filepath.Join(dir, "never"))
	refused(2, "", "not a terminal", "user", "add", "bea", "--role", "caseworker")
	refused(1, "", "last enabled administrator", "user", "disable", "chief")
	refused(1, "", "last enabled administrator", "user", "set-role", "chief", "viewer")

	file := filepath.Join(dir, "bea-password")
	out := ok("", "user", "add", "bea", "--role", "caseworker", "--password-file", file)
	if strings.Contains(out, "-") && !strings.Contains(out, file) {
		t.Errorf("add printed %q", out)
	}
	st, err := os.Stat(file)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("the password file: %v, mode %v; want mode 0600", err, st.Mode().Perm())
	}
	b, _ := os.ReadFile(file)
	if p := strings.TrimSpace(string(b)); len(p) < 12 || strings.Contains(out, p) {
		t.Fatalf("generated password %q, printed %q", p, out)
	}
	refused(2, "", "file exists", "user", "reset-password", "bea", "--password-file", file)

	ok("", "user", "set-role", "bea", "coordinator")
	ok("", "user", "disable", "bea")
	list := ok("", "user", "list")
	for _, want := range []string{"NAME", "chief", "admin", "enabled", "bea", "coordinator", "disabled"} {
		if !strings.Contains(list, want) {
			t.Errorf("user list lacks %q:\n%s", want, list)
		}
	}
	ok("", "user", "enable", "bea")
	ok("a new long passphrase\n", "user", "reset-password", "bea", "--password-stdin")
	refused(1, "", "not found", "user", "enable", "nobody")
	if out := ok("", "user", "sessions", "bea"); !strings.HasPrefix(out, "SESSION") {
		t.Errorf("user sessions: %q", out)
	}
	if out := ok("", "user", "sign-out", "bea"); !strings.Contains(out, "Ended 0 session(s) of bea") {
		t.Errorf("user sign-out: %q", out)
	}
	refused(1, "", "not found", "user", "sign-out", "nobody")
	if out := ok("", "user", "reset-2fa", "bea"); !strings.Contains(out, "Removed the second factor of bea") {
		t.Errorf("user reset-2fa: %q", out)
	}
	refused(1, "", "not found", "user", "reset-2fa", "nobody")
}

// TestUserLawyerAndGrants goes through the lawyer link and the grants
// from the command line: an account linked to a lawyer record of the
// register at creation or after, unlinked, a lawyer's account without a
// link warned about, a grant given and withdrawn, and list showing both;
// refused with exit 2: a link for another role, to a lawyer not in the
// register or deleted from it, a grant of no name.
func TestUserLawyerAndGrants(t *testing.T) {
	ctx := context.Background()
	data := filepath.Join(t.TempDir(), "data")
	db := openRegister(t, storeFlags{data: data})
	dana, gone := &habeas.Lawyer{Name: "Dana Sadykova", Active: true}, &habeas.Lawyer{Name: "Erlan Old", Active: false}
	for _, l := range []*habeas.Lawyer{dana, gone} {
		if err := db.Create(habeas.WithActor(ctx, "tester"), l); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Delete(habeas.WithActor(ctx, "tester"), habeas.KindLawyer, gone.ID); err != nil {
		t.Fatal(err)
	}
	db.Close()
	unknown := habeas.NewID(habeas.KindLawyer)
	const password = "a long enough passphrase\n"

	steps := []struct {
		name   string
		args   []string
		code   int
		stdout string // in standard output
		stderr string // in standard error; "" for none
	}{
		{"add a linked lawyer with the grant", []string{"add", "lena", "--role", "lawyer", "--lawyer", dana.ID, "--restricted", "--password-stdin"},
			0, "Created lena (lawyer)", ""},
		{"add a lawyer unlinked", []string{"add", "omar", "--role", "lawyer", "--password-stdin"},
			0, "Created omar (lawyer)", "omar is linked to no lawyer record and reads no case until linked"},
		{"add a caseworker linked", []string{"add", "bea", "--role", "caseworker", "--lawyer", dana.ID, "--password-stdin"},
			2, "", "lawyer_id: links only an account of role lawyer, not caseworker"},
		{"add a lawyer linked to no lawyer", []string{"add", "bea", "--role", "lawyer", "--lawyer", unknown, "--password-stdin"},
			2, "", "lawyer_id: " + unknown + " is not a lawyer in the register"},
		{"add a lawyer linked to a person", []string{"add", "bea", "--role", "lawyer", "--lawyer", "per_x", "--password-stdin"},
			2, "", `lawyer_id: "per_x" is not a lawyer identifier`},
		{"add a viewer with the grant", []string{"add", "vic", "--role", "viewer", "--restricted", "--password-stdin"}, 0, "Created vic (viewer)", ""},
		{"set-lawyer", []string{"set-lawyer", "omar", dana.ID}, 0, "omar now acts as " + dana.ID + " (Dana Sadykova); its sessions are ended", ""},
		{"set-lawyer deleted", []string{"set-lawyer", "omar", gone.ID}, 2, "", gone.ID + " is not a lawyer in the register"},
		{"set-lawyer of a viewer", []string{"set-lawyer", "vic", dana.ID}, 2, "", "links only an account of role lawyer, not viewer"},
		{"set-lawyer of nobody", []string{"set-lawyer", "nobody", dana.ID}, 1, "", "user nobody not found"},
		{"set-lawyer without a lawyer", []string{"set-lawyer", "omar"}, 2, "", "give the lawyer record (LAWYER-ID), or --none to unlink"},
		{"set-lawyer both", []string{"set-lawyer", "omar", dana.ID, "--none"}, 2, "", "give LAWYER-ID or --none, not both"},
		{"set-lawyer --none", []string{"set-lawyer", "lena", "--none"}, 0, "lena is linked to no lawyer record", "lena is linked to no lawyer record and reads no case"},
		{"set-lawyer empty", []string{"set-lawyer", "omar", ""}, 0, "omar is linked to no lawyer record", "reads no case until linked"},
		{"set-lawyer again", []string{"set-lawyer", "lena", dana.ID}, 0, "lena now acts as", ""},
		{"grant", []string{"grant", "omar", "restricted"}, 0, "Granted restricted to omar; its sessions are ended", ""},
		{"revoke", []string{"revoke", "vic", "restricted"}, 0, "Revoked restricted from vic; its sessions are ended", ""},
		{"grant of no name", []string{"grant", "omar", "everything"}, 2, "", `grant: "everything" is not one of restricted`},
		{"grant to nobody", []string{"grant", "nobody", "restricted"}, 1, "", "user nobody not found"},
	}
	for _, tt := range steps {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runIn(t, password, append(append([]string{"user"}, tt.args...), "--data", data)...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) || (tt.stderr == "" && stderr != "") {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, %q in stdout, %q in stderr", code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
			}
		})
	}

	code, list, stderr := runIn(t, "", "user", "list", "--data", data)
	if code != 0 {
		t.Fatalf("list: exit %d: %s", code, stderr)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(list, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			rows[f[0]] = line
		}
	}
	for name, want := range map[string][]string{
		"NAME": {"LAWYER", "GRANTS"},
		"lena": {dana.ID + " (Dana Sadykova)", "restricted"},
		"omar": {"lawyer  ", " - ", "restricted"},
		"vic":  {"viewer", " -  "},
	} {
		for _, w := range want {
			if !strings.Contains(rows[name], w) {
				t.Errorf("user list: the row of %s lacks %q:\n%s", name, w, list)
			}
		}
	}
	if strings.Contains(rows["vic"], "restricted") {
		t.Errorf("user list: vic's grant is not withdrawn:\n%s", list)
	}
}
