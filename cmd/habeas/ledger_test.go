package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
)

// The ledger as a new user meets it: the demo makes the ledger key beside
// the key file and signs a checkpoint; ledger verify says the ledger
// holds; ledger checkpoint prints a signed note, which a later verify
// --against proves the log extends; a change rewritten with sqlite3 is
// named by verify (exit 1), and serve refuses the register.
func TestLedgerCommands(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "demo")
	code, _, stderr := run(t, "demo", "--data", data, "--scale", "60", "--no-serve")
	if code != 0 || !strings.Contains(stderr, "made the ledger key "+data+".ledger.key") {
		t.Fatalf("demo: exit %d, %q", code, stderr)
	}
	if info, err := os.Stat(data + ".ledger.key"); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the ledger key file: %v, %v", info, err)
	}
	code, stdout, stderr := run(t, "ledger", "verify", "--data", data)
	if code != 0 || !strings.Contains(stdout, "The ledger holds") || !strings.Contains(stdout, "1 signed checkpoints") {
		t.Fatalf("verify: exit %d, %q, %q", code, stdout, stderr)
	}
	code, stdout, _ = run(t, "ledger", "checkpoint", "--data", data)
	if code != 0 || !strings.HasPrefix(stdout, "habeas-register-") || !strings.Contains(stdout, "\n— habeas-register-") {
		t.Fatalf("checkpoint: exit %d, %q", code, stdout)
	}
	published := filepath.Join(dir, "published.txt")
	if err := os.WriteFile(published, []byte(stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	// More changes, then the proof that the log extends what was published.
	db := openRegister(t, storeFlags{data: data})
	ps, _, err := db.FindPersons(context.Background(), habeas.PersonFilter{Page: habeas.Page{Limit: 1}})
	if err != nil || len(ps) == 0 {
		t.Fatalf("a person: %v", err)
	}
	db.Close()
	if code, _, stderr := run(t, "erase", ps[0].ID, "--reason", "test", "--yes", "--data", data); code != 0 {
		t.Fatalf("erase: %q", stderr)
	}
	code, stdout, stderr = run(t, "ledger", "verify", "--data", data, "--against", published)
	if code != 0 || !strings.Contains(stdout, "It extends the checkpoint") {
		t.Fatalf("verify --against: exit %d, %q, %q", code, stdout, stderr)
	}

	db = openRegister(t, storeFlags{data: data})
	if _, err := db.SQL().Exec(`UPDATE changes SET actor = 'forger' WHERE seq = 40`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, _, stderr = run(t, "ledger", "verify", "--data", data)
	if code != 1 || !strings.Contains(stderr, "change 40: is not the change the ledger recorded") {
		t.Errorf("verify after tampering: exit %d, %q", code, stderr)
	}
	db = openRegister(t, storeFlags{data: data})
	var id string
	if err := db.SQL().QueryRow(`SELECT entity_id FROM changes WHERE seq = 40`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if code, stdout, _ := run(t, "history", "--data", data, id); code != 0 || !strings.Contains(stdout, "\n    WARNING: the ledger does not vouch") {
		t.Errorf("history of the changed record: exit %d, %q", code, stdout)
	}
	code, _, stderr = run(t, "serve", "--data", data, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(stderr, "the ledger does not hold") {
		t.Errorf("serve of a tampered register: exit %d, %q", code, stderr)
	}
}

// export --sign signs with the register's ledger key; import says whose
// the file is, and refuses it if a byte changed.
func TestSignedExportCommands(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "demo")
	if code, _, stderr := run(t, "demo", "--data", data, "--scale", "40", "--no-serve"); code != 0 {
		t.Fatalf("demo: %q", stderr)
	}
	file := filepath.Join(dir, "signed.jsonl")
	code, _, stderr := run(t, "export", "--data", data, "--out", file, "--sign")
	if code != 0 || !strings.Contains(stderr, "the export is signed by habeas-register-") {
		t.Fatalf("export --sign: exit %d, %q", code, stderr)
	}
	initRegister(t, "--data", filepath.Join(dir, "other"))
	code, _, stderr = run(t, "import", "--data", filepath.Join(dir, "other"), file)
	if code != 0 || !strings.Contains(stderr, "signed.jsonl is signed by habeas-register-") || !strings.Contains(stderr, "and whole") {
		t.Fatalf("import of a signed export: exit %d, %q", code, stderr)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(b), `"actor":"demo"`) + len(`"actor":"`)
	b[i] = 'D' // "Demo": another actor
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	initRegister(t, "--data", filepath.Join(dir, "third"))
	code, _, stderr = run(t, "import", "--data", filepath.Join(dir, "third"), file)
	if code != 2 || !strings.Contains(stderr, "changed after it was signed") {
		t.Errorf("import of a signed export changed since: exit %d, %q", code, stderr)
	}
}
