package casework

import (
	"context"
	"net/url"
	"time"

	"github.com/habeas-project/habeas"
)

// DetentionItem is a detention as lists show it: the record, what is
// derived from its timeline, and what lists show of the person.
type DetentionItem struct {
	*habeas.Detention
	ArrestedAt time.Time     `json:"arrested_at"`          // the earliest de facto arrest any source gives
	ProtocolAt time.Time     `json:"protocol_at,omitzero"` // the earliest time a protocol states
	Status     habeas.Status `json:"status"`
	PersonName string        `json:"person_name"`
	// Citizenships are the person's, as recorded.
	Citizenships []string `json:"citizenships,omitempty"`
	// AgeAtArrest says whether the person was under 18 at the de facto
	// arrest; omitted when no birth date or age is recorded.
	AgeAtArrest habeas.AgeGroup `json:"age_at_arrest,omitempty"`
	// Overdue is set in the overdue queue: what is overdue at the moment
	// the list was judged at.
	Overdue *OverdueSummary `json:"overdue,omitempty"`
}

// OverdueSummary is what is overdue of one detention's safeguards.
type OverdueSummary struct {
	Count int `json:"count"` // overdue results
	// LongestSeconds is how long the most overdue has been overdue.
	LongestSeconds int64 `json:"longest_seconds"`
	// Safeguards names the safeguards overdue, the longest overdue first.
	Safeguards []string `json:"safeguards"`
}

// DetentionQuery is a query of the detention list: a filter, possibly of a
// queue, and the moment the overdue queue is judged at.
type DetentionQuery struct {
	habeas.DetentionFilter
	At time.Time
}

// ParseDetentionQuery reads the parameters of ParseDetentionFilter and at
// (RFC 3339), the moment the overdue queue is judged at; without it, the
// API's clock to the minute, so that the pages of the queue, and its count,
// are judged once a minute and not once a request (alerts.Watcher.Overdue).
// The other queues are the record as it stands, whatever at says.
func (s *Service) ParseDetentionQuery(q url.Values) (DetentionQuery, error) {
	p := &query{q: q}
	dq := DetentionQuery{DetentionFilter: p.detentionFilter(), At: p.at("at", s.Clock().Truncate(time.Minute))}
	return dq, p.err()
}

// FindDetentionList returns a page of the detentions q selects, as lists
// show them, and the total. The stored queues and the filters come from
// the store's indexes; the overdue queue from the safeguard clocks, the
// longest overdue first. The HTML list uses it too, so both show the same.
// The page is recorded as a list of the detentions shown.
func (s *Service) FindDetentionList(ctx context.Context, u *habeas.User, q DetentionQuery) ([]DetentionItem, int, error) {
	v, err := s.as(ctx, u, readCases)
	if err != nil {
		return nil, 0, err
	}
	items, total, err := v.detentionList(habeas.WithUser(ctx, u), q)
	if err != nil {
		return nil, 0, err
	}
	if err := listed(ctx, s, u, habeas.AccessList, habeas.KindDetention, q, items, DetentionItem.id); err != nil {
		return nil, 0, err
	}
	return items, total, nil
}

func (it DetentionItem) id() string { return it.ID }

// detentionList is FindDetentionList for the read models that show a
// person's detentions within a page recorded as a whole.
func (s *Service) detentionList(ctx context.Context, q DetentionQuery) ([]DetentionItem, int, error) {
	var ds []*habeas.Detention
	var overdue []*OverdueSummary
	var total int
	if q.Queue != nil && *q.Queue == habeas.QueueOverdue {
		ods, n, err := s.cfg.Alerts.Overdue(ctx, s.sc.narrow(q.DetentionFilter), q.At)
		if err != nil {
			return nil, 0, err
		}
		total = n
		for _, od := range ods {
			// The watcher keeps only part of a detention (alerts/slim.go):
			// the list shows the whole record, as the other queues do.
			d, err := s.cfg.Detentions.FindDetentionByID(ctx, od.Detention.ID)
			if habeas.ErrorCode(err) == habeas.ENOTFOUND {
				continue // deleted since the queue was judged
			}
			if err != nil {
				return nil, 0, err
			}
			ds = append(ds, d)
			overdue = append(overdue, &OverdueSummary{Count: od.Overdue, LongestSeconds: int64(od.Longest / time.Second), Safeguards: od.Safeguards})
		}
	} else {
		var err error
		if ds, total, err = s.cfg.Detentions.FindDetentions(ctx, q.DetentionFilter); err != nil {
			return nil, 0, err
		}
	}
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.PersonID
	}
	// The names, birth dates and citizenships come from the watcher's
	// persons, kept in memory, rather than whole person documents.
	persons, err := s.cfg.Alerts.Persons(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	items := make([]DetentionItem, len(ds))
	for i, d := range ds {
		it := DetentionItem{Detention: d, ArrestedAt: d.ArrestedAt(), ProtocolAt: d.ProtocolAt(), Status: d.Status()}
		if p, ok := persons[d.PersonID]; ok { // absent: deleted since, or never valid; shown as no name
			it.PersonName, it.Citizenships, it.AgeAtArrest = s.sc.name(p.ID, p.DisplayName()), p.Citizenships, habeas.AgeAtArrest(p, d)
		}
		if overdue != nil {
			it.Overdue = overdue[i]
		}
		items[i] = it
	}
	return items, total, nil
}

// QueueCounts is how many detentions each queue holds under one filter.
type QueueCounts struct {
	At     time.Time    `json:"at"` // the moment the overdue queue was judged at
	Queues []QueueCount `json:"queues"`
}

// QueueCount is the size of one queue.
type QueueCount struct {
	Queue habeas.Queue `json:"queue"`
	Total int          `json:"total"`
}

// CountQueues counts every queue, in the order of habeas.Queues, under the
// filters of q; its own queue and page do not matter.
func (s *Service) CountQueues(ctx context.Context, u *habeas.User, q DetentionQuery) (QueueCounts, error) {
	v, err := s.as(ctx, u, readCases)
	if err != nil {
		return QueueCounts{}, err
	}
	s, ctx = v, habeas.WithUser(ctx, u)
	qc := QueueCounts{At: q.At}
	for _, name := range habeas.Queues {
		queue := habeas.Queue(name)
		f := q.DetentionFilter
		f.Queue, f.Page = &queue, habeas.Page{Limit: 1}
		var n int
		var err error
		if queue == habeas.QueueOverdue {
			_, n, err = s.cfg.Alerts.Overdue(ctx, s.sc.narrow(f), q.At)
		} else {
			_, n, err = s.cfg.Detentions.FindDetentions(ctx, f)
		}
		if err != nil {
			return qc, err
		}
		qc.Queues = append(qc.Queues, QueueCount{Queue: queue, Total: n})
	}
	return qc, nil
}
