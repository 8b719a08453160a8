package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/web/webtest"
)

// A register served read-only (its ledger does not hold, and serve was
// told to serve it anyway) says so on every page, and refuses every
// write: a form, the API, an erasure; reads go on.
func TestReadOnlyRegister(t *testing.T) {
	env := webtest.NewWith(t, func(c *server.Config) { c.ReadOnly = "change 40: is not the change the ledger recorded" })
	c := webtest.NewClocks(t, env)
	admin := env.As(t, habeas.RoleAdmin)
	before := env.State(t)
	rec := admin.Get("/detentions/" + c.Overdue.ID)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `id="read-only"`) || !strings.Contains(rec.Body.String(), "change 40") {
		t.Fatalf("a page of a read-only register: status %d, no banner", rec.Code)
	}
	if rec := admin.PostForm("/intake", url.Values{"name": {"Асель Тестова"}, "city": {"almaty"}}); rec.Code != http.StatusForbidden {
		t.Errorf("intake: status %d, want 403", rec.Code)
	}
	if code := admin.JSON(t, http.MethodPost, "/api/v1/sources", webtest.Source("s", habeas.SourceHotlineCall, "B", 2), nil); code != http.StatusForbidden {
		t.Errorf("the API: status %d, want 403", code)
	}
	if rec := admin.PostForm("/admin/erasures", url.Values{"person": {c.OverduePerson.ID}, "reason": {"r"}, "confirm": {c.OverduePerson.ID}}); rec.Code == http.StatusOK {
		t.Errorf("an erasure: status %d", rec.Code)
	}
	if after := env.State(t); after.String() != before.String() {
		t.Errorf("a read-only register changed: %s, then %s", before, after)
	}
}
