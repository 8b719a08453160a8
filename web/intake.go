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

// intakeFields are the fields of the intake form in the order of the form,
// each labelled intake.f.<name>: the order errors are listed in, and the
// first invalid one gets the focus. The person chosen is a hidden input
// or a choice below the name, so its error is not linked to.
var intakeFields = func() []formField {
	var out []formField
	for _, name := range []string{"name", "person_id", "birth", "sex", "citizenship", "iin",
		"city", "date", "time", "place", "body", "custody", "custody_since", "note",
		"source_kind", "caller", "contact", "confidentiality", "reliability", "credibility"} {
		out = append(out, formField{Name: name, Label: "intake.f." + name, NoLink: name == "person_id"})
	}
	return out
}()

// intakeHints are the fields that carry a hint below their label.
var intakeHints = map[string]bool{"name": true, "birth": true, "citizenship": true, "date": true, "time": true,
	"custody": true, "custody_since": true, "caller": true, "contact": true, "reliability": true}

// sessionCity remembers the city of an operator's last report: a hotline
// serves one city at a time, so it is the next report's default.
const sessionCity = "intake.city"

// intakeView is the data of the intake form.
type intakeView struct {
	// Form is the report as typed (casework.Intake's fields, named as in
	// its JSON) with each field's error.
	Form *form
	// Check is set when the form lists registered persons to choose from
	// (the "check" button, an IIN already registered, or a person chosen
	// before); Candidates holds them.
	Check      bool
	Candidates []casework.Suggestion
	Focus      string // the id of the element that takes the focus
	Cities     []option
}

// Desc returns the ids that describe a field's input: its hint and error.
func (v *intakeView) Desc(field string) string {
	var ids []string
	if intakeHints[field] {
		ids = append(ids, "f-"+field+"-hint")
	}
	if v.Form.Err(field) != "" {
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
func (s *Server) intakeDefaults(r *http.Request) *form {
	city := s.cfg.Sessions.GetString(r.Context(), sessionCity)
	c, ok := habeas.FindCity(city)
	if !ok {
		c = &habeas.Cities[0]
	}
	d := casework.IntakeDefaults
	return newForm("f", url.Values{"city": {c.Key}, "date": {s.work.Clock().In(c.Location()).Format(time.DateOnly)},
		"citizenship": {"KZ"}, "source_kind": {d.SourceKind}, "confidentiality": {d.Confidentiality},
		"reliability": {d.Reliability}, "credibility": {d.Credibility}})
}

// intakeForm serves GET /intake: an empty report, with the focus on the
// name of the person taken.
func (s *Server) intakeForm(w http.ResponseWriter, r *http.Request) error {
	v := &intakeView{Form: s.intakeDefaults(r), Focus: "f-name", Cities: cityOptions()}
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
	v := &intakeView{Form: newForm("f", r.PostForm), Cities: cityOptions()}
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
		if in.PersonID != "" || v.Form.Err("iin") != "" {
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
	if v.Candidates, err = s.work.Suggest(r.Context(), habeas.UserFrom(r.Context()), v.Form.Value("name"), v.Form.Value("iin"), casework.DefaultSuggestions); err != nil {
		return err
	}
	id := strings.TrimSpace(v.Form.Value("person_id"))
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
// reader's language, in the order of the form.
func (s *Server) intakeErrors(r *http.Request, v *intakeView, err error) {
	fr := s.newFormReader(r, v.Form.Name, "")
	fr.fields, fr.area = intakeFields, "intake"
	fr.refused(err)
	v.Form = fr.f
}

// firstError is the id of the first invalid field on the form.
func (v *intakeView) firstError() string {
	for _, e := range v.Form.Errors {
		if e.ID != "" {
			return e.ID
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
