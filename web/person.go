package web

import (
	"net/http"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/api"
)

// personView is the data of a person's page.
type personView struct {
	P          *habeas.Person
	Names      []nameView
	Sources    []*habeas.Source
	Detentions []api.DetentionItem
	Casualties []*habeas.Casualty
	Evidence   []*habeas.Evidence
	History    []*habeas.Change
}

// personPage serves GET /persons/{id}: the person with every spelling of
// their name, all their detentions and casualties.
func (s *Server) personPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := r.PathValue("id")
	if !habeas.ValidID(habeas.KindPerson, id) {
		return habeas.Errorf(habeas.ENOTFOUND, "person %s not found", id)
	}
	p, err := s.cfg.Persons.FindPersonByID(ctx, id)
	if err != nil {
		return err
	}
	v := personView{P: p}
	ss := newSourceSet(s.cfg.Records)
	if v.Names, err = ss.names(ctx, p); err != nil {
		return err
	}
	if v.Sources, err = ss.get(ctx, p.Sources...); err != nil {
		return err
	}
	// A person has a handful of detentions; the largest page holds them all.
	f := habeas.DetentionFilter{PersonID: &id, Page: habeas.Page{Limit: api.MaxLimit}}
	if v.Detentions, _, err = s.api.FindDetentionItems(ctx, f); err != nil {
		return err
	}
	if v.Casualties, err = referring[*habeas.Casualty](ctx, s.cfg.Records, habeas.KindCasualty, id); err != nil {
		return err
	}
	if v.Evidence, err = referring[*habeas.Evidence](ctx, s.cfg.Records, habeas.KindEvidence, id); err != nil {
		return err
	}
	if v.History, err = historyOf(ctx, s.cfg.Changes, id); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "person", v)
	return nil
}
