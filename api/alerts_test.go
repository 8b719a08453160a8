package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/web/webtest"
)

// itemOf returns the item for a detention and rule, if any.
func itemOf(items []casework.AlertItem, detentionID, ruleID string) *casework.AlertItem {
	for i := range items {
		if items[i].DetentionID == detentionID && items[i].RuleID == ruleID {
			return &items[i]
		}
	}
	return nil
}

func TestAlertsShape(t *testing.T) {
	env := webtest.New(t)
	c := webtest.NewClocks(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	path := "/api/v1/alerts?at=" + url.QueryEscape(c.At.Format(time.RFC3339))

	// Every key is there, as the documented shape says.
	var raw map[string]json.RawMessage
	if code := viewer.JSON(t, "GET", path, nil, &raw); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	for _, k := range []string{"at", "total", "overdue", "due_soon", "unknown", "items"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("the list lacks %q", k)
		}
	}
	var items []map[string]any
	if err := json.Unmarshal(raw["items"], &items); err != nil || len(items) == 0 {
		t.Fatalf("items %s: %v", raw["items"], err)
	}
	for _, k := range []string{"detention_id", "person_id", "person_name", "city", "zone", "rule_id", "rule_title", "safeguard",
		"citation", "confidence", "unverified", "severity", "state", "start", "start_event", "deadline", "met_event",
		"by_seconds", "by", "missing", "failed", "explanation"} {
		if _, ok := items[0][k]; !ok {
			t.Errorf("an item lacks %q: %v", k, items[0])
		}
	}

	var l casework.AlertList
	viewer.JSON(t, "GET", path, nil, &l)
	if !l.At.Equal(c.At) || l.Total != len(l.Items) || l.Overdue+l.DueSoon != l.Total || l.Unknown != 0 || l.Detentions != 2 {
		t.Fatalf("list at %v, total %d of %d items, overdue %d, due soon %d, unknown %d, detentions %d",
			l.At, l.Total, len(l.Items), l.Overdue, l.DueSoon, l.Unknown, l.Detentions)
	}
	judge := itemOf(l.Items, c.Overdue.ID, "international.judge-48h")
	if judge == nil {
		t.Fatal("no alert for international.judge-48h of the overdue detention")
	}
	want := casework.AlertItem{DetentionID: c.Overdue.ID, PersonID: c.OverduePerson.ID, PersonName: "Ерлан Сатпаев", City: "almaty",
		Zone: "Asia/Almaty", RuleID: "international.judge-48h", Safeguard: "judge", Confidence: "H", Severity: "urgent",
		State: "overdue", Start: c.OverdueArrestedAt, Deadline: c.OverdueArrestedAt.Add(48 * time.Hour), BySeconds: 7200, By: "2h"}
	got := *judge
	got.RuleTitle, got.Citation, got.Explanation, got.StartEvent, got.Failed = "", "", "", "", nil
	if got.Start.Equal(want.Start) && got.Deadline.Equal(want.Deadline) {
		got.Start, got.Deadline = want.Start, want.Deadline
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("judge-48h:\n got %+v\nwant %+v", got, want)
	}
	if judge.RuleTitle == "" || judge.Citation == "" || judge.Explanation == "" || judge.StartEvent == "" || judge.Failed == nil {
		t.Errorf("judge-48h lacks a title, citation, explanation, start event or failed list: %+v", judge)
	}
	if p := itemOf(l.Items, c.Overdue.ID, "kz.protocol-3h"); p == nil || !p.Unverified || p.Confidence != "L" {
		t.Errorf("kz.protocol-3h (confidence L): got %+v, want an unverified overdue alert", p)
	}
	// Urgent first: every overdue alert before every pending one.
	for i := 1; i < len(l.Items); i++ {
		if l.Items[i-1].State == "pending" && l.Items[i].State == "overdue" {
			t.Fatalf("item %d is overdue after a pending one", i)
		}
	}
}

func TestAlertsFilters(t *testing.T) {
	env := webtest.New(t)
	c := webtest.NewClocks(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	at := "at=" + url.QueryEscape(c.At.Format(time.RFC3339))
	tests := []struct {
		name  string
		query string
		check func(t *testing.T, l casework.AlertList)
	}{
		{"city", "&city=aktau", func(t *testing.T, l casework.AlertList) {
			for _, it := range l.Items {
				if it.City != "aktau" {
					t.Errorf("an alert in %s", it.City)
				}
			}
			if it := itemOf(l.Items, c.Pending.ID, "international.judge-48h"); it == nil || it.State != "pending" || it.By != "18h" {
				t.Errorf("judge-48h in Aktau: got %+v, want pending with 18h left", it)
			}
		}},
		{"rule", "&rule=international.judge-48h", func(t *testing.T, l casework.AlertList) {
			if l.Total != 2 || l.Overdue != 1 || l.DueSoon != 1 {
				t.Errorf("total %d, overdue %d, due soon %d; want 2, 1, 1", l.Total, l.Overdue, l.DueSoon)
			}
		}},
		{"within as hours leaves out what is due later", "&rule=international.judge-48h&within=12", func(t *testing.T, l casework.AlertList) {
			if l.Total != 1 || l.Items[0].DetentionID != c.Overdue.ID {
				t.Errorf("got %d alerts, want only the overdue one", l.Total)
			}
		}},
		{"within as a duration", "&rule=international.judge-48h&within=18h", func(t *testing.T, l casework.AlertList) {
			if l.Total != 2 {
				t.Errorf("got %d alerts, want 2: a deadline exactly 18h away is due within 18h", l.Total)
			}
		}},
		{"within zero: only what is overdue", "&within=0", func(t *testing.T, l casework.AlertList) {
			if l.DueSoon != 0 || l.Overdue == 0 {
				t.Errorf("overdue %d, due soon %d", l.Overdue, l.DueSoon)
			}
		}},
		{"unknown", "&unknown=true", func(t *testing.T, l casework.AlertList) {
			it := itemOf(l.Items, c.Overdue.ID, "kz.embassy-24h")
			if l.Unknown == 0 || it == nil || it.State != "unknown" || it.Missing != "citizenship" || it.Deadline.IsZero() != true {
				t.Errorf("unknown %d; embassy rule %+v; want unknown for want of citizenship, without a deadline", l.Unknown, it)
			}
		}},
		{"a page", "&limit=2&offset=1", func(t *testing.T, l casework.AlertList) {
			if len(l.Items) != 2 || l.Offset != 1 || l.Limit != 2 || l.Total <= 3 {
				t.Errorf("%d items at offset %d, limit %d, of %d", len(l.Items), l.Offset, l.Limit, l.Total)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l casework.AlertList
			if code := viewer.JSON(t, "GET", "/api/v1/alerts?"+at+tt.query, nil, &l); code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			tt.check(t, l)
		})
	}
}

func TestAlertsBadParameters(t *testing.T) {
	env := webtest.New(t)
	c := webtest.NewClocks(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	tests := []struct {
		path, field, reason string
	}{
		{"/api/v1/alerts?at=yesterday", "at", "%2B"},                // the error shows how to write the offset's + in a URL
		{"/api/v1/alerts?at=2022-02-12T06:00:00", "at", "RFC 3339"}, // no zone: ambiguous
		{"/api/v1/alerts?within=soon", "within", "is not a number of hours or a duration"},
		{"/api/v1/alerts?within=-1h", "within", "is not from 0"},
		{"/api/v1/alerts?within=NaN", "within", "is not from 0"},
		{"/api/v1/alerts?city=mars", "city", "is not a known city"},
		{"/api/v1/alerts?rule=kz.nothing", "rule", "is not the id of a rule"},
		{"/api/v1/alerts?unknown=maybe", "unknown", "is not true or false"},
		{"/api/v1/alerts?limit=0", "limit", "is not a whole number"},
		{"/api/v1/alerts/counts?at=2022-13-01T00:00:00Z", "at", "RFC 3339"},
		{"/api/v1/detentions/" + c.Overdue.ID + "/safeguards?at=now", "at", "RFC 3339"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var body webtest.ErrorBody
			if code := viewer.JSON(t, "GET", tt.path, nil, &body); code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", code)
			}
			if body.Error.Code != habeas.EINVALID || !body.HasField(tt.field, tt.reason) {
				t.Fatalf("error %+v, want field %s with %q", body.Error, tt.field, tt.reason)
			}
		})
	}
}

// The README's example of a moment with its offset works written as a
// URL needs it (%2B) and as people type it (+, which a query reads as a
// space), and both mean the same moment.
func TestAtWithOffset(t *testing.T) {
	env := webtest.New(t)
	c := webtest.NewClocks(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	moment := c.At.In(time.FixedZone("", 6*3600)).Format(time.RFC3339) // 2022-…T…+06:00
	var encoded, typed casework.Safeguards
	for path, out := range map[string]*casework.Safeguards{
		"/api/v1/detentions/" + c.Overdue.ID + "/safeguards?at=" + strings.Replace(moment, "+", "%2B", 1): &encoded,
		"/api/v1/detentions/" + c.Overdue.ID + "/safeguards?at=" + moment:                                 &typed,
	} {
		if code := viewer.JSON(t, "GET", path, nil, out); code != http.StatusOK {
			t.Fatalf("%s: status %d", path, code)
		}
	}
	if !encoded.At.Equal(c.At) || !typed.At.Equal(c.At) {
		t.Errorf("judged at %v and %v, want %v", encoded.At, typed.At, c.At)
	}
}

func TestSafeguards(t *testing.T) {
	env := webtest.New(t)
	c := webtest.NewClocks(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	var s casework.Safeguards
	path := "/api/v1/detentions/" + c.Overdue.ID + "/safeguards?at=" + url.QueryEscape(c.At.Format(time.RFC3339))
	if code := viewer.JSON(t, "GET", path, nil, &s); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if s.DetentionID != c.Overdue.ID || s.Zone != "Asia/Almaty" || !s.At.Equal(c.At) || !s.ArrestedAt.Equal(c.OverdueArrestedAt) {
		t.Errorf("panel header: %+v", s)
	}
	judge := itemOf(s.Results, c.Overdue.ID, "international.judge-48h")
	if judge == nil || judge.State != "overdue" || judge.BySeconds != 7200 {
		t.Errorf("judge-48h: %+v, want overdue by 7200 s", judge)
	}
	if sanction := itemOf(s.Results, c.Overdue.ID, "kz.court-sanction-72h"); sanction == nil || sanction.State != "pending" || sanction.By != "22h" {
		t.Errorf("court sanction: %+v, want pending with 22h left", sanction)
	}
	// Every rule that applies, met or not, is in the panel; results come
	// by safeguard, the stricter deadline first.
	if len(s.Results) < 10 {
		t.Errorf("%d results, want every applicable rule", len(s.Results))
	}
	for i := 1; i < len(s.Results); i++ {
		a, b := s.Results[i-1], s.Results[i]
		if a.Safeguard == b.Safeguard && !a.Deadline.IsZero() && !b.Deadline.IsZero() && b.Deadline.Before(a.Deadline) {
			t.Errorf("%s (deadline %v) comes after %s (deadline %v)", b.RuleID, b.Deadline, a.RuleID, a.Deadline)
		}
	}
	if len(s.Flags) != 1 || s.Flags[0].Code != "conflicting_arrest" || s.Flags[0].GapSeconds != 7200 || len(s.Flags[0].Events) != 2 {
		t.Errorf("flags %+v, want the two accounts 2h apart", s.Flags)
	}

	// Judged in the past, the same rule was still pending.
	var past casework.Safeguards
	viewer.JSON(t, "GET", "/api/v1/detentions/"+c.Overdue.ID+"/safeguards?at="+url.QueryEscape(c.OverdueArrestedAt.Add(time.Hour).Format(time.RFC3339)), nil, &past)
	if judge := itemOf(past.Results, c.Overdue.ID, "international.judge-48h"); judge == nil || judge.State != "pending" || judge.By != "1d 23h" {
		t.Errorf("an hour after the arrest: %+v, want pending with 1d 23h left", judge)
	}

	// A detainee whose birth date is not recorded is judged as an adult,
	// the juvenile reading beside it; the rule only for juveniles cannot
	// be judged for want of the birth date. Neither is a breach.
	src := webtest.Source("Call", habeas.SourceHotlineCall, "F", 3)
	young := webtest.Person("Арман Жасов", src)
	det := webtest.Detention(young, "almaty", habeas.ProcedureCriminal, c.At.Add(-30*time.Hour), src)
	env.Create(t, src, young, det)
	var doubtful casework.Safeguards
	viewer.JSON(t, "GET", "/api/v1/detentions/"+det.ID+"/safeguards?at="+url.QueryEscape(c.At.Format(time.RFC3339)), nil, &doubtful)
	if judge := itemOf(doubtful.Results, det.ID, "international.judge-48h"); judge == nil || judge.State != "pending" || judge.Doubt == nil ||
		judge.Doubt.Reason != "juvenile" || judge.Doubt.State != "overdue" || judge.Doubt.By != "6h" {
		t.Errorf("judge-48h of a detainee of unknown age: %+v, want pending, overdue by 6h if a juvenile", judge)
	}
	if kz := itemOf(doubtful.Results, det.ID, "kz.juvenile-suspect-24h"); kz == nil || kz.State != "unknown" || kz.Missing != "birth_date" ||
		kz.Doubt == nil || kz.Doubt.State != "overdue" {
		t.Errorf("kz.juvenile-suspect-24h of a detainee of unknown age: %+v, want unknown for want of the birth date", kz)
	}

	var body webtest.ErrorBody
	if code := viewer.JSON(t, "GET", "/api/v1/detentions/det_aaaaaaaaaaaaaaaa/safeguards", nil, &body); code != http.StatusNotFound || body.Error.Code != habeas.ENOTFOUND {
		t.Errorf("safeguards of a detention that does not exist: status %d, %+v", code, body.Error)
	}
}

func TestAlertCounts(t *testing.T) {
	env := webtest.New(t)
	c := webtest.NewClocks(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	var rc casework.RuleCounts
	if code := viewer.JSON(t, "GET", "/api/v1/alerts/counts?at="+url.QueryEscape(c.At.Format(time.RFC3339)), nil, &rc); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	found := false
	for _, r := range rc.Rules {
		if r.Violations != r.MetLate+r.Overdue+r.Violated {
			t.Errorf("%s: %d violations, but met late %d + overdue %d + violated %d", r.RuleID, r.Violations, r.MetLate, r.Overdue, r.Violated)
		}
		if r.RuleID == "international.judge-48h" {
			found = true
			if r.Overdue != 1 || r.Pending != 1 || r.Met+r.MetLate+r.Violated+r.Unknown != 0 || r.Violations != 1 {
				t.Errorf("judge-48h counts %+v, want one overdue and one pending", r)
			}
		}
		if r.RuleID == "kz.protocol-3h" && (!r.Unverified || r.MetLate != 1 || r.Overdue != 1) {
			t.Errorf("kz.protocol-3h counts %+v, want unverified, one met late, one overdue", r)
		}
	}
	if !found {
		t.Fatal("no counts for international.judge-48h")
	}
}

func TestAlertsByDetainee(t *testing.T) {
	env := webtest.New(t)
	c := webtest.NewClocks(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	at := "at=" + url.QueryEscape(c.At.Format(time.RFC3339))
	var l casework.AlertGroupList
	if code := viewer.JSON(t, "GET", "/api/v1/alerts/detainees?"+at, nil, &l); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	var flat casework.AlertList
	if code := viewer.JSON(t, "GET", "/api/v1/alerts?limit=1000&"+at, nil, &flat); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if l.Total != 2 || len(l.Groups) != 2 || l.Overdue != flat.Overdue || l.DueSoon != flat.DueSoon {
		t.Fatalf("got %d groups of %d, %d overdue and %d due; want the 2 detentions and the flat list's %d and %d",
			len(l.Groups), l.Total, l.Overdue, l.DueSoon, flat.Overdue, flat.DueSoon)
	}
	// The detainee longest without a judge comes first.
	g := l.Groups[0]
	if g.DetentionID != c.Overdue.ID || g.PersonName != "Ерлан Сатпаев" || g.City != "almaty" || g.Zone != "Asia/Almaty" {
		t.Errorf("first group %s %s %s %s, want the detention overdue for a judge", g.DetentionID, g.PersonName, g.City, g.Zone)
	}
	if judge := itemOf(g.Items, c.Overdue.ID, "international.judge-48h"); judge == nil || judge.State != "overdue" {
		t.Errorf("the first group lacks judge-48h overdue: %+v", judge)
	}
	n := 0
	for _, g := range l.Groups {
		if g.NextAction != g.Items[0].Safeguard {
			t.Errorf("%s: next action %q, first item %q", g.DetentionID, g.NextAction, g.Items[0].Safeguard)
		}
		n += len(g.Items)
	}
	if n != flat.Total {
		t.Errorf("the groups hold %d items, the flat list %d", n, flat.Total)
	}

	// One group a page, and a rule chosen narrows the groups to those
	// with that rule open.
	if code := viewer.JSON(t, "GET", "/api/v1/alerts/detainees?limit=1&offset=1&"+at, nil, &l); code != http.StatusOK || len(l.Groups) != 1 || l.Groups[0].DetentionID != c.Pending.ID || l.Total != 2 {
		t.Errorf("second page of one: status %d, %+v", code, l)
	}
	if code := viewer.JSON(t, "GET", "/api/v1/alerts/detainees?rule=international.judge-48h&within=0&"+at, nil, &l); code != http.StatusOK || l.Total != 1 || len(l.Groups[0].Items) != 1 {
		t.Errorf("judge-48h overdue only: status %d, %+v", code, l)
	}
}
