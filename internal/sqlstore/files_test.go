package sqlstore_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/internal/vault"
	"github.com/habeas-project/habeas/sqlite"
)

// keepFile stages content and attaches it to a new evidence record about
// person, in one transaction, as casework does.
func keepFile(t testing.TB, db *sqlstore.DB, person string, content io.Reader, declared string) *habeas.Evidence {
	t.Helper()
	ctx := habeas.WithActor(context.Background(), "tester")
	f, err := db.StageFile(ctx, content, declared)
	if err != nil {
		t.Fatal(err)
	}
	e := &habeas.Evidence{ID: habeas.NewID(habeas.KindEvidence), Kind: "video", Title: "clip", PersonID: person, SHA256: f.SHA256,
		File:    &habeas.EvidenceFile{Name: "clip.mp4", MediaType: f.MediaType, Size: f.Size},
		Custody: []habeas.CustodyEvent{{Event: habeas.CustodyReceived, At: time.Now().UTC(), By: "tester"}}}
	if _, err := db.Transact(ctx, func(tx habeas.Tx) error {
		if _, err := tx.Apply(ctx, []habeas.Mutation{{Op: habeas.OpCreate, Entity: e}}); err != nil {
			return err
		}
		return tx.(habeas.FileTx).AttachFile(ctx, f, e)
	}); err != nil {
		t.Fatal(err)
	}
	return e
}

// readFile reads an evidence file to its end.
func readFile(db *sqlstore.DB, e *habeas.Evidence) ([]byte, error) {
	rc, err := db.OpenFile(context.Background(), e)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func count(t *testing.T, db *sqlstore.DB, q string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A file kept twice, for two persons, is stored once, encrypted (neither
// its content nor its SHA-256 is in the database), and reads back whole
// for each, after a restart too; a byte changed in the stored chunks
// fails the read; erasing one person leaves the other's file, and
// erasing both deletes it.
func TestVaultFiles(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			m := vault.NewMaster()
			db := unlocked(t, open, m)
			ctx := habeas.WithActor(context.Background(), "tester")
			a, _, _ := secretPerson(t, db)
			b := &habeas.Person{ID: habeas.NewID(habeas.KindPerson), Names: []habeas.NameVariant{{Text: "Второй Человек"}}}
			if _, err := db.Apply(ctx, []habeas.Mutation{{Op: habeas.OpCreate, Entity: b}}); err != nil {
				t.Fatal(err)
			}
			// Three chunks and a bit, with a marker that must not be
			// stored in the clear.
			content := bytes.Repeat([]byte("SECRET-FOOTAGE-MARKER "), (3<<20)/22+1000)
			ea := keepFile(t, db, a.ID, bytes.NewReader(content), "video/mp4")
			eb := keepFile(t, db, b.ID, bytes.NewReader(content), "")
			if ea.SHA256 != eb.SHA256 {
				t.Fatal("one content, two hashes")
			}
			if n := count(t, db, `SELECT count(*) FROM vault_files`); n != 1 {
				t.Fatalf("%d files stored for one content", n)
			}
			if n := count(t, db, `SELECT count(*) FROM vault_keys`); n != 2 {
				t.Fatalf("%d keys for two owners", n)
			}
			if ea.File.MediaType != "text/plain; charset=utf-8" {
				t.Errorf("media type %q from the content", ea.File.MediaType)
			}
			if n := count(t, db, `SELECT count(*) FROM vault_files WHERE address = '`+ea.SHA256+`'`); n != 0 {
				t.Error("the file's SHA-256 is stored as its address: a seized database confirms a known file")
			}
			rows, err := db.SQL().Query(`SELECT data FROM vault_chunks`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var data []byte
				rows.Scan(&data)
				if bytes.Contains(data, []byte("FOOTAGE")) {
					t.Fatal("the file is stored in the clear")
				}
			}
			rows.Close()
			for _, e := range []*habeas.Evidence{ea, eb} {
				if got, err := readFile(db, e); err != nil || !bytes.Equal(got, content) {
					t.Fatalf("read back %d bytes, %v", len(got), err)
				}
			}
			// After a restart, from another process's view.
			again := unlocked(t, open, m)
			if got, err := readFile(again, eb); err != nil || !bytes.Equal(got, content) {
				t.Fatalf("after a restart: %d bytes, %v", len(got), err)
			}
			// A record whose SHA-256 was changed finds no file.
			forged := *ea
			forged.SHA256 = strings.Repeat("0", 64)
			if _, err := readFile(db, &forged); habeas.ErrorCode(err) != habeas.ENOTFOUND {
				t.Errorf("a file under another hash: %v", err)
			}

			// A byte flipped in the stored content fails the read.
			if _, err := db.SQL().Exec(`UPDATE vault_chunks SET data = $1 WHERE n = 1`, flipped(t, db)); err != nil {
				t.Fatal(err)
			}
			if _, err := readFile(db, ea); err == nil {
				t.Fatal("a changed chunk was read as the file")
			}

			if _, err := db.Erase(ctx, a.ID, "the family asked"); err != nil {
				t.Fatal(err)
			}
			if n := count(t, db, `SELECT count(*) FROM vault_keys`); n != 1 {
				t.Errorf("%d keys after one of two owners was erased", n)
			}
			if n := count(t, db, `SELECT count(*) FROM vault_files`); n != 1 {
				t.Errorf("the other owner's file went with the erasure")
			}
			if _, err := db.Erase(ctx, b.ID, "asked too"); err != nil {
				t.Fatal(err)
			}
			for _, table := range []string{"vault_files", "vault_chunks", "vault_keys"} {
				if n := count(t, db, `SELECT count(*) FROM `+table); n != 0 {
					t.Errorf("%d rows left in %s after every owner was erased", n, table)
				}
			}
		})
	}
}

// flipped returns chunk 1 of the only file with one byte changed.
func flipped(t *testing.T, db *sqlstore.DB) []byte {
	t.Helper()
	var data []byte
	if err := db.SQL().QueryRow(`SELECT data FROM vault_chunks WHERE n = 1`).Scan(&data); err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 1
	return data
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n > 3<<20 {
		return 0, errors.New("the connection dropped")
	}
	r.n += len(p)
	return len(p), nil
}

// An upload cut off leaves nothing; one staged and never attached is
// discarded, or swept after a day; a register not encrypted keeps no
// file.
func TestVaultStaged(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			db := unlocked(t, open, vault.NewMaster())
			ctx := context.Background()
			if _, err := db.StageFile(ctx, &failingReader{}, ""); err == nil || !strings.Contains(err.Error(), "dropped") {
				t.Fatalf("a cut upload: %v", err)
			}
			if n := count(t, db, `SELECT count(*) FROM vault_chunks`) + count(t, db, `SELECT count(*) FROM vault_files`); n != 0 {
				t.Fatalf("%d rows left by a cut upload", n)
			}
			f, err := db.StageFile(ctx, strings.NewReader("%PDF-1.4 a protocol"), "application/pdf")
			if err != nil {
				t.Fatal(err)
			}
			if f.MediaType != "application/pdf" || !f.Agrees {
				t.Errorf("a PDF: %q agrees=%v", f.MediaType, f.Agrees)
			}
			if err := db.DiscardStaged(ctx, f); err != nil {
				t.Fatal(err)
			}
			if n := count(t, db, `SELECT count(*) FROM vault_files`); n != 0 {
				t.Fatal("a discarded file stays")
			}
			if _, err := db.StageFile(ctx, strings.NewReader("<html><script>alert(1)</script>"), "image/jpeg"); err != nil {
				t.Fatal(err)
			}
			db.Now = func() time.Time { return time.Now().Add(25 * time.Hour) }
			if g, err := db.StageFile(ctx, strings.NewReader("x"), ""); err != nil || g.Agrees != true {
				t.Fatal(err)
			}
			if n := count(t, db, `SELECT count(*) FROM vault_files`); n != 1 {
				t.Errorf("%d staged files after a day: the old one should be swept", n)
			}
		})
	}
	plain, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if _, err := plain.StageFile(context.Background(), strings.NewReader("x"), ""); habeas.ErrorCode(err) != habeas.EINVALID {
		t.Errorf("a register not encrypted kept a file: %v", err)
	}
}
