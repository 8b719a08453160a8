package sqlstore_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/internal/vault"
	"github.com/habeas-project/habeas/names"
	"github.com/habeas-project/habeas/sqlite"
)

// The person search's index in memory answers as a walk over every live
// person would, after creates, renames and deletes, and after a second
// server sharing the register wrote: by any prefix of any word, by IIN,
// narrowed to identifiers, page by page, with the total.
func TestPersonIndexAnswersAsAWalk(t *testing.T) {
	ctx := habeas.WithActor(context.Background(), "tester")
	dir := t.TempDir()
	m := vault.NewMaster()
	open := func() *sqlstore.DB {
		db, err := sqlite.Open(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Unlock(ctx, m, sqlstore.KeyMode{Mode: "file"}); err != nil {
			t.Fatal(err)
		}
		return db
	}
	reader, writer := open(), open() // two servers
	r := rand.New(rand.NewPCG(13, 17))
	given := []string{"Айгүл", "Айгерим", "Ерлан", "Нурлан", "Nurlan", "Асель", "Данияр", "Жанар", "Aigul"}
	surnames := []string{"Кенжебаев", "Кенжебаева", "Сатпаев", "Нурланов", "Ахметов", "Akhmetov", "Жумабаев", "Исаев"}
	nameOf := func() []habeas.NameVariant {
		vs := []habeas.NameVariant{{Text: surnames[r.IntN(len(surnames))] + " " + given[r.IntN(len(given))]}}
		if r.IntN(3) == 0 {
			vs = append(vs, habeas.NameVariant{Text: given[r.IntN(len(given))] + " " + surnames[r.IntN(len(surnames))]})
		}
		return vs
	}
	var iins []string
	for serial := 100; len(iins) < 3; serial++ {
		if iin, ok := habeas.MakeIIN(time.Date(1990, 5, 12, 0, 0, 0, 0, time.UTC), habeas.SexMale, serial); ok {
			iins = append(iins, string(iin))
		}
	}
	live := map[string]*habeas.Person{}
	for i := range 400 {
		p := &habeas.Person{Names: nameOf()}
		if i%7 == 0 {
			p.IIN = habeas.IIN(iins[i%3])
		}
		if err := writer.Create(ctx, p); err != nil {
			t.Fatal(err)
		}
		live[p.ID] = p
		if i == 200 { // the reader builds its index halfway, and follows the rest
			if _, _, err := reader.FindPersons(ctx, habeas.PersonFilter{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	ids := slices.Sorted(func(yield func(string) bool) {
		for id := range live {
			if !yield(id) {
				return
			}
		}
	})
	for i, id := range ids {
		p := live[id]
		switch {
		case i%5 == 0:
			p.Names = nameOf()
			p.IIN = ""
			if err := writer.Update(ctx, p); err != nil {
				t.Fatal(err)
			}
		case i%11 == 0:
			if err := writer.Delete(ctx, habeas.KindPerson, id); err != nil {
				t.Fatal(err)
			}
			delete(live, id)
		}
	}
	walk := func(f habeas.PersonFilter) []string {
		var out []*habeas.Person
		typed := []string(nil)
		if f.Name != nil {
			typed = names.Keys(*f.Name)
		}
		for _, p := range live {
			if f.IIN != nil && string(p.IIN) != *f.IIN || f.IDs != nil && !slices.Contains(f.IDs, p.ID) {
				continue
			}
			var keys []string
			for _, n := range p.Names {
				keys = append(keys, names.Keys(n.Text)...)
			}
			ok := true
			for _, k := range typed {
				ok = ok && slices.ContainsFunc(keys, func(key string) bool { return strings.HasPrefix(key, k) })
			}
			if ok {
				out = append(out, p)
			}
		}
		slices.SortFunc(out, func(a, b *habeas.Person) int {
			fa, fb := sqlstore.FoldName(a.DisplayName()), sqlstore.FoldName(b.DisplayName())
			if c := strings.Compare(fa, fb); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		got := make([]string, len(out))
		for i, p := range out {
			got[i] = p.ID
		}
		return got
	}
	str := func(s string) *string { return &s }
	filters := []habeas.PersonFilter{{}, {IIN: str(iins[0])}, {IIN: str(iins[1])}, {IIN: str("000000000000")},
		{IDs: ids[:50]}, {IDs: ids[:5]}, {IDs: []string{}}}
	for _, q := range []string{"а", "ai", "aig", "Айг", "кенж", "kenzhebaev", "Кенжебаева", "нур", "Nurlan Akh", "Ерлан Сат", "zzz", "Ахметов Айгүл"} {
		filters = append(filters, habeas.PersonFilter{Name: str(q)}, habeas.PersonFilter{Name: str(q), IDs: ids[100:300]},
			habeas.PersonFilter{Name: str(q), IDs: ids[100:110]})
	}
	for _, f := range filters {
		want := walk(f)
		for _, page := range []habeas.Page{{Limit: 1000}, {Limit: 7}, {Offset: 7, Limit: 7}, {Offset: len(want) - 1, Limit: 5}} {
			if page.Offset < 0 {
				continue
			}
			ps, total, err := reader.FindPersons(ctx, habeas.PersonFilter{IIN: f.IIN, Name: f.Name, IDs: f.IDs, Page: page})
			if err != nil {
				t.Fatal(err)
			}
			got := make([]string, len(ps))
			for i, p := range ps {
				got[i] = p.ID
			}
			end := min(len(want), page.Offset+page.Limit)
			wantPage := []string{}
			if page.Offset < len(want) {
				wantPage = want[page.Offset:end]
			}
			if total != len(want) && !(f.Name != nil && len(names.Keys(*f.Name)) == 0) || !slices.Equal(got, wantPage) {
				name := ""
				if f.Name != nil {
					name = *f.Name
				}
				t.Errorf("name %q iin %v ids %d, page %+v: %d of %d, want %d of %d", name, f.IIN, len(f.IDs), page, len(got), total, len(wantPage), len(want))
			}
		}
	}
}
