package casework

import (
	"cmp"
	"context"
	"slices"

	"github.com/habeas-project/habeas"
)

// sourceSet looks sources up for one read model, each once.
type sourceSet struct {
	records habeas.RecordService
	byID    map[string]*habeas.Source
}

func newSourceSet(records habeas.RecordService) *sourceSet {
	return &sourceSet{records: records, byID: map[string]*habeas.Source{}}
}

// get returns the sources with the given identifiers. A source that is gone
// is shown by its identifier alone rather than hiding the fact it backed.
func (ss *sourceSet) get(ctx context.Context, ids ...string) ([]*habeas.Source, error) {
	out := make([]*habeas.Source, 0, len(ids))
	for _, id := range ids {
		if id == "" {
			continue
		}
		src, ok := ss.byID[id]
		if !ok {
			e, err := ss.records.Find(ctx, habeas.KindSource, id)
			switch {
			case habeas.ErrorCode(err) == habeas.ENOTFOUND:
				src = &habeas.Source{ID: id}
			case err != nil:
				return nil, err
			default:
				src = e.(*habeas.Source)
			}
			ss.byID[id] = src
		}
		out = append(out, src)
	}
	return out, nil
}

// NameSource is one spelling of a person's name with the source that gave
// it.
type NameSource struct {
	habeas.NameVariant
	Source *habeas.Source
}

// names returns every spelling of p's name with its source.
func (ss *sourceSet) names(ctx context.Context, p *habeas.Person) ([]NameSource, error) {
	out := make([]NameSource, len(p.Names))
	for i, n := range p.Names {
		out[i].NameVariant = n
		if n.SourceID != "" {
			srcs, err := ss.get(ctx, n.SourceID)
			if err != nil {
				return nil, err
			}
			out[i].Source = srcs[0]
		}
	}
	return out, nil
}

// lawyerSet looks lawyers up for one read model, each once. A lawyer
// since deleted is shown by identifier.
type lawyerSet struct {
	records habeas.RecordService
	byID    map[string]*habeas.Lawyer
}

func (ls *lawyerSet) get(ctx context.Context, id string) (*habeas.Lawyer, error) {
	if id == "" {
		return nil, nil
	}
	if l, ok := ls.byID[id]; ok {
		return l, nil
	}
	e, err := ls.records.Find(ctx, habeas.KindLawyer, id)
	var l *habeas.Lawyer
	switch {
	case habeas.ErrorCode(err) == habeas.ENOTFOUND:
	case err != nil:
		return nil, err
	default:
		l = e.(*habeas.Lawyer)
	}
	ls.byID[id] = l
	return l, nil
}

// referring returns the records of kind k that refer to id, typed.
func referring[T habeas.Entity](ctx context.Context, records interface {
	FindReferring(context.Context, habeas.Kind, string) ([]habeas.Entity, error)
}, k habeas.Kind, id string) ([]T, error) {
	es, err := records.FindReferring(ctx, k, id)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(es))
	for _, e := range es {
		if t, ok := e.(T); ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// historyOf returns the changes to every given record, in log order; a
// record the reader may not read is left out.
func historyOf(ctx context.Context, changes habeas.ChangeService, ids ...string) ([]*habeas.Change, error) {
	var all []*habeas.Change
	for _, id := range ids {
		cs, err := changes.History(ctx, id)
		if habeas.ErrorCode(err) == habeas.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		all = append(all, cs...)
	}
	slices.SortFunc(all, func(a, b *habeas.Change) int { return cmp.Compare(a.Seq, b.Seq) })
	return all, nil
}
