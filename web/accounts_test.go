package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web"
	"github.com/habeas-project/habeas/web/webtest"
)

// TestAccountChangesEndSessions: a password reset, a role change, a
// disabling, a change of lawyer link or of a grant ends the account's
// sessions at once (issue 12: "a password reset ends no session"), and a
// disabled account cannot sign in, while other accounts stay signed in.
func TestAccountChangesEndSessions(t *testing.T) {
	ctx := context.Background()
	for _, change := range []struct {
		name string
		fn   func(users habeas.UserService) error
	}{
		{"reset", func(u habeas.UserService) error {
			return web.SetUserPassword(ctx, u, "caseworker", "a brand new passphrase")
		}},
		{"role", func(u habeas.UserService) error { return web.SetUserRole(ctx, u, "caseworker", habeas.RoleViewer) }},
		{"disable", func(u habeas.UserService) error { return web.SetUserDisabled(ctx, u, "caseworker", true) }},
		{"unlink", func(u habeas.UserService) error { return web.SetUserLawyer(ctx, u, nil, "caseworker", "") }},
		{"grant", func(u habeas.UserService) error {
			return web.SetUserGrant(ctx, u, "caseworker", web.GrantRestricted, true)
		}},
	} {
		t.Run(change.name, func(t *testing.T) {
			env := webtest.New(t)
			cw, other := env.As(t, habeas.RoleCaseworker), env.As(t, habeas.RoleViewer)
			if rec := cw.Get("/detentions"); rec.Code != http.StatusOK {
				t.Fatalf("before: status %d", rec.Code)
			}
			if err := change.fn(env.Store); err != nil {
				t.Fatal(err)
			}
			if rec := cw.Get("/detentions"); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next=%2Fdetentions" {
				t.Errorf("after the %s: status %d to %q, want the login form", change.name, rec.Code, rec.Header().Get("Location"))
			}
			if code := cw.JSON(t, http.MethodGet, "/api/v1/detentions", nil, nil); code != http.StatusUnauthorized {
				t.Errorf("after the %s: the API answered %d, want 401", change.name, code)
			}
			if rec := other.Get("/detentions"); rec.Code != http.StatusOK {
				t.Errorf("another account was signed out too: %d", rec.Code)
			}
		})
	}

	// A disabled account is refused at the door, as a wrong password is.
	env := webtest.New(t)
	password := env.User(t, "bea", habeas.RoleCaseworker)
	env.User(t, "chief", habeas.RoleAdmin)
	if err := web.SetUserDisabled(ctx, env.Store, "bea", true); err != nil {
		t.Fatal(err)
	}
	if rec := env.Anonymous().PostForm("/login", map[string][]string{"name": {"bea"}, "password": {password}}); rec.Code != http.StatusUnauthorized {
		t.Errorf("a disabled account signing in: status %d, want 401", rec.Code)
	}
	if err := web.SetUserDisabled(ctx, env.Store, "bea", false); err != nil {
		t.Fatal(err)
	}
	env.Login(t, "bea", password) // enabled again: signs in
}

// TestAccountRules: the last enabled administrator cannot be demoted or
// disabled, and chosen passwords follow the rules of passwords.Check.
func TestAccountRules(t *testing.T) {
	ctx := context.Background()
	env := webtest.New(t)
	env.User(t, "chief", habeas.RoleAdmin)
	if err := web.SetUserDisabled(ctx, env.Store, "chief", true); habeas.ErrorCode(err) != habeas.ECONFLICT {
		t.Errorf("disabling the last administrator: %v, want a conflict", err)
	}
	if err := web.SetUserRole(ctx, env.Store, "chief", habeas.RoleViewer); habeas.ErrorCode(err) != habeas.ECONFLICT {
		t.Errorf("demoting the last administrator: %v, want a conflict", err)
	}
	if err := web.AddUser(ctx, env.Store, nil, web.Account{Name: "second", Role: habeas.RoleAdmin}, "short"); habeas.ErrorCode(err) != habeas.EINVALID {
		t.Errorf("a short password: %v, want invalid", err)
	}
	if err := web.AddUser(ctx, env.Store, nil, web.Account{Name: "second", Role: habeas.RoleAdmin}, "another opinion matters"); err != nil {
		t.Fatal(err)
	}
	if err := web.SetUserRole(ctx, env.Store, "chief", habeas.RoleViewer); err != nil {
		t.Errorf("demoting one of two administrators: %v", err)
	}
	if err := web.SetUserPassword(ctx, env.Store, "second", "qwerty123456"); habeas.ErrorCode(err) != habeas.EINVALID {
		t.Errorf("a common password: %v, want invalid", err)
	}
	if err := web.SetUserPassword(ctx, env.Store, "nobody", "a brand new passphrase"); habeas.ErrorCode(err) != habeas.ENOTFOUND {
		t.Errorf("an unknown account: %v, want not found", err)
	}
}
