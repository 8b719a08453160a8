package web

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// personView is the data of a person's page.
type personView struct {
	P          *habeas.Person
	Names      []caseName
	Sources    []*habeas.Source
	Detentions []casework.DetentionItem
	Casualties []*habeas.Casualty
	Evidence   []*habeas.Evidence
	History    []*habeas.Change
	// Same and Different are the caseworkers' decisions about this record
	// and another; Joined the persons "same" decisions join it with only
	// through others.
	Same, Different []identityView
	Joined          []personLink
}

// identityView is one decision about the person and another record: who
// made it, when, and what the matcher thought.
type identityView struct {
	*habeas.Identity
	Other personLink
	By    string
	At    time.Time
	// Back is the person whose page shows the decision, to return to
	// after undoing it, and CanUndo whether the user may.
	Back    string
	CanUndo bool
}

// personLink is a person shown by name with a link.
type personLink struct {
	ID, Name string
}

// personPage serves GET /persons/{id}: the person with every spelling of
// their name, all their detentions and casualties.
func (s *Server) personPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := r.PathValue("id")
	if !habeas.ValidID(habeas.KindPerson, id) {
		return habeas.Errorf(habeas.ENOTFOUND, "person %s not found", id)
	}
	p, err := s.work.Persons.FindPersonByID(ctx, id)
	if err != nil {
		return err
	}
	v := personView{P: p}
	ss := newSourceSet(s.work.Records)
	nv, err := ss.names(ctx, p)
	if err != nil {
		return err
	}
	v.Names = caseNames(nv, false)
	if v.Sources, err = ss.get(ctx, p.Sources...); err != nil {
		return err
	}
	// A person has a handful of detentions; the largest page holds them all.
	f := habeas.DetentionFilter{PersonID: &id, Page: habeas.Page{Limit: casework.MaxLimit}}
	if v.Detentions, _, err = s.work.FindDetentionItems(ctx, habeas.UserFrom(ctx), f); err != nil {
		return err
	}
	if v.Casualties, err = referring[*habeas.Casualty](ctx, s.work.Records, habeas.KindCasualty, id); err != nil {
		return err
	}
	if v.Evidence, err = referring[*habeas.Evidence](ctx, s.work.Records, habeas.KindEvidence, id); err != nil {
		return err
	}
	// The history shows the decisions about the person too, undone ones
	// included.
	decisions, err := s.work.Review.Decisions(ctx, id)
	if err != nil {
		return err
	}
	if v.History, err = historyOf(ctx, s.work.Changes, append([]string{id}, decisions...)...); err != nil {
		return err
	}
	if err := s.identities(ctx, &v, s.may(r, "identity.undo")); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "person", v)
	return nil
}

// identities fills in the decisions about the person, each with who made
// it and when (from its change history), and the persons joined with it
// only through other decisions.
func (s *Server) identities(ctx context.Context, v *personView, canUndo bool) error {
	ids, err := referring[*habeas.Identity](ctx, s.work.Records, habeas.KindIdentity, v.P.ID)
	if err != nil {
		return err
	}
	cluster, err := s.work.Review.Cluster(ctx, v.P.ID)
	if err != nil {
		return err
	}
	others := slices.Clone(cluster)
	for _, id := range ids {
		others = append(others, id.PersonA, id.PersonB)
	}
	persons, err := s.work.Persons.FindPersonsByID(ctx, others)
	if err != nil {
		return err
	}
	link := func(id string) personLink {
		l := personLink{ID: id}
		if p, ok := persons[id]; ok {
			l.Name = p.DisplayName()
		}
		return l
	}
	direct := map[string]bool{v.P.ID: true}
	for _, id := range ids {
		iv := identityView{Identity: id, Other: link(id.PersonA), Back: v.P.ID, CanUndo: canUndo}
		if id.PersonA == v.P.ID {
			iv.Other = link(id.PersonB)
		}
		h, err := s.work.Changes.History(ctx, id.ID)
		if err != nil {
			return err
		}
		if len(h) > 0 {
			last := h[len(h)-1]
			iv.By, iv.At = last.Actor, last.At
		}
		if id.Judgement == habeas.SamePerson {
			v.Same = append(v.Same, iv)
			direct[iv.Other.ID] = true
		} else {
			v.Different = append(v.Different, iv)
		}
	}
	for _, id := range cluster {
		if !direct[id] {
			v.Joined = append(v.Joined, link(id))
		}
	}
	return nil
}
