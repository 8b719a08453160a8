package sqlstore_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/internal/vault"
	"github.com/habeas-project/habeas/postgres"
	"github.com/habeas-project/habeas/postgres/pgtest"
	"github.com/habeas-project/habeas/sqlite"
)

// freshStores opens a new, empty store of each dialect.
func freshStores(t *testing.T) map[string]func() *sqlstore.DB {
	t.Helper()
	out := map[string]func() *sqlstore.DB{"sqlite": func() *sqlstore.DB {
		db, err := sqlite.Open(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}}
	if os.Getenv("HABEAS_TEST_POSTGRES") != "" || os.Getenv("CI") == "true" {
		dsn := pgtest.DSN(t)
		out["postgres"] = func() *sqlstore.DB {
			db, err := postgres.Open(context.Background(), pgtest.Schema(t, dsn))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}
	}
	return out
}

// changesJSON is the change log's first n changes, as JSON.
func changesJSON(t *testing.T, db *sqlstore.DB, n int64) string {
	t.Helper()
	cs, err := db.Changes(context.Background(), 0, int(n))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(cs)
	return string(b)
}

// A backup taken while a writer writes restores, into an empty store of
// either dialect, to the register as it stood at one moment: the change
// log to the backup's last change exactly, the accounts, the evidence
// files, a ledger that verifies; the restored store goes on (a new file
// and a new change). A store that holds a register, and a backup cut
// short, are refused.
func TestBackupRestore(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			m := vault.NewMaster()
			db := unlocked(t, open, m)
			ctx := habeas.WithActor(context.Background(), "tester")
			p, _, _ := secretPerson(t, db)
			if err := db.CreateUser(ctx, &habeas.User{Name: "chief", Role: habeas.RoleAdmin, PasswordHash: "$argon2id$v=19$m=65536,t=1,p=2$c2FsdA$aGFzaA"}); err != nil {
				t.Fatal(err)
			}
			ev := keepFile(t, db, p.ID, strings.NewReader(strings.Repeat("footage ", 300000)), "video/mp4")

			// A writer goes on while the backup is taken.
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					q := &habeas.Person{ID: habeas.NewID(habeas.KindPerson), Names: []habeas.NameVariant{{Text: "Пишущий Пишущев"}}}
					if _, err := db.Apply(ctx, []habeas.Mutation{{Op: habeas.OpCreate, Entity: q}}); err != nil {
						t.Error(err)
						return
					}
				}
			}()
			time.Sleep(20 * time.Millisecond)
			var buf bytes.Buffer
			sum, err := db.Backup(ctx, &buf, map[string][]byte{"key": []byte("key material")})
			time.Sleep(20 * time.Millisecond)
			close(stop)
			wg.Wait()
			if err != nil {
				t.Fatal(err)
			}
			last, _ := db.LastSeq(ctx)
			if sum.LastSeq < 5 || last <= sum.LastSeq {
				t.Logf("backup at change %d, the log at %d after", sum.LastSeq, last)
			}
			for target, fresh := range freshStores(t) {
				t.Run("into "+target, func(t *testing.T) {
					to := fresh()
					br := bufio.NewReader(bytes.NewReader(buf.Bytes()))
					h, err := sqlstore.ReadBackupHeader(br)
					if err != nil || h.Dialect != name || string(h.Files["key"]) != "key material" || h.LastSeq != sum.LastSeq {
						t.Fatalf("header %+v, %v", h, err)
					}
					got, err := to.Restore(ctx, br)
					if err != nil {
						t.Fatal(err)
					}
					if got.Rows != sum.Rows || got.LastSeq != sum.LastSeq {
						t.Errorf("restored %+v, backed up %+v", got, sum)
					}
					if err := to.Unlock(ctx, m, fileKey); err != nil {
						t.Fatal(err)
					}
					if a, b := changesJSON(t, db, sum.LastSeq), changesJSON(t, to, sum.LastSeq); a != b {
						t.Error("the restored change log is not the original's to the backup's last change")
					}
					if rep, err := to.VerifyLedger(ctx, ""); err != nil || rep.Problem != nil || rep.Changes != sum.LastSeq {
						t.Errorf("the restored ledger: %+v, %v", rep, err)
					}
					us, err := to.ListUsers(ctx)
					if err != nil || len(us) != 1 || us[0].Name != "chief" || us[0].PasswordHash == "" {
						t.Errorf("the restored accounts: %v, %v", us, err)
					}
					rc, err := to.OpenFile(ctx, ev)
					if err != nil {
						t.Fatal(err)
					}
					if b, err := io.ReadAll(rc); err != nil || len(b) != 2400000 {
						t.Errorf("the restored file: %d bytes, %v", len(b), err)
					}
					rc.Close()
					// The restored store goes on: a new change, a new file.
					keepFile(t, to, p.ID, strings.NewReader("another file"), "")
					if err := to.Create(ctx, &habeas.Person{Names: []habeas.NameVariant{{Text: "После Восстановления"}}}); err != nil {
						t.Errorf("a write after the restore: %v", err)
					}
					// Once more into the same store: refused.
					br = bufio.NewReader(bytes.NewReader(buf.Bytes()))
					sqlstore.ReadBackupHeader(br)
					if _, err := to.Restore(ctx, br); habeas.ErrorCode(err) != habeas.EINVALID {
						t.Errorf("a restore into a register: %v", err)
					}
				})
			}
			cut := fresh(t)
			br := bufio.NewReader(bytes.NewReader(buf.Bytes()[:buf.Len()-200]))
			sqlstore.ReadBackupHeader(br)
			if _, err := cut.Restore(ctx, br); habeas.ErrorCode(err) != habeas.EINVALID {
				t.Errorf("a backup cut short: %v", err)
			}
			if n, _ := cut.LastSeq(ctx); n != 0 {
				t.Errorf("a refused restore left %d changes", n)
			}
		})
	}
}

func fresh(t *testing.T) *sqlstore.DB {
	t.Helper()
	return freshStores(t)["sqlite"]()
}
