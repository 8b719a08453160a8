package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// intakeFields are the fields of the intake form in the order of the form:
// the order errors are listed in, and the first invalid one gets the focus.
var intakeFields = []string{"name", "person_id", "birth", "sex", "citizenship", "iin",
	"city", "date", "time", "place", "body", "custody", "custody_since", "note",
	"source_kind", "caller", "contact", "confidentiality", "reliability", "credibility"}

// intakeHints are the fields that carry a hint below their label.
var intakeHints = map[string]bool{"name": true, "birth": true, "citizenship": true, "date": true, "time": true,
	"custody": true, "custody_since": true, "caller": true, "contact": true, "reliability": true}

// sessionCity remembers the city of an operator's last report: a hotline
// serves one city at a time, so it is the next report's default.
const sessionCity = "intake.city"

// intakeView is the data of the intake form.
type intakeView struct {
	F       casework.Intake
	Errors  map[string]string // by field, in the reader's language
	Summary []intakeProblem   // every error, in the order of the form
	// Check is set when the form lists registered persons to choose from
	// (the "check" button, an IIN already registered, or a person chosen
	// before); Candidates holds them.
	Check      bool
	Candidates []casework.Suggestion
	Focus      string // the id of the element that takes the focus
	Cities     []option
}

// intakeProblem is one error of the form.
type intakeProblem struct {
	Field, Label, Message string
	Link                  bool // the field is on the form, so the summary links to it
}

// Err returns the error of a field, or "".
func (v *intakeView) Err(field string) string { return v.Errors[field] }

// Desc returns the ids that describe a field's input: its hint and error.
func (v *intakeView) Desc(field string) string {
	var ids []string
	if intakeHints[field] {
		ids = append(ids, "f-"+field+"-hint")
	}
	if v.Errors[field] != "" {
		ids = append(ids, "f-"+field+"-error")
	}
	return strings.Join(ids, " ")
}

// Choosing reports whether the form offers registered persons to choose
// from, as radio buttons, in place of the type-ahead.
func (v *intakeView) Choosing() bool { return v.Check && len(v.Candidates) > 0 }

// Countries are the citizenships the form suggests: Kazakhstan and the
// countries whose nationals were most often among the detained.
func (v *intakeView) Countries() []string {
	return []string{"KZ", "RU", "UZ", "KG", "TJ", "TM", "CN", "TR", "AZ", "UA", "BY", "AF"}
}

// Autofocus reports whether the element with id takes the focus.
func (v *intakeView) Autofocus(id string) bool { return v.Focus == id }

// Bodies are the arresting bodies the form offers.
func (v *intakeView) Bodies() []string {
	keys := make([]string, len(casework.ArrestingBodies))
	for i, b := range casework.ArrestingBodies {
		keys[i] = b.Key
	}
	return keys
}

// Kinds are the kinds of source the form offers.
func (v *intakeView) Kinds() []string { return habeas.SourceKinds }

// Reliabilities are the Admiralty reliability grades the form offers.
func (v *intakeView) Reliabilities() []string { return []string{"A", "B", "C", "D", "E", "F"} }

// Credibilities are the Admiralty credibility grades the form offers.
func (v *intakeView) Credibilities() []string { return []string{"1", "2", "3", "4", "5", "6"} }

// Confidentialities are the levels of protection of a source's identity.
func (v *intakeView) Confidentialities() []string {
	return []string{string(habeas.ConfidentialityOpen), string(habeas.ConfidentialityInternal), string(habeas.ConfidentialityRestricted)}
}

// intakeDefaults fills the form for a new report: the operator's last
// city, today's date there, and the defaults of a hotline call.
func (s *Server) intakeDefaults(r *http.Request) casework.Intake {
	in := casework.IntakeDefaults
	in.City = s.cfg.Sessions.GetString(r.Context(), sessionCity)
	if _, ok := habeas.FindCity(in.City); !ok {
		in.City = habeas.Cities[0].Key
	}
	c, _ := habeas.FindCity(in.City)
	in.Date = s.work.Clock().In(c.Location()).Format(time.DateOnly)
	in.Citizenship = "KZ"
	return in
}

// intakeForm serves GET /intake: an empty report, with the focus on the
// name of the person taken.
func (s *Server) intakeForm(w http.ResponseWriter, r *http.Request) error {
	v := &intakeView{F: s.intakeDefaults(r), Focus: "f-name", Cities: cityOptions()}
	s.render(w, r, http.StatusOK, "intake", v)
	return nil
}

// intakeOf reads the form.
func intakeOf(f url.Values) casework.Intake {
	return casework.Intake{PersonID: f.Get("person_id"), Name: f.Get("name"), Birth: f.Get("birth"), Sex: f.Get("sex"),
		Citizenship: f.Get("citizenship"), IIN: f.Get("iin"), City: f.Get("city"), Date: f.Get("date"), Time: f.Get("time"),
		Place: f.Get("place"), Body: f.Get("body"), Custody: f.Get("custody"), CustodySince: f.Get("custody_since"),
		Note: f.Get("note"), SourceKind: f.Get("source_kind"), Caller: f.Get("caller"), Contact: f.Get("contact"),
		Confidentiality: f.Get("confidentiality"), Reliability: f.Get("reliability"), Credibility: f.Get("credibility")}
}

// intakeSubmit serves POST /intake. With "check" it lists the registered
// persons the name or IIN may belong to, to choose from. Otherwise it
// records the report (casework.Intake: all or nothing) and goes to the
// detention's page; invalid input comes back with each field's error.
func (s *Server) intakeSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return habeas.Errorf(habeas.EINVALID, "the form could not be read")
	}
	in := intakeOf(r.PostForm)
	v := &intakeView{F: in, Cities: cityOptions()}
	if r.PostForm.Has("check") {
		if err := s.candidates(r, v); err != nil {
			return err
		}
		s.render(w, r, http.StatusOK, "intake", v)
		return nil
	}
	res, err := s.work.Intake(ctx, habeas.UserFrom(ctx), in)
	if habeas.ErrorCode(err) == habeas.EINVALID {
		s.intakeErrors(r, v, err)
		if v.F.PersonID != "" || v.Errors["iin"] != "" {
			if err := s.candidates(r, v); err != nil {
				return err
			}
		}
		v.Focus = v.firstError()
		s.render(w, r, http.StatusBadRequest, "intake", v)
		return nil
	} else if err != nil {
		return err
	}
	s.cfg.Sessions.Put(ctx, sessionCity, in.City)
	saved := "new"
	switch {
	case !res.NewPerson && !res.NewDetention:
		saved = "added"
	case !res.NewPerson:
		saved = "person"
	}
	http.Redirect(w, r, "/detentions/"+res.DetentionID+"?"+url.Values{"intake": {saved}}.Encode(), http.StatusSeeOther)
	return nil
}

// candidates lists the registered persons the report may be about, with
// the person already chosen among them, and sets the focus on the choice.
func (s *Server) candidates(r *http.Request, v *intakeView) error {
	v.Check = true
	var err error
	if v.Candidates, err = s.work.Suggest(r.Context(), habeas.UserFrom(r.Context()), v.F.Name, v.F.IIN, casework.DefaultSuggestions); err != nil {
		return err
	}
	id := strings.TrimSpace(v.F.PersonID)
	if id != "" && habeas.ValidID(habeas.KindPerson, id) &&
		!slices.ContainsFunc(v.Candidates, func(c casework.Suggestion) bool { return c.PersonID == id }) {
		chosen, err := s.work.SuggestPerson(r.Context(), habeas.UserFrom(r.Context()), id)
		if err == nil {
			v.Candidates = append([]casework.Suggestion{chosen}, v.Candidates...)
		} else if habeas.ErrorCode(err) != habeas.ENOTFOUND {
			return err
		}
	}
	v.Focus = "f-person-new"
	for _, c := range v.Candidates {
		if c.PersonID == id {
			v.Focus = "f-person-" + id
		}
	}
	if len(v.Candidates) == 0 {
		v.Focus = "f-name"
	}
	return nil
}

// intakeErrors puts the field errors of err on the form, each in the
// reader's language.
func (s *Server) intakeErrors(r *http.Request, v *intakeView, err error) {
	v.Errors = map[string]string{}
	for _, fe := range habeas.ErrorFields(err) {
		msg := s.reason(r, fe, "intake")
		if prev := v.Errors[fe.Field]; prev != "" {
			msg = prev + "; " + msg
		}
		v.Errors[fe.Field] = msg
	}
	for _, f := range intakeFields {
		if m := v.Errors[f]; m != "" {
			v.Summary = append(v.Summary, intakeProblem{Field: f, Label: s.tr(r, "intake.f."+f), Message: m, Link: f != "person_id"})
		}
	}
	for _, fe := range habeas.ErrorFields(err) { // a record's field the form does not have
		if !slices.Contains(intakeFields, fe.Field) {
			v.Summary = append(v.Summary, intakeProblem{Field: fe.Field, Label: fe.Field, Message: v.Errors[fe.Field]})
		}
	}
}

// firstError is the id of the first invalid field on the form.
func (v *intakeView) firstError() string {
	for _, p := range v.Summary {
		if p.Link {
			if p.Field == "person_id" {
				return "f-name"
			}
			return "f-" + p.Field
		}
	}
	return "f-name"
}

// intakeSuggest serves GET /intake/suggest?q=&iin=: the type-ahead of the
// intake form, as list items for typeahead.js to show (role="option",
// data-person holding the person's identifier).
func (s *Server) intakeSuggest(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	items, err := s.work.Suggest(r.Context(), habeas.UserFrom(r.Context()), q.Get("q"), q.Get("iin"), casework.DefaultSuggestions)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.pages[langOf(r.Context())]["intake"].ExecuteTemplate(&buf, "intake-suggestions", items); err != nil {
		return fmt.Errorf("render suggestions: %w", err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
	return nil
}
