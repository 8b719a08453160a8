package casework

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// The checklist pages: an investigation with its Minnesota Protocol
// checklist, and a hearing with the monitor's OSCE/ODIHR checklist. Each
// is read with what a later save needs to refuse a stale edit, and saved
// only if what it changes is still as the reader saw it.

// InvestigationFile is an investigation as its page shows it: the
// checklist judged at a moment, the casualty it is of, the sources, the
// history of both, and their versions, which a save names.
type InvestigationFile struct {
	Item            InvestigationItem
	Casualty        *habeas.Casualty // nil for an allegation's investigation
	Version         int64            // of the investigation
	CasualtyVersion int64
	Sources         []*habeas.Source
	History         []*habeas.Change
}

// FindInvestigationFile gathers the page of investigation id, judged at
// the moment at, recorded as a view of the investigation.
func (s *Service) FindInvestigationFile(ctx context.Context, u *habeas.User, id string, at time.Time) (*InvestigationFile, error) {
	item, err := s.FindInvestigation(ctx, u, id, at) // authorizes and records
	if err != nil {
		return nil, err
	}
	if s, err = s.as(ctx, u, readCases); err != nil {
		return nil, err
	}
	ctx = habeas.WithUser(ctx, u)
	f := &InvestigationFile{Item: item}
	if _, f.Version, err = s.cfg.Records.FindVersion(ctx, habeas.KindInvestigation, id); err != nil {
		return nil, err
	}
	ids := []string{id}
	if item.CasualtyID != "" {
		e, v, err := s.cfg.Records.FindVersion(ctx, habeas.KindCasualty, item.CasualtyID)
		if err != nil {
			return nil, err
		}
		f.Casualty, f.CasualtyVersion = e.(*habeas.Casualty), v
		ids = append(ids, item.CasualtyID)
	}
	if f.Sources, err = newSourceSet(s.cfg.Records).get(ctx, item.Sources...); err != nil {
		return nil, err
	}
	if f.History, err = historyOf(ctx, s.cfg.Changes, ids...); err != nil {
		return nil, err
	}
	return f, nil
}

// InvestigationEdit is what the investigation form changes: the
// investigation's own facts and, for a death, the casualty's autopsy and
// body, each set by edit on the record as stored. The versions are those
// the editor read.
type InvestigationEdit struct {
	ID, CasualtyID           string
	Version, CasualtyVersion int64
	Investigation            func(*habeas.Investigation)
	Casualty                 func(*habeas.Casualty) // nil: the casualty is not changed
}

// SaveInvestigation applies an edit of the investigation form, in one
// batch, if neither record has changed since the versions read: otherwise
// nothing is written and the error is stale (habeas.IsStale). A record
// the edit leaves as it was gets no change record. Invalid input is an
// EINVALID error whose fields are those of the records.
func (s *Service) SaveInvestigation(ctx context.Context, u *habeas.User, ed InvestigationEdit) error {
	if err := s.authorize(u, writeCases); err != nil {
		return err
	}
	ctx = habeas.WithUser(ctx, u)
	var muts []habeas.Mutation
	e, _, err := s.cfg.Records.FindVersion(ctx, habeas.KindInvestigation, ed.ID)
	if err != nil {
		return err
	}
	inv := e.(*habeas.Investigation)
	if changed(inv, ed.Investigation) {
		muts = append(muts, habeas.Mutation{Op: habeas.OpUpdate, Entity: inv, Version: ed.Version})
	}
	if ed.Casualty != nil && ed.CasualtyID != "" {
		e, _, err := s.cfg.Records.FindVersion(ctx, habeas.KindCasualty, ed.CasualtyID)
		if err != nil {
			return err
		}
		if c := e.(*habeas.Casualty); changed(c, ed.Casualty) {
			muts = append(muts, habeas.Mutation{Op: habeas.OpUpdate, Entity: c, Version: ed.CasualtyVersion})
		}
	}
	for _, m := range muts {
		m.Entity.Normalize()
		if err := m.Entity.Validate(); err != nil {
			return err
		}
	}
	if len(muts) == 0 {
		return nil
	}
	_, err = s.cfg.Records.Apply(ctx, muts)
	return unbatch(err)
}

// changed applies edit to e and reports whether e is different after it.
func changed[T habeas.Entity](e T, edit func(T)) bool {
	before, _ := json.Marshal(e)
	edit(e)
	after, _ := json.Marshal(e)
	return string(before) != string(after)
}

// TrialFile is a hearing as its page shows it: the hearing with the
// monitor's checklist, its sources, the detention's history, and the
// checklist's fingerprint as read, which a save names.
type TrialFile struct {
	Item    TrialItem
	Sources []*habeas.Source
	History []*habeas.Change
	// Read is the fingerprint of the checklist as read (MonitoringRead).
	Read string
}

// FindTrialFile gathers the page of hearing evID of detention detID,
// recorded as a view of the detention.
func (s *Service) FindTrialFile(ctx context.Context, u *habeas.User, detID, evID string) (*TrialFile, error) {
	s, err := s.as(ctx, u, readTrials)
	if err != nil {
		return nil, err
	}
	notFound := habeas.Errorf(habeas.ENOTFOUND, "hearing %s of detention %s not found", evID, detID)
	if !habeas.ValidID(habeas.KindDetention, detID) {
		return nil, notFound
	}
	items, _, err := s.trials(habeas.WithUser(ctx, u), TrialQuery{DetentionID: &detID, Page: habeas.Page{Limit: habeas.MaxPageLimit}})
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(items, func(it TrialItem) bool { return it.EventID == evID })
	if i < 0 {
		return nil, notFound
	}
	ctx = habeas.WithUser(ctx, u)
	f := &TrialFile{Item: items[i]}
	if !Allows(u.Role, readCases) {
		// A trial monitor reads the hearing and its checklist: not the
		// case's sources or history.
		f.Read = MonitoringRead(items[i].Monitoring)
		if err := s.viewed(ctx, u, habeas.KindDetention, detID); err != nil {
			return nil, err
		}
		return f, nil
	}
	d, err := s.cfg.Detentions.FindDetentionByID(ctx, detID)
	if err != nil {
		return nil, err
	}
	for _, e := range d.Events {
		if e.ID == evID {
			if f.Sources, err = newSourceSet(s.cfg.Records).get(ctx, e.Sources...); err != nil {
				return nil, err
			}
			f.Read = MonitoringRead(e.Monitoring)
		}
	}
	if f.History, err = historyOf(ctx, s.cfg.Changes, detID); err != nil {
		return nil, err
	}
	if err := s.viewed(ctx, u, habeas.KindDetention, detID); err != nil {
		return nil, err
	}
	return f, nil
}

// MonitoringRead is the fingerprint of a hearing's checklist: a save
// names the one it read, and is refused if the checklist has changed
// since. A fingerprint rather than the detention's version, because the
// rest of the case may change meanwhile (a report, a visit) without
// making the monitor's answers stale.
func MonitoringRead(m *habeas.TrialMonitoring) string {
	data, _ := json.Marshal(m)
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// RecordMonitoring writes a monitor's checklist onto hearing evID of
// detention detID, if the checklist there is still the one read (its
// MonitoringRead): otherwise, or if read is missing, nothing is written
// and the error is stale (habeas.IsStale), so no answers are overwritten
// blind. Invalid answers are an EINVALID
// error whose fields are those of the checklist ("checks.fair_hearing").
func (s *Service) RecordMonitoring(ctx context.Context, u *habeas.User, detID, evID, read string, m *habeas.TrialMonitoring) error {
	_, err := s.editDetention(ctx, u, monitorTrials, detID, func(d *habeas.Detention, version int64) ([]habeas.Mutation, error) {
		i := slices.IndexFunc(d.Events, func(e habeas.Event) bool { return e.ID == evID })
		if i < 0 || !d.Events[i].Type.Monitored() {
			return nil, habeas.Errorf(habeas.ENOTFOUND, "hearing %s of detention %s not found", evID, detID)
		}
		if now := MonitoringRead(d.Events[i].Monitoring); now != read {
			return nil, &habeas.Error{Code: habeas.ECONFLICT, Current: version,
				Message: fmt.Sprintf("the checklist of hearing %s has changed since you read it", evID)}
		}
		d.Events[i].Monitoring = m
		d.Normalize()
		if err := d.Validate(); err != nil {
			return nil, relative(err, fmt.Sprintf("events[%d].monitoring.", i))
		}
		return []habeas.Mutation{{Op: habeas.OpUpdate, Entity: d}}, nil
	})
	return err
}

// relative returns a validation error with the fields under prefix only,
// named from there.
func relative(err error, prefix string) error {
	fields := habeas.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	var out []habeas.FieldError
	for _, f := range fields {
		if rest, ok := strings.CutPrefix(f.Field, prefix); ok {
			f.Field = rest
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return err
	}
	return &habeas.Error{Code: habeas.EINVALID, Message: "invalid checklist", Fields: out}
}
