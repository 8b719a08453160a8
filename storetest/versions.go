package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
)

// testVersions checks that a write made on a stale read of a record is
// refused and changes nothing, and that one made on the current version,
// or with no version at all, goes through.
func testVersions(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	f := seed(t, s)
	ctx := ctxAs("lawyer")
	tests := []struct {
		name      string
		del       bool
		changed   bool // another writer changes the record after it is read
		unchecked bool // the write carries no version
	}{
		{name: "update on a stale read", changed: true},
		{name: "delete on a stale read", del: true, changed: true},
		{name: "update on the current version"},
		{name: "delete on the current version", del: true},
		{name: "update without a version", changed: true, unchecked: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDetention(f.person.ID, "almaty", f.src.ID, time.Date(2022, 1, 5, 9, 0, 0, 0, time.UTC), habeas.ProcedureCriminal)
			must(t, s.Create(ctx, d))
			e, read, err := s.FindVersion(ctx, habeas.KindDetention, d.ID)
			must(t, err)
			if tt.changed {
				other := *e.(*habeas.Detention)
				other.Notes = "changed by another caseworker"
				must(t, s.Update(ctxAs("other"), &other))
			}
			want, now, err := s.FindVersion(ctx, habeas.KindDetention, d.ID)
			must(t, err)
			before := lastSeq(t, s)
			m := habeas.Mutation{Op: habeas.OpUpdate, Entity: d, Version: read}
			if tt.del {
				m = habeas.Mutation{Op: habeas.OpDelete, Kind: habeas.KindDetention, ID: d.ID, Version: read}
			}
			if tt.unchecked {
				m.Version = 0
			}
			d.Notes = "mine"
			changes, err := s.Apply(ctx, []habeas.Mutation{m})
			if tt.changed && !tt.unchecked {
				wantCode(t, err, habeas.ECONFLICT)
				msg := fmt.Sprintf("detention %s has changed since you read it (version %d, now %d)", d.ID, read, now)
				if !strings.Contains(err.Error(), msg) {
					t.Errorf("error %q does not say %q", err, msg)
				}
				if got := lastSeq(t, s); got != before {
					t.Errorf("a refused write wrote changes: seq %d -> %d", before, got)
				}
				got, version, err := s.FindVersion(ctx, habeas.KindDetention, d.ID)
				must(t, err)
				if version != now || !reflect.DeepEqual(got, want) {
					t.Errorf("a refused write changed the record: version %d -> %d, %+v -> %+v", now, version, want, got)
				}
				return
			}
			must(t, err)
			if len(changes) != 1 || changes[0].Seq != before+1 {
				t.Fatalf("got changes %v, want one, seq %d", changes, before+1)
			}
			_, version, err := s.FindVersion(ctx, habeas.KindDetention, d.ID)
			if tt.del {
				wantCode(t, err, habeas.ENOTFOUND)
				return
			}
			must(t, err)
			if version != changes[0].Seq {
				t.Errorf("version after the write: got %d, want its change's seq %d", version, changes[0].Seq)
			}
		})
	}
}

// testFindVersion checks that a record's version is the sequence of its
// last change in the log, through creates, updates, no-op updates and
// writes to other records, and that FindVersion finds what Find finds.
func testFindVersion(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	f := seed(t, s)
	ctx := ctxAs("x")
	check := func(when string, k habeas.Kind, id string) {
		t.Helper()
		h, err := s.History(ctx, id)
		must(t, err)
		e, version, err := s.FindVersion(ctx, k, id)
		must(t, err)
		if want := h[len(h)-1].Seq; version != want {
			t.Errorf("%s: version of %s: got %d, want %d (its last change)", when, id, version, want)
		}
		found, err := s.Find(ctx, k, id)
		must(t, err)
		if !reflect.DeepEqual(e, found) {
			t.Errorf("%s: FindVersion gave %+v, Find %+v", when, e, found)
		}
	}
	check("created", habeas.KindDetention, f.det.ID)
	check("created first", habeas.KindSource, f.src.ID)
	f.det.Notes = "seen by a lawyer"
	must(t, s.Update(ctx, f.det))
	check("updated", habeas.KindDetention, f.det.ID)
	must(t, s.Update(ctx, f.det))
	check("updated with no change", habeas.KindDetention, f.det.ID)
	must(t, s.Create(ctx, newSource("another")))
	check("after a write elsewhere", habeas.KindDetention, f.det.ID)

	for _, tt := range []struct {
		name string
		k    habeas.Kind
		id   string
	}{
		{"another kind", habeas.KindPerson, f.det.ID},
		{"absent", habeas.KindDetention, "det_doesnotexist0000"},
	} {
		_, _, err := s.FindVersion(ctx, tt.k, tt.id)
		wantCode(t, err, habeas.ENOTFOUND)
	}
	must(t, s.Delete(ctx, habeas.KindDetention, f.det.ID))
	_, _, err := s.FindVersion(ctx, habeas.KindDetention, f.det.ID)
	wantCode(t, err, habeas.ENOTFOUND)
}

// testTransactOwnWrites checks that reads inside a transaction see its
// own writes, and that Transact returns every change in order.
func testTransactOwnWrites(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	f := seed(t, s)
	ctx := ctxAs("hotline")
	before := lastSeq(t, s)
	p := newPerson("Transact Testuly", f.src.ID)
	p.ID = habeas.NewID(habeas.KindPerson)
	d := newDetention(p.ID, "almaty", f.src.ID, time.Date(2022, 1, 5, 11, 0, 0, 0, time.UTC), habeas.ProcedureAdministrative)
	d.ID = habeas.NewID(habeas.KindDetention)
	changes, err := s.Transact(ctx, func(tx habeas.Tx) error {
		if _, _, err := tx.Find(ctx, habeas.KindPerson, p.ID); habeas.ErrorCode(err) != habeas.ENOTFOUND {
			return fmt.Errorf("person before it is written: got %v, want not found", err)
		}
		cs, err := tx.Apply(ctx, []habeas.Mutation{{Op: habeas.OpCreate, Entity: p}, {Op: habeas.OpCreate, Entity: d}})
		if err != nil {
			return err
		}
		if len(cs) != 2 {
			return fmt.Errorf("apply: got %d changes, want 2", len(cs))
		}
		ds, err := tx.FindReferring(ctx, habeas.KindDetention, p.ID)
		if err != nil || len(ds) != 1 || ds[0].GetID() != d.ID {
			return fmt.Errorf("detentions of the new person: got %v, %v; want %s", ds, err, d.ID)
		}
		e, version, err := tx.Find(ctx, habeas.KindDetention, d.ID)
		if err != nil {
			return err
		}
		if version != cs[1].Seq {
			return fmt.Errorf("version of the new detention: got %d, want %d", version, cs[1].Seq)
		}
		got := e.(*habeas.Detention)
		got.Notes = "second report"
		_, err = tx.Apply(ctx, []habeas.Mutation{{Op: habeas.OpUpdate, Entity: got, Version: version}})
		return err
	})
	must(t, err)
	var ops []string
	for i, c := range changes {
		ops = append(ops, string(c.Op)+" "+c.ID)
		if c.Seq != before+int64(i)+1 {
			t.Errorf("change %d has seq %d, want %d", i, c.Seq, before+int64(i)+1)
		}
	}
	want := []string{"create " + p.ID, "create " + d.ID, "update " + d.ID}
	if !reflect.DeepEqual(ops, want) {
		t.Fatalf("changes: got %v, want %v", ops, want)
	}
	got, version, err := s.FindVersion(ctx, habeas.KindDetention, d.ID)
	must(t, err)
	if got.(*habeas.Detention).Notes != "second report" || version != changes[2].Seq {
		t.Errorf("after commit: notes %q, version %d; want the update, %d", got.(*habeas.Detention).Notes, version, changes[2].Seq)
	}
}

// testTransactRollback checks that a transaction whose function fails, or
// one of whose writes fails, writes nothing, even when the function goes
// on after the failure.
func testTransactRollback(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	f := seed(t, s)
	ctx := ctxAs("x")
	errChanged := errors.New("changed my mind")
	_, version, err := s.FindVersion(ctx, habeas.KindDetention, f.det.ID)
	must(t, err)
	tests := []struct {
		name  string
		fn    func(tx habeas.Tx) error
		check func(t *testing.T, err error)
	}{
		{"function fails", func(tx habeas.Tx) error {
			if _, err := tx.Apply(ctx, []habeas.Mutation{{Op: habeas.OpCreate, Entity: newSource("undone")}}); err != nil {
				return err
			}
			return errChanged
		}, func(t *testing.T, err error) {
			if !errors.Is(err, errChanged) {
				t.Errorf("got %v, want the function's error", err)
			}
		}},
		{"write fails, function ignores it", func(tx habeas.Tx) error {
			tx.Apply(ctx, []habeas.Mutation{{Op: habeas.OpCreate, Entity: newSource("undone")}})
			tx.Apply(ctx, []habeas.Mutation{{Op: habeas.OpCreate, Entity: newSource("fine")}, {Op: habeas.OpCreate, Entity: &habeas.Person{}}})
			_, err := tx.Apply(ctx, []habeas.Mutation{{Op: habeas.OpCreate, Entity: newSource("after the failure")}})
			if err == nil {
				return errors.New("a write after a failed one succeeded")
			}
			return nil
		}, func(t *testing.T, err error) {
			var be *habeas.BatchError
			if !errors.As(err, &be) || be.Index != 1 || habeas.ErrorCode(err) != habeas.EINVALID {
				t.Errorf("got %v, want the invalid second item of the failed batch", err)
			}
		}},
		{"stale version", func(tx habeas.Tx) error {
			if _, err := tx.Apply(ctx, []habeas.Mutation{{Op: habeas.OpCreate, Entity: newSource("undone")}}); err != nil {
				return err
			}
			_, err := tx.Apply(ctx, []habeas.Mutation{{Op: habeas.OpDelete, Kind: habeas.KindDetention, ID: f.det.ID, Version: version - 1}})
			return err
		}, func(t *testing.T, err error) { wantCode(t, err, habeas.ECONFLICT) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := lastSeq(t, s)
			counts, err := s.Counts(ctx)
			must(t, err)
			changes, err := s.Transact(ctx, tt.fn)
			tt.check(t, err)
			if changes != nil {
				t.Errorf("a failed transaction returned changes %v", changes)
			}
			if got := lastSeq(t, s); got != before {
				t.Errorf("a failed transaction wrote changes: seq %d -> %d", before, got)
			}
			after, err := s.Counts(ctx)
			must(t, err)
			if !reflect.DeepEqual(after, counts) {
				t.Errorf("a failed transaction changed projections: %v -> %v", counts, after)
			}
		})
	}
}

func testConcurrentTransacts(t *testing.T, open Opener) {
	ConcurrentAppends(t, open(t, time.Now))
}

// ConcurrentAppends checks that 16 writers, each reading one detention in
// a transaction and appending an event to it on the version read, all
// land: every event is there afterwards, and the log holds one update for
// each. The writers take turns over stores, which may be one store or
// several opened on one database, as several servers would.
func ConcurrentAppends(t *testing.T, stores ...Store) {
	t.Helper()
	s := stores[0]
	f := seed(t, s)
	before := lastSeq(t, s)
	const writers = 16
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Go(func() {
			ctx := ctxAs(fmt.Sprintf("writer %d", i))
			_, err := stores[i%len(stores)].Transact(ctx, func(tx habeas.Tx) error {
				e, version, err := tx.Find(ctx, habeas.KindDetention, f.det.ID)
				if err != nil {
					return err
				}
				d := e.(*habeas.Detention)
				d.Events = append(d.Events, habeas.Event{Type: habeas.EventWhereaboutsStated,
					At: time.Date(2022, 1, 6, 10, i, 0, 0, time.UTC), Place: fmt.Sprintf("report %d", i), Sources: []string{f.src.ID}})
				_, err = tx.Apply(ctx, []habeas.Mutation{{Op: habeas.OpUpdate, Entity: d, Version: version}})
				return err
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	d, err := s.FindDetentionByID(context.Background(), f.det.ID)
	must(t, err)
	places := map[string]bool{}
	for _, e := range d.Events {
		places[e.Place] = true
	}
	for i := range writers {
		if !places[fmt.Sprintf("report %d", i)] {
			t.Errorf("report %d is lost", i)
		}
	}
	changes, err := s.Changes(context.Background(), before, 1000)
	must(t, err)
	if len(changes) != writers {
		t.Fatalf("got %d changes, want %d", len(changes), writers)
	}
	for _, c := range changes {
		if c.Op != habeas.OpUpdate || c.ID != f.det.ID {
			t.Errorf("change %d: %s of %s, want an update of %s", c.Seq, c.Op, c.ID, f.det.ID)
		}
	}
}
