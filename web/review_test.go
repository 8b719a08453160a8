package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/demo"
	"github.com/habeas-project/habeas/names"
	"github.com/habeas-project/habeas/web/webtest"
)

// reviewEnv is a small demo scenario with a caseworker and a viewer.
type reviewEnv struct {
	env                *webtest.Env
	caseworker, viewer *webtest.Client
}

func newReviewEnv(t *testing.T) *reviewEnv {
	t.Helper()
	env := webtest.New(t)
	if _, err := demo.Generate(context.Background(), env.Store, demo.Options{Scale: 300}); err != nil {
		t.Fatal(err)
	}
	return &reviewEnv{env: env, caseworker: env.As(t, habeas.RoleCaseworker), viewer: env.As(t, habeas.RoleViewer)}
}

// queue returns the whole review queue through the API.
func (e *reviewEnv) queue(t *testing.T) casework.ReviewList {
	t.Helper()
	var l casework.ReviewList
	if code := e.viewer.JSON(t, "GET", "/api/v1/review?limit=1000", nil, &l); code != http.StatusOK {
		t.Fatalf("GET /api/v1/review: status %d", code)
	}
	if len(l.Items) != l.Total {
		t.Fatalf("queue: %d items of %d; the test wants them all on one page", len(l.Items), l.Total)
	}
	return l
}

func pairKey(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + " " + b
}

// index returns the position of the pair a, b in the queue, or -1.
func index(l casework.ReviewList, a, b string) int {
	for i, it := range l.Items {
		if pairKey(it.PersonA.ID, it.PersonB.ID) == pairKey(a, b) {
			return i
		}
	}
	return -1
}

// cities returns the cities a person was detained in.
func (e *reviewEnv) cities(t *testing.T, personID string) map[string]bool {
	t.Helper()
	ds, _, err := e.env.Store.FindDetentions(context.Background(), habeas.DetentionFilter{PersonID: &personID})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, d := range ds {
		out[d.City] = true
	}
	return out
}

// crossScript returns the first pair of the queue that looks like one of
// the demo's duplicate reports: names in different scripts, detained in
// the same city.
func (e *reviewEnv) crossScript(t *testing.T, l casework.ReviewList) casework.ReviewItem {
	t.Helper()
	for _, it := range l.Items {
		sa, sb := names.DetectScript(it.PersonA.DisplayName()), names.DetectScript(it.PersonB.DisplayName())
		if sa == sb || sa == "Zyyy" || sb == "Zyyy" {
			continue
		}
		ca, cb := e.cities(t, it.PersonA.ID), e.cities(t, it.PersonB.ID)
		for c := range ca {
			if cb[c] {
				return it
			}
		}
	}
	t.Fatalf("none of the %d pairs in the queue is a report in another script of a person detained in the same city", l.Total)
	return casework.ReviewItem{}
}

func decide(c *webtest.Client, a, b, judgement, note string) *http.Response {
	rec := c.PostForm("/review", url.Values{"a": {a}, "b": {b}, "judgement": {judgement}, "note": {note}, "offset": {"20"}})
	return rec.Result()
}

// checkNoInline fails if a page carries inline script or style, which the
// Content-Security-Policy would block.
func checkNoInline(t *testing.T, path, body string) {
	t.Helper()
	if m := inlineScript.FindString(body); m != "" {
		t.Errorf("%s has inline script: %q", path, m)
	}
	if m := inlineStyle.FindString(body); m != "" {
		t.Errorf("%s has inline style: %q", path, m)
	}
}

// TestReviewSameAndUndo follows one of the demo's duplicate reports
// through the queue: proposed with its explanation, decided "same person"
// by a caseworker (shown on both person pages, recorded with the actor),
// then undone (a tombstone) and proposed again.
func TestReviewSameAndUndo(t *testing.T) {
	e := newReviewEnv(t)
	ctx := context.Background()
	before := e.queue(t)
	it := e.crossScript(t, before)
	a, b := it.PersonA, it.PersonB
	t.Logf("%d pairs; deciding %q / %q (%.3f, %s)", before.Total, a.DisplayName(), b.DisplayName(), it.Probability, it.Band)
	if it.Probability < 0.2 || !strings.Contains(it.Explanation, "surname") || len(it.Fields) == 0 {
		t.Errorf("item: probability %.3f, explanation %q", it.Probability, it.Explanation)
	}

	// The page that shows the pair, side by side with its buttons.
	i := index(before, a.ID, b.ID)
	path := fmt.Sprintf("/review?offset=%d", i/10*10)
	w := e.caseworker.Get(path)
	body := w.Body.String()
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, w.Code)
	}
	for _, want := range []string{a.DisplayName(), b.DisplayName(), `value="` + a.ID + `"`, `value="` + b.ID + `"`,
		"Same person", "Different people", "Review duplicates", fmt.Sprintf("%.3f", it.Probability), "Why the matcher"} {
		if !strings.Contains(body, want) {
			t.Errorf("GET %s lacks %q", path, want)
		}
	}
	checkNoInline(t, path, body)
	// A viewer sees the queue but no buttons, and cannot decide.
	if vb := e.viewer.Get(path).Body.String(); !strings.Contains(vb, a.DisplayName()) || strings.Contains(vb, `value="same"`) {
		t.Errorf("the viewer's review page: want the pair without the decision form")
	}
	state := e.env.State(t)
	if res := decide(e.viewer, a.ID, b.ID, "same", ""); res.StatusCode != http.StatusForbidden {
		t.Errorf("viewer decides: status %d, want 403", res.StatusCode)
	}
	if after := e.env.State(t); after.LastSeq != state.LastSeq {
		t.Errorf("a forbidden decision wrote: %v, then %v", state, after)
	}

	// Same person.
	res := decide(e.caseworker, a.ID, b.ID, "same", "one detainee: two lists")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/review?offset=20" {
		t.Fatalf("decide: status %d to %q, want 303 to /review?offset=20", res.StatusCode, res.Header.Get("Location"))
	}
	after := e.queue(t)
	if index(after, a.ID, b.ID) >= 0 || after.Total != before.Total-1 {
		t.Errorf("after deciding: %d pairs (had %d), pair still there: %v", after.Total, before.Total, index(after, a.ID, b.ID) >= 0)
	}
	ids, err := e.env.Store.FindReferring(ctx, habeas.KindIdentity, a.ID)
	if err != nil || len(ids) != 1 {
		t.Fatalf("identities of %s: %v, %v; want one", a.ID, ids, err)
	}
	ident := ids[0].(*habeas.Identity)
	if ident.Judgement != habeas.SamePerson || pairKey(ident.PersonA, ident.PersonB) != pairKey(a.ID, b.ID) ||
		ident.Note != "one detainee: two lists" || !strings.Contains(ident.Evidence, "probability") || ident.Probability < 0.2 {
		t.Errorf("identity = %+v", ident)
	}
	h, err := e.env.Store.History(ctx, ident.ID)
	if err != nil || len(h) != 1 || h[0].Actor != "caseworker" || h[0].Op != habeas.OpCreate {
		t.Fatalf("history of the decision: %v, %v; want one create by caseworker", h, err)
	}
	for _, p := range []struct{ self, other *habeas.Person }{{a, b}, {b, a}} {
		path := "/persons/" + p.self.ID
		body := e.caseworker.Get(path).Body.String()
		for _, want := range []string{"Same person as", "/persons/" + p.other.ID, "caseworker", "one detainee: two lists",
			`action="/identities/` + ident.ID + `/undo"`} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s lacks %q", path, want)
			}
		}
		checkNoInline(t, path, body)
		if vb := e.viewer.Get(path).Body.String(); !strings.Contains(vb, "/persons/"+p.other.ID) || strings.Contains(vb, "/undo") {
			t.Errorf("the viewer's %s: want the decision without the undo button", path)
		}
	}
	// The persons are as they were: a decision rewrites nothing.
	for _, p := range []*habeas.Person{a, b} {
		if h, err := e.env.Store.History(ctx, p.ID); err != nil || len(h) != 1 {
			t.Errorf("history of %s: %d changes, %v; want only its creation", p.ID, len(h), err)
		}
	}
	// Deciding again is refused.
	if res := decide(e.caseworker, b.ID, a.ID, "different", ""); res.StatusCode != http.StatusConflict {
		t.Errorf("deciding a decided pair: status %d, want 409", res.StatusCode)
	}

	// Undo: a viewer may not; the caseworker may.
	undo := "/identities/" + ident.ID + "/undo"
	if rec := e.viewer.PostForm(undo, url.Values{"person": {b.ID}}); rec.Code != http.StatusForbidden {
		t.Errorf("viewer undoes: status %d, want 403", rec.Code)
	}
	rec := e.caseworker.PostForm(undo, url.Values{"person": {b.ID}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/persons/"+b.ID {
		t.Fatalf("undo: status %d to %q, want 303 to /persons/%s", rec.Code, rec.Header().Get("Location"), b.ID)
	}
	if _, err := e.env.Store.Find(ctx, habeas.KindIdentity, ident.ID); habeas.ErrorCode(err) != habeas.ENOTFOUND {
		t.Errorf("the decision after undo: %v, want not found", err)
	}
	h, err = e.env.Store.History(ctx, ident.ID)
	if err != nil || len(h) != 2 || h[1].Op != habeas.OpDelete || h[1].Actor != "caseworker" {
		t.Errorf("history after undo: %v, %v; want a tombstone by caseworker", h, err)
	}
	body = e.caseworker.Get("/persons/" + a.ID).Body.String()
	if !strings.Contains(body, "No decision joins this record") {
		t.Error("the person page still shows the undone decision")
	}
	// The person's history keeps the decision and its undoing.
	if !regexp.MustCompile(`identity decision <code>` + ident.ID + `</code></td><td>deleted</td>`).MatchString(body) {
		t.Error("the person's history lacks the undone decision's tombstone")
	}
	if l := e.queue(t); index(l, a.ID, b.ID) < 0 || l.Total != before.Total {
		t.Errorf("after undo: %d pairs (had %d), pair back: %v", l.Total, before.Total, index(l, a.ID, b.ID) >= 0)
	}
	if rec := e.caseworker.PostForm(undo, nil); rec.Code != http.StatusNotFound {
		t.Errorf("undoing twice: status %d, want 404", rec.Code)
	}
}

// TestReviewDifferent: a pair judged different leaves the queue and never
// comes back, whatever the matcher later finds.
func TestReviewDifferent(t *testing.T) {
	e := newReviewEnv(t)
	before := e.queue(t)
	it := before.Items[0]
	a, b := it.PersonA.ID, it.PersonB.ID
	if res := decide(e.caseworker, a, b, "different", ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decide: status %d", res.StatusCode)
	}
	if l := e.queue(t); index(l, a, b) >= 0 || l.Total != before.Total-1 {
		t.Errorf("after deciding: %d pairs (had %d), pair still there: %v", l.Total, before.Total, index(l, a, b) >= 0)
	}
	// A new person makes the matcher run again over everyone.
	if code := e.caseworker.JSON(t, "POST", "/api/v1/persons", `{"names":[{"text":"Aigerim Testova"}]}`, nil); code != http.StatusCreated {
		t.Fatalf("create a person: status %d", code)
	}
	l := e.queue(t)
	if index(l, a, b) >= 0 {
		t.Error("a pair judged different is proposed again")
	}
	if l.Pending || l.Linked != l.Persons {
		t.Errorf("queue: %d of %d persons linked, pending %v; want all", l.Linked, l.Persons, l.Pending)
	}
	body := e.caseworker.Get("/persons/" + a).Body.String()
	if !strings.Contains(body, "Judged different from") || !strings.Contains(body, "/persons/"+b) {
		t.Errorf("person page lacks the decision")
	}
	for _, tt := range []struct {
		name string
		form url.Values
		want int
	}{
		{"no judgement", url.Values{"a": {a}, "b": {b}}, http.StatusBadRequest},
		{"bad judgement", url.Values{"a": {a}, "b": {b}, "judgement": {"maybe"}}, http.StatusBadRequest},
		{"not a person", url.Values{"a": {"det_aaaaaaaaaaaaaaaa"}, "b": {b}, "judgement": {"same"}}, http.StatusBadRequest},
		{"unknown person", url.Values{"a": {"per_zzzzzzzzzzzzzzzz"}, "b": {b}, "judgement": {"same"}}, http.StatusNotFound},
		{"one record", url.Values{"a": {b}, "b": {b}, "judgement": {"same"}}, http.StatusBadRequest},
		{"long note", url.Values{"a": {a}, "b": {b}, "judgement": {"same"}, "note": {strings.Repeat("x", 2001)}}, http.StatusBadRequest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			state := e.env.State(t)
			if rec := e.caseworker.PostForm("/review", tt.form); rec.Code != tt.want {
				t.Errorf("status %d, want %d", rec.Code, tt.want)
			}
			if after := e.env.State(t); after.LastSeq != state.LastSeq {
				t.Errorf("a refused decision wrote: %v, then %v", state, after)
			}
		})
	}
}

// TestReviewImport: persons imported in a batch that match registered
// ones are proposed against them at once.
func TestReviewImport(t *testing.T) {
	e := newReviewEnv(t)
	before := e.queue(t)
	// A registered person with a Cyrillic name and a full birth date,
	// reported again in Latin script by another list.
	ps, _, err := e.env.Store.FindPersons(context.Background(), habeas.PersonFilter{Page: habeas.Page{Limit: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	var orig *habeas.Person
	for _, p := range ps {
		if names.DetectScript(p.DisplayName()) == "Cyrl" && p.Birth.Precision == habeas.PrecisionDay && p.Sex != "" {
			orig = p
			break
		}
	}
	if orig == nil {
		t.Fatal("no person with a Cyrillic name and a birth date")
	}
	latin, err := names.Transliterate(orig.DisplayName(), "icao")
	if err != nil {
		t.Fatal(err)
	}
	batch := fmt.Sprintf(`[
		{"op":"create","entity":"person","data":{"names":[{"text":%q}],"birth":{"precision":"day","date":%q},"sex":%q}},
		{"op":"create","entity":"person","data":{"names":[{"text":"Zhanibek Testbayev"}]}}
	]`, latin, orig.Birth.Date, orig.Sex)
	var out struct{ Changes []habeas.Change }
	if code := e.caseworker.JSON(t, "POST", "/api/v1/batch", batch, &out); code != http.StatusOK || len(out.Changes) != 2 {
		t.Fatalf("batch: status %d, %d changes", code, len(out.Changes))
	}
	imported := out.Changes[0].ID
	l := e.queue(t)
	i := index(l, orig.ID, imported)
	if i < 0 {
		t.Fatalf("%q, imported, is not proposed against %q (%s)", latin, orig.DisplayName(), orig.ID)
	}
	if l.Total <= before.Total {
		t.Errorf("%d pairs after the import, %d before", l.Total, before.Total)
	}
	if l.Items[i].Probability < 0.9 {
		t.Errorf("the imported report scores %.3f against the registered one", l.Items[i].Probability)
	}
	for _, it := range l.Items {
		if it.PersonA.ID == out.Changes[1].ID || it.PersonB.ID == out.Changes[1].ID {
			t.Errorf("an unrelated import is proposed against %s", it.PersonA.DisplayName())
		}
	}
}

// TestEveryReviewPageRenders renders every page of the demo's queue, both
// bands included, for a caseworker, and checks the API's paging.
func TestEveryReviewPageRenders(t *testing.T) {
	e := newReviewEnv(t)
	l := e.queue(t)
	bands := map[string]int{}
	for _, it := range l.Items {
		bands[it.Band]++
	}
	if bands["uncertain"] == 0 || bands["likely"] == 0 {
		t.Errorf("bands %v: want pairs in both", bands)
	}
	for offset := 0; offset < l.Total; offset += 10 {
		path := fmt.Sprintf("/review?offset=%d", offset)
		w := e.caseworker.Get(path)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, w.Code)
		}
		checkNoInline(t, path, w.Body.String())
	}
	var page casework.ReviewList
	if code := e.viewer.JSON(t, "GET", "/api/v1/review?offset=3&limit=2", nil, &page); code != http.StatusOK ||
		len(page.Items) != 2 || page.Total != l.Total || page.Items[0].PersonA.ID != l.Items[3].PersonA.ID {
		t.Errorf("page 3+2: status %d, %d items of %d", code, len(page.Items), page.Total)
	}
	var bad webtest.ErrorBody
	if code := e.viewer.JSON(t, "GET", "/api/v1/review?limit=0", nil, &bad); code != http.StatusBadRequest || !bad.HasField("limit", "") {
		t.Errorf("limit=0: status %d, %+v", code, bad)
	}
	if w := e.viewer.Get("/review?offset=-1"); w.Code != http.StatusBadRequest {
		t.Errorf("GET /review?offset=-1: status %d, want 400", w.Code)
	}
}
