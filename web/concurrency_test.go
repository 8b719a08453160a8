package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// Reports about one registered person sent at the same moment through the
// API and through the intake form, and hearings recorded on the case page
// meanwhile, all land on the one open detention: nothing acknowledged is
// lost, and no second detention opens. (The same over PostgreSQL with two
// server processes: cmd/habeas, TestTwoServersShareOneRegister.)
func TestConcurrentReportsThroughAPIAndPages(t *testing.T) {
	const n = 6
	env := newEnvAt(t, time.Date(2022, 1, 6, 12, 0, 0, 0, time.UTC))
	cw := env.As(t, habeas.RoleCaseworker)
	report := func(personID, caller string) casework.Intake {
		return casework.Intake{PersonID: personID, Name: "Ерлан Сатпаев", City: "almaty", Date: "2022-01-06", Time: "10:30",
			Place: "Republic Square", Caller: caller}
	}
	var first casework.IntakeResult
	if code := cw.JSON(t, "POST", "/api/v1/intake", report("", "first caller"), &first); code != http.StatusCreated {
		t.Fatalf("first report: status %d", code)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var sources []string // of every acknowledged report
	var failures []string
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		failures = append(failures, fmt.Sprintf(format, args...))
	}
	for i := range n {
		wg.Go(func() { // the API
			var res casework.IntakeResult
			rec := cw.JSONWith(t, "POST", "/api/v1/intake", nil, report(first.PersonID, fmt.Sprintf("api caller %d", i)), &res)
			if rec.Code != http.StatusCreated {
				fail("API report %d: status %d: %s", i, rec.Code, rec.Body)
				return
			}
			mu.Lock()
			sources = append(sources, res.SourceID)
			mu.Unlock()
		})
		wg.Go(func() { // the intake form; the caller's name finds the report's source afterwards
			form := url.Values{"person_id": {first.PersonID}, "name": {"Ерлан Сатпаев"}, "city": {"almaty"}, "date": {"2022-01-06"},
				"time": {"10:30"}, "caller": {fmt.Sprintf("form caller %d", i)}}
			if rec := cw.PostForm("/intake", form); rec.Code != http.StatusSeeOther || !strings.Contains(rec.Header().Get("Location"), first.DetentionID) {
				fail("form report %d: status %d, to %q, want 303 to %s", i, rec.Code, rec.Header().Get("Location"), first.DetentionID)
			}
		})
		wg.Go(func() { // the case page's hearing form
			form := url.Values{"type": {"trial_hearing"}, "at": {fmt.Sprintf("2022-03-%02dT10:00", i+1)}, "court": {fmt.Sprintf("Court %d", i)},
				"source": {first.SourceID}}
			if rec := cw.PostForm("/detentions/"+first.DetentionID+"/hearings", form); rec.Code != http.StatusSeeOther {
				fail("hearing %d: status %d", i, rec.Code)
			}
		})
	}
	wg.Wait()
	for _, f := range failures {
		t.Error(f)
	}
	var list struct {
		Items []struct{ ID string } `json:"items"`
	}
	if code := cw.JSON(t, "GET", "/api/v1/detentions?limit=10", nil, &list); code != http.StatusOK || len(list.Items) != 1 {
		t.Fatalf("detentions: status %d, %d of them, want the one", code, len(list.Items))
	}
	var d habeas.Detention
	if code := cw.JSON(t, "GET", "/api/v1/detentions/"+first.DetentionID, nil, &d); code != http.StatusOK {
		t.Fatalf("the detention: status %d", code)
	}
	var titles []string // of the sources the detention cites
	for _, id := range d.Sources {
		var s habeas.Source
		if code := cw.JSON(t, "GET", "/api/v1/sources/"+id, nil, &s); code != http.StatusOK {
			t.Fatalf("source %s: status %d", id, code)
		}
		titles = append(titles, s.Title)
	}
	for i := range n {
		caller := fmt.Sprintf("form caller %d", i)
		if !slices.Contains(titles, caller) {
			t.Errorf("the report of %q is not on the detention", caller)
		}
		if !slices.ContainsFunc(d.Events, func(e habeas.Event) bool { return e.Place == fmt.Sprintf("Court %d", i) }) {
			t.Errorf("hearing %d is not on the detention", i)
		}
	}
	for _, src := range append(sources, first.SourceID) {
		if !slices.Contains(d.Sources, src) {
			t.Errorf("the API report of source %s is not on the detention", src)
		}
	}
	if t.Failed() {
		data, _ := json.MarshalIndent(d.Events, "", " ")
		t.Logf("events: %s", data)
	}
}

// Eight caseworkers (or one double click) assign the same lawyer to a case
// at the same moment: one assignment is made, the others are refused
// with the reason. Then two reassign the same assignment at once: one
// succeeds, and the case never shows two lawyers in force.
func TestConcurrentAssignments(t *testing.T) {
	ce := newCaseEnv(t)
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range 8 {
		wg.Go(func() {
			codes[i] = ce.post(ce.cw, "assignments", url.Values{"lawyer": {ce.dana.ID}, "kind": {"legal_aid"},
				"from": {"2022-01-06T10:00"}, "source": {ce.f.monitor.ID}}).StatusCode
		})
	}
	wg.Wait()
	inForce := func() (open []*habeas.Assignment) {
		for _, a := range ce.assignments(t) {
			if a.To.IsZero() {
				open = append(open, a)
			}
		}
		return open
	}
	succeeded := 0
	for _, c := range codes {
		if c == http.StatusSeeOther {
			succeeded++
		}
	}
	if open := inForce(); len(open) != 1 || succeeded != 1 {
		t.Fatalf("%d assignments in force after eight at once (statuses %v), want 1 and one success", len(open), codes)
	}
	first := inForce()[0]
	other := &habeas.Lawyer{ID: habeas.NewID(habeas.KindLawyer), Name: "Nurlan Abenov", Active: true}
	third := &habeas.Lawyer{ID: habeas.NewID(habeas.KindLawyer), Name: "Aigerim Sadykova", Active: true}
	ce.env.Create(t, other, third)
	for i, l := range []*habeas.Lawyer{other, third} {
		wg.Go(func() {
			codes[i] = ce.post(ce.cw, "assignments", url.Values{"lawyer": {l.ID}, "kind": {"legal_aid"}, "replace": {first.ID},
				"from": {"2022-01-07T10:00"}, "source": {ce.f.monitor.ID}}).StatusCode
		})
	}
	wg.Wait()
	if open := inForce(); len(open) != 1 || open[0].ID == first.ID {
		t.Errorf("%d assignments in force after two reassignments at once (statuses %v), want the one successor", len(open), codes[:2])
	}
}
