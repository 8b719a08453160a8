package storetest

import (
	"context"
	"testing"

	"github.com/habeas-project/habeas"
)

func testUsers(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	ctx := context.Background()
	u := &habeas.User{Name: "admin", Role: habeas.RoleAdmin, PasswordHash: "$argon2id$v=19$m=65536,t=1,p=2$x$y"}
	must(t, s.CreateUser(ctx, u))
	wantCode(t, s.CreateUser(ctx, u), habeas.ECONFLICT)
	got, err := s.FindUser(ctx, "admin")
	must(t, err)
	if got.Role != habeas.RoleAdmin || got.PasswordHash != u.PasswordHash {
		t.Fatalf("got %+v", got)
	}
	must(t, s.SetPassword(ctx, "admin", "new"))
	got, err = s.FindUser(ctx, "admin")
	must(t, err)
	if got.PasswordHash != "new" {
		t.Fatalf("password not set: %q", got.PasswordHash)
	}
	_, err = s.FindUser(ctx, "nobody")
	wantCode(t, err, habeas.ENOTFOUND)
	err = s.CreateUser(ctx, &habeas.User{Name: "Bad Name", Role: "king", PasswordHash: "x"})
	wantField(t, err, "name")
	wantField(t, err, "role")

	// Every change to the role, the password or the flag moves ChangedAt
	// on, even within one tick of the clock, so sessions from before end.
	before := got.ChangedAt
	must(t, s.SetRole(ctx, "admin", habeas.RoleViewer))
	must(t, s.SetDisabled(ctx, "admin", true))
	got, err = s.FindUser(ctx, "admin")
	must(t, err)
	if got.Role != habeas.RoleViewer || !got.Disabled || !got.ChangedAt.After(before) {
		t.Fatalf("after set-role and disable: %+v (changed before %v)", got, before)
	}
	mid := got.ChangedAt
	must(t, s.SetDisabled(ctx, "admin", false))
	if got, _ = s.FindUser(ctx, "admin"); got.Disabled || !got.ChangedAt.After(mid) {
		t.Fatalf("after enable: %+v", got)
	}
	wantField(t, s.SetRole(ctx, "admin", "king"), "role")
	wantCode(t, s.SetRole(ctx, "nobody", habeas.RoleAdmin), habeas.ENOTFOUND)
	wantCode(t, s.SetDisabled(ctx, "nobody", true), habeas.ENOTFOUND)
	must(t, s.CreateUser(ctx, &habeas.User{Name: "bea", Role: habeas.RoleLawyer, PasswordHash: "h"}))
	all, err := s.ListUsers(ctx)
	must(t, err)
	if len(all) != 2 || all[0].Name != "admin" || all[1].Name != "bea" || all[1].Role != habeas.RoleLawyer {
		t.Fatalf("ListUsers: %+v", all)
	}

	// A second factor: each time step's code accepted once, each recovery
	// code spent once; removed, its codes go, and the sessions end.
	must(t, s.SetTOTP(ctx, "bea", "SECRETBASE32", []string{"h1", "h2"}))
	got, _ = s.FindUser(ctx, "bea")
	if got.TOTPSecret != "SECRETBASE32" {
		t.Fatalf("the secret is %q", got.TOTPSecret)
	}
	for _, step := range []struct {
		step int64
		ok   bool
	}{{100, true}, {100, false}, {99, false}, {101, true}} {
		ok, err := s.UseTOTPStep(ctx, "bea", step.step)
		must(t, err)
		if ok != step.ok {
			t.Fatalf("step %d accepted %v, want %v", step.step, ok, step.ok)
		}
	}
	for _, use := range []struct {
		hash string
		ok   bool
	}{{"h1", true}, {"h1", false}, {"h3", false}, {"h2", true}} {
		ok, err := s.UseRecoveryCode(ctx, "bea", use.hash)
		must(t, err)
		if ok != use.ok {
			t.Fatalf("recovery code %s spent %v, want %v", use.hash, ok, use.ok)
		}
	}
	before = got.ChangedAt
	must(t, s.SetTOTP(ctx, "bea", "", nil))
	got, _ = s.FindUser(ctx, "bea")
	if got.TOTPSecret != "" || !got.ChangedAt.After(before) {
		t.Fatalf("after removing the second factor: %+v", got)
	}
	must(t, s.SetTOTP(ctx, "bea", "OTHER", []string{"h1"}))
	if ok, _ := s.UseTOTPStep(ctx, "bea", 50); !ok {
		t.Fatal("a new secret does not start its steps afresh")
	}
	if ok, _ := s.UseRecoveryCode(ctx, "bea", "h1"); !ok {
		t.Fatal("a new code of the same hash is not usable")
	}
	wantCode(t, s.SetTOTP(ctx, "nobody", "X", nil), habeas.ENOTFOUND)
}

// testUserAccess checks an account's lawyer link and its grant to read
// restricted sources: stored at creation, read back by FindUser and
// ListUsers, changed by SetLawyer and SetRestricted, each change moving
// ChangedAt on so that the account's sessions end.
func testUserAccess(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	ctx := context.Background()
	const lawyerID = "law_aaaaaaaaaaaaaaaa"
	must(t, s.CreateUser(ctx, &habeas.User{Name: "lena", Role: habeas.RoleLawyer, PasswordHash: "h", LawyerID: lawyerID, Restricted: true}))
	must(t, s.CreateUser(ctx, &habeas.User{Name: "omar", Role: habeas.RoleCaseworker, PasswordHash: "h"}))
	got, err := s.FindUser(ctx, "lena")
	must(t, err)
	if got.LawyerID != lawyerID || !got.Restricted {
		t.Fatalf("FindUser: got lawyer %q, restricted %v; want %q, true", got.LawyerID, got.Restricted, lawyerID)
	}
	all, err := s.ListUsers(ctx)
	must(t, err)
	if len(all) != 2 || all[0].LawyerID != lawyerID || !all[0].Restricted || all[1].LawyerID != "" || all[1].Restricted {
		t.Fatalf("ListUsers: %+v, %+v", all[0], all[1])
	}

	changes := []struct {
		name       string
		set        func(name string) error
		lawyerID   string
		restricted bool
	}{
		{"withdraw the grant", func(n string) error { return s.SetRestricted(ctx, n, false) }, lawyerID, false},
		{"link another lawyer", func(n string) error { return s.SetLawyer(ctx, n, "law_bbbbbbbbbbbbbbbb") }, "law_bbbbbbbbbbbbbbbb", false},
		{"unlink", func(n string) error { return s.SetLawyer(ctx, n, "") }, "", false},
		{"grant", func(n string) error { return s.SetRestricted(ctx, n, true) }, "", true},
	}
	for _, tt := range changes {
		t.Run(tt.name, func(t *testing.T) {
			before, err := s.FindUser(ctx, "lena")
			must(t, err)
			must(t, tt.set("lena"))
			got, err := s.FindUser(ctx, "lena")
			must(t, err)
			if got.LawyerID != tt.lawyerID || got.Restricted != tt.restricted {
				t.Errorf("got lawyer %q, restricted %v; want %q, %v", got.LawyerID, got.Restricted, tt.lawyerID, tt.restricted)
			}
			if !got.ChangedAt.After(before.ChangedAt) {
				t.Errorf("ChangedAt %v, not after %v", got.ChangedAt, before.ChangedAt)
			}
			if got.Role != habeas.RoleLawyer || got.Disabled || got.PasswordHash != "h" {
				t.Errorf("the change touched more: %+v", got)
			}
			wantCode(t, tt.set("nobody"), habeas.ENOTFOUND)
		})
	}
	if other, err := s.FindUser(ctx, "omar"); err != nil || other.LawyerID != "" || other.Restricted {
		t.Fatalf("another account changed: %+v, %v", other, err)
	}
}
