package casework

import (
	"context"
	"errors"

	"github.com/habeas-project/habeas"
)

// The record operations below are what the JSON API offers on every kind
// of record: find, create, replace, delete, batches, history, counts and
// the person search. They pass the same authorization point as the
// workflows, so no adapter reaches a record around it.

// FindRecord returns the current state of a record and its version. A
// record of an audited kind is recorded as viewed.
func (s *Service) FindRecord(ctx context.Context, u *habeas.User, k habeas.Kind, id string) (habeas.Entity, int64, error) {
	v, err := s.as(ctx, u, readCases)
	if err != nil {
		return nil, 0, err
	}
	e, version, err := v.cfg.Records.FindVersion(habeas.WithUser(ctx, u), k, id)
	if err != nil {
		return nil, 0, err
	}
	if err := s.viewed(ctx, u, k, id); err != nil {
		return nil, 0, err
	}
	return e, version, nil
}

// CreateRecord stores a new record, normalized and with an identifier if
// it had none, recorded as made by u; it returns its version.
func (s *Service) CreateRecord(ctx context.Context, u *habeas.User, e habeas.Entity) (int64, error) {
	return s.write(ctx, u, habeas.Mutation{Op: habeas.OpCreate, Entity: e})
}

// UpdateRecord replaces the state of a record with e, if the record is
// still at version (the version the caller read; 0 skips the check): a
// record changed since is refused with ECONFLICT and nothing is written.
// It returns the record's new version, the same one when e changes
// nothing.
func (s *Service) UpdateRecord(ctx context.Context, u *habeas.User, e habeas.Entity, version int64) (int64, error) {
	return s.write(ctx, u, habeas.Mutation{Op: habeas.OpUpdate, Entity: e, Version: version})
}

// DeleteRecord removes a record, leaving a tombstone in the change log,
// if it is still at version (0 skips the check).
func (s *Service) DeleteRecord(ctx context.Context, u *habeas.User, k habeas.Kind, id string, version int64) error {
	_, err := s.write(ctx, u, habeas.Mutation{Op: habeas.OpDelete, Kind: k, ID: id, Version: version})
	return err
}

// write applies one mutation and returns the version it leaves.
func (s *Service) write(ctx context.Context, u *habeas.User, m habeas.Mutation) (int64, error) {
	if err := s.authorize(u, batchNeed([]habeas.Mutation{m})); err != nil {
		return 0, err
	}
	ctx = habeas.WithUser(ctx, u)
	var version int64
	_, err := s.cfg.Records.Transact(ctx, func(tx habeas.Tx) error {
		if err := s.checkWrites(ctx, u, tx, []habeas.Mutation{m}); err != nil {
			return err
		}
		cs, err := tx.Apply(ctx, []habeas.Mutation{m})
		if err != nil {
			return err
		}
		if len(cs) > 0 {
			version = cs[0].Seq
		} else if m.Op == habeas.OpUpdate { // unchanged: the version stays
			_, version, err = tx.Find(ctx, m.Entity.EntityKind(), m.Entity.GetID())
		}
		return err
	})
	return version, unbatch(err)
}

// unbatch drops the batch position of a single write's error.
func unbatch(err error) error {
	var be *habeas.BatchError
	if errors.As(err, &be) {
		return be.Err
	}
	return err
}

// ApplyBatch performs mutations in one transaction, all or nothing, each
// update or delete checked against the version it names.
func (s *Service) ApplyBatch(ctx context.Context, u *habeas.User, muts []habeas.Mutation) ([]*habeas.Change, error) {
	if err := s.authorize(u, batchNeed(muts)); err != nil {
		return nil, err
	}
	ctx = habeas.WithUser(ctx, u)
	return s.cfg.Records.Transact(ctx, func(tx habeas.Tx) error {
		if err := s.checkWrites(ctx, u, tx, muts); err != nil {
			return err
		}
		_, err := tx.Apply(ctx, muts)
		return err
	})
}

// checkWrites refuses mutations that make up or rewrite an evidence
// file's record or its chain of custody (habeas.CheckEvidenceWrite), and
// those that change or delete what u may not read whole: a restricted
// source, for an account that reads it emptied, could
// otherwise be overwritten with the empty fields it was shown, or
// deleted unseen. It reads the stored records in tx, so nothing changes
// them between the check and the write.
func (s *Service) checkWrites(ctx context.Context, u *habeas.User, tx habeas.Tx, muts []habeas.Mutation) error {
	if err := checkEvidenceWrites(ctx, tx, muts); err != nil {
		return err
	}
	sc := &scope{u: u, restricted: Allows(u.Role, readRestricted) || u.Restricted}
	if sc.restricted {
		return nil
	}
	for i, m := range muts {
		k, id := m.Kind, m.ID
		if m.Entity != nil {
			k, id = m.Entity.EntityKind(), m.Entity.GetID()
		}
		if m.Op == habeas.OpCreate || k != habeas.KindSource || id == "" {
			continue
		}
		e, _, err := tx.Find(ctx, k, id)
		if habeas.ErrorCode(err) == habeas.ENOTFOUND {
			continue // the store says so, item by item
		}
		if err != nil {
			return err
		}
		if sc.hides(e.(*habeas.Source)) {
			return &habeas.BatchError{Index: i, Err: habeas.Errorf(habeas.EFORBIDDEN,
				"source %s is restricted: only those who may read it whole may change or delete it", id)}
		}
	}
	return nil
}

// History returns every change to one record of kind k, oldest first; a
// deleted record still has its history, but only administrators see what
// it held. Reading the history of a record
// of an audited kind is recorded as a view of it.
func (s *Service) History(ctx context.Context, u *habeas.User, k habeas.Kind, id string) ([]*habeas.Change, error) {
	v, err := s.as(ctx, u, readCases)
	if err != nil {
		return nil, err
	}
	cs, err := v.cfg.Changes.History(habeas.WithUser(ctx, u), id)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 || cs[0].Kind != k {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "%s %s not found", k, id)
	}
	if err := s.viewed(ctx, u, k, id); err != nil {
		return nil, err
	}
	if cs[len(cs)-1].Op == habeas.OpDelete && !Allows(u.Role, readDeleted) {
		// A deleted record's content is for administrators only: others
		// see that it was made, changed and deleted, by whom and when.
		out := make([]*habeas.Change, len(cs))
		for i, c := range cs {
			cc := *c
			cc.Data, cc.Sources = nil, nil
			out[i] = &cc
		}
		return out, nil
	}
	return cs, nil
}

// Counts returns the number of live records of every kind, zero included.
func (s *Service) Counts(ctx context.Context, u *habeas.User) (habeas.Counts, error) {
	if err := s.authorize(u, readRegister); err != nil {
		return nil, err
	}
	c, err := s.cfg.Stats.Counts(habeas.WithUser(ctx, u))
	if err != nil {
		return nil, err
	}
	out := make(habeas.Counts, len(habeas.Kinds))
	for _, k := range habeas.Kinds {
		out[k] = c[k]
	}
	return out, nil
}

// FindPersons returns a page of the persons f selects and how many match.
// It is recorded as a search when f names a name or an IIN, as a list
// otherwise, with the persons shown.
func (s *Service) FindPersons(ctx context.Context, u *habeas.User, f habeas.PersonFilter) ([]*habeas.Person, int, error) {
	// A list of persons is a directory of names, in the order of their
	// names: it needs searchNames even without a name to look for.
	v, err := s.as(ctx, u, readCases, searchNames)
	if err != nil {
		return nil, 0, err
	}
	ps, total, err := v.cfg.Persons.FindPersons(habeas.WithUser(ctx, u), f)
	if err != nil {
		return nil, 0, err
	}
	action := habeas.AccessList
	if f.Name != nil || f.IIN != nil {
		action = habeas.AccessSearch
	}
	if err := listed(ctx, s, u, action, habeas.KindPerson, f, ps, (*habeas.Person).GetID); err != nil {
		return nil, 0, err
	}
	return ps, total, nil
}
