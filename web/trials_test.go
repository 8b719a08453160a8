package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/web/webtest"
)

func TestTrialMonitoring(t *testing.T) {
	env := webtest.New(t)
	d := newDeaths(t, env)
	cw, viewer := env.As(t, habeas.RoleCaseworker), env.As(t, habeas.RoleViewer)
	hearing := "/trials/" + d.detention.ID + "/e4"

	body := get(t, viewer, "/trials", http.StatusOK)
	for _, w := range []string{`<span class="total">2</span> hearings`, `href="` + hearing + `"`, "Specialised inter-district criminal court",
		"Almaly district court", "not monitored", "2022-04-12 10:00 +06 Asia/Almaty"} {
		if !strings.Contains(body, w) {
			t.Errorf("trial list lacks %q", w)
		}
	}
	body = get(t, cw, hearing, http.StatusOK)
	for _, w := range []string{"Presumption of innocence (no cage, no statements of guilt by officials)", "ICCPR art. 14(2)",
		`action="` + hearing + `"`, `name="checks.presumption_of_innocence" value="" checked`} {
		if !strings.Contains(body, w) {
			t.Errorf("hearing page lacks %q", w)
		}
	}

	form := url.Values{"monitor": {"Monitor 7 (synthetic)"}, "notes": {"The accused was held in a glass cage throughout."},
		"checks.public_hearing": {"yes"}, "checks.presumption_of_innocence": {"no"}, "checks.interpreter": {"not_applicable"},
		"checks.torture_evidence_excluded": {"no"}}
	rec := cw.Submit(hearing, form)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != hearing {
		t.Fatalf("POST %s: status %d, location %q: %s", hearing, rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	ctx := context.Background()
	det, err := env.Store.FindDetentionByID(ctx, d.detention.ID)
	if err != nil {
		t.Fatal(err)
	}
	var m *habeas.TrialMonitoring
	for _, e := range det.Events {
		if e.ID == "e4" {
			m = e.Monitoring
		} else if e.Monitoring != nil {
			t.Errorf("event %s got a checklist too", e.ID)
		}
	}
	want := map[string]habeas.Answer{"public_hearing": "yes", "presumption_of_innocence": "no", "interpreter": "not_applicable", "torture_evidence_excluded": "no"}
	if m == nil || m.Monitor != "Monitor 7 (synthetic)" || fmt.Sprint(m.Checks) != fmt.Sprint(want) || !strings.Contains(m.Notes, "glass cage") {
		t.Fatalf("stored checklist: %+v", m)
	}
	h, err := env.Store.History(ctx, d.detention.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := h[len(h)-1]; last.Actor != "caseworker" || last.Op != habeas.OpUpdate || !strings.Contains(string(last.Data), `"presumption_of_innocence":"no"`) {
		t.Errorf("last change: %s by %q: %s", last.Op, last.Actor, last.Data)
	}

	// The list shows the failures, and filters by them.
	body = get(t, viewer, "/trials?failing=true", http.StatusOK)
	for _, w := range []string{`<span class="total">1</span> hearing`, "Monitor 7 (synthetic)",
		"Presumption of innocence (no cage, no statements of guilt by officials), Evidence obtained by torture excluded"} {
		if !strings.Contains(body, w) {
			t.Errorf("failing hearings lack %q", w)
		}
	}
	body = get(t, viewer, "/trials?lang=ru&check=presumption_of_innocence", http.StatusOK)
	for _, w := range []string{`<span class="total">1</span> заседание`, "Презумпция невиновности", "Исключение доказательств, полученных под пытками"} {
		if !strings.Contains(body, w) {
			t.Errorf("ru: failing hearings lack %q", w)
		}
	}
	body = get(t, viewer, hearing+"?lang=kk", http.StatusOK)
	for _, w := range []string{"Кінәсіздік презумпциясы", "Monitor 7 (synthetic)", "glass cage", "<td>caseworker</td>"} {
		if !strings.Contains(body, w) {
			t.Errorf("kk: hearing page lacks %q", w)
		}
	}
	for _, tt := range []struct {
		query string
		want  int
	}{
		{"check=presumption_of_innocence", 1}, {"check=appeal", 0}, {"monitored=false", 1}, {"monitored=true", 1},
		{"type=court_appearance", 1}, {"detention=" + d.detention.ID, 2}, {"city=aktau", 0},
		{"from=2022-04-12&to=2022-04-12&city=almaty", 1},
	} {
		var l struct {
			Items []casework.TrialItem `json:"items"`
			Total int                  `json:"total"`
		}
		if code := viewer.JSON(t, "GET", "/api/v1/trials?"+tt.query, nil, &l); code != http.StatusOK || l.Total != tt.want {
			t.Errorf("/api/v1/trials?%s: status %d, total %d, want %d", tt.query, code, l.Total, tt.want)
		}
	}
	get(t, viewer, "/trials?check=cage", http.StatusBadRequest)
}

func TestTrialMonitoringInvalid(t *testing.T) {
	env := webtest.New(t)
	d := newDeaths(t, env)
	cw := env.As(t, habeas.RoleCaseworker)
	hearing := "/trials/" + d.detention.ID + "/e3"
	tests := []struct {
		name    string
		lang    string
		form    url.Values
		field   string
		reasons []string
	}{
		{"no monitor", "ru", url.Values{"monitor": {" "}, "checks.appeal": {"yes"}}, "monitor", []string{"обязательное поле", "Ничего не сохранено"}},
		{"an answer that is not one", "kk", url.Values{"monitor": {"m"}, "checks.appeal": {"maybe"}}, "checks.appeal",
			[]string{`"maybe" — «иә», «жоқ», «қолданылмайды» немесе «байқалмады» емес`, "Шағымдану құқығы"}},
		{"notes too long", "en", url.Values{"monitor": {"m"}, "notes": {strings.Repeat("x", 5001)}}, "notes", []string{"is longer than 5000 characters"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := env.State(t)
			rec := cw.Submit(hearing+"?lang="+tt.lang, tt.form)
			body := html.UnescapeString(rec.Body.String())
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", rec.Code, body)
			}
			for _, w := range append(tt.reasons, `role="alert"`, `href="#f-`+tt.field+`"`, `id="e-`+tt.field+`"`, `aria-invalid="true"`) {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if m := missingMessage.FindString(body); m != "" {
				t.Errorf("untranslated message %s", m)
			}
			if after := env.State(t); after.String() != before.String() {
				t.Errorf("an invalid form wrote: %v, then %v", before, after)
			}
		})
	}

	// Only hearings carry a checklist: not the arrest, nor an event that
	// does not exist, through the page or the API.
	before := env.State(t)
	for _, path := range []string{"/trials/" + d.detention.ID + "/e1", "/trials/" + d.detention.ID + "/e9", "/trials/det_nosuchthing0000/e3"} {
		if rec := cw.PostForm(path, url.Values{"monitor": {"m"}}); rec.Code != http.StatusNotFound {
			t.Errorf("POST %s: status %d, want 404", path, rec.Code)
		}
	}
	det := *d.detention
	det.Events = append([]habeas.Event(nil), d.detention.Events...)
	det.Events[0].Monitoring = &habeas.TrialMonitoring{Monitor: "m", Checks: map[string]habeas.Answer{"public_hearing": habeas.AnswerNo}}
	var eb webtest.ErrorBody
	if code := cw.Put(t, "/api/v1/detentions/"+d.detention.ID, det, &eb); code != http.StatusBadRequest ||
		!eb.HasField("events[0].monitoring", "is not used with event type arrest") {
		t.Errorf("PUT a checklist on an arrest: status %d, %+v", code, eb)
	}
	if after := env.State(t); after.String() != before.String() {
		t.Errorf("refused writes wrote: %v, then %v", before, after)
	}
}

// A hearing where the monitor recorded a statement admitted, after an
// allegation that says a statement was obtained by ill-treatment, is
// flagged on the list and on its page (Convention against Torture,
// art. 15); the one before the allegation is not.
func TestTrialStatementFlag(t *testing.T) {
	env := webtest.New(t)
	d := newDeaths(t, env)
	cw, viewer := env.As(t, habeas.RoleCaseworker), env.As(t, habeas.RoleViewer)
	ctx := context.Background()
	det, err := env.Store.FindDetentionByID(ctx, d.detention.ID)
	if err != nil {
		t.Fatal(err)
	}
	det.Events[1].Allegation.StatementObtained = new(true) // e2, 6 January
	if _, err := env.Store.Apply(habeas.WithActor(ctx, "fixture"), []habeas.Mutation{{Op: habeas.OpUpdate, Entity: det}}); err != nil {
		t.Fatal(err)
	}
	trial, appearance := "/trials/"+d.detention.ID+"/e4", "/trials/"+d.detention.ID+"/e3"
	for _, path := range []string{trial, appearance} {
		if rec := cw.Submit(path, url.Values{"monitor": {"Monitor 7 (synthetic)"}, "statement_admitted": {"yes"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("POST %s: %d: %s", path, rec.Code, rec.Body)
		}
	}
	body := get(t, cw, trial, http.StatusOK)
	for _, w := range []string{"For the trial monitor: evidence alleged to be obtained by ill-treatment", `href="/detentions/` + d.detention.ID + `#allegation-e2"`,
		"Convention against Torture (1984), art. 15", `name="statement_admitted" value="yes" checked`} {
		if !strings.Contains(body, w) {
			t.Errorf("hearing page lacks %q", w)
		}
	}
	// The appearance of 8 January came after the allegation too: flagged.
	// Recorded as no statement admitted, it is not.
	if rec := cw.Submit(appearance, url.Values{"monitor": {"Monitor 7 (synthetic)"}, "statement_admitted": {"no"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("POST %s: %d", appearance, rec.Code)
	}
	if body := get(t, viewer, appearance, http.StatusOK); strings.Contains(body, "For the trial monitor") {
		t.Errorf("a hearing where no statement was admitted is flagged")
	}
	body = get(t, viewer, "/trials?statement=true", http.StatusOK)
	if !strings.Contains(body, `<span class="total">1</span>`) || !strings.Contains(body, "CAT art. 15: check the evidence") ||
		!strings.Contains(body, `href="`+trial+`"`) {
		t.Errorf("the statement filter does not list the one flagged hearing: %s", body)
	}
	if body := get(t, viewer, trial+"?lang=kk", http.StatusOK); !strings.Contains(body, "Бақылаушы үшін") {
		t.Errorf("the flag is not in Kazakh")
	}
}
