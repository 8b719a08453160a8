package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/web/webtest"
)

// atQuery is ?at= for a moment.
func atQuery(t time.Time) string { return "at=" + url.QueryEscape(t.Format(time.RFC3339)) }

// row returns the table row of the page that mentions both needles.
func row(body string, needles ...string) string {
	for _, r := range strings.Split(body, "<tr")[1:] {
		r, _, _ = strings.Cut(r, "</tr>")
		all := true
		for _, n := range needles {
			all = all && strings.Contains(r, n)
		}
		if all {
			return r
		}
	}
	return ""
}

// section returns the part of the page from the heading to the next one.
func section(body, heading string) string {
	_, after, ok := strings.Cut(body, "<h2>"+heading+"</h2>")
	if !ok {
		return ""
	}
	s, _, _ := strings.Cut(after, "<h2")
	return s
}

// TestAlertsByDetainee checks the list by detainee, the page's default:
// one group per detention with its open safeguards beneath, the next
// action named, the most endangered first, in every language.
func TestAlertsByDetainee(t *testing.T) {
	env := webtest.New(t)
	c := webtest.NewClocks(t, env)
	// A juvenile, arrested as late as the pending detention, comes first.
	minor := webtest.Person("Данияр Юный", c.Source)
	minor.Birth = habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "2006-05-01"}
	young := webtest.Detention(minor, "almaty", habeas.ProcedureCriminal, c.PendingArrestedAt, c.Source)
	env.Create(t, minor, young)
	viewer := env.As(t, habeas.RoleViewer)
	rec := viewer.Get("/alerts?" + atQuery(c.At))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	body := html.UnescapeString(rec.Body.String())
	groups := strings.Split(body, `<tbody class="group">`)[1:]
	if len(groups) != 3 {
		t.Fatalf("%d groups, want one per detention (3)", len(groups))
	}
	if !strings.Contains(groups[0], young.ID) || !strings.Contains(groups[0], "juvenile") {
		t.Errorf("the juvenile does not come first, marked juvenile:\n%s", groups[0])
	}
	if !strings.Contains(groups[1], c.Overdue.ID) || !strings.Contains(groups[2], c.Pending.ID) {
		t.Error("the detainee longest without a judge does not come before the other adult")
	}
	head, _, _ := strings.Cut(groups[1], "</tr>")
	if !strings.Contains(head, "Ерлан Сатпаев") || !strings.Contains(head, "Next:") {
		t.Errorf("the group's head lacks the name or the next action:\n%s", head)
	}
	if judge := row(groups[1], "international.judge-48h"); !strings.Contains(judge, "OVERDUE by 2 h") || !strings.Contains(judge, "2022-02-12 10:00 +06 Asia/Almaty") {
		t.Errorf("the judge-48h row beneath the group lacks its state and deadline:\n%s", judge)
	}
	if !strings.Contains(body, "for 3 people") || !strings.Contains(body, `href="/alerts?at=`) && !strings.Contains(body, "view=rules") {
		t.Error("the page does not count the people or link to the list by rule")
	}

	// In Russian and Kazakh, the next action and the danger are named.
	for lang, want := range map[string][]string{"ru": {"Сначала:", "несовершеннолетний"}, "kk": {"Алдымен:", "кәмелетке толмаған"}} {
		body := html.UnescapeString(viewer.Get("/alerts?lang=" + lang + "&" + atQuery(c.At)).Body.String())
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the page lacks %q", lang, w)
			}
		}
	}

	// A page of one group says where it is; a rule chosen narrows the
	// groups to those with it open.
	body = html.UnescapeString(viewer.Get("/alerts?limit=1&offset=1&" + atQuery(c.At)).Body.String())
	if !strings.Contains(body, "showing 2–2 of 3") || !strings.Contains(body, c.Overdue.ID) || strings.Contains(body, c.Pending.ID) {
		t.Error("the second page of one group is not the second detainee")
	}
	body = viewer.Get("/alerts?rule=international.judge-48h&within=0&" + atQuery(c.At)).Body.String()
	if n := strings.Count(body, `<tbody class="group">`); n != 2 || !strings.Contains(body, c.Overdue.ID) || strings.Contains(body, c.Pending.ID) {
		t.Errorf("judge-48h overdue: %d groups, want the two detentions overdue (the adult's 48 h, the juvenile's 24 h)", n)
	}
}

// TestAlertsPage checks the list by rule (?view=rules).
func TestAlertsPage(t *testing.T) {
	env := webtest.New(t)
	c := webtest.NewClocks(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	rec := viewer.Get("/alerts?view=rules&" + atQuery(c.At))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	body := html.UnescapeString(rec.Body.String())
	if !strings.Contains(body, `<a href="/alerts">Alerts</a>`) {
		t.Error("the navigation has no link to the alerts")
	}
	overdue, due := section(body, "Overdue now"), section(body, "Due within 24 hours")
	if overdue == "" || due == "" {
		t.Fatalf("the page lacks the sections Overdue now and Due within 24 hours")
	}
	if strings.Contains(body, "Cannot be judged") {
		t.Error("the page shows what cannot be judged without being asked")
	}

	judge := row(overdue, "/detentions/"+c.Overdue.ID, "international.judge-48h")
	for _, want := range []string{"Ерлан Сатпаев", "Almaty", "Brought before a judge within 48 hours", "ICCPR art. 9(3)",
		"confidence", ">H</abbr>", "urgent", "2022-02-12 10:00 +06 Asia/Almaty", "overdue by 2 h", "Clock started 2022-02-10 10:00 +06"} {
		if !strings.Contains(judge, want) {
			t.Errorf("the overdue judge-48h row lacks %q:\n%s", want, judge)
		}
	}
	if strings.Contains(judge, `class="unverified"`) {
		t.Error("a rule of confidence H is marked unverified")
	}
	pending := row(due, "/detentions/"+c.Pending.ID, "international.judge-48h")
	for _, want := range []string{"Aigul Nurova", "Aktau", "2022-02-13 05:00 +05 Asia/Aqtau", "18 h left"} {
		if !strings.Contains(pending, want) {
			t.Errorf("the pending judge-48h row lacks %q:\n%s", want, pending)
		}
	}
	if protocol := row(overdue, "kz.protocol-3h"); !strings.Contains(protocol, `<strong class="unverified">unverified</strong>`) {
		t.Errorf("kz.protocol-3h (confidence L) is not marked unverified:\n%s", protocol)
	}
	if i, j := strings.Index(overdue, "severity-urgent"), strings.Index(overdue, "severity-medium"); i < 0 || j < 0 || i > j {
		t.Error("the overdue alerts are not urgent first")
	}

	// What cannot be judged, with the missing fact, when asked.
	body = html.UnescapeString(viewer.Get("/alerts?view=rules&unknown=on&" + atQuery(c.At)).Body.String())
	if r := row(section(body, "Cannot be judged"), "/detentions/"+c.Overdue.ID, "kz.embassy-24h"); !strings.Contains(r, "citizenship") {
		t.Errorf("the embassy rule row does not name the missing citizenship:\n%s", r)
	}

	if body := viewer.Get("/alerts?view=rules&unknown=false&" + atQuery(c.At)).Body.String(); strings.Contains(body, `value="true" checked`) || strings.Contains(body, "<h2>Cannot be judged") {
		t.Error("unknown=false shows what cannot be judged")
	}

	// The filters narrow the list, and the form shows them again.
	body = html.UnescapeString(viewer.Get("/alerts?view=rules&city=aktau&rule=international.judge-48h&within=12&" + atQuery(c.At)).Body.String())
	if strings.Contains(body, c.Overdue.ID) || strings.Contains(body, "18 h left") || !strings.Contains(body, "Due within 12 hours") {
		t.Error("the city, rule and within filters did not narrow the list")
	}
	if !strings.Contains(body, `<option value="aktau" selected>`) || !strings.Contains(body, `<option value="international.judge-48h" selected>international.judge-48h — Brought before a judge within 48 hours</option>`) {
		t.Error("the form does not show the chosen city and rule")
	}

	// A page of one alert says where it is and links on.
	body = html.UnescapeString(viewer.Get("/alerts?view=rules&limit=1&offset=1&" + atQuery(c.At)).Body.String())
	if !strings.Contains(body, "showing 2–2 of ") || !strings.Contains(body, `rel="next"`) || !strings.Contains(body, `rel="prev"`) {
		t.Error("the second page of one alert does not say where it is or link to its neighbours")
	}
}

func TestAlertCountsPage(t *testing.T) {
	env := webtest.New(t)
	c := webtest.NewClocks(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	rec := viewer.Get("/alerts/counts?" + atQuery(c.At))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	body := html.UnescapeString(rec.Body.String())
	num := regexp.MustCompile(`<td class="num[^"]*">(\d+)</td>`)
	counts := func(ruleID string) []int {
		var out []int
		for _, m := range num.FindAllStringSubmatch(row(body, `id="`+ruleID+`"`), -1) {
			n, _ := strconv.Atoi(m[1])
			out = append(out, n)
		}
		return out
	}
	// met, met late, pending, overdue, violated, unknown, violations in all
	tests := []struct {
		rule string
		want []int
	}{
		{"international.judge-48h", []int{0, 0, 1, 1, 0, 0, 1}},
		{"kz.protocol-3h", []int{0, 1, 0, 1, 0, 0, 2}},
		{"kz.embassy-24h", []int{0, 0, 0, 0, 0, 2, 0}},
	}
	for _, tt := range tests {
		got := counts(tt.rule)
		if len(got) != 7 {
			t.Fatalf("%s: %d numbers in the row, want 7", tt.rule, len(got))
		}
		if got[6] != got[1]+got[3]+got[4] {
			t.Errorf("%s: violations %d is not met late + overdue + violated", tt.rule, got[6])
		}
		for i := range tt.want {
			if got[i] != tt.want[i] {
				t.Errorf("%s: counts %v, want %v", tt.rule, got, tt.want)
				break
			}
		}
	}
	if !strings.Contains(row(body, `id="kz.protocol-3h"`), `class="unverified"`) {
		t.Error("the counts do not mark kz.protocol-3h unverified")
	}
}

func TestSafeguardsPanel(t *testing.T) {
	env := webtest.New(t)
	c := webtest.NewClocks(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	rec := viewer.Get("/detentions/" + c.Overdue.ID + "?" + atQuery(c.At))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	body := html.UnescapeString(rec.Body.String())
	panel, _, _ := strings.Cut(body[strings.Index(body, `<h2 id="safeguards">Safeguards</h2>`)+1:], "<h2")
	if panel == "" || strings.Index(body, "Safeguards") > strings.Index(body, "Custody timeline") {
		t.Fatal("no Safeguards panel above the timeline")
	}
	for _, want := range []string{
		"Judged as of 2022-02-12 12:00 +06 Asia/Almaty",
		"The sources disagree on the arrest time by 2 h",
		"ICCPR art. 9(3)", "OVERDUE by 2 h", "pending: 22 h left",
		"unknown: citizenship is not recorded",
	} {
		if !strings.Contains(panel, want) {
			t.Errorf("the panel lacks %q", want)
		}
	}
	if r := row(panel, "international.judge-48h"); !strings.Contains(r, "2022-02-12 10:00 +06 Asia/Almaty") || !strings.Contains(r, "OVERDUE by 2 h") {
		t.Errorf("the judge-48h row lacks its local deadline or state:\n%s", r)
	}
	if r := row(panel, "kz.family-notice"); !strings.Contains(r, `class="unverified"`) {
		t.Errorf("kz.family-notice (confidence L) is not marked unverified:\n%s", r)
	}
	// Groups in the order of the safeguards, the stricter deadline first within one.
	last := -1
	for _, g := range []string{"Before a judge", "Whereabouts and official record", "Lawyer", "Family told", "Medical examination", "Detention protocol"} {
		i := strings.Index(panel, ">"+g+"</th>")
		if i < 0 || i < last {
			t.Errorf("group %q is missing or out of order", g)
		}
		last = i
	}
	if i, j := strings.Index(panel, "kz.suspect-48h"), strings.Index(panel, "kz.court-sanction-72h"); i < 0 || j < 0 || i > j {
		t.Error("within the judge group, the 72-hour rule comes before the 48-hour one")
	}

	// Judged in the past, the page shows the state as it stood then.
	body = html.UnescapeString(viewer.Get("/detentions/" + c.Overdue.ID + "?" + atQuery(c.OverdueArrestedAt.Add(time.Hour))).Body.String())
	if r := row(body, "international.judge-48h"); !strings.Contains(r, "pending: 1 d 23 h left") {
		t.Errorf("an hour after the arrest the judge-48h row reads:\n%s", r)
	}
	if !strings.Contains(body, "judge now") {
		t.Error("a page judged in the past does not offer to judge now")
	}

	// The protocol written late is flagged on the other detention.
	body = html.UnescapeString(viewer.Get("/detentions/" + c.Pending.ID + "?" + atQuery(c.At)).Body.String())
	if !strings.Contains(body, "The protocol was written 4 h after the de facto arrest") {
		t.Error("the protocol written 4h after the arrest is not flagged")
	}
}

func TestSafeguardsUseTheServerClock(t *testing.T) {
	env := webtest.New(t)
	c := webtest.NewClocks(t, env)
	cfg := webtest.Config(env.Store, nil)
	cfg.Now = func() time.Time { return c.At }
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	env.Server = srv
	viewer := env.As(t, habeas.RoleViewer)
	if body := html.UnescapeString(viewer.Get("/alerts").Body.String()); !strings.Contains(body, "OVERDUE by 2 h") || !strings.Contains(body, "Judged as of 2022-02-12 06:00 +00 UTC") {
		t.Error("the alerts page is not judged by the server's clock")
	}
	if body := html.UnescapeString(viewer.Get("/detentions/" + c.Overdue.ID).Body.String()); !strings.Contains(body, "OVERDUE by 2 h") {
		t.Error("the detention page is not judged by the server's clock")
	}

	cfg.Alerts = nil
	if _, err := server.New(cfg); err == nil {
		t.Error("server.New started without a watcher")
	}
}

func TestBadMomentIsRefused(t *testing.T) {
	env := webtest.New(t)
	c := webtest.NewClocks(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	for _, path := range []string{"/alerts?at=yesterday", "/alerts/counts?at=2022-02-30T00:00:00Z", "/detentions/" + c.Overdue.ID + "?at=now",
		"/alerts?within=soon", "/alerts?rule=kz.nothing"} {
		rec := viewer.Get(path)
		body := html.UnescapeString(rec.Body.String())
		if rec.Code != http.StatusBadRequest {
			t.Errorf("GET %s: status %d, want 400", path, rec.Code)
		}
		field := "at"
		if strings.Contains(path, "within") {
			field = "within"
		} else if strings.Contains(path, "rule") {
			field = "rule"
		}
		if !strings.Contains(body, field) || !strings.Contains(body, "is not") {
			t.Errorf("GET %s: the page does not name the field %s and the reason", path, field)
		}
	}
}

// The alerts are read by every role that reads cases (a lawyer its
// clients' only), the counts by every role that reads the register.
func TestAlertRoutesAreReadByEveryRole(t *testing.T) {
	env := webtest.New(t)
	c := webtest.NewClocks(t, env)
	table := server.DefaultAuthorization()
	paths := map[string]string{
		"alerts":            "/alerts",
		"alerts.counts":     "/alerts/counts",
		"api.alerts":        "/api/v1/alerts",
		"api.alerts.counts": "/api/v1/alerts/counts",
		"api.safeguards":    "/api/v1/detentions/" + c.Overdue.ID + "/safeguards",
	}
	clients := map[habeas.Role]*webtest.Client{}
	for _, role := range habeas.Roles {
		clients[role] = env.As(t, role)
	}
	for name, path := range paths {
		if rec := env.Anonymous().Get(path); rec.Code != http.StatusSeeOther && rec.Code != http.StatusUnauthorized {
			t.Errorf("anonymous GET %s: status %d, want sign-in", path, rec.Code)
		}
		for _, role := range table[name] {
			want := http.StatusOK
			if role == habeas.RoleLawyer && name == "api.safeguards" {
				want = http.StatusNotFound // not this lawyer's client
			}
			if rec := clients[role].Get(path); rec.Code != want {
				t.Errorf("%s GET %s (%s): status %d, want %d", role, path, name, rec.Code, want)
			}
		}
	}
	for _, name := range []string{"alerts", "api.alerts", "api.safeguards"} {
		for _, role := range habeas.Roles {
			if role != habeas.RoleMonitor && !slices.Contains(table[name], role) {
				t.Errorf("route %s: the %s role reads cases but not their alerts", name, role)
			}
		}
	}
}
