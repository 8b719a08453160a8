package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/demo"
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
