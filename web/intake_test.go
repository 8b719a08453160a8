package web_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/web"
	"github.com/habeas-project/habeas/web/webtest"
)

// intakeNow is the clock of the intake tests: 7 January 2022, 12:00 in
// Almaty (UTC+6 then).
var intakeNow = time.Date(2022, 1, 7, 6, 0, 0, 0, time.UTC)

// intakeEnv is a server whose clock is intakeNow, with a caseworker.
type intakeEnv struct {
	env *webtest.Env
	cw  *webtest.Client
}

func newIntakeEnv(t *testing.T) *intakeEnv {
	t.Helper()
	base := webtest.New(t)
	cfg := webtest.Config(base.Store, nil)
	cfg.Now = func() time.Time { return intakeNow }
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	env := &webtest.Env{Store: base.Store, Server: srv}
	return &intakeEnv{env: env, cw: env.As(t, habeas.RoleCaseworker)}
}

// report is a standard report: a man taken in Almaty on 5 January 2022
// at 14:30, held at a police department since 16:00, reported by his
// sister.
func report() url.Values {
	return url.Values{
		"name": {"Серікбаев Айдос"}, "birth": {"34"}, "sex": {"male"}, "citizenship": {"KZ"}, "iin": {""},
		"city": {"almaty"}, "date": {"2022-01-05"}, "time": {"14:30"}, "place": {"Republic Square"}, "body": {"police"},
		"custody": {"Almaly district police department"}, "custody_since": {"16:00"}, "note": {"taken from a bus stop"},
		"source_kind": {"hotline_call"}, "caller": {"sister, Aigerim"}, "contact": {"+7 701 000 00 00"},
		"confidentiality": {"internal"}, "reliability": {"F"}, "credibility": {"3"}, "person_id": {""},
	}
}

func with(v url.Values, kv ...string) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		c.Set(kv[i], kv[i+1])
	}
	return c
}

var detentionLocation = regexp.MustCompile(`^/detentions/(det_[a-z0-9]+)\?intake=(new|added|person)$`)

// saved posts a report, expects the redirect to the detention's page and
// returns the detention and what the redirect says happened.
func (e *intakeEnv) saved(t *testing.T, form url.Values) (*habeas.Detention, string) {
	t.Helper()
	rec := e.cw.PostForm("/intake", form)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("POST /intake: status %d, want 303: %s", rec.Code, rec.Body)
	}
	m := detentionLocation.FindStringSubmatch(rec.Header().Get("Location"))
	if m == nil {
		t.Fatalf("Location %q, want a detention's page", rec.Header().Get("Location"))
	}
	d, err := e.env.Store.FindDetentionByID(context.Background(), m[1])
	if err != nil {
		t.Fatal(err)
	}
	page := e.cw.Get(rec.Header().Get("Location"))
	if page.Code != http.StatusOK {
		t.Errorf("the detention's page: status %d", page.Code)
	}
	// The case page confirms what the report did, as a status message.
	if want := `<p class="saved" role="status">Report saved`; !strings.Contains(page.Body.String(), want) {
		t.Errorf("the detention's page after intake=%s lacks the confirmation %q", m[2], want)
	}
	return d, m[2]
}

func TestIntakeNewReport(t *testing.T) {
	e := newIntakeEnv(t)
	before := e.env.State(t)
	d, how := e.saved(t, report())
	if how != "new" {
		t.Errorf("redirect says %q, want new", how)
	}
	after := e.env.State(t)
	for _, k := range []habeas.Kind{habeas.KindSource, habeas.KindPerson, habeas.KindDetention} {
		if got := after.Counts[k] - before.Counts[k]; got != 1 {
			t.Errorf("%d new %s records, want 1", got, k)
		}
	}
	if got := after.LastSeq - before.LastSeq; got != 3 {
		t.Errorf("%d changes, want 3 (source, person, detention in one batch)", got)
	}

	if len(d.Events) != 2 {
		t.Fatalf("events %+v, want an arrest and a transfer", d.Events)
	}
	arrest, transfer := d.Events[0], d.Events[1]
	if arrest.Type != habeas.EventArrest || !arrest.At.Equal(time.Date(2022, 1, 5, 8, 30, 0, 0, time.UTC)) || arrest.Zone != "Asia/Almaty" {
		t.Errorf("arrest %s at %v in %s, want arrest at 08:30 UTC (14:30 in Almaty) in Asia/Almaty", arrest.Type, arrest.At, arrest.Zone)
	}
	if arrest.Place != "Republic Square" || arrest.Body != "police" || arrest.Note != "taken from a bus stop" {
		t.Errorf("arrest place %q body %q note %q", arrest.Place, arrest.Body, arrest.Note)
	}
	if transfer.Type != habeas.EventTransfer || transfer.Place != "Almaly district police department" ||
		!transfer.At.Equal(time.Date(2022, 1, 5, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("transfer %s to %q at %v, want a transfer to the department at 10:00 UTC", transfer.Type, transfer.Place, transfer.At)
	}
	if d.City != "almaty" || d.Status() != habeas.StatusInCustody {
		t.Errorf("detention in %s, status %s", d.City, d.Status())
	}

	srcID := arrest.Sources[0]
	e1, err := e.env.Store.Find(context.Background(), habeas.KindSource, srcID)
	if err != nil {
		t.Fatal(err)
	}
	src := e1.(*habeas.Source)
	if src.Kind != habeas.SourceHotlineCall || src.Grade() != "F3" || src.Title != "sister, Aigerim" ||
		src.Contact != "+7 701 000 00 00" || src.ReceivedBy != "caseworker" || !src.ReceivedAt.Equal(intakeNow) ||
		src.Confidentiality != habeas.ConfidentialityInternal {
		t.Errorf("source %+v", src)
	}
	if !equalStrings(transfer.Sources, []string{srcID}) || !equalStrings(d.Sources, []string{srcID}) {
		t.Errorf("transfer cites %v, detention %v; want the caller %s", transfer.Sources, d.Sources, srcID)
	}

	p, err := e.env.Store.FindPersonByID(context.Background(), d.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	want := []habeas.NameVariant{
		{Text: "Серікбаев Айдос", Script: "Cyrl", Kind: habeas.NameAsWritten, SourceID: srcID},
		{Text: "Serikbaev Aidos", Script: "Latn", Kind: habeas.NameTransliteration},
	}
	if len(p.Names) != len(want) || p.Names[0] != want[0] || p.Names[1] != want[1] {
		t.Errorf("names %+v, want %+v", p.Names, want)
	}
	if p.Birth != (habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 34, AgeAt: "2022-01-05"}) || p.Sex != habeas.SexMale ||
		!equalStrings(p.Citizenships, []string{"KZ"}) {
		t.Errorf("person birth %+v sex %s citizenships %v", p.Birth, p.Sex, p.Citizenships)
	}
}

func equalStrings(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }

// Local times are read in the zone of the city on that day: Almaty was
// UTC+6 until March 2024 and UTC+5 since, Aktau UTC+5; a date without a
// year is the latest such day, and the date defaults to today there.
func TestIntakeLocalTime(t *testing.T) {
	e := newIntakeEnv(t)
	for _, tt := range []struct {
		city, date, time string
		want             time.Time
		zone             string
	}{
		{"almaty", "05.01.2022", "1430", time.Date(2022, 1, 5, 8, 30, 0, 0, time.UTC), "Asia/Almaty"},
		{"aktau", "2022-01-05", "14.30", time.Date(2022, 1, 5, 9, 30, 0, 0, time.UTC), "Asia/Aqtau"},
		{"almaty", "2021-06-01", "9", time.Date(2021, 6, 1, 3, 0, 0, 0, time.UTC), "Asia/Almaty"},
		{"almaty", "", "07:15", time.Date(2022, 1, 7, 1, 15, 0, 0, time.UTC), "Asia/Almaty"},        // today
		{"almaty", "30.12", "23:00", time.Date(2021, 12, 30, 17, 0, 0, 0, time.UTC), "Asia/Almaty"}, // last December
	} {
		t.Run(tt.city+" "+tt.date+" "+tt.time, func(t *testing.T) {
			d, _ := e.saved(t, with(report(), "name", "Aidos Test "+tt.time, "city", tt.city, "date", tt.date, "time", tt.time, "custody", "", "custody_since", ""))
			if len(d.Events) != 1 || !d.Events[0].At.Equal(tt.want) || d.Events[0].Zone != tt.zone {
				t.Errorf("events %+v, want one arrest at %v in %s", d.Events, tt.want, tt.zone)
			}
		})
	}
	// Almaty moved to UTC+5 on 1 March 2024.
	later := newIntakeEnvAt(t, time.Date(2024, 6, 2, 6, 0, 0, 0, time.UTC))
	d, _ := later.saved(t, with(report(), "date", "2024-06-01", "time", "14:30"))
	if got := d.Events[0].At; !got.Equal(time.Date(2024, 6, 1, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("14:30 in Almaty on 1 June 2024 stored as %v, want 09:30 UTC", got)
	}
}

func newIntakeEnvAt(t *testing.T, now time.Time) *intakeEnv {
	t.Helper()
	base := webtest.New(t)
	cfg := webtest.Config(base.Store, nil)
	cfg.Now = func() time.Time { return now }
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	env := &webtest.Env{Store: base.Store, Server: srv}
	return &intakeEnv{env: env, cw: env.As(t, habeas.RoleCaseworker)}
}

// Invalid input comes back with 400, what was typed, each field's error in
// the reader's language beside the field and in a summary, and nothing
// written.
func TestIntakeInvalid(t *testing.T) {
	e := newIntakeEnv(t)
	reg := registered(t, e.env)
	for _, tt := range []struct {
		name  string
		form  url.Values
		field string
		want  string // in Russian
	}{
		{"missing name", with(report(), "name", "  "), "name", "обязательное поле"},
		{"bad time", with(report(), "time", "25:70"), "time", "— не время; введите, например, 14:30"},
		{"missing time", with(report(), "time", ""), "time", "обязательное поле"},
		{"unknown city", with(report(), "city", "atlantis"), "city", "— неизвестный город"},
		{"bad date", with(report(), "date", "31.02.2022"), "date", "— не дата"},
		{"future", with(report(), "date", "2022-01-08"), "time", "указано время в будущем"},
		{"bad birth", with(report(), "birth", "old"), "birth", "не возраст и не дата рождения"},
		{"birth after arrest", with(report(), "birth", "2023"), "birth", "позже задержания"},
		{"short IIN", with(report(), "iin", "12345"), "iin", "должен состоять из 12 цифр"},
		{"bad IIN check digit", with(report(), "iin", "900402300001"), "iin", "недействительный ИИН"},
		{"IIN of another sex", with(report(), "iin", string(iinFor(t, habeas.SexFemale))), "iin", "по ИИН пол"},
		{"registered IIN", with(report(), "iin", string(reg.person.IIN)), "iin", "принадлежит зарегистрированному лицу"},
		{"bad country", with(report(), "citizenship", "Kazakhstan"), "citizenship", "не двухбуквенный код страны"},
		{"since without custody", with(report(), "custody", ""), "custody_since", "сначала укажите, где содержится"},
		{"unknown person", with(report(), "person_id", "per_aaaaaaaaaaaaaaaa"), "person_id", "нет в реестре"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := e.env.State(t)
			rec := e.cw.PostForm("/intake?lang=ru", tt.form)
			after := e.env.State(t)
			if after.LastSeq != before.LastSeq {
				t.Errorf("invalid report wrote: %v, then %v", before, after)
			}
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", rec.Code)
			}
			body := rec.Body.String()
			errID := "f-" + tt.field + "-error"
			m := regexp.MustCompile(`<p class="field-error" id="` + errID + `">([^<]*)</p>`).FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no error beside %s:\n%s", tt.field, body)
			}
			if !strings.Contains(html.UnescapeString(m[1]), tt.want) {
				t.Errorf("error of %s is %q, want it to say %q", tt.field, html.UnescapeString(m[1]), tt.want)
			}
			if !strings.Contains(body, `role="alert"`) || !strings.Contains(body, "ничего не сохранено") {
				t.Errorf("no summary of the errors in Russian at the top")
			}
			if tt.field != "person_id" {
				input := regexp.MustCompile(`<(?:input|select) id="f-` + tt.field + `"[^>]*>`).FindString(body)
				if !strings.Contains(input, `aria-invalid="true"`) || !strings.Contains(input, errID) || !strings.Contains(input, " autofocus") {
					t.Errorf("the field is not marked invalid, linked to its error and focused: %s", input)
				}
			}
			// What was typed is kept.
			if !strings.Contains(body, `value="Republic Square"`) || !strings.Contains(body, `value="sister, Aigerim"`) {
				t.Errorf("the form lost what was typed")
			}
			if strings.Contains(body, "[intake.") {
				t.Errorf("a message is missing: %s", regexp.MustCompile(`\[intake\.[^\]]*\]`).FindString(body))
			}
		})
	}
	// The language may come from the cookie as well.
	req := httptest.NewRequest("POST", "/intake", strings.NewReader(with(report(), "time", "").Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(e.cw.Cookie)
	req.AddCookie(&http.Cookie{Name: "habeas_lang", Value: "kk"})
	rec := e.env.Serve(req)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "міндетті өріс") {
		t.Errorf("kk cookie: status %d, want 400 with the Kazakh error", rec.Code)
	}
	if strings.Contains(rec.Body.String(), "Invalid") || strings.Contains(rec.Body.String(), "is required") {
		t.Errorf("kk cookie: English on the page")
	}
}

// registeredPerson is a person already in the register with an IIN and an
// open detention.
type registeredPerson struct {
	src    *habeas.Source
	person *habeas.Person
	det    *habeas.Detention
}

func registered(t *testing.T, env *webtest.Env) registeredPerson {
	t.Helper()
	src := webtest.Source("Almaty police list of 6 January", habeas.SourceOfficialList, "B", 2)
	p := webtest.Person("СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ", src)
	p.IIN = iinFor(t, habeas.SexMale)
	p.Sex = habeas.SexMale
	p.Birth = habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1987-04-02"}
	d := webtest.Detention(p, "almaty", habeas.ProcedureCriminal, time.Date(2022, 1, 5, 9, 0, 0, 0, time.UTC), src)
	d.Events[0].Place = "Almaty police department"
	env.Create(t, src, p, d)
	return registeredPerson{src, p, d}
}

func iinFor(t *testing.T, sex habeas.Sex) habeas.IIN {
	t.Helper()
	for serial := 1; serial < 100; serial++ {
		if iin, ok := habeas.MakeIIN(time.Date(1987, 4, 2, 0, 0, 0, 0, time.UTC), sex, serial); ok {
			return iin
		}
	}
	t.Fatal("no IIN")
	return ""
}

// Choosing a registered person adds the caller's spelling to them and
// their account of the arrest to the open detention, beside the one
// already there: no second person, no second detention.
func TestIntakeExistingPerson(t *testing.T) {
	e := newIntakeEnv(t)
	reg := registered(t, e.env)
	before := e.env.State(t)
	form := with(report(), "person_id", reg.person.ID, "name", "Serikbayev Aidos", "birth", "", "sex", "")
	d, how := e.saved(t, form)
	if how != "added" || d.ID != reg.det.ID {
		t.Fatalf("report went to %s (%s), want the open detention %s", d.ID, how, reg.det.ID)
	}
	after := e.env.State(t)
	if after.Counts[habeas.KindPerson] != before.Counts[habeas.KindPerson] || after.Counts[habeas.KindDetention] != before.Counts[habeas.KindDetention] {
		t.Errorf("counts %v, then %v: a person or detention was created", before.Counts, after.Counts)
	}
	arrests := d.EventsOf(habeas.EventArrest)
	if len(arrests) != 2 {
		t.Fatalf("arrest accounts %+v, want the police list's and the caller's", arrests)
	}
	var callerSrc string
	for _, a := range arrests {
		if !equalStrings(a.Sources, []string{reg.src.ID}) {
			callerSrc = a.Sources[0]
			if !a.At.Equal(time.Date(2022, 1, 5, 8, 30, 0, 0, time.UTC)) || a.Place != "Republic Square" {
				t.Errorf("caller's account %+v", a)
			}
		}
	}
	if callerSrc == "" || callerSrc == reg.src.ID {
		t.Fatalf("no arrest account from the caller: %+v", arrests)
	}
	p, err := e.env.Store.FindPersonByID(context.Background(), reg.person.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Names) != 2 || p.Names[1] != (habeas.NameVariant{Text: "Serikbayev Aidos", Script: "Latn", Kind: habeas.NameAsWritten, SourceID: callerSrc}) {
		t.Errorf("names %+v, want the caller's spelling added with the caller as source", p.Names)
	}
	if !strings.Contains(strings.Join(p.Sources, " "), callerSrc) || p.IIN != reg.person.IIN {
		t.Errorf("person sources %v, IIN %s", p.Sources, p.IIN)
	}

	// An invalid report keeps the choice, shown as a checked radio button
	// even when the typed name would not find the person.
	rec := e.cw.PostForm("/intake", with(form, "name", "Dos", "time", ""))
	chosen := `<input type="radio" id="f-person-` + reg.person.ID + `" name="person_id" value="` + reg.person.ID + `" checked>`
	if body := rec.Body.String(); rec.Code != http.StatusBadRequest || !strings.Contains(body, chosen) || !strings.Contains(body, "Almaty, taken") {
		t.Errorf("invalid report about a chosen person: status %d; the choice is not kept:\n%s", rec.Code, body)
	}

	// The same spelling again adds no variant; a report about a person
	// with no open detention opens one.
	released := habeas.Event{Type: habeas.EventRelease, At: time.Date(2022, 1, 6, 12, 0, 0, 0, time.UTC), Sources: []string{reg.src.ID}}
	d.Events = append(d.Events, released)
	if err := e.env.Store.Update(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	d2, how := e.saved(t, with(form, "name", "serikbayev  aidos", "date", "2022-01-07", "time", "10:00", "custody", "", "custody_since", ""))
	if how != "person" || d2.ID == reg.det.ID || d2.PersonID != reg.person.ID {
		t.Errorf("report on a released person went to %s (%s), want a new detention of %s", d2.ID, how, reg.person.ID)
	}
	p, _ = e.env.Store.FindPersonByID(context.Background(), reg.person.ID)
	if len(p.Names) != 2 {
		t.Errorf("names %+v: the same spelling was added again", p.Names)
	}
}

// Without JavaScript, "Check for existing persons" lists the registered
// persons a Latin spelling may be, Cyrillic ones included, as radio
// buttons, and writes nothing.
func TestIntakeCheckWithoutJS(t *testing.T) {
	e := newIntakeEnv(t)
	reg := registered(t, e.env)
	before := e.env.State(t)
	rec := e.cw.PostForm("/intake", with(report(), "name", "Serikbayev Aidos", "check", "1"))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if after := e.env.State(t); after.LastSeq != before.LastSeq {
		t.Errorf("checking wrote: %v, then %v", before, after)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`<input type="radio" id="f-person-` + reg.person.ID + `" name="person_id" value="` + reg.person.ID + `"`,
		"СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ", "(SERIKBAEV AYDOS ERLANULY)", // original script, with its Latin form
		`<input type="radio" id="f-person-new" name="person_id" value="" checked autofocus>`, "None of these — a new person",
		`value="Serikbayev Aidos"`, // what was typed stays
	} {
		if !strings.Contains(body, want) {
			t.Errorf("check page lacks %q", want)
		}
	}
	if strings.Contains(body, `type="hidden" id="f-person_id"`) {
		t.Errorf("the check page has both the radio buttons and the hidden person_id")
	}
	// Choosing the radio button and saving adds to that person.
	d, how := e.saved(t, with(report(), "name", "Serikbayev Aidos", "person_id", reg.person.ID))
	if how != "added" || d.ID != reg.det.ID {
		t.Errorf("saved to %s (%s), want %s", d.ID, how, reg.det.ID)
	}
	// A name nobody has says so, and keeps the type-ahead.
	rec = e.cw.PostForm("/intake", with(report(), "name", "Zhanna Tulegenova", "check", "1"))
	if body := rec.Body.String(); !strings.Contains(body, "No registered person matches this name or IIN") ||
		!strings.Contains(body, `data-suggest="/intake/suggest"`) {
		t.Errorf("check without matches: %d", rec.Code)
	}
}

// The type-ahead finds persons across scripts, as an HTML fragment for
// the form and as JSON for the API.
func TestIntakeSuggest(t *testing.T) {
	e := newIntakeEnv(t)
	reg := registered(t, e.env)
	src := webtest.Source("Lawyer", habeas.SourceLawyer, "B", 2)
	latin := webtest.Person("Aigerim Nurlanovna Sadykova", src)
	other := webtest.Person("Айдар Серікбаев", src)
	e.env.Create(t, src, latin, other)

	frag := e.cw.Get("/intake/suggest?q=" + url.QueryEscape("Serikbayev Aidos"))
	body := html.UnescapeString(frag.Body.String())
	if frag.Code != http.StatusOK || !strings.HasPrefix(frag.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, %s", frag.Code, frag.Header().Get("Content-Type"))
	}
	for _, want := range []string{`role="option"`, `data-person="` + reg.person.ID + `"`, "СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ",
		"(SERIKBAEV AYDOS ERLANULY)", "born 1987-04-02", "Almaty, taken 2022-01-05 15:00 +06 Asia/Almaty, in custody",
		`data-status="1 registered person may match`} {
		if !strings.Contains(body, want) {
			t.Errorf("fragment lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, other.ID) || strings.Contains(body, "<html") {
		t.Errorf("fragment shows Айдар or a whole page:\n%s", body)
	}
	if kk := e.cw.Get("/intake/suggest?lang=kk&q=serikb").Body.String(); !strings.Contains(kk, "2 тіркелген адам") || strings.Contains(kk, "[intake.") {
		t.Errorf("Kazakh fragment for a prefix: %s", kk)
	}

	viewer := e.env.As(t, habeas.RoleViewer)
	for _, tt := range []struct {
		q, first string
		n        int
	}{
		{"Serikbayev Aidos", reg.person.ID, 1},
		{"Серікбаев", "", 2},              // both Серікбаевs
		{"Айгерим Садыкова", latin.ID, 1}, // Cyrillic finds Latin
		{"sadykova aigerim", latin.ID, 1}, // any order, any case
		{string(reg.person.IIN), "", 0},   // q is a name, not an IIN
		{"x", "", 0},                      // too short
	} {
		var got struct{ Items []casework.Suggestion }
		if code := viewer.JSON(t, "GET", "/api/v1/persons/suggest?q="+url.QueryEscape(tt.q), nil, &got); code != http.StatusOK {
			t.Fatalf("%q: status %d", tt.q, code)
		}
		if len(got.Items) != tt.n || tt.first != "" && got.Items[0].PersonID != tt.first {
			t.Errorf("%q: %+v, want %d with %s first", tt.q, got.Items, tt.n, tt.first)
		}
	}
	var got struct{ Items []casework.Suggestion }
	e.cw.JSON(t, "GET", "/api/v1/persons/suggest?iin="+string(reg.person.IIN), nil, &got)
	if len(got.Items) != 1 || !got.Items[0].IINMatch || got.Items[0].Latest == nil || got.Items[0].Latest.ID != reg.det.ID {
		t.Errorf("by IIN: %+v", got.Items)
	}
	if code := e.cw.JSON(t, "GET", "/api/v1/persons/suggest?q=ab&limit=500", nil, nil); code != http.StatusBadRequest {
		t.Errorf("limit 500: status %d, want 400", code)
	}
}

// Only those who write may take a report.
func TestIntakeForbidden(t *testing.T) {
	e := newIntakeEnv(t)
	viewer := e.env.As(t, habeas.RoleViewer)
	lawyer := e.env.As(t, habeas.RoleLawyer)
	before := e.env.State(t)
	for _, tt := range []struct {
		name string
		code int
	}{
		{"viewer posts the form", viewer.PostForm("/intake", report()).Code},
		{"lawyer posts the form", lawyer.PostForm("/intake", report()).Code},
		{"viewer opens the form", viewer.Get("/intake").Code},
		{"viewer asks the form's type-ahead", viewer.Get("/intake/suggest?q=ab").Code},
		{"viewer posts to the API", viewer.Do("POST", "/api/v1/intake", `{"name":"Aidos","city":"almaty","time":"14:30"}`).Code},
	} {
		if tt.code != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", tt.name, tt.code)
		}
	}
	if after := e.env.State(t); after.LastSeq != before.LastSeq {
		t.Errorf("forbidden requests wrote: %v, then %v", before, after)
	}
	if code := e.env.Anonymous().PostForm("/intake", report()).Code; code != http.StatusSeeOther {
		t.Errorf("anonymous: status %d, want 303 to the login", code)
	}
}

// The form is whole in every language, with the defaults of a hotline
// call and the focus on the name.
func TestIntakeFormLanguages(t *testing.T) {
	e := newIntakeEnv(t)
	for _, lang := range web.Languages {
		rec := e.cw.Get("/intake?lang=" + lang)
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", lang, rec.Code)
		}
		if m := regexp.MustCompile(`\[[a-z]+\.[a-z0-9_.]+\]`).FindString(body); m != "" {
			t.Errorf("%s: missing message %s", lang, m)
		}
		for _, want := range []string{
			`<input id="f-name" name="name" type="text" value="" required`, " autofocus data-suggest=",
			`value="2022-01-07"`, // today in Almaty
			`<option value="almaty" selected>`, `<option value="hotline_call" selected>`,
			`<option value="F" selected>`, `<option value="3" selected>`, `<option value="internal" selected>`,
			`name="citizenship" type="text" value="KZ"`,
			`<script src="/static/typeahead.js" defer></script>`,
			`<button type="submit" name="check" value="1"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: form lacks %q", lang, want)
			}
		}
		if strings.Count(body, " autofocus") != 1 {
			t.Errorf("%s: %d autofocus attributes, want 1", lang, strings.Count(body, " autofocus"))
		}
		// Enter saves: the first submit button of the form is the save button.
		form := body[strings.Index(body, `<form class="intake"`):]
		if i := strings.Index(form, `type="submit"`); i < 0 || !strings.HasPrefix(form[i:], `type="submit" name="save"`) {
			t.Errorf("%s: the first submit button is not the save button", lang)
		}
		if len(body) > 100_000 {
			t.Errorf("%s: page is %d bytes", lang, len(body))
		}
	}
	// The city of the last report is the next one's default.
	e.saved(t, with(report(), "city", "aktau"))
	if body := e.cw.Get("/intake").Body.String(); !strings.Contains(body, `<option value="aktau" selected>`) {
		t.Errorf("the form does not remember the last city")
	}
	js := e.cw.Get("/static/typeahead.js")
	if js.Code != http.StatusOK || js.Body.Len() > 5*1024 {
		t.Errorf("typeahead.js: status %d, %d bytes", js.Code, js.Body.Len())
	}
}

// The API takes the same report as JSON, with the form's field names in
// its errors.
func TestIntakeAPI(t *testing.T) {
	e := newIntakeEnv(t)
	reg := registered(t, e.env)
	var res casework.IntakeResult
	in := map[string]string{"name": "Жанна Тулегенова", "city": "aktau", "date": "2022-01-06", "time": "09:00", "body": "national_guard"}
	if code := e.cw.JSON(t, "POST", "/api/v1/intake", in, &res); code != http.StatusCreated {
		t.Fatalf("status %d", code)
	}
	if !res.NewPerson || !res.NewDetention || len(res.Changes) != 3 {
		t.Errorf("result %+v", res)
	}
	d, err := e.env.Store.FindDetentionByID(context.Background(), res.DetentionID)
	if err != nil {
		t.Fatal(err)
	}
	if a := d.Events[0]; !a.At.Equal(time.Date(2022, 1, 6, 4, 0, 0, 0, time.UTC)) || a.Body != "National Guard" {
		t.Errorf("arrest %+v", a)
	}
	e1, _ := e.env.Store.Find(context.Background(), habeas.KindSource, res.SourceID)
	if s := e1.(*habeas.Source); s.Kind != habeas.SourceHotlineCall || s.Grade() != "F3" || s.Title != "Hotline call, 2022-01-07 11:00" {
		t.Errorf("source with defaults %+v", s)
	}

	var add casework.IntakeResult
	code := e.cw.JSON(t, "POST", "/api/v1/intake", map[string]string{"person_id": reg.person.ID, "name": "Серикбаев Айдос",
		"city": "almaty", "time": "08:00", "date": "06.01.2022", "source_kind": "relative"}, &add)
	if code != http.StatusCreated || add.NewPerson || add.NewDetention || !add.NameAdded || add.DetentionID != reg.det.ID {
		t.Errorf("adding to a person: status %d, %+v", code, add)
	}

	before := e.env.State(t)
	var bad webtest.ErrorBody
	code = e.cw.JSON(t, "POST", "/api/v1/intake", map[string]string{"name": "", "city": "almaty", "time": "7pm", "credibility": "9"}, &bad)
	if code != http.StatusBadRequest || !bad.HasField("name", "is required") || !bad.HasField("time", "is not a time") ||
		!bad.HasField("credibility", "is not a credibility grade") {
		t.Errorf("status %d, %+v", code, bad)
	}
	if code := e.cw.JSON(t, "POST", "/api/v1/intake", `{"name":"A","town":"almaty"}`, &bad); code != http.StatusBadRequest || !bad.HasField("town", "is not a known field") {
		t.Errorf("unknown field: status %d, %+v", code, bad)
	}
	if after := e.env.State(t); after.LastSeq != before.LastSeq {
		t.Errorf("invalid reports wrote")
	}
}

// A report about a registered IIN shows that person to choose.
func TestIntakeRegisteredIIN(t *testing.T) {
	e := newIntakeEnv(t)
	reg := registered(t, e.env)
	rec := e.cw.PostForm("/intake", with(report(), "name", "Aidos S.", "iin", string(reg.person.IIN), "birth", "", "sex", ""))
	body := rec.Body.String()
	if rec.Code != http.StatusBadRequest || !strings.Contains(body, `value="`+reg.person.ID+`"`) || !strings.Contains(body, "same IIN") {
		t.Errorf("status %d; want 400 offering %s:\n%s", rec.Code, reg.person.ID, body)
	}
}
