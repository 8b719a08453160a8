package casework

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/habeas-project/habeas"
)

// Erasure is what an erasure did, and what it left alone.
type Erasure struct {
	Changes []*habeas.Change // one for the person and each record about them
	// Kept are the records that refer to the person's erased records and
	// were not erased with them: investigations of their casualties,
	// lawyers' assignments to their detentions. What they say in their
	// own words is kept.
	Kept []habeas.Ref
	// Sources are the sources the person's records cited. A source is a
	// record of its own (a caller, a document), and is not erased with
	// the person: it may speak of others, and its own erasure is a
	// decision of its own.
	Sources []string
	// NotShredded says the database's files may keep copies of the
	// destroyed keys until they are next compacted.
	NotShredded bool
}

// Erase erases a person for good, by crypto-shredding: their record and
// every record about them keep only what habeas.Strip keeps, and the
// data key of everything else, in every earlier change too, is destroyed.
// Only an administrator erases, and says why.
func (s *Service) Erase(ctx context.Context, u *habeas.User, personID, reason string) (*Erasure, error) {
	if err := s.authorize(u, erasePersons); err != nil {
		return nil, err
	}
	if strings.TrimSpace(reason) == "" {
		return nil, &habeas.Error{Code: habeas.EINVALID, Message: "invalid erasure",
			Fields: []habeas.FieldError{habeas.FieldErrorf("reason", "is required: say why the person is erased")}}
	}
	if s.cfg.Erasures == nil {
		return nil, habeas.Errorf(habeas.EINVALID, "this register cannot erase")
	}
	if k, ok := habeas.KindOfID(personID); !ok || k != habeas.KindPerson {
		return nil, &habeas.Error{Code: habeas.EINVALID, Message: "invalid erasure",
			Fields: []habeas.FieldError{habeas.FieldErrorf("person", "%q is not a person's identifier (per_...)", personID)}}
	}
	p, err := s.cfg.Persons.FindPersonByID(ctx, personID)
	if err != nil {
		return nil, err
	}
	out := &Erasure{Sources: p.SourceIDs()}
	for _, k := range habeas.Kinds {
		if !habeas.Erasable(k) {
			continue
		}
		refs, err := s.cfg.Records.FindReferring(ctx, k, personID)
		if err != nil {
			return nil, err
		}
		for _, e := range refs {
			out.Sources = append(out.Sources, e.SourceIDs()...)
		}
	}
	slices.Sort(out.Sources)
	out.Sources = slices.Compact(out.Sources)
	out.Changes, err = s.cfg.Erasures.Erase(habeas.WithUser(ctx, u), personID, reason)
	if errors.Is(err, habeas.ErrNotShredded) {
		out.NotShredded, err = true, nil
	}
	if err != nil {
		return nil, err
	}
	// What still refers to what was erased.
	erased := map[string]bool{}
	for _, c := range out.Changes {
		erased[c.ID] = true
	}
	for _, c := range out.Changes {
		for _, k := range habeas.Kinds {
			if k == habeas.KindSource || k == habeas.KindPerson {
				continue // nothing of these refers to a record about a person
			}
			refs, err := s.cfg.Records.FindReferring(ctx, k, c.ID)
			if err != nil {
				return nil, err
			}
			for _, e := range refs {
				if !erased[e.GetID()] {
					erased[e.GetID()] = true
					out.Kept = append(out.Kept, habeas.Ref{Kind: k, ID: e.GetID()})
				}
			}
		}
	}
	return out, nil
}

// FindErasures lists the erasures made, latest first: who erased whom,
// when and why. Administrators read it.
func (s *Service) FindErasures(ctx context.Context, u *habeas.User) ([]habeas.Erasure, error) {
	if err := s.authorize(u, erasePersons); err != nil {
		return nil, err
	}
	if s.cfg.Erasures == nil {
		return nil, nil
	}
	return s.cfg.Erasures.Erasures(ctx)
}
