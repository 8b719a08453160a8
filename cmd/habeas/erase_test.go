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

// habeas erase, as an administrator on the server uses it: it asks for a
// reason and a confirmation, erases, says what it kept; history shows the
// erasure and no earlier state; --list shows it; an export carries it to
// another register, and the round trip is exact.
func TestEraseCommand(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "demo")
	if code, _, stderr := run(t, "demo", "--data", data, "--scale", "120", "--no-serve"); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, stderr)
	}
	db := openRegister(t, storeFlags{data: data})
	ds, _, err := db.FindDetentions(context.Background(), habeas.DetentionFilter{Page: habeas.Page{Limit: 1}})
	if err != nil || len(ds) == 0 {
		t.Fatalf("a detention: %v", err)
	}
	p, err := db.FindPersonByID(context.Background(), ds[0].PersonID)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	name := p.DisplayName()

	if code, _, stderr := run(t, "erase", "--data", data, p.ID, "--yes"); code != 2 || !strings.Contains(stderr, "--reason") {
		t.Errorf("without a reason: exit %d, %q", code, stderr)
	}
	if code, _, stderr := run(t, "erase", "--data", data, p.ID, "--reason", "the family asked"); code != 2 || !strings.Contains(stderr, "--yes") {
		t.Errorf("without a terminal or --yes: exit %d, %q", code, stderr)
	}
	code, stdout, stderr := run(t, "erase", "--data", data, p.ID, "--reason", "the family asked, letter of 1 December", "--yes")
	if code != 0 || !strings.Contains(stdout, "Erased "+p.ID) || !strings.Contains(stdout, "Backups") {
		t.Fatalf("erase: exit %d, %q, %q", code, stdout, stderr)
	}
	if code, _, stderr := run(t, "erase", "--data", data, p.ID, "--reason", "again", "--yes"); code == 0 || !strings.Contains(stderr, "erased already") {
		t.Errorf("a second erasure: exit %d, %q", code, stderr)
	}
	code, stdout, _ = run(t, "history", "--data", data, p.ID)
	if code != 0 || !strings.Contains(stdout, "(erased: this state can no longer be read)") || !strings.Contains(stdout, "reason: the family asked") ||
		strings.Contains(stdout, name) {
		t.Errorf("history after the erasure: exit %d:\n%s", code, stdout)
	}
	code, stdout, _ = run(t, "erase", "--list", "--data", data)
	if code != 0 || !strings.Contains(stdout, p.ID) || !strings.Contains(stdout, "letter of 1 December") || !strings.Contains(stdout, "os user") {
		t.Errorf("erase --list: exit %d: %q", code, stdout)
	}

	first := filepath.Join(dir, "first.jsonl")
	if code, _, stderr := run(t, "export", "--data", data, "--out", first); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	a, _ := os.ReadFile(first)
	if bytes.Contains(a, []byte(name)) || !bytes.Contains(a, []byte(`"erased":true`)) || !bytes.Contains(a, []byte(`"op":"erase"`)) {
		t.Fatalf("the export names the person, or does not carry the erasure")
	}
	other := filepath.Join(dir, "other")
	initRegister(t, "--data", other)
	if code, _, stderr := run(t, "import", "--data", other, first); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	second := filepath.Join(dir, "second.jsonl")
	if code, _, stderr := run(t, "export", "--data", other, "--out", second); code != 0 {
		t.Fatalf("second export: exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(second); !bytes.Equal(a, b) {
		t.Errorf("export, import, export of an erased register: %d bytes then %d bytes", len(a), len(b))
	}
	code, stdout, _ = run(t, "erase", "--list", "--data", other)
	if code != 0 || !strings.Contains(stdout, p.ID) {
		t.Errorf("the imported register's erasures: %q", stdout)
	}
}
