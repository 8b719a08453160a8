package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/web/webtest"
)

// deaths is a small register of casualties and investigations, all
// synthetic:
//
//   - Killed: shot in Almaty on 6 January 2022; no autopsy; investigated
//     by the city police department, the agency implicated, opened three
//     days later.
//   - Unprobed: killed in Taraz on 7 January 2022; no investigation known.
//   - Injured: beaten in Aktau on 5 January 2022; a complaint filed, no case.
//   - Detainee: held in Almaty, alleging ill-treatment on 6 January; the
//     Anti-Corruption Agency opened a case 20 days later, past the 10 days
//     allowed, left the witnesses unprotected, and closed it.
//   - A trial hearing and a court appearance of the detainee, unmonitored.
type deaths struct {
	src                          *habeas.Source
	killedP, unprobedP, injuredP *habeas.Person
	detaineeP                    *habeas.Person
	killed, unprobed, injured    *habeas.Casualty
	detention                    *habeas.Detention
	policeInv, complaint, late   *habeas.Investigation
}

// judgeAt is the moment the fixture's checklists are judged at.
const judgeAt = "2022-03-01T12:00:00Z"

func newDeaths(t *testing.T, env *webtest.Env) *deaths {
	t.Helper()
	d := &deaths{src: webtest.Source("Monitor report on January deaths", habeas.SourceOwnMonitor, "B", 2)}
	d.killedP = webtest.Person("Асхат Темірбеков", d.src)
	d.unprobedP = webtest.Person("Marat Ospanov", d.src)
	d.injuredP = webtest.Person("Гүлнар Серікова", d.src)
	d.detaineeP = webtest.Person("Dauren Abenov", d.src)
	d.killed = &habeas.Casualty{ID: habeas.NewID(habeas.KindCasualty), Kind: habeas.CasualtyKilled, PersonID: d.killedP.ID,
		At: time.Date(2022, 1, 6, 16, 0, 0, 0, almaty), City: "almaty", Place: "Republic Square", Cause: "gunshot",
		Autopsy: new(false), Sources: []string{d.src.ID}}
	d.unprobed = &habeas.Casualty{ID: habeas.NewID(habeas.KindCasualty), Kind: habeas.CasualtyKilled, PersonID: d.unprobedP.ID,
		At: time.Date(2022, 1, 7, 11, 0, 0, 0, almaty), City: "taraz", Cause: "gunshot", Sources: []string{d.src.ID}}
	d.injured = &habeas.Casualty{ID: habeas.NewID(habeas.KindCasualty), Kind: habeas.CasualtyInjured, PersonID: d.injuredP.ID,
		At: time.Date(2022, 1, 5, 19, 0, 0, 0, aqtau), City: "aktau", Cause: "blunt_trauma", Sources: []string{d.src.ID}}
	d.detention = &habeas.Detention{ID: habeas.NewID(habeas.KindDetention), PersonID: d.detaineeP.ID, City: "almaty",
		Procedure: habeas.ProcedureCriminal, Events: []habeas.Event{
			{ID: "e1", Type: habeas.EventArrest, At: time.Date(2022, 1, 6, 9, 0, 0, 0, almaty), Sources: []string{d.src.ID}},
			{ID: "e2", Type: habeas.EventIllTreatment, At: time.Date(2022, 1, 6, 22, 0, 0, 0, almaty),
				Allegation: &habeas.Allegation{Methods: []string{"beating"}}, Sources: []string{d.src.ID}},
			{ID: "e3", Type: habeas.EventCourtAppearance, At: time.Date(2022, 1, 8, 11, 0, 0, 0, almaty), Body: "Almaly district court",
				Decision: &habeas.Decision{Kind: habeas.DecisionCustody, Days: 60}, Sources: []string{d.src.ID}},
			{ID: "e4", Type: habeas.EventTrialHearing, At: time.Date(2022, 4, 12, 10, 0, 0, 0, almaty), Body: "Specialised inter-district criminal court",
				Sources: []string{d.src.ID}},
		}}
	d.policeInv = &habeas.Investigation{ID: habeas.NewID(habeas.KindInvestigation), CasualtyID: d.killed.ID,
		Authority: "Almaty city police department", AuthorityImplicated: new(true), FamilyInformed: new(true),
		Opened: time.Date(2022, 1, 9, 10, 0, 0, 0, almaty), CaseNumber: "2201-7510-0001", Status: habeas.InvestigationOpen}
	d.complaint = &habeas.Investigation{ID: habeas.NewID(habeas.KindInvestigation), CasualtyID: d.injured.ID,
		Authority: "Mangystau regional prosecutor's office", Status: habeas.InvestigationRequested}
	d.late = &habeas.Investigation{ID: habeas.NewID(habeas.KindInvestigation), DetentionID: d.detention.ID, AllegationEventID: "e2",
		Authority: "Anti-Corruption Agency", AuthorityImplicated: new(false), Opened: time.Date(2022, 1, 26, 12, 0, 0, 0, almaty),
		WitnessesProtected: new(false), Status: habeas.InvestigationClosed}
	env.Create(t, d.src, d.killedP, d.unprobedP, d.injuredP, d.detaineeP, d.killed, d.unprobed, d.injured, d.detention,
		d.policeInv, d.complaint, d.late)
	return d
}

// get fetches a page as c and fails unless it answers want.
func get(t *testing.T, c *webtest.Client, path string, want int) string {
	t.Helper()
	rec := c.Get(path)
	if rec.Code != want {
		t.Fatalf("GET %s: status %d, want %d: %s", path, rec.Code, want, rec.Body)
	}
	return html.UnescapeString(rec.Body.String())
}

func TestCasualtyRegister(t *testing.T) {
	env := webtest.New(t)
	d := newDeaths(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	tests := []struct {
		name      string
		path      string
		want      []string
		wantNot   []string
		wantTotal string
	}{
		{"all, latest first", "/casualties", []string{"Marat Ospanov", "Асхат Темірбеков", "Гүлнар Серікова"}, nil, "3"},
		{"killed", "/casualties?kind=killed", []string{"Marat Ospanov", "Асхат Темірбеков"}, []string{"Гүлнар Серікова"}, "2"},
		{"by city", "/casualties?city=aktau", []string{"Гүлнар Серікова", "blunt trauma", "2022-01-05 19:00 +05 Asia/Aqtau"}, []string{"Marat Ospanov"}, "1"},
		{"by cause", "/casualties?cause=gunshot&city=almaty", []string{"Асхат Темірбеков", "gunshot wound"}, []string{"Marat Ospanov"}, "1"},
		{"by date, in the city's zone", "/casualties?from=2022-01-07&to=2022-01-07&city=taraz", []string{"Marat Ospanov"}, nil, "1"},
		{"without an investigation", "/casualties?investigation=none", []string{"Marat Ospanov", "none known"}, []string{"Асхат Темірбеков"}, "1"},
		{"with any investigation", "/casualties?investigation=any", []string{"Асхат Темірбеков", "Гүлнар Серікова"}, []string{"Marat Ospanov"}, "2"},
		{"by investigation status", "/casualties?investigation=requested",
			[]string{"Гүлнар Серікова", `href="/investigations/` + d.complaint.ID + `"`, "complaint filed", "Mangystau regional prosecutor"},
			[]string{"Асхат Темірбеков"}, "1"},
		{"links to the person and the investigation", "/casualties?kind=killed&city=almaty",
			[]string{`href="/persons/` + d.killedP.ID + `"`, `href="/investigations/` + d.policeInv.ID + `"`, "open"}, nil, "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := get(t, viewer, tt.path, http.StatusOK)
			if want := `<span class="total">` + tt.wantTotal + `</span>`; !strings.Contains(body, want) {
				t.Errorf("page lacks the count %s", want)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(body, w) {
					t.Errorf("page shows %q, which the filter excludes", w)
				}
			}
		})
	}
	if body := get(t, viewer, "/casualties", http.StatusOK); strings.Index(body, "Marat Ospanov") > strings.Index(body, "Гүлнар Серікова") {
		t.Error("the register is not latest first")
	}

	// The API answers the same filters.
	var list struct {
		Items []casework.CasualtyItem `json:"items"`
		Total int                     `json:"total"`
	}
	if code := viewer.JSON(t, "GET", "/api/v1/casualties?investigation=open&cause=gunshot", nil, &list); code != http.StatusOK ||
		list.Total != 1 || list.Items[0].ID != d.killed.ID || len(list.Items[0].Investigations) != 1 || list.Items[0].Investigations[0].ID != d.policeInv.ID {
		t.Fatalf("API: status %d, %+v", code, list)
	}

	// In Russian and Kazakh: every word translated, plurals by CLDR.
	for _, tt := range []struct{ lang, title, count, cause string }{
		{"ru", "Погибшие и раненые", "<span class=\"total\">3</span> жертвы", "огнестрельное ранение"},
		{"kk", "Қаза тапқандар мен жараланғандар", "<span class=\"total\">3</span> зардап шегуші", "оқ жарақаты"},
	} {
		body := get(t, viewer, "/casualties?lang="+tt.lang, http.StatusOK)
		for _, w := range []string{tt.title, tt.count, tt.cause} {
			if !strings.Contains(body, w) {
				t.Errorf("%s: page lacks %q", tt.lang, w)
			}
		}
		if m := missingMessage.FindString(body); m != "" {
			t.Errorf("%s: untranslated message %s", tt.lang, m)
		}
	}
	if body := get(t, viewer, "/casualties?lang=ru&kind=killed", http.StatusOK); !strings.Contains(body, "<span class=\"total\">2</span> жертвы") {
		t.Error("ru: two casualties are not «2 жертвы»")
	}
	body := get(t, viewer, "/casualties?lang=ru&investigation=maybe", http.StatusBadRequest)
	if !strings.Contains(body, `"maybe" — недопустимое значение`) {
		t.Errorf("ru: an invalid filter is not explained in Russian: %s", body)
	}
}

func TestInvestigationTracker(t *testing.T) {
	env := webtest.New(t)
	d := newDeaths(t, env)
	viewer := env.As(t, habeas.RoleViewer)

	var l casework.InvestigationList
	if code := viewer.JSON(t, "GET", "/api/v1/investigations?at="+judgeAt, nil, &l); code != http.StatusOK || l.Total != 3 {
		t.Fatalf("GET /api/v1/investigations: status %d, total %d, want 3", code, l.Total)
	}
	byID := map[string]casework.InvestigationItem{}
	for _, it := range l.Items {
		byID[it.ID] = it
	}
	state := func(it casework.InvestigationItem, name string) string {
		for _, c := range it.Checks {
			if c.Name == name {
				return c.State
			}
		}
		return "absent"
	}
	tests := []struct {
		name, id, check, want string
	}{
		{"police investigating police fails independence", d.policeInv.ID, "independent", casework.CheckNo},
		{"opened in 3 days is prompt", d.policeInv.ID, "investigation_opened", casework.CheckYes},
		{"no autopsy fails", d.policeInv.ID, "autopsy", casework.CheckNo},
		{"family informed", d.policeInv.ID, "family_informed", casework.CheckYes},
		{"evidence not recorded is unknown", d.policeInv.ID, "evidence_preserved", casework.CheckUnknown},
		{"results not due while open", d.policeInv.ID, "results_public", casework.CheckPending},
		{"opened after 20 days is late", d.late.ID, "investigation_opened", casework.CheckNo},
		{"an allegation's investigation is independent", d.late.ID, "independent", casework.CheckYes},
		{"no autopsy for an allegation", d.late.ID, "autopsy", casework.CheckNotApplicable},
		{"closed: results now due", d.late.ID, "results_public", casework.CheckUnknown},
		{"witnesses left unprotected", d.late.ID, "witnesses_protected", casework.CheckNo},
		{"an injury has no time rule", d.complaint.ID, "investigation_opened", casework.CheckNotApplicable},
		{"a complaint awaiting a case", d.complaint.ID, "not_refused", casework.CheckPending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := state(byID[tt.id], tt.check); got != tt.want {
				t.Errorf("%s: got %s, want %s", tt.check, got, tt.want)
			}
		})
	}
	if it := byID[d.policeInv.ID]; it.Standing != casework.StandingFailing || it.Of != casework.OfDeath || it.RuleID != "international.death-investigation" {
		t.Errorf("police investigation: standing %s, of %s, rule %s", it.Standing, it.Of, it.RuleID)
	}
	if it := byID[d.late.ID]; it.RuleID != "international.ill-treatment-investigation" ||
		!it.Deadline.Equal(time.Date(2022, 1, 16, 22, 0, 0, 0, almaty)) {
		t.Errorf("late investigation: rule %s, deadline %v", it.RuleID, it.Deadline)
	}
	// Failing first: the two failing before the complaint, which only waits.
	if last := l.Items[len(l.Items)-1]; last.ID != d.complaint.ID {
		t.Errorf("last in the tracker: %s (%s), want the complaint, which fails nothing", last.ID, last.Standing)
	}

	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"check=independent", []string{d.policeInv.ID}},
		{"status=closed", []string{d.late.ID}},
		{"of=injury", []string{d.complaint.ID}},
		{"failing=true&city=almaty", []string{d.policeInv.ID, d.late.ID}},
		{"city=aktau&failing=true", nil},
	} {
		var l casework.InvestigationList
		if code := viewer.JSON(t, "GET", "/api/v1/investigations?at="+judgeAt+"&"+tt.query, nil, &l); code != http.StatusOK {
			t.Fatalf("%s: status %d", tt.query, code)
		}
		var got []string
		for _, it := range l.Items {
			got = append(got, it.ID)
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s: got %v, want %v", tt.query, got, tt.want)
		}
	}

	// The page shows the same.
	body := get(t, viewer, "/investigations?check=independent&at="+judgeAt, http.StatusOK)
	for _, w := range []string{"Асхат Темірбеков", "Almaty city police department", "(implicated)", "Independent of the agency implicated",
		"Autopsy performed", `<span class="total">1</span> investigation`} {
		if !strings.Contains(body, w) {
			t.Errorf("tracker page lacks %q", w)
		}
	}
	if strings.Contains(body, "Dauren Abenov") {
		t.Error("tracker page shows an investigation the filter excludes")
	}
	body = get(t, viewer, "/investigations/"+d.policeInv.ID+"?at="+judgeAt, http.StatusOK)
	for _, w := range []string{"Minnesota Protocol checklist", "Independent of the agency implicated", "Minnesota Protocol (2016): independence and impartiality",
		"ICCPR art. 6", "2022-01-09 10:00 +06 Asia/Almaty", "2201-7510-0001", "checks failed"} {
		if !strings.Contains(body, w) {
			t.Errorf("investigation page lacks %q", w)
		}
	}
	if strings.Contains(body, `action="/investigations/`) {
		t.Error("a viewer is offered the update form")
	}
	body = get(t, viewer, "/investigations/"+d.late.ID+"?at="+judgeAt, http.StatusOK)
	for _, w := range []string{"Convention against Torture", "/detentions/" + d.detention.ID, "2022-01-16 22:00 +06 Asia/Almaty"} {
		if !strings.Contains(body, w) {
			t.Errorf("allegation's investigation page lacks %q", w)
		}
	}
	get(t, viewer, "/investigations/inv_nosuchthing0000", http.StatusNotFound)
	get(t, viewer, "/investigations?check=bogus", http.StatusBadRequest)
}

func TestInvestigationUpdate(t *testing.T) {
	env := webtest.New(t)
	d := newDeaths(t, env)
	cw := env.As(t, habeas.RoleCaseworker)
	path := "/investigations/" + d.policeInv.ID

	body := get(t, cw, path, http.StatusOK)
	for _, w := range []string{`action="` + path + `"`, `name="authority_implicated" value="yes" checked`, `name="autopsy" value="no" checked`,
		`name="evidence_preserved" value="" checked`, `value="2022-01-09T10:00"`} {
		if !strings.Contains(body, w) {
			t.Errorf("form lacks %q", w)
		}
	}
	form := url.Values{"status": {"sent_to_court"}, "opened": {"2022-01-09T10:00"}, "case_number": {"2201-7510-0001"},
		"authority_implicated": {"no"}, "family_informed": {"yes"}, "evidence_preserved": {"yes"}, "witnesses_heard": {"no"},
		"results_public": {"yes"}, "autopsy": {"yes"}, "body_returned": {"yes"}}
	rec := cw.Submit(path, form)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != path {
		t.Fatalf("POST %s: status %d, location %q: %s", path, rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	ctx := context.Background()
	e, err := env.Store.Find(ctx, habeas.KindInvestigation, d.policeInv.ID)
	if err != nil {
		t.Fatal(err)
	}
	inv := e.(*habeas.Investigation)
	if inv.Status != habeas.InvestigationSentToCourt || *inv.AuthorityImplicated || !*inv.EvidencePreserved || *inv.WitnessesHeard ||
		inv.VictimIdentified != nil || !inv.Opened.Equal(d.policeInv.Opened) {
		t.Errorf("stored investigation: %+v", inv)
	}
	e, err = env.Store.Find(ctx, habeas.KindCasualty, d.killed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c := e.(*habeas.Casualty); c.Autopsy == nil || !*c.Autopsy || c.BodyReturned == nil || !*c.BodyReturned {
		t.Errorf("stored casualty: autopsy %v, body returned %v", c.Autopsy, c.BodyReturned)
	}
	for _, id := range []string{d.policeInv.ID, d.killed.ID} {
		h, err := env.Store.History(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if last := h[len(h)-1]; len(h) != 2 || last.Actor != "caseworker" || last.Op != habeas.OpUpdate {
			t.Errorf("history of %s: %d changes, last by %q (%s)", id, len(h), last.Actor, last.Op)
		}
	}
	body = get(t, cw, path+"?at="+judgeAt, http.StatusOK)
	if !strings.Contains(body, "<td>caseworker</td>") {
		t.Error("the page's history does not show the caseworker's change")
	}
	var it casework.InvestigationItem
	cw.JSON(t, "GET", "/api/v1/investigations/"+d.policeInv.ID+"/checklist?at="+judgeAt, nil, &it)
	if len(it.Failed) != 1 || it.Failed[0] != "witnesses_heard" {
		t.Errorf("after the update, failed checks %v, want only witnesses_heard", it.Failed)
	}

	// Saving the form unchanged writes nothing.
	before := env.State(t)
	if rec := cw.Submit(path, form); rec.Code != http.StatusSeeOther {
		t.Fatalf("POST unchanged: status %d", rec.Code)
	}
	if after := env.State(t); after.String() != before.String() {
		t.Errorf("an unchanged form wrote: %v, then %v", before, after)
	}
}

func TestInvestigationUpdateInvalid(t *testing.T) {
	env := webtest.New(t)
	d := newDeaths(t, env)
	cw := env.As(t, habeas.RoleCaseworker)
	path := "/investigations/" + d.complaint.ID
	tests := []struct {
		name    string
		lang    string
		form    url.Values
		field   string
		reasons []string
	}{
		{"an act of a case never opened", "ru", url.Values{"status": {"requested"}, "evidence_preserved": {"yes"}},
			"evidence_preserved", []string{"не может быть «да», пока дело не возбуждено", "Ничего не сохранено"}},
		{"open without a date", "ru", url.Values{"status": {"open"}},
			"opened", []string{"обязательно, если дело возбуждено"}},
		{"a date that is not one", "kk", url.Values{"status": {"open"}, "opened": {"9 January"}},
			"opened", []string{`"9 January" — күн мен уақыт емес`, "Ештеңе сақталмады"}},
		{"an answer that is not one", "en", url.Values{"status": {"requested"}, "family_informed": {"maybe"}},
			"family_informed", []string{`"maybe" is not yes, no or unknown`}},
		{"a status that is not one", "ru", url.Values{"status": {"forgotten"}}, "status", []string{`"forgotten" — недопустимое значение`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := env.State(t)
			rec := cw.Submit(path+"?lang="+tt.lang, tt.form)
			body := html.UnescapeString(rec.Body.String())
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", rec.Code, body)
			}
			for _, w := range append(tt.reasons, `role="alert"`, `href="#f-`+tt.field+`"`, `id="e-`+tt.field+`"`, `aria-invalid="true"`) {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if !regexp.MustCompile(`aria-describedby="[^"]*\be-` + tt.field + `"`).MatchString(body) {
				t.Errorf("the field %s is not described by its error", tt.field)
			}
			if m := missingMessage.FindString(body); m != "" {
				t.Errorf("untranslated message %s", m)
			}
			if after := env.State(t); after.String() != before.String() {
				t.Errorf("an invalid form wrote: %v, then %v", before, after)
			}
		})
	}
	// What was typed stays in the form.
	body := html.UnescapeString(cw.Submit(path, url.Values{"status": {"open"}, "case_number": {"K-42"}}).Body.String())
	if !strings.Contains(body, `value="K-42"`) || !strings.Contains(body, `<option value="open" selected>`) {
		t.Error("the refused form does not keep what was typed")
	}
}

// Reading is for every role; writing only for writers.
func TestChecklistFormsNeedWriters(t *testing.T) {
	env := webtest.New(t)
	d := newDeaths(t, env)
	viewer, lawyer := env.As(t, habeas.RoleViewer), env.As(t, habeas.RoleLawyer)
	before := env.State(t)
	for _, c := range []*webtest.Client{viewer, lawyer} {
		for _, path := range []string{"/investigations/" + d.policeInv.ID, "/trials/" + d.detention.ID + "/e4"} {
			if rec := c.PostForm(path, url.Values{"status": {"open"}, "monitor": {"m"}}); rec.Code != http.StatusForbidden {
				t.Errorf("%s POST %s: status %d, want 403", c.Name, path, rec.Code)
			}
		}
	}
	if after := env.State(t); after.String() != before.String() {
		t.Errorf("a refused POST wrote: %v, then %v", before, after)
	}
}

// The pages of this area exist in every language, carry no inline script
// or style, and say who may change what.
func TestInvestigationPagesTranslated(t *testing.T) {
	env := webtest.New(t)
	d := newDeaths(t, env)
	cw := env.As(t, habeas.RoleCaseworker)
	paths := []string{"/casualties", "/investigations?at=" + judgeAt, "/investigations/" + d.policeInv.ID, "/investigations/" + d.late.ID,
		"/investigations/" + d.complaint.ID, "/trials", "/trials/" + d.detention.ID + "/e3", "/trials/" + d.detention.ID + "/e4"}
	words := map[string][]string{
		"ru": {"Миннесотск", "Расследовани", "Мониторинг судебных процессов", "Гарантии справедливого суда"},
		"kk": {"Миннесота хаттамасы", "Тергеу", "Сот процестерінің мониторингі", "Әділ сот талқылауының кепілдіктері"},
	}
	for _, lang := range []string{"ru", "kk"} {
		seen := ""
		for _, p := range paths {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			body := get(t, cw, p+sep+"lang="+lang, http.StatusOK)
			if strings.Contains(body, "[inv.") {
				t.Errorf("%s %s: a message of this area is missing", lang, p)
			}
			if m := missingMessage.FindString(body); m != "" {
				t.Errorf("%s %s: untranslated message %s", lang, p, m)
			}
			if !strings.Contains(body, `<html lang="`+lang+`">`) {
				t.Errorf("%s %s: not marked as %s", lang, p, lang)
			}
			checkNoInline(t, p, body)
			if len(body) > 100_000 {
				t.Errorf("%s %s: %d bytes, over 100 KB", lang, p, len(body))
			}
			seen += body
		}
		for _, w := range words[lang] {
			if !strings.Contains(seen, w) {
				t.Errorf("%s: the pages never say %q", lang, w)
			}
		}
	}
}
