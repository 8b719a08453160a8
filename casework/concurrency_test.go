package casework_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/alerts"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/postgres"
	"github.com/habeas-project/habeas/postgres/pgtest"
	"github.com/habeas-project/habeas/rules"
	"github.com/habeas-project/habeas/sqlite"
)

// eachStore runs fn on the two real stores the workflows are tested on,
// each in a subtest: SQLite in a temporary directory, and PostgreSQL in a
// schema of its own, opened twice, as two servers sharing one database
// are (for SQLite both are the same store). PostgreSQL skips, or fails
// under CI, as pgtest.DSN says.
func eachStore(t *testing.T, fn func(t *testing.T, dbs [2]*sqlstore.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		db, err := sqlite.Open(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, [2]*sqlstore.DB{db, db})
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := pgtest.Schema(t, pgtest.DSN(t))
		var dbs [2]*sqlstore.DB
		for i := range dbs {
			db, err := postgres.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			dbs[i] = db
		}
		fn(t, dbs)
	})
}

// service is the casework layer over db, with the built-in rule packs,
// judging at a fixed moment.
func service(db *sqlstore.DB) *casework.Service {
	now := time.Date(2022, 1, 6, 12, 0, 0, 0, time.UTC)
	packs, err := rules.DefaultPacks()
	if err != nil {
		panic(err)
	}
	eng, err := rules.NewEngine(packs...)
	if err != nil {
		panic(err)
	}
	return casework.New(casework.Config{Records: db, Changes: db, Persons: db, Detentions: db, Stats: db, Views: db,
		Alerts: alerts.New(eng, db), Audit: db, Now: func() time.Time { return now }})
}

var operator = &habeas.User{Name: "operator", Role: habeas.RoleCaseworker}

// firstReport registers a person and their detention through an intake.
func firstReport(t *testing.T, work *casework.Service) *casework.IntakeResult {
	t.Helper()
	res, err := work.Intake(context.Background(), operator, report("", "first caller"))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// report is a hotline call about a person as an operator types it.
func report(personID, caller string) casework.Intake {
	return casework.Intake{PersonID: personID, Name: "Ерлан Сатпаев", City: "almaty", Date: "2022-01-06", Time: "10:30",
		Place: "Republic Square", Caller: caller}
}

// Reports about one registered person taken at the same moment, through
// two services (on PostgreSQL, two connections pools as two servers have),
// all land, and on the one open detention: none is lost and no second
// detention opens.
func TestConcurrentIntakesAboutOnePerson(t *testing.T) {
	const n = 12
	eachStore(t, func(t *testing.T, dbs [2]*sqlstore.DB) {
		ctx := context.Background()
		works := [2]*casework.Service{service(dbs[0]), service(dbs[1])}
		first := firstReport(t, works[0])
		var wg sync.WaitGroup
		results := make([]*casework.IntakeResult, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				results[i], errs[i] = works[i%2].Intake(ctx, operator, report(first.PersonID, fmt.Sprintf("caller %d", i)))
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("report %d: %v", i, err)
			}
			if results[i].DetentionID != first.DetentionID || results[i].NewDetention || results[i].NewPerson {
				t.Errorf("report %d went to %s (new detention %v), want the open detention %s", i, results[i].DetentionID, results[i].NewDetention, first.DetentionID)
			}
		}
		ds, total, err := dbs[0].FindDetentions(ctx, habeas.DetentionFilter{PersonID: &first.PersonID})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 {
			t.Fatalf("the person has %d detentions, want 1", total)
		}
		for i, res := range append(results, first) {
			if !slices.ContainsFunc(ds[0].Events, func(e habeas.Event) bool { return slices.Contains(e.Sources, res.SourceID) }) {
				t.Errorf("report %d (source %s) is not on the detention", i, res.SourceID)
			}
		}
		p, err := dbs[0].FindPersonByID(ctx, first.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Sources) != n+1 {
			t.Errorf("the person cites %d sources, want %d", len(p.Sources), n+1)
		}
	})
}

// Events appended to one case at the same moment all land, without a
// lock: EditDetention builds again on the newer state when another write
// came first.
func TestConcurrentCaseEdits(t *testing.T) {
	const n = 12
	eachStore(t, func(t *testing.T, dbs [2]*sqlstore.DB) {
		ctx := context.Background()
		works := [2]*casework.Service{service(dbs[0]), service(dbs[1])}
		first := firstReport(t, works[0])
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				_, errs[i] = works[i%2].EditDetention(ctx, operator, first.DetentionID, func(d *habeas.Detention, _ int64) ([]habeas.Mutation, error) {
					time.Sleep(2 * time.Millisecond) // a form read against the case takes a moment: others write meanwhile
					d.Events = append(d.Events, habeas.Event{Type: habeas.EventLawyerDenied, At: time.Date(2022, 1, 6, 11, i, 0, 0, time.UTC),
						Note: fmt.Sprintf("refusal %d", i), Sources: []string{first.SourceID}})
					return []habeas.Mutation{{Op: habeas.OpUpdate, Entity: d}}, nil
				})
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("edit %d: %v", i, err)
			}
		}
		d, err := dbs[0].FindDetentionByID(ctx, first.DetentionID)
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if !slices.ContainsFunc(d.Events, func(e habeas.Event) bool { return e.Note == fmt.Sprintf("refusal %d", i) }) {
				t.Errorf("refusal %d is not on the case", i)
			}
		}
	})
}

// A replacement made from a stale read is refused, says so, and changes
// nothing; made from the current version it lands.
func TestStaleUpdateRefused(t *testing.T) {
	eachStore(t, func(t *testing.T, dbs [2]*sqlstore.DB) {
		ctx := context.Background()
		work := service(dbs[0])
		l := &habeas.Lawyer{Name: "Dana Sadykova", Active: true}
		v1, err := work.CreateRecord(ctx, operator, l)
		if err != nil {
			t.Fatal(err)
		}
		mine, theirs := *l, *l
		theirs.Bar = "Almaty City Bar"
		v2, err := work.UpdateRecord(ctx, operator, &theirs, v1)
		if err != nil || v2 <= v1 {
			t.Fatalf("first update: version %d, %v", v2, err)
		}
		mine.Phone = "+7 700 000 00 00"
		before, _ := dbs[0].LastSeq(ctx)
		_, err = work.UpdateRecord(ctx, operator, &mine, v1)
		if !habeas.IsStale(err) {
			t.Fatalf("update from version %d after %d: %v, want a stale conflict", v1, v2, err)
		}
		if after, _ := dbs[0].LastSeq(ctx); after != before {
			t.Errorf("the refused update wrote %d changes", after-before)
		}
		got, v, err := work.FindRecord(ctx, operator, habeas.KindLawyer, l.ID)
		if err != nil || v != v2 || got.(*habeas.Lawyer).Phone != "" || got.(*habeas.Lawyer).Bar != "Almaty City Bar" {
			t.Errorf("after the refusal: version %d (want %d), %+v, %v", v, v2, got, err)
		}
		if _, err := work.UpdateRecord(ctx, operator, &mine, v2); err != nil {
			t.Errorf("update from the current version: %v", err)
		}
	})
}

// Every operation that takes the acting user refuses to act without one:
// all of them, found by reflection, so a new operation that forgets to
// pass authorize fails here.
func TestOperationsNeedAUser(t *testing.T) {
	db, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	work := reflect.ValueOf(service(db))
	userType := reflect.TypeFor[*habeas.User]()
	checked := 0
	for i := range work.NumMethod() {
		m, name := work.Method(i), work.Type().Method(i).Name
		mt := m.Type()
		if mt.NumIn() < 2 || mt.In(1) != userType {
			continue
		}
		args := []reflect.Value{reflect.ValueOf(context.Background())}
		for j := 1; j < mt.NumIn(); j++ {
			args = append(args, reflect.Zero(mt.In(j))) // a nil user, and nothing else
		}
		out := m.Call(args)
		err, _ := out[len(out)-1].Interface().(error)
		if habeas.ErrorCode(err) != habeas.EUNAUTHORIZED {
			t.Errorf("%s without a user: %v, want unauthorized", name, err)
		}
		checked++
	}
	if checked < 40 {
		t.Errorf("checked %d operations; are they still found?", checked)
	}
}

// Reports about a new person giving one IIN, taken at the same moment on
// two servers, register one person: the others are refused, naming the
// person to add the report to.
func TestConcurrentIntakesWithOneIIN(t *testing.T) {
	const n = 8
	iin, ok := habeas.MakeIIN(time.Date(1990, 4, 2, 0, 0, 0, 0, time.UTC), habeas.SexMale, 7)
	if !ok {
		t.Fatal("no IIN")
	}
	eachStore(t, func(t *testing.T, dbs [2]*sqlstore.DB) {
		ctx := context.Background()
		works := [2]*casework.Service{service(dbs[0]), service(dbs[1])}
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				in := report("", fmt.Sprintf("caller %d", i))
				in.IIN = string(iin)
				_, errs[i] = works[i%2].Intake(ctx, operator, in)
			})
		}
		wg.Wait()
		registered := 0
		for i, err := range errs {
			switch {
			case err == nil:
				registered++
			case habeas.ErrorCode(err) != habeas.EINVALID || len(habeas.ErrorFields(err)) != 1 || habeas.ErrorFields(err)[0].Field != "iin":
				t.Errorf("report %d: %v, want a refusal naming the registered person", i, err)
			}
		}
		s := string(iin)
		_, total, err := dbs[0].FindPersons(ctx, habeas.PersonFilter{IIN: &s})
		if err != nil {
			t.Fatal(err)
		}
		if registered != 1 || total != 1 {
			t.Errorf("%d reports registered a person, %d persons have the IIN; want 1 and 1", registered, total)
		}
	})
}
