package sqlstore_test

// Findings of an independent review of encryption at rest, each mended:
// every test states what the docs promise, and failed before the mend.

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/vault"
)

// After `key rotate` the new key still finds a person by IIN inside a
// write transaction (intake's duplicate check), and the old key cannot
// recompute the IINs' blind index, so it cannot test IIN guesses against
// the register (an IIN is a birth date, a sex and a serial: a small
// space). The finding: the index was keyed by the master key itself.
func TestReviewRotationLeavesIINIndexUnderOldKey(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := habeas.WithActor(context.Background(), "tester")
			old, next := vault.NewMaster(), vault.NewMaster()
			db := unlocked(t, open, old)
			p, _, _ := secretPerson(t, db)
			if _, err := db.Rotate(ctx, next, fileKey); err != nil {
				t.Fatal(err)
			}
			var wrapped []byte
			if err := db.SQL().QueryRowContext(ctx, `SELECT wrapped FROM data_keys WHERE owner = 'blind-index'`).Scan(&wrapped); err != nil {
				t.Fatal(err)
			}
			if _, err := old.Unwrap(wrapped, "blind-index"); err == nil {
				t.Errorf("after rotation, the old master key still opens the key of the IINs' blind index: it confirms IIN guesses")
			}
			fresh := open()
			if err := fresh.Unlock(ctx, next, fileKey); err != nil {
				t.Fatal(err)
			}
			findsByIIN(t, fresh, p) // after rotation, under the new key
		})
	}
}

// A stored document that does not start with the sealed marker is read as
// plain JSON even in an encrypted register: whoever can write the
// database (a PostgreSQL administrator) can plant or alter a record in
// plain text and the server accepts it as authentic.
func TestReviewPlaintextDocAcceptedInEncryptedRegister(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := habeas.WithActor(context.Background(), "tester")
			m := vault.NewMaster()
			db := unlocked(t, open, m)
			p, _, _ := secretPerson(t, db)
			forged := *p
			forged.Names = []habeas.NameVariant{{Text: "Planted Name", SourceID: p.Sources[0]}}
			doc, err := json.Marshal(&forged)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.SQL().ExecContext(ctx, `UPDATE entities SET doc = $1 WHERE id = $2`, doc, p.ID); err != nil {
				t.Fatal(err)
			}
			fresh := open()
			if err := fresh.Unlock(ctx, m, fileKey); err != nil {
				t.Fatal(err)
			}
			if got, err := fresh.FindPersonByID(ctx, p.ID); err == nil && strings.Contains(got.DisplayName(), "Planted") {
				t.Errorf("a plain-text document planted in an encrypted register is read as authentic")
			}
		})
	}
}

// Deleting the keyring's rows (a database writer) turns an encrypted
// register into one "not encrypted yet": it opens unlocked, and what is
// written from then on is stored in plain text. (cmd/habeas unlock: with
// a passphrase register, or without the key file at hand, it only warns.)
func TestReviewKeyringDeletedDowngradesToPlainText(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := habeas.WithActor(context.Background(), "tester")
			db := unlocked(t, open, vault.NewMaster())
			secretPerson(t, db)
			if _, err := db.SQL().ExecContext(ctx, `DELETE FROM keyring`); err != nil {
				t.Fatal(err)
			}
			again := open() // a restart, without Unlock (as cmd/habeas does for a register it thinks not encrypted)
			p := &habeas.Person{ID: habeas.NewID(habeas.KindPerson), Names: []habeas.NameVariant{{Text: "Downgradeova"}}}
			_, err := again.Apply(ctx, []habeas.Mutation{{Op: habeas.OpCreate, Entity: p}})
			if err != nil {
				return // refused: held
			}
			var doc []byte
			again.SQL().QueryRowContext(ctx, `SELECT doc FROM entities WHERE id = $1`, p.ID).Scan(&doc)
			if strings.Contains(string(doc), "Downgradeova") {
				t.Errorf("with its keyring deleted, an encrypted register (it holds data keys) writes new records in plain text")
			}
		})
	}
}

// `habeas key rotate` run while a server (or a second server on the same
// PostgreSQL database) is up: that server keeps the old master key in
// memory and wraps the data keys it makes afterwards under it. Those
// records no longer open under the new key: after a restart they are
// lost (and the old key, said to open nothing, opens them).
func TestReviewRotationWhileAnotherServerRuns(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := habeas.WithActor(context.Background(), "tester")
			old, next := vault.NewMaster(), vault.NewMaster()
			server := open()
			if err := server.Unlock(ctx, old, fileKey); err != nil {
				t.Fatal(err)
			}
			cli := open()
			if err := cli.Unlock(ctx, old, fileKey); err != nil {
				t.Fatal(err)
			}
			if _, err := cli.Rotate(ctx, next, fileKey); err != nil {
				t.Fatal(err)
			}
			p := &habeas.Person{ID: habeas.NewID(habeas.KindPerson), Names: []habeas.NameVariant{{Text: "After Rotation"}}}
			if _, err := server.Apply(ctx, []habeas.Mutation{{Op: habeas.OpCreate, Entity: p}}); err != nil {
				return // refused: held
			}
			restarted := open()
			if err := restarted.Unlock(ctx, next, fileKey); err != nil {
				t.Fatal(err)
			}
			if _, err := restarted.FindPersonByID(ctx, p.ID); err != nil {
				t.Errorf("a record written by a server still running under the old key after rotation does not open under the new key: %v", err)
			}
		})
	}
}
