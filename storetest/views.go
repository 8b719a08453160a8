package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/habeas-project/habeas"
)

// testSavedViews checks that saved views are kept per account, shared
// ones seen by all, names unique per owner, deletes only by the owner, and
// that nothing of it enters the change log.
func testSavedViews(t *testing.T, open Opener) {
	clk := newClock()
	s := open(t, clk.now)
	ctx := context.Background()
	before := lastSeq(t, s)
	mine := &habeas.SavedView{Owner: "aigerim", Name: "  Almaty   without a lawyer ", Query: "city=almaty&queue=no_lawyer"}
	must(t, s.CreateView(ctx, mine))
	if mine.ID == "" || mine.Name != "Almaty without a lawyer" || !mine.CreatedAt.Equal(clk.t) {
		t.Fatalf("created %+v: want an id, the trimmed name and the store's time", mine)
	}
	shared := &habeas.SavedView{Owner: "aigerim", Name: "Juveniles", Query: "queue=juvenile", Shared: true}
	must(t, s.CreateView(ctx, shared))
	theirs := &habeas.SavedView{Owner: "bolat", Name: "Almaty without a lawyer", Query: "city=almaty&queue=no_lawyer&status=in_custody"}
	must(t, s.CreateView(ctx, theirs)) // another owner may use the same name

	err := s.CreateView(ctx, &habeas.SavedView{Owner: "aigerim", Name: "Juveniles", Query: "queue=juvenile"})
	wantCode(t, err, habeas.ECONFLICT)
	err = s.CreateView(ctx, &habeas.SavedView{Owner: "aigerim", Name: " ", Query: "queue=juvenile"})
	wantField(t, err, "name")

	names := func(user string) []string {
		vs, err := s.FindViews(ctx, user)
		must(t, err)
		var out []string
		for _, v := range vs {
			out = append(out, v.Owner+":"+v.Name)
		}
		return out
	}
	if got, want := names("aigerim"), []string{"aigerim:Almaty without a lawyer", "aigerim:Juveniles"}; !slices.Equal(got, want) {
		t.Fatalf("aigerim sees %v, want %v", got, want)
	}
	if got, want := names("bolat"), []string{"bolat:Almaty without a lawyer", "aigerim:Juveniles"}; !slices.Equal(got, want) {
		t.Fatalf("bolat sees %v, want %v (by name, then owner)", got, want)
	}
	got, err := s.FindView(ctx, "aigerim", mine.ID)
	must(t, err)
	if got.Query != mine.Query || got.Shared || got.Owner != "aigerim" {
		t.Fatalf("found %+v, want %+v", got, mine)
	}
	_, err = s.FindView(ctx, "bolat", mine.ID)
	wantCode(t, err, habeas.ENOTFOUND) // a private view is not revealed
	_, err = s.FindView(ctx, "bolat", shared.ID)
	must(t, err)

	wantCode(t, s.DeleteView(ctx, "bolat", mine.ID), habeas.ENOTFOUND)
	wantCode(t, s.DeleteView(ctx, "bolat", shared.ID), habeas.EFORBIDDEN)
	must(t, s.DeleteView(ctx, "aigerim", mine.ID))
	_, err = s.FindView(ctx, "aigerim", mine.ID)
	wantCode(t, err, habeas.ENOTFOUND)
	wantCode(t, s.DeleteView(ctx, "aigerim", mine.ID), habeas.ENOTFOUND)
	// Once deleted, the name is free again.
	must(t, s.CreateView(ctx, &habeas.SavedView{Owner: "aigerim", Name: "Almaty without a lawyer", Query: "city=almaty"}))
	if after := lastSeq(t, s); after != before {
		t.Fatalf("saved views wrote to the change log: last seq %d, then %d", before, after)
	}
}
