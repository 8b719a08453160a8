package casework

import (
	"context"
	"maps"
	"slices"

	"github.com/habeas-project/habeas"
)

// reader is the register as one account reads it (Service.as): every
// record it returns is one the scope sees, as the scope reads it; a record
// out of scope is not found, as if it did not exist, so that a lawyer
// learns nothing of other cases, not even that they are there. Writes go
// to the store unchanged. Every method is written out, none embedded, so
// that a read added to the services cannot pass here unfiltered: it fails
// to build until it is.
type reader struct {
	s  *Service // the service itself, with the store's services
	sc *scope
}

// out returns e as the scope reads it, or ENOTFOUND.
func (r *reader) out(e habeas.Entity) (habeas.Entity, error) {
	if !r.sc.sees(e) {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "%s %s not found", e.EntityKind(), e.GetID())
	}
	return r.sc.redact(e), nil
}

// outAll keeps the entities the scope sees, as it reads them.
func (r *reader) outAll(es []habeas.Entity) []habeas.Entity {
	out := make([]habeas.Entity, 0, len(es))
	for _, e := range es {
		if r.sc.sees(e) {
			out = append(out, r.sc.redact(e))
		}
	}
	return out
}

func (r *reader) Create(ctx context.Context, e habeas.Entity) error {
	return r.s.cfg.Records.Create(ctx, e)
}

func (r *reader) Update(ctx context.Context, e habeas.Entity) error {
	return r.s.cfg.Records.Update(ctx, e)
}

func (r *reader) Delete(ctx context.Context, k habeas.Kind, id string) error {
	return r.s.cfg.Records.Delete(ctx, k, id)
}

func (r *reader) Apply(ctx context.Context, muts []habeas.Mutation) ([]*habeas.Change, error) {
	return r.s.cfg.Records.Apply(ctx, muts)
}

func (r *reader) Transact(ctx context.Context, fn func(tx habeas.Tx) error) ([]*habeas.Change, error) {
	return r.s.cfg.Records.Transact(ctx, fn)
}

func (r *reader) Find(ctx context.Context, k habeas.Kind, id string) (habeas.Entity, error) {
	e, err := r.s.cfg.Records.Find(ctx, k, id)
	if err != nil {
		return nil, err
	}
	return r.out(e)
}

func (r *reader) FindVersion(ctx context.Context, k habeas.Kind, id string) (habeas.Entity, int64, error) {
	e, v, err := r.s.cfg.Records.FindVersion(ctx, k, id)
	if err != nil {
		return nil, 0, err
	}
	e, err = r.out(e)
	return e, v, err
}

func (r *reader) FindReferring(ctx context.Context, k habeas.Kind, id string) ([]habeas.Entity, error) {
	es, err := r.s.cfg.Records.FindReferring(ctx, k, id)
	return r.outAll(es), err
}

// FindByKind keeps the records of the page the scope sees; the total is
// the store's. Lists of a whole kind are for roles that read the whole
// register (readRegister), whose scope sees every record.
func (r *reader) FindByKind(ctx context.Context, k habeas.Kind, p habeas.Page) ([]habeas.Entity, int, error) {
	es, n, err := r.s.cfg.Records.FindByKind(ctx, k, p)
	return r.outAll(es), n, err
}

func (r *reader) FindPersonByID(ctx context.Context, id string) (*habeas.Person, error) {
	p, err := r.s.cfg.Persons.FindPersonByID(ctx, id)
	if err != nil {
		return nil, err
	}
	e, err := r.out(p)
	if err != nil {
		return nil, err
	}
	return e.(*habeas.Person), nil
}

func (r *reader) FindPersonsByID(ctx context.Context, ids []string) (map[string]*habeas.Person, error) {
	ps, err := r.s.cfg.Persons.FindPersonsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*habeas.Person, len(ps))
	for id, p := range ps {
		if r.sc.sees(p) {
			out[id] = r.sc.redact(p).(*habeas.Person)
		}
	}
	return out, nil
}

// FindPersons narrows the filter to the scope's persons.
func (r *reader) FindPersons(ctx context.Context, f habeas.PersonFilter) ([]*habeas.Person, int, error) {
	if r.sc.cases != nil {
		f.IDs = narrow(f.IDs, r.sc.persons)
	}
	ps, n, err := r.s.cfg.Persons.FindPersons(ctx, f)
	for i, p := range ps {
		ps[i] = r.sc.redact(p).(*habeas.Person)
	}
	return ps, n, err
}

func (r *reader) FindDetentionByID(ctx context.Context, id string) (*habeas.Detention, error) {
	d, err := r.s.cfg.Detentions.FindDetentionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	e, err := r.out(d)
	if err != nil {
		return nil, err
	}
	return e.(*habeas.Detention), nil
}

// FindDetentions narrows the filter to the scope's cases.
func (r *reader) FindDetentions(ctx context.Context, f habeas.DetentionFilter) ([]*habeas.Detention, int, error) {
	if r.sc.cases != nil {
		f.IDs = narrow(f.IDs, r.sc.caseSet)
	}
	ds, n, err := r.s.cfg.Detentions.FindDetentions(ctx, f)
	for i, d := range ds {
		ds[i] = r.sc.redact(d).(*habeas.Detention)
	}
	return ds, n, err
}

// narrow returns the identifiers of ids (every one, when nil) that are in
// set, in order.
func narrow(ids []string, set map[string]bool) []string {
	if ids == nil {
		return append([]string{}, slices.Sorted(maps.Keys(set))...)
	}
	out := []string{}
	for _, id := range ids {
		if set[id] {
			out = append(out, id)
		}
	}
	return out
}

// History returns a record's history as the scope reads it: not found out
// of scope, and every state in it read as the scope reads the record. A
// source restricted at any time in its history is read restricted
// throughout, so that its earlier states do not give away what the later
// ones hide.
func (r *reader) History(ctx context.Context, id string) ([]*habeas.Change, error) {
	if !r.sc.seesID(id) && !r.seesLive(ctx, id) {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "record %s not found", id)
	}
	cs, err := r.s.cfg.Changes.History(ctx, id)
	if err != nil {
		return nil, err
	}
	return r.sc.redactHistory(cs)
}

// seesLive reports whether id is a live record the scope sees: for the
// kinds whose scope follows from what they refer to (an assignment, a
// casualty), which their identifier alone does not say.
func (r *reader) seesLive(ctx context.Context, id string) bool {
	k, ok := habeas.KindOfID(id)
	if !ok {
		return false
	}
	e, err := r.s.cfg.Records.Find(ctx, k, id)
	return err == nil && r.sc.sees(e)
}

func (r *reader) Changes(ctx context.Context, after int64, limit int) ([]*habeas.Change, error) {
	return nil, habeas.Errorf(habeas.EFORBIDDEN, "the change log as a whole is read only by those who read the register whole")
}

func (r *reader) Import(ctx context.Context, changes []*habeas.Change) error {
	return r.s.cfg.Changes.Import(ctx, changes)
}

func (r *reader) LastSeq(ctx context.Context) (int64, error) { return r.s.cfg.Changes.LastSeq(ctx) }

// redactHistory returns the changes of one record's history as the scope
// reads them.
func (sc *scope) redactHistory(cs []*habeas.Change) ([]*habeas.Change, error) {
	if sc == nil || sc.whole() {
		return cs, nil
	}
	restricted := false
	for _, c := range cs {
		if c.Kind != habeas.KindSource || len(c.Data) == 0 {
			continue
		}
		e, err := c.Entity()
		if err != nil {
			return nil, err
		}
		restricted = restricted || e.(*habeas.Source).Confidentiality == habeas.ConfidentialityRestricted
	}
	out := make([]*habeas.Change, len(cs))
	for i, c := range cs {
		out[i] = c
		if len(c.Data) == 0 {
			continue
		}
		e, err := c.Entity()
		if err != nil {
			return nil, err
		}
		var red habeas.Entity
		if src, ok := e.(*habeas.Source); ok && restricted {
			// Judged as its most restricted state, shown as it was.
			was := src.Confidentiality
			src.Confidentiality = habeas.ConfidentialityRestricted
			red = sc.redact(e)
			src.Confidentiality = was
			red.(*habeas.Source).Confidentiality = was
		} else {
			red = sc.redact(e)
		}
		if red == e {
			continue
		}
		cc := *c
		if cc.Data, err = habeas.Canonical(red); err != nil {
			return nil, err
		}
		cc.Sources = red.SourceIDs() // what the state read cites
		out[i] = &cc
	}
	return out, nil
}
