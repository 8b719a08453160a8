package casework

import (
	"context"
	"io"
	"slices"
	"strings"

	"github.com/habeas-project/habeas"
)

// CaseRecords are the records of one case, as a case bundle holds them
// (habeas bundle): the case, its person, what refers to it (casualties,
// evidence, assignments, investigations), the lawyers and incidents they
// name, and the sources they cite, but for restricted sources, which are
// withheld: they name who must stay unnamed.
type CaseRecords struct {
	Case     string
	Records  []habeas.Entity // in identifier order
	Withheld []string        // restricted sources cited, left out
	files    habeas.FileService
}

// IDs are the identifiers of the records.
func (c *CaseRecords) IDs() []string {
	ids := make([]string, len(c.Records))
	for i, e := range c.Records {
		ids[i] = e.GetID()
	}
	return ids
}

// Evidence is the evidence among the records that has a file.
func (c *CaseRecords) Evidence() []*habeas.Evidence {
	var out []*habeas.Evidence
	for _, e := range c.Records {
		if ev, ok := e.(*habeas.Evidence); ok && ev.File != nil {
			out = append(out, ev)
		}
	}
	return out
}

// OpenFile returns the content of an evidence file of the case.
func (c *CaseRecords) OpenFile(ctx context.Context, e *habeas.Evidence) (io.ReadCloser, error) {
	return c.files.OpenFile(ctx, e)
}

// BundleCase gathers the records of case caseID (a detention or a
// casualty) for a bundle made by u, after recording in the chain of
// custody of each of its files that it was exported, with note (the
// bundle). Making a bundle writes out the case whole: it needs what
// exporting the register needs.
func (s *Service) BundleCase(ctx context.Context, u *habeas.User, caseID, note string) (*CaseRecords, error) {
	if _, err := s.as(ctx, u, readCases, exportRegister, openFiles); err != nil {
		return nil, err
	}
	fs, err := s.files()
	if err != nil {
		return nil, err
	}
	ctx = habeas.WithUser(ctx, u)
	if k, _ := habeas.KindOfID(caseID); k != habeas.KindDetention && k != habeas.KindCasualty {
		return nil, habeas.Errorf(habeas.EINVALID, "%q is not a detention or casualty identifier", caseID)
	}
	gather := func() (*CaseRecords, error) {
		return s.caseRecords(ctx, caseID)
	}
	cr, err := gather()
	if err != nil {
		return nil, err
	}
	if s.cfg.ReadOnly == "" {
		for _, e := range cr.Evidence() {
			if _, err := s.custody(ctx, e.ID, habeas.CustodyEvent{Event: habeas.CustodyExported, At: custodyTime(), By: u.Name, Note: note}); err != nil {
				return nil, err
			}
		}
		if cr, err = gather(); err != nil {
			return nil, err
		}
	}
	if err := s.record(ctx, u, &habeas.Access{Action: habeas.AccessExport, Kind: mustKind(caseID), ID: caseID, Records: cr.IDs(), Count: len(cr.Records)}); err != nil {
		return nil, err
	}
	cr.files = fs
	return cr, nil
}

// caseRecords gathers the records of a case as the store holds them.
func (s *Service) caseRecords(ctx context.Context, caseID string) (*CaseRecords, error) {
	rs := s.cfg.Records
	seen := map[string]habeas.Entity{}
	var queue []string
	add := func(e habeas.Entity) {
		if _, ok := seen[e.GetID()]; !ok {
			seen[e.GetID()] = e
			queue = append(queue, e.GetID())
		}
	}
	k, _ := habeas.KindOfID(caseID)
	root, err := rs.Find(ctx, k, caseID)
	if err != nil {
		return nil, err
	}
	add(root)
	// What refers to the case, and to its casualties; what they refer to.
	referring := map[habeas.Kind][]habeas.Kind{
		habeas.KindDetention: {habeas.KindCasualty, habeas.KindEvidence, habeas.KindAssignment},
		habeas.KindCasualty:  {habeas.KindEvidence, habeas.KindInvestigation},
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		e := seen[id]
		for _, rk := range referring[e.EntityKind()] {
			es, err := rs.FindReferring(ctx, rk, id)
			if err != nil {
				return nil, err
			}
			for _, r := range es {
				add(r)
			}
		}
		for _, ref := range e.Refs() {
			switch ref.Kind {
			case habeas.KindPerson, habeas.KindLawyer, habeas.KindIncident, habeas.KindSource, habeas.KindDetention:
				if _, ok := seen[ref.ID]; ok {
					continue
				}
				if ref.Kind == habeas.KindDetention && e.EntityKind() != habeas.KindCasualty {
					continue // only a casualty's own detention belongs to its case
				}
				r, err := rs.Find(ctx, ref.Kind, ref.ID)
				if habeas.ErrorCode(err) == habeas.ENOTFOUND {
					continue // deleted since: its history is not the case's
				} else if err != nil {
					return nil, err
				}
				if ref.Kind == habeas.KindDetention {
					seen[r.GetID()] = r // the detention, not what refers to it
					continue
				}
				add(r)
			}
		}
	}
	cr := &CaseRecords{Case: caseID}
	for _, id := range sortedIDs(seen) {
		e := seen[id]
		if src, ok := e.(*habeas.Source); ok && src.Confidentiality == habeas.ConfidentialityRestricted {
			cr.Withheld = append(cr.Withheld, id)
			continue
		}
		cr.Records = append(cr.Records, e)
	}
	return cr, nil
}

func sortedIDs(m map[string]habeas.Entity) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, strings.Compare)
	return ids
}
