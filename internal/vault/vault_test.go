package vault_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/habeas-project/habeas/internal/vault"
)

// A sealed value opens under its key and associated data only, and holds
// nothing of the plain text.
func TestSealOpens(t *testing.T) {
	k, other := vault.NewDataKey(), vault.NewDataKey()
	plain := []byte(`{"names":[{"text":"Ерлан Сатпаев"}]}`)
	sealed := vault.Seal(k, []byte("person:per_a"), plain)
	if bytes.Contains(sealed, []byte("Сатпаев")) || bytes.Contains(sealed, []byte("names")) {
		t.Fatal("the sealed value holds the plain text")
	}
	if got, err := vault.Open(k, []byte("person:per_a"), sealed); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open: %q, %v", got, err)
	}
	if _, err := vault.Open(other, []byte("person:per_a"), sealed); err == nil {
		t.Error("opened under another key")
	}
	if _, err := vault.Open(k, []byte("person:per_b"), sealed); err == nil {
		t.Error("opened as another record")
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := vault.Open(k, []byte("person:per_a"), sealed); err == nil {
		t.Error("opened a value changed since it was sealed")
	}
	if bytes.Equal(vault.Seal(k, nil, plain), vault.Seal(k, nil, plain)) {
		t.Error("two seals of one value are equal: the nonce is not random")
	}
}

// A data key unwraps under its master key and owner only; another master
// key is told apart by its check.
func TestWrapAndCheck(t *testing.T) {
	m, other := vault.NewMaster(), vault.NewMaster()
	dk := vault.NewDataKey()
	w := m.Wrap(dk, "per_a")
	if got, err := m.Unwrap(w, "per_a"); err != nil || got != dk {
		t.Fatalf("unwrap: %v", err)
	}
	if _, err := m.Unwrap(w, "per_b"); err == nil {
		t.Error("unwrapped for another owner")
	}
	if _, err := other.Unwrap(w, "per_a"); err == nil {
		t.Error("unwrapped under another master key")
	}
	if !m.Matches(m.Check()) || m.Matches(other.Check()) {
		t.Error("the check does not tell the keys apart")
	}
	bk := vault.NewDataKey()
	if m.Derive("a") == m.Derive("b") || vault.NewBlinder(bk, "iin").Sum("x") == vault.NewBlinder(bk, "name").Sum("x") {
		t.Error("keys of different purposes are equal")
	}
	if vault.NewBlinder(bk, "iin").Sum("880714300071") != vault.NewBlinder(bk, "iin").Sum("880714300071") {
		t.Error("a blind index is not deterministic")
	}
}

// A key file is written once, readable only by its owner, and read back;
// a file others may read, a damaged one and a missing one are clear
// errors.
func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "data.key")
	m := vault.NewMaster()
	if err := m.WriteKeyFile(path); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %#o, want 0600", info.Mode().Perm())
	}
	if err := vault.NewMaster().WriteKeyFile(path); err == nil {
		t.Error("a key file was overwritten")
	}
	got, err := vault.ReadKeyFile(path)
	if err != nil || !got.Matches(m.Check()) {
		t.Fatalf("read back: %v", err)
	}
	os.Chmod(path, 0o644)
	if _, err := vault.ReadKeyFile(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a key file others may read: %v", err)
	}
	bad := filepath.Join(dir, "bad.key")
	os.WriteFile(bad, []byte("habeas-master-key-v1 AAAA\n"), 0o600)
	if _, err := vault.ReadKeyFile(bad); err == nil {
		t.Error("a damaged key file was read")
	}
	if _, err := vault.ReadKeyFile(filepath.Join(dir, "none.key")); err == nil || !strings.Contains(err.Error(), "no key file") {
		t.Errorf("a missing key file: %v", err)
	}
}

// A passphrase gives the same key with the same salt, another with
// another salt, and a short one is refused.
func TestPassphrase(t *testing.T) {
	p := vault.Params{Time: 1, Memory: 8 * 1024, Threads: 1}
	salt := vault.NewSalt()
	a, err := vault.FromPassphrase([]byte("correct horse battery"), salt, p)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := vault.FromPassphrase([]byte("correct horse battery"), salt, p)
	c, _ := vault.FromPassphrase([]byte("correct horse battery"), vault.NewSalt(), p)
	if !a.Matches(b.Check()) || a.Matches(c.Check()) {
		t.Error("the passphrase's key does not follow the salt")
	}
	if _, err := vault.FromPassphrase([]byte("short"), salt, p); err == nil {
		t.Error("a short passphrase was taken")
	}
}
