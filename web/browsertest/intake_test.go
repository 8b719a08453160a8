package browsertest_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web/browsertest"
	"github.com/habeas-project/habeas/web/webtest"
)

// caseLocation is where a saved report leads: the detention's page.
var caseLocation = regexp.MustCompile(`^/detentions/(det_[a-z0-9]+)\?intake=(new|added|person)$`)

// almaty is the zone of the intake tests' reports.
func almaty(t *testing.T) *time.Location {
	t.Helper()
	c, ok := habeas.FindCity("almaty")
	if !ok {
		t.Fatal("no city almaty")
	}
	return c.Location()
}

// intakeDate returns the day the form proposes (today in Almaty, on the
// server's clock) and a time of five keys on it that is not ahead of the
// clock: 00:30 as docs/intake.md types it, or 00:00 in the first quarter
// hour of the day, when 00:30 would be refused as in the future.
func intakeDate(t *testing.T, b *browsertest.Browser) (day time.Time, hhmm string) {
	t.Helper()
	loc := almaty(t)
	date := browsertest.Value(t, b, chromedp.Value(chromedp.CSS("#f-date")))
	day, err := time.ParseInLocation(time.DateOnly, date, loc)
	if err != nil {
		t.Fatalf("the form proposes the date %q: %v", date, err)
	}
	if time.Since(day) < 15*time.Minute {
		return day, "00:00"
	}
	return day, "00:30"
}

// focused returns the id of the element that has the focus.
func focused(t *testing.T, b *browsertest.Browser) string {
	t.Helper()
	return browsertest.Value(t, b, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ""`))
}

// savedCase checks that the browser is on the page of a detention a report
// was saved to, with the outcome want ("new", "added", "person"), and
// returns the detention as stored.
func savedCase(t *testing.T, b *browsertest.Browser, want string) *habeas.Detention {
	t.Helper()
	m := caseLocation.FindStringSubmatch(b.Path(t))
	if m == nil {
		t.Fatalf("after saving the report the browser is at %s, want /detentions/{id}?intake=%s; the page says:\n%s",
			b.Path(t), want, b.Text(t, "main"))
	}
	if m[2] != want {
		t.Errorf("the report was saved as %q, want %q", m[2], want)
	}
	d, err := b.Env.Store.FindDetentionByID(context.Background(), m[1])
	if err != nil {
		t.Fatalf("the detention of the case page: %v", err)
	}
	return d
}

// callerOf returns the source an event cites, as stored.
func callerOf(t *testing.T, b *browsertest.Browser, e habeas.Event) *habeas.Source {
	t.Helper()
	if len(e.Sources) != 1 {
		t.Fatalf("the %s event cites %v, want the caller alone", e.Type, e.Sources)
	}
	ent, err := b.Env.Store.Find(context.Background(), habeas.KindSource, e.Sources[0])
	if err != nil {
		t.Fatalf("the caller %s: %v", e.Sources[0], err)
	}
	return ent.(*habeas.Source)
}

// TestIntakeNewReport replays the standard report of docs/intake.md with
// the keyboard alone, from the page loaded to the case page loaded, and
// measures its keystrokes and seconds.
func TestIntakeNewReport(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	b.As(t, habeas.RoleCaseworker)
	before := b.Env.State(t)

	b.Open(t, "/intake")
	if got := focused(t, b); got != "f-name" {
		t.Fatalf("the focus starts on %q, want the name (f-name)", got)
	}
	day, hhmm := intakeDate(t, b)
	// The clock runs from the form loaded (and read) to the case page
	// loaded: the keys, the save, the redirect and the case page.
	start := time.Now()
	b.ResetCounts()
	b.Load(t, b.Press("Nurlan Abenov"+kb.Tab+"34"+kb.Tab+"m"+strings.Repeat(kb.Tab, 6)+hhmm+kb.Tab+
		"Republic Square"+kb.Tab+"p"+strings.Repeat(kb.Tab, 5)+"sister Aigerim"+kb.Tab+"+77010000000"+kb.Enter))
	elapsed := time.Since(start)
	d := savedCase(t, b, "new")
	t.Logf("intake: %d keystrokes, %.1f s", b.Keystrokes(), elapsed.Seconds())
	if got := b.Keystrokes(); got != 80 {
		t.Errorf("%d keystrokes, want the 80 of docs/intake.md (63 characters, 16 Tabs, Enter)", got)
	}
	if b.Clicks() != 0 {
		t.Errorf("%d clicks, want none", b.Clicks())
	}

	// The case page: the name, the city, the arrest in the city's zone.
	clock, err := time.Parse("15:04", hhmm)
	if err != nil {
		t.Fatal(err)
	}
	arrested := day.Add(time.Duration(clock.Hour())*time.Hour + time.Duration(clock.Minute())*time.Minute)
	if got := b.Text(t, "h1"); !strings.Contains(got, "Nurlan Abenov") {
		t.Errorf("the case page's heading is %q, want the name Nurlan Abenov", got)
	}
	page := b.Text(t, "main")
	local := arrested.Format("2006-01-02 15:04 -07") + " Asia/Almaty"
	for _, want := range []string{"Almaty", local} {
		if !strings.Contains(page, want) {
			t.Errorf("the case page lacks %q:\n%s", want, page)
		}
	}
	b.Axe(t)

	// What was stored: one source, one person, one detention.
	after := b.Env.State(t)
	for _, k := range []habeas.Kind{habeas.KindSource, habeas.KindPerson, habeas.KindDetention} {
		if got := after.Counts[k] - before.Counts[k]; got != 1 {
			t.Errorf("%d new %s records, want 1", got, k)
		}
	}
	if d.City != "almaty" || d.Status() != habeas.StatusInCustody || len(d.Events) != 1 {
		t.Fatalf("detention in %s, %s, events %+v; want one arrest in Almaty, in custody", d.City, d.Status(), d.Events)
	}
	arrest := d.Events[0]
	if arrest.Type != habeas.EventArrest || !arrest.At.Equal(arrested) || arrest.Zone != "Asia/Almaty" ||
		arrest.Place != "Republic Square" || arrest.Body != "police" {
		t.Errorf("arrest %s at %v in %s, place %q, by %q; want an arrest at %v in Asia/Almaty on Republic Square by the police",
			arrest.Type, arrest.At, arrest.Zone, arrest.Place, arrest.Body, arrested)
	}
	src := callerOf(t, b, arrest)
	if src.Kind != habeas.SourceHotlineCall || src.Title != "sister Aigerim" || src.Contact != "+77010000000" ||
		src.ReceivedBy != "caseworker" || src.Grade() != "F3" || src.Confidentiality != habeas.ConfidentialityInternal {
		t.Errorf("caller %+v; want a hotline call from sister Aigerim, +77010000000, received by caseworker, F3, internal", src)
	}
	p, err := b.Env.Store.FindPersonByID(context.Background(), d.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	wantName := habeas.NameVariant{Text: "Nurlan Abenov", Script: "Latn", Kind: habeas.NameAsWritten, SourceID: src.ID}
	if len(p.Names) != 1 || p.Names[0] != wantName {
		t.Errorf("names %+v, want %+v", p.Names, wantName)
	}
	wantBirth := habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 34, AgeAt: day.Format(time.DateOnly)}
	if p.Birth != wantBirth || p.Sex != habeas.SexMale || strings.Join(p.Citizenships, ",") != "KZ" {
		t.Errorf("birth %+v, sex %q, citizenships %v; want %+v, male, KZ", p.Birth, p.Sex, p.Citizenships, wantBirth)
	}
}

// TestIntakeInvalid checks the empty form, and a report without its time:
// nothing is written, the summary at the top links to the field, the field
// says what is wrong and has the focus, and what was typed stays.
func TestIntakeInvalid(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	b.As(t, habeas.RoleCaseworker)
	b.Open(t, "/intake")
	if got, want := b.Text(t, "h1"), "New report"; got != want {
		t.Errorf("heading %q, want %q", got, want)
	}
	if got := b.Texts(t, "#f-name-list [role=option]"); len(got) != 0 {
		t.Errorf("the empty form lists persons: %q", got)
	}
	b.Axe(t)

	before := b.Env.State(t)
	b.Load(t, b.Press("Nurlan Abenov"+kb.Tab+"34"+kb.Enter))
	if got := b.Path(t); got != "/intake" {
		t.Fatalf("a report without a time went to %s, want the form again at /intake", got)
	}
	if after := b.Env.State(t); after.String() != before.String() {
		t.Errorf("an invalid report changed the store: %v, then %v", before, after)
	}
	alert := b.Text(t, `.problem[role="alert"]`)
	if !strings.Contains(alert, "Time taken") {
		t.Errorf("the summary does not name the time:\n%s", alert)
	}
	if !b.Exists(t, `.problem a[href="#f-time"]`) {
		t.Error("the summary does not link to the time field")
	}
	if !b.Exists(t, `#f-time[aria-invalid="true"][aria-describedby~="f-time-error"]`) || b.Text(t, "#f-time-error") == "" {
		t.Error("the time field is not marked invalid with its error linked")
	}
	if got := focused(t, b); got != "f-time" {
		t.Errorf("the focus is on %q, want the time (f-time)", got)
	}
	for sel, want := range map[string]string{"#f-name": "Nurlan Abenov", "#f-birth": "34"} {
		if got := browsertest.Value(t, b, chromedp.Value(chromedp.CSS(sel))); got != want {
			t.Errorf("%s holds %q after the error, want %q as typed", sel, got, want)
		}
	}
	b.Axe(t)

	// The same in Kazakh: the error in the reader's language.
	b.Open(t, "/intake?lang=kk")
	b.Load(t, b.Press("Nurlan Abenov"+kb.Enter))
	if got := b.Text(t, "#f-time-error"); got == "" || !hasKazakh(got) {
		t.Errorf("the time's error in Kazakh is %q", got)
	}
	b.Axe(t)
}

// hasKazakh reports whether s has a letter of the Kazakh alphabet that
// Russian lacks.
func hasKazakh(s string) bool { return strings.ContainsAny(s, "әғқңөұүһіӘҒҚҢӨҰҮҺІ") }

// TestIntakeExistingPerson types a Latin spelling of a person registered
// in Cyrillic, chooses them from the type-ahead with the keyboard, and
// checks that the report goes on their open detention: no new person, the
// caller's spelling a variant of their name, the caller's account of the
// arrest beside the police list's.
func TestIntakeExistingPerson(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	webtest.NewClocks(t, b.Env) // others, who must not be offered
	police := webtest.Source("Almaty police list", habeas.SourceOfficialList, "B", 2)
	aidos := webtest.Person("Айдос Серікбаев", police)
	aidos.Birth = habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1995-03-01"}
	aidos.Sex = habeas.SexMale
	open := webtest.Detention(aidos, "almaty", habeas.ProcedureAdministrative, time.Date(2022, 1, 6, 3, 0, 0, 0, time.UTC), police)
	b.Env.Create(t, police, aidos, open)
	b.As(t, habeas.RoleCaseworker)
	before := b.Env.State(t)

	b.Open(t, "/intake")
	b.ResetCounts()
	b.Run(t, b.Press("Serikbayev"))
	// The list that answers the whole name, not an earlier answer to part
	// of it that a pause in typing may have asked for.
	b.Run(t, chromedp.WaitVisible(chromedp.CSS(`#f-name-list[data-q="Serikbayev"] [role=option]`)))
	options := b.Texts(t, "#f-name-list [role=option]")
	if len(options) != 1 || !strings.Contains(options[0], "Айдос Серікбаев") || !strings.Contains(options[0], "(Aydos Serikbaev)") {
		t.Fatalf("the type-ahead offers %q, want Айдос Серікбаев (Aydos Serikbaev), as every page spells it, alone", options)
	}
	if got, want := b.Text(t, "#f-name-status"), "1 registered person may match; choose with the arrow keys and Enter."; got != want {
		t.Errorf("the live region says %q, want %q", got, want)
	}
	if !b.Exists(t, `#f-name[role="combobox"][aria-expanded="true"][aria-controls="f-name-list"]`) {
		t.Error("the name is not an expanded combobox over the list")
	}
	b.Run(t, b.Press(kb.ArrowDown))
	if !b.Exists(t, `#f-name[aria-activedescendant="f-name-opt-0"]`) || !b.Exists(t, `#f-name-opt-0[aria-selected="true"]`) {
		t.Error("ArrowDown does not make the first option the active one")
	}
	b.Axe(t) // with the list open and an option active

	b.Run(t, b.Press(kb.Enter))
	if got := b.Path(t); got != "/intake" {
		t.Fatalf("the Enter that chose the person left the form for %s", got)
	}
	if got := browsertest.Value(t, b, chromedp.Value(chromedp.CSS("#f-person_id"))); got != aidos.ID {
		t.Fatalf("person_id is %q after choosing, want %s", got, aidos.ID)
	}
	if got := b.Text(t, "#f-name-status"); !strings.Contains(got, "will be added to the case of Айдос Серікбаев") {
		t.Errorf("the live region says %q after choosing", got)
	}
	if b.Exists(t, `#f-name[aria-expanded="true"]`) || !b.Exists(t, "#f-name-list[hidden]") {
		t.Error("the list stays open after choosing")
	}
	if got := browsertest.Value(t, b, chromedp.Value(chromedp.CSS("#f-name"))); got != "Serikbayev" {
		t.Errorf("the name field holds %q, want the caller's spelling Serikbayev", got)
	}

	// The rest: Tab to the date and replace it (a Tab selects a field's
	// text), the time, the place, the police, the caller; Enter saves.
	b.Load(t, b.Press(strings.Repeat(kb.Tab, 7)+"06.01.2022"+kb.Tab+"14:30"+kb.Tab+"Republic Square"+kb.Tab+"p"+
		strings.Repeat(kb.Tab, 5)+"brother Ruslan"+kb.Enter))
	d := savedCase(t, b, "added")
	if d.ID != open.ID {
		t.Fatalf("the report went on detention %s, want the open detention %s", d.ID, open.ID)
	}
	if want := len("Serikbayev") + 2 + 7 + len("06.01.2022") + 1 + len("14:30") + 1 + len("Republic Square") + 1 + 1 + 5 +
		len("brother Ruslan") + 1; b.Keystrokes() != want {
		t.Errorf("%d keystrokes, want %d", b.Keystrokes(), want)
	}
	if got := b.Texts(t, "table.side-by-side thead th"); len(got) != 3 {
		t.Errorf("the accounts of the arrest have columns %q, want a label column and two accounts side by side", got)
	}
	b.Axe(t)

	after := b.Env.State(t)
	if after.Counts[habeas.KindPerson] != before.Counts[habeas.KindPerson] ||
		after.Counts[habeas.KindDetention] != before.Counts[habeas.KindDetention] {
		t.Errorf("counts %v, then %v: a person or a detention was created", before.Counts, after.Counts)
	}
	if got := after.Counts[habeas.KindSource] - before.Counts[habeas.KindSource]; got != 1 {
		t.Errorf("%d new sources, want the caller", got)
	}
	arrests := d.EventsOf(habeas.EventArrest)
	if len(arrests) != 2 {
		t.Fatalf("arrest accounts %+v, want the police list's and the caller's", arrests)
	}
	caller := arrests[0]
	if len(caller.Sources) == 1 && caller.Sources[0] == police.ID {
		caller = arrests[1]
	}
	src := callerOf(t, b, caller)
	if src.Title != "brother Ruslan" || src.Kind != habeas.SourceHotlineCall {
		t.Errorf("the new account cites %+v, want the call from brother Ruslan", src)
	}
	if want := time.Date(2022, 1, 6, 8, 30, 0, 0, time.UTC); !caller.At.Equal(want) || caller.Place != "Republic Square" || caller.Body != "police" {
		t.Errorf("the caller's account: at %v, place %q, by %q; want 14:30 in Almaty (%v), Republic Square, police",
			caller.At, caller.Place, caller.Body, want)
	}
	p, err := b.Env.Store.FindPersonByID(context.Background(), aidos.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := habeas.NameVariant{Text: "Serikbayev", Script: "Latn", Kind: habeas.NameAsWritten, SourceID: src.ID}
	if len(p.Names) != 2 || p.Names[0].Text != "Айдос Серікбаев" || p.Names[1] != want {
		t.Errorf("names %+v, want Айдос Серікбаев and the caller's %+v", p.Names, want)
	}
}
