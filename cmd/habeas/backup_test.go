package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas/postgres/pgtest"
)

// The restore drill: a register with an account and an evidence file is
// backed up, encrypted to a recovery recipient, and restored into a new
// data directory (and into PostgreSQL): its export is the original's,
// byte for byte, its accounts are there, its file reads back, its ledger
// holds. A restore into a directory in use, with the wrong identity, of
// a file that is not a backup or of one cut short, restores nothing.
func TestBackupRestoreDrill(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "demo")
	if code, _, stderr := run(t, "demo", "--data", data, "--scale", "60", "--no-serve"); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	if code, _, stderr := runIn(t, "a long enough passphrase\n", "user", "add", "chief", "--role", "admin", "--password-stdin", "--data", data); code != 0 {
		t.Fatalf("user add: %s", stderr)
	}
	db := openRegister(t, storeFlags{data: data})
	ps, err := db.ListUsers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var person string
	db.SQL().QueryRow(`SELECT id FROM entities WHERE kind = 'person' LIMIT 1`).Scan(&person)
	db.Close()
	photo := filepath.Join(dir, "photo.png")
	os.WriteFile(photo, append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("pixels"), 1000)...), 0o600)
	if code, _, stderr := run(t, "evidence", "add", "--data", data, "--case", person, photo); code != 0 {
		t.Fatalf("evidence add: %s", stderr)
	}

	identity, recipient := ageKey(t)
	backup := filepath.Join(dir, "register.backup")
	if code, _, stderr := run(t, "backup", "--data", data, "--out", backup); code != 2 || !strings.Contains(stderr, "recovery recipients") {
		t.Errorf("a backup to no one: exit %d, %q", code, stderr)
	}
	code, stdout, stderr := run(t, "backup", "--data", data, "--out", backup, "--to", recipient)
	if code != 0 || !strings.Contains(stdout, "2 key files") {
		t.Fatalf("backup: exit %d, %q, %q", code, stdout, stderr)
	}
	if info, err := os.Stat(backup); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the backup file: %v, %v", info, err)
	}
	raw, _ := os.ReadFile(backup)
	if bytes.Contains(raw, []byte("habeas-backup")) || bytes.Contains(raw, []byte("chief")) {
		t.Error("the backup is not encrypted")
	}

	restored := filepath.Join(dir, "restored")
	code, stdout, stderr = run(t, "restore", "--from", backup, "--identity", identity, "--data", restored)
	if code != 0 || !strings.Contains(stdout, "The ledger holds") {
		t.Fatalf("restore: exit %d, %q, %q", code, stdout, stderr)
	}
	exportOf := func(args ...string) []byte {
		t.Helper()
		out := filepath.Join(t.TempDir(), "x.jsonl")
		if code, _, stderr := run(t, append([]string{"export", "--out", out}, args...)...); code != 0 {
			t.Fatalf("export %v: %s", args, stderr)
		}
		b, _ := os.ReadFile(out)
		return b
	}
	if a, b := exportOf("--data", data), exportOf("--data", restored); !bytes.Equal(a, b) {
		t.Error("the restored register's export is not the original's")
	}
	rdb := openRegister(t, storeFlags{data: restored})
	us, err := rdb.ListUsers(t.Context())
	rdb.Close()
	if err != nil || len(us) != len(ps) || us[0].Name != ps[0].Name || us[0].PasswordHash != ps[0].PasswordHash {
		t.Errorf("the restored accounts: %v, %v", us, err)
	}
	var evd string
	if code, stdout, _ := run(t, "evidence", "list", "--data", restored, "--case", person); code == 0 {
		evd, _, _ = strings.Cut(strings.TrimSpace(stdout), " ")
	}
	got := filepath.Join(dir, "got.png")
	if code, _, stderr := run(t, "evidence", "get", evd, "--out", got, "--data", restored); code != 0 {
		t.Errorf("the restored file: %s", stderr)
	} else if b, _ := os.ReadFile(got); !bytes.Equal(b, func() []byte { b, _ := os.ReadFile(photo); return b }()) {
		t.Error("the restored file is another")
	}
	// Refused over an existing file, the export is not recorded.
	_, before, _ := run(t, "evidence", "list", "--data", restored, "--case", person)
	if code, _, _ := run(t, "evidence", "get", evd, "--out", got, "--data", restored); code != 2 {
		t.Errorf("evidence get over an existing file: exit %d", code)
	}
	if _, after, _ := run(t, "evidence", "list", "--data", restored, "--case", person); strings.Count(after, "exported") != strings.Count(before, "exported") {
		t.Error("a refused evidence get was recorded as an export")
	}

	// Refused, and nothing left behind.
	other, _ := ageKey(t)
	cut := filepath.Join(dir, "cut.backup")
	os.WriteFile(cut, raw[:len(raw)/2], 0o600)
	plain := filepath.Join(dir, "plain.jsonl")
	os.WriteFile(plain, []byte("{}\n"), 0o600)
	for what, args := range map[string][]string{
		"into a directory in use": {"--from", backup, "--identity", identity, "--data", restored},
		"with the wrong identity": {"--from", backup, "--identity", other, "--data", filepath.Join(dir, "r2")},
		"of a file not a backup":  {"--from", plain, "--identity", identity, "--data", filepath.Join(dir, "r3")},
		"of a backup cut short":   {"--from", cut, "--identity", identity, "--data", filepath.Join(dir, "r4")},
	} {
		code, _, stderr := run(t, append([]string{"restore"}, args...)...)
		if code == 0 {
			t.Errorf("a restore %s: exit 0", what)
		}
		t.Logf("a restore %s: exit %d, %s", what, code, strings.TrimSpace(stderr))
	}
	for _, p := range []string{"r2", "r3", "r4", "r4.key", "r4.ledger.key"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("a refused restore left %s", p)
		}
	}

	if os.Getenv("HABEAS_TEST_POSTGRES") != "" || os.Getenv("CI") == "true" {
		dsn := pgtest.Schema(t, pgtest.DSN(t))
		key := filepath.Join(dir, "pg.key")
		if code, stdout, stderr := run(t, "restore", "--from", backup, "--identity", identity, "--db", dsn, "--key-file", key); code != 0 {
			t.Fatalf("restore into PostgreSQL: exit %d, %q, %q", code, stdout, stderr)
		}
		if a, b := exportOf("--data", data), exportOf("--db", dsn, "--key-file", key); !bytes.Equal(a, b) {
			t.Error("the register restored into PostgreSQL exports otherwise")
		}
	}
}

// Scheduled backups come one every interval, the first at once, named by
// their time; the newest --backup-keep stay, and a failed one deletes
// none.
func TestScheduledBackups(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	clock := time.Date(2026, 12, 8, 6, 0, 0, 0, time.UTC)
	now := func() time.Time { clock = clock.Add(6 * time.Hour); return clock }
	var n int
	done := make(chan struct{})
	go func() {
		defer close(done)
		scheduleBackups(ctx, time.Millisecond, 3, dir, slog.New(slog.DiscardHandler), now, func(path string) error {
			n++
			if n == 6 {
				return errors.New("the disk is full")
			}
			if n == 7 {
				cancel()
			}
			return os.WriteFile(path, []byte("backup"), 0o600)
		})
	}()
	<-done
	names, _ := filepath.Glob(filepath.Join(dir, "*"))
	var base []string
	for _, name := range names {
		base = append(base, filepath.Base(name))
	}
	want := []string{"habeas-20261209T060000Z.backup", "habeas-20261209T120000Z.backup", "habeas-20261210T000000Z.backup"} // the 6th, 09T18, failed
	if n != 7 || !slices.Equal(base, want) {
		t.Errorf("after %d backups (the 6th failed) the directory holds %v, want %v", n, base, want)
	}
}
