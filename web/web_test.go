package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/web"
	"github.com/habeas-project/habeas/web/webtest"
)

func TestLoginRequired(t *testing.T) {
	env := webtest.New(t)
	anon := env.Anonymous()
	tests := []struct {
		name         string
		method, path string
		wantStatus   int
		wantLocation string // for redirects
	}{
		{"home", "GET", "/", http.StatusSeeOther, "/login?next=%2F"},
		{"detention list", "GET", "/detentions?city=almaty", http.StatusSeeOther, "/login?next=%2Fdetentions%3Fcity%3Dalmaty"},
		{"detention page", "GET", "/detentions/det_aaaaaaaaaaaaaaaa", http.StatusSeeOther, "/login?next=%2Fdetentions%2Fdet_aaaaaaaaaaaaaaaa"},
		{"casualties", "GET", "/casualties", http.StatusSeeOther, "/login?next=%2Fcasualties"},
		{"person page", "GET", "/persons/per_aaaaaaaaaaaaaaaa", http.StatusSeeOther, "/login?next=%2Fpersons%2Fper_aaaaaaaaaaaaaaaa"},
		{"alerts", "GET", "/alerts?unknown=true", http.StatusSeeOther, "/login?next=%2Falerts%3Funknown%3Dtrue"},
		{"counts per rule", "GET", "/alerts/counts", http.StatusSeeOther, "/login?next=%2Falerts%2Fcounts"},
		{"review", "GET", "/review", http.StatusSeeOther, "/login?next=%2Freview"},
		{"decide", "POST", "/review", http.StatusSeeOther, "/login"},
		{"undo", "POST", "/identities/idn_aaaaaaaaaaaaaaaa/undo", http.StatusSeeOther, "/login"},
		{"api review", "GET", "/api/v1/review", http.StatusUnauthorized, ""},
		{"api alerts", "GET", "/api/v1/alerts", http.StatusUnauthorized, ""},
		{"api counts per rule", "GET", "/api/v1/alerts/counts", http.StatusUnauthorized, ""},
		{"api safeguards", "GET", "/api/v1/detentions/det_aaaaaaaaaaaaaaaa/safeguards", http.StatusUnauthorized, ""},
		{"unknown page", "GET", "/nowhere", http.StatusSeeOther, "/login?next=%2Fnowhere"},
		{"logout", "POST", "/logout", http.StatusSeeOther, "/login"},
		{"api list", "GET", "/api/v1/detentions", http.StatusUnauthorized, ""},
		{"api find", "GET", "/api/v1/persons/per_aaaaaaaaaaaaaaaa", http.StatusUnauthorized, ""},
		{"api create", "POST", "/api/v1/persons", http.StatusUnauthorized, ""},
		{"api batch", "POST", "/api/v1/batch", http.StatusUnauthorized, ""},
		{"api delete", "DELETE", "/api/v1/persons/per_aaaaaaaaaaaaaaaa", http.StatusUnauthorized, ""},
		{"api unknown", "GET", "/api/v2/anything", http.StatusUnauthorized, ""},
		{"login form is public", "GET", "/login", http.StatusOK, ""},
		{"style sheet is public", "GET", "/static/style.css", http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := anon.Do(tt.method, tt.path, "")
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := rec.Header().Get("Location"); got != tt.wantLocation {
				t.Errorf("Location %q, want %q", got, tt.wantLocation)
			}
			if tt.wantStatus == http.StatusUnauthorized {
				var body webtest.ErrorBody
				if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Code != habeas.EUNAUTHORIZED {
					t.Errorf("body %q, want a JSON error with code unauthorized", rec.Body.String())
				}
			}
		})
	}
}

// TestLogin signs in through a real HTTP server with a cookie jar, as a
// browser without JavaScript would.
func TestLogin(t *testing.T) {
	env := webtest.New(t)
	password := env.User(t, "coordinator", habeas.RoleCoordinator)
	ts := httptest.NewServer(env.Server)
	defer ts.Close()

	tests := []struct {
		name, user, password, next string
		wantStatus                 int
		wantLocation               string
	}{
		{"wrong password", "coordinator", "not the password", "", http.StatusUnauthorized, ""},
		{"unknown account", "nobody", password, "", http.StatusUnauthorized, ""},
		{"empty password", "coordinator", "", "", http.StatusUnauthorized, ""},
		{"right password", "coordinator", password, "", http.StatusSeeOther, "/detentions"},
		{"back to where one was", "coordinator", password, "/casualties?kind=killed", http.StatusSeeOther, "/casualties?kind=killed"},
		{"never to another site", "coordinator", password, "//evil.example/", http.StatusSeeOther, "/detentions"},
		{"never to another scheme", "coordinator", password, "https://evil.example/", http.StatusSeeOther, "/detentions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jar, _ := cookiejar.New(nil)
			client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			res, err := client.PostForm(ts.URL+"/login", url.Values{"name": {tt.user}, "password": {tt.password}, "next": {tt.next}})
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if got := res.Header.Get("Location"); got != tt.wantLocation {
				t.Errorf("Location %q, want %q", got, tt.wantLocation)
			}
			// Signed in exactly when the password was right.
			res, err = client.Get(ts.URL + "/detentions")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			want := http.StatusSeeOther
			if tt.wantStatus == http.StatusSeeOther {
				want = http.StatusOK
			}
			if res.StatusCode != want {
				t.Fatalf("GET /detentions after login: status %d, want %d", res.StatusCode, want)
			}
			if want != http.StatusOK {
				return
			}
			for _, c := range jar.Cookies(res.Request.URL) {
				if c.Name == "habeas_session" && c.Value == "" {
					t.Errorf("empty session cookie")
				}
			}
			res, err = client.Post(ts.URL+"/logout", "application/x-www-form-urlencoded", nil)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			res, err = client.Get(ts.URL + "/detentions")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("GET /detentions after logout: status %d, want 303", res.StatusCode)
			}
		})
	}
}

func TestSessionCookie(t *testing.T) {
	for _, secure := range []bool{false, true} {
		env := webtest.New(t)
		cfg := webtest.Config(env.Store, nil)
		cfg.Secure = secure
		srv, err := server.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		env.Server = srv
		c := env.As(t, habeas.RoleViewer).Cookie
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != secure {
			t.Errorf("Secure=%v: cookie HttpOnly=%v SameSite=%v Secure=%v, want true, Lax, %v", secure, c.HttpOnly, c.SameSite, c.Secure, secure)
		}
	}
}

func TestEnsureAdmin(t *testing.T) {
	env := webtest.New(t)
	ctx := context.Background()
	password, created, err := web.EnsureAdmin(ctx, env.Store, "admin")
	if err != nil || !created || len(password) < web.MinPasswordLength {
		t.Fatalf("first EnsureAdmin: %q, %v, %v; want a password, true, nil", password, created, err)
	}
	u, err := env.Store.FindUser(ctx, "admin")
	if err != nil || u.Role != habeas.RoleAdmin {
		t.Fatalf("FindUser: %v, %v; want an admin", u, err)
	}
	env.Login(t, "admin", password)
	again, created, err := web.EnsureAdmin(ctx, env.Store, "admin")
	if err != nil || created || again != "" {
		t.Fatalf("second EnsureAdmin: %q, %v, %v; want \"\", false, nil", again, created, err)
	}
	reset, err := web.ResetPassword(ctx, env.Store, "admin")
	if err != nil || reset == password {
		t.Fatalf("ResetPassword: %q, %v; want a new password", reset, err)
	}
	env.Login(t, "admin", reset)
	if _, err := web.ResetPassword(ctx, env.Store, "nobody"); habeas.ErrorCode(err) != habeas.ENOTFOUND {
		t.Errorf("ResetPassword(nobody): %v, want not found", err)
	}
	if _, err := web.HashPassword("short"); habeas.ErrorCode(err) != habeas.EINVALID {
		t.Errorf("HashPassword(short): %v, want invalid", err)
	}
}

func TestAuthorizationTable(t *testing.T) {
	env := webtest.New(t)
	table := server.DefaultAuthorization()
	for _, name := range env.Server.RouteNames() {
		if len(table[name]) == 0 {
			t.Errorf("route %q is not in the authorization table", name)
		}
	}
	if got, want := len(env.Server.RouteNames()), len(table); got != want {
		t.Errorf("%d routes, %d table entries", got, want)
	}

	tests := []struct {
		name   string
		change func(map[string][]habeas.Role)
	}{
		{"a route missing", func(m map[string][]habeas.Role) { delete(m, "api.delete") }},
		{"an entry for no route", func(m map[string][]habeas.Role) { m["api.purge"] = []habeas.Role{habeas.RoleAdmin} }},
		{"a route with no role", func(m map[string][]habeas.Role) { m["api.create"] = nil }},
		{"an unknown role", func(m map[string][]habeas.Role) { m["api.create"] = []habeas.Role{"superuser"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := webtest.Config(env.Store, nil)
			cfg.Authorization = server.DefaultAuthorization()
			tt.change(cfg.Authorization)
			if _, err := server.New(cfg); err == nil {
				t.Fatal("server.New succeeded; want it to refuse to start")
			}
		})
	}
}

func TestRoles(t *testing.T) {
	env := webtest.New(t)
	viewer := env.As(t, habeas.RoleViewer)
	lawyer := env.As(t, habeas.RoleLawyer)
	caseworker := env.As(t, habeas.RoleCaseworker)
	person := `{"names":[{"text":"Aigerim Nurlanovna"}]}`
	tests := []struct {
		name         string
		client       *webtest.Client
		method, path string
		body         string
		wantStatus   int
	}{
		{"viewer reads pages", viewer, "GET", "/detentions", "", http.StatusOK},
		{"viewer reads the API", viewer, "GET", "/api/v1/stats", "", http.StatusOK},
		{"viewer cannot create", viewer, "POST", "/api/v1/persons", person, http.StatusForbidden},
		{"viewer cannot batch", viewer, "POST", "/api/v1/batch", `[]`, http.StatusForbidden},
		{"viewer cannot delete", viewer, "DELETE", "/api/v1/persons/per_aaaaaaaaaaaaaaaa", "", http.StatusForbidden},
		{"lawyer cannot create yet", lawyer, "POST", "/api/v1/persons", person, http.StatusForbidden},
		{"caseworker cannot delete", caseworker, "DELETE", "/api/v1/persons/per_aaaaaaaaaaaaaaaa", "", http.StatusForbidden},
		{"caseworker creates", caseworker, "POST", "/api/v1/persons", person, http.StatusCreated},
		{"viewer reads the review queue", viewer, "GET", "/review", "", http.StatusOK},
		{"viewer cannot decide", viewer, "POST", "/review", "", http.StatusForbidden},
		{"lawyer cannot decide yet", lawyer, "POST", "/review", "", http.StatusForbidden},
		{"viewer cannot undo", viewer, "POST", "/identities/idn_aaaaaaaaaaaaaaaa/undo", "", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := env.State(t)
			rec := tt.client.Do(tt.method, tt.path, tt.body)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if rec.Code == http.StatusForbidden {
				var body webtest.ErrorBody
				if !strings.HasPrefix(tt.path, "/api/") {
					if !strings.Contains(rec.Body.String(), "Not allowed") {
						t.Errorf("body %q, want the error page", rec.Body)
					}
				} else if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Code != habeas.EFORBIDDEN {
					t.Errorf("body %q, want a JSON error with code forbidden", rec.Body)
				}
				if after := env.State(t); after.LastSeq != before.LastSeq {
					t.Errorf("forbidden request wrote: %v, then %v", before, after)
				}
			}
		})
	}
}

func TestCrossOriginRefused(t *testing.T) {
	env := webtest.New(t)
	cw := env.As(t, habeas.RoleCaseworker)
	before := env.State(t)
	for _, path := range []string{"/api/v1/persons", "/logout", "/login"} {
		req := cw.Request("POST", path, `{"names":[{"text":"Aigerim"}]}`)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		rec := httptest.NewRecorder()
		env.Server.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("cross-site POST %s: status %d, want 403", path, rec.Code)
		}
	}
	if after := env.State(t); after.LastSeq != before.LastSeq {
		t.Errorf("cross-site request wrote: %v, then %v", before, after)
	}
	// The session survived: the cross-site logout did nothing.
	if rec := cw.Get("/detentions"); rec.Code != http.StatusOK {
		t.Errorf("after cross-site logout: status %d, want 200", rec.Code)
	}
}

var (
	inlineScript = regexp.MustCompile(`(?i)<script|\son[a-z]+\s*=|javascript:`)
	inlineStyle  = regexp.MustCompile(`(?i)<style|\sstyle\s*=`)
)

func TestSecurityHeaders(t *testing.T) {
	env := webtest.New(t)
	f := newFixture(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	paths := []string{"/login", "/detentions", "/detentions?city=aktau&from=2022-01-01", "/detentions?city=mars",
		"/detentions/" + f.almaty.ID, "/detentions/" + f.aktau.ID, "/casualties", "/casualties?kind=killed",
		"/persons/" + f.person.ID, "/persons/per_aaaaaaaaaaaaaaaa", "/nowhere", "/api/v1/stats", "/api/v1/nowhere",
		"/static/style.css",
		"/alerts", "/alerts?unknown=true&at=2022-01-08T00:00:00Z", "/alerts?at=bad", "/alerts/counts", "/alerts/counts?at=bad",
		"/detentions/" + f.almaty.ID + "?at=2022-01-06T12:00:00%2B06:00", "/detentions/" + f.almaty.ID + "?at=bad",
		"/api/v1/alerts", "/api/v1/alerts/counts", "/api/v1/detentions/" + f.almaty.ID + "/safeguards",
		"/review", "/review?offset=bad", "/api/v1/review"}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			rec := viewer.Get(path)
			h := rec.Header()
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("Content-Security-Policy %q allows inline code", csp)
			}
			for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
				if got := h.Get(name); got != want {
					t.Errorf("%s %q, want %q", name, got, want)
				}
			}
			if strings.HasPrefix(h.Get("Content-Type"), "text/html") {
				body := rec.Body.String()
				if m := inlineScript.FindString(body); m != "" {
					t.Errorf("page has inline script: %q", m)
				}
				if m := inlineStyle.FindString(body); m != "" {
					t.Errorf("page has inline style: %q", m)
				}
			}
		})
	}
}
