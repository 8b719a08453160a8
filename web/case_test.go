package web_test

import (
	"context"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/sqlite"
	"github.com/habeas-project/habeas/web/webtest"
)

// The case page is translated throughout: headings, forms and the names of
// domain values, in every language, for a reader and for a writer who
// sees the forms.
func TestCasePageLanguages(t *testing.T) {
	env := webtest.New(t)
	f := newFixture(t, env)
	viewer, cw := env.As(t, habeas.RoleViewer), env.As(t, habeas.RoleCaseworker)
	want := map[string][]string{
		"en": {"Custody timeline", "Safeguards", "Accounts of the arrest", "Charges and court decisions", "Visits and refusals of access",
			"Allegations of torture or ill-treatment", "No visible signs do not mean there was no torture", "Sources and their reliability",
			"pre-trial custody", "usually reliable", "Brought before a judge within 48 hours"},
		"ru": {"Хронология содержания под стражей", "Правовые гарантии", "Версии задержания", "Обвинения и судебные решения",
			"Свидания и отказы в допуске", "Заявления о пытках или жестоком обращении", "Отсутствие видимых следов не означает",
			"Источники и их надёжность", "содержание под стражей", "обычно надёжен", "через 19 ч 30 мин после задержания",
			"Доставление к судье в течение 48 часов"},
		"kk": {"Қамауда ұстау хронологиясы", "Құқықтық кепілдіктер", "Ұстау туралы нұсқалар", "Айыптар және сот шешімдері",
			"Кездесулер және рұқсат берілмеген жағдайлар", "Азаптау немесе қатыгездік туралы мәлімдемелер",
			"Көрінетін белгілердің болмауы", "Дереккөздер және олардың сенімділігі", "әдетте сенімді",
			"48 сағат ішінде судьяның алдына жеткізу"},
	}
	forms := map[string][]string{
		"en": {"Assign or reassign a lawyer", "Record a visit", "Record a refusal of access", "Record a hearing", "Record an allegation", "Informed consent given"},
		"ru": {"Назначить или заменить адвоката", "Записать свидание", "Записать отказ в допуске", "Записать заседание", "Записать заявление", "Дано информированное согласие"},
		"kk": {"Адвокат тағайындау немесе ауыстыру", "Кездесуді жазу", "Рұқсат бермеуді жазу", "Сот отырысын жазу", "Мәлімдеме жазу", "Ақпараттандырылған келісім берілді"},
	}
	for _, lang := range []string{"en", "ru", "kk"} {
		for _, c := range []*webtest.Client{viewer, cw} {
			t.Run(lang+" as "+c.Name, func(t *testing.T) {
				rec := c.Get("/detentions/" + f.almaty.ID + "?lang=" + lang)
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d, want 200", rec.Code)
				}
				body := html.UnescapeString(rec.Body.String())
				for _, w := range want[lang] {
					if !strings.Contains(body, w) {
						t.Errorf("page lacks %q", w)
					}
				}
				for _, w := range forms[lang] {
					if got := strings.Contains(body, w); got != (c == cw) {
						t.Errorf("form text %q shown: %v, want %v (only writers record)", w, got, c == cw)
					}
				}
				if m := missingMessage.FindAllString(body, -1); len(m) > 0 {
					t.Errorf("untranslated messages: %v", m)
				}
				if !strings.Contains(body, `<html lang="`+lang+`">`) {
					t.Errorf("page is not marked as %s", lang)
				}
				if n := rec.Body.Len(); n > 100_000 {
					t.Errorf("page is %d bytes, over 100 KB", n)
				}
			})
		}
	}
}

// Facts that sources disagree on are shown side by side, one column per
// source: here the time in the detention protocol.
func TestCaseAccountsSideBySide(t *testing.T) {
	env := webtest.New(t)
	f := newFixture(t, env)
	d := *f.aktau
	d.Events = append(append([]habeas.Event(nil), d.Events...),
		habeas.Event{Type: habeas.EventProtocol, At: time.Date(2022, 1, 5, 18, 0, 0, 0, aqtau), Place: "Aktau city police", Sources: []string{f.police.ID}},
		habeas.Event{Type: habeas.EventProtocol, At: time.Date(2022, 1, 5, 23, 30, 0, 0, aqtau), Place: "Aktau city police", Sources: []string{f.monitor.ID}},
		// Two transfers from one source are two facts, not two accounts.
		habeas.Event{Type: habeas.EventTransfer, At: time.Date(2022, 1, 6, 9, 0, 0, 0, aqtau), Place: "IVS Aktau", Sources: []string{f.police.ID}},
		habeas.Event{Type: habeas.EventTransfer, At: time.Date(2022, 1, 6, 15, 0, 0, 0, aqtau), Place: "SIZO Aktau", Sources: []string{f.police.ID}})
	cw := env.As(t, habeas.RoleCaseworker)
	if code := cw.Put(t, "/api/v1/detentions/"+d.ID, d, nil); code != http.StatusOK {
		t.Fatalf("PUT: status %d", code)
	}
	body := html.UnescapeString(cw.Get("/detentions/" + d.ID).Body.String())
	table := between(t, body, "<h3>Accounts of the protocol time</h3>", "</table>")
	if got := strings.Count(table, `<th scope="col">`); got != 3 { // the row headings, then one column per source
		t.Errorf("protocol comparison has %d column headings, want 3:\n%s", got, table)
	}
	for _, want := range []string{"Almaty police list of 7 January", "Aktau monitor report",
		"<td>2022-01-05 18:00 +05 Asia/Aqtau</td><td>2022-01-05 23:30 +05 Asia/Aqtau</td>", "The sources disagree",
		`<tr class="differs"><th scope="row">Time`} {
		if !strings.Contains(table, want) {
			t.Errorf("protocol comparison lacks %q:\n%s", want, table)
		}
	}
	if strings.Contains(table, `<tr class="differs"><th scope="row">Place`) {
		t.Errorf("the place, on which the sources agree, is marked as differing")
	}
	if strings.Contains(body, "Accounts of a transfer") {
		t.Errorf("two transfers from one source are compared as accounts of one fact")
	}
	if strings.Contains(body, "Accounts of the arrest") {
		t.Errorf("a single arrest account is compared")
	}
}

// between returns the part of body from the first from to the next to.
func between(t *testing.T, body, from, to string) string {
	t.Helper()
	i := strings.Index(body, from)
	if i < 0 {
		t.Fatalf("page lacks %q", from)
	}
	j := strings.Index(body[i:], to)
	if j < 0 {
		t.Fatalf("page lacks %q after %q", to, from)
	}
	return body[i : i+j+len(to)]
}

// caseEnv is a detainee in Almaty with two lawyers the organisation works
// with and a caseworker signed in; the clock stands in February 2022.
type caseEnv struct {
	env         *webtest.Env
	f           *fixture
	dana, aset  *habeas.Lawyer
	cw, viewer  *webtest.Client
	now         time.Time
	detentionID string
}

func newCaseEnv(t *testing.T) *caseEnv {
	t.Helper()
	now := time.Date(2022, 2, 1, 9, 0, 0, 0, time.UTC)
	env := newEnvAt(t, now)
	ce := &caseEnv{env: env, now: now}
	ce.f = newFixture(t, env)
	ce.dana = &habeas.Lawyer{ID: habeas.NewID(habeas.KindLawyer), Name: "Дана Садыкова", City: "almaty", Active: true}
	ce.aset = &habeas.Lawyer{ID: habeas.NewID(habeas.KindLawyer), Name: "Асет Нұров", City: "almaty", Active: true}
	env.Create(t, ce.dana, ce.aset)
	ce.cw, ce.viewer = env.As(t, habeas.RoleCaseworker), env.As(t, habeas.RoleViewer)
	ce.detentionID = ce.f.aktau.ID
	return ce
}

// newEnvAt is webtest.New with the server's clock standing at now.
func newEnvAt(t *testing.T, now time.Time) *webtest.Env {
	t.Helper()
	db, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := webtest.Config(db, slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})))
	cfg.Now = func() time.Time { return now }
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	return &webtest.Env{Store: db, Server: srv}
}

// post submits a form of the case page and returns the response.
func (ce *caseEnv) post(c *webtest.Client, what string, form url.Values) *http.Response {
	return c.PostForm("/detentions/"+ce.detentionID+"/"+what, form).Result()
}

func (ce *caseEnv) detention(t *testing.T) *habeas.Detention {
	t.Helper()
	d, err := ce.env.Store.FindDetentionByID(context.Background(), ce.detentionID)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (ce *caseEnv) assignments(t *testing.T) []*habeas.Assignment {
	t.Helper()
	es, err := ce.env.Store.FindReferring(context.Background(), habeas.KindAssignment, ce.detentionID)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*habeas.Assignment, len(es))
	for i, e := range es {
		out[i] = e.(*habeas.Assignment)
	}
	return out
}

func wantRedirect(t *testing.T, res *http.Response, section string) {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d, want 303", res.StatusCode)
	}
	if loc := res.Header.Get("Location"); !strings.HasSuffix(loc, "#"+section) {
		t.Errorf("redirect to %q, want the case page at #%s", loc, section)
	}
}

// Assigning a lawyer shows them on the case page; reassigning ends the
// first assignment when the second starts, both in one batch of changes
// made by the signed-in caseworker.
func TestCaseAssignAndReassign(t *testing.T) {
	ce := newCaseEnv(t)
	res := ce.post(ce.cw, "assignments", url.Values{"lawyer": {ce.dana.ID}, "kind": {"legal_aid"},
		"from": {"2022-01-06T10:00"}, "source": {ce.f.monitor.ID}})
	wantRedirect(t, res, "lawyers")
	as := ce.assignments(t)
	if len(as) != 1 || as[0].LawyerID != ce.dana.ID || !as[0].To.IsZero() {
		t.Fatalf("assignments after assigning: %+v", as)
	}
	if want := time.Date(2022, 1, 6, 10, 0, 0, 0, aqtau); !as[0].From.Equal(want) {
		t.Errorf("from %v, want %v: the time is read in the zone of the place", as[0].From, want)
	}
	body := html.UnescapeString(ce.viewer.Get("/detentions/" + ce.detentionID).Body.String())
	lawyers := between(t, body, `<h2 id="lawyers-h">`, "</table>")
	for _, want := range []string{"Дана Садыкова", "acting now", "legal aid (by us)", "2022-01-06 10:00 +05 Asia/Aqtau", "Aktau monitor report"} {
		if !strings.Contains(lawyers, want) {
			t.Errorf("lawyers on the case page lack %q", want)
		}
	}

	before := ce.env.State(t)
	res = ce.post(ce.cw, "assignments", url.Values{"lawyer": {ce.aset.ID}, "kind": {"retained"},
		"from": {"2022-01-09 12:30"}, "replace": {as[0].ID}})
	wantRedirect(t, res, "lawyers")
	as = ce.assignments(t)
	var first, second *habeas.Assignment
	for _, a := range as {
		switch a.LawyerID {
		case ce.dana.ID:
			first = a
		case ce.aset.ID:
			second = a
		}
	}
	if first == nil || second == nil || len(as) != 2 {
		t.Fatalf("assignments after reassigning: %+v", as)
	}
	if !first.To.Equal(second.From) || first.To.IsZero() {
		t.Errorf("the first assignment ends %v, want when the second starts (%v)", first.To, second.From)
	}
	changes, err := ce.env.Store.Changes(context.Background(), before.LastSeq, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 2 {
		t.Fatalf("reassigning made %d changes, want 2", len(changes))
	}
	if !changes[0].At.Equal(changes[1].At) || changes[0].ID != first.ID || changes[1].ID != second.ID {
		t.Errorf("changes %s %s at %v and %s %s at %v: want the end and the start in one batch",
			changes[0].Op, changes[0].ID, changes[0].At, changes[1].Op, changes[1].ID, changes[1].At)
	}
	for _, c := range changes {
		if c.Actor != "caseworker" {
			t.Errorf("change %d by %q, want the signed-in caseworker", c.Seq, c.Actor)
		}
	}
	body = html.UnescapeString(ce.viewer.Get("/detentions/" + ce.detentionID).Body.String())
	if lawyers := between(t, body, `<h2 id="lawyers-h">`, "</table>"); strings.Count(lawyers, "acting now") != 1 ||
		!strings.Contains(lawyers, "Асет Нұров <strong class=\"now\">") {
		t.Errorf("after reassigning, the case page should show only the second lawyer acting:\n%s", lawyers)
	}

	// The same lawyer twice, a reassignment starting before the one it
	// replaces, and a replaced assignment that has ended are refused.
	before = ce.env.State(t)
	for name, form := range map[string]url.Values{
		"already acting":      {"lawyer": {ce.aset.ID}, "kind": {"legal_aid"}, "from": {"2022-01-10T10:00"}},
		"replace before from": {"lawyer": {ce.dana.ID}, "kind": {"legal_aid"}, "from": {"2022-01-09T12:00"}, "replace": {second.ID}},
		"replace ended":       {"lawyer": {ce.dana.ID}, "kind": {"legal_aid"}, "from": {"2022-01-20T12:00"}, "replace": {first.ID}},
		"no kind":             {"lawyer": {ce.dana.ID}, "from": {"2022-01-20T12:00"}},
	} {
		if res := ce.post(ce.cw, "assignments", form); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", name, res.StatusCode)
		}
	}
	if after := ce.env.State(t); after.LastSeq != before.LastSeq {
		t.Errorf("refused assignments wrote: %v, then %v", before, after)
	}
}

// A visit and a refusal of access appear on the timeline and among the
// visits, in the zone of the place, with the lawyer and the source.
func TestCaseVisitAndRefusal(t *testing.T) {
	ce := newCaseEnv(t)
	res := ce.post(ce.cw, "visits", url.Values{"lawyer": {ce.dana.ID}, "at": {"2022-01-07T11:15"},
		"place": {"IVS Aktau"}, "note": {"met for 20 minutes"}, "source": {ce.f.monitor.ID}})
	wantRedirect(t, res, "access")
	// A new source described in the form is created in the same batch.
	// Another lawyer, named in another script.
	res = ce.post(ce.cw, "refusals", url.Values{"lawyer_name": {"nurov"}, "at": {"2022-01-06T16:40"},
		"place": {"IVS Aktau"}, "by": {"duty officer"}, "note": {"citing the state of emergency"},
		"source_title": {"Call from Dana Sadykova"}, "source_kind": {"lawyer"}, "source_grade": {"b2"}})
	wantRedirect(t, res, "access")
	d := ce.detention(t)
	var visit, refusal *habeas.Event
	for i, e := range d.Events {
		switch e.Type {
		case habeas.EventLawyerAccess:
			visit = &d.Events[i]
		case habeas.EventLawyerDenied:
			refusal = &d.Events[i]
		}
	}
	if visit == nil || visit.LawyerID != ce.dana.ID || visit.Zone != "Asia/Aqtau" || visit.Place != "IVS Aktau" ||
		!visit.At.Equal(time.Date(2022, 1, 7, 11, 15, 0, 0, aqtau)) {
		t.Fatalf("visit: %+v", visit)
	}
	if refusal == nil || refusal.LawyerID != ce.aset.ID || refusal.Body != "duty officer" || refusal.Note != "citing the state of emergency" || len(refusal.Sources) != 1 {
		t.Fatalf("refusal: %+v", refusal)
	}
	src, err := ce.env.Store.Find(context.Background(), habeas.KindSource, refusal.Sources[0])
	if err != nil {
		t.Fatalf("the new source: %v", err)
	}
	if s := src.(*habeas.Source); s.Title != "Call from Dana Sadykova" || s.Grade() != "B2" || s.ReceivedBy != "caseworker" {
		t.Errorf("new source: %+v", s)
	}
	body := html.UnescapeString(ce.viewer.Get("/detentions/" + ce.detentionID + "?lang=ru").Body.String())
	timeline := between(t, body, `<table class="timeline">`, "</table>")
	for _, want := range []string{
		`<tr class="event-lawyer_access_granted"`, "2022-01-07 11:15 +05 Asia/Aqtau", "met for 20 minutes",
		`<tr class="event-lawyer_access_denied"`, "2022-01-06 16:40 +05 Asia/Aqtau", "duty officer", "citing the state of emergency",
		"Адвокат: Дана Садыкова", "Адвокат: Асет Нұров", "Call from Dana Sadykova",
	} {
		if !strings.Contains(timeline, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	access := between(t, body, `<h3 id="access">`, "</table>")
	if !strings.Contains(access, "Дана Садыкова") || !strings.Contains(access, "Асет Нұров") {
		t.Errorf("visits and refusals should name both lawyers:\n%s", access)
	}
}

// An invalid form writes nothing and comes back with 400, as it was typed,
// each error beside its field and in a summary at the top, in the
// reader's language.
func TestCaseInvalidVisit(t *testing.T) {
	ce := newCaseEnv(t)
	before := ce.env.State(t)
	for _, tt := range []struct {
		name, lang string
		form       url.Values
		field      string
		message    string
	}{
		{"time not a time", "ru", url.Values{"lawyer": {ce.dana.ID}, "at": {"31.02.2022 25:00"}, "place": {"ИВС Актау"}, "source": {ce.f.monitor.ID}},
			"at", "Укажите дату и время в формате ГГГГ-ММ-ДД ЧЧ:ММ (пояс Asia/Aqtau)."},
		{"time before the arrest", "kk", url.Values{"lawyer": {ce.dana.ID}, "at": {"2022-01-04T10:00"}, "source": {ce.f.monitor.ID}},
			"at", "Бұл нақты ұстаудан (2022-01-05 15:00 +05 Asia/Aqtau) бұрын."},
		{"time in the future", "en", url.Values{"lawyer": {ce.dana.ID}, "at": {"2022-03-01T10:00"}, "source": {ce.f.monitor.ID}},
			"at", "This is in the future"},
		{"no lawyer", "ru", url.Values{"at": {"2022-01-07T11:15"}, "source": {ce.f.monitor.ID}}, "lawyer", "Это обязательное поле."},
		{"unknown lawyer name", "en", url.Values{"lawyer_name": {"Zhanna Omarova"}, "at": {"2022-01-07T11:15"}, "source": {ce.f.monitor.ID}},
			"lawyer_name", "No lawyer on the list has this name"},
		{"lawyer name that fits two", "en", url.Values{"lawyer_name": {"Sadykova"}, "at": {"2022-01-07T11:15"}, "source": {ce.f.monitor.ID}},
			"lawyer_name", "2 lawyers fit this name; choose one"},
		{"no source", "en", url.Values{"lawyer": {ce.dana.ID}, "at": {"2022-01-07T11:15"}}, "source", "Choose a source of this case or describe a new one."},
		{"new source without grade", "en", url.Values{"lawyer": {ce.dana.ID}, "at": {"2022-01-07T11:15"}, "source_title": {"A call"}, "source_kind": {"relative"}},
			"source_grade", "This is required."},
		{"new source with a grade off the scale", "en", url.Values{"lawyer": {ce.dana.ID}, "at": {"2022-01-07T11:15"}, "source_title": {"A call"},
			"source_kind": {"relative"}, "source_grade": {"G7"}}, "source_grade", "Enter a letter A–F and a digit 1–6, such as B2."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := ce.cw.PostForm("/detentions/"+ce.detentionID+"/visits?lang="+tt.lang, tt.form)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", rec.Code)
			}
			body := html.UnescapeString(rec.Body.String())
			id := "access-" + tt.field
			for _, want := range []string{
				`<div class="problem" role="alert"`, `<a href="#` + id + `">`, tt.message,
				`aria-invalid="true" aria-describedby="` + id + `-error`, `<p class="field-error" id="` + id + `-error">` + tt.message,
				`<details class="record" open>`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			for field, vs := range tt.form { // kept as typed
				if field == "at" || field == "place" || field == "source_title" {
					if !strings.Contains(body, `name="`+field+`" type="`) || !strings.Contains(body, `value="`+vs[0]+`"`) {
						t.Errorf("the form does not keep %s = %q", field, vs[0])
					}
				}
			}
		})
	}
	if after := ce.env.State(t); after.String() != before.String() {
		t.Errorf("refused forms wrote: %v, then %v", before, after)
	}
	// The lawyers a typed name fits become choices of the form.
	body := html.UnescapeString(ce.cw.PostForm("/detentions/"+ce.detentionID+"/visits",
		url.Values{"lawyer_name": {"Sadykova"}, "at": {"2022-01-07T11:15"}}).Body.String())
	choices := between(t, body, `<select id="access-lawyer"`, "</select>")
	for _, want := range []string{">Dana Sadykova</option>", ">Дана Садыкова (Almaty)</option>"} {
		if !strings.Contains(choices, want) {
			t.Errorf("the lawyer choices lack %q:\n%s", want, choices)
		}
	}
}

// Only writers record on a case: a viewer's and a lawyer's posts are
// refused, and nothing is written.
func TestCaseWritesForbidden(t *testing.T) {
	ce := newCaseEnv(t)
	lawyer := ce.env.As(t, habeas.RoleLawyer)
	before := ce.env.State(t)
	form := url.Values{"lawyer": {ce.dana.ID}, "kind": {"legal_aid"}, "from": {"2022-01-06T10:00"}, "at": {"2022-01-07T11:15"},
		"type": {"trial_hearing"}, "source": {ce.f.monitor.ID}}
	for _, c := range []*webtest.Client{ce.viewer, lawyer} {
		for _, what := range []string{"assignments", "visits", "refusals", "hearings", "allegations"} {
			if res := ce.post(c, what, form); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s posting %s: status %d, want 403", c.Name, what, res.StatusCode)
			}
		}
		if res := c.PostForm("/lawyers", url.Values{"name": {"Zhanna Omarova"}}).Result(); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s adding a lawyer: status %d, want 403", c.Name, res.StatusCode)
		}
	}
	if after := ce.env.State(t); after.String() != before.String() {
		t.Errorf("forbidden posts wrote: %v, then %v", before, after)
	}
	if body := ce.viewer.Get("/detentions/" + ce.detentionID).Body.String(); strings.Contains(body, `method="post" action="/detentions/`) {
		t.Errorf("a viewer is offered forms that would be refused")
	}
}

// A court appearance needs the court's decision; a trial hearing takes
// none, and may be recorded ahead of its date.
func TestCaseHearing(t *testing.T) {
	ce := newCaseEnv(t)
	if res := ce.post(ce.cw, "hearings", url.Values{"type": {"court_appearance"}, "at": {"2022-01-06T15:00"}, "court": {"Aktau city court"},
		"source": {ce.f.monitor.ID}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("court appearance without a decision: status %d, want 400", res.StatusCode)
	}
	if res := ce.post(ce.cw, "hearings", url.Values{"type": {"court_appearance"}, "at": {"2022-01-06T15:00"}, "decision": {"administrative_arrest"},
		"source": {ce.f.monitor.ID}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("administrative arrest without days: status %d, want 400", res.StatusCode)
	}
	wantRedirect(t, ce.post(ce.cw, "hearings", url.Values{"type": {"court_appearance"}, "at": {"2022-01-06T15:00"},
		"court": {"Aktau city court"}, "judge": {"A. Judge"}, "decision": {"administrative_arrest"}, "days": {"10"},
		"source": {ce.f.monitor.ID}}), "court")
	wantRedirect(t, ce.post(ce.cw, "hearings", url.Values{"type": {"trial_hearing"}, "at": {"2022-03-15T10:00"},
		"court": {"Aktau city court"}, "note": {"scheduled"}, "source": {ce.f.monitor.ID}}), "court")
	d := ce.detention(t)
	court := d.EventsOf(habeas.EventCourtAppearance)
	if len(court) != 1 || court[0].Decision == nil || court[0].Decision.Kind != habeas.DecisionAdminArrest || court[0].Decision.Days != 10 ||
		court[0].Decision.Judge != "A. Judge" || court[0].Place != "Aktau city court" {
		t.Errorf("court appearance: %+v", court)
	}
	if trial := d.EventsOf(habeas.EventTrialHearing); len(trial) != 1 || trial[0].Decision != nil || trial[0].Place != "Aktau city court" {
		t.Errorf("trial hearing: %+v", trial)
	}
	if d.Status() != habeas.StatusInCustody {
		t.Errorf("status %s after administrative arrest, want in custody", d.Status())
	}
	body := html.UnescapeString(ce.viewer.Get("/detentions/" + ce.detentionID + "?lang=ru").Body.String())
	if !strings.Contains(between(t, body, `<h2 id="court-h">`, "</table>"), "Решение: административный арест, 10 дней, Aktau city court, судья A. Judge") {
		t.Errorf("the court section does not show the decision in Russian")
	}
}

// The allegation form stores every Istanbul Protocol heading and the
// medical file, and the case page shows them.
func TestCaseAllegation(t *testing.T) {
	ce := newCaseEnv(t)
	form := url.Values{
		"at": {"2022-01-05T22:00"}, "place": {"IVS Aktau"},
		"circumstances": {"refused to sign the protocol"}, "period": {"two nights"},
		"perpetrators": {"three officers without insignia"}, "questions": {"asked who organised the protest"},
		"routine": {"no food for a day; lights on all night"}, "methods": {"beating", "threats", "other"},
		"methods_other": {"cold water poured over the head"}, "sexual_violence": {"yes"}, "objects": {"rubber baton"},
		"injuries": {"bruises on the back"}, "witnesses": {"two cellmates"}, "reported_to": {"defence lawyer"},
		"examined_at": {"2022-01-10T10:00"}, "examiner": {"independent forensic doctor"}, "consent": {"yes"},
		"private_interview": {"no"}, "photographs": {"yes"}, "body_diagrams": {"yes"}, "psychological_evaluation": {""},
		"findings": {"bruising of several days"}, "consistency": {"highly_consistent"}, "source": {ce.f.monitor.ID},
		"statement_obtained": {"yes"},
	}
	wantRedirect(t, ce.post(ce.cw, "allegations", form), "allegations")
	got := ce.detention(t).EventsOf(habeas.EventIllTreatment)
	if len(got) != 1 || got[0].Allegation == nil || got[0].Allegation.Medical == nil {
		t.Fatalf("allegations: %+v", got)
	}
	a, m := got[0].Allegation, got[0].Allegation.Medical
	yes, no := true, false
	for _, c := range []struct {
		field     string
		got, want any
	}{
		{"circumstances", a.Circumstances, "refused to sign the protocol"}, {"period", a.Period, "two nights"},
		{"perpetrators", a.Perpetrators, "three officers without insignia"}, {"questions", a.Questions, "asked who organised the protest"},
		{"routine", a.Routine, "no food for a day; lights on all night"}, {"methods", strings.Join(a.Methods, ","), "beating,threats,other"},
		{"methods_other", a.MethodsOther, "cold water poured over the head"}, {"sexual_violence", a.Sexual, true},
		{"objects", a.Objects, "rubber baton"}, {"injuries", a.Injuries, "bruises on the back"}, {"witnesses", a.Witnesses, "two cellmates"},
		{"reported_to", a.ReportedTo, "defence lawyer"}, {"place", a.Place, "IVS Aktau"},
		{"examined_at", m.ExaminedAt.Equal(time.Date(2022, 1, 10, 10, 0, 0, 0, aqtau)), true},
		{"examiner", m.Examiner, "independent forensic doctor"}, {"consent", *m.Consent, yes}, {"private_interview", *m.PrivateInterview, no},
		{"photographs", *m.Photographs, yes}, {"body_diagrams", *m.BodyDiagrams, yes}, {"psychological_evaluation", m.PsychologicalEvaluation == nil, true},
		{"findings", m.Findings, "bruising of several days"}, {"consistency", m.Consistency, "highly_consistent"},
		{"statement_obtained", a.StatementObtained != nil && *a.StatementObtained, true},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.field, c.got, c.want)
		}
	}
	body := html.UnescapeString(ce.viewer.Get("/detentions/" + ce.detentionID + "?lang=ru").Body.String())
	article := between(t, body, `<article class="allegation"`, "</article>")
	for _, want := range []string{"О чём спрашивали, что говорили", "asked who organised the protest", "избиение, угрозы, cold water poured over the head",
		"Дано информированное согласие</dt><dd>да", "Беседа без посторонних</dt><dd>нет", "в значительной степени согласуется",
		"Психологическая оценка</dt><dd><span class=\"none\">неизвестно",
		"Показания получены в результате жестокого обращения</dt><dd>да"} {
		if !strings.Contains(article, want) {
			t.Errorf("allegation lacks %q", want)
		}
	}

	before := ce.env.State(t)
	for name, form := range map[string]url.Values{
		"method off the list":        {"at": {"2022-01-05T22:00"}, "methods": {"waterboarding"}, "source": {ce.f.monitor.ID}},
		"other without description":  {"at": {"2022-01-05T22:00"}, "methods": {"other"}, "source": {ce.f.monitor.ID}},
		"unknown consistency":        {"at": {"2022-01-05T22:00"}, "consistency": {"likely"}, "source": {ce.f.monitor.ID}},
		"examined before it began":   {"at": {"2022-01-05T22:00"}, "examined_at": {"2022-01-05T21:00"}, "source": {ce.f.monitor.ID}},
		"consent neither yes nor no": {"at": {"2022-01-05T22:00"}, "consent": {"maybe"}, "source": {ce.f.monitor.ID}},
	} {
		if res := ce.post(ce.cw, "allegations", form); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", name, res.StatusCode)
		}
	}
	if after := ce.env.State(t); after.String() != before.String() {
		t.Errorf("refused allegations wrote: %v, then %v", before, after)
	}
}

// The person page is translated too, with each Cyrillic name transliterated.
func TestPersonPageLanguages(t *testing.T) {
	env := webtest.New(t)
	f := newFixture(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	for lang, want := range map[string][]string{
		"en": {"Names", "Same person as", "Detentions", "<td>Серик Жумабаев</td><td>Serik Zhumabayev</td>", "injured"},
		"ru": {"Имена", "То же лицо, что и", "Задержания", "<td>Серик Жумабаев</td><td>Serik Zhumabayev</td>", "ранен", "жестокое обращение"},
		"kk": {"Есімдері", "Мынамен бір адам", "Ұстаулар", "<td>Серик Жумабаев</td><td>Serik Zhumabayev</td>", "жараланды"},
	} {
		body := html.UnescapeString(viewer.Get("/persons/" + f.person.ID + "?lang=" + lang).Body.String())
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: page lacks %q", lang, w)
			}
		}
		if m := missingMessage.FindAllString(body, -1); len(m) > 0 {
			t.Errorf("%s: untranslated messages: %v", lang, m)
		}
	}
}

// Caseworkers recording on one case at once do not overwrite each other:
// every visit posted is on the timeline.
func TestCaseConcurrentVisits(t *testing.T) {
	ce := newCaseEnv(t)
	const n = 8
	codes := make(chan int, n)
	for i := range n {
		go func() {
			codes <- ce.post(ce.cw, "visits", url.Values{"lawyer": {ce.dana.ID}, "at": {fmt.Sprintf("2022-01-07T11:%02d", i)},
				"source": {ce.f.monitor.ID}}).StatusCode
		}()
	}
	for range n {
		if code := <-codes; code != http.StatusSeeOther {
			t.Errorf("status %d, want 303", code)
		}
	}
	if got := len(ce.detention(t).EventsOf(habeas.EventLawyerAccess)); got != n {
		t.Errorf("%d visits on the timeline, want %d", got, n)
	}
}
