package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/api"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/web/webtest"
)

// caseRegister is two cases, one a lawyer acts in (A) and one they do
// not (B), with what identifies the people in them planted to be looked
// for in every answer.
type caseRegister struct {
	srcA, srcB, srcR      *habeas.Source
	pA, pB                *habeas.Person
	dA, dB                *habeas.Detention
	cB                    *habeas.Casualty
	lawyer                *habeas.Lawyer
	asg                   *habeas.Assignment
	hearingA, hearingB    string
	nameA, nameB, iinB    string
	restricted, personalB []string
	pseudonymised         []string
	recordsA, recordsB    map[habeas.Kind]string
}

func newCaseRegister(t *testing.T, env *webtest.Env) *caseRegister {
	t.Helper()
	r := &caseRegister{nameA: "Клиентов Защищаемый", nameB: "Посторонний Чужаков"}
	iin, ok := habeas.MakeIIN(time.Date(1988, 7, 14, 0, 0, 0, 0, time.UTC), habeas.SexMale, 7)
	if !ok {
		t.Fatal("no IIN")
	}
	r.iinB = string(iin)
	r.srcA = webtest.Source("Call from the client's brother Ruslan", habeas.SourceHotlineCall, "C", 3)
	r.srcB = webtest.Source("Звонок соседки Жанар", habeas.SourceHotlineCall, "C", 3)
	r.srcB.Contact = "+7 701 000 4455"
	r.srcR = webtest.Source("Звонок сестры Айгерим", habeas.SourceHotlineCall, "B", 2)
	r.srcR.Contact, r.srcR.Confidentiality = "+7 705 000 7788", habeas.ConfidentialityRestricted
	r.pA = webtest.Person(r.nameA, r.srcA)
	r.pB = webtest.Person(r.nameB, r.srcB)
	r.pB.IIN = iin
	arrest := time.Date(2022, 1, 6, 4, 0, 0, 0, time.UTC)
	r.dA = webtest.Detention(r.pA, "almaty", habeas.ProcedureCriminal, arrest, r.srcA)
	r.dB = webtest.Detention(r.pB, "almaty", habeas.ProcedureCriminal, arrest, r.srcB)
	r.dB.Events[0].Place = "ул. Тайная 7, кв. 3"
	r.dB.Events = append(r.dB.Events, habeas.Event{Type: habeas.EventTransfer, At: arrest.Add(time.Hour), Place: "ИВС ДП г. Алматы",
		Note: "передано через сестру", Sources: []string{r.srcR.ID}})
	r.dB.Notes = "заметка о Чужакове"
	for _, d := range []*habeas.Detention{r.dA, r.dB} {
		d.Events = append(d.Events, habeas.Event{Type: habeas.EventTrialHearing, At: arrest.Add(72 * time.Hour), Body: "Медеуский районный суд",
			Sources: []string{d.Events[0].Sources[0]}})
	}
	r.cB = &habeas.Casualty{ID: habeas.NewID(habeas.KindCasualty), Kind: habeas.CasualtyInjured, PersonID: r.pB.ID, DetentionID: r.dB.ID,
		At: arrest.Add(30 * time.Minute), City: "almaty", Circumstances: "избит в автозаке, свидетель Жанар", Sources: []string{r.srcB.ID}}
	r.lawyer = &habeas.Lawyer{ID: habeas.NewID(habeas.KindLawyer), Name: "Адвокат Защитников", City: "almaty", Active: true}
	r.asg = &habeas.Assignment{ID: habeas.NewID(habeas.KindAssignment), LawyerID: r.lawyer.ID, DetentionID: r.dA.ID,
		Kind: habeas.AssignmentLegalAid, From: arrest.Add(2 * time.Hour), Sources: []string{r.srcA.ID}}
	env.Create(t, r.srcA, r.srcB, r.srcR, r.pA, r.pB, r.dA, r.dB, r.cB, r.lawyer, r.asg)
	r.hearingA, r.hearingB = r.dA.Events[len(r.dA.Events)-1].ID, r.dB.Events[len(r.dB.Events)-1].ID

	r.restricted = []string{"Айгерим", "705 000 7788"}
	r.personalB = []string{r.nameB, "Чужаков", r.iinB, "701 000 4455", "Жанар", "Тайная", r.dB.ID, r.pB.ID}
	r.pseudonymised = []string{"Клиентов", "Чужаков", r.iinB, "701 000 4455", "705 000 7788", "Жанар", "Айгерим", "Ruslan", "Тайная"}
	r.recordsA = map[habeas.Kind]string{habeas.KindDetention: r.dA.ID, habeas.KindPerson: r.pA.ID, habeas.KindSource: r.srcA.ID,
		habeas.KindAssignment: r.asg.ID}
	r.recordsB = map[habeas.Kind]string{habeas.KindDetention: r.dB.ID, habeas.KindPerson: r.pB.ID, habeas.KindSource: r.srcB.ID,
		habeas.KindCasualty: r.cB.ID}
	return r
}

// TestCaseAccessMatrix is the per-case half of the access matrix: every
// route that reads records, asked by every role about records it may
// and may not read, with real records. A role the table lets through
// never gets a server error; a lawyer reads its client's records (200)
// and is told no other exists (404), and no answer to it names the other
// case's person, contacts or identifiers; no answer to an analyst holds
// a name, IIN, contact, source title or arrest address; no answer to
// anyone but an administrator and an account granted restricted sources
// holds what a restricted source withholds.
func TestCaseAccessMatrix(t *testing.T) {
	env := webtest.New(t)
	r := newCaseRegister(t, env)
	table := server.DefaultAuthorization()
	clients := map[string]*webtest.Client{}
	roles := map[string]habeas.Role{}
	for _, role := range habeas.Roles {
		u := &habeas.User{Name: string(role), Role: role}
		if role == habeas.RoleLawyer {
			u.LawyerID = r.lawyer.ID
		}
		clients[u.Name], roles[u.Name] = env.AsUser(t, u), role
	}
	clients["trusted"], roles["trusted"] = env.AsUser(t, &habeas.User{Name: "trusted", Role: habeas.RoleViewer, Restricted: true}), habeas.RoleViewer

	// One request per route and record: in scope for the lawyer (A),
	// out of it (B), and the lists, searches and type-ahead.
	type probe struct {
		route, path string
		side        byte // 'A', 'B', or 0 for a list
	}
	var probes []probe
	for _, side := range []byte{'A', 'B'} {
		d, p, h := r.dA, r.pA, r.hearingA
		records := r.recordsA
		if side == 'B' {
			d, p, h, records = r.dB, r.pB, r.hearingB, r.recordsB
		}
		probes = append(probes,
			probe{"detention", "/detentions/" + d.ID, side},
			probe{"person", "/persons/" + p.ID, side},
			probe{"trial", "/trials/" + d.ID + "/" + h, side},
			probe{"api.safeguards", "/api/v1/detentions/" + d.ID + "/safeguards", side})
		for k, id := range records {
			probes = append(probes, probe{"api.find", "/api/v1/" + api.Collection(k) + "/" + id, side},
				probe{"api.history", "/api/v1/" + api.Collection(k) + "/" + id + "/history", side})
		}
	}
	probes = append(probes, probe{"casualty", "/casualties/" + r.cB.ID, 'B'})
	q := url.QueryEscape
	for _, p := range [][2]string{
		{"detentions", "/detentions"}, {"api.detentions", "/api/v1/detentions"}, {"queues", "/queues"}, {"api.queues", "/api/v1/queues"},
		{"alerts", "/alerts?at=2022-01-08T00:00:00Z"}, {"api.alerts", "/api/v1/alerts?at=2022-01-08T00:00:00Z&within=72h&unknown=true"},
		{"api.alerts.detainees", "/api/v1/alerts/detainees?at=2022-01-08T00:00:00Z&within=72h&unknown=true"},
		{"persons", "/persons?q=" + q("Чужаков")}, {"api.persons", "/api/v1/persons?name=" + q("Чужаков")},
		{"api.persons", "/api/v1/persons?iin=" + r.iinB}, {"api.persons.suggest", "/api/v1/persons/suggest?name=" + q("Чужаков")},
		{"trials", "/trials"}, {"api.trials", "/api/v1/trials"}, {"casualties", "/casualties"}, {"api.casualties", "/api/v1/casualties"},
		{"review", "/review"}, {"api.review", "/api/v1/review"}, {"lawyers", "/lawyers"}, {"api.lawyers", "/api/v1/lawyers"},
		{"investigations", "/investigations"}, {"api.stats", "/api/v1/stats"},
	} {
		probes = append(probes, probe{p[0], p[1], 0})
	}

	cells := 0
	for _, pr := range probes {
		for name, c := range clients {
			role := roles[name]
			rec := c.Get(pr.path)
			cells++
			body := rec.Body.String()
			allowed := slices.Contains(table[pr.route], role)
			switch {
			case !allowed:
				if rec.Code != http.StatusForbidden {
					t.Errorf("%s %s: %d, want 403 (not in the table)", name, pr.path, rec.Code)
				}
				continue
			case rec.Code >= 500:
				t.Errorf("%s %s: %d %s", name, pr.path, rec.Code, body)
			case role == habeas.RoleMonitor && pr.route == "trial":
				if rec.Code != http.StatusOK {
					t.Errorf("monitor %s: %d", pr.path, rec.Code)
				}
			case role == habeas.RoleLawyer && pr.side == 'A', role != habeas.RoleLawyer && pr.side != 0:
				if rec.Code != http.StatusOK {
					t.Errorf("%s %s (%s): %d, want 200", name, pr.path, pr.route, rec.Code)
				}
			case role == habeas.RoleLawyer && pr.side == 'B':
				if rec.Code != http.StatusNotFound {
					t.Errorf("lawyer %s (%s): %d, want 404 (not a client's)", pr.path, pr.route, rec.Code)
				}
			}
			asked, _ := url.PathUnescape(pr.path)
			asked, _ = url.QueryUnescape(asked)
			leaks := func(what string, secrets []string) {
				for _, s := range secrets {
					// What the request itself holds may be said back.
					if strings.Contains(body, s) && !strings.Contains(asked, s) {
						t.Errorf("%s %s reads %s: %q", name, pr.path, what, s)
					}
				}
			}
			if role == habeas.RoleLawyer {
				leaks("another case", r.personalB)
			}
			if role == habeas.RoleAnalyst {
				leaks("what pseudonyms hide", r.pseudonymised)
			}
			if role != habeas.RoleAdmin && name != "trusted" {
				leaks("a restricted source", r.restricted)
			}
		}
	}
	// The planted values are there to be found: those who may read them do.
	for _, want := range []struct{ who, path, text string }{
		{"admin", "/api/v1/sources/" + r.srcR.ID, "705 000 7788"},
		{"trusted", "/api/v1/sources/" + r.srcR.ID, "Айгерим"},
		{"viewer", "/detentions/" + r.dB.ID, "Тайная"},
		{"viewer", "/api/v1/persons?iin=" + r.iinB, r.pB.ID},
		{"lawyer", "/detentions/" + r.dA.ID, "Клиентов"},
	} {
		if body := clients[want.who].Get(want.path).Body.String(); !strings.Contains(body, want.text) {
			t.Errorf("%s %s does not read %q, which it may", want.who, want.path, want.text)
		}
	}
	t.Logf("case access matrix: %d requests over %d routes and records, %d accounts", cells, len(probes), len(clients))
}
