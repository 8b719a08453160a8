package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web/webtest"
)

// world is a small register: a source, a person and their detention.
type world struct {
	src    *habeas.Source
	person *habeas.Person
	det    *habeas.Detention
}

func newWorld(t *testing.T, env *webtest.Env) world {
	t.Helper()
	w := world{src: webtest.Source("Hotline call", habeas.SourceHotlineCall, "C", 3)}
	w.person = webtest.Person("Aigerim Nurlanovna", w.src)
	w.det = webtest.Detention(w.person, "almaty", habeas.ProcedureCriminal, time.Date(2022, 1, 5, 8, 30, 0, 0, time.UTC), w.src)
	env.Create(t, w.src, w.person, w.det)
	return w
}

func TestCreateInvalid(t *testing.T) {
	env := webtest.New(t)
	w := newWorld(t, env)
	cw := env.As(t, habeas.RoleCaseworker)
	big := `{"names":[{"text":"` + strings.Repeat("a", 1<<20) + `"}]}`
	tests := []struct {
		name        string
		path        string
		contentType string
		body        string
		field       string
		reason      string
	}{
		{"no name", "/api/v1/persons", "", `{"names":[]}`, "names", "at least one name is required"},
		{"blank name", "/api/v1/persons", "", `{"names":[{"text":"  "}]}`, "names[0].text", "is required"},
		{"bad IIN", "/api/v1/persons", "", `{"names":[{"text":"Aigerim"}],"iin":"123"}`, "iin", "12 digits"},
		{"unknown field", "/api/v1/persons", "", `{"names":[{"text":"Aigerim"}],"nickname":"Aika"}`, "nickname", "is not a known field"},
		{"wrong type", "/api/v1/persons", "", `{"names":"Aigerim"}`, "names", "expected []habeas.NameVariant"},
		{"not JSON", "/api/v1/persons", "", `{"names":`, "body", "is not complete JSON"},
		{"two values", "/api/v1/persons", "", `{"names":[{"text":"Aigerim"}]}{}`, "body", "has data after the JSON value"},
		{"empty body", "/api/v1/persons", "", ``, "body", "Content-Type must be application/json"},
		{"form post", "/api/v1/persons", "application/x-www-form-urlencoded", `names=Aigerim`, "body", "Content-Type must be application/json"},
		{"over 1 MB", "/api/v1/persons", "", big, "body", "is larger than 1048576 bytes"},
		{"missing person", "/api/v1/detentions", "", `{"person_id":"per_aaaaaaaaaaaaaaaa","city":"almaty","events":[{"type":"arrest","at":"2022-01-05T10:00:00Z"}]}`,
			"person_id", "person per_aaaaaaaaaaaaaaaa does not exist"},
		{"no arrest", "/api/v1/detentions", "", fmt.Sprintf(`{"person_id":%q,"city":"almaty","events":[]}`, w.person.ID),
			"events", "an arrest event (the de facto arrest) is required"},
		{"unknown city", "/api/v1/detentions", "", fmt.Sprintf(`{"person_id":%q,"city":"atlantis","events":[{"type":"arrest","at":"2022-01-05T10:00:00Z"}]}`, w.person.ID),
			"city", `"atlantis" is not a known city`},
		{"nested unknown field", "/api/v1/detentions", "", fmt.Sprintf(`{"person_id":%q,"city":"almaty","events":[{"type":"arrest","at":"2022-01-05T10:00:00Z","when":"dawn"}]}`, w.person.ID),
			"when", "is not a known field"},
		{"bad source grade", "/api/v1/sources", "", `{"kind":"media","title":"News","reliability":"Z","credibility":9,"received_at":"2022-01-05T10:00:00Z"}`,
			"credibility", "is not a credibility grade 1-6"},
		{"client picks a malformed id", "/api/v1/lawyers", "", `{"id":"law_!","name":"Dana"}`, "id", "is not a lawyer identifier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := env.State(t)
			req := cw.Request("POST", tt.path, tt.body)
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			rec := env.Serve(req)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", rec.Code, truncate(rec.Body.String()))
			}
			var body webtest.ErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("decode %q: %v", truncate(rec.Body.String()), err)
			}
			if body.Error.Code != habeas.EINVALID || !body.HasField(tt.field, tt.reason) {
				t.Errorf("error %+v, want code invalid naming field %q with reason %q", body.Error, tt.field, tt.reason)
			}
			if after := env.State(t); after.String() != before.String() {
				t.Errorf("store changed: %v, then %v", before, after)
			}
		})
	}
}

func TestCRUD(t *testing.T) {
	env := webtest.New(t)
	w := newWorld(t, env)
	cw := env.As(t, habeas.RoleCaseworker)
	coord := env.As(t, habeas.RoleCoordinator)

	// Create: 201, Location, the record as stored (normalized, with an id).
	req := cw.Request("POST", "/api/v1/lawyers", `{"name":"  Dana   Sadykova ","city":"almaty","active":true}`)
	rec := env.Serve(req)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: status %d, want 201: %s", rec.Code, rec.Body)
	}
	var lawyer habeas.Lawyer
	if err := json.Unmarshal(rec.Body.Bytes(), &lawyer); err != nil {
		t.Fatal(err)
	}
	if !habeas.ValidID(habeas.KindLawyer, lawyer.ID) || lawyer.Name != "Dana Sadykova" {
		t.Errorf("created %+v, want an identifier and the normalized name", lawyer)
	}
	if got, want := rec.Header().Get("Location"), "/api/v1/lawyers/"+lawyer.ID; got != want {
		t.Errorf("Location %q, want %q", got, want)
	}

	// Read it back, by kind.
	var found habeas.Lawyer
	if code := cw.JSON(t, "GET", "/api/v1/lawyers/"+lawyer.ID, nil, &found); code != http.StatusOK || found.Name != lawyer.Name {
		t.Errorf("find: status %d, %+v", code, found)
	}
	for _, path := range []string{"/api/v1/persons/" + lawyer.ID, "/api/v1/lawyers/law_aaaaaaaaaaaaaaaa", "/api/v1/prisoners/" + lawyer.ID} {
		if code := cw.JSON(t, "GET", path, nil, nil); code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, code)
		}
	}

	// Replace it; the identifier may be left out, but not contradicted.
	if code := cw.Put(t, "/api/v1/lawyers/"+lawyer.ID, `{"name":"Dana Sadykova","bar":"Almaty City Bar","active":true}`, &found); code != http.StatusOK || found.Bar != "Almaty City Bar" || found.ID != lawyer.ID {
		t.Errorf("update: status %d, %+v", code, found)
	}
	var bad webtest.ErrorBody
	if code := cw.Put(t, "/api/v1/lawyers/"+lawyer.ID, fmt.Sprintf(`{"id":%q,"name":"X"}`, w.person.ID), &bad); code != http.StatusBadRequest || !bad.HasField("id", "differs from the identifier in the path") {
		t.Errorf("update with another id: status %d, %+v", code, bad.Error)
	}
	if code := cw.Put(t, "/api/v1/lawyers/law_aaaaaaaaaaaaaaaa", `{"name":"Nobody"}`, nil); code != http.StatusNotFound {
		t.Errorf("update of a missing record: status %d, want 404", code)
	}

	// History: both writes, by the signed-in user.
	var hist struct{ Items []habeas.Change }
	if code := cw.JSON(t, "GET", "/api/v1/lawyers/"+lawyer.ID+"/history", nil, &hist); code != http.StatusOK || len(hist.Items) != 2 {
		t.Fatalf("history: status %d, %d changes, want 2", code, len(hist.Items))
	}
	for i, op := range []habeas.Op{habeas.OpCreate, habeas.OpUpdate} {
		if c := hist.Items[i]; c.Op != op || c.Actor != "caseworker" {
			t.Errorf("change %d: %s by %s, want %s by caseworker", i, c.Op, c.Actor, op)
		}
	}

	// Delete: 204, then gone, with a tombstone by the deleting user.
	if rec := coord.Do("DELETE", "/api/v1/lawyers/"+lawyer.ID, ""); rec.Code != http.StatusNoContent {
		t.Fatalf("delete: status %d, want 204: %s", rec.Code, rec.Body)
	}
	if code := cw.JSON(t, "GET", "/api/v1/lawyers/"+lawyer.ID, nil, nil); code != http.StatusNotFound {
		t.Errorf("after delete: status %d, want 404", code)
	}
	if code := cw.JSON(t, "GET", "/api/v1/lawyers/"+lawyer.ID+"/history", nil, &hist); code != http.StatusOK || len(hist.Items) != 3 ||
		hist.Items[2].Op != habeas.OpDelete || hist.Items[2].Actor != "coordinator" {
		t.Errorf("history after delete: status %d, %+v", code, hist.Items)
	}
}

func TestDeleteReferenced(t *testing.T) {
	env := webtest.New(t)
	w := newWorld(t, env)
	coord := env.As(t, habeas.RoleCoordinator)
	tests := []struct {
		name       string
		path       string
		wantStatus int
	}{
		{"a person with a detention", "/api/v1/persons/" + w.person.ID, http.StatusConflict},
		{"a source cited by others", "/api/v1/sources/" + w.src.ID, http.StatusConflict},
		{"a record that does not exist", "/api/v1/persons/per_aaaaaaaaaaaaaaaa", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := env.State(t)
			var body webtest.ErrorBody
			if code := coord.JSON(t, "DELETE", tt.path, nil, &body); code != tt.wantStatus {
				t.Fatalf("status %d, want %d", code, tt.wantStatus)
			}
			if tt.wantStatus == http.StatusConflict && (body.Error.Code != habeas.ECONFLICT || !strings.Contains(body.Error.Message, "is referred to by")) {
				t.Errorf("error %+v, want a conflict saying what refers to it", body.Error)
			}
			if after := env.State(t); after.String() != before.String() {
				t.Errorf("store changed: %v, then %v", before, after)
			}
		})
	}
	// In the right order, each delete succeeds.
	for _, path := range []string{"/api/v1/detentions/" + w.det.ID, "/api/v1/persons/" + w.person.ID, "/api/v1/sources/" + w.src.ID} {
		if rec := coord.Do("DELETE", path, ""); rec.Code != http.StatusNoContent {
			t.Errorf("DELETE %s: status %d, want 204", path, rec.Code)
		}
	}
}

func TestBatch(t *testing.T) {
	env := webtest.New(t)
	w := newWorld(t, env)
	cw := env.As(t, habeas.RoleCoordinator) // a coordinator, who may delete
	person := `{"op":"create","entity":"person","data":{"id":"per_batch0000000001","names":[{"text":"Nurlan Abenov"}]}}`
	detention := `{"op":"create","entity":"detention","data":{"person_id":"per_batch0000000001","city":"aktau","events":[{"type":"arrest","at":"2022-01-06T05:00:00Z"}]}}`
	tests := []struct {
		name    string
		body    string
		field   string // the failing field, with the item's position
		message string
		status  int
	}{
		{"an invalid item", `[` + person + `,` + detention + `,{"op":"create","entity":"person","data":{"names":[]}}]`,
			"[2].data.names", "batch item 2: invalid person", http.StatusBadRequest},
		{"an unknown field in an item", `[` + person + `,{"op":"create","entity":"person","data":{"names":[{"text":"A"}]},"force":true}]`,
			"[1].force", "batch item 1:", http.StatusBadRequest},
		{"an unknown kind", `[` + person + `,{"op":"create","entity":"prisoner","data":{}}]`,
			"[1].entity", "batch item 1:", http.StatusBadRequest},
		{"an unknown operation", `[{"op":"upsert","entity":"person","data":{"names":[{"text":"A"}]}}]`,
			"[0].op", "batch item 0:", http.StatusBadRequest},
		{"a reference to nothing, found by the store", `[` + person + `,{"op":"create","entity":"detention","data":{"person_id":"per_nobody0000000001","city":"aktau","events":[{"type":"arrest","at":"2022-01-06T05:00:00Z"}]}}]`,
			"[1].data.person_id", "batch item 1: invalid detention", http.StatusBadRequest},
		{"a delete of a referenced record", `[` + person + `,{"op":"delete","entity":"person","id":"` + w.person.ID + `"}]`,
			"", "batch item 1: person " + w.person.ID + " is referred to by", http.StatusConflict},
		{"a delete with data", `[{"op":"delete","entity":"person","id":"` + w.person.ID + `","data":{}}]`,
			"[0].data", "batch item 0:", http.StatusBadRequest},
		{"an empty batch", `[]`, "body", "invalid batch", http.StatusBadRequest},
		{"not a list", `{"op":"create"}`, "body", "invalid batch", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := env.State(t)
			var body webtest.ErrorBody
			if code := cw.JSON(t, "POST", "/api/v1/batch", tt.body, &body); code != tt.status {
				t.Fatalf("status %d, want %d: %+v", code, tt.status, body.Error)
			}
			if tt.field != "" && !body.HasField(tt.field, "") {
				t.Errorf("error %+v does not name %q", body.Error, tt.field)
			}
			if !strings.HasPrefix(body.Error.Message, tt.message) {
				t.Errorf("message %q, want it to start %q", body.Error.Message, tt.message)
			}
			if after := env.State(t); after.String() != before.String() {
				t.Errorf("store changed: %v, then %v", before, after)
			}
		})
	}

	// A good batch writes every item, by the signed-in user.
	before := env.State(t)
	version := strings.Trim(cw.Get("/api/v1/persons/"+w.person.ID).Header().Get("ETag"), `"`)
	update := fmt.Sprintf(`{"op":"update","entity":"person","id":%q,"version":%s,"data":{"names":[{"text":"Aigerim Nurlanovna"},{"text":"Айгерим Нурлановна"}]}}`, w.person.ID, version)
	var res struct{ Changes []habeas.Change }
	if code := cw.JSON(t, "POST", "/api/v1/batch", `[`+person+`,`+detention+`,`+update+`]`, &res); code != http.StatusOK {
		t.Fatalf("good batch: status %d", code)
	}
	if len(res.Changes) != 3 || res.Changes[0].Actor != "coordinator" || res.Changes[2].Op != habeas.OpUpdate {
		t.Errorf("changes %+v, want three by coordinator, the last an update", res.Changes)
	}
	after := env.State(t)
	if after.LastSeq != before.LastSeq+3 || after.Counts[habeas.KindPerson] != before.Counts[habeas.KindPerson]+1 ||
		after.Counts[habeas.KindDetention] != before.Counts[habeas.KindDetention]+1 {
		t.Errorf("after the batch: %v, before %v", after, before)
	}

	// The same update again names a version that has moved on: 409 with
	// the person as the batch left them, and nothing written.
	var conflict struct {
		Current habeas.Person `json:"current"`
	}
	rec := cw.JSONWith(t, "POST", "/api/v1/batch", nil, `[`+update+`]`, &conflict)
	if rec.Code != http.StatusConflict || len(conflict.Current.Names) != 2 || rec.Header().Get("ETag") == `"`+version+`"` {
		t.Errorf("a stale batch update: status %d, current %+v, ETag %s", rec.Code, conflict.Current, rec.Header().Get("ETag"))
	}
	if now := env.State(t); now.String() != after.String() {
		t.Errorf("the stale batch wrote: %v, then %v", after, now)
	}
}

func TestLists(t *testing.T) {
	env := webtest.New(t)
	w := newWorld(t, env)
	other := webtest.Person("Bolat Serikov", w.src)
	iin, ok := habeas.MakeIIN(time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), habeas.SexMale, 12)
	if !ok {
		t.Fatal("MakeIIN failed")
	}
	other.IIN = iin
	other.Sex = habeas.SexMale
	killed := &habeas.Casualty{ID: habeas.NewID(habeas.KindCasualty), Kind: habeas.CasualtyKilled, PersonID: other.ID,
		At: time.Date(2022, 1, 6, 3, 0, 0, 0, time.UTC), City: "almaty", Cause: "gunshot", Sources: []string{w.src.ID}}
	injured := &habeas.Casualty{ID: habeas.NewID(habeas.KindCasualty), Kind: habeas.CasualtyInjured, PersonID: w.person.ID,
		At: time.Date(2022, 1, 5, 9, 0, 0, 0, time.UTC), City: "taldykorgan", Sources: []string{w.src.ID}}
	env.Create(t, other, killed, injured)
	viewer := env.As(t, habeas.RoleViewer)
	tests := []struct {
		path      string
		wantTotal int
		wantFirst string // person_name of the first item, or the first name of a person
	}{
		{"/api/v1/casualties", 2, "Bolat Serikov"},
		{"/api/v1/casualties?kind=killed", 1, "Bolat Serikov"},
		{"/api/v1/casualties?kind=injured&city=taldykorgan", 1, "Aigerim Nurlanovna"},
		{"/api/v1/casualties?city=almaty&from=2022-01-06&to=2022-01-06", 1, "Bolat Serikov"},
		{"/api/v1/casualties?city=aktau", 0, ""},
		{"/api/v1/persons", 2, "Aigerim Nurlanovna"},
		{"/api/v1/persons?name=bol", 1, "Bolat Serikov"},
		{"/api/v1/persons?iin=" + string(iin), 1, "Bolat Serikov"},
		{"/api/v1/persons?name=zz", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var list struct {
				Items []struct {
					PersonName string               `json:"person_name"`
					Names      []habeas.NameVariant `json:"names"`
				} `json:"items"`
				Total, Offset, Limit int
			}
			if code := viewer.JSON(t, "GET", tt.path, nil, &list); code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			if list.Total != tt.wantTotal || list.Limit != 50 || list.Items == nil {
				t.Errorf("total %d, limit %d, items %v; want total %d, limit 50, items []", list.Total, list.Limit, list.Items, tt.wantTotal)
			}
			if len(list.Items) > 0 {
				first := list.Items[0].PersonName
				if first == "" && len(list.Items[0].Names) > 0 {
					first = list.Items[0].Names[0].Text
				}
				if first != tt.wantFirst {
					t.Errorf("first item %q, want %q", first, tt.wantFirst)
				}
			}
		})
	}
	var stats struct{ Counts map[habeas.Kind]int }
	if code := viewer.JSON(t, "GET", "/api/v1/stats", nil, &stats); code != http.StatusOK {
		t.Fatalf("stats: status %d", code)
	}
	want := map[habeas.Kind]int{habeas.KindSource: 1, habeas.KindPerson: 2, habeas.KindDetention: 1, habeas.KindCasualty: 2, habeas.KindLawyer: 0}
	for k, n := range want {
		if stats.Counts[k] != n {
			t.Errorf("stats %s = %d, want %d", k, stats.Counts[k], n)
		}
	}
	if len(stats.Counts) != len(habeas.Kinds) {
		t.Errorf("stats has %d kinds, want all %d", len(stats.Counts), len(habeas.Kinds))
	}
}

func truncate(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}
