package web_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web/webtest"
)

var (
	almaty = time.FixedZone("+06", 6*3600) // Asia/Almaty in January 2022
	aqtau  = time.FixedZone("+05", 5*3600) // Asia/Aqtau
)

// fixture is one detainee in Almaty whose sources disagree on the arrest,
// with a lawyer, an injury in custody, its investigation and evidence, and
// another detainee in Aktau.
type fixture struct {
	sister, police, monitor *habeas.Source
	person, other           *habeas.Person
	almaty, aktau           *habeas.Detention
	casualty                *habeas.Casualty
}

func newFixture(t *testing.T, env *webtest.Env) *fixture {
	t.Helper()
	f := &fixture{
		sister:  webtest.Source("Call from the detainee's sister", habeas.SourceRelative, "C", 3),
		police:  webtest.Source("Almaty police list of 7 January", habeas.SourceOfficialList, "B", 2),
		monitor: webtest.Source("Aktau monitor report", habeas.SourceOwnMonitor, "A", 2),
	}
	f.person = webtest.Person("Серик Жумабаев", f.sister)
	f.person.Names = append(f.person.Names, habeas.NameVariant{Text: "Serik Zhumabayev", Kind: habeas.NameTransliteration, SourceID: f.police.ID})
	f.other = webtest.Person("Aigul Bekova", f.monitor)
	f.almaty = &habeas.Detention{ID: habeas.NewID(habeas.KindDetention), PersonID: f.person.ID, City: "almaty", Procedure: habeas.ProcedureCriminal,
		Events: []habeas.Event{
			{Type: habeas.EventArrest, At: time.Date(2022, 1, 5, 14, 30, 0, 0, almaty), Place: "Republic Square", Body: "riot police", Sources: []string{f.sister.ID}},
			{Type: habeas.EventArrest, At: time.Date(2022, 1, 6, 9, 0, 0, 0, almaty), Place: "Almaty police department", Body: "city police", Sources: []string{f.police.ID}},
			{Type: habeas.EventProtocol, At: time.Date(2022, 1, 6, 10, 0, 0, 0, almaty), Sources: []string{f.police.ID}},
			{Type: habeas.EventCharge, At: time.Date(2022, 1, 7, 12, 0, 0, 0, almaty), Charge: &habeas.Charge{Code: "CC", Article: "272", Part: "2", Text: "participation in mass riots"}, Sources: []string{f.police.ID}},
			{Type: habeas.EventCourtAppearance, At: time.Date(2022, 1, 8, 11, 0, 0, 0, almaty), Decision: &habeas.Decision{Kind: habeas.DecisionCustody, Days: 60, Court: "Almaly district court"}, Sources: []string{f.police.ID}},
			{Type: habeas.EventIllTreatment, At: time.Date(2022, 1, 6, 20, 0, 0, 0, almaty), Allegation: &habeas.Allegation{Methods: []string{"beating"}, Perpetrators: "police officers"}, Sources: []string{f.sister.ID}},
		}}
	f.aktau = webtest.Detention(f.other, "aktau", habeas.ProcedureAdministrative, time.Date(2022, 1, 5, 10, 0, 0, 0, time.UTC), f.monitor)
	lawyer := &habeas.Lawyer{ID: habeas.NewID(habeas.KindLawyer), Name: "Dana Sadykova", Bar: "Almaty City Bar", Active: true}
	assignment := &habeas.Assignment{ID: habeas.NewID(habeas.KindAssignment), LawyerID: lawyer.ID, DetentionID: f.almaty.ID,
		Kind: habeas.AssignmentLegalAid, From: time.Date(2022, 1, 9, 9, 0, 0, 0, almaty), Sources: []string{f.monitor.ID}}
	f.casualty = &habeas.Casualty{ID: habeas.NewID(habeas.KindCasualty), Kind: habeas.CasualtyInjured, PersonID: f.person.ID,
		DetentionID: f.almaty.ID, At: time.Date(2022, 1, 6, 20, 0, 0, 0, almaty), City: "almaty", Place: "temporary detention facility",
		Cause: "ill_treatment", Sources: []string{f.sister.ID}}
	investigation := &habeas.Investigation{ID: habeas.NewID(habeas.KindInvestigation), CasualtyID: f.casualty.ID,
		Authority: "Anti-Corruption Agency", Status: habeas.InvestigationRequested}
	evidence := &habeas.Evidence{ID: habeas.NewID(habeas.KindEvidence), Kind: "medical_report", Title: "Forensic report on injuries", DetentionID: f.almaty.ID}
	env.Create(t, f.sister, f.police, f.monitor, f.person, f.other, lawyer, f.almaty, f.aktau, assignment, f.casualty, investigation, evidence)
	return f
}

func TestDetentionPage(t *testing.T) {
	env := webtest.New(t)
	f := newFixture(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	tests := []struct {
		name string
		path string
		want []string
	}{
		{"conflicting arrest accounts side by side", "/detentions/" + f.almaty.ID, []string{
			"Accounts of the arrest", "The sources disagree",
			"Republic Square", "Almaty police department",
			"Call from the detainee's sister <span class=\"meta\">(relative, <a href=\"#src-" + f.sister.ID + "\">C3</a>)",
			"Almaty police list of 7 January <span class=\"meta\">(official list, <a href=\"#src-" + f.police.ID + "\">B2</a>)",
			"<tr id=\"src-" + f.police.ID + "\"><td>Almaty police list of 7 January</td><td>official list</td>", "<td><strong>B</strong> usually reliable</td>",
		}},
		{"arrest in the Almaty zone, labelled", "/detentions/" + f.almaty.ID, []string{
			"2022-01-05 14:30 +06 Asia/Almaty", // de facto arrest, as the sister said
			"2022-01-06 09:00 +06 Asia/Almaty", // arrest, as the police list says
			"2022-01-06 10:00 +06 Asia/Almaty", // protocol
			"19 h 30 min after the arrest",
		}},
		{"every name with its source", "/detentions/" + f.almaty.ID, []string{
			"<td>Серик Жумабаев</td><td>Serik Zhumabayev</td><td>Cyrl</td><td>as written</td>", // with its transliteration
			"<td>Serik Zhumabayev</td><td><span class=\"none\">—</span></td><td>Latn</td><td>transliteration</td>\n" +
				"<td><span class=\"source\">Almaty police list of 7 January <span class=\"meta\">(official list, <a href=\"#src-" + f.police.ID + "\">B2</a>)", // linked to the table of sources
		}},
		{"the person page's names, their sources on their own", "/persons/" + f.person.ID, []string{
			"<td>Serik Zhumabayev</td><td><span class=\"none\">—</span></td><td>Latn</td><td>transliteration</td>\n" +
				"<td><span class=\"source\">Almaty police list of 7 January <span class=\"meta\">(official list, <abbr title=",
		}},
		{"event details", "/detentions/" + f.almaty.ID, []string{
			"Charge: CC 272(2) — participation in mass riots", "Decision: pre-trial custody, 60 days, Almaly district court",
			"Allegation: beating; by police officers",
		}},
		{"lawyers, casualties, investigations, evidence", "/detentions/" + f.almaty.ID, []string{
			"Dana Sadykova", "legal aid", "Aktau monitor report", "temporary detention facility", "Anti-Corruption Agency",
			"Forensic report on injuries",
		}},
		{"history of the detention and the person", "/detentions/" + f.almaty.ID, []string{
			"fixture", "detention <code>" + f.almaty.ID, "person <code>" + f.person.ID,
		}},
		{"arrest in the Aktau zone, labelled", "/detentions/" + f.aktau.ID, []string{
			"2022-01-05 15:00 +05 Asia/Aqtau",
		}},
		{"detention list in local time", "/detentions", []string{
			"2022-01-05 14:30 +06 Asia/Almaty", "2022-01-06 10:00 +06 Asia/Almaty", "2022-01-05 15:00 +05 Asia/Aqtau",
			"Серик Жумабаев", "Aigul Bekova",
		}},
		{"person page", "/persons/" + f.person.ID, []string{
			"Serik Zhumabayev", "/detentions/" + f.almaty.ID, "temporary detention facility", "2022-01-05 14:30 +06 Asia/Almaty",
		}},
		{"casualty register", "/casualties?kind=injured&city=almaty", []string{
			"<span class=\"total\">1</span> casualty", "2022-01-06 20:00 +06 Asia/Almaty", "Серик Жумабаев",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := viewer.Get(tt.path)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d, want 200: %s", rec.Code, rec.Body)
			}
			body := html.UnescapeString(rec.Body.String())
			for _, want := range tt.want {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
		})
	}
	if body := viewer.Get("/detentions/" + f.aktau.ID).Body.String(); strings.Contains(body, "Accounts of the arrest") {
		t.Errorf("a detention with one arrest account shows a side-by-side comparison")
	}
	if rec := viewer.Get("/detentions/det_aaaaaaaaaaaaaaaa"); rec.Code != http.StatusNotFound {
		t.Errorf("missing detention: status %d, want 404", rec.Code)
	}
}

func TestHistoryAfterUpdate(t *testing.T) {
	env := webtest.New(t)
	f := newFixture(t, env)
	cw := env.As(t, habeas.RoleCaseworker)
	d := *f.aktau
	d.Events = append(append([]habeas.Event(nil), d.Events...),
		habeas.Event{Type: habeas.EventRelease, At: time.Date(2022, 1, 20, 12, 0, 0, 0, aqtau), Sources: []string{f.monitor.ID}})
	if code := cw.Put(t, "/api/v1/detentions/"+d.ID, d, nil); code != http.StatusOK {
		t.Fatalf("PUT: status %d, want 200", code)
	}
	body := cw.Get("/detentions/" + d.ID).Body.String()
	rows := regexp.MustCompile(`<tr><td class="num">(\d+)</td><td>[^<]+ UTC</td><td>([^<]+)</td><td>(\w+) <code>([^<]+)</code></td><td>(\w+)</td></tr>`).FindAllStringSubmatch(body, -1)
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s %s %s", r[2], r[3], r[5]))
	}
	want := []string{"fixture person created", "fixture detention created", "caseworker detention updated"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("history rows %q, want %q", got, want)
	}
	if !strings.Contains(body, "<strong>released</strong>") {
		t.Errorf("status after the release event is not shown as released")
	}
}

func TestDetentionListFilters(t *testing.T) {
	env := webtest.New(t)
	src := webtest.Source("Hotline", habeas.SourceHotlineCall, "C", 3)
	ents := []habeas.Entity{src}
	add := func(city string, proc habeas.Procedure, at time.Time, released bool) {
		p := webtest.Person(fmt.Sprintf("Person %d", len(ents)), src)
		d := webtest.Detention(p, city, proc, at, src)
		if released {
			d.Events = append(d.Events, habeas.Event{Type: habeas.EventRelease, At: at.Add(24 * time.Hour)})
		}
		ents = append(ents, p, d)
	}
	day := func(d, h int) time.Time { return time.Date(2022, 1, d, h, 0, 0, 0, time.UTC) }
	for _, d := range []int{5, 6, 7} {
		add("almaty", habeas.ProcedureCriminal, day(d, 10), false)
	}
	add("almaty", habeas.ProcedureAdministrative, day(5, 20), false) // 6 January, 02:00 in Almaty
	add("almaty", habeas.ProcedureAdministrative, day(8, 10), false)
	for _, d := range []int{5, 6, 7, 8} {
		add("aktau", habeas.ProcedureAdministrative, day(d, 10), false)
	}
	add("aktau", habeas.ProcedureCriminal, day(9, 10), true)
	env.Create(t, ents...)
	viewer := env.As(t, habeas.RoleViewer)

	tests := []struct {
		query     string
		wantTotal int
		wantItems int
	}{
		{"", 10, 10},
		{"city=almaty", 5, 5},
		{"city=aktau", 5, 5},
		{"procedure=criminal", 4, 4},
		{"procedure=administrative", 6, 6},
		{"city=almaty&procedure=criminal", 3, 3},
		{"city=aktau&procedure=criminal", 1, 1},
		{"status=released", 1, 1},
		{"status=in_custody", 9, 9},
		{"city=almaty&from=2022-01-06", 4, 4},               // days in Almaty's zone: 02:00 on the 6th counts
		{"from=2022-01-06", 7, 7},                           // UTC days: 20:00 on the 5th does not
		{"city=almaty&to=2022-01-05", 1, 1},                 // the last day is included
		{"city=almaty&from=2022-01-06&to=2022-01-06", 2, 2}, // one day
		{"city=almaty&procedure=criminal&status=released", 0, 0},
		{"limit=3&offset=8", 10, 2},
		{"city=", 10, 10}, // an empty form field does not filter
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var list struct {
				Items []struct {
					City       string    `json:"city"`
					ArrestedAt time.Time `json:"arrested_at"`
					Status     string    `json:"status"`
					PersonName string    `json:"person_name"`
				} `json:"items"`
				Total int `json:"total"`
			}
			if code := viewer.JSON(t, "GET", "/api/v1/detentions?"+tt.query, nil, &list); code != http.StatusOK {
				t.Fatalf("API status %d, want 200", code)
			}
			if list.Total != tt.wantTotal || len(list.Items) != tt.wantItems {
				t.Errorf("API total %d with %d items, want %d with %d", list.Total, len(list.Items), tt.wantTotal, tt.wantItems)
			}
			for _, it := range list.Items {
				if it.PersonName == "" || it.Status == "" || it.ArrestedAt.IsZero() {
					t.Errorf("item lacks derived fields: %+v", it)
				}
			}
			rec := viewer.Get("/detentions?" + tt.query)
			m := regexp.MustCompile(`<span class="total">(\d+)</span>`).FindStringSubmatch(rec.Body.String())
			if rec.Code != http.StatusOK || m == nil {
				t.Fatalf("page: status %d, no total", rec.Code)
			}
			if n, _ := strconv.Atoi(m[1]); n != tt.wantTotal {
				t.Errorf("page total %d, want %d", n, tt.wantTotal)
			}
			if rows := strings.Count(rec.Body.String(), `<td><a href="/detentions/det_`); rows != tt.wantItems {
				t.Errorf("page shows %d rows, want %d", rows, tt.wantItems)
			}
		})
	}

	bad := []struct{ query, field string }{
		{"city=mars", "city"},
		{"from=2022-13-01", "from"},
		{"from=2022-01-07&to=2022-01-06", "to"},
		{"procedure=military", "procedure"},
		{"status=vanished", "status"},
		{"limit=0", "limit"},
		{"limit=5000", "limit"},
		{"offset=-1", "offset"},
	}
	for _, tt := range bad {
		t.Run("bad "+tt.query, func(t *testing.T) {
			var body webtest.ErrorBody
			if code := viewer.JSON(t, "GET", "/api/v1/detentions?"+tt.query, nil, &body); code != http.StatusBadRequest {
				t.Fatalf("API status %d, want 400", code)
			}
			if !body.HasField(tt.field, "") {
				t.Errorf("error %+v does not name field %q", body.Error, tt.field)
			}
			rec := viewer.Get("/detentions?" + tt.query)
			if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "<code>"+tt.field+"</code>") {
				t.Errorf("page: status %d, want 400 naming %s", rec.Code, tt.field)
			}
		})
	}
}

func TestPagination(t *testing.T) {
	env := webtest.New(t)
	src := webtest.Source("Hotline", habeas.SourceHotlineCall, "C", 3)
	ents := []habeas.Entity{src}
	for i := range 120 {
		p := webtest.Person(fmt.Sprintf("Person %03d", i), src)
		ents = append(ents, p, webtest.Detention(p, "almaty", habeas.ProcedureAdministrative, time.Date(2022, 1, 5, 0, i, 0, 0, time.UTC), src))
	}
	env.Create(t, ents...)
	viewer := env.As(t, habeas.RoleViewer)
	body := viewer.Get("/detentions?city=almaty").Body.String()
	for _, want := range []string{"showing 1–50", `href="/detentions?city=almaty&amp;offset=50" rel="next"`} {
		if !strings.Contains(body, want) {
			t.Errorf("first page lacks %q", want)
		}
	}
	body = viewer.Get("/detentions?city=almaty&offset=100").Body.String()
	for _, want := range []string{"showing 101–120", `href="/detentions?city=almaty&amp;offset=50" rel="prev"`} {
		if !strings.Contains(body, want) {
			t.Errorf("last page lacks %q", want)
		}
	}
	if strings.Contains(body, `rel="next"`) {
		t.Errorf("last page links to a next page")
	}
}
