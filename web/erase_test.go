package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/internal/vault"
	"github.com/habeas-project/habeas/web/webtest"
)

// TestErasurePage goes through erasure as an administrator: a form
// without a reason, or not confirmed, erases nothing; a good one erases,
// says what it kept, and lists the erasure; the person's page then says
// they were erased, shows no name, and their history shows the erased
// states; a search by the name finds no one. Other roles reach none of
// it.
func TestErasurePage(t *testing.T) {
	env := webtest.New(t)
	if err := env.Store.Unlock(context.Background(), vault.NewMaster(), sqlstore.KeyMode{Mode: "file"}); err != nil {
		t.Fatal(err)
	}
	src := webtest.Source("звонок брата", habeas.SourceHotlineCall, "B", 2)
	p := webtest.Person("Гульмира Стёртова", src)
	d := webtest.Detention(p, "almaty", habeas.ProcedureCriminal, time.Date(2022, 1, 6, 3, 0, 0, 0, time.UTC), src)
	env.Create(t, src, p, d)

	for _, role := range []habeas.Role{habeas.RoleCoordinator, habeas.RoleCaseworker, habeas.RoleViewer} {
		c := env.As(t, role)
		if rec := c.Get("/admin/erasures"); rec.Code != http.StatusForbidden {
			t.Errorf("%s opens the erasure page: status %d", role, rec.Code)
		}
		if rec := c.PostForm("/admin/erasures", url.Values{"person": {p.ID}, "reason": {"r"}, "confirm": {p.ID}}); rec.Code != http.StatusForbidden {
			t.Errorf("%s erases: status %d", role, rec.Code)
		}
	}
	admin := env.As(t, habeas.RoleAdmin)
	body := html.UnescapeString(admin.Get("/persons/" + p.ID).Body.String())
	if !strings.Contains(body, `href="/admin/erasures?person=`+p.ID) {
		t.Error("the person's page has no way to erasure for an administrator")
	}
	if body := admin.Get("/admin/erasures?person=" + p.ID).Body.String(); !strings.Contains(body, `value="`+p.ID+`"`) || !strings.Contains(body, "No one has been erased.") {
		t.Errorf("the erasure page does not start with the person filled in")
	}
	before := env.State(t)
	for what, form := range map[string]url.Values{
		"no reason":     {"person": {p.ID}, "confirm": {p.ID}},
		"not confirmed": {"person": {p.ID}, "reason": {"asked"}, "confirm": {"per_"}},
		"no person":     {"person": {"per_aaaaaaaaaaaaaaaa"}, "reason": {"asked"}, "confirm": {"per_aaaaaaaaaaaaaaaa"}},
		"a detention":   {"person": {d.ID}, "reason": {"asked"}, "confirm": {d.ID}},
	} {
		if rec := admin.PostForm("/admin/erasures", form); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "Nothing was erased") {
			t.Errorf("%s: status %d", what, rec.Code)
		}
	}
	if after := env.State(t); after.String() != before.String() {
		t.Fatalf("a refused erasure changed the register: %s, then %s", before, after)
	}

	rec := admin.PostForm("/admin/erasures", url.Values{"person": {p.ID}, "reason": {"her brother asked, by letter"}, "confirm": {p.ID}})
	body = html.UnescapeString(rec.Body.String())
	if rec.Code != http.StatusOK || !strings.Contains(body, p.ID+" and 1 records about them are erased") || !strings.Contains(body, src.ID) ||
		!strings.Contains(body, "her brother asked, by letter") {
		t.Fatalf("erase: status %d:\n%s", rec.Code, body)
	}
	if after := env.State(t); after.Counts[habeas.KindPerson] != before.Counts[habeas.KindPerson] || after.Counts[habeas.KindDetention] != before.Counts[habeas.KindDetention] {
		t.Errorf("the counts changed: %s, then %s", before, after)
	}
	body = html.UnescapeString(admin.Get("/persons/" + p.ID).Body.String())
	if strings.Contains(body, "Стёртова") || !strings.Contains(body, "This person was erased") || !strings.Contains(body, "this state was erased") ||
		!strings.Contains(body, "why: her brother asked") {
		t.Errorf("the erased person's page:\n%s", body)
	}
	if body := admin.Get("/detentions/" + d.ID).Body.String(); strings.Contains(body, "Стёртова") {
		t.Error("the case page still names the person")
	}
	if body := admin.Get("/persons?q=" + url.QueryEscape("Стёртова")).Body.String(); strings.Contains(body, p.ID) {
		t.Error("a search by the erased name finds the person")
	}
	if rec := admin.PostForm("/admin/erasures", url.Values{"person": {p.ID}, "reason": {"again"}, "confirm": {p.ID}}); rec.Code != http.StatusBadRequest ||
		!strings.Contains(rec.Body.String(), "erased already") {
		t.Errorf("a second erasure: status %d", rec.Code)
	}
}
