package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas/internal/sqlstore"
)

// testSessions checks the session store: a session found until it
// expires, kept under the hash of its token (a token is never an id an
// administrator sees), listed by account, ended one by one or all at
// once, and expired sessions swept.
func testSessions(t *testing.T, open Opener) {
	c := newClock()
	st, ok := open(t, c.now).(interface {
		Sessions(userOf func([]byte) string) *sqlstore.Sessions
	})
	if !ok {
		t.Skip("the store keeps no sessions")
	}
	// The data of a session here is its account's name; the server's
	// session manager encodes more, and says how to read the name.
	s := st.Sessions(func(data []byte) string { return string(data) })
	ctx := context.Background()
	encode := func(user string) []byte { return []byte(user) }
	must(t, s.CommitCtx(ctx, "token-a1", encode("aigul"), c.now().Add(time.Hour)))
	must(t, s.CommitCtx(ctx, "token-a2", encode("aigul"), c.now().Add(2*time.Hour)))
	must(t, s.CommitCtx(ctx, "token-b1", encode("bea"), c.now().Add(time.Hour)))
	must(t, s.CommitCtx(ctx, "token-anon", encode(""), c.now().Add(time.Hour)))
	if data, found, err := s.FindCtx(ctx, "token-a1"); err != nil || !found || string(data) != string(encode("aigul")) {
		t.Fatalf("find: %v %v", found, err)
	}
	if _, found, _ := s.FindCtx(ctx, "token-zz"); found {
		t.Fatal("found a session never made")
	}
	list, err := s.ListSessions(ctx, "aigul")
	must(t, err)
	if len(list) != 2 || list[0].User != "aigul" || !list[0].Created.Equal(c.now()) {
		t.Fatalf("aigul's sessions: %+v", list)
	}
	for _, ss := range list {
		if strings.Contains(ss.ID, "token") || len(ss.ID) != 16 {
			t.Fatalf("a session's id %q shows its token", ss.ID)
		}
	}
	n, err := s.EndSessions(ctx, "aigul", list[0].ID)
	must(t, err)
	if n != 1 {
		t.Fatalf("ended %d sessions, want 1", n)
	}
	if left, _ := s.ListSessions(ctx, "aigul"); len(left) != 1 || left[0].ID != list[1].ID {
		t.Fatalf("after ending one, aigul has %+v, want %s", left, list[1].ID)
	}
	if n, err := s.EndSessions(ctx, "bea", list[1].ID); err != nil || n != 0 {
		t.Fatalf("bea ended %d of aigul's sessions: %v", n, err)
	}
	n, err = s.EndSessions(ctx, "aigul", "")
	must(t, err)
	_, foundA1, _ := s.FindCtx(ctx, "token-a1")
	_, foundA2, _ := s.FindCtx(ctx, "token-a2")
	if foundA1 || foundA2 || n != 1 {
		t.Fatalf("ending all: %d ended, sessions left: %v %v", n, foundA1, foundA2)
	}
	if _, found, _ := s.FindCtx(ctx, "token-b1"); !found {
		t.Fatal("ending aigul's sessions ended bea's")
	}

	// An hour and a minute on, bea's session has expired: not found, not
	// listed, and the next commit sweeps it away.
	c.t = c.t.Add(time.Hour + time.Minute)
	if _, found, _ := s.FindCtx(ctx, "token-b1"); found {
		t.Fatal("found an expired session")
	}
	if list, _ := s.ListSessions(ctx, "bea"); len(list) != 0 {
		t.Fatalf("listed an expired session: %+v", list)
	}
	must(t, s.CommitCtx(ctx, "token-c1", encode("chief"), c.now().Add(time.Hour)))
	if n, _ := s.EndSessions(ctx, "bea", ""); n != 0 {
		t.Fatalf("the expired session was not swept: %d left", n)
	}
	must(t, s.DeleteCtx(ctx, "token-c1"))
	if _, found, _ := s.FindCtx(ctx, "token-c1"); found {
		t.Fatal("found a deleted session")
	}
}
