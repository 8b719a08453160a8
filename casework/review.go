package casework

import (
	"context"
	"net/url"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/dedup"
)

// ReviewItem is a pair of person records that may report one person, as
// the review queue proposes it: both persons, the matcher's probability
// and match weight, and why.
type ReviewItem struct {
	PersonA     *habeas.Person `json:"person_a"` // the smaller identifier
	PersonB     *habeas.Person `json:"person_b"`
	Probability float64        `json:"probability"`
	Weight      float64        `json:"weight"` // log2 odds, in bits
	// Band is "uncertain" (the matcher cannot tell) or "likely" (it is
	// nearly sure; a caseworker confirms).
	Band string `json:"band"`
	// Explanation is the matcher's explanation as text, as a decision
	// keeps it for its evidence; Fields has it field by field.
	Explanation string        `json:"explanation"`
	Fields      []ReviewField `json:"fields"`
	Prior       float64       `json:"prior"`                 // log2 of the prior odds, in bits
	CannotLink  string        `json:"cannot_link,omitempty"` // why the matcher keeps the two apart, if it does
}

// ReviewField is one compared field of a pair: the level it reached, its
// weight in bits, the term-frequency adjustment, and the two values as
// compared (name keys and canonical forms, not the raw text).
type ReviewField struct {
	Field  string  `json:"field"`
	Level  string  `json:"level"`
	Weight float64 `json:"weight"`
	TF     float64 `json:"tf,omitempty"`
	A      string  `json:"a"`
	B      string  `json:"b"`
}

// ReviewList is the JSON shape of the review queue: one page of pairs,
// most informative first, the total awaiting a decision, and what the
// matcher's last run saw.
type ReviewList struct {
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
	// Persons is the number of live persons; Linked how many the last run
	// of the matcher compared, at LinkedAt. Pending is true when persons
	// have changed since; the queue relinks within seconds.
	Persons  int          `json:"persons"`
	Linked   int          `json:"linked"`
	LinkedAt time.Time    `json:"linked_at,omitzero"`
	Pending  bool         `json:"pending"`
	Items    []ReviewItem `json:"items"`
}

// NewReviewItem returns the item for a candidate pair.
func NewReviewItem(c dedup.Candidate) ReviewItem {
	e := c.Explanation
	it := ReviewItem{PersonA: c.A, PersonB: c.B, Probability: c.Probability, Weight: c.Weight, Band: string(c.Band),
		Explanation: e.String(), Prior: e.Prior, CannotLink: e.CannotLink, Fields: make([]ReviewField, len(e.Fields))}
	for i, f := range e.Fields {
		it.Fields[i] = ReviewField{Field: f.Field, Level: f.Level, Weight: f.Weight, TF: f.TF, A: f.A, B: f.B}
	}
	return it
}

// FindReview returns one page of the review queue. The HTML page uses it
// too, so both show the same pairs in the same order.
func (s *Service) FindReview(ctx context.Context, u *habeas.User, p habeas.Page) (ReviewList, error) {
	if err := s.authorize(u); err != nil {
		return ReviewList{}, err
	}
	ctx = habeas.WithUser(ctx, u)
	cs, total, err := s.Review.Pairs(ctx, p.Offset, p.Limit)
	if err != nil {
		return ReviewList{}, err
	}
	st := s.Review.Status()
	l := ReviewList{Total: total, Offset: p.Offset, Limit: p.Limit, Persons: st.Persons, Linked: st.Linked,
		LinkedAt: st.LinkedAt.UTC(), Pending: st.Pending, Items: make([]ReviewItem, len(cs))}
	for i, c := range cs {
		l.Items[i] = NewReviewItem(c)
	}
	return l, nil
}

// ParseReviewPage reads offset and limit (default 50, at most 1000).
func ParseReviewPage(v url.Values) (habeas.Page, error) {
	q := &query{q: v}
	p := q.page()
	return p, q.err()
}
