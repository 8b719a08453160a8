package web

import (
	"net/http"

	"github.com/habeas-project/habeas"
)

// erasuresView is the data of the erasures page: the erasures made, and
// the form that erases a person.
type erasuresView struct {
	Erasures []habeas.Erasure
	Form     *form
	// Done is the erasure just made.
	Done *erasureDone
}

// erasureDone is what an erasure did and left, to show once.
type erasureDone struct {
	PersonID    string
	Records     int
	Kept        []habeas.Ref
	Sources     []string
	NotShredded bool
}

func (s *Server) erasuresView(r *http.Request, f *form) (*erasuresView, error) {
	es, err := s.work.FindErasures(r.Context(), habeas.UserFrom(r.Context()))
	if err != nil {
		return nil, err
	}
	if f == nil {
		f = newForm("erase", nil)
	}
	return &erasuresView{Erasures: es, Form: f}, nil
}

// adminErasures serves GET /admin/erasures: who was erased, when, by
// whom and why, and the form that erases a person.
func (s *Server) adminErasures(w http.ResponseWriter, r *http.Request) error {
	v, err := s.erasuresView(r, nil)
	if err != nil {
		return err
	}
	if id := r.URL.Query().Get("person"); habeas.ValidID(habeas.KindPerson, id) {
		v.Form.Values.Set("person", id)
	}
	s.render(w, r, http.StatusOK, "erasures", v)
	return nil
}

// adminErase serves POST /admin/erasures: person, reason, and confirm
// (the identifier typed again). The erasure cannot be undone.
func (s *Server) adminErase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	fr, err := s.postedForm(r, "erase", "UTC")
	if err != nil {
		return err
	}
	fr.fields = []formField{{Name: "person", Label: "erase.form.person"}, {Name: "reason", Label: "erase.form.reason"}}
	id := fr.text("person", "erase.form.person", 60, true)
	reason := fr.text("reason", "erase.form.reason", 2000, true)
	if id != "" && !habeas.ValidID(habeas.KindPerson, id) {
		fr.fail("person", "erase.form.person", "erase.error.person")
	}
	if !fr.failed() && fr.value("confirm") != id {
		fr.fail("confirm", "erase.form.confirm", "erase.error.confirm")
	}
	if !fr.failed() {
		u := habeas.UserFrom(ctx)
		res, err := s.work.Erase(ctx, u, id, reason)
		switch {
		case err == nil:
			s.log.InfoContext(ctx, "person erased", "by", u.Name, "person", id, "records", len(res.Changes))
			v, err := s.erasuresView(r, nil)
			if err != nil {
				return err
			}
			v.Done = &erasureDone{PersonID: id, Records: len(res.Changes) - 1, Kept: res.Kept, Sources: res.Sources, NotShredded: res.NotShredded}
			s.render(w, r, http.StatusOK, "erasures", v)
			return nil
		case habeas.ErrorCode(err) == habeas.ENOTFOUND:
			fr.fail("person", "erase.form.person", "erase.error.notfound")
		case habeas.ErrorCode(err) == habeas.ECONFLICT:
			fr.fail("person", "erase.form.person", "erase.error.erased")
		case !fr.refused(err):
			return err
		}
	}
	v, err := s.erasuresView(r, fr.f)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, "erasures", v)
	return nil
}
