package casework

import (
	"context"
	"net/url"
	"strings"
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
// too, so both show the same pairs in the same order. It is recorded as a
// list of the persons of its pairs.
func (s *Service) FindReview(ctx context.Context, u *habeas.User, p habeas.Page) (ReviewList, error) {
	v, err := s.as(ctx, u, readCases, readRegister, searchNames)
	if err != nil {
		return ReviewList{}, err
	}
	ctx = habeas.WithUser(ctx, u)
	cs, total, err := s.cfg.Review.Pairs(ctx, p.Offset, p.Limit)
	if err != nil {
		return ReviewList{}, err
	}
	st := s.cfg.Review.Status()
	l := ReviewList{Total: total, Offset: p.Offset, Limit: p.Limit, Persons: st.Persons, Linked: st.Linked,
		LinkedAt: st.LinkedAt.UTC(), Pending: st.Pending, Items: make([]ReviewItem, len(cs))}
	var ids []string
	for i, c := range cs {
		c.A, c.B = v.sc.redact(c.A).(*habeas.Person), v.sc.redact(c.B).(*habeas.Person)
		l.Items[i] = NewReviewItem(c)
		ids = append(ids, c.A.ID, c.B.ID)
	}
	if err := listed(ctx, s, u, habeas.AccessList, habeas.KindPerson, p, ids, func(id string) string { return id }); err != nil {
		return ReviewList{}, err
	}
	return l, nil
}

// ParseReviewPage reads offset and limit (default 50, at most 1000).
func ParseReviewPage(v url.Values) (habeas.Page, error) {
	q := &query{q: v}
	p := q.page()
	return p, q.err()
}

// ReviewSide is one person of a proposed pair as a reviewer compares
// them: every spelling with its source, and where and when they were
// detained.
type ReviewSide struct {
	Person     *habeas.Person
	Names      []NameSource
	Detentions []DetentionItem
}

// ReviewSides returns both persons of each item, as a reviewer compares
// them. It is not recorded: the items come from FindReview, which
// recorded the same persons.
func (s *Service) ReviewSides(ctx context.Context, u *habeas.User, items []ReviewItem) ([][2]ReviewSide, error) {
	s, err := s.as(ctx, u, readCases, readRegister, searchNames)
	if err != nil {
		return nil, err
	}
	ctx = habeas.WithUser(ctx, u)
	ss := newSourceSet(s.cfg.Records)
	out := make([][2]ReviewSide, len(items))
	for i, it := range items {
		for j, p := range []*habeas.Person{it.PersonA, it.PersonB} {
			side := ReviewSide{Person: p}
			var err error
			if side.Names, err = ss.names(ctx, p); err != nil {
				return nil, err
			}
			f := habeas.DetentionFilter{PersonID: &p.ID, Page: habeas.Page{Limit: habeas.MaxPageLimit}}
			if side.Detentions, _, err = s.detentionList(ctx, DetentionQuery{DetentionFilter: f, At: s.Clock()}); err != nil {
				return nil, err
			}
			out[i][j] = side
		}
	}
	return out, nil
}

// MaxDecisionNote bounds the note a reviewer may add to a decision.
const MaxDecisionNote = 2000

// Decision is a reviewer's judgement on a pair of person records.
type Decision struct {
	A, B      string // the persons' identifiers
	Judgement habeas.Judgement
	Note      string
}

// Decide records a reviewer's decision on a pair as an Identity, with the
// matcher's probability and explanation as its evidence. A pair is judged
// once: changing one's mind is an undo (UndoDecision), then a new
// decision. Neither person record changes.
func (s *Service) Decide(ctx context.Context, u *habeas.User, d Decision) (*habeas.Identity, error) {
	if err := s.authorize(u, writeCases); err != nil {
		return nil, err
	}
	ctx = habeas.WithUser(ctx, u)
	d.Note = strings.TrimSpace(d.Note)
	var bad []habeas.FieldError
	for _, id := range []struct{ field, id string }{{"a", d.A}, {"b", d.B}} {
		if !habeas.ValidID(habeas.KindPerson, id.id) {
			bad = append(bad, habeas.FieldErrorf(id.field, "%q is not a person identifier", id.id))
		}
	}
	if d.A == d.B && len(bad) == 0 {
		bad = append(bad, habeas.FieldErrorf("b", "is the same record as a"))
	}
	if d.Judgement != habeas.SamePerson && d.Judgement != habeas.DifferentPersons {
		bad = append(bad, habeas.FieldErrorf("judgement", "must be same or different"))
	}
	if len([]rune(d.Note)) > MaxDecisionNote {
		bad = append(bad, habeas.FieldErrorf("note", "is longer than %d characters", MaxDecisionNote))
	}
	if len(bad) > 0 {
		return nil, &habeas.Error{Code: habeas.EINVALID, Message: "invalid decision", Fields: bad}
	}
	settled, err := s.cfg.Review.Settled(ctx, d.A, d.B)
	if err != nil {
		return nil, err
	}
	if settled {
		return nil, habeas.Errorf(habeas.ECONFLICT, "these two records have already been judged; undo that decision on a person's page first")
	}
	c, err := s.cfg.Review.Explain(ctx, d.A, d.B)
	if err != nil {
		return nil, err
	}
	id := &habeas.Identity{PersonA: d.A, PersonB: d.B, Judgement: d.Judgement, Probability: c.Probability,
		Evidence: c.Explanation.String(), Note: d.Note}
	if err := s.cfg.Records.Create(ctx, id); err != nil {
		return nil, err
	}
	return id, nil
}

// UndoDecision deletes a decision, which the change log keeps as a
// tombstone; both persons stay as they were. It returns the decision
// undone.
func (s *Service) UndoDecision(ctx context.Context, u *habeas.User, id string) (*habeas.Identity, error) {
	if err := s.authorize(u, writeCases); err != nil {
		return nil, err
	}
	ctx = habeas.WithUser(ctx, u)
	if !habeas.ValidID(habeas.KindIdentity, id) {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "decision %s not found", id)
	}
	e, version, err := s.cfg.Records.FindVersion(ctx, habeas.KindIdentity, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.cfg.Records.Apply(ctx, []habeas.Mutation{{Op: habeas.OpDelete, Kind: habeas.KindIdentity, ID: id, Version: version}}); err != nil {
		return nil, unbatch(err)
	}
	return e.(*habeas.Identity), nil
}
