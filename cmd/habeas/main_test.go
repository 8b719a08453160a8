package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/postgres/pgtest"
)

// run runs one command line in-process and returns its exit code and output.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	m := NewMain(&out, &errb)
	err := m.Run(context.Background(), args)
	m.Close()
	code = ExitCode(err, &errb)
	return code, out.String(), errb.String()
}

func TestDemoExportImportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	demoDir := filepath.Join(dir, "demo")
	if code, _, stderr := run(t, "demo", "--data", demoDir, "--scale", "150", "--no-serve"); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, stderr)
	}
	first := filepath.Join(dir, "first.jsonl")
	if code, _, stderr := run(t, "export", "--data", demoDir, "--out", first); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	copyDir := filepath.Join(dir, "copy")
	initRegister(t, "--data", copyDir)
	if code, _, stderr := run(t, "import", "--data", copyDir, first); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	second := filepath.Join(dir, "second.jsonl")
	if code, _, stderr := run(t, "export", "--data", copyDir, "--out", second); code != 0 {
		t.Fatalf("second export: exit %d: %s", code, stderr)
	}
	a, _ := os.ReadFile(first)
	b, _ := os.ReadFile(second)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatalf("export, import, export: %d bytes then %d bytes, want identical and non-empty", len(a), len(b))
	}

	// Running the demo again replaces its own directory with the same scenario.
	if code, _, stderr := run(t, "demo", "--data", demoDir, "--scale", "150", "--no-serve"); code != 0 {
		t.Fatalf("second demo: exit %d: %s", code, stderr)
	}
	third := filepath.Join(dir, "third.jsonl")
	run(t, "export", "--data", demoDir, "--out", third)
	c, _ := os.ReadFile(third)
	if !bytes.Equal(a, c) {
		t.Fatal("the demo is not deterministic: a second run exported different data")
	}

	// history prints every change of a record.
	line := strings.SplitN(string(a), "\n", 3)[1]
	id := between(line, `"id":"`, `"`)
	code, stdout, stderr := run(t, "history", "--data", copyDir, id)
	if code != 0 || !strings.Contains(stdout, "create") || !strings.Contains(stdout, id) ||
		!strings.Contains(stdout, "imported from file ") || !strings.Contains(stdout, "; the file says: by demo at 2022-") {
		t.Fatalf("history %s: exit %d, stdout %q, stderr %q", id, code, stdout, stderr)
	}
}

func TestDemoRefusesForeignDirectory(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "precious.txt"), []byte("not the demo's"), 0o600)
	code, _, stderr := run(t, "demo", "--data", dir, "--scale", "10", "--no-serve")
	if code != 2 || !strings.Contains(stderr, "not made by the demo") {
		t.Fatalf("demo into a foreign directory: exit %d, %q; want exit 2 and a refusal", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "precious.txt")); err != nil {
		t.Fatal("the demo deleted a file it did not make")
	}
}

// The demo builds in PostgreSQL the same scenario as in SQLite, and
// refuses a PostgreSQL register that already holds records: it never
// deletes from one.
func TestDemoPostgres(t *testing.T) {
	dsn := pgtest.Schema(t, pgtest.DSN(t))
	dir := t.TempDir()
	key := filepath.Join(dir, "pg.key") // made by the first command
	if code, _, stderr := run(t, "demo", "--db", dsn, "--key-file", key, "--scale", "60", "--no-serve"); code != 0 {
		t.Fatalf("demo --db: exit %d: %s", code, stderr)
	}
	if code, _, stderr := run(t, "demo", "--data", filepath.Join(dir, "demo"), "--scale", "60", "--no-serve"); code != 0 {
		t.Fatalf("demo --data: exit %d: %s", code, stderr)
	}
	pg, lite := filepath.Join(dir, "pg.jsonl"), filepath.Join(dir, "lite.jsonl")
	run(t, "export", "--db", dsn, "--key-file", key, "--out", pg)
	run(t, "export", "--data", filepath.Join(dir, "demo"), "--out", lite)
	a, _ := os.ReadFile(pg)
	b, _ := os.ReadFile(lite)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatalf("the demo in PostgreSQL exported %d bytes, in SQLite %d; want the same scenario", len(a), len(b))
	}
	code, _, stderr := run(t, "demo", "--db", dsn, "--key-file", key, "--scale", "60", "--no-serve")
	if code != 2 || !strings.Contains(stderr, "already holds") {
		t.Fatalf("demo into a PostgreSQL register with records: exit %d, %q; want exit 2 and a refusal", code, stderr)
	}
	again := filepath.Join(dir, "again.jsonl")
	run(t, "export", "--db", dsn, "--key-file", key, "--out", again)
	if c, _ := os.ReadFile(again); !bytes.Equal(a, c) {
		t.Fatal("the refused demo changed the PostgreSQL register")
	}
}

func TestImportInvalidExitsTwoAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"format":"habeas-export","version":1,"changes":1,"last_seq":1}`+"\n"+
		`{"seq":1,"at":"2022-01-05T10:00:00Z","actor":"x","entity":"person","id":"per_aaaaaaaaaaaaaaaa","op":"create","data":{"id":"per_aaaaaaaaaaaaaaaa","names":[],"birth":{}}}`+"\n"), 0o600)
	data := filepath.Join(dir, "data")
	initRegister(t, "--data", data)
	code, _, stderr := run(t, "import", "--data", data, bad)
	if code != 2 {
		t.Fatalf("import of an invalid file: exit %d, want 2; stderr %q", code, stderr)
	}
	if !strings.Contains(stderr, "line 2") || !strings.Contains(stderr, "names") {
		t.Fatalf("stderr %q: want the line number and the field", stderr)
	}
	out := filepath.Join(dir, "out.jsonl")
	if code, _, _ := run(t, "export", "--data", data, "--out", out); code != 0 {
		t.Fatal("export after a failed import failed")
	}
	got, _ := os.ReadFile(out)
	if n := strings.Count(string(got), "\n"); n != 1 {
		t.Fatalf("after a failed import the store holds %d changes, want 0", n-1)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"unknown command", []string{"frobnicate"}},
		{"unknown flag", []string{"serve", "--colour"}},
		{"export without --out", []string{"export", "--data", t.TempDir()}},
		{"history without id", []string{"history"}},
		{"history of a non-id", []string{"history", "--data", t.TempDir(), "bob"}},
		{"negative scale", []string{"demo", "--scale", "-1", "--data", t.TempDir()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, _, stderr := run(t, tt.args...); code != 2 {
				t.Fatalf("exit %d, want 2 (stderr %q)", code, stderr)
			}
		})
	}
}

func between(s, start, end string) string {
	_, after, _ := strings.Cut(s, start)
	v, _, _ := strings.Cut(after, end)
	return v
}

// openRegister opens a register as the commands do (storeFlags, with
// --data or --db and the key), encrypted under its key, which is made if
// the register is new.
// initRegister makes a new register with habeas init, args naming it.
func initRegister(t *testing.T, args ...string) {
	t.Helper()
	if code, _, stderr := run(t, append([]string{"init"}, args...)...); code != 0 {
		t.Fatalf("init %v: exit %d, %s", args, code, stderr)
	}
}

func openRegister(t testing.TB, f storeFlags) *sqlstore.DB {
	t.Helper()
	m := NewMain(io.Discard, io.Discard)
	f.create = true // a test's register, made if new
	db, err := m.open(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// A mistyped --data or a database that holds no register is refused by
// every command but demo, init, serve --init and restore (exit 2, with a
// hint), and nothing is made there; init makes one, and leaves an
// existing one as it is.
func TestNoSilentEmptyRegister(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "habeas-dmeo")
	in := filepath.Join(dir, "in.jsonl")
	os.WriteFile(in, []byte(`{"format":"habeas-export","version":3,"changes":0,"last_seq":0}`+"\n"), 0o600)
	for _, args := range [][]string{
		{"export", "--out", filepath.Join(dir, "x.jsonl")},
		{"alerts"},
		{"user", "list"},
		{"ledger", "verify"},
		{"history", "per_aaaaaaaaaaaaaaaa"},
		{"evidence", "list", "--case", "det_aaaaaaaaaaaaaaaa"},
		{"import", in},
		{"serve", "--addr", "127.0.0.1:0"},
	} {
		code, _, stderr := run(t, append(args, "--data", typo)...)
		if code != 2 || !strings.Contains(stderr, typo+" holds no register") || !strings.Contains(stderr, "habeas init --data "+typo) {
			t.Errorf("%v on a mistyped directory: exit %d, %q", args, code, stderr)
		}
	}
	if _, err := os.Stat(typo); !os.IsNotExist(err) {
		t.Fatalf("a refused command made %s: %v", typo, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.jsonl")); !os.IsNotExist(err) {
		t.Fatal("a refused export wrote its file")
	}
	if code, stdout, _ := run(t, "init", "--data", typo); code != 0 || !strings.Contains(stdout, "Made a new register") {
		t.Fatalf("init: exit %d, %q", code, stdout)
	}
	if code, stdout, _ := run(t, "init", "--data", typo); code != 0 || !strings.Contains(stdout, "holds a register already") {
		t.Errorf("init again: exit %d, %q", code, stdout)
	}
	if code, _, stderr := run(t, "alerts", "--data", typo); code != 0 {
		t.Errorf("alerts on the new register: exit %d, %q", code, stderr)
	}
	if os.Getenv("HABEAS_TEST_POSTGRES") != "" || os.Getenv("CI") == "true" {
		dsn := pgtest.Schema(t, pgtest.DSN(t))
		if code, _, stderr := run(t, "alerts", "--db", dsn); code != 2 || !strings.Contains(stderr, "PostgreSQL holds no register") {
			t.Errorf("alerts on an empty database: exit %d, %q", code, stderr)
		}
		if code, _, stderr := run(t, "init", "--db", dsn, "--key-file", filepath.Join(dir, "pg.key")); code != 0 {
			t.Fatalf("init --db: %q", stderr)
		}
		if code, _, stderr := run(t, "alerts", "--db", dsn, "--key-file", filepath.Join(dir, "pg.key")); code != 0 {
			t.Errorf("alerts on the new database: exit %d, %q", code, stderr)
		}
	}
}

// The store comes from HABEAS_DATA or HABEAS_DB when no flag names it,
// and a flag wins; a password in a --db flag is warned of, one in
// HABEAS_DB is not.
func TestStoreFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	initRegister(t, "--data", a)
	t.Setenv("HABEAS_DATA", a)
	if code, stdout, stderr := run(t, "init"); code != 0 || !strings.Contains(stdout, a+" holds a register already") {
		t.Errorf("init with HABEAS_DATA: exit %d, %q, %q", code, stdout, stderr)
	}
	if code, stdout, _ := run(t, "init", "--data", b); code != 0 || !strings.Contains(stdout, "Made a new register in "+b) {
		t.Errorf("a flag over HABEAS_DATA: exit %d, %q", code, stdout)
	}
	for dsn, want := range map[string]bool{
		"postgres://u:secret@127.0.0.1:1/x":         true,
		"host=127.0.0.1 user=u password=secret":     true,
		"postgres://127.0.0.1/x?password=secret":    true,
		"postgres://u@127.0.0.1:5432/test":          false,
		"host=127.0.0.1 user=u dbname=x sslmode=no": false,
	} {
		if got := dsnHasPassword(dsn); got != want {
			t.Errorf("dsnHasPassword(%q) = %v", dsn, got)
		}
	}
	t.Setenv("HABEAS_DATA", "")
	_, _, stderr := run(t, "alerts", "--db", "postgres://u:secret@127.0.0.1:1/x")
	if !strings.Contains(stderr, "holds a password") {
		t.Errorf("a password in --db is not warned of: %q", stderr)
	}
	t.Setenv("HABEAS_DB", "postgres://u:secret@127.0.0.1:1/x")
	if _, _, stderr := run(t, "alerts"); strings.Contains(stderr, "holds a password") {
		t.Errorf("a password in HABEAS_DB is warned of: %q", stderr)
	}
}

// An import into a register that holds the same records prints each
// problem once, the first 50, then how many more, then its summary, and
// imports nothing (exit 2).
func TestImportProblemsOnceAndCapped(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "demo")
	if code, _, stderr := run(t, "demo", "--data", data, "--scale", "60", "--no-serve"); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	file := filepath.Join(dir, "x.jsonl")
	if code, _, stderr := run(t, "export", "--data", data, "--out", file); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	before, _, _ := registerState(t, data)
	code, _, stderr := run(t, "import", "--data", data, file)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if code != 2 || len(lines) != 52 || !strings.Contains(lines[50], "more problems") ||
		!strings.HasSuffix(lines[51], "problems; nothing was imported") || strings.Count(stderr, "line 2:") != 1 {
		t.Errorf("import into the same register: exit %d, %d lines:\n%s", code, len(lines), stderr)
	}
	if after, _, _ := registerState(t, data); after != before {
		t.Errorf("a refused import changed the register: %d, then %d", before, after)
	}
}

// A configuration file (HABEAS_CONFIG) fills the environment's settings
// the environment leaves unset, and flags win over both; a name it does
// not know, and a secret in a file others may read, are refused (exit 2).
func TestConfigFile(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	initRegister(t, "--data", a)
	for _, name := range []string{"HABEAS_DATA", "HABEAS_METRICS_TOKEN"} {
		t.Setenv(name, "") // restored after the test
		os.Unsetenv(name)
	}
	conf := filepath.Join(dir, "habeas.conf")
	os.WriteFile(conf, []byte("# the register\nHABEAS_DATA = "+a+"\n\n"), 0o644)
	t.Setenv("HABEAS_CONFIG", conf)
	if code, stdout, stderr := run(t, "init"); code != 0 || !strings.Contains(stdout, a+" holds a register already") {
		t.Errorf("init with the file's HABEAS_DATA: exit %d, %q, %q", code, stdout, stderr)
	}
	if code, stdout, _ := run(t, "init", "--data", b); code != 0 || !strings.Contains(stdout, "Made a new register in "+b) {
		t.Errorf("a flag over the file: exit %d, %q", code, stdout)
	}
	os.WriteFile(conf, []byte("HABEAS_DTA="+a+"\n"), 0o600)
	if code, _, stderr := run(t, "alerts"); code != 2 || !strings.Contains(stderr, "HABEAS_DTA is not a setting") {
		t.Errorf("a misspelt setting: exit %d, %q", code, stderr)
	}
	os.WriteFile(conf, []byte("HABEAS_METRICS_TOKEN=s3cret\n"), 0o644)
	if code, _, stderr := run(t, "alerts", "--data", a); code != 2 || !strings.Contains(stderr, "chmod 600") {
		t.Errorf("a secret others may read: exit %d, %q", code, stderr)
	}
}

// A data directory that cannot be written, or a full disk, is said
// plainly when a command opens the register.
func TestOpenProblems(t *testing.T) {
	f := storeFlags{data: "/srv/habeas"}
	for err, want := range map[error]string{
		fmt.Errorf("migration 001: %w", errors.New("attempt to write a readonly database (8)")): "cannot be written (a read-only file system",
		&os.PathError{Op: "open", Path: "/srv/habeas/habeas.db", Err: syscall.EROFS}:            "cannot be written",
		&os.PathError{Op: "open", Path: "/srv/habeas/habeas.db", Err: syscall.EACCES}:           "run as the user that owns it",
		fmt.Errorf("commit: %w", &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}):    "the disk of /srv/habeas is full",
		errors.New("connection refused"): "open store: connection refused",
	} {
		if got := openProblem(f, err); !strings.Contains(got.Error(), want) {
			t.Errorf("%v: %v, want %q", err, got, want)
		}
	}
	var ue usageError
	if !errors.As(openProblem(f, &os.PathError{Op: "open", Path: "x", Err: syscall.EROFS}), &ue) {
		t.Error("a read-only data directory is not a usage error (exit 2)")
	}
}
