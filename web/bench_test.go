package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/demo"
	"github.com/habeas-project/habeas/web/webtest"
)

// BenchmarkAlertsPage measures the alerts page against a filtered
// detention list, through the whole server (headers, session,
// authorization, handler, store, templates), over the default demo
// (about 11,000 detentions) judged at the demo's present, 8 January 2022
// 12:00 in Almaty. Issue 11 sets the alerts page at most 3 times the
// list's cost. The first request builds the live index and is made
// before timing; each request after judges only what changed.
func BenchmarkAlertsPage(b *testing.B) {
	env := webtest.New(b)
	if _, err := demo.Generate(context.Background(), env.Store, demo.Options{}); err != nil {
		b.Fatal(err)
	}
	if err := env.Store.Analyze(context.Background()); err != nil {
		b.Fatal(err)
	}
	viewer := env.As(b, habeas.RoleViewer)
	const at = "at=2022-01-08T06:00:00Z"
	for _, p := range []struct{ name, path string }{
		{"detentions-filtered", "/detentions?city=almaty&procedure=criminal"},
		{"alerts-by-detainee", "/alerts?" + at},
		{"alerts-by-detainee-city", "/alerts?city=aktau&" + at},
		{"alerts-by-rule", "/alerts?view=rules&" + at},
		{"api-alerts-by-detainee", "/api/v1/alerts/detainees?" + at},
	} {
		b.Run(p.name, func(b *testing.B) {
			get := func() {
				rec := httptest.NewRecorder()
				env.Server.ServeHTTP(rec, viewer.Request(http.MethodGet, p.path, ""))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: status %d", p.path, rec.Code)
				}
			}
			get()
			for b.Loop() {
				get()
			}
		})
	}
}
