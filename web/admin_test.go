package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/web/webtest"
)

// TestAccountsPage goes through the accounts page as an administrator:
// add an account (its generated password shown once, and it signs in),
// change its role, disable it (its session ends), enable it, give it a
// new password; refused: a taken name, the last administrator disabled.
// Other roles reach none of it.
func TestAccountsPage(t *testing.T) {
	env := webtest.New(t)
	admin := env.As(t, habeas.RoleAdmin)
	body := html.UnescapeString(admin.Get("/admin/users").Body.String())
	if !strings.Contains(body, `<a href="/admin/users">Accounts</a>`) || !strings.Contains(body, "Add an account") {
		t.Fatalf("the accounts page lacks its menu entry or form")
	}

	rec := admin.PostForm("/admin/users", url.Values{"name": {"aigul"}, "role": {"caseworker"}})
	body = html.UnescapeString(rec.Body.String())
	m := regexp.MustCompile(`<code class="password">([^<]+)</code>`).FindStringSubmatch(body)
	if rec.Code != http.StatusOK || m == nil || !strings.Contains(body, "The password of aigul, shown this once") {
		t.Fatalf("add: status %d, no password shown", rec.Code)
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("the page showing a password may be cached: %q", rec.Header().Get("Cache-Control"))
	}
	aigul := &webtest.Client{Env: env, Name: "aigul", Cookie: env.Login(t, "aigul", m[1])}
	if rec := admin.Get("/admin/users"); strings.Contains(rec.Body.String(), m[1]) {
		t.Error("the password is shown again")
	}

	if rec := admin.PostForm("/admin/users", url.Values{"name": {"aigul"}, "role": {"viewer"}}); rec.Code != http.StatusBadRequest ||
		!strings.Contains(rec.Body.String(), "an account of that name exists") {
		t.Errorf("a taken name: status %d", rec.Code)
	}
	if rec := admin.PostForm("/admin/users", url.Values{"name": {"Bad Name"}, "role": {"viewer"}}); rec.Code != http.StatusBadRequest {
		t.Errorf("a bad name: status %d, want 400", rec.Code)
	}

	change := func(name string, form url.Values) *http.Response {
		t.Helper()
		return admin.PostForm("/admin/users/"+name, form).Result()
	}
	if res := change("aigul", url.Values{"action": {"role"}, "role": {"coordinator"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set role: status %d", res.StatusCode)
	}
	u, _ := env.Store.FindUser(context.Background(), "aigul")
	if u.Role != habeas.RoleCoordinator {
		t.Errorf("role %s, want coordinator", u.Role)
	}
	if rec := aigul.Get("/detentions"); rec.Code != http.StatusSeeOther {
		t.Errorf("after the role change aigul's session goes on: %d", rec.Code)
	}
	if res := change("aigul", url.Values{"action": {"disable"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: status %d", res.StatusCode)
	}
	if u, _ := env.Store.FindUser(context.Background(), "aigul"); !u.Disabled {
		t.Error("not disabled")
	}
	if res := change("aigul", url.Values{"action": {"enable"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("enable: status %d", res.StatusCode)
	}
	rec = admin.PostForm("/admin/users/aigul", url.Values{"action": {"reset"}})
	if m2 := regexp.MustCompile(`<code class="password">([^<]+)</code>`).FindStringSubmatch(rec.Body.String()); m2 == nil || m2[1] == m[1] {
		t.Fatalf("reset: status %d, no new password", rec.Code)
	} else {
		env.Login(t, "aigul", m2[1])
	}

	rec = admin.PostForm("/admin/users/admin", url.Values{"action": {"disable"}})
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "last enabled administrator") {
		t.Errorf("disabling the last administrator: status %d", rec.Code)
	}
	if rec := admin.PostForm("/admin/users/nobody", url.Values{"action": {"enable"}}); rec.Code != http.StatusNotFound {
		t.Errorf("an unknown account: status %d, want 404", rec.Code)
	}
	if rec := admin.PostForm("/admin/users/aigul", url.Values{"action": {"promote"}}); rec.Code != http.StatusBadRequest {
		t.Errorf("an unknown action: status %d, want 400", rec.Code)
	}

	// In Russian, the page and the refusal.
	body = admin.Get("/admin/users?lang=ru").Body.String()
	if !strings.Contains(body, "Учётные записи") {
		t.Error("the page is not in Russian")
	}

	// No other role reaches the page or its forms.
	for _, role := range []habeas.Role{habeas.RoleCoordinator, habeas.RoleCaseworker, habeas.RoleLawyer, habeas.RoleViewer} {
		c := env.As(t, role)
		if rec := c.Get("/admin/users"); rec.Code != http.StatusForbidden {
			t.Errorf("%s: GET /admin/users answered %d, want 403", role, rec.Code)
		}
		if rec := c.PostForm("/admin/users/aigul", url.Values{"action": {"disable"}}); rec.Code != http.StatusForbidden {
			t.Errorf("%s: disabling answered %d, want 403", role, rec.Code)
		}
		if strings.Contains(c.Get("/detentions").Body.String(), `href="/admin/users"`) {
			t.Errorf("%s sees the accounts in the menu", role)
		}
	}
}

// TestSessionsInTheDatabase: a session is kept in the database, so a
// second server over the same register (or the same one restarted) knows
// it; the accounts page lists an account's sessions and signs it out
// everywhere.
func TestSessionsInTheDatabase(t *testing.T) {
	env := webtest.New(t)
	admin := env.As(t, habeas.RoleAdmin)
	viewer := env.As(t, habeas.RoleViewer)
	restarted, err := server.New(webtest.Config(env.Store, nil))
	if err != nil {
		t.Fatal(err)
	}
	env.Server = restarted
	if rec := viewer.Get("/detentions"); rec.Code != http.StatusOK {
		t.Fatalf("after a restart the viewer is signed out: %d", rec.Code)
	}
	body := html.UnescapeString(admin.Get("/admin/users").Body.String())
	if r := row(body, "<td>viewer <a"); !strings.Contains(r, "since ") || !strings.Contains(r, "Sign out everywhere") {
		t.Fatalf("the viewer's row does not list the session:\n%s", r)
	}
	if rec := admin.PostForm("/admin/users/viewer", url.Values{"action": {"signout"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign out everywhere: status %d", rec.Code)
	}
	if rec := viewer.Get("/detentions"); rec.Code != http.StatusSeeOther {
		t.Errorf("after signing out everywhere the viewer goes on: %d", rec.Code)
	}
	if rec := admin.Get("/detentions"); rec.Code != http.StatusOK {
		t.Errorf("the administrator was signed out too: %d", rec.Code)
	}
}

// TestAccountsPageNotices: repeated failed sign-ins reach the
// administrators on the accounts page (issue 12: "a notice to admins on
// repeated failures").
func TestAccountsPageNotices(t *testing.T) {
	env := webtest.New(t)
	admin := env.As(t, habeas.RoleAdmin)
	env.User(t, "target", habeas.RoleCaseworker)
	if strings.Contains(admin.Get("/admin/users").Body.String(), "Repeated sign-in failures") {
		t.Fatal("notices shown before any failure")
	}
	for range 5 {
		env.Anonymous().PostForm("/login", url.Values{"name": {"target"}, "password": {"a wrong guess again"}})
	}
	body := html.UnescapeString(admin.Get("/admin/users").Body.String())
	notices, _, _ := strings.Cut(body[strings.Index(body, "Repeated sign-in failures"):], "</section>")
	if !strings.Contains(notices, "<td>target</td>") || !strings.Contains(notices, "one account") {
		t.Errorf("the notices do not name the account:\n%s", notices)
	}
}

// TestAccountsPageLawyerAndGrant: the accounts page links a lawyer's
// account to its lawyer record, from the register, at creation and
// after, and grants and withdraws reading restricted sources; it refuses
// a link for another role, to a lawyer not in the register, and a grant
// of no name. The new roles are offered, labelled in every language.
func TestAccountsPageLawyerAndGrant(t *testing.T) {
	ctx := context.Background()
	env := webtest.New(t)
	admin := env.As(t, habeas.RoleAdmin)
	dana := &habeas.Lawyer{Name: "Dana Sadykova", City: "almaty", Active: true}
	env.Create(t, dana)
	unknown := habeas.NewID(habeas.KindLawyer)
	user := func(name string) *habeas.User {
		t.Helper()
		u, err := env.Store.FindUser(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}

	body := html.UnescapeString(admin.Get("/admin/users").Body.String())
	for _, want := range []string{`<option value="` + dana.ID + `">Dana Sadykova</option>`,
		`<option value="monitor">trial monitor</option>`, `<option value="analyst">analyst</option>`, `name="restricted"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	for lang, want := range map[string][]string{"ru": {"монитор судов", "аналитик"}, "kk": {"сот мониторы", "талдаушы"}} {
		body := admin.Get("/admin/users?lang=" + lang).Body.String()
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the page lacks the role %s", lang, w)
			}
		}
	}

	created := []struct {
		name string
		form url.Values
		code int
		want string // in the page
	}{
		{"a lawyer linked and granted", url.Values{"name": {"lena"}, "role": {"lawyer"}, "lawyer_id": {dana.ID}, "restricted": {"yes"}},
			http.StatusOK, "The password of lena"},
		{"a lawyer not linked", url.Values{"name": {"omar"}, "role": {"lawyer"}}, http.StatusOK, "The password of omar"},
		{"a caseworker linked", url.Values{"name": {"bea"}, "role": {"caseworker"}, "lawyer_id": {dana.ID}},
			http.StatusBadRequest, "links only an account of role lawyer, not caseworker"},
		{"a lawyer not in the register", url.Values{"name": {"bea"}, "role": {"lawyer"}, "lawyer_id": {unknown}},
			http.StatusBadRequest, unknown + " is not a lawyer in the register"},
		{"not a lawyer's identifier", url.Values{"name": {"bea"}, "role": {"lawyer"}, "lawyer_id": {"per_x"}},
			http.StatusBadRequest, `"per_x" is not a lawyer identifier`},
	}
	for _, tt := range created {
		t.Run(tt.name, func(t *testing.T) {
			rec := admin.PostForm("/admin/users", tt.form)
			if body := html.UnescapeString(rec.Body.String()); rec.Code != tt.code || !strings.Contains(body, tt.want) {
				t.Errorf("status %d, want %d saying %q", rec.Code, tt.code, tt.want)
			}
		})
	}
	if u := user("lena"); u.LawyerID != dana.ID || !u.Restricted {
		t.Errorf("lena: lawyer %q, restricted %v", u.LawyerID, u.Restricted)
	}
	if _, err := env.Store.FindUser(ctx, "bea"); habeas.ErrorCode(err) != habeas.ENOTFOUND {
		t.Errorf("a refused account was created: %v", err)
	}
	body = html.UnescapeString(admin.Get("/admin/users").Body.String())
	if r := row(body, "<td>lena <a"); !strings.Contains(r, "Dana Sadykova\n") || !strings.Contains(r, "granted") ||
		!strings.Contains(r, `<option value="`+dana.ID+`" selected>`) {
		t.Errorf("lena's row does not show her lawyer and grant:\n%s", r)
	}
	if r := row(body, "<td>omar <a"); !strings.Contains(r, "linked to no lawyer: reads no case") || !strings.Contains(r, "not granted") {
		t.Errorf("omar's row does not say he reads no case:\n%s", r)
	}

	changes := []struct {
		name       string
		form       url.Values
		code       int
		lawyerID   string
		restricted bool
	}{
		{"link", url.Values{"action": {"lawyer"}, "lawyer_id": {dana.ID}}, http.StatusSeeOther, dana.ID, false},
		{"link to a lawyer not in the register", url.Values{"action": {"lawyer"}, "lawyer_id": {unknown}}, http.StatusBadRequest, dana.ID, false},
		{"grant", url.Values{"action": {"grant"}, "grant": {"restricted"}}, http.StatusSeeOther, dana.ID, true},
		{"grant of no name", url.Values{"action": {"grant"}, "grant": {"everything"}}, http.StatusBadRequest, dana.ID, true},
		{"revoke", url.Values{"action": {"revoke"}, "grant": {"restricted"}}, http.StatusSeeOther, dana.ID, false},
		{"unlink", url.Values{"action": {"lawyer"}, "lawyer_id": {""}}, http.StatusSeeOther, "", false},
	}
	for _, tt := range changes {
		t.Run(tt.name, func(t *testing.T) {
			if rec := admin.PostForm("/admin/users/omar", tt.form); rec.Code != tt.code {
				t.Errorf("status %d, want %d", rec.Code, tt.code)
			}
			if u := user("omar"); u.LawyerID != tt.lawyerID || u.Restricted != tt.restricted {
				t.Errorf("omar: lawyer %q, restricted %v; want %q, %v", u.LawyerID, u.Restricted, tt.lawyerID, tt.restricted)
			}
		})
	}
	if rec := admin.PostForm("/admin/users/nobody", url.Values{"action": {"grant"}, "grant": {"restricted"}}); rec.Code != http.StatusNotFound {
		t.Errorf("a grant to no account: status %d, want 404", rec.Code)
	}
	rec := admin.PostForm("/admin/users/admin", url.Values{"action": {"lawyer"}, "lawyer_id": {dana.ID}})
	if rec.Code != http.StatusBadRequest || !strings.Contains(html.UnescapeString(rec.Body.String()), "links only an account of role lawyer, not admin") {
		t.Errorf("linking an administrator: status %d", rec.Code)
	}
}
