package web_test

import (
	"context"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web/webtest"
)

// A record's history shows an imported change as imported, with what its
// file claims: who made it and when.
func TestHistoryShowsImports(t *testing.T) {
	env := webtest.New(t)
	src := webtest.Source("звонок", habeas.SourceHotlineCall, "B", 2)
	p := webtest.Person("Асель Импортова", src)
	var changes []*habeas.Change
	for i, e := range []habeas.Entity{src, p} {
		doc, err := habeas.Canonical(e)
		if err != nil {
			t.Fatal(err)
		}
		changes = append(changes, &habeas.Change{Seq: int64(i + 1), At: time.Date(2022, 1, 7, 9, 30, 0, 0, time.UTC), Actor: "partner.aigul",
			Kind: e.EntityKind(), ID: e.GetID(), Op: habeas.OpCreate, Data: doc, Sources: e.SourceIDs()})
	}
	if err := env.Store.Import(habeas.WithActor(context.Background(), "chief"), changes); err != nil {
		t.Fatal(err)
	}
	body := html.UnescapeString(env.As(t, habeas.RoleAdmin).Get("/persons/" + p.ID).Body.String())
	if !strings.Contains(body, "imported; the file says: by partner.aigul, 2022-01-07 09:30") || !strings.Contains(body, "<td>chief") {
		t.Errorf("the history does not show the import and its claims:\n%s", body)
	}
}
