package casework

import (
	"context"
	"slices"
	"time"

	"github.com/habeas-project/habeas"
)

// PersonFile is one person with everything registered about them: every
// spelling of the name with its source, their detentions, casualties and
// evidence, the caseworkers' decisions that they are or are not the same
// as another record, and the full history, decisions included.
type PersonFile struct {
	Person     *habeas.Person
	Names      []NameSource
	Sources    []*habeas.Source
	Detentions []DetentionItem
	Casualties []*habeas.Casualty
	Evidence   []*habeas.Evidence
	History    []*habeas.Change
	// Same and Different are the decisions about this record and another;
	// Joined the persons "same" decisions join it with only through
	// others.
	Same, Different []IdentityDecision
	Joined          []PersonLink
}

// IdentityDecision is one decision about the person and another record:
// who made it, when, and what the matcher thought.
type IdentityDecision struct {
	*habeas.Identity
	Other PersonLink
	By    string
	At    time.Time
}

// PersonLink is a person shown by name.
type PersonLink struct {
	ID, Name string
}

// FindPersonFile gathers the file of person id, recorded as a view of the
// person.
func (s *Service) FindPersonFile(ctx context.Context, u *habeas.User, id string) (*PersonFile, error) {
	s, err := s.as(ctx, u, readCases)
	if err != nil {
		return nil, err
	}
	ctx = habeas.WithUser(ctx, u)
	if !habeas.ValidID(habeas.KindPerson, id) {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "person %s not found", id)
	}
	p, err := s.cfg.Persons.FindPersonByID(ctx, id)
	if err != nil {
		return nil, err
	}
	pf := &PersonFile{Person: p}
	ss := newSourceSet(s.cfg.Records)
	if pf.Names, err = ss.names(ctx, p); err != nil {
		return nil, err
	}
	if pf.Sources, err = ss.get(ctx, p.Sources...); err != nil {
		return nil, err
	}
	// A person has a handful of detentions; the largest page holds them all.
	f := habeas.DetentionFilter{PersonID: &id, Page: habeas.Page{Limit: habeas.MaxPageLimit}}
	if pf.Detentions, _, err = s.detentionList(ctx, DetentionQuery{DetentionFilter: f, At: s.Clock()}); err != nil {
		return nil, err
	}
	if pf.Casualties, err = referring[*habeas.Casualty](ctx, s.cfg.Records, habeas.KindCasualty, id); err != nil {
		return nil, err
	}
	if pf.Evidence, err = referring[*habeas.Evidence](ctx, s.cfg.Records, habeas.KindEvidence, id); err != nil {
		return nil, err
	}
	// The history shows the decisions about the person too, undone ones
	// included.
	decisions, err := s.cfg.Review.Decisions(ctx, id)
	if err != nil {
		return nil, err
	}
	if pf.History, err = historyOf(ctx, s.cfg.Changes, append([]string{id}, decisions...)...); err != nil {
		return nil, err
	}
	if err := s.identities(ctx, pf); err != nil {
		return nil, err
	}
	if err := s.viewed(ctx, u, habeas.KindPerson, id); err != nil {
		return nil, err
	}
	return pf, nil
}

// identities fills in the decisions about the person, each with who made
// it and when (from its change history), and the persons joined with it
// only through other decisions.
func (s *Service) identities(ctx context.Context, pf *PersonFile) error {
	id := pf.Person.ID
	ids, err := referring[*habeas.Identity](ctx, s.cfg.Records, habeas.KindIdentity, id)
	if err != nil {
		return err
	}
	cluster, err := s.cfg.Review.Cluster(ctx, id)
	if err != nil {
		return err
	}
	others := slices.Clone(cluster)
	for _, idn := range ids {
		others = append(others, idn.PersonA, idn.PersonB)
	}
	persons, err := s.cfg.Persons.FindPersonsByID(ctx, others)
	if err != nil {
		return err
	}
	link := func(id string) PersonLink {
		l := PersonLink{ID: id}
		if p, ok := persons[id]; ok {
			l.Name = p.DisplayName()
		}
		return l
	}
	direct := map[string]bool{id: true}
	for _, idn := range ids {
		dec := IdentityDecision{Identity: idn, Other: link(idn.PersonA)}
		if idn.PersonA == id {
			dec.Other = link(idn.PersonB)
		}
		h, err := s.cfg.Changes.History(ctx, idn.ID)
		if err != nil {
			return err
		}
		if len(h) > 0 {
			last := h[len(h)-1]
			dec.By, dec.At = last.Actor, last.At
		}
		if idn.Judgement == habeas.SamePerson {
			pf.Same = append(pf.Same, dec)
			direct[dec.Other.ID] = true
		} else {
			pf.Different = append(pf.Different, dec)
		}
	}
	for _, c := range cluster {
		// The review queue's cluster is not narrowed by the reader: a
		// person the scope does not read is not named, not even by
		// identifier.
		if _, seen := persons[c]; !direct[c] && (seen || s.sc.seesAllPersons()) {
			pf.Joined = append(pf.Joined, link(c))
		}
	}
	return nil
}
