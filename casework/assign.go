package casework

import (
	"context"
	"time"

	"github.com/habeas-project/habeas"
)

// AssignmentRequest is a lawyer's assignment to a case as the case page's
// form asks for it.
type AssignmentRequest struct {
	DetentionID string
	LawyerID    string
	Kind        habeas.AssignmentKind
	From        time.Time
	Notes       string
	// SourceID cites a source the case has; NewSource, when set instead, is
	// a source the form described, created in the same batch.
	SourceID  string
	NewSource *habeas.Source
	// Replace names an assignment in force that this one replaces: it ends
	// when the new one starts.
	Replace string
}

// Assign records a lawyer's assignment to a case, all or nothing, in one
// transaction that reads the case's assignments itself: two people who
// assign the same lawyer, or reassign the same assignment, at the same
// moment cannot both succeed, and the second is refused with the reason
// (fields "lawyer", "replace", "from"). With Replace, the replaced
// assignment ends when the new one starts, in the same batch, so the case
// never shows both lawyers in force, or neither.
func (s *Service) Assign(ctx context.Context, u *habeas.User, req AssignmentRequest) (*habeas.Assignment, error) {
	if err := s.authorize(u, writeCases); err != nil {
		return nil, err
	}
	ctx = habeas.WithUser(ctx, u)
	if !habeas.ValidID(habeas.KindDetention, req.DetentionID) {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "detention %s not found", req.DetentionID)
	}
	a := &habeas.Assignment{ID: habeas.NewID(habeas.KindAssignment), LawyerID: req.LawyerID, DetentionID: req.DetentionID,
		Kind: req.Kind, From: req.From, Notes: req.Notes}
	_, err := s.cfg.Records.Transact(ctx, func(tx habeas.Tx) error {
		e, _, err := tx.Find(ctx, habeas.KindDetention, req.DetentionID)
		if err != nil {
			return err
		}
		zone := ""
		if c, ok := habeas.FindCity(e.(*habeas.Detention).City); ok {
			zone = c.Zone
		}
		current, err := referring[*habeas.Assignment](ctx, tx, habeas.KindAssignment, req.DetentionID)
		if err != nil {
			return err
		}
		var bad []habeas.FieldError
		var replaced *habeas.Assignment
		if req.Replace != "" {
			for _, c := range current {
				if c.ID == req.Replace && c.To.IsZero() {
					replaced = c
				}
			}
			if replaced == nil {
				bad = append(bad, habeas.FieldErrorf("replace", "is not an assignment in force on this case"))
			} else if !req.From.After(replaced.From) {
				bad = append(bad, habeas.FieldErrorf("from", "is not after %s, when the assignment it replaces began",
					habeas.LocalTime(replaced.From, zone).Format("2006-01-02 15:04")))
			}
		}
		for _, c := range current {
			if c.LawyerID == req.LawyerID && c.To.IsZero() && (replaced == nil || c.ID != replaced.ID) {
				bad = append(bad, habeas.FieldErrorf("lawyer", "is already assigned to this case"))
				break
			}
		}
		if len(bad) > 0 {
			return &habeas.Error{Code: habeas.EINVALID, Message: "invalid assignment", Fields: bad}
		}
		var muts []habeas.Mutation
		switch {
		case req.NewSource != nil:
			muts = append(muts, habeas.Mutation{Op: habeas.OpCreate, Entity: req.NewSource})
			a.Sources = []string{req.NewSource.ID}
		case req.SourceID != "":
			a.Sources = []string{req.SourceID}
		}
		if replaced != nil {
			ended := *replaced
			ended.To = req.From
			muts = append(muts, habeas.Mutation{Op: habeas.OpUpdate, Entity: &ended})
		}
		_, err = tx.Apply(ctx, append(muts, habeas.Mutation{Op: habeas.OpCreate, Entity: a}))
		return err
	})
	if err != nil {
		return nil, unbatch(err)
	}
	return a, nil
}
