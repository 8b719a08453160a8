package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/internal/vault"
	"github.com/habeas-project/habeas/ledger"
)

// ledgerRegister writes a register of a few dozen changes with a
// checkpoint after the first ten and one at the end, and returns it with
// the ledger key's public half.
func ledgerRegister(t *testing.T, open func() *sqlstore.DB) (*sqlstore.DB, *ledger.Key) {
	t.Helper()
	ctx := habeas.WithActor(context.Background(), "chief")
	db := unlocked(t, open, vault.NewMaster())
	k, _, err := ledger.NewKey(ledger.NewOrigin())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetLedgerPublic(ctx, k.Public); err != nil {
		t.Fatal(err)
	}
	src := &habeas.Source{ID: habeas.NewID(habeas.KindSource), Kind: habeas.SourceHotlineCall, Title: "звонок", Reliability: "C", Credibility: 3,
		ReceivedAt: time.Date(2022, 1, 6, 8, 0, 0, 0, time.UTC)}
	if err := db.Create(ctx, src); err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		p := &habeas.Person{ID: habeas.NewID(habeas.KindPerson), Names: []habeas.NameVariant{{Text: fmt.Sprintf("Человек %d", i)}}}
		d := &habeas.Detention{ID: habeas.NewID(habeas.KindDetention), PersonID: p.ID, City: "almaty", Procedure: habeas.ProcedureCriminal,
			Events: []habeas.Event{{Type: habeas.EventArrest, At: time.Date(2022, 1, 6, i, 0, 0, 0, time.UTC), Sources: []string{src.ID}}}}
		if _, err := db.Apply(ctx, []habeas.Mutation{{Op: habeas.OpCreate, Entity: p}, {Op: habeas.OpCreate, Entity: d}}); err != nil {
			t.Fatal(err)
		}
		if i == 4 {
			if _, err := db.Checkpoint(ctx, k); err != nil { // 11 changes
				t.Fatal(err)
			}
		}
	}
	cp, err := db.Checkpoint(ctx, k)
	if err != nil || cp.Size != 25 {
		t.Fatalf("checkpoint: %+v, %v", cp, err)
	}
	return db, k
}

// The ledger of an honest register verifies; an erasure, which blanks
// and shreds states, leaves it whole.
func TestLedgerVerifies(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := habeas.WithActor(context.Background(), "chief")
			db, k := ledgerRegister(t, open)
			public := k.Public
			rep, err := db.VerifyLedger(ctx, public)
			if err != nil || rep.Problem != nil || rep.Changes != 25 || rep.Checkpoints != 2 || rep.Latest.Size != 25 {
				t.Fatalf("verify: %+v, %v", rep, err)
			}
			if p, err := db.CheckLedgerTail(ctx, public, 10); err != nil || p != nil {
				t.Fatalf("the check at start: %v, %v", p, err)
			}
			ps, _, err := db.FindPersons(ctx, habeas.PersonFilter{Page: habeas.Page{Limit: 1}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Erase(ctx, ps[0].ID, "test"); err != nil {
				t.Fatal(err)
			}
			if rep, err := db.VerifyLedger(ctx, public); err != nil || rep.Problem != nil || rep.Changes != 27 {
				t.Errorf("after an erasure: %+v, %v", rep, err)
			}
			if _, err := db.VerifyLedger(ctx, ""); err != nil {
				t.Fatal(err)
			} else if rep, _ := db.VerifyLedger(ctx, ""); rep.Problem == nil {
				t.Error("checkpoints verified without a public key")
			}
		})
	}
}

// Every way of changing the change log behind the application's back,
// directly in SQLite or PostgreSQL, is caught, and the first change
// concerned is named.
func TestLedgerCatchesTampering(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tamper  []string // statements; %s is a blob literal of the dialect where needed
		seq     int64
		reason  string
		rewrite bool // the forger also rebuilds ledger_hashes to match
	}{
		{"actor edited", []string{`UPDATE changes SET actor = 'forger' WHERE seq = 5`}, 5, "not the change the ledger recorded", false},
		{"time edited", []string{`UPDATE changes SET at_us = at_us - 86400000000 WHERE seq = 8`}, 8, "not the change the ledger recorded", false},
		{"deleted", []string{`DELETE FROM changes WHERE seq = 7`}, 7, "missing", false},
		{"reordered", []string{`UPDATE changes SET seq = -1 WHERE seq = 3`, `UPDATE changes SET seq = 3 WHERE seq = 4`, `UPDATE changes SET seq = 4 WHERE seq = -1`}, 3, "not the change the ledger recorded", false},
		{"state replaced", []string{`UPDATE changes SET data = (SELECT data FROM changes WHERE seq = 4) WHERE seq = 6`}, 6, "stored state is not the one recorded", false},
		{"state removed", []string{`UPDATE changes SET data = NULL WHERE seq = 6`}, 6, "was never erased", false},
		{"inserted at the end", []string{`INSERT INTO changes (seq, at_us, actor, kind, entity_id, op, data, sources, reason, data_hash)
			SELECT 26, at_us, 'forger', kind, entity_id, 'update', data, sources, reason, data_hash FROM changes WHERE seq = 25`}, 26, "no leaf in the ledger", false},
		{"last removed", []string{`DELETE FROM changes WHERE seq = 25`}, 25, "removed", false},
		{"edited, ledger rebuilt", []string{`UPDATE changes SET actor = 'forger' WHERE seq = 2`}, 11, "not the one signed", true},
		{"edited after the first checkpoint, ledger rebuilt", []string{`UPDATE changes SET actor = 'forger' WHERE seq = 20`}, 25, "not the one signed", true},
		{"checkpoint forged", []string{`UPDATE ledger_checkpoints SET signed = replace(signed, '25', '24') WHERE size = 25`}, 25, "checkpoint", false},
	} {
		for name, open := range stores(t) {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				ctx := context.Background()
				db, k := ledgerRegister(t, open)
				public := k.Public
				for _, q := range tc.tamper {
					if _, err := db.SQL().ExecContext(ctx, q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				if tc.rewrite {
					rebuildLedger(t, db)
					// Nor is a checkpoint signed over the rewritten tree.
					if _, err := db.SQL().ExecContext(ctx, `INSERT INTO changes (seq, at_us, actor, kind, entity_id, op, sources, reason)
						VALUES (26, 0, 'x', 'source', 'src_aaaaaaaaaaaaaaaa', 'delete', '', '')`); err != nil {
						t.Fatal(err)
					}
					rebuildLedger(t, db)
					if cp, err := db.Checkpoint(ctx, k); err == nil {
						t.Errorf("a checkpoint was signed over a rewritten ledger: %s", cp.Signed)
					}
					db.SQL().ExecContext(ctx, `DELETE FROM changes WHERE seq = 26`)
					rebuildLedger(t, db)
				}
				rep, err := db.VerifyLedger(ctx, public)
				if err != nil {
					t.Fatal(err)
				}
				if rep.Problem == nil || rep.Problem.Seq != tc.seq || !strings.Contains(rep.Problem.Reason, tc.reason) {
					t.Errorf("found %+v, want change %d: %q", rep.Problem, tc.seq, tc.reason)
				}
				// The check a server makes at start, of the newest
				// changes and the newest checkpoint, finds it too.
				if p, err := db.CheckLedgerTail(ctx, public, 1000); err != nil || p == nil {
					t.Errorf("the check at start finds %v, %v", p, err)
				}
			})
		}
	}
}

// A history marks the change the ledger does not vouch for, and no other.
func TestHistoryMarksTampering(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db, _ := ledgerRegister(t, open)
			var id string
			if err := db.SQL().QueryRowContext(ctx, `SELECT entity_id FROM changes WHERE seq = 5`).Scan(&id); err != nil {
				t.Fatal(err)
			}
			h, err := db.History(ctx, id)
			if err != nil || len(h) == 0 || h[0].Unverified {
				t.Fatalf("history before: %+v, %v", h, err)
			}
			if _, err := db.SQL().ExecContext(ctx, `UPDATE changes SET actor = 'forger' WHERE seq = 5`); err != nil {
				t.Fatal(err)
			}
			h, err = db.History(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range h {
				if c.Unverified != (c.Seq == 5) {
					t.Errorf("change %d (%s): unverified %v", c.Seq, c.Actor, c.Unverified)
				}
			}
			// Put back, then its state replaced by another's.
			if _, err := db.SQL().ExecContext(ctx, `UPDATE changes SET actor = 'chief' WHERE seq = 5`); err != nil {
				t.Fatal(err)
			}
			if h, err := db.History(ctx, id); err != nil || h[0].Unverified {
				t.Fatalf("history put back: %v", err)
			}
			if _, err := db.SQL().ExecContext(ctx, `UPDATE changes SET data = (SELECT data FROM changes WHERE seq = 3) WHERE seq = 5`); err != nil {
				t.Fatal(err)
			}
			if h, err := db.History(ctx, id); err != nil || len(h) == 0 || !h[0].Unverified || h[0].Data != nil {
				t.Errorf("a change whose state was replaced: %v, %v", h, err)
			}
		})
	}
}

// rebuildLedger does what a forger who can write the database but holds
// no ledger key would: recompute the whole tree from the changes as they
// now are, and store it.
func rebuildLedger(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	rows, err := db.SQL().QueryContext(ctx, `SELECT seq, at_us, actor, kind, entity_id, op, data_hash, sources, reason FROM changes ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var entries []ledger.Entry
	for rows.Next() {
		var e ledger.Entry
		if err := rows.Scan(&e.Seq, &e.AtUS, &e.Actor, &e.Kind, &e.ID, &e.Op, &e.DataHash, &e.Sources, &e.Reason); err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	rows.Close()
	tree := map[int64]tlog.Hash{}
	read := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = tree[x]
		}
		return out, nil
	})
	if _, err := db.SQL().ExecContext(ctx, `DELETE FROM ledger_hashes`); err != nil {
		t.Fatal(err)
	}
	for n, e := range entries {
		hs, err := tlog.StoredHashes(int64(n), e.Leaf(), read)
		if err != nil {
			t.Fatal(err)
		}
		for i, h := range hs {
			idx := tlog.StoredHashIndex(0, int64(n)) + int64(i)
			tree[idx] = h
			if _, err := db.SQL().ExecContext(ctx, `INSERT INTO ledger_hashes (idx, hash) VALUES ($1, $2)`, idx, h[:]); err != nil {
				t.Fatal(err)
			}
		}
	}
}
