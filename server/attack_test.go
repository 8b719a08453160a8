package server_test

// Attacks by an informer among the staff: an account of role lawyer,
// analyst, monitor, viewer or caseworker that tries to read what its role
// must not (docs/security.md: Roles, Per-case access, Restricted
// sources). Each TestAttack... plants distinctive values in records out
// of the attacker's reach and greps every response for them.

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web/webtest"
)

// planted is a register with a lawyer's client (mine), another detainee
// out of the lawyer's scope (other) with everything around it, and a
// restricted source cited by both cases.
type planted struct {
	env *webtest.Env
	at  time.Time

	srcMine, srcOther, srcRestricted, srcEvidence *habeas.Source
	mine, other, twin                             *habeas.Person
	detMine, detOther                             *habeas.Detention
	lawMine, lawOther                             *habeas.Lawyer
	asgMine, asgOther                             *habeas.Assignment
	casOther                                      *habeas.Casualty
	evdOther                                      *habeas.Evidence
	invOther                                      *habeas.Investigation
	incident                                      *habeas.Incident
	identity                                      *habeas.Identity
}

// Secrets planted out of the lawyer's scope.
const (
	otherName      = "Чужойимя Секретовна"
	otherIIN       = "900512300011"
	otherNote      = "PERSONNOTE-OTHER-7731"
	detOtherNote   = "DETNOTE-OTHER-7732"
	otherPlace     = "ARRESTPLACE-OTHER-7733"
	otherJudge     = "JUDGE-OTHER-7734"
	otherMonNote   = "MONNOTE-OTHER-7735"
	otherMonitor   = "MONITORNAME-OTHER-7736"
	srcOtherTitle  = "SRCTITLE-OTHER-7737"
	asgOtherNote   = "ASGNOTE-OTHER-7738"
	casOtherPlace  = "CASPLACE-OTHER-7739"
	casOtherCirc   = "CASCIRC-OTHER-7740"
	evdOtherTitle  = "EVDTITLE-OTHER-7741"
	invOtherNote   = "INVNOTE-OTHER-7742"
	incidentDesc   = "INCDESC-7743"
	incidentPlace  = "INCPLACE-7744"
	twinName       = "Двойникимя Скрытый"
	identityNote   = "IDNOTE-7745"
	mineName       = "Свойимя Клиентова"
	mineNote       = "PERSONNOTE-MINE-7746"
	minePlace      = "ARRESTPLACE-MINE-7747"
	mineJudge      = "JUDGE-MINE-7748"
	mineMonNote    = "MONNOTE-MINE-7749"
	srcMineTitle   = "SRCTITLE-MINE-7750"
	restrTitle     = "RESTRTITLE-7751"
	restrContact   = "+7 700 555 7752"
	restrReference = "RESTRREF-7753"
	restrNotes     = "RESTRNOTES-7754"
	restrReceiver  = "receiver7755"
)

func plant(t *testing.T) *planted {
	t.Helper()
	env := webtest.New(t)
	almaty := time.FixedZone("+06", 6*3600)
	p := &planted{env: env, at: time.Date(2022, 1, 8, 12, 0, 0, 0, time.UTC)}
	p.srcMine = webtest.Source(srcMineTitle, habeas.SourceHotlineCall, "C", 3)
	p.srcOther = webtest.Source(srcOtherTitle, habeas.SourceHotlineCall, "C", 3)
	p.srcEvidence = webtest.Source("SRCTITLE-EVD-7756", habeas.SourceHotlineCall, "C", 3)
	p.srcRestricted = webtest.Source(restrTitle, habeas.SourceHotlineCall, "C", 3)
	p.srcRestricted.Confidentiality = habeas.ConfidentialityRestricted
	p.srcRestricted.Contact, p.srcRestricted.Reference, p.srcRestricted.Notes = restrContact, restrReference, restrNotes
	p.srcRestricted.ReceivedBy = restrReceiver

	p.mine = webtest.Person(mineName, p.srcMine)
	p.mine.Notes = mineNote
	p.mine.Sources = append(p.mine.Sources, p.srcRestricted.ID)
	p.other = webtest.Person(otherName, p.srcOther)
	p.other.IIN, p.other.Notes = otherIIN, otherNote
	p.other.Sources = append(p.other.Sources, p.srcRestricted.ID)
	p.twin = webtest.Person(twinName, p.srcOther)

	p.incident = &habeas.Incident{ID: habeas.NewID(habeas.KindIncident), Kind: habeas.IncidentProtest, Title: "protest",
		City: "almaty", Place: incidentPlace, Description: incidentDesc, Start: time.Date(2022, 1, 5, 10, 0, 0, 0, almaty),
		Sources: []string{p.srcOther.ID}}

	p.detMine = webtest.Detention(p.mine, "almaty", habeas.ProcedureCriminal, time.Date(2022, 1, 6, 9, 0, 0, 0, almaty), p.srcMine)
	p.detMine.Events[0].Place, p.detMine.Events[0].ID = minePlace, "e1"
	p.detMine.Events = append(p.detMine.Events,
		habeas.Event{ID: "e2", Type: habeas.EventCourtAppearance, At: time.Date(2022, 1, 7, 11, 0, 0, 0, almaty), Body: "Almaly district court",
			Decision: &habeas.Decision{Kind: habeas.DecisionCustody, Days: 60, Judge: mineJudge}, Sources: []string{p.srcRestricted.ID},
			Monitoring: &habeas.TrialMonitoring{Monitor: "m1", Notes: mineMonNote, Checks: map[string]habeas.Answer{"public_hearing": habeas.AnswerNo}}})

	p.detOther = webtest.Detention(p.other, "almaty", habeas.ProcedureCriminal, time.Date(2022, 1, 6, 10, 0, 0, 0, almaty), p.srcOther)
	p.detOther.Notes, p.detOther.IncidentID = detOtherNote, p.incident.ID
	p.detOther.Events[0].Place, p.detOther.Events[0].ID = otherPlace, "e1"
	p.detOther.Events = append(p.detOther.Events,
		habeas.Event{ID: "e2", Type: habeas.EventCourtAppearance, At: time.Date(2022, 1, 7, 12, 0, 0, 0, almaty), Body: "Medeu district court",
			Place:    "COURTPLACE-OTHER-7757",
			Decision: &habeas.Decision{Kind: habeas.DecisionCustody, Days: 60, Judge: otherJudge}, Sources: []string{p.srcRestricted.ID},
			Monitoring: &habeas.TrialMonitoring{Monitor: otherMonitor, Notes: otherMonNote, Checks: map[string]habeas.Answer{"public_hearing": habeas.AnswerNo}}})

	p.lawMine = &habeas.Lawyer{ID: habeas.NewID(habeas.KindLawyer), Name: "Адвокат Свой", City: "almaty", Active: true}
	p.lawOther = &habeas.Lawyer{ID: habeas.NewID(habeas.KindLawyer), Name: "Адвокат Чужой", City: "almaty", Active: true}
	p.asgMine = &habeas.Assignment{ID: habeas.NewID(habeas.KindAssignment), LawyerID: p.lawMine.ID, DetentionID: p.detMine.ID,
		Kind: habeas.AssignmentLegalAid, From: time.Date(2022, 1, 6, 12, 0, 0, 0, time.UTC), Sources: []string{p.srcMine.ID}}
	p.asgOther = &habeas.Assignment{ID: habeas.NewID(habeas.KindAssignment), LawyerID: p.lawOther.ID, DetentionID: p.detOther.ID,
		Kind: habeas.AssignmentLegalAid, From: time.Date(2022, 1, 6, 12, 0, 0, 0, time.UTC), Notes: asgOtherNote, Sources: []string{p.srcOther.ID}}
	p.casOther = &habeas.Casualty{ID: habeas.NewID(habeas.KindCasualty), Kind: habeas.CasualtyInjured, PersonID: p.other.ID,
		DetentionID: p.detOther.ID, At: time.Date(2022, 1, 6, 16, 0, 0, 0, almaty), City: "almaty", Place: casOtherPlace,
		Circumstances: casOtherCirc, Cause: "gunshot", Sources: []string{p.srcOther.ID}}
	p.evdOther = &habeas.Evidence{ID: habeas.NewID(habeas.KindEvidence), Kind: "photo", Title: evdOtherTitle, PersonID: p.other.ID,
		DetentionID: p.detOther.ID, Sources: []string{p.srcOther.ID}}
	p.invOther = &habeas.Investigation{ID: habeas.NewID(habeas.KindInvestigation), CasualtyID: p.casOther.ID,
		Authority: "Almaty city police department", Status: habeas.InvestigationOpen, Notes: invOtherNote,
		Opened: time.Date(2022, 1, 7, 10, 0, 0, 0, almaty)}
	a, b := p.mine.ID, p.twin.ID
	if b < a {
		a, b = b, a
	}
	p.identity = &habeas.Identity{ID: habeas.NewID(habeas.KindIdentity), PersonA: a, PersonB: b, Judgement: habeas.SamePerson, Note: identityNote}
	env.Create(t, p.srcMine, p.srcOther, p.srcEvidence, p.srcRestricted, p.mine, p.other, p.twin, p.incident, p.detMine, p.detOther,
		p.lawMine, p.lawOther, p.asgMine, p.asgOther, p.casOther, p.evdOther, p.invOther, p.identity)
	return p
}

// lawyer signs in a lawyer's account linked to the lawyer record id.
func (p *planted) lawyer(t *testing.T, name, lawyerID string) *webtest.Client {
	t.Helper()
	return p.user(t, &habeas.User{Name: name, Role: habeas.RoleLawyer, LawyerID: lawyerID})
}

// user creates the account u and signs it in.
func (p *planted) user(t *testing.T, u *habeas.User) *webtest.Client {
	t.Helper()
	return p.env.AsUser(t, u)
}

// paths are the GET requests an attacker sends: every page and API read,
// with the records of both cases and their filters.
func (p *planted) paths() []string {
	at := url.QueryEscape(p.at.Format(time.RFC3339))
	out := []string{"/", "/detentions", "/detentions?person_id=" + p.other.ID, "/persons", "/persons?q=" + url.QueryEscape(otherName),
		"/persons?q=" + otherIIN, "/persons?q=Чужойимя", "/alerts", "/alerts?view=rules", "/alerts?unknown=true&within=720h&at=" + at,
		"/alerts?view=detainees&unknown=true&within=720h&at=" + at,
		"/alerts/counts", "/casualties", "/investigations", "/lawyers", "/queues", "/review", "/trials", "/views", "/tokens",
		"/intake", "/intake/suggest?q=" + url.QueryEscape("Чужойимя"),
		"/api/v1/detentions", "/api/v1/detentions?person_id=" + p.other.ID, "/api/v1/persons", "/api/v1/persons?name=" + url.QueryEscape("Чужойимя"),
		"/api/v1/persons?iin=" + otherIIN, "/api/v1/persons/suggest?q=" + url.QueryEscape("Чужойимя"),
		"/api/v1/alerts?unknown=true&within=720h&at=" + at, "/api/v1/alerts/detainees?unknown=true&within=720h&at=" + at,
		"/api/v1/alerts/counts", "/api/v1/casualties", "/api/v1/investigations", "/api/v1/lawyers", "/api/v1/queues",
		"/api/v1/review", "/api/v1/stats", "/api/v1/trials", "/api/v1/trials?detention=" + p.detOther.ID, "/api/v1/views",
		"/api/v1/investigations/" + p.invOther.ID + "/checklist",
	}
	for _, q := range habeas.Queues {
		out = append(out, "/detentions?queue="+q, "/api/v1/detentions?queue="+q+"&at="+at)
	}
	for _, d := range []*habeas.Detention{p.detMine, p.detOther} {
		out = append(out, "/detentions/"+d.ID, "/detentions/"+d.ID+"?at="+at, "/trials/"+d.ID+"/e2",
			"/api/v1/detentions/"+d.ID+"/safeguards?at="+at)
	}
	for _, per := range []*habeas.Person{p.mine, p.other, p.twin} {
		out = append(out, "/persons/"+per.ID)
	}
	out = append(out, "/casualties/"+p.casOther.ID, "/investigations/"+p.invOther.ID)
	for _, e := range []habeas.Entity{p.srcMine, p.srcOther, p.srcRestricted, p.srcEvidence, p.mine, p.other, p.twin, p.incident,
		p.detMine, p.detOther, p.lawMine, p.lawOther, p.asgMine, p.asgOther, p.casOther, p.evdOther, p.invOther, p.identity} {
		path := "/api/v1/" + kindPath(e.EntityKind()) + "/" + e.GetID()
		out = append(out, path, path+"/history")
	}
	return out
}

func kindPath(k habeas.Kind) string {
	switch k {
	case habeas.KindPerson:
		return "persons"
	case habeas.KindCasualty:
		return "casualties"
	case habeas.KindEvidence:
		return "evidence"
	case habeas.KindIdentity:
		return "identities"
	}
	return string(k) + "s"
}

// crawl sends every path as c and returns each answer's status and body
// (HTML unescaped); it fails the test on any 5xx.
func crawl(t *testing.T, c *webtest.Client, paths []string) map[string]*httpAnswer {
	t.Helper()
	out := map[string]*httpAnswer{}
	for _, path := range paths {
		rec := c.Get(path)
		out[path] = &httpAnswer{code: rec.Code, body: html.UnescapeString(rec.Body.String())}
		if rec.Code >= 500 {
			t.Errorf("%s: GET %s answers %d: %.300s", c.Name, path, rec.Code, rec.Body.String())
		}
	}
	return out
}

type httpAnswer struct {
	code int
	body string
}

// leaks reports every path whose body holds one of secrets.
func leaks(t *testing.T, who string, answers map[string]*httpAnswer, secrets ...string) {
	t.Helper()
	for _, path := range slices.Sorted(func(yield func(string) bool) {
		for k := range answers {
			if !yield(k) {
				return
			}
		}
	}) {
		asked, _ := url.QueryUnescape(path)
		for _, s := range secrets {
			if strings.Contains(answers[path].body, s) && !strings.Contains(asked, s) { // what was asked may be echoed
				t.Errorf("%s reads %q in GET %s (%d)", who, s, path, answers[path].code)
			}
		}
	}
}

var _ = fmt.Sprint

// idLeaks is leaks for identifiers: an answer to a request that names the
// identifier itself may echo it back.
func idLeaks(t *testing.T, who string, answers map[string]*httpAnswer, ids ...string) {
	t.Helper()
	for path, a := range answers {
		for _, id := range ids {
			if !strings.Contains(path, id) && strings.Contains(a.body, id) {
				t.Errorf("%s reads the identifier %s (out of scope) in GET %s (%d)", who, id, path, a.code)
			}
		}
	}
}

// A lawyer reads nothing of a case they are not assigned to, by any page
// or API read, not even its identifiers; and a restricted source of their
// own client's case is withheld.
func TestAttackLawyerSweep(t *testing.T) {
	p := plant(t)
	c := p.lawyer(t, "lena", p.lawMine.ID)
	answers := crawl(t, c, p.paths())
	leaks(t, "lawyer", answers, otherName, otherIIN, otherNote, detOtherNote, otherPlace, otherJudge, otherMonNote, otherMonitor,
		srcOtherTitle, asgOtherNote, casOtherPlace, casOtherCirc, evdOtherTitle, invOtherNote, twinName, identityNote,
		restrTitle, restrContact, restrReference, restrNotes, restrReceiver, "SRCTITLE-EVD-7756", "COURTPLACE-OTHER-7757")
	delete(answers, "/api/v1/incidents/"+p.incident.ID) // an incident is read whole, with the sources it cites
	idLeaks(t, "lawyer", answers, p.other.ID, p.detOther.ID, p.twin.ID, p.casOther.ID, p.evdOther.ID, p.invOther.ID,
		p.asgOther.ID, p.srcOther.ID, p.identity.ID, p.srcEvidence.ID)
	// Sanity: the lawyer does read their own client.
	if a := answers["/detentions/"+p.detMine.ID]; a.code != http.StatusOK || !strings.Contains(a.body, mineName) {
		t.Errorf("the lawyer does not read their own client's case: %d", a.code)
	}
	// Out of scope is not found, exactly as what does not exist.
	for _, e := range []habeas.Entity{p.other, p.detOther, p.srcOther, p.casOther, p.evdOther, p.invOther, p.asgOther, p.identity} {
		path := "/api/v1/" + kindPath(e.EntityKind()) + "/" + e.GetID()
		for _, suffix := range []string{"", "/history"} {
			if got := answers[path+suffix].code; got != http.StatusNotFound {
				t.Errorf("lawyer: GET %s answers %d, want 404", path+suffix, got)
			}
		}
	}
	for _, path := range []string{"/detentions/" + p.detOther.ID, "/persons/" + p.other.ID, "/persons/" + p.twin.ID,
		"/casualties/" + p.casOther.ID, "/investigations/" + p.invOther.ID, "/trials/" + p.detOther.ID + "/e2",
		"/api/v1/detentions/" + p.detOther.ID + "/safeguards?at=" + url.QueryEscape(p.at.Format(time.RFC3339)),
		"/api/v1/investigations/" + p.invOther.ID + "/checklist"} {
		if got := answers[path].code; got != http.StatusNotFound {
			t.Errorf("lawyer: GET %s answers %d, want 404", path, got)
		}
	}
}

// analystSecrets are what identifies someone, or tells their story: an
// analyst reads none of them (docs/security.md, Per-case access).
var analystSecrets = []string{otherName, twinName, mineName, "Чужойимя", "Свойимя", otherIIN, otherNote, mineNote, detOtherNote,
	asgOtherNote, invOtherNote, identityNote, otherMonNote, mineMonNote, otherPlace, minePlace, casOtherPlace, casOtherCirc,
	otherJudge, mineJudge, srcOtherTitle, srcMineTitle, evdOtherTitle, "SRCTITLE-EVD-7756",
	restrTitle, restrContact, restrReference, restrNotes, restrReceiver, "COURTPLACE-OTHER-7757", incidentDesc, incidentPlace, otherMonitor}

// An analyst reads the register pseudonymised, by every page and API read.
func TestAttackAnalystSweep(t *testing.T) {
	p := plant(t)
	c := p.env.As(t, habeas.RoleAnalyst)
	answers := crawl(t, c, p.paths())
	leaks(t, "analyst", answers, analystSecrets...)
	for _, path := range []string{"/persons?q=Чужойимя", "/api/v1/persons?name=" + url.QueryEscape("Чужойимя"), "/api/v1/persons?iin=" + otherIIN,
		"/api/v1/persons/suggest?q=" + url.QueryEscape("Чужойимя"), "/review", "/api/v1/review", "/intake/suggest?q=" + url.QueryEscape("Чужойимя")} {
		if got := answers[path].code; got != http.StatusForbidden {
			t.Errorf("analyst: GET %s answers %d, want 403", path, got)
		}
	}
	if a := answers["/detentions/"+p.detOther.ID]; a.code != http.StatusOK || !strings.Contains(a.body, p.other.ID) {
		t.Errorf("the analyst does not read the case pseudonymised: %d", a.code)
	}
}

var restrictedSecrets = []string{restrTitle, restrContact, restrReference, restrNotes, restrReceiver}

// A viewer, a caseworker who did not receive it, and a trial monitor read
// a restricted source withheld everywhere; the monitor reads no case
// file, person or source.
func TestAttackRestrictedAndMonitorSweep(t *testing.T) {
	p := plant(t)
	for _, role := range []habeas.Role{habeas.RoleViewer, habeas.RoleCaseworker, habeas.RoleMonitor, habeas.RoleCoordinator} {
		c := p.env.As(t, role)
		answers := crawl(t, c, p.paths())
		leaks(t, string(role), answers, restrictedSecrets...)
		if role == habeas.RoleMonitor {
			leaks(t, "monitor", answers, otherIIN, otherNote, mineNote, detOtherNote, srcOtherTitle, srcMineTitle, asgOtherNote,
				evdOtherTitle, invOtherNote, identityNote, casOtherCirc, otherPlace, minePlace)
		}
	}
}

// A lawyer acts for a client in one detention; the same person's other
// detention, with another lawyer, is not theirs. What was recorded of
// that other case (a casualty, evidence) must not reach them, not even
// the other detention's identifier.
func TestAttackLawyerReadsClientsOtherCase(t *testing.T) {
	p := plant(t)
	almaty := time.FixedZone("+06", 6*3600)
	second := webtest.Detention(p.mine, "astana", habeas.ProcedureAdministrative, time.Date(2021, 6, 1, 9, 0, 0, 0, almaty), p.srcOther)
	second.Notes = "DET2NOTE-7760"
	asg2 := &habeas.Assignment{ID: habeas.NewID(habeas.KindAssignment), LawyerID: p.lawOther.ID, DetentionID: second.ID,
		Kind: habeas.AssignmentLegalAid, From: time.Date(2021, 6, 1, 12, 0, 0, 0, time.UTC), Sources: []string{p.srcOther.ID}}
	cas2 := &habeas.Casualty{ID: habeas.NewID(habeas.KindCasualty), Kind: habeas.CasualtyInjured, PersonID: p.mine.ID,
		DetentionID: second.ID, At: time.Date(2021, 6, 1, 16, 0, 0, 0, almaty), City: "astana", Place: "CAS2PLACE-7761",
		Circumstances: "CAS2CIRC-7762", Cause: "blunt_trauma", Sources: []string{p.srcOther.ID}}
	evd2 := &habeas.Evidence{ID: habeas.NewID(habeas.KindEvidence), Kind: "photo", Title: "EVD2TITLE-7763", Description: "EVD2DESC-7764",
		PersonID: p.mine.ID, DetentionID: second.ID, Sources: []string{p.srcOther.ID}}
	p.env.Create(t, second, asg2, cas2, evd2)

	c := p.lawyer(t, "lena", p.lawMine.ID)
	if got := c.Get("/api/v1/detentions/" + second.ID).Code; got != http.StatusNotFound {
		t.Fatalf("the other detention answers %d, want 404", got)
	}
	paths := append(p.paths(), "/api/v1/casualties/"+cas2.ID, "/api/v1/evidence/"+evd2.ID, "/casualties/"+cas2.ID,
		"/api/v1/casualties/"+cas2.ID+"/history", "/api/v1/evidence/"+evd2.ID+"/history")
	answers := crawl(t, c, paths)
	leaks(t, "lawyer", answers, "DET2NOTE-7760", "CAS2PLACE-7761", "CAS2CIRC-7762", "EVD2TITLE-7763", "EVD2DESC-7764")
	delete(answers, "/api/v1/incidents/"+p.incident.ID)
	idLeaks(t, "lawyer", answers, second.ID, asg2.ID)
}

// mint makes an API token on the tokens page as c; "" when refused.
func mint(t *testing.T, c *webtest.Client, role habeas.Role) (int, string) {
	t.Helper()
	rec := c.PostForm("/tokens", url.Values{"label": {"script"}, "role": {string(role)}, "days": {"30"}})
	m := regexp.MustCompile(`<code class="password">(hbs_[a-z0-9_]+)</code>`).FindStringSubmatch(rec.Body.String())
	if m == nil {
		return rec.Code, ""
	}
	return rec.Code, m[1]
}

// bearer serves GET path with an API token.
func bearer(env *webtest.Env, token, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return env.Serve(req)
}

// Holds: a lawyer mints no token of a wider role, and their own token
// reads only their clients; a viewer granted restricted sources, through
// an analyst's token, reads pseudonyms and restricted sources withheld.
func TestAttackTokensHold(t *testing.T) {
	p := plant(t)
	law := p.lawyer(t, "lena", p.lawMine.ID)
	for _, role := range []habeas.Role{habeas.RoleViewer, habeas.RoleAnalyst, habeas.RoleCaseworker, habeas.RoleMonitor, habeas.RoleAdmin} {
		if code, tok := mint(t, law, role); tok != "" {
			t.Errorf("a lawyer minted a token of role %s (%d)", role, code)
		}
	}
	_, tok := mint(t, law, habeas.RoleLawyer)
	if tok == "" {
		t.Fatal("a lawyer cannot mint their own role's token")
	}
	if got := bearer(p.env, tok, "/api/v1/detentions/"+p.detOther.ID).Code; got != http.StatusNotFound {
		t.Errorf("the lawyer's token reads another's case: %d", got)
	}
	if body := bearer(p.env, tok, "/api/v1/detentions").Body.String(); strings.Contains(body, p.detOther.ID) || !strings.Contains(body, p.detMine.ID) {
		t.Errorf("the lawyer's token lists: %.300s", body)
	}
	granted := p.user(t, &habeas.User{Name: "trusted", Role: habeas.RoleViewer, Restricted: true})
	_, tok = mint(t, granted, habeas.RoleAnalyst)
	if tok == "" {
		t.Fatal("a viewer cannot mint an analyst's token")
	}
	for _, path := range []string{"/api/v1/sources/" + p.srcRestricted.ID, "/api/v1/persons/" + p.other.ID, "/api/v1/detentions/" + p.detOther.ID} {
		body := bearer(p.env, tok, path).Body.String()
		for _, s := range append(restrictedSecrets, otherName, otherIIN) {
			if strings.Contains(body, s) {
				t.Errorf("an analyst's token of a granted viewer reads %q in %s", s, path)
			}
		}
	}
}

// Holds: ending the assignment, or deleting it, ends the lawyer's access
// at their next request, in the same session.
func TestAttackAssignmentEndedMidSessionHolds(t *testing.T) {
	p := plant(t)
	law := p.lawyer(t, "lena", p.lawMine.ID)
	coord := p.env.As(t, habeas.RoleCoordinator)
	for _, path := range []string{"/detentions/" + p.detMine.ID, "/api/v1/persons/" + p.mine.ID} {
		if got := law.Get(path).Code; got != http.StatusOK {
			t.Fatalf("before: GET %s answers %d", path, got)
		}
	}
	ended := *p.asgMine
	ended.To = time.Now().Add(-time.Minute)
	if got := coord.Put(t, "/api/v1/assignments/"+p.asgMine.ID, &ended, nil); got != http.StatusOK {
		t.Fatalf("ending the assignment: %d", got)
	}
	for _, path := range []string{"/detentions/" + p.detMine.ID, "/api/v1/persons/" + p.mine.ID, "/api/v1/sources/" + p.srcMine.ID,
		"/trials/" + p.detMine.ID + "/e2", "/api/v1/assignments/" + p.asgMine.ID} {
		if got := law.Get(path).Code; got != http.StatusNotFound {
			t.Errorf("after the end: GET %s answers %d, want 404", path, got)
		}
	}
	if body := law.Get("/api/v1/detentions").Body.String(); strings.Contains(body, p.detMine.ID) {
		t.Error("after the end, the list shows the case")
	}
	// A new assignment in force, deleted.
	asg := &habeas.Assignment{ID: habeas.NewID(habeas.KindAssignment), LawyerID: p.lawMine.ID, DetentionID: p.detMine.ID,
		Kind: habeas.AssignmentLegalAid, From: time.Now().Add(-time.Hour)}
	p.env.Create(t, asg)
	if got := law.Get("/detentions/" + p.detMine.ID).Code; got != http.StatusOK {
		t.Fatalf("reassigned: %d", got)
	}
	rec := coord.Get("/api/v1/assignments/" + asg.ID)
	if got := coord.JSONWith(t, http.MethodDelete, "/api/v1/assignments/"+asg.ID, http.Header{"If-Match": {rec.Header().Get("ETag")}}, nil, nil).Code; got >= 300 {
		t.Fatalf("delete: %d", got)
	}
	if got := law.Get("/detentions/" + p.detMine.ID).Code; got != http.StatusNotFound {
		t.Errorf("after the assignment was deleted: %d, want 404", got)
	}
}

// Holds: no page or API read answers 5xx to any role, whatever the
// paging, the moment or the filters; and a deleted record's history
// shows a viewer nothing of what it held.
func TestAttackOddParametersAndDeletedHistoryHold(t *testing.T) {
	p := plant(t)
	roles := []habeas.Role{habeas.RoleLawyer, habeas.RoleAnalyst, habeas.RoleMonitor, habeas.RoleViewer, habeas.RoleCaseworker}
	clients := map[habeas.Role]*webtest.Client{}
	for _, role := range roles {
		if role == habeas.RoleLawyer {
			clients[role] = p.lawyer(t, "lena", p.lawMine.ID)
		} else {
			clients[role] = p.env.As(t, role)
		}
	}
	odd := []string{"offset=9223372036854775807&limit=1000000", "offset=-1&limit=-5", "at=0001-01-01T00:00:00Z", "at=9999-12-31T23:59:59Z",
		"at=garbage", "within=99999h", "view=nonsense", "queue=nonsense", "status=x&city=nowhere", "from=2022-13-45&to=x",
		"person_id=" + p.other.ID + "&detention=" + p.detOther.ID, "rule=nonsense", "q=%00%ff", "name=%25&iin=%25"}
	for _, role := range roles {
		var paths []string
		for _, path := range p.paths() {
			for _, q := range odd {
				sep := "?"
				if strings.Contains(path, "?") {
					sep = "&"
				}
				paths = append(paths, path+sep+q)
			}
		}
		crawl(t, clients[role], paths)
	}
	coord := p.env.As(t, habeas.RoleCoordinator)
	rec := coord.Get("/api/v1/evidence/" + p.evdOther.ID)
	if got := coord.JSONWith(t, http.MethodDelete, "/api/v1/evidence/"+p.evdOther.ID, http.Header{"If-Match": {rec.Header().Get("ETag")}}, nil, nil).Code; got >= 300 {
		t.Fatalf("delete: %d", got)
	}
	for _, role := range []habeas.Role{habeas.RoleViewer, habeas.RoleAnalyst, habeas.RoleCaseworker} {
		if body := clients[role].Get("/api/v1/evidence/" + p.evdOther.ID + "/history").Body.String(); strings.Contains(body, evdOtherTitle) {
			t.Errorf("%s reads the deleted evidence's title in its history", role)
		}
	}
}

// Finding: the hearings (/trials, GET /api/v1/trials, the trial page) are
// built from the watcher's whole records, not the analyst's pseudonymised
// ones: an analyst reads the judge's name, the monitor's notes and name
// and the hearing's place, which the same detention's record withholds.
func TestAttackAnalystReadsJudgeAndMonitorNotesInTrials(t *testing.T) {
	p := plant(t)
	c := p.env.As(t, habeas.RoleAnalyst)
	answers := crawl(t, c, []string{"/trials", "/api/v1/trials", "/trials/" + p.detOther.ID + "/e2"})
	leaks(t, "analyst", answers, otherJudge, mineJudge, otherMonNote, mineMonNote, "COURTPLACE-OTHER-7757", otherMonitor)
}

// Finding: scope.redact empties a detention's notes, places, judges and
// allegations for an analyst, but not the trial monitor's checklist on a
// hearing: its notes (free text) and the monitor's name reach the analyst
// in the record, the lists and the history of every detention.
func TestAttackAnalystReadsMonitoringNotesInDetentions(t *testing.T) {
	p := plant(t)
	c := p.env.As(t, habeas.RoleAnalyst)
	answers := crawl(t, c, []string{"/api/v1/detentions", "/api/v1/detentions/" + p.detOther.ID, "/api/v1/detentions/" + p.detOther.ID + "/history"})
	leaks(t, "analyst", answers, otherMonNote, mineMonNote, otherMonitor)
}

// Finding: an incident's description (a narrative) and place (an exact
// place) are not redacted for an analyst, unlike a casualty's place and
// circumstances or a detention's notes and places.
func TestAttackAnalystReadsIncidentNarrative(t *testing.T) {
	p := plant(t)
	c := p.env.As(t, habeas.RoleAnalyst)
	answers := crawl(t, c, []string{"/api/v1/incidents/" + p.incident.ID, "/api/v1/incidents/" + p.incident.ID + "/history"})
	leaks(t, "analyst", answers, incidentDesc, incidentPlace)
}

// Finding: a lawyer's client's person page lists the persons joined to
// the client by identity decisions (the review queue's cluster,
// "Also the same person, through other decisions") with links to their
// identifiers, although those persons are out of the lawyer's scope: the
// lawyer learns that other records exist, and their identifiers.
func TestAttackLawyerSeesJoinedPersonsOutOfScope(t *testing.T) {
	p := plant(t)
	c := p.lawyer(t, "lena", p.lawMine.ID)
	answers := crawl(t, c, []string{"/persons/" + p.mine.ID})
	if answers["/persons/"+p.mine.ID].code != http.StatusOK {
		t.Fatalf("the client's page: %d", answers["/persons/"+p.mine.ID].code)
	}
	idLeaks(t, "lawyer", answers, p.twin.ID, p.identity.ID)
}
