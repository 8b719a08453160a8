package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web"
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

// TestAPITokens: a personal token made on the tokens page, shown once,
// calls the API as its owner with its own role, never higher than the
// owner's; it stops at revocation, expiry, or the owner's disabling or
// demotion; it opens no page.
func TestAPITokens(t *testing.T) {
	ctx := context.Background()
	env := webtest.New(t)
	env.User(t, "chief", habeas.RoleAdmin)
	cw := env.As(t, habeas.RoleCaseworker)

	mint := func(form url.Values) (int, string) {
		t.Helper()
		rec := cw.PostForm("/tokens", form)
		m := regexp.MustCompile(`<code class="password">(hbs_[a-z0-9_]+)</code>`).FindStringSubmatch(rec.Body.String())
		if m == nil {
			return rec.Code, ""
		}
		return rec.Code, m[1]
	}
	if code, tok := mint(url.Values{"label": {"nightly import"}, "role": {"admin"}, "days": {"30"}}); code != http.StatusBadRequest || tok != "" {
		t.Errorf("a caseworker's token as admin: status %d", code)
	}
	if code, _ := mint(url.Values{"label": {"forever"}, "role": {"viewer"}, "days": {"3650"}}); code != http.StatusBadRequest {
		t.Errorf("a token for ten years: status %d", code)
	}
	code, token := mint(url.Values{"label": {"nightly import"}, "role": {"caseworker"}, "days": {"30"}})
	if code != http.StatusOK || token == "" {
		t.Fatalf("make a token: status %d", code)
	}
	if strings.Contains(cw.Get("/tokens").Body.String(), token) {
		t.Error("the token is shown again")
	}

	call := func(method, path, token string, body any) int {
		t.Helper()
		return env.Anonymous().JSONWith(t, method, path, http.Header{"Authorization": {"Bearer " + token}}, body, nil).Code
	}
	if c := call("GET", "/api/v1/detentions", token, nil); c != http.StatusOK {
		t.Fatalf("GET with the token: %d", c)
	}
	person := map[string]any{"names": []map[string]string{{"text": "Нурлан Абенов"}}}
	if c := call("POST", "/api/v1/persons", token, person); c != http.StatusCreated {
		t.Errorf("a write with a caseworker's token: %d", c)
	}
	if h, _ := env.Store.Changes(ctx, 0, 100); h[len(h)-1].Actor != "caseworker" {
		t.Errorf("the write is recorded as made by %q, want the token's owner", h[len(h)-1].Actor)
	}
	if c := call("DELETE", "/api/v1/persons/per_aaaaaaaaaaaaaaaa", token, nil); c != http.StatusForbidden {
		t.Errorf("a delete with a caseworker's token: %d, want 403", c)
	}
	for _, bad := range []string{"hbs_nothing_here", "not-a-token", token + "x"} {
		if c := call("GET", "/api/v1/detentions", bad, nil); c != http.StatusUnauthorized {
			t.Errorf("token %q: %d, want 401", bad, c)
		}
	}
	req := httptest.NewRequest("GET", "/detentions", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	env.Server.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		t.Errorf("a page with a token: %d, want the login form", rec.Code)
	}

	// The owner demoted below the token's role, then back; disabled.
	must(t, web.SetUserRole(ctx, env.Store, "caseworker", habeas.RoleViewer))
	if c := call("GET", "/api/v1/detentions", token, nil); c != http.StatusUnauthorized {
		t.Errorf("the owner demoted: %d, want 401", c)
	}
	must(t, web.SetUserRole(ctx, env.Store, "caseworker", habeas.RoleCaseworker))
	must(t, web.SetUserDisabled(ctx, env.Store, "caseworker", true))
	if c := call("GET", "/api/v1/detentions", token, nil); c != http.StatusUnauthorized {
		t.Errorf("the owner disabled: %d, want 401", c)
	}
	must(t, web.SetUserDisabled(ctx, env.Store, "caseworker", false))

	// Revoked, and expired.
	owner, _ := env.Store.FindUser(ctx, "caseworker")
	cw = &webtest.Client{Env: env, Name: "caseworker", Cookie: env.Login(t, "caseworker", "correct horse caseworker")}
	list, _ := env.Store.ListTokens(ctx, "caseworker")
	if rec := cw.PostForm("/tokens/"+list[0].ID+"/revoke", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", rec.Code)
	}
	if c := call("GET", "/api/v1/detentions", token, nil); c != http.StatusUnauthorized {
		t.Errorf("revoked: %d, want 401", c)
	}
	old, _, err := web.IssueToken(ctx, env.Store, owner, habeas.RoleViewer, "old", time.Hour, time.Now().Add(-2*time.Hour))
	must(t, err)
	if c := call("GET", "/api/v1/detentions", old, nil); c != http.StatusUnauthorized {
		t.Errorf("expired: %d, want 401", c)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestDeletedRecordHistory is a finding of issue 12: a deleted detention
// stayed fully readable by any role through its history. Now only an
// administrator reads what it held; others see its changes without their
// content.
func TestDeletedRecordHistory(t *testing.T) {
	env := webtest.New(t)
	src := webtest.Source("a call", habeas.SourceHotlineCall, "C", 3)
	p := webtest.Person("Асель Удалённая", src)
	env.Create(t, src, p)
	coord, viewer, admin := env.As(t, habeas.RoleCoordinator), env.As(t, habeas.RoleViewer), env.As(t, habeas.RoleAdmin)
	var before struct{ Items []habeas.Change }
	if code := viewer.JSON(t, "GET", "/api/v1/persons/"+p.ID+"/history", nil, &before); code != http.StatusOK || before.Items[0].Data == nil {
		t.Fatalf("the history of a live record: %d, content %v", code, before.Items)
	}
	if code := coord.JSON(t, "DELETE", "/api/v1/persons/"+p.ID, nil, nil); code != http.StatusNoContent {
		t.Fatalf("delete: %d", code)
	}
	for role, c := range map[habeas.Role]*webtest.Client{habeas.RoleViewer: viewer, habeas.RoleCoordinator: coord, habeas.RoleAdmin: admin} {
		var h struct{ Items []habeas.Change }
		if code := c.JSON(t, "GET", "/api/v1/persons/"+p.ID+"/history", nil, &h); code != http.StatusOK || len(h.Items) != 2 {
			t.Fatalf("%s: the history of a deleted record: %d, %d changes", role, code, len(h.Items))
		}
		content := h.Items[0].Data != nil
		if content != (role == habeas.RoleAdmin) {
			t.Errorf("%s reads the deleted record's content: %v", role, content)
		}
		if h.Items[1].Op != habeas.OpDelete || h.Items[0].Actor == "" {
			t.Errorf("%s: the changes lost their op or actor: %+v", role, h.Items)
		}
	}
}
