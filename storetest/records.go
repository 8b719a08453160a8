package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
)

func testCreateFind(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	f := seed(t, s)
	if !habeas.ValidID(habeas.KindDetention, f.det.ID) {
		t.Fatalf("create gave id %q, want a detention id", f.det.ID)
	}
	got, err := s.FindDetentionByID(context.Background(), f.det.ID)
	must(t, err)
	if !reflect.DeepEqual(got, f.det) {
		t.Fatalf("got %+v, want %+v", got, f.det)
	}
	if got.Events[0].Zone != "Asia/Almaty" || got.Events[0].ID != "e1" {
		t.Fatalf("normalised event: got zone %q id %q, want Asia/Almaty e1", got.Events[0].Zone, got.Events[0].ID)
	}
	p, err := s.FindPersonByID(context.Background(), f.person.ID)
	must(t, err)
	if p.Names[0].Script != "Cyrl" {
		t.Fatalf("script: got %q, want Cyrl", p.Names[0].Script)
	}
	_, err = s.Find(context.Background(), habeas.KindPerson, f.det.ID)
	wantCode(t, err, habeas.ENOTFOUND)
	_, err = s.FindPersonByID(context.Background(), "per_doesnotexist0000")
	wantCode(t, err, habeas.ENOTFOUND)
	c, err := s.Counts(context.Background())
	must(t, err)
	if c[habeas.KindPerson] != 1 || c[habeas.KindDetention] != 1 || c[habeas.KindSource] != 1 {
		t.Fatalf("counts: got %v, want one of each", c)
	}
}

func testChangeLog(t *testing.T, open Opener) {
	clk := newClock()
	s := open(t, clk.now)
	f := seed(t, s)
	clk.t = clk.t.Add(time.Hour)
	f.det.Events = append(f.det.Events, habeas.Event{Type: habeas.EventRelease, At: time.Date(2022, 1, 6, 8, 0, 0, 0, time.UTC), Sources: []string{f.src.ID}})
	must(t, s.Update(ctxAs("coordinator"), f.det))

	h, err := s.History(context.Background(), f.det.ID)
	must(t, err)
	if len(h) != 2 {
		t.Fatalf("history: got %d changes, want 2", len(h))
	}
	if h[0].Op != habeas.OpCreate || h[1].Op != habeas.OpUpdate {
		t.Fatalf("ops: got %s, %s, want create, update", h[0].Op, h[1].Op)
	}
	if h[0].Actor != "tester" || h[1].Actor != "coordinator" {
		t.Fatalf("actors: got %q, %q", h[0].Actor, h[1].Actor)
	}
	if !h[1].At.Equal(clk.t) || !h[0].At.Equal(newClock().t) {
		t.Fatalf("times: got %v, %v; want the store clock", h[0].At, h[1].At)
	}
	if h[1].Seq != h[0].Seq+1 {
		t.Fatalf("sequences: got %d then %d, want consecutive", h[0].Seq, h[1].Seq)
	}
	if want := []string{f.src.ID}; !reflect.DeepEqual(h[1].Sources, want) {
		t.Fatalf("sources: got %v, want %v", h[1].Sources, want)
	}
	// The change holds the canonical new state, and the first one still holds the old.
	want, _ := habeas.Canonical(f.det)
	if string(h[1].Data) != string(want) {
		t.Fatalf("data:\n got %s\nwant %s", h[1].Data, want)
	}
	old, err := h[0].Entity()
	must(t, err)
	if n := len(old.(*habeas.Detention).Events); n != 2 {
		t.Fatalf("first change: got %d events, want 2 (the state then)", n)
	}
	all, err := s.Changes(context.Background(), 0, 100)
	must(t, err)
	for i, c := range all {
		if c.Seq != int64(i+1) {
			t.Fatalf("change %d has seq %d: sequences must be gapless from 1", i, c.Seq)
		}
	}
	if got := lastSeq(t, s); got != int64(len(all)) {
		t.Fatalf("LastSeq: got %d, want %d", got, len(all))
	}
	got, err := s.FindDetentionByID(context.Background(), f.det.ID)
	must(t, err)
	if got.Status() != habeas.StatusReleased {
		t.Fatalf("status after release: got %s", got.Status())
	}
}

func testUpdateNoop(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	f := seed(t, s)
	before := lastSeq(t, s)
	same, err := s.FindDetentionByID(context.Background(), f.det.ID)
	must(t, err)
	must(t, s.Update(ctxAs("x"), same))
	if got := lastSeq(t, s); got != before {
		t.Fatalf("an update that changes nothing wrote a change: seq %d -> %d", before, got)
	}
	missing := newSource("never stored")
	missing.ID = "src_neverstored0000"
	wantCode(t, s.Update(ctxAs("x"), missing), habeas.ENOTFOUND)
}

func testDeleteTombstone(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	f := seed(t, s)
	ctx := ctxAs("admin")
	must(t, s.Delete(ctx, habeas.KindDetention, f.det.ID))
	_, err := s.FindDetentionByID(context.Background(), f.det.ID)
	wantCode(t, err, habeas.ENOTFOUND)
	h, err := s.History(context.Background(), f.det.ID)
	must(t, err)
	if len(h) != 2 || h[1].Op != habeas.OpDelete || h[1].Data != nil || h[1].Actor != "admin" {
		t.Fatalf("history after delete: got %d changes, last %+v; want a tombstone by admin", len(h), h[len(h)-1])
	}
	// The identifier of a deleted record is never reused.
	again := newDetention(f.person.ID, "almaty", f.src.ID, time.Date(2022, 1, 5, 8, 0, 0, 0, time.UTC), "")
	again.ID = f.det.ID
	wantCode(t, s.Create(ctx, again), habeas.ECONFLICT)
	wantCode(t, s.Delete(ctx, habeas.KindDetention, f.det.ID), habeas.ENOTFOUND)
	// With the detention gone, nothing refers to the person any more.
	must(t, s.Delete(ctx, habeas.KindPerson, f.person.ID))
	_, total, err := s.FindDetentions(context.Background(), habeas.DetentionFilter{})
	must(t, err)
	if total != 0 {
		t.Fatalf("detentions after delete: got %d, want 0", total)
	}
}

func testDeleteReferenced(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	f := seed(t, s)
	before := lastSeq(t, s)
	for _, del := range []struct {
		kind habeas.Kind
		id   string
	}{{habeas.KindPerson, f.person.ID}, {habeas.KindSource, f.src.ID}} {
		err := s.Delete(ctxAs("x"), del.kind, del.id)
		wantCode(t, err, habeas.ECONFLICT)
	}
	if got := lastSeq(t, s); got != before {
		t.Fatalf("refused deletes wrote changes: seq %d -> %d", before, got)
	}
	if _, err := s.FindPersonByID(context.Background(), f.person.ID); err != nil {
		t.Fatalf("person gone after a refused delete: %v", err)
	}
}

func testInvalidWritesNothing(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	f := seed(t, s)
	before := lastSeq(t, s)
	bad := newDetention(f.person.ID, "atlantis", f.src.ID, time.Date(2022, 1, 5, 8, 0, 0, 0, time.UTC), "")
	bad.Events = append(bad.Events, habeas.Event{Type: habeas.EventCourtAppearance, At: time.Date(2022, 1, 6, 8, 0, 0, 0, time.UTC)})
	err := s.Create(ctxAs("x"), bad)
	wantCode(t, err, habeas.EINVALID)
	wantField(t, err, "city")
	wantField(t, err, "events[1].decision")
	if got := lastSeq(t, s); got != before {
		t.Fatalf("invalid create wrote changes: seq %d -> %d", before, got)
	}
	upd := *f.det
	upd.Events = nil
	err = s.Update(ctxAs("x"), &upd)
	wantCode(t, err, habeas.EINVALID)
	wantField(t, err, "events")
	got, err := s.FindDetentionByID(context.Background(), f.det.ID)
	must(t, err)
	if len(got.Events) != 2 {
		t.Fatalf("invalid update changed the record: %d events", len(got.Events))
	}
}

func testMissingReference(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	f := seed(t, s)
	d := newDetention("per_missing000000000", "aktau", "src_missing000000000", time.Date(2022, 1, 3, 8, 0, 0, 0, time.UTC), "")
	err := s.Create(ctxAs("x"), d)
	wantCode(t, err, habeas.EINVALID)
	wantField(t, err, "person_id")
	wantField(t, err, "events[0].sources")
	// A reference of the wrong kind is refused too.
	d2 := newDetention(f.src.ID, "aktau", f.src.ID, time.Date(2022, 1, 3, 8, 0, 0, 0, time.UTC), "")
	err = s.Create(ctxAs("x"), d2)
	wantCode(t, err, habeas.EINVALID)
}

func testBatchAllOrNothing(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	f := seed(t, s)
	before := lastSeq(t, s)
	counts, err := s.Counts(context.Background())
	must(t, err)
	src := newSource("official list")
	p := newPerson("Erlan Testuly", "")
	muts := []habeas.Mutation{
		{Op: habeas.OpCreate, Entity: src},
		{Op: habeas.OpCreate, Entity: p},
		{Op: habeas.OpCreate, Entity: &habeas.Person{}}, // invalid: no name
	}
	_, err = s.Apply(ctxAs("x"), muts)
	wantCode(t, err, habeas.EINVALID)
	wantField(t, err, "names")
	var be *habeas.BatchError
	if !errors.As(err, &be) || be.Index != 2 {
		t.Fatalf("got %v, want a *habeas.BatchError of item 2", err)
	}
	if got := lastSeq(t, s); got != before {
		t.Fatalf("failed batch wrote changes: seq %d -> %d", before, got)
	}
	after, err := s.Counts(context.Background())
	must(t, err)
	if !reflect.DeepEqual(after, counts) {
		t.Fatalf("failed batch changed projections: %v -> %v", counts, after)
	}
	// A batch may refer to what it creates earlier in the same batch.
	src2 := newSource("official list")
	p2 := newPerson("Erlan Testuly", "")
	p2.ID = habeas.NewID(habeas.KindPerson)
	src2.ID = habeas.NewID(habeas.KindSource)
	p2.Sources = []string{src2.ID}
	changes, err := s.Apply(ctxAs("x"), []habeas.Mutation{
		{Op: habeas.OpCreate, Entity: src2},
		{Op: habeas.OpCreate, Entity: p2},
		{Op: habeas.OpCreate, Entity: newDetention(p2.ID, "taraz", f.src.ID, time.Date(2022, 1, 5, 3, 0, 0, 0, time.UTC), habeas.ProcedureCriminal)},
	})
	must(t, err)
	if len(changes) != 3 || changes[2].Seq != before+3 {
		t.Fatalf("batch: got %d changes, last seq %d; want 3 ending at %d", len(changes), changes[len(changes)-1].Seq, before+3)
	}
}

func testConflicts(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	f := seed(t, s)
	dup := newSource("again")
	dup.ID = f.src.ID
	wantCode(t, s.Create(ctxAs("x"), dup), habeas.ECONFLICT)
	// An update may not change what kind of record an identifier names.
	wrong := newSource("x")
	wrong.ID = f.person.ID
	err := s.Update(ctxAs("x"), wrong)
	if err == nil {
		t.Fatal("updating a person as a source succeeded")
	}
}

func testFindDetentions(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	ctx := ctxAs("x")
	src := newSource("list")
	must(t, s.Create(ctx, src))
	day := func(d, h int) time.Time { return time.Date(2022, 1, d, h, 0, 0, 0, time.UTC) }
	specs := []struct {
		city string
		at   time.Time
		proc habeas.Procedure
		rel  bool
	}{
		{"almaty", day(4, 10), habeas.ProcedureAdministrative, false},
		{"almaty", day(5, 10), habeas.ProcedureCriminal, true},
		{"almaty", day(6, 10), habeas.ProcedureCriminal, false},
		{"aktau", day(2, 10), habeas.ProcedureAdministrative, false},
		{"aktau", day(7, 10), habeas.ProcedureAdministrative, true},
	}
	var muts []habeas.Mutation
	for i, sp := range specs {
		p := newPerson(fmt.Sprintf("Test Person %d", i), src.ID)
		p.ID = habeas.NewID(habeas.KindPerson)
		d := newDetention(p.ID, sp.city, src.ID, sp.at, sp.proc)
		if sp.rel {
			d.Events = append(d.Events, habeas.Event{Type: habeas.EventRelease, At: sp.at.Add(5 * time.Hour)})
		}
		muts = append(muts, habeas.Mutation{Op: habeas.OpCreate, Entity: p}, habeas.Mutation{Op: habeas.OpCreate, Entity: d})
	}
	_, err := s.Apply(ctx, muts)
	must(t, err)
	str := func(s string) *string { return &s }
	proc := func(p habeas.Procedure) *habeas.Procedure { return &p }
	st := func(x habeas.Status) *habeas.Status { return &x }
	tm := func(t time.Time) *time.Time { return &t }
	tests := []struct {
		name  string
		f     habeas.DetentionFilter
		total int
		first time.Time
	}{
		{"all", habeas.DetentionFilter{}, 5, day(7, 10)},
		{"city", habeas.DetentionFilter{City: str("almaty")}, 3, day(6, 10)},
		{"procedure", habeas.DetentionFilter{Procedure: proc(habeas.ProcedureCriminal)}, 2, day(6, 10)},
		{"status", habeas.DetentionFilter{Status: st(habeas.StatusReleased)}, 2, day(7, 10)},
		{"range", habeas.DetentionFilter{From: tm(day(4, 0)), To: tm(day(6, 10))}, 2, day(5, 10)},
		{"combined", habeas.DetentionFilter{City: str("aktau"), Status: st(habeas.StatusInCustody)}, 1, day(2, 10)},
		{"none", habeas.DetentionFilter{City: str("semey")}, 0, time.Time{}},
		{"page", habeas.DetentionFilter{Page: habeas.Page{Offset: 1, Limit: 2}}, 5, day(6, 10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := s.FindDetentions(context.Background(), tt.f)
			must(t, err)
			if total != tt.total {
				t.Fatalf("total: got %d, want %d", total, tt.total)
			}
			if tt.total == 0 {
				if len(got) != 0 {
					t.Fatalf("got %d items, want none", len(got))
				}
				return
			}
			if !got[0].ArrestedAt().Equal(tt.first) {
				t.Fatalf("first: got %v, want %v (latest arrest first)", got[0].ArrestedAt(), tt.first)
			}
			if tt.f.Limit > 0 && len(got) > tt.f.Limit {
				t.Fatalf("page: got %d items, limit %d", len(got), tt.f.Limit)
			}
		})
	}
}

func testFindPersons(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	ctx := ctxAs("x")
	birth := time.Date(1994, 3, 17, 0, 0, 0, 0, time.UTC)
	iin, ok := habeas.MakeIIN(birth, habeas.SexFemale, 1234)
	for serial := 1235; !ok; serial++ {
		iin, ok = habeas.MakeIIN(birth, habeas.SexFemale, serial)
	}
	p := &habeas.Person{Names: []habeas.NameVariant{{Text: "Әсел Тестова"}}, Sex: habeas.SexFemale, IIN: iin,
		Birth: habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1994-03-17"}}
	must(t, s.Create(ctx, p))
	must(t, s.Create(ctx, newPerson("Бауыржан Тестов", "")))
	got, total, err := s.FindPersons(context.Background(), habeas.PersonFilter{IIN: (*string)(&iin)})
	must(t, err)
	if total != 1 || got[0].ID != p.ID {
		t.Fatalf("by IIN: got %d", total)
	}
	byID, err := s.FindPersonsByID(context.Background(), []string{p.ID, "per_missing000000000", p.ID})
	must(t, err)
	if len(byID) != 1 || byID[p.ID] == nil || byID[p.ID].IIN != iin {
		t.Fatalf("FindPersonsByID: got %v, want only %s", byID, p.ID)
	}
	aidos := &habeas.Person{Names: []habeas.NameVariant{{Text: "СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ"}, {Text: "Айдос Серикбаев"}}}
	must(t, s.Create(ctx, aidos))
	// Any script, any order, a half-typed last word; patronymics are not needed.
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"әсел", []string{p.ID}},
		{"Assel Testova", []string{p.ID}},
		{"Serikbayev Aidos", []string{aidos.ID}},
		{"aidos serikb", []string{aidos.ID}},
		{"Серикб", []string{aidos.ID}},
		{"Айдар Серикбаев", nil},
		{"", nil},
	} {
		q := tt.query
		got, total, err := s.FindPersons(context.Background(), habeas.PersonFilter{Name: &q})
		must(t, err)
		var ids []string
		for _, g := range got {
			ids = append(ids, g.ID)
		}
		if total != len(tt.want) || !reflect.DeepEqual(ids, tt.want) {
			t.Fatalf("search %q: got %v (total %d), want %v", q, ids, total, tt.want)
		}
	}
	// A person whose IIN contradicts the recorded birth date is refused.
	bad := *p
	bad.ID = ""
	bad.Birth = habeas.BirthDate{Precision: habeas.PrecisionYear, Date: "1990"}
	err = s.Create(ctx, &bad)
	wantCode(t, err, habeas.EINVALID)
	wantField(t, err, "iin")
}

func testFindReferring(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	f := seed(t, s)
	ctx := ctxAs("x")
	l := &habeas.Lawyer{Name: "Test Advocate", City: "almaty", Active: true}
	must(t, s.Create(ctx, l))
	a := &habeas.Assignment{LawyerID: l.ID, DetentionID: f.det.ID, Kind: habeas.AssignmentLegalAid, From: time.Date(2022, 1, 6, 9, 0, 0, 0, time.UTC)}
	must(t, s.Create(ctx, a))
	got, err := s.FindReferring(context.Background(), habeas.KindAssignment, f.det.ID)
	must(t, err)
	if len(got) != 1 || got[0].GetID() != a.ID {
		t.Fatalf("assignments of the detention: got %v", got)
	}
	dets, err := s.FindReferring(context.Background(), habeas.KindDetention, f.person.ID)
	must(t, err)
	if len(dets) != 1 || dets[0].GetID() != f.det.ID {
		t.Fatalf("detentions of the person: got %v", dets)
	}
	// After the assignment ends on another lawyer, references follow the new state.
	l2 := &habeas.Lawyer{Name: "Second Advocate"}
	must(t, s.Create(ctx, l2))
	a.LawyerID = l2.ID
	must(t, s.Update(ctx, a))
	got, err = s.FindReferring(context.Background(), habeas.KindAssignment, l.ID)
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("old lawyer still referred to after update: %v", got)
	}
	must(t, s.Delete(ctx, habeas.KindLawyer, l.ID))
}

func testFindByKind(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	f := seed(t, s)
	ctx := ctxAs("x")
	var ids []string
	for _, name := range []string{"Advocate One", "Advocate Two", "Advocate Three"} {
		l := &habeas.Lawyer{Name: name, Active: true}
		must(t, s.Create(ctx, l))
		ids = append(ids, l.ID)
	}
	must(t, s.Delete(ctx, habeas.KindLawyer, ids[1]))
	live := []string{ids[0], ids[2]}
	slices.Sort(live)
	got, total, err := s.FindByKind(context.Background(), habeas.KindLawyer, habeas.Page{})
	must(t, err)
	var gotIDs []string
	for _, e := range got {
		gotIDs = append(gotIDs, e.(*habeas.Lawyer).ID)
	}
	if total != 2 || !slices.Equal(gotIDs, live) {
		t.Errorf("lawyers: got %v of %d, want %v of 2", gotIDs, total, live)
	}
	page, total, err := s.FindByKind(context.Background(), habeas.KindLawyer, habeas.Page{Offset: 1, Limit: 1})
	must(t, err)
	if total != 2 || len(page) != 1 || page[0].GetID() != live[1] {
		t.Errorf("second page of one: got %v of %d, want [%s] of 2", page, total, live[1])
	}
	dets, total, err := s.FindByKind(context.Background(), habeas.KindDetention, habeas.Page{})
	must(t, err)
	if total != 1 || len(dets) != 1 || dets[0].GetID() != f.det.ID {
		t.Errorf("detentions: got %v of %d, want the one seeded", dets, total)
	}
}

func testImportReplay(t *testing.T, open Opener) {
	clk := newClock()
	src := open(t, clk.now)
	f := seed(t, src)
	clk.t = clk.t.Add(2 * time.Hour)
	f.det.Procedure = habeas.ProcedureCriminal
	must(t, src.Update(ctxAs("lawyer1"), f.det))
	changes, err := src.Changes(context.Background(), 0, 1000)
	must(t, err)

	dst := open(t, time.Now)
	must(t, dst.Import(ctxAs("importer"), changes))
	replayed, err := dst.Changes(context.Background(), 0, 1000)
	must(t, err)
	// Each is recorded as imported by the account importing it, and is,
	// as the log claimed it, the change replayed.
	for i, c := range replayed {
		if c.Actor != "importer" || c.Imported == nil {
			t.Fatalf("change %d is not recorded as imported by the importer: %+v", c.Seq, c)
		}
		cc := *c
		cc.Actor, cc.At, cc.Imported = c.Imported.Actor, c.Imported.At, nil
		replayed[i] = &cc
	}
	a, _ := json.Marshal(changes)
	b, _ := json.Marshal(replayed)
	if string(a) != string(b) {
		t.Fatalf("replayed log differs:\n got %s\nwant %s", b, a)
	}
	got, err := dst.FindDetentionByID(context.Background(), f.det.ID)
	must(t, err)
	if got.Procedure != habeas.ProcedureCriminal {
		t.Fatalf("projection after import: procedure %q", got.Procedure)
	}
}

func testImportRejects(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	good := newSource("ok")
	good.ID = "src_aaaaaaaaaaaaaaaa"
	data, _ := habeas.Canonical(good)
	at := time.Date(2022, 1, 6, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		c     habeas.Change
		field string
	}{
		{"kind", habeas.Change{At: at, Actor: "a", Kind: "alien", ID: "ali_aaaaaaaaaaaaaaaa", Op: habeas.OpCreate, Data: data}, "entity"},
		{"id", habeas.Change{At: at, Actor: "a", Kind: habeas.KindSource, ID: "per_aaaaaaaaaaaaaaaa", Op: habeas.OpCreate, Data: data}, "id"},
		{"op", habeas.Change{At: at, Actor: "a", Kind: habeas.KindSource, ID: good.ID, Op: "upsert", Data: data}, "op"},
		{"actor", habeas.Change{At: at, Kind: habeas.KindSource, ID: good.ID, Op: habeas.OpCreate, Data: data}, "actor"},
		{"unknown field", habeas.Change{At: at, Actor: "a", Kind: habeas.KindSource, ID: good.ID, Op: habeas.OpCreate, Data: []byte(`{"id":"src_aaaaaaaaaaaaaaaa","colour":"red"}`)}, "data"},
		{"invalid data", habeas.Change{At: at, Actor: "a", Kind: habeas.KindSource, ID: good.ID, Op: habeas.OpCreate, Data: []byte(`{"id":"src_aaaaaaaaaaaaaaaa","kind":"rumour"}`)}, "kind"},
		{"delete missing", habeas.Change{At: at, Actor: "a", Kind: habeas.KindSource, ID: good.ID, Op: habeas.OpDelete}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			valid := habeas.Change{At: at, Actor: "a", Kind: habeas.KindSource, ID: "src_bbbbbbbbbbbbbbbb", Op: habeas.OpCreate,
				Data: []byte(`{"id":"src_bbbbbbbbbbbbbbbb","kind":"media","title":"t","reliability":"C","credibility":3,"received_at":"2022-01-06T09:00:00Z","consent_to_publish":false,"confidentiality":"open"}`)}
			c := tt.c
			err := s.Import(context.Background(), []*habeas.Change{&valid, &c})
			if err == nil {
				t.Fatal("import succeeded")
			}
			if tt.field != "" {
				wantField(t, err, tt.field)
			}
			if got := lastSeq(t, s); got != 0 {
				t.Fatalf("rejected import wrote %d changes", got)
			}
		})
	}
}

// testConcurrentWriters checks that writers racing on one store produce a
// gapless sequence with every write recorded exactly once.
func testConcurrentWriters(t *testing.T, open Opener) {
	s := open(t, time.Now)
	const writers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if err := s.Create(ctxAs(fmt.Sprintf("w%d", w)), newSource(fmt.Sprintf("source %d/%d", w, i))); err != nil {
					errs <- err
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	all, err := s.Changes(context.Background(), 0, 1000)
	must(t, err)
	if len(all) != writers*each {
		t.Fatalf("got %d changes, want %d", len(all), writers*each)
	}
	for i, c := range all {
		if c.Seq != int64(i+1) {
			t.Fatalf("change %d has seq %d: not gapless", i, c.Seq)
		}
	}
}

// testIdentity checks that a merge is a record of its own: both persons
// stay, neither can be deleted while the merge stands, and deleting the
// merge (undo) leaves a tombstone in the history.
func testIdentity(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	f := seed(t, s)
	ctx := ctxAs("reviewer")
	other := newPerson("Aidana Testova", f.src.ID)
	must(t, s.Create(ctx, other))
	merge := &habeas.Identity{PersonA: other.ID, PersonB: f.person.ID, Judgement: habeas.SamePerson, Probability: 0.7}
	must(t, s.Create(ctx, merge))
	if merge.PersonA > merge.PersonB {
		t.Fatal("the stored pair is not in identifier order")
	}
	wantCode(t, s.Delete(ctx, habeas.KindPerson, other.ID), habeas.ECONFLICT)
	// A pair is judged once: a second or contrary judgement needs an undo first.
	again := &habeas.Identity{PersonA: f.person.ID, PersonB: other.ID, Judgement: habeas.DifferentPersons}
	wantCode(t, s.Create(ctx, again), habeas.ECONFLICT)
	got, err := s.FindReferring(context.Background(), habeas.KindIdentity, other.ID)
	must(t, err)
	if len(got) != 1 || got[0].GetID() != merge.ID {
		t.Fatalf("identities of the person: got %v", got)
	}
	must(t, s.Delete(ctx, habeas.KindIdentity, merge.ID))
	must(t, s.Create(ctx, again)) // after the undo the pair may be judged anew
	must(t, s.Delete(ctx, habeas.KindIdentity, again.ID))
	for _, id := range []string{f.person.ID, other.ID} {
		if _, err := s.FindPersonByID(context.Background(), id); err != nil {
			t.Fatalf("person %s after undoing the merge: %v", id, err)
		}
	}
	h, err := s.History(context.Background(), merge.ID)
	must(t, err)
	if len(h) != 2 || h[1].Op != habeas.OpDelete || h[1].Actor != "reviewer" { // the merge: created, undone
		t.Fatalf("history of the merge: %d changes", len(h))
	}
	// "per_zzz..." sorts after every generated identifier, so it stays person_b.
	bad := &habeas.Identity{PersonA: other.ID, PersonB: "per_zzzzzzzzzzzzzzzz", Judgement: habeas.DifferentPersons}
	err = s.Create(ctx, bad)
	wantCode(t, err, habeas.EINVALID)
	wantField(t, err, "person_b")
}
