package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/habeas-project/habeas"
)

// planted are the personal data plantRegister writes, looked for as bytes
// in encrypted exports.
type planted struct {
	dir                          string
	nameCyrillic, nameLatin, IIN string
	phone                        string
}

// plantRegister makes a register in a fresh data directory with a
// restricted source reachable by phone and a person with a name in two
// scripts and an IIN.
func plantRegister(t *testing.T) planted {
	t.Helper()
	p := planted{dir: t.TempDir(), nameCyrillic: "Жанар Тулегенқызы Сапарова", nameLatin: "Zhanar Tulegenkyzy Saparova", phone: "+7 701 555 01 99"}
	birth := time.Date(1991, 5, 14, 0, 0, 0, 0, time.UTC)
	iin, ok := habeas.MakeIIN(birth, habeas.SexFemale, 4321)
	for serial := 4322; !ok; serial++ {
		iin, ok = habeas.MakeIIN(birth, habeas.SexFemale, serial)
	}
	p.IIN = string(iin)
	ctx := habeas.WithActor(context.Background(), "tester")
	db := openRegister(t, storeFlags{data: p.dir})
	defer db.Close()
	src := &habeas.Source{Kind: habeas.SourceHotlineCall, Title: "call from a relative", Reliability: "B", Credibility: 2,
		ReceivedAt: time.Date(2022, 1, 6, 8, 0, 0, 0, time.UTC), Contact: p.phone, Confidentiality: habeas.ConfidentialityRestricted}
	if err := db.Create(ctx, src); err != nil {
		t.Fatal(err)
	}
	person := &habeas.Person{Names: []habeas.NameVariant{{Text: p.nameCyrillic, SourceID: src.ID}, {Text: p.nameLatin, SourceID: src.ID}},
		Sex: habeas.SexFemale, IIN: iin, Birth: habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1991-05-14"}, Sources: []string{src.ID}}
	if err := db.Create(ctx, person); err != nil {
		t.Fatal(err)
	}
	return p
}

// ageKey writes a new age identity file and returns its path and its
// recipient.
func ageKey(t *testing.T) (identityFile, recipient string) {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	identityFile = filepath.Join(t.TempDir(), "key.txt")
	if err := os.WriteFile(identityFile, []byte("# a test key\n"+id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return identityFile, id.Recipient().String()
}

// registerState is what a round trip must keep: the number of changes,
// the last change, and the number of persons.
func registerState(t *testing.T, dir string) (last int64, lastChange habeas.Change, persons int) {
	t.Helper()
	ctx := context.Background()
	db := openRegister(t, storeFlags{data: dir})
	defer db.Close()
	var err error
	if last, err = db.LastSeq(ctx); err != nil {
		t.Fatal(err)
	}
	if last > 0 {
		cs, err := db.Changes(ctx, last-1, 1)
		if err != nil || len(cs) != 1 {
			t.Fatalf("the last change: %v, %v", cs, err)
		}
		lastChange = *cs[0]
	}
	_, persons, err = db.FindPersons(ctx, habeas.PersonFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return last, lastChange, persons
}

func TestExportEncryptedRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		armor bool
		begin string
	}{
		{"binary", false, "age-encryption.org/v1\n"},
		{"armored", true, "-----BEGIN AGE ENCRYPTED FILE-----\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := plantRegister(t)
			identity, recipient := ageKey(t)
			_, other := ageKey(t)
			enc := filepath.Join(t.TempDir(), "register.age")
			args := []string{"export", "--data", p.dir, "--out", enc, "--to", recipient, "--to", other}
			if tt.armor {
				args = append(args, "--armor")
			}
			code, _, stderr := run(t, args...)
			if code != 0 {
				t.Fatalf("export --to: exit %d: %s", code, stderr)
			}
			if strings.Contains(stderr, "plaintext") {
				t.Errorf("stderr %q warns of a plaintext export for an encrypted one", stderr)
			}
			fi, err := os.Stat(enc)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600", fi.Mode().Perm())
			}
			b, _ := os.ReadFile(enc)
			if !bytes.HasPrefix(b, []byte(tt.begin)) {
				t.Fatalf("the export begins %q, want %q", b[:min(len(b), 40)], tt.begin)
			}
			for _, s := range []string{p.nameCyrillic, p.nameLatin, p.phone, p.IIN, "habeas-export"} {
				if bytes.Contains(b, []byte(s)) {
					t.Errorf("the encrypted export holds %q", s)
				}
			}

			copyDir := filepath.Join(t.TempDir(), "copy")
			initRegister(t, "--data", copyDir)
			if code, _, stderr := run(t, "import", "--data", copyDir, "--identity", identity, enc); code != 0 {
				t.Fatalf("import --identity: exit %d: %s", code, stderr)
			}
			wantLast, wantChange, wantPersons := registerState(t, p.dir)
			gotLast, gotChange, gotPersons := registerState(t, copyDir)
			if gotLast != wantLast || gotPersons != wantPersons {
				t.Errorf("imported %d changes and %d persons, want %d and %d", gotLast, gotPersons, wantLast, wantPersons)
			}
			if gotChange.Seq != wantChange.Seq || gotChange.ID != wantChange.ID || gotChange.Op != wantChange.Op || gotChange.Imported == nil ||
				!gotChange.Imported.At.Equal(wantChange.At) || gotChange.Imported.Actor != wantChange.Actor || !bytes.Equal(gotChange.Data, wantChange.Data) {
				t.Errorf("last change imported %+v, want %+v", gotChange, wantChange)
			}
		})
	}
}

// An encrypted export is refused without an identity, or with one it was
// not encrypted to, and nothing is imported.
func TestImportEncryptedNeedsItsIdentity(t *testing.T) {
	p := plantRegister(t)
	_, recipient := ageKey(t)
	wrong, _ := ageKey(t)
	enc := filepath.Join(t.TempDir(), "register.age")
	if code, _, stderr := run(t, "export", "--data", p.dir, "--out", enc, "--to", recipient); code != 0 {
		t.Fatalf("export --to: exit %d: %s", code, stderr)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no identity", nil, "--identity"},
		{"wrong identity", []string{"--identity", wrong}, "no identity given can decrypt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			initRegister(t, "--data", data)
			args := append(append([]string{"import", "--data", data}, tt.args...), enc)
			code, _, stderr := run(t, args...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tt.want)
			}
			if _, err := os.Stat(data); err == nil {
				if last, _, _ := registerState(t, data); last != 0 {
					t.Fatalf("the refused import wrote %d changes", last)
				}
			}
		})
	}
}

// An encrypted export cut short is refused, and nothing is imported: age
// authenticates the end of the stream.
func TestImportEncryptedTruncated(t *testing.T) {
	p := plantRegister(t)
	identity, recipient := ageKey(t)
	enc := filepath.Join(t.TempDir(), "register.age")
	if code, _, stderr := run(t, "export", "--data", p.dir, "--out", enc, "--to", recipient); code != 0 {
		t.Fatalf("export --to: exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(enc)
	cut := filepath.Join(t.TempDir(), "cut.age")
	os.WriteFile(cut, b[:len(b)-20], 0o600)
	data := filepath.Join(t.TempDir(), "data")
	initRegister(t, "--data", data)
	code, _, stderr := run(t, "import", "--data", data, "--identity", identity, cut)
	if code != 2 || !strings.Contains(stderr, "nothing was imported") {
		t.Fatalf("import of a truncated file: exit %d, stderr %q; want exit 2 and nothing imported", code, stderr)
	}
	if last, _, _ := registerState(t, data); last != 0 {
		t.Fatalf("the refused import wrote %d changes", last)
	}
}

// A plaintext export goes to a new file of mode 0600, says that it is
// plaintext, and replaces a file only with --force.
func TestExportPlaintextFile(t *testing.T) {
	p := plantRegister(t)
	out := filepath.Join(t.TempDir(), "register.jsonl")
	code, _, stderr := run(t, "export", "--data", p.dir, "--out", out)
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "plaintext") || !strings.Contains(stderr, "personal data") {
		t.Errorf("stderr %q: want a warning that the file is plaintext and holds personal data", stderr)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	first, _ := os.ReadFile(out)
	if !bytes.Contains(first, []byte(p.nameCyrillic)) {
		t.Fatal("the plaintext export does not hold the register")
	}

	os.WriteFile(out, []byte("precious"), 0o644)
	code, _, stderr = run(t, "export", "--data", p.dir, "--out", out)
	if code != 2 || !strings.Contains(stderr, "--force") {
		t.Fatalf("export over a file: exit %d, stderr %q; want exit 2 and --force named", code, stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "precious" {
		t.Fatal("the refused export changed the file")
	}
	if code, _, stderr := run(t, "export", "--data", p.dir, "--out", out, "--force"); code != 0 {
		t.Fatalf("export --force: exit %d: %s", code, stderr)
	}
	fi, _ = os.Stat(out)
	if b, _ := os.ReadFile(out); !bytes.Equal(b, first) || fi.Mode().Perm() != 0o600 {
		t.Fatalf("export --force wrote %d bytes of mode %v; want the export, mode 0600", len(b), fi.Mode().Perm())
	}
	if ents, _ := os.ReadDir(filepath.Dir(out)); len(ents) != 1 {
		t.Errorf("the export left %d files beside it, want none", len(ents)-1)
	}
}

// A plaintext export to standard output is refused unless asked for by
// name; an encrypted one is not.
func TestExportStdout(t *testing.T) {
	p := plantRegister(t)
	_, recipient := ageKey(t)
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // what standard output begins with
		stderr string
	}{
		{"plaintext refused", nil, 2, "", "--plaintext-stdout"},
		{"plaintext asked for", []string{"--plaintext-stdout"}, 0, `{"format":"habeas-export"`, "plaintext"},
		{"encrypted", []string{"--to", recipient}, 0, "age-encryption.org/v1\n", "encrypted"},
		{"encrypted and plaintext", []string{"--to", recipient, "--plaintext-stdout"}, 2, "", "--plaintext-stdout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"export", "--data", p.dir, "--out", "-"}, tt.args...)
			code, stdout, stderr := run(t, args...)
			if code != tt.code || !strings.HasPrefix(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("exit %d, stdout %.40q, stderr %q; want exit %d, stdout %q..., stderr with %q",
					code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
			}
			if tt.code != 0 && stdout != "" {
				t.Errorf("a refused export wrote %d bytes", len(stdout))
			}
		})
	}
}

// Recipients come from --to and from files of one a line with comments,
// and each recipient's identity alone decrypts the export.
func TestExportToFile(t *testing.T) {
	p := plantRegister(t)
	id1, r1 := ageKey(t)
	id2, r2 := ageKey(t)
	list := filepath.Join(t.TempDir(), "recipients.txt")
	os.WriteFile(list, []byte("# the legal team\n"+r1+"\n\n# the archive\n"+r2+"\n"), 0o600)
	enc := filepath.Join(t.TempDir(), "register.age")
	if code, _, stderr := run(t, "export", "--data", p.dir, "--out", enc, "--to-file", list); code != 0 {
		t.Fatalf("export --to-file: exit %d: %s", code, stderr)
	}
	for _, id := range []string{id1, id2} {
		data := filepath.Join(t.TempDir(), "data")
		initRegister(t, "--data", data)
		if code, _, stderr := run(t, "import", "--data", data, "--identity", id, enc); code != 0 {
			t.Fatalf("import --identity %s: exit %d: %s", id, code, stderr)
		}
	}
}

func TestExportUsageErrors(t *testing.T) {
	p := plantRegister(t)
	_, recipient := ageKey(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("# nothing but a comment\n"), 0o600)
	secret := filepath.Join(dir, "secret.txt")
	id, _ := age.GenerateX25519Identity()
	os.WriteFile(secret, []byte(id.String()+"\n"), 0o600)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no --out", []string{"--to", recipient}, "--out"},
		{"not a recipient", []string{"--out", filepath.Join(dir, "a"), "--to", "bob"}, "unknown recipient"},
		{"a secret key as recipient", []string{"--out", filepath.Join(dir, "a"), "--to", id.String()}, "unknown recipient"},
		{"recipients file without one", []string{"--out", filepath.Join(dir, "a"), "--to-file", bad}, "no recipients"},
		{"secret key in a recipients file", []string{"--out", filepath.Join(dir, "a"), "--to-file", secret}, "line 1"},
		{"armor without --to", []string{"--out", filepath.Join(dir, "a"), "--armor"}, "--armor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, append([]string{"export", "--data", p.dir}, tt.args...)...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tt.want)
			}
			if strings.Contains(stderr, id.String()) {
				t.Errorf("stderr %q repeats a secret key", stderr)
			}
			if _, err := os.Stat(filepath.Join(dir, "a")); err == nil {
				t.Error("a refused export wrote its file")
			}
		})
	}
}
