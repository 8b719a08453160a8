package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/demo"
	"github.com/habeas-project/habeas/sqlite"
)

// A new register is encrypted under a key file made beside it, and said
// so; the key file opens it, its absence or another register's key stops
// every command with a clear error; a rotation leaves the old key unable
// to open it and the new one able to.
func TestKeyFileLifecycle(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	key := data + ".key"
	code, _, stderr := run(t, "demo", "--data", data, "--scale", "40", "--no-serve")
	if code != 0 || !strings.Contains(stderr, "made the key file "+key) {
		t.Fatalf("demo: exit %d, %q; want the key file made and said", code, stderr)
	}
	if info, err := os.Stat(key); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v", info, err)
	}
	code, stdout, stderr := run(t, "key", "status", "--data", data)
	if code != 0 || !strings.Contains(stdout, "encrypted under the key file "+key) || !strings.Contains(stdout, " 0 records and 0 changes in plain text") {
		t.Fatalf("key status: exit %d, %q %q", code, stdout, stderr)
	}

	// Another register's key, and no key at all.
	other := filepath.Join(dir, "other")
	if code, _, stderr := run(t, "demo", "--data", other, "--scale", "10", "--no-serve"); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	code, _, stderr = run(t, "history", "--data", data, "--key-file", other+".key", "per_aaaaaaaaaaaaaaaa")
	if code != 1 || !strings.Contains(stderr, "not the register's key") || strings.Contains(stderr, "internal error") {
		t.Errorf("another register's key: exit %d, %q", code, stderr)
	}
	if err := os.Rename(key, key+".away"); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = run(t, "export", "--data", data, "--out", filepath.Join(dir, "x.jsonl"))
	if code != 1 || !strings.Contains(stderr, "its key file "+key+" is missing") {
		t.Errorf("no key file: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.jsonl")); err == nil {
		t.Error("an export was written without the key")
	}
	os.Rename(key+".away", key)
	os.Chmod(key, 0o644)
	if code, _, stderr = run(t, "key", "status", "--data", data); code != 1 || !strings.Contains(stderr, "chmod 600") {
		t.Errorf("a key file others may read: exit %d, %q", code, stderr)
	}
	os.Chmod(key, 0o600)

	// Rotation.
	old, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = run(t, "key", "rotate", "--data", data)
	if code != 0 || !strings.Contains(stdout, "rewrapped") {
		t.Fatalf("rotate: exit %d, %q %q", code, stdout, stderr)
	}
	if _, err := os.Stat(key + ".new"); err == nil {
		t.Error("the new key was left beside the old name")
	}
	oldKey := filepath.Join(dir, "old.key")
	if err := os.WriteFile(oldKey, old, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr = run(t, "key", "status", "--data", data, "--key-file", oldKey); code != 1 || !strings.Contains(stderr, "not the register's key") {
		t.Errorf("the old key after rotation: exit %d, %q", code, stderr)
	}
	if code, stdout, stderr = run(t, "export", "--data", data, "--out", filepath.Join(dir, "after.jsonl")); code != 0 {
		t.Errorf("export under the new key: exit %d, %q", code, stderr)
	}
}

// With HABEAS_PASSPHRASE set, a new register is encrypted under a key
// from the passphrase; the register is then opened with it only, and
// moves to a new passphrase by rotation.
func TestPassphraseRegister(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	t.Setenv("HABEAS_PASSPHRASE", "one passphrase for the register")
	code, _, stderr := run(t, "demo", "--data", data, "--scale", "10", "--no-serve")
	if code != 0 || !strings.Contains(stderr, "HABEAS_PASSPHRASE") {
		t.Fatalf("demo: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(data + ".key"); err == nil {
		t.Error("a key file was made beside a passphrase register")
	}
	if code, stdout, _ := run(t, "key", "status", "--data", data); code != 0 || !strings.Contains(stdout, "under a passphrase") {
		t.Errorf("status: exit %d, %q", code, stdout)
	}
	t.Setenv("HABEAS_PASSPHRASE", "another passphrase entirely")
	if code, _, stderr := run(t, "key", "status", "--data", data); code != 1 || !strings.Contains(stderr, "not the register's passphrase") {
		t.Errorf("the wrong passphrase: exit %d, %q", code, stderr)
	}
	t.Setenv("HABEAS_PASSPHRASE", "")
	if code, _, stderr := run(t, "key", "status", "--data", data); code != 1 || !strings.Contains(stderr, "HABEAS_PASSPHRASE") {
		t.Errorf("no passphrase: exit %d, %q", code, stderr)
	}
	t.Setenv("HABEAS_PASSPHRASE", "one passphrase for the register")
	t.Setenv("HABEAS_NEW_PASSPHRASE", "the next passphrase, longer")
	if code, stdout, stderr := run(t, "key", "rotate", "--data", data); code != 0 || !strings.Contains(stdout, "new passphrase") {
		t.Fatalf("rotate: exit %d, %q %q", code, stdout, stderr)
	}
	if code, _, _ := run(t, "key", "status", "--data", data); code != 1 {
		t.Error("the old passphrase opens the register after rotation")
	}
	t.Setenv("HABEAS_PASSPHRASE", "the next passphrase, longer")
	if code, _, stderr := run(t, "key", "status", "--data", data); code != 0 {
		t.Errorf("the new passphrase: exit %d, %q", code, stderr)
	}
}

// A register written before encryption (here, by the demo's generator on
// a store never unlocked, as an older Habeas wrote it) is encrypted from
// the first command that opens it, but keeps its old records in plain
// text: key status counts them, and key seal seals them and compacts the
// file, after which no name of the register is in it.
func TestKeySealOldRegister(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	ctx := context.Background()
	old, err := sqlite.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Generate(habeas.WithActor(ctx, "old"), old, demo.Options{Scale: 40, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	ps, _, err := old.FindPersons(ctx, habeas.PersonFilter{Page: habeas.Page{Limit: 1}})
	if err != nil || len(ps) == 0 {
		t.Fatalf("a person: %v", err)
	}
	name := []byte(ps[0].DisplayName())
	old.Close()
	if len(findLeaks(t, []string{string(name)}, data)) == 0 {
		t.Fatal("the old register does not hold its names in plain text: the test finds nothing")
	}

	code, stdout, stderr := run(t, "key", "seal", "--data", data)
	if code != 2 || !strings.Contains(stderr, "--key-file") {
		t.Fatalf("key seal of a register with no key yet: exit %d, %q %q", code, stdout, stderr)
	}
	code, stdout, stderr = run(t, "key", "seal", "--data", data, "--key-file", data+".key")
	if code != 0 || !strings.Contains(stdout, "Sealed ") || !strings.Contains(stdout, "compacted") || !strings.Contains(stderr, "made the key file") {
		t.Fatalf("key seal: exit %d, %q %q", code, stdout, stderr)
	}
	if code, stdout, _ := run(t, "key", "status", "--data", data); code != 0 || !strings.Contains(stdout, " 0 records and 0 changes in plain text") {
		t.Errorf("key status after: %q", stdout)
	}
	if len(findLeaks(t, []string{string(name)}, data)) > 0 {
		t.Errorf("a name of the register, %q, is still in its files", name)
	}
	if code, stdout, _ := run(t, "key", "seal", "--data", data); code != 0 || !strings.Contains(stdout, "Nothing in plain text") {
		t.Errorf("a second seal: %q", stdout)
	}
	if code, stdout, _ := run(t, "history", "--data", data, ps[0].ID); code != 0 || !strings.Contains(stdout, string(name)) || strings.Contains(stdout, "WARNING") {
		t.Errorf("history after sealing: exit %d, %q", code, stdout)
	}
	// Sealing rewrote the stored states: the ledger, built over them in
	// plain text, still holds.
	if code, stdout, stderr := run(t, "ledger", "verify", "--data", data); code != 0 {
		t.Errorf("ledger verify after sealing: exit %d, %q %q", code, stdout, stderr)
	}
}
