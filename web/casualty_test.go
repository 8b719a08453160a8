package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web/webtest"
)

// shootings is a small synthetic register of casualties on both sides of
// the use-of-force checks' boundaries:
//
//   - shot: killed by police in Almaty; the record says no warning was
//     given, and medical aid came three hours later;
//   - silent: killed by gunshot in Almaty, by security forces, nothing
//     else recorded;
//   - civilian: injured by gunshot, by a civilian.
type shootings struct {
	src                     *habeas.Source
	shot, silent, civilian  *habeas.Casualty
	shotP, silentP, civileP *habeas.Person
}

func newShootings(t *testing.T, env *webtest.Env) *shootings {
	t.Helper()
	f := &shootings{src: webtest.Source("Synthetic eyewitness account", habeas.SourceWitness, "B", 2)}
	f.shotP = webtest.Person("Ерлан Тестов", f.src)
	f.silentP = webtest.Person("Aidar Testov", f.src)
	f.civileP = webtest.Person("Гүлжан Тестова", f.src)
	at := time.Date(2022, 1, 6, 16, 0, 0, 0, almaty)
	said := func(a habeas.Answer) *habeas.ForceFact {
		return &habeas.ForceFact{Answer: a, Sources: []string{f.src.ID}}
	}
	aid := said(habeas.AnswerYes)
	aid.At = at.Add(3 * time.Hour)
	f.shot = &habeas.Casualty{ID: habeas.NewID(habeas.KindCasualty), Kind: habeas.CasualtyKilled, PersonID: f.shotP.ID, At: at,
		City: "almaty", Place: "Republic Square", Cause: "gunshot", AllegedPerpetrator: "police", BySecurityForces: new(true),
		UseOfForce: &habeas.UseOfForce{Warning: &habeas.ForceFact{Answer: habeas.AnswerNo, Sources: []string{f.src.ID}, Note: "fired straight away"},
			MedicalAid: aid}, Sources: []string{f.src.ID}}
	f.silent = &habeas.Casualty{ID: habeas.NewID(habeas.KindCasualty), Kind: habeas.CasualtyKilled, PersonID: f.silentP.ID, At: at.Add(time.Hour),
		City: "almaty", Cause: "gunshot", BySecurityForces: new(true), Sources: []string{f.src.ID}}
	f.civilian = &habeas.Casualty{ID: habeas.NewID(habeas.KindCasualty), Kind: habeas.CasualtyInjured, PersonID: f.civileP.ID, At: at,
		City: "almaty", Cause: "gunshot", BySecurityForces: new(false), Sources: []string{f.src.ID}}
	env.Create(t, f.src, f.shotP, f.silentP, f.civileP, f.shot, f.silent, f.civilian)
	return f
}

func TestCasualtyPage(t *testing.T) {
	env := webtest.New(t)
	f := newShootings(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	tests := []struct {
		name    string
		path    string
		want    []string
		wantNot []string
	}{
		{"a killing without warning", "/casualties/" + f.shot.ID, []string{
			"Use of force: UN Basic Principles on the Use of Force and Firearms",
			`<tr id="force-warning">`, "Warning given, with time to heed it", "breached", "<li>Warning: no — <q>fired straight away</q></li>",
			"principle 10", "<li>Medical aid: yes</li>", "2022-01-06 19:00 +06 Asia/Almaty, 3 h after",
			"later than this project's working reading", "unverified", "Synthetic eyewitness account",
			"whether there was an imminent threat is not recorded", "Principle 10 allows firearms without a warning only"},
			[]string{"Record the use of force"}},
		{"nothing recorded", "/casualties/" + f.silent.ID, []string{"not recorded", "whether a warning was given is not recorded"},
			[]string{`<strong class="state state-overdue">breached</strong>`}},
		{"a civilian's shot", "/casualties/" + f.civilian.ID, []string{"someone other than security forces caused it"},
			[]string{`<tr id="force-warning">`}},
		{"in Russian", "/casualties/" + f.shot.ID + "?lang=ru", []string{"Основные принципы ООН", "нарушено", "Предупреждение: нет"}, nil},
		{"in Kazakh", "/casualties/" + f.shot.ID + "?lang=kk", []string{"негізгі қағидаттары", "бұзылған", "Ескерту: жоқ"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := get(t, viewer, tt.path, http.StatusOK)
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(body, w) {
					t.Errorf("page has %q", w)
				}
			}
		})
	}
	get(t, viewer, "/casualties/cas_nothing1", http.StatusNotFound)
}

func TestCasualtyRegisterForce(t *testing.T) {
	env := webtest.New(t)
	f := newShootings(t, env)
	body := get(t, env.As(t, habeas.RoleViewer), "/casualties", http.StatusOK)
	for _, w := range []string{`href="/casualties/` + f.shot.ID + `#cas-force"`, "breached:</strong> Warning given, with time to heed it",
		"(4 not recorded)", "not by security forces", "Use of force in numbers",
		`Killings: <span class="group-total">2</span>`, `Firearm injuries: <span class="group-total">1</span>`,
		"by security forces, as alleged: 2; by others: 0; who caused it not recorded: 0"} {
		if !strings.Contains(body, w) {
			t.Errorf("register lacks %q", w)
		}
	}
	// The warning row of the killings: 0 respected, 1 breached, 1 not recorded.
	if !strings.Contains(body, `Warning given, with time to heed it</th>
      <td class="num">0</td><td class="num">1</td><td class="num">1</td>`) {
		t.Errorf("the killings' warning counts are not 0, 1, 1")
	}
}

func TestCasualtyForm(t *testing.T) {
	env := webtest.New(t)
	f := newShootings(t, env)
	cw, viewer := env.As(t, habeas.RoleCaseworker), env.As(t, habeas.RoleViewer)
	path := "/casualties/" + f.silent.ID
	if rec := viewer.PostForm(path, url.Values{"warning.answer": {"no"}}); rec.Code != http.StatusForbidden {
		t.Errorf("a viewer's POST: status %d, want 403", rec.Code)
	}
	before := env.State(t)
	// A new answer without a source is refused, and nothing is written.
	rec := cw.Submit(path, url.Values{"warning.answer": {"no"}})
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "f-source") {
		t.Fatalf("an answer without a source: status %d: %s", rec.Code, rec.Body)
	}
	// A time given without an answer, and one before the casualty, are refused.
	rec = cw.Submit(path, url.Values{"medical_aid.at": {"2022-01-06T18:00"}, "relatives_told.answer": {"yes"},
		"relatives_told.at": {"2022-01-01T10:00"}, "source": {f.src.ID}})
	if body := rec.Body.String(); rec.Code != http.StatusBadRequest || !strings.Contains(body, "answer yes or no, or clear the time") ||
		!strings.Contains(body, "is before the casualty") {
		t.Fatalf("a time without an answer: status %d: %s", rec.Code, body)
	}
	if after := env.State(t); after.String() != before.String() {
		t.Fatalf("refused forms wrote: %v, then %v", before, after)
	}
	// Answers with a source described anew land in one batch, each tied to it.
	rec = cw.Submit(path, url.Values{"by_security_forces": {"yes"}, "warning.answer": {"yes"}, "time_to_heed.answer": {"no"}, "warning.note": {"a shout, then shots"},
		"medical_aid.answer": {"yes"}, "medical_aid.at": {"2022-01-06T17:30"},
		"source_title": {"Synthetic video of the square"}, "source_kind": {"media"}, "source_grade": {"C3"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != path {
		t.Fatalf("POST: status %d, location %q: %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	e, err := env.Store.Find(context.Background(), habeas.KindCasualty, f.silent.ID)
	if err != nil {
		t.Fatal(err)
	}
	u := e.(*habeas.Casualty).UseOfForce
	if u == nil || !u.Warning.Yes() || !u.TimeToHeed.No() || !u.MedicalAid.Yes() || u.ImminentThreat != nil ||
		u.Warning.Note != "a shout, then shots" || !u.MedicalAid.At.Equal(time.Date(2022, 1, 6, 17, 30, 0, 0, almaty)) {
		t.Fatalf("stored account: %+v", u)
	}
	newSrc := u.Warning.Sources
	if len(newSrc) != 1 || newSrc[0] == f.src.ID || !slices.Equal(u.MedicalAid.Sources, newSrc) {
		t.Errorf("sources: warning %v, medical aid %v; want the new source for both", newSrc, u.MedicalAid.Sources)
	}
	body := get(t, viewer, path, http.StatusOK)
	for _, w := range []string{"Synthetic video of the square", `<tr id="force-warning">`, "<li>Time to heed it: no</li>", "30 min after"} {
		if !strings.Contains(body, w) {
			t.Errorf("page after the save lacks %q", w)
		}
	}
	// The same answer, a note changed from the older source: kept, the
	// source added; an answer cleared is dropped.
	rec = cw.Submit(path, url.Values{"by_security_forces": {"yes"}, "warning.answer": {"yes"}, "time_to_heed.answer": {"no"}, "warning.note": {"a shout, shots at once"},
		"medical_aid.answer": {""}, "medical_aid.at": {""}, "source": {f.src.ID}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("second POST: status %d: %s", rec.Code, rec.Body)
	}
	e, _ = env.Store.Find(context.Background(), habeas.KindCasualty, f.silent.ID)
	u = e.(*habeas.Casualty).UseOfForce
	if u.MedicalAid != nil || len(u.Warning.Sources) != 2 || len(u.TimeToHeed.Sources) != 1 {
		t.Errorf("after the second save: %+v", u)
	}
}

// A form saved over a record someone else changed since is refused with
// 409 and the record as it is now.
func TestCasualtyFormConflict(t *testing.T) {
	env := webtest.New(t)
	f := newShootings(t, env)
	cw := env.As(t, habeas.RoleCaseworker)
	path := "/casualties/" + f.silent.ID
	stale := cw.Get(path).Body.String()
	if rec := cw.Submit(path, url.Values{"by_security_forces": {"yes"}, "imminent_threat.answer": {"no"}, "source": {f.src.ID}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("first save: %d", rec.Code)
	}
	version := hiddenValue(stale, "version")
	rec := cw.PostForm(path, url.Values{"version": {version}, "by_security_forces": {"yes"}, "imminent_threat.answer": {"yes"}, "source": {f.src.ID}})
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "someone else saved this casualty") {
		t.Fatalf("stale save: status %d: %s", rec.Code, rec.Body)
	}
}

// hiddenValue is the value of a hidden field of a page.
func hiddenValue(page, name string) string {
	_, rest, _ := strings.Cut(page, `<input type="hidden" name="`+name+`" value="`)
	v, _, _ := strings.Cut(rest, `"`)
	return v
}
