package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web/webtest"
)

// lawyerRows returns the names in the first column of the lawyers table,
// in page order.
func lawyerRows(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	for _, m := range regexp.MustCompile(`<tr>\s*<td>([^<]+)</td>`).FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// The lawyers page lists every lawyer by name in the reader's order
// (Kazakh letters where the Kazakh alphabet has them), with the city, a
// transliteration and the number of detainees each acts for now.
func TestLawyersPage(t *testing.T) {
	env := newEnvAt(t, time.Date(2022, 2, 1, 9, 0, 0, 0, time.UTC))
	src := webtest.Source("Hotline", habeas.SourceHotlineCall, "C", 3)
	p := webtest.Person("Ерлан Сатпаев", src)
	d1 := webtest.Detention(p, "almaty", habeas.ProcedureCriminal, time.Date(2022, 1, 5, 10, 0, 0, 0, time.UTC), src)
	d2 := webtest.Detention(p, "aktau", habeas.ProcedureAdministrative, time.Date(2022, 1, 3, 10, 0, 0, 0, time.UTC), src)
	ents := []habeas.Entity{src, p, d1, d2}
	byName := map[string]*habeas.Lawyer{}
	for _, name := range []string{"Ямалов", "Өтепов", "Қасымов", "Оспанов", "Әлиев", "Кенжебаев", "Абаев"} {
		l := &habeas.Lawyer{ID: habeas.NewID(habeas.KindLawyer), Name: name, City: "almaty", Active: true}
		byName[name] = l
		ents = append(ents, l)
	}
	byName["Ямалов"].City, byName["Ямалов"].Active = "aktau", false
	day := func(d int) time.Time { return time.Date(2022, 1, d, 9, 0, 0, 0, time.UTC) }
	ents = append(ents,
		&habeas.Assignment{LawyerID: byName["Қасымов"].ID, DetentionID: d1.ID, Kind: habeas.AssignmentLegalAid, From: day(6)},
		&habeas.Assignment{LawyerID: byName["Қасымов"].ID, DetentionID: d2.ID, Kind: habeas.AssignmentLegalAid, From: day(4), To: day(8)},
		&habeas.Assignment{LawyerID: byName["Әлиев"].ID, DetentionID: d2.ID, Kind: habeas.AssignmentAppointed, From: day(8)})
	env.Create(t, ents...)
	viewer := env.As(t, habeas.RoleViewer)

	rec := viewer.Get("/lawyers?lang=kk")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200", rec.Code)
	}
	body := rec.Body.String()
	want := []string{"Абаев", "Әлиев", "Кенжебаев", "Қасымов", "Оспанов", "Өтепов", "Ямалов"}
	if got := lawyerRows(t, body); !slices.Equal(got, want) {
		t.Errorf("Kazakh order %v, want %v", got, want)
	}
	text := html.UnescapeString(body)
	for _, w := range []string{"Адвокаттар", "7 адвокат", "Qasymov", "Ақтау", "енді жұмыс істемейді"} {
		if !strings.Contains(text, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if m := missingMessage.FindAllString(text, -1); len(m) > 0 {
		t.Errorf("untranslated messages: %v", m)
	}
	caseload := map[string]string{}
	for _, m := range regexp.MustCompile(`(?s)<tr>\s*<td>([^<]+)</td>.*?<td class="num">(\d+)</td>`).FindAllStringSubmatch(text, -1) {
		caseload[m[1]] = m[2]
	}
	for name, n := range map[string]string{"Қасымов": "1", "Әлиев": "1", "Абаев": "0"} {
		if caseload[name] != n {
			t.Errorf("caseload of %s: %q, want %s (only assignments in force count)", name, caseload[name], n)
		}
	}
	if strings.Contains(body, `method="post" action="/lawyers"`) {
		t.Errorf("a viewer is offered the form to add a lawyer")
	}

	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"city=aktau", []string{"Ямалов"}},
		{"q=qasym", []string{"Қасымов"}}, // Latin letters find a Cyrillic name
		{"q=оспанов&city=aktau", nil},    // both filters apply
		{"q=Кенжебаев&city=almaty", []string{"Кенжебаев"}},
	} {
		if got := lawyerRows(t, viewer.Get("/lawyers?"+tt.query).Body.String()); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.query, got, tt.want)
		}
	}
}

// A writer adds a lawyer with the form; a form without a name, with an
// unknown city, or for a lawyer already listed is refused with 400 in the
// reader's language, and nothing is written.
func TestLawyerCreate(t *testing.T) {
	env := webtest.New(t)
	cw := env.As(t, habeas.RoleCaseworker)
	res := cw.PostForm("/lawyers", url.Values{"name": {"  Жанна   Омарова "}, "bar": {"Almaty City Bar"}, "city": {"almaty"},
		"phone": {"+7 700 000 0000"}, "languages": {"kk", "ru"}, "active": {"yes"}}).Result()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/lawyers" {
		t.Fatalf("status %d to %q, want 303 to /lawyers", res.StatusCode, res.Header.Get("Location"))
	}
	es, _, err := env.Store.FindByKind(context.Background(), habeas.KindLawyer, habeas.Page{})
	if err != nil || len(es) != 1 {
		t.Fatalf("lawyers: %v, %v", es, err)
	}
	l := es[0].(*habeas.Lawyer)
	if l.Name != "Жанна Омарова" || l.City != "almaty" || !slices.Equal(l.Languages, []string{"kk", "ru"}) || !l.Active || l.Phone != "+7 700 000 0000" {
		t.Errorf("stored lawyer: %+v", l)
	}
	if h, _ := env.Store.History(context.Background(), l.ID); len(h) != 1 || h[0].Actor != "caseworker" {
		t.Errorf("history of the lawyer: %+v, want one change by the caseworker", h)
	}
	list := html.UnescapeString(cw.Get("/lawyers").Body.String())
	if !strings.Contains(list, "Zhanna Omarova") || !strings.Contains(list, "<td>+7 700 000 0000</td>") {
		t.Errorf("the list does not show the new lawyer with a transliteration and, to a caseworker, the phone")
	}
	if strings.Contains(html.UnescapeString(env.As(t, habeas.RoleViewer).Get("/lawyers").Body.String()), "+7 700 000 0000") {
		t.Errorf("a viewer sees a lawyer's phone")
	}

	before := env.State(t)
	for _, tt := range []struct {
		name    string
		form    url.Values
		field   string
		message string
	}{
		{"no name", url.Values{"name": {"  "}, "city": {"almaty"}}, "name", "Это обязательное поле."},
		{"unknown city", url.Values{"name": {"Асель Ким"}, "city": {"gotham"}}, "city", "Выберите один из вариантов."},
		{"unknown language", url.Values{"name": {"Асель Ким"}, "languages": {"fr"}}, "languages", "Выберите один из вариантов."},
		{"already listed", url.Values{"name": {"жанна омарова"}, "city": {"almaty"}}, "name", "Адвокат с таким именем в этом городе уже есть в списке."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := cw.PostForm("/lawyers?lang=ru", tt.form)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", rec.Code)
			}
			body := html.UnescapeString(rec.Body.String())
			for _, want := range []string{`role="alert"`, `<a href="#lawyer-` + tt.field + `">`, tt.message, `<details class="record" id="add" open>`} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
		})
	}
	if after := env.State(t); after.String() != before.String() {
		t.Errorf("refused forms wrote: %v, then %v", before, after)
	}
}
