package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
