package sqlstore_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/internal/vault"
)

// dirOf returns the directory of a SQLite register's database file.
func dirOf(t *testing.T, db *sqlstore.DB) string {
	t.Helper()
	var seq int
	var name, file string
	if err := db.SQL().QueryRowContext(context.Background(), `PRAGMA database_list`).Scan(&seq, &name, &file); err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(file)
}

// A register written before it was encrypted keeps its records in plain
// text until Reseal seals them: then none of a planted name, IIN,
// contact, narrative or second factor is in the tables (nor, on SQLite,
// in any file of the register), everything reads back as it was, and the
// person can be erased like any other.
func TestResealPlainRegister(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := habeas.WithActor(context.Background(), "tester")
			db := open()
			p, src, secrets := secretPerson(t, db) // not encrypted yet
			const totp = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
			if err := db.CreateUser(ctx, &habeas.User{Name: "chief", Role: habeas.RoleAdmin, PasswordHash: "h"}); err != nil {
				t.Fatal(err)
			}
			if err := db.SetTOTP(ctx, "chief", totp, nil); err != nil {
				t.Fatal(err)
			}
			secrets = append(secrets, totp)
			if err := db.Unlock(ctx, vault.NewMaster(), fileKey); err != nil {
				t.Fatal(err)
			}
			st, err := db.KeyStatus(ctx)
			if err != nil || st.PlainRecords != 3 || st.PlainChanges != 4 {
				t.Fatalf("before: %+v, %v", st, err)
			}
			if !tablesHold(t, db, secrets) {
				t.Fatal("the plain-text register holds none of the secrets: the test finds nothing")
			}

			r, err := db.Reseal(ctx, nil)
			if err != nil || r.Records != 3 || r.Changes != 4 || r.Secrets != 1 || !r.Compacted {
				t.Fatalf("reseal: %+v, %v", r, err)
			}
			if st, err := db.KeyStatus(ctx); err != nil || st.PlainRecords != 0 || st.PlainChanges != 0 {
				t.Errorf("after: %+v, %v", st, err)
			}
			if tablesHold(t, db, secrets) {
				t.Error("the tables still hold a secret in plain text")
			}
			if name == "sqlite" {
				for _, s := range secrets {
					if inFiles(t, dirOf(t, db), []byte(s)) {
						t.Errorf("the register's files still hold %q", s)
					}
				}
			}
			got, err := db.FindPersonByID(ctx, p.ID)
			if err != nil || len(got.Names) != 3 || got.IIN != p.IIN {
				t.Fatalf("read back: %+v, %v", got, err)
			}
			if e, err := db.Find(ctx, habeas.KindSource, src.ID); err != nil || e.(*habeas.Source).Contact != src.Contact {
				t.Fatalf("the source read back: %v", err)
			}
			if u, err := db.FindUser(ctx, "chief"); err != nil || u.TOTPSecret != totp {
				t.Fatalf("the second factor read back: %v", err)
			}
			if h, err := db.History(ctx, p.ID); err != nil || len(h) != 2 || !bytes.Contains(h[0].Data, []byte("Секретова")) {
				t.Fatalf("history read back: %v", err)
			}
			if r, err := db.Reseal(ctx, nil); err != nil || r != (sqlstore.Resealed{}) {
				t.Errorf("a second reseal: %+v, %v", r, err)
			}
			if _, err := db.Erase(ctx, p.ID, "test"); err != nil {
				t.Fatal(err)
			}
			if h, err := db.History(ctx, p.ID); err != nil || !h[0].Erased {
				t.Errorf("history after the erasure: %v", err)
			}
		})
	}
}
