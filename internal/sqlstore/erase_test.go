package sqlstore_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/internal/vault"
	"github.com/habeas-project/habeas/sqlite"
)

// erasable writes, beside secretPerson, a casualty and evidence about
// them, evidence about their detention that names no person, and another
// person's detention in the same city; it returns the detention, the
// records about the person but the person, and the other detention.
func erasable(t *testing.T, db *sqlstore.DB, p *habeas.Person, src *habeas.Source) (*habeas.Detention, []habeas.Entity, *habeas.Detention) {
	t.Helper()
	ctx := habeas.WithActor(context.Background(), "tester")
	ds, _, err := db.FindDetentions(ctx, habeas.DetentionFilter{PersonID: &p.ID})
	if err != nil || len(ds) != 1 {
		t.Fatalf("the detention: %d, %v", len(ds), err)
	}
	d := ds[0]
	cas := &habeas.Casualty{ID: habeas.NewID(habeas.KindCasualty), Kind: habeas.CasualtyInjured, PersonID: p.ID, DetentionID: d.ID,
		At: time.Date(2022, 1, 6, 5, 0, 0, 0, time.UTC), City: "almaty", Cause: "blunt_trauma", Place: "ИВС Секретный",
		Circumstances: "избита в машине", Sources: []string{src.ID}}
	ev := &habeas.Evidence{ID: habeas.NewID(habeas.KindEvidence), Kind: "photo", Title: "фото Секретовой", PersonID: p.ID, Sources: []string{src.ID}}
	ev2 := &habeas.Evidence{ID: habeas.NewID(habeas.KindEvidence), Kind: "document", Title: "протокол задержания Секретовой", DetentionID: d.ID}
	other := &habeas.Person{ID: habeas.NewID(habeas.KindPerson), Names: []habeas.NameVariant{{Text: "Другой Человек"}}}
	od := &habeas.Detention{ID: habeas.NewID(habeas.KindDetention), PersonID: other.ID, City: "almaty", Procedure: habeas.ProcedureAdministrative,
		Events: []habeas.Event{{Type: habeas.EventArrest, At: time.Date(2022, 1, 7, 4, 0, 0, 0, time.UTC), Sources: []string{src.ID}}}}
	var muts []habeas.Mutation
	for _, e := range []habeas.Entity{cas, ev, ev2, other, od} {
		muts = append(muts, habeas.Mutation{Op: habeas.OpCreate, Entity: e})
	}
	if _, err := db.Apply(ctx, muts); err != nil {
		t.Fatal(err)
	}
	return d, []habeas.Entity{d, cas, ev, ev2}, od
}

// A view of the register that an erasure must leave as it was.
type aggregates struct {
	counts                habeas.Counts
	almaty, criminal, all int
}

func aggregatesOf(t *testing.T, db *sqlstore.DB) aggregates {
	t.Helper()
	ctx := context.Background()
	c, err := db.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	city, crim := "almaty", habeas.ProcedureCriminal
	a := aggregates{counts: c}
	for _, q := range []struct {
		f habeas.DetentionFilter
		n *int
	}{{habeas.DetentionFilter{City: &city}, &a.almaty}, {habeas.DetentionFilter{Procedure: &crim}, &a.criminal}, {habeas.DetentionFilter{}, &a.all}} {
		if _, *q.n, err = db.FindDetentions(ctx, q.f); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// Erasure leaves nothing of the person readable, in their records or in
// any earlier change of them, after a restart too and in a second server
// that had read them before; the counts stay as they were; the erased
// records can no longer be changed, and nothing more is recorded about
// the person.
func TestErase(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := habeas.WithActor(context.Background(), "chief")
			m := vault.NewMaster()
			db := unlocked(t, open, m)
			p, src, _ := secretPerson(t, db)
			d, about, od := erasable(t, db, p, src)
			secrets := []string{"Секретов", "Sekretova", string(p.IIN), "Секретн", "избита"}
			before := aggregatesOf(t, db)
			// A second server reads the person's history before: its
			// memory holds their key.
			second := unlocked(t, open, m)
			if h, err := second.History(ctx, p.ID); err != nil || len(h) != 2 || h[0].Erased {
				t.Fatalf("history before: %v", err)
			}

			if _, err := db.Erase(ctx, p.ID, "  "); habeas.ErrorCode(err) != habeas.EINVALID {
				t.Fatalf("an erasure without a reason: %v", err)
			}
			cs, err := db.Erase(ctx, p.ID, "the family asked, letter of 2026-11-30")
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != 1+len(about) || cs[0].ID != p.ID {
				t.Fatalf("erased %d records, want %d", len(cs), 1+len(about))
			}
			for _, c := range cs {
				if c.Op != habeas.OpErase || c.Reason == "" || c.Actor != "chief" {
					t.Errorf("erasure change %+v", c)
				}
			}

			if after := aggregatesOf(t, db); !equalAggregates(before, after) {
				t.Errorf("aggregates changed: %+v, then %+v", before, after)
			}
			restarted := unlocked(t, open, m)
			for name, s := range map[string]*sqlstore.DB{"the eraser": db, "a restart": restarted, "a second server": second} {
				// The second server learns of the erasure from the log,
				// as its watchers follow it.
				if _, err := s.Changes(ctx, 0, 100000); err != nil {
					t.Fatalf("%s: changes: %v", name, err)
				}
				got, err := s.FindPersonByID(ctx, p.ID)
				if err != nil || !got.Erased || len(got.Names) != 0 || got.IIN != "" || len(got.Sources) != 0 {
					t.Errorf("%s: the person reads %+v, %v", name, got, err)
				}
				for _, e := range append([]habeas.Entity{p}, about...) {
					h, err := s.History(ctx, e.GetID())
					if err != nil {
						t.Fatalf("%s: history of %s: %v", name, e.GetID(), err)
					}
					last := h[len(h)-1]
					if last.Op != habeas.OpErase || last.Reason != "the family asked, letter of 2026-11-30" {
						t.Errorf("%s: history of %s ends %+v", name, e.GetID(), last)
					}
					for _, c := range h[:len(h)-1] {
						if !c.Erased || c.Data != nil {
							t.Errorf("%s: change %d of %s is readable: %s", name, c.Seq, e.GetID(), c.Data)
						}
					}
				}
				all, err := s.Changes(ctx, 0, 100000)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range all {
					for _, secret := range secrets {
						if bytes.Contains(c.Data, []byte(secret)) {
							t.Errorf("%s: change %d of %s still says %q", name, c.Seq, c.ID, secret)
						}
					}
				}
				for _, k := range []habeas.Kind{habeas.KindPerson, habeas.KindDetention, habeas.KindCasualty, habeas.KindEvidence} {
					es, _, err := s.FindByKind(ctx, k, habeas.Page{Limit: 1000})
					if err != nil {
						t.Fatal(err)
					}
					for _, e := range es {
						doc, _ := habeas.Canonical(e)
						for _, secret := range secrets {
							if bytes.Contains(doc, []byte(secret)) {
								t.Errorf("%s: %s %s still says %q", name, k, e.GetID(), secret)
							}
						}
					}
				}
				for _, f := range []habeas.PersonFilter{{Name: ptr("Секретова")}, {Name: ptr("sekretova")}, {IIN: ptr(string(p.IIN))}} {
					if ps, n, err := s.FindPersons(ctx, f); err != nil || n != 0 || len(ps) != 0 {
						t.Errorf("%s: a search %+v finds %d, %v", name, f, n, err)
					}
				}
				if _, n, err := s.FindPersons(ctx, habeas.PersonFilter{Name: ptr("Другой")}); err != nil || n != 1 {
					t.Errorf("%s: the other person is found %d times, %v", name, n, err)
				}
			}
			// What erasure keeps: the time, the city, the procedure.
			got, err := db.FindDetentionByID(ctx, d.ID)
			if err != nil || got.City != "almaty" || got.Procedure != habeas.ProcedureCriminal || !got.ArrestedAt().Equal(d.ArrestedAt()) ||
				got.Notes != "" || got.Events[0].Place != "" || len(got.Sources) != 0 {
				t.Errorf("the erased detention reads %+v, %v", got, err)
			}
			if _, err := db.FindDetentionByID(ctx, od.ID); err != nil {
				t.Errorf("the other detention: %v", err)
			}

			// Frozen: no change, no delete, nothing new about the person.
			got.City = "astana"
			for what, m := range map[string]habeas.Mutation{
				"update":           {Op: habeas.OpUpdate, Entity: got},
				"delete":           {Op: habeas.OpDelete, Kind: habeas.KindPerson, ID: p.ID},
				"a new detention":  {Op: habeas.OpCreate, Entity: &habeas.Detention{PersonID: p.ID, City: "almaty", Events: []habeas.Event{{Type: habeas.EventArrest, At: time.Now().UTC()}}}},
				"an identity":      {Op: habeas.OpCreate, Entity: &habeas.Identity{PersonA: p.ID, PersonB: od.PersonID, Judgement: habeas.DifferentPersons}},
				"a person erased":  {Op: habeas.OpCreate, Entity: &habeas.Person{Names: []habeas.NameVariant{{Text: "X Y"}}, Erased: true}},
				"a person updated": {Op: habeas.OpUpdate, Entity: &habeas.Person{ID: p.ID, Names: []habeas.NameVariant{{Text: "Айгерім Секретова"}}}},
			} {
				if _, err := db.Apply(ctx, []habeas.Mutation{m}); err == nil {
					t.Errorf("%s of an erased person's record was accepted", what)
				}
			}
			if _, err := db.Erase(ctx, p.ID, "again"); habeas.ErrorCode(err) != habeas.ECONFLICT {
				t.Errorf("a second erasure: %v", err)
			}
			if _, err := db.Erase(ctx, od.ID, "not a person"); habeas.ErrorCode(err) != habeas.ENOTFOUND {
				t.Errorf("the erasure of a detention: %v", err)
			}
			es, err := db.Erasures(ctx)
			if err != nil || len(es) != 1 || es[0].PersonID != p.ID || es[0].Actor != "chief" || es[0].Reason == "" || es[0].Seq != cs[0].Seq {
				t.Errorf("erasures: %+v, %v", es, err)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func equalAggregates(a, b aggregates) bool {
	if a.almaty != b.almaty || a.criminal != b.criminal || a.all != b.all || len(a.counts) != len(b.counts) {
		return false
	}
	for k, n := range a.counts {
		if b.counts[k] != n {
			return false
		}
	}
	return true
}

// The destroyed key leaves no copy in SQLite's files: not in the
// database, not in its write-ahead log.
func TestErasedKeyLeavesTheFiles(t *testing.T) {
	dir := t.TempDir()
	ctx := habeas.WithActor(context.Background(), "chief")
	db, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Unlock(ctx, vault.NewMaster(), fileKey); err != nil {
		t.Fatal(err)
	}
	p, _, _ := secretPerson(t, db)
	var wrapped []byte
	if err := db.SQL().QueryRowContext(ctx, `SELECT wrapped FROM data_keys WHERE owner = $1`, p.ID).Scan(&wrapped); err != nil {
		t.Fatal(err)
	}
	// A checkpoint first, as a running server makes them: the key is
	// then in the database file itself.
	if _, err := db.SQL().ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	if !inFiles(t, dir, wrapped) {
		t.Fatal("the wrapped key is nowhere in the files before the erasure: the test finds nothing")
	}
	if _, err := db.Erase(ctx, p.ID, "test"); err != nil {
		t.Fatal(err)
	}
	if inFiles(t, dir, wrapped) {
		t.Error("the destroyed key is still in the register's files")
	}
}

// inFiles reports whether b is in any file under dir.
func inFiles(t *testing.T, dir string, b []byte) bool {
	t.Helper()
	found := false
	err := filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err == nil && bytes.Contains(data, b) {
			found = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// An erasure travels with an export: imported into another register, the
// person is erased there too, with the same counts, and a file whose
// erasure keeps more than an erasure keeps is refused.
func TestEraseExportImport(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := habeas.WithActor(context.Background(), "chief")
			db := unlocked(t, open, vault.NewMaster())
			p, src, _ := secretPerson(t, db)
			erasable(t, db, p, src)
			if _, err := db.Erase(ctx, p.ID, "the family asked"); err != nil {
				t.Fatal(err)
			}
			log, err := db.Changes(ctx, 0, 100000)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			target, err := sqlite.Open(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			defer target.Close()
			if err := target.Unlock(ctx, vault.NewMaster(), fileKey); err != nil {
				t.Fatal(err)
			}
			// Smuggled: an "erasure" that keeps the name.
			bad := *log[len(log)-1]
			for _, c := range log {
				if c.Op == habeas.OpErase && c.Kind == habeas.KindPerson {
					bad = *c
				}
			}
			bad.Data = []byte(strings.Replace(string(bad.Data), `"names":[]`, `"names":[{"text":"Айгерім Секретова","script":"Cyrl","kind":"as_written"}]`, 1))
			if err := target.Import(ctx, append(append([]*habeas.Change{}, log...), &bad)); err == nil {
				t.Error("an erasure keeping a name was imported")
			}
			if err := target.Import(ctx, log); err != nil {
				t.Fatal(err)
			}
			if a, b := aggregatesOf(t, db), aggregatesOf(t, target); !equalAggregates(a, b) {
				t.Errorf("aggregates differ: %+v here, %+v imported", a, b)
			}
			got, err := target.FindPersonByID(ctx, p.ID)
			if err != nil || !got.Erased {
				t.Errorf("imported person: %+v, %v", got, err)
			}
			es, err := target.Erasures(ctx)
			if err != nil || len(es) != 1 || es[0].PersonID != p.ID || es[0].Reason != "the family asked" {
				t.Errorf("imported erasures: %+v, %v", es, err)
			}
		})
	}
}
