package sqlstore_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/internal/vault"
	"github.com/habeas-project/habeas/postgres"
	"github.com/habeas-project/habeas/postgres/pgtest"
	"github.com/habeas-project/habeas/sqlite"
	"github.com/habeas-project/habeas/storetest"
)

var fileKey = sqlstore.KeyMode{Mode: "file"}

// unlocked opens the register with open and unlocks it under m.
func unlocked(t *testing.T, open func() *sqlstore.DB, m *vault.Master) *sqlstore.DB {
	t.Helper()
	db := open()
	if err := db.Unlock(context.Background(), m, fileKey); err != nil {
		t.Fatal(err)
	}
	return db
}

// stores opens, for each store, a fresh register and a function that
// opens the same register again (a restart, or a second server).
func stores(t *testing.T) map[string]func() *sqlstore.DB {
	t.Helper()
	dir := t.TempDir()
	out := map[string]func() *sqlstore.DB{"sqlite": func() *sqlstore.DB {
		db, err := sqlite.Open(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}}
	// Without a PostgreSQL server (and outside CI), SQLite alone.
	if os.Getenv("HABEAS_TEST_POSTGRES") != "" || os.Getenv("CI") == "true" {
		schema := pgtest.Schema(t, pgtest.DSN(t))
		out["postgres"] = func() *sqlstore.DB {
			db, err := postgres.Open(context.Background(), schema)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}
	}
	return out
}

// The conformance suite passes on an encrypted register of each store.
func TestEncryptedConformance(t *testing.T) {
	for name, open := range map[string]func(t *testing.T) *sqlstore.DB{
		"sqlite": func(t *testing.T) *sqlstore.DB {
			db, err := sqlite.Open(context.Background(), t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return db
		},
		"postgres": func(t *testing.T) *sqlstore.DB {
			db, err := postgres.Open(context.Background(), pgtest.Schema(t, pgtest.DSN(t)))
			if err != nil {
				t.Fatal(err)
			}
			return db
		},
	} {
		t.Run(name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T, now func() time.Time) storetest.Store {
				db := open(t)
				t.Cleanup(func() { db.Close() })
				if err := db.Unlock(context.Background(), vault.NewMaster(), fileKey); err != nil {
					t.Fatal(err)
				}
				db.Now = now
				return db
			})
		})
	}
}

// secretPerson is a person whose name, IIN and source's contact must not
// be found in what is stored of the records and their changes.
func secretPerson(t *testing.T, db *sqlstore.DB) (*habeas.Person, *habeas.Source, []string) {
	t.Helper()
	iin, ok := habeas.MakeIIN(time.Date(1991, 3, 9, 0, 0, 0, 0, time.UTC), habeas.SexFemale, 42)
	if !ok {
		t.Fatal("no IIN")
	}
	src := &habeas.Source{ID: habeas.NewID(habeas.KindSource), Kind: habeas.SourceHotlineCall, Title: "звонок сестры Жазиры",
		Reliability: "C", Credibility: 3, ReceivedAt: time.Date(2022, 1, 6, 8, 0, 0, 0, time.UTC), Contact: "+7 701 555 0187"}
	p := &habeas.Person{ID: habeas.NewID(habeas.KindPerson), IIN: iin, Sources: []string{src.ID},
		Names: []habeas.NameVariant{{Text: "Айгерім Секретова", SourceID: src.ID}, {Text: "Aigerim Sekretova", SourceID: src.ID}}}
	d := &habeas.Detention{ID: habeas.NewID(habeas.KindDetention), PersonID: p.ID, City: "almaty", Procedure: habeas.ProcedureCriminal,
		Events: []habeas.Event{{Type: habeas.EventArrest, At: time.Date(2022, 1, 6, 4, 0, 0, 0, time.UTC), Place: "ул. Секретная 5",
			Sources: []string{src.ID}}}, Notes: "избита при задержании"}
	ctx := habeas.WithActor(context.Background(), "tester")
	if _, err := db.Apply(ctx, []habeas.Mutation{{Op: habeas.OpCreate, Entity: src}, {Op: habeas.OpCreate, Entity: p},
		{Op: habeas.OpCreate, Entity: d}}); err != nil {
		t.Fatal(err)
	}
	p.Names = append(p.Names, habeas.NameVariant{Text: "Айгерим Секретова", SourceID: src.ID})
	if _, err := db.Apply(ctx, []habeas.Mutation{{Op: habeas.OpUpdate, Entity: p}}); err != nil {
		t.Fatal(err)
	}
	return p, src, []string{"Секретова", "Sekretova", string(iin), "0187", "Жазир", "Секретная", "избита"}
}

// What is stored of records and their changes is ciphertext: none of a
// person's names, IIN, a source's contact or a narrative is in it, in
// either store; the records read back whole, after a restart too.
func TestRecordsAreSealedAtRest(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			m := vault.NewMaster()
			db := unlocked(t, open, m)
			p, src, secrets := secretPerson(t, db)
			const totp = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
			if err := db.CreateUser(ctx, &habeas.User{Name: "chief", Role: habeas.RoleAdmin, PasswordHash: "h"}); err != nil {
				t.Fatal(err)
			}
			if err := db.SetTOTP(ctx, "chief", totp, nil); err != nil {
				t.Fatal(err)
			}
			secrets = append(secrets, totp)
			for q, values := range storedValues(t, db) {
				if len(values) == 0 {
					t.Errorf("%s: nothing stored", q)
				}
			}
			if tablesHold(t, db, append(secrets, `"names"`, `"contact"`)) {
				t.Error("a secret is stored in plain text")
			}
			// Read back, and after a restart with the same key.
			again := open()
			if err := again.Unlock(ctx, m, fileKey); err != nil {
				t.Fatal(err)
			}
			for _, s := range []*sqlstore.DB{db, again} {
				got, err := s.FindPersonByID(ctx, p.ID)
				if err != nil || len(got.Names) != 3 || got.IIN != p.IIN {
					t.Fatalf("read back: %+v, %v", got, err)
				}
				e, err := s.Find(ctx, habeas.KindSource, src.ID)
				if err != nil || e.(*habeas.Source).Contact != src.Contact {
					t.Fatalf("source read back: %v", err)
				}
				if u, err := s.FindUser(ctx, "chief"); err != nil || u.TOTPSecret != totp {
					t.Fatalf("the second factor read back: %v", err)
				}
				h, err := s.History(ctx, p.ID)
				if err != nil || len(h) != 2 || !strings.Contains(string(h[0].Data), "Секретова") {
					t.Fatalf("history read back: %d changes, %v", len(h), err)
				}
			}
		})
	}
}

// An encrypted register opened without its key reads and writes nothing;
// the wrong key is refused by name, and leaves it locked.
func TestLockedRegister(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := habeas.WithActor(context.Background(), "tester")
			m := vault.NewMaster()
			db := unlocked(t, open, m)
			p, _, _ := secretPerson(t, db)
			locked := open()
			if km, err := locked.Keyed(ctx); err != nil || km.Mode != "file" {
				t.Fatalf("keyed: %+v, %v", km, err)
			}
			if _, err := locked.FindPersonByID(ctx, p.ID); !errors.Is(err, sqlstore.ErrLocked) {
				t.Errorf("read without the key: %v", err)
			}
			if err := locked.Create(ctx, &habeas.Lawyer{Name: "Адвокат", City: "almaty"}); !errors.Is(err, sqlstore.ErrLocked) {
				t.Errorf("write without the key: %v", err)
			}
			if err := locked.Unlock(ctx, vault.NewMaster(), fileKey); err == nil || !strings.Contains(err.Error(), "not the register's key") {
				t.Errorf("the wrong key: %v", err)
			}
			if _, err := locked.FindPersonByID(ctx, p.ID); !errors.Is(err, sqlstore.ErrLocked) {
				t.Errorf("read after the wrong key: %v", err)
			}
			if err := locked.Unlock(ctx, m, fileKey); err != nil {
				t.Fatal(err)
			}
			if _, err := locked.FindPersonByID(ctx, p.ID); err != nil {
				t.Errorf("read with the key: %v", err)
			}
		})
	}
}

// Rotating the master key rewraps the data keys and leaves the records
// as they were: the new key opens the register, the old one no longer
// does. A second server with the key reads what the first wrote, the
// keys it made included.
func TestRotateAndSecondServer(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			old, next := vault.NewMaster(), vault.NewMaster()
			db := unlocked(t, open, old)
			p, _, _ := secretPerson(t, db)
			second := open()
			if err := second.Unlock(ctx, old, fileKey); err != nil {
				t.Fatal(err)
			}
			if _, err := second.FindPersonByID(ctx, p.ID); err != nil {
				t.Fatalf("the second server reads: %v", err)
			}
			var before []byte
			db.SQL().QueryRowContext(ctx, `SELECT doc FROM entities WHERE id = $1`, p.ID).Scan(&before)
			n, err := db.Rotate(ctx, next, fileKey)
			if err != nil || n != 8 { // the person's key, the source's, and those of the audit log, the accounts, the blind index, the sessions, erasures and the vault
				t.Fatalf("rotate: %d keys, %v", n, err)
			}
			var after []byte
			db.SQL().QueryRowContext(ctx, `SELECT doc FROM entities WHERE id = $1`, p.ID).Scan(&after)
			if !bytes.Equal(before, after) {
				t.Error("rotation rewrote a record")
			}
			if err := open().Unlock(ctx, old, fileKey); err == nil {
				t.Error("the old key still opens the register")
			}
			fresh := open()
			if err := fresh.Unlock(ctx, next, fileKey); err != nil {
				t.Fatal(err)
			}
			if got, err := fresh.FindPersonByID(ctx, p.ID); err != nil || got.IIN != p.IIN {
				t.Fatalf("read under the new key: %v", err)
			}
		})
	}
}

// A register written before encryption, once unlocked, keeps no name or
// IIN in its search index, and finds its persons by name and IIN as
// before, inside a write transaction too.
func TestUnlockBlindsAnOldIndex(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := habeas.WithActor(context.Background(), "tester")
			db := open()
			p, _, secrets := secretPerson(t, db) // not encrypted yet
			var before string
			db.SQL().QueryRowContext(ctx, `SELECT name_fold || name_keys || iin FROM person_index WHERE id = $1`, p.ID).Scan(&before)
			if !strings.Contains(before, string(p.IIN)) {
				t.Fatalf("a register not encrypted keeps the IIN for its lookup: %q", before)
			}
			if err := db.Unlock(ctx, vault.NewMaster(), fileKey); err != nil {
				t.Fatal(err)
			}
			var after string
			if err := db.SQL().QueryRowContext(ctx, `SELECT name_fold || name_keys || iin FROM person_index WHERE id = $1`, p.ID).Scan(&after); err != nil {
				t.Fatal(err)
			}
			for _, s := range append(secrets, "sekret") {
				if strings.Contains(after, s) {
					t.Errorf("person_index keeps %q after unlocking", s)
				}
			}
			iin, name := string(p.IIN), "Секрет"
			for _, f := range []habeas.PersonFilter{{IIN: &iin}, {Name: &name}} {
				if ps, total, err := db.FindPersons(ctx, f); err != nil || total != 1 || ps[0].ID != p.ID {
					t.Errorf("find %+v: %d, %v", f, total, err)
				}
			}
			findsByIIN(t, db, p)
		})
	}
}

// findsByIIN fails unless a write transaction finds p, alone, by its IIN:
// intake's check that one IIN is one person.
func findsByIIN(t *testing.T, db *sqlstore.DB, p *habeas.Person) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.Transact(ctx, func(tx habeas.Tx) error {
		ps, err := tx.FindPersonsByIIN(ctx, p.IIN)
		if err == nil && (len(ps) != 1 || ps[0].ID != p.ID) {
			t.Errorf("by IIN in a write transaction: %d persons, want %s alone", len(ps), p.ID)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// Servers starting at once on a new register, each with a key of its
// own: one key is recorded, and every other server is refused rather than
// left writing under a key the register does not know.
func TestFirstKeyWins(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			const n = 8
			dbs := make([]*sqlstore.DB, n)
			for i := range dbs {
				dbs[i] = open()
			}
			errs := make(chan error, n)
			start := make(chan struct{})
			for _, db := range dbs {
				go func() {
					<-start
					errs <- db.Unlock(ctx, vault.NewMaster(), fileKey)
				}()
			}
			close(start)
			unlocked := 0
			for range n {
				if err := <-errs; err == nil {
					unlocked++
				} else if !strings.Contains(err.Error(), "not the register's key") {
					t.Errorf("a refused key: %v", err)
				}
			}
			if unlocked != 1 {
				t.Errorf("%d servers unlocked the new register with keys of their own; want 1", unlocked)
			}
		})
	}
}

// storedValues returns what the tables that could hold personal data
// store, by the query that read it.
func storedValues(t *testing.T, db *sqlstore.DB) map[string][][]byte {
	t.Helper()
	out := map[string][][]byte{}
	for _, q := range []string{`SELECT doc FROM entities`, `SELECT totp_secret FROM users`, `SELECT data FROM changes WHERE data IS NOT NULL`,
		`SELECT wrapped FROM data_keys`, `SELECT name_fold || name_keys || iin FROM person_index`} {
		rows, err := db.SQL().QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		out[q] = [][]byte{}
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				t.Fatal(err)
			}
			out[q] = append(out[q], b)
		}
		rows.Close()
	}
	return out
}

// tablesHold reports, naming each, whether the tables storedValues reads
// hold any of secrets.
func tablesHold(t *testing.T, db *sqlstore.DB, secrets []string) bool {
	t.Helper()
	found := false
	for q, values := range storedValues(t, db) {
		for _, b := range values {
			for _, s := range secrets {
				if bytes.Contains(b, []byte(s)) {
					t.Logf("%s: %q is stored in plain text", q, s)
					found = true
				}
			}
		}
	}
	return found
}
