package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/web/webtest"
)

// accessList is the body of GET /api/v1/audit.
type accessList struct {
	Items []habeas.Access `json:"items"`
	Total int             `json:"total"`
}

// The finding of issue 12: "Reads leave no trace: a viewer pulled 1,000
// detentions and every person in under a second, and nothing was
// recorded." Now each page the viewer pulls, and each record they open,
// is in the audit log with who, when, what and from where; the viewer is
// flagged for reading past the threshold; and neither the viewer nor an
// administrator can read around it, change it or delete it, through any
// route or batch, nor can anyone delete it straight in the database.
func TestReadsLeaveATrace(t *testing.T) {
	env := webtest.NewWith(t, func(c *server.Config) { c.ReadThreshold = 200 })
	const n = 1000
	src := webtest.Source("Police list", habeas.SourceOfficialList, "B", 2)
	ents := []habeas.Entity{src}
	var persons []string
	arrested := time.Date(2022, 1, 5, 8, 0, 0, 0, time.UTC)
	for i := range n {
		p := webtest.Person(fmt.Sprintf("Synthetic Person %04d", i), src)
		persons = append(persons, p.ID)
		ents = append(ents, p, webtest.Detention(p, "almaty", habeas.ProcedureAdministrative, arrested.Add(time.Duration(i)*time.Minute), src))
	}
	env.Create(t, ents...)
	viewer := env.As(t, habeas.RoleViewer)
	admin := env.As(t, habeas.RoleAdmin)

	// The pull.
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if code := viewer.JSON(t, "GET", "/api/v1/detentions?limit=1000", nil, &page); code != http.StatusOK || len(page.Items) != n {
		t.Fatalf("the viewer lists detentions: status %d, %d items", code, len(page.Items))
	}
	if code := viewer.JSON(t, "GET", "/api/v1/persons?limit=1000", nil, &page); code != http.StatusOK || len(page.Items) != n {
		t.Fatalf("the viewer lists persons: status %d, %d items", code, len(page.Items))
	}
	for _, id := range persons[:3] {
		if code := viewer.JSON(t, "GET", "/api/v1/persons/"+id, nil, nil); code != http.StatusOK {
			t.Fatalf("the viewer opens %s: status %d", id, code)
		}
	}
	if code := viewer.JSON(t, "GET", "/api/v1/sources/"+src.ID+"/history", nil, nil); code != http.StatusOK {
		t.Fatalf("the viewer reads a source's history: status %d", code)
	}

	// The trace, as an administrator reads it.
	var log accessList
	if code := admin.JSON(t, "GET", "/api/v1/audit?actor=viewer", nil, &log); code != http.StatusOK {
		t.Fatalf("the administrator reads the log: status %d", code)
	}
	type row struct {
		action habeas.AccessAction
		kind   habeas.Kind
		id     string
		count  int
	}
	want := []row{
		{habeas.AccessView, habeas.KindSource, src.ID, 1},
		{habeas.AccessView, habeas.KindPerson, persons[2], 1},
		{habeas.AccessView, habeas.KindPerson, persons[1], 1},
		{habeas.AccessView, habeas.KindPerson, persons[0], 1},
		{habeas.AccessList, habeas.KindPerson, "", n},
		{habeas.AccessList, habeas.KindDetention, "", n},
	}
	var got []row
	for _, a := range log.Items {
		got = append(got, row{a.Action, a.Kind, a.ID, a.Count})
		if a.Actor != "viewer" || a.Client != "192.0.2.1" || a.At.IsZero() {
			t.Errorf("access %d: by %q from %q at %v; want the viewer, from the request's address, with a time", a.Seq, a.Actor, a.Client, a.At)
		}
		if a.Action != habeas.AccessFlag && len(a.Records) != a.Count {
			t.Errorf("access %d: %d records for a count of %d", a.Seq, len(a.Records), a.Count)
		}
	}
	// The list of detentions took the viewer past the threshold: one
	// flag, right after it, and no second in the same hour.
	var flags []row
	for _, r := range got {
		if r.action == habeas.AccessFlag {
			flags = append(flags, r)
		}
	}
	got = slices.DeleteFunc(got, func(r row) bool { return r.action == habeas.AccessFlag })
	if !slices.Equal(got, want) || len(flags) != 1 || flags[0].count != n || log.Items[len(log.Items)-2].Action != habeas.AccessFlag {
		t.Errorf("the viewer's accesses, newest first:\n got %v and flags %v\nwant %v and one flag for %d records after the first list", got, flags, want, n)
	}
	var byRecord accessList
	admin.JSON(t, "GET", "/api/v1/audit?record="+persons[999], nil, &byRecord)
	if byRecord.Total != 2 {
		t.Errorf("who read %s: %d accesses, want 2 (the list of detentions and of persons)", persons[999], byRecord.Total)
	}

	// Nobody reads, changes or deletes the log through the API.
	before := total(t, env)
	for _, tt := range []struct {
		client       *webtest.Client
		method, path string
		body         string
	}{
		{viewer, "GET", "/api/v1/audit", ""},
		{viewer, "DELETE", "/api/v1/audit", ""},
		{admin, "DELETE", "/api/v1/audit", ""},
		{admin, "DELETE", "/api/v1/audit/1", ""},
		{admin, "PUT", "/api/v1/audit/1", `{"actor":"someone else"}`},
		{admin, "POST", "/api/v1/audit", `{"actor":"someone else","action":"view"}`},
		{admin, "POST", "/api/v1/batch", `[{"op":"delete","entity":"access","id":"1"}]`},
		{admin, "POST", "/api/v1/batch", `[{"op":"delete","entity":"audit","id":"1"}]`},
		{viewer, "DELETE", "/api/v1/persons/" + persons[0], ""},
	} {
		if code := tt.client.JSON(t, tt.method, tt.path, tt.body, nil); code < 400 {
			t.Errorf("%s %s %s: status %d; want a refusal", tt.client.Name, tt.method, tt.path, code)
		}
	}
	if after := total(t, env); after != before {
		t.Errorf("the log held %d accesses before the attempts and %d after", before, after)
	}
	if _, err := env.Store.SQL().ExecContext(context.Background(), `DELETE FROM audit_log`); err == nil {
		t.Error("DELETE FROM audit_log succeeded; the trigger must refuse it")
	}
}

// total is how many accesses the log holds.
func total(t *testing.T, env *webtest.Env) int {
	t.Helper()
	_, n, err := env.Store.FindAccesses(context.Background(), habeas.AccessFilter{Page: habeas.Page{Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
