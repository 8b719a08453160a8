package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/rules"
)

// investigationListView is the data of the investigations tracker.
type investigationListView struct {
	Form     map[string]string
	Cities   []option
	Statuses []string
	Subjects []string
	Checks   []string
	Problem  *filterProblem
	List     casework.InvestigationList
	Pager    pager
}

// investigationList serves GET /investigations: every investigation of a
// death, an injury or an ill-treatment allegation with its Minnesota
// Protocol checklist, overdue and failing first, filtered by city,
// status, subject and failed checks.
func (s *Server) investigationList(w http.ResponseWriter, r *http.Request) error {
	q := trimLang(r.URL.Query())
	v := investigationListView{
		Form:     formValues(q, "city", "status", "of", "failing", "check", "at"),
		Cities:   cityOptions(),
		Statuses: habeas.InvestigationStatuses,
		Subjects: casework.InvestigationSubjects,
		Checks:   casework.CheckNames,
	}
	iq, err := s.work.ParseInvestigationQuery(q)
	if habeas.ErrorCode(err) == habeas.EINVALID {
		v.Problem = s.invProblemOf(r, err)
		s.render(w, r, http.StatusBadRequest, "investigations", v)
		return nil
	}
	if v.List, err = s.work.FindInvestigations(r.Context(), habeas.UserFrom(r.Context()), iq); err != nil {
		return err
	}
	v.Pager = newPager("/investigations", q, v.List.Total, len(v.List.Items), iq.Page)
	s.render(w, r, http.StatusOK, "investigations", v)
	return nil
}

// investigationView is the data of an investigation's page.
type investigationView struct {
	It        casework.InvestigationItem
	Casualty  *habeas.Casualty // the death or injury investigated, if any
	RuleTitle string           // the rule judging how soon a case was opened, in the reader's language
	At        time.Time        // the moment the checklist is judged at
	AtGiven   bool
	Sources   []*habeas.Source
	History   []*habeas.Change
	CanEdit   bool
	// Form holds the values of the update form: the record's, or what was
	// typed when it was refused; Fields lists its yes/no/unknown questions.
	Form     *formState
	Fields   []checkField
	Statuses []string
}

// checkField is one yes/no/unknown question of the investigation form.
type checkField struct {
	Name  string // the form field, named as the record's field
	Label string // the message id of the question
}

// investigationFields returns the yes/no/unknown questions the form asks
// of an investigation: its own facts and, for a death, the casualty's.
func investigationFields(it casework.InvestigationItem) []checkField {
	var out []checkField
	for _, c := range it.Checks {
		if c.Field == "" || c.State == casework.CheckNotApplicable {
			continue
		}
		name := c.Field
		if c.Name == "autopsy" || c.Name == "body_returned" {
			name = c.Name
		}
		out = append(out, checkField{Name: name, Label: "inv.field." + name})
	}
	return out
}

// investigationPage serves GET /investigations/{id}: the investigation,
// what it is of, its Minnesota Protocol checklist judged now (or at
// ?at=RFC3339) with the legal source of each item, the form to update the
// checklist for those who may, and its history.
func (s *Server) investigationPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.investigationView(r)
	if err != nil {
		return err
	}
	v.Form = investigationForm(v.It.Investigation, v.Casualty, v.It.Zone)
	s.render(w, r, http.StatusOK, "investigation", v)
	return nil
}

// investigationView gathers what the page shows, for the GET and for a
// refused POST.
func (s *Server) investigationView(r *http.Request) (*investigationView, error) {
	ctx := r.Context()
	id := r.PathValue("id")
	at, err := s.work.ParseAt(r.URL.Query())
	if err != nil {
		return nil, err
	}
	v := &investigationView{At: at, AtGiven: r.URL.Query().Get("at") != "", CanEdit: s.may(r, "investigation.update"),
		Statuses: habeas.InvestigationStatuses}
	if v.It, err = s.work.FindInvestigation(ctx, habeas.UserFrom(ctx), id, at); err != nil {
		return nil, err
	}
	if v.It.CasualtyID != "" {
		e, err := s.work.Records.Find(ctx, habeas.KindCasualty, v.It.CasualtyID)
		if err != nil {
			return nil, err
		}
		v.Casualty = e.(*habeas.Casualty)
	}
	for _, rule := range s.work.Alerts.Engine().Rules() {
		if rule.ID == v.It.RuleID {
			v.RuleTitle = rules.Text(rule.Title, langOf(ctx))
		}
	}
	if v.Sources, err = newSourceSet(s.work.Records).get(ctx, v.It.Sources...); err != nil {
		return nil, err
	}
	ids := []string{id}
	if v.Casualty != nil {
		ids = append(ids, v.Casualty.ID)
	}
	if v.History, err = historyOf(ctx, s.work.Changes, ids...); err != nil {
		return nil, err
	}
	v.Fields = investigationFields(v.It)
	return v, nil
}

// datetimeLocal is the layout of an <input type="datetime-local">.
const datetimeLocal = "2006-01-02T15:04"

// investigationForm fills the form with the record as it is.
func investigationForm(inv *habeas.Investigation, c *habeas.Casualty, zone string) *formState {
	f := &formState{Values: map[string]string{"status": string(inv.Status), "case_number": inv.CaseNumber}}
	if !inv.Opened.IsZero() {
		f.Values["opened"] = habeas.LocalTime(inv.Opened, zone).Format(datetimeLocal)
	}
	for _, ch := range habeas.InvestigationChecks {
		f.Values[ch.Name] = tri(*ch.Field(inv))
	}
	if c != nil {
		for _, ch := range habeas.CasualtyChecks {
			f.Values[ch.Name] = tri(*ch.Field(c))
		}
	}
	return f
}

// maxCaseNumber bounds the case number a form may set.
const maxCaseNumber = 100

// investigationUpdate serves POST /investigations/{id}: the status, the
// opening date, the case number and the checklist's facts as a caseworker
// records them, written through the record service as the signed-in
// account (the investigation and, for a death's autopsy and body, the
// casualty, in one batch). Then back to the page; invalid input shows the
// form again with 400, each field's reason in the reader's language, and
// writes nothing.
func (s *Server) investigationUpdate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v, err := s.investigationView(r)
	if err != nil {
		return err
	}
	names := []string{"status", "opened", "case_number"}
	for _, c := range habeas.InvestigationChecks {
		names = append(names, c.Name)
	}
	for _, c := range habeas.CasualtyChecks {
		names = append(names, c.Name)
	}
	f, err := readForm(r, names...)
	if err != nil {
		return err
	}
	// The records as stored, to change: the watcher's copies are shared.
	e, err := s.work.Records.Find(ctx, habeas.KindInvestigation, v.It.ID)
	if err != nil {
		return err
	}
	inv := e.(*habeas.Investigation)
	before, _ := json.Marshal(inv)
	inv.Status = habeas.InvestigationStatus(f.Values["status"])
	inv.CaseNumber = f.Values["case_number"]
	if len([]rune(inv.CaseNumber)) > maxCaseNumber {
		f.badField(s, r, "case_number", "is longer than %d characters", maxCaseNumber)
	}
	inv.Opened = time.Time{}
	if o := f.Values["opened"]; o != "" {
		loc := time.UTC
		if z, err := habeas.LoadZone(v.It.Zone); err == nil {
			loc = z
		}
		t, err := time.ParseInLocation(datetimeLocal, o, loc)
		if err != nil {
			f.badField(s, r, "opened", "%q is not a date and time", o)
		} else {
			inv.Opened = t.UTC()
		}
	}
	asked := map[string]bool{}
	for _, c := range v.Fields {
		asked[c.Name] = true
	}
	for _, c := range habeas.InvestigationChecks {
		if asked[c.Name] {
			*c.Field(inv) = f.triState(s, r, c.Name)
		}
	}
	muts := []habeas.Mutation{{Op: habeas.OpUpdate, Entity: inv}}
	if v.Casualty != nil && v.It.Of == casework.OfDeath {
		e, err := s.work.Records.Find(ctx, habeas.KindCasualty, v.Casualty.ID)
		if err != nil {
			return err
		}
		c := e.(*habeas.Casualty)
		was, _ := json.Marshal(c)
		for _, ch := range habeas.CasualtyChecks {
			*ch.Field(c) = f.triState(s, r, ch.Name)
		}
		if now, _ := json.Marshal(c); !bytes.Equal(was, now) {
			muts = append(muts, habeas.Mutation{Op: habeas.OpUpdate, Entity: c})
		}
	}
	for _, m := range muts {
		m.Entity.Normalize()
		f.addErr(s, r, m.Entity.Validate(), "")
	}
	if len(f.Problems) == 0 {
		if after, _ := json.Marshal(inv); bytes.Equal(before, after) {
			muts = muts[1:] // the investigation is unchanged: no change record for it
		}
		err := error(nil)
		if len(muts) > 0 {
			_, err = s.work.Records.Apply(ctx, muts)
		}
		if err == nil {
			http.Redirect(w, r, "/investigations/"+v.It.ID, http.StatusSeeOther)
			return nil
		}
		if !f.addErr(s, r, err, "") {
			return err
		}
	}
	s.labelProblems(r, f, func(field string) string { return "inv.field." + field })
	v.Form = f
	s.render(w, r, http.StatusBadRequest, "investigation", v)
	return nil
}
