// Package storetest is the conformance suite every Habeas store must pass:
// the same tests run against SQLite and PostgreSQL, on real databases.
//
// It depends on the domain and the testing package only; a store's own test
// opens a fresh database and calls Run.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
)

// Store is what the suite exercises: every service a store provides.
type Store interface {
	habeas.RecordService
	habeas.ChangeService
	habeas.PersonService
	habeas.DetentionService
	habeas.StatsService
	habeas.UserService
	habeas.ViewService
	habeas.AuditService
}

// Opener opens a fresh, empty store for one test; it registers its own
// cleanup with t.Cleanup. now is the clock the store must use.
type Opener func(t *testing.T, now func() time.Time) Store

// Run runs the whole suite.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, Opener)
	}{
		{"CreateFind", testCreateFind},
		{"ChangeLog", testChangeLog},
		{"UpdateNoop", testUpdateNoop},
		{"DeleteTombstone", testDeleteTombstone},
		{"DeleteReferenced", testDeleteReferenced},
		{"InvalidWritesNothing", testInvalidWritesNothing},
		{"MissingReference", testMissingReference},
		{"BatchAllOrNothing", testBatchAllOrNothing},
		{"Conflicts", testConflicts},
		{"FindDetentions", testFindDetentions},
		{"DetentionTotals", testDetentionTotals},
		{"FilterMatch", testFilterMatch},
		{"FindPersons", testFindPersons},
		{"FindReferring", testFindReferring},
		{"FindByKind", testFindByKind},
		{"IdentityMergeAndUndo", testIdentity},
		{"ImportReplay", testImportReplay},
		{"ImportRejects", testImportRejects},
		{"Users", testUsers},
		{"UserAccess", testUserAccess},
		{"Sessions", testSessions},
		{"Queues", testQueues},
		{"SavedViews", testSavedViews},
		{"Audit", testAudit},
		{"ConcurrentWriters", testConcurrentWriters},
		{"Versions", testVersions},
		{"FindVersion", testFindVersion},
		{"TransactOwnWrites", testTransactOwnWrites},
		{"TransactRollback", testTransactRollback},
		{"ConcurrentTransacts", testConcurrentTransacts},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open) })
	}
}

// clock is a controllable time source.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newClock() *clock {
	return &clock{t: time.Date(2022, 1, 6, 9, 0, 0, 0, time.UTC)}
}

func ctxAs(actor string) context.Context {
	return habeas.WithActor(context.Background(), actor)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := habeas.ErrorCode(err); got != code {
		t.Fatalf("error code: got %q (%v), want %q", got, err, code)
	}
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	for _, f := range habeas.ErrorFields(err) {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v: no field %q in %v", err, field, habeas.ErrorFields(err))
}

func lastSeq(t *testing.T, s Store) int64 {
	t.Helper()
	n, err := s.LastSeq(context.Background())
	must(t, err)
	return n
}

// fixture builds a small consistent dataset: a source, a person and a
// detention in Almaty with an arrest and a protocol.
type fixture struct {
	src    *habeas.Source
	person *habeas.Person
	det    *habeas.Detention
}

func newSource(title string) *habeas.Source {
	return &habeas.Source{Kind: habeas.SourceHotlineCall, Title: title, Reliability: "B", Credibility: 2,
		ReceivedAt: time.Date(2022, 1, 6, 8, 0, 0, 0, time.UTC), Confidentiality: habeas.ConfidentialityInternal}
}

func newPerson(name, srcID string) *habeas.Person {
	return &habeas.Person{Names: []habeas.NameVariant{{Text: name, SourceID: srcID}}, Sex: habeas.SexMale, Sources: []string{srcID}}
}

func newDetention(personID, city, srcID string, arrested time.Time, proc habeas.Procedure) *habeas.Detention {
	return &habeas.Detention{PersonID: personID, City: city, Procedure: proc, Events: []habeas.Event{
		{Type: habeas.EventArrest, At: arrested, Place: "central square", Body: "police", Sources: []string{srcID}},
	}}
}

func seed(t *testing.T, s Store) fixture {
	t.Helper()
	ctx := ctxAs("tester")
	f := fixture{src: newSource("call from a relative")}
	must(t, s.Create(ctx, f.src))
	f.person = newPerson("Айдана Серікқызы Тестова", f.src.ID)
	must(t, s.Create(ctx, f.person))
	f.det = newDetention(f.person.ID, "almaty", f.src.ID, time.Date(2022, 1, 5, 8, 30, 0, 0, time.UTC), habeas.ProcedureAdministrative)
	f.det.Events = append(f.det.Events, habeas.Event{Type: habeas.EventProtocol, At: time.Date(2022, 1, 5, 13, 0, 0, 0, time.UTC), Sources: []string{f.src.ID}})
	must(t, s.Create(ctx, f.det))
	return f
}

// ExampleSource returns a valid source for stores' own tests.
func ExampleSource() *habeas.Source { return newSource("example") }
