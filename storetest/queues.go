package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
)

// queueIDs returns the identifiers of the detentions a filter lists, in
// list order, checking the total against the page.
func queueIDs(t *testing.T, s Store, f habeas.DetentionFilter) []string {
	t.Helper()
	f.Limit = 1000
	ds, total, err := s.FindDetentions(context.Background(), f)
	must(t, err)
	if total != len(ds) {
		t.Fatalf("total %d, but %d listed", total, len(ds))
	}
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	return ids
}

func inQueue(q habeas.Queue) habeas.DetentionFilter { return habeas.DetentionFilter{Queue: &q} }

// wantQueue checks that the queue holds exactly want, in any order.
func wantQueue(t *testing.T, s Store, q habeas.Queue, want ...*habeas.Detention) {
	t.Helper()
	got := queueIDs(t, s, inQueue(q))
	var ids []string
	for _, d := range want {
		ids = append(ids, d.ID)
	}
	slices.Sort(got)
	slices.Sort(ids)
	if !slices.Equal(got, ids) {
		t.Fatalf("queue %s: got %v, want %v", q, got, ids)
	}
}

// testQueues checks that each stored queue holds the detentions its
// definition in the domain says, and follows every write that changes
// membership: of the detention, its person, and its assignments.
func testQueues(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	ctx := ctxAs("tester")
	src := newSource("queues")
	must(t, s.Create(ctx, src))
	arrested := time.Date(2022, 1, 5, 20, 0, 0, 0, time.UTC) // 6 January, 02:00 in Almaty
	person := func(name, birth string, prec habeas.Precision, citizenships ...string) *habeas.Person {
		p := newPerson(name, src.ID)
		p.ID = habeas.NewID(habeas.KindPerson)
		if birth != "" {
			p.Birth = habeas.BirthDate{Precision: prec, Date: birth}
		}
		p.Citizenships = citizenships
		return p
	}
	adult := person("Adult Kazakh", "1990-04-02", habeas.PrecisionDay, "KZ")
	counselled := person("Counselled Adult", "1985-01-01", habeas.PrecisionDay, "KZ")
	kyrgyz := person("Kyrgyz Citizen", "1980", habeas.PrecisionYear, "KG")
	dual := person("Dual Citizen", "1980", habeas.PrecisionYear, "KZ", "RU")
	minor := person("Minor", "2004-01-07", habeas.PrecisionDay, "KZ")      // 17 on 6 January 2022 in Almaty
	eighteen := person("Just Eighteen", "2004-01-06", habeas.PrecisionDay) // 18 that very day, in Almaty's zone
	straddling := person("Born 2003 or 2004", "2004", habeas.PrecisionYear)
	unknown := person("No Birth Date", "", "")

	det := func(p *habeas.Person, city string, events ...habeas.Event) *habeas.Detention {
		d := newDetention(p.ID, city, src.ID, arrested, habeas.ProcedureCriminal)
		d.ID = habeas.NewID(habeas.KindDetention)
		d.Events = append(d.Events, events...)
		return d
	}
	later := func(h int) time.Time { return arrested.Add(time.Duration(h) * time.Hour) }
	dAdult := det(adult, "almaty")
	dCounselled := det(counselled, "almaty", habeas.Event{Type: habeas.EventFamilyNotified, At: later(5)})
	dKyrgyz := det(kyrgyz, "aktau", habeas.Event{Type: habeas.EventRelease, At: later(20)})
	dDual := det(dual, "almaty", habeas.Event{Type: habeas.EventTransfer, At: later(3), Place: "SIZO No. 1"})
	dMinor := det(minor, "almaty", habeas.Event{Type: habeas.EventTransfer, At: later(3)}) // a transfer to nowhere named
	dEighteen := det(eighteen, "almaty", habeas.Event{Type: habeas.EventLawyerAccess, At: later(2)})
	dStraddling := det(straddling, "almaty", habeas.Event{Type: habeas.EventWhereaboutsStated, At: later(2)})
	dUnknown := det(unknown, "almaty", habeas.Event{Type: habeas.EventConsularNotified, At: later(2)})

	lawyer := &habeas.Lawyer{ID: habeas.NewID(habeas.KindLawyer), Name: "Queue Advocate", Active: true}
	open1 := &habeas.Assignment{ID: habeas.NewID(habeas.KindAssignment), LawyerID: lawyer.ID, DetentionID: dCounselled.ID,
		Kind: habeas.AssignmentLegalAid, From: later(6)}
	var muts []habeas.Mutation
	for _, e := range []habeas.Entity{adult, counselled, kyrgyz, dual, minor, eighteen, straddling, unknown,
		dAdult, dCounselled, dKyrgyz, dDual, dMinor, dEighteen, dStraddling, dUnknown, lawyer, open1} {
		muts = append(muts, habeas.Mutation{Op: habeas.OpCreate, Entity: e})
	}
	_, err := s.Apply(ctx, muts)
	must(t, err)

	wantQueue(t, s, habeas.QueueNoLawyer, dAdult, dDual, dMinor, dEighteen, dStraddling, dUnknown)
	wantQueue(t, s, habeas.QueueIncommunicado, dAdult, dMinor, dUnknown)
	wantQueue(t, s, habeas.QueueForeign, dKyrgyz, dDual)
	wantQueue(t, s, habeas.QueueJuvenile, dMinor, dStraddling)

	// Queues combine with the other filters.
	city, aktau := "almaty", "aktau"
	released := habeas.StatusReleased
	f := inQueue(habeas.QueueForeign)
	f.City = &city
	if got := queueIDs(t, s, f); !slices.Equal(got, []string{dDual.ID}) {
		t.Fatalf("foreign in Almaty: got %v, want %v", got, []string{dDual.ID})
	}
	f.City, f.Status = &aktau, &released
	if got := queueIDs(t, s, f); !slices.Equal(got, []string{dKyrgyz.ID}) {
		t.Fatalf("foreign released in Aktau: got %v, want %v", got, []string{dKyrgyz.ID})
	}
	from := arrested.Add(time.Hour)
	f = inQueue(habeas.QueueNoLawyer)
	f.From = &from
	if got := queueIDs(t, s, f); len(got) != 0 {
		t.Fatalf("no lawyer, arrested after the arrests: got %v", got)
	}
	overdue := habeas.QueueOverdue
	_, _, err = s.FindDetentions(context.Background(), habeas.DetentionFilter{Queue: &overdue})
	wantCode(t, err, habeas.EINVALID)

	// A person's update moves their detentions between queues.
	adult.Citizenships = []string{"UZ"}
	adult.Birth = habeas.BirthDate{Precision: habeas.PrecisionMonth, Date: "2004-01"}
	must(t, s.Update(ctx, adult))
	wantQueue(t, s, habeas.QueueForeign, dKyrgyz, dDual, dAdult)
	wantQueue(t, s, habeas.QueueJuvenile, dMinor, dStraddling, dAdult)

	// Assignments: a closed one leaves the detainee without a lawyer, an
	// open one takes them off the queue, moving it puts the other back,
	// and deleting it puts them back too.
	closed := &habeas.Assignment{ID: habeas.NewID(habeas.KindAssignment), LawyerID: lawyer.ID, DetentionID: dAdult.ID,
		Kind: habeas.AssignmentAppointed, From: later(4), To: later(8)}
	must(t, s.Create(ctx, closed))
	wantQueue(t, s, habeas.QueueNoLawyer, dAdult, dDual, dMinor, dEighteen, dStraddling, dUnknown)
	closed.To = time.Time{}
	must(t, s.Update(ctx, closed))
	wantQueue(t, s, habeas.QueueNoLawyer, dDual, dMinor, dEighteen, dStraddling, dUnknown)
	open1.DetentionID = dDual.ID
	must(t, s.Update(ctx, open1))
	wantQueue(t, s, habeas.QueueNoLawyer, dCounselled, dMinor, dEighteen, dStraddling, dUnknown)
	must(t, s.Delete(ctx, habeas.KindAssignment, closed.ID))
	wantQueue(t, s, habeas.QueueNoLawyer, dAdult, dCounselled, dMinor, dEighteen, dStraddling, dUnknown)

	// A detention's own update: released, it leaves the custody queues; with
	// its family told, it is no longer incommunicado; the update keeps the
	// assignment it has (Dual's), and its person's facts.
	dAdult.Events = append(dAdult.Events, habeas.Event{Type: habeas.EventRelease, At: later(30)})
	dMinor.Events = append(dMinor.Events, habeas.Event{Type: habeas.EventFamilyNotified, At: later(10)})
	dDual.Notes = "moved to SIZO No. 1"
	_, err = s.Apply(ctx, []habeas.Mutation{{Op: habeas.OpUpdate, Entity: dAdult}, {Op: habeas.OpUpdate, Entity: dMinor}, {Op: habeas.OpUpdate, Entity: dDual}})
	must(t, err)
	wantQueue(t, s, habeas.QueueNoLawyer, dCounselled, dMinor, dEighteen, dStraddling, dUnknown)
	wantQueue(t, s, habeas.QueueIncommunicado, dUnknown)
	wantQueue(t, s, habeas.QueueForeign, dKyrgyz, dDual, dAdult)
	wantQueue(t, s, habeas.QueueJuvenile, dMinor, dStraddling, dAdult)

	// Imported changes are queued as writes are.
	t.Run("import", func(t *testing.T) {
		changes, err := s.Changes(context.Background(), 0, 1000)
		must(t, err)
		other := open(t, newClock().now)
		must(t, other.Import(context.Background(), changes))
		for _, q := range []habeas.Queue{habeas.QueueNoLawyer, habeas.QueueIncommunicado, habeas.QueueForeign, habeas.QueueJuvenile} {
			want := queueIDs(t, s, inQueue(q))
			if got := queueIDs(t, other, inQueue(q)); !slices.Equal(got, want) {
				t.Errorf("queue %s after import: got %v, want %v", q, got, want)
			}
		}
	})
}
