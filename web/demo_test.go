package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/demo"
	"github.com/habeas-project/habeas/web"
	"github.com/habeas-project/habeas/web/webtest"
)

// TestEveryDemoPageRenders renders every list, detention and person page of
// a small demo scenario, and the alerts as of the scenario's present: the
// generator uses every kind of record and event, so a template that cannot
// show one of them, or a rule result of any state, fails here.
func TestEveryDemoPageRenders(t *testing.T) {
	env := webtest.New(t)
	ctx := context.Background()
	if _, err := demo.Generate(ctx, env.Store, demo.Options{Scale: 120}); err != nil {
		t.Fatal(err)
	}
	c := env.As(t, habeas.RoleViewer)
	for _, path := range []string{"/detentions", "/detentions?status=released", "/casualties", "/casualties?kind=killed",
		"/alerts?unknown=true&at=2022-01-20T06:00:00Z", "/alerts/counts?at=2022-01-20T06:00:00Z"} {
		if w := c.Get(path); w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, w.Code)
		}
	}
	dets, total, err := env.Store.FindDetentions(ctx, habeas.DetentionFilter{Page: habeas.Page{Limit: 1000}})
	if err != nil || total < 120 {
		t.Fatalf("demo detentions: %d, %v", total, err)
	}
	persons := map[string]bool{}
	for _, d := range dets {
		if w := c.Get("/detentions/" + d.ID + "?at=2022-01-20T06:00:00Z"); w.Code != http.StatusOK {
			t.Fatalf("GET /detentions/%s: %d", d.ID, w.Code)
		}
		persons[d.PersonID] = true
	}
	for id := range persons {
		if w := c.Get("/persons/" + id); w.Code != http.StatusOK {
			t.Fatalf("GET /persons/%s: %d", id, w.Code)
		}
	}
}

// TestPagesInEveryLanguage renders the pages of a small demo scenario in
// each language: no message may be missing, the html element names the
// language, and no page is 100 KB or more, for slow connections.
func TestPagesInEveryLanguage(t *testing.T) {
	env := webtest.New(t)
	ctx := context.Background()
	if _, err := demo.Generate(ctx, env.Store, demo.Options{Scale: 60}); err != nil {
		t.Fatal(err)
	}
	dets, _, err := env.Store.FindDetentions(ctx, habeas.DetentionFilter{Page: habeas.Page{Limit: 5}})
	if err != nil || len(dets) == 0 {
		t.Fatalf("demo detentions: %v", err)
	}
	paths := []string{"/detentions", "/detentions?status=released", "/detentions?from=bad", "/casualties",
		"/alerts?at=2022-01-20T06:00:00Z", "/alerts?view=rules&at=2022-01-20T06:00:00Z", "/alerts/counts?at=2022-01-20T06:00:00Z", "/review", "/persons?q=Serik",
		"/detentions/" + dets[0].ID + "?at=2022-01-20T06:00:00Z", "/persons/" + dets[0].PersonID, "/no/such/page"}
	c := env.As(t, habeas.RoleCoordinator)
	for _, lang := range web.Languages {
		for _, p := range paths {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			w := c.Get(p + sep + "lang=" + lang)
			body := w.Body.String()
			if w.Code >= 500 {
				t.Errorf("%s in %s: status %d", p, lang, w.Code)
			}
			if m := missingMessage.FindAllString(body, 5); len(m) > 0 {
				t.Errorf("%s in %s: missing messages %v", p, lang, m)
			}
			if !strings.Contains(body, `<html lang="`+lang+`">`) {
				t.Errorf("%s in %s: the html element does not name the language", p, lang)
			}
			if len(body) >= 100<<10 {
				t.Errorf("%s in %s: %d bytes, the limit is 100 KB", p, lang, len(body))
			}
		}
	}
	// The login page too, before signing in.
	for _, lang := range web.Languages {
		body := env.Anonymous().Get("/login?lang=" + lang).Body.String()
		if m := missingMessage.FindAllString(body, 5); len(m) > 0 {
			t.Errorf("/login in %s: missing messages %v", lang, m)
		}
	}
	if body := env.Anonymous().Get("/login?lang=kk").Body.String(); !strings.Contains(body, "Habeas жүйесіне кіру") {
		t.Error("the login page in Kazakh is not in Kazakh")
	}
}
