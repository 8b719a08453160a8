package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web/webtest"
)

// TestBatchObeysRoles is the finding of issue 12: a caseworker, refused
// DELETE /api/v1/{kind}/{id}, deleted two detentions through the batch.
// The casework layer now judges every mutation of a batch: a delete needs
// a role that may delete, whichever route it comes by, and the batch is
// refused whole.
func TestBatchObeysRoles(t *testing.T) {
	env := webtest.New(t)
	src := webtest.Source("a call", habeas.SourceHotlineCall, "C", 3)
	p := webtest.Person("Асель Тестова", src)
	d := webtest.Detention(p, "almaty", habeas.ProcedureCriminal, time.Date(2022, 1, 6, 4, 0, 0, 0, time.UTC), src)
	env.Create(t, src, p, d)
	before := env.State(t)

	del := []map[string]any{
		{"op": "create", "entity": "person", "data": map[string]any{"names": []map[string]string{{"text": "Нурлан Абенов"}}}},
		{"op": "delete", "entity": "detention", "id": d.ID},
	}
	clients := map[habeas.Role]*webtest.Client{}
	for _, role := range []habeas.Role{habeas.RoleCaseworker, habeas.RoleLawyer, habeas.RoleViewer, habeas.RoleCoordinator} {
		clients[role] = env.As(t, role)
	}
	for _, role := range []habeas.Role{habeas.RoleCaseworker, habeas.RoleLawyer, habeas.RoleViewer} {
		c := clients[role]
		if code := c.JSON(t, http.MethodPost, "/api/v1/batch", del, nil); code != http.StatusForbidden {
			t.Errorf("%s: a batch that deletes answered %d, want 403", role, code)
		}
		if code := c.JSON(t, http.MethodDelete, "/api/v1/detentions/"+d.ID, nil, nil); code != http.StatusForbidden {
			t.Errorf("%s: DELETE answered %d, want 403", role, code)
		}
	}
	if after := env.State(t); after.String() != before.String() {
		t.Fatalf("refused batches changed the register: %s, then %s", before, after)
	}
	// A caseworker still writes; a coordinator deletes.
	if code := clients[habeas.RoleCaseworker].JSON(t, http.MethodPost, "/api/v1/batch", del[:1], nil); code != http.StatusOK {
		t.Errorf("caseworker: a batch that creates answered %d, want 200", code)
	}
	if code := clients[habeas.RoleCoordinator].JSON(t, http.MethodPost, "/api/v1/batch", del[1:], nil); code != http.StatusOK {
		t.Errorf("coordinator: a batch that deletes answered %d, want 200", code)
	}
}
