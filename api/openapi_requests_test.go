package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/api"
	"github.com/habeas-project/habeas/web/webtest"
)

// exchange is one request to the server and the status it should get.
type exchange struct {
	name   string
	client *webtest.Client
	method string
	path   string
	body   string
	header http.Header
	// readFirst, when set, is a record to GET first: its ETag goes into
	// If-Match, and its version (the ETag unquoted) replaces {{version}}
	// in the body, as a client that read the record sends them.
	readFirst string
	status    int
	// filled names the arrays of the response that must not be empty,
	// so that the schemas of their items are checked too.
	filled []string
}

// TestOpenAPIResponses makes real requests to a server over SQLite, at
// least one for every operation and every kind of record, and validates
// each response against the document: its status must be one the
// operation lists, and its body must match that response's schema. The
// body of every request that succeeds must match the request schema too,
// so the document accepts what the server accepts.
func TestOpenAPIResponses(t *testing.T) {
	s := loadSpec(t)
	env := webtest.New(t)
	w := newWorld(t, env)
	clocks := webtest.NewClocks(t, env)
	twin := webtest.Person("Aigerim Nurlanovna", w.src) // a possible duplicate, for the review queue
	twin.Birth = habeas.BirthDate{Precision: habeas.PrecisionYear, Date: "1995"}
	env.Create(t, twin)
	cw := env.As(t, habeas.RoleCaseworker)
	coord := env.As(t, habeas.RoleCoordinator)
	viewer := env.As(t, habeas.RoleViewer)
	admin := env.As(t, habeas.RoleAdmin)

	if got, want := cw.Cookie.Name, s.object(t, "/components/securitySchemes/session")["name"]; got != want {
		t.Errorf("the session cookie is %q; the security scheme names %q", got, want)
	}

	// One record of every kind, each with most of its fields, created through the API.
	id := map[habeas.Kind]string{}
	for _, k := range habeas.Kinds {
		id[k] = habeas.NewID(k)
	}
	records := []struct {
		kind habeas.Kind
		body string
	}{
		{habeas.KindSource, `{"id":"%[1]s","kind":"witness","title":"Witness on the square","reliability":"B","credibility":2,
			"received_at":"2022-01-06T10:00:00+06:00","received_by":"operator","contact":"by phone","consent_to_publish":true,
			"confidentiality":"restricted","reference":"note 12","notes":"called twice"}`},
		{habeas.KindPerson, `{"id":"%[2]s","names":[{"text":"Ерлан Тестов","source_id":"%[1]s"},{"text":"Yerlan Testov","script":"Latn","kind":"transliteration"}],
			"birth":{"precision":"age","age":31,"age_at":"2022-01-05"},"sex":"male","citizenships":["KZ","KG"],"home_region":"Almaty region",
			"sources":["%[1]s"],"notes":"synthetic"}`},
		{habeas.KindIncident, `{"id":"%[3]s","kind":"protest","title":"Protest on the square","city":"almaty","place":"Republic Square",
			"start":"2022-01-05T04:00:00Z","end":"2022-01-05T12:00:00Z","description":"synthetic","sources":["%[1]s"]}`},
		{habeas.KindLawyer, `{"id":"%[4]s","name":"Dana Sadykova","bar":"Almaty City Bar","phone":"+7 700 000 00 00","city":"almaty",
			"languages":["kk","ru"],"active":true}`},
		{habeas.KindDetention, `{"id":"%[5]s","person_id":"%[2]s","incident_id":"%[3]s","city":"almaty","procedure":"criminal","events":[
			{"id":"e1","type":"arrest","at":"2022-01-05T10:30:00Z","place":"Republic Square","body":"police","sources":["%[1]s"]},
			{"id":"e2","type":"protocol","at":"2022-01-05T20:00:00Z","zone":"Asia/Almaty"},
			{"id":"e3","type":"ill_treatment_allegation","at":"2022-01-05T22:00:00Z","allegation":{"circumstances":"taken to the station after the arrest",
				"period":"about two hours, that night","methods":["beating","stress_positions","other"],"methods_other":"made to sing","perpetrators":"police",
				"questions":"who organised the protest","routine":"no food or water","place":"district station","objects":"baton","injuries":"bruises",
				"sexual_violence":true,"witnesses":"two men held in the same cell","reported_to":"prosecutor","medical":{"examined_at":"2022-01-09T06:00:00Z",
				"examiner":"independent forensic doctor","consent":true,"private_interview":false,"photographs":true,"body_diagrams":true,
				"psychological_evaluation":false,"findings":"bruises on the back and legs","consistency":"highly_consistent"},"statement_obtained":true}},
			{"id":"e4","type":"lawyer_access_granted","at":"2022-01-06T09:00:00Z","lawyer_id":"%[4]s"},
			{"id":"e5","type":"court_appearance","at":"2022-01-07T09:00:00Z","decision":{"kind":"custody","days":60,"court":"district court","judge":"judge"},
				"monitoring":{"monitor":"M-07","checks":{"public_hearing":"no","counsel":"yes","interpreter":"not_applicable"},"notes":"closed to the public"}},
			{"id":"e6","type":"charge","at":"2022-01-08T09:00:00Z","charge":{"code":"CC","article":"272","part":"2","text":"mass riots"}},
			{"id":"e8","type":"trial_hearing","at":"2022-05-04T04:00:00Z","body":"Almaly district court","monitoring":{"monitor":"M-07",
				"checks":{"public_hearing":"yes","presumption_of_innocence":"no","juvenile_safeguards":"not_applicable"},"notes":"held in a glass cage",
				"statement_admitted":true}},
			{"id":"e9","type":"trial_hearing","at":"2022-05-11T04:00:00Z","body":"Almaly district court"},
			{"id":"e7","type":"verdict","at":"2022-06-01T09:00:00Z","verdict":{"outcome":"convicted","sentence":"5 years","months":60},"note":"appealed"}],
			"sources":["%[1]s"],"notes":"synthetic"}`},
		{habeas.KindCasualty, `{"id":"%[6]s","kind":"injured","person_id":"%[2]s","incident_id":"%[3]s","detention_id":"%[5]s",
			"at":"2022-01-05T22:00:00Z","city":"almaty","place":"district station","cause":"ill_treatment","circumstances":"in custody",
			"alleged_perpetrator":"police","autopsy":false,"sources":["%[1]s"]}`},
		{habeas.KindInvestigation, `{"id":"%[7]s","detention_id":"%[5]s","allegation_event_id":"e3","authority":"Prosecutor's office",
			"authority_implicated":false,"opened":"2022-01-20T00:00:00Z","case_number":"221","status":"open","family_informed":true,
			"results_public":false,"articles":["CC 146"],"notes":"synthetic","sources":["%[1]s"],"evidence_preserved":true,"witnesses_heard":false,
			"perpetrators_identified":false,"command_examined":false,"scene_documented":true,"chain_of_custody":true,"witnesses_protected":false,
			"family_may_present_evidence":true,"accountability":false}`},
		{habeas.KindAssignment, `{"id":"%[8]s","lawyer_id":"%[4]s","detention_id":"%[5]s","kind":"legal_aid","from":"2022-01-06T00:00:00Z",
			"to":"2022-06-01T00:00:00Z","notes":"synthetic","sources":["%[1]s"]}`},
		{habeas.KindEvidence, `{"id":"%[9]s","kind":"photo","title":"Photo of the injuries","description":"synthetic","person_id":"%[2]s",
			"detention_id":"%[5]s","casualty_id":"%[6]s","collected_at":"2022-01-10T00:00:00Z","collected_by":"monitor",
			"sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","sources":["%[1]s"]}`},
		{habeas.KindIdentity, `{"id":"%[10]s","person_a":"%[2]s","person_b":"` + w.person.ID + `","judgement":"different",
			"probability":0.12,"evidence":"names differ","note":"different people","sources":["%[1]s"]}`},
	}
	var tests []exchange
	for _, r := range records {
		body := fmt.Sprintf(r.body, id[habeas.KindSource], id[habeas.KindPerson], id[habeas.KindIncident], id[habeas.KindLawyer],
			id[habeas.KindDetention], id[habeas.KindCasualty], id[habeas.KindInvestigation], id[habeas.KindAssignment],
			id[habeas.KindEvidence], id[habeas.KindIdentity])
		tests = append(tests, exchange{name: "create a " + string(r.kind), client: cw, method: "POST",
			path: "/api/v1/" + api.Collection(r.kind), body: body, status: http.StatusCreated})
	}
	for _, k := range habeas.Kinds {
		tests = append(tests, exchange{name: "read a " + string(k), client: viewer, method: "GET",
			path: "/api/v1/" + api.Collection(k) + "/" + id[k], status: http.StatusOK})
	}

	at := "at=" + url.QueryEscape(clocks.At.Format(time.RFC3339))
	newPerson := habeas.NewID(habeas.KindPerson)
	crossSite := http.Header{"Sec-Fetch-Site": {"cross-site"}}
	killed, death := habeas.NewID(habeas.KindCasualty), habeas.NewID(habeas.KindInvestigation)
	iin, ok := habeas.MakeIIN(time.Date(1991, 3, 9, 0, 0, 0, 0, time.UTC), habeas.SexFemale, 42)
	if !ok {
		t.Fatal("no IIN")
	}
	// Saved views: the coordinator's shared one and private one, and one of
	// the viewer's own, so that the requests below know their identifiers.
	views := map[string]*habeas.SavedView{
		"shared":  {Owner: coord.Name, Name: "Almaty, no lawyer", Query: "city=almaty&queue=no_lawyer", Shared: true},
		"private": {Owner: coord.Name, Name: "Juveniles", Query: "queue=juvenile"},
		"own":     {Owner: viewer.Name, Name: "Foreign nationals", Query: "queue=foreign"},
	}
	for _, v := range views {
		if err := env.Store.CreateView(context.Background(), v); err != nil {
			t.Fatal(err)
		}
	}
	// A detainee of unknown age, whose safeguards carry the juvenile
	// reading beside the adult one (a doubt).
	youngSrc := webtest.Source("Call", habeas.SourceHotlineCall, "F", 3)
	young := webtest.Person("Арман Жасов", youngSrc)
	youngDet := webtest.Detention(young, "almaty", habeas.ProcedureCriminal, clocks.At.Add(-30*time.Hour), youngSrc)
	env.Create(t, youngSrc, young, youngDet)
	tests = append(tests, []exchange{
		{name: "replace a lawyer without If-Match", client: cw, method: "PUT", path: "/api/v1/lawyers/" + id[habeas.KindLawyer],
			body: `{"name":"Dana Sadykova","city":"astana","active":false}`, status: http.StatusBadRequest},
		{name: "replace a lawyer from a stale read", client: cw, method: "PUT", path: "/api/v1/lawyers/" + id[habeas.KindLawyer],
			header: http.Header{"If-Match": {`"1"`}}, body: `{"name":"Dana Sadykova","city":"astana","active":false}`, status: http.StatusConflict},
		{name: "replace a lawyer", client: cw, method: "PUT", path: "/api/v1/lawyers/" + id[habeas.KindLawyer],
			readFirst: "/api/v1/lawyers/" + id[habeas.KindLawyer], body: `{"name":"Dana Sadykova","city":"astana","active":false}`, status: http.StatusOK},
		{name: "a batch", client: coord, method: "POST", path: "/api/v1/batch", status: http.StatusOK, filled: []string{"changes"},
			readFirst: "/api/v1/lawyers/" + id[habeas.KindLawyer], body: `[
			{"op":"create","entity":"person","data":{"id":"` + newPerson + `","names":[{"text":"Nurlan Abenov"}]}},
			{"op":"update","entity":"lawyer","id":"` + id[habeas.KindLawyer] + `","version":{{version}},"data":{"name":"Dana Sadykova","active":true}},
			{"op":"delete","entity":"identity","id":"` + id[habeas.KindIdentity] + `"}]`},
		{name: "the history of a detention", client: viewer, method: "GET",
			path: "/api/v1/detentions/" + id[habeas.KindDetention] + "/history", status: http.StatusOK, filled: []string{"items"}},
		{name: "the history of a deleted identity", client: viewer, method: "GET",
			path: "/api/v1/identities/" + id[habeas.KindIdentity] + "/history", status: http.StatusOK, filled: []string{"items"}},
		{name: "delete evidence", client: coord, method: "DELETE", path: "/api/v1/evidence/" + id[habeas.KindEvidence], status: http.StatusNoContent},

		{name: "detentions", client: viewer, method: "GET", path: "/api/v1/detentions", status: http.StatusOK},
		{name: "detentions, every filter", client: viewer, method: "GET", status: http.StatusOK,
			path:   "/api/v1/detentions?city=almaty&from=2022-01-01&to=2022-06-30&procedure=criminal&status=in_custody&offset=0&limit=10",
			filled: []string{"items"}},
		{name: "casualties", client: viewer, method: "GET", path: "/api/v1/casualties?kind=injured&city=almaty&from=2022-01-05&to=2022-01-06", status: http.StatusOK,
			filled: []string{"items"}},
		{name: "persons", client: viewer, method: "GET", path: "/api/v1/persons?name=yerlan&limit=5", status: http.StatusOK, filled: []string{"items"}},
		{name: "stats", client: viewer, method: "GET", path: "/api/v1/stats", status: http.StatusOK},
		{name: "alerts", client: viewer, method: "GET", path: "/api/v1/alerts?within=36h&unknown=true&" + at, status: http.StatusOK, filled: []string{"items"}},
		{name: "alert counts", client: viewer, method: "GET", path: "/api/v1/alerts/counts?" + at, status: http.StatusOK, filled: []string{"rules"}},
		{name: "alerts by detainee", client: viewer, method: "GET", path: "/api/v1/alerts/detainees?within=36h&unknown=true&limit=5&" + at, status: http.StatusOK, filled: []string{"groups"}},
		{name: "the safeguards of an overdue detention", client: viewer, method: "GET",
			path: "/api/v1/detentions/" + clocks.Overdue.ID + "/safeguards?" + at, status: http.StatusOK, filled: []string{"results", "flags"}},
		{name: "the safeguards of a pending detention", client: viewer, method: "GET",
			path: "/api/v1/detentions/" + clocks.Pending.ID + "/safeguards?" + at, status: http.StatusOK, filled: []string{"results", "flags"}},
		{name: "the safeguards of a detainee of unknown age", client: viewer, method: "GET",
			path: "/api/v1/detentions/" + youngDet.ID + "/safeguards?" + at, status: http.StatusOK, filled: []string{"results"}},
		{name: "the review queue", client: viewer, method: "GET", path: "/api/v1/review", status: http.StatusOK, filled: []string{"items"}},

		{name: "the overdue queue", client: viewer, method: "GET", path: "/api/v1/detentions?queue=overdue&" + at, status: http.StatusOK,
			filled: []string{"items"}},
		{name: "foreign nationals in custody", client: viewer, method: "GET", status: http.StatusOK, filled: []string{"items"},
			path: "/api/v1/detentions?queue=foreign&city=almaty&status=in_custody&procedure=criminal&from=2022-01-01&to=2022-01-31&" + at},
		{name: "queue counts", client: viewer, method: "GET", path: "/api/v1/queues?city=almaty&" + at, status: http.StatusOK, filled: []string{"queues"}},
		{name: "a death and its investigation", client: cw, method: "POST", path: "/api/v1/batch", status: http.StatusOK, filled: []string{"changes"}, body: `[
			{"op":"create","entity":"casualty","data":{"id":"` + killed + `","kind":"killed","person_id":"` + id[habeas.KindPerson] + `",
				"at":"2022-01-06T03:00:00Z","city":"almaty","place":"Republic Square","cause":"gunshot","body_returned":true,"autopsy":false,
				"by_security_forces":true,"use_of_force":{"warning":{"answer":"no","sources":["` + id[habeas.KindSource] + `"],"note":"two witnesses"},
				"imminent_threat":{"answer":"no","sources":["` + id[habeas.KindSource] + `"]},
				"medical_aid":{"answer":"yes","at":"2022-01-06T05:30:00Z","sources":["` + id[habeas.KindSource] + `"]},
				"reported":{"answer":"yes","sources":["` + id[habeas.KindSource] + `"]}}}},
			{"op":"create","entity":"investigation","data":{"id":"` + death + `","casualty_id":"` + killed + `","authority":"Prosecutor General's Office",
				"authority_implicated":false,"opened":"2022-01-10T00:00:00Z","status":"open","victim_identified":true,"death_established":true,
				"evidence_preserved":false,"witnesses_heard":false}}]`},
		{name: "casualties by cause, with no investigation", client: viewer, method: "GET", status: http.StatusOK, filled: []string{"items"},
			path: "/api/v1/casualties?cause=ill_treatment&investigation=none&offset=0&limit=10"},
		{name: "investigated deaths", client: viewer, method: "GET", path: "/api/v1/casualties?kind=killed&investigation=open", status: http.StatusOK,
			filled: []string{"items"}},
		{name: "investigations", client: viewer, method: "GET", path: "/api/v1/investigations", status: http.StatusOK, filled: []string{"items"}},
		{name: "investigations, every filter", client: viewer, method: "GET", status: http.StatusOK, filled: []string{"items"},
			path: "/api/v1/investigations?at=2022-03-01T00:00:00Z&city=almaty&status=open&of=death&failing=true&check=witnesses_heard&offset=0&limit=10"},
		{name: "the checklist of an allegation's investigation", client: viewer, method: "GET", status: http.StatusOK, filled: []string{"checks", "failed"},
			path: "/api/v1/investigations/" + id[habeas.KindInvestigation] + "/checklist?at=2022-03-01T00:00:00Z"},
		{name: "the checklist of a death's investigation", client: viewer, method: "GET", path: "/api/v1/investigations/" + death + "/checklist",
			status: http.StatusOK, filled: []string{"checks", "failed"}},
		{name: "trials", client: viewer, method: "GET", path: "/api/v1/trials", status: http.StatusOK, filled: []string{"items"}},
		{name: "trials, every filter", client: viewer, method: "GET", status: http.StatusOK, filled: []string{"items"},
			path: "/api/v1/trials?city=almaty&from=2022-01-01&to=2022-12-31&detention=" + id[habeas.KindDetention] +
				"&type=trial_hearing&monitored=true&failing=true&check=presumption_of_innocence&statement=true&offset=0&limit=10"},
		{name: "hearings not monitored", client: viewer, method: "GET", path: "/api/v1/trials?monitored=false", status: http.StatusOK,
			filled: []string{"items"}},
		{name: "lawyers", client: viewer, method: "GET", path: "/api/v1/lawyers?at=2022-03-01T00:00:00Z&offset=0&limit=10", status: http.StatusOK,
			filled: []string{"items"}},
		{name: "a report", client: cw, method: "POST", path: "/api/v1/intake", status: http.StatusCreated, filled: []string{"changes"},
			body: `{"name":"Серікбаева Айгүл","birth":"09.03.1991","sex":"female","citizenship":"kz","iin":"` + string(iin)[:6] + " " + string(iin)[6:] + `",
				"city":"almaty","date":"2022-01-05","time":"14:30","place":"Republic Square","body":"police","custody":"district station",
				"custody_since":"16:00","note":"taken from the crowd","source_kind":"relative","caller":"sister, Aigerim","contact":"+7 701 000 00 00",
				"confidentiality":"restricted","reliability":"C","credibility":"2"}`},
		{name: "a report about a registered person", client: cw, method: "POST", path: "/api/v1/intake", status: http.StatusCreated,
			body: `{"person_id":"` + id[habeas.KindPerson] + `","name":"Erlan Testov","city":"almaty","date":"05.01.2022","time":"1030"}`},
		{name: "suggestions by name", client: viewer, method: "GET", path: "/api/v1/persons/suggest?q=" + url.QueryEscape("ерлан тест") + "&limit=5",
			status: http.StatusOK, filled: []string{"items"}},
		{name: "suggestions by IIN", client: viewer, method: "GET", path: "/api/v1/persons/suggest?iin=" + string(iin) + "&q=serikbayeva",
			status: http.StatusOK, filled: []string{"items"}},
		{name: "save a view", client: viewer, method: "POST", path: "/api/v1/views", status: http.StatusCreated,
			body: `{"name":"Overdue in Aktau","shared":false,"filter":{"queue":"overdue","city":"aktau","from":"2022-02-01","status":"in_custody"}}`},
		{name: "saved views", client: viewer, method: "GET", path: "/api/v1/views", status: http.StatusOK, filled: []string{"items"}},
		{name: "a shared view", client: viewer, method: "GET", path: "/api/v1/views/" + views["shared"].ID, status: http.StatusOK},
		{name: "delete a view", client: viewer, method: "DELETE", path: "/api/v1/views/" + views["own"].ID, status: http.StatusNoContent},

		{name: "an invalid record", client: cw, method: "POST", path: "/api/v1/persons", body: `{"names":[]}`, status: http.StatusBadRequest},
		{name: "an invalid filter", client: viewer, method: "GET", path: "/api/v1/detentions?status=free&limit=0", status: http.StatusBadRequest},
		{name: "an empty batch", client: cw, method: "POST", path: "/api/v1/batch", body: `[]`, status: http.StatusBadRequest},
		{name: "not signed in", client: env.Anonymous(), method: "GET", path: "/api/v1/stats", status: http.StatusUnauthorized},
		{name: "a viewer writes", client: viewer, method: "POST", path: "/api/v1/lawyers", body: `{"name":"X"}`, status: http.StatusForbidden},
		{name: "a cross-origin write", client: cw, method: "POST", path: "/api/v1/lawyers", body: `{"name":"X"}`, header: crossSite,
			status: http.StatusForbidden},
		{name: "a caseworker deletes", client: cw, method: "DELETE", path: "/api/v1/lawyers/" + id[habeas.KindLawyer], status: http.StatusForbidden},
		{name: "a missing record", client: viewer, method: "GET", path: "/api/v1/lawyers/law_aaaaaaaaaaaaaaaa", status: http.StatusNotFound},
		{name: "no history", client: viewer, method: "GET", path: "/api/v1/lawyers/law_aaaaaaaaaaaaaaaa/history", status: http.StatusNotFound},
		{name: "an unknown collection", client: cw, method: "POST", path: "/api/v1/prisoners", body: `{}`, status: http.StatusNotFound},
		{name: "the safeguards of nothing", client: viewer, method: "GET", path: "/api/v1/detentions/det_aaaaaaaaaaaaaaaa/safeguards", status: http.StatusNotFound},
		{name: "an identifier in use", client: cw, method: "POST", path: "/api/v1/sources", status: http.StatusConflict,
			body: `{"id":"` + id[habeas.KindSource] + `","kind":"media","title":"Again","reliability":"C","credibility":3,"received_at":"2022-01-07T00:00:00Z"}`},
		{name: "a referenced record", client: coord, method: "DELETE", path: "/api/v1/persons/" + id[habeas.KindPerson], status: http.StatusConflict},
		{name: "an invalid queue", client: viewer, method: "GET", path: "/api/v1/queues?at=yesterday", status: http.StatusBadRequest},
		{name: "the checklist of nothing", client: viewer, method: "GET", path: "/api/v1/investigations/inv_aaaaaaaaaaaaaaaa/checklist",
			status: http.StatusNotFound},
		{name: "an invalid report", client: cw, method: "POST", path: "/api/v1/intake", body: `{"name":" ","city":"atlantis","time":"25:00"}`,
			status: http.StatusBadRequest},
		{name: "a viewer takes a report", client: viewer, method: "POST", path: "/api/v1/intake",
			body: `{"name":"X","city":"almaty","time":"10:00"}`, status: http.StatusForbidden},
		{name: "an invalid view", client: viewer, method: "POST", path: "/api/v1/views", body: `{"name":"","filter":{"queue":"zz","page":"2"}}`,
			status: http.StatusBadRequest},
		{name: "a view's name again", client: coord, method: "POST", path: "/api/v1/views", body: `{"name":"Juveniles","filter":{}}`,
			status: http.StatusConflict},
		{name: "another's private view", client: viewer, method: "GET", path: "/api/v1/views/" + views["private"].ID, status: http.StatusNotFound},
		{name: "another's shared view deleted", client: viewer, method: "DELETE", path: "/api/v1/views/" + views["shared"].ID,
			status: http.StatusForbidden},
		{name: "a deleted view", client: viewer, method: "DELETE", path: "/api/v1/views/" + views["own"].ID, status: http.StatusNotFound},

		{name: "the audit log", client: admin, method: "GET", status: http.StatusOK, filled: []string{"items"},
			path: "/api/v1/audit?actor=viewer&action=list&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&offset=0&limit=10"},
		{name: "who read a person", client: admin, method: "GET", path: "/api/v1/audit?record=" + id[habeas.KindPerson], status: http.StatusOK,
			filled: []string{"items"}},
		{name: "a viewer reads the audit log", client: viewer, method: "GET", path: "/api/v1/audit", status: http.StatusForbidden},
		{name: "an invalid audit filter", client: admin, method: "GET", path: "/api/v1/audit?record=someone", status: http.StatusBadRequest},
	}...)

	ops := s.operations(t)
	mux := http.NewServeMux()
	for _, op := range ops {
		mux.Handle(op.String(), http.NotFoundHandler())
	}
	used := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.readFirst != "" {
				tag := tt.client.Get(tt.readFirst).Header().Get("ETag")
				tt.header = http.Header{"If-Match": {tag}}
				tt.body = strings.ReplaceAll(tt.body, "{{version}}", strings.Trim(tag, `"`))
			}
			req := tt.client.Request(tt.method, tt.path, tt.body)
			for k, v := range tt.header {
				req.Header[k] = v
			}
			_, pattern := mux.Handler(req)
			i := slices.IndexFunc(ops, func(op operation) bool { return op.String() == pattern })
			if i < 0 {
				t.Fatalf("%s %s: no operation of %s matches", tt.method, tt.path, openAPIFile)
			}
			op := ops[i]
			used[op.String()] = true
			rec := env.Serve(req)
			if rec.Code != tt.status {
				t.Fatalf("%s %s: status %s, want %s: %s", tt.method, tt.path, statusText(rec.Code), statusText(tt.status), truncate(rec.Body.String()))
			}
			kind := kindOf(tt.path, op)
			if tt.body != "" && rec.Code < 300 {
				ptr := s.follow(t, op.ptr+"/requestBody") + "/content/application~1json/schema"
				validate(t, s, ptr, kind, []byte(tt.body), "the request body")
			}
			checkResponse(t, s, op, rec.Code, rec.Header(), rec.Body.Bytes(), kind)
			if len(tt.filled) > 0 {
				var got map[string]any
				if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
					t.Fatal(err)
				}
				for _, key := range tt.filled {
					if a, _ := got[key].([]any); len(a) == 0 {
						t.Errorf("%s %s: %s is empty, so its items were not checked: %s", tt.method, tt.path, key, truncate(rec.Body.String()))
					}
				}
			}
		})
	}
	for _, op := range ops {
		if !used[op.String()] {
			t.Errorf("no request in this test exercises %s; add one", op)
		}
	}
}

// kindOf returns the kind of record an operation on /api/v1/{kind} or
// /api/v1/{kind}/{id} reads or writes, or "" for any other.
func kindOf(path string, op operation) habeas.Kind {
	if op.Path != "/api/v1/{kind}" && op.Path != "/api/v1/{kind}/{id}" {
		return ""
	}
	seg, _, _ := strings.Cut(strings.TrimPrefix(path, "/api/v1/"), "/")
	for _, k := range habeas.Kinds {
		if api.Collection(k) == seg {
			return k
		}
	}
	return ""
}

// checkResponse checks a response against what op documents for its status.
func checkResponse(t *testing.T, s *spec, op operation, status int, header http.Header, body []byte, kind habeas.Kind) {
	t.Helper()
	code := fmt.Sprint(status)
	if _, ok := op.Responses[code]; !ok {
		t.Fatalf("%s answered %s, which %s does not list for it", op, statusText(status), openAPIFile)
	}
	ptr := s.follow(t, op.ptr+"/responses/"+code)
	resp := s.object(t, ptr)
	if hs, ok := resp["headers"].(map[string]any); ok {
		for name := range hs {
			if header.Get(name) == "" {
				t.Errorf("%s %d: no %s header, which the document promises", op, status, name)
			}
		}
	}
	content, _ := resp["content"].(map[string]any)
	if len(content) == 0 {
		if len(body) > 0 {
			t.Errorf("%s %d: a body the document does not describe: %s", op, status, truncate(string(body)))
		}
		return
	}
	mt, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	if _, ok := content[mt]; !ok {
		t.Fatalf("%s %d: Content-Type %q, which the document does not list", op, status, header.Get("Content-Type"))
	}
	if status >= 300 {
		kind = "" // errors are of one shape, whatever the kind
	}
	validate(t, s, ptr+"/content/"+escape(mt)+"/schema", kind, body, "the response body")
}

// validate validates a JSON value against the schema at ptr and, for a
// record of a known kind, against the schema of that kind too.
func validate(t *testing.T, s *spec, ptr string, kind habeas.Kind, data []byte, what string) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s is not JSON: %v: %s", what, err, truncate(string(data)))
	}
	ptrs := []string{ptr}
	switch {
	case kind == habeas.KindSource && bytes.Contains(data, []byte(`"title":""`)):
		// A restricted source, as a reader not granted it reads it.
		ptrs = append(ptrs, "/components/schemas/WithheldSource")
	case kind != "":
		ptrs = append(ptrs, "/components/schemas/"+kindSchema(kind))
	}
	for _, p := range ptrs {
		if err := s.schema(t, p).Validate(v); err != nil {
			t.Errorf("%s does not match the schema at #%s:\n%v\n%s", what, p, err, truncate(string(data)))
		}
	}
}

// TestOpenAPIQueryParameters checks that the handlers read each query
// parameter the document gives with a constrained value: a bad value is
// refused with 400, naming the parameter. Plain text (name, iin) is
// accepted whatever it is, so it is not checked here.
func TestOpenAPIQueryParameters(t *testing.T) {
	s := loadSpec(t)
	env := webtest.New(t)
	w := newWorld(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	admin := env.As(t, habeas.RoleAdmin)
	for _, op := range s.operations(t) {
		for _, p := range op.Parameters {
			name, _ := p["name"].(string)
			if p["in"] != "query" {
				continue
			}
			sch := p["schema"].(map[string]any)
			if ref, ok := sch["$ref"].(string); ok {
				sch = s.object(t, strings.TrimPrefix(ref, "#"))
			}
			constrained := sch["type"] != "string"
			for _, k := range []string{"enum", "format", "pattern", "minimum", "maximum"} {
				_, ok := sch[k]
				constrained = constrained || ok
			}
			if !constrained {
				continue
			}
			t.Run(op.String()+"?"+name, func(t *testing.T) {
				path := strings.ReplaceAll(op.Path, "{id}", w.det.ID) + "?" + url.Values{name: {"zz!"}}.Encode()
				var body webtest.ErrorBody
				client := viewer
				if !slices.Contains(op.Roles, string(habeas.RoleViewer)) { // the audit log: administrators only
					client = admin
				}
				code := client.JSON(t, op.Method, path, nil, &body)
				if code != http.StatusBadRequest || !body.HasField(name, "") {
					t.Errorf("%s %s: status %s, error %+v; want 400 naming %s, or the parameter is not read", op.Method, path,
						statusText(code), body.Error, name)
				}
			})
		}
	}
}
