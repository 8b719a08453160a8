package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
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
		v.Problem = s.problemOf(r, err, "inv")
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
	// Form is the update form: the record's values, or what was typed
	// when it was refused; Fields lists its yes/no/unknown questions.
	Form     *form
	Fields   []formField
	Statuses []string
}

// investigationFields returns the yes/no/unknown questions the form asks
// of an investigation: its own facts and, for a death, the casualty's,
// each named as the record's field.
func investigationFields(it casework.InvestigationItem) []formField {
	var out []formField
	for _, c := range it.Checks {
		if c.Field == "" || c.State == casework.CheckNotApplicable {
			continue
		}
		name := c.Field
		if c.Name == "autopsy" || c.Name == "body_returned" {
			name = c.Name
		}
		out = append(out, formField{Name: name, Label: "inv.field." + name})
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
func investigationForm(inv *habeas.Investigation, c *habeas.Casualty, zone string) *form {
	f := newForm("f", url.Values{"status": {string(inv.Status)}, "case_number": {inv.CaseNumber}})
	if !inv.Opened.IsZero() {
		f.Values.Set("opened", habeas.LocalTime(inv.Opened, zone).Format(datetimeLocal))
	}
	for _, ch := range habeas.InvestigationChecks {
		f.Values.Set(ch.Name, tri(*ch.Field(inv)))
	}
	if c != nil {
		for _, ch := range habeas.CasualtyChecks {
			f.Values.Set(ch.Name, tri(*ch.Field(c)))
		}
	}
	return f
}

// tri shows a tri-state fact as a form value: "yes", "no" or "".
func tri(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "yes"
	}
	return "no"
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
	fr, err := s.postedForm(r, "f", v.It.Zone)
	if err != nil {
		return err
	}
	fr.fields = append([]formField{{Name: "status", Label: "inv.field.status"}, {Name: "opened", Label: "inv.field.opened"},
		{Name: "case_number", Label: "inv.field.case_number"}}, v.Fields...)
	fr.area = "inv"
	// The records as stored, to change: the watcher's copies are shared.
	e, err := s.work.Records.Find(ctx, habeas.KindInvestigation, v.It.ID)
	if err != nil {
		return err
	}
	inv := e.(*habeas.Investigation)
	before, _ := json.Marshal(inv)
	inv.Status = habeas.InvestigationStatus(fr.value("status"))
	inv.CaseNumber = fr.value("case_number")
	if len([]rune(inv.CaseNumber)) > maxCaseNumber {
		fr.fail("case_number", "inv.field.case_number", "inv.error.too_long", "Max", maxCaseNumber)
	}
	inv.Opened = time.Time{}
	if o := fr.value("opened"); o != "" {
		if t, err := time.ParseInLocation(datetimeLocal, o, fr.loc); err != nil {
			fr.fail("opened", "inv.field.opened", "inv.error.time", "Value", o)
		} else {
			inv.Opened = t.UTC()
		}
	}
	for _, c := range habeas.InvestigationChecks {
		if fr.fieldIndex(c.Name) >= 0 {
			*c.Field(inv) = fr.tristate(c.Name, "inv.field."+c.Name, "inv.error.tristate")
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
			*ch.Field(c) = fr.tristate(ch.Name, "inv.field."+ch.Name, "inv.error.tristate")
		}
		if now, _ := json.Marshal(c); !bytes.Equal(was, now) {
			muts = append(muts, habeas.Mutation{Op: habeas.OpUpdate, Entity: c})
		}
	}
	for _, m := range muts {
		m.Entity.Normalize()
		fr.refused(m.Entity.Validate())
	}
	if !fr.failed() {
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
		if !fr.refused(err) {
			return err
		}
	}
	v.Form = fr.f
	s.render(w, r, http.StatusBadRequest, "investigation", v)
	return nil
}
