package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/web"
	"github.com/habeas-project/habeas/web/webtest"
)

// post posts a form and keeps the session cookie the answer sets (a
// sign-in renews the token).
func post(c *webtest.Client, path string, form url.Values) *httptest.ResponseRecorder {
	rec := c.PostForm(path, form)
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == c.Cookie.Name {
			c.Cookie = ck
		}
	}
	return rec
}

var passwordCode = regexp.MustCompile(`<code class="password">([^<]+)</code>`)

// signIn posts the login form from a fresh, cookieless client and returns
// the client holding the session it got, and where it was sent.
func signInAs(t *testing.T, env *webtest.Env, name, password string) (*webtest.Client, string) {
	t.Helper()
	rec := env.Anonymous().PostForm("/login", url.Values{"name": {name}, "password": {password}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("login as %s: status %d", name, rec.Code)
	}
	c := &webtest.Client{Env: env, Name: name}
	for _, ck := range rec.Result().Cookies() {
		if ck.Value != "" {
			c.Cookie = ck
		}
	}
	return c, rec.Header().Get("Location")
}

// TestTwoFactorSignIn goes through two-factor sign-in as an administrator
// of a server that requires it of admins: enrolment before anything else,
// then a code after the password, each code good once, recovery codes,
// five wrong codes ending the attempt, and a reset by another
// administrator.
func TestTwoFactorSignIn(t *testing.T) {
	ctx := context.Background()
	env := webtest.New(t)
	cfg := webtest.Config(env.Store, nil)
	cfg.Require2FA = []habeas.Role{habeas.RoleAdmin}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	env.Server = srv
	password := env.User(t, "chief", habeas.RoleAdmin)
	viewerPassword := env.User(t, "reader", habeas.RoleViewer)

	// A viewer is not asked.
	if _, to := signInAs(t, env, "reader", viewerPassword); to != "/detentions" {
		t.Errorf("a viewer is sent to %q after the password, want the detentions", to)
	}

	// The admin must enrol before anything else opens.
	chief, to := signInAs(t, env, "chief", password)
	if to != "/account/2fa" {
		t.Fatalf("an admin without a second factor is sent to %q, want the enrolment page", to)
	}
	if rec := chief.Get("/detentions"); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account/2fa" {
		t.Errorf("a page before enrolment: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if code := chief.JSON(t, http.MethodGet, "/api/v1/detentions", nil, nil); code != http.StatusForbidden {
		t.Errorf("the API before enrolment: %d, want 403", code)
	}
	page := chief.Get("/account/2fa").Body.String()
	m := passwordCode.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the enrolment page shows no key")
	}
	secret := m[1]
	if rec := chief.Get("/account/2fa/qr.png"); rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/png" {
		t.Errorf("the QR code: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if rec := chief.PostForm("/account/2fa", url.Values{"code": {"000000"}}); rec.Code != http.StatusBadRequest {
		t.Errorf("enrolling with a wrong code: %d, want 400", rec.Code)
	}
	code, _ := totp.GenerateCode(secret, time.Now())
	rec := chief.PostForm("/account/2fa", url.Values{"code": {code}})
	recovery := passwordCode.FindAllStringSubmatch(rec.Body.String(), -1)
	if rec.Code != http.StatusOK || len(recovery) != 10 {
		t.Fatalf("enrolling: status %d, %d recovery codes shown", rec.Code, len(recovery))
	}
	if rec := chief.Get("/detentions"); rec.Code != http.StatusOK {
		t.Errorf("after enrolling: %d", rec.Code)
	}

	// Signing in now asks for a code after the password.
	pending, to := signInAs(t, env, "chief", password)
	if !strings.HasPrefix(to, "/login/code") {
		t.Fatalf("after the password, sent to %q, want the code form", to)
	}
	if rec := pending.Get("/detentions"); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Errorf("a page with the password only: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := pending.PostForm("/login/code", url.Values{"code": {"123456"}}); rec.Code != http.StatusUnauthorized {
		t.Errorf("a wrong code: %d, want 401", rec.Code)
	}
	// The code used to enrol is spent only if accepted at sign-in; a new
	// step's code signs in, and the same code again does not.
	now := time.Now().Add(30 * time.Second)
	code, _ = totp.GenerateCode(secret, now)
	if rec := post(pending, "/login/code", url.Values{"code": {code}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("the right code: %d", rec.Code)
	}
	if rec := pending.Get("/detentions"); rec.Code != http.StatusOK {
		t.Errorf("signed in with the code: %d", rec.Code)
	}
	again, _ := signInAs(t, env, "chief", password)
	if rec := again.PostForm("/login/code", url.Values{"code": {code}}); rec.Code != http.StatusUnauthorized {
		t.Errorf("the same code twice: %d, want 401", rec.Code)
	}
	// A recovery code, once.
	rc := recovery[3][1]
	if rec := post(again, "/login/code", url.Values{"code": {strings.ToUpper(rc)}}); rec.Code != http.StatusSeeOther {
		t.Errorf("a recovery code: %d", rec.Code)
	}
	third, _ := signInAs(t, env, "chief", password)
	if rec := third.PostForm("/login/code", url.Values{"code": {rc}}); rec.Code != http.StatusUnauthorized {
		t.Errorf("a recovery code twice: %d, want 401", rec.Code)
	}
	// Five wrong codes end the attempt: the password is asked again.
	for i := range 3 { // the recovery code given twice was the first
		if rec := third.PostForm("/login/code", url.Values{"code": {"99999" + string(rune('1'+i))}}); rec.Code != http.StatusUnauthorized {
			t.Fatalf("wrong code %d: %d", i+2, rec.Code)
		}
	}
	if rec := third.PostForm("/login/code", url.Values{"code": {"999990"}}); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" {
		t.Errorf("after five wrong codes: %d to %q, want the login form", rec.Code, rec.Header().Get("Location"))
	}
	next, _ := totp.GenerateCode(secret, time.Now().Add(60*time.Second))
	if rec := third.PostForm("/login/code", url.Values{"code": {next}}); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" {
		t.Errorf("a right code after the attempt ended: %d to %q", rec.Code, rec.Header().Get("Location"))
	}

	// A lost phone: the second factor reset ends the sessions, and the
	// next sign-in must enrol again.
	if err := web.ResetTwoFactor(ctx, env.Store, "chief"); err != nil {
		t.Fatal(err)
	}
	if rec := pending.Get("/detentions"); rec.Code != http.StatusSeeOther {
		t.Errorf("after the reset the session goes on: %d", rec.Code)
	}
	if _, to := signInAs(t, env, "chief", password); to != "/account/2fa" {
		t.Errorf("after the reset, sent to %q, want the enrolment page", to)
	}
}
