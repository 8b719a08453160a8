package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/rules"
)

// casualtyView is the data of a casualty's page.
type casualtyView struct {
	It      casework.CasualtyItem
	Checks  []forceCheckView
	Sources []*habeas.Source
	History []*habeas.Change
	CanEdit bool
	// Form is the use-of-force form: the record's answers, or what was
	// typed when refused; Facts are its facts in order, and Source its
	// source part.
	Form   *form
	Facts  []habeas.ForceFactField
	Source sourceFields
	// Readings are the working readings of "the earliest possible
	// moment", for the note under the checks.
	Readings    []forceReading
	ReadingConf string
	version     int64
}

// forceCheckView is one check with what the record says of each fact it
// rests on.
type forceCheckView struct {
	casework.ForceCheckItem
	Said    []forceSaid
	Sources []*habeas.Source
}

// forceSaid is one recorded fact of the account.
type forceSaid struct {
	Name string
	*habeas.ForceFact
}

// forceReading is a working reading of "the earliest possible moment".
type forceReading struct {
	Check   string
	Reading time.Duration
}

// casualtyPage serves GET /casualties/{id}: a death or injury, who is
// alleged to have caused it, its investigations, its checks under the UN
// Basic Principles on the Use of Force and Firearms with the facts and
// sources each rests on, the form to record the use-of-force account for
// those who may, and its history.
func (s *Server) casualtyPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.casualtyView(r)
	if err != nil {
		return err
	}
	v.Form = casualtyForm(v.It.Casualty, v.It.Zone)
	v.Form.Values.Set("version", strconv.FormatInt(v.version, 10))
	v.Source.Form = v.Form
	s.render(w, r, http.StatusOK, "casualty", v)
	return nil
}

func (s *Server) casualtyView(r *http.Request) (*casualtyView, error) {
	ctx := r.Context()
	file, err := s.work.FindCasualtyFile(ctx, habeas.UserFrom(ctx), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if file.Item.Zone == "" {
		file.Item.Zone = "UTC"
	}
	v := &casualtyView{It: file.Item, Sources: file.Sources, History: file.History, version: file.Version,
		CanEdit: s.may(r, "casualty.update"), Facts: habeas.ForceFacts, ReadingConf: rules.ReadingConfidence}
	byID := map[string]*habeas.Source{}
	for _, src := range file.Sources {
		byID[src.ID] = src
		if src.Kind != "" {
			v.Source.Sources = append(v.Source.Sources, option{src.ID, src.Title + " (" + s.tr(r, "source."+string(src.Kind)) + ", " + src.Grade() + ")"})
		}
	}
	v.Source.Kinds = s.options(r, "source.", habeas.SourceKinds)
	u := v.It.UseOfForce
	for _, c := range v.It.Force.Checks {
		cv := forceCheckView{ForceCheckItem: c}
		for _, name := range c.Facts {
			if f := forceFact(u, name); f != nil {
				cv.Said = append(cv.Said, forceSaid{name, f})
			}
		}
		for _, id := range c.Sources {
			if src, ok := byID[id]; ok {
				cv.Sources = append(cv.Sources, src)
			} else {
				cv.Sources = append(cv.Sources, &habeas.Source{ID: id})
			}
		}
		v.Checks = append(v.Checks, cv)
	}
	for _, ch := range rules.ForceChecks {
		if ch.Reading > 0 {
			v.Readings = append(v.Readings, forceReading{ch.Name, ch.Reading})
		}
	}
	return v, nil
}

// forceFact returns the fact of the account named name, nil when it is
// not recorded.
func forceFact(u *habeas.UseOfForce, name string) *habeas.ForceFact {
	if u == nil {
		return nil
	}
	for _, ff := range habeas.ForceFacts {
		if ff.Name == name {
			return *ff.Field(u)
		}
	}
	return nil
}

// casualtyForm fills the use-of-force form with the record as it is.
func casualtyForm(c *habeas.Casualty, zone string) *form {
	f := newForm("f", url.Values{"by_security_forces": {tri(c.BySecurityForces)}})
	for _, ff := range habeas.ForceFacts {
		fact := forceFact(c.UseOfForce, ff.Name)
		if fact == nil {
			continue
		}
		f.Values.Set(ff.Name+".answer", string(fact.Answer))
		f.Values.Set(ff.Name+".note", fact.Note)
		if !fact.At.IsZero() {
			f.Values.Set(ff.Name+".at", habeas.LocalTime(fact.At, zone).Format(datetimeLocal))
		}
	}
	return f
}

// casualtyUpdate serves POST /casualties/{id}: whether security forces
// caused the casualty, and the use-of-force account fact by fact, written
// as the signed-in account. A fact whose answer changes takes the form's
// source as its own; one whose time or note changes adds it; a fact left
// unknown is dropped. So a new or changed answer needs a source: chosen
// among the casualty's, or described anew, written in the same batch.
// Then back to the page; invalid input shows the form again with 400 and
// writes nothing; a record saved by someone else since the page was
// opened shows it as it is now, with 409, this form kept.
func (s *Server) casualtyUpdate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v, err := s.casualtyView(r)
	if err != nil {
		return err
	}
	fr, err := s.postedForm(r, "f", v.It.Zone)
	if err != nil {
		return err
	}
	fr.fields = []formField{{Name: "by_security_forces", Label: "inv.field.by_security_forces"}}
	for _, ff := range habeas.ForceFacts {
		label := "inv.force." + ff.Name
		fr.fields = append(fr.fields, formField{Name: ff.Name + ".answer", Label: label}, formField{Name: ff.Name + ".at", Label: label},
			formField{Name: ff.Name + ".note", Label: label}, formField{Name: ff.Name + ".sources", Label: label, NoLink: true})
	}
	fr.fields = append(fr.fields, formField{Name: "source", Label: "case.source.label"})
	fr.prefix, fr.area = "use_of_force.", "inv"

	old := v.It.Casualty
	by := fr.tristate("by_security_forces", "inv.field.by_security_forces", "inv.error.tristate")
	byChanged := tri(by) != tri(old.BySecurityForces)
	type read struct {
		fact         *habeas.ForceFact
		prev         *habeas.ForceFact
		answerChange bool
	}
	facts := make([]read, len(habeas.ForceFacts))
	needSource := byChanged && by != nil
	for i, ff := range habeas.ForceFacts {
		label := "inv.force." + ff.Name
		ans := fr.choice(ff.Name+".answer", label, habeas.ForceAnswers, false)
		var at time.Time
		if ff.Timed {
			at = fr.when(ff.Name+".at", label, false)
			fr.notBefore(ff.Name+".at", label, at, old.At, "inv.error.before_casualty")
			fr.notFuture(ff.Name+".at", label, at)
		}
		note := fr.text(ff.Name+".note", label, 2000, false)
		prev := forceFact(old.UseOfForce, ff.Name)
		if ans == "" {
			if (!at.IsZero() || note != "") && fr.f.Err(ff.Name+".answer") == "" {
				fr.fail(ff.Name+".answer", label, "inv.error.force_answer")
			}
			continue
		}
		f := &habeas.ForceFact{Answer: habeas.Answer(ans), At: at, Note: note}
		rd := read{fact: f, prev: prev, answerChange: prev == nil || prev.Answer != f.Answer}
		if rd.answerChange {
			needSource = true
		}
		facts[i] = rd
	}
	srcID, create := fr.source(needSource)
	for _, rd := range facts {
		switch {
		case rd.fact == nil:
		case rd.answerChange:
			rd.fact.Sources = []string{srcID}
		case rd.prev.At.Equal(rd.fact.At) && rd.prev.Note == rd.fact.Note || srcID == "":
			rd.fact.Sources = slices.Clone(rd.prev.Sources)
		default: // the same answer, told anew: its time or note from this source too
			rd.fact.Sources = append(slices.Clone(rd.prev.Sources), srcID)
		}
	}
	ed := casework.CasualtyEdit{ID: v.It.ID, Version: formVersion(fr, "version"), Create: create,
		Edit: func(c *habeas.Casualty) {
			c.BySecurityForces = by
			if byChanged && srcID != "" {
				c.Sources = append(c.Sources, srcID)
			}
			u := &habeas.UseOfForce{}
			for i, ff := range habeas.ForceFacts {
				*ff.Field(u) = facts[i].fact
			}
			c.UseOfForce = u
		}}
	if fr.err != nil {
		return fr.err
	}
	if !fr.failed() {
		err := s.work.SaveCasualty(ctx, habeas.UserFrom(ctx), ed)
		switch {
		case err == nil:
			http.Redirect(w, r, "/casualties/"+v.It.ID, http.StatusSeeOther)
			return nil
		case habeas.IsStale(err):
			now, err := s.casualtyView(r)
			if err != nil {
				return err
			}
			fr.f.Conflict = s.tr(r, "inv.casualty.conflict")
			fr.f.Values.Set("version", strconv.FormatInt(now.version, 10))
			now.Form, now.Source.Form = fr.f, fr.f
			s.render(w, r, http.StatusConflict, "casualty", now)
			return nil
		case !fr.refused(err):
			return err
		}
	}
	v.Form, v.Source.Form = fr.f, fr.f
	v.Form.Open = true
	s.render(w, r, http.StatusBadRequest, "casualty", v)
	return nil
}
