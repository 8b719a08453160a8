package web

import (
	"net/http"
	"net/url"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/rules"
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
// city, date, type, whether it was monitored, the guarantees breached and
// the flag of the Convention against Torture, art. 15.
func (s *Server) trialList(w http.ResponseWriter, r *http.Request) error {
	q := trimLang(r.URL.Query())
	v := trialListView{
		Form:   formValues(q, "city", "from", "to", "type", "monitored", "failing", "check", "statement"),
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
	// StatementCitation cites the flag of a statement alleged to have
	// been obtained by ill-treatment (It.StatementAllegations).
	StatementCitation, StatementConfidence string
	Form                                   *form // the record's answers, or what was typed when refused
	// read is the fingerprint of the checklist as shown, which the form
	// sends back so that a save over another monitor's answers is refused.
	read string
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
	v.Form = newForm("f", url.Values{"read": {v.read}})
	if m := v.It.Monitoring; m != nil {
		v.Form.Values.Set("monitor", m.Monitor)
		v.Form.Values.Set("notes", m.Notes)
		v.Form.Values.Set("statement_admitted", tri(m.StatementAdmitted))
		for k, a := range m.Checks {
			v.Form.Values.Set("checks."+k, string(a))
		}
	}
	s.render(w, r, http.StatusOK, "trial", v)
	return nil
}

func (s *Server) trialView(r *http.Request) (*trialView, error) {
	ctx := r.Context()
	file, err := s.work.FindTrialFile(ctx, habeas.UserFrom(ctx), r.PathValue("detention"), r.PathValue("event"))
	if err != nil {
		return nil, err
	}
	v := &trialView{It: file.Item, Sources: file.Sources, History: file.History, read: file.Read, CanEdit: s.may(r, "trial.update"),
		StatementCitation: rules.StatementCitation, StatementConfidence: rules.StatementConfidence}
	for _, c := range habeas.TrialChecks {
		tc := trialCheckView{TrialCheck: c}
		if m := v.It.Monitoring; m != nil {
			tc.Answer = m.Checks[c.Name]
		}
		v.Checks = append(v.Checks, tc)
	}
	return v, nil
}

// trialUpdate serves POST /trials/{detention}/{event}: the monitor's
// checklist for the hearing, written onto the hearing's event by the
// signed-in account (casework.RecordMonitoring). Then back to the hearing;
// invalid input shows the form again with 400, each field's reason in the
// reader's language, and writes nothing; a checklist another monitor
// saved since the page was opened shows it with 409, this form kept.
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
	fr.fields = append(fr.fields, formField{Name: "statement_admitted", Label: "inv.field.statement_admitted"},
		formField{Name: "notes", Label: "inv.field.notes"})
	fr.area = "inv"
	m := &habeas.TrialMonitoring{Monitor: fr.value("monitor"), Notes: fr.value("notes"),
		StatementAdmitted: fr.tristate("statement_admitted", "inv.field.statement_admitted", "inv.error.tristate")}
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
	if !fr.failed() {
		err := s.work.RecordMonitoring(ctx, habeas.UserFrom(ctx), v.It.DetentionID, v.It.EventID, fr.value("read"), m)
		switch {
		case err == nil:
			http.Redirect(w, r, "/trials/"+v.It.DetentionID+"/"+v.It.EventID, http.StatusSeeOther)
			return nil
		case habeas.IsStale(err):
			// Another monitor saved first: the page shows their answers
			// (read again: they may have changed since this request
			// began), the form keeps these, ready to be saved over them
			// knowingly.
			now, err := s.trialView(r)
			if err != nil {
				return err
			}
			fr.f.Conflict = s.tr(r, "inv.trial.conflict")
			fr.f.Values.Set("read", now.read)
			now.Form = fr.f
			s.render(w, r, http.StatusConflict, "trial", now)
			return nil
		case !fr.refused(err):
			return err
		}
	}
	v.Form = fr.f
	s.render(w, r, http.StatusBadRequest, "trial", v)
	return nil
}
