package browsertest_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/demo"
	"github.com/habeas-project/habeas/web/browsertest"
)

// demoAt is a moment inside the demo scenario, for the pages judged at
// one.
const demoAt = "2022-01-20T06:00:00Z"

// TestEveryPageAxe checks with axe-core every kind of page over the demo
// scenario, which uses every kind of record and event: the lists, a page
// of each kind reached by its link, the person search, the alerts, the
// review queue and the page of an error. The intake form is checked by
// the intake tests, in each of its states.
func TestEveryPageAxe(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	ctx := context.Background()
	if _, err := demo.Generate(ctx, b.Env.Store, demo.Options{Scale: 60}); err != nil {
		t.Fatal(err)
	}
	dets, _, err := b.Env.Store.FindDetentions(ctx, habeas.DetentionFilter{Page: habeas.Page{Limit: 1}})
	if err != nil || len(dets) == 0 {
		t.Fatalf("demo detentions: %v", err)
	}
	person, err := b.Env.Store.FindPersonByID(ctx, dets[0].PersonID)
	if err != nil {
		t.Fatal(err)
	}
	b.As(t, habeas.RoleCaseworker)

	// page opens path, checks its heading begins with heading, and runs axe.
	page := func(name, path, heading string) {
		t.Run(name, func(t *testing.T) {
			b.Open(t, path)
			if got := b.Text(t, "h1"); !strings.HasPrefix(got, heading) {
				t.Errorf("%s: heading %q, want %q", path, got, heading)
			}
			b.Axe(t)
		})
	}
	// follow opens path, checks the list has rows, follows the first link
	// that matches sel, checks the heading of the page it leads to begins
	// with one of next, and runs axe on both.
	follow := func(name, path, heading, sel string, next ...string) {
		t.Run(name, func(t *testing.T) {
			b.Open(t, path)
			if got := b.Text(t, "h1"); got != heading {
				t.Errorf("%s: heading %q, want %q", path, got, heading)
			}
			if rows := b.Texts(t, "main tbody tr"); len(rows) == 0 {
				t.Fatalf("%s lists nothing in the demo scenario", path)
			}
			b.Axe(t)
			b.Load(t, b.Click(sel))
			got := b.Text(t, "h1")
			if !slices.ContainsFunc(next, func(p string) bool { return strings.HasPrefix(got, p) }) {
				t.Errorf("%s: heading %q, want one beginning %q", b.Path(t), got, next)
			}
			b.Axe(t)
		})
	}

	follow("investigations", "/investigations", "Investigations", `main tbody a[href^="/investigations/"]`, "Investigation: ")
	follow("trials", "/trials", "Trial monitoring", `main tbody a[href^="/trials/"]`, "Trial hearing: ", "Court appearance: ")
	follow("casualties", "/casualties?kind=killed", "Casualties", `main tbody a[href^="/investigations/"]`, "Investigation: ")
	follow("casualty", "/casualties", "Casualties", `main tbody a[href$="#cas-force"]`, "Killed: ", "Injured: ")
	follow("detentions", "/detentions?status=released", "Detentions", `main tbody a[href^="/detentions/"]`, "Detention of ")

	t.Run("persons", func(t *testing.T) {
		q, _, _ := strings.Cut(person.DisplayName(), " ")
		b.Open(t, "/persons?q="+q)
		if got := b.Text(t, "h1"); got != "Find a person" {
			t.Errorf("heading %q, want Find a person", got)
		}
		b.Axe(t)
		b.Load(t, b.Click(`main tbody a[href="/persons/`+person.ID+`"]`))
		if got := b.Text(t, "h1"); !strings.Contains(got, person.DisplayName()) {
			t.Errorf("the person's page has heading %q, want %s", got, person.DisplayName())
		}
		b.Axe(t)
	})
	page("detention", "/detentions/"+dets[0].ID+"?at="+demoAt, "Detention of ")
	page("alerts", "/alerts?unknown=true&at="+demoAt, "Alerts")
	page("counts", "/alerts/counts?at="+demoAt, "Counts per rule")
	page("review", "/review", "Review duplicates")
	page("not found", "/no/such/page", "Not found")
}
