package web

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// trialListView is the data of the trial-monitoring list.
type trialListView struct {
	Form    map[string]string
	Cities  []option
	Types   []string
	Checks  []string
	Problem *filterProblem
	Items   []casework.TrialItem
	Pager   pager
}

// trialList serves GET /trials: every trial hearing and court appearance,
// latest first, with what a trial monitor recorded of it, filtered by
// city, date, type, whether it was monitored and the guarantees breached.
func (s *Server) trialList(w http.ResponseWriter, r *http.Request) error {
	q := trimLang(r.URL.Query())
	v := trialListView{
		Form:   formValues(q, "city", "from", "to", "type", "monitored", "failing", "check"),
		Cities: cityOptions(),
		Types:  casework.HearingTypes,
		Checks: casework.TrialCheckNames,
	}
	f, err := casework.ParseTrialQuery(q)
	if habeas.ErrorCode(err) == habeas.EINVALID {
		v.Problem = s.problemOf(r, err, "inv")
		s.render(w, r, http.StatusBadRequest, "trials", v)
		return nil
	}
	var total int
	if v.Items, total, err = s.work.FindTrials(r.Context(), habeas.UserFrom(r.Context()), f); err != nil {
		return err
	}
	v.Pager = newPager("/trials", q, total, len(v.Items), f.Page)
	s.render(w, r, http.StatusOK, "trials", v)
	return nil
}

// trialView is the data of a hearing's page.
type trialView struct {
	It      casework.TrialItem
	Checks  []trialCheckView
	Sources []*habeas.Source
	History []*habeas.Change
	CanEdit bool
	Form    *form // the record's answers, or what was typed when refused
}

// trialCheckView is one guarantee of the checklist with the monitor's answer.
type trialCheckView struct {
	habeas.TrialCheck
	Answer habeas.Answer // "" when not observed
}

// trialPage serves GET /trials/{detention}/{event}: one hearing with the
// monitor's fair-trial checklist, each guarantee with its legal source,
// the form to record it for those who may, and the detention's history.
func (s *Server) trialPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.trialView(r)
	if err != nil {
		return err
	}
	v.Form = newForm("f", nil)
	if m := v.It.Monitoring; m != nil {
		v.Form.Values.Set("monitor", m.Monitor)
		v.Form.Values.Set("notes", m.Notes)
		for k, a := range m.Checks {
			v.Form.Values.Set("checks."+k, string(a))
		}
	}
	s.render(w, r, http.StatusOK, "trial", v)
	return nil
}

func (s *Server) trialView(r *http.Request) (*trialView, error) {
	ctx := r.Context()
	detID, evID := r.PathValue("detention"), r.PathValue("event")
	notFound := habeas.Errorf(habeas.ENOTFOUND, "hearing %s of detention %s not found", evID, detID)
	if !habeas.ValidID(habeas.KindDetention, detID) {
		return nil, notFound
	}
	items, _, err := s.work.FindTrials(ctx, habeas.UserFrom(ctx), casework.TrialQuery{DetentionID: &detID, Page: habeas.Page{Limit: habeas.MaxPageLimit}})
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(items, func(it casework.TrialItem) bool { return it.EventID == evID })
	if i < 0 {
		return nil, notFound
	}
	v := &trialView{It: items[i], CanEdit: s.may(r, "trial.update")}
	for _, c := range habeas.TrialChecks {
		tc := trialCheckView{TrialCheck: c}
		if m := v.It.Monitoring; m != nil {
			tc.Answer = m.Checks[c.Name]
		}
		v.Checks = append(v.Checks, tc)
	}
	d, err := s.work.Detentions.FindDetentionByID(ctx, detID)
	if err != nil {
		return nil, err
	}
	for _, e := range d.Events {
		if e.ID == evID {
			if v.Sources, err = newSourceSet(s.work.Records).get(ctx, e.Sources...); err != nil {
				return nil, err
			}
		}
	}
	if v.History, err = historyOf(ctx, s.work.Changes, detID); err != nil {
		return nil, err
	}
	return v, nil
}

// trialUpdate serves POST /trials/{detention}/{event}: the monitor's
// checklist for the hearing, written onto the hearing's event by updating
// the detention through the record service as the signed-in account (an
// append-only change record). Then back to the hearing; invalid input
// shows the form again with 400, each field's reason in the reader's
// language, and writes nothing.
func (s *Server) trialUpdate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v, err := s.trialView(r)
	if err != nil {
		return err
	}
	fr, err := s.postedForm(r, "f", v.It.Zone)
	if err != nil {
		return err
	}
	fr.fields = []formField{{Name: "monitor", Label: "inv.field.monitor"}}
	for _, c := range habeas.TrialChecks {
		fr.fields = append(fr.fields, formField{Name: "checks." + c.Name, Label: "inv.odihr." + c.Name})
	}
	fr.fields = append(fr.fields, formField{Name: "notes", Label: "inv.field.notes"})
	fr.area = "inv"
	m := &habeas.TrialMonitoring{Monitor: fr.value("monitor"), Notes: fr.value("notes")}
	for _, c := range habeas.TrialChecks {
		switch a := fr.value("checks." + c.Name); a {
		case "":
		case string(habeas.AnswerYes), string(habeas.AnswerNo), string(habeas.AnswerNotApplicable):
			if m.Checks == nil {
				m.Checks = map[string]habeas.Answer{}
			}
			m.Checks[c.Name] = habeas.Answer(a)
		default:
			fr.fail("checks."+c.Name, "inv.odihr."+c.Name, "inv.error.answer", "Value", a)
		}
	}
	// The detention as stored, to change: the watcher's copy is shared.
	d, err := s.work.Detentions.FindDetentionByID(ctx, v.It.DetentionID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(d.Events, func(e habeas.Event) bool { return e.ID == v.It.EventID })
	if i < 0 || !d.Events[i].Type.Monitored() {
		return habeas.Errorf(habeas.ENOTFOUND, "hearing %s of detention %s not found", v.It.EventID, v.It.DetentionID)
	}
	d.Events[i].Monitoring = m
	fr.prefix = fmt.Sprintf("events[%d].monitoring.", i)
	fr.refused(d.Validate())
	if !fr.failed() {
		err = s.work.Records.Update(ctx, d)
		if err == nil {
			http.Redirect(w, r, "/trials/"+v.It.DetentionID+"/"+v.It.EventID, http.StatusSeeOther)
			return nil
		}
		if !fr.refused(err) {
			return err
		}
	}
	v.Form = fr.f
	s.render(w, r, http.StatusBadRequest, "trial", v)
	return nil
}
