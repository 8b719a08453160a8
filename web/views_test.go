package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web/webtest"
)

type viewJSON struct {
	ID     string            `json:"id"`
	Owner  string            `json:"owner"`
	Name   string            `json:"name"`
	Query  string            `json:"query"`
	Shared bool              `json:"shared"`
	Filter map[string]string `json:"filter"`
	URL    string            `json:"url"`
}

func viewsOf(t *testing.T, c *webtest.Client) map[string]viewJSON {
	t.Helper()
	var list struct{ Items []viewJSON }
	if code := c.JSON(t, "GET", "/api/v1/views", nil, &list); code != http.StatusOK {
		t.Fatalf("list views as %s: status %d", c.Name, code)
	}
	m := map[string]viewJSON{}
	for _, v := range list.Items {
		m[v.Name] = v
	}
	return m
}

// A view saved from the list's form opens the same list; it is the
// owner's alone unless shared; only the owner deletes it.
func TestSavedViewsRoundTrip(t *testing.T) {
	env := webtest.New(t)
	newQueueFixture(t, env)
	cw := env.As(t, habeas.RoleCaseworker)
	coord := env.As(t, habeas.RoleCoordinator)

	// The list offers the form with the filter as hidden fields.
	page := cw.Get("/detentions?queue=no_lawyer&city=almaty&offset=0").Body.String()
	for _, want := range []string{`action="/views"`, `name="queue" value="no_lawyer"`, `name="city" value="almaty"`, `<label>Name of the view`} {
		if !strings.Contains(page, want) {
			t.Errorf("list page lacks %q", want)
		}
	}
	rec := cw.PostForm("/views", url.Values{"name": {"Almaty, no lawyer"}, "queue": {"no_lawyer"}, "city": {"almaty"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/views" {
		t.Fatalf("save: status %d to %q, want 303 to /views", rec.Code, rec.Header().Get("Location"))
	}
	rec = cw.PostForm("/views", url.Values{"name": {"Juveniles everywhere"}, "queue": {"juvenile"}, "shared": {"true"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("save shared: status %d", rec.Code)
	}

	mine := viewsOf(t, cw)
	private, shared := mine["Almaty, no lawyer"], mine["Juveniles everywhere"]
	if private.Query != "city=almaty&queue=no_lawyer" || private.Owner != "caseworker" || private.Shared || private.URL != "/detentions?city=almaty&queue=no_lawyer" {
		t.Fatalf("saved %+v", private)
	}
	if !shared.Shared || shared.Filter["queue"] != "juvenile" {
		t.Fatalf("saved %+v", shared)
	}
	body := cw.Get("/views").Body.String()
	for _, want := range []string{"Almaty, no lawyer", "Juveniles everywhere", `href="/detentions?city=almaty&amp;queue=no_lawyer"`,
		"City: Almaty", "Without a lawyer", `action="/views/` + private.ID + `/delete"`} {
		if !strings.Contains(body, want) {
			t.Errorf("views page lacks %q", want)
		}
	}
	if body := cw.Get("/detentions").Body.String(); !strings.Contains(body, `<a href="/detentions?city=almaty&amp;queue=no_lawyer">Almaty, no lawyer</a>`) {
		t.Errorf("the list does not link to the saved view")
	}
	rec = cw.Get("/views/" + private.ID)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != private.URL {
		t.Errorf("open: status %d to %q, want 303 to %s", rec.Code, rec.Header().Get("Location"), private.URL)
	}

	// Another user sees the shared view, not the private one.
	theirs := viewsOf(t, coord)
	if _, ok := theirs["Almaty, no lawyer"]; ok {
		t.Errorf("another user sees a private view")
	}
	if _, ok := theirs["Juveniles everywhere"]; !ok {
		t.Errorf("another user does not see a shared view")
	}
	if body := coord.Get("/views").Body.String(); strings.Contains(body, "Almaty, no lawyer") || strings.Contains(body, "/delete") {
		t.Errorf("another user's views page shows a private view or a delete button for another's view")
	}
	if rec := coord.Get("/views/" + private.ID); rec.Code != http.StatusNotFound {
		t.Errorf("another user opens a private view: status %d, want 404", rec.Code)
	}
	if rec := coord.Get("/views/" + shared.ID); rec.Code != http.StatusSeeOther {
		t.Errorf("another user opens a shared view: status %d, want 303", rec.Code)
	}
	if rec := coord.PostForm("/views/"+shared.ID+"/delete", nil); rec.Code != http.StatusForbidden {
		t.Errorf("another user deletes a shared view: status %d, want 403", rec.Code)
	}
	if rec := coord.PostForm("/views/"+private.ID+"/delete", nil); rec.Code != http.StatusNotFound {
		t.Errorf("another user deletes a private view: status %d, want 404", rec.Code)
	}

	// The owner deletes it.
	if rec := cw.PostForm("/views/"+private.ID+"/delete", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("delete: status %d, want 303", rec.Code)
	}
	if _, ok := viewsOf(t, cw)["Almaty, no lawyer"]; ok {
		t.Errorf("a deleted view is still listed")
	}
	if rec := cw.Get("/views/" + private.ID); rec.Code != http.StatusNotFound {
		t.Errorf("open a deleted view: status %d, want 404", rec.Code)
	}
}

// A name missing, too long or used twice, or a filter that is not one,
// shows the list again with 400, the name as typed, and nothing saved.
func TestSaveViewInvalid(t *testing.T) {
	env := webtest.New(t)
	cw := env.As(t, habeas.RoleCaseworker)
	if rec := cw.PostForm("/views", url.Values{"name": {"Mine"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("save: status %d", rec.Code)
	}
	tests := []struct {
		name string
		form url.Values
		want []string
	}{
		{"no name", url.Values{"name": {"  "}, "queue": {"foreign"}}, []string{"is required", `aria-invalid="true"`, `name="queue" value="foreign"`}},
		{"too long", url.Values{"name": {strings.Repeat("я", 101)}}, []string{"is longer than 100 characters", strings.Repeat("я", 101)}},
		{"used twice", url.Values{"name": {"Mine"}}, []string{"you already have a view of this name", `value="Mine"`}},
		{"bad queue", url.Values{"name": {"Lost"}, "queue": {"lost"}}, []string{`value="Lost"`, "<code>queue</code>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(viewsOf(t, cw))
			rec := cw.PostForm("/views", tt.form)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", rec.Code)
			}
			body := rec.Body.String()
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if !strings.Contains(body, `role="alert"`) {
				t.Errorf("no summary of the problem")
			}
			if after := len(viewsOf(t, cw)); after != before {
				t.Errorf("%d views before, %d after", before, after)
			}
		})
	}
	if body := cw.PostForm("/views?lang=kk", url.Values{"name": {" "}}).Body.String(); strings.Contains(body, "is required") || !strings.Contains(body, "міндетті") {
		t.Errorf("the reason is not in Kazakh")
	}
}

// A viewer keeps views of their own, which writes nothing to the change
// log, but still may not write case data.
func TestViewerSavesViews(t *testing.T) {
	env := webtest.New(t)
	viewer := env.As(t, habeas.RoleViewer)
	before := env.State(t)
	if rec := viewer.PostForm("/views", url.Values{"name": {"Foreigners"}, "queue": {"foreign"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("viewer saves a view: status %d, want 303", rec.Code)
	}
	var created viewJSON
	if code := viewer.JSON(t, "POST", "/api/v1/views", map[string]any{"name": "Juveniles", "filter": map[string]string{"queue": "juvenile"}}, &created); code != http.StatusCreated {
		t.Fatalf("viewer saves a view through the API: status %d", code)
	}
	if rec := viewer.PostForm("/views/"+created.ID+"/delete", nil); rec.Code != http.StatusSeeOther {
		t.Errorf("viewer deletes their view: status %d", rec.Code)
	}
	if after := env.State(t); after.LastSeq != before.LastSeq {
		t.Errorf("saving views wrote to the change log: %v, then %v", before, after)
	}
	if rec := viewer.Do("POST", "/api/v1/persons", `{"names":[{"text":"Aigerim"}]}`); rec.Code != http.StatusForbidden {
		t.Errorf("viewer writes case data: status %d, want 403", rec.Code)
	}
}

func TestViewsAPI(t *testing.T) {
	env := webtest.New(t)
	cw := env.As(t, habeas.RoleCaseworker)
	other := env.As(t, habeas.RoleLawyer)
	var v viewJSON
	body := map[string]any{"name": "Aktau foreigners", "shared": false, "filter": map[string]string{"city": "aktau", "queue": "foreign", "status": ""}}
	if code := cw.JSON(t, "POST", "/api/v1/views", body, &v); code != http.StatusCreated {
		t.Fatalf("create: status %d", code)
	}
	if v.Query != "city=aktau&queue=foreign" || v.URL != "/detentions?city=aktau&queue=foreign" || v.Owner != "caseworker" || v.ID == "" {
		t.Fatalf("created %+v", v)
	}
	var got viewJSON
	if code := cw.JSON(t, "GET", "/api/v1/views/"+v.ID, nil, &got); code != http.StatusOK || got.Name != v.Name {
		t.Fatalf("find: status %d, %+v", code, got)
	}
	if code := other.JSON(t, "GET", "/api/v1/views/"+v.ID, nil, nil); code != http.StatusNotFound {
		t.Errorf("another user finds a private view: status %d, want 404", code)
	}
	if code := other.JSON(t, "DELETE", "/api/v1/views/"+v.ID, nil, nil); code != http.StatusNotFound {
		t.Errorf("another user deletes a private view: status %d, want 404", code)
	}
	var e webtest.ErrorBody
	if code := cw.JSON(t, "POST", "/api/v1/views", body, &e); code != http.StatusConflict {
		t.Errorf("same name again: status %d, want 409", code)
	}
	bad := map[string]any{"name": "", "filter": map[string]string{"queue": "lost", "offset": "50", "city": "mars"}}
	e = webtest.ErrorBody{}
	if code := cw.JSON(t, "POST", "/api/v1/views", bad, &e); code != http.StatusBadRequest {
		t.Fatalf("invalid: status %d, want 400", code)
	}
	for _, field := range []string{"name", "filter.queue", "filter.offset", "filter.city"} {
		if !e.HasField(field, "") {
			t.Errorf("error %+v does not name %s", e.Error, field)
		}
	}
	if code := cw.JSON(t, "POST", "/api/v1/views", `{"name":"x","colour":"red"}`, &e); code != http.StatusBadRequest {
		t.Errorf("unknown field: status %d, want 400", code)
	}
	if code := cw.JSON(t, "DELETE", "/api/v1/views/"+v.ID, nil, nil); code != http.StatusNoContent {
		t.Errorf("delete: status %d, want 204", code)
	}
	if code := cw.JSON(t, "GET", "/api/v1/views/"+v.ID, nil, nil); code != http.StatusNotFound {
		t.Errorf("find deleted: status %d, want 404", code)
	}
	anon := env.Anonymous()
	if code := anon.JSON(t, "GET", "/api/v1/views", nil, nil); code != http.StatusUnauthorized {
		t.Errorf("anonymous: status %d, want 401", code)
	}
	for _, path := range []string{"/views", "/queues", "/views/" + v.ID} {
		if rec := anon.Get(path); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
			t.Errorf("anonymous GET %s: status %d to %q, want the login form", path, rec.Code, rec.Header().Get("Location"))
		}
	}
	if rec := anon.PostForm("/views", url.Values{"name": {"x"}}); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" {
		t.Errorf("anonymous POST /views: status %d, want the login form", rec.Code)
	}
}
