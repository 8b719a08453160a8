package web

import (
	"net/http"
	"net/url"
	"strconv"
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
	// versions are the versions of the investigation and its casualty as
	// read, which the form sends back so that a save from a stale read is
	// refused.
	versions url.Values
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
	for k, vs := range v.versions {
		v.Form.Values[k] = vs
	}
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
	file, err := s.work.FindInvestigationFile(ctx, habeas.UserFrom(ctx), id, at)
	if err != nil {
		return nil, err
	}
	v.It, v.Casualty, v.Sources, v.History = file.Item, file.Casualty, file.Sources, file.History
	v.versions = url.Values{"version": {strconv.FormatInt(file.Version, 10)}, "casualty_version": {strconv.FormatInt(file.CasualtyVersion, 10)}}
	for _, rule := range s.work.Rules() {
		if rule.ID == v.It.RuleID {
			v.RuleTitle = rules.Text(rule.Title, langOf(ctx))
		}
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
	status := habeas.InvestigationStatus(fr.value("status"))
	caseNumber := fr.value("case_number")
	if len([]rune(caseNumber)) > maxCaseNumber {
		fr.fail("case_number", "inv.field.case_number", "inv.error.too_long", "Max", maxCaseNumber)
	}
	var opened time.Time
	if o := fr.value("opened"); o != "" {
		if t, err := time.ParseInLocation(datetimeLocal, o, fr.loc); err != nil {
			fr.fail("opened", "inv.field.opened", "inv.error.time", "Value", o)
		} else {
			opened = t.UTC()
		}
	}
	answers := map[string]*bool{}
	for _, c := range habeas.InvestigationChecks {
		if fr.fieldIndex(c.Name) >= 0 {
			answers[c.Name] = fr.tristate(c.Name, "inv.field."+c.Name, "inv.error.tristate")
		}
	}
	ed := casework.InvestigationEdit{ID: v.It.ID, Version: formVersion(fr, "version"),
		Investigation: func(inv *habeas.Investigation) {
			inv.Status, inv.CaseNumber, inv.Opened = status, caseNumber, opened
			for _, c := range habeas.InvestigationChecks {
				if a, ok := answers[c.Name]; ok {
					*c.Field(inv) = a
				}
			}
		}}
	if v.Casualty != nil && v.It.Of == casework.OfDeath {
		facts := map[string]*bool{}
		for _, ch := range habeas.CasualtyChecks {
			facts[ch.Name] = fr.tristate(ch.Name, "inv.field."+ch.Name, "inv.error.tristate")
		}
		ed.CasualtyID, ed.CasualtyVersion = v.Casualty.ID, formVersion(fr, "casualty_version")
		ed.Casualty = func(c *habeas.Casualty) {
			for _, ch := range habeas.CasualtyChecks {
				*ch.Field(c) = facts[ch.Name]
			}
		}
	}
	if !fr.failed() {
		err := s.work.SaveInvestigation(ctx, habeas.UserFrom(ctx), ed)
		switch {
		case err == nil:
			http.Redirect(w, r, "/investigations/"+v.It.ID, http.StatusSeeOther)
			return nil
		case habeas.IsStale(err):
			// Someone saved first: the page shows the record as it is
			// now (read again: it may have changed since this request
			// began), the form keeps what was typed, with the versions
			// now, so that saving again is a deliberate choice.
			now, err := s.investigationView(r)
			if err != nil {
				return err
			}
			fr.f.Conflict = s.tr(r, "inv.form.conflict")
			for k, vs := range now.versions {
				fr.f.Values[k] = vs
			}
			now.Form = fr.f
			s.render(w, r, http.StatusConflict, "investigation", now)
			return nil
		case !fr.refused(err):
			return err
		}
	}
	v.Form = fr.f
	s.render(w, r, http.StatusBadRequest, "investigation", v)
	return nil
}
