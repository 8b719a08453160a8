package casework_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/alerts"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/internal/sqlstore"
)

// clients registers three detainees and a lawyer acting for the first;
// it returns the intakes, the lawyer's account and the assignment.
func clients(t *testing.T, work *casework.Service) ([]*casework.IntakeResult, *habeas.User, *habeas.Assignment) {
	t.Helper()
	ctx := context.Background()
	res := register(t, work, 3)
	l := &habeas.Lawyer{Name: "Адвокат Первый", City: "almaty", Active: true}
	if _, err := work.CreateRecord(ctx, admin, l); err != nil {
		t.Fatal(err)
	}
	a, err := work.Assign(ctx, operator, casework.AssignmentRequest{DetentionID: res[0].DetentionID, LawyerID: l.ID,
		Kind: habeas.AssignmentLegalAid, From: time.Date(2022, 1, 6, 11, 0, 0, 0, time.UTC), SourceID: res[0].SourceID})
	if err != nil {
		t.Fatal(err)
	}
	return res, &habeas.User{Name: "lawyer", Role: habeas.RoleLawyer, LawyerID: l.ID}, a
}

// wantCode fails unless err has the code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if habeas.ErrorCode(err) != code {
		t.Errorf("%s: got %v, want %s", what, err, code)
	}
}

// A lawyer's account reads its clients' cases and nothing else, by every
// path: lists, queues, case and person files, records and histories,
// search and type-ahead, alerts and safeguards, trials; the register-wide
// lists are refused; ending the assignment ends the access.
func TestLawyerReadsOnlyTheirClients(t *testing.T) {
	eachStore(t, func(t *testing.T, dbs [2]*sqlstore.DB) {
		ctx := context.Background()
		work := auditService(t, dbs[0], dbs[0], 0, io.Discard)
		res, lawyer, asg := clients(t, work)
		mine, other := res[0], res[1]

		items, total, err := work.FindDetentionList(ctx, lawyer, casework.DetentionQuery{At: work.Clock()})
		if err != nil || total != 1 || len(items) != 1 || items[0].ID != mine.DetentionID {
			t.Fatalf("detention list: %d items, total %d, %v; want only %s", len(items), total, err, mine.DetentionID)
		}
		for _, q := range habeas.Queues {
			queue := habeas.Queue(q)
			items, total, err := work.FindDetentionList(ctx, lawyer, casework.DetentionQuery{DetentionFilter: habeas.DetentionFilter{Queue: &queue}, At: work.Clock()})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if it.ID != mine.DetentionID {
					t.Errorf("queue %s shows %s", q, it.ID)
				}
			}
			if total > 1 {
				t.Errorf("queue %s counts %d", q, total)
			}
		}
		qc, err := work.CountQueues(ctx, lawyer, casework.DetentionQuery{At: work.Clock()})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range qc.Queues {
			if c.Total > 1 {
				t.Errorf("queue %s counts %d for the lawyer", c.Queue, c.Total)
			}
		}

		if _, err := work.FindCaseFile(ctx, lawyer, mine.DetentionID); err != nil {
			t.Errorf("own client's case file: %v", err)
		}
		if _, err := work.FindPersonFile(ctx, lawyer, mine.PersonID); err != nil {
			t.Errorf("own client's person file: %v", err)
		}
		wantCode(t, "another's case file", func() error { _, err := work.FindCaseFile(ctx, lawyer, other.DetentionID); return err }(), habeas.ENOTFOUND)
		wantCode(t, "another's case page", func() error {
			_, _, err := work.FindCasePage(ctx, lawyer, other.DetentionID, work.Clock())
			return err
		}(), habeas.ENOTFOUND)
		wantCode(t, "another's person file", func() error { _, err := work.FindPersonFile(ctx, lawyer, other.PersonID); return err }(), habeas.ENOTFOUND)
		for _, rec := range []struct {
			k  habeas.Kind
			id string
		}{{habeas.KindDetention, other.DetentionID}, {habeas.KindPerson, other.PersonID}, {habeas.KindSource, other.SourceID}} {
			wantCode(t, "find "+rec.id, func() error { _, _, err := work.FindRecord(ctx, lawyer, rec.k, rec.id); return err }(), habeas.ENOTFOUND)
			wantCode(t, "history of "+rec.id, func() error { _, err := work.History(ctx, lawyer, rec.k, rec.id); return err }(), habeas.ENOTFOUND)
		}
		if _, _, err := work.FindRecord(ctx, lawyer, habeas.KindSource, mine.SourceID); err != nil {
			t.Errorf("own client's source: %v", err)
		}
		wantCode(t, "another's safeguards", func() error { _, err := work.FindSafeguards(ctx, lawyer, other.DetentionID, work.Clock()); return err }(), habeas.ENOTFOUND)

		name := "Тестов"
		ps, total, err := work.FindPersons(ctx, lawyer, habeas.PersonFilter{Name: &name})
		if err != nil || total != 1 || len(ps) != 1 || ps[0].ID != mine.PersonID {
			t.Errorf("person search finds %d (total %d, %v); want only the client", len(ps), total, err)
		}
		sugs, err := work.Suggest(ctx, lawyer, name, "", 10)
		if err != nil || len(sugs) != 1 || sugs[0].PersonID != mine.PersonID {
			t.Errorf("type-ahead suggests %d (%v); want only the client", len(sugs), err)
		}

		// Every detention has something due on 6 January: the lawyer's
		// alerts are their client's alone, and so are the counts.
		q := alerts.Query{At: work.Clock(), Within: 72 * time.Hour, Unknown: true}
		al, err := work.FindAlerts(ctx, lawyer, q)
		if err != nil {
			t.Fatal(err)
		}
		all, err := work.FindAlerts(ctx, admin, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(al.Items) == 0 || al.Detentions != 1 || all.Detentions != 3 || al.Total >= all.Total {
			t.Errorf("alerts: the lawyer's %d items over %d detentions (total %d), the admin's %d (total %d)",
				len(al.Items), al.Detentions, al.Total, all.Detentions, all.Total)
		}
		for _, it := range al.Items {
			if it.DetentionID != mine.DetentionID {
				t.Errorf("the lawyer's alerts show %s", it.DetentionID)
			}
		}
		groups, err := work.FindAlertGroups(ctx, lawyer, q)
		if err != nil || len(groups.Groups) != 1 || groups.Total != 1 || groups.Groups[0].DetentionID != mine.DetentionID {
			t.Errorf("alerts by detainee: %+v, %v", groups, err)
		}

		// What spans the register is not a lawyer's to read, nor is any write.
		wantCode(t, "review", func() error { _, err := work.FindReview(ctx, lawyer, habeas.Page{}); return err }(), habeas.EFORBIDDEN)
		wantCode(t, "casualties", func() error { _, _, err := work.FindCasualtyItems(ctx, lawyer, casework.CasualtyQuery{}); return err }(), habeas.EFORBIDDEN)
		wantCode(t, "rule counts", func() error { _, err := work.FindRuleCounts(ctx, lawyer, work.Clock()); return err }(), habeas.EFORBIDDEN)
		wantCode(t, "counts", func() error { _, err := work.Counts(ctx, lawyer); return err }(), habeas.EFORBIDDEN)
		wantCode(t, "batch", func() error {
			_, err := work.ApplyBatch(ctx, lawyer, []habeas.Mutation{{Op: habeas.OpCreate, Entity: &habeas.Person{Names: []habeas.NameVariant{{Text: "X Y"}}}}})
			return err
		}(), habeas.EFORBIDDEN)

		// A lawyer's account with no lawyer reads no case.
		unlinked := &habeas.User{Name: "lawyer2", Role: habeas.RoleLawyer}
		if items, total, err := work.FindDetentionList(ctx, unlinked, casework.DetentionQuery{At: work.Clock()}); err != nil || total != 0 || len(items) != 0 {
			t.Errorf("an unlinked lawyer lists %d (total %d, %v)", len(items), total, err)
		}

		// Unassigning ends the access at once.
		e, v, err := work.FindRecord(ctx, admin, habeas.KindAssignment, asg.ID)
		if err != nil {
			t.Fatal(err)
		}
		ended := e.(*habeas.Assignment)
		ended.To = work.Clock().Add(-time.Minute)
		if _, err := work.UpdateRecord(ctx, operator, ended, v); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "the case file after the assignment ended", func() error { _, err := work.FindCaseFile(ctx, lawyer, mine.DetentionID); return err }(), habeas.ENOTFOUND)
		if items, total, err := work.FindDetentionList(ctx, lawyer, casework.DetentionQuery{At: work.Clock()}); err != nil || total != 0 || len(items) != 0 {
			t.Errorf("after the assignment ended the lawyer lists %d (total %d, %v)", len(items), total, err)
		}
	})
}

// restrictedReport is a hotline call whose caller must not be exposed.
func restrictedReport(caller, contact string) casework.Intake {
	in := report("", caller)
	in.Name, in.Contact, in.Confidentiality = "Сауле Ограниченова", contact, string(habeas.ConfidentialityRestricted)
	return in
}

// A restricted source is read whole only by administrators, accounts
// granted restricted sources and the caseworker who received it; everyone
// else reads it emptied, by every path (the record, the case file, its
// history, however it was graded before), and may neither change nor
// delete it.
func TestRestrictedSourcesAreReadOnlyByThoseGranted(t *testing.T) {
	eachStore(t, func(t *testing.T, dbs [2]*sqlstore.DB) {
		ctx := context.Background()
		work := auditService(t, dbs[0], dbs[0], 0, io.Discard)
		const caller, contact = "сестра задержанной, Гульнара", "+7 701 555 0199"
		res, err := work.Intake(ctx, operator, restrictedReport(caller, contact))
		if err != nil {
			t.Fatal(err)
		}
		// A second source, internal at first and restricted later: its
		// earlier state must not give it away.
		later := &habeas.Source{Kind: habeas.SourceHotlineCall, Title: "сосед, Бауыржан", Reliability: "C", Credibility: 3,
			ReceivedAt: work.Clock(), Contact: "+7 702 555 0123", Confidentiality: habeas.ConfidentialityInternal}
		if _, err := work.CreateRecord(ctx, admin, later); err != nil {
			t.Fatal(err)
		}
		later.Confidentiality = habeas.ConfidentialityRestricted
		if _, err := work.UpdateRecord(ctx, admin, later, 0); err != nil {
			t.Fatal(err)
		}
		secrets := []string{caller, contact, "Бауыржан", "0123"}

		colleague := &habeas.User{Name: "colleague", Role: habeas.RoleCaseworker}
		coordinator := &habeas.User{Name: "coord", Role: habeas.RoleCoordinator}
		granted := &habeas.User{Name: "trusted", Role: habeas.RoleViewer, Restricted: true}
		reads := func(u *habeas.User) string {
			t.Helper()
			var out []any
			for _, id := range []string{res.SourceID, later.ID} {
				e, _, err := work.FindRecord(ctx, u, habeas.KindSource, id)
				if err != nil {
					t.Fatal(err)
				}
				h, err := work.History(ctx, u, habeas.KindSource, id)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, e, h)
			}
			cf, err := work.FindCaseFile(ctx, u, res.DetentionID)
			if err != nil {
				t.Fatal(err)
			}
			pf, err := work.FindPersonFile(ctx, u, res.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(append(out, cf, pf))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		for _, u := range []*habeas.User{viewer, colleague, coordinator} {
			got := reads(u)
			for _, s := range secrets {
				if strings.Contains(got, s) {
					t.Errorf("%s (%s) reads %q of a restricted source", u.Name, u.Role, s)
				}
			}
		}
		for _, u := range []*habeas.User{admin, granted} {
			got := reads(u)
			for _, s := range secrets {
				if !strings.Contains(got, s) {
					t.Errorf("%s (%s), granted restricted sources, does not read %q", u.Name, u.Role, s)
				}
			}
		}
		// The caseworker who took the call reads what they wrote down.
		if got := reads(operator); !strings.Contains(got, contact) || strings.Contains(got, "0123") {
			t.Errorf("the operator who received the call reads it whole, and only that one: contact shown %v, the other's shown %v",
				strings.Contains(got, contact), strings.Contains(got, "0123"))
		}

		// Changing or deleting what one reads emptied is refused, and
		// changes nothing.
		e, v, err := work.FindRecord(ctx, colleague, habeas.KindSource, res.SourceID)
		if err != nil {
			t.Fatal(err)
		}
		emptied := e.(*habeas.Source)
		emptied.Title = "overwritten"
		wantCode(t, "update", func() error { _, err := work.UpdateRecord(ctx, colleague, emptied, v); return err }(), habeas.EFORBIDDEN)
		wantCode(t, "batch update", func() error {
			_, err := work.ApplyBatch(ctx, colleague, []habeas.Mutation{{Op: habeas.OpUpdate, Entity: emptied, Version: v}})
			return err
		}(), habeas.EFORBIDDEN)
		wantCode(t, "delete", work.DeleteRecord(ctx, coordinator, habeas.KindSource, later.ID, 0), habeas.EFORBIDDEN)
		if got := reads(admin); !strings.Contains(got, contact) || strings.Contains(got, "overwritten") {
			t.Error("a refused write changed the restricted source")
		}
	})
}

// An analyst reads the register pseudonymised: no name, IIN, contact,
// exact place or free text reaches them by any path, a person is read
// as their identifier, and a search by name is refused.
func TestAnalystReadsPseudonyms(t *testing.T) {
	eachStore(t, func(t *testing.T, dbs [2]*sqlstore.DB) {
		ctx := context.Background()
		work := auditService(t, dbs[0], dbs[0], 0, io.Discard)
		in := report("", "брат, Тимур")
		in.Name, in.IIN, in.Birth, in.Contact = "Аскар Псевдонимов", "900512300011", "1990-05-12", "+7 777 555 0142"
		in.Place, in.Note, in.Custody = "ул. Абая 150, кв. 12", "избит при задержании", "ИВС ДП г. Алматы"
		res, err := work.Intake(ctx, operator, in)
		if err != nil {
			t.Fatal(err)
		}
		analyst := &habeas.User{Name: "analyst", Role: habeas.RoleAnalyst}
		var out []any
		items, _, err := work.FindDetentionList(ctx, analyst, casework.DetentionQuery{At: work.Clock()})
		if err != nil || len(items) != 1 || items[0].PersonName != res.PersonID {
			t.Fatalf("the list names the detainee %q (%v); want the pseudonym %s", items[0].PersonName, err, res.PersonID)
		}
		cf, sg, err := work.FindCasePage(ctx, analyst, res.DetentionID, work.Clock())
		if err != nil {
			t.Fatal(err)
		}
		pf, err := work.FindPersonFile(ctx, analyst, res.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		al, err := work.FindAlerts(ctx, analyst, alerts.Query{At: work.Clock(), Within: 72 * time.Hour, Unknown: true})
		if err != nil {
			t.Fatal(err)
		}
		groups, err := work.FindAlertGroups(ctx, analyst, alerts.Query{At: work.Clock(), Within: 72 * time.Hour, Unknown: true})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, items, cf, sg, pf, al, groups)
		for _, k := range []habeas.Kind{habeas.KindPerson, habeas.KindDetention, habeas.KindSource} {
			id := map[habeas.Kind]string{habeas.KindPerson: res.PersonID, habeas.KindDetention: res.DetentionID, habeas.KindSource: res.SourceID}[k]
			e, _, err := work.FindRecord(ctx, analyst, k, id)
			if err != nil {
				t.Fatal(err)
			}
			h, err := work.History(ctx, analyst, k, id)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, e, h)
		}
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"Аскар", "Псевдонимов", "900512300011", "1990-05-12", "Тимур", "0142", "Абая", "избит"} {
			for i, o := range out {
				if b, _ := json.Marshal(o); strings.Contains(string(b), secret) {
					t.Errorf("the analyst reads %q in %T (%d)", secret, o, i)
				}
			}
		}
		for _, kept := range []string{res.PersonID, "ИВС ДП г. Алматы", `"1990"`} {
			if !strings.Contains(string(b), kept) {
				t.Errorf("the analyst does not read %q, which identifies no one", kept)
			}
		}
		name := "Псевдонимов"
		wantCode(t, "search by name", func() error {
			_, _, err := work.FindPersons(ctx, analyst, habeas.PersonFilter{Name: &name})
			return err
		}(), habeas.EFORBIDDEN)
		wantCode(t, "type-ahead", func() error { _, err := work.Suggest(ctx, analyst, name, "", 5); return err }(), habeas.EFORBIDDEN)
		wantCode(t, "review", func() error { _, err := work.FindReview(ctx, analyst, habeas.Page{}); return err }(), habeas.EFORBIDDEN)
		wantCode(t, "write", func() error {
			_, err := work.CreateRecord(ctx, analyst, &habeas.Person{Names: []habeas.NameVariant{{Text: "A B"}}})
			return err
		}(), habeas.EFORBIDDEN)
	})
}

// A trial monitor reads hearings and records their checklist, and reads
// no case file, person or source.
func TestMonitorReadsTrialsOnly(t *testing.T) {
	eachStore(t, func(t *testing.T, dbs [2]*sqlstore.DB) {
		ctx := context.Background()
		work := auditService(t, dbs[0], dbs[0], 0, io.Discard)
		res := firstReport(t, work)
		at := time.Date(2022, 1, 7, 10, 0, 0, 0, time.UTC)
		if _, err := work.EditDetention(ctx, operator, res.DetentionID, func(d *habeas.Detention, _ int64) ([]habeas.Mutation, error) {
			d.Events = append(d.Events, habeas.Event{ID: fmt.Sprintf("e%d", len(d.Events)+1), Type: habeas.EventTrialHearing, At: at, Body: "Медеуский районный суд",
				Sources: []string{res.SourceID}})
			return []habeas.Mutation{{Op: habeas.OpUpdate, Entity: d}}, nil
		}); err != nil {
			t.Fatal(err)
		}
		monitor := &habeas.User{Name: "monitor", Role: habeas.RoleMonitor}
		items, total, err := work.FindTrials(ctx, monitor, casework.TrialQuery{})
		if err != nil || total != 1 {
			t.Fatalf("trials: %d, %v", total, err)
		}
		f, err := work.FindTrialFile(ctx, monitor, res.DetentionID, items[0].EventID)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.History) != 0 || len(f.Sources) != 0 {
			t.Errorf("the monitor reads the case's history (%d changes) or sources (%d)", len(f.History), len(f.Sources))
		}
		m := &habeas.TrialMonitoring{Monitor: "monitor", Checks: map[string]habeas.Answer{"public_hearing": habeas.AnswerNo}}
		if err := work.RecordMonitoring(ctx, monitor, res.DetentionID, items[0].EventID, f.Read, m); err != nil {
			t.Fatalf("the monitor records the checklist: %v", err)
		}
		wantCode(t, "case file", func() error { _, err := work.FindCaseFile(ctx, monitor, res.DetentionID); return err }(), habeas.EFORBIDDEN)
		wantCode(t, "person", func() error { _, _, err := work.FindRecord(ctx, monitor, habeas.KindPerson, res.PersonID); return err }(), habeas.EFORBIDDEN)
		wantCode(t, "list", func() error { _, _, err := work.FindDetentionList(ctx, monitor, casework.DetentionQuery{}); return err }(), habeas.EFORBIDDEN)
		wantCode(t, "other edits", func() error {
			_, err := work.EditDetention(ctx, monitor, res.DetentionID, func(d *habeas.Detention, _ int64) ([]habeas.Mutation, error) {
				d.Notes = "changed"
				return []habeas.Mutation{{Op: habeas.OpUpdate, Entity: d}}, nil
			})
			return err
		}(), habeas.EFORBIDDEN)
	})
}
