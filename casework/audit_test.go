package casework_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/alerts"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/dedup"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/rules"
)

// auditService is the casework layer over db recording reads in audit,
// flagging an account past threshold records an hour, logging to log.
func auditService(t testing.TB, db *sqlstore.DB, audit habeas.AuditService, threshold int, log io.Writer) *casework.Service {
	t.Helper()
	packs, err := rules.DefaultPacks()
	if err != nil {
		t.Fatal(err)
	}
	eng, err := rules.NewEngine(packs...)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2022, 1, 6, 12, 0, 0, 0, time.UTC)
	return casework.New(casework.Config{Records: db, Changes: db, Persons: db, Detentions: db, Stats: db, Views: db,
		Alerts: alerts.New(eng, db), Review: dedup.New(db, dedup.Options{MinInterval: -1}), Now: func() time.Time { return now }, Audit: audit, ReadThreshold: threshold,
		Logger: slog.New(slog.NewTextHandler(log, nil))})
}

var (
	viewer = &habeas.User{Name: "viewer", Role: habeas.RoleViewer}
	admin  = &habeas.User{Name: "admin", Role: habeas.RoleAdmin}
)

// register takes n reports about different people and returns them.
func register(t testing.TB, work *casework.Service, n int) []*casework.IntakeResult {
	t.Helper()
	var out []*casework.IntakeResult
	for i := range n {
		in := report("", fmt.Sprintf("caller %d", i))
		in.Name = fmt.Sprintf("Тестов Ерлан %c", 'А'+rune(i))
		res, err := work.Intake(context.Background(), operator, in)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, res)
	}
	return out
}

// accesses returns the audit log, oldest first.
func accesses(t *testing.T, db *sqlstore.DB, f habeas.AccessFilter) []*habeas.Access {
	t.Helper()
	f.Limit = habeas.MaxPageLimit
	as, _, err := db.FindAccesses(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(as)
	return as
}

// Every read of personal data through the casework layer leaves an
// access with who, from where, what and how many; a record that is not
// personal data (a lawyer) leaves none, and an export is recorded with
// the operating-system account that ran it.
func TestReadsAreRecorded(t *testing.T) {
	eachStore(t, func(t *testing.T, dbs [2]*sqlstore.DB) {
		db := dbs[0]
		work := auditService(t, db, db, 0, io.Discard)
		regs := register(t, work, 3)
		ctx := habeas.WithClient(context.Background(), "203.0.113.9")
		lawyer := &habeas.Lawyer{Name: "Dana Sadykova"}
		if _, err := work.CreateRecord(ctx, operator, lawyer); err != nil {
			t.Fatal(err)
		}
		city := "almaty"
		name := "тестов"
		reads := []struct {
			name string
			read func() error
			want habeas.Access
		}{
			{"a page of detentions", func() error {
				_, _, err := work.FindDetentionList(ctx, viewer, casework.DetentionQuery{DetentionFilter: habeas.DetentionFilter{City: &city, Page: habeas.Page{Limit: 3}}})
				return err
			}, habeas.Access{Action: habeas.AccessList, Kind: habeas.KindDetention, Query: "city=almaty limit=3", Count: 3}},
			{"a case file", func() error { _, err := work.FindCaseFile(ctx, viewer, regs[0].DetentionID); return err },
				habeas.Access{Action: habeas.AccessView, Kind: habeas.KindDetention, ID: regs[0].DetentionID, Count: 1}},
			{"a person file", func() error { _, err := work.FindPersonFile(ctx, viewer, regs[1].PersonID); return err },
				habeas.Access{Action: habeas.AccessView, Kind: habeas.KindPerson, ID: regs[1].PersonID, Count: 1}},
			{"a source", func() error { _, err := work.FindSource(ctx, viewer, regs[2].SourceID); return err },
				habeas.Access{Action: habeas.AccessView, Kind: habeas.KindSource, ID: regs[2].SourceID, Count: 1}},
			{"a person's history", func() error { _, err := work.History(ctx, viewer, habeas.KindPerson, regs[2].PersonID); return err },
				habeas.Access{Action: habeas.AccessView, Kind: habeas.KindPerson, ID: regs[2].PersonID, Count: 1}},
			{"a search", func() error {
				_, _, err := work.FindPersons(ctx, viewer, habeas.PersonFilter{Name: &name, Page: habeas.Page{Limit: 10}})
				return err
			}, habeas.Access{Action: habeas.AccessSearch, Kind: habeas.KindPerson, Query: "name=тестов limit=10", Count: 3}},
			{"the type-ahead", func() error { _, err := work.Suggest(ctx, viewer, "Ерлан Тест", "", 5); return err },
				habeas.Access{Action: habeas.AccessSuggest, Kind: habeas.KindPerson, Query: "name=Ерлан Тест limit=5", Count: 3}},
			{"a lawyer, not personal data", func() error { _, err := work.FindLawyer(ctx, viewer, lawyer.ID); return err }, habeas.Access{}},
		}
		for _, tt := range reads {
			before := accesses(t, db, habeas.AccessFilter{})
			if err := tt.read(); err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			after := accesses(t, db, habeas.AccessFilter{})
			if tt.want.Action == "" {
				if len(after) != len(before) {
					t.Errorf("%s: recorded %+v, want nothing", tt.name, after[len(after)-1])
				}
				continue
			}
			if len(after) != len(before)+1 {
				t.Fatalf("%s: %d accesses recorded, want 1", tt.name, len(after)-len(before))
			}
			got := after[len(after)-1]
			if got.Actor != "viewer" || got.Client != "203.0.113.9" || got.Action != tt.want.Action || got.Kind != tt.want.Kind ||
				got.ID != tt.want.ID || got.Query != tt.want.Query || got.Count != tt.want.Count || len(got.Records) != tt.want.Count {
				t.Errorf("%s: recorded %+v, want %+v by viewer from 203.0.113.9", tt.name, got, tt.want)
			}
		}

		// Who read the first person: their case file (their detention)
		// and the lists and searches that showed them.
		as, _, err := work.FindAccesses(ctx, admin, habeas.AccessFilter{Records: []string{regs[0].PersonID}})
		if err != nil {
			t.Fatal(err)
		}
		var what []string
		for _, a := range as {
			what = append(what, string(a.Action)+" "+a.ID)
		}
		if want := []string{"suggest ", "search ", "view " + regs[0].DetentionID, "list "}; !slices.Equal(what, want) {
			t.Errorf("who read the first person: %q, want %q (newest first)", what, want)
		}
		// Who read the third caller's source: its own view, and the
		// pages of the person and the detention that cite it.
		as, _, err = work.FindAccesses(ctx, admin, habeas.AccessFilter{Records: []string{regs[2].SourceID}})
		if err != nil {
			t.Fatal(err)
		}
		what = nil
		for _, a := range as {
			if a.Action == habeas.AccessView {
				what = append(what, a.ID)
			}
		}
		if want := []string{regs[2].PersonID, regs[2].SourceID}; !slices.Equal(what, want) {
			t.Errorf("the views that showed the third source: %q, want %q (newest first)", what, want)
		}
		if _, _, err := work.FindAccesses(ctx, viewer, habeas.AccessFilter{}); habeas.ErrorCode(err) != habeas.EFORBIDDEN {
			t.Errorf("a viewer reads the audit log: %v, want forbidden", err)
		}

		var out bytes.Buffer
		n, err := work.Export(habeas.WithClient(context.Background(), "command line, os user root"), casework.System, &out)
		if err != nil {
			t.Fatal(err)
		}
		exports := accesses(t, db, habeas.AccessFilter{Action: ptr(habeas.AccessExport)})
		if len(exports) != 1 || exports[0].Actor != "system" || exports[0].Client != "command line, os user root" || exports[0].Count != n {
			t.Errorf("exports recorded: %+v, want one by system of %d changes", exports, n)
		}
		if _, err := work.Export(ctx, viewer, io.Discard); habeas.ErrorCode(err) != habeas.EFORBIDDEN {
			t.Errorf("a viewer exports: %v, want forbidden", err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

// An account that reads more distinct records in an hour than the
// threshold is flagged once, with a warning in the log; another under it
// is not.
func TestUnusualReadingFlagged(t *testing.T) {
	eachStore(t, func(t *testing.T, dbs [2]*sqlstore.DB) {
		db := dbs[0]
		var log bytes.Buffer
		work := auditService(t, db, db, 3, &log)
		regs := register(t, work, 5)
		ctx := habeas.WithClient(context.Background(), "198.51.100.23")
		other := &habeas.User{Name: "colleague", Role: habeas.RoleCoordinator}
		for _, r := range regs[:3] { // three records: at the threshold, not past it
			if _, err := work.FindCaseFile(ctx, other, r.DetentionID); err != nil {
				t.Fatal(err)
			}
		}
		for range 3 { // the same records again and again count once
			if _, err := work.FindCaseFile(ctx, viewer, regs[0].DetentionID); err != nil {
				t.Fatal(err)
			}
		}
		if fs := accesses(t, db, habeas.AccessFilter{Action: ptr(habeas.AccessFlag)}); len(fs) != 0 {
			t.Fatalf("flagged at or under the threshold: %+v", fs)
		}
		for range 3 { // the whole list, three times
			if _, _, err := work.FindDetentionList(ctx, viewer, casework.DetentionQuery{}); err != nil {
				t.Fatal(err)
			}
		}
		fs := accesses(t, db, habeas.AccessFilter{Action: ptr(habeas.AccessFlag)})
		if len(fs) != 1 || fs[0].Actor != "viewer" || fs[0].Count != 5 || fs[0].Client != "198.51.100.23" || !strings.Contains(fs[0].Query, "threshold is 3") {
			t.Fatalf("flags: %+v, want one of viewer for 5 records", fs)
		}
		if got := strings.Count(log.String(), "level=WARN"); got != 1 || !strings.Contains(log.String(), "actor=viewer") {
			t.Errorf("log: %q, want one warning naming the viewer", log.String())
		}
	})
}

// failingAudit is an audit log that cannot be written.
type failingAudit struct{ habeas.AuditService }

func (failingAudit) AppendAccesses(context.Context, []*habeas.Access) error {
	return errors.New("disk full")
}

// A read that cannot be recorded is refused, and so is every read when
// no audit log is configured: nothing is shown unrecorded.
func TestUnrecordedReadsFail(t *testing.T) {
	eachStore(t, func(t *testing.T, dbs [2]*sqlstore.DB) {
		db := dbs[0]
		reg := register(t, auditService(t, db, db, 0, io.Discard), 1)[0]
		for name, audit := range map[string]habeas.AuditService{"failing": failingAudit{db}, "none": nil} {
			work := auditService(t, db, audit, 0, io.Discard)
			ctx := context.Background()
			cf, err := work.FindCaseFile(ctx, viewer, reg.DetentionID)
			if err == nil || cf != nil {
				t.Errorf("%s audit log: the case file was shown (%v)", name, err)
			}
			if _, _, err := work.FindDetentionList(ctx, viewer, casework.DetentionQuery{}); err == nil {
				t.Errorf("%s audit log: the list was shown", name)
			}
			if _, _, err := work.FindRecord(ctx, viewer, habeas.KindPerson, reg.PersonID); err == nil {
				t.Errorf("%s audit log: the person was shown", name)
			}
			if _, err := work.Export(ctx, casework.System, io.Discard); err == nil {
				t.Errorf("%s audit log: the export succeeded", name)
			}
		}
	})
}

// Reads at the same moment are all recorded, each once, whichever of
// them writes the batch.
func TestConcurrentReadsRecorded(t *testing.T) {
	eachStore(t, func(t *testing.T, dbs [2]*sqlstore.DB) {
		db := dbs[0]
		work := auditService(t, db, db, 0, io.Discard)
		reg := register(t, work, 1)[0]
		const n = 24
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				ctx := habeas.WithClient(context.Background(), fmt.Sprintf("client %d", i))
				_, err := work.FindCaseFile(ctx, viewer, reg.DetentionID)
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		as := accesses(t, db, habeas.AccessFilter{Actor: &viewer.Name})
		clients := map[string]bool{}
		for _, a := range as {
			clients[a.Client] = true
		}
		if len(as) != n || len(clients) != n {
			t.Errorf("%d accesses from %d clients recorded, want %d from %d", len(as), len(clients), n, n)
		}
	})
}
