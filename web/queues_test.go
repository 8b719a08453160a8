package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/demo"
	"github.com/habeas-project/habeas/web"
	"github.com/habeas-project/habeas/web/webtest"
)

// queueFixture is a register with one detention for each reason to be in a
// queue or out of it, judged at At (after the state of emergency, so the
// ordinary limits apply).
type queueFixture struct {
	At time.Time
	// withLawyer: in custody in Almaty, an open assignment, family told.
	// withoutLawyer: in custody in Almaty, nothing since the arrest.
	// foreigner: a Kyrgyz citizen in Aktau, held in a named place, a lawyer
	// let in once without an assignment.
	// juvenileByDate, juvenileByAge: born 2005; "about 16" at the arrest.
	// possiblyJuvenile: "about 17" at the arrest.
	// released: released in Almaty, no lawyer ever.
	// overdue: criminal, in Almaty, arrested 50 hours before At and never
	// brought before a judge. fresh: arrested 30 minutes before At.
	withLawyer, withoutLawyer, foreigner, juvenileByDate, juvenileByAge, possiblyJuvenile, released, overdue, fresh *habeas.Detention
}

func newQueueFixture(t *testing.T, env *webtest.Env) *queueFixture {
	t.Helper()
	f := &queueFixture{At: time.Date(2022, 2, 12, 6, 0, 0, 0, time.UTC)}
	src := webtest.Source("Hotline", habeas.SourceHotlineCall, "C", 3)
	ents := []habeas.Entity{src}
	day := func(d, h int) time.Time { return time.Date(2022, 2, d, h, 0, 0, 0, time.UTC) }
	det := func(name, city string, birth habeas.BirthDate, citizenships []string, arrested time.Time, events ...habeas.Event) *habeas.Detention {
		p := webtest.Person(name, src)
		p.Birth, p.Citizenships = birth, citizenships
		d := webtest.Detention(p, city, habeas.ProcedureCriminal, arrested, src)
		d.Events = append(d.Events, events...)
		ents = append(ents, p, d)
		return d
	}
	adult := habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1990-04-02"}
	kz := []string{"KZ"}
	f.withLawyer = det("Арман Адвокатов", "almaty", adult, kz, day(3, 10), habeas.Event{Type: habeas.EventFamilyNotified, At: day(3, 12)})
	f.withoutLawyer = det("Болат Жалғыз", "almaty", adult, kz, day(4, 10))
	f.foreigner = det("Азамат Кыргызбаев", "aktau", adult, []string{"KG"}, day(5, 10),
		habeas.Event{Type: habeas.EventTransfer, At: day(5, 12), Place: "IVS Aktau"},
		habeas.Event{Type: habeas.EventLawyerAccess, At: day(5, 14)})
	f.juvenileByDate = det("Дана Жас", "almaty", habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "2005-03-01"}, kz, day(6, 10))
	f.juvenileByAge = det("Ерлан Бала", "almaty", habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 16, AgeAt: "2022-02-07"}, kz, day(7, 10))
	f.possiblyJuvenile = det("Мирас Студент", "almaty", habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 17, AgeAt: "2022-02-08"}, kz, day(8, 10))
	f.released = det("Гүлнар Босатылған", "almaty", adult, kz, day(9, 10), habeas.Event{Type: habeas.EventRelease, At: day(9, 20)})
	f.overdue = det("Ерлан Сатпаев", "almaty", adult, kz, f.At.Add(-50*time.Hour))
	f.overdue.Notes = "Brother says he was taken from the square." // the watcher does not keep notes
	f.fresh = det("Жаңа Ұсталған", "almaty", adult, kz, f.At.Add(-30*time.Minute))
	lawyer := &habeas.Lawyer{ID: habeas.NewID(habeas.KindLawyer), Name: "Dana Sadykova", Active: true}
	ents = append(ents, lawyer,
		&habeas.Assignment{ID: habeas.NewID(habeas.KindAssignment), LawyerID: lawyer.ID, DetentionID: f.withLawyer.ID,
			Kind: habeas.AssignmentLegalAid, From: day(3, 15)},
		// An assignment that has ended does not count.
		&habeas.Assignment{ID: habeas.NewID(habeas.KindAssignment), LawyerID: lawyer.ID, DetentionID: f.withoutLawyer.ID,
			Kind: habeas.AssignmentAppointed, From: day(4, 12), To: day(4, 18)})
	env.Create(t, ents...)
	return f
}

// listIDs returns the detentions a list shows, through the API, checking
// that the HTML page shows the same rows and total.
func listIDs(t *testing.T, c *webtest.Client, query string) ([]string, int) {
	t.Helper()
	var list struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
		Total int `json:"total"`
	}
	if code := c.JSON(t, "GET", "/api/v1/detentions?limit=1000&"+query, nil, &list); code != http.StatusOK {
		t.Fatalf("API %s: status %d, want 200", query, code)
	}
	var ids []string
	for _, it := range list.Items {
		ids = append(ids, it.ID)
	}
	rec := c.Get("/detentions?limit=1000&" + query)
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("page %s: status %d", query, rec.Code)
	}
	m := regexp.MustCompile(`<span class="total">(\d+)</span>`).FindStringSubmatch(body)
	if m == nil || m[1] != strconv.Itoa(list.Total) {
		t.Errorf("page %s: total %v, API %d", query, m, list.Total)
	}
	for _, id := range ids {
		if !strings.Contains(body, `href="/detentions/`+id+`"`) {
			t.Errorf("page %s does not show %s, which the API lists", query, id)
		}
	}
	if rows := strings.Count(body, `<td><a href="/detentions/det_`); rows != len(ids) {
		t.Errorf("page %s: %d rows, API %d", query, rows, len(ids))
	}
	return ids, list.Total
}

func TestQueues(t *testing.T) {
	env := webtest.New(t)
	f := newQueueFixture(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	at := "at=" + url.QueryEscape(f.At.Format(time.RFC3339))
	tests := []struct {
		query     string
		want, not []*habeas.Detention
	}{
		{"queue=no_lawyer", []*habeas.Detention{f.withoutLawyer, f.foreigner, f.juvenileByDate, f.juvenileByAge, f.possiblyJuvenile, f.overdue, f.fresh},
			[]*habeas.Detention{f.withLawyer, f.released}},
		{"queue=incommunicado", []*habeas.Detention{f.withoutLawyer, f.juvenileByDate, f.juvenileByAge, f.possiblyJuvenile, f.overdue, f.fresh},
			[]*habeas.Detention{f.withLawyer, f.foreigner, f.released}},
		{"queue=foreign", []*habeas.Detention{f.foreigner}, []*habeas.Detention{f.withLawyer, f.withoutLawyer}},
		{"queue=juvenile", []*habeas.Detention{f.juvenileByDate, f.juvenileByAge, f.possiblyJuvenile},
			[]*habeas.Detention{f.withLawyer, f.withoutLawyer, f.overdue}},
		{"queue=overdue&" + at, []*habeas.Detention{f.overdue}, []*habeas.Detention{f.fresh}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			ids, total := listIDs(t, viewer, tt.query)
			for _, d := range tt.want {
				if !slices.Contains(ids, d.ID) {
					t.Errorf("%s is not listed; got %v", d.ID, ids)
				}
			}
			for _, d := range tt.not {
				if slices.Contains(ids, d.ID) {
					t.Errorf("%s is listed; it does not belong", d.ID)
				}
			}
			if !strings.HasPrefix(tt.query, "queue=overdue") && total != len(tt.want) {
				t.Errorf("total %d, want exactly %d", total, len(tt.want))
			}
		})
	}

	// Juveniles are marked sure or possible; foreigners show citizenship.
	body := viewer.Get("/detentions?queue=juvenile").Body.String()
	if strings.Count(body, "possibly under 18") != 1 || strings.Count(body, ">under 18<") != 2 {
		t.Errorf("juvenile page does not mark one possible and two sure juveniles")
	}
	if body := viewer.Get("/detentions?queue=foreign").Body.String(); !strings.Contains(body, "<td>KG</td>") {
		t.Errorf("foreign nationals page does not show the citizenship")
	}

	// The overdue queue is judged at ?at=: before a judge, longest overdue
	// first; half an hour after the arrest, nothing of it is overdue.
	var list struct {
		Items []struct {
			ID         string `json:"id"`
			Notes      string `json:"notes"`
			PersonName string `json:"person_name"`
			Overdue    *struct {
				Count          int      `json:"count"`
				LongestSeconds int64    `json:"longest_seconds"`
				Safeguards     []string `json:"safeguards"`
			} `json:"overdue"`
		} `json:"items"`
	}
	viewer.JSON(t, "GET", "/api/v1/detentions?queue=overdue&"+at, nil, &list)
	var found bool
	for i, it := range list.Items {
		if it.Overdue == nil {
			t.Fatalf("item %s has no overdue summary", it.ID)
		}
		if i > 0 && it.Overdue.LongestSeconds > list.Items[i-1].Overdue.LongestSeconds {
			t.Errorf("item %d is overdue longer than the one before it", i)
		}
		if it.ID == f.overdue.ID {
			found = true
			if !slices.Contains(it.Overdue.Safeguards, "judge") {
				t.Errorf("overdue detention: safeguards %v, want judge among them", it.Overdue.Safeguards)
			}
			// The queue is judged in the watcher, the record shown whole.
			if it.Notes != f.overdue.Notes || it.PersonName != "Ерлан Сатпаев" {
				t.Errorf("overdue detention: notes %q, person %q; want the whole record", it.Notes, it.PersonName)
			}
		}
	}
	if !found {
		t.Errorf("the detention 50 hours without a judge is not in the overdue queue")
	}
	early := "at=" + url.QueryEscape(f.At.Add(-49*time.Hour-30*time.Minute).Format(time.RFC3339))
	if ids, _ := listIDs(t, viewer, "queue=overdue&"+early); slices.Contains(ids, f.overdue.ID) {
		t.Errorf("half an hour after the arrest, the detention is already in the overdue queue")
	}
	if body := viewer.Get("/detentions?queue=overdue&" + at).Body.String(); !strings.Contains(body, "Before a judge") || !strings.Contains(body, "judged as of 2022-02-12 06:00") {
		t.Errorf("overdue page does not name the safeguard or the moment of judgement")
	}
}

func TestQueueFiltersCombine(t *testing.T) {
	env := webtest.New(t)
	f := newQueueFixture(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	at := "&at=" + url.QueryEscape(f.At.Format(time.RFC3339))
	tests := []struct {
		query string
		want  []*habeas.Detention
	}{
		{"queue=no_lawyer&city=aktau", []*habeas.Detention{f.foreigner}},
		{"queue=no_lawyer&city=almaty&from=2022-02-06&to=2022-02-06", []*habeas.Detention{f.juvenileByDate}},
		{"queue=juvenile&from=2022-02-07", []*habeas.Detention{f.juvenileByAge, f.possiblyJuvenile}},
		{"queue=juvenile&status=released", nil},
		{"queue=foreign&procedure=administrative", nil},
		{"queue=overdue&city=aktau&status=in_custody" + at, []*habeas.Detention{f.foreigner}},
		{"queue=overdue&city=almaty&from=2022-02-10" + at, []*habeas.Detention{f.overdue}},
		{"status=released&city=almaty", []*habeas.Detention{f.released}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			ids, _ := listIDs(t, viewer, tt.query)
			var want []string
			for _, d := range tt.want {
				want = append(want, d.ID)
			}
			slices.Sort(ids)
			slices.Sort(want)
			if !slices.Equal(ids, want) {
				t.Errorf("got %v, want %v", ids, want)
			}
		})
	}

	// The overview counts each queue under the filter, as the lists do.
	var counts struct {
		Queues []struct {
			Queue string `json:"queue"`
			Total int    `json:"total"`
		} `json:"queues"`
	}
	if code := viewer.JSON(t, "GET", "/api/v1/queues?city=almaty"+at, nil, &counts); code != http.StatusOK {
		t.Fatalf("queue counts: status %d", code)
	}
	page := viewer.Get("/queues?city=almaty" + at).Body.String()
	if len(counts.Queues) != len(habeas.Queues) {
		t.Fatalf("counts %+v, want one per queue", counts.Queues)
	}
	for _, c := range counts.Queues {
		_, total := listIDs(t, viewer, "city=almaty&queue="+c.Queue+at)
		if c.Total != total {
			t.Errorf("queue %s: count %d, list total %d", c.Queue, c.Total, total)
		}
		link := fmt.Sprintf(`href="/detentions?at=%s&amp;city=almaty&amp;queue=%s"`, url.QueryEscape(f.At.Format(time.RFC3339)), c.Queue)
		if !strings.Contains(page, link) {
			t.Errorf("overview does not link to %s", link)
		}
	}
}

func TestBadQueueFilter(t *testing.T) {
	env := webtest.New(t)
	viewer := env.As(t, habeas.RoleViewer)
	for _, tt := range []struct{ query, field string }{
		{"queue=missing", "queue"},
		{"queue=overdue&at=yesterday", "at"},
		{"queue=juvenile&city=mars", "city"},
	} {
		t.Run(tt.query, func(t *testing.T) {
			var body webtest.ErrorBody
			if code := viewer.JSON(t, "GET", "/api/v1/detentions?"+tt.query, nil, &body); code != http.StatusBadRequest || !body.HasField(tt.field, "") {
				t.Errorf("API: status %d, %+v; want 400 naming %s", code, body.Error, tt.field)
			}
			for _, path := range []string{"/detentions?", "/queues?"} {
				rec := viewer.Get(path + tt.query)
				if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "<code>"+tt.field+"</code>") {
					t.Errorf("%s: status %d, want 400 naming %s", path, rec.Code, tt.field)
				}
			}
		})
	}
}

// The lists, the overview and the saved views are in Russian and Kazakh,
// with nothing left untranslated; an invalid filter's reasons are in the
// reader's language too.
func TestQueuePagesTranslated(t *testing.T) {
	env := webtest.New(t)
	f := newQueueFixture(t, env)
	cw := env.As(t, habeas.RoleCaseworker)
	if rec := cw.PostForm("/views", url.Values{"name": {"Жас өспірімдер"}, "queue": {"juvenile"}, "city": {"almaty"}, "shared": {"true"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("save view: status %d", rec.Code)
	}
	at := "&at=" + url.QueryEscape(f.At.Format(time.RFC3339))
	words := map[string][]string{
		"ru": {"Без адвоката", "Несовершеннолетние", "Сохранённые подборки"},
		"kk": {"Адвокатсыз", "Кәмелетке толмағандар", "Сақталған іріктеулер"},
	}
	for _, lang := range []string{"ru", "kk"} {
		for _, path := range []string{"/detentions?", "/detentions?queue=overdue" + at + "&", "/detentions?queue=juvenile&",
			"/detentions?queue=foreign&", "/detentions?queue=no_lawyer&city=almaty&", "/queues?" + at[1:] + "&", "/views?"} {
			t.Run(lang+" "+path, func(t *testing.T) {
				rec := cw.Get(path + "lang=" + lang)
				body := rec.Body.String()
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d", rec.Code)
				}
				if m := missingMessage.FindString(body); m != "" {
					t.Errorf("untranslated message %s", m)
				}
				if len(body) > 100_000 {
					t.Errorf("page is %d bytes, over 100 KB", len(body))
				}
				if m := inlineScript.FindString(body); m != "" {
					t.Errorf("page has inline script: %q", m)
				}
				if m := inlineStyle.FindString(body); m != "" {
					t.Errorf("page has inline style: %q", m)
				}
				found := false
				for _, w := range words[lang] {
					found = found || strings.Contains(body, w)
				}
				if !found {
					t.Errorf("page has none of %v", words[lang])
				}
			})
		}
		t.Run(lang+" invalid filter", func(t *testing.T) {
			rec := cw.Get("/detentions?city=mars&queue=lost&lang=" + lang)
			body := rec.Body.String()
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", rec.Code)
			}
			problem := body[strings.Index(body, `class="problem"`):]
			problem = problem[:strings.Index(problem, "</div>")]
			for _, english := range []string{"is not a known city", "is not one of"} {
				if strings.Contains(problem, english) {
					t.Errorf("reason left in English: %q", problem)
				}
			}
			if !strings.Contains(problem, "mars") || !strings.Contains(problem, "lost") || !regexp.MustCompile(`\p{Cyrillic}{4}`).MatchString(problem) {
				t.Errorf("reasons are not translated with their values: %q", problem)
			}
		})
	}
}

// On the demo scenario, which uses every kind of record and event, each
// stored queue holds exactly the detentions its definition in the domain
// selects, read from the records themselves; and every queue's page renders
// in every language.
func TestQueuesMatchDefinitionsOnDemo(t *testing.T) {
	env := webtest.New(t)
	ctx := context.Background()
	if _, err := demo.Generate(ctx, env.Store, demo.Options{Scale: 150}); err != nil {
		t.Fatal(err)
	}
	dets, _, err := env.Store.FindDetentions(ctx, habeas.DetentionFilter{Page: habeas.Page{Limit: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[habeas.Queue][]string{}
	for _, d := range dets {
		p, err := env.Store.FindPersonByID(ctx, d.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		refs, err := env.Store.FindReferring(ctx, habeas.KindAssignment, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		var as []*habeas.Assignment
		for _, e := range refs {
			as = append(as, e.(*habeas.Assignment))
		}
		age := habeas.AgeAtArrest(p, d)
		for q, in := range map[habeas.Queue]bool{
			habeas.QueueNoLawyer:      habeas.NoLawyer(d, as),
			habeas.QueueIncommunicado: habeas.Incommunicado(d),
			habeas.QueueForeign:       p.IsForeign(),
			habeas.QueueJuvenile:      age == habeas.AgeJuvenile || age == habeas.AgePossiblyJuvenile,
		} {
			if in {
				want[q] = append(want[q], d.ID)
			}
		}
	}
	for _, q := range []habeas.Queue{habeas.QueueNoLawyer, habeas.QueueIncommunicado, habeas.QueueForeign, habeas.QueueJuvenile} {
		ds, _, err := env.Store.FindDetentions(ctx, habeas.DetentionFilter{Queue: &q, Page: habeas.Page{Limit: 1000}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range ds {
			got = append(got, d.ID)
		}
		slices.Sort(got)
		slices.Sort(want[q])
		if !slices.Equal(got, want[q]) {
			t.Errorf("queue %s: the store holds %d detentions, the definition selects %d", q, len(got), len(want[q]))
		}
		if len(got) == 0 && q != habeas.QueueForeign {
			t.Errorf("queue %s is empty on the demo; the test proves nothing", q)
		}
	}
	c := env.As(t, habeas.RoleViewer)
	for _, lang := range web.Languages {
		for _, q := range habeas.Queues {
			path := "/detentions?queue=" + q + "&at=2022-01-20T06:00:00Z&lang=" + lang
			if w := c.Get(path); w.Code != http.StatusOK || missingMessage.MatchString(w.Body.String()) {
				t.Errorf("GET %s: %d, or a message is missing", path, w.Code)
			}
		}
		if w := c.Get("/queues?at=2022-01-20T06:00:00Z&lang=" + lang); w.Code != http.StatusOK {
			t.Errorf("GET /queues in %s: %d", lang, w.Code)
		}
	}
}
