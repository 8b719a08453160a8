package web_test

// Tests written by an independent review of erasure. Each failed on the
// code as reviewed, showing one finding, and passes since it was mended.

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/demo"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/internal/vault"
	"github.com/habeas-project/habeas/web/webtest"
)

// A caseworker decides, through the review queue, that two reports are
// one person; an administrator then erases one of them. The decision
// (an identity record, which erasure keeps and calls "naming the person
// by identifier only") still holds the matcher's explanation, which
// quotes the erased person's names and birth date: readable through the
// store, the API and the other person's page.
func TestReviewErasedPersonStaysInTheirIdentityDecision(t *testing.T) {
	env := webtest.New(t)
	if err := env.Store.Unlock(context.Background(), vault.NewMaster(), sqlstore.KeyMode{Mode: "file"}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Generate(context.Background(), env.Store, demo.Options{Scale: 300}); err != nil {
		t.Fatal(err)
	}
	e := &reviewEnv{env: env, caseworker: env.As(t, habeas.RoleCaseworker), viewer: env.As(t, habeas.RoleViewer)}
	it := e.crossScript(t, e.queue(t))
	a, b := it.PersonA, it.PersonB
	if res := decide(e.caseworker, a.ID, b.ID, "same", ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decide: status %d", res.StatusCode)
	}
	ids, err := env.Store.FindReferring(context.Background(), habeas.KindIdentity, a.ID)
	if err != nil || len(ids) != 1 {
		t.Fatalf("the decision: %v", err)
	}
	ident := ids[0].(*habeas.Identity)
	t.Logf("evidence kept by the decision:\n%s", ident.Evidence)

	admin := env.As(t, habeas.RoleAdmin)
	rec := admin.PostForm("/admin/erasures", url.Values{"person": {a.ID}, "reason": {"the family asked"}, "confirm": {a.ID}})
	if rec.Code != http.StatusOK {
		t.Fatalf("erase: status %d", rec.Code)
	}
	erased, err := env.Store.FindPersonByID(context.Background(), a.ID)
	if err != nil || !erased.Erased {
		t.Fatalf("the person is not erased: %v", err)
	}
	got, err := env.Store.Find(context.Background(), habeas.KindIdentity, ident.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The explanation's first line names the pair "x ~ y"; every field's
	// line ends "[x's value | y's value]".
	evidence := got.(*habeas.Identity).Evidence
	lines := strings.Split(evidence, "\n")
	side := 0
	if !strings.HasPrefix(lines[0], a.ID) {
		side = 1
	}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		i, j := strings.LastIndex(l, "["), strings.LastIndex(l, "]")
		if len(f) == 0 || i < 0 || j < i {
			continue
		}
		v := strings.TrimSpace(strings.Split(l[i+1:j], " | ")[side])
		switch f[0] {
		case "surname", "given_name", "patronymic", "birth_date", "id_number", "address":
			if v != "" {
				t.Errorf("after the erasure of %s, their decision still says their %s: %q", a.ID, f[0], v)
			}
		}
	}
	// And the other person's page shows it to whoever reads it.
	page := html.UnescapeString(admin.Get("/persons/" + b.ID).Body.String())
	if strings.Contains(page, a.ID) {
		t.Logf("the other person's page links the erased person %s", a.ID)
	}
}

// The erasure says what it kept ("Kept: … refers to them by identifier"),
// from the records that refer to the person directly. An investigation
// refers to the casualty or the detention, never to the person: kept,
// with its notes about them, and not listed.
func TestReviewErasureListsTheInvestigationsItKeeps(t *testing.T) {
	env := webtest.New(t)
	if err := env.Store.Unlock(context.Background(), vault.NewMaster(), sqlstore.KeyMode{Mode: "file"}); err != nil {
		t.Fatal(err)
	}
	src := webtest.Source("звонок брата", habeas.SourceHotlineCall, "B", 2)
	p := webtest.Person("Гульмира Стёртова", src)
	d := webtest.Detention(p, "almaty", habeas.ProcedureCriminal, time.Date(2022, 1, 6, 3, 0, 0, 0, time.UTC), src)
	cas := &habeas.Casualty{ID: habeas.NewID(habeas.KindCasualty), Kind: habeas.CasualtyInjured, PersonID: p.ID, DetentionID: d.ID,
		At: time.Date(2022, 1, 6, 5, 0, 0, 0, time.UTC), City: "almaty", Cause: "blunt_trauma", Sources: []string{src.ID}}
	inv := &habeas.Investigation{ID: habeas.NewID(habeas.KindInvestigation), CasualtyID: cas.ID, Authority: "prosecutor",
		Status: habeas.InvestigationRequested, Notes: "жалоба матери Стёртовой"}
	env.Create(t, src, p, d, cas, inv)
	admin := env.As(t, habeas.RoleAdmin)
	rec := admin.PostForm("/admin/erasures", url.Values{"person": {p.ID}, "reason": {"her brother asked"}, "confirm": {p.ID}})
	if rec.Code != http.StatusOK {
		t.Fatalf("erase: status %d", rec.Code)
	}
	if e, err := env.Store.Find(context.Background(), habeas.KindInvestigation, inv.ID); err != nil || !strings.Contains(e.(*habeas.Investigation).Notes, "Стёртов") {
		t.Fatalf("the investigation: %v", err)
	}
	if body := html.UnescapeString(rec.Body.String()); !strings.Contains(body, inv.ID) {
		t.Errorf("the erasure kept investigation %s, which names the person, and does not say so", inv.ID)
	}
}
