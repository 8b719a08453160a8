package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/web/webtest"
)

// TestAuditPage: what a viewer reads through the pages (a search, the
// list, a case, a person) is on the administrators' audit page, in
// every language, filtered by account and by record, with the flag of
// reading past the threshold; the person's page and the accounts page
// link to it for administrators; other roles reach none of it.
func TestAuditPage(t *testing.T) {
	env := webtest.NewWith(t, func(c *server.Config) { c.ReadThreshold = 1 })
	c := webtest.NewClocks(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	admin := env.As(t, habeas.RoleAdmin)

	for _, path := range []string{"/persons?q=" + url.QueryEscape("Ерлан Сатп"), "/detentions", "/detentions/" + c.Overdue.ID, "/persons/" + c.PendingPerson.ID} {
		if rec := viewer.Get(path); rec.Code != http.StatusOK {
			t.Fatalf("the viewer opens %s: status %d", path, rec.Code)
		}
	}
	// The case page, its safeguards panel included, is one view.
	view, actor := habeas.AccessView, "viewer"
	if _, n, err := env.Store.FindAccesses(context.Background(), habeas.AccessFilter{Actor: &actor, Action: &view, Records: []string{c.Overdue.ID}}); err != nil || n != 1 {
		t.Errorf("the case page was recorded as %d views (%v), want 1", n, err)
	}
	if body := viewer.Get("/persons/" + c.PendingPerson.ID).Body.String(); strings.Contains(body, "/admin/audit") {
		t.Error("a viewer's person page links to the audit log")
	}
	for _, path := range []string{"/admin/audit", "/admin/audit?actor=admin"} {
		if rec := viewer.Get(path); rec.Code != http.StatusForbidden {
			t.Errorf("the viewer opens %s: status %d, want 403", path, rec.Code)
		}
	}

	pages := []struct {
		path string
		want map[string][]string
	}{
		{"/admin/audit?actor=viewer", map[string][]string{
			"en": {"<h1>Audit log of reads</h1>", "Flagged for unusual reading in the last 7 days", ">search</td>",
				"<code>name=Ерлан Сатп limit=100</code>", ">list</td>", " at=20", `<a href="/detentions/` + c.Overdue.ID + `">open</a>`,
				`<a href="/persons/` + c.PendingPerson.ID + `">open</a>`, "<td>192.0.2.1</td>"},
			"ru": {"<h1>Журнал чтения</h1>", "Отмечены за необычное чтение", ">поиск</td>", ">просмотр</td>", "обращений"},
			"kk": {"<h1>Оқу журналы</h1>", "әдеттен тыс оқу үшін белгіленгендер", ">іздеу</td>", ">қарау</td>"},
		}},
		{"/admin/audit?record=" + c.OverduePerson.ID, map[string][]string{
			"en": {`<code>` + c.Overdue.ID + `</code>`, "<code>name=Ерлан Сатп limit=100</code>"},
		}},
	}
	for _, p := range pages {
		for lang, want := range p.want {
			t.Run(p.path+" "+lang, func(t *testing.T) {
				rec := admin.Get(p.path + "&lang=" + lang)
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d", rec.Code)
				}
				body := html.UnescapeString(rec.Body.String())
				if m := missingMessage.FindAllString(body, 5); m != nil {
					t.Errorf("messages missing in %s: %v", lang, m)
				}
				for _, w := range want {
					if !strings.Contains(body, w) {
						t.Errorf("the page lacks %q", w)
					}
				}
			})
		}
	}
	if body := admin.Get("/admin/audit?record=" + c.PendingPerson.ID).Body.String(); strings.Contains(body, c.Overdue.ID) {
		t.Error("the reads of another person's case are shown as this person's")
	}
	if body := admin.Get("/persons/" + c.PendingPerson.ID).Body.String(); !strings.Contains(body, `<a href="/admin/audit?record=`+c.PendingPerson.ID+`">Who read this</a>`) {
		t.Error("an administrator's person page does not link to who read the person")
	}
	if body := admin.Get("/admin/users").Body.String(); !strings.Contains(body, `<a href="/admin/audit?actor=viewer">Reads</a>`) ||
		!strings.Contains(body, `<a href="/admin/audit">Audit log</a>`) {
		t.Error("the accounts page does not link to each account's reads, or the menu to the audit log")
	}
	rec := admin.Get("/admin/audit?record=someone&action=peek&lang=ru")
	if body := html.UnescapeString(rec.Body.String()); rec.Code != http.StatusBadRequest || !strings.Contains(body, `"someone" — не идентификатор записи`) {
		t.Errorf("an invalid filter: status %d, want 400 with the reason in Russian", rec.Code)
	}
}
